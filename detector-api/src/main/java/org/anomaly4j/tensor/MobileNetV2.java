package org.anomaly4j.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ai.djl.Device;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * torchvision's MobileNetV2 (width 1.0, ReLU6, inverted residuals) as a built-in backbone, with
 * parameters under torchvision's names ({@code features.0.0.weight}, {@code features.0.1.*},
 * {@code features.5.conv.1.0.weight}, {@code classifier.1.weight}, ...). Returns the maps after
 * {@code features[3]}, {@code [6]}, {@code [13]} and {@code [18]} (24, 32, 96 and 1280 channels at
 * strides 4, 8, 16, 32), like the shared {@code features.pt}. With classifier weights,
 * {@link #logits} gives the ImageNet logits ({@code features[18]} → global average pool →
 * {@code Linear(1280, 1000)}). BatchNorm is folded into the convolutions at load.
 */
public final class MobileNetV2 extends FoldedConvNet {
    /** torchvision's inverted residual settings: expansion t, channels c, repeats n, first stride s. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };
    private static final Set<Integer> LEVEL_INDICES = Set.of(3, 6, 13, 18);

    /** One inverted residual block (features[1..17]) or a plain conv (features[0], [18]). */
    private record Stage(Conv expand, Conv depthwise, Conv project, boolean residual) {
        PtNDArray apply(Run r, PtNDArray x) {
            if (depthwise == null) {
                return expand.apply(r, x);
            }
            PtNDArray h = expand == null ? x : expand.apply(r, x);
            PtNDArray d = depthwise.apply(r, h);
            if (h != x) {
                h.close();
            }
            PtNDArray o = project.apply(r, d);
            d.close();
            if (residual) {
                JniUtils.addi(o, x);
            }
            return o;
        }
    }

    private final List<Stage> stages = new ArrayList<>();
    private final List<FeatureLevel> levels = new ArrayList<>();
    private final Linear classifier;
    private double peak;

    MobileNetV2(Weights w, Device device, String spec) {
        super(device, spec);
        try {
            stages.add(new Stage(Conv.load(w, root, "features.0.0", "features.0.1", 3, 32, 3, 2, 1, Act.RELU6), null, null,
                    false));
            int in = 32;
            int stride = 2;
            peak = 32 / 4.0;
            for (int[] s : SETTINGS) {
                for (int i = 0; i < s[2]; i++) {
                    int st = i == 0 ? s[3] : 1;
                    String p = "features." + stages.size() + ".conv.";
                    int hidden = in * s[0];
                    Conv expand = s[0] == 1 ? null
                            : Conv.load(w, root, p + "0.0", p + "0.1", in, hidden, 1, 1, 1, Act.RELU6);
                    int j = expand == null ? 0 : 1;
                    Conv dw = Conv.load(w, root, p + j + ".0", p + j + ".1", hidden, hidden, 3, st, hidden, Act.RELU6);
                    Conv project = Conv.load(w, root, p + (j + 1), p + (j + 2), hidden, s[1], 1, 1, 1, Act.NONE);
                    stages.add(new Stage(expand, dw, project, st == 1 && in == s[1]));
                    peak = Math.max(peak, hidden / (double) (stride * stride)); // the expansion, before the stride
                    stride *= st;
                    in = s[1];
                    addLevel(stride, in);
                }
            }
            stages.add(new Stage(Conv.load(w, root, "features.18.0", "features.18.1", in, 1280, 1, 1, 1, Act.RELU6), null,
                    null, false));
            addLevel(stride, 1280);
            classifier = w.has("classifier.1.weight")
                    ? Linear.load(w, root, "classifier.1", 1280, 1000, Weights.Init.normal(0.01), Weights.Init.constant(0))
                    : null;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void addLevel(int stride, int channels) {
        int index = stages.size() - 1;
        if (LEVEL_INDICES.contains(index)) {
            levels.add(new FeatureLevel("features." + index, stride, channels));
        }
    }

    @Override
    public List<FeatureLevel> levels() {
        return List.copyOf(levels);
    }

    @Override
    Linear head() {
        return classifier;
    }

    @Override
    double peakFloatsPerPixel() {
        return peak;
    }

    @Override
    List<PtNDArray> forward(Run r, PtNDArray x) {
        List<PtNDArray> out = new ArrayList<>(4);
        PtNDArray cur = x;
        for (int i = 0; i < stages.size(); i++) {
            PtNDArray next = stages.get(i).apply(r, cur);
            if (cur != x && !LEVEL_INDICES.contains(i - 1)) {
                cur.close();
            }
            cur = next;
            if (LEVEL_INDICES.contains(i)) {
                out.add(cur);
            }
        }
        return out;
    }
}
