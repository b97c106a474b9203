package org.anomaly4j.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.anomaly4j.api.PixelMap;

/**
 * An {@link EvaluationReport} with the per-image results behind it, in test-set order, so a caller
 * can rank images or render heatmaps.
 *
 * @param report the metrics
 * @param ids    the test images' ids
 * @param scores the raw image scores, one per id
 * @param maps   the anomaly maps at the input images' resolution, one per id, when the evaluation
 *               was asked to keep them and the detector produces maps; empty otherwise
 */
public record EvaluationResult(EvaluationReport report, List<String> ids, double[] scores, List<PixelMap> maps) {

    public EvaluationResult {
        Objects.requireNonNull(report, "report");
        ids = List.copyOf(ids);
        scores = scores.clone();
        maps = List.copyOf(maps);
        if (scores.length != ids.size()) {
            throw new IllegalArgumentException(ids.size() + " ids but " + scores.length + " scores");
        }
        if (!maps.isEmpty() && maps.size() != ids.size()) {
            throw new IllegalArgumentException(ids.size() + " ids but " + maps.size() + " maps");
        }
    }

    /** A copy of the scores. */
    @Override
    public double[] scores() {
        return scores.clone();
    }

    /** Whether the maps were kept. */
    public boolean hasMaps() {
        return !maps.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluationResult r && r.report.equals(report) && r.ids.equals(ids)
                && Arrays.equals(r.scores, scores) && r.maps.equals(maps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(report, ids, Arrays.hashCode(scores), maps);
    }

    @Override
    public String toString() {
        return "EvaluationResult[" + report.method() + " on " + report.dataset() + ", " + ids.size() + " images"
                + (maps.isEmpty() ? "" : ", maps kept") + "]";
    }
}
