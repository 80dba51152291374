"""Parity fixtures for HF DETR-ResNet-50 folders, made by Hugging Face's own classes.

Run in the venv that tools/README.md describes:
    HF_HUB_OFFLINE=1 /tmp/hfvenv-r/bin/python tools/make_detr_hf_fixtures.py .

Writes, under the repository root given (the rest under heads/src/test/resources/detr-hf/):
  backbone/src/test/resources/resnet50-keys.json
                           names and shapes of every backbone tensor of a real-shape
                           DetrForObjectDetection(use_timm_backbone, resnet50) (no weights)
  timm/                    a random DetrForObjectDetection saved with save_pretrained, its
                           config rewritten in the hub form (use_timm_backbone: true)
  backbone_config/         the same weights with the config as transformers 5 writes it
  image-a.png, image-b.png small test images (80x60 and 50x70)
  outputs.safetensors      DetrImageProcessorPil's pixel_values / pixel_mask for image a alone
                           and for the padded batch (a, b), the model's logits and pred_boxes, and
                           post_process_object_detection's scores, labels and boxes (in original
                           pixels, target_sizes = the images' own sizes) at POST_THRESHOLD

With --outputs-only, only outputs.safetensors is rewritten: the models are built as before and
their weights are checked against the committed model.safetensors files (an error if they differ).

The backbone is timm's resnet50 with its real block structure (3, 4, 6, 3 bottlenecks, the same
keys) but narrow stages (timm's `channels` (8, 16, 32, 64) instead of (64, 128, 256, 512)) so the
folder stays small; its config.json carries `backbone_kwargs: {"channels": [...]}` so vitstream
builds the same widths. HF itself does not pass `backbone_kwargs` on to timm when it reloads a
saved config, so HF cannot reload this folder; vitstream can.
"""
import json
import os
import shutil
import sys
import tempfile

import torch

import tolerant_torchvision  # noqa: E402,F401  (before timm: torchvision's ops do not load here)

import numpy as np  # noqa: E402
import timm  # noqa: E402
from PIL import Image  # noqa: E402
from safetensors import safe_open  # noqa: E402
from safetensors.torch import save_file  # noqa: E402
from transformers import DetrConfig, DetrForObjectDetection  # noqa: E402
from transformers.models.detr.image_processing_pil_detr import DetrImageProcessorPil  # noqa: E402
from transformers.models.detr.modeling_detr import replace_batch_norm  # noqa: E402

CHANNELS = (8, 16, 32, 64)
# Low enough that both images keep detections with these random weights.
POST_THRESHOLD = 0.3


def real_keys(path):
    config = DetrConfig(use_timm_backbone=True, backbone="resnet50", use_pretrained_backbone=False)
    model = DetrForObjectDetection(config)
    # The keys as save_pretrained writes them (transformers 5 renames modules in memory and
    # writes the hub's names back), read from the saved file's header.
    tmp = tempfile.mkdtemp()
    try:
        model.save_pretrained(tmp)
        with safe_open(os.path.join(tmp, "model.safetensors"), "pt") as f:
            shapes = {k: list(f.get_slice(k).get_shape()) for k in f.keys()}
    finally:
        shutil.rmtree(tmp)
    prefix = "model.backbone.conv_encoder.model."
    keys = {k[len(prefix):]: v for k, v in shapes.items() if k.startswith(prefix)}
    with open(path, "w") as f:
        json.dump(keys, f, indent=0, sort_keys=True)
    print("real resnet50 backbone keys:", len(keys))


def randomize(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.state_dict().items():
            if not p.is_floating_point():
                continue
            if name.endswith("running_var"):
                p.copy_(torch.rand(p.shape, generator=g) * 1.5 + 0.5)
            elif name.endswith("running_mean"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.2)
            elif "backbone" in name and name.endswith("weight") and p.dim() == 1:
                p.copy_(torch.rand(p.shape, generator=g) * 0.6 + 0.7)
            elif name.endswith("bias"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
            elif name.endswith("weight") and p.dim() == 1:
                p.copy_(1 + torch.randn(p.shape, generator=g) * 0.2)
            elif "backbone" in name and p.dim() == 4:
                fan_in = p.shape[1] * p.shape[2] * p.shape[3]
                p.copy_(torch.randn(p.shape, generator=g) * (2.0 / fan_in) ** 0.5)
            elif "query_position_embeddings" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            elif p.dim() >= 2:
                # HF's init leaves the decoder nearly input-independent (Xavier, zero queries'
                # content); unit-gain weights make every query and every image count.
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=g) * (1.5 / fan_in) ** 0.5)


def small_model(dilation):
    torch.manual_seed(15)
    config = DetrConfig(use_timm_backbone=True, backbone="resnet50", use_pretrained_backbone=False,
                        dilation=dilation, d_model=32, encoder_layers=2, decoder_layers=2,
                        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=64,
                        decoder_ffn_dim=64, num_queries=6, num_labels=3, auxiliary_loss=False)
    model = DetrForObjectDetection(config)
    kwargs = {"output_stride": 16} if dilation else {}
    narrow = timm.create_model("resnet50", pretrained=False, features_only=True, out_indices=(1, 2, 3, 4),
                               channels=CHANNELS, **kwargs)
    replace_batch_norm(narrow)
    model.model.backbone.model = narrow
    model.model.input_projection = torch.nn.Conv2d(CHANNELS[-1] * 4, config.d_model, kernel_size=1)
    randomize(model, 15)
    return model.eval()


def write_folder(model, folder, processor, timm_form):
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    path = os.path.join(folder, "config.json")
    with open(path) as f:
        config = json.load(f)
    config["backbone_kwargs"] = {"channels": list(CHANNELS)}
    if timm_form:
        backbone = config.pop("backbone_config")
        config["use_timm_backbone"] = True
        config["backbone"] = backbone["backbone"]
        config["dilation"] = backbone.get("output_stride") == 16
    with open(path, "w") as f:
        json.dump(config, f, indent=2)


def image(width, height, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x * 255 / width, y * 255 / height, (x + y) * 127 / (width + height)], axis=-1)
    noisy = base + rng.normal(0, 30, base.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")


def same_weights(model, folder):
    """Asserts that save_pretrained of model writes the tensors of folder/model.safetensors."""
    tmp = tempfile.mkdtemp()
    try:
        model.save_pretrained(tmp)
        with safe_open(os.path.join(tmp, "model.safetensors"), "pt") as new, \
                safe_open(os.path.join(folder, "model.safetensors"), "pt") as old:
            assert set(new.keys()) == set(old.keys()), folder
            for k in old.keys():
                assert torch.equal(new.get_tensor(k), old.get_tensor(k)), f"{folder}: {k} differs"
    finally:
        shutil.rmtree(tmp)


def post_process(processor, outputs, images, tensors, prefix):
    sizes = [(im.height, im.width) for im in images]
    tensors[f"{prefix}.target_sizes"] = torch.tensor(sizes, dtype=torch.int64)
    for i, r in enumerate(processor.post_process_object_detection(outputs, threshold=POST_THRESHOLD,
                                                                   target_sizes=sizes)):
        tensors[f"{prefix}.post.{i}.scores"] = r["scores"]
        tensors[f"{prefix}.post.{i}.labels"] = r["labels"].to(torch.int64)
        tensors[f"{prefix}.post.{i}.boxes"] = r["boxes"]
        print(prefix, "image", i, "kept", len(r["scores"]), "scores", [round(float(s), 4) for s in r["scores"]])


def main(root, outputs_only=False):
    out = os.path.join(root, "heads", "src", "test", "resources", "detr-hf")
    os.makedirs(out, exist_ok=True)
    processor = DetrImageProcessorPil(size={"shortest_edge": 96, "longest_edge": 128})
    a = image(80, 60, 1)
    b = image(50, 70, 2)
    if outputs_only:
        for name in ("image-a.png", "image-b.png"):
            committed = np.asarray(Image.open(os.path.join(out, name)))
            assert np.array_equal(committed, np.asarray(a if name == "image-a.png" else b)), name
    else:
        real_keys(os.path.join(root, "backbone", "src", "test", "resources", "resnet50-keys.json"))
        a.save(os.path.join(out, "image-a.png"))
        b.save(os.path.join(out, "image-b.png"))
    tensors = {}
    single = processor(images=[a], return_tensors="pt")
    batch = processor(images=[a, b], return_tensors="pt")
    tensors["single.pixel_values"] = single["pixel_values"]
    tensors["single.pixel_mask"] = single["pixel_mask"].to(torch.int64)
    tensors["batch.pixel_values"] = batch["pixel_values"]
    tensors["batch.pixel_mask"] = batch["pixel_mask"].to(torch.int64)
    for dilation, name in ((False, "c5"), (True, "dc5")):
        model = small_model(dilation)
        folder = os.path.join(out, name)
        if outputs_only:
            same_weights(model, os.path.join(folder, "backbone_config"))
        else:
            shutil.rmtree(folder, ignore_errors=True)
            write_folder(model, os.path.join(folder, "timm"), processor, True)
            write_folder(model, os.path.join(folder, "backbone_config"), processor, False)
        with torch.no_grad():
            for key, inputs, images in (("single", single, [a]), ("batch", batch, [a, b])):
                o = model(pixel_values=inputs["pixel_values"], pixel_mask=inputs["pixel_mask"])
                tensors[f"{name}.{key}.logits"] = o.logits
                tensors[f"{name}.{key}.pred_boxes"] = o.pred_boxes
                post_process(processor, o, images, tensors, f"{name}.{key}")
                print(name, key, tuple(inputs["pixel_values"].shape), tuple(o.logits.shape))
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(out, "outputs.safetensors"))


if __name__ == "__main__":
    main(sys.argv[1], "--outputs-only" in sys.argv[2:])
