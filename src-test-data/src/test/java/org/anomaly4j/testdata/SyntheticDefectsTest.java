package org.anomaly4j.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.Label;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.Mask;
import org.anomaly4j.data.DatasetSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticDefectsTest {

    private static SyntheticConfig.Builder allKinds(long seed) {
        return SyntheticConfig.builder().setSeed(seed).optSize(48, 40).optKinds(Kind.values())
                .optDefects(DefectKind.values()).optCounts(6, 6, 30);
    }

    @Test
    void givenSameSeed_whenGeneratedTwice_thenImagesAndMasksAreBitwiseEqual() {
        DatasetSplit a = allKinds(11).generate();
        DatasetSplit b = allKinds(11).generate();
        assertSetsEqual(a.train(), b.train());
        assertSetsEqual(a.test(), b.test());
        assertEquals(a.train().fingerprint(), b.train().fingerprint());
    }

    @Test
    void givenDifferentSeeds_whenGenerated_thenEveryImageAndMaskDiffers() {
        DatasetSplit a = allKinds(11).generate();
        DatasetSplit b = allKinds(12).generate();
        for (int i = 0; i < a.train().size(); i++) {
            assertNotEquals(a.train().get(i).image(), b.train().get(i).image(), "train " + i);
        }
        for (int i = 0; i < a.test().size(); i++) {
            assertNotEquals(a.test().get(i).image(), b.test().get(i).image(), "test " + i);
            if (a.test().get(i).isAnomalous()) {
                assertNotEquals(a.test().get(i).mask().orElseThrow(), b.test().get(i).mask().orElseThrow());
            }
        }
    }

    @Test
    void givenOneSeed_whenCountsChange_thenEachImageStaysTheSame() {
        SyntheticDefects few = SyntheticDefects.of(allKinds(5).optCounts(2, 2, 2).build());
        SyntheticDefects many = SyntheticDefects.of(allKinds(5).optCounts(9, 2, 20).build());
        assertEquals(few.trainSample(1), many.trainSample(1));
        assertEquals(few.testSample(3), many.testSample(3));
    }

    @ParameterizedTest
    @CsvSource({"64, 64, 3", "64, 64, 1", "31, 17, 3", "17, 31, 1"})
    void givenEveryKindAndDefect_whenComparedWithTheCleanRendering_thenExactlyTheMaskedPixelsChanged(int w, int h,
            int channels) {
        long seed = 100;
        for (Kind kind : Kind.values()) {
            for (DefectKind defect : DefectKind.values()) {
                Sample s = SyntheticDefects.render(kind, defect, w, h, channels, seed++);
                Sample normal = SyntheticDefects.render(kind, null, w, h, channels, seed - 1);
                String what = kind.id() + "/" + defect.id() + " " + w + "x" + h + "x" + channels;
                // rendering the same seed without the defect gives the clean image
                assertEquals(normal.image(), s.clean(), what);
                assertFalse(s.mask().isEmpty(), what + ": empty mask");
                if (!kind.isObject()) {
                    assertEquals(w * h, s.foreground().count(), what + ": a texture is all foreground");
                }
                assertMaskIsExactlyTheChange(s.clean(), s.image(), s.mask(), what);
            }
        }
    }

    @Test
    void givenGeneratedTestSet_whenEveryAnomalousImageIsCompared_thenMaskIsExact() {
        SyntheticDefects gen = SyntheticDefects.of(allKinds(3).build());
        for (Sample s : gen.testSamples()) {
            if (s.isAnomalous()) {
                assertMaskIsExactlyTheChange(s.clean(), s.image(), s.mask(), s.id());
            } else {
                assertEquals(s.clean(), s.image());
            }
        }
    }

    @Test
    void givenTestSet_whenInspected_thenNormalsHaveEmptyMasksAndAnomaliesNonEmptyOnes() {
        DatasetSplit split = SyntheticDefects.small(1);
        for (LabeledImage li : split.train()) {
            assertEquals(Label.NORMAL, li.label());
            assertEquals("good", li.defectType());
            assertTrue(li.mask().isEmpty(), "train images carry no mask");
        }
        for (LabeledImage li : split.test()) {
            Mask m = li.mask().orElseThrow();
            if (li.label() == Label.NORMAL) {
                assertEquals("good", li.defectType());
                assertTrue(m.isEmpty(), li.id());
            } else {
                assertEquals(Label.ANOMALOUS, li.label());
                assertFalse(m.isEmpty(), li.id());
                assertTrue(li.id().contains("/" + li.defectType() + "/"), li.id());
            }
        }
    }

    @Test
    void givenSmallPreset_whenGenerated_thenItHasTheDocumentedShape() {
        DatasetSplit split = SyntheticDefects.small(42);
        assertEquals(30, split.train().size());
        assertEquals(20, split.test().size());
        assertEquals(10, split.test().anomalousCount());
        AnomalyImage first = split.train().get(0).image();
        assertEquals(64, first.width());
        assertEquals(64, first.height());
        assertEquals(3, first.channels());
        Map<String, Integer> perType = new TreeMap<>();
        split.test().forEach(li -> perType.merge(li.defectType(), 1, Integer::sum));
        assertEquals(Map.of("good", 10, "scratch", 2, "hole", 2, "stain", 2, "crack", 2, "missing", 2), perType);
        long ids = split.test().stream().map(LabeledImage::id).distinct().count();
        assertEquals(split.test().size(), ids, "ids are unique");
    }

    @Test
    void givenDemoCategories_whenGenerated_thenOneCategoryPerKindAt128() {
        List<NamedSplit> cats = SyntheticDefects.demoCategories(7);
        assertEquals(List.of("weave", "grain", "grid", "disc", "nut", "tile"),
                cats.stream().map(NamedSplit::name).toList());
        for (NamedSplit c : cats) {
            assertEquals(40, c.split().train().size());
            assertEquals(30, c.split().test().size());
            assertEquals(20, c.split().test().anomalousCount());
            assertEquals(128, c.split().test().get(0).image().width());
            assertTrue(c.split().test().stream().allMatch(li -> li.id().startsWith(c.name() + "/")));
        }
        assertEquals(SyntheticDefects.demo(7).test().size(), 30);
    }

    @ParameterizedTest
    @CsvSource({"31, 17", "17, 31", "8, 8", "256, 256", "200, 90"})
    void givenAnySize_whenGenerated_thenImagesAndMasksHaveIt(int w, int h) {
        DatasetSplit split = allKinds(9).optSize(w, h).optCounts(6, 6, 10).generate();
        for (LabeledImage li : split.train().items()) {
            assertEquals(w, li.image().width());
            assertEquals(h, li.image().height());
        }
        for (LabeledImage li : split.test().items()) {
            assertEquals(w, li.mask().orElseThrow().width());
            assertEquals(h, li.mask().orElseThrow().height());
            assertEquals(li.isAnomalous(), !li.mask().orElseThrow().isEmpty(), li.id());
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "3"})
    void givenChannelCount_whenGenerated_thenEveryImageHasIt(int channels) {
        DatasetSplit split = allKinds(4).optChannels(channels).generate();
        split.train().concat(split.test()).forEach(li -> assertEquals(channels, li.image().channels(), li.id()));
    }

    @Test
    void givenAnyImage_whenInspected_thenValuesAreMultiplesOf1Over255InUnitRange() {
        for (LabeledImage li : allKinds(2).generate().test()) {
            for (float v : li.image().toArray()) {
                assertTrue(v >= 0 && v <= 1, li.id() + ": " + v);
                float k = v * 255f;
                assertEquals(Math.round(k), k, 1e-3, li.id() + ": " + v);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenNormalImagesOfOneKind_whenCompared_thenAlikeButNotIdentical(Kind kind) {
        ImageSet train = SyntheticConfig.builder().setSeed(8).optSize(64, 64).optKinds(kind).optCounts(6, 0, 0)
                .generate().train();
        double[] means = new double[train.size()];
        for (int i = 0; i < train.size(); i++) {
            means[i] = mean(train.get(i).image());
        }
        for (int i = 1; i < train.size(); i++) {
            assertNotEquals(train.get(0).image(), train.get(i).image());
            assertEquals(means[0], means[i], 0.06, kind + ": mean brightness of image " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(DefectKind.class)
    void givenDefect_whenMeasured_thenItIsClearlyVisibleAndScalesWithSize(DefectKind defect) {
        int small = 0;
        int large = 0;
        double change = 0;
        int n = 0;
        for (Kind kind : Kind.values()) {
            Sample a = SyntheticDefects.render(kind, defect, 64, 64, 3, 77);
            Sample b = SyntheticDefects.render(kind, defect, 256, 256, 3, 77);
            small += a.mask().count();
            large += b.mask().count();
            change += meanAbsChange(a);
            n++;
        }
        assertTrue(large > 4 * small, defect + ": masks should grow with the image, " + small + " -> " + large);
        assertTrue(change / n >= 0.15, defect + ": mean change inside the mask " + change / n);
        assertTrue(small >= 6 * 5, defect + ": defects should not be specks, total " + small);
    }

    @Test
    void givenObjectKinds_whenDefectsArePlanted_thenTheyLieOnTheObject() {
        for (Kind kind : List.of(Kind.DISC, Kind.NUT, Kind.TILE)) {
            for (DefectKind defect : DefectKind.values()) {
                for (long seed = 0; seed < 4; seed++) {
                    Sample s = SyntheticDefects.render(kind, defect, 96, 96, 3, seed);
                    Mask fg = s.foreground();
                    assertTrue(fg.count() > 96 * 96 / 5 && fg.count() < 96 * 96 * 3 / 4, kind + ": object area");
                    AnomalyImage g = s.clean().toGrey();
                    for (int y = 0; y < 96; y++) {
                        for (int x = 0; x < 96; x++) {
                            if (!s.mask().get(x, y)) {
                                continue;
                            }
                            String at = kind + "/" + defect + " seed " + seed + " at " + x + "," + y;
                            if (defect == DefectKind.MISSING) {
                                // a bite shows the background where the object was
                                assertTrue(s.image().toGrey().get(0, y, x) < g.get(0, y, x), at);
                            } else {
                                assertTrue(fg.get(x, y), at + ": defect pixel off the object");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void givenInvalidSettings_whenBuilt_thenTheExceptionNamesTheParameter() {
        assertEquals("channels", assertThrows(InvalidConfigException.class,
                () -> SyntheticConfig.builder().setSeed(1).optChannels(2).build()).parameter());
        assertEquals("seed", assertThrows(InvalidConfigException.class,
                () -> SyntheticConfig.builder().build()).parameter());
        assertEquals("width", assertThrows(InvalidConfigException.class,
                () -> SyntheticConfig.builder().setSeed(1).optSize(4, 64).build()).parameter());
        assertEquals("kinds", assertThrows(InvalidConfigException.class,
                () -> SyntheticConfig.builder().setSeed(1).optKinds("marble").build()).parameter());
        assertEquals("defects", assertThrows(InvalidConfigException.class,
                () -> SyntheticConfig.builder().setSeed(1).optDefects(new DefectKind[0]).build()).parameter());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void assertSetsEqual(ImageSet a, ImageSet b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            LabeledImage x = a.get(i);
            LabeledImage y = b.get(i);
            assertEquals(x.id(), y.id());
            assertEquals(x.image(), y.image(), x.id());
            assertEquals(x.mask(), y.mask(), x.id());
            assertEquals(x.defectType(), y.defectType(), x.id());
        }
    }

    private static void assertMaskIsExactlyTheChange(AnomalyImage clean, AnomalyImage image, Mask mask, String what) {
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                double change = 0;
                for (int c = 0; c < image.channels(); c++) {
                    change = Math.max(change, Math.abs(image.get(c, y, x) - clean.get(c, y, x)));
                }
                if (mask.get(x, y)) {
                    assertTrue(change >= SyntheticDefects.MIN_DEFECT_DELTA - 1e-6,
                            what + ": masked pixel " + x + "," + y + " changed by only " + change);
                } else {
                    for (int c = 0; c < image.channels(); c++) {
                        assertEquals(Float.floatToIntBits(clean.get(c, y, x)), Float.floatToIntBits(image.get(c, y, x)),
                                what + ": unmasked pixel " + x + "," + y + " changed");
                    }
                }
            }
        }
    }

    private static double mean(AnomalyImage im) {
        double s = 0;
        for (float v : im.toArray()) {
            s += v;
        }
        return s / im.size();
    }

    private static double meanAbsChange(Sample s) {
        double sum = 0;
        int n = 0;
        AnomalyImage a = s.clean().toGrey();
        AnomalyImage b = s.image().toGrey();
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                if (s.mask().get(x, y)) {
                    sum += Math.abs(a.get(0, y, x) - b.get(0, y, x));
                    n++;
                }
            }
        }
        return sum / n;
    }
}
