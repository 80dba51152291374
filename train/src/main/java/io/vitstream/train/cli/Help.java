package io.vitstream.train.cli;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code vitstream-train --help} and {@code vitstream-train <subcommand> --help} print:
 * every option of every subcommand with its default. {@code HelpTest} checks that each option a
 * subcommand reads is listed here and that nothing listed here is unknown to it.
 */
final class Help {

    private static final String TRAINING = """
              --out DIR             where the checkpoint, metrics.json and report go (required)
              --epochs N            passes over the training data (default %s)
              --batch N             images per step (default %s)
              --lr X                peak learning rate of AdamW (default %s)
              --min-lr X            final learning rate as a fraction of --lr (cosine; default 0.01)
              --warmup X            linear warm-up as a fraction of all steps (default 0.05)
              --wd X                decoupled weight decay (default %s; none on norms, biases, embeddings)
              --clip X              gradient norm clipping, 0 for none (default %s)
              --layer-decay X       layer-wise learning-rate decay of the backbone, 1 for none (default 1)
              --seed N              initialization, shuffling and augmentation (default 42)
              --eval-every N        evaluate every N epochs and at the end (default 1)
              --save-every N        also save a resumable checkpoint every N steps, 0 for epochs only (default 0)
              --resume true|false   continue from DIR/checkpoint-last when it exists (default true)
              --storage f32|f16|bf16  tensor type of the saved weights (default f32)
            """;

    /** The options of generated sequences and their events, shared by make-sequences and evaluate-tracking. */
    private static final String SEQUENCES = """
              --size WxH            frame size (default 1280x720)
              --frames N            frames per sequence (default 300)
              --fps X               frames per second, for capture times and speeds (default 10)
              --objects N           most items in the frame at a time (default 3)
              --min-scale X --max-scale X     item size against 28 px of the 64 px model input (default 0.6 and 1.2)
              --min-speed X --max-speed X     frames (widths or heights) per second along the path (default 0.03 and 0.2)
              --noise X             position jitter per frame, fraction of the frame (default 0.002)
              --occlusion X         chance per frame that a drawn item starts an occlusion (default 0.02)
              --max-occlusion N     longest occlusion in frames, lengths uniform from 1 (default 4)
              --max-overlap X       largest overlap of two items, as a fraction of the smaller box (default 0.15)
              --config FILE         camera config JSON {"lines": {...}, "zones": {...}} (default: a line "middle"
                                    down the centre and a zone "centre", see docs/training.md)
              --anchor NAME         bottom-center|center|top-center, the point of a box for lines and zones (default bottom-center)
              --dwell-s X           seconds in a zone for a dwell event (default 10)
              --line-tolerance X    pixels either side of a line that count as on it (default 1)
            """;

    /** The backbone of a new model, shared by train-classifier and train-detector. */
    private static final String BACKBONE = """
              --backbone vit|dinov2|resnet50   family of a new backbone (default vit); with --init, if given,
                                    it must name the folder's
              --vit SPEC            size of a new ViT (default d=96,layers=6,heads=4,mlp=192,patch=4); keys d, layers,
                                    heads, mlp, patch, image, drop_path, dropout, registers, cls; or a preset (B/16)
              --dinov2 SPEC         size of a new DINOv2 (default d=96,layers=6,heads=4,mlp_ratio=2,patch=4,registers=0,
                                    layerscale=1e-5,swiglu=false); also preset=S/14|B/14|L/14|g/14, image, drop_path,
                                    dropout; registers=N > 0 makes a DINOv2 with registers
              --resnet50 SPEC       size of a new ResNet-50 (default channels=64,dilation=false): channels=N gives stage
                                    widths N,2N,4N,8N (C5 has 32N channels), or channels=a/b/c/d; dilation=true for the
                                    stride-16 C5 of DETR-DC5; its batch norms are frozen (DETR's), as loaded or made
            """;

    static final Map<String, String> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("train-classifier", """
                vitstream-train train-classifier [options]
                  Image classification: a new ViT, DINOv2 or ResNet-50 from scratch, a linear probe or
                  full fine-tuning of a checkpoint with a new head, or more training of a classifier as it is.

                  --mode scratch|probe|finetune|continue   (default scratch)
                """ + BACKBONE + """
                  --init DIR            checkpoint folder for probe, finetune and continue (ours, or HF ViT,
                                        DINOv2 or DETR); the backbone comes from it
                  --pooling cls|mean|cls+mean   pooling of the new classification head (default: cls on a ViT,
                                        cls+mean on DINOv2 as HF's classifier, mean on ResNet-50, which
                                        has no class token and refuses the other two)
                  --image N             input size for --mode scratch (default: the data's image size)
                  --dataset fashion-mnist|folder   (default fashion-mnist)
                  --data DIR            Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)
                  --train DIR --val DIR  image folders, one sub-folder per class (--dataset folder)
                  --load-size N         image-folder images are resized to N x N once when loaded (default 224)
                  --classes 0,1,...     keep these classes, relabelled 0..k-1 in this order (default all)
                  --per-class N         keep the first N training images per class after a seeded shuffle (default all)
                  --data-seed N         seed of that shuffle (default 0)
                  --crop-scale X        random-resized-crop minimum area, 1 for no crop (default 0.7)
                  --flip X              horizontal flip probability (default 0.5)
                  --label-smoothing X   (default 0.1)
                """ + training(TrainOptions.CLASSIFIER));
        SUBCOMMANDS.put("train-detector", """
                vitstream-train train-detector [options]
                  A DETR head (and a "dominant object" classification head) on a pretrained backbone or a
                  new one, on COCO-format data (DIR/instances.json and the images it names).

                  --train DIR --val DIR  COCO-format data sets (required)
                  --init DIR            pretrained checkpoint (ours, or HF ViT, DINOv2 or DETR); the backbone
                                        comes from it; a ViT's position embeddings are resampled to --image
                """ + BACKBONE + """
                  --image N             input size, images stretched to N x N (default 64)
                  --freeze-backbone true|false   train the heads on cached backbone features (default true)
                  --views N             augmented views per image cached when frozen; view 0 is unaugmented (default 1)
                  --scale-min X --scale-max X    scale jitter (default 0.75 and 1.25)
                  --flip X              horizontal flip probability (default 0.5)
                  --dominant true|false  also train the "dominant" head: class of the largest item (default true)
                  --d-model N           width of the DETR transformer (default 64)
                  --queries N           object queries, also the most boxes per image (default 10)
                  --encoder-layers N    encoder layers over the patch tokens (default 1)
                  --decoder-layers N    (default 3)
                  --heads N             attention heads of encoder and decoder (default 4)
                  --ffn N               feed-forward width (default 128)
                  --dropout X           (default 0)
                  --aux-loss true|false  set loss on every decoder layer's output (default true)
                  --score-threshold X   post-processing threshold saved in the config (default 0.5)
                """ + training(TrainOptions.DETECTOR));
        SUBCOMMANDS.put("make-scenes", """
                vitstream-train make-scenes [options]
                  "Fashion scenes": canvases with Fashion-MNIST items at random places and scales,
                  written in COCO format; the same options write byte-identical files.

                  --out DIR             (required)
                  --split train|test    which Fashion-MNIST split the items come from (default train)
                  --data DIR            Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)
                  --count N             scenes (default 1000)
                  --seed N              (default 1)
                  --prefix TEXT         image file name prefix (default scene-)
                  --size N              canvas size (default 64)
                  --min-items N --max-items N     items per scene (default 1 and 4)
                  --min-scale X --max-scale X     item scale against 28 px (default 0.6 and 1.2)
                  --max-overlap X       largest overlap of two items, as a fraction of the smaller box (default 0.15)
                """);
        SUBCOMMANDS.put("make-sprites", """
                vitstream-train make-sprites [options]
                  The sprite sheet synthetic sequences draw their items from: the first N images of
                  every class of a Fashion-MNIST split, as a grey PNG and a labels file.

                  --out DIR             (default analytics/src/main/resources/io/vitstream/analytics/sequences)
                  --split train|test    (default test)
                  --data DIR            Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)
                  --per-class N         (default 20)
                """);
        SUBCOMMANDS.put("make-sequences", """
                vitstream-train make-sequences [options]
                  Synthetic video with ground truth: the bundled sprites entering, crossing and leaving
                  the frame, with occlusions; per sequence JPEG frames and truth.json (items' boxes and
                  ids per frame, the camera config, the true events). Sequence i uses seed --seed + i.

                  --out DIR             (required)
                  --count N             sequences (default 10)
                  --seed N              seed of the first sequence (default 1)
                """ + SEQUENCES);
        SUBCOMMANDS.put("evaluate", """
                vitstream-train evaluate [options]
                  A classifier: top-1, top-5 and the confusion matrix. A detector (--coco): COCO AP,
                  AP50, AP75 and AP per class, or the trivial baseline (--baseline prior).

                  --model DIR           checkpoint folder (required, except with --baseline)
                  --head NAME           head to evaluate (default classification, or detection with --coco)
                  --split train|test    Fashion-MNIST split (default test)
                  --data DIR            Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)
                  --folder DIR          evaluate on an image folder instead of Fashion-MNIST
                  --coco DIR            evaluate a detector on a COCO-format data set
                  --image N             detection input size (default 64)
                  --frame-size WxH      scale each scene to a camera frame (e.g. 1280x720), send it through
                                        JPEG (q0.9) and the service's decoder in exact and in fast mode;
                                        reports AP per mode and how far fast's outputs are from exact's
                  --baseline prior      score the trivial baseline instead of a model (needs --train)
                  --train DIR           COCO training set the baseline's box and class prior come from
                """);
        SUBCOMMANDS.put("evaluate-tracking", """
                vitstream-train evaluate-tracking [options]
                  The tracker, lines, zones and dwell (one CameraAnalytics per sequence) on held-out
                  sequences: MOTA, IDF1, ID switches, false positives, misses, and precision and recall
                  of each event type, as a markdown table. Give one detection source:

                  --model DIR           a detector checkpoint: each frame (JPEG q0.9) decoded and resized as the
                                        service does, boxes above the head's score threshold
                  --head NAME           detection head of --model (default detection)
                  --gt-noise            the ground truth as detections, with:
                  --jitter X              Gaussian noise of each box edge, pixels (default 4)
                  --drop X                chance to miss an item on a frame (default 0.05)
                  --false-per-frame X     mean number of boxes on nothing per frame (default 0.1)
                  --detections FILE     the detections saved by an earlier run's --detections-out (same sequences)
                  --detections-out FILE save this run's detections (before --nms) to compare tracker settings later
                  --nms X               drop a box overlapping a higher-scoring one by IoU > X before tracking,
                                        any class; 0 for none, as the service (default 0)
                  --sequences DIR       a make-sequences folder, instead of sequences generated here from:
                  --count N             sequences (default 10)
                  --seed N              seed of the first one (default 1000, held out from make-sequences' default)
                  --min-in-frame X      ignore truth with less of its box inside the frame (default 0.5)
                  --event-window N      most frames between a reported and a true event that match (default 5)
                  --json FILE           also write the totals and per-sequence results as JSON
                  Tracker (defaults: TrackerSettings.DEFAULT):
                  --high-score X        first association; can start tracks (default 0.5)
                  --low-score X         second association only, below it dropped (default 0.1)
                  --new-track-score X   least score to start a track (default 0.6)
                  --match-iou X         least IoU with a high-score detection (default 0.2)
                  --low-match-iou X     least IoU with a low-score detection (default 0.4)
                  --min-hits N          matched frames in a row to confirm a track (default 2)
                  --max-misses N        frames without a match before a track ends (default 30)
                  Generated sequences (the defaults of make-sequences):
                """ + SEQUENCES);
    }

    private Help() {}

    private static String training(TrainOptions.Defaults d) {
        return TRAINING.formatted(d.epochs(), d.batch(), plain(d.lr()), plain(d.wd()), plain(d.clip()));
    }

    private static String plain(double x) {
        return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    private static final Map<String, String> SUMMARIES = Map.of(
            "train-classifier", "train or fine-tune an image classifier (scratch, probe, finetune, continue)",
            "train-detector", "train a DETR head on a ViT, on COCO-format data",
            "make-scenes", "write the synthetic \"fashion scenes\" detection set (COCO format)",
            "make-sprites", "write the sprite sheet of Fashion-MNIST items that synthetic sequences use",
            "make-sequences", "write synthetic video sequences with ground-truth tracks and events",
            "evaluate", "accuracy of a classifier, or COCO AP of a detector or of the trivial baseline",
            "evaluate-tracking", "MOTA, IDF1 and event precision/recall of the tracker on held-out sequences");

    /** The overview: every subcommand with one line. */
    static String overview() {
        StringBuilder b = new StringBuilder("usage: vitstream-train <subcommand> [--option value ...]\n\nsubcommands:\n");
        SUBCOMMANDS.keySet().forEach(name -> b.append(String.format("  %-17s %s%n", name, SUMMARIES.get(name))));
        return b.append("\n`vitstream-train <subcommand> --help` lists its options; recipes are in docs/training.md\n").toString();
    }

    /** One subcommand's options, or null if there is no such subcommand. */
    static String of(String subcommand) {
        return SUBCOMMANDS.get(subcommand);
    }
}
