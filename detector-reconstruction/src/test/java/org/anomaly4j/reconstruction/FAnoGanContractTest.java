package org.anomaly4j.reconstruction;

import java.util.Map;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

class FAnoGanContractTest extends ContractBase {
    FAnoGanContractTest() {
        super(Method.FANOGAN, Map.of("kappa", "1"));
    }
}
