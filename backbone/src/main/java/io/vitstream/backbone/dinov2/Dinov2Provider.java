package io.vitstream.backbone.dinov2;

import com.fasterxml.jackson.databind.JsonNode;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.BackboneProvider;

/**
 * Registers DINOv2 under {@code "dinov2"} (HF {@code model_type} of {@code Dinov2Model}); its
 * subclass {@link Dinov2WithRegistersProvider} the same encoder under the other name. The config
 * itself says which variant it is.
 */
public class Dinov2Provider implements BackboneProvider {

    private final String name;

    public Dinov2Provider() {
        this(Dinov2ConfigJson.PLAIN);
    }

    protected Dinov2Provider(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Backbone create(JsonNode config) {
        return new Dinov2(Dinov2ConfigJson.read(config));
    }
}
