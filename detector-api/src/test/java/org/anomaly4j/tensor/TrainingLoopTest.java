package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

import org.anomaly4j.api.InvalidConfigException;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {

    /** y = sin(2 x0) + x1^2 / 2 on n seeded points of [-1, 1]^2. */
    private static ArrayDataset regression(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][2];
        float[][] y = new float[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = r.nextFloat() * 2 - 1;
            x[i][1] = r.nextFloat() * 2 - 1;
            y[i][0] = (float) (Math.sin(2 * x[i][0]) + 0.5 * x[i][1] * x[i][1]);
        }
        return ArrayDataset.of(x, new Shape(2)).with(y, new Shape(1));
    }

    private static Block mlp() {
        return new SequentialBlock().add(Linear.builder().setUnits(32).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(1).build());
    }

    private static TrainingConfig.Builder adam(int epochs) {
        return TrainingConfig.builder().setOptimizer(TrainingConfig.Optimizer.ADAM).setLearningRate(0.01)
                .setEpochs(epochs).setBatchSize(32).optSeed(7);
    }

    private static List<float[]> weights(Block b) {
        List<float[]> w = new ArrayList<>();
        for (Pair<String, ai.djl.nn.Parameter> p : b.getParameters()) {
            w.add(p.getValue().getArray().toFloatArray());
        }
        return w;
    }

    @Test
    void givenTinyMlp_whenTrainedWithAdam_thenRegressionLossDropsTenfoldAndNothingLeaks() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Block net = mlp();
            TrainingLoop.initialize(net, m, 7, new Shape(1, 2));
            int before = Tensors.liveArrays(m);
            List<String> events = new ArrayList<>();
            TrainingHistory h = TrainingLoop.train(net, regression(64, 1), null, LossFunction.meanSquaredError(),
                    adam(30).setLearningRate(0.03).build(), (stage, done, total) -> events.add(stage));
            assertEquals(before, Tensors.liveArrays(m));
            assertEquals(30, h.epochs());
            assertTrue(h.trainLoss().get(0) / h.finalLoss() > 10, h.notes().get("loss_curve"));
            assertEquals(30, events.size());
            assertTrue(events.get(2).matches("epoch 3/30 loss=[0-9.e-]+"), events.get(2));
            assertFalse(h.stoppedEarly());
            assertEquals(30, h.notes().get("loss_curve").split(",").length);
        }
    }

    @Test
    void givenSameSeed_whenTrainedTwice_thenSameLossCurveAndBitIdenticalWeights() {
        List<List<Double>> curves = new ArrayList<>();
        List<List<float[]>> finals = new ArrayList<>();
        for (long seed : new long[] {3, 3, 4}) {
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                Block net = mlp();
                TrainingLoop.initialize(net, m, seed, new Shape(1, 2));
                TrainingHistory h = TrainingLoop.train(net, regression(64, 1), null, LossFunction.meanSquaredError(),
                        adam(5).optSeed(seed).build(), null);
                curves.add(h.trainLoss());
                finals.add(weights(net));
            }
        }
        assertEquals(curves.get(0), curves.get(1));
        for (int i = 0; i < finals.get(0).size(); i++) {
            assertArrayEquals(finals.get(0).get(i), finals.get(1).get(i), 0f);
        }
        assertNotEquals(curves.get(0), curves.get(2));
    }

    @Test
    void givenSeed_whenEpochOrderDrawn_thenSamePermutationEveryTimeAndNewOnePerEpoch() {
        int[] a = TrainingLoop.epochOrder(50, 11, 1);
        assertArrayEquals(a, TrainingLoop.epochOrder(50, 11, 1));
        assertFalse(java.util.Arrays.equals(a, TrainingLoop.epochOrder(50, 11, 2)));
        assertFalse(java.util.Arrays.equals(a, TrainingLoop.epochOrder(50, 12, 1)));
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).toArray(),
                java.util.Arrays.stream(a).sorted().toArray());
    }

    @Test
    void givenFlatValidationLoss_whenPatienceRunsOut_thenStopsEarlyAtBestEpochPlusPatience() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Block net = mlp();
            TrainingLoop.initialize(net, m, 7, new Shape(1, 2));
            LossFunction mse = LossFunction.meanSquaredError();
            // in evaluation mode the loss ignores the model: a validation loss that never improves
            LossFunction loss = (pass, batch) -> pass.training() ? mse.compute(pass, batch)
                    : batch.get(1).mul(0).sum().add(0.5f);
            int before = Tensors.liveArrays(m);
            TrainingHistory h = TrainingLoop.train(net, regression(64, 1), regression(32, 2), loss,
                    adam(50).optEarlyStopping(3, 0).build(), null);
            assertTrue(h.stoppedEarly());
            assertEquals(1, h.bestEpoch());
            assertEquals(4, h.epochs());
            assertEquals(List.of(0.5, 0.5, 0.5, 0.5), h.validationLoss());
            assertEquals("0.5,0.5,0.5,0.5", h.notes().get("val_loss_curve"));
            assertEquals(before, Tensors.liveArrays(m));
        }
    }

    @Test
    void givenOneWeight_whenOneAdamStep_thenMatchesTheHandComputedTorchUpdate() {
        // loss (w*x - y)^2 with w=0.5, x=2, y=3: grad = 2(wx - y)x = -8; Adam step 1: w - lr * g/(|g| + eps)
        double w1 = oneStep(TrainingConfig.Optimizer.ADAM, 0.1, 0, 0, 1);
        assertEquals(0.5 + 0.1 * 8 / (8 + 1e-8), w1, 1e-6);
        // weight decay 0.5 adds 0.25 to the gradient: g = -7.75, Adam's first step still moves by lr
        assertEquals(0.6, oneStep(TrainingConfig.Optimizer.ADAM, 0.1, 0, 0.5, 1), 1e-6);
    }

    @Test
    void givenOneWeight_whenSgdWithMomentumTakesTwoSteps_thenMatchesTheHandComputedTorchUpdate() {
        // step 1: buf = g1 = -8, w1 = 0.5 + 0.01*8 = 0.58; step 2: g2 = 2(0.58*2 - 3)*2 = -7.36,
        // buf = 0.9*(-8) + (-7.36) = -14.56, w2 = 0.58 + 0.01*14.56 = 0.7256
        assertEquals(0.58, oneStep(TrainingConfig.Optimizer.SGD, 0.01, 0.9, 0, 1), 1e-6);
        assertEquals(0.7256, oneStep(TrainingConfig.Optimizer.SGD, 0.01, 0.9, 0, 2), 1e-6);
    }

    @Test
    void givenGradientClipping_whenOneSgdStep_thenUpdateNormIsBoundedByLrTimesClip() {
        // |g| = 8 clipped to 0.5: w1 = 0.5 + 0.1 * 0.5 * (8 / (8 + 1e-6))
        assertEquals(0.55, oneStepClipped(0.5), 1e-6);
    }

    private static double oneStep(TrainingConfig.Optimizer opt, double lr, double momentum, double wd, int epochs) {
        return run(TrainingConfig.builder().setOptimizer(opt).setLearningRate(lr).optMomentum(momentum)
                .optWeightDecay(wd).setEpochs(epochs).setBatchSize(1).build());
    }

    private static double oneStepClipped(double clip) {
        return run(TrainingConfig.builder().setOptimizer(TrainingConfig.Optimizer.SGD).setLearningRate(0.1)
                .optGradientClipNorm(clip).setEpochs(1).setBatchSize(1).build());
    }

    private static double run(TrainingConfig cfg) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Block lin = Linear.builder().setUnits(1).optBias(false).build();
            TrainingLoop.initialize(lin, m, 0, new Shape(1, 1));
            lin.getParameters().valueAt(0).getArray().set(new float[] {0.5f});
            ArrayDataset one = ArrayDataset.of(new float[][] {{2f}}, new Shape(1)).with(new float[][] {{3f}}, new Shape(1));
            TrainingLoop.train(lin, one, null, LossFunction.meanSquaredError(), cfg, null);
            return lin.getParameters().valueAt(0).getArray().getFloat();
        }
    }

    @Test
    void givenRestoreBest_whenLaterEpochsGetWorse_thenBestWeightsArePutBack() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Block net = mlp();
            TrainingLoop.initialize(net, m, 7, new Shape(1, 2));
            LossFunction mse = LossFunction.meanSquaredError();
            // one validation batch per epoch whose loss grows with the epoch: epoch 1 is best
            int[] evals = {0};
            LossFunction loss = (pass, batch) -> pass.training() ? mse.compute(pass, batch)
                    : batch.get(1).mul(0).sum().add(++evals[0]);
            List<List<float[]>> afterEpoch = new ArrayList<>();
            int before = Tensors.liveArrays(m);
            TrainingHistory h = TrainingLoop.train(net, regression(64, 1), regression(8, 2), loss,
                    adam(3).setBatchSize(8).optRestoreBest(true).build(), (stage, done, total) -> afterEpoch.add(weights(net)));
            assertEquals(1, h.bestEpoch());
            assertEquals(List.of(1.0, 2.0, 3.0), h.validationLoss());
            assertEquals(before, Tensors.liveArrays(m));
            List<float[]> restored = weights(net);
            for (int i = 0; i < restored.size(); i++) {
                assertArrayEquals(afterEpoch.get(0).get(i), restored.get(i), 0f);
            }
            assertFalse(java.util.Arrays.equals(afterEpoch.get(2).get(0), restored.get(0)));
        }
    }

    @Test
    void givenBadSettings_whenConfigBuilt_thenTheParameterIsNamed() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> adam(0).build());
        assertEquals("epochs", e.parameter());
        assertEquals("momentum", assertThrows(InvalidConfigException.class,
                () -> adam(1).optMomentum(1.0).build()).parameter());
        assertEquals("learningRate", assertThrows(InvalidConfigException.class,
                () -> TrainingConfig.builder().setOptimizer(TrainingConfig.Optimizer.SGD).setEpochs(1).setBatchSize(1)
                        .build()).parameter());
    }

    @Test
    void givenUninitialisedBlockOrNonScalarLoss_whenTrained_thenClearErrors() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Block net = mlp();
            assertThrows(IllegalArgumentException.class, () -> TrainingLoop.train(net, regression(8, 1), null,
                    LossFunction.meanSquaredError(), adam(1).build(), null));
            TrainingLoop.initialize(net, m, 1, new Shape(1, 2));
            int before = Tensors.liveArrays(m);
            LossFunction vector = (pass, batch) -> pass.forward(batch.get(0));
            assertThrows(IllegalArgumentException.class,
                    () -> TrainingLoop.train(net, regression(8, 1), null, vector, adam(1).build(), null));
            assertEquals(before, Tensors.liveArrays(m));
            NDArray unused = m.zeros(new Shape(1));
            assertEquals(before + 1, Tensors.liveArrays(m));
            unused.close();
        }
    }
}
