package io.vitstream.stream.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.analytics.CameraConfig;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.ExecutionPath;
import io.vitstream.backbone.explain.AttentionRollout.HeadFusion;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.Box;
import io.vitstream.results.Detection;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.results.ResultsJson;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.Headers;
import io.vitstream.stream.pipeline.OutputRecord;
import io.vitstream.stream.pipeline.TopicLimits;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vitstream.stream.TestModel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

/** {@link SideTopics} on the demo detector's model and real 1280x720 JPEG frames.
 *
 * <p>A {@code @QuarkusTest} only so that it runs in the same class loader as the other service
 * tests (as {@code FrameProcessorTest}): PyTorch's native library can be loaded by one class
 * loader per JVM. Nothing here uses the running service.
 */
@QuarkusTest
@QuarkusTestResource(TestModel.class)
class SideTopicsTest {

    static {
        Djl.ensureOffline();
    }

    private static final String DIGEST = "sha256:" + "0".repeat(64);
    private static VisionModel model;
    private static ImagePreprocessor preprocessor;
    private static Explainer explainer;
    private static byte[][] jpegs;

    @BeforeAll
    static void load() {
        model = VisionModel.load(DemoInputs.DETR, ExecutionPath.FP32, Device.cpu());
        preprocessor = model.newPreprocessor(ImageLimits.DEFAULT);
        explainer = new Explainer(model, preprocessor);
        jpegs = new byte[][] {DemoInputs.jpeg(1, 1280, 720), DemoInputs.jpeg(2, 1280, 720), DemoInputs.jpeg(3, 1280, 720)};
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static SideTopics stage(int every, Optional<String> annotated, CameraConfig lines, TopicLimits limits,
            List<OutputRecord> dropped) {
        return new SideTopics(new SideTopics.Settings(every, "explanations", annotated, 16), explainer, preprocessor.decoder(),
                camera -> lines, limits, DIGEST, dropped::add);
    }

    private static Frame frame(String camera, long offset) {
        return new Frame(camera, jpegs[(int) (offset % jpegs.length)], "frames", 1, offset, null, 1_000_000 + offset, System.nanoTime());
    }

    private static OutputRecord result(Frame f, String head, FrameResult.Status status, HeadResult answer) {
        FrameResult r = new FrameResult(FrameResult.SCHEMA, f.camera(), head, status, status == FrameResult.Status.OK ? null : "x",
                new FrameResult.FrameRef(f.topic(), f.partition(), f.offset(), f.sequence(), f.captureTimeMs(), 1280, 720),
                new FrameResult.ModelRef("m", DIGEST, "fp32", "cpu"), new FrameResult.Timings(0, 0, 0, 0), 0, answer);
        OutputRecord.Kind kind = status == FrameResult.Status.OK ? OutputRecord.Kind.RESULT : OutputRecord.Kind.SKIPPED;
        return new OutputRecord("detections", f.camera(), ResultsJson.write(r), Map.of(), f, kind, r);
    }

    /** A frame's two head results, as the processor gives them. */
    private static List<OutputRecord> processed(Frame f, List<Detection> detections) {
        return List.of(result(f, "detection", FrameResult.Status.OK, new HeadResult.Detections(detections)),
                result(f, "classifier", FrameResult.Status.OK, new HeadResult.Classification(List.of())));
    }

    @Test
    void everyThirdProcessedFrameOfEachCameraGetsOneExplanation() throws IOException {
        SideTopics s = stage(3, Optional.empty(), CameraConfig.EMPTY, new TopicLimits(1 << 20), new ArrayList<>());
        List<OutputRecord> first = new ArrayList<>();
        for (long i = 0; i < 4; i++) {
            first.addAll(processed(frame("cam-a", i), List.of()));
        }
        first.add(result(frame("cam-b", 100), "detection", FrameResult.Status.SKIPPED, null));
        first.addAll(processed(frame("cam-b", 101), List.of()));
        List<OutputRecord> second = new ArrayList<>();
        for (long i = 4; i < 7; i++) {
            second.addAll(processed(frame("cam-a", i), List.of()));
        }
        second.addAll(processed(frame("cam-b", 102), List.of()));
        second.addAll(processed(frame("cam-b", 103), List.of()));

        List<OutputRecord> out1 = s.apply(first);
        List<OutputRecord> out2 = s.apply(second);
        // cam-a: processed frames 1..7 are offsets 0..6, the 3rd and 6th are 2 and 5; cam-b: its
        // skipped frame does not count, so its 3rd processed frame is offset 103.
        assertEquals(List.of("cam-a@2"), explained(out1));
        assertEquals(List.of("cam-a@5", "cam-b@103"), explained(out2));
        assertEquals(first, out1.subList(0, first.size()), "the frames' own records come first, unchanged");

        OutputRecord r = out2.stream().filter(x -> x.kind() == OutputRecord.Kind.EXPLANATION).findFirst().orElseThrow();
        assertEquals("explanations", r.topic());
        assertEquals("cam-a", r.key());
        assertEquals("application/json", r.headers().get(Headers.CONTENT_TYPE));
        JsonNode json = new ObjectMapper().readTree(r.value());
        assertEquals(java.util.Set.of(), io.vitstream.results.Schemas.load("explanation.schema.json").validate(json),
                "docs/schemas/explanation.schema.json refuses the record");
        assertEquals("vitstream.explanation.v1", json.get("schema").asText());
        assertEquals("cam-a", json.get("camera").asText());
        assertEquals("frames", json.at("/frame/topic").asText());
        assertEquals(1, json.at("/frame/partition").asInt());
        assertEquals(5, json.at("/frame/offset").asLong());
        assertEquals(1_000_005, json.at("/frame/capture_time_ms").asLong());
        assertEquals(6, json.get("layer").asInt());
        assertEquals("mean", json.get("fusion").asText());
        assertEquals("class", json.get("token").asText());
        assertEquals(1280, json.at("/region/width").asInt());
        float[][] want = explainer.explain(frame("cam-a", 5).bytes(), 6, HeadFusion.MEAN).map();
        assertEquals(want.length, json.get("map").size());
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[i].length; j++) {
                assertEquals(want[i][j], json.get("map").get(i).get(j).floatValue(), 1e-6);
            }
        }
    }

    @Test
    void offWhenEveryIsZeroAndNoAnnotatedTopic() {
        List<OutputRecord> records = processed(frame("cam-a", 0), List.of());
        assertSame(records, stage(0, Optional.empty(), CameraConfig.EMPTY, new TopicLimits(1 << 20), new ArrayList<>()).apply(records));
    }

    @Test
    void annotatedFrameHasTheBoxDrawnInItsLabelsColour() throws IOException {
        CameraConfig lines = CameraConfig.fromJson("{\"lines\": {\"door\": [640, 0, 640, 720]},"
                + " \"zones\": {\"till\": [900, 100, 1200, 100, 1200, 400]}}");
        SideTopics s = stage(0, Optional.of("annotated"), lines, new TopicLimits(1 << 20), new ArrayList<>());
        Frame f = frame("cam-a", 7);
        Detection bag = new Detection(0, "Bag", 0.93f, new Box(200, 150, 600, 500), 7L);
        List<OutputRecord> out = s.apply(processed(f, List.of(bag)));
        List<OutputRecord> annotated = out.stream().filter(r -> r.kind() == OutputRecord.Kind.ANNOTATED).toList();
        assertEquals(1, annotated.size(), "one annotated frame per processed frame, not per head");
        OutputRecord r = annotated.get(0);
        assertEquals("annotated", r.topic());
        assertEquals("cam-a", r.key());
        assertEquals("image/jpeg", r.headers().get(Headers.CONTENT_TYPE));
        assertEquals("frames", r.headers().get(Headers.SOURCE_TOPIC));
        assertEquals("1", r.headers().get(Headers.SOURCE_PARTITION));
        assertEquals("7", r.headers().get(Headers.SOURCE_OFFSET));
        assertEquals("1000007", r.headers().get(Headers.CAPTURE_TIME));
        BufferedImage drawn = ImageIO.read(new ByteArrayInputStream(r.value()));
        BufferedImage plain = ImageIO.read(new ByteArrayInputStream(f.bytes()));
        assertEquals(1280, drawn.getWidth());
        assertEquals(720, drawn.getHeight());
        Color box = FrameAnnotator.colour(0);
        int near = 0;
        int nearBefore = 0;
        int samples = 0;
        // Along the bottom and right edges (the top-left carries the label tag).
        for (int x = 260; x <= 540; x += 10, samples++) {
            near += distance(drawn.getRGB(x, 500), box) < 80 ? 1 : 0;
            nearBefore += distance(plain.getRGB(x, 500), box) < 80 ? 1 : 0;
        }
        for (int y = 200; y <= 450; y += 10, samples++) {
            near += distance(drawn.getRGB(600, y), box) < 80 ? 1 : 0;
            nearBefore += distance(plain.getRGB(600, y), box) < 80 ? 1 : 0;
        }
        assertTrue(near >= 0.9 * samples, near + " of " + samples + " edge pixels in the box colour");
        assertTrue(nearBefore < 0.2 * samples, "the frame itself has the box colour there");
        assertTrue(distance(drawn.getRGB(640, 50), FrameAnnotator.LINE) < 60, "the line is not drawn");
    }

    @Test
    void aSideRecordOverItsTopicsLimitIsDroppedNotDeadLettered() {
        TopicLimits limits = new TopicLimits(1 << 20);
        limits.set("annotated", 2_000);
        List<OutputRecord> dropped = new ArrayList<>();
        SideTopics s = stage(1, Optional.of("annotated"), CameraConfig.EMPTY, limits, dropped);
        List<OutputRecord> records = processed(frame("cam-a", 0), List.of());
        List<OutputRecord> out = s.apply(records);
        assertEquals(records.size() + 1, out.size());
        assertEquals(OutputRecord.Kind.EXPLANATION, out.get(out.size() - 1).kind());
        assertEquals(1, dropped.size());
        assertEquals(OutputRecord.Kind.ANNOTATED, dropped.get(0).kind());
    }

    private static List<String> explained(List<OutputRecord> records) {
        return records.stream().filter(r -> r.kind() == OutputRecord.Kind.EXPLANATION)
                .map(r -> r.key() + "@" + r.source().offset()).toList();
    }

    private static double distance(int rgb, Color c) {
        return Math.sqrt(Math.pow((rgb >> 16 & 0xff) - c.getRed(), 2) + Math.pow((rgb >> 8 & 0xff) - c.getGreen(), 2)
                + Math.pow((rgb & 0xff) - c.getBlue(), 2));
    }
}
