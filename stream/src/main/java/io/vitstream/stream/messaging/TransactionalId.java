package io.vitstream.stream.messaging;

import io.smallrye.reactive.messaging.ClientCustomizer;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Exactly-once needs a transactional id of its own per instance: two processes with the same id
 * fence each other, and each then aborts every transaction the other began. The packaged
 * default is {@code vitstream-${HOSTNAME}}, unique and stable in Kubernetes (the pod name; a
 * StatefulSet's ordinal name survives restarts) and in Docker (the container id). Where
 * {@code HOSTNAME} is not in the environment (a shell does not export it), the default would be
 * {@code vitstream-local} for every process on every machine; this replaces it with
 * {@code vitstream-<host>-<pid>}: unique, but new after each restart, so a crashed process's
 * open transaction is not aborted by its successor and {@code read_committed} readers wait for
 * the transaction timeout (20 s) instead. An id set explicitly is left alone.
 */
@ApplicationScoped
public class TransactionalId implements ClientCustomizer<Map<String, Object>> {

    private static final Logger LOG = Logger.getLogger(TransactionalId.class);
    /** The packaged default when {@code HOSTNAME} is not set. */
    static final String SHARED_DEFAULT = "vitstream-local";

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        Object id = config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        if (SHARED_DEFAULT.equals(id)) {
            String unique = of(hostName(), ProcessHandle.current().pid());
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, unique);
            LOG.warnf("channel %s: no HOSTNAME in the environment, transactional id %s (unique to this process, new after a"
                    + " restart); set HOSTNAME or mp.messaging.outgoing.%s.transactional.id for an id that survives restarts",
                    channel, unique, channel);
        } else if (id != null) {
            LOG.infof("channel %s: transactional id %s", channel, id);
        }
        return config;
    }

    /** {@code vitstream-<host>-<pid>}, the host name reduced to characters Kafka ids and logs keep readable. */
    static String of(String host, long pid) {
        String h = host == null || host.isBlank() ? "host" : host.replaceAll("[^A-Za-z0-9._-]", "_");
        return "vitstream-" + h + "-" + pid;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
