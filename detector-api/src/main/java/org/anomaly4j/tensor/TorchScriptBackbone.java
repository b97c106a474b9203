package org.anomaly4j.tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A TorchScript feature extractor: {@code forward} takes a normalised {@code [N, 3, H, W]} batch and
 * returns a tuple (or list) of {@code [N, C, h, w]} maps, or one map. Run through the engine's module
 * call (TorchScript's interpreter under a no-grad guard), so no intermediate reaches DJL. The levels
 * come from a probe forward at 224 x 224 unless given. On CPU the batch is fed channels-last when a
 * check at load shows the module gives the same maps so ({@link ChannelsLast}); the maps returned
 * are contiguous NCHW either way. {@code tools/export_backbone.py} writes such files from
 * torchvision and timm models.
 */
final class TorchScriptBackbone implements Backbone {
    static final int PROBE = 224;

    private final PtNDManager root;
    private final PtSymbolBlock module;
    private final AutoCloseable owner;
    private final Device device;
    private final String spec;
    private final String source;
    private final Normalization normalization;
    private final List<FeatureLevel> levels;
    private final boolean channelsLast;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Loads a TorchScript file onto {@code device}. */
    static TorchScriptBackbone load(Path file, Device device, Normalization normalization, List<FeatureLevel> levels) {
        if (!Files.isRegularFile(file)) {
            throw new BackboneException("TorchScript file not found: " + file, file, null, null);
        }
        PtNDManager root = (PtNDManager) NDManager.newBaseManager(device, "PyTorch");
        PtSymbolBlock module;
        try {
            module = JniUtils.loadModule(root, file.toAbsolutePath(), true, new String[0], new String[0], false);
            JniUtils.enableInferenceMode(module);
        } catch (EngineException | IllegalArgumentException e) {
            root.close();
            throw new BackboneException("cannot load TorchScript file " + file + ": " + firstLine(e.getMessage()), file,
                    null, e);
        }
        String spec = "torchscript:" + file.toAbsolutePath().normalize();
        return new TorchScriptBackbone(root, module, null, device, spec, file.toString(), normalization, levels);
    }

    /** Wraps an already loaded module (a zoo model); {@code owner} is closed with the backbone. */
    static TorchScriptBackbone wrap(PtSymbolBlock module, AutoCloseable owner, Device device, String spec) {
        PtNDManager root = (PtNDManager) NDManager.newBaseManager(device, "PyTorch");
        return new TorchScriptBackbone(root, module, owner, device, spec, spec, Normalization.imagenet(), null);
    }

    private TorchScriptBackbone(PtNDManager root, PtSymbolBlock module, AutoCloseable owner, Device device, String spec,
            String source, Normalization normalization, List<FeatureLevel> levels) {
        this.root = root;
        this.module = module;
        this.owner = owner;
        this.device = device;
        this.spec = spec;
        this.source = source;
        this.normalization = normalization;
        try {
            this.levels = levels != null && !levels.isEmpty() ? List.copyOf(levels) : probe();
            this.channelsLast = ChannelsLast.on(device) && sameInChannelsLast();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private List<FeatureLevel> probe() {
        try (NDManager m = root.newSubManager()) {
            NDList maps = forward(m, m.zeros(new Shape(1, 3, PROBE, PROBE)), false);
            List<FeatureLevel> out = new ArrayList<>();
            for (int i = 0; i < maps.size(); i++) {
                Shape s = maps.get(i).getShape();
                if (s.dimension() != 4 || s.get(2) == 0) {
                    throw new BackboneException("TorchScript " + source + ": output " + i + " has shape " + s
                            + "; a feature extractor returns [N, C, h, w] maps (see tools/export_backbone.py)",
                            null, "out" + i, null);
                }
                int stride = (int) Math.round((double) PROBE / s.get(2));
                out.add(new FeatureLevel("out" + i, stride, (int) s.get(1)));
            }
            return List.copyOf(out);
        }
    }

    /**
     * Whether the module gives the same maps for a channels-last input (see {@link ChannelsLast}): then
     * it runs so, faster on CPU. A module whose code needs NCHW strides (a {@code view} on a
     * feature map, say) fails or differs here and keeps NCHW.
     */
    private boolean sameInChannelsLast() {
        try (NDManager m = root.newSubManager()) {
            float[] v = new float[3 * 64 * 64];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.sin(0.01 * i);
            }
            NDArray x = m.create(v, new Shape(1, 3, 64, 64));
            NDList plain = forward(m, x, false);
            NDList cl = forward(m, x, true);
            for (int i = 0; i < plain.size(); i++) {
                NDArray a = plain.get(i);
                if (!a.getShape().equals(cl.get(i).getShape())) {
                    return false;
                }
                float scale = Math.max(1f, a.abs().max().getFloat());
                if (!(a.sub(cl.get(i)).abs().max().getFloat() <= 1e-4f * scale)) {
                    return false;
                }
            }
            return plain.size() == cl.size();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether forwards feed the module channels-last arrays. */
    boolean channelsLast() {
        return channelsLast;
    }

    @Override
    public List<FeatureLevel> levels() {
        return levels;
    }

    @Override
    public NDList features(NDManager manager, NDArray batch) {
        if (closed.get()) {
            throw new IllegalStateException("backbone " + spec + " is closed");
        }
        Shape s = batch.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("backbone " + spec + " takes a float32 [N, 3, H, W] batch, got " + s);
        }
        NDList out = forward(manager, batch, channelsLast);
        if (out.size() != levels.size()) {
            out.close();
            throw new IllegalStateException("TorchScript " + source + " returned " + out.size() + " maps, expected "
                    + levels.size());
        }
        return out;
    }

    private NDList forward(NDManager manager, NDArray batch, boolean cl) {
        try (PtNDManager scratch = (PtNDManager) root.newSubManager()) {
            PtNDArray x = batch instanceof PtNDArray p ? p : scratch.from(batch);
            if (!x.getDevice().equals(device)) {
                x = x.toDevice(device, true);
                x.attach(scratch);
            }
            if (x.getDataType() != DataType.FLOAT32) {
                x = x.toType(DataType.FLOAT32, true);
                x.attach(scratch);
            }
            if (cl) {
                x = ChannelsLast.of(x);
                x.attach(scratch);
            }
            NDList out;
            try (IValue in = IValue.from(x); IValue result = module.forward(in)) {
                if (!result.isTensor() && !result.isTuple() && !result.isList() && !result.isTensorList()) {
                    throw new BackboneException("TorchScript " + source + " returned " + result.getType()
                            + "; a feature extractor returns a tuple of maps (see tools/export_backbone.py)");
                }
                out = result.toNDList(scratch);
            } catch (EngineException e) {
                throw new IllegalArgumentException("TorchScript " + source + " failed on a batch of " + batch.getShape()
                        + ": " + firstLine(e.getMessage()), e);
            }
            if (cl) {
                NDList plain = new NDList(out.size());
                for (NDArray a : out) {
                    plain.add(ChannelsLast.toContiguous((PtNDArray) a));
                }
                out = plain;
            }
            for (NDArray a : out) {
                a.attach(manager);
            }
            return out;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public Normalization normalization() {
        return normalization;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            module.close();
            root.close();
            if (owner != null) {
                try {
                    owner.close();
                } catch (Exception e) {
                    // closing a zoo model only releases memory
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TorchScriptBackbone[" + spec + ", " + levels + ", " + device + "]";
    }
}
