package io.vitstream.heads.detr;

import com.fasterxml.jackson.databind.JsonNode;

import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.HeadProvider;

/** Registers the DETR-style detection head as {@code "detr"}. */
public final class DetrProvider implements HeadProvider {

    @Override
    public String name() {
        return "detr";
    }

    @Override
    public String defaultTopic() {
        return "detections";
    }

    @Override
    public Head create(JsonNode config, HeadContext context) {
        return new DetrHead(DetrConfig.read(config), context);
    }
}
