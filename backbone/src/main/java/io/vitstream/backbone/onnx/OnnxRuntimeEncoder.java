package io.vitstream.backbone.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.EncoderSession;
import io.vitstream.backbone.Features;
import io.vitstream.backbone.Grid;
import io.vitstream.backbone.dinov2.Dinov2;
import io.vitstream.backbone.resnet.ResNet;
import io.vitstream.backbone.vit.ViT;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * A backbone's encoder on ONNX Runtime's CPU kernels (MLAS), built in memory from the weights the
 * backbone holds: no export step, no file, no Python. On CPUs where PyTorch's MKL takes a
 * generic path (AMD), MLAS's AVX-512 fp32 matrix products are about twice as fast.
 *
 * <p>The graph and its weights (fp32) are written to a temporary directory (under
 * {@code java.io.tmpdir}), which the runtime reads once while it builds the session, and which
 * is deleted right after: the process holds the runtime's own (pre-packed) copy of the weights
 * and never the whole model on the Java heap.
 */
public final class OnnxRuntimeEncoder implements EncoderSession {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Backbone backbone;
    private final int height;
    private final int width;
    private final Grid grid;

    /** Whether the graph takes any input size (a ResNet), or only {@code height x width} (a ViT or DINOv2). */
    private final boolean anySize;

    private OnnxRuntimeEncoder(OrtEnvironment env, OrtSession session, Backbone backbone, int height, int width,
            boolean anySize) {
        this.env = env;
        this.session = session;
        this.backbone = backbone;
        this.height = height;
        this.width = width;
        this.anySize = anySize;
        this.grid = backbone.grid(height, width);
    }

    /**
     * Builds the session for inputs of {@code height x width}.
     *
     * @param threads intra-op threads (the CPU cores this process may use)
     * @throws IllegalArgumentException when the backbone has no ONNX form here
     * @throws IllegalStateException when the runtime refuses the graph (with its message)
     */
    public static OnnxRuntimeEncoder open(Backbone backbone, int height, int width, int threads) {
        return open(backbone, height, width, threads, null);
    }

    /**
     * As {@link #open(Backbone, int, int, int)}, with ONNX Runtime's profiler writing to files
     * starting with {@code profilePrefix} (null: off) until {@link #endProfiling()}.
     */
    public static OnnxRuntimeEncoder open(Backbone backbone, int height, int width, int threads, Path profilePrefix) {
        Function<Path, OnnxGraph> writer = graphWriter(backbone, height, width);
        Path dir = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            dir = Files.createTempDirectory("vitstream-onnx-");
            OnnxGraph graph = writer.apply(dir.resolve("encoder.onnx.data"));
            Path model = Files.write(dir.resolve("encoder.onnx"), graph.toByteArray());
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (profilePrefix != null) {
                options.enableProfiling(profilePrefix.toString());
            }
            OrtSession session = env.createSession(model.toString(), options);
            return new OnnxRuntimeEncoder(env, session, backbone, height, width, backbone instanceof ResNet);
        } catch (OrtException | IOException | RuntimeException e) {
            throw new IllegalStateException("ONNX Runtime could not build the encoder (" + backbone.describe() + ", "
                    + height + "x" + width + "): " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * How the backbone's graph is written, given the data file: ViT and DINOv2 for {@code height x width}
     * only, ResNet for any size.
     *
     * @throws IllegalArgumentException naming the backbone when it has no ONNX form here
     */
    private static Function<Path, OnnxGraph> graphWriter(Backbone backbone, int height, int width) {
        if (backbone instanceof ViT vit) {
            return data -> ViTGraph.build(vit, height, width, data);
        }
        if (backbone instanceof Dinov2 dinov2) {
            return data -> Dinov2Graph.build(dinov2, height, width, data);
        }
        if (backbone instanceof ResNet resnet) {
            return resnet::onnxGraph;
        }
        throw new IllegalArgumentException("no ONNX Runtime form for backbone " + backbone.architecture()
                + "; supported: vit, dinov2, dinov2_with_registers, resnet50");
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing for
        }
    }

    @Override
    public String runtime() {
        return "onnxruntime";
    }

    @Override
    public boolean accepts(int h, int w) {
        return anySize || h == height && w == width;
    }

    @Override
    public Features features(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || !accepts((int) s.get(2), (int) s.get(3))) {
            throw new IllegalArgumentException("this ONNX Runtime encoder takes [B, C, " + height + ", " + width
                    + "], got " + s);
        }
        float[] pixels = (images.getDataType() == DataType.FLOAT32 ? images : images.toType(DataType.FLOAT32, false))
                .toFloatArray();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), s.getShape());
                OrtSession.Result out = session.run(Map.of(OnnxGraph.INPUT, in))) {
            OnnxTensor tokens = (OnnxTensor) out.get(0);
            long[] shape = tokens.getInfo().getShape();
            NDArray t = images.getManager().create(tokens.getFloatBuffer(), new Shape(shape));
            Grid g = anySize ? backbone.grid((int) s.get(2), (int) s.get(3)) : grid;
            return new Features(t, g, backbone.numPrefixTokens(), backbone.hasClassToken(), java.util.List.of());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + s.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Stops the profiler and returns its JSON trace file. */
    public Path endProfiling() {
        try {
            return Path.of(session.endProfiling());
        } catch (OrtException e) {
            throw new IllegalStateException("ending the ONNX Runtime profile: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
