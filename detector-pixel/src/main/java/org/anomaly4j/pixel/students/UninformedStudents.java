package org.anomaly4j.pixel.students;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
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
 * Uninformed Students (Bergmann, Fauser, Sattlegger & Steger, CVPR 2020; survey section IV-B): an
 * ensemble of student networks with a limited receptive field regresses, at every position, the
 * descriptor of a pretrained teacher on normal images; anomalies show as a large regression error
 * of the students' mean and as disagreement (predictive variance) between the students.
 *
 * <ul>
 *   <li>Teacher: one level of a {@link Backbone} (stride 4, 8 or 16), each channel standardised with
 *       the training set's mean and deviation.</li>
 *   <li>Students: {@code students} fully convolutional networks, each with its own initialisation,
 *       {@code conv3x3/2 - LReLU} stages down to the teacher's stride (widths {@code width * 2^k}),
 *       then {@code conv3x3 - LReLU - conv1x1} to the teacher's channels; trained together with Adam on
 *       the sum of their mean squared errors.</li>
 *   <li>Score at a position: regression error {@code |mean_m s_m - t|^2} plus predictive variance
 *       {@code mean_m |s_m - mean s|^2}, each standardised by its mean and deviation over the training
 *       positions (the paper's normalisation, on training rather than validation images); the map is
 *       upsampled bilinearly, blurred; image score = the map's maximum.</li>
 * </ul>
 *
 * One patch scale (the teacher level's); the paper's multi-scale average of several such ensembles
 * can be had by averaging detectors at several levels.
 */
public final class UninformedStudents extends BaseDetector<UninformedStudentsConfig> implements NativeResourceOwner {
    private static final int TEACHER_BATCH = 16;
    private static final float LEAKY = 0.1f;

    private final NDManager root;
    private final Backbone teacher;
    private final List<SequentialBlock> students;
    private final SequentialBlock all;
    private final float[] teacherStats;
    private final float[] scoreStats;
    private final NDArray teacherMean;
    private final NDArray teacherStd;

    private UninformedStudents(UninformedStudentsConfig config, Provenance provenance, Calibration calibration,
            NDManager root, Backbone teacher, List<SequentialBlock> students, SequentialBlock all, float[] teacherStats,
            float[] scoreStats) {
        super(config, config.preprocessing(), provenance, calibration);
        this.root = root;
        this.teacher = teacher;
        this.students = students;
        this.all = all;
        this.teacherStats = teacherStats;
        this.scoreStats = scoreStats;
        int c = teacherStats.length / 2;
        this.teacherMean = root.create(Arrays.copyOfRange(teacherStats, 0, c), new Shape(1, c, 1, 1));
        this.teacherStd = root.create(Arrays.copyOfRange(teacherStats, c, 2 * c), new Shape(1, c, 1, 1));
    }

    /** Fits on normal images. */
    public static UninformedStudents fit(ImageSet normals, UninformedStudentsConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress: {@code "teacher"} in images, then {@code "epoch e/E loss=..."}. */
    public static UninformedStudents fit(ImageSet normals, UninformedStudentsConfig config, ProgressListener listener) {
        Objects.requireNonNull(config, "config");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        TrainingImages.requireNormals(normals, UninformedStudentsConfig.TYPE);
        long t0 = System.nanoTime();
        Backbone teacher = Backbones.parse(config.backbone(), config.seed());
        NDManager root = Tensors.newRootManager();
        try {
            FeatureLevel level = level(teacher, config);
            int n = normals.size();
            int size = config.size();
            Shape image = new Shape(3, size, size);
            float[][] xs = TrainingImages.prepare(normals, config.preprocessing(), teacher.normalization());
            float[][] ts = new float[n][];
            Shape tShape = null;
            for (int from = 0; from < n; from += TEACHER_BATCH) {
                int count = Math.min(TEACHER_BATCH, n - from);
                int[] ids = new int[count];
                for (int i = 0; i < count; i++) {
                    ids[i] = from + i;
                }
                try (NDManager m = root.newSubManager()) {
                    NDArray t = teacher.features(m, TrainingImages.batch(m, xs, ids, image)).get(config.level());
                    tShape = t.getShape().slice(1);
                    float[] v = t.toFloatArray();
                    int per = v.length / count;
                    for (int i = 0; i < count; i++) {
                        ts[from + i] = Arrays.copyOfRange(v, i * per, (i + 1) * per);
                    }
                }
                l.progress("teacher", from + count, n);
            }
            int c = level.channels();
            int plane = Math.toIntExact(tShape.size() / c);
            float[] stats = new float[2 * c];
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                double s2 = 0;
                for (float[] t : ts) {
                    for (int i = ch * plane; i < (ch + 1) * plane; i++) {
                        s += t[i];
                        s2 += (double) t[i] * t[i];
                    }
                }
                double cnt = (double) n * plane;
                double mu = s / cnt;
                float sd = (float) Math.max(1e-6, Math.sqrt(Math.max(0, s2 / cnt - mu * mu)));
                stats[ch] = (float) mu;
                stats[c + ch] = sd;
                for (float[] t : ts) {
                    for (int i = ch * plane; i < (ch + 1) * plane; i++) {
                        t[i] = (t[i] - (float) mu) / sd;
                    }
                }
            }
            List<SequentialBlock> students = new ArrayList<>();
            SequentialBlock all = build(config, level, students);
            for (int m = 0; m < students.size(); m++) {
                TrainingLoop.initialize(students.get(m), root, config.seed() + 1000L * m, new Shape(1, 3, size, size));
            }
            LossFunction loss = (pass, batch) -> {
                NDArray total = null;
                for (SequentialBlock s : students) {
                    NDArray o = s.forward(pass.parameters(), new NDList(batch.get(0)), pass.training()).singletonOrThrow();
                    NDArray d = o.sub(batch.get(1)).square().mean();
                    total = total == null ? d : total.add(d);
                }
                return total;
            };
            TrainingHistory h = TrainingLoop.train(all, TrainingImages.source(new float[][][] {xs, ts},
                    new Shape[] {image, tShape}), null, loss, config.training(), l);
            // standardisation of the two scores over the training positions
            double[] acc = new double[4];
            long count = 0;
            for (int i = 0; i < n; i++) {
                try (NDManager m = root.newSubManager()) {
                    NDArray x = m.create(xs[i], new Shape(1).addAll(image));
                    NDArray t = m.create(ts[i], new Shape(1).addAll(tShape));
                    float[][] ev = NetParams.withoutGradients(() -> errorAndVariance(students, m, x, t));
                    for (int k = 0; k < ev[0].length; k++) {
                        acc[0] += ev[0][k];
                        acc[1] += (double) ev[0][k] * ev[0][k];
                        acc[2] += ev[1][k];
                        acc[3] += (double) ev[1][k] * ev[1][k];
                    }
                    count += ev[0].length;
                }
            }
            float[] scoreStats = new float[4];
            for (int k = 0; k < 2; k++) {
                double mu = acc[2 * k] / count;
                double sd = Math.sqrt(Math.max(0, acc[2 * k + 1] / count - mu * mu));
                scoreStats[2 * k] = (float) mu;
                scoreStats[2 * k + 1] = (float) Math.max(1e-9, sd);
            }
            Map<String, String> notes = new LinkedHashMap<>(h.notes());
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new UninformedStudents(config, Provenance.capture(config.seed(), normals, notes), null, root, teacher,
                    students, all, stats, scoreStats);
        } catch (RuntimeException e) {
            root.close();
            teacher.close();
            throw e;
        }
    }

    private static FeatureLevel level(Backbone teacher, UninformedStudentsConfig config) {
        List<FeatureLevel> levels = teacher.levels();
        if (config.level() >= levels.size()) {
            throw new InvalidConfigException("level", "index " + config.level() + " but backbone " + config.backbone()
                    + " has " + levels.size() + " levels " + levels);
        }
        FeatureLevel l = levels.get(config.level());
        if (l.stride() != 4 && l.stride() != 8 && l.stride() != 16) {
            throw new InvalidConfigException("level", "teacher level " + l + " has stride " + l.stride()
                    + "; students support strides 4, 8 and 16");
        }
        return l;
    }

    private static SequentialBlock build(UninformedStudentsConfig config, FeatureLevel level,
            List<SequentialBlock> students) {
        SequentialBlock all = new SequentialBlock();
        int stages = Integer.numberOfTrailingZeros(level.stride());
        for (int m = 0; m < config.students(); m++) {
            SequentialBlock s = new SequentialBlock();
            int w = config.width();
            for (int k = 0; k < stages; k++) {
                s.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1)).setFilters(w << k).build())
                        .add(Activation.leakyReluBlock(LEAKY));
            }
            s.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .setFilters(w << stages).build()).add(Activation.leakyReluBlock(LEAKY))
                    .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(level.channels()).build());
            students.add(s);
            all.add(s);
        }
        return all;
    }

    /** Per-position regression error and predictive variance (row-major over the teacher grid). */
    private static float[][] errorAndVariance(List<SequentialBlock> students, NDManager m, NDArray x, NDArray t) {
        ParameterStore ps = new ParameterStore(m, false);
        NDArray sum = null;
        NDArray sq = null;
        for (SequentialBlock s : students) {
            NDArray o = s.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray o2 = o.square().sum(new int[] {1});
            sum = sum == null ? o : sum.add(o);
            sq = sq == null ? o2 : sq.add(o2);
        }
        NDArray mean = sum.div(students.size());
        NDArray err = mean.sub(t).square().sum(new int[] {1});
        NDArray var = sq.div(students.size()).sub(mean.square().sum(new int[] {1})).maximum(0f);
        return new float[][] {err.toFloatArray(), var.toFloatArray()};
    }

    /** Loads saved Uninformed Students. */
    public static UninformedStudents load(Path file) throws IOException {
        return Detectors.load(file, UninformedStudents.class);
    }

    static UninformedStudents restore(ModelArchive a) throws IOException {
        UninformedStudentsConfig config;
        try {
            config = UninformedStudentsConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        Backbone teacher = Backbones.parse(config.backbone(), config.seed());
        NDManager root = Tensors.newRootManager();
        try {
            FeatureLevel level = level(teacher, config);
            float[] ts = a.tensor("teacher_standardisation").values();
            float[] ss = a.tensor("score_standardisation").values();
            if (ts.length != 2 * level.channels() || ss.length != 4) {
                throw new CorruptModelException(a.file(), "teacher standardisation of " + ts.length
                        + " values (expected " + 2 * level.channels() + ") or score standardisation of " + ss.length
                        + " (expected 4)");
            }
            List<SequentialBlock> students = new ArrayList<>();
            SequentialBlock all = build(config, level, students);
            for (int m = 0; m < students.size(); m++) {
                TrainingLoop.initialize(students.get(m), root, config.seed() + 1000L * m,
                        new Shape(1, 3, config.size(), config.size()));
            }
            NetParams.read(all, "students", a);
            return new UninformedStudents(config, a.provenance(), a.calibration().orElse(null), root, teacher, students,
                    all, ts, ss);
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
        UninformedStudentsConfig c = config();
        int size = c.size();
        float[] x = TrainingImages.prepare(modelInput, preprocessing(), teacher.normalization(), false);
        float[] map;
        try (NDManager m = root.newSubManager()) {
            NDArray in = m.create(x, new Shape(1, 3, size, size));
            NDArray t = teacher.features(m, in).get(c.level()).sub(teacherMean).div(teacherStd);
            long h = t.getShape().get(2);
            long w = t.getShape().get(3);
            map = NetParams.withoutGradients(() -> {
                float[][] ev = errorAndVariance(students, m, in, t);
                float[] s = new float[ev[0].length];
                for (int k = 0; k < s.length; k++) {
                    s[k] = (ev[0][k] - scoreStats[0]) / scoreStats[1] + (ev[1][k] - scoreStats[2]) / scoreStats[3];
                }
                return MapOps.toAnomalyMap(m.create(s, new Shape(1, h, w)), size, size, c.sigma()).toFloatArray();
            });
        }
        return new ModelScore(ScaleMaps.max(map), map);
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        NetParams.write(all, "students", archive);
        archive.tensor("teacher_standardisation", new long[] {2, teacherStats.length / 2}, teacherStats.clone());
        archive.tensor("score_standardisation", new long[] {4}, scoreStats.clone());
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
