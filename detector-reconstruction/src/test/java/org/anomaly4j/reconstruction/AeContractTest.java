package org.anomaly4j.reconstruction;

import java.util.Map;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

class AeContractTest extends ContractBase {
    AeContractTest() {
        super(Method.AE, Map.of("loss", "ssim"));
    }
}
