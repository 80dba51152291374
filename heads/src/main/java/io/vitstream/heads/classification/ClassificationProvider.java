package io.vitstream.heads.classification;

import com.fasterxml.jackson.databind.JsonNode;

import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.HeadProvider;

/** Registers the classification head as {@code "classification"}. */
public final class ClassificationProvider implements HeadProvider {

    @Override
    public String name() {
        return "classification";
    }

    @Override
    public String defaultTopic() {
        return "classifications";
    }

    @Override
    public Head create(JsonNode config, HeadContext context) {
        return new ClassificationHead(ClassificationConfig.read(config), context);
    }
}
