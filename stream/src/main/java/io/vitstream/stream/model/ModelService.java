package io.vitstream.stream.model;

import ai.djl.Device;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.DecodeMode;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.NativeCodec;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.heads.Head;
import io.vitstream.heads.HeadProvider;
import io.vitstream.heads.Heads;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.FrameResult;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.kafka.OutputTopics;
import io.vitstream.stream.pipeline.FrameProcessor;
import io.vitstream.stream.pipeline.OutputFactory;
import io.vitstream.stream.pipeline.Retries;
import io.vitstream.stream.pipeline.TopicLimits;
import io.vitstream.stream.pipeline.SkipPolicy;
import io.vitstream.stream.pipeline.StreamMetrics;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Loads the model once at start-up (before the Kafka channels start) and owns what every
 * request path shares: the model, the preprocessor, the frame processor and its decode threads.
 * A model that cannot be loaded stops start-up with the reason (file, key or setting).
 */
@ApplicationScoped
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    @Inject
    VitstreamConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    OutputTopics topics;

    /**
     * Fault injection for the failure-path tests of the packaged service (not a user setting;
     * {@link InjectedFailures}).
     */
    @ConfigProperty(name = InjectedFailures.SETTING, defaultValue = "0")
    int injectedFailures;

    private volatile VisionModel model;
    private volatile FrameProcessor processor;
    private volatile FrameProcessor restProcessor;
    private volatile OutputFactory outputs;
    private volatile StreamMetrics metrics;
    private volatile FrameResult.ModelRef modelRef;
    private volatile ImagePreprocessor preprocessor;
    private ExecutorService decodePool;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        load();
    }

    /** Loads the configured model and builds the pipeline around it. */
    synchronized void load() {
        if (model != null) {
            return;
        }
        VitstreamConfig.Model m = config.model();
        Precision precision = m.precision();
        Device device = m.device();
        DecodeMode decodeMode = config.decode().mode();
        Path folder = DemoModel.resolve(m.path());
        long t0 = System.nanoTime();
        VisionModel loaded = VisionModel.load(folder, precision, device);
        LOG.infof("model %s loaded in %d ms: %s, heads %s, %s on %s", folder, (System.nanoTime() - t0) / 1_000_000,
                loaded.backbone().describe(), loaded.heads().keySet(), precision.label(), device);
        ImageLimits limits = new ImageLimits(config.limits().maxBytes(), config.limits().maxPixels());
        PreprocessorConfig preConfig = m.letterbox().isPresent()
                ? loaded.preprocessorConfig().withLetterbox(m.letterbox().get()) : loaded.preprocessorConfig();
        ImagePreprocessor pre = new ImagePreprocessor(preConfig, limits, decodeMode);
        LOG.infof("frames decoded by %s, mode %s", NativeCodec.describe(), decodeMode.code());
        String id = m.id().orElse(folder.getFileName().toString());
        FrameResult.ModelRef ref = new FrameResult.ModelRef(id, loaded.digest(), precision.label(), deviceName(device));
        modelRef = ref;
        preprocessor = pre;
        long deadLetterMax = config.limits().deadLetterMaxBytes();
        if (deadLetterMax < 0) {
            throw new IllegalArgumentException("vitstream.limits.dead-letter-max-bytes must be >= 0, got " + deadLetterMax);
        }
        // A frame over max-bytes never fits the producer's max.request.size, so it never goes along.
        outputs = new OutputFactory(headTopics(loaded), config.topics().deadLetter(),
                Math.min(deadLetterMax, config.limits().maxBytes()), ref, topics.limits());
        // POST /v1/infer answers in its response, not on a topic: no topic's limit applies.
        OutputFactory restOutputs = new OutputFactory(outputs.headTopics(), config.topics().deadLetter(),
                Math.min(deadLetterMax, config.limits().maxBytes()), ref, new TopicLimits(Long.MAX_VALUE));
        metrics = new StreamMetrics(registry, StreamMetrics.KAFKA);
        decodePool = Executors.newFixedThreadPool(config.batch().decodeThreads(), r -> {
            Thread t = new Thread(r, "vitstream-decode");
            t.setDaemon(true);
            return t;
        });
        warmUp(loaded, pre);
        Retries retries = new Retries(m.attempts(), m.retryPause());
        processor = new FrameProcessor(InjectedFailures.wrap(loaded::infer, injectedFailures), pre, outputs,
                new SkipPolicy(config.skip().stride(), config.skip().maxAge(), config.limits().maxCameras()), decodePool, metrics,
                retries, config.limits().maxKeyBytes());
        // POST /v1/infer: its own processor, so callers never go through the cameras' skip policy
        // and REST failures never count towards (or reset) the stream's liveness.
        restProcessor = new FrameProcessor(loaded::infer, pre, restOutputs, new SkipPolicy(1, Optional.empty(), 1), decodePool,
                new StreamMetrics(registry, StreamMetrics.HTTP), retries, config.limits().maxKeyBytes());
        model = loaded;
    }

    /**
     * Runs one full batch of blank frames before the service reports ready: PyTorch's first
     * passes are many times slower (allocator, kernel selection), and the first real frames
     * should not pay for that.
     */
    private void warmUp(VisionModel loaded, ImagePreprocessor pre) {
        long t0 = System.nanoTime();
        int w = loaded.preprocessorConfig().width();
        int h = loaded.preprocessorConfig().height();
        ImagePreprocessor.Prepared blank = pre.prepare(new io.vitstream.backbone.image.RgbImage(w, h, new byte[w * h * 3]));
        java.util.List<ImagePreprocessor.Prepared> batch = java.util.Collections.nCopies(config.batch().size(), blank);
        for (int i = 0; i < 3; i++) {
            loaded.infer(batch);
        }
        LOG.infof("warmed up with 3 batches of %d in %d ms", batch.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Output topic of each head: configured, else the one its provider names for its type. */
    private Map<String, String> headTopics(VisionModel loaded) {
        Map<String, String> topics = new LinkedHashMap<>();
        for (Map.Entry<String, Head> e : loaded.heads().entrySet()) {
            String configured = config.topics().heads().get(e.getKey());
            HeadProvider provider = Heads.providers().get(e.getValue().type());
            topics.put(e.getKey(), configured != null ? configured : provider != null ? provider.defaultTopic() : e.getKey());
        }
        return topics;
    }

    /** Runs after the consumer finished its batch in flight (observers of lower priority run first). */
    void onStop(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event) throws InterruptedException {
        if (decodePool != null) {
            decodePool.shutdown();
            decodePool.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (model != null) {
            model.close();
        }
    }

    /** {@code cpu} or {@code gpu:N}, as results name it. */
    private static String deviceName(Device d) {
        return d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu";
    }

    /** Whether the model is loaded (readiness). */
    public boolean ready() {
        return model != null;
    }

    public VisionModel model() { return model; }
    public FrameProcessor processor() { return processor; }
    /** The processor of {@code POST /v1/infer}: no skip policy, its own failure count. */
    public FrameProcessor restProcessor() { return restProcessor; }
    public OutputFactory outputs() { return outputs; }
    public StreamMetrics metrics() { return metrics; }
    public FrameResult.ModelRef modelRef() { return modelRef; }
    /** How frames are decoded and prepared (the setting in use). */
    public ImagePreprocessor preprocessor() { return preprocessor; }
}
