package io.vitstream.backbone.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import io.vitstream.backbone.Precision;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class Weights {

    private static final Logger LOG = LoggerFactory.getLogger(Weights.class);
    private static final int MAX_LISTED = 12;

    private final String source;
    private final Map<String, NDArray> tensors;
    private final Set<String> claimed = new LinkedHashSet<>();

    /**
     * @param source where the tensors came from, for messages (e.g. the file path)
     * @param tensors fp32 (or integer) arrays by checkpoint key
     */
    public Weights(String source, Map<String, NDArray> tensors) {
        this.source = source;
        this.tensors = new LinkedHashMap<>(tensors);
    }

    /** All keys, in file order. */
    public Set<String> keys() {
        return tensors.keySet();
    }

    /** The tensors whose key starts with {@code prefix}, by full key (not marked as claimed). */
    public Map<String, NDArray> tensorsWithPrefix(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k, v);
        });
        return out;
    }

    /** Whether any key starts with {@code prefix}. */
    public boolean hasPrefix(String prefix) {
        return tensors.keySet().stream().anyMatch(k -> k.startsWith(prefix));
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
            NDArray t = tensors.get(key);
            Shape expected = shapes.get(e.getKey());
            if (t == null) {
                problems.add("missing key '" + key + "' (model expects shape " + expected + ")");
            } else if (!t.getShape().equals(expected)) {
                problems.add("key '" + key + "' has shape " + t.getShape() + " in the checkpoint, model expects " + expected);
            }
        }
        fail(problems, context);
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            String key = prefix + e.getKey();
            NDArray t = tensors.get(key);
            NDArray placed = precision.cast(t.toDevice(device, false));
            placed.attach(manager);
            e.getValue().setArray(placed);
            claimed.add(key);
        }
        for (String name : ignorable) {
            if (tensors.containsKey(prefix + name)) {
                claimed.add(prefix + name);
                LOG.info("{}: ignoring '{}' (not used by this model)", source, prefix + name);
            }
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
        for (String key : tensors.keySet()) {
            if (!claimed.contains(key)) {
                problems.add("unexpected key '" + key + "' " + tensors.get(key).getShape());
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
}
