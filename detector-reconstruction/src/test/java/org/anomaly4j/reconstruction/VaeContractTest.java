package org.anomaly4j.reconstruction;

import java.util.Map;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

class VaeContractTest extends ContractBase {
    VaeContractTest() {
        super(Method.VAE, Map.of("mc_samples", "4", "epochs", "8", "map", "attention"));
    }
}
