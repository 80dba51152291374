#!/usr/bin/python3
"""CMYK JPEG fixture for the Java decoder tests (backbone ColourJpegTest).

Writes backbone/src/test/resources/fixtures/cmyk/:
  cmyk.jpg  64x16 CMYK JPEG as PIL writes it (libjpeg: Adobe APP14 marker, inverted inks),
            four flat 16x16 patches: cyan, magenta, yellow with 25% black, 50% black
  cmyk.rgb  PIL's Image.open(...).convert("RGB") of it, 64*16*3 bytes row-major, the reference

Run with Debian's interpreter (apt-get install python3-pil): /usr/bin/python3 tools/make_cmyk_fixtures.py
"""
import os

from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "backbone", "src", "test", "resources", "fixtures", "cmyk")
PATCHES = [(255, 0, 0, 0), (0, 255, 0, 0), (0, 0, 255, 64), (0, 0, 0, 128)]


def main():
    img = Image.new("CMYK", (16 * len(PATCHES), 16))
    for i, ink in enumerate(PATCHES):
        img.paste(ink, (16 * i, 0, 16 * (i + 1), 16))
    os.makedirs(OUT, exist_ok=True)
    jpg = os.path.join(OUT, "cmyk.jpg")
    img.save(jpg, quality=95, subsampling=0)
    decoded = Image.open(jpg)
    assert decoded.mode == "CMYK", decoded.mode
    rgb = decoded.convert("RGB")
    with open(os.path.join(OUT, "cmyk.rgb"), "wb") as f:
        f.write(rgb.tobytes())
    for i in range(len(PATCHES)):
        print(PATCHES[i], "->", rgb.getpixel((16 * i + 8, 8)))


if __name__ == "__main__":
    main()
