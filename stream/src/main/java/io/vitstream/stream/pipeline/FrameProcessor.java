package io.vitstream.stream.pipeline;

import io.vitstream.backbone.image.BadImageException;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.heads.VisionModel;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;

import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The work on one micro-batch, independent of how frames arrive and results leave: skip
 * decisions, parallel decoding, ONE model pass for every head, and the records to publish, in
 * the frames' order (so results keep the per-camera order of the input).
 *
 * <p>Each frame ends in exactly one of: a result per head, a skip notice per head, or one
 * dead letter. A frame that cannot be decoded never fails its batch.
 */
public final class FrameProcessor {

    private static final Logger LOG = Logger.getLogger(FrameProcessor.class);
    /** PyTorch's words for an allocation that failed (CUDA, host allocator). */
    private static final Pattern OUT_OF_MEMORY =
            Pattern.compile("out of memory|not enough memory|can't allocate memory", Pattern.CASE_INSENSITIVE);

    private final ModelPass model;
    private final ImagePreprocessor preprocessor;
    private final OutputFactory outputs;
    private final SkipPolicy skip;
    private final ExecutorService decodePool;
    private final StreamMetrics metrics;
    private final Retries retries;
    private final int maxKeyBytes;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile String lastFailure;

    public FrameProcessor(VisionModel model, ImagePreprocessor preprocessor, OutputFactory outputs, SkipPolicy skip,
            ExecutorService decodePool, StreamMetrics metrics) {
        this(model::infer, preprocessor, outputs, skip, decodePool, metrics, Retries.DEFAULT, 256);
    }

    /**
     * @param model the model pass (the model's {@code infer}, or a wrapper of it)
     * @param retries how a failing pass is tried again
     * @param maxKeyBytes longest accepted key in UTF-8 bytes ({@code vitstream.limits.max-key-bytes})
     */
    public FrameProcessor(ModelPass model, ImagePreprocessor preprocessor, OutputFactory outputs, SkipPolicy skip,
            ExecutorService decodePool, StreamMetrics metrics, Retries retries, int maxKeyBytes) {
        if (maxKeyBytes < 1) {
            throw new IllegalArgumentException("vitstream.limits.max-key-bytes must be >= 1, got " + maxKeyBytes);
        }
        this.maxKeyBytes = maxKeyBytes;
        this.retries = retries;
        this.model = model;
        this.preprocessor = preprocessor;
        this.outputs = outputs;
        this.skip = skip;
        this.decodePool = decodePool;
        this.metrics = metrics;
    }

    /** A frame after decoding: ready for the model, or refused. */
    private record Decoded(Frame frame, ImagePreprocessor.Prepared prepared, RuntimeException error, long nanos) {}

    /**
     * Processes one micro-batch.
     *
     * @return the records to publish, grouped by frame in input order
     * @throws RuntimeException only when the model itself fails (not the input's fault) on every try
     */
    public List<OutputRecord> process(List<Frame> frames) {
        long start = System.nanoTime();
        long nowMs = System.currentTimeMillis();
        metrics.consumed(frames.size());
        Map<Frame, Optional<String>> skips = new LinkedHashMap<>();
        Map<Frame, String> badKeys = new LinkedHashMap<>();
        List<CompletableFuture<Decoded>> decoding = new ArrayList<>();
        for (Frame f : frames) {
            Optional<String> keyProblem = CameraKeys.problem(f.camera(), maxKeyBytes);
            if (keyProblem.isPresent()) {
                // Refused before the skip policy and the per-camera state ever see the key.
                badKeys.put(f, keyProblem.get());
                continue;
            }
            Optional<String> reason = skip.check(f, nowMs);
            skips.put(f, reason);
            if (reason.isEmpty()) {
                decoding.add(CompletableFuture.supplyAsync(() -> decode(f), decodePool));
            }
        }
        Map<Frame, Decoded> decoded = new LinkedHashMap<>();
        decoding.forEach(d -> {
            Decoded r = d.join();
            decoded.put(r.frame(), r);
        });
        Inference inference = infer(decoded);
        List<OutputRecord> out = new ArrayList<>();
        for (Frame f : frames) {
            double queueMs = (start - f.arrivalNanos()) / 1e6;
            if (badKeys.containsKey(f)) {
                LOG.debugf("frame at %s: %s", f.position(), badKeys.get(f));
                metrics.deadLettered("bad-key");
                out.add(outputs.badKey(f, badKeys.get(f)));
            } else if (skips.get(f).isPresent()) {
                metrics.skipped(skips.get(f).get());
                out.addAll(counted(outputs.skipped(f, skips.get(f).get(), queueMs)));
            } else if (decoded.get(f).error() != null) {
                out.add(deadLetter(decoded.get(f)));
            } else {
                Decoded d = decoded.get(f);
                FrameResult.Timings t = new FrameResult.Timings(queueMs, d.nanos() / 1e6, inference.nanos() / 1e6, 0);
                out.addAll(counted(outputs.results(f, d.prepared().geometry(), inference.answers().get(f), t)));
            }
        }
        return out;
    }

    /** Counts the results that became dead letters (too large for their topic). */
    private List<OutputRecord> counted(List<OutputRecord> records) {
        records.stream().filter(r -> r.kind() == OutputRecord.Kind.DEAD_LETTER)
                .forEach(r -> metrics.deadLettered(r.headers().get(Headers.DLQ_REASON)));
        return records;
    }

    private Decoded decode(Frame f) {
        long t0 = System.nanoTime();
        try {
            ImagePreprocessor.Prepared p = preprocessor.prepare(f.bytes());
            long nanos = System.nanoTime() - t0;
            metrics.decodeNanos(nanos);
            return new Decoded(f, p, null, nanos);
        } catch (RuntimeException e) {
            return new Decoded(f, null, e, System.nanoTime() - t0);
        }
    }

    /** The heads' answers per frame and how long the pass took. */
    private record Inference(Map<Frame, Map<String, HeadResult>> answers, long nanos) {}

    /** One model pass over every decoded frame. */
    private Inference infer(Map<Frame, Decoded> decoded) {
        List<Frame> ok = new ArrayList<>();
        List<ImagePreprocessor.Prepared> inputs = new ArrayList<>();
        decoded.values().stream().filter(d -> d.error() == null).forEach(d -> {
            ok.add(d.frame());
            inputs.add(d.prepared());
        });
        Map<Frame, Map<String, HeadResult>> out = new LinkedHashMap<>();
        if (ok.isEmpty()) {
            return new Inference(out, 0);
        }
        long t0 = System.nanoTime();
        List<Map<String, HeadResult>> results = inferWithRetries(inputs);
        long nanos = System.nanoTime() - t0;
        metrics.batch(ok.size());
        metrics.inferenceNanos(nanos);
        for (int i = 0; i < ok.size(); i++) out.put(ok.get(i), results.get(i));
        return new Inference(out, nanos);
    }

    /**
     * The model pass, tried up to {@code retries.attempts()} times with a pause between tries, so
     * a transient fault costs a pause instead of a batch. A batch the engine has no memory for is
     * split in two halves, each passed on its own (and split again if need be), before anything
     * counts as a failure: the frames get their answers at a smaller batch size.
     *
     * @throws RuntimeException the last failure when every try failed
     */
    private List<Map<String, HeadResult>> inferWithRetries(List<ImagePreprocessor.Prepared> inputs) {
        for (int attempt = 1;; attempt++) {
            try {
                List<Map<String, HeadResult>> results = model.infer(inputs);
                consecutiveFailures.set(0);
                return results;
            } catch (RuntimeException e) {
                if (outOfMemory(e) && inputs.size() > 1) {
                    int half = inputs.size() / 2;
                    LOG.warnf("out of memory on a batch of %d frames (%s); passing it as %d + %d", inputs.size(), e.getMessage(),
                            half, inputs.size() - half);
                    metrics.split();
                    List<Map<String, HeadResult>> results = new ArrayList<>(inferWithRetries(inputs.subList(0, half)));
                    results.addAll(inferWithRetries(inputs.subList(half, inputs.size())));
                    return results;
                }
                consecutiveFailures.incrementAndGet();
                lastFailure = e.toString();
                if (attempt >= retries.attempts()) {
                    throw e;
                }
                LOG.warnf(e, "the model failed on %d frames (try %d of %d); trying again in %d ms", inputs.size(), attempt,
                        retries.attempts(), retries.pause().toMillis());
                try {
                    Thread.sleep(retries.pause().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Whether a failure is the engine running out of memory: a Java {@link OutOfMemoryError}
     * among the causes, or PyTorch's messages for CUDA ("CUDA out of memory") and host
     * allocations ("DefaultCPUAllocator: not enough memory", "can't allocate memory").
     */
    static boolean outOfMemory(Throwable t) {
        return Causes.any(t, x -> x instanceof OutOfMemoryError || x.getMessage() != null && OUT_OF_MEMORY.matcher(x.getMessage()).find());
    }

    /** Tries of one pass before its batch fails; as many failures in a row make the model not live. */
    public int attempts() {
        return retries.attempts();
    }

    /** Model passes that failed since the last one that worked (liveness turns DOWN at {@link #attempts()}). */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** The last model failure, for the health check; null if none. */
    public String lastFailure() {
        return lastFailure;
    }

    private OutputRecord deadLetter(Decoded d) {
        RuntimeException e = d.error();
        String reason = e instanceof BadImageException bad ? bad.reason().code() : "internal-error";
        if (!(e instanceof BadImageException)) {
            LOG.errorf(e, "frame from camera '%s' at %s failed to decode", d.frame().camera(), d.frame().position());
        } else {
            LOG.debugf("frame from camera '%s' at %s: %s", d.frame().camera(), d.frame().position(), e.getMessage());
        }
        metrics.deadLettered(reason);
        return outputs.deadLetter(d.frame(), reason, e);
    }
}
