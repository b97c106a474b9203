package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;

import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void givenNoSetting_whenAskedForTheDevice_thenCpu() {
        assumeTrue(System.getProperty(Devices.PROPERTY) == null && System.getenv(Devices.ENV) == null);
        assertEquals(Device.cpu(), Devices.current());
    }

    @Test
    void givenCpuOrAuto_whenParsed_thenCpuOrAnAvailableGpu() {
        assertEquals(Device.cpu(), Devices.parse(" CPU "));
        Device auto = Devices.parse("auto");
        assertEquals(Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu(), auto);
    }

    @Test
    void givenCudaWithoutAGpu_whenParsed_thenClearErrorInsteadOfSilentCpu() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Devices.parse("cuda"));
        assertTrue(e.getMessage().contains("cuda") && e.getMessage().contains("0 CUDA"), e.getMessage());
    }

    @Test
    void givenUnknownName_whenParsed_thenIllegalArgumentException() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.parse("tpu"));
        assertTrue(e.getMessage().contains("tpu"), e.getMessage());
    }

    @Test
    void givenSystemProperty_whenSet_thenItWins() {
        String old = System.getProperty(Devices.PROPERTY);
        System.setProperty(Devices.PROPERTY, "cpu");
        try {
            assertEquals(Device.cpu(), Devices.current());
        } finally {
            if (old == null) {
                System.clearProperty(Devices.PROPERTY);
            } else {
                System.setProperty(Devices.PROPERTY, old);
            }
        }
    }
}
