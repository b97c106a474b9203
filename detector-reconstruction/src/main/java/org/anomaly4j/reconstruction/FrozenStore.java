package org.anomaly4j.reconstruction;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A parameter store that hands out detached views of the parameters (same storage, no gradient),
 * attached to a scope manager: a network run through it passes gradients to its input but none to
 * its own weights. This is how a generator's loss goes through a discriminator without training it
 * (and how a trained encoder is fitted against a fixed generator), inside one optimizer step.
 */
final class FrozenStore extends ParameterStore {
    private final NDManager scope;

    FrozenStore(NDManager scope) {
        super(scope, false);
        this.scope = scope;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        NDArray view = parameter.getArray().stopGradient();
        view.attach(scope);
        return view;
    }
}
