"""Write the ViT parity fixtures under backbone/src/test/resources/fixtures/.

Run from the repository root:   /usr/bin/python3 tools/make_vit_fixtures.py

Everything is seeded and computed single-threaded; rerunning produces
byte-identical files.  Model outputs are computed in float64 from the float32
(or f16/bf16-rounded) weights and stored as float32, so they are the "true"
values a float32 implementation should reach to ~1e-6.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from contextlib import contextmanager
from typing import Dict, List

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vit_reference as ref  # noqa: E402
from vit_reference import ViTConfig  # noqa: E402

torch.set_num_threads(1)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "backbone", "src", "test", "resources", "fixtures")

MODEL_MEAN = [0.5, 0.5, 0.5]  # HF ViTImageProcessor defaults
MODEL_STD = [0.5, 0.5, 0.5]
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
RESCALE = 0.00392156862745098  # 1/255 as HF writes it

LABELS5 = ["cat", "dog", "bird", "fish", "frog"]
LABELS10 = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def write_json(path: str, obj) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")


def preprocessor_config(h: int, w: int, mean, std, convert_rgb: bool = False) -> dict:
    cfg = {
        "image_processor_type": "ViTImageProcessor",
        "do_resize": True,
        "size": {"height": h, "width": w},
        "resample": 2,
        "do_rescale": True,
        "rescale_factor": RESCALE,
        "do_normalize": True,
        "image_mean": list(mean),
        "image_std": list(std),
    }
    if convert_rgb:
        # HF ViTImageProcessor (4.x) defaults do_convert_rgb to None = no
        # conversion; grayscale / RGBA inputs then break or keep 1/4 channels.
        # The preprocess fixture's expected values assume the conversion.
        cfg["do_convert_rgb"] = True
    return cfg


def init_params(cfg: ViTConfig, seed: int) -> Dict[str, torch.Tensor]:
    """Random float32 weights, drawn in a fixed order from one generator.

    Magnitudes are chosen so that mistakes are visible (see `evidence`):
      * cls / register tokens, position embeddings: N(0, 0.02)
      * patch projection: N(0, 0.02) weights, N(0, 0.02) bias
      * query / key weights: N(0, 0.2) so attention is far from uniform
        (with 0.02 every softmax row is ~uniform and a wrong head split or a
        missing 1/sqrt(d) barely shows)
      * value / output / MLP / classifier weights: N(0, 0.1); linear biases N(0, 0.02)
      * LayerNorm gamma ~ U(0.9, 1.1), beta ~ U(-0.1, 0.1)
    """
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, shape in ref.param_shapes(cfg).items():
        if "layernorm" in name and name.endswith(".weight"):
            t = 0.9 + 0.2 * torch.rand(shape, generator=g)
        elif "layernorm" in name and name.endswith(".bias"):
            t = -0.1 + 0.2 * torch.rand(shape, generator=g)
        elif name.endswith(("query.weight", "key.weight")):
            t = 0.2 * torch.randn(shape, generator=g)
        elif name.startswith("vit.embeddings."):
            t = 0.02 * torch.randn(shape, generator=g)
        elif name.endswith(".weight"):
            t = 0.1 * torch.randn(shape, generator=g)
        else:  # linear biases
            t = 0.02 * torch.randn(shape, generator=g)
        out[name] = t.float()
    return out


def run64(params, cfg: ViTConfig, pixel_values: torch.Tensor, with_classifier=None):
    """Forward in float64 from the given (float32-representable) params."""
    p64 = {k: v.double() for k, v in params.items()}
    return ref.vit_forward(p64, cfg, pixel_values.double(), with_classifier=with_classifier)


def expected_tensors(res, suffix: str = "", attentions: bool = True, hidden: bool = True) -> Dict[str, torch.Tensor]:
    out = {"last_hidden_state" + suffix: res["last_hidden_state"].float()}
    if "logits" in res:
        out["logits" + suffix] = res["logits"].float()
    if attentions:
        for i, a in enumerate(res["attentions"]):
            out[f"attentions{suffix}.{i}"] = a.float()
    if hidden:
        for i, h in enumerate(res["hidden_states"]):
            out[f"hidden_states{suffix}.{i}"] = h.float()
    return out


def max_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return (a.double() - b.double()).abs().max().item()


def out_diff(r1, r2) -> float:
    """Max abs difference over last_hidden_state and (if both have them) logits."""
    d = max_diff(r1["last_hidden_state"], r2["last_hidden_state"])
    if "logits" in r1 and "logits" in r2:
        d = max(d, max_diff(r1["logits"], r2["logits"]))
    return d


def write_model_fixture(name: str, cfg: ViTConfig, params, weights_dtype=torch.float32,
                        vit_model_layout=False, extra_expected=None, inputs=None) -> Dict[str, object]:
    folder = os.path.join(FIXTURES, name)
    os.makedirs(folder, exist_ok=True)
    arch = ["ViTModel"] if vit_model_layout else ["ViTForImageClassification"]
    dtype_name = {torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16"}[weights_dtype]
    write_json(os.path.join(folder, "config.json"), cfg.to_hf_dict(arch, torch_dtype=dtype_name))
    write_json(os.path.join(folder, "preprocessor_config.json"),
               preprocessor_config(cfg.image_size, cfg.image_size, MODEL_MEAN, MODEL_STD))
    stored = {k: v.to(weights_dtype) for k, v in ref.hf_state_dict(params, vit_model_layout).items()}
    ref.save_safetensors(os.path.join(folder, "model.safetensors"), stored)

    # expected values come from what is actually in the file (rounded weights)
    loaded = ref.load_safetensors(os.path.join(folder, "model.safetensors"))
    eff = {k: v.float() for k, v in loaded.items()}
    res = run64(eff, cfg, inputs["pixel_values"])
    exp = {"pixel_values": inputs["pixel_values"].float()}
    exp.update(expected_tensors(res))
    if extra_expected:
        exp.update(extra_expected(eff))
    ref.save_safetensors(os.path.join(folder, "expected.safetensors"), exp)
    return {"params": eff, "result": res}


@contextmanager
def patched_resample(fn):
    old = ref.resample_grid
    ref.resample_grid = fn
    try:
        yield
    finally:
        ref.resample_grid = old


def interleaved_head_params(params, cfg: ViTConfig):
    """Weights that make a *correct* model behave like one that splits heads
    interleaved ([B,T,Dh,H] instead of [B,T,H,Dh]); used to show the fixture
    catches that bug."""
    nh, hd = cfg.num_attention_heads, cfg.head_dim
    # interleaved feature j = d*nh + h  <->  contiguous feature h*hd + d
    perm = torch.arange(cfg.hidden_size).reshape(hd, nh).t().reshape(-1)
    p = dict(ref.canonical(params))
    for i in range(cfg.num_hidden_layers):
        a = f"vit.encoder.layer.{i}.attention."
        for w in ("query", "key", "value"):
            p[a + f"attention.{w}.weight"] = p[a + f"attention.{w}.weight"][perm]
            if cfg.qkv_bias:
                p[a + f"attention.{w}.bias"] = p[a + f"attention.{w}.bias"][perm]
        p[a + "output.dense.weight"] = p[a + "output.dense.weight"][:, perm]
    return p


def unscaled_attention_params(params, cfg: ViTConfig):
    """Weights that emulate forgetting the 1/sqrt(head_dim) score scaling."""
    p = dict(ref.canonical(params))
    s = cfg.head_dim ** 0.5
    for i in range(cfg.num_hidden_layers):
        a = f"vit.encoder.layer.{i}.attention.attention.query."
        p[a + "weight"] = p[a + "weight"] * s
        if cfg.qkv_bias:
            p[a + "bias"] = p[a + "bias"] * s
    return p


def with_cfg(cfg: ViTConfig, **kw) -> ViTConfig:
    d = dict(cfg.__dict__)
    d.update(kw)
    return ViTConfig(**d)


# --------------------------------------------------------------------------
# model fixtures
# --------------------------------------------------------------------------


def make_models(evidence: List[str]) -> None:
    # (a) vit-tiny-gelu -----------------------------------------------------
    cfg_a = ViTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                      hidden_act="gelu", layer_norm_eps=1e-12, image_size=32, patch_size=8,
                      num_channels=3, qkv_bias=True, labels=LABELS5)
    params_a = init_params(cfg_a, seed=1001)
    x_a = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(2001))
    out_a = write_model_fixture("vit-tiny-gelu", cfg_a, params_a, inputs={"pixel_values": x_a})
    ra = out_a["result"]

    # sanity: float32 math agrees with the float64 expected values
    r32 = ref.vit_forward(params_a, cfg_a, x_a)
    evidence.append(f"[vit-tiny-gelu] float32 forward vs stored float64-derived expected: "
                    f"{out_diff(ra, r32):.2e} (should be ~1e-6)")
    pk = torch.stack([a.max(dim=-1).values.mean() for a in ra["attentions"]])
    evidence.append(f"[vit-tiny-gelu] mean over rows of max attention prob per layer: "
                    f"{[round(v, 3) for v in pk.tolist()]} (uniform would be {1 / 17:.3f})")

    checks = []
    for label, cfg2, p2 in [
        ("eps 1e-12 -> 1e-5", with_cfg(cfg_a, layer_norm_eps=1e-5), params_a),
        ("eps 1e-12 -> 1e-6", with_cfg(cfg_a, layer_norm_eps=1e-6), params_a),
        ("heads 4 -> 2", with_cfg(cfg_a, num_attention_heads=2), params_a),
        ("heads 4 -> 8", with_cfg(cfg_a, num_attention_heads=8), params_a),
        ("heads split interleaved", cfg_a, interleaved_head_params(params_a, cfg_a)),
        ("no 1/sqrt(head_dim) scaling", cfg_a, unscaled_attention_params(params_a, cfg_a)),
        ("gelu -> gelu_new (tanh)", with_cfg(cfg_a, hidden_act="gelu_new"), params_a),
    ]:
        d = out_diff(ra, run64(p2, cfg2, x_a))
        checks.append((label, d))
        evidence.append(f"[vit-tiny-gelu] mutation {label:32s}: max |diff| of outputs = {d:.3e}")
    for label, d in checks:
        if label.startswith(("eps 1e-12 -> 1e-5", "heads", "no 1/sqrt")):
            assert d > 1e-2, f"fixture not sensitive enough to '{label}': {d}"
        else:
            assert d > 1e-4, f"fixture not sensitive enough to '{label}': {d}"

    # (e) f16 / bf16 copies of (a) ------------------------------------------
    for name, dt in [("vit-f16", torch.float16), ("vit-bf16", torch.bfloat16)]:
        out = write_model_fixture(name, cfg_a, params_a, weights_dtype=dt, inputs={"pixel_values": x_a})
        d_round = out_diff(out["result"], ra)
        evidence.append(f"[{name}] expected vs float32-weights expected of vit-tiny-gelu: {d_round:.3e} "
                        f"(so using unrounded weights/the wrong fixture is detectable)")
        assert d_round > 1e-4

    # (b) vit-nobias-tanh, ViTModel layout -------------------------------------
    cfg_b = ViTConfig(hidden_size=48, num_hidden_layers=3, num_attention_heads=6, intermediate_size=96,
                      hidden_act="gelu_new", layer_norm_eps=1e-6, image_size=32, patch_size=8,
                      num_channels=3, qkv_bias=False, labels=LABELS10)
    params_b = init_params(cfg_b, seed=1002)
    params_b = {k: v for k, v in params_b.items() if not k.startswith("classifier.")}
    x_b = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(2002))
    out_b = write_model_fixture("vit-nobias-tanh", cfg_b, params_b, vit_model_layout=True,
                                inputs={"pixel_values": x_b})
    rb = out_b["result"]
    for label, cfg2, p2 in [
        ("gelu_new -> gelu (erf)", with_cfg(cfg_b, hidden_act="gelu"), params_b),
        ("eps 1e-6 -> 1e-12", with_cfg(cfg_b, layer_norm_eps=1e-12), params_b),
        ("heads 6 -> 3", with_cfg(cfg_b, num_attention_heads=3), params_b),
        ("heads split interleaved", cfg_b, interleaved_head_params(params_b, cfg_b)),
    ]:
        d = out_diff(rb, run64(p2, cfg2, x_b))
        evidence.append(f"[vit-nobias-tanh] mutation {label:30s}: max |diff| = {d:.3e}")
        assert d > 1e-4, label

    # (c) vit-resample-nonsquare ----------------------------------------------
    cfg_c = ViTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                      hidden_act="gelu", layer_norm_eps=1e-6, image_size=32, patch_size=8,
                      num_channels=3, qkv_bias=True, labels=LABELS5)
    params_c = init_params(cfg_c, seed=1003)
    # resampling is only visible if the position embeddings carry real weight
    # relative to the patch tokens: give them a smooth, larger structure
    g = torch.Generator().manual_seed(3003)
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 4), torch.linspace(-1, 1, 4), indexing="ij")
    freq = torch.randn(32, 3, generator=g)
    smooth = torch.sin(freq[:, 0, None, None] * 2 * yy + freq[:, 1, None, None] * 2 * xx + freq[:, 2, None, None])
    pe = params_c["vit.embeddings.position_embeddings"].clone()
    pe[0, 1:] += 0.5 * smooth.permute(1, 2, 0).reshape(16, 32)
    params_c["vit.embeddings.position_embeddings"] = pe.float()
    x_c = torch.randn(2, 3, 48, 64, generator=torch.Generator().manual_seed(2003))
    x_c_small = torch.randn(2, 3, 24, 16, generator=torch.Generator().manual_seed(2013))

    def small_expected(eff):
        r = run64(eff, cfg_c, x_c_small)
        return {"pixel_values_small": x_c_small.float(),
                "last_hidden_state_small": r["last_hidden_state"].float(),
                "logits_small": r["logits"].float()}

    out_c = write_model_fixture("vit-resample-nonsquare", cfg_c, params_c, inputs={"pixel_values": x_c},
                                extra_expected=small_expected)
    rc = out_c["result"]
    rc_small = run64(params_c, cfg_c, x_c_small)
    for label, fn in [
        ("bicubic -> bilinear", lambda t, h, w: F.interpolate(t, size=(h, w), mode="bilinear", align_corners=False)),
        ("align_corners=True", lambda t, h, w: F.interpolate(t, size=(h, w), mode="bicubic", align_corners=True)),
        ("antialias=True", lambda t, h, w: F.interpolate(t, size=(h, w), mode="bicubic", align_corners=False,
                                                         antialias=True)),
        ("size=(w,h) swapped", lambda t, h, w: F.interpolate(t, size=(w, h), mode="bicubic",
                                                             align_corners=False).reshape(t.shape[0], t.shape[1], h, w)),
    ]:
        with patched_resample(fn):
            d_big = out_diff(rc, run64(params_c, cfg_c, x_c))
            d_small = out_diff(rc_small, run64(params_c, cfg_c, x_c_small))
        evidence.append(f"[vit-resample-nonsquare] mutation {label:24s}: 48x64 diff {d_big:.3e}, "
                        f"24x16 diff {d_small:.3e}")
        # (torch's antialias=True bicubic also switches to the PIL kernel a=-0.5,
        #  so it differs even when upsampling)
        assert d_big > 1e-3 and d_small > 1e-3, label

    # (d) vit-registers-nocls --------------------------------------------------
    cfg_d = ViTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                      hidden_act="quick_gelu", layer_norm_eps=1e-6, image_size=32, patch_size=8,
                      num_channels=3, qkv_bias=True, labels=LABELS5,
                      use_class_token=False, num_register_tokens=2)
    params_d = init_params(cfg_d, seed=1004)
    x_d = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(2004))
    out_d = write_model_fixture("vit-registers-nocls", cfg_d, params_d, inputs={"pixel_values": x_d})
    rd = out_d["result"]
    lhs = rd["last_hidden_state"]
    wrong_pool = ref.linear(lhs.mean(dim=1), params_d["classifier.weight"].double(),
                            params_d["classifier.bias"].double())
    evidence.append(f"[vit-registers-nocls] logits with mean over ALL tokens (registers included) differ by "
                    f"{max_diff(wrong_pool, rd['logits']):.3e}")
    d_act = out_diff(rd, run64(params_d, with_cfg(cfg_d, hidden_act="gelu"), x_d))
    evidence.append(f"[vit-registers-nocls] mutation quick_gelu -> gelu: {d_act:.3e}")

    # (f, extra) vit-registers-cls: class token AND registers, to pin the token order
    cfg_f = with_cfg(cfg_d, use_class_token=True, hidden_act="gelu")
    params_f = init_params(cfg_f, seed=1005)
    x_f = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(2005))
    out_f = write_model_fixture("vit-registers-cls", cfg_f, params_f, inputs={"pixel_values": x_f})
    rf = out_f["result"]

    old_embed = ref.embed

    def embed_registers_last(params, cfg, pixel_values):  # registers appended after the patches
        e = old_embed(params, with_cfg(cfg, num_register_tokens=0), pixel_values)
        reg = params["vit.embeddings.register_tokens"].expand(pixel_values.shape[0], -1, -1)
        return torch.cat([e, reg], dim=1)

    def embed_pos_on_first_rows(params, cfg, pixel_values):  # insert registers first, then add pos to rows 0..P-1
        b = pixel_values.shape[0]
        zero_pos = dict(params)
        zero_pos["vit.embeddings.position_embeddings"] = torch.zeros_like(params["vit.embeddings.position_embeddings"])
        e = old_embed(zero_pos, cfg, pixel_values)
        pos = params["vit.embeddings.position_embeddings"]
        e = e.clone()
        e[:, : pos.shape[1]] += pos.expand(b, -1, -1)
        return e

    R = cfg_f.num_register_tokens
    for label, fn in [("registers appended after patches", embed_registers_last),
                      ("pos-emb added after inserting registers", embed_pos_on_first_rows)]:
        ref.embed = fn
        try:
            rw = run64(params_f, cfg_f, x_f)
        finally:
            ref.embed = old_embed
        d_cls = max(max_diff(rw["last_hidden_state"][:, 0], rf["last_hidden_state"][:, 0]),
                    max_diff(rw["logits"], rf["logits"]))
        d_all = max_diff(rw["last_hidden_state"], rf["last_hidden_state"])
        evidence.append(f"[vit-registers-cls] mutation {label:40s}: class token/logits diff {d_cls:.3e}, "
                        f"last_hidden_state diff {d_all:.3e}")
        assert d_all > 1e-2, label
    if R:
        perm = [0] + list(range(1 + R, rf["last_hidden_state"].shape[1])) + list(range(1, 1 + R))
        ref.embed = embed_registers_last
        try:
            rw = run64(params_f, cfg_f, x_f)
        finally:
            ref.embed = old_embed
        evidence.append("[vit-registers-cls]   (attention is permutation-equivariant: appending the registers only "
                        "reorders rows; re-permuted diff "
                        f"{max_diff(rw['last_hidden_state'], rf['last_hidden_state'][:, perm]):.1e})")

    # independent validation: torchvision with eps 1e-6 on (a)'s weights
    cv = ref.crosscheck_torchvision(params_a, with_cfg(cfg_a, layer_norm_eps=1e-6), x_a)
    evidence.append(f"[torchvision cross-check] vit-tiny-gelu weights with eps 1e-6, float32: "
                    f"max |diff| final-normed class token {cv['max_abs_diff_cls']:.2e}, "
                    f"logits {cv['max_abs_diff_logits']:.2e} (tolerance 1e-5)")
    cv = ref.crosscheck_torchvision(params_c, cfg_c, torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(7)))
    evidence.append(f"[torchvision cross-check] vit-resample-nonsquare weights at 32x32, float32: "
                    f"cls {cv['max_abs_diff_cls']:.2e}, logits {cv['max_abs_diff_logits']:.2e}")


# --------------------------------------------------------------------------
# position-embedding resampling (pure function)
# --------------------------------------------------------------------------


def make_resample(evidence: List[str]) -> None:
    folder = os.path.join(FIXTURES, "resample")
    os.makedirs(folder, exist_ok=True)
    grid = torch.randn(1, 3, 5, 7, generator=torch.Generator().manual_seed(4001)).float()
    out = {"grid_in": grid}
    for name, (h, w) in [("up_9x11", (9, 11)), ("down_3x4", (3, 4)), ("same_5x7", (5, 7)), ("up_2x_10x14", (10, 14))]:
        r = F.interpolate(grid.double(), size=(h, w), mode="bicubic", align_corners=False)
        r_np = ref.bicubic_resize_numpy(grid.double().numpy(), h, w)
        assert np.abs(r.numpy() - r_np).max() < 1e-12
        r32 = F.interpolate(grid, size=(h, w), mode="bicubic", align_corners=False)
        evidence.append(f"[resample] {name}: float32 torch vs float64 {max_diff(r32, r):.1e}; "
                        f"numpy re-derivation matches torch (<1e-12)")
        out[name] = r.float()
    assert torch.equal(out["same_5x7"], grid), "same-size bicubic must be the identity"
    evidence.append("[resample] same_5x7 is bit-identical to grid_in")
    ref.save_safetensors(os.path.join(folder, "expected.safetensors"), out)


# --------------------------------------------------------------------------
# preprocessing
# --------------------------------------------------------------------------


def _scene(w: int, h: int, seed: int) -> Image.Image:
    """Smooth colour gradients plus a few hard-edged shapes (no randomness in
    PIL's drawing, shapes placed from a seeded numpy generator)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 255 * xx / max(w - 1, 1)
    gch = 255 * yy / max(h - 1, 1)
    b = 127.5 + 127.5 * np.sin(2 * np.pi * (xx + yy) / (0.7 * (w + h)))
    arr = np.clip(np.rint(np.stack([r, gch, b], axis=-1)), 0, 255).astype(np.uint8)
    img = Image.fromarray(arr, "RGB")
    d = ImageDraw.Draw(img)
    d.ellipse([w * 0.15, h * 0.2, w * 0.55, h * 0.7], fill=(250, 240, 20), outline=(0, 0, 0))
    d.rectangle([w * 0.6, h * 0.1, w * 0.9, h * 0.45], fill=(20, 30, 200))
    d.polygon([(w * 0.1, h * 0.95), (w * 0.5, h * 0.75), (w * 0.8, h * 0.98)], fill=(200, 20, 60))
    x0, y0 = rng.integers(0, w // 2), rng.integers(0, h // 2)
    d.line([(x0, y0), (w - 1, h - 1)], fill=(255, 255, 255), width=2)
    return img


def hf_vit_preprocess(img: Image.Image, h: int, w: int, mean, std):
    """What HF ViTImageProcessor(do_convert_rgb=True) computes, step by step.

    RGBA/LA/P -> RGB: HF's convert_to_rgb is just PIL ``img.convert("RGB")``,
    which DROPS the alpha channel: no compositing onto a white/black background,
    the stored colour of fully transparent pixels survives unchanged.  Grayscale
    "L" is replicated into R=G=B.
    """
    rgb = img.convert("RGB")
    resized = rgb.resize((w, h), resample=Image.BILINEAR)  # PIL bilinear, i.e. HF resample=2
    x = np.asarray(resized)  # uint8 HWC
    x = (x.astype(np.float64) * RESCALE).astype(np.float32)  # HF rescale: f64 multiply, cast to f32
    m = np.asarray(mean, dtype=np.float32)
    s = np.asarray(std, dtype=np.float32)
    x = (x - m) / s  # HF normalize in float32
    chw = np.ascontiguousarray(x.transpose(2, 0, 1))
    return np.asarray(rgb), np.asarray(resized), chw


def make_preprocess(evidence: List[str]) -> None:
    folder = os.path.join(FIXTURES, "preprocess")
    os.makedirs(folder, exist_ok=True)
    files = {}

    files["gradient_shapes.png"] = _scene(61, 47, seed=5001)
    files["gradient_shapes.png"].save(os.path.join(folder, "gradient_shapes.png"), format="PNG", optimize=False)

    jpg_src = _scene(80, 60, seed=5002)
    jpg_src.save(os.path.join(folder, "photo.jpg"), format="JPEG", quality=90)
    files["photo.jpg"] = None  # reloaded from disk below, decoded by PIL/libjpeg

    gray = _scene(40, 30, seed=5003).convert("L")
    gray.save(os.path.join(folder, "gray.png"), format="PNG", optimize=False)
    files["gray.png"] = None

    rgba = _scene(36, 28, seed=5004).convert("RGBA")
    a = np.asarray(rgba).copy()
    hh, ww = a.shape[:2]
    yy, xx = np.mgrid[0:hh, 0:ww]
    alpha = np.clip(255 * xx / (ww - 1), 0, 255).astype(np.uint8)  # horizontal alpha ramp
    alpha[: hh // 3, : ww // 2] = 0  # fully transparent corner ...
    a[: hh // 3, : ww // 2, :3] = (255, 0, 255)  # ... hiding magenta that must come through
    a[..., 3] = alpha
    Image.fromarray(a, "RGBA").save(os.path.join(folder, "rgba.png"), format="PNG", optimize=False)
    files["rgba.png"] = None

    write_json(os.path.join(folder, "preprocessor_config.json"),
               preprocessor_config(32, 32, IMAGENET_MEAN, IMAGENET_STD, convert_rgb=True))

    out = {}
    for fname in sorted(files):
        with Image.open(os.path.join(folder, fname)) as im:
            im.load()
            mode, size = im.mode, im.size
            rgb, resized, chw = hf_vit_preprocess(im, 32, 32, IMAGENET_MEAN, IMAGENET_STD)
        key = fname.replace(".", "_")
        out[key] = torch.from_numpy(chw)
        # debugging aids: decoded RGB (after convert("RGB")) and the PIL-resized
        # uint8 image, both HWC stored as float32 holding integers 0..255
        out[key + "_decoded_rgb"] = torch.from_numpy(rgb.astype(np.float32))
        out[key + "_resized_rgb"] = torch.from_numpy(resized.astype(np.float32))
        evidence.append(f"[preprocess] {fname}: PIL mode {mode}, size {size[0]}x{size[1]} -> [3,32,32]")

    # how much the 'naive' alternatives differ, to show the test is discriminating
    with Image.open(os.path.join(folder, "rgba.png")) as im:
        im.load()
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        comp = Image.alpha_composite(white, im)
        _, _, chw_white = hf_vit_preprocess(comp, 32, 32, IMAGENET_MEAN, IMAGENET_STD)
    evidence.append(f"[preprocess] rgba.png composited on white instead of alpha dropped: max diff "
                    f"{np.abs(chw_white - out['rgba_png'].numpy()).max():.3f}")
    with Image.open(os.path.join(folder, "gradient_shapes.png")) as im:
        im.load()
        t = torch.from_numpy(np.asarray(im.convert("RGB")).astype(np.float64)).permute(2, 0, 1)[None]
        naive = F.interpolate(t, size=(32, 32), mode="bilinear", align_corners=False)[0]
        pil = torch.from_numpy(out["gradient_shapes_png_resized_rgb"].numpy().astype(np.float64)).permute(2, 0, 1)
    evidence.append(f"[preprocess] gradient_shapes.png: PIL bilinear (support scales with the downsampling factor) "
                    f"vs plain 2-tap bilinear: max diff {(naive - pil).abs().max().item():.1f} /255")

    ref.save_safetensors(os.path.join(folder, "expected.safetensors"), out)


# --------------------------------------------------------------------------


def print_manifest(folder: str) -> None:
    """Prints size, short SHA-256 and path of every file under folder, so a re-run shows
    at a glance whether the committed fixtures changed."""
    total = 0
    for dirpath, _, filenames in sorted(os.walk(folder)):
        for fn in sorted(filenames):
            path = os.path.join(dirpath, fn)
            size = os.path.getsize(path)
            total += size
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()[:16]
            print(f"{size:9d}  {digest}  {os.path.relpath(path, ROOT)}")
    print(f"{total:9d}  total")


def main() -> None:
    evidence: List[str] = []
    make_models(evidence)
    make_resample(evidence)
    make_preprocess(evidence)
    print("\n".join(evidence))
    print()
    print_manifest(FIXTURES)


if __name__ == "__main__":
    main()
