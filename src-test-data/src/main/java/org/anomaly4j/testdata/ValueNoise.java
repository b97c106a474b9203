package org.anomaly4j.testdata;

/** Smooth seeded value noise in [0, 1): random lattice values, smoothstep-interpolated. */
final class ValueNoise {
    private final int gw;
    private final int gh;
    private final double[] lattice;
    private final double cellX;
    private final double cellY;

    ValueNoise(Rng rnd, int width, int height, double cellX, double cellY) {
        this.cellX = Math.max(1.0, cellX);
        this.cellY = Math.max(1.0, cellY);
        this.gw = (int) Math.ceil(width / this.cellX) + 2;
        this.gh = (int) Math.ceil(height / this.cellY) + 2;
        this.lattice = new double[gw * gh];
        for (int i = 0; i < lattice.length; i++) {
            lattice[i] = rnd.nextDouble();
        }
    }

    double at(double x, double y) {
        double fx = Math.max(0, x) / cellX;
        double fy = Math.max(0, y) / cellY;
        int ix = Math.min(gw - 2, (int) fx);
        int iy = Math.min(gh - 2, (int) fy);
        double tx = smooth(Math.min(1, fx - ix));
        double ty = smooth(Math.min(1, fy - iy));
        double a = lattice[iy * gw + ix];
        double b = lattice[iy * gw + ix + 1];
        double c = lattice[(iy + 1) * gw + ix];
        double d = lattice[(iy + 1) * gw + ix + 1];
        double top = a + (b - a) * tx;
        double bottom = c + (d - c) * tx;
        return top + (bottom - top) * ty;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }
}
