package io.vitstream.backbone;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The few things vitstream needs from DJL's PyTorch engine beyond its public API.
 *
 * <p>Offline: without {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} DJL's engine start
 * calls a cloud metadata address. {@link #ensureOffline()} sets both before the engine loads;
 * every entry point that may start the engine calls it.
 *
 * <p>bfloat16: DJL 0.35.1's JNI maps no DJL data type to torch's bfloat16, and asking for one
 * ({@code toType}, {@code zeros}, {@code create}) aborts the JVM. Every op DJL calls without a
 * dtype argument works on bfloat16 tensors, so the only missing piece is the cast, done here by
 * a one-line TorchScript module ({@code tools/make_cast_module.py}). Such arrays report
 * {@code DataType.UNKNOWN}; {@code softmax} (which passes a dtype) must not be called on them.
 */
public final class Djl {

    /** TorchScript modules by resource name, each loaded once. */
    private static final java.util.Map<String, PtSymbolBlock> MODULES = new java.util.concurrent.ConcurrentHashMap<>();
    private static PtNDManager moduleManager;

    private Djl() {}

    /** Sets DJL's offline mode and usage-tracking opt-out unless the user set them. */
    public static void ensureOffline() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The PyTorch engine, started offline. */
    public static Engine engine() {
        ensureOffline();
        return Engine.getEngine("PyTorch");
    }

    /**
     * Casts to bfloat16.
     *
     * @param array any floating array
     * @return a new bfloat16 array in the same manager as {@code array}
     */
    public static NDArray toBfloat16(NDArray array) {
        return call(module("to_bfloat16.pt"), array);
    }

    /**
     * Softmax over the last axis by PyTorch's own kernel (one pass, fp32 accumulation), for
     * bfloat16 arrays, whose softmax DJL cannot call (it passes a dtype it cannot map).
     *
     * @return a new array in the same manager as {@code array}
     */
    public static NDArray softmaxLastAxis(NDArray array) {
        return call(module("softmax_last.pt"), array);
    }

    private static NDArray call(PtSymbolBlock module, NDArray array) {
        // DJL passes named arrays to TorchScript as a dict; the modules take a plain tensor.
        String name = array.getName();
        array.setName(null);
        try {
            NDArray out = module.forward(null, new NDList(array), false).singletonOrThrow();
            out.attach(array.getManager());
            return out;
        } finally {
            array.setName(name);
        }
    }

    /** Whether an array is bfloat16 (which DJL 0.35 reports as {@code UNKNOWN}). */
    public static boolean isBfloat16(NDArray array) {
        return array.getDataType() == ai.djl.ndarray.types.DataType.UNKNOWN;
    }

    private static PtSymbolBlock module(String resource) {
        return MODULES.computeIfAbsent(resource, Djl::loadModule);
    }

    /** Loads a TorchScript module written by {@code tools/make_cast_module.py} (once per resource, see {@link #module}). */
    private static synchronized PtSymbolBlock loadModule(String resource) {
        engine();
        try (InputStream in = Djl.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " missing from the backbone jar");
            }
            Path file = Files.createTempFile("vitstream-module", ".pt");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                if (moduleManager == null) {
                    moduleManager = (PtNDManager) engine().newBaseManager();
                }
                return JniUtils.loadModule(moduleManager, file, false, new String[0], new String[0], false);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the TorchScript module " + resource, e);
        }
    }
}
