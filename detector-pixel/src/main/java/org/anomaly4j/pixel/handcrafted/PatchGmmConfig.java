package org.anomaly4j.pixel.handcrafted;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.pixel.ScaleMaps;

/**
 * Configuration of {@link PatchGmm}.
 *
 * @param size        model input side (grey)
 * @param patchSizes  patch sides, one model per size (comma-separated, each at least 16)
 * @param components  Gaussian components per patch size
 * @param covariance  covariance type: full, diag, tied or spherical
 * @param regCovar    added to the covariance diagonal (the features are standardised first)
 * @param maxPatches  training patches per patch size (a seeded random subset when there are more)
 * @param combine     how the per-size maps (each standardised by its training patch scores) combine
 * @param sigma       Gaussian blur of the map (model pixels; 0 = none)
 * @param seed        seeds the patch subset and the mixture initialisation
 */
public record PatchGmmConfig(int size, String patchSizes, int components, String covariance, double regCovar,
        int maxPatches, String combine, double sigma, long seed) implements DetectorConfig<PatchGmm> {
    public static final String TYPE = "patch-gmm";

    public static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("size", "int in 32..2048", "224", "model input side (grey)"),
            new ParamSpec("patch_sizes", "int list, each >= 16", "16,32,64", "patch sides (stride: half a patch)"),
            new ParamSpec("components", "int >= 1", "4", "Gaussian components per patch size"),
            new ParamSpec("covariance", "full|diag|tied|spherical", "full", "covariance type"),
            new ParamSpec("reg_covar", "double > 0", "0.001", "added to the covariance diagonal (standardised features)"),
            new ParamSpec("max_patches", "int >= 10", "20000", "training patches per patch size (random subset)"),
            new ParamSpec("combine", "product|sum|mean", "mean", "how the standardised per-size maps combine"),
            new ParamSpec("sigma", "double >= 0", "4.0", "Gaussian blur of the map (model pixels; 0 = none)"),
            new ParamSpec("seed", "long", "0", "seeds the patch subset and the initialisation"));

    public PatchGmmConfig {
        Params.require(size >= 32 && size <= 2048, "size", "must be in 32..2048, got " + size);
        Params.require(patchSizes != null && !patchSizes.isBlank(), "patch_sizes", "must list at least one size");
        int[] p;
        try {
            p = Arrays.stream(patchSizes.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("patch_sizes", "must be comma-separated integers, got '" + patchSizes + "'");
        }
        for (int v : p) {
            Params.require(v >= 16 && v <= size, "patch_sizes", "each must be in 16.." + size + ", got " + v);
        }
        patchSizes = String.join(",", Arrays.stream(p).mapToObj(Integer::toString).toList());
        Params.require(components >= 1 && components <= 256, "components", "must be in 1..256, got " + components);
        covariance = covariance == null ? "" : covariance.trim().toLowerCase(Locale.ROOT);
        Params.require(List.of("full", "diag", "tied", "spherical").contains(covariance), "covariance",
                "must be full, diag, tied or spherical, got '" + covariance + "'");
        Params.require(regCovar > 0 && Double.isFinite(regCovar), "reg_covar", "must be > 0, got " + regCovar);
        Params.require(maxPatches >= 10, "max_patches", "must be >= 10, got " + maxPatches);
        combine = ScaleMaps.Combine.parse("combine", combine == null ? "" : combine).id();
        Params.require(sigma >= 0 && sigma <= 64, "sigma", "must be in [0, 64], got " + sigma);
    }

    /** The patch sides. */
    public int[] patchSideList() {
        return Arrays.stream(patchSizes.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** The defaults. */
    public static PatchGmmConfig defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** From string parameters (CLI, saved models). */
    public static PatchGmmConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new PatchGmmConfig(p.integer("size"), p.string("patch_sizes"), p.integer("components"),
                p.string("covariance"), p.real("reg_covar"), p.integer("max_patches"), p.string("combine"),
                p.real("sigma"), p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("size", Integer.toString(size));
        m.put("patch_sizes", patchSizes);
        m.put("components", Integer.toString(components));
        m.put("covariance", covariance);
        m.put("reg_covar", Double.toString(regCovar));
        m.put("max_patches", Integer.toString(maxPatches));
        m.put("combine", combine);
        m.put("sigma", Double.toString(sigma));
        m.put("seed", Long.toString(seed));
        return m;
    }

    /** How inputs are brought to the model's shape (grey). */
    public Preprocessing preprocessing() {
        return Preprocessing.resize(size, size, 1);
    }

    @Override
    public PatchGmm fit(ImageSet normals, ProgressListener listener) {
        return PatchGmm.fit(normals, this, listener);
    }

    /** Builder: every parameter optional. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        private Builder put(String k, Object v) {
            p.put(k, String.valueOf(v));
            return this;
        }

        public Builder optSize(int size) {
            return put("size", size);
        }

        public Builder optPatchSizes(String sizes) {
            return put("patch_sizes", sizes);
        }

        public Builder optComponents(int k) {
            return put("components", k);
        }

        public Builder optCovariance(String type) {
            return put("covariance", type);
        }

        public Builder optRegCovar(double reg) {
            return put("reg_covar", reg);
        }

        public Builder optMaxPatches(int n) {
            return put("max_patches", n);
        }

        public Builder optCombine(String combine) {
            return put("combine", combine);
        }

        public Builder optSigma(double sigma) {
            return put("sigma", sigma);
        }

        public Builder optSeed(long seed) {
            return put("seed", seed);
        }

        public PatchGmmConfig build() {
            return fromParameters(p);
        }
    }
}
