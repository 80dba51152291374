package io.vitstream.backbone.dinov2;

/**
 * Registers DINOv2 with registers under {@code "dinov2_with_registers"} (HF {@code model_type}
 * of {@code Dinov2WithRegistersModel}, whose checkpoint prefix is that name too).
 */
public final class Dinov2WithRegistersProvider extends Dinov2Provider {

    public Dinov2WithRegistersProvider() {
        super(Dinov2ConfigJson.WITH_REGISTERS);
    }
}
