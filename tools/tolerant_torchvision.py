"""Lets `import torchvision` (which timm does) work against the CPU torch wheel.

torchvision's native ops do not load against that wheel, and its import then fails in
`register_fake("torchvision::nms")` with "operator torchvision::nms does not exist". Importing
this module first wraps `torch.library.register_fake` so that a decorator whose operator does
not exist leaves the function as it is. timm's ResNet needs none of those ops.
"""
import torch

_register_fake = torch.library.register_fake


def _tolerant_register_fake(op, *args, **kwargs):
    decorate = _register_fake(op, *args, **kwargs)

    def apply(fn):
        try:
            return decorate(fn)
        except RuntimeError:
            return fn
    return apply


torch.library.register_fake = _tolerant_register_fake
