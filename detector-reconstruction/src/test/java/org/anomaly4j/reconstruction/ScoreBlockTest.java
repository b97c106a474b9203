package org.anomaly4j.reconstruction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;
import org.junit.jupiter.api.Test;

/** Scoring block sizes: 8 images, except AnoGAN's latent search, bounded by images and by input values. */
class ScoreBlockTest {
    private static int block(Method m, int side, int channels) {
        return ReconstructionDetector.scoreBlock(
                ReconstructionConfig.builder(m).optSize(side, side).optChannels(channels).build());
    }

    @Test
    void givenNonSearchMethods_whenBlockAsked_thenEightImagesAtAnySize() {
        for (Method m : new Method[] {Method.AE, Method.FANOGAN, Method.RIAD}) {
            assertEquals(ReconstructionDetector.BLOCK, block(m, 28, 1), m.toString());
            assertEquals(ReconstructionDetector.BLOCK, block(m, 256, 3), m.toString());
        }
    }

    @Test
    void givenAnoGan_whenBlockAsked_thenLargestBlockWithinTheValueBudget() {
        assertEquals(ReconstructionDetector.SEARCH_BLOCK, block(Method.ANOGAN, 28, 1)); // 784 values per image
        assertEquals(ReconstructionDetector.SEARCH_BLOCK, block(Method.ANOGAN, 64, 1)); // 4,096: exactly 64 fit
        assertEquals(21, block(Method.ANOGAN, 64, 3)); // 12,288 values: 262,144 / 12,288 = 21
        assertEquals(ReconstructionDetector.BLOCK, block(Method.ANOGAN, 256, 3)); // never below 8
    }
}
