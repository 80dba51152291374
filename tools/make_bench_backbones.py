"""Random-weight, real-shape DETR-R50 and DINOv2-S/14 folders plus their ONNX exports, for
tools/bench-backbones.sh. Made by Hugging Face's own classes, so the folders are exactly what
`save_pretrained` writes and the ONNX graphs come from the same in-memory models.

Run in the transformers venv of tools/README.md with `onnx` added (`pip install --no-index
--find-links ... onnx`; torch 2.13's exporter needs it):

    HF_HUB_OFFLINE=1 VENV/bin/python tools/make_bench_backbones.py OUT_DIR --detr-batches 1,4 --dinov2-batches 1,8

Writes, under OUT_DIR:
  detr-r50/     DetrForObjectDetection(use_timm_backbone, resnet50): d_model 256, 6+6 layers,
                100 queries, 91 labels (+ "no object"); config in transformers 5's backbone_config form
                model-b{B}.onnx: input pixel_values [B, 3, 800, 1066] fp32 (no pixel_mask: HF then
                uses all ones), outputs logits [B, 100, 92] and pred_boxes [B, 100, 4]
  dinov2-s14/   Dinov2Model: hidden 384, 12 layers, 6 heads, patch 14, no registers, trained at 518
                (as facebook/dinov2-small), so 224 inputs resample the position embeddings (bicubic)
                model-b{B}.onnx: input pixel_values [B, 3, 224, 224], output last_hidden_state [B, 257, 384]

Every ONNX graph has fixed shapes (one file per batch size): HF's DETR builds its mask and
position embeddings from the input's shape, which the legacy exporter turns into constants.
An existing folder with a `done` marker and every requested ONNX file is reused (the weights
are seeded, so a rebuild gives the same ones).
"""
import argparse
import json
import os
import shutil
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_detr_hf_fixtures as detr_fixtures  # noqa: E402  (its import patches torchvision's fake ops)
import torch  # noqa: E402
from transformers import DetrConfig, DetrForObjectDetection, Dinov2Config, Dinov2Model  # noqa: E402

DETR_SIZE = (800, 1066)
DINOV2_SIZE = 224


class DetrOutputs(torch.nn.Module):
    """HF's model returning a plain tuple (logits, pred_boxes) for the exporter."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values):
        out = self.model(pixel_values=pixel_values)
        return out.logits, out.pred_boxes


class Dinov2Tokens(torch.nn.Module):
    """HF's Dinov2Model returning last_hidden_state only."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values):
        return self.model(pixel_values=pixel_values).last_hidden_state


def detr():
    torch.manual_seed(15)
    config = DetrConfig(use_timm_backbone=True, backbone="resnet50", use_pretrained_backbone=False, num_labels=91,
                        auxiliary_loss=False)
    model = DetrForObjectDetection(config)
    detr_fixtures.randomize(model, 15)  # non-trivial batch norms and biases, every query counts
    return model.eval()


def dinov2():
    torch.manual_seed(14)
    config = Dinov2Config(hidden_size=384, num_hidden_layers=12, num_attention_heads=6, patch_size=14,
                          image_size=518, mlp_ratio=4, layerscale_value=1.0)
    model = Dinov2Model(config).eval()
    g = torch.Generator().manual_seed(14)
    with torch.no_grad():  # HF's init leaves layer scales at 1 and biases at 0: make them count
        for name, p in model.named_parameters():
            if name.endswith("lambda1") or name.endswith("lambda2"):
                p.copy_(0.5 + torch.rand(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.02)
    return model


def export(module, shape, out, outputs):
    warnings.filterwarnings("ignore")
    tmp = out + ".tmp"
    with torch.no_grad():
        torch.onnx.export(module, (torch.zeros(*shape),), tmp, input_names=["pixel_values"], output_names=outputs,
                          opset_version=17, do_constant_folding=True, dynamo=False)
    os.replace(tmp, out)
    print(f"make_bench_backbones: wrote {out} ({os.path.getsize(out) >> 20} MB)", flush=True)


def labels(folder, config):
    """Writes id2label as the hub's checkpoints carry it: transformers 5 leaves a default one out of
    config.json, and vitstream needs the class count (DETR's 91 COCO ids)."""
    path = os.path.join(folder, "config.json")
    with open(path) as f:
        saved = json.load(f)
    if "id2label" not in saved and getattr(config, "num_labels", 0) > 2:
        saved["id2label"] = {str(i): f"class_{i}" for i in range(config.num_labels)}
        with open(path, "w") as f:
            json.dump(saved, f, indent=2)


def build(folder, stamp, make, wrap, shape_of, batches, outputs):
    marker = os.path.join(folder, "done")
    onnx = [os.path.join(folder, f"model-b{b}.onnx") for b in batches]
    if os.path.isfile(marker) and open(marker).read() == stamp and all(map(os.path.isfile, onnx)):
        print(f"make_bench_backbones: reusing {folder}", flush=True)
        return
    shutil.rmtree(folder, ignore_errors=True)
    model = make()
    model.save_pretrained(folder)
    labels(folder, model.config)
    for b, out in zip(batches, onnx):
        export(wrap(model), shape_of(b), out, outputs)
    with open(marker, "w") as f:
        f.write(stamp)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--detr-batches", default="1,4")
    ap.add_argument("--dinov2-batches", default="1,8")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    detr_b = [int(b) for b in args.detr_batches.split(",") if b]
    dino_b = [int(b) for b in args.dinov2_batches.split(",") if b]
    stamp = json.dumps({"torch": torch.__version__, "version": 2})
    if detr_b:
        build(os.path.join(args.out, "detr-r50"), stamp, detr, DetrOutputs, lambda b: (b, 3, *DETR_SIZE), detr_b,
              ["logits", "pred_boxes"])
    if dino_b:
        build(os.path.join(args.out, "dinov2-s14"), stamp, dinov2, Dinov2Tokens,
              lambda b: (b, 3, DINOV2_SIZE, DINOV2_SIZE), dino_b, ["last_hidden_state"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
