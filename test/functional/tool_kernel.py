#!/usr/bin/env python3
"""hpips-kernel runs light-op pipelines on PNG files and rejects every bad
input with exit status 2 and a single line on stderr.

PNGs are written and read here with the standard library only (zlib +
struct), so the test needs no image package."""
import argparse
import os
import struct
import subprocess
import sys
import tempfile
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLOR_GRAY = 0
COLOR_RGB = 2


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png(path, width, height, channels, pixels, bit_depth=8):
    """pixels: bytes, rows top to bottom, RGB order for 3 channels."""
    color = COLOR_GRAY if channels == 1 else COLOR_RGB
    bytes_per_sample = bit_depth // 8
    row_len = width * channels * bytes_per_sample
    raw = b"".join(b"\x00" + pixels[y * row_len:(y + 1) * row_len] for y in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(PNG_SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path):
    """Returns (width, height, channels, pixels) of an 8-bit gray/RGB PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    pos = 8
    idat = b""
    width = height = channels = None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0, (depth, interlace)
            channels = {COLOR_GRAY: 1, COLOR_RGB: 3}[color]
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
    out = bytearray()
    prev = bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = prev[i]
            upleft = prev[i - channels] if i >= channels else 0
            pred = (0, left, up, (left + up) // 2, paeth(left, up, upleft))[ftype]
            line[i] = (line[i] + pred) & 0xFF
        out += line
        prev = line
    return width, height, channels, bytes(out)


class Runner:
    def __init__(self, bindir, tmp):
        self.tool = os.path.join(bindir, "hpips-kernel")
        self.tmp = tmp
        self.passed = 0

    def run(self, *args):
        return subprocess.run([self.tool, *args], capture_output=True, text=True, timeout=120)

    def ok(self, name, inp, pipeline, want_shape, extra=()):
        out = os.path.join(self.tmp, "out_" + name + ".png")
        res = self.run(inp, out, "--pipeline", pipeline, *extra)
        assert res.returncode == 0, (pipeline, res.returncode, res.stderr)
        assert res.stderr == "", res.stderr
        shape = read_png(out)[:3]
        assert shape == want_shape, (pipeline, shape, want_shape)
        self.passed += 1
        return out

    def fails(self, why, *args):
        res = self.run(*args)
        assert res.returncode == 2, (why, args, res.returncode, res.stderr)
        lines = res.stderr.splitlines()
        assert len(lines) == 1, (why, res.stderr)
        assert lines[0].startswith("hpips-kernel: error:"), (why, lines[0])
        assert res.stdout == "", (why, res.stdout)
        self.passed += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bindir", required=True)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r = Runner(opts.bindir, tmp)
        w, h = 37, 23
        rgb = bytes(((x * 7 + y * 13 + c * 50) * 31) & 0xFF for y in range(h) for x in range(w) for c in range(3))
        gray = bytes((x * 9 + y * 5) & 0xFF for y in range(h) for x in range(w))
        rgb_png = os.path.join(tmp, "rgb.png")
        gray_png = os.path.join(tmp, "gray.png")
        write_png(rgb_png, w, h, 3, rgb)
        write_png(gray_png, w, h, 1, gray)

        # Help.
        res = r.run("--help")
        assert res.returncode == 0 and "Usage" in res.stdout, res

        # Valid pipelines: shapes follow the ops.
        r.ok("gray", rgb_png, "gray", (w, h, 1))
        r.ok("gauss", rgb_png, "gauss:5:0", (w, h, 3))
        r.ok("resize_up", gray_png, "resize:80:41", (80, 41, 1))
        r.ok("resize_down", rgb_png, "resize:5:3", (5, 3, 3))
        r.ok("all", rgb_png, "gauss:7:1500,gray,sobelmag,threshold:30:255:binary,dilate:3,erode:5,box:3,resize:9:9",
             (9, 9, 1))
        r.ok("morph", gray_png, "erode:15,dilate:15", (w, h, 1))

        # Identity-like pipeline keeps the pixels (threshold at 255 in trunc
        # mode changes nothing); checks the RGB <-> BGR round trip.
        out = r.ok("trunc", rgb_png, "threshold:255:0:trunc", (w, h, 3))
        assert read_png(out)[3] == rgb, "trunc:255 must keep every byte"
        # Binary threshold on gray: exact expected bytes.
        out = r.ok("binary", gray_png, "threshold:100:200:binary", (w, h, 1))
        assert read_png(out)[3] == bytes(200 if v > 100 else 0 for v in gray)

        # Thread count never changes the result.
        a = r.ok("t1", rgb_png, "gauss:9:2000,box:5,resize:50:30", (50, 30, 3), ("--threads", "1"))
        b = r.ok("t2", rgb_png, "gauss:9:2000,box:5,resize:50:30", (50, 30, 3), ("--threads=3",))
        assert read_png(a)[3] == read_png(b)[3]

        # Bad input: exit 2, one line on stderr.
        out = os.path.join(tmp, "bad_out.png")
        r.fails("unknown op", rgb_png, out, "--pipeline", "blur:3")
        r.fails("bad param", rgb_png, out, "--pipeline", "gauss:4:0")
        r.fails("out of range", rgb_png, out, "--pipeline", "resize:0:10")
        r.fails("signed param", rgb_png, out, "--pipeline", "box:+3")
        r.fails("empty pipeline", rgb_png, out, "--pipeline", "")
        r.fails("too many ops", rgb_png, out, "--pipeline", ",".join(["box:3"] * 17))
        r.fails("gray on gray", gray_png, out, "--pipeline", "gray")
        r.fails("missing file", os.path.join(tmp, "nope.png"), out, "--pipeline", "gray")
        garbage = os.path.join(tmp, "garbage.png")
        with open(garbage, "wb") as f:
            f.write(PNG_SIGNATURE + b"this is not a png at all" * 10)
        r.fails("garbage file", garbage, out, "--pipeline", "gray")
        empty = os.path.join(tmp, "empty.png")
        open(empty, "wb").close()
        r.fails("empty file", empty, out, "--pipeline", "gray")
        deep = os.path.join(tmp, "deep.png")
        write_png(deep, 4, 4, 1, bytes(32), bit_depth=16)
        r.fails("16-bit input", deep, out, "--pipeline", "box:3")
        r.fails("unwritable output", rgb_png, os.path.join(tmp, "no", "such", "dir.png"), "--pipeline", "gray")
        r.fails("unknown extension", rgb_png, os.path.join(tmp, "out.nosuchformat"), "--pipeline", "gray")
        r.fails("no pipeline", rgb_png, out)
        r.fails("no output", rgb_png, "--pipeline", "gray")
        r.fails("bad threads", rgb_png, out, "--pipeline", "gray", "--threads", "0")
        r.fails("bad threads", rgb_png, out, "--pipeline", "gray", "--threads", "x")
        r.fails("unknown option", rgb_png, out, "--pipeline", "gray", "--fast")
        assert not os.path.exists(out), "failed runs must not write the output"
        print(f"tool_kernel: {r.passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
