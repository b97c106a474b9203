package org.anomaly4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class FmnistBenchPresetTest {
    @Test
    void givenSelfSupervisedPreset_whenParsed_thenTheFourSelfSupervisedDetectorsWithTheirSettings() {
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        var methods = FmnistBench.parseMethods(FmnistBench.SELF_SUPERVISED_METHODS, false, err);
        assertEquals(4, methods.size());
        List<String> types = methods.stream().map(m -> m.config().typeId()).toList();
        assertEquals(List.of("geom", "rotnet-trans", "csi", "ssd"), types);
    }
}
