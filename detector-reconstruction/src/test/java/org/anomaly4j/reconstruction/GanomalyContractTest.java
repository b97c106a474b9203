package org.anomaly4j.reconstruction;

import java.util.Map;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

class GanomalyContractTest extends ContractBase {
    GanomalyContractTest() {
        super(Method.GANOMALY, Map.of("w_rec", "50"));
    }
}
