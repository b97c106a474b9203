package org.anomaly4j.reconstruction;

import java.util.Map;

import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

/** The L2 autoencoder with the tone step (blur, then square root) in its preprocessing: saved, loaded, scored alike. */
class AeToneContractTest extends ContractBase {
    AeToneContractTest() {
        super(Method.AE, Map.of("blur", "1", "power", "0.5"));
    }
}
