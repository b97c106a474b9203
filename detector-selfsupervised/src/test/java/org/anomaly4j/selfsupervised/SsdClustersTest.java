package org.anomaly4j.selfsupervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.data.DatasetSplit;
import org.anomaly4j.testdata.DefectKind;
import org.anomaly4j.testdata.SyntheticConfig;
import org.junit.jupiter.api.Test;

/** SSD with several k-means clusters (the shared {@code mixture.KMeans}): finite scores, the same for the same seed. */
class SsdClustersTest {
    @Test
    void twoClustersGiveFiniteScoresReproducibly() {
        DatasetSplit split = SyntheticConfig.builder().setSeed(11).optSize(32, 32).optChannels(1).optKinds("grain")
                .optDefects(DefectKind.values()).optCounts(24, 4, 4).generate();
        ContrastiveConfig c = ContrastiveConfig.ssd().optSize(16).optNetwork(8, 2, 32).optEpochs(1).optBatchSize(12)
                .set("clusters", 2).optSeed(5).build();
        assertEquals(2, c.clusters());
        List<AnomalyImage> test = split.test().images();
        double[] first = new double[test.size()];
        try (Contrastive a = Contrastive.fit(split.train(), c); Contrastive b = Contrastive.fit(split.train(), c)) {
            List<ImageScore> sa = a.scoreAll(test, org.anomaly4j.api.ProgressListener.NONE);
            List<ImageScore> sb = b.scoreAll(test, org.anomaly4j.api.ProgressListener.NONE);
            for (int i = 0; i < test.size(); i++) {
                first[i] = sa.get(i).score();
                assertTrue(Double.isFinite(first[i]), "score " + i);
                assertEquals(first[i], sb.get(i).score(), 0.0, "score " + i);
            }
        }
    }
}
