package org.anomaly4j.reconstruction;

import java.util.Map;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

class RestorationContractTest extends ContractBase {
    RestorationContractTest() {
        super(Method.RESTORATION, Map.of("degrade", "shuffle", "epochs", "6"));
    }
}
