#!/usr/bin/env python3
"""Draws the app's logos (a white "BT" monogram on an orange rounded square)
into assets/logo.png (320x320) and assets/logo-small.png (128x128), the sizes
Zendesk asks for. Standard library only (zlib + struct); the PNGs are
committed, so this only needs running again to change the artwork:

    python3 zendesk-manifest/make_logos.py
"""

import os
import struct
import zlib

ORANGE = (242, 107, 33)
WHITE = (255, 255, 255)
SAMPLES = 4  # supersampling per axis, for smooth edges

# Geometry on a 320x320 canvas.
CORNER = 60
STROKE = 28


def in_rounded_square(x, y):
    c = CORNER
    cx = min(max(x, c), 320 - c)
    cy = min(max(y, c), 320 - c)
    return (x - cx) ** 2 + (y - cy) ** 2 <= c * c


def in_lobe(x, y, top, bottom, right):
    """A "D" of the B: two bars from the stem to `right`, closed by a half ring."""
    r = (bottom - top) / 2
    cy = top + r
    if 58 <= x <= right and (top <= y <= top + STROKE or bottom - STROKE <= y <= bottom):
        return True
    if x >= right:
        d2 = (x - right) ** 2 + (y - cy) ** 2
        return (r - STROKE) ** 2 <= d2 <= r * r
    return False


def in_monogram(x, y):
    # B: stem plus two lobes sharing the middle bar.
    if 58 <= x <= 58 + STROKE and 80 <= y <= 240:
        return True
    if in_lobe(x, y, 80, 174, 118) or in_lobe(x, y, 146, 240, 126):
        return True
    # T: bar and stem.
    if 190 <= x <= 270 and 80 <= y <= 80 + STROKE:
        return True
    return 216 <= x <= 216 + STROKE and 80 <= y <= 240


def render(size):
    scale = 320 / size
    rows = []
    for py in range(size):
        row = bytearray([0])  # filter type: none
        for px in range(size):
            bg = fg = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) * scale
                    y = (py + (sy + 0.5) / SAMPLES) * scale
                    if in_rounded_square(x, y):
                        bg += 1
                        fg += in_monogram(x, y)
            n = SAMPLES * SAMPLES
            if bg == 0:
                row += bytes(4)
                continue
            t = fg / bg
            rgb = [round(o + (w - o) * t) for o, w in zip(ORANGE, WHITE)]
            row += bytes(rgb + [round(255 * bg / n)])
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(width, height, raw):
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    assets = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets")
    os.makedirs(assets, exist_ok=True)
    for name, size in (("logo.png", 320), ("logo-small.png", 128)):
        path = os.path.join(assets, name)
        with open(path, "wb") as f:
            f.write(render(size))
        print(f"{path}: {size}x{size}, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
