package io.vitstream.stream.config;

import ai.djl.Device;

import io.vitstream.backbone.Devices;
import io.vitstream.backbone.image.DecodeMode;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Typed settings: each converter parses with the library's own parser, whose message lists the
 * accepted values; SmallRye Config names the key and the value in the error it reports.
 */
public final class Converters {

    private Converters() {}

    /** {@code auto}, {@code fp32}, {@code fp32-onnxruntime}, {@code bf16}, {@code fp16}. */
    public static final class PrecisionConverter implements Converter<PrecisionSetting> {
        @Override
        public PrecisionSetting convert(String value) {
            return PrecisionSetting.parse(value);
        }
    }

    /** {@code cpu}, {@code gpu}, {@code gpu:N}. */
    public static final class DeviceConverter implements Converter<Device> {
        @Override
        public Device convert(String value) {
            return Devices.parse(value.trim());
        }
    }

    /** {@code exact}, {@code fast}. */
    public static final class DecodeModeConverter implements Converter<DecodeMode> {
        @Override
        public DecodeMode convert(String value) {
            return DecodeMode.parse(value.trim());
        }
    }
}
