#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Startup options and hpips.conf: data directory checks, network sections and
prefixes, unknown keys, parse errors, -conf, negation, -debug categories,
option validation and the network subdirectory layout."""
import os
import subprocess
import sys

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, get_free_port, write_config


class ConfigTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        node.stop()
        self.subtest("missing -datadir", self.test_missing_datadir)
        self.subtest("unknown configuration key", self.test_unknown_key)
        self.subtest("configuration parse errors", self.test_parse_errors)
        self.subtest("network sections and prefixes", self.test_sections)
        self.subtest("-conf", self.test_conf_option)
        self.subtest("command line errors", self.test_command_line)
        self.subtest("negated options", self.test_negation)
        self.subtest("-debug categories", self.test_debug)
        self.subtest("placeholder options parse", self.test_placeholders)
        self.subtest("-help lists the options", self.test_help)

    def test_missing_datadir(self):
        missing = os.path.join(self.tmpdir, "does-not-exist")
        res = subprocess.run([os.path.join(self.options.bindir, "hpipsd"), f"-datadir={missing}", "-regtest"],
                             capture_output=True, text=True, timeout=60)
        assert_equal(res.returncode, 1)
        assert_equal(res.stderr, f'Error: Specified data directory "{missing}" does not exist.\n')
        assert not os.path.exists(missing)

    def test_unknown_key(self):
        # As Core: an unknown name in the file is a warning in debug.log, not
        # a failed start (a ported bitcoin.conf must work); feature_config_habits.py
        # covers the stderr side.
        node = self.nodes[0]
        node.write_default_config(["nosuchoption=1", "regtest.alsonosuch=1"])
        node.start()
        log = node.debug_log()
        assert_in("Warning: Ignoring unknown configuration value nosuchoption", log)
        assert_in("Warning: Ignoring unknown configuration value alsonosuch", log)
        node.stop()
        node.write_default_config()

    def test_parse_errors(self):
        node = self.nodes[0]
        node.write_default_config(["rpcthreads"])
        node.assert_start_raises_init_error([], "parse error on line 5: rpcthreads")
        node.write_default_config(["-rpcthreads=2"])
        node.assert_start_raises_init_error([], "options in configuration file must be specified without leading "
                                                "hyphen")
        node.write_default_config(["datadir=/tmp"])
        node.assert_start_raises_init_error([], "-datadir cannot be set in the configuration file")
        node.write_default_config()

    def test_sections(self):
        node = self.nodes[0]
        test_port = get_free_port()
        # Values in [test] and [main] are ignored on regtest, as is a top-level rpcport.
        write_config(node.conf_path, [
            "regtest=1",
            "# a comment line",
            f"rpcport={get_free_port()}   # top level: main only",
            "rpcthreads=2",
            "[test]",
            f"rpcport={test_port}",
            "rpcthreads=nonsense",
            "[main]",
            "rpcworkqueue=nonsense",
            "[regtest]",
            f"rpcport={node.rpc_port}",
            "printtoconsole=0",
            f"port={node.p2p_port}",
        ])
        node.start()
        assert isinstance(node.uptime(), int)
        node.stop()
        # A "regtest." prefix works at the top level.
        new_port = get_free_port()
        write_config(node.conf_path, ["regtest=1", f"regtest.rpcport={new_port}", "printtoconsole=0",
                                       f"regtest.port={node.p2p_port}"])
        node.rpc_port = new_port
        node.start()
        assert isinstance(node.uptime(), int)
        node.stop()
        # The command line overrides the file.
        node.write_default_config(["rpcthreads=nonsense"])
        node.start(["-rpcthreads=2"])
        node.stop()
        node.write_default_config()
        # An unknown section only warns.
        node.write_default_config(["[nosuchsection]", "rpcthreads=3"])
        node.start()
        node.stop()
        assert_in("Section [nosuchsection] is not recognized.", node.debug_log())
        node.write_default_config()

    def test_conf_option(self):
        node = self.nodes[0]
        node.assert_start_raises_init_error(["-conf=nosuch.conf"], "could not be opened")
        other = os.path.join(self.tmpdir, "other.conf")
        write_config(other, ["regtest=1", f"rpcport={node.rpc_port}", f"regtest.rpcport={node.rpc_port}",
                             "printtoconsole=0", f"regtest.port={node.p2p_port}"])
        os.rename(node.conf_path, node.conf_path + ".bak")
        node.start([f"-conf={other}"])
        assert isinstance(node.uptime(), int)
        node.stop()
        os.rename(node.conf_path + ".bak", node.conf_path)

    def test_command_line(self):
        node = self.nodes[0]
        node.assert_start_raises_init_error(["-nosuchoption"], "Error parsing command line arguments")
        node.assert_start_raises_init_error(["-testnet"], "Invalid combination of -regtest, -testnet and -chain")
        node.assert_start_raises_init_error(["stray"], "Command line contains unexpected token 'stray'")
        node.assert_start_raises_init_error(["-rpcthreads=0"], "Invalid value for -rpcthreads")
        node.assert_start_raises_init_error(["-rpcworkqueue=abc"], "Invalid value for -rpcworkqueue")
        node.assert_start_raises_init_error(["-rpcport=70000"], "Invalid port specified in -rpcport")
        # Abbreviations are not accepted (no guessing).
        node.assert_start_raises_init_error(["-rpcthr=2"], "Error parsing command line arguments")

    def test_negation(self):
        node = self.nodes[0]
        # -noserver: no RPC server, no cookie; the node still runs until signalled.
        open(node.debug_log_path, "w").close()
        node.start(["-noserver"], wait=False)
        import time
        deadline = time.time() + 30
        while "Done loading" not in node.debug_log() and time.time() < deadline:
            time.sleep(0.05)
        assert_in("Done loading", node.debug_log())
        assert not os.path.exists(node.cookie_path)
        import signal
        node.send_signal(signal.SIGTERM)
        # -noprinttoconsole: nothing on stdout/stderr.
        node.write_default_config()
        node.start(["-noprinttoconsole"])
        node.stop()

    def test_debug(self):
        node = self.nodes[0]
        node.start(["-debug=rpc", "-debug=nosuchcategory"])
        node.uptime()
        node.stop()
        log = node.debug_log()
        assert_in("[rpc] ", log)
        assert_in("Unsupported logging category -debug=nosuchcategory.", log)
        # -nodebug after -debug turns it off again.
        open(node.debug_log_path, "w").close()
        node.start(["-debug=rpc", "-nodebug"])
        node.uptime()
        node.stop()
        assert "[rpc] " not in node.debug_log()

    def test_placeholders(self):
        node = self.nodes[0]
        node.start(["-dbcache=100", "-nomine", "-mineraddress=x", "-minerthreads=1", "-minerdevice=cpu",
                    "-noreindex", "-dbcrashratio=0"])
        assert os.path.isfile(os.path.join(node.datadir, "regtest", "debug.log"))
        assert_equal(sorted(p for p in os.listdir(node.net_dir) if not p.startswith("std")),
                     [".cookie", ".lock", "blobs", "blocks", "chainstate", "debug.log", "hpipsd.pid", "mempool.dat"])
        node.stop()
        node.start()

    def test_help(self):
        res = subprocess.run([os.path.join(self.options.bindir, "hpipsd"), "-help"], capture_output=True, text=True,
                             timeout=60)
        assert_equal(res.returncode, 0)
        for option in ("-datadir=<dir>", "-conf=<file>", "-regtest", "-testnet", "-debug=<category>",
                       "-printtoconsole", "-rpcbind=<addr[:port]>", "-rpcallowip=<ip>", "-rpcport=<port>",
                       "-rpcuser=<user>", "-rpcpassword=<pw>", "-rpcauth=<userpw>", "-rpccookiefile=<loc>",
                       "-rpcthreads=<n>", "-rpcworkqueue=<n>", "-server", "-dbcache=<n>", "-mine",
                       "-mineraddress=<address>", "-minerthreads=<n>", "-minerdevice=<device>", "-minerspotcheck=<n>",
                       "-reindex"):
            assert_in("  " + option + "\n", res.stdout)


if __name__ == "__main__":
    sys.exit(ConfigTest().main())
