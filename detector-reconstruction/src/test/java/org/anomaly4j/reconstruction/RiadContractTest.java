package org.anomaly4j.reconstruction;

import java.util.Map;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

class RiadContractTest extends ContractBase {
    RiadContractTest() {
        super(Method.RIAD, Map.of("mask_sizes", "4,8"));
    }
}
