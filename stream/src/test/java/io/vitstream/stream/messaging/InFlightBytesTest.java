package io.vitstream.stream.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The at-least-once bound on frame bytes waiting for acknowledgements. */
class InFlightBytesTest {

    @Test
    void blocksAtTheBoundAndGoesOnWhenBytesAreReleased() throws Exception {
        InFlightBytes b = new InFlightBytes(1000);
        b.acquire(600);
        CountDownLatch taken = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                b.acquire(600);
                taken.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        assertTrue(!taken.await(300, TimeUnit.MILLISECONDS), "600 + 600 is over 1000: the second acquire waits");
        assertEquals(600, b.used());
        b.release(600);
        assertTrue(taken.await(5, TimeUnit.SECONDS), "released bytes let it through");
        assertEquals(600, b.used());
        t.join();
    }

    @Test
    void aBatchLargerThanTheBoundPassesWhenNothingElseIsInFlight() throws Exception {
        InFlightBytes b = new InFlightBytes(1000);
        b.acquire(5000);
        assertEquals(5000, b.used());
        b.release(5000);
        assertEquals(0, b.used());
    }

    @Test
    void aBoundBelowOneByteIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new InFlightBytes(0));
    }
}
