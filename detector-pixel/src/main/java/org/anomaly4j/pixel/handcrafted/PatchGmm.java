package org.anomaly4j.pixel.handcrafted;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.BaseDetector;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.MapFilters;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.mixture.GaussianMixture;
import org.anomaly4j.features.GrayLevelStatistics;
import org.anomaly4j.features.Hog;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.pixel.ScaleMaps;
import org.anomaly4j.pixel.TrainingImages;

/**
 * The classical handcrafted patch model (survey section IV-B, the baseline before deep features): a
 * Gaussian mixture over local texture descriptors, one per patch size, combined across sizes.
 *
 * <ul>
 *   <li>Descriptor of a grey patch ({@value #DIM} values): its {@link GrayLevelStatistics} (moments,
 *       intensity histogram, co-occurrence texture measures) and the {@link Hog} descriptor of the
 *       patch resized to 16x16 (one block of 2x2 cells, 9 orientations).</li>
 *   <li>For each patch size p: patches every p/2 pixels; a seeded random subset of at most
 *       {@code max_patches} training patches, standardised per dimension, fits a mixture
 *       (scikit-learn's EM, {@link GaussianMixture}).</li>
 *   <li>Scoring: a patch scores its negative log-likelihood, standardised by the mean and deviation
 *       of the training patches' scores (so that sizes are comparable); a pixel gets the mean score
 *       of the patches covering it; the sizes' maps combine (mean by default), blurred; image score
 *       = the map's maximum.</li>
 * </ul>
 *
 * Plain Java, no native memory.
 */
public final class PatchGmm extends BaseDetector<PatchGmmConfig> {
    /** Descriptor length. */
    public static final int DIM = GrayLevelStatistics.LENGTH + 36;
    private static final int HOG_SIDE = 16;

    private final Scale[] scales;

    /** One patch size's model: descriptor standardisation, mixture, score standardisation. */
    private record Scale(int patch, float[] mean, float[] std, GaussianMixture gmm, float scoreMean,
            float scoreStd) {
    }

    private PatchGmm(PatchGmmConfig config, Provenance provenance, Calibration calibration, Scale[] scales) {
        super(config, config.preprocessing(), provenance, calibration);
        this.scales = scales;
    }

    /** Fits on normal images. */
    public static PatchGmm fit(ImageSet normals, PatchGmmConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress: {@code "patch size p"} per size. */
    public static PatchGmm fit(ImageSet normals, PatchGmmConfig config, ProgressListener listener) {
        Objects.requireNonNull(config, "config");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        TrainingImages.requireNormals(normals, PatchGmmConfig.TYPE);
        long t0 = System.nanoTime();
        int n = normals.size();
        int size = config.size();
        float[][] grey = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> grey[i] = config.preprocessing().apply(normals.get(i).image())
                .toArray());
        int[] sides = config.patchSideList();
        Scale[] scales = new Scale[sides.length];
        Map<String, String> notes = new LinkedHashMap<>();
        for (int j = 0; j < sides.length; j++) {
            int p = sides[j];
            int stride = Math.max(1, p / 2);
            int g = (size - p) / stride + 1;
            long total = (long) n * g * g;
            int rows = (int) Math.min(total, config.maxPatches());
            int[] pick = subset(total, rows, new SplittableRandom(config.seed() + 31L * j));
            float[] x = new float[rows * DIM];
            IntStream.range(0, rows).parallel().forEach(r -> {
                int img = pick[r] / (g * g);
                int cell = pick[r] % (g * g);
                describe(grey[img], size, (cell / g) * stride, (cell % g) * stride, p, x, r * DIM);
            });
            float[] mean = new float[DIM];
            float[] std = new float[DIM];
            for (int k = 0; k < DIM; k++) {
                double s = 0;
                double s2 = 0;
                for (int r = 0; r < rows; r++) {
                    double v = x[r * DIM + k];
                    s += v;
                    s2 += v * v;
                }
                double mu = s / rows;
                double sd = Math.sqrt(Math.max(0, s2 / rows - mu * mu));
                mean[k] = (float) mu;
                std[k] = sd > 1e-6 ? (float) sd : 1f;
            }
            standardise(x, rows, mean, std);
            GaussianMixture gmm = GaussianMixture.fit(x, rows, DIM, new GaussianMixture.Settings(
                    Math.min(config.components(), rows), GaussianMixture.CovarianceType.parse(config.covariance()), 1e-3,
                    config.regCovar(), 100, 1, true, config.seed() + j), ProgressListener.NONE);
            double[] ll = gmm.logLikelihoods(x, rows);
            double s = 0;
            double s2 = 0;
            for (double v : ll) {
                s -= v;
                s2 += v * v;
            }
            double mu = s / rows;
            double sd = Math.sqrt(Math.max(0, s2 / rows - mu * mu));
            scales[j] = new Scale(p, mean, std, gmm, (float) mu, sd > 1e-9 ? (float) sd : 1f); // float: as saved
            notes.put("patch" + p + "_rows", Integer.toString(rows));
            notes.put("patch" + p + "_converged", Boolean.toString(gmm.converged()));
            l.progress("patch size " + p, j + 1, sides.length);
        }
        notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
        return new PatchGmm(config, Provenance.capture(config.seed(), normals, notes), null, scales);
    }

    /** {@code rows} distinct indices of {@code 0..total-1}, ascending (all of them when rows == total). */
    private static int[] subset(long total, int rows, SplittableRandom rnd) {
        int t = Math.toIntExact(total);
        int[] all = new int[t];
        for (int i = 0; i < t; i++) {
            all[i] = i;
        }
        if (rows < t) {
            for (int i = 0; i < rows; i++) {
                int k = i + rnd.nextInt(t - i);
                int tmp = all[i];
                all[i] = all[k];
                all[k] = tmp;
            }
        }
        int[] out = Arrays.copyOf(all, rows);
        Arrays.sort(out);
        return out;
    }

    /** The descriptor of the {@code p x p} patch at ({@code top}, {@code left}) into {@code out}. */
    static void describe(float[] grey, int size, int top, int left, int p, float[] out, int offset) {
        float[] patch = new float[p * p];
        for (int r = 0; r < p; r++) {
            System.arraycopy(grey, (top + r) * size + left, patch, r * p, p);
        }
        GrayLevelStatistics.compute(patch, p, p, out, offset);
        float[] small = p == HOG_SIDE ? patch
                : AnomalyImage.of(p, p, 1, patch).resize(HOG_SIDE, HOG_SIDE).toArray();
        Hog.compute(small, HOG_SIDE, HOG_SIDE, out, offset + GrayLevelStatistics.LENGTH);
    }

    private static void standardise(float[] x, int rows, float[] mean, float[] std) {
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < DIM; k++) {
                int i = r * DIM + k;
                x[i] = (x[i] - mean[k]) / std[k];
            }
        }
    }

    /** Loads a saved patch GMM. */
    public static PatchGmm load(Path file) throws IOException {
        return Detectors.load(file, PatchGmm.class);
    }

    static PatchGmm restore(ModelArchive a) throws IOException {
        PatchGmmConfig config;
        try {
            config = PatchGmmConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        int[] sides = config.patchSideList();
        Scale[] scales = new Scale[sides.length];
        GaussianMixture.CovarianceType type = GaussianMixture.CovarianceType.parse(config.covariance());
        for (int j = 0; j < sides.length; j++) {
            String pre = "scale" + j + ".";
            float[] st = a.tensor(pre + "standardisation").values();
            float[] sc = a.tensor(pre + "scores").values();
            if (st.length != 2 * DIM || sc.length != 2) {
                throw new CorruptModelException(a.file(), pre + "standardisation has " + st.length + " values (expected "
                        + 2 * DIM + "), scores " + sc.length + " (expected 2)");
            }
            GaussianMixture gmm;
            try {
                gmm = GaussianMixture.of(type, DIM, a.tensor(pre + "weights").values(), a.tensor(pre + "means").values(),
                        a.tensor(pre + "precisions").values());
            } catch (IllegalArgumentException e) {
                throw new CorruptModelException(a.file(), e.getMessage(), e);
            }
            scales[j] = new Scale(sides[j], Arrays.copyOfRange(st, 0, DIM), Arrays.copyOfRange(st, DIM, 2 * DIM), gmm,
                    sc[0], sc[1]);
        }
        return new PatchGmm(config, a.provenance(), a.calibration().orElse(null), scales);
    }

    @Override
    public boolean producesMaps() {
        return true;
    }

    @Override
    protected ModelScore scoreModelInput(AnomalyImage modelInput) {
        PatchGmmConfig c = config();
        int size = c.size();
        float[] grey = modelInput.toArray();
        float[][] maps = new float[scales.length][];
        for (int j = 0; j < scales.length; j++) {
            Scale s = scales[j];
            int p = s.patch();
            int stride = Math.max(1, p / 2);
            int g = (size - p) / stride + 1;
            float[] x = new float[g * g * DIM];
            for (int r = 0; r < g * g; r++) {
                describe(grey, size, (r / g) * stride, (r % g) * stride, p, x, r * DIM);
            }
            standardise(x, g * g, s.mean(), s.std());
            double[] ll = s.gmm().logLikelihoods(x, g * g);
            float[] scores = new float[g * g];
            for (int r = 0; r < scores.length; r++) {
                scores[r] = (float) ((-ll[r] - s.scoreMean()) / s.scoreStd());
            }
            maps[j] = ScaleMaps.spreadPatches(scores, g, g, stride, p, size, size);
        }
        float[] map = ScaleMaps.combine(maps, ScaleMaps.Combine.parse("combine", c.combine()));
        if (c.sigma() > 0) {
            map = MapFilters.gaussianBlur(map, size, size, c.sigma());
        }
        return new ModelScore(ScaleMaps.max(map), map);
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        for (int j = 0; j < scales.length; j++) {
            Scale s = scales[j];
            String pre = "scale" + j + ".";
            float[] st = new float[2 * DIM];
            System.arraycopy(s.mean(), 0, st, 0, DIM);
            System.arraycopy(s.std(), 0, st, DIM, DIM);
            archive.tensor(pre + "standardisation", new long[] {2, DIM}, st);
            archive.tensor(pre + "scores", new long[] {2}, new float[] {s.scoreMean(), s.scoreStd()});
            float[] w = s.gmm().weights();
            archive.tensor(pre + "weights", new long[] {w.length}, w);
            float[] m = s.gmm().means();
            archive.tensor(pre + "means", new long[] {m.length}, m);
            float[] pc = s.gmm().precisionsCholesky();
            archive.tensor(pre + "precisions", new long[] {pc.length}, pc);
        }
    }

    @Override
    protected void release() {
        // plain Java: nothing native
    }
}
