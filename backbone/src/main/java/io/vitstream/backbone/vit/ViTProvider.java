package io.vitstream.backbone.vit;

import com.fasterxml.jackson.databind.JsonNode;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.BackboneProvider;

/** Registers the Vision Transformer under {@code "vit"} (HF {@code model_type}). */
public final class ViTProvider implements BackboneProvider {

    @Override
    public String name() {
        return "vit";
    }

    @Override
    public Backbone create(JsonNode config) {
        return new ViT(ViTConfigJson.read(config));
    }
}
