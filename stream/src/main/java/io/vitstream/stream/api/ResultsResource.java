package io.vitstream.stream.api;

import io.vitstream.results.FrameResult;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/** The newest results per camera, as published to Kafka. */
@Path("/results/latest")
@Produces(MediaType.APPLICATION_JSON)
public class ResultsResource {

    @Inject
    LatestResults latest;

    /**
     * With {@code ?camera=cam-1}: head name to newest result of that camera; without: every
     * camera's.
     */
    @GET
    public Object latest(@QueryParam("camera") String camera) {
        if (camera == null || camera.isBlank()) {
            return latest.all();
        }
        Map<String, FrameResult> one = latest.camera(camera);
        return one;
    }
}
