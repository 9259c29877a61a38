#!/usr/bin/env python3
"""The built binaries start, print their version and help, and reject unknown options."""
import argparse
import subprocess
import sys


def run(args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bindir", required=True)
    opts = parser.parse_args()
    for tool in ("hpipsd", "hpips-cli"):
        path = f"{opts.bindir}/{tool}"
        res = run([path, "-version"])
        assert res.returncode == 0, res
        assert "version" in res.stdout.lower(), res.stdout
        res = run([path, "-help"])
        assert res.returncode == 0, res
        assert "Usage" in res.stdout, res.stdout
        res = run([path, "-nosuchoption"])
        assert res.returncode != 0, res
        assert res.stderr.strip(), "an unknown option must be reported"
        assert "Traceback" not in res.stderr and "terminate" not in res.stderr, res.stderr
    print("tool_version: 1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
