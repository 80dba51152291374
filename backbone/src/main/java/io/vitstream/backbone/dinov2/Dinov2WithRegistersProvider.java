package io.vitstream.backbone.dinov2;

import com.fasterxml.jackson.databind.JsonNode;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.BackboneProvider;

/**
 * Registers DINOv2 with registers under {@code "dinov2_with_registers"} (HF {@code model_type}
 * of {@code Dinov2WithRegistersModel}, whose checkpoint prefix is that name too).
 */
public final class Dinov2WithRegistersProvider implements BackboneProvider {

    @Override
    public String name() {
        return Dinov2ConfigJson.WITH_REGISTERS;
    }

    @Override
    public Backbone create(JsonNode config) {
        return new Dinov2(Dinov2ConfigJson.read(config));
    }
}
