package io.vitstream.stream.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.common.annotation.Blocking;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.pipeline.RecentlySeen;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live view's data ({@code docs/live.md}): the cameras' summaries pushed as server-sent
 * events, one camera in detail, its newest frame as JPEG. Every answer is built from
 * {@link LiveState} at the moment it is sent, so a client that reads slowly skips to the newest
 * state instead of queueing old ones.
 */
@Path("/live")
public class LiveResource {

    /** With nothing new, every camera is sent again this often (a heartbeat with fresh ages). */
    static final Duration FULL_EVERY = Duration.ofSeconds(2);

    @Inject
    LiveState live;

    @Inject
    LiveSummaries summaries;

    @Inject
    VitstreamConfig config;

    @Inject
    ObjectMapper mapper;

    private Duration interval;

    /** A scaled frame of one version. */
    private record Preview(long version, byte[] jpeg) {}

    /** Camera and size to its last preview; a few per camera shown. */
    private final RecentlySeen<String, Preview> previews = new RecentlySeen<>(64);

    @PostConstruct
    void init() {
        interval = config.live().interval();
        if (interval.toMillis() < 10) {
            throw new IllegalArgumentException("vitstream.live.interval must be >= 10ms, got " + interval);
        }
    }

    /**
     * Every {@code vitstream.live.interval}, the cameras that changed since this connection's last
     * event (all of them in the first event and every {@link #FULL_EVERY}). Ticks the client
     * cannot take yet are dropped, not queued.
     */
    @GET
    @Path("/updates")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> updates(@Context Sse sse) {
        return Multi.createFrom().deferred(() -> {
            Changes changes = new Changes();
            return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(interval)
                    .onOverflow().drop()
                    .map(tick -> changes.next(System.currentTimeMillis()))
                    .filter(Optional::isPresent)
                    .map(update -> sse.newEventBuilder().name("update").data(json(update.get())).reconnectDelay(1000).build());
        });
    }

    private String json(Map<String, Object> update) {
        try {
            return mapper.writeValueAsString(update);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("live update not serializable", e);
        }
    }

    /** One connection's view of what it was sent. */
    private final class Changes {
        private final Map<String, String> sent = new HashMap<>();
        private long lastFullMs = Long.MIN_VALUE;

        Optional<Map<String, Object>> next(long now) {
            boolean full = now - lastFullMs >= FULL_EVERY.toMillis();
            List<Map<String, Object>> changed = new java.util.ArrayList<>();
            for (String camera : live.known()) {
                // The cheap mark first: a summary is built only for a camera this connection is sent.
                Optional<String> mark = summaries.mark(camera, now);
                if (mark.isEmpty() || !full && mark.get().equals(sent.get(camera))) {
                    continue;
                }
                Optional<Map<String, Object>> s = summaries.summary(camera, now);
                if (s.isPresent()) {
                    sent.put(camera, mark.get());
                    changed.add(s.get());
                }
            }
            sent.keySet().retainAll(live.known());
            if (!full && changed.isEmpty()) {
                return Optional.empty();
            }
            if (full) {
                lastFullMs = now;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("now_ms", now);
            out.put("known", live.known());
            out.put("cameras", changed);
            return Optional.of(out);
        }
    }

    /** Every camera kept. */
    @GET
    @Path("/cameras")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> cameras() {
        long now = System.currentTimeMillis();
        List<Map<String, Object>> all = live.known().stream().map(c -> summaries.summary(c, now)).flatMap(Optional::stream).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now_ms", now);
        out.put("cameras", all);
        return out;
    }

    /** One camera with its recent events. */
    @GET
    @Path("/cameras/{camera}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response camera(@PathParam("camera") String camera) {
        long now = System.currentTimeMillis();
        return live.view(camera).flatMap(v -> summaries.summary(camera, now).map(s -> {
            Map<String, Object> out = new LinkedHashMap<>(s);
            out.put("events", v.events());
            return Response.ok(out).build();
        })).orElseGet(() -> unknown(camera));
    }

    /**
     * The camera's newest processed frame as JPEG; with {@code max-side}, scaled down so its
     * longer side is at most that many pixels (the tiles ask for previews, not 4K frames). The
     * last preview of each camera and size is kept until the camera's next frame.
     */
    @GET
    @Path("/cameras/{camera}/frame.jpg")
    @Blocking
    public Response frame(@PathParam("camera") String camera, @QueryParam("max-side") Integer maxSide) {
        if (maxSide != null && (maxSide < 16 || maxSide > 16384)) {
            return error(Response.Status.BAD_REQUEST, "max-side must be in 16..16384, got " + maxSide);
        }
        Optional<LiveState.LastFrame> last = live.lastFrame(camera);
        if (last.isEmpty()) {
            return unknown(camera);
        }
        LiveState.LastFrame f = last.get();
        byte[] jpeg;
        try {
            if (maxSide == null) {
                jpeg = Jpeg.of(f.bytes());
            } else {
                String key = camera + "@" + maxSide;
                Preview p = previews.get(key);
                if (p == null || p.version() != f.version()) {
                    p = new Preview(f.version(), Jpeg.scaled(f.bytes(), maxSide));
                    previews.merge(key, p, (a, b) -> b.version() >= a.version() ? b : a);
                }
                jpeg = p.jpeg();
            }
        } catch (IllegalArgumentException e) {
            return error(Response.Status.UNSUPPORTED_MEDIA_TYPE, "camera '" + camera + "': " + e.getMessage());
        }
        return Response.ok(jpeg, "image/jpeg").header("Cache-Control", "no-store")
                .header("X-Vitstream-Version", f.version()).header("X-Vitstream-Offset", f.frame().offset())
                .header("X-Vitstream-Partition", f.frame().partition()).build();
    }

    private Response unknown(String camera) {
        if (!live.enabled()) {
            return error(Response.Status.NOT_FOUND, "the live view is off (vitstream.live.enabled=false)");
        }
        return error(Response.Status.NOT_FOUND, "no camera '" + camera + "' has been processed by this instance (cameras: "
                + live.known() + ")");
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
