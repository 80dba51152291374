package io.vitstream.backbone.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block whose parameters carry checkpoint names (Hugging Face style, dot-separated) and
 * fixed shapes known at construction.
 *
 * <p>DJL names parameters by child position ({@code 01layer_02dense_weight}); checkpoints name
 * them by module path ({@code encoder.layer.0.output.dense.weight}). Subclasses declare each
 * parameter and child under its checkpoint name, and {@link #namedParameters()} walks the tree.
 * Parameters are declared without a DJL shape so {@link Parameter#setArray} can take a loaded
 * array; the expected shape is kept here and checked by the loader.
 */
public abstract class NamedBlock extends AbstractBlock {

    private final Map<String, Declared> ownParams = new LinkedHashMap<>();
    private final Map<String, NamedBlock> namedChildren = new LinkedHashMap<>();

    /** A declared parameter: the DJL object plus what DJL does not keep for us. */
    private record Declared(Parameter parameter, Shape shape, Init init) {}

    /** Declares a parameter under its checkpoint name with its shape and initializer. */
    protected final Parameter param(String name, Parameter.Type type, Shape shape, Init init) {
        Parameter p = addParameter(Parameter.builder().setName(name).setType(type).build());
        ownParams.put(name, new Declared(p, shape, init));
        return p;
    }

    /**
     * Declares a child block under its checkpoint name; an empty name puts the child's
     * parameters directly in this block's namespace (for blocks that are a unit in code but not
     * in the checkpoint, like the ViT MLP whose layers sit directly under the encoder layer).
     */
    protected final <B extends NamedBlock> B child(String name, B block) {
        String key = name.isEmpty() ? "#" + namedChildren.size() : name;
        if (namedChildren.containsKey(key)) {
            throw new IllegalStateException("child '" + name + "' declared twice");
        }
        namedChildren.put(key, addChildBlock(name.isEmpty() ? "inline" : name.replace('.', '_'), block));
        return block;
    }

    /**
     * Declares a child block under a dotted checkpoint path: each level before the last is a
     * {@link Group}, created on first use and shared after, so {@code "attention.query"} and
     * {@code "attention.key"} land in one {@code attention} group.
     */
    protected final <B extends NamedBlock> B childAt(String path, B block) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return child(path, block);
        }
        String level = path.substring(0, dot);
        Group group = namedChildren.get(level) instanceof Group existing ? existing : child(level, new Group());
        return group.childAt(path.substring(dot + 1), block);
    }

    /** Every parameter of this block and its children, by dot-separated checkpoint name. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        walk("", (name, d) -> out.put(name, d.parameter()));
        return out;
    }

    /** Expected shapes of {@link #namedParameters()}, by the same names. */
    public final Map<String, Shape> parameterShapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        walk("", (name, d) -> out.put(name, d.shape()));
        return out;
    }

    private void walk(String prefix, java.util.function.BiConsumer<String, Declared> visitor) {
        ownParams.forEach((name, d) -> visitor.accept(prefix + name, d));
        namedChildren.forEach((name, child) ->
                child.walk(name.startsWith("#") ? prefix : prefix + name + ".", visitor));
    }

    /**
     * Creates an fp32 array for every parameter that has none yet (training from scratch, or a
     * new head on a pretrained backbone); parameters already loaded are kept.
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        beforeInitialize(inputShapes);
        walk("", (name, d) -> {
            Parameter p = d.parameter();
            if (!p.isInitialized()) {
                p.setArray(d.init().create(manager, d.shape()));
            }
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        });
    }

    /** Initialized when every parameter has an array, whether loaded or freshly created. */
    @Override
    public boolean isInitialized() {
        return namedParameters().values().stream().allMatch(Parameter::isInitialized);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not infer shapes");
    }

    /** The value of a parameter for this pass: from the store when training, else its array. */
    protected static NDArray value(ParameterStore ps, Parameter p, Device device, boolean training) {
        return ps == null ? p.getArray() : ps.getValue(p, device, training);
    }
}
