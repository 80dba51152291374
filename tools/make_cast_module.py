"""Writes the TorchScript modules vitstream uses on bfloat16 tensors: the cast to bfloat16, and
softmax over the last axis.

DJL 0.35.1's PyTorch JNI has no code for bfloat16 (torch ScalarType 15): asking it for a
bfloat16 array (toType, zeros, create) aborts the JVM. Every other op DJL calls without a dtype
argument runs on bfloat16 tensors, so the one missing piece is the cast itself, which this
one-line scripted module provides. DJL's softmax passes a dtype too, so bfloat16 softmax had to
be composed of max, sub, exp, sum and div, five passes over the attention scores with bfloat16
intermediates; PyTorch's own softmax kernel does it in one, accumulating in fp32. TorchScript
written by torch 1.13 loads in libtorch 2.7.

Run: /usr/bin/python3 tools/make_cast_module.py
"""
import io
import pathlib

import torch

DIR = pathlib.Path(__file__).resolve().parent.parent / "backbone/src/main/resources/io/vitstream/backbone"


class ToBfloat16(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)


class SoftmaxLast(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(x, -1)


def write(module: torch.nn.Module, name: str):
    out = DIR / name
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    torch.jit.save(torch.jit.script(module), buf)
    out.write_bytes(buf.getvalue())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


def main():
    write(ToBfloat16(), "to_bfloat16.pt")
    write(SoftmaxLast(), "softmax_last.pt")


if __name__ == "__main__":
    main()
