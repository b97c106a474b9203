package org.anomaly4j.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import org.anomaly4j.api.ProgressListener;

/**
 * The training loop every deep detector shares: mini-batch gradient descent of a DJL {@link Block}
 * on a {@link BatchSource} with a user {@link LossFunction}, configured by a {@link TrainingConfig},
 * reporting one progress event per epoch ({@code "epoch 3/10 loss=0.0123 val=0.0150"}) and returning
 * a {@link TrainingHistory}.
 *
 * <pre>{@code
 * TrainingLoop.initialize(net, manager, cfg.seed(), new Shape(1, 784));
 * TrainingHistory h = TrainingLoop.train(net, ArrayDataset.of(x, new Shape(784)), null,
 *         LossFunction.meanSquaredError(), cfg, listener);
 * notes.putAll(h.notes());
 * }</pre>
 *
 * <p><b>Determinism.</b> The same seed gives the same initial weights ({@link #initialize}), the same
 * sample order (a Fisher–Yates shuffle per epoch from {@code seed} and the epoch number), the same
 * {@link BatchSource} randomness (a generator per batch from seed, epoch and batch number) and the
 * same engine RNG state (dropout), hence bit-identical weights on CPU for a given number of
 * intra-op threads (checked with 1 and 2 threads on an MLP and a small conv net). Runs with 1 and
 * with 2 threads differ in the last bits (PyTorch splits reductions by thread count). GPU kernels
 * may be non-deterministic.
 *
 * <p><b>Speed.</b> Small networks are dominated by per-operation overhead; on an oversubscribed CPU,
 * 2 intra-op threads measured 10-30x slower than 1 ({@code -Dai.djl.pytorch.num_threads=1}).
 *
 * <p><b>Memory.</b> Optimizer state lives in a sub-manager of the parameters' manager that is
 * closed when training ends; each step runs in its own sub-manager (parameters are temporarily
 * attached to it, so that anything derived from them is freed with the step). The block's manager
 * holds exactly as many arrays after training as before.
 *
 * <p><b>Concurrency.</b> DJL's PyTorch gradient collector is process-wide, so trainings in one JVM
 * run one at a time: a second {@code train} call waits for the first. Scoring is unaffected.
 */
public final class TrainingLoop {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private TrainingLoop() {
    }

    /**
     * Initialises {@code block}'s parameters in {@code manager} (float32) for inputs of the given
     * shapes, from the engine RNG seeded with {@code seed}: the same seed gives the same weights.
     */
    public static void initialize(Block block, NDManager manager, long seed, Shape... inputShapes) {
        LOCK.lock();
        try {
            manager.getEngine().setRandomSeed(engineSeed(seed));
            block.initialize(manager, DataType.FLOAT32, inputShapes);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Trains {@code block} in place.
     *
     * @param block      an initialised block (see {@link #initialize})
     * @param train      the training samples
     * @param validation validation samples, or {@code null}: when given, its loss (evaluation mode) is
     *                   what early stopping and the best epoch follow
     * @param loss       the objective
     * @param config     optimizer, epochs, batch size, seed, early stopping, clipping
     * @param listener   receives {@code ("epoch e/E loss=...", e, E)} after every epoch
     * @return the loss history
     * @throws IllegalStateException when the loss becomes NaN or infinite (the message names the epoch)
     */
    public static TrainingHistory train(Block block, BatchSource train, BatchSource validation, LossFunction loss,
            TrainingConfig config, ProgressListener listener) {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(config, "config");
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training samples");
        }
        List<Parameter> all = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalArgumentException("parameter '" + p.getKey() + "' is not initialised: call "
                        + "TrainingLoop.initialize(block, manager, seed, inputShapes) first");
            }
            all.add(p.getValue());
        }
        List<NDArray> weights = new ArrayList<>();
        for (Parameter p : all) {
            if (p.requiresGradient()) {
                weights.add(p.getArray());
            }
        }
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("the block has no trainable parameters");
        }
        LOCK.lock();
        try {
            return run(block, all, weights, train, validation, loss, config, progress);
        } finally {
            LOCK.unlock();
        }
    }

    private static TrainingHistory run(Block block, List<Parameter> all, List<NDArray> weights, BatchSource train,
            BatchSource validation, LossFunction loss, TrainingConfig cfg, ProgressListener progress) {
        long t0 = System.nanoTime();
        NDManager base = weights.get(0).getManager();
        Engine engine = base.getEngine();
        engine.setRandomSeed(engineSeed(cfg.seed()));
        List<Double> trainCurve = new ArrayList<>();
        List<Double> valCurve = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        boolean stopped = false;
        try (NDManager state = base.newSubManager()) {
            OptimizerState opt = new OptimizerState(cfg, weights, state);
            ParameterStore ps = new ParameterStore(state, false);
            List<NDArray> snapshot = null;
            for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                int[] order = epochOrder(train.size(), cfg.seed(), epoch);
                int batches = cfg.dropLast() && train.size() >= cfg.batchSize() ? train.size() / cfg.batchSize()
                        : (train.size() + cfg.batchSize() - 1) / cfg.batchSize();
                double sum = 0;
                long count = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * cfg.batchSize();
                    int[] idx = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + cfg.batchSize()));
                    try (NDManager step = state.newSubManager()) {
                        attachAll(all, opt.buffers(), step);
                        NDList batch = train.batch(step, idx, batchRandom(cfg.seed(), epoch, b));
                        NDArray value;
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            value = scalar(loss.compute(new LossFunction.Pass(block, ps, true), batch));
                            gc.backward(value);
                        }
                        double v = value.toType(DataType.FLOAT64, false).getDouble();
                        if (!Double.isFinite(v)) {
                            throw new IllegalStateException("training loss became " + v + " in epoch " + epoch
                                    + ", batch " + (b + 1) + ": lower the learning rate or enable gradient clipping");
                        }
                        opt.update(step);
                        sum += v * idx.length;
                        count += idx.length;
                    }
                }
                double trainLoss = sum / count;
                trainCurve.add(trainLoss);
                double monitored = trainLoss;
                if (validation != null) {
                    double vl = evaluate(block, all, ps, state, validation, loss, cfg.batchSize());
                    valCurve.add(vl);
                    monitored = vl;
                }
                if (monitored < best - cfg.minDelta() || bestEpoch == 0) {
                    best = Math.min(best, monitored);
                    bestEpoch = epoch;
                    sinceBest = 0;
                    if (cfg.restoreBest()) {
                        snapshot = snapshot(all, state, snapshot);
                    }
                } else {
                    sinceBest++;
                }
                progress.progress(String.format(Locale.ROOT, "epoch %d/%d loss=%.6g%s", epoch, cfg.epochs(), trainLoss,
                        validation != null ? String.format(Locale.ROOT, " val=%.6g", monitored) : ""), epoch, cfg.epochs());
                if (cfg.patience() > 0 && sinceBest >= cfg.patience() && epoch < cfg.epochs()) {
                    stopped = true;
                    break;
                }
            }
            if (snapshot != null) {
                for (int i = 0; i < all.size(); i++) {
                    NDArray data = all.get(i).getArray().stopGradient();
                    data.attach(state);
                    data.set(new NDIndex("..."), snapshot.get(i)); // in-place copy into the parameter's storage
                }
            }
        }
        return new TrainingHistory(trainCurve, valCurve, bestEpoch, best, stopped, (System.nanoTime() - t0) / 1e9);
    }

    /** Sample-weighted mean loss over {@code data} in evaluation mode, without gradients. */
    private static double evaluate(Block block, List<Parameter> all, ParameterStore ps, NDManager state,
            BatchSource data, LossFunction loss, int batchSize) {
        double sum = 0;
        long count = 0;
        for (int from = 0; from < data.size(); from += batchSize) {
            int[] idx = new int[Math.min(batchSize, data.size() - from)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            try (NDManager step = state.newSubManager()) {
                attachAll(all, List.of(), step);
                NDList batch = data.batch(step, idx, new Random(from));
                NDArray value = scalar(loss.compute(new LossFunction.Pass(block, ps, false), batch)).stopGradient();
                sum += value.toType(DataType.FLOAT64, false).getDouble() * idx.length;
                count += idx.length;
            }
        }
        return sum / count;
    }

    private static List<NDArray> snapshot(List<Parameter> all, NDManager state, List<NDArray> previous) {
        if (previous != null) {
            previous.forEach(NDArray::close);
        }
        List<NDArray> copies = new ArrayList<>(all.size());
        for (Parameter p : all) {
            NDArray view = p.getArray().stopGradient();
            view.attach(state);
            copies.add(view.duplicate());
            view.close();
        }
        return copies;
    }

    private static void attachAll(List<Parameter> params, List<NDArray> buffers, NDManager step) {
        for (Parameter p : params) {
            p.getArray().tempAttach(step);
        }
        for (NDArray b : buffers) {
            b.tempAttach(step);
        }
    }

    private static NDArray scalar(NDArray value) {
        if (value == null || value.getShape().size() != 1) {
            throw new IllegalArgumentException("the loss must be a scalar, got shape "
                    + (value == null ? "null" : value.getShape()));
        }
        return value;
    }

    /** The sample order of one epoch: a Fisher–Yates shuffle from {@code seed} and {@code epoch}. */
    static int[] epochOrder(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random r = new Random(mix(seed, epoch, -1));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static Random batchRandom(long seed, int epoch, int batch) {
        return new Random(mix(seed, epoch, batch));
    }

    private static long mix(long seed, int epoch, int batch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + batch * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int engineSeed(long seed) {
        return (int) (seed ^ (seed >>> 32)) & Integer.MAX_VALUE;
    }
}
