package org.anomaly4j.tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;

/**
 * Makes {@link Backbone}s from a spec string (what configs and the CLI store):
 *
 * <table>
 * <caption>backbone specs</caption>
 * <tr><th>spec</th><th>backbone</th></tr>
 * <tr><td>{@code torchscript:FILE}</td><td>a TorchScript feature extractor whose forward returns a tuple of
 *     maps ({@code tools/export_backbone.py} writes them); levels found by a probe forward</td></tr>
 * <tr><td>{@code mobilenet_v2:FILE.safetensors}</td><td>built-in MobileNetV2, levels after
 *     {@code features[3], [6], [13], [18]} (strides 4..32)</td></tr>
 * <tr><td>{@code resnet18:FILE}, {@code resnet34:FILE}, {@code resnet50:FILE}, {@code wide_resnet50_2:FILE}</td>
 *     <td>built-in ResNets, levels after {@code layer1..layer4} (strides 4..32)</td></tr>
 * <tr><td>the same names without {@code :FILE}</td><td>random weights from the seed (torchvision's
 *     kaiming init, BatchNorm at identity): the same seed gives the same weights</td></tr>
 * <tr><td>{@code zoo:NAME}</td><td>a TorchScript model from the DJL model zoo (artifact id or URL); needs
 *     the network, so it fails at once, with a message saying so, in offline mode</td></tr>
 * </table>
 *
 * <p>Built-in weights files are safetensors with torchvision's parameter names (F32, F16 or BF16);
 * every problem (unknown spec, missing file, a missing tensor or a wrong shape) raises a
 * {@link BackboneException} naming the file and the tensor. Backbones are made on
 * {@link Devices#current()} unless a device is given.
 */
public final class Backbones {
    /** The built-in architecture names. */
    public static final List<String> BUILT_IN =
            List.of("mobilenet_v2", "resnet18", "resnet34", "resnet50", "wide_resnet50_2");

    private Backbones() {
    }

    /** A backbone from its spec on the current device; {@code seed} fixes random weights. */
    public static Backbone parse(String spec, long seed) {
        return parse(spec, seed, Devices.current());
    }

    /** A backbone from its spec on {@code device}; {@code seed} fixes random weights. */
    public static Backbone parse(String spec, long seed, Device device) {
        if (spec == null || spec.isBlank()) {
            throw new BackboneException("empty backbone spec; use one of " + help());
        }
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        if (arg != null && arg.isBlank()) {
            throw new BackboneException("backbone spec '" + spec + "' has an empty argument after ':'");
        }
        return switch (kind) {
            case "torchscript" -> {
                if (arg == null) {
                    throw new BackboneException("backbone spec 'torchscript' needs a file: torchscript:FILE");
                }
                yield torchScript(Path.of(arg), device);
            }
            case "zoo" -> {
                if (arg == null) {
                    throw new BackboneException("backbone spec 'zoo' needs a model name: zoo:NAME");
                }
                yield zoo(arg, device);
            }
            default -> {
                if (!BUILT_IN.contains(kind)) {
                    throw new BackboneException("unknown backbone '" + spec + "'; use one of " + help());
                }
                yield builtIn(kind, arg == null ? null : Path.of(arg), seed, device);
            }
        };
    }

    /** The accepted spec forms, for messages and help text. */
    public static String help() {
        return "torchscript:FILE, " + String.join("[:FILE.safetensors], ", BUILT_IN) + "[:FILE.safetensors], zoo:NAME";
    }

    /** A TorchScript feature extractor on the current device; levels probed, ImageNet normalisation. */
    public static Backbone torchScript(Path file) {
        return torchScript(file, Devices.current());
    }

    /** A TorchScript feature extractor; levels probed, ImageNet normalisation. */
    public static Backbone torchScript(Path file, Device device) {
        return TorchScriptBackbone.load(file, device, Normalization.imagenet(), null);
    }

    /** A TorchScript feature extractor with known levels (no probe) and normalisation. */
    public static Backbone torchScript(Path file, Device device, List<FeatureLevel> levels, Normalization normalization) {
        return TorchScriptBackbone.load(file, device, normalization, levels);
    }

    /** Built-in MobileNetV2 with weights from a torchvision-named safetensors file. */
    public static MobileNetV2 mobileNetV2(Path weights, Device device) {
        return new MobileNetV2(Weights.file(weights), device, spec("mobilenet_v2", weights));
    }

    /** Built-in MobileNetV2 with seeded random weights. */
    public static MobileNetV2 mobileNetV2(long seed, Device device) {
        return new MobileNetV2(Weights.random(seed), device, "mobilenet_v2");
    }

    /** A built-in ResNet with weights from a torchvision-named safetensors file. */
    public static ResNet resNet(ResNet.Variant variant, Path weights, Device device) {
        return new ResNet(variant, Weights.file(weights), device, spec(variant.id(), weights));
    }

    /** A built-in ResNet with seeded random weights. */
    public static ResNet resNet(ResNet.Variant variant, long seed, Device device) {
        return new ResNet(variant, Weights.random(seed), device, variant.id());
    }

    private static Backbone builtIn(String name, Path weights, long seed, Device device) {
        if (name.equals("mobilenet_v2")) {
            return weights == null ? mobileNetV2(seed, device) : mobileNetV2(weights, device);
        }
        ResNet.Variant v = ResNet.Variant.valueOf(name.toUpperCase(Locale.ROOT));
        return weights == null ? resNet(v, seed, device) : resNet(v, weights, device);
    }

    private static String spec(String name, Path weights) {
        return name + ":" + weights.toAbsolutePath().normalize();
    }

    /**
     * A TorchScript model from the DJL model zoo ({@code NAME} is an artifact id, or a {@code djl://} /
     * {@code https://} URL). Offline ({@code ai.djl.offline=true}, this library's default) it fails at
     * once with a {@link BackboneException} saying so: nothing is downloaded at run time.
     */
    public static Backbone zoo(String name, Device device) {
        boolean offline = Boolean.parseBoolean(System.getProperty("ai.djl.offline", "false"));
        Criteria.Builder<NDList, NDList> b = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optEngine("PyTorch").optDevice(device);
        b = name.contains("://") ? b.optModelUrls(name) : b.optArtifactId(name);
        ZooModel<NDList, NDList> model = null;
        try {
            model = b.build().loadModel();
            if (!(model.getBlock() instanceof PtSymbolBlock block)) {
                throw new BackboneException("zoo model '" + name + "' is not a TorchScript module ("
                        + model.getBlock().getClass().getSimpleName() + ")");
            }
            return TorchScriptBackbone.wrap(block, model, device, "zoo:" + name);
        } catch (ModelNotFoundException | MalformedModelException | IOException | EngineException e) {
            if (model != null) {
                model.close();
            }
            throw new BackboneException("zoo model '" + name + "' could not be loaded"
                    + (offline ? " (DJL is offline: ai.djl.offline=true, so nothing is downloaded at run time;"
                            + " export the model with tools/export_backbone.py and use torchscript:FILE)" : "")
                    + ": " + e.getMessage(), null, null, e);
        } catch (RuntimeException e) {
            if (model != null) {
                model.close();
            }
            throw e;
        }
    }
}
