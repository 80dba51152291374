package io.vitstream.stream.api;

import io.vitstream.backbone.image.NativeCodec;
import io.vitstream.heads.Head;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.PathSelection;
import io.vitstream.stream.model.ModelService;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/model}: what is loaded and how it runs. */
@Path("/v1/model")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    @Inject
    ModelService service;

    /** A head as the API describes it. */
    public record HeadInfo(String name, String type, String topic, List<String> labels) {}

    /** How frames become inputs: {@code vitstream.decode.mode} and the decoder that runs it. */
    public record DecodeInfo(String mode, String decoder) {}

    /**
     * The loaded model. {@code inputSize} is the fixed {@code [height, width]} of every input; for
     * a model without one (DETR's per-image size, {@code resize.mode} {@code shortest_longest_edge})
     * it is {@code [shortest_edge, longest_edge]}, the input of a landscape frame at the limit, and
     * {@code resize} says how sizes are really chosen.
     */
    public record ModelInfo(String id, String digest, String backbone, Map<String, Object> backboneConfig,
            int[] inputSize, Map<String, Object> resize, String precision, String path, String runtime, String device,
            List<HeadInfo> heads,
            DecodeInfo decode, Selection selection) {}

    /** What {@code precision=auto} measured: every candidate path and the one chosen (null when explicit). */
    public record Selection(String chosen, int batch, long millis, List<PathSelection.Candidate> candidates) {}

    @GET
    public Response model() {
        if (!service.ready()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).build();
        }
        VisionModel m = service.model();
        List<HeadInfo> heads = new ArrayList<>();
        for (Map.Entry<String, Head> e : m.heads().entrySet()) {
            heads.add(new HeadInfo(e.getKey(), e.getValue().type(), service.headTopics().get(e.getKey()),
                    e.getValue().labels()));
        }
        Map<String, Object> backbone = new LinkedHashMap<>();
        m.backbone().toConfigJson().fields().forEachRemaining(f -> backbone.put(f.getKey(), f.getValue()));
        var ref = service.modelRef();
        return Response.ok(new ModelInfo(ref.id(), ref.digest(), m.backbone().describe(), backbone,
                new int[] {m.preprocessorConfig().height(), m.preprocessorConfig().width()},
                m.preprocessorConfig().resizeInfo(), ref.precision(),
                m.path().label(), m.path().runtime(), ref.device(), heads,
                new DecodeInfo(service.preprocessor().mode().code(), NativeCodec.describe()),
                service.selection().map(r -> new Selection(r.chosen().label(), r.batch(), r.millis(), r.candidates()))
                        .orElse(null))).build();
    }
}
