"""Independent PyTorch reference of the DETR-style detection head used by vitstream.

Written from the DETR paper (Carion et al., "End-to-End Object Detection with
Transformers", 2020) and the documented semantics of the original DETR code
and Hugging Face ``DetrForObjectDetection``; no code was copied from either.
The ViT backbone is ``vit_reference`` (imported, not re-implemented).

Like ``vit_reference`` the model is functional: parameters are a plain dict
under the HF checkpoint names, e.g. ``model.input_projection.weight``.  The
optional ``prefix`` of the head config is prepended to every head key.

Head semantics (post-norm transformer, ``normalize_before=False``):

* input: the ViT's final-normed PATCH tokens (class token and registers
  dropped), row-major (y, x) over the gh x gw patch grid, [B, HW, D]
* memory0 = input_projection(tokens): a 1x1 Conv2d on the [B, D, gh, gw] grid
  [model.input_projection.{weight [d, D, 1, 1], bias [d]}]
* pos = 2-D sine embedding of the grid (:func:`sine_position_embedding`) [HW, d]
* encoder layer (``model.encoder.layers.{i}``):
  q = k = src + pos, v = src
  src = self_attn_layer_norm(src + self_attn(q, k, v))
  src = final_layer_norm(src + fc2(act(fc1(src))))
  No final encoder norm: memory = output of the last encoder layer.
* decoder (``model.decoder.layers.{i}``): tgt0 = zeros [B, Q, d],
  query_pos = model.query_position_embeddings.weight [Q, d]
  q = k = tgt + query_pos, v = tgt        -> tgt = self_attn_layer_norm(tgt + SA)
  q = tgt + query_pos, k = memory + pos, v = memory
                                          -> tgt = encoder_attn_layer_norm(tgt + CA)
  tgt = final_layer_norm(tgt + fc2(act(fc1(tgt))))
  Each layer's output goes UNNORMALIZED to the next layer; the shared
  ``model.decoder.layernorm`` is applied to every layer's output only for the
  predictions (original DETR ``return_intermediate``).  HF's decoder with
  ``auxiliary_loss=True`` instead feeds the normed output onward (and norms the
  last one twice); that is NOT what this reference does.
* attention: ``torch.nn.MultiheadAttention`` (batch_first) with
  in_proj_weight = cat(q_proj, k_proj, v_proj), q scaled by head_dim**-0.5
  after the projection (torch does that internally), softmax over keys,
  out_proj.  Heads own contiguous feature blocks (h*Dh .. (h+1)*Dh-1).
* class logits = class_labels_classifier(normed hs) [B, Q, K+1], index K = no object
* boxes = sigmoid(bbox_predictor.layers.2(relu(layers.1(relu(layers.0(hs)))))),
  (cx, cy, w, h) in [0, 1] of the model input.

Training pieces: :func:`match_image` / :func:`hungarian_match` (scipy
``linear_sum_assignment``), :func:`set_criterion` (weighted CE + L1 + GIoU,
summed over every decoder layer), :func:`post_process` (HF
``post_process_object_detection``).  Box utilities (:func:`generalized_box_iou`
and friends) are written out here and cross-checked against torchvision in
:func:`_selftest`.

``mutations`` arguments take names from :data:`MUTATIONS`: deliberately WRONG
variants, only used by ``make_detr_fixtures.py`` to prove that the fixtures
detect those mistakes.  Leave them empty for the reference behaviour.

Run ``/usr/bin/python3 tools/detr_reference.py`` for the self-test.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vit_reference as vit  # noqa: E402

# --------------------------------------------------------------------------
# deliberately wrong variants (for fixture sensitivity checks only)
# --------------------------------------------------------------------------

MUTATIONS = {
    # position embedding
    "pos_swap_xy": "concat(pos_x, pos_y) instead of concat(pos_y, pos_x)",
    "pos_blocks": "sin block then cos block instead of interleaved sin/cos",
    "pos_unnormalized": "normalize=False (raw 1..H / 1..W, no 2*pi scaling)",
    "pos_half_offset": "(k - 0.5) / (n + eps) * scale (Deformable-DETR style offset)",
    "pos_col_major": "pos flattened column-major while memory is row-major",
    "pos_temperature_20": "temperature 20 instead of the configured value",
    # transformer
    "enc_no_pos": "encoder q/k without pos",
    "enc_pos_in_value": "encoder v = src + pos",
    "dec_no_query_pos_self": "decoder self-attention q/k without query_pos",
    "dec_no_query_pos_cross": "decoder cross-attention q without query_pos",
    "dec_no_pos_keys": "decoder cross-attention keys = memory (no pos)",
    "dec_pos_in_cross_value": "decoder cross-attention values = memory + pos",
    "dec_tgt_starts_as_query_pos": "tgt0 = query_pos instead of zeros",
    "dec_norm_passed_on": "layer output normed by model.decoder.layernorm before the next layer",
    "dec_hf_aux_norm": "HF auxiliary_loss=True decoder: norm passed on AND the last output normed twice",
    "dec_no_pred_norm": "predictions from the unnormalized layer outputs",
    "pre_norm": "normalize_before=True layers (norm applied before each sub-block)",
    "eps_1e-6": "LayerNorm eps 1e-6 instead of config layer_norm_eps",
    "no_q_scaling": "attention scores not scaled by head_dim**-0.5",
    "vit_unnormed_tokens": "patch tokens taken before the ViT's final LayerNorm",
    # matcher / criterion
    "match_log_prob": "class cost -log p instead of -p",
    "match_real_class_softmax": "class cost from a softmax over the K real classes only",
    "match_iou": "IoU instead of GIoU in the matching cost",
    "match_last_layer_for_all": "aux layers reuse the last layer's matching",
    "ce_unweighted": "eos_coefficient ignored (all class weights 1)",
    "ce_plain_mean": "weighted NLL summed then divided by B*Q instead of by the weight sum",
    "num_boxes_per_image": "L1/GIoU normalized per image (mean over images) instead of by the batch box count",
    "l1_xyxy": "L1 loss on corner boxes instead of (cx, cy, w, h)",
    "loss_iou": "1 - IoU instead of 1 - GIoU in the loss",
    "last_layer_only": "total loss from the last decoder layer only",
}


def _check_mutations(m: Iterable[str]) -> frozenset:
    m = frozenset(m)
    unknown = m - set(MUTATIONS)
    if unknown:
        raise ValueError(f"unknown mutations {sorted(unknown)}")
    return m


# --------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------


@dataclass
class DetrConfig:
    d_model: int = 32
    num_queries: int = 8
    encoder_layers: int = 1
    decoder_layers: int = 3
    encoder_attention_heads: int = 4
    decoder_attention_heads: int = 4
    encoder_ffn_dim: int = 64
    decoder_ffn_dim: int = 64
    activation_function: str = "relu"
    dropout: float = 0.0
    attention_dropout: float = 0.0
    activation_dropout: float = 0.0
    layer_norm_eps: float = 1e-5
    position_temperature: float = 10000
    labels: List[str] = field(default_factory=lambda: ["shirt", "bag", "shoe"])
    prefix: str = ""
    class_cost: float = 1.0
    bbox_cost: float = 5.0
    giou_cost: float = 2.0
    eos_coefficient: float = 0.1
    bbox_loss_coefficient: float = 5.0
    giou_loss_coefficient: float = 2.0
    auxiliary_loss: bool = True
    score_threshold: float = 0.5  # inference post-processing threshold (HF default 0.5)

    @property
    def num_labels(self) -> int:
        return len(self.labels)

    def to_dict(self) -> dict:
        """The ``heads.detection`` block of our composite config.json."""
        return {
            "type": "detr",
            "d_model": self.d_model,
            "num_queries": self.num_queries,
            "encoder_layers": self.encoder_layers,
            "decoder_layers": self.decoder_layers,
            "encoder_attention_heads": self.encoder_attention_heads,
            "decoder_attention_heads": self.decoder_attention_heads,
            "encoder_ffn_dim": self.encoder_ffn_dim,
            "decoder_ffn_dim": self.decoder_ffn_dim,
            "activation_function": self.activation_function,
            "dropout": self.dropout,
            "attention_dropout": self.attention_dropout,
            "activation_dropout": self.activation_dropout,
            "layer_norm_eps": self.layer_norm_eps,
            "position_temperature": self.position_temperature,
            "num_labels": self.num_labels,
            "id2label": {str(i): n for i, n in enumerate(self.labels)},
            "prefix": self.prefix,
            "class_cost": self.class_cost,
            "bbox_cost": self.bbox_cost,
            "giou_cost": self.giou_cost,
            "eos_coefficient": self.eos_coefficient,
            "bbox_loss_coefficient": self.bbox_loss_coefficient,
            "giou_loss_coefficient": self.giou_loss_coefficient,
            "auxiliary_loss": self.auxiliary_loss,
            "score_threshold": self.score_threshold,
        }

    @staticmethod
    def from_dict(d: dict) -> "DetrConfig":
        if d.get("type") != "detr":
            raise ValueError(f"not a detr head config: type={d.get('type')!r}")
        id2label = d["id2label"]
        labels = [id2label[str(i)] for i in range(d["num_labels"])]
        kw = {k: d[k] for k in DetrConfig.__dataclass_fields__ if k in d and k != "labels"}
        return DetrConfig(labels=labels, **kw)


def head_param_shapes(cfg: DetrConfig, backbone_dim: int) -> Dict[str, tuple]:
    """Every head parameter under its HF DetrForObjectDetection name (with prefix)."""
    d, p = cfg.d_model, cfg.prefix
    s = {
        "model.input_projection.weight": (d, backbone_dim, 1, 1),
        "model.input_projection.bias": (d,),
        "model.query_position_embeddings.weight": (cfg.num_queries, d),
    }

    def attn(pre):
        for w in ("q_proj", "k_proj", "v_proj", "out_proj"):
            s[pre + w + ".weight"] = (d, d)
            s[pre + w + ".bias"] = (d,)

    def norm(pre):
        s[pre + ".weight"] = (d,)
        s[pre + ".bias"] = (d,)

    for i in range(cfg.encoder_layers):
        pre = f"model.encoder.layers.{i}."
        attn(pre + "self_attn.")
        norm(pre + "self_attn_layer_norm")
        s[pre + "fc1.weight"] = (cfg.encoder_ffn_dim, d)
        s[pre + "fc1.bias"] = (cfg.encoder_ffn_dim,)
        s[pre + "fc2.weight"] = (d, cfg.encoder_ffn_dim)
        s[pre + "fc2.bias"] = (d,)
        norm(pre + "final_layer_norm")
    for i in range(cfg.decoder_layers):
        pre = f"model.decoder.layers.{i}."
        attn(pre + "self_attn.")
        norm(pre + "self_attn_layer_norm")
        attn(pre + "encoder_attn.")
        norm(pre + "encoder_attn_layer_norm")
        s[pre + "fc1.weight"] = (cfg.decoder_ffn_dim, d)
        s[pre + "fc1.bias"] = (cfg.decoder_ffn_dim,)
        s[pre + "fc2.weight"] = (d, cfg.decoder_ffn_dim)
        s[pre + "fc2.bias"] = (d,)
        norm(pre + "final_layer_norm")
    norm("model.decoder.layernorm")
    s["class_labels_classifier.weight"] = (cfg.num_labels + 1, d)
    s["class_labels_classifier.bias"] = (cfg.num_labels + 1,)
    s["bbox_predictor.layers.0.weight"] = (d, d)
    s["bbox_predictor.layers.0.bias"] = (d,)
    s["bbox_predictor.layers.1.weight"] = (d, d)
    s["bbox_predictor.layers.1.bias"] = (d,)
    s["bbox_predictor.layers.2.weight"] = (4, d)
    s["bbox_predictor.layers.2.bias"] = (4,)
    return {p + k: v for k, v in s.items()}


# --------------------------------------------------------------------------
# position embedding
# --------------------------------------------------------------------------


def sine_position_embedding(h: int, w: int, d_model: int, temperature: float = 10000.0,
                            dtype=torch.float64, mutations: Iterable[str] = ()) -> torch.Tensor:
    """DETR PositionEmbeddingSine(num_pos_feats=d/2, normalize=True, scale=2*pi)
    for an h x w grid without padding mask.  Returns [h*w, d] in row-major order.

    y_embed[r, c] = r + 1 (cumsum of ones down the rows), x_embed[r, c] = c + 1;
    each is divided by (its last value + 1e-6) and multiplied by 2*pi.
    dim_t[i] = T ** (2 * floor(i / 2) / (d/2)), i = 0 .. d/2 - 1.
    pos_y[..., i] = sin(y_embed / dim_t[i]) for even i, cos(y_embed / dim_t[i]) for odd i
    (built as stack(sin(even), cos(odd)) then flatten = interleaved); same for x.
    pos = concat(pos_y, pos_x) along channels: channels 0..d/2-1 depend on the row only.
    """
    m = _check_mutations(mutations)
    if d_model % 2:
        raise ValueError("d_model must be even")
    npf = d_model // 2
    if "pos_temperature_20" in m:
        temperature = 20.0
    ones = torch.ones(1, h, w, dtype=dtype)
    y_embed = ones.cumsum(1)
    x_embed = ones.cumsum(2)
    if "pos_half_offset" in m:
        y_embed = y_embed - 0.5
        x_embed = x_embed - 0.5
    if "pos_unnormalized" not in m:
        eps, scale = 1e-6, 2 * math.pi
        y_embed = y_embed / (ones.cumsum(1)[:, -1:, :] + eps) * scale
        x_embed = x_embed / (ones.cumsum(2)[:, :, -1:] + eps) * scale
    dim_t = torch.arange(npf, dtype=dtype)
    dim_t = temperature ** (2 * torch.div(dim_t, 2, rounding_mode="floor") / npf)
    pos_x = x_embed[..., None] / dim_t  # [1, h, w, npf]
    pos_y = y_embed[..., None] / dim_t
    if "pos_blocks" in m:
        pos_x = torch.cat((pos_x[..., 0::2].sin(), pos_x[..., 1::2].cos()), dim=3)
        pos_y = torch.cat((pos_y[..., 0::2].sin(), pos_y[..., 1::2].cos()), dim=3)
    else:
        pos_x = torch.stack((pos_x[..., 0::2].sin(), pos_x[..., 1::2].cos()), dim=4).flatten(3)
        pos_y = torch.stack((pos_y[..., 0::2].sin(), pos_y[..., 1::2].cos()), dim=4).flatten(3)
    pos = torch.cat((pos_x, pos_y) if "pos_swap_xy" in m else (pos_y, pos_x), dim=3)[0]  # [h, w, d]
    if "pos_col_major" in m:
        return pos.transpose(0, 1).reshape(h * w, d_model)
    return pos.reshape(h * w, d_model)


def sine_position_embedding_numpy(h: int, w: int, d_model: int, temperature: float = 10000.0) -> np.ndarray:
    """The same embedding written element by element (cross-check only)."""
    npf = d_model // 2
    out = np.zeros((h * w, d_model), dtype=np.float64)
    for r in range(h):
        for c in range(w):
            for axis, (k, n) in enumerate([(r + 1, h), (c + 1, w)]):  # y first, then x
                v = k / (n + 1e-6) * 2 * math.pi
                for i in range(npf):
                    a = v / temperature ** (2 * (i // 2) / npf)
                    out[r * w + c, axis * npf + i] = math.sin(a) if i % 2 == 0 else math.cos(a)
    return out


# --------------------------------------------------------------------------
# transformer pieces
# --------------------------------------------------------------------------


def _mha_module(params, pre: str, d: int, heads: int, dtype, no_q_scaling: bool) -> torch.nn.MultiheadAttention:
    with torch.random.fork_rng(devices=[]):  # module init must not disturb the global RNG
        mha = torch.nn.MultiheadAttention(d, heads, dropout=0.0, bias=True, batch_first=True, dtype=dtype)
    mha.eval()
    qw, qb = params[pre + "q_proj.weight"], params[pre + "q_proj.bias"]
    if no_q_scaling:  # emulate a missing 1/sqrt(head_dim): pre-multiply q by sqrt(head_dim)
        s = math.sqrt(d // heads)
        qw, qb = qw * s, qb * s
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([qw, params[pre + "k_proj.weight"], params[pre + "v_proj.weight"]], 0))
        mha.in_proj_bias.copy_(torch.cat([qb, params[pre + "k_proj.bias"], params[pre + "v_proj.bias"]], 0))
        mha.out_proj.weight.copy_(params[pre + "out_proj.weight"])
        mha.out_proj.bias.copy_(params[pre + "out_proj.bias"])
    return mha


def attention(params, pre: str, q, k, v, heads: int, no_q_scaling: bool = False) -> torch.Tensor:
    """HF DetrAttention semantics via torch.nn.MultiheadAttention; [B, Tq, d]."""
    mha = _mha_module(params, pre, q.shape[-1], heads, q.dtype, no_q_scaling)
    with torch.no_grad():
        out, _ = mha(q, k, v, need_weights=False)
    return out


def _ln(params, pre: str, x, eps: float):
    return F.layer_norm(x, (x.shape[-1],), params[pre + ".weight"], params[pre + ".bias"], eps)


def _ffn(params, pre: str, x, act: str):
    h = F.linear(x, params[pre + "fc1.weight"], params[pre + "fc1.bias"])
    h = vit.activation(act, h)
    return F.linear(h, params[pre + "fc2.weight"], params[pre + "fc2.bias"])


def encoder_layer(params, cfg: DetrConfig, i: int, src, pos, m: frozenset):
    pre = f"{cfg.prefix}model.encoder.layers.{i}."
    eps = 1e-6 if "eps_1e-6" in m else cfg.layer_norm_eps
    heads, nqs = cfg.encoder_attention_heads, "no_q_scaling" in m
    if "pre_norm" in m:
        x = _ln(params, pre + "self_attn_layer_norm", src, eps)
        qk = x + pos
        src = src + attention(params, pre + "self_attn.", qk, qk, x, heads, nqs)
        x = _ln(params, pre + "final_layer_norm", src, eps)
        return src + _ffn(params, pre, x, cfg.activation_function)
    qk = src if "enc_no_pos" in m else src + pos
    v = src + pos if "enc_pos_in_value" in m else src
    src = _ln(params, pre + "self_attn_layer_norm", src + attention(params, pre + "self_attn.", qk, qk, v, heads, nqs), eps)
    src = _ln(params, pre + "final_layer_norm", src + _ffn(params, pre, src, cfg.activation_function), eps)
    return src


def decoder_layer(params, cfg: DetrConfig, i: int, tgt, query_pos, memory, pos, m: frozenset):
    pre = f"{cfg.prefix}model.decoder.layers.{i}."
    eps = 1e-6 if "eps_1e-6" in m else cfg.layer_norm_eps
    heads, nqs = cfg.decoder_attention_heads, "no_q_scaling" in m
    if "pre_norm" in m:
        x = _ln(params, pre + "self_attn_layer_norm", tgt, eps)
        tgt = tgt + attention(params, pre + "self_attn.", x + query_pos, x + query_pos, x, heads, nqs)
        x = _ln(params, pre + "encoder_attn_layer_norm", tgt, eps)
        tgt = tgt + attention(params, pre + "encoder_attn.", x + query_pos, memory + pos, memory, heads, nqs)
        x = _ln(params, pre + "final_layer_norm", tgt, eps)
        return tgt + _ffn(params, pre, x, cfg.activation_function)
    qk = tgt if "dec_no_query_pos_self" in m else tgt + query_pos
    sa = attention(params, pre + "self_attn.", qk, qk, tgt, heads, nqs)
    tgt = _ln(params, pre + "self_attn_layer_norm", tgt + sa, eps)
    q = tgt if "dec_no_query_pos_cross" in m else tgt + query_pos
    k = memory if "dec_no_pos_keys" in m else memory + pos
    v = memory + pos if "dec_pos_in_cross_value" in m else memory
    ca = attention(params, pre + "encoder_attn.", q, k, v, heads, nqs)
    tgt = _ln(params, pre + "encoder_attn_layer_norm", tgt + ca, eps)
    tgt = _ln(params, pre + "final_layer_norm", tgt + _ffn(params, pre, tgt, cfg.activation_function), eps)
    return tgt


def patch_tokens(vit_out: dict, vit_cfg: vit.ViTConfig, mutations: Iterable[str] = ()) -> torch.Tensor:
    """The ViT's final-normed patch tokens [B, HW, D] (class token / registers dropped)."""
    m = _check_mutations(mutations)
    skip = vit_cfg.num_prefix_positions + vit_cfg.num_register_tokens
    x = vit_out["hidden_states"][-1] if "vit_unnormed_tokens" in m else vit_out["last_hidden_state"]
    return x[:, skip:]


@torch.no_grad()
def detr_forward(params: Dict[str, torch.Tensor], cfg: DetrConfig, tokens: torch.Tensor,
                 grid_hw: Tuple[int, int], mutations: Iterable[str] = ()) -> Dict[str, object]:
    """Run the head on patch tokens [B, gh*gw, D] (row-major grid).

    Returns projected [B,HW,d], position_embedding [HW,d], memory [B,HW,d],
    decoder_hidden_states (list of unnormalized layer outputs [B,Q,d]),
    normed_hidden_states (list, what the prediction heads see),
    layer_logits / layer_pred_boxes (lists per decoder layer), logits, pred_boxes.
    """
    m = _check_mutations(mutations)
    p, pre = params, cfg.prefix
    b, n, dim = tokens.shape
    gh, gw = grid_hw
    if n != gh * gw:
        raise ValueError(f"{n} tokens for a {gh}x{gw} grid")
    grid = tokens.transpose(1, 2).reshape(b, dim, gh, gw)
    proj = F.conv2d(grid, p[pre + "model.input_projection.weight"], p[pre + "model.input_projection.bias"])
    memory = proj.flatten(2).transpose(1, 2)  # [B, HW, d] row-major
    projected = memory
    pos = sine_position_embedding(gh, gw, cfg.d_model, cfg.position_temperature, tokens.dtype, m)
    pos_b = pos[None].expand(b, -1, -1)
    for i in range(cfg.encoder_layers):
        memory = encoder_layer(p, cfg, i, memory, pos_b, m)

    query_pos = p[pre + "model.query_position_embeddings.weight"][None].expand(b, -1, -1)
    tgt = query_pos.clone() if "dec_tgt_starts_as_query_pos" in m else torch.zeros_like(query_pos)
    eps = 1e-6 if "eps_1e-6" in m else cfg.layer_norm_eps
    hidden, normed = [], []
    for i in range(cfg.decoder_layers):
        tgt = decoder_layer(p, cfg, i, tgt, query_pos, memory, pos_b, m)
        hidden.append(tgt)
        if "dec_no_pred_norm" in m:
            normed.append(tgt)
        else:
            normed.append(_ln(p, pre + "model.decoder.layernorm", tgt, eps))
        if "dec_norm_passed_on" in m or "dec_hf_aux_norm" in m:
            tgt = normed[-1]
    if "dec_hf_aux_norm" in m:  # HF: after the loop the (already normed) last output is normed again
        normed[-1] = _ln(p, pre + "model.decoder.layernorm", normed[-1], eps)

    logits, boxes = [], []
    for hs in normed:
        logits.append(F.linear(hs, p[pre + "class_labels_classifier.weight"], p[pre + "class_labels_classifier.bias"]))
        x = hs
        for j in range(3):
            x = F.linear(x, p[pre + f"bbox_predictor.layers.{j}.weight"], p[pre + f"bbox_predictor.layers.{j}.bias"])
            if j < 2:
                x = torch.relu(x)
        boxes.append(torch.sigmoid(x))
    return {"projected": projected, "position_embedding": pos, "memory": memory,
            "decoder_hidden_states": hidden, "normed_hidden_states": normed,
            "layer_logits": logits, "layer_pred_boxes": boxes, "logits": logits[-1], "pred_boxes": boxes[-1]}


@torch.no_grad()
def composite_forward(params: Dict[str, torch.Tensor], vit_cfg: vit.ViTConfig, cfg: DetrConfig,
                      pixel_values: torch.Tensor, mutations: Iterable[str] = ()) -> Dict[str, object]:
    """ViT (vit_reference) + classification logits + DETR head on the same pass."""
    m = _check_mutations(mutations)
    vparams = {k: v for k, v in params.items() if k.startswith(("vit.", "classifier."))}
    v = vit.vit_forward(vparams, vit_cfg, pixel_values)
    gh, gw = pixel_values.shape[-2] // vit_cfg.patch_size, pixel_values.shape[-1] // vit_cfg.patch_size
    out = detr_forward(params, cfg, patch_tokens(v, vit_cfg, m), (gh, gw), m)
    out["vit"] = v
    out["cls_logits"] = v.get("logits")
    return out


# --------------------------------------------------------------------------
# boxes
# --------------------------------------------------------------------------


def cxcywh_to_xyxy(b: torch.Tensor) -> torch.Tensor:
    cx, cy, w, h = b.unbind(-1)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=-1)


def xyxy_to_cxcywh(b: torch.Tensor) -> torch.Tensor:
    x0, y0, x1, y1 = b.unbind(-1)
    return torch.stack([(x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0], dim=-1)


def box_area(b: torch.Tensor) -> torch.Tensor:
    return (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])


def box_iou(a: torch.Tensor, b: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Pairwise IoU of xyxy boxes a [N,4], b [M,4]; returns (iou [N,M], union [N,M])."""
    lt = torch.maximum(a[:, None, :2], b[None, :, :2])
    rb = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    return inter / union, union


def generalized_box_iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """GIoU = IoU - (|C| - |A u B|) / |C|, C the smallest enclosing box; [N, M]."""
    iou, union = box_iou(a, b)
    lt = torch.minimum(a[:, None, :2], b[None, :, :2])
    rb = torch.maximum(a[:, None, 2:], b[None, :, 2:])
    wh = (rb - lt).clamp(min=0)
    enclosing = wh[..., 0] * wh[..., 1]
    return iou - (enclosing - union) / enclosing


# --------------------------------------------------------------------------
# matcher
# --------------------------------------------------------------------------


def matching_cost(logits: torch.Tensor, pred_boxes: torch.Tensor, labels: torch.Tensor, boxes: torch.Tensor,
                  cfg: DetrConfig, mutations: Iterable[str] = ()) -> torch.Tensor:
    """Cost [Q, T] of one image: class_cost * -softmax(logits)[:, label]
    + bbox_cost * L1(cxcywh) + giou_cost * -GIoU(xyxy).  Softmax over all K+1."""
    m = _check_mutations(mutations)
    if "match_real_class_softmax" in m:
        prob = logits[:, :-1].softmax(-1)
    else:
        prob = logits.softmax(-1)
    cost_class = -prob[:, labels]
    if "match_log_prob" in m:
        cost_class = -prob[:, labels].log()
    cost_bbox = torch.cdist(pred_boxes, boxes.to(pred_boxes.dtype), p=1)
    a, t = cxcywh_to_xyxy(pred_boxes), cxcywh_to_xyxy(boxes.to(pred_boxes.dtype))
    overlap = box_iou(a, t)[0] if "match_iou" in m else generalized_box_iou(a, t)
    return cfg.bbox_cost * cost_bbox + cfg.class_cost * cost_class + cfg.giou_cost * -overlap


def match_image(logits, pred_boxes, labels, boxes, cfg: DetrConfig, mutations: Iterable[str] = ()):
    """Hungarian matching of one image: (query_idx, target_idx) I64 tensors sorted
    by query index, and the cost matrix.  No targets -> two empty tensors."""
    cost = matching_cost(logits, pred_boxes, labels, boxes, cfg, mutations)
    if labels.numel() == 0:
        e = torch.zeros(0, dtype=torch.int64)
        return e, e.clone(), cost
    rows, cols = linear_sum_assignment(cost.numpy())
    order = np.argsort(rows, kind="stable")
    return (torch.as_tensor(rows[order], dtype=torch.int64), torch.as_tensor(cols[order], dtype=torch.int64), cost)


def hungarian_match(logits, pred_boxes, targets: Sequence[dict], cfg: DetrConfig, mutations: Iterable[str] = ()):
    """Per image of one decoder layer: list of (query_idx, target_idx, cost)."""
    return [match_image(logits[b], pred_boxes[b], t["labels"], t["boxes"], cfg, mutations)
            for b, t in enumerate(targets)]


def assignment_gap(cost: torch.Tensor) -> Tuple[float, float, Tuple[int, ...]]:
    """Brute force over all injective target->query maps: (best cost, gap to the
    second best, best queries per target).  For tiny problems only."""
    q, t = cost.shape
    if t == 0:
        return 0.0, math.inf, ()
    c = cost.numpy()
    scores = sorted((sum(c[perm[j], j] for j in range(t)), perm)
                    for perm in itertools.permutations(range(q), t))
    gap = scores[1][0] - scores[0][0] if len(scores) > 1 else math.inf
    return scores[0][0], gap, scores[0][1]


# --------------------------------------------------------------------------
# criterion
# --------------------------------------------------------------------------


def layer_losses(logits, pred_boxes, targets: Sequence[dict], matches, cfg: DetrConfig,
                 num_boxes: float, mutations: Iterable[str] = ()) -> Dict[str, torch.Tensor]:
    """loss_ce, loss_bbox, loss_giou of one decoder layer, given its matching."""
    m = _check_mutations(mutations)
    b, q, k1 = logits.shape
    k = k1 - 1
    target_classes = torch.full((b, q), k, dtype=torch.int64)
    for i, (qi, ti, _) in enumerate(matches):
        target_classes[i, qi] = targets[i]["labels"][ti]
    weight = torch.ones(k1, dtype=logits.dtype)
    if "ce_unweighted" not in m:
        weight[k] = cfg.eos_coefficient
    logp = torch.log_softmax(logits, dim=-1).reshape(b * q, k1)
    tc = target_classes.reshape(-1)
    w = weight[tc]
    nll = -logp[torch.arange(b * q), tc]
    loss_ce = (w * nll).sum() / (float(b * q) if "ce_plain_mean" in m else w.sum())

    src = torch.cat([pred_boxes[i, qi] for i, (qi, _, _) in enumerate(matches)], 0)
    tgt = torch.cat([targets[i]["boxes"][ti].to(logits.dtype) for i, (_, ti, _) in enumerate(matches)], 0)
    if "l1_xyxy" in m:
        l1 = (cxcywh_to_xyxy(src) - cxcywh_to_xyxy(tgt)).abs().sum(-1)
    else:
        l1 = (src - tgt).abs().sum(-1)
    if src.shape[0]:
        a, t = cxcywh_to_xyxy(src), cxcywh_to_xyxy(tgt)
        ov = (box_iou(a, t)[0] if "loss_iou" in m else generalized_box_iou(a, t)).diagonal()
    else:
        ov = torch.zeros(0, dtype=logits.dtype)
    if "num_boxes_per_image" in m:
        sizes = [len(qi) for qi, _, _ in matches]
        parts_l1 = l1.split(sizes)
        parts_ov = (1 - ov).split(sizes)
        nb = [max(s, 1) for s in sizes]
        loss_bbox = sum(pp.sum() / n for pp, n in zip(parts_l1, nb)) / b
        loss_giou = sum(pp.sum() / n for pp, n in zip(parts_ov, nb)) / b
    else:
        loss_bbox = l1.sum() / num_boxes
        loss_giou = (1 - ov).sum() / num_boxes
    return {"loss_ce": loss_ce, "loss_bbox": loss_bbox, "loss_giou": loss_giou}


def set_criterion(layer_logits: Sequence[torch.Tensor], layer_boxes: Sequence[torch.Tensor],
                  targets: Sequence[dict], cfg: DetrConfig, mutations: Iterable[str] = ()) -> Dict[str, object]:
    """DETR SetCriterion over every decoder layer (aux + last).

    Returns ``matches`` (per layer, per image: (query_idx, target_idx, cost)),
    ``losses`` (per layer dict of 0-d tensors) and ``loss_total`` (0-d).
    num_boxes = max(total target boxes in the batch, 1), shared by all layers.
    """
    m = _check_mutations(mutations)
    num_boxes = max(sum(int(t["labels"].numel()) for t in targets), 1)
    n = len(layer_logits)
    matches = [hungarian_match(layer_logits[i], layer_boxes[i], targets, cfg, m) for i in range(n)]
    if "match_last_layer_for_all" in m:
        matches = [matches[-1]] * n
    losses = [layer_losses(layer_logits[i], layer_boxes[i], targets, matches[i], cfg, num_boxes, m)
              for i in range(n)]
    layers = [n - 1] if "last_layer_only" in m else range(n)
    total = sum(losses[i]["loss_ce"] + cfg.bbox_loss_coefficient * losses[i]["loss_bbox"]
                + cfg.giou_loss_coefficient * losses[i]["loss_giou"] for i in layers)
    return {"matches": matches, "losses": losses, "loss_total": total, "num_boxes": num_boxes}


# --------------------------------------------------------------------------
# post-processing
# --------------------------------------------------------------------------


def post_process(logits: torch.Tensor, pred_boxes: torch.Tensor, orig_sizes: torch.Tensor,
                 threshold: float) -> List[Dict[str, torch.Tensor]]:
    """HF DetrImageProcessor.post_process_object_detection.

    probs = softmax over all K+1 classes, then the no-object column is dropped;
    score, label = max / argmax over the K real classes (first index on ties);
    boxes = cxcywh -> xyxy times (w, h, w, h) of orig_sizes[b] = (height, width),
    no clamping; keep score > threshold (strict), in query order.
    """
    prob = logits.softmax(-1)[..., :-1]
    scores, labels = prob.max(-1)
    boxes = cxcywh_to_xyxy(pred_boxes)
    img_h, img_w = orig_sizes.unbind(1)
    scale = torch.stack([img_w, img_h, img_w, img_h], dim=1).to(boxes.dtype)
    boxes = boxes * scale[:, None, :]
    out = []
    for s, l, bx in zip(scores, labels, boxes):
        keep = s > threshold
        out.append({"scores": s[keep], "labels": l[keep], "boxes": bx[keep], "keep": keep.nonzero()[:, 0]})
    return out


# --------------------------------------------------------------------------
# self-test
# --------------------------------------------------------------------------


def stock_layer_crosscheck(params, cfg: DetrConfig, memory_in: torch.Tensor, tgt_in: torch.Tensor) -> Dict[str, float]:
    """With pos = query_pos = 0 the post-norm DETR layers are exactly torch's stock
    TransformerEncoderLayer / TransformerDecoderLayer (norm_first=False).  Compare
    encoder layer 0 and decoder layer 0 against them (float64); returns max diffs."""
    pre = cfg.prefix
    d = cfg.d_model
    with torch.random.fork_rng(devices=[]):
        enc = torch.nn.TransformerEncoderLayer(d, cfg.encoder_attention_heads, cfg.encoder_ffn_dim, dropout=0.0,
                                               activation="relu", layer_norm_eps=cfg.layer_norm_eps,
                                               batch_first=True, norm_first=False, dtype=torch.float64)
        dec = torch.nn.TransformerDecoderLayer(d, cfg.decoder_attention_heads, cfg.decoder_ffn_dim, dropout=0.0,
                                               activation="relu", layer_norm_eps=cfg.layer_norm_eps,
                                               batch_first=True, norm_first=False, dtype=torch.float64)
    e, dd = f"{pre}model.encoder.layers.0.", f"{pre}model.decoder.layers.0."

    def load_attn(mod, p):
        mod.in_proj_weight.copy_(torch.cat([params[p + "q_proj.weight"], params[p + "k_proj.weight"],
                                            params[p + "v_proj.weight"]], 0))
        mod.in_proj_bias.copy_(torch.cat([params[p + "q_proj.bias"], params[p + "k_proj.bias"],
                                          params[p + "v_proj.bias"]], 0))
        mod.out_proj.weight.copy_(params[p + "out_proj.weight"])
        mod.out_proj.bias.copy_(params[p + "out_proj.bias"])

    with torch.no_grad():
        load_attn(enc.self_attn, e + "self_attn.")
        enc.linear1.weight.copy_(params[e + "fc1.weight"]); enc.linear1.bias.copy_(params[e + "fc1.bias"])
        enc.linear2.weight.copy_(params[e + "fc2.weight"]); enc.linear2.bias.copy_(params[e + "fc2.bias"])
        for tn, on in [("norm1", "self_attn_layer_norm"), ("norm2", "final_layer_norm")]:
            getattr(enc, tn).weight.copy_(params[e + on + ".weight"]); getattr(enc, tn).bias.copy_(params[e + on + ".bias"])
        load_attn(dec.self_attn, dd + "self_attn.")
        load_attn(dec.multihead_attn, dd + "encoder_attn.")
        dec.linear1.weight.copy_(params[dd + "fc1.weight"]); dec.linear1.bias.copy_(params[dd + "fc1.bias"])
        dec.linear2.weight.copy_(params[dd + "fc2.weight"]); dec.linear2.bias.copy_(params[dd + "fc2.bias"])
        for tn, on in [("norm1", "self_attn_layer_norm"), ("norm2", "encoder_attn_layer_norm"),
                       ("norm3", "final_layer_norm")]:
            getattr(dec, tn).weight.copy_(params[dd + on + ".weight"]); getattr(dec, tn).bias.copy_(params[dd + on + ".bias"])
        enc.eval(); dec.eval()
        zp = torch.zeros_like(memory_in)
        zq = torch.zeros_like(tgt_in)
        ours_e = encoder_layer(params, cfg, 0, memory_in, zp, frozenset())
        ours_d = decoder_layer(params, cfg, 0, tgt_in, zq, memory_in, zp, frozenset())
        # (the stock encoder layer's fast path needs no grad + eval; result is the same math)
        theirs_e = enc(memory_in)
        theirs_d = dec(tgt_in, memory_in)
    return {"encoder_layer": (ours_e - theirs_e).abs().max().item(),
            "decoder_layer": (ours_d - theirs_d).abs().max().item()}


def manual_attention(params, pre: str, q, k, v, heads: int) -> torch.Tensor:
    """Hand-written multi-head attention (cross-check of the nn.MultiheadAttention loading)."""
    b, tq, d = q.shape
    hd = d // heads

    def split(x, w):
        y = F.linear(x, params[pre + w + ".weight"], params[pre + w + ".bias"])
        return y.reshape(b, -1, heads, hd).transpose(1, 2)

    qh = split(q, "q_proj") * hd ** -0.5
    kh, vh = split(k, "k_proj"), split(v, "v_proj")
    att = torch.softmax(qh @ kh.transpose(-1, -2), dim=-1)
    ctx = (att @ vh).transpose(1, 2).reshape(b, tq, d)
    return F.linear(ctx, params[pre + "out_proj.weight"], params[pre + "out_proj.bias"])


def torchvision_box_crosscheck(a: torch.Tensor, b: torch.Tensor) -> Dict[str, float]:
    import torchvision.ops as tvo
    return {"giou": (generalized_box_iou(a, b) - tvo.generalized_box_iou(a, b)).abs().max().item(),
            "iou": (box_iou(a, b)[0] - tvo.box_iou(a, b)).abs().max().item()}


def _selftest() -> None:
    g = torch.Generator().manual_seed(0)
    cfg = DetrConfig()
    params = {k: (0.2 * torch.randn(s, generator=g, dtype=torch.float64)) for k, s in head_param_shapes(cfg, 32).items()}
    for k in params:
        if "layer_norm" in k or "layernorm" in k:
            params[k] = (1.0 if k.endswith("weight") else 0.0) + 0.1 * torch.randn(params[k].shape, generator=g,
                                                                                 dtype=torch.float64)
    pos = sine_position_embedding(4, 6, 32)
    d_pos = np.abs(pos.numpy() - sine_position_embedding_numpy(4, 6, 32)).max()
    assert d_pos < 1e-12, d_pos
    print(f"sine embedding: tensor form == element-wise form ({d_pos:.1e})")
    mem = torch.randn(2, 24, 32, generator=g, dtype=torch.float64)
    tgt = torch.randn(2, 8, 32, generator=g, dtype=torch.float64)
    d = (attention(params, "model.decoder.layers.1.encoder_attn.", tgt, mem + 1, mem, 4)
         - manual_attention(params, "model.decoder.layers.1.encoder_attn.", tgt, mem + 1, mem, 4)).abs().max().item()
    assert d < 1e-12, d
    print(f"nn.MultiheadAttention == hand-written attention ({d:.1e})")
    r = stock_layer_crosscheck(params, cfg, mem, tgt)
    assert max(r.values()) < 1e-12, r
    print(f"post-norm layers == torch TransformerEncoderLayer/DecoderLayer with zero pos: {r}")
    a = cxcywh_to_xyxy(torch.rand(7, 4, generator=g, dtype=torch.float64) * 0.5 + 0.1)
    b = cxcywh_to_xyxy(torch.rand(5, 4, generator=g, dtype=torch.float64) * 0.5 + 0.1)
    r = torchvision_box_crosscheck(a, b)
    assert max(r.values()) < 1e-12, r
    print(f"box_iou / generalized_box_iou == torchvision.ops: {r}")


if __name__ == "__main__":
    _selftest()
