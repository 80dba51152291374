package io.vitstream.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

class ScheduleAndGroupsTest {

    @Test
    void warmsUpLinearlyThenFollowsTheCosineToTheFloor() {
        Schedule s = new Schedule(1e-3, 10, 110, 0.01);
        assertEquals(1e-4, s.at(0), 1e-15);
        assertEquals(1e-3, s.at(9), 1e-15);
        assertEquals(1e-3, s.at(10), 1e-15);
        assertEquals(1e-3 * (0.01 + 0.99 * 0.5), s.at(60), 1e-15);
        assertEquals(1e-5, s.at(110), 1e-15);
    }

    @Test
    void noDecayOnNormsBiasesAndEmbeddingsAndLayerwiseRates() {
        ParamGroups.Group embed = ParamGroups.of("vit.embeddings.position_embeddings", new Shape(1, 50, 8), "vit.", 4, 0.5);
        ParamGroups.Group layer1 = ParamGroups.of("vit.encoder.layer.1.attention.attention.query.weight", new Shape(8, 8), "vit.", 4, 0.5);
        ParamGroups.Group bias = ParamGroups.of("vit.encoder.layer.3.output.dense.bias", new Shape(8), "vit.", 4, 0.5);
        ParamGroups.Group head = ParamGroups.of("classifier.weight", new Shape(3, 8), "vit.", 4, 0.5);
        assertFalse(embed.decay());
        assertEquals(1.0 / 32, embed.lrScale(), 1e-12);
        assertTrue(layer1.decay());
        assertEquals(1.0 / 8, layer1.lrScale(), 1e-12);
        assertFalse(bias.decay());
        assertEquals(0.5, bias.lrScale(), 1e-12);
        assertTrue(head.decay());
        assertEquals(1.0, head.lrScale(), 1e-12);
        assertFalse(ParamGroups.of("model.query_position_embeddings.weight", new Shape(10, 8), "vit.", 4, 1).decay());
    }
}
