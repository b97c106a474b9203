package org.anomaly4j.testdata;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.IntStream;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.Mask;
import org.anomaly4j.data.DatasetSplit;

/**
 * Deterministic synthetic anomaly-detection data sets: small labelled images of textures and
 * objects ({@link Kind}) with planted defects ({@link DefectKind}) and exact masks.
 *
 * <pre>{@code
 * DatasetSplit small = SyntheticDefects.small(42);                 // 64x64 RGB grain, for unit tests
 * DatasetSplit custom = SyntheticConfig.builder().setSeed(7).optSize(128, 96).optChannels(1)
 *         .optKinds("disc").optDefects("scratch", "hole").optCounts(20, 5, 10).generate();
 * for (NamedSplit c : SyntheticDefects.demoCategories(1)) { ... }  // weave, grain, grid, disc, nut, tile
 * }</pre>
 *
 * <p><b>Ground truth.</b> Training images are normal and carry no mask. Normal test images have
 * defect type {@code good} and an empty mask. Each anomalous test image carries one defect, its
 * {@link DefectKind#id()} as defect type, and a mask that is <em>exactly</em> the set of pixels
 * whose value the defect changed: every other pixel is bitwise equal to the same image rendered
 * without the defect ({@link Sample#clean()}), and every masked pixel differs from it by at least
 * {@link #MIN_DEFECT_DELTA} in some channel (so no masked pixel is invisible). Defects are
 * rendered without antialiasing for this reason; the objects themselves have soft 1-pixel edges.
 *
 * <p><b>Determinism.</b> Image {@code i} of a split is drawn from a seed derived from the
 * configuration's seed, the split and {@code i} (not from the counts, size aside), with a
 * generator and arithmetic that are the same on every JVM: the same configuration gives bitwise
 * equal images and masks, a different seed gives different ones. All values are multiples of
 * 1/255, so an 8-bit PNG round trip is lossless.
 *
 * <p><b>Difficulty.</b> Normal images of one kind vary by seeded jitter (phase, orientation,
 * position, brightness, a fresh noise field for {@code grain}, sensor noise), so a detector must
 * learn the variation. Defects change values by 0.2 to 0.45 on content whose local contrast is
 * about 0.1 to 0.3 and noise 0.012: clearly visible, not trivial. Sizes scale with the smaller
 * image side; on objects, defects lie on the object.
 */
public final class SyntheticDefects {
    /** The least change (in [0,1] units, any channel) of every pixel in a defect mask. */
    public static final double MIN_DEFECT_DELTA = 0.08;

    private static final long TRAIN = 0x7472;
    private static final long TEST_NORMAL = 0x746E;
    private static final long TEST_ANOMALOUS = 0x7461;
    private static final long SCENE_STREAM = 1;
    private static final long DEFECT_STREAM = 2;

    private final SyntheticConfig config;

    private SyntheticDefects(SyntheticConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A generator for {@code config}; images are rendered on demand. */
    public static SyntheticDefects of(SyntheticConfig config) {
        return new SyntheticDefects(config);
    }

    /** {@link SyntheticConfig#builder()}. */
    public static SyntheticConfig.Builder builder() {
        return SyntheticConfig.builder();
    }

    /** Generates the train and test sets of {@code config}. */
    public static DatasetSplit generate(SyntheticConfig config) {
        return of(config).split();
    }

    public SyntheticConfig config() {
        return config;
    }

    /** Train (all normal) and test (normal then anomalous) sets. */
    public DatasetSplit split() {
        return new DatasetSplit(train(), test());
    }

    /** The training set: {@code trainCount} normal images without masks. */
    public ImageSet train() {
        return new ImageSet(config.name() + "/train", trainSamples().stream().map(Sample::toTrainImage).toList());
    }

    /** The test set: the normal images (empty masks) first, then the anomalous ones. */
    public ImageSet test() {
        return new ImageSet(config.name() + "/test", testSamples().stream().map(Sample::toTestImage).toList());
    }

    public List<Sample> trainSamples() {
        return IntStream.range(0, config.trainCount()).parallel().mapToObj(this::trainSample).toList();
    }

    public List<Sample> testSamples() {
        int n = config.testNormalCount() + config.testAnomalousCount();
        return IntStream.range(0, n).parallel().mapToObj(this::testSample).toList();
    }

    /** Training image {@code i}, with its (identical) clean rendering and empty mask. */
    public Sample trainSample(int i) {
        Objects.checkIndex(i, config.trainCount());
        Kind kind = config.kinds().get(i % config.kinds().size());
        return renderSample(id(kind, "train", "good", i), kind, null, Rng.derive(config.seed(), TRAIN, i));
    }

    /**
     * Test image {@code i}: indices below {@code testNormalCount} are normal, the rest anomalous;
     * an anomalous sample's {@link Sample#clean()} is the same image rendered without its defect.
     */
    public Sample testSample(int i) {
        Objects.checkIndex(i, config.testNormalCount() + config.testAnomalousCount());
        List<Kind> kinds = config.kinds();
        if (i < config.testNormalCount()) {
            Kind kind = kinds.get(i % kinds.size());
            return renderSample(id(kind, "test", "good", i), kind, null, Rng.derive(config.seed(), TEST_NORMAL, i));
        }
        int j = i - config.testNormalCount();
        List<DefectKind> defects = config.defects();
        DefectKind defect = defects.get(j % defects.size());
        Kind kind = kinds.get((j / defects.size()) % kinds.size());
        return renderSample(id(kind, "test", defect.id(), j), kind, defect,
                Rng.derive(config.seed(), TEST_ANOMALOUS, j));
    }

    private Sample renderSample(String id, Kind kind, DefectKind defect, long imageSeed) {
        return render(id, kind, defect, config.width(), config.height(), config.channels(), imageSeed);
    }

    /**
     * One image of {@code kind} drawn from {@code imageSeed}, with {@code defect} planted (or none
     * when {@code defect} is null). The clean rendering does not depend on the defect: the scene
     * and the defect use separate streams derived from {@code imageSeed}.
     */
    public static Sample render(Kind kind, DefectKind defect, int width, int height, int channels, long imageSeed) {
        // validates size and channels the same way a configuration does
        new SyntheticConfig(null, width, height, channels, imageSeed, 0, 0, 0, List.of(kind), List.of());
        String id = kind.id() + "/" + (defect == null ? "good" : defect.id()) + "/" + Long.toHexString(imageSeed);
        return render(id, kind, defect, width, height, channels, imageSeed);
    }

    /** {@link #render(Kind, DefectKind, int, int, int, long)} by names; {@code defect} may be null or "good". */
    public static Sample render(String kind, String defect, int width, int height, int channels, long imageSeed) {
        DefectKind d = defect == null || defect.equalsIgnoreCase("good") ? null : DefectKind.of(defect);
        return render(Kind.of(kind), d, width, height, channels, imageSeed);
    }

    private static Sample render(String id, Kind kind, DefectKind defect, int w, int h, int channels,
            long imageSeed) {
        Scene scene = Scenes.render(kind, w, h, channels, new Rng(Rng.derive(imageSeed, SCENE_STREAM)));
        AnomalyImage clean = AnomalyImage.of(w, h, channels, scene.clean);
        boolean[] fg = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                fg[y * w + x] = scene.interior(x, y);
            }
        }
        Mask foreground = Mask.of(w, h, fg);
        if (defect == null) {
            return new Sample(id, kind.id(), "good", clean, clean, Mask.empty(w, h), foreground);
        }
        Defects.Painted p = Defects.apply(scene, defect, new Rng(Rng.derive(imageSeed, DEFECT_STREAM)));
        return new Sample(id, kind.id(), defect.id(), clean, AnomalyImage.of(w, h, channels, p.image()),
                Mask.of(w, h, p.mask()), foreground);
    }

    private static String id(Kind kind, String split, String type, int index) {
        return String.format(Locale.ROOT, "%s/%s/%s/%03d", kind.id(), split, type, index);
    }

    // ---- presets ------------------------------------------------------------------------------

    /**
     * The unit-test preset: 64x64 RGB {@code grain}, 30 train, 10 normal and 10 anomalous test
     * images (two of each defect kind).
     */
    public static SyntheticConfig smallConfig(long seed) {
        return SyntheticConfig.builder().setSeed(seed).optName("small-grain").optSize(64, 64).optChannels(3)
                .optKinds(Kind.GRAIN).optDefects(DefectKind.values()).optCounts(30, 10, 10).build();
    }

    /** {@link #smallConfig(long)} generated. */
    public static DatasetSplit small(long seed) {
        return generate(smallConfig(seed));
    }

    /**
     * The demo preset for one category: 128x128 RGB, 40 train, 10 normal and 20 anomalous test
     * images (four of each defect kind). A per-pixel Gaussian fits and scores all six categories
     * in a few seconds; generating them takes about one.
     */
    public static SyntheticConfig demoConfig(long seed, Kind kind) {
        return SyntheticConfig.builder().setSeed(seed).optName(kind.id()).optSize(128, 128).optChannels(3)
                .optKinds(kind).optDefects(DefectKind.values()).optCounts(40, 10, 20).build();
    }

    /** The demo's object category, {@code disc}: {@link #demoConfig(long, Kind)} generated. */
    public static DatasetSplit demo(long seed) {
        return generate(demoConfig(seed, Kind.DISC));
    }

    /**
     * One demo category per kind, in the order weave, grain, grid, disc, nut, tile, each
     * {@link #demoConfig(long, Kind)} with a seed derived from {@code seed} and the kind.
     */
    public static List<NamedSplit> demoCategories(long seed) {
        List<NamedSplit> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            long s = Rng.derive(seed, kind.ordinal());
            out.add(new NamedSplit(kind.id(), generate(demoConfig(s, kind))));
        }
        return List.copyOf(out);
    }
}
