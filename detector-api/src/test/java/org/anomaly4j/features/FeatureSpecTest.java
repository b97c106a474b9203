package org.anomaly4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.anomaly4j.api.InvalidConfigException;

class FeatureSpecTest {

    @ParameterizedTest
    @ValueSource(strings = {"pixels", "pixels:size=28", "pixels:size=32x48,channels=3", "pixels:pca=50",
        "pixels:pca=0.95,whiten=true", "pixels:size=28,channels=1,pca=10,whiten=true", "pixels:blur=1,power=0.5",
        "pixels:size=28,channels=1,blur=0.75,power=2,pca=5", "hog", "hog:size=32x48",
        "hog:size=128,pca=0.9", "backbone:resnet18", "backbone:resnet18,levels=2,3,size=64",
        "backbone:mobilenet_v2:/models/mbv2.safetensors,pool=avgmax,levels=4,1,size=96x64,seed=7,pca=20",
        "backbone:torchscript:/tmp/a,b/x.pt,pool=max"})
    void givenCanonicalSpec_whenParsedAndPrinted_thenSameStringAndEqualSpec(String text) {
        FeatureSpec spec = FeatureSpec.parse(text);
        assertEquals(text, spec.toString());
        assertEquals(spec, FeatureSpec.parse(spec.toString()));
        assertEquals(spec.hashCode(), FeatureSpec.parse(spec.toString()).hashCode());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        " PIXELS : Size = 28x28 | pixels:size=28",
        "pixels:pca=none,whiten=false | pixels",
        "pixels:whiten=false,pca=7,channels=1 | pixels:channels=1,pca=7",
        "pixels:pca=0.950 | pixels:pca=0.95",
        "pixels:power=0.50,blur=1.0 | pixels:blur=1,power=0.5",
        "pixels:blur=0,power=1 | pixels",
        "hog:size=64 | hog",
        "hog:size=64x64,pca=none | hog",
        "backbone:resnet18,pool=avg,size=224 | backbone:resnet18",
        "backbone:resnet18, size=64 ,levels=3,2 | backbone:resnet18,levels=3,2,size=64",
        "backbone: mobilenet_v2:/m/w.safetensors , pool=MAX | backbone:mobilenet_v2:/m/w.safetensors,pool=max"})
    void givenNonCanonicalSpelling_whenParsed_thenPrintsCanonically(String text, String canonical) {
        FeatureSpec spec = FeatureSpec.parse(text);
        assertEquals(canonical, spec.toString());
        assertEquals(FeatureSpec.parse(canonical), spec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'' | empty feature spec",
        "voxels | unknown feature kind 'voxels'",
        "pixels: | nothing after ':'",
        "pixels:size | 'size' is not key=value",
        "pixels:size= | 'size=' is not key=value",
        "pixels:size=0 | size must be N or WxH",
        "pixels:size=abc | size must be N or WxH",
        "pixels:size=10x | size must be N or WxH",
        "pixels:size=99999 | size must be N or WxH",
        "pixels:channels=2 | channels must be 1 or 3",
        "pixels:pca=0 | component count >= 1",
        "pixels:pca=-3 | pca variance fraction must be in (0, 1)",
        "pixels:pca=1.5 | variance fraction must be in (0, 1)",
        "pixels:pca=1.0 | variance fraction must be in (0, 1)",
        "pixels:pca=lots | pca must be none",
        "pixels:whiten=true | whiten=true needs a pca",
        "pixels:pca=5,whiten=maybe | whiten must be true or false",
        "pixels:foo=1 | unknown option 'foo' for pixels",
        "pixels:size=28,size=32 | option 'size' given twice",
        "pixels:size=28,,pca=3 | empty option",
        "pixels:levels=2 | unknown option 'levels' for pixels",
        "pixels:blur=-1 | blur must be a Gaussian sigma in [0, 64]",
        "pixels:blur=100 | blur must be a Gaussian sigma in [0, 64]",
        "pixels:blur=NaN | blur must be a number",
        "pixels:blur=wide | blur must be a number",
        "pixels:power=0 | power must be in (0, 16]",
        "pixels:power=-0.5 | power must be in (0, 16]",
        "pixels:power=Infinity | power must be a number",
        "hog:blur=1 | unknown option 'blur' for hog",
        "backbone:resnet18,power=2 | unknown option 'power' for backbone",
        "hog:channels=3 | unknown option 'channels' for hog",
        "hog:size=8 | hog size must be at least 16x16",
        "backbone | backbone needs a backbone spec",
        "backbone: | nothing after ':'",
        "'backbone:,pool=avg' | backbone needs a backbone spec before its options",
        "backbone:resnet18,pool=median | pool must be avg, max or avgmax",
        "backbone:resnet18,levels=0 | 1-based level numbers",
        "backbone:resnet18,levels=2,2 | levels must be distinct",
        "backbone:resnet18,levels=2,x | 'x' is not key=value",
        "backbone:resnet18,size=16 | backbone input size must be at least 32x32",
        "backbone:resnet18,seed=x | seed must be an integer",
        "backbone:resnet18,channels=1 | unknown option 'channels' for backbone",
        "backbone:resnet18,pool=max,pool=avg | option 'pool' given twice"})
    void givenBadSpec_whenParsed_thenInvalidConfigNamingFeaturesAndTheProblem(String text, String problem) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> FeatureSpec.parse(text));
        assertEquals("features", e.parameter());
        assertTrue(e.getMessage().contains(problem), () -> "message '" + e.getMessage() + "' lacks '" + problem + "'");
    }

    @Test
    void givenNull_whenParsed_thenInvalidConfig() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> FeatureSpec.parse(null));
        assertEquals("features", e.parameter());
    }

    @Test
    void givenFactoriesAndWithers_whenBuilt_thenEqualToParsedSpecs() {
        assertEquals(FeatureSpec.parse("pixels:size=28x20,channels=3,pca=0.9,whiten=true"),
                FeatureSpec.pixels().withSize(28, 20).withChannels(3).withPcaVariance(0.9).withWhiten(true));
        assertEquals(FeatureSpec.parse("hog:size=32,pca=12"), FeatureSpec.hog().withSize(32, 32).withPca(12));
        assertEquals(FeatureSpec.parse("backbone:resnet18,pool=avgmax,levels=2,3,size=64,seed=3"),
                FeatureSpec.backbone("resnet18").withPool(FeatureSpec.Pool.AVGMAX).withLevels(List.of(2, 3))
                        .withSize(64, 64).withSeed(3));
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> FeatureSpec.hog().withChannels(3));
        assertEquals("features", e.parameter());
        assertThrows(InvalidConfigException.class, () -> FeatureSpec.pixels().withLevels(List.of(1)));
        assertEquals(FeatureSpec.parse("pixels:blur=1.5,power=0.5"), FeatureSpec.pixels().withBlur(1.5).withPower(0.5));
        assertEquals("features", assertThrows(InvalidConfigException.class,
                () -> FeatureSpec.hog().withBlur(1)).parameter());
        assertThrows(InvalidConfigException.class, () -> FeatureSpec.backbone("resnet18").withPower(0.5));
    }

    @Test
    void givenSpec_whenAccessed_thenOptionsAreExposed() {
        FeatureSpec s = FeatureSpec.parse("backbone:resnet18,pool=max,levels=2,3,size=96x64,pca=0.5");
        assertEquals(FeatureSpec.Kind.BACKBONE, s.kind());
        assertEquals("resnet18", s.backboneSpec());
        assertEquals(FeatureSpec.Pool.MAX, s.pool());
        assertEquals(List.of(2, 3), s.levels());
        assertEquals(96, s.width());
        assertEquals(64, s.height());
        assertTrue(s.hasPca());
        assertEquals(0.5, s.pcaVariance());
        assertEquals(0, s.pcaComponents());
        assertEquals(64, FeatureSpec.hog().width());
        assertEquals(0, FeatureSpec.pixels().width());
        assertFalse(FeatureSpec.pixels().isResolved());
        assertTrue(FeatureSpec.parse("pixels:size=8,channels=1").isResolved());
    }

    @Test
    void givenUserSpec_whenComparedWithFittedSpecs_thenAdmitsOnlyResolutionsOfItsDefaults() {
        FeatureSpec user = FeatureSpec.parse("pixels:pca=5");
        assertTrue(user.admits(FeatureSpec.parse("pixels:size=28,channels=1,pca=5")));
        assertFalse(user.admits(FeatureSpec.parse("pixels:size=28,channels=1,pca=6")));
        assertFalse(user.admits(FeatureSpec.parse("pixels:size=28,channels=1")));
        assertFalse(FeatureSpec.parse("pixels:size=32").admits(FeatureSpec.parse("pixels:size=28,channels=1")));
        assertTrue(FeatureSpec.parse("backbone:resnet18")
                .admits(FeatureSpec.parse("backbone:resnet18,levels=1,2,3,4,seed=9")));
        assertFalse(FeatureSpec.parse("backbone:resnet18,seed=8")
                .admits(FeatureSpec.parse("backbone:resnet18,levels=1,2,3,4,seed=9")));
        assertFalse(FeatureSpec.hog().admits(FeatureSpec.parse("pixels:size=64,channels=1")));
        assertTrue(FeatureSpec.parse("pixels:blur=1,power=0.5")
                .admits(FeatureSpec.parse("pixels:size=28,channels=1,blur=1,power=0.5")));
        assertFalse(FeatureSpec.parse("pixels:power=0.5")
                .admits(FeatureSpec.parse("pixels:size=28,channels=1,blur=1,power=0.5")));
        assertFalse(FeatureSpec.parse("pixels").admits(FeatureSpec.parse("pixels:size=28,channels=1,power=0.5")));
    }
}
