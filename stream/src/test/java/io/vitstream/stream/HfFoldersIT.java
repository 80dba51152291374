package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.Detection;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.results.Label;
import io.vitstream.results.ResultsJson;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face folders run in the packaged service as Hugging Face saved them, with
 * {@code vitstream.model.path} alone: a {@code DetrForObjectDetection} on a timm ResNet-50
 * (transformers' own save, reduced widths, {@code heads/src/test/resources/detr-hf}) publishes to
 * {@code detections}, a {@code Dinov2ForImageClassification}
 * ({@code backbone/src/test/resources/fixtures/dinov2-tiny}) to {@code classifications}. The demo
 * source feeds camera-sized JPEGs; each published result must equal what the same folder gives
 * in this JVM on the very frame its lineage names (read back from the frames topic).
 */
class HfFoldersIT {

    private static final Path REPO = ServiceProcess.moduleDir().toAbsolutePath().normalize().getParent();

    @Test
    void anHfDetrResNet50FolderPublishesDetections() throws Exception {
        Path folder = HfDetrFixture.withAllQueries(ServiceProcess.moduleDir().resolve("target/hf-detr-all-queries"));
        FrameResult r = runAndTakeOne("hf-detr", folder, "detections");
        assertTrue(r.result() instanceof HeadResult.Detections, r.toString());
        assertEquals("detr", r.head());
        // GET /v1/model says DETR sizes each frame itself, with the processor's limits
        JsonNode size = processor(folder).path("size");
        JsonNode resize = model.path("resize");
        assertEquals("shortest_longest_edge", resize.path("mode").asText(), model.toString());
        assertEquals(size.path("shortest_edge").asInt(), resize.path("shortest_edge").asInt(), model.toString());
        assertEquals(size.path("longest_edge").asInt(), resize.path("longest_edge").asInt(), model.toString());
        assertTrue(resize.path("pads_batch").asBoolean(), model.toString());
        // a ResNet has no attention to explain: 409 with the reason, not a failure
        assertEquals(409, explain.statusCode(), explain.body());
        assertTrue(explain.body().contains("resnet50") && explain.body().contains("no attention"), explain.body());
        List<Detection> got = ((HeadResult.Detections) r.result()).detections();
        List<Detection> want = ((HeadResult.Detections) reference(folder, r, "detr")).detections();
        int queries = JSON.readTree(folder.resolve("config.json").toFile())
                .path("num_queries").asInt();
        assertTrue(queries > 0);
        assertEquals(queries, want.size(), "every query reported (score_threshold 0)");
        assertEquals(want.size(), got.size(), "detections of the frame at " + r.frame());
        // Matched as sets: scores of two queries may be close enough to swap places in the order.
        List<Detection> left = new java.util.ArrayList<>(got);
        for (Detection w : want) {
            Detection match = left.stream().filter(g -> g.labelId() == w.labelId() && Math.abs(g.score() - w.score()) <= 1e-4
                    && Math.abs(g.box().x1() - w.box().x1()) <= 1e-2 && Math.abs(g.box().y1() - w.box().y1()) <= 1e-2
                    && Math.abs(g.box().x2() - w.box().x2()) <= 1e-2 && Math.abs(g.box().y2() - w.box().y2()) <= 1e-2)
                    .findFirst().orElseThrow(() -> new AssertionError("no published detection matches " + w + " among " + got));
            left.remove(match);
        }
    }

    @Test
    void anHfDinov2ClassifierFolderPublishesClassifications() throws Exception {
        Path folder = REPO.resolve("backbone/src/test/resources/fixtures/dinov2-tiny");
        FrameResult r = runAndTakeOne("hf-dinov2", folder, "classifications");
        JsonNode p = processor(folder);
        JsonNode resize = model.path("resize");
        assertEquals("shortest_edge_crop", resize.path("mode").asText(), model.toString());
        assertEquals(p.path("size").path("shortest_edge").asInt(), resize.path("shortest_edge").asInt(), model.toString());
        assertEquals(p.path("crop_size").path("height").asInt(), resize.path("height").asInt(), model.toString());
        assertEquals(p.path("crop_size").path("width").asInt(), resize.path("width").asInt(), model.toString());
        assertEquals(p.path("crop_size").path("height").asInt(), model.path("inputSize").get(0).asInt(), model.toString());
        assertEquals(200, explain.statusCode(), explain.body());
        assertEquals(JSON.readTree(folder.resolve("config.json").toFile()).path("num_hidden_layers").asInt(),
                JSON.readTree(explain.body()).path("layers").asInt(), "DINOv2 is explained over all its layers");
        assertTrue(r.result() instanceof HeadResult.Classification, r.toString());
        List<Label> got = ((HeadResult.Classification) r.result()).top();
        List<Label> want = ((HeadResult.Classification) reference(folder, r, r.head())).top();
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).id(), got.get(i).id(), "rank " + i);
            assertEquals(want.get(i).score(), got.get(i).score(), 1e-4, "score at rank " + i);
        }
    }

    /** Attention maps on the side topic need attention: with a ResNet the service refuses to start, naming the setting. */
    @Test
    void explanationsOfAResNetStopStartUpNamingTheSetting() throws Exception {
        Path folder = HfDetrFixture.ROOT.resolve("c5/timm");
        int kafkaPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            kafkaPort = free.getLocalPort();
        }
        Map<String, String> settings = Map.of("vitstream.model.path", folder.toString(),
                "vitstream.model.precision", "fp32", "vitstream.explain.every", "5",
                "vitstream.kafka.embedded.data-dir", "target/hf-detr-explain-kafka",
                "vitstream.kafka.embedded.port", Integer.toString(kafkaPort), "vitstream.kafka.embedded.wipe", "true",
                "quarkus.http.port", "0");
        Path log = ServiceProcess.freshLog("hf-detr-explain");
        try (ServiceProcess refused = ServiceProcess.start(settings, log)) {
            int code = refused.awaitExit(120);
            assertTrue(code > 0, "start-up must fail, exit code " + code + "; log:\n" + refused.tail());
            String text = Files.readString(log);
            assertTrue(text.contains("vitstream.explain.every=5") && text.contains("resnet50"), "names the setting:\n" + refused.tail());
        }
    }

    /**
     * Starts the packaged service on {@code folder} with the demo source, takes the first OK
     * result from {@code topic} and returns it with the frame bytes it names checked to exist.
     */
    private FrameResult runAndTakeOne(String name, Path folder, String topic) throws Exception {
        assertTrue(Files.isRegularFile(folder.resolve("model.safetensors")), folder + " is missing");
        int kafkaPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            kafkaPort = free.getLocalPort();
        }
        bootstrap = "127.0.0.1:" + kafkaPort;
        Map<String, String> settings = Map.of("vitstream.model.path", folder.toString(),
                "vitstream.model.precision", "fp32",
                "vitstream.kafka.embedded.data-dir", "target/" + name + "-kafka",
                "vitstream.kafka.embedded.port", Integer.toString(kafkaPort), "vitstream.kafka.embedded.wipe", "true",
                "vitstream.demo.fps", "4", "quarkus.http.port", "0");
        try (ServiceProcess service = ServiceProcess.start(settings, ServiceProcess.freshLog(name))) {
            service.awaitStarted(180);
            List<ConsumerRecord<String, byte[]>> out = KafkaClients.readUntil(bootstrap, topic, true, Duration.ofSeconds(90),
                    l -> l.stream().anyMatch(c -> ResultsJson.read(c.value()).status() == FrameResult.Status.OK));
            FrameResult r = out.stream().map(c -> ResultsJson.read(c.value())).filter(x -> x.status() == FrameResult.Status.OK)
                    .findFirst().orElseThrow(() -> new AssertionError("no result on '" + topic + "' in 90 s; log:\n" + tail(service)));
            frame = frameBytes(r.frame());
            HttpResponse<String> info = ServiceProcess.get(service.uri("/v1/model"));
            assertEquals(200, info.statusCode(), info.body());
            model = JSON.readTree(info.body());
            explain = ServiceProcess.get(service.uri("/v1/explain?camera="
                    + java.net.URLEncoder.encode(r.camera(), java.nio.charset.StandardCharsets.UTF_8)));
            return r;
        }
    }

    private String bootstrap;
    private byte[] frame;
    /** {@code GET /v1/model} of the last service run. */
    private JsonNode model;
    /** {@code GET /v1/explain} of the taken result's camera in the last service run. */
    private HttpResponse<String> explain;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The folder's {@code preprocessor_config.json}, read here without vitstream's code. */
    private static JsonNode processor(Path folder) throws java.io.IOException {
        return JSON.readTree(folder.resolve("preprocessor_config.json").toFile());
    }

    private static String tail(ServiceProcess s) {
        try {
            return s.tail();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** The frame a result names, read back from its topic, partition and offset. */
    private byte[] frameBytes(FrameResult.FrameRef ref) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(ref.topic(), ref.partition());
            c.assign(List.of(tp));
            c.seek(tp, ref.offset());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(500))) {
                    if (rec.offset() == ref.offset()) {
                        return rec.value();
                    }
                }
            }
        }
        throw new AssertionError("frame " + ref + " not found");
    }

    /** The folder's answer for the result's frame, in this JVM (fp32 PyTorch). */
    private HeadResult reference(Path folder, FrameResult r, String head) {
        try (VisionModel model = VisionModel.load(folder, Precision.FP32, Device.cpu())) {
            ImagePreprocessor pre = model.newPreprocessor(ImageLimits.DEFAULT);
            Map<String, HeadResult> answers = model.infer(List.of(pre.prepare(frame))).get(0);
            assertTrue(answers.containsKey(head), "heads " + answers.keySet());
            return answers.get(head);
        }
    }
}
