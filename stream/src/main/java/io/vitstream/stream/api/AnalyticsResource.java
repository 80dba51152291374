package io.vitstream.stream.api;

import io.vitstream.analytics.CameraAnalytics;
import io.vitstream.stream.analytics.AnalyticsService;
import io.vitstream.stream.analytics.AnalyticsStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /analytics/counts?camera=}: a camera's running line and zone counts per class, its
 * confirmed tracks and its lines and zones, as of its last processed frame. Without
 * {@code camera}, every camera this instance holds.
 */
@Path("/analytics")
public class AnalyticsResource {

    @Inject
    AnalyticsService analytics;

    @GET
    @Path("/counts")
    @Produces(MediaType.APPLICATION_JSON)
    public Response counts(@QueryParam("camera") String camera) {
        if (analytics.stage().isEmpty()) {
            return error(Response.Status.NOT_FOUND, "analytics is off (vitstream.analytics.enabled=false, or the model has no"
                    + " detection head)");
        }
        AnalyticsStage stage = analytics.stage().get();
        if (camera == null) {
            Map<String, Object> all = new TreeMap<>();
            stage.views().forEach((name, v) -> all.put(name, json(v)));
            return Response.ok(Map.of("cameras", all)).build();
        }
        return stage.view(camera).map(v -> Response.ok(json(v)).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "no camera '" + camera + "' has been tracked by this instance"
                        + " (cameras: " + new java.util.TreeSet<>(stage.views().keySet()) + ")"));
    }

    private static Map<String, Object> json(AnalyticsStage.View v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("camera", v.camera());
        out.put("last_frame", v.lastFrame());
        out.put("counts", v.counts());
        List<Map<String, Object>> tracks = v.tracks().stream().map(AnalyticsResource::track).toList();
        out.put("tracks", tracks);
        out.put("config", io.vitstream.stream.analytics.AnalyticsJson.tree(v.config().toJson()));
        return out;
    }

    private static Map<String, Object> track(CameraAnalytics.TrackView t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("track_id", t.id());
        m.put("label", t.label());
        m.put("box", List.of(t.x1(), t.y1(), t.x2(), t.y2()));
        m.put("misses", t.misses());
        return m;
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
