package org.anomaly4j.tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@link TrainingLoop} did: the loss of every epoch (and the validation loss when a validation
 * set was given), the best epoch (1-based) of the monitored loss, whether early stopping ended the
 * run, and the wall time. Detectors put {@link #notes()} into their provenance.
 *
 * @param trainLoss      sample-weighted mean training loss per epoch
 * @param validationLoss validation loss per epoch (empty without a validation set)
 * @param bestEpoch      1-based epoch of the lowest monitored loss
 * @param bestLoss       that loss
 * @param stoppedEarly   whether patience ran out before the last epoch
 * @param seconds        wall time of the run
 */
public record TrainingHistory(List<Double> trainLoss, List<Double> validationLoss, int bestEpoch, double bestLoss,
        boolean stoppedEarly, double seconds) {

    public TrainingHistory {
        trainLoss = List.copyOf(trainLoss);
        validationLoss = List.copyOf(validationLoss);
    }

    /** Number of epochs run. */
    public int epochs() {
        return trainLoss.size();
    }

    /** The last epoch's training loss. */
    public double finalLoss() {
        return trainLoss.get(trainLoss.size() - 1);
    }

    /**
     * Provenance notes: {@code loss_curve} (comma-separated, float precision), {@code val_loss_curve}
     * (when validated), {@code best_epoch}, {@code epochs}, {@code stopped_early}, {@code train_seconds}.
     */
    public Map<String, String> notes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("loss_curve", curve(trainLoss));
        if (!validationLoss.isEmpty()) {
            m.put("val_loss_curve", curve(validationLoss));
        }
        m.put("best_epoch", Integer.toString(bestEpoch));
        m.put("epochs", Integer.toString(epochs()));
        m.put("stopped_early", Boolean.toString(stoppedEarly));
        m.put("train_seconds", String.format(Locale.ROOT, "%.3f", seconds));
        return m;
    }

    /** Comma-separated values, each the shortest text that reads back as the same float. */
    public static String curve(List<Double> values) {
        return values.stream().map(v -> Float.toString(v.floatValue())).collect(Collectors.joining(","));
    }
}
