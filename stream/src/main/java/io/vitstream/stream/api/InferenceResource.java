package io.vitstream.stream.api;

import io.smallrye.common.annotation.Blocking;
import io.vitstream.backbone.image.BadImageException;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.model.ForRest;
import io.vitstream.stream.model.ModelService;
import io.vitstream.stream.pipeline.CameraKeys;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.FrameProcessor;
import io.vitstream.stream.pipeline.Headers;
import io.vitstream.stream.pipeline.OutputRecord;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /v1/infer}: one image in (JPEG or PNG body), the same result JSON the topics carry
 * out, one entry per head. Bad images get 422 with the reason; the model runs off the event loop.
 *
 * <p>Kept apart from the stream: at most {@code vitstream.http.max-concurrent} requests run at
 * once (429 with {@code Retry-After} beyond), no camera skip policy, its own failure count (a
 * REST failure never turns liveness DOWN, a REST success never hides a failing stream); bodies
 * over {@code vitstream.limits.max-bytes} get 413 from the HTTP server.
 */
@Path("/v1/infer")
@ApplicationScoped
public class InferenceResource {

    @Inject
    ModelService service;

    @Inject
    @ForRest
    Instance<FrameProcessor> processor;

    @Inject
    VitstreamConfig config;

    private Semaphore running;

    @PostConstruct
    void init() {
        int n = config.http().maxConcurrent();
        if (n < 1) {
            throw new IllegalArgumentException("vitstream.http.max-concurrent must be >= 1, got " + n);
        }
        running = new Semaphore(n);
    }

    @POST
    @Blocking
    @Consumes({"image/jpeg", "image/png", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public Response infer(byte[] body, @QueryParam("camera") @DefaultValue("http") String camera) {
        if (!service.ready()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(Map.of("error", "model not loaded yet")).build();
        }
        Optional<String> badCamera = CameraKeys.problem(camera, config.limits().maxKeyBytes());
        if (badCamera.isPresent()) {
            return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", "camera: " + badCamera.get(),
                    "reason", "bad-key")).build();
        }
        if (!running.tryAcquire()) {
            return Response.status(429).header("Retry-After", "1").entity(Map.of("error", config.http().maxConcurrent()
                    + " requests are running (vitstream.http.max-concurrent); try again shortly")).build();
        }
        List<OutputRecord> records;
        try {
            Frame frame = new Frame(camera, body, "http", -1, -1, null, System.currentTimeMillis(), System.nanoTime());
            records = processor.get().process(List.of(frame));
        } finally {
            running.release();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (OutputRecord r : records) {
            if (r.kind() == OutputRecord.Kind.DEAD_LETTER) {
                return Response.status(422).entity(Map.of("error", r.headers().get(Headers.DLQ_MESSAGE),
                        "reason", r.headers().get(Headers.DLQ_REASON))).build();
            }
            out.put(r.result().head(), r.result());
        }
        return Response.ok(out).build();
    }
}
