package org.anomaly4j.pixel.stfpm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.BaseDetector;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.pixel.NetParams;
import org.anomaly4j.pixel.ScaleMaps;
import org.anomaly4j.pixel.TrainingImages;
import org.anomaly4j.tensor.Autograd;
import org.anomaly4j.tensor.Backbone;
import org.anomaly4j.tensor.Backbones;
import org.anomaly4j.tensor.FeatureLevel;
import org.anomaly4j.tensor.LossFunction;
import org.anomaly4j.tensor.MapOps;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.Tensors;
import org.anomaly4j.tensor.TrainingHistory;
import org.anomaly4j.tensor.TrainingLoop;

/**
 * STFPM, student–teacher feature pyramid matching (Wang, Wu, Cui & Yuan, BMVC 2021; survey
 * section IV-B): a frozen pretrained teacher and a student of the same architecture, randomly
 * initialised, trained on normal images so that its feature pyramid matches the teacher's.
 *
 * <ul>
 *   <li>Teacher: any {@link Backbone} (the shared ImageNet MobileNetV2 in benchmarks); the student is
 *       a trainable MobileNetV2 ({@link MobileNetStudent}) returning maps at the teacher levels'
 *       strides.</li>
 *   <li>Loss: for every level, half the squared distance between the channel-wise L2-normalised
 *       teacher and student features, averaged over positions and images, summed over levels.</li>
 *   <li>Map: per level the same distance at every position, upsampled bilinearly to the model
 *       resolution, combined over levels (product, as the paper), Gaussian-blurred; image score =
 *       the map's maximum.</li>
 * </ul>
 *
 * Teacher features of the training set are computed once and kept (normalised) in memory. Images are
 * scored one at a time, so a score does not depend on what else is scored.
 */
public final class Stfpm extends BaseDetector<StfpmConfig> implements NativeResourceOwner {
    private static final int TEACHER_BATCH = 16;

    private final NDManager root;
    private final Backbone teacher;
    private final MobileNetStudent student;
    private final int[] levelIndices;

    private Stfpm(StfpmConfig config, Provenance provenance, Calibration calibration, NDManager root, Backbone teacher,
            MobileNetStudent student) {
        super(config, config.preprocessing(), provenance, calibration);
        this.root = root;
        this.teacher = teacher;
        this.student = student;
        this.levelIndices = config.levelIndices();
    }

    /** Fits on normal images. */
    public static Stfpm fit(ImageSet normals, StfpmConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress: {@code "teacher"} in images, then {@code "epoch e/E loss=..."}. */
    public static Stfpm fit(ImageSet normals, StfpmConfig config, ProgressListener listener) {
        Objects.requireNonNull(config, "config");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        TrainingImages.requireNormals(normals, StfpmConfig.TYPE);
        long t0 = System.nanoTime();
        Backbone teacher = Backbones.parse(config.backbone(), config.seed());
        NDManager root = Tensors.newRootManager();
        try {
            List<FeatureLevel> levels = selectedLevels(teacher, config);
            int n = normals.size();
            int size = config.size();
            float[][] xs = TrainingImages.prepare(normals, config.preprocessing(), teacher.normalization());
            Shape image = new Shape(3, size, size);
            int k = levels.size();
            float[][][] fields = new float[k + 1][][];
            fields[0] = xs;
            Shape[] shapes = new Shape[k + 1];
            shapes[0] = image;
            for (int j = 0; j < k; j++) {
                fields[j + 1] = new float[n][];
            }
            int[] idx = config.levelIndices();
            for (int from = 0; from < n; from += TEACHER_BATCH) {
                int count = Math.min(TEACHER_BATCH, n - from);
                int[] ids = new int[count];
                for (int i = 0; i < count; i++) {
                    ids[i] = from + i;
                }
                try (NDManager m = root.newSubManager()) {
                    NDList maps = teacher.features(m, TrainingImages.batch(m, xs, ids, image));
                    for (int j = 0; j < k; j++) {
                        NDArray t = normalise(maps.get(idx[j]));
                        if (shapes[j + 1] == null) {
                            shapes[j + 1] = t.getShape().slice(1);
                        }
                        float[] v = t.toFloatArray();
                        int per = v.length / count;
                        for (int i = 0; i < count; i++) {
                            fields[j + 1][from + i] = java.util.Arrays.copyOfRange(v, i * per, (i + 1) * per);
                        }
                    }
                }
                l.progress("teacher", from + count, n);
            }
            double teacherSeconds = (System.nanoTime() - t0) / 1e9;
            MobileNetStudent student = new MobileNetStudent(levels);
            student.initialize(root, config.seed(), size, size);
            LossFunction loss = (pass, batch) -> {
                List<NDArray> s = student.forward(pass.parameters(), batch.get(0), pass.training());
                NDArray total = null;
                for (int j = 0; j < k; j++) {
                    NDArray d = Autograd.mul(normalise(s.get(j)).sub(batch.get(j + 1)).square().sum(new int[] {1}).mean(), 0.5);
                    total = total == null ? d : total.add(d);
                }
                return total;
            };
            TrainingHistory h = TrainingLoop.train(student.block(), TrainingImages.source(fields, shapes), null, loss,
                    config.training(), l);
            Map<String, String> notes = new LinkedHashMap<>(h.notes());
            notes.put("teacher_seconds", String.format(Locale.ROOT, "%.3f", teacherSeconds));
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new Stfpm(config, Provenance.capture(config.seed(), normals, notes), null, root, teacher, student);
        } catch (RuntimeException e) {
            root.close();
            teacher.close();
            throw e;
        }
    }

    private static List<FeatureLevel> selectedLevels(Backbone teacher, StfpmConfig config) {
        List<FeatureLevel> all = teacher.levels();
        List<FeatureLevel> out = new ArrayList<>();
        for (int i : config.levelIndices()) {
            if (i >= all.size()) {
                throw new InvalidConfigException("levels", "index " + i + " but backbone " + config.backbone() + " has "
                        + all.size() + " levels " + all);
            }
            out.add(all.get(i));
        }
        try {
            new MobileNetStudent(out); // checks the strides
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("levels", e.getMessage());
        }
        return out;
    }

    /** Channel-wise L2 normalisation of {@code [N, C, h, w]}. */
    private static NDArray normalise(NDArray f) {
        return f.div(f.square().sum(new int[] {1}, true).sqrt().add(1e-6f));
    }

    /** Loads a saved STFPM. */
    public static Stfpm load(Path file) throws IOException {
        return Detectors.load(file, Stfpm.class);
    }

    static Stfpm restore(ModelArchive a) throws IOException {
        StfpmConfig config;
        try {
            config = StfpmConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        Backbone teacher = Backbones.parse(config.backbone(), config.seed());
        NDManager root = Tensors.newRootManager();
        try {
            MobileNetStudent student = new MobileNetStudent(selectedLevels(teacher, config));
            student.initialize(root, config.seed(), config.size(), config.size());
            NetParams.read(student.block(), "student", a);
            return new Stfpm(config, a.provenance(), a.calibration().orElse(null), root, teacher, student);
        } catch (IOException | RuntimeException e) {
            root.close();
            teacher.close();
            throw e;
        }
    }

    @Override
    public boolean producesMaps() {
        return true;
    }

    @Override
    protected ModelScore scoreModelInput(AnomalyImage modelInput) {
        StfpmConfig c = config();
        int size = c.size();
        float[] x = TrainingImages.prepare(modelInput, preprocessing(), teacher.normalization(), false);
        float[] map;
        try (NDManager m = root.newSubManager()) {
            NDArray in = m.create(x, new Shape(1, 3, size, size));
            NDList t = teacher.features(m, in);
            map = NetParams.withoutGradients(() -> {
                List<NDArray> s = student.forward(new ParameterStore(m, false), in, false);
                List<NDArray> maps = new ArrayList<>();
                for (int j = 0; j < levelIndices.length; j++) {
                    NDArray d = normalise(t.get(levelIndices[j])).sub(normalise(s.get(j))).square()
                            .sum(new int[] {1}, true).mul(0.5f);
                    maps.add(MapOps.upsampleBilinear(d, size, size));
                }
                NDArray combined = ScaleMaps.combine(maps, ScaleMaps.Combine.parse("combine", c.combine()));
                return MapOps.gaussianBlur(combined, c.sigma()).toFloatArray();
            });
        }
        return new ModelScore(ScaleMaps.max(map), map);
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        NetParams.write(student.block(), "student", archive);
    }

    @Override
    public int liveTensorCount() {
        return Tensors.liveArrays(root);
    }

    @Override
    protected void release() {
        root.close();
        teacher.close();
    }
}
