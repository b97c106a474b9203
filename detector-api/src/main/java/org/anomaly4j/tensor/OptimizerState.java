package org.anomaly4j.tensor;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * PyTorch-identical Adam / SGD(momentum) updates with coupled L2 weight decay and global-norm
 * clipping, for {@link TrainingLoop}. The moment buffers live in the loop's training manager (freed
 * when training ends); each step's temporaries live in the step's manager. Parameters are updated in
 * place through a detached view, which autograd allows whatever the thread's grad mode.
 */
final class OptimizerState {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final TrainingConfig config;
    private final List<NDArray> weights;
    private final List<NDArray> first = new ArrayList<>(); // Adam exp_avg or SGD momentum buffer
    private final List<NDArray> second = new ArrayList<>(); // Adam exp_avg_sq
    private long step;

    OptimizerState(TrainingConfig config, List<NDArray> weights, NDManager state) {
        this.config = config;
        this.weights = weights;
        for (NDArray w : weights) {
            first.add(state.zeros(w.getShape(), w.getDataType()));
            if (config.optimizer() == TrainingConfig.Optimizer.ADAM) {
                second.add(state.zeros(w.getShape(), w.getDataType()));
            }
        }
    }

    /**
     * One update from the gradients the last backward pass left on the weights, which are then zeroed.
     * Weights and buffers must be (temporarily) attached to {@code scope} so that temporaries land there.
     *
     * @return the global gradient norm before clipping
     */
    double update(NDManager scope) {
        step++;
        List<NDArray> grads = new ArrayList<>(weights.size());
        double sq = 0;
        for (NDArray w : weights) {
            NDArray g = w.getGradient();
            g.attach(scope);
            grads.add(g);
            if (config.gradientClipNorm() > 0) {
                sq += g.square().sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
        }
        double norm = Math.sqrt(sq);
        double clip = 1;
        if (config.gradientClipNorm() > 0) {
            double coef = config.gradientClipNorm() / (norm + 1e-6);
            clip = Math.min(coef, 1.0);
        }
        double lr = config.learningRate();
        double wd = config.weightDecay();
        for (int i = 0; i < weights.size(); i++) {
            NDArray data = weights.get(i).stopGradient(); // shares storage, outside autograd
            NDArray grad = grads.get(i);
            NDArray g = clip < 1 ? grad.mul(clip) : grad;
            if (wd > 0) {
                g = g.add(data.mul(wd));
            }
            if (config.optimizer() == TrainingConfig.Optimizer.ADAM) {
                NDArray m = first.get(i);
                NDArray v = second.get(i);
                m.muli(BETA1).addi(g.mul(1 - BETA1));
                v.muli(BETA2).addi(g.square().mul(1 - BETA2));
                double bc1 = 1 - Math.pow(BETA1, step);
                double bc2 = 1 - Math.pow(BETA2, step);
                NDArray denom = v.sqrt().div(Math.sqrt(bc2)).add(EPS);
                data.subi(m.div(denom).mul(lr / bc1));
            } else {
                NDArray dir = g;
                if (config.momentum() > 0) {
                    NDArray buf = first.get(i);
                    if (step == 1) {
                        buf.addi(g); // torch: buf = clone(grad) on the first step
                    } else {
                        buf.muli(config.momentum()).addi(g);
                    }
                    dir = buf;
                }
                data.subi(dir.mul(lr));
            }
            grad.subi(grad); // zero_grad
        }
        return norm;
    }

    /** The moment buffers, to attach to a step's scope alongside the weights. */
    List<NDArray> buffers() {
        List<NDArray> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
