package org.anomaly4j.reconstruction;

import java.util.Map;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

class AnoGanContractTest extends ContractBase {
    AnoGanContractTest() {
        super(Method.ANOGAN, Map.of("search_steps", "5", "epochs", "6"));
    }
}
