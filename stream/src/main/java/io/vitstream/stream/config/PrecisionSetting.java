package io.vitstream.stream.config;

import io.vitstream.backbone.ExecutionPath;

import java.util.Optional;

/**
 * {@code vitstream.model.precision}: {@code auto} (measure this node's paths at start and keep
 * the fastest within tolerance), or an explicit execution path, which always wins.
 *
 * @param explicit the path asked for, empty for {@code auto}
 */
public record PrecisionSetting(Optional<ExecutionPath> explicit) {

    /** Measure and choose at start. */
    public static final PrecisionSetting AUTO = new PrecisionSetting(Optional.empty());

    /** Parses {@code auto} or a path label ({@code fp32}, {@code fp32-onnxruntime}, {@code bf16}, {@code fp16}). */
    public static PrecisionSetting parse(String value) {
        String v = value == null ? "" : value.trim();
        return v.equalsIgnoreCase("auto") ? AUTO : new PrecisionSetting(Optional.of(ExecutionPath.parse(v)));
    }

    /** Whether the path is chosen at start. */
    public boolean auto() {
        return explicit.isEmpty();
    }

    @Override
    public String toString() {
        return explicit.map(ExecutionPath::label).orElse("auto");
    }
}
