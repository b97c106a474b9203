package org.anomaly4j.features;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;

/**
 * What turns an image into a feature vector: the value of every vector detector's {@code features}
 * parameter. Immutable; {@link #parse} and {@link #toString} are inverses ({@code toString} is the
 * canonical form: defaults omitted, options in a fixed order).
 *
 * <h2>Grammar</h2>
 * {@code KIND[:key=value[,key=value]...]}, with kinds
 * <ul>
 *   <li>{@code pixels} &mdash; the resized image's values in [0,1], planar (channel, row, column).
 *       Keys: {@code size=WxH} or {@code size=N} (default: the training images' own size if they
 *       all share it, else 64x64), {@code channels=1|3} (default 1 if every training image is grey,
 *       else 3), {@code blur=SIGMA} (Gaussian blur of each plane after resizing, sigma in pixels; default 0,
 *       none), {@code power=P} (every value raised to {@code P} after the blur; default 1, none;
 *       {@code power=0.5} is the square root, the usual variance-stabilising transform of intensities),
 *       {@code pca}, {@code whiten}.</li>
 *   <li>{@code hog} &mdash; Dalal&ndash;Triggs HOG of the grey image resized to {@code size}
 *       (default 64x64; see {@link Hog}) followed by gray-level statistics of the same image (see
 *       {@link GrayLevelStatistics}). Keys: {@code size}, {@code pca}, {@code whiten}.</li>
 *   <li>{@code backbone:<backbone spec>} &mdash; global pooling of feature maps of a
 *       {@link org.anomaly4j.tensor.Backbone} named by a {@code Backbones.parse} spec (for example
 *       {@code backbone:resnet18} or {@code backbone:mobilenet_v2:/models/mbv2.safetensors}). Keys
 *       after the backbone spec: {@code pool=avg|max|avgmax} (default avg; avgmax concatenates
 *       both, per level), {@code levels=i,j,...} (1-based positions in the backbone's
 *       {@link org.anomaly4j.tensor.Backbone#levels()}: for ResNets {@code levels=2,3} is layer2 and layer3;
 *       default all of them),
 *       {@code size=N|WxH} (input size, default 224), {@code seed=N} (initialisation seed of a
 *       randomly initialised backbone; default the seed given to {@link #fit}), {@code pca},
 *       {@code whiten}. The backbone's weights are <em>not</em> copied into a detector archive: the
 *       spec names the weight file, which must still be there when the detector is loaded.</li>
 * </ul>
 * Common keys: {@code pca=none} (default), {@code pca=N} (N components), {@code pca=F} with
 * {@code 0 < F < 1} (the fewest components explaining more than that fraction of the variance);
 * {@code whiten=true|false} (default false, needs a pca) scales each component to unit variance.
 *
 * <p>Bad specs raise {@link InvalidConfigException} with {@link InvalidConfigException#parameter()}
 * {@value #PARAMETER} and a message naming the problem.
 *
 * <h2>Lifecycle</h2>
 * {@link #fit} resolves every data-dependent default (the fitted extractor's {@link FeatureExtractor#spec()}
 * records the chosen size, channels, levels and seed, so it re-creates exactly the same features) and
 * fits the PCA. {@link FeatureExtractor#write} stores the fitted spec and the PCA in an archive under a
 * name prefix, and {@link #restore} brings it back; a detector may keep either the user's spec or the
 * fitted one in its config, as {@code restore} checks the stored fitted spec against this one.
 */
public final class FeatureSpec {
    /** The name of the detector parameter that carries a feature spec. */
    public static final String PARAMETER = "features";

    /** Default HOG input size. */
    public static final int DEFAULT_HOG_SIZE = 64;
    /** Default pixel size when the training images differ in size. */
    public static final int DEFAULT_PIXEL_SIZE = 64;
    /** Default backbone input size. */
    public static final int DEFAULT_BACKBONE_SIZE = 224;
    /** Smallest backbone input size. */
    public static final int MIN_BACKBONE_SIZE = 32;
    private static final int MAX_SIZE = 8192;
    private static final double MAX_BLUR = org.anomaly4j.api.Preprocessing.MAX_BLUR;
    private static final double MAX_POWER = org.anomaly4j.api.Preprocessing.MAX_POWER;

    /** The source of the features. */
    public enum Kind {
        /** Raw (resized) pixel values. */
        PIXELS("pixels"),
        /** HOG plus gray-level statistics. */
        HOG("hog"),
        /** Globally pooled backbone feature maps. */
        BACKBONE("backbone");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The name used in specs. */
        public String id() {
            return id;
        }
    }

    /** How backbone feature maps are reduced to one vector per level. */
    public enum Pool {
        /** Global average pooling. */
        AVG("avg"),
        /** Global max pooling. */
        MAX("max"),
        /** Average and max pooling, concatenated (average first). */
        AVGMAX("avgmax");

        private final String id;

        Pool(String id) {
            this.id = id;
        }

        /** The name used in specs. */
        public String id() {
            return id;
        }

        /** Values per channel: 2 for {@link #AVGMAX}, else 1. */
        public int factor() {
            return this == AVGMAX ? 2 : 1;
        }
    }

    private final Kind kind;
    private final int width; // 0: decided at fit (pixels only)
    private final int height;
    private final int channels; // 0: decided at fit (pixels only)
    private final int pcaComponents; // 0: none or a fraction
    private final double pcaVariance; // 0: none or a count
    private final boolean whiten;
    private final String backbone; // backbone kind only
    private final Pool pool; // backbone kind only
    private final List<Integer> levels; // empty: all
    private final Long seed; // null: the fit seed
    private final double blur; // pixels only: Gaussian sigma in pixels, 0 = none
    private final double power; // pixels only: exponent applied to every value, 1 = none

    private FeatureSpec(Kind kind, int width, int height, int channels, int pcaComponents, double pcaVariance,
            boolean whiten, String backbone, Pool pool, List<Integer> levels, Long seed, double blur, double power) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pcaComponents = pcaComponents;
        this.pcaVariance = pcaVariance;
        this.whiten = whiten;
        this.backbone = backbone;
        this.pool = pool;
        this.levels = List.copyOf(levels);
        this.seed = seed;
        this.blur = blur;
        this.power = power;
        validate();
    }

    private void validate() {
        require(width >= 0 && width <= MAX_SIZE && height >= 0 && height <= MAX_SIZE && (width == 0) == (height == 0),
                "size must be in 1.." + MAX_SIZE + ", got " + width + "x" + height);
        require(channels == 0 || channels == 1 || channels == 3, "channels must be 1 or 3, got " + channels);
        require(kind == Kind.PIXELS || channels == 0, "channels is only an option of pixels");
        require(kind == Kind.PIXELS || width > 0, "size is required");
        require(kind != Kind.HOG || width >= 2 * Hog.CELL && height >= 2 * Hog.CELL,
                "hog size must be at least " + 2 * Hog.CELL + "x" + 2 * Hog.CELL + " (one block of 2x2 cells of "
                        + Hog.CELL + " px), got " + width + "x" + height);
        require(pcaComponents >= 0, "pca must be a positive number of components, got " + pcaComponents);
        require(pcaVariance == 0 || pcaVariance > 0 && pcaVariance < 1,
                "pca variance fraction must be in (0, 1), got " + pcaVariance);
        require(pcaComponents == 0 || pcaVariance == 0, "pca is either a count or a variance fraction");
        require(!whiten || hasPca(), "whiten=true needs a pca (e.g. pca=50,whiten=true)");
        require(Double.isFinite(blur) && blur >= 0 && blur <= MAX_BLUR,
                "blur must be a Gaussian sigma in [0, " + plain(MAX_BLUR) + "] pixels, got " + plainOrRaw(blur));
        require(Double.isFinite(power) && power > 0 && power <= MAX_POWER,
                "power must be in (0, " + plain(MAX_POWER) + "], got " + plainOrRaw(power));
        require(kind == Kind.PIXELS || blur == 0 && power == 1, "blur and power are options of pixels only");
        if (kind == Kind.BACKBONE) {
            require(backbone != null && !backbone.isBlank(), "backbone needs a backbone spec, e.g. backbone:resnet18");
            require(pool != null, "pool is required");
            require(new LinkedHashSet<>(levels).size() == levels.size(), "levels must be distinct, got " + levels);
            for (int l : levels) {
                require(l >= 1, "levels are 1-based positions in the backbone's levels, got " + levels);
            }
            require(width >= MIN_BACKBONE_SIZE && height >= MIN_BACKBONE_SIZE,
                    "backbone input size must be at least " + MIN_BACKBONE_SIZE + "x" + MIN_BACKBONE_SIZE + ", got "
                            + width + "x" + height);
        } else {
            require(backbone == null && pool == null && levels.isEmpty() && seed == null,
                    "pool, levels and seed are options of the backbone kind only");
        }
    }

    // ------------------------------------------------------------------ factories

    /** Raw pixels, every option at its default. */
    public static FeatureSpec pixels() {
        return new FeatureSpec(Kind.PIXELS, 0, 0, 0, 0, 0, false, null, null, List.of(), null, 0, 1);
    }

    /** HOG and gray-level statistics at 64x64, no PCA. */
    public static FeatureSpec hog() {
        return new FeatureSpec(Kind.HOG, DEFAULT_HOG_SIZE, DEFAULT_HOG_SIZE, 0, 0, 0, false, null, null, List.of(),
                null, 0, 1);
    }

    /** Average-pooled features of every level of the backbone {@code backboneSpec}, at 224x224. */
    public static FeatureSpec backbone(String backboneSpec) {
        return new FeatureSpec(Kind.BACKBONE, DEFAULT_BACKBONE_SIZE, DEFAULT_BACKBONE_SIZE, 0, 0, 0, false,
                backboneSpec == null ? null : backboneSpec.trim(), Pool.AVG, List.of(), null, 0, 1);
    }

    /** This spec with input size {@code width x height}. */
    public FeatureSpec withSize(int newWidth, int newHeight) {
        require(newWidth > 0 && newHeight > 0, "size must be positive, got " + newWidth + "x" + newHeight);
        return new FeatureSpec(kind, newWidth, newHeight, channels, pcaComponents, pcaVariance, whiten, backbone, pool,
                levels, seed, blur, power);
    }

    /** This spec with 1 or 3 channels (pixels only). */
    public FeatureSpec withChannels(int newChannels) {
        require(newChannels == 1 || newChannels == 3, "channels must be 1 or 3, got " + newChannels);
        return new FeatureSpec(kind, width, height, newChannels, pcaComponents, pcaVariance, whiten, backbone, pool,
                levels, seed, blur, power);
    }

    /** This spec reduced to {@code components} principal components. */
    public FeatureSpec withPca(int components) {
        require(components >= 1, "pca must be >= 1 components, got " + components);
        return new FeatureSpec(kind, width, height, channels, components, 0, whiten, backbone, pool, levels, seed, blur,
                power);
    }

    /** This spec reduced to the fewest components explaining more than {@code fraction} of the variance. */
    public FeatureSpec withPcaVariance(double fraction) {
        require(fraction > 0 && fraction < 1, "pca variance fraction must be in (0, 1), got " + fraction);
        return new FeatureSpec(kind, width, height, channels, 0, fraction, whiten, backbone, pool, levels, seed, blur,
                power);
    }

    /** This spec with whitening on or off (needs a pca). */
    public FeatureSpec withWhiten(boolean on) {
        return new FeatureSpec(kind, width, height, channels, pcaComponents, pcaVariance, on, backbone, pool, levels,
                seed, blur, power);
    }

    /** This spec with backbone pooling {@code p} (backbone only). */
    public FeatureSpec withPool(Pool p) {
        require(kind == Kind.BACKBONE, "pool is an option of the backbone kind only");
        return new FeatureSpec(kind, width, height, channels, pcaComponents, pcaVariance, whiten, backbone, p, levels,
                seed, blur, power);
    }

    /** This spec with backbone levels {@code l} (1-based positions in the backbone's levels; backbone only). */
    public FeatureSpec withLevels(List<Integer> l) {
        require(kind == Kind.BACKBONE, "levels is an option of the backbone kind only");
        return new FeatureSpec(kind, width, height, channels, pcaComponents, pcaVariance, whiten, backbone, pool, l,
                seed, blur, power);
    }

    /** This spec with a fixed backbone initialisation seed (backbone only). */
    public FeatureSpec withSeed(long s) {
        require(kind == Kind.BACKBONE, "seed is an option of the backbone kind only");
        return new FeatureSpec(kind, width, height, channels, pcaComponents, pcaVariance, whiten, backbone, pool,
                levels, s, blur, power);
    }

    /**
     * This spec with each pixel plane blurred by a Gaussian of standard deviation {@code sigma} pixels after
     * resizing ({@link org.anomaly4j.api.MapFilters#gaussianBlur}; 0 for none; pixels only).
     */
    public FeatureSpec withBlur(double sigma) {
        require(kind == Kind.PIXELS, "blur is an option of pixels only");
        return new FeatureSpec(kind, width, height, channels, pcaComponents, pcaVariance, whiten, backbone, pool,
                levels, seed, sigma, power);
    }

    /**
     * This spec with every pixel value {@code v} (in [0, 1]) replaced by {@code v^p}, after any blur (pixels
     * only; 1 for none). {@code p = 0.5} is the square root, the variance-stabilising transform of
     * intensities whose noise grows with their level: it spreads dark values and compresses bright ones.
     */
    public FeatureSpec withPower(double p) {
        require(kind == Kind.PIXELS, "power is an option of pixels only");
        return new FeatureSpec(kind, width, height, channels, pcaComponents, pcaVariance, whiten, backbone, pool,
                levels, seed, blur, p);
    }

    // ------------------------------------------------------------------ parsing

    /**
     * Parses a spec (see the class comment for the grammar).
     *
     * @throws InvalidConfigException with parameter {@value #PARAMETER} on any problem
     */
    public static FeatureSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw problem("empty feature spec; expected pixels, hog or backbone:<backbone spec>, optionally "
                    + "followed by :key=value,...");
        }
        String s = text.trim();
        int colon = s.indexOf(':');
        String kindName = colon < 0 ? s : s.substring(0, colon).trim();
        String rest = colon < 0 ? null : s.substring(colon + 1).trim();
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.id.equalsIgnoreCase(kindName)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw problem("unknown feature kind '" + kindName + "' in '" + s + "'; expected one of pixels, hog, "
                    + "backbone");
        }
        if (rest != null && rest.isEmpty()) {
            throw problem("nothing after ':' in '" + s + "'");
        }
        try {
            return kind == Kind.BACKBONE ? parseBackbone(s, rest) : parsePlain(kind, s, rest);
        } catch (InvalidConfigException e) {
            if (e.getMessage().contains("'" + s + "'")) {
                throw e;
            }
            throw problem(stripPrefix(e) + " (in '" + s + "')");
        }
    }

    private static String stripPrefix(InvalidConfigException e) {
        String m = e.getMessage();
        String prefix = "invalid parameter '" + PARAMETER + "': ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static FeatureSpec parsePlain(Kind kind, String s, String rest) {
        FeatureSpec spec = kind == Kind.PIXELS ? pixels() : hog();
        if (rest == null) {
            return spec;
        }
        Set<String> allowed = kind == Kind.PIXELS ? Set.of("size", "channels", "blur", "power", "pca", "whiten")
                : Set.of("size", "pca", "whiten");
        Map<String, String> options = new TreeMap<>();
        for (String token : rest.split(",", -1)) {
            String[] kv = keyValue(token);
            if (!allowed.contains(kv[0])) {
                throw problem("unknown option '" + kv[0] + "' for " + kind.id + "; known: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
            if (options.put(kv[0], kv[1]) != null) {
                throw problem("option '" + kv[0] + "' given twice");
            }
        }
        return applyCommon(spec, options);
    }

    private static final Set<String> BACKBONE_KEYS = Set.of("pool", "levels", "size", "seed", "pca", "whiten");

    private static FeatureSpec parseBackbone(String s, String rest) {
        if (rest == null) {
            throw problem("backbone needs a backbone spec, e.g. backbone:resnet18 or "
                    + "backbone:mobilenet_v2:/path/weights.safetensors");
        }
        String[] tokens = rest.split(",", -1);
        List<String> backboneParts = new ArrayList<>();
        int i = 0;
        for (; i < tokens.length; i++) {
            if (isOption(tokens[i])) {
                break;
            }
            if (i > 0 && tokens[i].trim().matches("[A-Za-z_][A-Za-z0-9_]*\\s*=.*")) {
                throw problem("unknown option '" + tokens[i].substring(0, tokens[i].indexOf('=')).trim()
                        + "' for backbone; known: levels, pca, pool, seed, size, whiten");
            }
            backboneParts.add(tokens[i]);
        }
        String bb = String.join(",", backboneParts).trim();
        if (bb.isEmpty()) {
            throw problem("backbone needs a backbone spec before its options, e.g. backbone:resnet18,pool=max");
        }
        Map<String, String> options = new TreeMap<>();
        List<Integer> levels = null;
        String last = null;
        for (; i < tokens.length; i++) {
            String token = tokens[i].trim();
            if ("levels".equals(last) && token.matches("[0-9]+")) {
                levels.add(parseLevel(token));
                continue;
            }
            String[] kv = keyValue(token);
            if (!BACKBONE_KEYS.contains(kv[0])) {
                throw problem("unknown option '" + kv[0] + "' for backbone; known: levels, pca, pool, seed, size, "
                        + "whiten");
            }
            if (options.containsKey(kv[0]) || "levels".equals(kv[0]) && levels != null) {
                throw problem("option '" + kv[0] + "' given twice");
            }
            last = kv[0];
            if ("levels".equals(kv[0])) {
                levels = new ArrayList<>();
                levels.add(parseLevel(kv[1]));
            } else {
                options.put(kv[0], kv[1]);
            }
        }
        FeatureSpec spec = backbone(bb);
        String p = options.remove("pool");
        if (p != null) {
            Pool pool = null;
            for (Pool q : Pool.values()) {
                if (q.id.equalsIgnoreCase(p)) {
                    pool = q;
                }
            }
            if (pool == null) {
                throw problem("pool must be avg, max or avgmax, got '" + p + "'");
            }
            spec = spec.withPool(pool);
        }
        if (levels != null) {
            spec = spec.withLevels(levels);
        }
        String sd = options.remove("seed");
        if (sd != null) {
            try {
                spec = spec.withSeed(Long.parseLong(sd));
            } catch (NumberFormatException e) {
                throw problem("seed must be an integer, got '" + sd + "'");
            }
        }
        return applyCommon(spec, options);
    }

    private static boolean isOption(String token) {
        int eq = token.indexOf('=');
        return eq > 0 && BACKBONE_KEYS.contains(token.substring(0, eq).trim().toLowerCase(Locale.ROOT));
    }

    private static int parseLevel(String v) {
        try {
            int l = Integer.parseInt(v.trim());
            if (l < 1) {
                throw new NumberFormatException();
            }
            return l;
        } catch (NumberFormatException e) {
            throw problem("levels must be 1-based level numbers separated by ',', got '" + v + "'");
        }
    }

    private static String[] keyValue(String token) {
        String t = token.trim();
        int eq = t.indexOf('=');
        if (t.isEmpty()) {
            throw problem("empty option (stray ',')");
        }
        if (eq <= 0 || eq == t.length() - 1) {
            throw problem("option '" + t + "' is not key=value");
        }
        return new String[] {t.substring(0, eq).trim().toLowerCase(Locale.ROOT), t.substring(eq + 1).trim()};
    }

    private static FeatureSpec applyCommon(FeatureSpec spec, Map<String, String> options) {
        FeatureSpec out = spec;
        String size = options.get("size");
        if (size != null) {
            int[] wh = parseSize(size);
            out = out.withSize(wh[0], wh[1]);
        }
        String ch = options.get("channels");
        if (ch != null) {
            if (!ch.equals("1") && !ch.equals("3")) {
                throw problem("channels must be 1 or 3, got '" + ch + "'");
            }
            out = out.withChannels(Integer.parseInt(ch));
        }
        String blurText = options.get("blur");
        if (blurText != null) {
            out = out.withBlur(parseNumber("blur", blurText));
        }
        String powerText = options.get("power");
        if (powerText != null) {
            out = out.withPower(parseNumber("power", powerText));
        }
        String pca = options.get("pca");
        if (pca != null && !pca.equalsIgnoreCase("none")) {
            if (pca.matches("[0-9]+")) {
                int k;
                try {
                    k = Integer.parseInt(pca);
                } catch (NumberFormatException e) {
                    throw problem("pca component count too large: '" + pca + "'");
                }
                if (k < 1) {
                    throw problem("pca must be none, a component count >= 1 or a variance fraction in (0, 1), got '"
                            + pca + "'");
                }
                out = out.withPca(k);
            } else {
                double f;
                try {
                    f = Double.parseDouble(pca);
                } catch (NumberFormatException e) {
                    throw problem("pca must be none, a component count or a variance fraction in (0, 1), got '"
                            + pca + "'");
                }
                if (!(f > 0 && f < 1)) {
                    throw problem("pca variance fraction must be in (0, 1), got '" + pca + "'");
                }
                out = out.withPcaVariance(f);
            }
        }
        String wh = options.get("whiten");
        if (wh != null) {
            if (!wh.equalsIgnoreCase("true") && !wh.equalsIgnoreCase("false")) {
                throw problem("whiten must be true or false, got '" + wh + "'");
            }
            out = out.withWhiten(Boolean.parseBoolean(wh.toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    private static double parseNumber(String key, String v) {
        try {
            double x = Double.parseDouble(v);
            if (Double.isFinite(x)) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw problem(key + " must be a number, got '" + v + "'");
    }

    private static int[] parseSize(String v) {
        String t = v.toLowerCase(Locale.ROOT);
        try {
            int x = t.indexOf('x');
            int w = Integer.parseInt(x < 0 ? t : t.substring(0, x));
            int h = x < 0 ? w : Integer.parseInt(t.substring(x + 1));
            if (w >= 1 && h >= 1 && w <= MAX_SIZE && h <= MAX_SIZE) {
                return new int[] {w, h};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw problem("size must be N or WxH with integers in 1.." + MAX_SIZE + ", got '" + v + "'");
    }

    // ------------------------------------------------------------------ accessors

    public Kind kind() {
        return kind;
    }

    /**
     * Input width: for pixels, 0 when it is decided at fit (the training images' size); for hog and
     * backbone the effective width (default 64 and 224).
     */
    public int width() {
        return width;
    }

    /** Input height; see {@link #width()}. */
    public int height() {
        return height;
    }

    /** Pixels: 1 or 3, or 0 when decided at fit. Other kinds: 0 (hog is grey, backbones take the backbone's). */
    public int channels() {
        return channels;
    }

    /** Pixels: standard deviation in pixels of the Gaussian blur of each plane after resizing; 0 for none. */
    public double blur() {
        return blur;
    }

    /** Pixels: the exponent applied to every value after any blur; 1 for none. */
    public double power() {
        return power;
    }

    /** Whether a PCA follows the raw features. */
    public boolean hasPca() {
        return pcaComponents > 0 || pcaVariance > 0;
    }

    /** Number of PCA components asked for, or 0 (no PCA or a variance fraction). */
    public int pcaComponents() {
        return pcaComponents;
    }

    /** PCA variance fraction asked for, or 0 (no PCA or a component count). */
    public double pcaVariance() {
        return pcaVariance;
    }

    /** Whether PCA components are scaled to unit variance. */
    public boolean whiten() {
        return whiten;
    }

    /** The backbone spec (as {@code Backbones.parse} takes it), or null for other kinds. */
    public String backboneSpec() {
        return backbone;
    }

    /** Backbone pooling, or null for other kinds. */
    public Pool pool() {
        return pool;
    }

    /** Chosen backbone levels (1-based positions in the backbone's levels); empty means all of them. */
    public List<Integer> levels() {
        return levels;
    }

    /** The fixed backbone initialisation seed, or null when the fit seed is used. */
    public Long seed() {
        return seed;
    }

    /** Whether every data-dependent choice is fixed (what a fitted extractor's spec is). */
    public boolean isResolved() {
        return switch (kind) {
            case PIXELS -> width > 0 && channels > 0;
            case HOG -> true;
            case BACKBONE -> !levels.isEmpty() && seed != null;
        };
    }

    /**
     * Whether {@code fitted} (a resolved spec) is what this spec becomes when fitted: same kind and
     * options, where this spec's unset defaults may have been resolved to any value.
     */
    public boolean admits(FeatureSpec fitted) {
        return kind == fitted.kind
                && (width == 0 || width == fitted.width && height == fitted.height)
                && (channels == 0 || channels == fitted.channels)
                && pcaComponents == fitted.pcaComponents && pcaVariance == fitted.pcaVariance
                && whiten == fitted.whiten && Double.compare(blur, fitted.blur) == 0
                && Double.compare(power, fitted.power) == 0
                && Objects.equals(backbone, fitted.backbone) && pool == fitted.pool
                && (levels.isEmpty() || levels.equals(fitted.levels))
                && (seed == null || seed.equals(fitted.seed));
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Fits an extractor on the training images: resolves defaults from them, computes their raw
     * features (progress stage {@code "features"}) and fits the PCA if any (stage {@code "pca"}).
     *
     * @param seed initialisation seed of a random backbone (when the spec fixes none); the other kinds
     *             are deterministic
     * @throws InvalidConfigException ({@value #PARAMETER}) when the spec cannot be fitted on these
     *                                images (no images, more PCA components than images, unknown backbone)
     */
    public FeatureExtractor fit(ImageSet train, long seed, ProgressListener listener) {
        Objects.requireNonNull(train, "train");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        if (train.isEmpty()) {
            throw problem("cannot fit '" + this + "' on an empty image set");
        }
        return switch (kind) {
            case PIXELS, HOG -> VectorExtractor.fit(this, train.images(), l);
            case BACKBONE -> BackboneExtractor.fit(this, train.images(), seed, l);
        };
    }

    /**
     * Restores an extractor written by {@link FeatureExtractor#write} under {@code prefix}. This spec
     * may be the one the extractor was fitted from or its fitted spec.
     *
     * @throws CorruptModelException when tensors are missing or do not match this spec
     * @throws org.anomaly4j.tensor.BackboneException when a backbone's weights file (which is not part of
     *         the archive) is missing or no longer fits the architecture
     */
    public FeatureExtractor restore(ModelArchive archive, String prefix) throws CorruptModelException {
        FeatureSpec fitted = Stored.readSpec(archive, prefix);
        if (!admits(fitted)) {
            throw new CorruptModelException(archive.file(), "stored features '" + fitted + "' (under '" + prefix
                    + "') do not match the configured features '" + this + "'");
        }
        return switch (kind) {
            case PIXELS, HOG -> VectorExtractor.restore(fitted, archive, prefix);
            case BACKBONE -> BackboneExtractor.restore(fitted, archive, prefix);
        };
    }

    // ------------------------------------------------------------------ canonical form

    /** The canonical spec string; {@code parse(toString())} equals this spec. */
    @Override
    public String toString() {
        List<String> opts = new ArrayList<>();
        if (kind == Kind.BACKBONE) {
            if (pool != Pool.AVG) {
                opts.add("pool=" + pool.id);
            }
            if (!levels.isEmpty()) {
                List<String> ls = new ArrayList<>();
                levels.forEach(x -> ls.add(Integer.toString(x)));
                opts.add("levels=" + String.join(",", ls));
            }
        }
        int defaultSize = switch (kind) {
            case PIXELS -> 0;
            case HOG -> DEFAULT_HOG_SIZE;
            case BACKBONE -> DEFAULT_BACKBONE_SIZE;
        };
        if (width > 0 && !(width == defaultSize && height == defaultSize)) {
            opts.add("size=" + (width == height ? Integer.toString(width) : width + "x" + height));
        }
        if (channels > 0) {
            opts.add("channels=" + channels);
        }
        if (blur != 0) {
            opts.add("blur=" + plain(blur));
        }
        if (power != 1) {
            opts.add("power=" + plain(power));
        }
        if (kind == Kind.BACKBONE && seed != null) {
            opts.add("seed=" + seed);
        }
        if (pcaComponents > 0) {
            opts.add("pca=" + pcaComponents);
        } else if (pcaVariance > 0) {
            opts.add("pca=" + plain(pcaVariance));
        }
        if (whiten) {
            opts.add("whiten=true");
        }
        StringBuilder sb = new StringBuilder(kind.id);
        if (kind == Kind.BACKBONE) {
            sb.append(':').append(backbone);
            opts.forEach(o -> sb.append(',').append(o));
        } else if (!opts.isEmpty()) {
            sb.append(':').append(String.join(",", opts));
        }
        return sb.toString();
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String plainOrRaw(double v) {
        return Double.isFinite(v) ? plain(v) : Double.toString(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSpec f && f.kind == kind && f.width == width && f.height == height
                && f.channels == channels && f.pcaComponents == pcaComponents
                && Double.compare(f.pcaVariance, pcaVariance) == 0 && f.whiten == whiten
                && Objects.equals(f.backbone, backbone) && f.pool == pool && f.levels.equals(levels)
                && Objects.equals(f.seed, seed) && Double.compare(f.blur, blur) == 0
                && Double.compare(f.power, power) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, width, height, channels, pcaComponents, pcaVariance, whiten, backbone, pool, levels,
                seed, blur, power);
    }

    // ------------------------------------------------------------------ package helpers

    /** A copy with resolved size and channels (pixels). */
    FeatureSpec resolvedPixels(int w, int h, int c) {
        return new FeatureSpec(kind, w, h, c, pcaComponents, pcaVariance, whiten, backbone, pool, levels, seed, blur,
                power);
    }

    /** A copy with resolved levels and seed (backbone). */
    FeatureSpec resolvedBackbone(List<Integer> l, long s) {
        return new FeatureSpec(kind, width, height, channels, pcaComponents, pcaVariance, whiten, backbone, pool,
                l, s, blur, power);
    }

    static InvalidConfigException problem(String message) {
        return new InvalidConfigException(PARAMETER, message);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw problem(message);
        }
    }
}
