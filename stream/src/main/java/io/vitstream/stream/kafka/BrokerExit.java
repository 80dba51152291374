package io.vitstream.stream.kafka;

import java.util.Optional;

import org.apache.kafka.common.utils.Exit;
import org.jboss.logging.Logger;

/**
 * Keeps Kafka's server code from terminating the host JVM.
 *
 * <p>On a fatal fault (a metadata log it cannot apply, a disk error on its folder) Kafka's
 * broker calls {@link Exit#halt(int, String)}, which by default is {@code Runtime.halt}: no
 * shutdown hooks, no log flush, and the whole service gone with its broker. Once installed, a
 * halt or exit request is logged with its stack trace, remembered (see {@link #failure()}) and
 * thrown as an {@link IllegalStateException} in the Kafka thread that asked for it, which
 * unwinds that thread. The broker is then unusable but the service stays up and can report it,
 * for example through its health check.
 *
 * <p>Kafka's {@code Exit} procedures are JVM-wide. They stay installed once set: nothing else in
 * this service relies on Kafka calling {@code Runtime.halt}.
 */
final class BrokerExit {

    private static final Logger LOG = Logger.getLogger(BrokerExit.class);
    private static boolean installed;
    private static volatile IllegalStateException failure;

    private BrokerExit() {
    }

    /** Replaces Kafka's halt and exit procedures; idempotent. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
        Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
        installed = true;
    }

    /** The last halt or exit request from Kafka's code in this JVM, if any. */
    static Optional<IllegalStateException> failure() {
        return Optional.ofNullable(failure);
    }

    private static void refuse(String what, int status, String message) {
        IllegalStateException e = new IllegalStateException("embedded Kafka broker asked to " + what
                + " the JVM with status " + status + (message == null ? "" : " (" + message + ")")
                + "; refused, the broker is now unusable");
        failure = e;
        LOG.error(e.getMessage(), e);
        throw e;
    }
}
