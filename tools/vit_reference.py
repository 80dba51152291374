"""Independent PyTorch reference of the Vision Transformer used by vitstream.

Written from the ViT paper (Dosovitskiy et al., "An Image is Worth 16x16 Words",
2020) and the documented behaviour of Hugging Face ``ViTModel`` /
``ViTForImageClassification``; no code was copied from any repository.

The model is purely functional: the parameters live in a plain ``dict`` whose
keys are exactly the Hugging Face checkpoint names (``vit.embeddings.cls_token``
and so on), and :func:`vit_forward` runs the network from that dict.  That dict
*is* the state dict that gets written to ``model.safetensors``.

Semantics reproduced (HF naming in brackets):

* patch embedding: Conv2d(C, D, kernel=stride=patch) then flatten to [B, N, D]
  with patches in row-major (y, x) order  [embeddings.patch_embeddings.projection]
* class token prepended when ``use_class_token`` (default True)  [embeddings.cls_token]
* learned position embeddings [1, (1 if cls) + N, D] added to [cls + patches]
  [embeddings.position_embeddings]; if the patch grid of the input differs from
  the trained (image_size/patch)^2 square grid, the patch part is resampled with
  ``F.interpolate(mode="bicubic", align_corners=False, size=(gh, gw))`` (no
  antialias), the class position is kept as is (current HF
  ``interpolate_pos_encoding``)
* optional register tokens (``num_register_tokens`` R, default 0), inserted
  right after the class token and before the patches AFTER position embeddings
  were added, so registers never get a position embedding (DINOv2-with-registers)
  [embeddings.register_tokens, shape [1, R, D]]
* pre-norm encoder layers:
  x = x + Attn(LN_before(x));  x = x + MLP(LN_after(x))
  Attn: separate query/key/value Linear (bias iff ``qkv_bias``), heads split as
  [B, T, H, Dh] (head h owns features h*Dh .. (h+1)*Dh-1), scores scaled by
  1/sqrt(Dh), softmax over keys, weighted sum of values, heads merged back in
  the same order, output dense (always with bias)
  MLP: Linear(D, I) -> act -> Linear(I, D)
* final LayerNorm [vit.layernorm]; every LayerNorm uses ``layer_norm_eps``
* logits = classifier(final-normed class token); without class token the
  classifier sees the mean of the final-normed PATCH tokens (registers excluded).

Also in here: a hand written safetensors writer/reader, an independent numpy
bicubic resampler (documents the exact torch algorithm), and a cross-check
against torchvision's VisionTransformer (run ``/usr/bin/python3
tools/vit_reference.py``).
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np
import torch
import torch.nn.functional as F

# --------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------


@dataclass
class ViTConfig:
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    hidden_act: str = "gelu"
    layer_norm_eps: float = 1e-12
    image_size: int = 224
    patch_size: int = 16
    num_channels: int = 3
    qkv_bias: bool = True
    labels: List[str] = field(default_factory=lambda: ["LABEL_0", "LABEL_1"])
    use_class_token: bool = True
    num_register_tokens: int = 0

    @property
    def head_dim(self) -> int:
        if self.hidden_size % self.num_attention_heads:
            raise ValueError("hidden_size must be divisible by num_attention_heads")
        return self.hidden_size // self.num_attention_heads

    @property
    def trained_grid(self) -> int:
        return self.image_size // self.patch_size

    @property
    def num_prefix_positions(self) -> int:
        return 1 if self.use_class_token else 0

    def to_hf_dict(self, architectures: List[str], torch_dtype: Optional[str] = None) -> dict:
        """HF ViTConfig JSON; our extensions are only written when non-default."""
        d = {
            "architectures": list(architectures),
            "model_type": "vit",
            "hidden_size": self.hidden_size,
            "num_hidden_layers": self.num_hidden_layers,
            "num_attention_heads": self.num_attention_heads,
            "intermediate_size": self.intermediate_size,
            "hidden_act": self.hidden_act,
            "hidden_dropout_prob": 0.0,
            "attention_probs_dropout_prob": 0.0,
            "initializer_range": 0.02,
            "layer_norm_eps": self.layer_norm_eps,
            "image_size": self.image_size,
            "patch_size": self.patch_size,
            "num_channels": self.num_channels,
            "qkv_bias": self.qkv_bias,
            "id2label": {str(i): name for i, name in enumerate(self.labels)},
            "label2id": {name: i for i, name in enumerate(self.labels)},
        }
        if torch_dtype is not None:
            d["torch_dtype"] = torch_dtype
        if not self.use_class_token:
            d["use_class_token"] = False
        if self.num_register_tokens > 0:
            d["num_register_tokens"] = self.num_register_tokens
        return d

    @staticmethod
    def from_hf_dict(d: dict) -> "ViTConfig":
        id2label = d.get("id2label") or {"0": "LABEL_0", "1": "LABEL_1"}
        labels = [id2label[str(i)] for i in range(len(id2label))]
        return ViTConfig(
            hidden_size=d["hidden_size"],
            num_hidden_layers=d["num_hidden_layers"],
            num_attention_heads=d["num_attention_heads"],
            intermediate_size=d["intermediate_size"],
            hidden_act=d.get("hidden_act", "gelu"),
            layer_norm_eps=d.get("layer_norm_eps", 1e-12),
            image_size=d.get("image_size", 224),
            patch_size=d.get("patch_size", 16),
            num_channels=d.get("num_channels", 3),
            qkv_bias=d.get("qkv_bias", True),
            labels=labels,
            use_class_token=d.get("use_class_token", True),
            num_register_tokens=d.get("num_register_tokens", 0),
        )


# --------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------


def activation(name: str, x: torch.Tensor) -> torch.Tensor:
    """HF ACT2FN subset, written out explicitly."""
    if name == "gelu":  # exact GELU: x * Phi(x) with the erf form
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if name in ("gelu_new", "gelu_pytorch_tanh"):  # tanh approximation
        c = math.sqrt(2.0 / math.pi)
        return 0.5 * x * (1.0 + torch.tanh(c * (x + 0.044715 * x.pow(3))))
    if name == "quick_gelu":
        return x * torch.sigmoid(1.702 * x)
    if name == "relu":
        return torch.clamp_min(x, 0.0)
    if name in ("silu", "swish"):
        return x * torch.sigmoid(x)
    raise ValueError(f"unsupported hidden_act {name!r}")


def layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float) -> torch.Tensor:
    """LayerNorm over the last dim with biased variance (what nn.LayerNorm does)."""
    mu = x.mean(dim=-1, keepdim=True)
    centred = x - mu
    var = (centred * centred).mean(dim=-1, keepdim=True)
    return centred / torch.sqrt(var + eps) * weight + bias


def linear(x: torch.Tensor, weight: torch.Tensor, bias: Optional[torch.Tensor]) -> torch.Tensor:
    """y = x W^T + b, weight stored [out, in] like torch / HF."""
    y = torch.matmul(x, weight.transpose(0, 1))
    return y if bias is None else y + bias


def resample_grid(grid: torch.Tensor, out_h: int, out_w: int) -> torch.Tensor:
    """[1, D, h, w] -> [1, D, out_h, out_w] exactly like HF interpolate_pos_encoding."""
    return F.interpolate(grid, size=(out_h, out_w), mode="bicubic", align_corners=False)


def bicubic_resize_numpy(grid: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """Independent re-statement of torch's bicubic (align_corners=False, no AA).

    For every output index o along an axis of input length n and output length m:
      scale = n / m ; src = (o + 0.5) * scale - 0.5   (NOT clamped at 0)
      i0 = floor(src), t = src - i0
      taps at i0-1, i0, i0+1, i0+2 with Keys' cubic convolution weights, A = -0.75
        w(d) = (A+2)|d|^3 - (A+3)|d|^2 + 1           for |d| <= 1
        w(d) = A|d|^3 - 5A|d|^2 + 8A|d| - 4A         for 1 < |d| < 2
      tap indices clamped to [0, n-1] (border replicate).
    Separable: apply along W then along H (order does not matter mathematically).
    """
    A = -0.75

    def weights(t: float):
        def near(d):
            return ((A + 2) * d - (A + 3)) * d * d + 1

        def far(d):
            return ((A * d - 5 * A) * d + 8 * A) * d - 4 * A

        return [far(t + 1), near(t), near(1 - t), far(2 - t)]

    def matrix(n: int, m: int) -> np.ndarray:
        mat = np.zeros((m, n), dtype=np.float64)
        scale = n / m
        for o in range(m):
            src = (o + 0.5) * scale - 0.5
            i0 = math.floor(src)
            t = src - i0
            for k, w in zip(range(-1, 3), weights(t)):
                idx = min(max(i0 + k, 0), n - 1)
                mat[o, idx] += w
        return mat

    g = np.asarray(grid, dtype=np.float64)
    mh = matrix(g.shape[-2], out_h)
    mw = matrix(g.shape[-1], out_w)
    return np.einsum("oh,...hw,pw->...op", mh, g, mw)


# --------------------------------------------------------------------------
# forward
# --------------------------------------------------------------------------


def _p(params: Dict[str, torch.Tensor], name: str) -> torch.Tensor:
    return params["vit." + name]


def embed(params, cfg: ViTConfig, pixel_values: torch.Tensor) -> torch.Tensor:
    b, c, h, w = pixel_values.shape
    p = cfg.patch_size
    if c != cfg.num_channels:
        raise ValueError(f"expected {cfg.num_channels} channels, got {c}")
    if h % p or w % p:
        raise ValueError(f"input {h}x{w} not divisible by patch {p}")
    gh, gw = h // p, w // p

    # patch embedding: the paper's linear projection of flattened patches is a
    # stride=kernel convolution; [B, D, gh, gw] -> [B, gh*gw, D] (row-major grid)
    patches = F.conv2d(pixel_values,
                       _p(params, "embeddings.patch_embeddings.projection.weight"),
                       _p(params, "embeddings.patch_embeddings.projection.bias"),
                       stride=p)
    tokens = patches.flatten(2).transpose(1, 2)

    pos = _p(params, "embeddings.position_embeddings")  # [1, prefix + g0*g0, D]
    prefix = cfg.num_prefix_positions
    g0 = cfg.trained_grid
    if pos.shape[1] != prefix + g0 * g0:
        raise ValueError(f"position_embeddings has {pos.shape[1]} rows, expected {prefix + g0 * g0}")
    if (gh, gw) != (g0, g0):
        d = pos.shape[-1]
        grid = pos[:, prefix:].reshape(1, g0, g0, d).permute(0, 3, 1, 2)
        grid = resample_grid(grid, gh, gw)
        pos = torch.cat([pos[:, :prefix], grid.permute(0, 2, 3, 1).reshape(1, gh * gw, d)], dim=1)

    if cfg.use_class_token:
        cls = _p(params, "embeddings.cls_token").expand(b, -1, -1)
        tokens = torch.cat([cls, tokens], dim=1)
    tokens = tokens + pos

    if cfg.num_register_tokens > 0:
        reg = _p(params, "embeddings.register_tokens").expand(b, -1, -1)
        tokens = torch.cat([tokens[:, :prefix], reg, tokens[:, prefix:]], dim=1)
    return tokens


def attention(params, cfg: ViTConfig, i: int, x: torch.Tensor):
    """Multi-head self attention of layer i; returns (output, probabilities)."""
    pre = f"encoder.layer.{i}.attention."
    b, t, d = x.shape
    nh, hd = cfg.num_attention_heads, cfg.head_dim

    def proj(which: str) -> torch.Tensor:
        w = _p(params, pre + f"attention.{which}.weight")
        bias = _p(params, pre + f"attention.{which}.bias") if cfg.qkv_bias else None
        # [B, T, D] -> [B, T, H, Dh] -> [B, H, T, Dh]
        return linear(x, w, bias).reshape(b, t, nh, hd).transpose(1, 2)

    q, k, v = proj("query"), proj("key"), proj("value")
    scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd)
    probs = torch.softmax(scores, dim=-1)  # [B, H, T(query), T(key)]
    ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, d)
    out = linear(ctx, _p(params, pre + "output.dense.weight"), _p(params, pre + "output.dense.bias"))
    return out, probs


def encoder_layer(params, cfg: ViTConfig, i: int, x: torch.Tensor):
    pre = f"encoder.layer.{i}."
    eps = cfg.layer_norm_eps
    h = layer_norm(x, _p(params, pre + "layernorm_before.weight"), _p(params, pre + "layernorm_before.bias"), eps)
    att, probs = attention(params, cfg, i, h)
    x = x + att
    h = layer_norm(x, _p(params, pre + "layernorm_after.weight"), _p(params, pre + "layernorm_after.bias"), eps)
    h = linear(h, _p(params, pre + "intermediate.dense.weight"), _p(params, pre + "intermediate.dense.bias"))
    h = activation(cfg.hidden_act, h)
    h = linear(h, _p(params, pre + "output.dense.weight"), _p(params, pre + "output.dense.bias"))
    return x + h, probs


@torch.no_grad()
def vit_forward(params: Dict[str, torch.Tensor], cfg: ViTConfig, pixel_values: torch.Tensor,
                with_classifier: Optional[bool] = None) -> Dict[str, object]:
    """Run the model.  ``params`` may be in either layout (see :func:`canonical`).

    Returns a dict with
      last_hidden_state [B, T, D]  (after the final LayerNorm, like HF)
      hidden_states     list of L+1 tensors [B, T, D] (HF output_hidden_states:
                        embeddings output, then each layer output, pre final LN)
      attentions        list of L tensors [B, H, T, T] (post-softmax)
      pooled            [B, D] what the classifier sees
      logits            [B, num_labels] (only if a classifier is present)
    """
    params = canonical(params)
    if with_classifier is None:
        with_classifier = "classifier.weight" in params
    x = embed(params, cfg, pixel_values)
    hidden_states = [x]
    attentions = []
    for i in range(cfg.num_hidden_layers):
        x, probs = encoder_layer(params, cfg, i, x)
        hidden_states.append(x)
        attentions.append(probs)
    x = layer_norm(x, _p(params, "layernorm.weight"), _p(params, "layernorm.bias"), cfg.layer_norm_eps)
    if cfg.use_class_token:
        pooled = x[:, 0]
    else:
        pooled = x[:, cfg.num_register_tokens:].mean(dim=1)
    out = {"last_hidden_state": x, "hidden_states": hidden_states, "attentions": attentions, "pooled": pooled}
    if with_classifier:
        out["logits"] = linear(pooled, params["classifier.weight"], params["classifier.bias"])
    return out


# --------------------------------------------------------------------------
# parameters / state dict
# --------------------------------------------------------------------------


def param_shapes(cfg: ViTConfig, with_classifier: bool = True) -> Dict[str, tuple]:
    """Every parameter of the model under its HF ViTForImageClassification name."""
    d, c, p, m = cfg.hidden_size, cfg.num_channels, cfg.patch_size, cfg.intermediate_size
    n = cfg.trained_grid ** 2
    s = {}
    if cfg.use_class_token:
        s["vit.embeddings.cls_token"] = (1, 1, d)
    if cfg.num_register_tokens > 0:
        s["vit.embeddings.register_tokens"] = (1, cfg.num_register_tokens, d)
    s["vit.embeddings.position_embeddings"] = (1, cfg.num_prefix_positions + n, d)
    s["vit.embeddings.patch_embeddings.projection.weight"] = (d, c, p, p)
    s["vit.embeddings.patch_embeddings.projection.bias"] = (d,)
    for i in range(cfg.num_hidden_layers):
        pre = f"vit.encoder.layer.{i}."
        s[pre + "layernorm_before.weight"] = (d,)
        s[pre + "layernorm_before.bias"] = (d,)
        for which in ("query", "key", "value"):
            s[pre + f"attention.attention.{which}.weight"] = (d, d)
            if cfg.qkv_bias:
                s[pre + f"attention.attention.{which}.bias"] = (d,)
        s[pre + "attention.output.dense.weight"] = (d, d)
        s[pre + "attention.output.dense.bias"] = (d,)
        s[pre + "layernorm_after.weight"] = (d,)
        s[pre + "layernorm_after.bias"] = (d,)
        s[pre + "intermediate.dense.weight"] = (m, d)
        s[pre + "intermediate.dense.bias"] = (m,)
        s[pre + "output.dense.weight"] = (d, m)
        s[pre + "output.dense.bias"] = (d,)
    s["vit.layernorm.weight"] = (d,)
    s["vit.layernorm.bias"] = (d,)
    if with_classifier:
        s["classifier.weight"] = (len(cfg.labels), d)
        s["classifier.bias"] = (len(cfg.labels),)
    return s


def canonical(params: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Accept HF ViTForImageClassification keys (``vit.*`` + ``classifier.*``) or
    HF ViTModel keys (no prefix, no classifier) and return the prefixed form."""
    out = {}
    for k, v in params.items():
        if k.startswith("vit.") or k.startswith("classifier."):
            out[k] = v
        elif k.startswith("pooler."):
            continue  # ViTModel(add_pooling_layer=True) pooler: not used here
        else:
            out["vit." + k] = v
    return out


def hf_state_dict(params: Dict[str, torch.Tensor], vit_model_layout: bool = False) -> Dict[str, torch.Tensor]:
    """State dict under HF names.  ``vit_model_layout=True`` gives the ViTModel
    layout: no ``vit.`` prefix and no classifier."""
    params = canonical(params)
    if not vit_model_layout:
        return dict(params)
    return {k[len("vit."):]: v for k, v in params.items() if k.startswith("vit.")}


# --------------------------------------------------------------------------
# safetensors, by hand
# --------------------------------------------------------------------------

_DTYPE_TO_ST = {
    torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}
_ST_TO_DTYPE = {v: k for k, v in _DTYPE_TO_ST.items()}
_NP_LE = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "I64": "<i8", "I32": "<i4",
          "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


def _tensor_bytes(t: torch.Tensor) -> bytes:
    t = t.detach().cpu().contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bf16: reinterpret the 16 bits
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(_NP_LE[_DTYPE_TO_ST[t.dtype]]).tobytes()


def save_safetensors(path: str, tensors: Dict[str, torch.Tensor], metadata: Optional[Dict[str, str]] = None) -> None:
    """Write ``tensors`` (each in its own dtype) to ``path``.

    Layout: u64 little-endian header size N, N bytes of JSON (padded with
    spaces to a multiple of 8), then the tensors' raw little-endian bytes,
    back to back, in sorted-name order.  Output is byte-deterministic.
    """
    if metadata is None:
        metadata = {"format": "pt"}
    header: Dict[str, object] = {"__metadata__": dict(metadata)}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        if t.dtype not in _DTYPE_TO_ST:
            raise ValueError(f"{name}: unsupported dtype {t.dtype}")
        raw = _tensor_bytes(t)
        header[name] = {"dtype": _DTYPE_TO_ST[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    js = json.dumps(header, separators=(",", ":")).encode("utf-8")
    js += b" " * ((-len(js)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for raw in blobs:
            f.write(raw)


def load_safetensors(path: str, with_metadata: bool = False):
    """Read a safetensors file into a dict of CPU tensors (dtypes preserved)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    meta = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        shape = info["shape"]
        st = info["dtype"]
        raw = data[begin:end]
        if st == "BF16":
            arr = np.frombuffer(raw, dtype="<i2").astype(np.int16)
            t = torch.from_numpy(arr.copy()).view(torch.bfloat16)
        else:
            arr = np.frombuffer(raw, dtype=_NP_LE[st])
            t = torch.from_numpy(arr.astype(arr.dtype.newbyteorder("=")).copy())
        expected = int(np.prod(shape)) * t.element_size() if shape else t.element_size()
        if len(raw) != expected:
            raise ValueError(f"{name}: {len(raw)} bytes for shape {shape} {st}")
        out[name] = t.reshape(shape)
    return (out, meta) if with_metadata else out


# --------------------------------------------------------------------------
# independent validation against torchvision
# --------------------------------------------------------------------------


def to_torchvision_state_dict(params: Dict[str, torch.Tensor], cfg: ViTConfig) -> Dict[str, torch.Tensor]:
    """Map HF-named weights onto torchvision VisionTransformer names
    (fused in_proj = cat(query, key, value) along the output dim)."""
    p = canonical(params)
    sd = {
        "class_token": p["vit.embeddings.cls_token"],
        "conv_proj.weight": p["vit.embeddings.patch_embeddings.projection.weight"],
        "conv_proj.bias": p["vit.embeddings.patch_embeddings.projection.bias"],
        "encoder.pos_embedding": p["vit.embeddings.position_embeddings"],
        "encoder.ln.weight": p["vit.layernorm.weight"],
        "encoder.ln.bias": p["vit.layernorm.bias"],
        "heads.head.weight": p["classifier.weight"],
        "heads.head.bias": p["classifier.bias"],
    }
    for i in range(cfg.num_hidden_layers):
        s, t = f"vit.encoder.layer.{i}.", f"encoder.layers.encoder_layer_{i}."
        a = s + "attention.attention."
        sd[t + "ln_1.weight"] = p[s + "layernorm_before.weight"]
        sd[t + "ln_1.bias"] = p[s + "layernorm_before.bias"]
        sd[t + "self_attention.in_proj_weight"] = torch.cat(
            [p[a + "query.weight"], p[a + "key.weight"], p[a + "value.weight"]], dim=0)
        sd[t + "self_attention.in_proj_bias"] = torch.cat(
            [p[a + "query.bias"], p[a + "key.bias"], p[a + "value.bias"]], dim=0)
        sd[t + "self_attention.out_proj.weight"] = p[s + "attention.output.dense.weight"]
        sd[t + "self_attention.out_proj.bias"] = p[s + "attention.output.dense.bias"]
        sd[t + "ln_2.weight"] = p[s + "layernorm_after.weight"]
        sd[t + "ln_2.bias"] = p[s + "layernorm_after.bias"]
        sd[t + "mlp.0.weight"] = p[s + "intermediate.dense.weight"]
        sd[t + "mlp.0.bias"] = p[s + "intermediate.dense.bias"]
        sd[t + "mlp.3.weight"] = p[s + "output.dense.weight"]
        sd[t + "mlp.3.bias"] = p[s + "output.dense.bias"]
    return sd


@torch.no_grad()
def crosscheck_torchvision(params: Dict[str, torch.Tensor], cfg: ViTConfig, pixel_values: torch.Tensor,
                           tol: float = 1e-5) -> Dict[str, float]:
    """Compare this reference with torchvision's VisionTransformer (same weights).

    Only valid for the configurations torchvision can express: class token,
    exact GELU, qkv bias, eps 1e-6, no registers, input at the trained size.
    Runs in float32 (torchvision as shipped) and returns max abs differences.
    """
    from torchvision.models.vision_transformer import VisionTransformer

    assert cfg.use_class_token and cfg.hidden_act == "gelu" and cfg.qkv_bias
    assert cfg.layer_norm_eps == 1e-6 and cfg.num_register_tokens == 0
    tv = VisionTransformer(image_size=cfg.image_size, patch_size=cfg.patch_size,
                           num_layers=cfg.num_hidden_layers, num_heads=cfg.num_attention_heads,
                           hidden_dim=cfg.hidden_size, mlp_dim=cfg.intermediate_size,
                           dropout=0.0, attention_dropout=0.0, num_classes=len(cfg.labels))
    sd = {k: v.float() for k, v in to_torchvision_state_dict(params, cfg).items()}
    missing, unexpected = tv.load_state_dict(sd, strict=True)
    assert not missing and not unexpected
    tv.eval()
    x = pixel_values.float()
    # torchvision's internal pipeline up to the final LayerNorm, class token only
    seq = tv._process_input(x)
    seq = torch.cat([tv.class_token.expand(x.shape[0], -1, -1), seq], dim=1)
    tv_cls = tv.encoder(seq)[:, 0]
    tv_logits = tv(x)

    ours = vit_forward({k: v.float() for k, v in params.items()}, cfg, x)
    d_cls = (ours["last_hidden_state"][:, 0] - tv_cls).abs().max().item()
    d_log = (ours["logits"] - tv_logits).abs().max().item()
    if d_cls > tol or d_log > tol:
        raise AssertionError(f"reference disagrees with torchvision: cls {d_cls:.3g}, logits {d_log:.3g}")
    return {"max_abs_diff_cls": d_cls, "max_abs_diff_logits": d_log}


def _selftest() -> None:
    torch.manual_seed(0)
    cfg = ViTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                    hidden_act="gelu", layer_norm_eps=1e-6, image_size=32, patch_size=8,
                    labels=[f"c{i}" for i in range(5)])
    params = {}
    for name, shape in param_shapes(cfg).items():
        if name.endswith("layernorm_before.weight") or name.endswith("layernorm_after.weight") \
                or name == "vit.layernorm.weight":
            params[name] = 1.0 + 0.1 * torch.randn(shape)
        elif "attention.attention.query.weight" in name or "attention.attention.key.weight" in name:
            params[name] = 0.2 * torch.randn(shape)
        else:
            params[name] = 0.05 * torch.randn(shape)
    x = torch.randn(2, 3, 32, 32)
    res = crosscheck_torchvision(params, cfg, x)
    print(f"torchvision cross-check OK: {res}")
    g = torch.randn(1, 3, 5, 7, dtype=torch.float64)
    for hw in [(9, 11), (3, 4), (5, 7), (10, 14), (2, 8)]:
        a = resample_grid(g, *hw).numpy()
        b = bicubic_resize_numpy(g.numpy(), *hw)
        assert np.abs(a - b).max() < 1e-12, hw
    print("numpy bicubic == torch bicubic (align_corners=False) OK")


if __name__ == "__main__":
    _selftest()
