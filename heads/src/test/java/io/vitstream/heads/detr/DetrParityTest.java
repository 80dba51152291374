package io.vitstream.heads.detr;

import static io.vitstream.backbone.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Fixtures;
import io.vitstream.backbone.Precision;
import io.vitstream.backbone.image.ImageGeometry;
import io.vitstream.heads.VisionModel;
import io.vitstream.heads.loss.DetectionTarget;
import io.vitstream.heads.loss.SetCriterion;
import io.vitstream.heads.match.Assignment;
import io.vitstream.results.Detection;
import io.vitstream.results.HeadResult;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The DETR head (and the classification head beside it, on one ViT) against an independent
 * PyTorch implementation written from the paper with {@code nn.MultiheadAttention}
 * ({@code tools/detr_reference.py}): outputs of every decoder layer, sine position embeddings,
 * Hungarian matches and set losses per layer, and post-processed boxes.
 */
class DetrParityTest {

    private static final String NAME = "vit-detr-small";
    private static final float TOL = 1e-4f;

    private static NDManager manager;
    private static VisionModel model;
    private static Map<String, NDArray> exp;
    private static Map<String, NDList> raw;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        model = VisionModel.load(Fixtures.fixture(NAME), Precision.FP32, Device.cpu());
        exp = Fixtures.expected(NAME, manager);
        raw = model.forward(null, exp.get("pixel_values"), false);
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    @Test
    void everyDecoderLayerMatches() {
        NDList detr = raw.get("detection");
        int layers = (int) detr.get(0).getShape().get(0);
        assertEquals(3, layers);
        for (int i = 0; i < layers; i++) {
            assertClose(detr.get(0).get(i), exp.get("layer_logits." + i), TOL, "logits of layer " + i);
            assertClose(detr.get(1).get(i), exp.get("layer_pred_boxes." + i), TOL, "boxes of layer " + i);
        }
        assertClose(raw.get("classification").head(), exp.get("cls_logits"), TOL, "classification head on the same pass");
    }

    @Test
    void sinePositionEmbeddingsMatch() {
        NDArray pos = SinePositionEncoding.array(manager, 4, 6, 32, 10000);
        assertClose(pos, exp.get("position_embedding"), 1e-5f, "2-D sine embedding of a 4x6 grid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "b."})
    void matchesAndLossesMatchPerLayer(String set) {
        List<DetectionTarget> targets = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            long[] labels = exp.get(set + "targets." + b + ".labels").toLongArray();
            NDArray boxes = exp.get(set + "targets." + b + ".boxes");
            int[] l = new int[labels.length];
            float[][] bx = new float[labels.length][];
            for (int t = 0; t < labels.length; t++) {
                l[t] = (int) labels[t];
                bx[t] = boxes.get(t).toFloatArray();
            }
            targets.add(new DetectionTarget(l, bx));
        }
        DetrHead head = (DetrHead) model.heads().get("detection");
        NDList detr = raw.get("detection");
        SetCriterion.Losses losses = new SetCriterion(head.config()).compute(detr.get(0), detr.get(1), targets);
        for (int layer = 0; layer < 3; layer++) {
            for (int b = 0; b < 2; b++) {
                Assignment a = losses.matches().get(layer).get(b);
                String key = set + "match." + b + "." + layer;
                assertArrayEquals(ints(exp.get(key + ".query")), a.rowIndices(), key + " queries");
                assertArrayEquals(ints(exp.get(key + ".target")), a.colIndices(), key + " targets");
            }
            for (String term : new String[] {"loss_ce", "loss_bbox", "loss_giou"}) {
                String key = term + "." + layer;
                assertEquals(exp.get(set + key).getFloat(), losses.terms().get(key), 1e-5, set + key);
            }
        }
        assertEquals(exp.get(set + "loss_total").getFloat(), losses.total().getFloat(), 1e-4, set + "loss_total");
    }

    /** HF's post_process_object_detection with plain resizing: boxes scaled to the original size. */
    @Test
    void postProcessingMatchesHuggingFace() {
        long[] sizes = exp.get("orig_sizes").toLongArray();
        List<ImageGeometry> g = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            int h = (int) sizes[2 * b];
            int w = (int) sizes[2 * b + 1];
            g.add(new ImageGeometry(w, h, 48, 32, 48.0 / w, 32.0 / h, 0, 0));
        }
        DetrHead head = (DetrHead) model.heads().get("detection");
        List<HeadResult> results = head.postProcessor().process(raw.get("detection"), g);
        for (int b = 0; b < 2; b++) {
            List<Detection> got = new ArrayList<>(((HeadResult.Detections) results.get(b)).detections());
            float[] scores = exp.get("post." + b + ".scores").toFloatArray();
            long[] labels = exp.get("post." + b + ".labels").toLongArray();
            float[] boxes = exp.get("post." + b + ".boxes").toFloatArray();
            assertEquals(scores.length, got.size(), "detections kept in image " + b);
            // HF keeps query order; ours is by score. Compare by score order.
            Integer[] order = new Integer[scores.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i]));
            for (int r = 0; r < order.length; r++) {
                int i = order[r];
                Detection d = got.get(r);
                assertEquals(scores[i], d.score(), 1e-5, "score");
                assertEquals(labels[i], d.labelId(), "label");
                float[] expected = clip(boxes, i, g.get(b));
                assertArrayEquals(expected, new float[] {d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()}, 1e-2f,
                        "box of image " + b + " (clipped to the image)");
            }
        }
    }

    /** HF does not clip; vitstream clips boxes to the frame. */
    private static float[] clip(float[] boxes, int i, ImageGeometry g) {
        float[] b = java.util.Arrays.copyOfRange(boxes, 4 * i, 4 * i + 4);
        for (int k = 0; k < 4; k++) {
            float max = k % 2 == 0 ? g.originalWidth() : g.originalHeight();
            b[k] = Math.min(Math.max(b[k], 0f), max);
        }
        return b;
    }

    private static int[] ints(NDArray a) {
        return java.util.Arrays.stream(a.toLongArray()).mapToInt(v -> (int) v).toArray();
    }

    @Test
    void boxOpsMatchTorchvision() {
        Map<String, NDArray> ops = io.vitstream.backbone.checkpoint.SafeTensors.read(
                Fixtures.fixture("box_ops.safetensors"), manager);
        float[][] a = rows(ops.get("a"));
        float[][] b = rows(ops.get("b"));
        double[][] giou = io.vitstream.heads.box.Boxes.generalizedIouMatrix(a, b);
        NDArray eg = ops.get("giou");
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                assertEquals(eg.getFloat(i, j), giou[i][j], 1e-6, "giou " + i + "," + j);
            }
        }
        NDArray nd = io.vitstream.heads.box.NdBoxes.generalizedIouMatrix(ops.get("a"), ops.get("b"));
        assertClose(nd, eg, 1e-6f, "NdBoxes giou");
        assertEquals(new Shape(a.length, b.length), nd.getShape());
    }

    private static float[][] rows(NDArray x) {
        float[][] out = new float[(int) x.getShape().get(0)][];
        for (int i = 0; i < out.length; i++) out[i] = x.get(i).toFloatArray();
        return out;
    }
}
