package io.vitstream.backbone.dinov2;

import com.fasterxml.jackson.databind.JsonNode;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.BackboneProvider;

/** Registers DINOv2 under {@code "dinov2"} (HF {@code model_type} of {@code Dinov2Model}). */
public final class Dinov2Provider implements BackboneProvider {

    @Override
    public String name() {
        return Dinov2ConfigJson.PLAIN;
    }

    @Override
    public Backbone create(JsonNode config) {
        return new Dinov2(Dinov2ConfigJson.read(config));
    }
}
