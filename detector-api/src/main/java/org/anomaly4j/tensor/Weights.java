package org.anomaly4j.tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Where a built-in architecture's parameters come from, by torchvision name: a safetensors file
 * (shapes checked), or a seeded random initialisation (each tensor from its own stream seeded by
 * the seed and the tensor's name, so the same seed gives the same weights whatever the order of
 * construction).
 */
abstract class Weights {

    /** How a tensor is initialised when no file gives it. */
    record Init(Kind kind, double scale) {
        enum Kind { CONSTANT, NORMAL, UNIFORM }

        /** Every value {@code v}. */
        static Init constant(double v) {
            return new Init(Kind.CONSTANT, v);
        }

        /** Normal(0, std). */
        static Init normal(double std) {
            return new Init(Kind.NORMAL, std);
        }

        /** Uniform(-bound, bound). */
        static Init uniform(double bound) {
            return new Init(Kind.UNIFORM, bound);
        }

        /** torchvision's conv init: kaiming_normal_(mode="fan_out", nonlinearity="relu"). */
        static Init kaimingFanOut(long[] convShape) {
            long fanOut = convShape[0];
            for (int i = 2; i < convShape.length; i++) {
                fanOut *= convShape[i];
            }
            return normal(Math.sqrt(2.0 / fanOut));
        }
    }

    /** The tensor {@code name} of exactly {@code shape}, as float32 row-major. */
    abstract float[] tensor(String name, long[] shape, Init init);

    /** Whether the source holds {@code name} (random sources hold everything). */
    abstract boolean has(String name);

    /** A source reading a torchvision-named safetensors file. */
    static Weights file(Path file) {
        SafeTensors st;
        try {
            st = SafeTensors.open(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BackboneException("weights file not found: " + file, file, null, e);
        } catch (SafeTensorsException e) {
            throw new BackboneException("bad weights file: " + e.getMessage(), file, e.tensor().orElse(null), e);
        } catch (IOException e) {
            throw new BackboneException("cannot read weights file " + file + ": " + e, file, null, e);
        }
        return new Weights() {
            @Override
            float[] tensor(String name, long[] shape, Init init) {
                try {
                    if (!st.contains(name)) {
                        throw new BackboneException(file + ": missing tensor '" + name + "' " + Arrays.toString(shape)
                                + " (expected torchvision parameter names; the file has " + st.names().size()
                                + " tensors" + (st.names().isEmpty() ? "" : ", e.g. '" + st.names().iterator().next() + "'")
                                + ")", file, name, null);
                    }
                    long[] got = st.entry(name).shape();
                    if (!Arrays.equals(got, shape)) {
                        throw new BackboneException(file + ": tensor '" + name + "' has shape " + Arrays.toString(got)
                                + ", the architecture needs " + Arrays.toString(shape), file, name, null);
                    }
                    return st.floats(name);
                } catch (SafeTensorsException e) {
                    throw new BackboneException("bad weights file: " + e.getMessage(), file, name, e);
                } catch (IOException e) {
                    throw new BackboneException("cannot read tensor '" + name + "' of " + file + ": " + e, file, name, e);
                }
            }

            @Override
            boolean has(String name) {
                return st.contains(name);
            }
        };
    }

    /** Values per independently seeded block of a random tensor (blocks fill in parallel). */
    private static final int BLOCK = 1 << 16;

    /**
     * A seeded random source. Each tensor is cut into blocks of {@value #BLOCK} values, each drawn from
     * its own stream seeded by (seed, tensor name, block): the values never depend on the order of
     * construction or on how many threads fill them. Normals use Marsaglia's polar method with
     * {@link StrictMath#log}, so they are the same on every JVM.
     */
    static Weights random(long seed) {
        return new Weights() {
            @Override
            float[] tensor(String name, long[] shape, Init init) {
                long n = 1;
                for (long d : shape) {
                    n *= d;
                }
                float[] out = new float[Math.toIntExact(n)];
                if (init.kind() == Init.Kind.CONSTANT) {
                    Arrays.fill(out, (float) init.scale());
                    return out;
                }
                long h = hash(name);
                int blocks = (out.length + BLOCK - 1) / BLOCK;
                java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> fill(out, b * BLOCK,
                        Math.min(out.length, (b + 1) * BLOCK), new SplittableRandom(mix(seed, h, b)), init));
                return out;
            }

            @Override
            boolean has(String name) {
                return true;
            }
        };
    }

    private static void fill(float[] out, int from, int to, SplittableRandom r, Init init) {
        double s = init.scale();
        if (init.kind() == Init.Kind.UNIFORM) {
            for (int i = from; i < to; i++) {
                out[i] = (float) ((2 * r.nextDouble() - 1) * s);
            }
            return;
        }
        for (int i = from; i < to; i += 2) {
            double u;
            double v;
            double q;
            do {
                u = 2 * r.nextDouble() - 1;
                v = 2 * r.nextDouble() - 1;
                q = u * u + v * v;
            } while (q >= 1 || q == 0);
            double f = Math.sqrt(-2 * StrictMath.log(q) / q) * s;
            out[i] = (float) (u * f);
            if (i + 1 < to) {
                out[i + 1] = (float) (v * f);
            }
        }
    }

    private static long hash(String name) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    private static long mix(long seed, long nameHash, int block) {
        long z = seed * 0x9E3779B97F4A7C15L ^ nameHash ^ (block * 0xBF58476D1CE4E5B9L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
