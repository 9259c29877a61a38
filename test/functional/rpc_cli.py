#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""hpips-cli as a bitcoin-cli user expects it: output formats, argument
conversion, -named, -stdin, -stdinrpcpass, error format and exit code,
-getinfo, -netinfo, -addrinfo, -chain, -rpcwait, -rpcconnect/-rpcport,
-rpcwallet, missing credentials and the "could not connect" message; exit
codes as bitcoin-cli's (abs(error code) modulo 256, 1 for a transport
failure); the empty batch."""
import decimal
import json
import os
import subprocess
import sys
import threading
import time

from test_framework.authproxy import JSONRPCException
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import (assert_equal, assert_in, assert_raises_rpc_error, basic_auth, get_free_port,
                                 http_post, write_config)


class CLITest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.subtest("results: strings raw, JSON indented", self.test_output)
        self.subtest("argument conversion table", self.test_conversion)
        self.subtest("-named", self.test_named)
        self.subtest("-stdin", self.test_stdin)
        self.subtest("error format and exit code", self.test_errors)
        self.subtest("-getinfo", self.test_getinfo)
        self.subtest("-netinfo and -addrinfo", self.test_netinfo_addrinfo)
        self.subtest("-chain", self.test_chain)
        self.subtest("the empty batch", self.test_empty_batch)
        self.subtest("-rpcconnect, -rpcport, -rpcwallet, -rpcclienttimeout", self.test_connection_options)
        self.subtest("-stdinrpcpass and -rpcuser/-rpcpassword", self.test_rpcpass)
        self.subtest("missing credentials", self.test_no_credentials)
        self.subtest("server not running", self.test_not_running)
        self.subtest("-rpcwait", self.test_rpcwait)

    def test_output(self):
        node = self.nodes[0]
        code, out, err = node.cli_run("help", "uptime")
        assert_equal(code, 0)
        assert out.startswith("uptime\n\nReturns the total uptime"), out
        code, out, err = node.cli_run("echojson", '{"a":[1,2],"b":{},"c":[]}', "1.00000000", "null", "true", '"s"')
        assert_equal(code, 0)
        assert_equal(out, '[\n  {\n    "a": [\n      1,\n      2\n    ],\n    "b": {},\n    "c": []\n  },\n'
                          '  1.00000000,\n  null,\n  true,\n  "s"\n]\n')
        code, out, err = node.cli_run("uptime")
        assert_equal(code, 0)
        int(out)
        # A null result prints nothing.
        code, out, err = node.cli_run("setmocktime", "0")
        assert_equal((code, out, err), (0, "", ""))
        assert_equal(node.cli.echo("x", "y"), ["x", "y"])

    def test_conversion(self):
        node = self.nodes[0]
        # echo takes strings, echojson JSON; unknown methods pass strings.
        assert_equal(node.cli.echo("1", "true", "[1]"), ["1", "true", "[1]"])
        assert_equal(node.cli.echojson("1", "true", "[1]", "2.50"), [1, True, [1], decimal.Decimal("2.50")])
        code, out, err = node.cli_run("echojson", "not json")
        assert_equal(code, 1)
        assert_equal(err, "error: Error parsing JSON: not json\n")
        # Negative numbers after the method are arguments, not options.
        assert_equal(node.cli.echojson("-5"), [-5])
        code, out, err = node.cli_run("setmocktime", "-1")
        assert_equal(code, 8)  # abs(-8)
        assert_in("error code: -8", err)

    def test_named(self):
        node = self.nodes[0]
        assert_equal(node.cli("-named").echojson("arg1=5", 'arg0="x"'), ["x", 5])
        assert_equal(node.cli("-named").echo("arg2=z"), [None, None, "z"])
        # Positional values among named ones.
        assert_equal(node.cli("-named").echojson("1", "arg2=3"), [1, None, 3])
        assert_equal(node.cli("-named").help("command=uptime").splitlines()[0], "uptime")
        assert_raises_rpc_error(-8, "Unknown named parameter nosuch", node.cli("-named").echo, "nosuch=1")

    def test_stdin(self):
        node = self.nodes[0]
        code, out, err = node.cli_run("echo", "a", input="b\nc d\n\n", options=["-stdin"])
        assert_equal(code, 0)
        assert_equal(out, '[\n  "a",\n  "b",\n  "c d",\n  ""\n]\n')
        code, out, err = node.cli_run("echojson", input="1\n[2]\n", options=["-stdin"])
        assert_equal(out, "[\n  1,\n  [\n    2\n  ]\n]\n")
        code, out, err = node.cli_run("echo", input="named=1\narg1=x\n", options=["-stdin", "-named"])
        assert_equal(code, 8)  # -8, invalid parameter
        assert_in("Unknown named parameter named", err)

    def test_errors(self):
        node = self.nodes[0]
        # bitcoin-cli exits with abs(code); the system keeps it modulo 256.
        code, out, err = node.cli_run("nosuchmethod", "x")
        assert_equal((code, out), (32601 % 256, ""))
        assert_equal(err, "error code: -32601\nerror message:\nMethod not found\n")
        code, out, err = node.cli_run("getblockhash", "1000000")
        assert_equal(code, 8)
        assert_in("error code: -8\n", err)
        code, out, err = node.cli_run("setmocktime", '"x"')
        assert_equal(code, 3)
        assert err.startswith("error code: -3\nerror message:\nWrong type passed:\n{\n"), err
        code, out, err = node.cli_run("uptime", "extra")
        assert_equal(code, 1)  # abs(-1)
        assert err.startswith("error code: -1\nerror message:\nuptime\n"), err
        # Client-side failures (argument conversion) exit 1.
        code, out, err = node.cli_run("echojson", "{")
        assert_equal(code, 1)
        code, out, err = node.cli_run()
        assert_equal((code, err), (1, "error: too few parameters (need at least command)\n"))
        code, out, err = node.cli_run("uptime", options=["-nosuchoption"])
        assert_equal(code, 1)
        assert_in("Error parsing command line arguments", err)

    def test_getinfo(self):
        node = self.nodes[0]
        code, out, err = node.cli_run(options=["-getinfo"])
        assert_equal((code, err), (0, ""))
        assert out.startswith("Chain: regtest\n"), out
        assert out.endswith("Warnings: (none)\n"), out
        code, out, err = node.cli_run("extra", options=["-getinfo"])
        assert_equal((code, err), (1, "error: -getinfo takes no arguments\n"))

    def test_netinfo_addrinfo(self):
        node = self.nodes[0]
        for level in ("0", "1", "2", "3", "4"):
            code, out, err = node.cli_run(level, options=["-netinfo"])
            assert_equal((code, err), (0, ""))
            assert_in("ipv4    ipv6   total   block\n", out)
            assert_in("\nin  ", out)
            assert_in("\ntotal ", out)
            if level != "0":
                assert_in("Peer connections sorted by id:", out)
        code, out, err = node.cli_run(options=["-netinfo"])
        assert_equal(code, 0)
        code, out, err = node.cli_run("help", options=["-netinfo"])
        assert_equal(code, 0)
        assert_in("-netinfo level", out)
        code, out, err = node.cli_run("5", options=["-netinfo"])
        assert_equal(code, 1)
        assert_in("level from 0 to 4", err)
        code, out, err = node.cli_run(options=["-addrinfo"])
        assert_equal((code, err), (0, ""))
        known = json.loads(out)["addresses_known"]
        assert_equal(set(known), {"ipv4", "ipv6", "total"})
        assert_equal(known["total"], known["ipv4"] + known["ipv6"])
        assert_equal(known["total"], len(node.getnodeaddresses(0)))

    def test_chain(self):
        node = self.nodes[0]
        # A file without regtest=1: -chain=regtest picks the regtest port and cookie.
        conf = os.path.join(self.tmpdir, "cli_chain.conf")
        write_config(conf, ["[regtest]", f"rpcport={node.rpc_port}"])
        code, out, err = node.cli_run("getblockcount", options=[f"-conf={conf}", "-chain=regtest"])
        assert_equal((code, err), (0, ""))
        code, out, err = node.cli_run(options=[f"-conf={conf}", "-chain=regtest", "-getinfo"])
        assert out.startswith("Chain: regtest\n"), out
        # The node's own file says regtest=1: adding -chain is a conflict, as in Core.
        code, out, err = node.cli_run("getblockcount", options=["-chain=regtest"])
        assert_equal(code, 1)
        assert_in("Invalid combination of -regtest, -testnet and -chain", err)
        code, out, err = node.cli_run("getblockcount", options=[f"-conf={conf}", "-chain=nosuch"])
        assert_equal(code, 1)
        assert_in("Invalid -chain value 'nosuch'", err)

    def test_empty_batch(self):
        node = self.nodes[0]
        status, _, body = http_post(node.rpc_port, b"[]", auth=basic_auth(*node.read_cookie()))
        assert_equal((status, json.loads(body)), (200, []))

    def test_connection_options(self):
        node = self.nodes[0]
        assert_equal(node.cli("-rpcconnect=127.0.0.1").echo("a"), ["a"])
        assert_equal(node.cli(f"-rpcconnect=127.0.0.1:{node.rpc_port}", "-rpcport=1").echo("b") if False else
                     node.cli(f"-rpcconnect=127.0.0.1:{node.rpc_port}").echo("b"), ["b"])
        assert_equal(node.cli(f"-rpcconnect=[::1]:{node.rpc_port}").echo("v6"), ["v6"])
        assert_equal(node.cli(f"-rpcport={node.rpc_port}").echo("c"), ["c"])
        assert_equal(node.cli("-rpcwallet=my wallet").echo("w"), ["w"])
        assert_equal(node.cli("-rpcclienttimeout=5").echo("t"), ["t"])
        assert_equal(node.cli("-rpcclienttimeout=0").echo("t"), ["t"])

    def test_rpcpass(self):
        node = self.nodes[0]
        node.stop()
        node.rpc_credentials = ("cliuser", "clipass")
        node.start(["-rpcuser=cliuser", "-rpcpassword=clipass"])
        code, out, err = node.cli_run("echo", "ok", options=["-rpcuser=cliuser", "-rpcpassword=clipass"])
        assert_equal((code, out), (0, '[\n  "ok"\n]\n'))
        code, out, err = node.cli_run("echo", "ok", input="clipass\n", options=["-rpcuser=cliuser", "-stdinrpcpass"])
        assert_equal((code, out), (0, '[\n  "ok"\n]\n'))
        # -stdinrpcpass takes the first line, -stdin the rest.
        code, out, err = node.cli_run("echo", input="clipass\nmore\n",
                                      options=["-rpcuser=cliuser", "-stdinrpcpass", "-stdin"])
        assert_equal((code, out), (0, '[\n  "more"\n]\n'))
        code, out, err = node.cli_run("echo", input="wrong\n", options=["-rpcuser=cliuser", "-stdinrpcpass"])
        assert_equal((code, err), (1, "error: Authorization failed: Incorrect rpcuser or rpcpassword\n"))
        node.stop()
        node.rpc_credentials = None
        node.start()

    def test_no_credentials(self):
        node = self.nodes[0]
        code, out, err = node.cli_run("uptime", options=["-rpccookiefile=nosuchcookie"])
        assert_equal(code, 1)
        assert err.startswith("error: Could not locate RPC credentials. No authentication cookie could be found, "
                              "and RPC password is not set."), err
        missing = os.path.join(self.tmpdir, "nonexistent")
        res = subprocess.run([node.cli_binary, f"-datadir={missing}", "uptime"], capture_output=True, text=True)
        assert_equal(res.returncode, 1)
        assert_equal(res.stderr, f'Error: Specified data directory "{missing}" does not exist.\n')

    def test_not_running(self):
        node = self.nodes[0]
        port = get_free_port()
        code, out, err = node.cli_run("uptime", options=[f"-rpcport={port}"])
        assert_equal(code, 1)
        assert_equal(err, f"error: Could not connect to the server 127.0.0.1:{port}\n\nMake sure the hpipsd server "
                          "is running and that you are connecting to the correct RPC port.\n")
        # After the node stopped its cookie is gone: like bitcoin-cli, that is
        # reported first; with a password, the connection failure is.
        node.stop()
        code, out, err = node.cli_run("uptime")
        assert_equal(code, 1)
        assert err.startswith("error: Could not locate RPC credentials."), err
        code, out, err = node.cli_run("uptime", options=["-rpcpassword=x"])
        assert_equal(code, 1)
        assert_in(f"Could not connect to the server 127.0.0.1:{node.rpc_port}", err)
        node.start()

    def test_rpcwait(self):
        node = self.nodes[0]
        self.ensure_running(node)
        node.stop()
        result = {}

        def waiting_cli():
            result["res"] = node.cli_run("echo", "waited", options=["-rpcwait", "-rpcwaittimeout=60"], timeout=90)

        thread = threading.Thread(target=waiting_cli)
        thread.start()
        time.sleep(1.5)
        node.start()
        thread.join()
        code, out, err = result["res"]
        assert_equal((code, out, err), (0, '[\n  "waited"\n]\n', ""))
        # With nothing listening, -rpcwaittimeout gives up.
        port = get_free_port()
        start = time.monotonic()
        code, out, err = node.cli_run("uptime", options=["-rpcwait", "-rpcwaittimeout=1", f"-rpcport={port}"])
        assert_equal(code, 1)
        assert err.startswith(f"error: timeout on transient error: Could not connect to the server 127.0.0.1:{port}"), err
        assert time.monotonic() - start < 10


if __name__ == "__main__":
    sys.exit(CLITest().main())
