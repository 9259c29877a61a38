#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""bitcoind habits at startup (doc/node.md, "Habits from bitcoind"): a
bitcoin.conf-style file with server=1, daemon=1, txindex=1,
zmqpubrawblock=... (known: doc/zmq.md), blocksonly=1 (unknown here: a
warning, not an error), includeconf and chain=regtest starts the node in
the background; the starting process exits 0 once the node answers, or 1
with the child's error; the pid file names the node and goes at shutdown;
the network directory is private (umask 077); -chain conflicts,
-includeconf on the command line and unknown command-line options are
errors; -help-debug, -debuglogfile / -nodebuglogfile, -logtimestamps=0 and
-shrinkdebugfile."""
import os
import stat
import subprocess
import sys
import time

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, get_free_port, wait_until, write_config

SHRINK_THRESHOLD = 11_000_000
KEEP_BYTES = 10_000_000


class ConfigHabitsTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.nodes[0].stop()
        self.hpipsd = os.path.join(self.options.bindir, "hpipsd")
        self.subtest("bitcoin.conf-style file with daemon=1", self.test_daemon_conf)
        self.subtest("-daemon reports the child's failure", self.test_daemon_failure)
        self.subtest("chain selection and option errors", self.test_errors)
        self.subtest("-help-debug", self.test_help_debug)
        self.subtest("debug log options", self.test_debug_log)
        self.nodes[0].start()

    def run_hpipsd(self, datadir, *args):
        return subprocess.run([self.hpipsd, f"-datadir={datadir}", *args], capture_output=True, text=True,
                              timeout=120)

    def test_daemon_conf(self):
        node = self.nodes[0]
        datadir = os.path.join(self.tmpdir, "btcconf")
        os.makedirs(datadir)
        zmq_address = f"tcp://127.0.0.1:{get_free_port()}"
        write_config(os.path.join(datadir, "hpips.conf"), [
            "# ported from a bitcoin.conf",
            "server=1",
            "daemon=1",
            "txindex=1",
            f"zmqpubrawblock={zmq_address}",
            "blocksonly=1",
            "chain=regtest",
            "includeconf=extra.conf",
            "[regtest]",
            f"rpcport={node.rpc_port}",
            f"port={get_free_port()}",
        ])
        write_config(os.path.join(datadir, "extra.conf"), ["maxmempool=50", "printtoconsole=0"])
        start = self.run_hpipsd(datadir)
        # The parent returns only once the node is up: RPC answers at once.
        assert_equal(start.returncode, 0)
        # txindex=1 is a known option now: no warning, and the index runs.
        assert "configuration value txindex" not in start.stderr, start.stderr
        assert "configuration value zmqpubrawblock" not in start.stderr, start.stderr
        assert_in("Warning: Ignoring unknown configuration value blocksonly", start.stderr)
        net_dir = os.path.join(datadir, "regtest")
        with open(os.path.join(net_dir, ".cookie"), encoding="utf-8") as f:
            user, _, password = f.read().strip().partition(":")
        rpc = node.make_proxy(user, password)
        assert_equal(rpc.getblockchaininfo()["chain"], "regtest")
        wait_until(lambda: rpc.getindexinfo().get("txindex", {}).get("synced"), what="the transaction index")
        # includeconf was read.
        assert_equal(rpc.getmempoolinfo()["maxmempool"], 50_000_000)
        # The pid file names the running node.
        pid_path = os.path.join(net_dir, "hpipsd.pid")
        with open(pid_path, encoding="utf-8") as f:
            pid = int(f.read().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            assert_in(b"hpipsd", f.read())
        # umask 077: the directory the node created, and its files, are private.
        assert_equal(stat.S_IMODE(os.stat(net_dir).st_mode) & 0o077, 0)
        for name in ("hpipsd.pid", ".cookie", "debug.log"):
            assert_equal(stat.S_IMODE(os.stat(os.path.join(net_dir, name)).st_mode) & 0o077, 0)
        log_path = os.path.join(net_dir, "debug.log")
        with open(log_path, encoding="utf-8") as f:
            log = f.read()
        assert_in("Warning: Ignoring unknown configuration value blocksonly", log)
        # zmqpubrawblock publishes (interface_zmq.py subscribes to it).
        assert_equal(rpc.getzmqnotifications(), [{"type": "pubrawblock", "address": zmq_address, "hwm": 1000}])
        assert_in("txindex is enabled", log)
        # A second daemon on the same directory: the child fails to lock it,
        # and the parent reports that with status 1.
        second = self.run_hpipsd(datadir)
        assert_equal(second.returncode, 1)
        assert_in("Cannot obtain a lock on data directory", second.stderr)
        assert os.path.exists(pid_path)
        rpc.stop()
        rpc.close()
        # Clean shutdown removes the pid file.
        wait_until(lambda: not os.path.exists(pid_path), what="pid file removed")
        wait_until(lambda: "Shutdown: done" in open(log_path, encoding="utf-8").read(), what="shutdown")

    def test_daemon_failure(self):
        node = self.nodes[0]
        # A failure after the fork (the RPC port is checked by the child).
        start = self.run_hpipsd(node.datadir, "-daemon", "-rpcport=0")
        assert_equal(start.returncode, 1)
        assert_in("Error: Invalid port specified in -rpcport: '0'", start.stderr)
        # A failure before the fork is reported directly.
        start = self.run_hpipsd(node.datadir, "-daemon", "-noregtest", "-chain=nosuch")
        assert_equal(start.returncode, 1)
        assert_in("Invalid -chain value 'nosuch'", start.stderr)
        assert not os.path.exists(os.path.join(node.net_dir, "hpipsd.pid"))

    def test_errors(self):
        node = self.nodes[0]
        # The node's file says regtest=1: -chain on top of it is a conflict, as in Core.
        node.assert_start_raises_init_error(["-chain=regtest"],
                                            "Invalid combination of -regtest, -testnet and -chain")
        node.assert_start_raises_init_error(["-noregtest", "-chain=main", "-testnet"],
                                            "Invalid combination of -regtest, -testnet and -chain")
        node.assert_start_raises_init_error(["-includeconf=extra.conf"],
                                            "-includeconf cannot be used from commandline; -includeconf=extra.conf")
        # Unknown options on the command line stay errors (only the file is lenient).
        node.assert_start_raises_init_error(["-blocksonly=1"],
                                            "Error parsing command line arguments")
        node.write_default_config(["includeconf=nosuch.conf"])
        node.assert_start_raises_init_error([], "Failed to include configuration file")
        node.write_default_config()
        # -chain=regtest alone (no regtest=1 in the file) selects regtest.
        other = os.path.join(self.tmpdir, "chainonly.conf")
        write_config(other, ["[regtest]", f"rpcport={node.rpc_port}", f"port={node.p2p_port}", "printtoconsole=0"])
        node.start([f"-conf={other}", "-chain=regtest"])
        assert_equal(node.getblockchaininfo()["chain"], "regtest")
        node.stop()

    def test_help_debug(self):
        res = subprocess.run([self.hpipsd, "-help"], capture_output=True, text=True, timeout=60)
        assert_equal(res.returncode, 0)
        assert "-dbcrashratio" not in res.stdout
        for option in ("-daemon", "-pid=<file>", "-includeconf=<file>", "-chain=<chain>", "-debuglogfile=<file>",
                       "-shrinkdebugfile", "-logtimestamps", "-help-debug", "-blocknotify=<cmd>",
                       "-startupnotify=<cmd>", "-persistmempool", "-maxmempool=<n>", "-minrelaytxfee=<amt>"):
            assert_in("  " + option + "\n", res.stdout)
        res = subprocess.run([self.hpipsd, "-help-debug"], capture_output=True, text=True, timeout=60)
        assert_equal(res.returncode, 0)
        assert_in("  -dbcrashratio=<n>\n", res.stdout)
        assert_in("  -datadir=<dir>\n", res.stdout)

    def test_debug_log(self):
        node = self.nodes[0]
        # -debuglogfile, relative to the network directory.
        node.start(["-debuglogfile=custom.log", "-nologtimestamps"])
        node.stop()
        with open(os.path.join(node.net_dir, "custom.log"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        assert_in("Shutdown: done", lines)  # no timestamp before it
        # -nodebuglogfile writes no file.
        os.remove(node.debug_log_path)
        node.start(["-nodebuglogfile"])
        node.stop()
        assert not os.path.exists(node.debug_log_path)
        # -shrinkdebugfile (default on without -debug): a log over 11 MB keeps its last 10 MB.
        with open(node.debug_log_path, "w", encoding="utf-8") as f:
            f.write("old line\n" * (SHRINK_THRESHOLD // 9 + 1000))
            f.write("last old line\n")
        node.start()
        node.stop()
        size = os.path.getsize(node.debug_log_path)
        assert size < KEEP_BYTES + 100_000, size
        with open(node.debug_log_path, encoding="utf-8") as f:
            text = f.read()
        assert text.startswith("old line\n")
        assert_in("last old line\n", text)
        # -noshrinkdebugfile leaves it alone.
        with open(node.debug_log_path, "a", encoding="utf-8") as f:
            f.write("x" * (SHRINK_THRESHOLD + 10) + "\n")
        node.start(["-noshrinkdebugfile"])
        node.stop()
        assert os.path.getsize(node.debug_log_path) > SHRINK_THRESHOLD


if __name__ == "__main__":
    sys.exit(ConfigHabitsTest().main())
