"""Write the DINOv2 parity fixtures with Hugging Face's own classes.

Run from the repository root, in the transformers venv described in tools/README.md:

    /tmp/hfvenv/bin/python tools/make_dinov2_fixtures.py

Two random-weight models, saved with `save_pretrained` (config.json + model.safetensors) plus the
image processor's `save_pretrained` (preprocessor_config.json), under
backbone/src/test/resources/fixtures/:

* dinov2-tiny: `Dinov2ForImageClassification`, GELU MLP, mask token, trained at 70x70 (5x5 grid).
* dinov2-registers-swiglu: `Dinov2WithRegistersForImageClassification`, 3 registers, SwiGLU MLP
  (`weights_in` / `weights_out`), trained at 56x56 (4x4 grid).

and in each folder expected.safetensors (F32): `pixel_values` [2,3,H,W] (the processor's output for
the committed dinov2-images/a.png and b.png at the trained size), `last_hidden_state`, `logits`,
`attentions.{i}`, and the same at another, non-square input size (`*_other`: the processor with another
crop size, the model then interpolating its position embeddings as HF's forward does), plus
`position_embeddings_other` [1, 1+h*w, D], HF's interpolated position embeddings alone.

The preprocessing is `BitImageProcessorPil` (PIL resize). In transformers 5.17 the class named
`BitImageProcessor` is the torchvision backend; the numbers it gives are printed for comparison when
torchvision is importable.
"""

from __future__ import annotations

import hashlib
import json
import os

import numpy as np
import torch
from PIL import Image
from safetensors.torch import save_file
from transformers import (
    Dinov2Config,
    Dinov2ForImageClassification,
    Dinov2WithRegistersConfig,
    Dinov2WithRegistersForImageClassification,
)
from transformers.models.bit.image_processing_pil_bit import BitImageProcessorPil

torch.set_num_threads(1)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "backbone", "src", "test", "resources", "fixtures")
IMAGES = os.path.join(FIXTURES, "dinov2-images")
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def make_images() -> list[Image.Image]:
    """Two small non-square RGB images: smooth gradients plus seeded noise, so a resampler's
    taps and rounding show."""
    os.makedirs(IMAGES, exist_ok=True)
    rng = np.random.default_rng(15)
    out = []
    for name, (w, h) in (("a.png", (97, 61)), ("b.png", (64, 80))):
        y, x = np.mgrid[0:h, 0:w]
        base = np.stack([255 * x / w, 255 * y / h, 128 + 100 * np.sin(x / 5.0) * np.cos(y / 7.0)], axis=-1)
        img = np.clip(base + rng.normal(0, 30, base.shape), 0, 255).astype(np.uint8)
        path = os.path.join(IMAGES, name)
        Image.fromarray(img, "RGB").save(path, optimize=False)
        out.append(Image.open(path).convert("RGB"))
    return out


@torch.no_grad()
def randomize(model: torch.nn.Module, grid: int) -> None:
    """Non-trivial weights: LayerNorm scales around 1 and shifts around 0, layer scales in
    [-1, 1] (not HF's constant init), biases, and position embeddings with a smooth part so a
    wrong interpolation (bilinear, no antialias, swapped axes) moves the outputs clearly."""
    g = torch.Generator().manual_seed(1234)
    for name, p in sorted(model.named_parameters()):
        if name.endswith("lambda1"):
            p.copy_(torch.rand(p.shape, generator=g) * 2 - 1)
        elif "norm" in name and name.endswith("weight"):
            p.copy_(1 + 0.3 * torch.randn(p.shape, generator=g))
        elif name.endswith("bias"):
            p.copy_(0.1 * torch.randn(p.shape, generator=g))
        elif name.endswith("position_embeddings"):
            d = p.shape[-1]
            yy, xx = torch.meshgrid(torch.arange(grid, dtype=torch.float32),
                                    torch.arange(grid, dtype=torch.float32), indexing="ij")
            freq = torch.rand(d, generator=g) * 1.5 + 0.2
            phase = torch.rand(d, generator=g) * 6.28
            smooth = torch.sin(yy.reshape(-1, 1) * freq + phase) + torch.cos(xx.reshape(-1, 1) * freq * 0.7)
            p.copy_(0.3 * torch.randn(p.shape, generator=g))
            p[0, 1:] += smooth
        elif name.endswith("weight") and p.dim() >= 2:
            fan_in = p[0].numel()
            p.copy_(torch.randn(p.shape, generator=g) / fan_in ** 0.5)
        else:  # cls_token, register_tokens, mask_token
            p.copy_(torch.randn(p.shape, generator=g))


def processor(shortest: int, crop: int) -> BitImageProcessorPil:
    return BitImageProcessorPil(
        do_resize=True, size={"shortest_edge": shortest}, resample=3, do_center_crop=True,
        crop_size={"height": crop, "width": crop}, do_rescale=True, rescale_factor=1 / 255,
        do_normalize=True, image_mean=IMAGENET_MEAN, image_std=IMAGENET_STD, do_convert_rgb=True)


def torchvision_difference(folder: str, images, pixel_values: torch.Tensor) -> None:
    """How far HF's default `BitImageProcessor` (torchvision backend) is from the PIL one."""
    try:
        from transformers.models.bit.image_processing_bit import BitImageProcessor
        fast = BitImageProcessor.from_pretrained(folder)
        other = fast(images=images, return_tensors="pt")["pixel_values"]
        print(f"  torchvision BitImageProcessor vs PIL: max abs {float((other - pixel_values).abs().max()):.3g}")
    except Exception as e:  # noqa: BLE001 - only a printed comparison
        print(f"  torchvision BitImageProcessor not compared: {type(e).__name__}: {e}")


@torch.no_grad()
def build(name: str, model: torch.nn.Module, grid: int, images, shortest: int, crop: int,
          other: tuple[int, int], other_shortest: int) -> None:
    folder = os.path.join(FIXTURES, name)
    os.makedirs(folder, exist_ok=True)
    randomize(model, grid)
    model.eval()
    model.save_pretrained(folder)
    proc = processor(shortest, crop)
    proc.save_pretrained(folder)

    expected: dict[str, torch.Tensor] = {}
    pv = proc(images=images, return_tensors="pt")["pixel_values"]
    pv_other = proc(images=images, size={"shortest_edge": other_shortest},
                    crop_size={"height": other[0], "width": other[1]}, return_tensors="pt")["pixel_values"]
    for suffix, pixels in (("", pv), ("_other", pv_other)):
        out = model(pixel_values=pixels, output_attentions=True)
        base = getattr(model, model.base_model_prefix)
        hidden = base(pixel_values=pixels).last_hidden_state
        expected["pixel_values" + suffix] = pixels
        expected["last_hidden_state" + suffix] = hidden
        expected["logits" + suffix] = out.logits
        for i, a in enumerate(out.attentions):
            expected[f"attentions.{i}{suffix}"] = a
    emb = getattr(model, model.base_model_prefix).embeddings
    tokens = torch.zeros(1, 1 + (other[0] // 14) * (other[1] // 14), emb.position_embeddings.shape[-1])
    expected["position_embeddings_other"] = emb.interpolate_pos_encoding(tokens, other[0], other[1]).reshape(1, -1, tokens.shape[-1])
    save_file({k: v.detach().float().contiguous() for k, v in expected.items()},
              os.path.join(folder, "expected.safetensors"))
    print(f"{name}: pixel_values {tuple(pv.shape)}, other {tuple(pv_other.shape)}")
    torchvision_difference(folder, images, pv)


def sensitivity(model_cls, name: str) -> None:
    """Evidence that the fixtures see the details: outputs moved by the mistakes a port makes."""
    folder = os.path.join(FIXTURES, name)
    from safetensors.torch import load_file
    exp = load_file(os.path.join(folder, "expected.safetensors"))
    model = model_cls.from_pretrained(folder, attn_implementation="eager").eval()
    emb = getattr(model, model.base_model_prefix).embeddings
    pos = emb.position_embeddings[:, 1:]
    n = int(pos.shape[1] ** 0.5)
    h, w = exp["pixel_values_other"].shape[-2] // 14, exp["pixel_values_other"].shape[-1] // 14
    grid = pos.reshape(1, n, n, -1).permute(0, 3, 1, 2)
    for label, kwargs in (("bilinear", dict(mode="bilinear")), ("bicubic no antialias", dict(mode="bicubic")),
                          ("bicubic antialias", dict(mode="bicubic", antialias=True))):
        r = torch.nn.functional.interpolate(grid, size=(h, w), align_corners=False, **kwargs)
        d = (r.permute(0, 2, 3, 1).reshape(1, -1, pos.shape[-1]) - exp["position_embeddings_other"][:, 1:]).abs().max()
        print(f"  {name}: position embeddings by {label}: max abs {float(d):.3g} from HF's")


def main() -> None:
    torch.manual_seed(0)
    images = make_images()
    common = dict(hidden_size=48, num_hidden_layers=2, num_attention_heads=4, mlp_ratio=4, patch_size=14,
                  layer_norm_eps=1e-6, num_labels=5, attn_implementation="eager",
                  id2label={i: c for i, c in enumerate(["cat", "dog", "bird", "fish", "frog"])},
                  label2id={c: i for i, c in enumerate(["cat", "dog", "bird", "fish", "frog"])})
    plain = Dinov2ForImageClassification(Dinov2Config(image_size=70, layerscale_value=1e-5, **common))
    build("dinov2-tiny", plain, 5, images, shortest=80, crop=70, other=(56, 84), other_shortest=84)
    regs = Dinov2WithRegistersForImageClassification(
        Dinov2WithRegistersConfig(image_size=56, num_register_tokens=3, use_swiglu_ffn=True, **common))
    build("dinov2-registers-swiglu", regs, 4, images, shortest=64, crop=56, other=(70, 42), other_shortest=70)
    sensitivity(Dinov2ForImageClassification, "dinov2-tiny")
    sensitivity(Dinov2WithRegistersForImageClassification, "dinov2-registers-swiglu")
    for root, _, files in sorted(os.walk(FIXTURES)):
        if "dinov2" not in os.path.relpath(root, FIXTURES):
            continue
        for f in sorted(files):
            p = os.path.join(root, f)
            data = open(p, "rb").read()
            print(f"{os.path.relpath(p, ROOT)}  {len(data)} bytes  sha256:{hashlib.sha256(data).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
