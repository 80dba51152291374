package io.vitstream.train.loop;

import ai.djl.nn.Parameter;

import io.vitstream.heads.VisionModel;

import java.util.LinkedHashMap;
import java.util.Map;

/** A model's parameters under the keys {@link VisionModel#save} writes them with. */
public final class ModelParams {

    private ModelParams() {}

    /** Every parameter by full checkpoint key (backbone prefix or head prefix included). */
    public static Map<String, Parameter> all(VisionModel model) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        model.backbone().namedParameters().forEach((k, p) -> out.put(model.backbone().checkpointPrefix() + k, p));
        model.heads().values().forEach(h -> h.namedParameters().forEach((k, p) -> out.put(h.checkpointPrefix() + k, p)));
        return out;
    }

    /**
     * The parameters training may change: all but the frozen ones (a ResNet's batch-norm
     * statistics and affine parameters, which DETR keeps fixed; a gradient step would move a
     * running variance anywhere, negative included).
     */
    public static Map<String, Parameter> learnable(VisionModel model) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        all(model).forEach((k, p) -> {
            if (p.requiresGradient()) out.put(k, p);
        });
        return out;
    }

    /** The head parameters only (what trains when the backbone is frozen). */
    public static Map<String, Parameter> heads(VisionModel model) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        model.heads().values().forEach(h -> h.namedParameters().forEach((k, p) -> out.put(h.checkpointPrefix() + k, p)));
        return out;
    }

    /**
     * Switches gradient tracking on for the given parameters and off for every other one of the
     * model, so a frozen backbone costs no backward pass.
     */
    public static void setTrainable(VisionModel model, Map<String, Parameter> trainable) {
        all(model).forEach((k, p) -> p.getArray().setRequiresGradient(trainable.containsKey(k)));
    }
}
