package io.vitstream.stream.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jboss.logging.Logger;

/**
 * The broker's folder: formatted once, reused across restarts.
 *
 * <p>A KRaft broker refuses to start on a folder without {@code meta.properties}. Kafka's
 * {@link Formatter} writes that file (cluster id, node id, directory id) together with the
 * bootstrap metadata checkpoint. The cluster id therefore lives in the folder itself and stays
 * the same for as long as the folder does. A folder left by a killed broker is either formatted
 * (its data is reused; Kafka recovers unflushed segments on start) or not (then it is a partial
 * leftover and is wiped before formatting).
 */
final class KafkaStorage {

    private static final Logger LOG = Logger.getLogger(KafkaStorage.class);
    private static final String META_PROPERTIES = "meta.properties";

    private KafkaStorage() {
    }

    /**
     * Makes {@code logDir} ready for a broker with {@link BrokerSettings#NODE_ID}.
     *
     * @param logDir the broker's {@code log.dirs} and {@code metadata.log.dir}
     * @param wipe delete whatever the folder holds first
     * @return the cluster id stored in the folder
     */
    static String prepare(Path logDir, boolean wipe) {
        if (wipe) {
            delete(logDir);
        }
        String clusterId = storedClusterId(logDir);
        if (clusterId != null) {
            LOG.debugf("Reusing formatted Kafka folder %s (cluster %s)", logDir, clusterId);
            return clusterId;
        }
        if (Files.exists(logDir)) {
            LOG.warnf("Kafka folder %s has no usable %s (left by an interrupted format?): wiping it"
                    + " and formatting anew", logDir, META_PROPERTIES);
            delete(logDir);
        }
        clusterId = Uuid.randomUuid().toString();
        format(logDir, clusterId);
        return clusterId;
    }

    private static String storedClusterId(Path logDir) {
        Path meta = logDir.resolve(META_PROPERTIES);
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meta, e);
        }
        String nodeId = props.getProperty("node.id");
        if (!String.valueOf(BrokerSettings.NODE_ID).equals(nodeId)) {
            throw new IllegalStateException(meta + " belongs to node.id " + nodeId
                    + ", not to the embedded broker's node " + BrokerSettings.NODE_ID
                    + ": point the embedded broker at another folder");
        }
        return props.getProperty("cluster.id");
    }

    private static void format(Path logDir, String clusterId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
                .setNodeId(BrokerSettings.NODE_ID)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName(BrokerSettings.CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.latestProduction());
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka folder " + logDir + ": "
                    + out.toString(StandardCharsets.UTF_8).trim(), e);
        }
        LOG.infof("Formatted Kafka folder %s for cluster %s", logDir, clusterId);
    }

    /** Deletes a folder tree; a missing folder is fine. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete Kafka folder " + dir, e);
        }
    }
}
