package io.vitstream.backbone.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.Precision;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of one checkpoint, handed out to the blocks that own them.
 *
 * <p>Loading is strict: each part of a model claims its keys under a prefix, and a key it
 * expects but does not find, or a shape that differs, is an error naming the key and both
 * shapes; after every part has claimed its keys, {@link #requireAllClaimed} turns any key nobody
 * wanted into an error too. All problems found in one step are reported together.
 *
 * <p>Weights read from a file ({@link #open}) are loaded tensor by tensor when a part claims
 * them, each cast and placed before the next is read, so loading needs the model's final memory
 * plus one tensor, never the whole checkpoint twice.
 */
public final class Weights implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Weights.class);
    private static final int MAX_LISTED = 12;

    private final String source;
    /** Each key's shape as stored (from the header, or the in-memory arrays). */
    private final Map<String, Shape> stored = new LinkedHashMap<>();
    private final Map<String, NDArray> tensors;
    private final SafeTensorsFile file;
    private final Set<String> claimed = new LinkedHashSet<>();

    /**
     * Weights already in memory (training, tests); loading attaches them to the model.
     *
     * @param source where the tensors came from, for messages (e.g. the file path)
     * @param tensors fp32 (or integer) arrays by checkpoint key
     */
    public Weights(String source, Map<String, NDArray> tensors) {
        this.source = source;
        this.tensors = new LinkedHashMap<>(tensors);
        this.file = null;
        tensors.forEach((k, v) -> stored.put(k, v.getShape()));
    }

    private Weights(SafeTensorsFile file) {
        this.source = file.path().toString();
        this.tensors = null;
        this.file = file;
        file.entries().forEach((k, e) -> stored.put(k, e.shape()));
    }

    /**
     * Opens a safetensors file; its header is checked now, tensors are read when claimed.
     *
     * @throws CheckpointException naming the file and tensor when the header is malformed
     */
    public static Weights open(Path file) {
        return new Weights(SafeTensorsFile.open(file));
    }

    /** All keys, in file order. */
    public Set<String> keys() {
        return stored.keySet();
    }

    /**
     * The tensors whose key starts with {@code prefix}, by full key (not marked as claimed); read
     * into {@code manager} when these weights come from a file.
     */
    public Map<String, NDArray> tensorsWithPrefix(String prefix, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String k : stored.keySet()) {
            if (k.startsWith(prefix)) out.put(k, file == null ? tensors.get(k) : file.read(k, manager));
        }
        return out;
    }

    /** Whether any key starts with {@code prefix}. */
    public boolean hasPrefix(String prefix) {
        return stored.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    /**
     * Sets every parameter from the tensor {@code prefix + name}, cast to the precision and moved
     * to the device, in {@code manager}.
     *
     * @param prefix key prefix of this part, e.g. {@code "vit."} or {@code ""}
     * @param params the part's parameters by name
     * @param shapes their expected shapes
     * @param ignorable keys (without prefix) that may be present and are skipped
     * @param context a phrase for messages, e.g. "config says 12 layers"
     * @throws CheckpointException listing every missing key and shape mismatch
     */
    public void loadInto(String prefix, Map<String, Parameter> params, Map<String, Shape> shapes,
            Set<String> ignorable, String context, NDManager manager, Precision precision, Device device) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            String key = prefix + e.getKey();
            Shape found = stored.get(key);
            Shape expected = shapes.get(e.getKey());
            if (found == null) {
                problems.add("missing key '" + key + "' (model expects shape " + expected + ")");
            } else if (!found.equals(expected)) {
                problems.add("key '" + key + "' has shape " + found + " in the checkpoint, model expects " + expected);
            }
        }
        fail(problems, context);
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            String key = prefix + e.getKey();
            e.getValue().setArray(place(key, manager, precision, device));
            claimed.add(key);
        }
        for (String name : ignorable) {
            if (stored.containsKey(prefix + name)) {
                claimed.add(prefix + name);
                LOG.info("{}: ignoring '{}' (not used by this model)", source, prefix + name);
            }
        }
    }

    /**
     * One tensor in {@code manager}, on the device and at the precision; a tensor read from the
     * file is freed as soon as its placed copy exists.
     */
    private NDArray place(String key, NDManager manager, Precision precision, Device device) {
        if (file == null) {
            NDArray placed = precision.cast(tensors.get(key).toDevice(device, false));
            placed.attach(manager);
            return placed;
        }
        try (NDManager staging = Djl.engine().newBaseManager(Device.cpu())) {
            NDArray read = file.read(key, staging);
            NDArray placed = precision.cast(read.toDevice(device, false));
            placed.attach(manager);
            return placed;
        }
    }

    /**
     * Fails when some key was not claimed by any part.
     *
     * @param context a phrase for the message, e.g. "config says 12 layers"
     * @throws CheckpointException listing the unexpected keys
     */
    public void requireAllClaimed(String context) {
        List<String> problems = new ArrayList<>();
        for (String key : stored.keySet()) {
            if (!claimed.contains(key)) {
                problems.add("unexpected key '" + key + "' " + stored.get(key));
            }
        }
        fail(problems, context);
    }

    private void fail(List<String> problems, String context) {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder(source).append(": ");
        msg.append(String.join("; ", problems.subList(0, Math.min(MAX_LISTED, problems.size()))));
        if (problems.size() > MAX_LISTED) {
            msg.append("; and ").append(problems.size() - MAX_LISTED).append(" more");
        }
        msg.append(" (").append(context).append(')');
        throw new CheckpointException(msg.toString());
    }

    /** Closes the file these weights are read from, if any (loaded parameters stay valid). */
    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }
}
