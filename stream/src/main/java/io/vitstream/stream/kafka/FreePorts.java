package io.vitstream.stream.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks free TCP ports. */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns a port that was free on {@code host} a moment ago. Another process may take it
     * before the broker binds it; the broker then fails to start with an "address in use" error.
     */
    static int pick(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
