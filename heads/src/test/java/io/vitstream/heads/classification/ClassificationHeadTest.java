package io.vitstream.heads.classification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.vitstream.heads.Head;
import io.vitstream.heads.HeadContext;
import io.vitstream.heads.HeadContract;
import io.vitstream.results.HeadResult;
import io.vitstream.results.Label;

import org.junit.jupiter.api.Test;

import java.util.List;

class ClassificationHeadTest extends HeadContract {

    private static final List<String> LABELS = List.of("a", "b", "c", "d");

    @Override
    protected Head newHead(HeadContext context) {
        return new ClassificationHead(new ClassificationConfig(LABELS, ClassificationConfig.Pooling.MEAN, true, 1e-6,
                "classifier.", 3), context);
    }

    @Override
    protected void checkRawOutput(NDList raw, int b) {
        assertEquals(1, raw.size());
        assertEquals(new Shape(b, 4), raw.head().getShape());
    }

    @Override
    protected Class<? extends HeadResult> resultType() {
        return HeadResult.Classification.class;
    }

    /** Softmax top-k on hand-made logits: order, names and probabilities. */
    @Test
    void postProcessingIsSoftmaxTopK() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList raw = new NDList(m.create(new float[] {0f, 2f, 1f, (float) Math.log(3)}, new Shape(1, 4)));
            HeadResult.Classification r = (HeadResult.Classification) head.postProcessor().process(raw, List.of(
                    new io.vitstream.backbone.image.ImageGeometry(1, 1, 1, 1, 1, 1, 0, 0))).get(0);
            double z = 1 + Math.exp(2) + Math.exp(1) + 3;
            List<Label> top = r.top();
            assertEquals(3, top.size());
            assertEquals("b", top.get(0).name());
            assertEquals(Math.exp(2) / z, top.get(0).score(), 1e-6);
            assertEquals("d", top.get(1).name());
            assertEquals(3 / z, top.get(1).score(), 1e-6);
            assertEquals(2, top.get(2).id());
        }
    }

    @Test
    void clsPoolingNeedsAClassToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClassificationHead(
                new ClassificationConfig(LABELS, ClassificationConfig.Pooling.CLS, false, 1e-6, "classifier.", 3),
                new HeadContext(16, 0, false)));
        assertTrue(e.getMessage().contains("class token"), e.getMessage());
    }
}
