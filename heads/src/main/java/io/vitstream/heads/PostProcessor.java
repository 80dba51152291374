package io.vitstream.heads;

import ai.djl.ndarray.NDList;

import io.vitstream.backbone.image.ImageGeometry;
import io.vitstream.results.HeadResult;

import java.util.List;

/** Turns a head's raw batch output into one plain record per image, outside the network. */
@FunctionalInterface
public interface PostProcessor {

    /**
     * @param raw the head's output for a batch of B images
     * @param geometries how each original image maps onto the model input, B entries
     * @return B results, in batch order
     */
    List<HeadResult> process(NDList raw, List<ImageGeometry> geometries);
}
