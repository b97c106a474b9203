package org.anomaly4j.features;

import java.util.Arrays;

import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.io.TensorData;
import org.anomaly4j.tensor.Pca;

/**
 * How an extractor lives in a detector archive, every tensor name starting with the caller's prefix:
 * <ul>
 *   <li>{@code <prefix>spec}: {@code [L]}, the fitted canonical spec string, one UTF-16 code unit per value;</li>
 *   <li>with a PCA: {@code <prefix>pca.mean} {@code [d]}, {@code <prefix>pca.components} {@code [k, d]} (rows),
 *       {@code <prefix>pca.variance} {@code [k]}, {@code <prefix>pca.total} {@code [1]}; whitening follows
 *       the spec.</li>
 * </ul>
 */
final class Stored {
    static final String SPEC = "spec";
    static final String PCA_MEAN = "pca.mean";
    static final String PCA_COMPONENTS = "pca.components";
    static final String PCA_VARIANCE = "pca.variance";
    static final String PCA_TOTAL = "pca.total";

    private Stored() {
    }

    static void write(ModelArchive.Builder archive, String prefix, FeatureSpec fitted, Pca pca) {
        String s = fitted.toString();
        float[] chars = new float[s.length()];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = s.charAt(i);
        }
        archive.tensor(prefix + SPEC, new long[] {chars.length}, chars);
        if (pca != null) {
            int d = pca.dimension();
            int k = pca.components();
            archive.tensor(prefix + PCA_MEAN, new long[] {d}, toFloat(pca.mean()));
            archive.tensor(prefix + PCA_COMPONENTS, new long[] {k, d}, toFloat(pca.componentMatrix()));
            archive.tensor(prefix + PCA_VARIANCE, new long[] {k}, toFloat(pca.explainedVariance()));
            archive.tensor(prefix + PCA_TOTAL, new long[] {1}, new float[] {(float) pca.totalVariance()});
        }
    }

    static FeatureSpec readSpec(ModelArchive archive, String prefix) throws CorruptModelException {
        TensorData t = archive.tensor(prefix + SPEC);
        float[] v = t.values();
        if (t.shape().length != 1 || v.length == 0) {
            throw new CorruptModelException(archive.file(), "tensor " + t.name() + " must be a non-empty vector");
        }
        char[] c = new char[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 1 || v[i] > Character.MAX_VALUE) {
                throw new CorruptModelException(archive.file(), "tensor " + t.name() + " is not a spec string");
            }
            c[i] = (char) v[i];
        }
        String s = new String(c);
        try {
            FeatureSpec spec = FeatureSpec.parse(s);
            if (!spec.isResolved()) {
                throw new CorruptModelException(archive.file(), "stored features '" + s + "' are not a fitted spec");
            }
            return spec;
        } catch (InvalidConfigException e) {
            throw new CorruptModelException(archive.file(), "stored features '" + s + "' do not parse: "
                    + e.getMessage(), e);
        }
    }

    /** The stored PCA, checked against the raw dimension and the spec; null when the spec has none. */
    static Pca readPca(ModelArchive archive, String prefix, FeatureSpec fitted, int rawDimension)
            throws CorruptModelException {
        if (!fitted.hasPca()) {
            return null;
        }
        TensorData mean = archive.tensor(prefix + PCA_MEAN);
        TensorData comps = archive.tensor(prefix + PCA_COMPONENTS);
        TensorData var = archive.tensor(prefix + PCA_VARIANCE);
        TensorData total = archive.tensor(prefix + PCA_TOTAL);
        long[] cs = comps.shape();
        int k = var.values().length;
        if (!Arrays.equals(mean.shape(), new long[] {rawDimension}) || cs.length != 2 || cs[0] != k
                || cs[1] != rawDimension || var.shape().length != 1 || k < 1 || total.values().length != 1) {
            throw new CorruptModelException(archive.file(), "PCA tensors under '" + prefix + "' have shapes mean "
                    + Arrays.toString(mean.shape()) + ", components " + Arrays.toString(cs) + ", variance "
                    + Arrays.toString(var.shape()) + "; expected [" + rawDimension + "], [k, " + rawDimension
                    + "], [k] for features '" + fitted + "'");
        }
        if (fitted.pcaComponents() > 0 && k != fitted.pcaComponents()) {
            throw new CorruptModelException(archive.file(), "stored PCA has " + k + " components, features '"
                    + fitted + "' ask for " + fitted.pcaComponents());
        }
        for (float x : var.values()) {
            if (!(x > 0) && fitted.whiten() || !Float.isFinite(x)) {
                throw new CorruptModelException(archive.file(), "stored PCA variance " + x + " is not usable");
            }
        }
        return Pca.of(toDouble(mean.values()), toDouble(comps.values()), toDouble(var.values()),
                total.values()[0], fitted.whiten());
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
