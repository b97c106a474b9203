package org.anomaly4j.pixel.students;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/**
 * Registers {@link UninformedStudents} with {@link org.anomaly4j.api.Detectors}. Not in the demo: it needs a
 * pretrained teacher to mean anything.
 */
public final class UninformedStudentsProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return UninformedStudentsConfig.TYPE;
    }

    @Override
    public String family() {
        return "pixel";
    }

    @Override
    public String description() {
        return "Uninformed Students (Bergmann et al. 2020): an ensemble of small students regressing a teacher's "
                + "standardised descriptors; map = regression error + predictive variance";
    }

    @Override
    public List<ParamSpec> parameters() {
        return UninformedStudentsConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return UninformedStudentsConfig.fromParameters(parameters);
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return UninformedStudents.restore(archive);
    }
}
