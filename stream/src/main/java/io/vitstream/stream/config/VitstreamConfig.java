package io.vitstream.stream.config;

import ai.djl.Device;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.vitstream.backbone.image.DecodeMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the service, with its default. Documented in {@code docs/configuration.md};
 * {@code application.properties} holds only what differs from these defaults.
 */
@ConfigMapping(prefix = "vitstream")
public interface VitstreamConfig {

    /** Log a line every this many published results (0: never). */
    @WithDefault("50")
    long logEvery();

    /** The model. */
    Model model();

    /** Micro-batching and decoding. */
    Batch batch();

    /** Guards checked before decoding. */
    Limits limits();

    /** How frames are decoded. */
    Decode decode();

    /** Topic names. */
    Topics topics();

    /** Delivery guarantee. */
    Delivery delivery();

    /** Deliberate skipping. */
    Skip skip();

    /** Kafka beyond what the connector's own {@code kafka.*} settings cover. */
    Kafka kafka();

    /** The HTTP API ({@code /v1/*}, {@code /results/*}) and {@code /q/metrics}. */
    Http http();

    /** The demo frame source. */
    Demo demo();

    /** The live view in the browser ({@code /}, {@code /live/*}). */
    Live live();

    /** Attention maps: {@code /v1/explain} and the {@code explanations} topic. */
    Explain explain();

    /**
     * Video analytics on the detections: tracking, lines, zones, dwell, events
     * ({@code docs/configuration.md}, {@code docs/messages.md}).
     */
    Analytics analytics();

    /** Where and which model to run. */
    interface Model {
        /** Checkpoint folder (HF layout), or {@code demo} for the bundled fashion-scenes model. */
        @WithDefault("demo")
        String path();

        /** Name used in result lineage; defaults to the folder name. */
        Optional<String> id();

        /** {@code cpu}, {@code gpu} or {@code gpu:N}. */
        @WithDefault("cpu")
        @WithConverter(Converters.DeviceConverter.class)
        Device device();

        /**
         * {@code auto} (measure this node's execution paths at start, keep the fastest within
         * {@link Auto tolerance}), or one explicitly: {@code fp32} (PyTorch), {@code fp32-onnxruntime}
         * (the backbone on ONNX Runtime, CPU), {@code bf16} (AVX-512 BF16/AMX CPUs, Ampere+ GPUs)
         * or {@code fp16} (GPUs).
         */
        @WithDefault("auto")
        @WithConverter(Converters.PrecisionConverter.class)
        PrecisionSetting precision();

        /** How {@code precision=auto} measures and what it accepts. */
        Auto auto();

        /** Settings of {@code precision=auto}. */
        interface Auto {
            /** Timed batches per candidate path (after 1 to 3 warm-up batches: until one is no longer 5 % faster than the one before), at the configured batch size. */
            @WithDefault("3")
            int timedBatches();

            /**
             * About how long timing one candidate may take: warm-up stops after half of it, timed
             * batches after all of it (at least one of each), so large models do not spend
             * minutes at start.
             */
            @WithDefault("20s")
            Duration timeBudget();

            /** Largest |difference| from fp32, over the largest |fp32 value|, of each head output (logits). */
            @WithDefault("0.02")
            double maxRelativeDiff();

            /** Largest |difference| from fp32 of box coordinates (fractions of the image). */
            @WithDefault("0.01")
            double maxBoxDiff();

            /** Least share of golden images (classification) or queries (DETR) whose top class is fp32's. */
            @WithDefault("1.0")
            double minTop1Agreement();
        }

        /** Keep the aspect ratio and pad, instead of stretching to the model input (detection). */
        Optional<Boolean> letterbox();

        /**
         * Tries of one model pass before its batch fails (a batch the engine has no memory for is
         * first split in halves); as many failed passes in a row turn {@code /q/health/live} DOWN.
         */
        @WithDefault("3")
        int attempts();

        /** Pause between tries of a failing pass (and, in exactly-once mode, before consuming the batch again). */
        @WithDefault("500ms")
        Duration retryPause();
    }

    /** How frames are grouped for the model. */
    interface Batch {
        /** Most frames per model pass. */
        @WithDefault("8")
        int size();

        /** Longest a frame waits for its batch to fill (at-least-once mode). */
        @WithDefault("20ms")
        Duration maxWait();

        /** Threads decoding and preprocessing frames in parallel. */
        @WithDefault("2")
        int decodeThreads();

        /** Batches that may wait for the model before consumption pauses (back-pressure). */
        @WithDefault("2")
        int queued();

        /**
         * Most input pixels of one model pass (frames x largest input height x width): a batch
         * over it runs as several passes, each of as many frames as fit (at least one). Unset:
         * {@code VisionModel.DEFAULT_MAX_PASS_PIXELS} (1,100,000) on CPU, no limit on GPU.
         * {@code 0}: no limit.
         */
        Optional<Long> maxPixels();
    }

    /** Frame decoding. */
    interface Decode {
        /**
         * {@code exact}: full-size decode and the checkpoint processor's resize, the inputs
         * Hugging Face's processor (PIL) gives. {@code fast}: JPEG decoded at the smallest DCT
         * scale (1/2, 1/4, 1/8) still at least the resize target, several times less work on
         * camera frames, slightly different inputs (docs/benchmarks.md: how much).
         */
        @WithDefault("exact")
        @WithConverter(Converters.DecodeModeConverter.class)
        DecodeMode mode();
    }

    /** Refuse oversized input before decoding it. */
    interface Limits {
        /** Largest accepted frame, bytes. */
        @WithDefault("20971520")
        long maxBytes();

        /** Largest accepted width x height, read from the image header (decompression bombs). */
        @WithDefault("40000000")
        long maxPixels();

        /**
         * Largest frame copied into its dead letter. A larger refused frame is dead-lettered with
         * its headers but without its bytes (they stay at the source offset the headers name), so
         * one big bad frame can never be refused by the dead-letter topic and stall the stream.
         * Keep it under that topic's {@code max.message.bytes} (Kafka's default is 1 MiB).
         */
        @WithDefault("1000000")
        long deadLetterMaxBytes();

        /**
         * Longest accepted record key (camera id) in UTF-8 bytes; longer keys, and keys with
         * control characters or invalid UTF-8, are dead-lettered with reason {@code bad-key}.
         */
        @WithDefault("256")
        int maxKeyBytes();

        /**
         * Most cameras whose state is kept (skip-policy counters, latest results); past it the
         * least recently seen camera is forgotten.
         */
        @WithDefault("10000")
        int maxCameras();
    }

    /** Topics, named as the channels (frames, frames-dlq) plus one per head. */
    interface Topics {
        /** Input frames. */
        @WithDefault("frames")
        String frames();

        /** Refused frames. */
        @WithName("dead-letter")
        @WithDefault("frames-dlq")
        String deadLetter();

        /**
         * Output topic per head name; a head not listed goes to {@code classifications} or
         * {@code detections} by its type, or to a topic named after it.
         */
        Map<String, String> heads();

        /** Partitions of topics the service creates (the embedded broker's, and missing ones). */
        @WithDefault("3")
        int partitions();

        /** Line crossings, zone entries and exits, dwell. */
        @WithDefault("events")
        String events();

        /** The cameras' tracker and counter checkpoints (compacted). */
        @WithName("analytics-state")
        @WithDefault("analytics-state")
        String analyticsState();

        /** Lines and zones per camera at run time (compacted, key = camera). */
        @WithName("camera-config")
        @WithDefault("camera-config")
        String cameraConfig();

        /** Attention-rollout maps of every {@code vitstream.explain.every}-th frame per camera. */
        @WithDefault("explanations")
        String explanations();

        /** Annotated JPEG frames (boxes, tracks, lines, zones drawn); absent: none are published. */
        Optional<String> annotated();

        /**
         * Create the frames, output and dead-letter topics at start when they do not exist
         * (with {@code partitions} partitions and the broker's default replication); when false,
         * a missing topic stops start-up with its name.
         */
        @WithName("create-missing")
        @WithDefault("true")
        boolean createMissing();

        /** How often the output topics' {@code max.message.bytes} is read again while running. */
        @WithName("limits-refresh")
        @WithDefault("60s")
        Duration limitsRefresh();
    }

    /** At-least-once or exactly-once. */
    interface Delivery {
        /** {@code at-least-once} or {@code exactly-once} (Kafka transactions; read results read_committed). */
        @WithDefault("at-least-once")
        DeliveryMode mode();

        /**
         * At-least-once: bytes of consumed frames whose results Kafka has not acknowledged yet;
         * at the bound consumption pauses until acknowledgements come (a slow or unreachable
         * output broker then holds this much heap, not more). One poll batch always fits.
         */
        @WithDefault("67108864")
        long maxBytesInFlight();

        /**
         * Exactly-once: transactions that may abort in a row (each followed by a growing pause,
         * 200 ms doubling up to 30 s) before {@code /q/health/live} reports DOWN; a commit resets
         * the count.
         */
        @WithDefault("10")
        int maxFailedTransactions();

        /**
         * Exactly-once: how long one transaction may stay open before {@code /q/health/live}
         * reports DOWN. Longer than the producer's {@code transaction.timeout.ms} (20 s here)
         * means the transaction is stuck, e.g. waiting on sends a broker refused.
         */
        @WithDefault("60s")
        Duration transactionStall();
    }

    /** Frames deliberately not processed (each still gets a {@code skipped} record). */
    interface Skip {
        /** Process one frame in this many per camera. */
        @WithDefault("1")
        int stride();

        /** Skip frames older than this (capture time to consumption). */
        Optional<Duration> maxAge();
    }

    /** HTTP access. */
    interface Http {
        /**
         * When set, every HTTP request except {@code /q/health} needs it, as
         * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}; 401 otherwise.
         */
        Optional<String> apiKey();

        /**
         * {@code POST /v1/infer} requests running at once; more get 429 with {@code Retry-After}
         * (each runs a model pass beside the stream's).
         */
        @WithDefault("2")
        int maxConcurrent();
    }

    /** Kafka settings of vitstream itself. */
    interface Kafka {
        /** The in-process broker used when no {@code kafka.bootstrap.servers} is set. */
        Embedded embedded();
    }

    /** The embedded single-node KRaft broker. */
    interface Embedded {
        /** Start it when {@code kafka.bootstrap.servers} is not set. */
        @WithDefault("true")
        boolean enabled();

        /** Where the broker keeps its data (kept across restarts). */
        @WithDefault("data/kafka")
        Path dataDir();

        /** Listener port on 127.0.0.1, 0 for any free port. */
        @WithDefault("9092")
        int port();

        /** Delete the broker's data at start (tests). */
        @WithDefault("false")
        boolean wipe();
    }

    /** A source that publishes image files as frames, for a first run without cameras. */
    interface Demo {
        /** Publish demo frames (only ever on the embedded broker unless forced). */
        @WithDefault("true")
        boolean enabled();

        /** Folder of JPEG/PNG files; the bundled fashion scenes when absent. */
        Optional<Path> folder();

        /**
         * Size the bundled scenes are published at, as JPEG ({@code WIDTHxHEIGHT}), like a
         * camera's frames; {@code original} sends the small scene files as they are.
         */
        @WithDefault("1280x720")
        String frameSize();

        /** Frames per second over all cameras. */
        @WithDefault("4")
        double fps();

        /** Camera keys to publish under, round robin. */
        @WithDefault("cam-1,cam-2,cam-3")
        List<String> cameras();

        /** Moving Fashion-MNIST items with a line and a zone per camera; false: the bundled still scenes. */
        @WithDefault("true")
        boolean moving();
    }

    interface Analytics {
        /** Off: detections get no track ids, no events or checkpoints are written. */
        @WithDefault("true")
        boolean enabled();

        /** The detection head tracked; default the model's first detection head. */
        Optional<String> head();

        /** Continuous time in a zone for one {@code dwell} event per visit. */
        @WithDefault("10s")
        Duration dwell();

        /** The point of a box that counts: bottom-center, center or top-center. */
        @WithDefault("bottom-center")
        String anchor();

        /**
         * Of two detections overlapping by more than this IoU (any classes), only the
         * higher-scoring one is tracked; 1 tracks every detection.
         */
        @WithDefault("0.3")
        double duplicateIou();

        /** Pixels either side of a line that count as on it (no side change there). */
        @WithDefault("1.0")
        double lineTolerance();

        Tracker tracker();

        /** Lines and zones per camera: {@code cameras.<camera>.lines.<name>=x1,y1,x2,y2}, {@code zones.<name>=x1,y1,...}. */
        Map<String, Camera> cameras();

        /** How long start-up waits for the camera-config topic to be read to its end. */
        @WithDefault("30s")
        Duration configWait();

        /** Unset values take {@code io.vitstream.analytics.TrackerSettings.DEFAULT}'s. */
        interface Tracker {
            Optional<Double> highScore();

            Optional<Double> lowScore();

            Optional<Double> newTrackScore();

            Optional<Double> matchIou();

            Optional<Double> lowMatchIou();

            Optional<Integer> minHits();

            Optional<Integer> maxMisses();
        }

        interface Camera {
            Map<String, String> lines();

            Map<String, String> zones();
        }
    }

    interface Live {
        /** Serve the page at {@code /} and its data under {@code /live}. */
        @WithDefault("true")
        boolean enabled();

        /** How often the page's event stream sends what changed (a slow browser skips to the newest). */
        @WithDefault("200ms")
        Duration interval();

        /** A camera with no processed frame for this long is shown as stopped. */
        @WithName("stale-after")
        @WithDefault("10s")
        Duration staleAfter();

        /**
         * Bytes of frames kept for the page over all cameras; past it the least recently updated
         * cameras are forgotten by the live view (they come back with their next frame).
         */
        @WithName("max-bytes")
        @WithDefault("67108864")
        long maxBytes();

        /** Recent events kept per camera for the detail view. */
        @WithDefault("20")
        int events();

        /** Track centres kept per track for the trails drawn on the frames. */
        @WithName("trail-length")
        @WithDefault("16")
        int trailLength();
    }

    interface Explain {
        /**
         * Publish an attention-rollout map for every N-th processed frame of each camera to
         * {@code vitstream.topics.explanations}; 0: never.
         */
        @WithDefault("0")
        int every();

        /** Largest side, in pixels, of the PNG {@code /v1/explain} draws (the frame is scaled down to it). */
        @WithName("png-max-side")
        @WithDefault("1280")
        int pngMaxSide();
    }
}
