package org.anomaly4j.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * torchvision's ResNet family (V1.5: the stride on the 3x3 conv) as a built-in backbone: ResNet-18,
 * ResNet-34, ResNet-50 and WideResNet-50-2, with parameters under torchvision's names
 * ({@code conv1.weight}, {@code bn1.*}, {@code layer1.0.conv1.weight}, {@code layer2.0.downsample.0.weight},
 * {@code fc.weight}, ...). Returns the maps after {@code layer1..layer4} (strides 4, 8, 16, 32).
 * BatchNorm is folded into the convolutions at load; see {@link FoldedConvNet}.
 */
public final class ResNet extends FoldedConvNet {

    /** The supported depths and widths. */
    public enum Variant {
        RESNET18(false, new int[] {2, 2, 2, 2}, 64),
        RESNET34(false, new int[] {3, 4, 6, 3}, 64),
        RESNET50(true, new int[] {3, 4, 6, 3}, 64),
        WIDE_RESNET50_2(true, new int[] {3, 4, 6, 3}, 128);

        final boolean bottleneck;
        final int[] blocks;
        final int baseWidth;

        Variant(boolean bottleneck, int[] blocks, int baseWidth) {
            this.bottleneck = bottleneck;
            this.blocks = blocks;
            this.baseWidth = baseWidth;
        }

        /** The torchvision model name ({@code resnet18}, {@code wide_resnet50_2}, ...). */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A residual block: 2 convs (basic) or 3 (bottleneck), an optional projection shortcut. */
    private record Block(Conv c1, Conv c2, Conv c3, Conv down) {
        PtNDArray apply(Run r, PtNDArray x) {
            PtNDArray h = c1.apply(r, x);
            PtNDArray o = c2.apply(r, h);
            h.close();
            if (c3 != null) {
                PtNDArray o3 = c3.apply(r, o);
                o.close();
                o = o3;
            }
            if (down == null) {
                return InplaceOps.addRelu(o, x);
            }
            try (PtNDArray sc = down.apply(r, x)) {
                return InplaceOps.addRelu(o, sc);
            }
        }
    }

    private static final Shape POOL_K = new Shape(3, 3);
    private static final Shape POOL_S = new Shape(2, 2);
    private static final Shape POOL_P = new Shape(1, 1);

    private final Variant variant;
    private final Conv stem;
    private final List<List<Block>> layers = new ArrayList<>();
    private final List<FeatureLevel> levels = new ArrayList<>();
    private final Linear fc;
    private final double peak;

    ResNet(Variant variant, Weights w, Device device, String spec) {
        super(device, spec);
        this.variant = variant;
        try {
            stem = Conv.load(w, root, "conv1", "bn1", 3, 64, 7, 2, 1, Act.RELU);
            int expansion = variant.bottleneck ? 4 : 1;
            int in = 64;
            double widest = 64 / 4.0; // the stem's output, at stride 2
            for (int li = 0; li < 4; li++) {
                int planes = 64 << li;
                List<Block> layer = new ArrayList<>();
                for (int bi = 0; bi < variant.blocks[li]; bi++) {
                    String p = "layer" + (li + 1) + "." + bi + ".";
                    int stride = bi == 0 && li > 0 ? 2 : 1;
                    int out = planes * expansion;
                    Conv down = stride != 1 || in != out
                            ? Conv.load(w, root, p + "downsample.0", p + "downsample.1", in, out, 1, stride, 1, Act.NONE)
                            : null;
                    Block b;
                    if (variant.bottleneck) {
                        int width = planes * variant.baseWidth / 64;
                        b = new Block(Conv.load(w, root, p + "conv1", p + "bn1", in, width, 1, 1, 1, Act.RELU),
                                Conv.load(w, root, p + "conv2", p + "bn2", width, width, 3, stride, 1, Act.RELU),
                                Conv.load(w, root, p + "conv3", p + "bn3", width, out, 1, 1, 1, Act.NONE), down);
                    } else {
                        b = new Block(Conv.load(w, root, p + "conv1", p + "bn1", in, out, 3, stride, 1, Act.RELU),
                                Conv.load(w, root, p + "conv2", p + "bn2", out, out, 3, 1, 1, Act.NONE), null, down);
                    }
                    layer.add(b);
                    double s2 = (4 << li) * (4 << li);
                    widest = Math.max(widest, out / s2);
                    if (variant.bottleneck) { // conv1 runs before the block's stride
                        widest = Math.max(widest, planes * variant.baseWidth / 64 * (stride == 2 ? 4 : 1) / s2);
                    }
                    in = out;
                }
                layers.add(layer);
                levels.add(new FeatureLevel("layer" + (li + 1), 4 << li, in));
            }
            peak = widest;
            double bound = 1 / Math.sqrt(in);
            fc = w.has("fc.weight")
                    ? Linear.load(w, root, "fc", in, 1000, Weights.Init.uniform(bound), Weights.Init.uniform(bound))
                    : null;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Which ResNet this is. */
    public Variant variant() {
        return variant;
    }

    @Override
    public List<FeatureLevel> levels() {
        return List.copyOf(levels);
    }

    @Override
    Linear head() {
        return fc;
    }

    @Override
    double peakFloatsPerPixel() {
        return peak;
    }

    @Override
    List<PtNDArray> forward(Run r, PtNDArray x) {
        PtNDArray s = stem.apply(r, x);
        PtNDArray cur = JniUtils.maxPool(s, POOL_K, POOL_S, POOL_P, false);
        s.close();
        List<PtNDArray> out = new ArrayList<>(4);
        for (List<Block> layer : layers) {
            for (Block b : layer) {
                PtNDArray next = b.apply(r, cur);
                if (out.isEmpty() || out.get(out.size() - 1) != cur) {
                    cur.close(); // an intermediate, not a returned level
                }
                cur = next;
            }
            out.add(cur);
        }
        return out;
    }
}
