package io.vitstream.stream.explain;

import io.smallrye.common.annotation.Blocking;
import io.vitstream.backbone.explain.AttentionRollout.HeadFusion;
import io.vitstream.backbone.image.BadImageException;
import io.vitstream.results.FrameResult;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.live.LiveState;
import io.vitstream.stream.model.ModelService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * {@code /v1/explain} (docs/live.md): the attention rollout of the backbone on a camera's newest
 * processed frame ({@code GET ?camera=}) or on the image in the body ({@code POST}, JPEG or PNG),
 * as JSON or as the frame with the heat map drawn over it (PNG).
 *
 * <p>Parameters: {@code layer} (1..L, default L), {@code fusion} ({@code mean}, {@code max},
 * {@code min}), {@code format} ({@code json}, {@code png}; without it {@code Accept: image/png}
 * asks for the PNG). A model whose backbone has no attention (ResNet) gets 409 saying so. A bad
 * parameter or a missing camera gets 400 naming it, an unknown camera
 * 404 naming the known ones, an image that cannot be decoded 422 with its reason (as
 * {@code POST /v1/infer}); bodies over {@code vitstream.limits.max-bytes} get 413 and other
 * content types 415 from the HTTP server.
 *
 * <p>Memory: an explanation holds every layer's {@code [heads][T][T]} attention maps and a
 * decoded frame, much more than an inference, so at most {@link #MAX_RUNNING} run at once (apart
 * from {@code /v1/infer}'s own bound); a request beyond gets 429 with {@code Retry-After} rather
 * than queueing, so a burst cannot pile up maps in memory. The work runs on a worker thread,
 * never on the event loop.
 */
@Path("/v1/explain")
@ApplicationScoped
public class ExplainResource {

    /** Explanations computed at once; the rest are refused with 429. */
    static final int MAX_RUNNING = 2;

    private static final String PNG = "image/png";

    @Inject
    ModelService service;

    @Inject
    LiveState live;

    @Inject
    VitstreamConfig config;

    private final Semaphore running = new Semaphore(MAX_RUNNING);

    @GET
    @Blocking
    public Response ofCamera(@QueryParam("camera") String camera, @QueryParam("layer") String layer,
            @QueryParam("fusion") String fusion, @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (camera == null || camera.isEmpty()) {
            return error(Response.Status.BAD_REQUEST, "camera is required: GET /v1/explain?camera=<camera>, or POST an image");
        }
        Optional<LiveState.LastFrame> last = live.lastFrame(camera);
        if (last.isEmpty()) {
            return error(Response.Status.NOT_FOUND, "no processed frame of camera '" + camera + "'; cameras known: " + live.known());
        }
        FrameResult.FrameRef ref = last.get().frame();
        ExplanationJson.Lineage lineage = ref == null ? null
                : new ExplanationJson.Lineage(ref.topic(), ref.partition(), ref.offset(), ref.captureTimeMs());
        return explain(last.get().bytes(), camera, lineage, layer, fusion, format, accept);
    }

    @POST
    @Blocking
    @Consumes({"image/jpeg", PNG, MediaType.APPLICATION_OCTET_STREAM})
    public Response ofImage(byte[] body, @QueryParam("layer") String layer, @QueryParam("fusion") String fusion,
            @QueryParam("format") String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return explain(body, null, null, layer, fusion, format, accept);
    }

    private Response explain(byte[] image, String camera, ExplanationJson.Lineage frame, String layerParam,
            String fusionParam, String formatParam, String accept) {
        if (!service.ready()) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "model not loaded yet");
        }
        Explainer explainer = new Explainer(service.model(), service.preprocessor());
        Optional<String> unavailable = explainer.unavailable();
        if (unavailable.isPresent()) {
            return error(Response.Status.CONFLICT, unavailable.get());
        }
        int layer;
        HeadFusion fusion;
        boolean png;
        try {
            layer = Explainer.layer(layerParam, explainer.layers());
            fusion = Explainer.fusion(fusionParam);
            png = png(formatParam, accept);
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        }
        if (!running.tryAcquire()) {
            return Response.status(429).header("Retry-After", "1").type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", MAX_RUNNING + " explanations are being computed; try again shortly")).build();
        }
        try {
            Explanation e = explainer.explain(image, layer, fusion);
            if (png) {
                return Response.ok(explainer.png(image, e, config.explain().pngMaxSide()), PNG).build();
            }
            return Response.ok(ExplanationJson.write(e, null, camera, frame), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (BadImageException e) {
            return Response.status(422).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", e.getMessage(), "reason", e.reason().code())).build();
        } finally {
            running.release();
        }
    }

    /**
     * Whether to answer with the PNG: {@code format=png}, or no {@code format} and an
     * {@code Accept} naming {@code image/png}.
     *
     * @throws IllegalArgumentException for a format other than json or png
     */
    static boolean png(String format, String accept) {
        if (format == null || format.isBlank()) {
            return accept != null && accept.contains(PNG);
        }
        return switch (format.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> false;
            case "png" -> true;
            default -> throw new IllegalArgumentException("format must be json or png, got '" + format + "'");
        };
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error", message)).build();
    }
}
