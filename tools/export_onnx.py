"""Export a vitstream / Hugging Face ViT checkpoint folder to ONNX.

    /usr/bin/python3 tools/export_onnx.py <checkpoint-folder> <out.onnx> [--height 224 --width 224]
        [--opset 17] [--dtype fp32|bf16|fp16] [--no-check]

The folder holds ``config.json`` (HF ViTConfig) and ``model.safetensors`` in either HF layout
(``vit.``-prefixed ViTForImageClassification keys or bare ViTModel keys); a classifier or a
pooler in the file is ignored. The ONNX graph is the encoder only:

    input  ``pixel_values``       [batch, C, H, W]  fp32 (batch dynamic, H and W fixed at export)
    output ``last_hidden_state``  [batch, T, D]     fp32 (after the final LayerNorm, like HF)

Parameters, config parsing and the safetensors reader come from ``vit_reference.py``. The
embeddings (conv patch embedding, class token, position embeddings, bicubic resampling when H x W
is not the trained size, registers) are ``vit_reference.embed`` itself; the encoder layers are
written with the standard torch ops (``F.layer_norm``, ``F.linear``, ``torch.softmax``,
``F.gelu``), which is what exporting HF's own ``ViTModel`` gives, so ONNX Runtime sees
``LayerNormalization`` nodes and a GELU pattern it can fuse rather than the reference's
hand-written LayerNorm. Before writing, the module is checked against ``vit_reference.vit_forward``
on a seeded input (fp32 only), and the largest difference is printed.

The export is deterministic: same folder and options, byte-identical file (the script prints the
sha256). Exit code 2 means torch is missing (``apt-get install python3-torch``). The ``onnx``
Python package is not needed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import warnings

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - reported to the Java benchmark
    print("export_onnx: torch is not installed for " + sys.executable, file=sys.stderr)
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vit_reference as ref  # noqa: E402

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


class ViTEncoder(torch.nn.Module):
    """The encoder as a module whose weights are buffers (constants in the ONNX graph).

    With a ``dtype`` other than fp32 the embeddings stay fp32 (ONNX ``Conv`` has no bfloat16
    type) and the tokens are cast after them; the output is cast back to fp32, so the graph's
    input and output are fp32 whatever runs inside.
    """

    def __init__(self, params, cfg: ref.ViTConfig, dtype: torch.dtype):
        super().__init__()
        self.cfg = cfg
        self.dtype = dtype
        self.names = sorted(k for k in params if k.startswith("vit."))
        for i, name in enumerate(self.names):
            keep = name.startswith("vit.embeddings.")
            self.register_buffer(f"p{i}", params[name].to(torch.float32 if keep else dtype).contiguous())

    def params(self):
        return {name: getattr(self, f"p{i}") for i, name in enumerate(self.names)}

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        cfg = self.cfg
        p = self.params()
        x = ref.embed(p, cfg, pixel_values)
        if self.dtype != torch.float32:
            x = x.to(self.dtype)
        for i in range(cfg.num_hidden_layers):
            x = self.layer(p, f"vit.encoder.layer.{i}.", x)
        d = cfg.hidden_size
        x = F.layer_norm(x, (d,), p["vit.layernorm.weight"], p["vit.layernorm.bias"], cfg.layer_norm_eps)
        return x if self.dtype == torch.float32 else x.float()

    def layer(self, p, pre: str, x: torch.Tensor) -> torch.Tensor:
        cfg = self.cfg
        d, eps = cfg.hidden_size, cfg.layer_norm_eps
        h = F.layer_norm(x, (d,), p[pre + "layernorm_before.weight"], p[pre + "layernorm_before.bias"], eps)
        x = x + self.attention(p, pre + "attention.", h)
        h = F.layer_norm(x, (d,), p[pre + "layernorm_after.weight"], p[pre + "layernorm_after.bias"], eps)
        h = F.linear(h, p[pre + "intermediate.dense.weight"], p[pre + "intermediate.dense.bias"])
        h = activation(cfg.hidden_act, h)
        return x + F.linear(h, p[pre + "output.dense.weight"], p[pre + "output.dense.bias"])

    def attention(self, p, pre: str, x: torch.Tensor) -> torch.Tensor:
        cfg = self.cfg
        b, t, d = x.shape
        nh, hd = cfg.num_attention_heads, cfg.head_dim

        def proj(which: str) -> torch.Tensor:
            bias = p.get(pre + f"attention.{which}.bias") if cfg.qkv_bias else None
            y = F.linear(x, p[pre + f"attention.{which}.weight"], bias)
            return y.reshape(b, t, nh, hd).transpose(1, 2)

        q, k, v = proj("query"), proj("key"), proj("value")
        probs = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd), dim=-1)
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, d)
        return F.linear(ctx, p[pre + "output.dense.weight"], p[pre + "output.dense.bias"])


def activation(name: str, x: torch.Tensor) -> torch.Tensor:
    if name == "gelu":
        return F.gelu(x)
    if name in ("gelu_new", "gelu_pytorch_tanh"):
        return F.gelu(x, approximate="tanh")
    return ref.activation(name, x)


def load(folder: str):
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    config = config.get("backbone", config)  # vitstream composite configs nest the HF one
    cfg = ref.ViTConfig.from_hf_dict(config)
    params = ref.canonical(ref.load_safetensors(os.path.join(folder, "model.safetensors")))
    params = {k: v.float() for k, v in params.items() if k.startswith("vit.")}
    return cfg, params


def check(module: ViTEncoder, params, cfg, height: int, width: int) -> float:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(2, cfg.num_channels, height, width, generator=gen)
    with torch.no_grad():
        got = module(x)
    want = ref.vit_forward(params, cfg, x, with_classifier=False)["last_hidden_state"]
    return float((got.float() - want).abs().max())


def export(module: ViTEncoder, cfg, out: str, height: int, width: int, opset: int, dtype) -> None:
    # H and W are fixed at export, so the reference's shape checks becoming constants is intended.
    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
    warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")
    dummy = torch.zeros(2, cfg.num_channels, height, width)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".tmp"
    with torch.no_grad():
        torch.onnx.export(module, (dummy,), tmp, input_names=["pixel_values"],
                          output_names=["last_hidden_state"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "last_hidden_state": {0: "batch"}},
                          opset_version=opset, do_constant_folding=True)
    os.replace(tmp, out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder")
    ap.add_argument("out")
    ap.add_argument("--height", type=int, default=None, help="input height (default: the config's image_size)")
    ap.add_argument("--width", type=int, default=None, help="input width (default: the config's image_size)")
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="fp32",
                    help="type of the encoder layers' weights and activations; input, patch embedding and "
                         "output stay fp32 (bf16/fp16 are experiments: ORT 1.21's CPU provider has no "
                         "bfloat16 MatMul, and torch 1.13 cannot trace half precision on CPU)")
    ap.add_argument("--no-check", action="store_true", help="skip the comparison with vit_reference")
    args = ap.parse_args(argv)

    torch.manual_seed(0)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    cfg, params = load(args.folder)
    height = args.height or cfg.image_size
    width = args.width or cfg.image_size
    dtype = DTYPES[args.dtype]
    module = ViTEncoder(params, cfg, dtype).eval()
    if not args.no_check:
        diff = check(module, params, cfg, height, width)
        print(f"export_onnx: module ({args.dtype} inside) vs vit_reference (fp32) max abs diff {diff:.3g}")
        if diff > 1e-3 and dtype == torch.float32:
            print("export_onnx: the export module disagrees with vit_reference", file=sys.stderr)
            return 1
    export(module, cfg, args.out, height, width, args.opset, dtype)
    with open(args.out, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(f"export_onnx: wrote {args.out} ({os.path.getsize(args.out)} bytes, sha256 {digest}), "
          f"torch {torch.__version__}, opset {args.opset}, {args.dtype} layers, input fp32 [batch,{cfg.num_channels},"
          f"{height},{width}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
