package org.anomaly4j.reconstruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anomaly4j.api.ImageScore;
import org.anomaly4j.data.DatasetSplit;
import org.anomaly4j.reconstruction.ReconstructionConfig.Method;
import org.anomaly4j.testdata.DefectKind;
import org.anomaly4j.testdata.SyntheticConfig;
import org.junit.jupiter.api.Test;

/** RIAD on an input whose side the default mask sizes (2, 4, 8, 16) do not all divide. */
class RiadSizesTest {
    @Test
    void givenInput28AndDefaultMaskSizes_whenFittedAndScored_thenFiniteScoresAndFullSizeMaps() throws Exception {
        DatasetSplit data = SyntheticConfig.builder().setSeed(3).optSize(28, 28).optChannels(1).optKinds("weave")
                .optDefects(DefectKind.values()).optCounts(8, 2, 2).generate();
        ReconstructionConfig c = ReconstructionConfig.builder(Method.RIAD).optSize(28, 28).optChannels(1)
                .optFilters(4).optLatent(8).optEpochs(1).optBatchSize(4).optSeed(1).put("blur", "1").put("power", "0.5").build();
        try (ReconstructionDetector d = ReconstructionDetector.fit(data.train(), c)) {
            ImageScore r = d.score(data.test().images().get(0));
            assertTrue(Double.isFinite(r.score()));
            assertEquals(28, r.map().orElseThrow().width());
        }
    }
}
