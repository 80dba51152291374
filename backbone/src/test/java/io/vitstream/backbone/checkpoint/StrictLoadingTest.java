package io.vitstream.backbone.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Backbones;
import io.vitstream.backbone.Fixtures;
import io.vitstream.backbone.Precision;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

/** Loading refuses checkpoints that do not fit the config, naming the key and both shapes. */
class StrictLoadingTest {

    private static Map<String, NDArray> tensors(NDManager m) {
        return SafeTensors.read(Fixtures.fixture("vit-tiny-gelu").resolve("model.safetensors"), m);
    }

    private static Backbone backbone() {
        CheckpointFolder f = CheckpointFolder.open(Fixtures.fixture("vit-tiny-gelu"));
        return Backbones.create(Backbones.backboneSection(f.config()));
    }

    @Test
    void missingKeyIsNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>(tensors(m));
            t.remove("vit.encoder.layer.1.output.dense.weight");
            String msg = assertThrows(CheckpointException.class, () -> Backbones.loadWeights(backbone(),
                    new Weights("model.safetensors", t), m, Precision.FP32, Device.cpu())).getMessage();
            assertTrue(msg.contains("missing key 'vit.encoder.layer.1.output.dense.weight'") && msg.contains("(32, 64)"), msg);
            assertTrue(msg.contains("layers=2"), msg);
        }
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>(tensors(m));
            t.put("vit.encoder.layer.0.intermediate.dense.weight", m.zeros(new ai.djl.ndarray.types.Shape(32, 64)));
            String msg = assertThrows(CheckpointException.class, () -> Backbones.loadWeights(backbone(),
                    new Weights("model.safetensors", t), m, Precision.FP32, Device.cpu())).getMessage();
            assertTrue(msg.contains("'vit.encoder.layer.0.intermediate.dense.weight' has shape (32, 64)")
                    && msg.contains("expects (64, 32)"), msg);
        }
    }

    @Test
    void unexpectedKeyIsNamedAfterEveryPartClaimedItsOwn() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>(tensors(m));
            t.put("vit.encoder.layer.2.output.dense.weight", m.zeros(new ai.djl.ndarray.types.Shape(32, 64)));
            Weights w = new Weights("model.safetensors", t);
            Backbone b = backbone();
            Backbones.loadWeights(b, w, m, Precision.FP32, Device.cpu());
            String msg = assertThrows(CheckpointException.class, () -> w.requireAllClaimed("config says 2 layers")).getMessage();
            assertTrue(msg.contains("unexpected key 'vit.encoder.layer.2.output.dense.weight'"), msg);
            assertTrue(msg.contains("unexpected key 'classifier.weight'"), msg);
            assertTrue(msg.contains("config says 2 layers"), msg);
        }
    }

    @Test
    void poolerOfHfBaseModelsIsIgnoredNotAnError() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>(tensors(m));
            t.remove("classifier.weight");
            t.remove("classifier.bias");
            t.put("vit.pooler.dense.weight", m.zeros(new ai.djl.ndarray.types.Shape(32, 32)));
            t.put("vit.pooler.dense.bias", m.zeros(new ai.djl.ndarray.types.Shape(32)));
            Weights w = new Weights("model.safetensors", t);
            Backbones.loadWeights(backbone(), w, m, Precision.FP32, Device.cpu());
            w.requireAllClaimed("test");
        }
    }

    @Test
    void missingFilesAreNamed() {
        java.nio.file.Path empty = Fixtures.fixture("resample");
        String msg = assertThrows(CheckpointException.class, () -> CheckpointFolder.open(empty)).getMessage();
        assertTrue(msg.contains("has no model.safetensors"), msg);
    }
}
