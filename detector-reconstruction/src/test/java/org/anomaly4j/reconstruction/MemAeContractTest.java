package org.anomaly4j.reconstruction;

import java.util.Map;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

class MemAeContractTest extends ContractBase {
    MemAeContractTest() {
        super(Method.MEMAE, Map.of("mem_slots", "20", "epochs", "8", "image_score", "max"));
    }
}
