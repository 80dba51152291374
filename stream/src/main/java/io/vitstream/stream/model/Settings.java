package io.vitstream.stream.model;

import ai.djl.Device;

import io.vitstream.backbone.Devices;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.DecodeMode;

/** Parses model settings, naming the configuration key in every error. */
final class Settings {

    private Settings() {}

    static Precision precision(String value) {
        try {
            return Precision.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vitstream.model.precision: " + e.getMessage(), e);
        }
    }

    static Device device(String value) {
        try {
            return Devices.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vitstream.model.device: " + e.getMessage(), e);
        }
    }

    static DecodeMode decodeMode(String value) {
        try {
            return DecodeMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vitstream.decode.mode: " + e.getMessage(), e);
        }
    }

    /** {@code cpu} or {@code gpu:N}. */
    static String deviceName(Device d) {
        return d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu";
    }
}
