package io.vitstream.results;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The message schemas of docs/schemas, loaded from where this artifact packs them (also used by
 * the stream module's tests, through this module's test jar).
 */
public final class Schemas {

    private Schemas() {}

    /**
     * Loads a schema by file name, as draft 2020-12 (what its {@code $schema} says).
     *
     * @param name e.g. {@code frame-result.schema.json}
     */
    public static JsonSchema load(String name) {
        String path = "/io/vitstream/results/schemas/" + name;
        try (InputStream in = Schemas.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema " + path + " is not on the class path (copied from docs/schemas by the build)");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
