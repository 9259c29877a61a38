#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Writes a synthetic 8-bit BGR "camera frame" as a PNG (standard library only).

Usage: contrib/sample-image.py OUT.png [WIDTH HEIGHT]

The frame has smooth gradients, hard-edged shapes and a little deterministic
texture, so blur, edge and threshold pipelines all show something. The same
arguments always give the same bytes.
"""
import struct
import sys
import zlib


def pixel(x, y, w, h):
    # Sky-to-ground gradient.
    b = 255 - (200 * y) // h
    g = 80 + (120 * y) // h
    r = 40 + (100 * x) // w
    # A bright disc and a dark rectangle with hard edges.
    cx, cy, rad = w // 3, h // 3, min(w, h) // 6
    if (x - cx) ** 2 + (y - cy) ** 2 <= rad * rad:
        b, g, r = 40, 220, 250
    if w // 2 <= x < (w * 5) // 6 and h // 2 <= y < (h * 5) // 6:
        b, g, r = 30, 30, 60
    # Deterministic texture (a small integer hash), ±8.
    t = ((x * 73856093) ^ (y * 19349663)) & 15
    return tuple(max(0, min(255, c + t - 8)) for c in (b, g, r))


def png_bytes(w, h):
    rows = bytearray()
    for y in range(h):
        rows.append(0)  # filter: none
        for x in range(w):
            b, g, r = pixel(x, y, w, h)
            rows += bytes((r, g, b))  # PNG stores RGB; imread gives BGR back
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")


def main(argv):
    if len(argv) not in (2, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    w, h = (int(argv[2]), int(argv[3])) if len(argv) == 4 else (640, 360)
    if not (1 <= w <= 4096 and 1 <= h <= 4096):
        print("sample-image.py: width and height must be in 1..4096", file=sys.stderr)
        return 2
    with open(argv[1], "wb") as f:
        f.write(png_bytes(w, h))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
