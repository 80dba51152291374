package io.vitstream.stream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import org.junit.jupiter.api.Test;

import java.util.Optional;

/**
 * {@code vitstream.batch.max-pixels}: its default per device and a clear error when negative; and
 * the other start-up settings of the model's passes ({@code vitstream.model.auto.*}).
 */
class PassPixelsSettingTest {

    @Test
    void unsetMeansOneDetrFrameOnCpuAndNoLimitOnGpu() {
        assertEquals(1_100_000L, ModelService.passPixels(Optional.empty(), Device.cpu()));
        assertEquals(0L, ModelService.passPixels(Optional.empty(), Device.gpu()));
    }

    @Test
    void anExplicitValueWinsOnEveryDevice() {
        assertEquals(500_000L, ModelService.passPixels(Optional.of(500_000L), Device.cpu()));
        assertEquals(16_000_000L, ModelService.passPixels(Optional.of(16_000_000L), Device.gpu()));
        assertEquals(0L, ModelService.passPixels(Optional.of(0L), Device.cpu()), "0: no limit");
    }

    @Test
    void aNegativeValueNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelService.passPixels(Optional.of(-5L), Device.cpu()));
        assertTrue(e.getMessage().contains("vitstream.batch.max-pixels") && e.getMessage().contains("-5"), e.getMessage());
    }

    @Test
    void autoTimingSettingsAreCheckedByName() {
        ModelService.checkAuto(1, java.time.Duration.ZERO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelService.checkAuto(0, java.time.Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("vitstream.model.auto.timed-batches") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelService.checkAuto(3, java.time.Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("vitstream.model.auto.time-budget"), e.getMessage());
    }
}
