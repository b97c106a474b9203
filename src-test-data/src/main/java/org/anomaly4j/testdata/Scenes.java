package org.anomaly4j.testdata;

/**
 * Renders the defect-free content of each {@link Kind}. All jitter comes from the given stream, all
 * trigonometry from {@link StrictMath}, and every output value is quantised to a multiple of 1/255.
 */
final class Scenes {
    static final double TWO_PI = 2 * Math.PI;
    /** Per-pixel sensor noise (standard deviation). */
    static final double NOISE = 0.012;

    private Scenes() {
    }

    /** Luminance of the content (objects: of the object only) plus its colour and shape. */
    private record Content(double[] lum, double[] tint, Scene.Sdf shape, double cx, double cy) {
    }

    static Scene render(Kind kind, int w, int h, int channels, Rng rnd) {
        double bright = 1 + rnd.uniform(-0.04, 0.04);
        Content content = switch (kind) {
            case WEAVE -> weave(w, h, rnd);
            case GRAIN -> grain(w, h, rnd);
            case GRID -> grid(w, h, rnd);
            case DISC -> disc(w, h, rnd);
            case NUT -> nut(w, h, rnd);
            case TILE -> tile(w, h, rnd);
        };
        int plane = w * h;
        float[] clean = new float[channels * plane];
        float[] backdrop = new float[channels * plane];
        double[] tint = channelTint(content.tint(), channels);
        if (!kind.isObject()) {
            Scene.Sdf border = (x, y) -> -Math.min(Math.min(x + 1, w - x), Math.min(y + 1, h - y));
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < plane; i++) {
                    clean[c * plane + i] = q(content.lum()[i] * bright * tint[c] + NOISE * rnd.gauss());
                    backdrop[c * plane + i] = q(0.08 * bright * tint[c] + NOISE * rnd.gauss());
                }
            }
            return new Scene(kind, w, h, channels, clean, backdrop, border, (w - 1) / 2.0, (h - 1) / 2.0);
        }
        // an object over a dark, slightly graded background
        double[] bgTint = channelTint(new double[] {0.95, 1.0, 1.05}, channels);
        double[] cov = new double[plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                cov[y * w + x] = clamp(0.5 - content.shape().at(x, y), 0, 1);
            }
        }
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                double bgLum = 0.14 + 0.06 * y / h;
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    double bg = bgLum * bright * bgTint[c] + NOISE * rnd.gauss();
                    double obj = content.lum()[i] * bright * tint[c] + NOISE * rnd.gauss();
                    clean[c * plane + i] = q(cov[i] * obj + (1 - cov[i]) * bg);
                    backdrop[c * plane + i] = q(bg);
                }
            }
        }
        return new Scene(kind, w, h, channels, clean, backdrop, content.shape(), content.cx(), content.cy());
    }

    /** RGB tint, or its luma for grey images. */
    private static double[] channelTint(double[] rgb, int channels) {
        if (channels == 1) {
            return new double[] {0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]};
        }
        return rgb;
    }

    /** Crossed sinusoidal gratings: warp and weft threads. */
    private static Content weave(int w, int h, Rng rnd) {
        double s = Math.min(w, h);
        double period = Math.max(4.0, s / 10.0);
        double theta = 0.35 + rnd.uniform(-0.05, 0.05);
        double phiU = rnd.uniform(-0.6, 0.6);
        double phiV = rnd.uniform(-0.6, 0.6);
        ValueNoise low = new ValueNoise(rnd, w, h, s / 3, s / 3);
        double cos = StrictMath.cos(theta);
        double sin = StrictMath.sin(theta);
        double ox = (w - 1) / 2.0;
        double oy = (h - 1) / 2.0;
        double[] lum = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (x - ox) * cos + (y - oy) * sin;
                double v = -(x - ox) * sin + (y - oy) * cos;
                double a = StrictMath.sin(TWO_PI * u / period + phiU);
                double b = StrictMath.sin(TWO_PI * v / period + phiV);
                lum[y * w + x] = 0.5 + 0.1 * a + 0.1 * b + 0.06 * a * b + 0.06 * (low.at(x, y) - 0.5);
            }
        }
        return new Content(lum, new double[] {0.62, 0.74, 0.98}, null, ox, oy);
    }

    /** Wood-like grain: rings bent by smooth noise, plus fibres along x. */
    private static Content grain(int w, int h, Rng rnd) {
        double s = Math.min(w, h);
        double period = Math.max(4.0, s / 7.0);
        double phi = rnd.uniform(0, TWO_PI);
        ValueNoise bend = new ValueNoise(rnd, w, h, s / 3, s / 3);
        ValueNoise fibres = new ValueNoise(rnd, w, h, s / 2.5, Math.max(1.5, s / 30));
        ValueNoise fine = new ValueNoise(rnd, w, h, s / 6, 1.5);
        double[] lum = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double warp = 1.6 * period * (bend.at(x, y) - 0.5);
                lum[y * w + x] = 0.5 + 0.09 * StrictMath.sin(TWO_PI * (y + warp) / period + phi)
                        + 0.1 * (fibres.at(x, y) - 0.5) + 0.06 * (fine.at(x, y) - 0.5);
            }
        }
        return new Content(lum, new double[] {1.0, 0.74, 0.48}, null, (w - 1) / 2.0, (h - 1) / 2.0);
    }

    /** Soft dark grid lines over knobbly cells. */
    private static Content grid(int w, int h, Rng rnd) {
        double s = Math.min(w, h);
        double period = Math.max(6.0, s / 8.0);
        double theta = rnd.uniform(-0.015, 0.015);
        double offU = rnd.uniform(-period / 10, period / 10);
        double offV = rnd.uniform(-period / 10, period / 10);
        double sigma = Math.max(0.6, period / 16);
        ValueNoise low = new ValueNoise(rnd, w, h, s / 4, s / 4);
        double cos = StrictMath.cos(theta);
        double sin = StrictMath.sin(theta);
        double ox = (w - 1) / 2.0;
        double oy = (h - 1) / 2.0;
        double[] lum = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (x - ox) * cos + (y - oy) * sin - offU;
                double v = -(x - ox) * sin + (y - oy) * cos - offV;
                double mu = ((u % period) + period) % period;
                double mv = ((v % period) + period) % period;
                double du = Math.min(mu, period - mu);
                double dv = Math.min(mv, period - mv);
                double line = Math.max(StrictMath.exp(-du * du / (2 * sigma * sigma)),
                        StrictMath.exp(-dv * dv / (2 * sigma * sigma)));
                double knob = (1 - StrictMath.cos(TWO_PI * mu / period)) * (1 - StrictMath.cos(TWO_PI * mv / period))
                        / 4;
                lum[y * w + x] = 0.52 + 0.12 * knob - 0.3 * line + 0.06 * (low.at(x, y) - 0.5);
            }
        }
        return new Content(lum, new double[] {0.8, 0.92, 0.72}, null, ox, oy);
    }

    /** A shaded dome-like metal disc with a groove, lit from the upper left. */
    private static Content disc(int w, int h, Rng rnd) {
        double s = Math.min(w, h);
        double r = 0.36 * s * (1 + rnd.uniform(-0.02, 0.02));
        double cx = (w - 1) / 2.0 + 0.03 * s * rnd.uniform(-1, 1);
        double cy = (h - 1) / 2.0 + 0.03 * s * rnd.uniform(-1, 1);
        double[] light = normalise(-0.45, -0.55, 0.7);
        double groove = 0.62 * r;
        double grooveWidth = 0.025 * r + 0.5;
        double[] lum = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x - cx) / r;
                double dy = (y - cy) / r;
                double rr = Math.min(1, dx * dx + dy * dy);
                double nz = Math.sqrt(1 - rr);
                double shade = Math.max(0, dx * light[0] + dy * light[1] + nz * light[2]);
                double d = Math.sqrt(rr) * r - groove;
                lum[y * w + x] = 0.34 + 0.46 * shade - 0.12 * StrictMath.exp(-d * d / (grooveWidth * grooveWidth));
            }
        }
        Scene.Sdf shape = (x, y) -> StrictMath.hypot(x - cx, y - cy) - r;
        return new Content(lum, new double[] {0.92, 0.95, 1.0}, shape, cx, cy);
    }

    /** A hexagonal brass nut with a central hole and turning marks. */
    private static Content nut(int w, int h, Rng rnd) {
        double s = Math.min(w, h);
        double inner = 0.34 * s * (1 + rnd.uniform(-0.02, 0.02)); // inradius of the hexagon
        double hole = 0.14 * s;
        double cx = (w - 1) / 2.0 + 0.02 * s * rnd.uniform(-1, 1);
        double cy = (h - 1) / 2.0 + 0.02 * s * rnd.uniform(-1, 1);
        double theta = rnd.uniform(-0.07, 0.07);
        double phi = rnd.uniform(0, TWO_PI);
        double marks = Math.max(3.0, s / 25);
        double cos = StrictMath.cos(theta);
        double sin = StrictMath.sin(theta);
        Scene.Sdf shape = (x, y) -> {
            double px = (x - cx) * cos + (y - cy) * sin;
            double py = -(x - cx) * sin + (y - cy) * cos;
            return Math.max(hexagon(px, py, inner), hole - StrictMath.hypot(px, py));
        };
        double chamfer = Math.max(1.0, 0.035 * s);
        double[] lum = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x - cx;
                double dy = y - cy;
                double dist = StrictMath.hypot(dx, dy);
                double l = 0.55 - 0.1 * (dx + dy) / (Math.sqrt(2) * inner)
                        + 0.035 * StrictMath.sin(TWO_PI * dist / marks + phi);
                double toHole = dist - hole;
                if (toHole >= 0 && toHole < chamfer) {
                    l += 0.15 * (1 - toHole / chamfer);
                }
                double px = dx * cos + dy * sin;
                double py = -dx * sin + dy * cos;
                double toRim = -hexagon(px, py, inner);
                if (toRim >= 0 && toRim < chamfer) {
                    l -= 0.12 * (1 - toRim / chamfer);
                }
                lum[y * w + x] = l;
            }
        }
        return new Content(lum, new double[] {1.0, 0.84, 0.45}, shape, cx, cy);
    }

    /** A rounded-square ceramic tile with a bevel and a printed ring. */
    private static Content tile(int w, int h, Rng rnd) {
        double s = Math.min(w, h);
        double half = 0.34 * s;
        double corner = 0.07 * s;
        double cx = (w - 1) / 2.0 + 0.02 * s * rnd.uniform(-1, 1);
        double cy = (h - 1) / 2.0 + 0.02 * s * rnd.uniform(-1, 1);
        double theta = rnd.uniform(-0.05, 0.05);
        double cos = StrictMath.cos(theta);
        double sin = StrictMath.sin(theta);
        Scene.Sdf shape = (x, y) -> {
            double px = (x - cx) * cos + (y - cy) * sin;
            double py = -(x - cx) * sin + (y - cy) * cos;
            return roundedBox(px, py, half, corner);
        };
        double bevel = Math.max(1.0, 0.05 * s);
        double ring = 0.15 * s;
        double ringWidth = 0.02 * s + 0.5;
        double[] lum = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double px = (x - cx) * cos + (y - cy) * sin;
                double py = -(x - cx) * sin + (y - cy) * cos;
                double l = 0.68;
                double sd = roundedBox(px, py, half, corner);
                if (sd > -bevel) {
                    double t = Math.min(1, (sd + bevel) / bevel);
                    double nx = Math.abs(px) >= Math.abs(py) ? Math.signum(px) : 0;
                    double ny = Math.abs(px) >= Math.abs(py) ? 0 : Math.signum(py);
                    l += 0.2 * t * (-0.7 * nx - 0.7 * ny);
                }
                double d = StrictMath.hypot(px, py) - ring;
                l -= 0.25 * StrictMath.exp(-d * d / (ringWidth * ringWidth));
                lum[y * w + x] = l;
            }
        }
        return new Content(lum, new double[] {0.97, 0.9, 0.8}, shape, cx, cy);
    }

    /** Signed distance to a regular hexagon with inradius {@code r} (flat sides at top and bottom). */
    static double hexagon(double px, double py, double r) {
        final double kx = -0.8660254037844386;
        final double ky = 0.5;
        final double kz = 0.5773502691896258;
        px = Math.abs(px);
        py = Math.abs(py);
        double d = 2 * Math.min(kx * px + ky * py, 0);
        px -= d * kx;
        py -= d * ky;
        px -= clamp(px, -kz * r, kz * r);
        py -= r;
        return StrictMath.hypot(px, py) * Math.signum(py);
    }

    /** Signed distance to a square of half side {@code half} with corners rounded by {@code corner}. */
    static double roundedBox(double px, double py, double half, double corner) {
        double qx = Math.abs(px) - (half - corner);
        double qy = Math.abs(py) - (half - corner);
        return StrictMath.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - corner;
    }

    private static double[] normalise(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }

    static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : v > hi ? hi : v;
    }

    /** Clamps to [0, 1] and quantises to a multiple of 1/255. */
    static float q(double v) {
        long k = Math.round(clamp(v, 0, 1) * 255.0);
        return k / 255f;
    }
}
