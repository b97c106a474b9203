package org.anomaly4j.reconstruction;

import java.util.Map;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

class AloccContractTest extends ContractBase {
    AloccContractTest() {
        super(Method.ALOCC, Map.of("stabilised", "true"));
    }
}
