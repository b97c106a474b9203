package org.anomaly4j.testdata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.data.DatasetSplit;

/**
 * What {@link SyntheticDefects} generates: image size and channels, seed, how many images of each
 * sort, and which kinds of content and defects.
 *
 * <p>Images cycle through {@link #kinds()} (normal image {@code i} has kind {@code i mod k});
 * anomalous test image {@code j} has defect {@code j mod d} and kind {@code (j / d) mod k}, so
 * defects are balanced. Each image is drawn from its own seed derived from {@link #seed()}, its
 * split and its index: image {@code i} of a split does not change when the counts change.
 *
 * @param name               data-set name, used for the image sets
 * @param width              image width, 8..4096
 * @param height             image height, 8..4096
 * @param channels           1 (grey) or 3 (RGB)
 * @param seed               the seed of everything
 * @param trainCount         normal training images
 * @param testNormalCount    normal test images (defect type {@code good}, empty mask)
 * @param testAnomalousCount anomalous test images (each with one defect and its exact mask)
 * @param kinds              the normal content, at least one
 * @param defects            the defects to plant, at least one if {@code testAnomalousCount > 0}
 */
public record SyntheticConfig(String name, int width, int height, int channels, long seed, int trainCount,
        int testNormalCount, int testAnomalousCount, List<Kind> kinds, List<DefectKind> defects) {

    public static final int MIN_SIZE = 8;
    public static final int MAX_SIZE = 4096;

    public SyntheticConfig {
        if (width < MIN_SIZE || width > MAX_SIZE) {
            throw new InvalidConfigException("width", "must be in " + MIN_SIZE + ".." + MAX_SIZE + ", got " + width);
        }
        if (height < MIN_SIZE || height > MAX_SIZE) {
            throw new InvalidConfigException("height", "must be in " + MIN_SIZE + ".." + MAX_SIZE + ", got " + height);
        }
        if (channels != 1 && channels != 3) {
            throw new InvalidConfigException("channels", "must be 1 or 3, got " + channels);
        }
        if (trainCount < 0) {
            throw new InvalidConfigException("trainCount", "must be >= 0, got " + trainCount);
        }
        if (testNormalCount < 0) {
            throw new InvalidConfigException("testNormalCount", "must be >= 0, got " + testNormalCount);
        }
        if (testAnomalousCount < 0) {
            throw new InvalidConfigException("testAnomalousCount", "must be >= 0, got " + testAnomalousCount);
        }
        if (kinds == null || kinds.isEmpty() || kinds.stream().anyMatch(Objects::isNull)) {
            throw new InvalidConfigException("kinds", "needs at least one kind and no null, got " + kinds);
        }
        if (defects == null || defects.stream().anyMatch(Objects::isNull)) {
            throw new InvalidConfigException("defects", "must not be null or hold null, got " + defects);
        }
        if (testAnomalousCount > 0 && defects.isEmpty()) {
            throw new InvalidConfigException("defects", "needs at least one defect kind for "
                    + testAnomalousCount + " anomalous test images");
        }
        kinds = List.copyOf(kinds);
        defects = List.copyOf(defects);
        if (name == null || name.isBlank()) {
            name = "synthetic-" + kinds.stream().map(Kind::id).collect(Collectors.joining("+"));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.width = width;
        b.height = height;
        b.channels = channels;
        b.seed = seed;
        b.seedSet = true;
        b.trainCount = trainCount;
        b.testNormalCount = testNormalCount;
        b.testAnomalousCount = testAnomalousCount;
        b.kinds = new ArrayList<>(kinds);
        b.defects = new ArrayList<>(defects);
        return b;
    }

    /**
     * Builder: {@link #setSeed} is required; everything else defaults to 64x64 RGB, {@code grain},
     * all defect kinds, 30 train, 10 normal test and 10 anomalous test images.
     */
    public static final class Builder {
        private String name;
        private int width = 64;
        private int height = 64;
        private int channels = 3;
        private long seed;
        private boolean seedSet;
        private int trainCount = 30;
        private int testNormalCount = 10;
        private int testAnomalousCount = 10;
        private List<Kind> kinds = new ArrayList<>(List.of(Kind.GRAIN));
        private List<DefectKind> defects = new ArrayList<>(Arrays.asList(DefectKind.values()));

        private Builder() {
        }

        /** Required: the seed of everything. */
        public Builder setSeed(long seed) {
            this.seed = seed;
            this.seedSet = true;
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public Builder optSize(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder optTrainCount(int n) {
            this.trainCount = n;
            return this;
        }

        public Builder optTestNormalCount(int n) {
            this.testNormalCount = n;
            return this;
        }

        public Builder optTestAnomalousCount(int n) {
            this.testAnomalousCount = n;
            return this;
        }

        /** Sets all three counts. */
        public Builder optCounts(int train, int testNormal, int testAnomalous) {
            this.trainCount = train;
            this.testNormalCount = testNormal;
            this.testAnomalousCount = testAnomalous;
            return this;
        }

        public Builder optKinds(Kind... kinds) {
            this.kinds = new ArrayList<>(Arrays.asList(kinds));
            return this;
        }

        /** Kinds by name: {@code weave, grain, grid, disc, nut, tile}. */
        public Builder optKinds(String... kinds) {
            List<Kind> k = new ArrayList<>();
            for (String s : kinds) {
                try {
                    k.add(Kind.of(s));
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigException("kinds", e.getMessage());
                }
            }
            this.kinds = k;
            return this;
        }

        public Builder optDefects(DefectKind... defects) {
            this.defects = new ArrayList<>(Arrays.asList(defects));
            return this;
        }

        /** Defects by name: {@code scratch, hole, stain, crack, missing}. */
        public Builder optDefects(String... defects) {
            List<DefectKind> d = new ArrayList<>();
            for (String s : defects) {
                try {
                    d.add(DefectKind.of(s));
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigException("defects", e.getMessage());
                }
            }
            this.defects = d;
            return this;
        }

        public SyntheticConfig build() {
            if (!seedSet) {
                throw new InvalidConfigException("seed", "is required (setSeed)");
            }
            return new SyntheticConfig(name, width, height, channels, seed, trainCount, testNormalCount,
                    testAnomalousCount, kinds, defects);
        }

        /** Builds and generates: {@code SyntheticConfig.builder().setSeed(7).generate()}. */
        public DatasetSplit generate() {
            return SyntheticDefects.generate(build());
        }
    }
}
