package io.vitstream.backbone;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import com.fasterxml.jackson.databind.JsonNode;

import io.vitstream.backbone.checkpoint.Weights;


import java.util.Map;

/** The registry of {@link BackboneProvider}s found on the class path. */
public final class Backbones {

    private static final ProviderRegistry<BackboneProvider> REGISTRY =
            new ProviderRegistry<>(BackboneProvider.class, "backbone", BackboneProvider::name);

    private Backbones() {}

    /** All registered providers by name. */
    public static Map<String, BackboneProvider> providers() {
        return REGISTRY.all();
    }

    /**
     * The provider registered under {@code name}.
     *
     * @throws IllegalArgumentException listing the known names when there is none
     */
    public static BackboneProvider provider(String name) {
        BackboneProvider provider = providers().get(name);
        if (provider == null) {
            throw new IllegalArgumentException(
                    "unknown backbone '" + name + "'; known backbones: " + providers().keySet());
        }
        return provider;
    }

    /**
     * Creates the backbone a config describes, by its {@code model_type}.
     *
     * @throws IllegalArgumentException when no provider accepts the config
     */
    public static Backbone create(JsonNode config) {
        JsonNode type = config.get("model_type");
        if (type == null) {
            throw new IllegalArgumentException(
                    "backbone config has no 'model_type'; known backbones: " + providers().keySet());
        }
        return provider(type.asText()).create(config);
    }

    /**
     * The backbone section of a checkpoint's {@code config.json}: the {@code "backbone"} object
     * of a vitstream composite config, or the whole file for a plain Hugging Face config.
     */
    public static JsonNode backboneSection(JsonNode config) {
        JsonNode section = config.get("backbone");
        return section != null && section.isObject() ? section : config;
    }

    /**
     * Sets a backbone's parameters from checkpoint weights, with or without the backbone's
     * prefix (HF full models store {@code vit.}-prefixed keys, base models bare ones).
     *
     * @throws io.vitstream.backbone.checkpoint.CheckpointException naming missing keys and
     *     shape mismatches
     */
    public static void loadWeights(Backbone backbone, Weights weights, NDManager manager,
            Precision precision, Device device) {
        String prefix = weights.hasPrefix(backbone.checkpointPrefix()) ? backbone.checkpointPrefix() : "";
        weights.loadInto(prefix, backbone.namedParameters(), backbone.parameterShapes(),
                backbone.ignorableKeys(), "config says " + backbone.describe(), manager, precision, device);
    }

    /** The backbone's arrays under their full-model checkpoint keys (with the prefix), for saving. */
    public static Map<String, ai.djl.ndarray.NDArray> checkpointTensors(Backbone backbone) {
        Map<String, ai.djl.ndarray.NDArray> out = new java.util.LinkedHashMap<>();
        backbone.namedParameters().forEach((k, p) -> out.put(backbone.checkpointPrefix() + k, p.getArray()));
        return out;
    }
}
