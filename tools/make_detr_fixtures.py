"""Write the DETR-head parity fixtures under heads/src/test/resources/fixtures/.

Run from the repository root:   /usr/bin/python3 tools/make_detr_fixtures.py

Writes
  heads/src/test/resources/fixtures/vit-detr-small/   composite checkpoint folder
      config.json, model.safetensors, preprocessor_config.json, expected.safetensors
  heads/src/test/resources/fixtures/box_ops.safetensors   pure IoU / GIoU fixture

Everything is seeded and single-threaded; rerunning produces byte-identical
files.  Expected values are computed in float64 from the float32 weights /
inputs / targets that are stored, and saved as F32 (I64 for indices/labels).
Losses are 0-d tensors.  See tools/README.md ("DETR head") for every tensor.
"""

from __future__ import annotations

import math
import os
import sys
from typing import Dict, List

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vit_reference as vit  # noqa: E402
import detr_reference as detr  # noqa: E402
from make_vit_fixtures import (MODEL_MEAN, MODEL_STD, init_params as init_vit_params,  # noqa: E402
                               preprocessor_config, print_manifest, write_json)

torch.set_num_threads(1)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "heads", "src", "test", "resources", "fixtures")
FOLDER = os.path.join(FIXTURES, "vit-detr-small")

CLS_LABELS = ["cat", "dog", "bird", "fish", "frog"]
DET_LABELS = ["shirt", "bag", "shoe"]
INPUT_HW = (32, 48)
ORIG_SIZES = [[480, 720], [300, 200]]  # (height, width) per image
POST_THRESHOLD = 0.3

# forward mutations that MUST move logits or boxes by > 1e-3 (the others are reported only)
MUST_DETECT = [
    "dec_no_query_pos_cross", "dec_no_pos_keys", "dec_norm_passed_on", "dec_hf_aux_norm", "pos_swap_xy",
    "pos_blocks", "pos_unnormalized", "pos_half_offset", "pos_col_major", "pos_temperature_20",
    "enc_no_pos", "enc_pos_in_value", "dec_no_query_pos_self", "dec_pos_in_cross_value",
    "dec_tgt_starts_as_query_pos", "dec_no_pred_norm", "pre_norm", "no_q_scaling", "vit_unnormed_tokens",
]
REPORT_ONLY = ["eps_1e-6"]
LOSS_MUTATIONS = ["match_log_prob", "match_real_class_softmax", "match_iou", "match_last_layer_for_all",
                  "ce_unweighted", "ce_plain_mean", "num_boxes_per_image", "l1_xyxy", "loss_iou", "last_layer_only"]


# --------------------------------------------------------------------------
# configuration and weights
# --------------------------------------------------------------------------


def make_configs():
    vcfg = vit.ViTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                         hidden_act="gelu", layer_norm_eps=1e-6, image_size=32, patch_size=8, num_channels=3,
                         qkv_bias=True, labels=CLS_LABELS)
    dcfg = detr.DetrConfig(labels=DET_LABELS, score_threshold=POST_THRESHOLD)
    return vcfg, dcfg


def composite_config(vcfg: vit.ViTConfig, dcfg: detr.DetrConfig) -> dict:
    return {
        "vitstream": 1,
        "backbone": vcfg.to_hf_dict(["ViTModel"]),
        "heads": {
            "classification": {"type": "classification", "num_labels": len(CLS_LABELS),
                               "id2label": {str(i): n for i, n in enumerate(CLS_LABELS)},
                               "pooling": "cls", "use_norm": False, "prefix": "classifier."},
            "detection": dcfg.to_dict(),
        },
    }


def init_head_params(cfg: detr.DetrConfig, backbone_dim: int, seed: int) -> Dict[str, torch.Tensor]:
    """Random float32 head weights drawn in a fixed order from one generator.

      * LayerNorm gamma ~ U(0.9, 1.1), beta ~ U(-0.1, 0.1) (as the ViT fixtures)
      * query_position_embeddings ~ N(0, 1) (HF's nn.Embedding init)
      * q_proj / k_proj weights N(0, 0.3): attention clearly non-uniform
      * input projection, v/out projections, fc1/fc2, bbox MLP: N(0, 0.2)
      * class_labels_classifier weight N(0, 0.4) so scores spread around the threshold
      * last bbox layer weight N(0, 0.5) so boxes spread, some crossing the image border
      * all linear biases N(0, 0.05)
    """
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, shape in detr.head_param_shapes(cfg, backbone_dim).items():
        norm = "layer_norm" in name or "layernorm" in name
        if norm and name.endswith(".weight"):
            t = 0.9 + 0.2 * torch.rand(shape, generator=g)
        elif norm:
            t = -0.1 + 0.2 * torch.rand(shape, generator=g)
        elif "query_position_embeddings" in name:
            t = torch.randn(shape, generator=g)
        elif name.endswith(("q_proj.weight", "k_proj.weight")):
            t = 0.3 * torch.randn(shape, generator=g)
        elif name.startswith("class_labels_classifier") and name.endswith(".weight"):
            t = 0.4 * torch.randn(shape, generator=g)
        elif name.endswith("bbox_predictor.layers.2.weight"):
            t = 0.5 * torch.randn(shape, generator=g)
        elif name.endswith(".weight"):
            t = 0.2 * torch.randn(shape, generator=g)
        else:
            t = 0.05 * torch.randn(shape, generator=g)
        out[name] = t.float()
    return out


def random_targets(g: torch.Generator, n: int, num_labels: int) -> dict:
    """n valid boxes (cx, cy, w, h) fully inside [0, 1], float32-representable."""
    labels = torch.randint(0, num_labels, (n,), generator=g, dtype=torch.int64)
    wh = 0.15 + 0.45 * torch.rand(n, 2, generator=g, dtype=torch.float64)
    c = wh / 2 + (1 - wh) * torch.rand(n, 2, generator=g, dtype=torch.float64)
    boxes = torch.cat([c, wh], 1).float()
    xyxy = detr.cxcywh_to_xyxy(boxes.double())
    assert (xyxy >= 0).all() and (xyxy <= 1).all()
    return {"labels": labels, "boxes": boxes}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def max_diff(a, b) -> float:
    if a.shape != b.shape:
        return math.inf
    if a.numel() == 0:
        return 0.0
    return (a.double() - b.double()).abs().max().item()


def pred_diff(r1, r2) -> float:
    """Max abs diff over every layer's logits and boxes."""
    return max(max(max_diff(a, b) for a, b in zip(r1["layer_logits"], r2["layer_logits"])),
               max(max_diff(a, b) for a, b in zip(r1["layer_pred_boxes"], r2["layer_pred_boxes"])))


def final_diff(r1, r2) -> float:
    return max(max_diff(r1["logits"], r2["logits"]), max_diff(r1["pred_boxes"], r2["pred_boxes"]))


def criterion_tensors(crit, targets, prefix: str) -> Dict[str, torch.Tensor]:
    out = {}
    for b, t in enumerate(targets):
        out[f"{prefix}targets.{b}.labels"] = t["labels"]
        out[f"{prefix}targets.{b}.boxes"] = t["boxes"]
    for i, per_image in enumerate(crit["matches"]):
        for b, (qi, ti, cost) in enumerate(per_image):
            out[f"{prefix}match.{b}.{i}.query"] = qi
            out[f"{prefix}match.{b}.{i}.target"] = ti
            out[f"{prefix}match.{b}.{i}.cost"] = cost.float()
    for i, ls in enumerate(crit["losses"]):
        for k, v in ls.items():
            out[f"{prefix}{k}.{i}"] = v.float().reshape(())
    out[f"{prefix}loss_total"] = crit["loss_total"].float().reshape(())
    out[f"{prefix}num_boxes"] = torch.tensor(crit["num_boxes"], dtype=torch.int64)
    return out


def matching_signature(crit) -> List[List[tuple]]:
    return [[(tuple(q.tolist()), tuple(t.tolist())) for q, t, _ in per] for per in crit["matches"]]


# --------------------------------------------------------------------------
# vit-detr-small
# --------------------------------------------------------------------------


def make_detr(evidence: List[str]) -> None:
    os.makedirs(FOLDER, exist_ok=True)
    vcfg, dcfg = make_configs()
    params = dict(init_vit_params(vcfg, seed=6001))  # vit.* + classifier.* (make_vit_fixtures scaling)
    params.update(init_head_params(dcfg, vcfg.hidden_size, seed=6008))
    write_json(os.path.join(FOLDER, "config.json"), composite_config(vcfg, dcfg))
    write_json(os.path.join(FOLDER, "preprocessor_config.json"),
               preprocessor_config(INPUT_HW[0], INPUT_HW[1], MODEL_MEAN, MODEL_STD))
    vit.save_safetensors(os.path.join(FOLDER, "model.safetensors"), params)

    # round trip: config parses back, weights as stored
    cfg_back = detr.DetrConfig.from_dict(composite_config(vcfg, dcfg)["heads"]["detection"])
    assert cfg_back == dcfg
    loaded = vit.load_safetensors(os.path.join(FOLDER, "model.safetensors"))
    assert set(loaded) == set(params) and all(torch.equal(loaded[k], params[k]) for k in params)
    p64 = {k: v.double() for k, v in loaded.items()}

    x = torch.randn(2, 3, *INPUT_HW, generator=torch.Generator().manual_seed(6003)).float()
    res = detr.composite_forward(p64, vcfg, dcfg, x.double())
    gh, gw = INPUT_HW[0] // vcfg.patch_size, INPUT_HW[1] // vcfg.patch_size

    # float32 run of the same reference: what a float32 implementation should reach
    r32 = detr.composite_forward(loaded, vcfg, dcfg, x)
    evidence.append(f"[vit-detr-small] float32 reference vs stored float64-derived expected: "
                    f"logits/boxes (all layers) {pred_diff(res, r32):.1e}, memory "
                    f"{max_diff(res['memory'], r32['memory']):.1e}, cls_logits "
                    f"{max_diff(res['cls_logits'], r32['cls_logits']):.1e}")
    evidence.append(f"[vit-detr-small] ViT trained at 32x32 (grid 4x4), fed 32x48 (grid {gh}x{gw}): "
                    f"position embeddings bicubic-resampled by vit_reference (image_size as a list is not "
                    f"supported there)")

    # independent cross-checks of the head pieces
    d_pos = np.abs(res["position_embedding"].numpy()
                   - detr.sine_position_embedding_numpy(gh, gw, dcfg.d_model, dcfg.position_temperature)).max()
    assert d_pos < 1e-12
    evidence.append(f"[cross-check] sine embedding vs element-wise re-derivation: {d_pos:.1e}")
    pre = "model.decoder.layers.1.encoder_attn."
    tq = res["decoder_hidden_states"][0]
    d_att = (detr.attention(p64, pre, tq, res["memory"] + res["position_embedding"], res["memory"], 4)
             - detr.manual_attention(p64, pre, tq, res["memory"] + res["position_embedding"], res["memory"], 4)
             ).abs().max().item()
    assert d_att < 1e-12
    evidence.append(f"[cross-check] nn.MultiheadAttention (fused in_proj) vs hand-written attention: {d_att:.1e}")
    st = detr.stock_layer_crosscheck(p64, dcfg, res["memory"], res["decoder_hidden_states"][0])
    assert max(st.values()) < 1e-12
    evidence.append(f"[cross-check] with zero pos/query_pos, layers == torch TransformerEncoderLayer / "
                    f"TransformerDecoderLayer (post-norm): enc {st['encoder_layer']:.1e}, dec {st['decoder_layer']:.1e}")
    d_cls = max_diff(res["cls_logits"], vit.vit_forward(p64, vcfg, x.double())["logits"])
    assert d_cls == 0.0

    # statistics that show the weights are not degenerate
    probs = res["logits"].softmax(-1)
    evidence.append(f"[vit-detr-small] final probs: max real-class prob per query "
                    f"{[round(v, 3) for v in probs[..., :-1].max(-1).values.flatten().tolist()]}")
    pb = res["pred_boxes"]
    evidence.append(f"[vit-detr-small] final boxes: cx,cy in [{pb[..., :2].min():.3f}, {pb[..., :2].max():.3f}], "
                    f"w,h in [{pb[..., 2:].min():.3f}, {pb[..., 2:].max():.3f}]")

    exp = {
        "pixel_values": x,
        "position_embedding": res["position_embedding"].float(),
        "patch_tokens": detr.patch_tokens(res["vit"], vcfg).float(),
        "projected": res["projected"].float(),
        "memory": res["memory"].float(),
        "cls_logits": res["cls_logits"].float(),
        "logits": res["logits"].float(),
        "pred_boxes": res["pred_boxes"].float(),
    }
    for i in range(dcfg.decoder_layers):
        exp[f"layer_logits.{i}"] = res["layer_logits"][i].float()
        exp[f"layer_pred_boxes.{i}"] = res["layer_pred_boxes"][i].float()
        exp[f"decoder_hidden_states.{i}"] = res["decoder_hidden_states"][i].float()

    # ---- targets, matching, losses -----------------------------------------
    g = torch.Generator().manual_seed(6004)
    t0 = random_targets(g, 3, dcfg.num_labels)
    t1_empty = {"labels": torch.zeros(0, dtype=torch.int64), "boxes": torch.zeros(0, 4)}
    t1_b = random_targets(g, 2, dcfg.num_labels)
    target_sets = {"": [t0, t1_empty], "b.": [t0, t1_b]}
    layer_logits = res["layer_logits"]
    layer_boxes = res["layer_pred_boxes"]
    crits = {}
    for prefix, targets in target_sets.items():
        crit = detr.set_criterion(layer_logits, layer_boxes, targets, dcfg)
        crits[prefix] = crit
        exp.update(criterion_tensors(crit, targets, prefix))
        name = prefix or "a."
        # matching robustness: brute-force optimum equals scipy's and is unique by a margin
        gaps = []
        for i, per in enumerate(crit["matches"]):
            for b, (qi, ti, cost) in enumerate(per):
                best, gap, perm = detr.assignment_gap(cost)
                if ti.numel():
                    mine = dict(zip(ti.tolist(), qi.tolist()))
                    assert tuple(mine[j] for j in range(len(perm))) == perm, (name, i, b)
                    assert abs(cost[qi, ti].sum().item() - best) < 1e-12
                    gaps.append(gap)
        evidence.append(f"[{name}targets] num_boxes {crit['num_boxes']}; matching per layer (image 0 | image 1): "
                        + "; ".join(f"L{i}: {[q for q, _ in sig[0:1]][0]}->{[t for _, t in sig[0:1]][0]} | "
                                    f"{sig[1][0]}->{sig[1][1]}"
                                    for i, sig in enumerate(matching_signature(crit))))
        evidence.append(f"[{name}targets] smallest gap between best and 2nd-best assignment cost "
                        f"(brute force over all injective maps): {min(gaps):.4f}")
        assert min(gaps) > 1e-2, "matching too close to a tie for a float32 reimplementation"
        # cross-entropy cross-check against torch's own weighted F.cross_entropy
        for i, per in enumerate(crit["matches"]):
            k = dcfg.num_labels
            tc = torch.full((2, dcfg.num_queries), k, dtype=torch.int64)
            for b, (qi, ti, _) in enumerate(per):
                tc[b, qi] = targets[b]["labels"][ti]
            w = torch.ones(k + 1, dtype=torch.float64)
            w[k] = dcfg.eos_coefficient
            ce = torch.nn.functional.cross_entropy(layer_logits[i].transpose(1, 2), tc, weight=w)
            assert abs(ce.item() - crit["losses"][i]["loss_ce"].item()) < 1e-12
        evidence.append(f"[{name}targets] losses per layer (ce, bbox, giou): "
                        + "; ".join(f"L{i}: {l['loss_ce'].item():.4f}, {l['loss_bbox'].item():.4f}, "
                                    f"{l['loss_giou'].item():.4f}" for i, l in enumerate(crit["losses"]))
                        + f"; total {crit['loss_total'].item():.4f} (loss_ce == F.cross_entropy(weight=...) to 1e-12)")
        # a float32 implementation (float32 forward, float32 criterion) must land on the same matching
        c32 = detr.set_criterion(r32["layer_logits"], r32["layer_pred_boxes"], targets, dcfg)
        assert matching_signature(c32) == matching_signature(crit)
        evidence.append(f"[{name}targets] float32 forward + float32 criterion: same matchings, loss_total off by "
                        f"{abs(c32['loss_total'].item() - crit['loss_total'].item()):.1e}")
        sig = matching_signature(crit)
        if len(set(map(tuple, sig))) < 2:
            evidence.append(f"[{name}targets] WARNING: all layers have the same matching")

    # ---- post-processing ----------------------------------------------------
    orig = torch.tensor(ORIG_SIZES, dtype=torch.int64)
    post = detr.post_process(res["logits"], res["pred_boxes"], orig, POST_THRESHOLD)
    scores_all = res["logits"].softmax(-1)[..., :-1]
    top2 = scores_all.topk(2, dim=-1).values
    margin_thr = (top2[..., 0] - POST_THRESHOLD).abs().min().item()
    margin_arg = (top2[..., 0] - top2[..., 1]).min().item()
    for b, r in enumerate(post):
        exp[f"post.{b}.scores"] = r["scores"].float()
        exp[f"post.{b}.labels"] = r["labels"]
        exp[f"post.{b}.boxes"] = r["boxes"].float()
        exp[f"post.{b}.keep"] = r["keep"]
        evidence.append(f"[post] image {b} ({ORIG_SIZES[b][0]}x{ORIG_SIZES[b][1]}): {len(r['keep'])} of "
                        f"{dcfg.num_queries} queries kept (queries {r['keep'].tolist()}, labels {r['labels'].tolist()})")
        assert 0 < len(r["keep"]) < dcfg.num_queries
    outside = [((r["boxes"] < 0) | (r["boxes"] > torch.tensor([w, h, w, h]))).any(-1).sum().item()
               for r, (h, w) in zip(post, ORIG_SIZES)]
    evidence.append(f"[post] kept boxes reaching outside the image (HF does not clamp): {outside}")
    assert sum(outside) > 0
    post32 = detr.post_process(r32["logits"], r32["pred_boxes"], orig, POST_THRESHOLD)
    assert all(torch.equal(a["keep"], b["keep"]) and torch.equal(a["labels"], b["labels"]) for a, b in zip(post, post32))
    evidence.append(f"[post] float32 forward: same kept queries and labels, boxes off by "
                    f"{max(max_diff(a['boxes'], b['boxes']) for a, b in zip(post, post32)):.1e} px")
    exp["orig_sizes"] = orig
    exp["post_threshold"] = torch.tensor(POST_THRESHOLD, dtype=torch.float32)
    evidence.append(f"[post] threshold {POST_THRESHOLD}: closest score to the threshold is {margin_thr:.4f} away; "
                    f"smallest top1-top2 class-prob gap {margin_arg:.4f}")
    assert margin_thr > 1e-3 and margin_arg > 1e-3
    # what typical mistakes would do to post-processing
    sig = torch.sigmoid(res["logits"][..., :-1]).max(-1).values
    real_soft = res["logits"][..., :-1].softmax(-1).max(-1).values
    evidence.append(f"[post] kept counts with sigmoid scores {[(s > POST_THRESHOLD).sum().item() for s in sig]}, "
                    f"with softmax over real classes only {[(s > POST_THRESHOLD).sum().item() for s in real_soft]}, "
                    f"reference {[len(r['keep']) for r in post]}")
    swapped = detr.post_process(res["logits"], res["pred_boxes"], orig.flip(1), POST_THRESHOLD)
    evidence.append(f"[post] (h, w) swapped in orig_sizes: boxes differ by "
                    f"{max(max_diff(a['boxes'], b['boxes']) for a, b in zip(post, swapped)):.1f} px")

    vit.save_safetensors(os.path.join(FOLDER, "expected.safetensors"), exp)

    # ---- sensitivity of the forward pass -----------------------------------
    for mname in MUST_DETECT + REPORT_ONLY:
        rm = detr.composite_forward(p64, vcfg, dcfg, x.double(), mutations=[mname])
        d_all, d_last = pred_diff(res, rm), final_diff(res, rm)
        d_mem = max_diff(res["memory"], rm["memory"])
        evidence.append(f"[sensitivity] {mname:28s} all-layer logits/boxes {d_all:.3e}, final {d_last:.3e}, "
                        f"memory {d_mem:.3e}   ({detr.MUTATIONS[mname]})")
        if mname in MUST_DETECT:
            assert d_all > 1e-3, f"fixture not sensitive to {mname}: {d_all}"
    # the matching/loss-side mistakes
    for mname in LOSS_MUTATIONS:
        parts = []
        for prefix, targets in target_sets.items():
            cm = detr.set_criterion(layer_logits, layer_boxes, targets, dcfg, mutations=[mname])
            dt = abs(cm["loss_total"].item() - crits[prefix]["loss_total"].item())
            same = matching_signature(cm) == matching_signature(crits[prefix])
            dc = max(max_diff(c1, c2) for per1, per2 in zip(cm["matches"], crits[prefix]["matches"])
                     for (_, _, c1), (_, _, c2) in zip(per1, per2))
            parts.append((prefix or "a.", dt, same, dc))
        evidence.append(f"[sensitivity] {mname:26s} " + ", ".join(
            f"{p}loss_total diff {dt:.3e}, cost diff {dc:.2e}{'' if same else ', matching changes'}"
            for p, dt, same, dc in parts) + f"   ({detr.MUTATIONS[mname]})")
        # a wrong matching cost that happens to give the same matching is still caught by match.*.cost
        assert max(max(dt, dc) for _, dt, _, dc in parts) > 1e-3, mname


# --------------------------------------------------------------------------
# box_ops.safetensors
# --------------------------------------------------------------------------


def make_box_ops(evidence: List[str]) -> None:
    g = torch.Generator().manual_seed(6100)

    def rand_box():
        x0y0 = 0.6 * torch.rand(2, generator=g, dtype=torch.float64)
        wh = 0.05 + 0.35 * torch.rand(2, generator=g, dtype=torch.float64)
        return torch.cat([x0y0, x0y0 + wh])

    a = torch.stack([
        torch.tensor([0.10, 0.10, 0.40, 0.50], dtype=torch.float64),  # a0 (b0 identical, b1 disjoint, b2 inside)
        torch.tensor([0.30, 0.20, 0.30, 0.70], dtype=torch.float64),  # a1 degenerate: zero width, zero area
        torch.tensor([0.60, 0.60, 0.90, 0.95], dtype=torch.float64),  # a2
        rand_box(),
        rand_box(),
        torch.tensor([0.00, 0.00, 1.00, 1.00], dtype=torch.float64),  # a5 whole image: contains every b
    ]).float()
    b = torch.stack([
        torch.tensor([0.10, 0.10, 0.40, 0.50], dtype=torch.float64),  # identical to a0: IoU = GIoU = 1
        torch.tensor([0.70, 0.05, 0.95, 0.30], dtype=torch.float64),  # disjoint from a0: IoU 0, GIoU < 0
        torch.tensor([0.20, 0.30, 0.35, 0.45], dtype=torch.float64),  # inside a0 (and crossed by a1)
        rand_box(),
        torch.tensor([0.40, 0.50, 0.60, 0.60], dtype=torch.float64),  # touches a0 at a corner: IoU 0
    ]).float()
    a64, b64 = a.double(), b.double()
    giou = detr.generalized_box_iou(a64, b64)
    iou = detr.box_iou(a64, b64)[0]
    cx = detr.torchvision_box_crosscheck(a64, b64)
    import torchvision.ops as tvo
    cx32 = {"giou": max_diff(tvo.generalized_box_iou(a, b), giou), "iou": max_diff(tvo.box_iou(a, b), iou)}
    assert max(cx.values()) < 1e-12 and max(cx32.values()) < 1e-6
    evidence.append(f"[box_ops] own IoU/GIoU vs torchvision.ops.box_iou/generalized_box_iou: float64 "
                    f"{max(cx.values()):.1e}, torchvision float32 vs our float64 {max(cx32.values()):.1e}")
    assert giou[0, 0].item() == 1.0 and iou[0, 1].item() == 0.0 and giou[0, 1].item() < 0 and iou[1].abs().max() == 0
    evidence.append(f"[box_ops] giou(a0,b0)={giou[0, 0]:.4f} (identical), giou(a0,b1)={giou[0, 1]:.4f} (disjoint), "
                    f"giou(a0,b2)={giou[0, 2]:.4f} (contained), giou(a0,b4)={giou[0, 4]:.4f} (corner touch), "
                    f"degenerate a1 row IoU all 0, GIoU {[round(v, 4) for v in giou[1].tolist()]}")
    out = {
        "a": a, "b": b, "giou": giou.float(), "iou": iou.float(),
        "a_cxcywh": detr.xyxy_to_cxcywh(a64).float(), "b_cxcywh": detr.xyxy_to_cxcywh(b64).float(),
        "l1_cxcywh": torch.cdist(detr.xyxy_to_cxcywh(a64), detr.xyxy_to_cxcywh(b64), p=1).float(),
        "area_a": detr.box_area(a64).float(), "area_b": detr.box_area(b64).float(),
    }
    vit.save_safetensors(os.path.join(FIXTURES, "box_ops.safetensors"), out)


# --------------------------------------------------------------------------


def main() -> None:
    evidence: List[str] = []
    make_detr(evidence)
    make_box_ops(evidence)
    print("\n".join(evidence))
    print()
    print_manifest(FIXTURES)


if __name__ == "__main__":
    main()
