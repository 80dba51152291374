package io.vitstream.backbone.nn;

import java.util.Locale;

/** The MLP activations of Hugging Face {@code hidden_act}. */
public enum Activation {
    /** Exact GELU, {@code x * Phi(x)} ({@code "gelu"}). */
    GELU("gelu"),
    /** Tanh approximation of GELU ({@code "gelu_new"}, {@code "gelu_pytorch_tanh"}, {@code "gelu_fast"}). */
    GELU_TANH("gelu_new"),
    /** {@code x * sigmoid(1.702 x)} (CLIP). */
    QUICK_GELU("quick_gelu"),
    RELU("relu"),
    SILU("silu");

    private final String hfName;

    Activation(String hfName) {
        this.hfName = hfName;
    }

    /** The name written to {@code config.json}. */
    public String hfName() {
        return hfName;
    }

    /**
     * Parses a Hugging Face {@code hidden_act} value.
     *
     * @throws IllegalArgumentException naming the value and the known ones
     */
    public static Activation parse(String name) {
        switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "gelu": return GELU;
            case "gelu_new": case "gelu_pytorch_tanh": case "gelu_fast": return GELU_TANH;
            case "quick_gelu": return QUICK_GELU;
            case "relu": return RELU;
            case "silu": case "swish": return SILU;
            default: throw new IllegalArgumentException("unknown hidden_act '" + name
                    + "'; known: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, quick_gelu, relu, silu");
        }
    }
}
