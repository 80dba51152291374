package io.vitstream.stream.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vitstream.backbone.Devices;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.FrameResult;
import io.vitstream.stream.Images;
import io.vitstream.stream.MessageSchemas;
import io.vitstream.stream.TestModel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One micro-batch through the real model, without Kafka: every frame ends in exactly one fate
 * (a result per head, a skip notice per head, or one dead letter), in input order, and each
 * record matches its schema in docs/messages.md.
 *
 * <p>A {@code @QuarkusTest} only so that it runs in the same class loader as the other service
 * tests: PyTorch's native library can be loaded by one class loader per JVM.
 */
@QuarkusTest
@QuarkusTestResource(TestModel.class)
class FrameProcessorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("target/test-model-processor");
    private static VisionModel model;
    private static ExecutorService decodePool;
    private static SimpleMeterRegistry registry;

    @BeforeAll
    static void load() {
        TestModel.write(DIR);
        model = VisionModel.load(DIR, Precision.FP32, Devices.parse("cpu"));
        decodePool = Executors.newFixedThreadPool(2);
        registry = new SimpleMeterRegistry();
    }

    @AfterAll
    static void close() {
        if (decodePool != null) {
            decodePool.shutdown();
        }
        if (model != null) {
            model.close();
        }
    }

    private static FrameProcessor processor(SkipPolicy skip, long deadLetterMaxBytes) {
        return processor(skip, deadLetterMaxBytes, new TopicLimits(1 << 20));
    }

    private static FrameProcessor processor(SkipPolicy skip, long deadLetterMaxBytes, TopicLimits limits) {
        OutputFactory outputs = new OutputFactory(Map.of("classification", "classifications", "detection", "detections"),
                "frames-dlq", deadLetterMaxBytes, new FrameResult.ModelRef("test", model.digest(), "fp32", "cpu"), limits);
        return new FrameProcessor(model, model.newPreprocessor(new ImageLimits(1 << 20, 40_000_000)), outputs, skip, decodePool,
                new StreamMetrics(registry));
    }

    private static Frame frame(String camera, long offset, byte[] bytes, long captureTimeMs) {
        return new Frame(camera, bytes, "frames", 0, offset, offset, captureTimeMs, System.nanoTime());
    }

    @Test
    void strideKeepsEveryNthFramePerCameraAndStaleFramesAreSkipped() throws Exception {
        long now = System.currentTimeMillis();
        byte[] img = Images.encoded(48, 40, 1, "png");
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            frames.add(frame("cam-a", i, img, now));
            frames.add(frame("cam-b", 100 + i, img, i == 4 ? now - 60_000 : now));
        }
        FrameProcessor p = processor(new SkipPolicy(3, Optional.of(Duration.ofSeconds(5))), 1_000_000);
        List<OutputRecord> out = p.process(frames);

        assertEquals(frames.size() * 2, out.size(), "two heads: two records per frame");
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            for (OutputRecord r : out.subList(2 * i, 2 * i + 2)) {
                assertEquals(f, r.source(), "records in frame order");
                MessageSchemas.assertResult(r.value(), f.position());
                FrameResult fr = JSON.readValue(r.value(), FrameResult.class);
                long n = f.camera().equals("cam-a") ? f.offset() : f.offset() - 100;
                String expected = f.camera().equals("cam-b") && n == 4 ? "stale" : n % 3 == 0 ? null : "stride";
                if (expected == null) {
                    assertEquals(OutputRecord.Kind.RESULT, r.kind(), f.position());
                    assertEquals(FrameResult.Status.OK, fr.status());
                } else {
                    assertEquals(OutputRecord.Kind.SKIPPED, r.kind(), f.position());
                    assertEquals(FrameResult.Status.SKIPPED, fr.status());
                    assertEquals(expected, fr.skipReason(), f.position());
                    assertNull(fr.result());
                }
            }
        }
        assertEquals(1.0, registry.get("vitstream.frames.skipped").tag("reason", "stale").counter().count());
    }

    @Test
    void aDeadLetterCarriesTheFrameUnlessItIsOverTheLimit() {
        long now = System.currentTimeMillis();
        byte[] small = Images.notAnImage(500);
        byte[] big = Images.notAnImage(5_000);
        List<OutputRecord> out = processor(new SkipPolicy(1, Optional.empty()), 1_000)
                .process(List.of(frame("cam", 1, small, now), frame("cam", 2, big, now)));
        assertEquals(2, out.size());
        for (OutputRecord r : out) {
            assertEquals(OutputRecord.Kind.DEAD_LETTER, r.kind());
            assertEquals("frames-dlq", r.topic());
            MessageSchemas.assertDeadLetter(r.headers(), r.source().position());
            assertEquals("not-an-image", r.headers().get(Headers.DLQ_REASON));
            assertEquals(Integer.toString(r.source().bytes().length), r.headers().get(Headers.DLQ_PAYLOAD_BYTES));
        }
        assertArrayEquals(small, out.get(0).value());
        assertEquals("included", out.get(0).headers().get(Headers.DLQ_PAYLOAD));
        assertNull(out.get(1).value(), "5,000 bytes is over the 1,000-byte dead-letter limit");
        assertEquals("omitted", out.get(1).headers().get(Headers.DLQ_PAYLOAD));
        assertTrue(out.get(1).headers().get(Headers.DLQ_MESSAGE).contains("frames/0@2"));
    }

    /**
     * A result larger than its topic takes is replaced by a {@code result-too-large} dead letter
     * without the frame's bytes (the other head's result still goes out); a dead letter under
     * dead-letter-max-bytes but over the dead-letter topic's limit goes without its bytes.
     */
    @Test
    void recordsAreFittedToTheirTopicsLimits() throws Exception {
        long now = System.currentTimeMillis();
        byte[] img = Images.encoded(48, 40, 1, "png");
        byte[] bad = Images.notAnImage(3_000);
        TopicLimits limits = new TopicLimits(1 << 20);
        // No result fits in 300 bytes: the record overhead, the camera, the frame's lineage, the
        // model digest and timings alone are more.
        limits.set("detections", 300);
        limits.set("classifications", 1 << 20);
        limits.set("frames-dlq", 2_000);
        List<OutputRecord> out = processor(new SkipPolicy(1, Optional.empty()), 1_000_000, limits)
                .process(List.of(frame("cam", 1, img, now), frame("cam", 2, bad, now)));
        assertEquals(3, out.size(), "two records for the image, one dead letter for the bad frame: " + out);

        // The heads' order is the map's; the bad frame's dead letter comes last.
        List<OutputRecord> image = out.subList(0, 2);
        OutputRecord classification = image.stream().filter(r -> r.kind() == OutputRecord.Kind.RESULT).findFirst().orElseThrow();
        assertEquals("classifications", classification.topic());
        OutputRecord detection = image.stream().filter(r -> r != classification).findFirst().orElseThrow();
        assertEquals(OutputRecord.Kind.DEAD_LETTER, detection.kind(), "the detection result is over its topic's 300 bytes");
        assertEquals("frames-dlq", detection.topic());
        assertEquals("result-too-large", detection.headers().get(Headers.DLQ_REASON));
        assertNull(detection.value(), "a result-too-large dead letter does not carry the frame");
        assertEquals("omitted", detection.headers().get(Headers.DLQ_PAYLOAD));
        assertTrue(detection.headers().get(Headers.DLQ_MESSAGE).contains("detection result"),
                detection.headers().get(Headers.DLQ_MESSAGE));
        assertTrue(detection.headers().get(Headers.DLQ_MESSAGE).contains("'detections'"));
        MessageSchemas.assertDeadLetter(detection.headers(), detection.source().position());
        assertEquals(1.0, registry.get("vitstream.frames.dead.lettered").tag("reason", "result-too-large").counter().count());

        OutputRecord deadLetter = out.get(2);
        assertEquals("not-an-image", deadLetter.headers().get(Headers.DLQ_REASON));
        assertNull(deadLetter.value(), "3,000 bytes is under dead-letter-max-bytes but over the topic's 2,000");
        assertEquals("omitted", deadLetter.headers().get(Headers.DLQ_PAYLOAD));
        out.forEach(r -> assertTrue(limits.fits(r), r.topic() + " " + TopicLimits.size(r)));

        limits.set("frames-dlq", 1 << 20);
        List<OutputRecord> again = processor(new SkipPolicy(1, Optional.empty()), 1_000_000, limits)
                .process(List.of(frame("cam", 3, bad, now)));
        assertArrayEquals(bad, again.get(0).value(), "with room in the topic the frame goes along");
    }

    /**
     * A batch the engine has no memory for is split in halves (and again) instead of failing:
     * every frame is answered, in order, with the answer a pass without the fault gives.
     */
    @Test
    void aBatchTheEngineHasNoMemoryForIsSplit() throws Exception {
        long now = System.currentTimeMillis();
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            frames.add(frame("cam-" + i, i, Images.encoded(48 + i, 40, i, "png"), now));
        }
        List<Integer> passSizes = new ArrayList<>();
        ModelPass tight = inputs -> {
            passSizes.add(inputs.size());
            if (inputs.size() > 2) {
                throw new IllegalStateException("CUDA out of memory. Tried to allocate 2.00 GiB");
            }
            return model.infer(inputs);
        };
        double splitsBefore = registry.counter("vitstream.batch.splits", "source", "kafka").count();
        List<OutputRecord> split = processor(tight, new Retries(3, Duration.ZERO)).process(frames);
        List<OutputRecord> whole = processor(new SkipPolicy(1, Optional.empty()), 1_000_000).process(frames);

        assertEquals(List.of(8, 4, 2, 2, 4, 2, 2), passSizes, "8 -> 4 + 4 -> 2 + 2 each");
        assertEquals(3.0, registry.counter("vitstream.batch.splits", "source", "kafka").count() - splitsBefore);
        assertEquals(whole.size(), split.size());
        for (int i = 0; i < whole.size(); i++) {
            assertEquals(OutputRecord.Kind.RESULT, split.get(i).kind());
            assertEquals(whole.get(i).source(), split.get(i).source(), "frame order kept");
            FrameResult a = JSON.readValue(whole.get(i).value(), FrameResult.class);
            FrameResult b = JSON.readValue(split.get(i).value(), FrameResult.class);
            assertEquals(a.head(), b.head());
            if (a.result() instanceof io.vitstream.results.HeadResult.Classification ca) {
                var cb = (io.vitstream.results.HeadResult.Classification) b.result();
                assertEquals(ca.top().get(0).id(), cb.top().get(0).id(), "frame " + i);
                assertEquals(ca.top().get(0).score(), cb.top().get(0).score(), 1e-4, "frame " + i);
            }
        }
    }

    /** Out of memory on a single frame cannot be split: it is tried {@code attempts} times, then fails. */
    @Test
    void outOfMemoryOnOneFrameFailsAfterTheConfiguredTries() {
        List<Integer> passSizes = new ArrayList<>();
        ModelPass none = inputs -> {
            passSizes.add(inputs.size());
            throw new IllegalStateException("DefaultCPUAllocator: not enough memory: you tried to allocate 123 bytes");
        };
        FrameProcessor p = processor(none, new Retries(2, Duration.ZERO));
        long now = System.currentTimeMillis();
        List<Frame> frames = List.of(frame("cam", 1, Images.encoded(48, 40, 1, "png"), now),
                frame("cam", 2, Images.encoded(48, 40, 2, "png"), now));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> p.process(frames));
        assertTrue(e.getMessage().contains("not enough memory"));
        assertEquals(List.of(2, 1, 1), passSizes, "split once, then the first half fails its two tries");
        assertEquals(2, p.consecutiveFailures());
        assertEquals(2, p.attempts());
    }

    /** Other failures are not split: tried, then the batch fails. */
    @Test
    void outOfMemoryIsRecognisedAndOtherFailuresAreNot() {
        assertTrue(FrameProcessor.outOfMemory(new RuntimeException("wrapped", new IllegalStateException("CUDA out of memory."))));
        assertTrue(FrameProcessor.outOfMemory(new RuntimeException(new OutOfMemoryError("Java heap space"))));
        assertTrue(!FrameProcessor.outOfMemory(new IllegalStateException("shape mismatch: [2, 3] vs [3, 2]")));
    }

    private static FrameProcessor processor(ModelPass pass, Retries retries) {
        OutputFactory outputs = new OutputFactory(Map.of("classification", "classifications", "detection", "detections"),
                "frames-dlq", 1_000_000, new FrameResult.ModelRef("test", model.digest(), "fp32", "cpu"), new TopicLimits(1 << 20));
        return new FrameProcessor(pass, model.newPreprocessor(new ImageLimits(1 << 20, 40_000_000)), outputs,
                new SkipPolicy(1, Optional.empty()), decodePool, new StreamMetrics(registry), retries, 256);
    }
}
