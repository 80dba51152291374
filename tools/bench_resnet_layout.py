"""ResNet-50 features (timm, random weights) at 800x1066 in PyTorch itself: NCHW against
channels-last input, fp32 and bf16, median ms of a few runs on 2 threads. The reference for
vitstream's Ops.channelsLast (docs/benchmarks.md, "Other backbones").

    /tmp/bench15-venv/bin/python tools/bench_resnet_layout.py [--runs 5]

Needs the transformers/timm venv of tools/README.md (the torchvision workaround is below).
"""
import argparse
import time

import torch

import tolerant_torchvision  # noqa: E402,F401  (before timm: torchvision's ops do not load here)

import timm  # noqa: E402


def median_ms(model, x, runs):
    with torch.inference_mode():
        model(x)
        model(x)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2] * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = timm.create_model("resnet50", pretrained=False, features_only=True, out_indices=(4,)).eval()
    x = torch.randn(1, 3, 800, 1066)
    print(f"torch {torch.__version__}, {a.threads} threads, ResNet-50 features, 1x3x800x1066, median of {a.runs}")
    print("| precision | layout | ms |")
    print("|---|---|---:|")
    for name, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16)):
        m = model.to(dtype)
        xd = x.to(dtype)
        print(f"| {name} | NCHW | {median_ms(m, xd, a.runs):.0f} |")
        cl = xd.contiguous(memory_format=torch.channels_last)
        print(f"| {name} | channels-last input | {median_ms(m, cl, a.runs):.0f} |")


if __name__ == "__main__":
    main()
