# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Base class of functional tests: temp directories, nodes, subtests, summary.

A test subclasses HpipsTestFramework, sets num_nodes / extra_args in
set_test_params, and calls self.subtest(name, function) from run_test for
each behaviour it checks. Every subtest is counted; a failing one prints its
traceback and the tail of every node's debug.log, and the script still runs
the others. The script prints "<name>: N passed, M failed" and exits non-zero
if anything failed.
"""
import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback

from .test_node import TestNode
from .util import get_free_port


class HpipsTestFramework:
    def __init__(self):
        self.num_nodes = 1
        self.extra_args = None
        self.setup_clean_chain = True
        self.nodes = []
        self.passed = 0
        self.failed = 0
        self.failures = []
        self.options = None
        self.tmpdir = None

    # --- to override -----------------------------------------------------
    def set_test_params(self):
        pass

    def run_test(self):
        raise NotImplementedError

    # --- helpers ---------------------------------------------------------
    def log(self, message):
        print(f"{time.strftime('%H:%M:%S')} {self.name}: {message}", flush=True)

    @property
    def name(self):
        return os.path.splitext(os.path.basename(sys.argv[0]))[0]

    def add_node(self, extra_args=None):
        node = TestNode(len(self.nodes), self.tmpdir, self.options.bindir, get_free_port(), extra_args,
                        trace_rpc=self.options.tracerpc)
        self.nodes.append(node)
        return node

    def subtest(self, name, function, *args):
        self.log(f"- {name}")
        try:
            function(*args)
            self.passed += 1
        except Exception:  # noqa: BLE001 - every failure is reported, then the next subtest runs
            self.failed += 1
            self.failures.append(name)
            print(f"FAILED: {name}\n{traceback.format_exc()}", file=sys.stderr, flush=True)
            self.print_logs()

    def print_logs(self):
        for node in self.nodes:
            print(f"--- node{node.index} debug.log (tail) ---\n{node.debug_log_tail()}", file=sys.stderr)
            if node.stderr is not None and not node.stderr.closed:
                print(f"--- node{node.index} stderr ---\n{node.read_stderr()}", file=sys.stderr)

    def ensure_running(self, node, extra_args=None):
        """Restarts a node a failed subtest may have left stopped."""
        if not node.running():
            node.process = None
            node.start(extra_args)

    # --- driver ----------------------------------------------------------
    def main(self):
        parser = argparse.ArgumentParser(description=self.__doc__)
        parser.add_argument("--bindir", required=True, help="directory holding hpipsd and hpips-cli")
        parser.add_argument("--tmpdir", help="root for the nodes' data directories (default: a new temp dir)")
        parser.add_argument("--nocleanup", action="store_true", help="keep the data directories")
        parser.add_argument("--tracerpc", action="store_true", help="print RPC calls")
        self.options = parser.parse_args()
        self.options.bindir = os.path.abspath(self.options.bindir)
        self.set_test_params()
        if self.options.tmpdir:
            os.makedirs(self.options.tmpdir, exist_ok=True)
            self.tmpdir = tempfile.mkdtemp(prefix=f"{self.name}_", dir=self.options.tmpdir)
        else:
            self.tmpdir = tempfile.mkdtemp(prefix=f"hpips_{self.name}_")
        self.log(f"data directories in {self.tmpdir}")
        try:
            for i in range(self.num_nodes):
                args = self.extra_args[i] if self.extra_args else None
                self.add_node(args).start()
            self.run_test()
        except Exception:  # noqa: BLE001 - setup failure: count it and report
            self.failed += 1
            self.failures.append("setup/run_test")
            print(f"FAILED outside a subtest:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
            self.print_logs()
        finally:
            self.shutdown_nodes()
        print(f"{self.name}: {self.passed} passed, {self.failed} failed", flush=True)
        if self.failed:
            print(f"failed: {', '.join(self.failures)}; data kept in {self.tmpdir}", file=sys.stderr)
            return 1
        if not self.options.nocleanup:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
        return 0

    def shutdown_nodes(self):
        for node in self.nodes:
            if not node.running():
                continue
            try:
                node.stop()
            except Exception:  # noqa: BLE001 - a hung node must not hang the suite
                try:
                    node.kill()
                except Exception:  # noqa: BLE001
                    pass
