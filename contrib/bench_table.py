#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Prints one table from Google Benchmark JSON files (--benchmark_format=json).

Naming convention of the HPIPS benchmarks: a group name with a variant
component (anywhere in the name), e.g.
  gemm/1024x256x2304/threads:1/ours      (our implementation)
  gemm/1024x256x2304/threads:1/baseline  (what we compare with: oneDNN, OpenCV, ...)
  gemm/1024x256x2304/threads:1/avx2      (any other variant)
  BM_gray/opencv/threads:1               ("opencv" and "onednn" also mark a baseline)
Every variant of a group is shown with its ratio against the group's baseline:
the rate ratio when both report the same rate counter (a counter whose name ends
in "/s", e.g. GMAC/s or MPix/s), else the time ratio (baseline time / time).
A ratio above 1 means faster than the baseline.

When a file's context holds hpips_peak_gmacs_per_core (measured by bench_gemm),
GMAC/s rows also show the share of the machine's int8 peak for their thread
count (threads:N in the group name).

With --benchmark_repetitions the median aggregate is used; otherwise the single
run. Standard library only.
"""

import json
import re
import sys


# Names that mark a benchmark's variant wherever they appear in its name
# (bench_gemm puts the variant last, bench_light before threads:N), and the
# ones that mean "the baseline".
KNOWN_VARIANTS = {"ours", "ours+pack", "baseline", "opencv", "onednn", "reference", "scalar", "avx2", "avx512vnni"}
BASELINE_NAMES = ("baseline", "opencv", "onednn")


def clean_name(name):
    """Group and variant of a benchmark name, without Google Benchmark's
    /real_time, /iterations:N and /repeats:N decorations. The variant is the
    first known variant component, else the last component."""
    name = re.sub(r"/(real_time|process_time|manual_time)", "", name)
    name = re.sub(r"/iterations:\d+", "", name)
    name = re.sub(r"/repeats:\d+", "", name)
    parts = name.split("/")
    index = next((i for i, p in enumerate(parts) if p in KNOWN_VARIANTS), len(parts) - 1)
    variant = parts[index]
    group = "/".join(parts[:index] + parts[index + 1:])
    return group, variant


def rate_counter(entry):
    for key, value in entry.items():
        if key.endswith("/s") and isinstance(value, (int, float)):
            return key, float(value)
    return None, None


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    entries = data.get("benchmarks", [])
    has_aggregates = any(e.get("run_type") == "aggregate" for e in entries)
    rows = []
    for e in entries:
        if e.get("error_occurred"):
            rows.append({"name": e.get("run_name", e["name"]), "error": e.get("error_message", "error")})
            continue
        if has_aggregates:
            if e.get("run_type") != "aggregate" or e.get("aggregate_name") != "median":
                continue
        elif e.get("run_type") == "aggregate":
            continue
        run_name = e.get("run_name", e["name"])
        real = "/real_time" in run_name
        unit = e.get("time_unit", "ns")
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
        time_ms = float(e["real_time"] if real else e["cpu_time"]) * scale
        counter, rate = rate_counter(e)
        rows.append({"name": run_name, "time_ms": time_ms, "wall": real, "counter": counter, "rate": rate})
    return data.get("context", {}), rows


def fmt_time(ms):
    if ms >= 100:
        return f"{ms:.0f}"
    if ms >= 1:
        return f"{ms:.2f}"
    return f"{ms:.3f}"


def main(paths):
    if not paths:
        print("usage: bench_table.py RESULT.json [...]", file=sys.stderr)
        return 2
    table = []
    notes = []
    for path in paths:
        try:
            context, rows = load(path)
        except (OSError, ValueError) as error:
            # A program whose benchmarks all missed --benchmark_filter writes no JSON.
            notes.append(f"{path}: no results ({error.__class__.__name__})")
            continue
        peak = context.get("hpips_peak_gmacs_per_core")
        peak = float(peak) if peak else None
        extras = [f"{k[len('hpips_'):]}={v}" for k, v in sorted(context.items()) if k.startswith("hpips_")]
        host = f"{context.get('num_cpus', '?')} CPUs @ {context.get('mhz_per_cpu', '?')} MHz (nominal)"
        notes.append(f"{path}: {host}" + (("; " + ", ".join(extras)) if extras else ""))
        groups = {}
        order = []
        for row in rows:
            group, variant = clean_name(row["name"])
            if group not in groups:
                groups[group] = {}
                order.append(group)
            groups[group][variant] = row
        for group in order:
            variants = groups[group]
            base_name = next((b for b in BASELINE_NAMES if b in variants), None)
            base = variants.get(base_name) if base_name else None
            threads_match = re.search(r"threads:(\d+)", group)
            threads = int(threads_match.group(1)) if threads_match else 1
            names = sorted(variants, key=lambda v: (v != "ours", v == base_name, v))
            for variant in names:
                row = variants[variant]
                if "error" in row:
                    table.append([group, variant, "error", row["error"], "", ""])
                    continue
                rate = f"{row['rate']:.1f} {row['counter']}" if row["rate"] is not None else ""
                ratio = ""
                if base is not None and "error" not in base and variant != base_name:
                    if row["rate"] is not None and base["rate"] and row["counter"] == base["counter"]:
                        ratio = f"{row['rate'] / base['rate']:.2f}x"
                    elif row["time_ms"] > 0:
                        ratio = f"{base['time_ms'] / row['time_ms']:.2f}x"
                peak_share = ""
                if peak and row["counter"] == "GMAC/s" and row["rate"] is not None:
                    peak_share = f"{100.0 * row['rate'] / (peak * threads):.0f}%"
                timing = fmt_time(row["time_ms"]) + (" wall" if row["wall"] else " cpu")
                table.append([group, variant, timing, rate, ratio, peak_share])
    header = ["benchmark", "variant", "time ms", "rate", "vs baseline", "% int8 peak"]
    widths = [max(len(str(r[i])) for r in table + [header]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    previous = None
    for r in table:
        group = r[0] if r[0] != previous else ""
        previous = r[0]
        cells = [group] + r[1:]
        print("  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths))))
    print()
    print("time: 'cpu' = CPU time of the benchmark thread (single-threaded runs; not inflated by other")
    print("processes), 'wall' = elapsed time (multi-threaded runs). vs baseline > 1 = faster.")
    for n in notes:
        print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
