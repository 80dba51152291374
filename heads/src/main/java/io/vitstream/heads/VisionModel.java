package io.vitstream.heads;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Backbones;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.EncoderSession;
import io.vitstream.backbone.ExecutionPath;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.checkpoint.CheckpointFolder;
import io.vitstream.backbone.explain.AttentionRollout;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.backbone.checkpoint.Weights;
import io.vitstream.backbone.image.ImageGeometry;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.PaddedBatch;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.onnx.OnnxRuntimeEncoder;
import io.vitstream.results.HeadResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One backbone and any number of named heads, loaded from and saved to one checkpoint folder.
 * Each batch runs the backbone once and feeds every head from the same features.
 *
 * <p>Weights live in the model's own manager; every batch runs in a sub-manager inside an
 * {@link NDScope}, so all its arrays are freed when the batch ends and native memory does not
 * grow with the number of batches. Inference is thread-safe.
 */
public final class VisionModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VisionModel.class);

    /** How long {@link #close} waits for running passes. */
    static final long CLOSE_WAIT_SECONDS = 30;

    /**
     * Input pixels per forward pass unless {@link #limitPassPixels} says otherwise: one 1080p
     * frame at DETR's 750x1333 (999,750 pixels) or 800x1333, 21 frames at ViT's 224x224.
     * Activations grow with the pixels of a pass, not with the frames of a batch: eight 1080p
     * frames through DETR-R50 in one pass peak at 5.7 GB in fp32 (3.4 GB in bf16), one per pass
     * at 1.8 GB (1.3 GB), and on a CPU the single-frame passes are also the fastest
     * ({@code tools/bench-pass-memory.sh}, docs/benchmarks.md).
     */
    public static final long DEFAULT_MAX_PASS_PIXELS = 1_100_000L;

    /** Passes hold the read lock, {@link #close} the write lock. */
    private final ReentrantReadWriteLock use = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private final Backbone backbone;
    private final Map<String, Head> heads;
    private final PreprocessorConfig preprocessor;
    private final Precision precision;
    private final ExecutionPath basePath;
    /** The backbone on another runtime (read under the read lock, swapped under the write lock). */
    private volatile EncoderSession encoder;
    private final Device device;
    private final NDManager manager;
    private final String digest;
    /** Most input pixels (padded height x width, summed over the images) of one pass; 0: no limit. */
    private volatile long maxPassPixels = DEFAULT_MAX_PASS_PIXELS;

    private VisionModel(Backbone backbone, Map<String, Head> heads, PreprocessorConfig preprocessor,
            ExecutionPath path, EncoderSession encoder, Device device, NDManager manager, String digest) {
        this.backbone = backbone;
        this.heads = Collections.unmodifiableMap(new LinkedHashMap<>(heads));
        this.preprocessor = preprocessor;
        this.precision = path.precision();
        this.basePath = path;
        this.encoder = encoder;
        this.device = device;
        this.manager = manager;
        this.digest = digest;
    }

    /**
     * Loads a checkpoint folder: a vitstream composite config or a plain Hugging Face ViT.
     * Strict: every tensor must belong to the backbone or a head, with the expected shape.
     *
     * @throws io.vitstream.backbone.checkpoint.CheckpointException naming the file and key
     * @throws IllegalArgumentException naming the config setting
     */
    public static VisionModel load(Path folder, Precision precision, Device device) {
        return load(folder, precision == Precision.FP32 ? ExecutionPath.FP32
                : precision == Precision.BF16 ? ExecutionPath.BF16 : ExecutionPath.FP16, device);
    }

    /**
     * Loads a checkpoint folder to run on an execution path. For {@link ExecutionPath#FP32_ONNXRUNTIME}
     * the backbone's encoder is also built on ONNX Runtime for the preprocessor's input size, from
     * the loaded weights; passes at that size run there, other sizes and training on PyTorch.
     *
     * @throws io.vitstream.backbone.checkpoint.CheckpointException naming the file and key
     * @throws IllegalArgumentException naming the config setting, or a path this device cannot run
     */
    public static VisionModel load(Path folder, ExecutionPath path, Device device) {
        path.checkSupported(device);
        Precision precision = path.precision();
        ExecutionPath base = path == ExecutionPath.FP32_ONNXRUNTIME ? ExecutionPath.FP32 : path;
        Djl.ensureOffline();
        CheckpointFolder ckpt = CheckpointFolder.open(folder);
        Backbone backbone = Backbones.create(ModelConfig.backbone(ckpt.config()));
        Map<String, Head> heads = new LinkedHashMap<>();
        ModelConfig.heads(ckpt.config()).forEach((name, c) -> heads.put(name, Heads.create(name, c, HeadContext.of(backbone))));
        checkDistinctPrefixes(backbone, heads);

        NDManager manager = Djl.engine().newBaseManager(device);
        try (Weights weights = ckpt.openWeights()) {
            Backbones.loadWeights(backbone, weights, manager, precision, device);
            String context = "config.json describes " + backbone.describe() + " with heads " + describeHeads(heads);
            heads.forEach((name, head) -> weights.loadInto(head.checkpointPrefix(), head.namedParameters(),
                    head.parameterShapes(), java.util.Set.of(), context, manager, precision, device));
            weights.requireAllClaimed(context);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        int[] size = backbone.defaultImageSize();
        PreprocessorConfig pre = ckpt.preprocessor().orElseGet(() -> {
            LOG.warn("{} has no {}; using ViT defaults at {}x{}", folder, CheckpointFolder.PREPROCESSOR, size[0], size[1]);
            return PreprocessorConfig.vitDefaults(size[0], size[1]);
        });
        VisionModel model = new VisionModel(backbone, heads, pre, base, null, device, manager, ckpt.digest());
        if (path != base) {
            try {
                model.runBackboneOn(path);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
        LOG.info("loaded {} with heads {} from {} ({}, {})", backbone.describe(), heads.keySet(), folder, path.label(), device);
        return model;
    }

    /**
     * Switches an fp32 model between PyTorch ({@link ExecutionPath#FP32}) and ONNX Runtime
     * ({@link ExecutionPath#FP32_ONNXRUNTIME}) for the backbone; waits for running passes. The
     * ONNX Runtime session is built from the weights the backbone holds now, for the
     * preprocessor's input size.
     *
     * @throws IllegalArgumentException for a path of another precision, or ONNX Runtime on a GPU
     * @throws IllegalStateException when ONNX Runtime cannot build the encoder
     */
    public void runBackboneOn(ExecutionPath path) {
        if (path.precision() != precision) {
            throw new IllegalArgumentException("a " + precision.label() + " model cannot run as " + path.label()
                    + "; load it again with that precision");
        }
        path.checkSupported(device);
        use.writeLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model is closed");
            }
            if (path == ExecutionPath.FP32_ONNXRUNTIME && encoder == null) {
                encoder = OnnxRuntimeEncoder.open(backbone, preprocessor.height(), preprocessor.width(), cpuThreads());
            } else if (path != ExecutionPath.FP32_ONNXRUNTIME && encoder != null) {
                encoder.close();
                encoder = null;
            }
        } finally {
            use.writeLock().unlock();
        }
    }

    /** Threads for CPU runtimes besides PyTorch: PyTorch's own setting, else every core. */
    static int cpuThreads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }

    /**
     * A new model from parts whose parameters are set (loaded or initialized) in {@code manager},
     * which the model then owns. Used by training.
     */
    public static VisionModel of(Backbone backbone, Map<String, Head> heads, PreprocessorConfig preprocessor,
            NDManager manager) {
        checkDistinctPrefixes(backbone, heads);
        return new VisionModel(backbone, heads, preprocessor, ExecutionPath.FP32, null, manager.getDevice(), manager, "unsaved");
    }

    private static void checkDistinctPrefixes(Backbone backbone, Map<String, Head> heads) {
        Map<String, String> owner = new LinkedHashMap<>();
        backbone.namedParameters().keySet().forEach(k -> owner.put(backbone.checkpointPrefix() + k, "backbone"));
        heads.forEach((name, head) -> head.namedParameters().keySet().forEach(k -> {
            String previous = owner.putIfAbsent(head.checkpointPrefix() + k, "head '" + name + "'");
            if (previous != null) {
                throw new IllegalArgumentException("config.json: head '" + name + "' and " + previous + " both use key '"
                        + head.checkpointPrefix() + k + "'; give the head its own \"prefix\"");
            }
        }));
    }

    private static String describeHeads(Map<String, Head> heads) {
        List<String> parts = new ArrayList<>();
        heads.forEach((name, h) -> parts.add(name + " (" + h.type() + ")"));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /**
     * Runs one batch: backbone once, every head, post-processing; in several passes when the
     * batch has more pixels than {@link #limitPassPixels} allows.
     *
     * @param images prepared by {@link #newPreprocessor}; of one input size, or of any sizes when
     *     the preprocessor pads batches (DETR), each then mapped back through its own geometry
     * @return per image, each head's result by head name
     */
    public List<Map<String, HeadResult>> infer(List<ImagePreprocessor.Prepared> images) {
        return whileOpen(() -> {
            List<List<ImagePreprocessor.Prepared>> passes = passes(images, maxPassPixels);
            if (passes.size() == 1) {
                return inferOpen(images);
            }
            List<Map<String, HeadResult>> out = new ArrayList<>(images.size());
            passes.forEach(pass -> out.addAll(inferOpen(pass)));
            return out;
        });
    }

    /**
     * Sets the most input pixels of one forward pass: a batch over it runs as several passes, in
     * order, each of as many images as fit (at least one). Pixels are counted as the pass's
     * tensor holds them: images times the largest height times the largest width (a padded DETR
     * batch pays for its padding). 0 means no limit.
     *
     * @throws IllegalArgumentException when negative
     */
    public void limitPassPixels(long pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("the pixels of a pass must be >= 0 (0: no limit), got " + pixels);
        }
        maxPassPixels = pixels;
    }

    /** The most input pixels of one forward pass (0: no limit). */
    public long maxPassPixels() {
        return maxPassPixels;
    }

    /**
     * Splits images, in order, into runs whose padded size (count x largest height x largest
     * width) stays within {@code maxPixels}; an image larger than that on its own is a run of
     * one. {@code maxPixels} 0: one run.
     */
    public static List<List<ImagePreprocessor.Prepared>> passes(List<ImagePreprocessor.Prepared> images, long maxPixels) {
        if (maxPixels == 0 || images.size() <= 1) {
            return List.of(images);
        }
        List<List<ImagePreprocessor.Prepared>> out = new ArrayList<>();
        int start = 0;
        long maxH = 0;
        long maxW = 0;
        for (int i = 0; i < images.size(); i++) {
            ImageGeometry g = images.get(i).geometry();
            long h = Math.max(maxH, g.inputHeight());
            long w = Math.max(maxW, g.inputWidth());
            if (i > start && (i - start + 1) * h * w > maxPixels) {
                out.add(images.subList(start, i));
                start = i;
                h = g.inputHeight();
                w = g.inputWidth();
            }
            maxH = h;
            maxW = w;
        }
        out.add(images.subList(start, images.size()));
        return out;
    }

    /** Runs a pass under the read lock, refusing it once the model is closed. */
    private <T> T whileOpen(java.util.function.Supplier<T> pass) {
        use.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model is closed");
            }
            return pass.get();
        } finally {
            use.readLock().unlock();
        }
    }

    private List<Map<String, HeadResult>> inferOpen(List<ImagePreprocessor.Prepared> images) {
        List<Map<String, HeadResult>> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) out.add(new LinkedHashMap<>());
        if (images.isEmpty()) {
            return out;
        }
        List<ImageGeometry> geometries = new ArrayList<>();
        images.forEach(p -> geometries.add(p.geometry()));
        pass(images, (name, raw) -> {
            List<HeadResult> results = heads.get(name).postProcessor().process(raw, geometries);
            for (int i = 0; i < results.size(); i++) out.get(i).put(name, results.get(i));
        });
        return out;
    }

    /**
     * One forward pass (inference): the batch's inputs, the backbone once, then each head's raw
     * outputs handed to {@code use} by head name, inside the pass's scope (every array is freed
     * when this returns, so {@code use} copies what it keeps).
     */
    private void pass(List<ImagePreprocessor.Prepared> images, java.util.function.BiConsumer<String, NDList> use) {
        try (NDManager batch = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList inputs = batchInputs(batch, images);
            Features features = encode(inputs.get(0));
            NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
            heads.forEach((name, head) -> use.accept(name, head.forward(null, features, mask, false)));
        }
    }

    /**
     * The batch's {@code pixel_values [B, 3, H, W]}, and when the preprocessor pads batches
     * (DETR) its {@code pixel_mask [B, H, W]} as the second array: images of different sizes are
     * padded bottom-right to the largest. Fixed-size preprocessing gives the stacked pixels alone.
     */
    private NDList batchInputs(NDManager batch, List<ImagePreprocessor.Prepared> images) {
        return preprocessor.padsBatch() ? PaddedBatch.of(batch, images)
                : new NDList(ImagePreprocessor.toBatch(batch, images));
    }

    /** One raw head output: row-major fp32 values and the shape. */
    public record RawOutput(float[] values, long[] shape) {
        /** Size of the last axis. */
        public int lastDim() {
            return (int) shape[shape.length - 1];
        }

        /**
         * {@code x} and {@code y} joined along {@code axis} (row-major), as one array of both.
         *
         * @throws IllegalArgumentException when the other axes differ
         */
        static RawOutput join(RawOutput x, RawOutput y, int axis) {
            if (x.shape.length != y.shape.length) {
                throw new IllegalArgumentException("cannot join " + java.util.Arrays.toString(x.shape) + " and "
                        + java.util.Arrays.toString(y.shape));
            }
            long outer = 1;
            for (int d = 0; d < x.shape.length; d++) {
                if (d != axis && x.shape[d] != y.shape[d]) {
                    throw new IllegalArgumentException("cannot join " + java.util.Arrays.toString(x.shape) + " and "
                            + java.util.Arrays.toString(y.shape) + " along axis " + axis);
                }
                if (d < axis) outer *= x.shape[d];
            }
            int bx = (int) (x.values.length / outer);
            int by = (int) (y.values.length / outer);
            float[] values = new float[x.values.length + y.values.length];
            for (int o = 0; o < outer; o++) {
                System.arraycopy(x.values, o * bx, values, o * (bx + by), bx);
                System.arraycopy(y.values, o * by, values, o * (bx + by) + bx, by);
            }
            long[] shape = x.shape.clone();
            shape[axis] += y.shape[axis];
            return new RawOutput(values, shape);
        }
    }

    /** The backbone's features for a batch, on the encoder session when it takes this size. */
    private Features encode(NDArray pixels) {
        Shape s = pixels.getShape();
        if (encoder != null && encoder.accepts((int) s.get(2), (int) s.get(3))) {
            return encoder.features(pixels);
        }
        return backbone.features(precision.cast(pixels.toDevice(device, false)));
    }

    /**
     * Every head's raw outputs for a batch (inference), as fp32 values by head name, in the
     * order the head returns them: what {@link #infer} post-processes. For comparing paths.
     */
    public Map<String, List<RawOutput>> rawOutputs(List<ImagePreprocessor.Prepared> images) {
        return whileOpen(() -> {
            Map<String, List<RawOutput>> out = null;
            for (List<ImagePreprocessor.Prepared> pass : passes(images, maxPassPixels)) {
                out = out == null ? rawOutputsOpen(pass) : concat(out, rawOutputsOpen(pass));
            }
            return out;
        });
    }

    /** Two passes' raw outputs as one batch's: each array joined along its head's batch axis. */
    private Map<String, List<RawOutput>> concat(Map<String, List<RawOutput>> a, Map<String, List<RawOutput>> b) {
        Map<String, List<RawOutput>> out = new LinkedHashMap<>();
        a.forEach((head, arrays) -> {
            List<RawOutput> joined = new ArrayList<>();
            for (int i = 0; i < arrays.size(); i++) {
                joined.add(RawOutput.join(arrays.get(i), b.get(head).get(i), heads.get(head).batchAxis()));
            }
            out.put(head, joined);
        });
        return out;
    }

    private Map<String, List<RawOutput>> rawOutputsOpen(List<ImagePreprocessor.Prepared> images) {
        Map<String, List<RawOutput>> out = new LinkedHashMap<>();
        pass(images, (name, raw) -> {
            List<RawOutput> arrays = new ArrayList<>();
            for (NDArray a : raw) {
                arrays.add(new RawOutput(a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(),
                        a.getShape().getShape()));
            }
            out.put(name, arrays);
        });
        return out;
    }

    /**
     * The backbone's attention probabilities for a batch, per image as plain arrays (for
     * attention rollout). Always on PyTorch: an ONNX Runtime encoder session gives no attentions,
     * and the two agree on the features to 1e-4 anyway.
     *
     * @param images prepared by {@link #newPreprocessor}, all of one input size unless the
     *     preprocessor pads batches
     * @return per image, its layers' {@code [heads][T][T]} maps, prefix tokens and grid
     */
    public List<Attentions> attentions(List<ImagePreprocessor.Prepared> images) {
        return whileOpen(() -> {
            List<Attentions> out = new ArrayList<>(images.size());
            if (images.isEmpty()) {
                return out;
            }
            try (NDManager batch = manager.newSubManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray pixels = precision.cast(batchInputs(batch, images).get(0).toDevice(device, false));
                Features f = backbone.features(null, pixels, false, true);
                for (int i = 0; i < images.size(); i++) {
                    out.add(new Attentions(AttentionRollout.toArrays(f.attentions(), i), f.numPrefixTokens(), f.hasClassToken(),
                            f.grid()));
                }
            }
            return out;
        });
    }

    /**
     * The training forward pass: backbone once, every head, raw outputs.
     *
     * @param images {@code [B, C, H, W]}
     */
    public Map<String, NDList> forward(ParameterStore ps, NDArray images, boolean training) {
        Features features = backbone.features(ps, images, training, false);
        Map<String, NDList> out = new LinkedHashMap<>();
        heads.forEach((name, head) -> out.put(name, head.forward(ps, features, training)));
        return out;
    }

    /** Writes config, weights and preprocessing to a checkpoint folder. */
    public void save(Path folder, StorageType storage) {
        Map<String, NDArray> tensors = new LinkedHashMap<>(Backbones.checkpointTensors(backbone));
        heads.values().forEach(h -> h.namedParameters().forEach((k, p) -> tensors.put(h.checkpointPrefix() + k, p.getArray())));
        CheckpointFolder.write(folder, ModelConfig.write(backbone, heads), tensors, storage, preprocessor);
    }

    /** A preprocessor with this model's settings and the given limits. */
    public ImagePreprocessor newPreprocessor(io.vitstream.backbone.image.ImageLimits limits) {
        return new ImagePreprocessor(preprocessor, limits);
    }

    /** An input batch shape for {@code b} images. */
    public Shape inputShape(int b) {
        return new Shape(b, 3, preprocessor.height(), preprocessor.width());
    }

    public Backbone backbone() { return backbone; }
    public Map<String, Head> heads() { return heads; }
    public PreprocessorConfig preprocessorConfig() { return preprocessor; }
    public Precision precision() { return precision; }
    /** How passes run (precision and backbone runtime). */
    public ExecutionPath path() { return encoder != null ? ExecutionPath.FP32_ONNXRUNTIME : basePath; }
    public Device device() { return device; }
    public String digest() { return digest; }
    public NDManager manager() { return manager; }

    /**
     * Frees the weights once no {@link #infer} pass is running (one that is, finishes first;
     * later calls fail with {@link IllegalStateException}), so a shutdown can never free native
     * memory under a forward pass. If a pass is still running after {@link #CLOSE_WAIT_SECONDS},
     * the memory is left to the process's exit rather than freed under it.
     */
    @Override
    public void close() {
        try {
            if (!use.writeLock().tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("a forward pass is still running after {} s; the model's memory is left to the process exit",
                        CLOSE_WAIT_SECONDS);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (!closed) {
                closed = true;
                if (encoder != null) {
                    encoder.close();
                }
                manager.close();
            }
        } finally {
            use.writeLock().unlock();
        }
    }
}
