package io.vitstream.results;

import java.util.List;

/** One message of each kind the service publishes, filled as the service fills them. */
final class Messages {

    static final String DIGEST = "sha256:92b3546f205a0d129d31e515d79fc0a7ef05e3d804dbcdd1ccb62f2244425340";

    private Messages() {}

    static FrameResult classification() {
        return new FrameResult(FrameResult.SCHEMA, "cam-1", "classification", FrameResult.Status.OK, null,
                new FrameResult.FrameRef("frames", 0, 17, 4L, 1795300000100L, 640, 480),
                new FrameResult.ModelRef("fashion-scenes", DIGEST, "fp32", "cpu"),
                new FrameResult.Timings(3.25, 0.75, 41.0, 58.5), 1795300000181L,
                new HeadResult.Classification(List.of(new Label(3, "Dress", 0.875f), new Label(0, "T-shirt/top", 0.0625f))));
    }

    static FrameResult detections() {
        return new FrameResult(FrameResult.SCHEMA, "cam-2", "detection", FrameResult.Status.OK, null,
                new FrameResult.FrameRef("frames", 1, 4411, 17L, 1795300000123L, 96, 96),
                new FrameResult.ModelRef("fashion-scenes", DIGEST, "fp16", "gpu:0"),
                new FrameResult.Timings(3.5, 0.5, 12.25, 20.0), 1795300000181L,
                new HeadResult.Detections(List.of(new Detection(8, "Bag", 0.9375f, new Box(12.5f, 40.25f, 44.0f, 77.75f)))));
    }

    /** A frame without a sequence header, skipped by stride: no size, no result. */
    static FrameResult skipped() {
        return new FrameResult(FrameResult.SCHEMA, "cam-3", "detection", FrameResult.Status.SKIPPED, "stride",
                new FrameResult.FrameRef("frames", 2, 90, null, 1795300000200L, null, null),
                new FrameResult.ModelRef("fashion-scenes", DIGEST, "bf16", "cpu"),
                new FrameResult.Timings(0.5, 0, 0, 2.0), 1795300000202L, null);
    }
}
