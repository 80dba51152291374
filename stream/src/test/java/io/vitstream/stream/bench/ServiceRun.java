package io.vitstream.stream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.results.FrameResult;
import io.vitstream.stream.KafkaClients;
import io.vitstream.stream.ServiceProcess;

import org.apache.kafka.clients.producer.KafkaProducer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged service under load: throughput, latency and memory over time. */
final class ServiceRun {

    /** What one run measured. */
    record Result(int frames, double fps, double p50, double p99, long rssStartMb, double steadyFps, long rssEndMb,
            List<Long> rssSamples) {}

    private final String bootstrap;
    private final Path model;
    private final Options o;

    ServiceRun(String bootstrap, Path model, Options o) {
        this.bootstrap = bootstrap;
        this.model = model;
        this.o = o;
    }

    Result measure(List<byte[]> frames) throws Exception {
        Path log = ServiceProcess.moduleDir().resolve("target/bench-service.log");
        Files.deleteIfExists(log);
        Map<String, String> settings = Map.of("kafka.bootstrap.servers", bootstrap, "vitstream.model.path", model.toString(),
                "vitstream.batch.size", Integer.toString(o.batch()), "vitstream.model.precision", o.precision(),
                "quarkus.http.port", "0", "vitstream.log-every", "0", "ai.djl.pytorch.num_threads", StreamBenchmark.THREADS,
                "vitstream.decode.mode", o.decode(), "vitstream.batch.decode-threads", Integer.toString(o.decodeThreads()));
        try (ServiceProcess service = ServiceProcess.start(settings, log)) {
            service.awaitStarted(120);
            long seq = burst(frames, 50, 0);
            countFrom(seq - 50, 50, Duration.ofMinutes(2));
            long rssStart = Machine.rssMb(service.pid());
            long t0 = System.nanoTime();
            long firstSeq = seq;
            seq = burst(frames, o.count(), seq);
            List<FrameResult> results = countFrom(firstSeq, o.count(), Duration.ofMinutes(30));
            double fps = o.count() / ((System.nanoTime() - t0) / 1e9);
            double[] lat = results.stream().mapToDouble(r -> r.timings().totalMs()).sorted().toArray();
            double steady = 0.7 * fps;
            List<Long> samples = steady(frames, steady, seq, service.pid());
            long rssEnd = samples.get(samples.size() - 1);
            service.stop();
            return new Result(o.count(), fps, lat[lat.length / 2], lat[(int) (lat.length * 0.99)], rssStart, steady, rssEnd, samples);
        }
    }

    /** Produces {@code n} frames as fast as the producer goes; returns the next sequence number. */
    private long burst(List<byte[]> frames, int n, long seq) throws Exception {
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(bootstrap)) {
            for (int i = 0; i < n; i++, seq++) {
                p.send(KafkaClients.frame("frames", "bench-" + (seq % 4), seq, frames.get((int) (seq % frames.size()))));
            }
            p.flush();
        }
        return seq;
    }

    /** Reads until every sequence in {@code [from, from + n)} has a result on the topic (parsing each record once). */
    private List<FrameResult> countFrom(long from, int n, Duration timeout) {
        ObjectMapper json = new ObjectMapper();
        List<FrameResult> out = new ArrayList<>();
        int[] parsed = {0};
        KafkaClients.readUntil(bootstrap, o.topic(), false, timeout, recs -> {
            for (; parsed[0] < recs.size(); parsed[0]++) {
                try {
                    FrameResult fr = json.readValue(recs.get(parsed[0]).value(), FrameResult.class);
                    if (fr.frame().sequence() != null && fr.frame().sequence() >= from && fr.frame().sequence() < from + n) {
                        out.add(fr);
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out.size() >= n;
        });
        if (out.size() < n) {
            throw new IllegalStateException("only " + out.size() + " of " + n + " results arrived on " + o.topic());
        }
        return out;
    }

    /** Produces at a steady rate for the configured minutes, sampling RSS every minute. */
    private List<Long> steady(List<byte[]> frames, double fps, long seq, long pid) throws Exception {
        List<Long> rss = new ArrayList<>();
        long periodNanos = (long) (1e9 / fps);
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(bootstrap)) {
            long start = System.nanoTime();
            long next = start;
            long nextSample = start;
            while (System.nanoTime() - start < o.minutes() * 60_000_000_000L) {
                if (System.nanoTime() >= nextSample) {
                    rss.add(Machine.rssMb(pid));
                    nextSample += 60_000_000_000L;
                }
                p.send(KafkaClients.frame("frames", "bench-" + (seq % 4), seq, frames.get((int) (seq % frames.size()))));
                seq++;
                next += periodNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
        rss.add(Machine.rssMb(pid));
        return rss;
    }
}
