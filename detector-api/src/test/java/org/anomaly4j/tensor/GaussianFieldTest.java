package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.io.TensorData;
import org.junit.jupiter.api.Test;

/**
 * {@link GaussianField} (one Gaussian per position, PaDiM) against scikit-learn 1.2.1 per position.
 * Embeddings carry a large offset (1000 * (p + 1)) to exercise the shifted sums. Constants from:
 *
 * <pre>
 * import numpy as np
 * from sklearn.covariance import LedoitWolf
 * # data() and arr() as in GaussianModelTest
 * n, d, P = 9, 3, 4
 * E = np.stack([data(n, d, phase=0.4 * p) * (1 + p) + 1000.0 * (p + 1) for p in range(P)], axis=2)  # [n,d,P]
 * Qf = np.stack([data(2, d, phase=2.0 + 0.4 * p) * (1 + p) + 1000.0 * (p + 1) for p in range(P)], axis=2)  # [2,d,P]
 * sh, m_lw, m_r = [], [], []
 * for p in range(P):
 *     lw = LedoitWolf().fit(E[:, :, p]); sh.append(lw.shrinkage_)
 *     m_lw.append(lw.mahalanobis(Qf[:, :, p]))
 *     rc = np.cov(E[:, :, p], rowvar=False) + 0.01 * np.eye(d); df = Qf[:, :, p] - E[:, :, p].mean(0)
 *     m_r.append(np.einsum('ij,jk,ik->i', df, np.linalg.inv(rc), df))
 * arr("FIELD_LW_SHRINKAGE", sh); arr("FIELD_LW_MAHA", np.array(m_lw).T); arr("FIELD_RIDGE_MAHA", np.array(m_r).T)
 * arr("FIELD_MEAN", E.mean(0).T)
 * </pre>
 */
class GaussianFieldTest {
    private static final int N = 9;
    private static final int D = 3;
    private static final int P = 4;
    static final double[] FIELD_LW_SHRINKAGE = {0.7150839993046422, 0.5263753431775734, 0.4050266260614035, 0.386968946483475};
    static final double[] FIELD_LW_MAHA = {2.1512848345093105, 0.5323304962550743, 0.2971384768264648, 1.0489348935549534, 4.59196099683015, 3.511761811655828, 2.7757960815199096, 2.602878751490154};
    static final double[] FIELD_RIDGE_MAHA = {2.5015676141587044, 0.862004390460436, 0.32934195135021255, 0.7647965922150814, 3.73378106035019, 3.139354828631999, 2.704546943386931, 2.943683079817411};
    static final double[] FIELD_MEAN = {1000.0571592773651, 1000.1298259838456, 1000.0606968288531, 2000.1776235283662, 2000.2764198808093, 2000.0901946482356, 3000.325292211552, 3000.3746908724656, 3000.065800801993, 4000.4516751676547, 4000.3679554494947, 3999.979450804412};

    /** {@code [n, D, P]} embeddings of the snippet, row-major, in double. */
    static double[] embeddings(int n, double phase0) {
        double[] e = new double[n * D * P];
        for (int p = 0; p < P; p++) {
            float[] x = GaussianModelTest.data(n, D, phase0 + 0.4 * p);
            double[] xd = dataD(n, D, phase0 + 0.4 * p);
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < D; i++) {
                    e[(k * D + i) * P + p] = xd[k * D + i] * (1 + p) + 1000.0 * (p + 1);
                }
            }
            assertEquals(x.length, xd.length);
        }
        return e;
    }

    static double[] dataD(int n, int d, double phase) {
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = Math.sin(0.9 * i * (j + 1) + 0.3 * j + phase) * (j + 1) * 0.5
                        + 0.1 * Math.cos(1.7 * i + j * j);
            }
        }
        return x;
    }

    private static GaussianField fit(NDManager m, CovarianceEstimator est, int... batchSizes) {
        return fit(m, est, DataType.FLOAT64, batchSizes);
    }

    private static GaussianField fit(NDManager m, CovarianceEstimator est, DataType sums, int... batchSizes) {
        double[] e = embeddings(N, 0);
        try (GaussianField.Accumulator acc = GaussianField.accumulator(m, D, P, sums)) {
            int from = 0;
            for (int b : batchSizes) {
                double[] part = java.util.Arrays.copyOfRange(e, from * D * P, (from + b) * D * P);
                try (NDArray x = m.create(part, new Shape(b, D, P))) {
                    acc.add(x);
                }
                from += b;
            }
            assertEquals(N, acc.count());
            return acc.fit(est);
        }
    }

    @Test
    void givenEmbeddingsInBatches_whenLedoitWolfFieldFitted_thenEachPositionMatchesSklearn() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                GaussianField f = fit(m, CovarianceEstimator.ledoitWolf(), 2, 3, 4)) {
            assertArrayEquals(FIELD_LW_SHRINKAGE, f.shrinkage(), 1e-9);
            float[] mean = f.means();
            for (int i = 0; i < mean.length; i++) {
                assertEquals(FIELD_MEAN[i], mean[i], 1e-3);
            }
            try (NDArray q = m.create(embeddings(2, 2.0), new Shape(2, D, P))) {
                float[] d2 = f.squaredMahalanobis(q).toFloatArray();
                for (int i = 0; i < d2.length; i++) {
                    assertEquals(FIELD_LW_MAHA[i], d2[i], 2e-3 * FIELD_LW_MAHA[i] + 1e-3, "entry " + i);
                }
            }
        }
    }

    @Test
    void givenRidgeEstimator_whenFitted_thenMatchesNumpyCovPlusEpsIdentity() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                GaussianField f = fit(m, CovarianceEstimator.ridge(0.01), 9)) {
            try (NDArray q = m.create(embeddings(2, 2.0), new Shape(2, D, P))) {
                float[] d2 = f.squaredMahalanobis(q).toFloatArray();
                for (int i = 0; i < d2.length; i++) {
                    assertEquals(FIELD_RIDGE_MAHA[i], d2[i], 2e-3 * FIELD_RIDGE_MAHA[i] + 1e-3, "entry " + i);
                }
            }
        }
    }

    @Test
    void givenFloat32Sums_whenRidgeFieldFitted_thenMatchesNumpyAsFloat64SumsDo() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                GaussianField f = fit(m, CovarianceEstimator.ridge(0.01), DataType.FLOAT32, 4, 5)) {
            try (NDArray q = m.create(embeddings(2, 2.0), new Shape(2, D, P))) {
                float[] d2 = f.squaredMahalanobis(q).toFloatArray();
                for (int i = 0; i < d2.length; i++) {
                    assertEquals(FIELD_RIDGE_MAHA[i], d2[i], 2e-3 * FIELD_RIDGE_MAHA[i] + 1e-3, "entry " + i);
                }
            }
        }
    }

    @Test
    void givenAnIntegerSumType_whenAccumulatorAsked_thenRejected() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            assertThrows(IllegalArgumentException.class, () -> GaussianField.accumulator(m, D, P, DataType.INT32));
        }
    }

    @Test
    void givenOnePosition_whenFitted_thenAgreesWithGaussianModel() {
        float[] x = GaussianModelTest.data(40, 5, 0);
        GaussianModel g = GaussianModel.fit(x, 40, 5, CovarianceEstimator.ledoitWolf());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            GaussianField f;
            try (GaussianField.Accumulator acc = GaussianField.accumulator(m, 5, 1);
                    NDArray a = m.create(x, new Shape(40, 5, 1))) {
                f = acc.add(a).fit(CovarianceEstimator.ledoitWolf());
            }
            try (f; NDArray q = m.create(GaussianModelTest.data(3, 5, 1.0), new Shape(3, 5, 1))) {
                assertEquals(g.shrinkage(), f.shrinkage()[0], 1e-9);
                float[] got = f.squaredMahalanobis(q).toFloatArray();
                double[] want = g.squaredMahalanobis(GaussianModelTest.data(3, 5, 1.0), 3);
                for (int i = 0; i < 3; i++) {
                    assertEquals(want[i], got[i], 1e-4 * want[i]);
                }
            }
        }
    }

    @Test
    void givenSpatialQuery_whenMapComputed_thenShapedLikeTheGridAndNoArraysLeak() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int before = Tensors.liveArrays(m);
            try (GaussianField f = fit(m, CovarianceEstimator.ridge(0.01), 4, 5)) {
                int fitted = Tensors.liveArrays(m);
                assertEquals(before + 2, fitted); // mean and precision only
                try (NDManager call = m.newSubManager()) {
                    NDArray q = call.create(embeddings(2, 2.0), new Shape(2, D, 2, 2)).toType(DataType.FLOAT32, false);
                    NDArray map = f.mahalanobis(q);
                    assertEquals(new Shape(2, 2, 2), map.getShape());
                    float[] v = map.toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        assertEquals(Math.sqrt(FIELD_RIDGE_MAHA[i]), v[i], 2e-3 * Math.sqrt(FIELD_RIDGE_MAHA[i]));
                    }
                    NDArray single = f.squaredMahalanobis(q.get(0).reshape(D, P));
                    assertEquals(new Shape(P), single.getShape());
                }
                assertEquals(fitted, Tensors.liveArrays(m));
            }
            assertEquals(before, Tensors.liveArrays(m));
        }
    }

    @Test
    void givenFittedField_whenSavedAndRestored_thenSameMap() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                GaussianField f = fit(m, CovarianceEstimator.ledoitWolf(), 9)) {
            List<TensorData> data = f.toData("padim");
            try (GaussianField back = GaussianField.fromData(m, data.get(0), data.get(1));
                    NDArray q = m.create(embeddings(2, 2.0), new Shape(2, D, P)).toType(DataType.FLOAT32, false)) {
                assertArrayEquals(f.squaredMahalanobis(q).toFloatArray(), back.squaredMahalanobis(q).toFloatArray(), 0f);
                assertEquals(-1, back.samples());
            }
        }
    }

    @Test
    void givenWrongShapes_whenAddedOrScored_thenClearErrors() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                GaussianField.Accumulator acc = GaussianField.accumulator(m, D, P)) {
            assertThrows(IllegalArgumentException.class, () -> acc.add(m.zeros(new Shape(2, D + 1, P))));
            assertThrows(IllegalStateException.class, () -> acc.fit(CovarianceEstimator.ridge(0.01)));
        }
    }
}
