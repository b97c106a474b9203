package org.anomaly4j.oneclass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.features.FeatureExtractor;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;

/**
 * Support vector data description (Tax and Duin; survey section III-B): the smallest ball in kernel
 * feature space that holds the normal data, with slack {@code C}. The dual
 *
 * <pre>
 *   min  sum_ij a_i a_j K_ij - sum_i a_i K_ii   subject to   sum a = 1,  0 &lt;= a_i &lt;= C
 * </pre>
 *
 * is solved by the same SMO machinery as {@link OcSvm} (see {@link OneClassSolution}). The image
 * score is the squared distance to the centre minus the squared radius,
 * {@code |phi(x) - c|^2 - R^2}: positive outside the ball. With the RBF kernel SVDD and the
 * one-class SVM with {@code nu = 1/(C n)} are the same problem: the SVDD score is then exactly
 * {@code 2 C} times the OC-SVM score.
 */
public final class Svdd extends VectorDetector<SvddConfig> {
    private final SupportVectors sv; // coefficients b = a / C
    private final double rho;
    private final double total; // 1 / C

    private Svdd(SvddConfig config, FeatureExtractor features, Provenance provenance, Calibration calibration,
            SupportVectors sv, double rho, double total) {
        super(config, features, provenance, calibration);
        this.sv = sv;
        this.rho = rho;
        this.total = total;
    }

    /** Fits on normal images. */
    public static Svdd fit(ImageSet normals, SvddConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress stages "features", "pca" and "fit". */
    public static Svdd fit(ImageSet normals, SvddConfig config, ProgressListener listener) {
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        long t0 = System.nanoTime();
        Training t = extract(SvddConfig.TYPE, normals, config.features(), config.seed(), l);
        try {
            int n = t.n();
            double total = config.c() > 0 ? 1 / config.c() : SmoSolver.nuTotal(n, config.nu());
            if (config.c() > 0 && total > n) {
                throw new InvalidConfigException("c", "must be at least 1/n = " + (1.0 / n) + " for " + n
                        + " training images (the weights must sum to 1), got " + config.c());
            }
            l.progress("fit", 0, 1);
            KernelFunction k = KernelParams.resolve(config.kernel(), config.gamma(), config.degree(), config.coef0(),
                    t.rows(), n, t.d());
            OneClassSolution s = OneClassSolution.svdd(t.rows(), n, t.d(), k, total,
                    new OneClassSolution.Settings(config.tol(), config.shrinking(), config.cacheMb(), config.maxIter()));
            int[] idx = s.supportIndices();
            float[] vectors = new float[idx.length * t.d()];
            double[] coef = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                System.arraycopy(t.rows(), idx[i] * t.d(), vectors, i * t.d(), t.d());
                coef[i] = s.alpha()[idx[i]];
            }
            double rho = Doubles.round(s.rho());
            double tot = Doubles.round(total);
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("features", t.extractor().spec().toString());
            notes.put("feature_dimension", Integer.toString(t.d()));
            notes.put("gamma", Double.toString(k.gamma()));
            notes.put("c", Double.toString(1 / total));
            notes.put("n_support", Integer.toString(idx.length));
            notes.put("timed_out", Boolean.toString(s.timedOut()));
            notes.putAll(s.notes());
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            SupportVectors model = new SupportVectors(k, vectors, idx.length, t.d(), Doubles.round(coef));
            l.progress("fit", 1, 1);
            return new Svdd(config, t.extractor(), Provenance.capture(config.seed(), normals, notes), null, model,
                    rho, tot);
        } catch (RuntimeException e) {
            t.extractor().close();
            throw e;
        }
    }

    /** Loads a saved SVDD. */
    public static Svdd load(Path file) throws IOException {
        return Detectors.load(file, Svdd.class);
    }

    static Svdd restore(ModelArchive a) throws IOException {
        SvddConfig config;
        try {
            config = SvddConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        OcSvm.Model m = OcSvm.Model.read(a, 3);
        FeatureExtractor fx = restoreFeatures(config.features(), a);
        try {
            if (fx.dimension() != m.d()) {
                throw new CorruptModelException(a.file(), "support vectors have " + m.d() + " values, the features "
                        + fx.dimension());
            }
            KernelFunction k = new KernelFunction(config.kernel(), m.scalars()[1], config.degree(), config.coef0());
            return new Svdd(config, fx, a.provenance(), a.calibration().orElse(null),
                    new SupportVectors(k, m.vectors(), m.m(), m.d(), m.coef()), m.scalars()[0], m.scalars()[2]);
        } catch (IOException | RuntimeException e) {
            fx.close();
            throw e;
        }
    }

    /** The slack bound {@code C} in use. */
    public double c() {
        return 1 / total;
    }

    /** The kernel width in use (gamma 'scale' and 'auto' resolved on the training features). */
    public double gamma() {
        return sv.kernel().gamma();
    }

    /** Number of support vectors (training points on or outside the sphere). */
    public int supportVectorCount() {
        return sv.count();
    }

    @Override
    double[] scoreRows(float[] rows, int n) {
        double[] f = sv.expansion(rows, n);
        double[] self = sv.selfKernel(rows, n);
        for (int i = 0; i < n; i++) {
            f[i] = self[i] + 2 / total * (rho - f[i]);
        }
        return f;
    }

    @Override
    void writeModel(ModelArchive.Builder archive) {
        OcSvm.Model.write(archive, sv, rho, sv.kernel().gamma(), total);
    }

    @Override
    int modelTensorCount() {
        return sv.liveTensorCount();
    }

    @Override
    void releaseModel() {
        sv.close();
    }
}
