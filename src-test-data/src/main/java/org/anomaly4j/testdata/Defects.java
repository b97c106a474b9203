package org.anomaly4j.testdata;

import java.util.ArrayList;
import java.util.List;

/**
 * Plants one defect into a {@link Scene}. Each defect is a footprint (a set of pixels, clipped to
 * the object) and a target value per footprint pixel. A footprint pixel is written, and marked in
 * the mask, only if its quantised target differs from the clean value by at least
 * {@link SyntheticDefects#MIN_DEFECT_DELTA} in some channel; every other pixel keeps its clean
 * value. So the mask is exactly the set of changed pixels, and every change is visible.
 */
final class Defects {
    private static final int ATTEMPTS = 24;

    private Defects() {
    }

    record Painted(float[] image, boolean[] mask) {
    }

    private interface Region {
        boolean contains(int x, int y);
    }

    private interface Target {
        /** Writes the target values of pixel (x, y) given its clean values. */
        void at(int x, int y, double[] clean, double[] out);
    }

    /** Bounding box [x0, x1] x [y0, y1], clipped to the image. */
    private record Box(int x0, int y0, int x1, int y1) {
        static Box around(Scene sc, double minX, double minY, double maxX, double maxY) {
            return new Box(Math.max(0, (int) Math.floor(minX)), Math.max(0, (int) Math.floor(minY)),
                    Math.min(sc.width - 1, (int) Math.ceil(maxX)), Math.min(sc.height - 1, (int) Math.ceil(maxY)));
        }
    }

    static Painted apply(Scene sc, DefectKind kind, Rng rnd) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double grow = attempt < ATTEMPTS / 2 ? 1.0 : 1.5;
            Painted p = switch (kind) {
                case SCRATCH -> scratch(sc, rnd, grow);
                case HOLE -> hole(sc, rnd, grow);
                case STAIN -> stain(sc, rnd, grow);
                case CRACK -> crack(sc, rnd, grow);
                case MISSING -> sc.kind.isObject() ? bite(sc, rnd, grow) : patch(sc, rnd, grow);
            };
            for (boolean b : p.mask()) {
                if (b) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("could not plant a visible " + kind.id() + " in a " + sc.width + "x"
                + sc.height + " " + sc.kind.id() + " image");
    }

    // ---- the defects -------------------------------------------------------------------------

    /** A thin straight segment: dark on bright content, bright on dark content. */
    private static Painted scratch(Scene sc, Rng rnd, double grow) {
        double s = sc.minSide();
        double hw = Math.max(0.5, s * 0.006);
        double len = Math.max(4, s * rnd.uniform(0.25, 0.5) * grow);
        double angle = rnd.uniform(0, Math.PI);
        double delta = rnd.uniform(0.22, 0.32);
        double[] c = pickCentre(sc, rnd, hw + 1.5);
        double dx = StrictMath.cos(angle);
        double dy = StrictMath.sin(angle);
        double[] seg = null;
        for (int k = 0; k < 16; k++) {
            seg = new double[] {c[0] - dx * len / 2, c[1] - dy * len / 2, c[0] + dx * len / 2, c[1] + dy * len / 2};
            if (sc.sdf(seg[0], seg[1]) <= -1 - hw && sc.sdf(seg[2], seg[3]) <= -1 - hw) {
                break;
            }
            len *= 0.85;
        }
        double[] sg = seg;
        Region region = (x, y) -> segmentDistance(x, y, sg) <= hw && sc.interior(x, y);
        Box box = Box.around(sc, Math.min(sg[0], sg[2]) - hw - 1, Math.min(sg[1], sg[3]) - hw - 1,
                Math.max(sg[0], sg[2]) + hw + 1, Math.max(sg[1], sg[3]) + hw + 1);
        double sign = meanGrey(sc, region, box) > 0.5 ? -1 : 1;
        return paint(sc, region, box, (x, y, clean, out) -> {
            for (int ch = 0; ch < clean.length; ch++) {
                out[ch] = clean[ch] + sign * delta;
            }
        });
    }

    /** A dark filled ellipse, slightly lighter towards its rim. */
    private static Painted hole(Scene sc, Rng rnd, double grow) {
        double s = sc.minSide();
        double a = Math.max(1.5, s * rnd.uniform(0.05, 0.09) * grow);
        double b = Math.max(1.5, a * rnd.uniform(0.6, 1.0));
        double angle = rnd.uniform(0, Math.PI);
        double[] c = pickCentre(sc, rnd, Math.max(a, b) + 1);
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        Region region = (x, y) -> ellipse(x - c[0], y - c[1], cos, sin, a, b) <= 1 && sc.interior(x, y);
        Box box = Box.around(sc, c[0] - Math.max(a, b) - 1, c[1] - Math.max(a, b) - 1, c[0] + Math.max(a, b) + 1,
                c[1] + Math.max(a, b) + 1);
        return paint(sc, region, box, (x, y, clean, out) -> {
            double rho2 = ellipse(x - c[0], y - c[1], cos, sin, a, b);
            for (int ch = 0; ch < clean.length; ch++) {
                out[ch] = 0.03 + 0.07 * rho2;
            }
        });
    }

    /** An irregular hard-edged blob whose colour and brightness shift, most strongly at its centre. */
    private static Painted stain(Scene sc, Rng rnd, double grow) {
        double s = sc.minSide();
        double r0 = Math.max(2, s * rnd.uniform(0.08, 0.13) * grow);
        double p1 = rnd.uniform(0, Scenes.TWO_PI);
        double p2 = rnd.uniform(0, Scenes.TWO_PI);
        double p3 = rnd.uniform(0, Scenes.TWO_PI);
        double lumDelta = rnd.uniform(0.18, 0.25);
        double[] hue = new double[sc.channels];
        if (sc.channels == 3) {
            double mean = 0;
            for (int ch = 0; ch < 3; ch++) {
                hue[ch] = rnd.uniform(-0.12, 0.12);
                mean += hue[ch] / 3;
            }
            for (int ch = 0; ch < 3; ch++) {
                hue[ch] -= mean; // zero mean: some channel keeps at least the full brightness change
            }
        }
        double[] c = pickCentre(sc, rnd, r0 * 1.35 + 1);
        Region region = (x, y) -> blobRho(x - c[0], y - c[1], r0, p1, p2, p3) <= 1 && sc.interior(x, y);
        double reach = r0 * 1.35 + 1;
        Box box = Box.around(sc, c[0] - reach, c[1] - reach, c[0] + reach, c[1] + reach);
        double sign = meanGrey(sc, region, box) > 0.45 ? -1 : 1;
        return paint(sc, region, box, (x, y, clean, out) -> {
            double rho = blobRho(x - c[0], y - c[1], r0, p1, p2, p3);
            double alpha = 0.7 + 0.3 * (1 - rho * rho);
            for (int ch = 0; ch < clean.length; ch++) {
                out[ch] = clean[ch] + alpha * (sign * lumDelta + hue[ch]);
            }
        });
    }

    /** A thin dark random-walk polyline, branched half of the time. */
    private static Painted crack(Scene sc, Rng rnd, double grow) {
        double s = sc.minSide();
        double hw = Math.max(0.5, s * 0.004);
        double step = Math.max(1.5, s * rnd.uniform(0.03, 0.045) * grow);
        int n = 8 + rnd.nextInt(7);
        double heading = rnd.uniform(0, Scenes.TWO_PI);
        boolean branch = rnd.nextBoolean();
        double branchTurn = (rnd.nextBoolean() ? 1 : -1) * rnd.uniform(0.6, 1.2);
        double[] start = pickCentre(sc, rnd, Math.max(1.5, s * 0.08));
        List<double[]> segments = new ArrayList<>();
        List<double[]> trunk = walk(sc, rnd, start, heading, step, n, segments);
        if (branch && trunk.size() >= 4) {
            double[] from = trunk.get(trunk.size() / 2);
            walk(sc, rnd, from, from[2] + branchTurn, step, n / 2, segments);
        }
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] g : segments) {
            minX = Math.min(minX, Math.min(g[0], g[2]));
            minY = Math.min(minY, Math.min(g[1], g[3]));
            maxX = Math.max(maxX, Math.max(g[0], g[2]));
            maxY = Math.max(maxY, Math.max(g[1], g[3]));
        }
        if (segments.size() < Math.min(4, n)) { // too short to read as a crack: try again
            return new Painted(sc.clean.clone(), new boolean[sc.width * sc.height]);
        }
        Region region = (x, y) -> {
            if (!sc.interior(x, y)) {
                return false;
            }
            for (double[] g : segments) {
                if (segmentDistance(x, y, g) <= hw) {
                    return true;
                }
            }
            return false;
        };
        Box box = Box.around(sc, minX - hw - 1, minY - hw - 1, maxX + hw + 1, maxY + hw + 1);
        return paint(sc, region, box, (x, y, clean, out) -> {
            for (int ch = 0; ch < clean.length; ch++) {
                out[ch] = clean[ch] * 0.4;
            }
        });
    }

    /**
     * Walks from {@code start}, turning away from the object's edge when a step would leave it;
     * returns the points (x, y, heading) and appends the segments.
     */
    private static List<double[]> walk(Scene sc, Rng rnd, double[] start, double heading, double step, int n,
            List<double[]> segments) {
        List<double[]> pts = new ArrayList<>();
        double x = start[0];
        double y = start[1];
        pts.add(new double[] {x, y, heading});
        for (int i = 0; i < n; i++) {
            heading += rnd.uniform(-0.55, 0.55);
            double nx = Double.NaN;
            double ny = Double.NaN;
            for (int k = 0; k < 9; k++) {
                // 0, +0.4, -0.4, +0.8, -0.8, ... radians off the intended heading
                double h = heading + ((k + 1) / 2) * 0.4 * (k % 2 == 1 ? 1 : -1);
                double cx = x + step * StrictMath.cos(h);
                double cy = y + step * StrictMath.sin(h);
                if (sc.sdf(cx, cy) <= -1.5) {
                    nx = cx;
                    ny = cy;
                    heading = h;
                    break;
                }
            }
            if (Double.isNaN(nx)) {
                break;
            }
            segments.add(new double[] {x, y, nx, ny});
            x = nx;
            y = ny;
            pts.add(new double[] {x, y, heading});
        }
        return pts;
    }

    /** Objects: a round bite out of the rim, showing the background. */
    private static Painted bite(Scene sc, Rng rnd, double grow) {
        double s = sc.minSide();
        double rb = Math.max(2, s * rnd.uniform(0.08, 0.13) * grow);
        double angle = rnd.uniform(0, Scenes.TWO_PI);
        double dx = StrictMath.cos(angle);
        double dy = StrictMath.sin(angle);
        // march outwards from the centre to the outer rim
        boolean inside = false;
        double bx = sc.cx;
        double by = sc.cy;
        for (double t = 0; t < 2 * Math.max(sc.width, sc.height); t += 0.25) {
            double px = sc.cx + dx * t;
            double py = sc.cy + dy * t;
            double d = sc.sdf(px, py);
            if (d < 0) {
                inside = true;
            } else if (inside) {
                bx = px;
                by = py;
                break;
            }
        }
        double ex = bx + dx * rb * 0.35;
        double ey = by + dy * rb * 0.35;
        Region region = (x, y) -> StrictMath.hypot(x - ex, y - ey) <= rb && sc.sdf(x, y) < 0.5;
        Box box = Box.around(sc, ex - rb - 1, ey - rb - 1, ex + rb + 1, ey + rb + 1);
        return paint(sc, region, box, backdrop(sc));
    }

    /** Textures: a rotated rectangular patch where the texture is gone and the dark backing shows. */
    private static Painted patch(Scene sc, Rng rnd, double grow) {
        double s = sc.minSide();
        double a = Math.max(2, s * rnd.uniform(0.07, 0.13) * grow);
        double b = Math.max(1.5, s * rnd.uniform(0.03, 0.06) * grow);
        double angle = rnd.uniform(0, Math.PI);
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        double[] c = pickCentre(sc, rnd, Math.max(a, b) + 1);
        Region region = (x, y) -> {
            double u = (x - c[0]) * cos + (y - c[1]) * sin;
            double v = -(x - c[0]) * sin + (y - c[1]) * cos;
            return Math.abs(u) <= a && Math.abs(v) <= b;
        };
        double reach = StrictMath.hypot(a, b) + 1;
        Box box = Box.around(sc, c[0] - reach, c[1] - reach, c[0] + reach, c[1] + reach);
        return paint(sc, region, box, backdrop(sc));
    }

    private static Target backdrop(Scene sc) {
        int plane = sc.width * sc.height;
        return (x, y, clean, out) -> {
            for (int ch = 0; ch < clean.length; ch++) {
                out[ch] = sc.backdrop[ch * plane + y * sc.width + x];
            }
        };
    }

    // ---- painting and geometry ---------------------------------------------------------------

    private static Painted paint(Scene sc, Region region, Box box, Target target) {
        int w = sc.width;
        int plane = w * sc.height;
        float[] img = sc.clean.clone();
        boolean[] mask = new boolean[plane];
        double[] clean = new double[sc.channels];
        double[] out = new double[sc.channels];
        float[] quantised = new float[sc.channels];
        for (int y = box.y0(); y <= box.y1(); y++) {
            for (int x = box.x0(); x <= box.x1(); x++) {
                if (!region.contains(x, y)) {
                    continue;
                }
                int i = y * w + x;
                for (int ch = 0; ch < sc.channels; ch++) {
                    clean[ch] = sc.clean[ch * plane + i];
                }
                target.at(x, y, clean, out);
                double change = 0;
                for (int ch = 0; ch < sc.channels; ch++) {
                    quantised[ch] = Scenes.q(out[ch]);
                    change = Math.max(change, Math.abs(quantised[ch] - sc.clean[ch * plane + i]));
                }
                if (change >= SyntheticDefects.MIN_DEFECT_DELTA - 1e-6) {
                    for (int ch = 0; ch < sc.channels; ch++) {
                        img[ch * plane + i] = quantised[ch];
                    }
                    mask[i] = true;
                }
            }
        }
        return new Painted(img, mask);
    }

    private static double meanGrey(Scene sc, Region region, Box box) {
        double sum = 0;
        int n = 0;
        for (int y = box.y0(); y <= box.y1(); y++) {
            for (int x = box.x0(); x <= box.x1(); x++) {
                if (region.contains(x, y)) {
                    sum += sc.grey(x, y);
                    n++;
                }
            }
        }
        return n == 0 ? 0.5 : sum / n;
    }

    /**
     * A point whose distance inside the object is at least {@code margin}; the margin halves when
     * no such point turns up, and the most interior pixel is the last resort.
     */
    private static double[] pickCentre(Scene sc, Rng rnd, double margin) {
        for (double m = margin; m >= 0.5; m /= 2) {
            for (int t = 0; t < 400; t++) {
                double x = rnd.uniform(0, sc.width - 1);
                double y = rnd.uniform(0, sc.height - 1);
                if (sc.sdf(x, y) <= -m) {
                    return new double[] {x, y};
                }
            }
        }
        double best = Double.MAX_VALUE;
        double[] at = {sc.cx, sc.cy};
        for (int y = 0; y < sc.height; y++) {
            for (int x = 0; x < sc.width; x++) {
                double d = sc.sdf(x, y);
                if (d < best) {
                    best = d;
                    at = new double[] {x, y};
                }
            }
        }
        return at;
    }

    /** Distance from (x, y) to the segment {x0, y0, x1, y1}. */
    static double segmentDistance(double x, double y, double[] g) {
        double vx = g[2] - g[0];
        double vy = g[3] - g[1];
        double len2 = vx * vx + vy * vy;
        double t = len2 == 0 ? 0 : Scenes.clamp(((x - g[0]) * vx + (y - g[1]) * vy) / len2, 0, 1);
        return StrictMath.hypot(x - g[0] - t * vx, y - g[1] - t * vy);
    }

    /** (u/a)^2 + (v/b)^2 for the offset (dx, dy) rotated by the ellipse's angle. */
    private static double ellipse(double dx, double dy, double cos, double sin, double a, double b) {
        double u = dx * cos + dy * sin;
        double v = -dx * sin + dy * cos;
        return (u * u) / (a * a) + (v * v) / (b * b);
    }

    /** Radius of a point relative to the wobbly blob outline: <= 1 inside. */
    private static double blobRho(double dx, double dy, double r0, double p1, double p2, double p3) {
        double phi = StrictMath.atan2(dy, dx);
        double r = r0 * (1 + 0.18 * StrictMath.sin(2 * phi + p1) + 0.10 * StrictMath.sin(3 * phi + p2)
                + 0.06 * StrictMath.sin(5 * phi + p3));
        return StrictMath.hypot(dx, dy) / r;
    }
}
