package io.vitstream.backbone.resnet;

import com.fasterxml.jackson.databind.JsonNode;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.BackboneProvider;

/** Registers the bottleneck ResNet under {@code "resnet50"} (the architecture's timm name). */
public final class ResNetProvider implements BackboneProvider {

    @Override
    public String name() {
        return "resnet50";
    }

    @Override
    public Backbone create(JsonNode config) {
        return new ResNet(ResNetConfig.read(config));
    }
}
