package org.anomaly4j.oneclass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.features.FeatureExtractor;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;

/**
 * The one-class SVM of Schölkopf et al. (survey section III-B), the ν-formulation exactly as libsvm
 * and scikit-learn's {@code OneClassSVM} solve it (same start, SMO with second-order working-set
 * selection and shrinking, same {@code rho}), on the vectors of a feature spec. The image score is
 * minus the decision function, {@code rho - sum_i alpha_i K(x_i, x)}: higher is more anomalous,
 * positive outside the learned boundary.
 *
 * <p>Training kernel rows come from blocked engine matrix products behind an LRU row cache;
 * scoring is one matrix product of the test vectors with the support vectors.
 *
 * <pre>{@code
 * try (OcSvm svm = OcSvm.fit(train, OcSvmConfig.builder().optNu(0.1).build())) {
 *     double s = svm.score(image).score();
 * }
 * }</pre>
 */
public final class OcSvm extends VectorDetector<OcSvmConfig> {
    private final SupportVectors sv;
    private final double rho;

    private OcSvm(OcSvmConfig config, FeatureExtractor features, Provenance provenance, Calibration calibration,
            SupportVectors sv, double rho) {
        super(config, features, provenance, calibration);
        this.sv = sv;
        this.rho = rho;
    }

    /** Fits on normal images. */
    public static OcSvm fit(ImageSet normals, OcSvmConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress stages "features", "pca" and "fit". */
    public static OcSvm fit(ImageSet normals, OcSvmConfig config, ProgressListener listener) {
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        long t0 = System.nanoTime();
        Training t = extract(OcSvmConfig.TYPE, normals, config.features(), config.seed(), l);
        try {
            l.progress("fit", 0, 1);
            KernelFunction k = KernelParams.resolve(config.kernel(), config.gamma(), config.degree(), config.coef0(),
                    t.rows(), t.n(), t.d());
            OneClassSolution s = OneClassSolution.oneClassSvm(t.rows(), t.n(), t.d(), k, config.nu(),
                    new OneClassSolution.Settings(config.tol(), config.shrinking(), config.cacheMb(), config.maxIter()));
            int[] idx = s.supportIndices();
            float[] vectors = new float[idx.length * t.d()];
            double[] coef = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                System.arraycopy(t.rows(), idx[i] * t.d(), vectors, i * t.d(), t.d());
                coef[i] = s.alpha()[idx[i]];
            }
            double rho = Doubles.round(s.rho());
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("features", t.extractor().spec().toString());
            notes.put("feature_dimension", Integer.toString(t.d()));
            notes.put("gamma", Double.toString(k.gamma()));
            notes.put("rho", Double.toString(rho));
            notes.put("n_support", Integer.toString(idx.length));
            notes.put("timed_out", Boolean.toString(s.timedOut()));
            notes.putAll(s.notes());
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            SupportVectors model = new SupportVectors(k, vectors, idx.length, t.d(), Doubles.round(coef));
            l.progress("fit", 1, 1);
            return new OcSvm(config, t.extractor(), Provenance.capture(config.seed(), normals, notes), null, model,
                    rho);
        } catch (RuntimeException e) {
            t.extractor().close();
            throw e;
        }
    }

    /** Loads a saved OC-SVM. */
    public static OcSvm load(Path file) throws IOException {
        return Detectors.load(file, OcSvm.class);
    }

    static OcSvm restore(ModelArchive a) throws IOException {
        OcSvmConfig config;
        try {
            config = OcSvmConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        Model m = Model.read(a, 2);
        FeatureExtractor fx = restoreFeatures(config.features(), a);
        try {
            if (fx.dimension() != m.d()) {
                throw new CorruptModelException(a.file(), "support vectors have " + m.d() + " values, the features "
                        + fx.dimension());
            }
            KernelFunction k = new KernelFunction(config.kernel(), m.scalars()[1], config.degree(), config.coef0());
            return new OcSvm(config, fx, a.provenance(), a.calibration().orElse(null),
                    new SupportVectors(k, m.vectors(), m.m(), m.d(), m.coef()), m.scalars()[0]);
        } catch (IOException | RuntimeException e) {
            fx.close();
            throw e;
        }
    }

    /** The stored model: support vectors, coefficients and scalars (hi/lo pairs). */
    record Model(float[] vectors, int m, int d, double[] coef, double[] scalars) {
        static Model read(ModelArchive a, int scalarCount) throws CorruptModelException {
            var sv = a.tensor("sv");
            var coef = a.tensor("coef");
            var scalars = a.tensor("scalars");
            long[] s = sv.shape();
            if (s.length != 2 || s[0] < 1 || !Arrays.equals(coef.shape(), new long[] {s[0], 2})
                    || !Arrays.equals(scalars.shape(), new long[] {scalarCount, 2})) {
                throw new CorruptModelException(a.file(), "inconsistent model tensors: sv " + Arrays.toString(s)
                        + ", coef " + Arrays.toString(coef.shape()) + ", scalars " + Arrays.toString(scalars.shape()));
            }
            return new Model(sv.values(), (int) s[0], (int) s[1], Doubles.unpack(coef.values()),
                    Doubles.unpack(scalars.values()));
        }

        static void write(ModelArchive.Builder b, SupportVectors sv, double... scalars) {
            b.tensor("sv", new long[] {sv.count(), sv.dimension()}, sv.vectors());
            b.tensor("coef", new long[] {sv.count(), 2}, Doubles.pack(sv.coefficients()));
            b.tensor("scalars", new long[] {scalars.length, 2}, Doubles.pack(scalars));
        }
    }

    /** libsvm's {@code rho}. */
    public double rho() {
        return rho;
    }

    /** The kernel width in use (gamma 'scale' and 'auto' resolved on the training features). */
    public double gamma() {
        return sv.kernel().gamma();
    }

    /** Number of support vectors. */
    public int supportVectorCount() {
        return sv.count();
    }

    /**
     * scikit-learn's {@code decision_function} on feature rows ({@code n x features().dimension()},
     * row-major): {@code sum_i alpha_i K(x_i, x) - rho}, positive inside the boundary.
     */
    public double[] decisionFunction(float[] featureRows, int n) {
        ensureOpen();
        double[] f = sv.expansion(featureRows, n);
        for (int i = 0; i < n; i++) {
            f[i] -= rho;
        }
        return f;
    }

    @Override
    double[] scoreRows(float[] rows, int n) {
        double[] f = sv.expansion(rows, n);
        for (int i = 0; i < n; i++) {
            f[i] = rho - f[i];
        }
        return f;
    }

    @Override
    void writeModel(ModelArchive.Builder archive) {
        Model.write(archive, sv, rho, sv.kernel().gamma());
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
