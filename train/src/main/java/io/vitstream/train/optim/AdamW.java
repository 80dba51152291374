package io.vitstream.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019), with a learning-rate factor and
 * a decay switch per parameter ({@link ParamGroups}), plus global gradient-norm clipping.
 *
 * <p>DJL's own {@code Adam} has one learning rate and decays every parameter; layer-wise decay
 * and decay-free norms need per-parameter settings, hence this small class. Moments are fp32
 * arrays in the state manager, updated in place; gradients are zeroed after each step because
 * PyTorch accumulates them and DJL's collector does not clear them.
 */
public final class AdamW {

    private final List<Slot> slots = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private int steps;

    private record Slot(String key, Parameter parameter, ParamGroups.Group group, NDArray m, NDArray v) {}

    /**
     * @param params the trainable parameters by checkpoint key
     * @param groups each parameter's treatment, by the same key
     * @param weightDecay decoupled decay coefficient (multiplied by the learning rate)
     * @param state manager for the moment arrays (the model's)
     */
    public AdamW(Map<String, Parameter> params, Map<String, ParamGroups.Group> groups, double weightDecay,
            NDManager state) {
        this(params, groups, 0.9, 0.999, 1e-8, weightDecay, state);
    }

    public AdamW(Map<String, Parameter> params, Map<String, ParamGroups.Group> groups, double beta1, double beta2,
            double eps, double weightDecay, NDManager state) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        params.forEach((key, p) -> {
            ParamGroups.Group g = groups.get(key);
            if (g == null) throw new IllegalArgumentException("no parameter group for '" + key + "'");
            NDArray w = p.getArray();
            slots.add(new Slot(key, p, g, state.zeros(w.getShape(), w.getDataType()), state.zeros(w.getShape(), w.getDataType())));
        });
    }

    /** Steps taken so far. */
    public int steps() {
        return steps;
    }

    /**
     * Scales all gradients down so their joint L2 norm is at most {@code maxNorm} (PyTorch's
     * {@code clip_grad_norm_}).
     *
     * @param maxNorm the limit, or {@code <= 0} to only measure
     * @return the norm before clipping
     */
    public double clipGradNorm(double maxNorm) {
        NDArray sum = null;
        for (Slot s : slots) {
            NDArray sq = s.parameter.getArray().getGradient().square().sum();
            sum = sum == null ? sq : sum.add(sq);
        }
        double norm = Math.sqrt(sum.getFloat());
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Slot s : slots) s.parameter.getArray().getGradient().muli(scale);
        }
        return norm;
    }

    /** Zeroes the gradients without updating (a skipped step). */
    public void zeroGradients() {
        for (Slot s : slots) {
            NDArray g = s.parameter.getArray().getGradient();
            g.subi(g);
        }
    }

    /**
     * One update with learning rate {@code lr} (scaled per parameter), then zeroes the gradients.
     * Call outside the gradient collector.
     */
    public void step(double lr) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        for (Slot s : slots) {
            NDArray w = s.parameter.getArray();
            NDArray g = w.getGradient();
            double rate = lr * s.group.lrScale();
            s.m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            s.v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
            NDArray denom = s.v.div((float) bc2).sqrt().addi((float) eps);
            if (s.group.decay() && weightDecay > 0) {
                w.muli((float) (1 - rate * weightDecay));
            }
            w.subi(s.m.div(denom).muli((float) (rate / bc1)));
            g.subi(g);
        }
    }

    /** The moments by {@code m.<key>} / {@code v.<key>}, for saving with the trainer state. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Slot s : slots) {
            out.put("m." + s.key, s.m);
            out.put("v." + s.key, s.v);
        }
        return out;
    }

    /**
     * Restores moments and the step count saved by {@link #state()}.
     *
     * @throws IllegalArgumentException naming a missing or misshaped moment
     */
    public void restore(Map<String, NDArray> saved, int steps) {
        for (Slot s : slots) {
            for (String kind : new String[] {"m.", "v."}) {
                NDArray from = saved.get(kind + s.key);
                NDArray to = kind.equals("m.") ? s.m : s.v;
                if (from == null || !from.getShape().equals(to.getShape())) {
                    throw new IllegalArgumentException("optimizer state: '" + kind + s.key + "' is "
                            + (from == null ? "missing" : "shaped " + from.getShape()) + ", expected " + to.getShape());
                }
                to.set(from.toType(to.getDataType(), false).toFloatArray());
            }
        }
        this.steps = steps;
    }
}
