package io.vitstream.stream.messaging;

import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.stream.api.LatestResults;
import io.vitstream.stream.model.ForStream;
import io.vitstream.stream.model.ModelService;
import io.vitstream.stream.pipeline.StreamMetrics;
import io.vitstream.stream.pipeline.OutputRecord;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What happens once Kafka acknowledged records: metrics, the latest-result cache behind
 * {@code GET /results/latest}, the live view's state, and a log line every N results so a user sees work flowing.
 */
@ApplicationScoped
public class Published {

    private static final Logger LOG = Logger.getLogger(Published.class);

    @Inject
    ModelService service;

    @Inject
    @ForStream
    StreamMetrics metrics;

    @Inject
    LatestResults latest;

    @Inject
    io.vitstream.stream.config.VitstreamConfig config;

    @Inject
    io.vitstream.stream.live.LiveState live;

    private final AtomicLong results = new AtomicLong();

    /** Records acknowledged by Kafka. */
    public void record(List<OutputRecord> records) {
        live.record(records);
        for (OutputRecord r : records) {
            metrics.published(r);
            if (r.result() != null) {
                latest.put(r.result());
            }
            // Count frames by the model's first head, so the log line shows that head's answer.
            if (r.kind() == OutputRecord.Kind.RESULT && r.result().head().equals(firstHead())) {
                long n = results.incrementAndGet();
                if (config.logEvery() > 0 && n % config.logEvery() == 0) {
                    LOG.infof("%d frames answered; latest: %s", n, summary(r.result()));
                }
            }
        }
    }

    private String firstHead() {
        return service.headTopics().keySet().iterator().next();
    }

    /** "cam-2 detection: shirt 0.94, bag 0.81" style one-liner. */
    static String summary(FrameResult r) {
        String what;
        if (r.result() instanceof HeadResult.Detections d) {
            what = d.detections().isEmpty() ? "nothing" : d.detections().stream().limit(4)
                    .map(x -> String.format("%s %.2f", x.label(), x.score())).collect(Collectors.joining(", "));
        } else if (r.result() instanceof HeadResult.Classification c) {
            what = c.top().isEmpty() ? "-" : String.format("%s %.2f", c.top().get(0).name(), c.top().get(0).score());
        } else {
            what = "-";
        }
        return String.format("%s %s @%s/%d: %s (%.0f ms capture to publish)", r.camera(), r.head(), r.frame().topic(),
                r.frame().offset(), what, r.timings().totalMs());
    }
}
