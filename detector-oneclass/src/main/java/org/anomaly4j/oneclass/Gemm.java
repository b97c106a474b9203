package org.anomaly4j.oneclass;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Dot products of Java rows with a matrix resident in native memory, one engine matrix product per
 * block ({@code A [b, d] x B^T [d, m]}, with {@code B^T} stored transposed and contiguous).
 *
 * <p><b>Reproducibility.</b> Blocks are never thinner than {@value #MIN_ROWS} rows (thinner ones are
 * padded with zero rows): the engine then always takes its matrix-matrix path, whose value for a
 * row does not depend on the other rows of the block nor on the block's height (a one-row product
 * would take the matrix-vector path, which rounds differently). So a detector scores an image the
 * same whether alone ({@code score}) or within a batch ({@code scoreAll}); the unit tests check it.
 */
final class Gemm {
    /** The least block height sent to the engine. */
    static final int MIN_ROWS = 8;
    /** Rows per engine call for large inputs. */
    static final int BLOCK_ROWS = 1024;

    private Gemm() {
    }

    /**
     * {@code a[i] . b[j]} for the {@code rows x d} row-major {@code a} and the transposed matrix
     * {@code bT} ({@code [d, m]}, contiguous): a {@code rows x m} row-major array. Temporaries live in
     * a sub-manager of {@code owner}; nothing is added to {@code bT}'s manager, so concurrent calls are safe.
     */
    static float[] dots(NDManager owner, NDArray bT, float[] a, int rows, int d) {
        long m = bT.getShape().get(1);
        if (bT.getShape().get(0) != d) {
            throw new IllegalArgumentException("rows have " + d + " values, matrix " + bT.getShape());
        }
        float[] out = new float[Math.toIntExact(rows * m)];
        for (int from = 0; from < rows; from += BLOCK_ROWS) {
            int count = Math.min(BLOCK_ROWS, rows - from);
            int height = Math.max(count, MIN_ROWS);
            float[] block = count == height && from == 0 && count == rows ? a
                    : Arrays.copyOfRange(a, from * d, (from + height) * d);
            if (count < height) {
                Arrays.fill(block, count * d, height * d, 0f); // copyOfRange padded past the end already
            }
            try (NDManager step = owner.newSubManager()) {
                NDArray x = step.create(block, new Shape(height, d));
                float[] r = x.matMul(bT).toFloatArray();
                System.arraycopy(r, 0, out, Math.toIntExact(from * m), Math.toIntExact(count * m));
            }
        }
        return out;
    }
}
