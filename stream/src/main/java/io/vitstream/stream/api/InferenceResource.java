package io.vitstream.stream.api;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Blocking;
import io.vitstream.backbone.image.BadImageException;
import io.vitstream.results.FrameResult;
import io.vitstream.stream.model.ModelService;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.OutputRecord;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/infer}: one image in (JPEG or PNG body), the same result JSON the topics carry
 * out, one entry per head. Bad images get 422 with the reason; the model runs off the event loop.
 */
@Path("/v1/infer")
public class InferenceResource {

    @Inject
    ModelService service;

    @Inject
    ObjectMapper json;

    @POST
    @Blocking
    @Consumes({"image/jpeg", "image/png", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public Response infer(byte[] body, @QueryParam("camera") @DefaultValue("http") String camera) throws IOException {
        if (!service.ready()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(Map.of("error", "model not loaded yet")).build();
        }
        Frame frame = new Frame(camera, body, "http", -1, -1, null, System.currentTimeMillis(), System.nanoTime());
        List<OutputRecord> records = service.processor().process(List.of(frame));
        Map<String, Object> out = new LinkedHashMap<>();
        for (OutputRecord r : records) {
            if (r.kind() == OutputRecord.Kind.DEAD_LETTER) {
                return Response.status(422).entity(Map.of("error", r.headers().get(io.vitstream.stream.pipeline.Headers.DLQ_MESSAGE),
                        "reason", r.headers().get(io.vitstream.stream.pipeline.Headers.DLQ_REASON))).build();
            }
            FrameResult result = json.readValue(r.value(), FrameResult.class);
            out.put(result.head(), result);
        }
        return Response.ok(out).build();
    }
}
