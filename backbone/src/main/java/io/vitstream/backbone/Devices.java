package io.vitstream.backbone;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/** Parses device names from configuration. */
public final class Devices {

    private Devices() {}

    /**
     * Parses {@code cpu}, {@code gpu} (= {@code gpu:0}), {@code gpu:N} or {@code cuda:N}.
     *
     * @throws IllegalArgumentException naming the value, or when a GPU is asked for and the
     *     engine sees fewer GPUs
     */
    public static Device parse(String name) {
        String v = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (v.equals("cpu")) {
            return Device.cpu();
        }
        int id;
        if (v.equals("gpu") || v.equals("cuda")) {
            id = 0;
        } else if (v.startsWith("gpu:") || v.startsWith("cuda:")) {
            try {
                id = Integer.parseInt(v.substring(v.indexOf(':') + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad device '" + name + "': expected cpu or gpu:N");
            }
        } else {
            throw new IllegalArgumentException("bad device '" + name + "': expected cpu or gpu:N");
        }
        Djl.ensureOffline();
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (id < 0 || id >= gpus) {
            throw new IllegalArgumentException("device '" + name + "' asked for, but PyTorch sees "
                    + gpus + " GPU(s); use cpu or a GPU index below " + gpus);
        }
        return Device.gpu(id);
    }
}
