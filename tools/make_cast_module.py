"""Writes the TorchScript module vitstream uses to cast tensors to bfloat16.

DJL 0.35.1's PyTorch JNI has no code for bfloat16 (torch ScalarType 15): asking it for a
bfloat16 array (toType, zeros, create) aborts the JVM. Every other op DJL calls without a dtype
argument runs on bfloat16 tensors, so the one missing piece is the cast itself, which this
one-line scripted module provides. TorchScript written by torch 1.13 loads in libtorch 2.7.

Run: /usr/bin/python3 tools/make_cast_module.py
"""
import io
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / \
    "backbone/src/main/resources/io/vitstream/backbone/to_bfloat16.pt"


class ToBfloat16(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)


def main():
    OUT.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    torch.jit.save(torch.jit.script(ToBfloat16()), buf)
    OUT.write_bytes(buf.getvalue())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
