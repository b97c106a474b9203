package org.anomaly4j.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The base of the built-in architectures: an inference-only network of convolutions with their
 * BatchNorm folded in, run op by op through the PyTorch engine ({@link JniUtils}) with no DJL
 * {@code Block} machinery.
 *
 * <p>Why not DJL's blocks. A ResNet-18 built from {@code Conv2d}/{@code BatchNorm}/{@code Activation}
 * blocks runs the same oneDNN convolutions as TorchScript but was 1.5x slower here (and about 3x
 * when other processes loaded the machine); the difference is memory. A block forward keeps every
 * intermediate alive until the caller's manager closes, about 500 MB for a batch of 16 at
 * 224 x 224, so each forward gets fresh pages from the kernel (glibc maps every block over 32 MB
 * anew), which must be faulted in and zeroed: 133,000 page faults and a quarter of the CPU time.
 * Measured per batch of 16 on 2 threads (wall ms): stock blocks 493; the same ops called through
 * JniUtils with no Block machinery 495; closing each intermediate as soon as it is consumed 366;
 * BatchNorm folded too 361; this class (also channels-last and in-place activations) 297; the
 * TorchScript file through DJL 322.
 *
 * <p>So here: BatchNorm is folded into the conv weight and bias once, at load; the prepared
 * weights live on the device and never require gradients; each intermediate is closed as soon as
 * the next op has consumed it (the allocator then reuses warm memory, as TorchScript's interpreter
 * does); activations and the residual sum are applied in place ({@link InplaceOps}); grad mode is
 * off for the calling thread (PyTorch's grad mode is per thread, and on by default in threads the
 * engine did not start). On CPU the network runs channels-last ({@link ChannelsLast}): weights are
 * stored so and the batch is converted once, and the returned maps are converted back to plain
 * contiguous NCHW. Per batch of 16 at 224 x 224 (1 thread, CPU ms): ResNet-18 620 (TorchScript file
 * 800, or 640 fed channels-last), MobileNetV2 280 (TorchScript 450, channels-last 225; without the
 * in-place activations 360). Large batches run as sub-batches (see {@link #chunks}).
 */
abstract class FoldedConvNet implements Backbone {
    private static final Shape ONE = new Shape(1, 1);
    private static final float BN_EPS = 1e-5f;
    /**
     * Largest intermediate a CPU forward should allocate (see {@link #chunks}): system property
     * {@code anomaly4j.backbone.chunk_mb}, default 256 (bounds memory on large inputs); 0 runs every
     * batch whole.
     */
    static final long CHUNK_BYTES = Long.getLong("anomaly4j.backbone.chunk_mb", 256) << 20;

    /** Activation fused after a conv. */
    enum Act { NONE, RELU, RELU6 }

    /** One forward's scratch: intermediates live in a sub-manager of the weights' manager. */
    static final class Run {
        final PtNDManager scratch;

        Run(PtNDManager scratch) {
            this.scratch = scratch;
        }

        /** Moves a result computed from the caller's input into the scratch manager. */
        PtNDArray own(PtNDArray a) {
            if (a.getManager() != scratch) {
                a.attach(scratch);
            }
            return a;
        }
    }

    /** A convolution with BatchNorm folded in, then an activation. */
    static final class Conv {
        final PtNDArray weight;
        final PtNDArray bias;
        final Shape stride;
        final Shape padding;
        final int groups;
        final Act act;
        final int outChannels;

        private Conv(PtNDArray weight, PtNDArray bias, int stride, int padding, int groups, Act act, int out) {
            this.weight = weight;
            this.bias = bias;
            this.stride = new Shape(stride, stride);
            this.padding = new Shape(padding, padding);
            this.groups = groups;
            this.act = act;
            this.outChannels = out;
        }

        /**
         * Loads {@code conv.weight} and the BatchNorm {@code bn.*} that follows it (torchvision names),
         * folding {@code y = gamma (conv(x) - mean) / sqrt(var + eps) + beta} into the conv's weight and
         * bias. A file holding {@code conv.bias} and no {@code bn.weight} is taken as already folded.
         */
        static Conv load(Weights w, NDManager m, String conv, String bn, int in, int out, int k, int stride,
                int groups, Act act) {
            boolean channelsLast = ChannelsLast.on(m.getDevice());
            long[] ws = {out, in / groups, k, k};
            float[] weight = w.tensor(conv + ".weight", ws, Weights.Init.kaimingFanOut(ws));
            float[] bias;
            if (bn == null || (!w.has(bn + ".weight") && w.has(conv + ".bias"))) {
                bias = w.has(conv + ".bias") ? w.tensor(conv + ".bias", new long[] {out}, Weights.Init.constant(0))
                        : new float[out];
            } else {
                long[] cs = {out};
                float[] gamma = w.tensor(bn + ".weight", cs, Weights.Init.constant(1));
                float[] beta = w.tensor(bn + ".bias", cs, Weights.Init.constant(0));
                float[] mean = w.tensor(bn + ".running_mean", cs, Weights.Init.constant(0));
                float[] var = w.tensor(bn + ".running_var", cs, Weights.Init.constant(1));
                bias = new float[out];
                int per = weight.length / out;
                for (int o = 0; o < out; o++) {
                    double scale = gamma[o] / Math.sqrt((double) var[o] + BN_EPS);
                    for (int i = o * per; i < (o + 1) * per; i++) {
                        weight[i] = (float) (weight[i] * scale);
                    }
                    bias[o] = (float) (beta[o] - mean[o] * scale);
                }
            }
            PtNDArray wa = (PtNDArray) m.create(weight, new Shape(ws));
            if (channelsLast) {
                try (PtNDArray view = ChannelsLast.of(wa)) {
                    PtNDArray cl = JniUtils.clone(view); // its own storage: the view may alias wa's Java buffer
                    wa.close();
                    wa = cl;
                }
            }
            PtNDArray ba = (PtNDArray) m.create(bias, new Shape(out));
            return new Conv(wa, ba, stride, (k - 1) / 2, groups, act, out);
        }

        /** conv + bias + activation; the input stays open. */
        PtNDArray apply(Run r, PtNDArray x) {
            PtNDArray y = r.own(JniUtils.convolution(x, weight, bias, stride, padding, ONE, groups));
            return switch (act) {
                case NONE -> y;
                case RELU -> InplaceOps.relu(y);
                case RELU6 -> InplaceOps.relu6(y);
            };
        }
    }

    /** A linear layer's weight {@code [out, in]} and bias, for classifier heads. */
    record Linear(PtNDArray weight, PtNDArray bias) {
        static Linear load(Weights w, NDManager m, String name, int in, int out, Weights.Init wInit, Weights.Init bInit) {
            float[] wt = w.tensor(name + ".weight", new long[] {out, in}, wInit);
            float[] b = w.tensor(name + ".bias", new long[] {out}, bInit);
            return new Linear((PtNDArray) m.create(wt, new Shape(out, in)), (PtNDArray) m.create(b, new Shape(out)));
        }

        /** Global average pool of {@code [N, C, h, w]} then the linear layer: {@code [N, out]}. */
        PtNDArray poolAndApply(Run r, PtNDArray map) {
            PtNDArray pooled = r.own(JniUtils.adaptiveAvgPool(map, ONE));
            PtNDArray flat = JniUtils.reshape(pooled, new long[] {pooled.getShape().get(0), pooled.getShape().get(1)});
            PtNDArray out = JniUtils.linear(flat, weight, bias);
            flat.close();
            pooled.close();
            return out;
        }
    }

    protected final PtNDManager root;
    private final Device device;
    private final String spec;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean channelsLast;
    /** The sub-batch budget; {@link #CHUNK_BYTES} unless a test changes it. */
    volatile long chunkBytes = CHUNK_BYTES;

    FoldedConvNet(Device device, String spec) {
        this.device = device;
        this.channelsLast = ChannelsLast.on(device);
        this.spec = spec;
        this.root = (PtNDManager) NDManager.newBaseManager(device, "PyTorch");
    }

    /** The level maps, in order, all in {@code r.scratch}; {@code x} must stay open. */
    abstract List<PtNDArray> forward(Run r, PtNDArray x);

    /** The classifier head on the last level's map, or null when the weights have none. */
    abstract Linear head();

    @Override
    public final NDList features(NDManager manager, NDArray batch) {
        return run(manager, batch, false);
    }

    /**
     * Class logits {@code [N, classes]} of a normalised batch (the network's classifier head: global
     * average pool of the last level, then the linear layer), attached to {@code manager}.
     *
     * @throws IllegalStateException when the weights file has no classifier tensors
     */
    public NDArray logits(NDManager manager, NDArray batch) {
        if (head() == null) {
            throw new IllegalStateException(spec + ": the weights have no classifier head");
        }
        return run(manager, batch, true).singletonOrThrow();
    }

    private NDList run(NDManager manager, NDArray batch, boolean logits) {
        if (closed.get()) {
            throw new IllegalStateException("backbone " + spec + " is closed");
        }
        Shape s = batch.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) < 32 || s.get(3) < 32) {
            throw new IllegalArgumentException("backbone " + spec + " takes a float32 [N, 3, H, W] batch with H, W >= 32, got "
                    + s);
        }
        boolean grad = JniUtils.isGradMode();
        if (grad) {
            JniUtils.setGradMode(false);
        }
        try (PtNDManager scratch = (PtNDManager) root.newSubManager()) {
            Run r = new Run(scratch);
            PtNDArray x = input(r, batch);
            int n = (int) s.get(0);
            int chunks = chunks(n, s.get(2) * s.get(3));
            List<List<PtNDArray>> parts = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                int from = (int) ((long) n * c / chunks);
                int to = (int) ((long) n * (c + 1) / chunks);
                PtNDArray xc = chunks == 1 ? x : r.own(JniUtils.slice(x, 0, from, to, 1));
                PtNDArray in = channelsLast ? r.own(ChannelsLast.of(xc)) : xc;
                if (xc != x && xc != in) {
                    xc.close();
                }
                List<PtNDArray> maps = forward(r, in);
                if (in != x) {
                    in.close();
                }
                if (logits) {
                    PtNDArray l = head().poolAndApply(r, maps.get(maps.size() - 1));
                    maps.forEach(PtNDArray::close);
                    maps = List.of(l);
                } else if (channelsLast) {
                    List<PtNDArray> plain = new ArrayList<>(maps.size());
                    for (PtNDArray a : maps) {
                        plain.add(ChannelsLast.toContiguous(a));
                        a.close();
                    }
                    maps = plain;
                }
                for (int i = 0; i < maps.size(); i++) {
                    if (parts.size() <= i) {
                        parts.add(new ArrayList<>(chunks));
                    }
                    parts.get(i).add(maps.get(i));
                }
            }
            NDList out = new NDList(parts.size());
            for (List<PtNDArray> p : parts) {
                if (p.size() == 1) {
                    out.add(p.get(0));
                } else {
                    out.add(JniUtils.cat(p.toArray(new PtNDArray[0]), 0));
                    p.forEach(PtNDArray::close);
                }
            }
            for (NDArray a : out) {
                a.attach(manager);
            }
            return out;
        } finally {
            if (grad) {
                JniUtils.setGradMode(true);
            }
        }
    }

    /**
     * How many sub-batches to run a batch of {@code n} images of {@code pixels} pixels in on CPU: enough
     * that the largest intermediate stays under {@link #chunkBytes}, which bounds the memory of a
     * forward. With a budget of 16 MB no block needs fresh pages either (glibc maps anything over its
     * 32 MB threshold anew, and the kernel must fault those pages in and zero them on every forward):
     * on one thread MobileNetV2 at batch 16 then takes about 25% less CPU time (page faults per
     * forward from 50k to under 1k). On two threads it was no faster, and when other processes
     * compete for the cores it was several times slower (every sub-batch repeats each op's OpenMP
     * parallel region, and each region waits for any descheduled thread), so the default budget only
     * bounds memory.
     */
    int chunks(int n, long pixels) {
        long budget = chunkBytes;
        if (budget <= 0 || device.isGpu()) {
            return 1; // CUDA's caching allocator reuses memory: whole batches are best there
        }
        long perImage = (long) Math.ceil(4.0 * pixels * peakFloatsPerPixel());
        return (int) Math.max(1, Math.min(n, (n * perImage + budget - 1) / budget));
    }

    /** The largest activation, in floats per input pixel (channels / stride^2 of the widest map). */
    abstract double peakFloatsPerPixel();

    private PtNDArray input(Run r, NDArray batch) {
        NDArray x = batch instanceof PtNDArray ? batch : r.own(r.scratch.from(batch));
        if (!x.getDevice().equals(device)) {
            x = r.own((PtNDArray) x.toDevice(device, true));
        }
        if (x.getDataType() != DataType.FLOAT32) {
            x = r.own((PtNDArray) x.toType(DataType.FLOAT32, true));
        }
        return (PtNDArray) x;
    }

    @Override
    public final Device device() {
        return device;
    }

    @Override
    public final String spec() {
        return spec;
    }

    @Override
    public Normalization normalization() {
        return Normalization.imagenet();
    }

    /** Native arrays held (the prepared weights, plus any forward in flight). */
    int liveArrays() {
        return Tensors.liveArrays(root);
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            root.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + spec + ", " + levels() + ", " + device + "]";
    }
}
