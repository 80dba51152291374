package io.vitstream.stream.model;

import ai.djl.Device;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vitstream.backbone.ExecutionPath;
import io.vitstream.backbone.image.DecodeMode;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.NativeCodec;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.heads.Head;
import io.vitstream.heads.HeadProvider;
import io.vitstream.heads.Heads;
import io.vitstream.heads.PathSelection;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.FrameResult;
import io.vitstream.stream.config.VitstreamConfig;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Loads the model once at start-up (before the Kafka channels start) and owns what every
 * request path shares: the model, its preprocessor, the heads' topics and the decode threads;
 * {@link Pipelines} builds the frame pipelines around them. A model that cannot be loaded stops
 * start-up with the reason (file, key or setting).
 */
@ApplicationScoped
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    @Inject
    VitstreamConfig config;

    @Inject
    MeterRegistry registry;

    private volatile VisionModel model;
    private volatile Map<String, String> headTopics;
    private volatile FrameResult.ModelRef modelRef;
    private volatile ImagePreprocessor preprocessor;
    private volatile PathSelection.Result selection;
    private ExecutorService decodePool;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        load();
    }

    /** Loads the configured model and builds the pipeline around it. */
    public synchronized void load() {
        if (model != null) {
            return;
        }
        VitstreamConfig.Model m = config.model();
        Device device = m.device();
        DecodeMode decodeMode = config.decode().mode();
        Path folder = DemoModel.resolve(m.path());
        long passPixels = passPixels(config.batch().maxPixels(), device);
        long t0 = System.nanoTime();
        VisionModel loaded;
        if (m.precision().auto()) {
            VitstreamConfig.Model.Auto a = m.auto();
            checkAuto(a.timedBatches(), a.timeBudget());
            PathSelection.Result r = PathSelection.select(folder, device,
                    PathSelection.candidates(device, PathSelection.cpuHasBf16()), config.batch().size(), a.timedBatches(),
                    new PathSelection.Tolerances(a.maxRelativeDiff(), a.maxBoxDiff(), a.minTop1Agreement()), passPixels,
                    a.timeBudget().toMillis());
            selection = r;
            loaded = r.model();
        } else {
            loaded = VisionModel.load(folder, m.precision().explicit().get(), device);
            loaded.limitPassPixels(passPixels);
        }
        ExecutionPath path = loaded.path();
        LOG.infof("model %s loaded in %d ms: %s, heads %s, %s on %s (precision setting %s), at most %s input pixels per pass",
                folder, (System.nanoTime() - t0) / 1_000_000, loaded.backbone().describe(), loaded.heads().keySet(),
                path.label(), device, m.precision(), passPixels == 0 ? "unlimited" : String.format("%,d", passPixels));
        ImageLimits limits = new ImageLimits(config.limits().maxBytes(), config.limits().maxPixels());
        PreprocessorConfig preConfig = m.letterbox().isPresent()
                ? loaded.preprocessorConfig().withLetterbox(m.letterbox().get()) : loaded.preprocessorConfig();
        ImagePreprocessor pre = new ImagePreprocessor(preConfig, limits, decodeMode);
        LOG.infof("frames decoded by %s, mode %s", NativeCodec.describe(), decodeMode.code());
        String id = m.id().orElse(folder.getFileName().toString());
        FrameResult.ModelRef ref = new FrameResult.ModelRef(id, loaded.digest(), path.precision().label(), deviceName(device));
        modelRef = ref;
        preprocessor = pre;
        headTopics = java.util.Collections.unmodifiableMap(headTopics(loaded));
        decodePool = Executors.newFixedThreadPool(config.batch().decodeThreads(), r -> {
            Thread t = new Thread(r, "vitstream-decode");
            t.setDaemon(true);
            return t;
        });
        warmUp(loaded, pre);
        registerPathMeters(path, m.precision().toString());
        model = loaded;
    }

    /**
     * @throws IllegalArgumentException naming {@code vitstream.model.auto.timed-batches} below 1 or
     *     a negative {@code vitstream.model.auto.time-budget}
     */
    static void checkAuto(int timedBatches, java.time.Duration timeBudget) {
        if (timedBatches < 1) {
            throw new IllegalArgumentException("vitstream.model.auto.timed-batches must be >= 1, got " + timedBatches);
        }
        if (timeBudget.isNegative()) {
            throw new IllegalArgumentException("vitstream.model.auto.time-budget must be >= 0, got " + timeBudget);
        }
    }

    /**
     * {@code vitstream.batch.max-pixels}, or its default for the device: CPU memory is the
     * process's own and bounded by its limit, GPU passes are left whole unless it is set.
     *
     * @throws IllegalArgumentException naming the setting when negative
     */
    static long passPixels(java.util.Optional<Long> setting, Device device) {
        if (setting.isPresent() && setting.get() < 0) {
            throw new IllegalArgumentException("vitstream.batch.max-pixels must be >= 0 (0: no limit), got " + setting.get());
        }
        return setting.orElse(device.isGpu() ? 0L : VisionModel.DEFAULT_MAX_PASS_PIXELS);
    }

    /**
     * Runs full batches of blank frames (3, or 2 when they take over half of
     * {@code vitstream.model.auto.time-budget}) before the service reports ready: PyTorch's first
     * passes are many times slower (allocator, kernel selection), and the first real frames
     * should not pay for that.
     */
    private void warmUp(VisionModel loaded, ImagePreprocessor pre) {
        long t0 = System.nanoTime();
        int w = loaded.preprocessorConfig().width();
        int h = loaded.preprocessorConfig().height();
        ImagePreprocessor.Prepared blank = pre.prepare(new io.vitstream.backbone.image.RgbImage(w, h, new byte[w * h * 3]));
        java.util.List<ImagePreprocessor.Prepared> batch = java.util.Collections.nCopies(config.batch().size(), blank);
        // Up to 3 batches, but a large model whose first batch already took half the auto time
        // budget (10 s by default) is warm after 2: its allocator has seen the largest pass.
        long budgetMs = config.model().auto().timeBudget().toMillis() / 2;
        int batches = 0;
        do {
            loaded.infer(batch);
            batches++;
        } while (batches < 3 && (batches < 2 || (System.nanoTime() - t0) / 1_000_000 < budgetMs));
        LOG.infof("warmed up with %d batches of %d in %d ms", batches, batch.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * {@code vitstream_model_path_info{path, runtime, setting}} = 1 for the path in use and, after
     * {@code precision=auto}, {@code vitstream_model_path_images_per_second{path, chosen}} for
     * every candidate it timed.
     */
    private void registerPathMeters(ExecutionPath path, String setting) {
        Gauge.builder("vitstream.model.path.info", () -> 1).description("the execution path in use")
                .tags("path", path.label(), "runtime", path.runtime(), "setting", setting).register(registry);
        if (selection != null) {
            for (PathSelection.Candidate c : selection.candidates()) {
                if (c.imagesPerSecond() != null) {
                    double v = c.imagesPerSecond();
                    Gauge.builder("vitstream.model.path.images.per.second", () -> v)
                            .description("images/s measured at start by precision=auto")
                            .tags("path", c.path(), "chosen", Boolean.toString(c.path().equals(path.label())))
                            .register(registry);
                }
            }
        }
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
    /** Output topic of each head, in the model's head order. */
    public Map<String, String> headTopics() { return headTopics; }
    /** Threads that decode frames, shared by the stream and {@code POST /v1/infer}. */
    ExecutorService decodePool() { return decodePool; }
    public FrameResult.ModelRef modelRef() { return modelRef; }
    /** What {@code precision=auto} measured and chose; empty when the setting was explicit. */
    public java.util.Optional<PathSelection.Result> selection() { return java.util.Optional.ofNullable(selection); }
    /** How frames are decoded and prepared (the setting in use). */
    public ImagePreprocessor preprocessor() { return preprocessor; }
}
