package org.anomaly4j.reconstruction;

import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.reconstruction.ReconstructionConfig.Method;
import org.anomaly4j.tensor.ArrayDataset;
import org.anomaly4j.tensor.Autograd;
import org.anomaly4j.tensor.BatchSource;
import org.anomaly4j.tensor.LossFunction;
import org.anomaly4j.tensor.Ssim;
import org.anomaly4j.tensor.TrainingConfig;
import org.anomaly4j.tensor.TrainingHistory;
import org.anomaly4j.tensor.TrainingLoop;

/**
 * The training stages and losses of each {@link Method}, all run by the shared {@link TrainingLoop}.
 * Images are in [0, 1]; decoders end with a sigmoid.
 */
final class Trainer {
    private Trainer() {
    }

    static void train(ReconstructionConfig c, Net net, float[][] xs, Map<String, String> notes, ProgressListener l) {
        Shape sample = new Shape(c.channels(), c.height(), c.width());
        ArrayDataset data = ArrayDataset.of(xs, sample);
        switch (c.method()) {
            case AE, MEMAE -> stage(net, data, aeLoss(c, net), c.training(c.epochs(), 1), "", notes, l);
            case VAE -> stage(net, data, vaeLoss(c, net), c.training(c.epochs(), 1), "", notes, l);
            case GANOMALY -> stage(net, data, ganomalyLoss(c, net), c.training(c.epochs(), 1), "", notes, l);
            case FANOGAN, ANOGAN -> {
                Net gan = new Net().add("gen", net.part("gen"), null).add("disc", net.part("disc"), null);
                stage(gan, data, ganLoss(c, net), c.training(c.epochs(), 1), "gan_", notes, l);
                if (c.method() == Method.FANOGAN) {
                    int e = c.integer("encoder_epochs") > 0 ? c.integer("encoder_epochs") : c.epochs();
                    stage(net.part("enc"), data, izifLoss(c, net), c.training(e, 2), "encoder_", notes, l);
                }
            }
            case RESTORATION -> stage(net, new Degraded(c, xs), restorationLoss(net), c.training(c.epochs(), 1), "",
                    notes, l);
            case RIAD -> stage(net, new Masked(c, data), riadLoss(c, net), c.training(c.epochs(), 1), "", notes, l);
            case ALOCC -> {
                Net trained = new Net().add("enc", net.part("enc"), null).add("dec", net.part("dec"), null)
                        .add("disc", net.part("disc"), null);
                if (c.bool("stabilised")) {
                    int half = Math.max(1, c.epochs() / 2);
                    stage(trained, data, aloccLoss(c, net), c.training(half, 1), "first_", notes, l);
                    copy(net.part("enc"), net.part("enc_old"));
                    copy(net.part("dec"), net.part("dec_old"));
                    if (c.epochs() > half) {
                        stage(trained, data, aloccLoss(c, net), c.training(c.epochs() - half, 3), "second_", notes, l);
                    }
                } else {
                    stage(trained, data, aloccLoss(c, net), c.training(c.epochs(), 1), "", notes, l);
                }
            }
            default -> throw new AssertionError(c.method());
        }
    }

    private static void stage(Block block, BatchSource data, LossFunction loss, TrainingConfig cfg, String prefix,
            Map<String, String> notes, ProgressListener l) {
        TrainingHistory h = TrainingLoop.train(block, data, null, loss, cfg,
                (stage, done, total) -> l.progress(prefix.replace('_', ' ') + stage, done, total));
        h.notes().forEach((k, v) -> notes.put(prefix + k, v));
    }

    private static void copy(Block from, Block to) {
        var a = from.getParameters();
        var b = to.getParameters();
        for (int i = 0; i < a.size(); i++) {
            b.get(i).getValue().getArray().set(a.get(i).getValue().getArray().toFloatArray());
        }
    }

    private static NDArray fwd(Block b, ParameterStore ps, NDArray x, boolean training) {
        return b.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private static NDArray sigmoid(NDArray a) {
        return a.getNDArrayInternal().sigmoid();
    }

    /** AE (l2 or ssim) and MemAE (l2 plus addressing entropy). */
    static LossFunction aeLoss(ReconstructionConfig c, Net net) {
        boolean ssim = c.loss().equals("ssim");
        boolean mem = c.method() == Method.MEMAE;
        float ew = mem ? (float) c.real("entropy_weight") : 0f;
        return (pass, batch) -> {
            NDArray x = batch.get(0);
            NDArray z = fwd(net.part("enc"), pass.parameters(), x, pass.training());
            NDArray entropy = null;
            if (mem) {
                NDList zw = net.part("mem").forward(pass.parameters(), new NDList(z), pass.training());
                z = zw.get(0);
                NDArray w = zw.get(1);
                entropy = w.mul(w.add(1e-12f).log()).sum(new int[] {1}).neg().mean();
            }
            NDArray r = sigmoid(fwd(net.part("dec"), pass.parameters(), z, pass.training()));
            NDArray loss = ssim ? Ssim.DEFAULT.map(x, r).mean().neg().add(1f) : r.sub(x).square().mean();
            return entropy == null || ew == 0 ? loss : loss.add(Autograd.mul(entropy, ew));
        };
    }

    /** The ELBO per pixel: Gaussian NLL with learned per-pixel variance plus beta * KL / pixels. */
    static LossFunction vaeLoss(ReconstructionConfig c, Net net) {
        float beta = (float) c.real("kl_weight");
        float pixels = c.channels() * c.height() * c.width();
        return (pass, batch) -> {
            NDArray x = batch.get(0);
            NDList h = fwd(net.part("enc"), pass.parameters(), x, pass.training()).split(2, 1);
            NDArray mu = h.get(0);
            NDArray logVar = h.get(1).clip(-10f, 10f);
            NDArray eps = x.getManager().randomNormal(mu.getShape());
            NDArray z = mu.add(Autograd.mul(logVar, 0.5).exp().mul(eps));
            NDList out = fwd(net.part("dec"), pass.parameters(), z, pass.training()).split(2, 1);
            NDArray mean = sigmoid(out.get(0));
            NDArray lv = out.get(1).clip(-7f, 7f);
            NDArray nll = Autograd.mul(lv.add(x.sub(mean).square().mul(lv.neg().exp())), 0.5).mean();
            NDArray kl = Autograd.mul(mu.square().add(logVar.exp()).sub(logVar).sub(1f).sum(new int[] {1}), 0.5).mean();
            return nll.add(Autograd.mul(kl, beta / pixels));
        };
    }

    /** GANomaly: generator (feature matching, L1 reconstruction, latent consistency) plus discriminator BCE. */
    static LossFunction ganomalyLoss(ReconstructionConfig c, Net net) {
        float wAdv = (float) c.real("w_adv");
        float wRec = (float) c.real("w_rec");
        float wEnc = (float) c.real("w_enc");
        return (pass, batch) -> {
            NDArray x = batch.get(0);
            ParameterStore ps = pass.parameters();
            boolean t = pass.training();
            NDArray z = fwd(net.part("enc"), ps, x, t);
            NDArray r = sigmoid(fwd(net.part("dec"), ps, z, t));
            NDArray z2 = fwd(net.part("enc2"), ps, r, t);
            FrozenStore frozen = new FrozenStore(x.getManager());
            Block f = ReconstructionDetector.features(net.part("disc"));
            NDArray adv = fwd(f, frozen, x, t).sub(fwd(f, frozen, r, t)).square().mean();
            NDArray gen = Autograd.mul(adv, wAdv).add(Autograd.mul(r.sub(x).abs().mean(), wRec))
                    .add(Autograd.mul(z.sub(z2).square().mean(), wEnc));
            NDArray dReal = fwd(net.part("disc"), ps, x, t);
            NDArray dFake = fwd(net.part("disc"), ps, r.stopGradient(), t);
            NDArray disc = Ops.softplus(dReal.neg()).mean().add(Ops.softplus(dFake).mean());
            return gen.add(disc);
        };
    }

    /** A GAN with the non-saturating generator loss; codes from N(0, I). */
    static LossFunction ganLoss(ReconstructionConfig c, Net net) {
        int lat = c.latent();
        return (pass, batch) -> {
            NDArray x = batch.get(0);
            ParameterStore ps = pass.parameters();
            boolean t = pass.training();
            NDManager m = x.getManager();
            NDArray z = m.randomNormal(new Shape(x.getShape().get(0), lat));
            NDArray fake = sigmoid(fwd(net.part("gen"), ps, z, t));
            NDArray dReal = fwd(net.part("disc"), ps, x, t);
            NDArray dFake = fwd(net.part("disc"), ps, fake.stopGradient(), t);
            NDArray disc = Ops.softplus(dReal.neg()).mean().add(Ops.softplus(dFake).mean());
            NDArray gen = Ops.softplus(fwd(net.part("disc"), new FrozenStore(m), fake, t).neg()).mean();
            return disc.add(gen);
        };
    }

    /** f-AnoGAN izif: the encoder against the fixed generator and discriminator features. */
    static LossFunction izifLoss(ReconstructionConfig c, Net net) {
        float kappa = (float) c.real("kappa");
        return (pass, batch) -> {
            NDArray x = batch.get(0);
            FrozenStore frozen = new FrozenStore(x.getManager());
            NDArray z = fwd(net.part("enc"), pass.parameters(), x, pass.training());
            NDArray r = sigmoid(fwd(net.part("gen"), frozen, z, false));
            Block f = ReconstructionDetector.features(net.part("disc"));
            NDArray feat = fwd(f, frozen, x, false).sub(fwd(f, frozen, r, false)).square().mean();
            return r.sub(x).square().mean().add(Autograd.mul(feat, kappa));
        };
    }

    /** Restoration: batch {@code [degraded, original]}. */
    static LossFunction restorationLoss(Net net) {
        return (pass, batch) -> {
            NDArray r = sigmoid(fwd(net.part("unet"), pass.parameters(), batch.get(0), pass.training()));
            return r.sub(batch.get(1)).square().mean();
        };
    }

    /** RIAD: L2 + (1 - SSIM) + MSGMS of the image inpainted from the batch's masks. */
    static LossFunction riadLoss(ReconstructionConfig c, Net net) {
        boolean ssim = c.height() >= 11 && c.width() >= 11;
        return (pass, batch) -> {
            NDArray x = batch.get(0);
            NDArray masks = batch.get(1).expandDims(2); // [S, 1, 1, H, W]
            Shape s = x.getShape();
            long splits = masks.getShape().get(0);
            NDArray hidden = x.expandDims(0).mul(masks.neg().add(1f)).reshape(splits * s.get(0), s.get(1), s.get(2),
                    s.get(3));
            NDArray out = sigmoid(fwd(net.part("unet"), pass.parameters(), hidden, pass.training()))
                    .reshape(splits, s.get(0), s.get(1), s.get(2), s.get(3));
            NDArray r = out.mul(masks).sum(new int[] {0});
            NDArray loss = r.sub(x).square().mean().add(Ops.msgmsDistance(x, r).mean());
            return ssim ? loss.add(Ssim.DEFAULT.map(x, r).mean().neg().add(1f)) : loss;
        };
    }

    /** ALOCC: reconstructor of noisy inputs (adversarial plus w_rec * L2) and discriminator BCE. */
    static LossFunction aloccLoss(ReconstructionConfig c, Net net) {
        float noise = (float) c.real("noise");
        float wRec = (float) c.real("w_rec");
        return (pass, batch) -> {
            NDArray x = batch.get(0);
            ParameterStore ps = pass.parameters();
            boolean t = pass.training();
            NDManager m = x.getManager();
            NDArray noisy = noise > 0 ? x.add(m.randomNormal(0f, noise, x.getShape(), x.getDataType())) : x;
            NDArray r = sigmoid(fwd(net.part("dec"), ps, fwd(net.part("enc"), ps, noisy, t), t));
            NDArray dReal = fwd(net.part("disc"), ps, x, t);
            NDArray dFake = fwd(net.part("disc"), ps, r.stopGradient(), t);
            NDArray disc = Ops.softplus(dReal.neg()).mean().add(Ops.softplus(dFake).mean());
            NDArray gen = Ops.softplus(fwd(net.part("disc"), new FrozenStore(m), r, t).neg()).mean()
                    .add(Autograd.mul(r.sub(x).square().mean(), wRec));
            return disc.add(gen);
        };
    }

    /** Restoration data: each sample degraded by a random choice of the configured degradations. */
    static final class Degraded implements BatchSource {
        private final ReconstructionConfig c;
        private final float[][] xs;

        Degraded(ReconstructionConfig c, float[][] xs) {
            this.c = c;
            this.xs = xs;
        }

        @Override
        public int size() {
            return xs.length;
        }

        @Override
        public NDList batch(NDManager manager, int[] indices, Random random) {
            int ch = c.channels();
            int h = c.height();
            int w = c.width();
            int per = ch * h * w;
            float[] in = new float[indices.length * per];
            float[] target = new float[indices.length * per];
            var kinds = c.degradations();
            for (int i = 0; i < indices.length; i++) {
                float[] x = xs[indices[i]];
                String g = kinds.get(random.nextInt(kinds.size()));
                float[] d = switch (g) {
                    case "grey" -> Ops.grey(x, ch, h, w);
                    case "rotate" -> Ops.rotate(x, ch, h, 1 + random.nextInt(3));
                    default -> Ops.shuffle(x, ch, h, w, Ops.permutation(16, random));
                };
                System.arraycopy(d, 0, in, i * per, per);
                System.arraycopy(x, 0, target, i * per, per);
            }
            Shape s = new Shape(indices.length, ch, h, w);
            return new NDList(manager.create(in, s), manager.create(target, s));
        }
    }

    /** RIAD data: the images and, per batch, one random cell size and its disjoint masks {@code [S, 1, H, W]}. */
    static final class Masked implements BatchSource {
        private final ReconstructionConfig c;
        private final ArrayDataset data;

        Masked(ReconstructionConfig c, ArrayDataset data) {
            this.c = c;
            this.data = data;
        }

        @Override
        public int size() {
            return data.size();
        }

        @Override
        public NDList batch(NDManager manager, int[] indices, Random random) {
            NDList out = data.batch(manager, indices, random);
            int[] sizes = c.maskSizes();
            int k = sizes[random.nextInt(sizes.length)];
            int splits = c.integer("mask_splits");
            out.add(manager.create(Ops.masks(c.height(), c.width(), k, splits, random),
                    new Shape(splits, 1, c.height(), c.width())));
            return out;
        }
    }
}
