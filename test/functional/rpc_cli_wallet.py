#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""hpips-cli's wallet helpers as bitcoin-cli's (doc/cli.md): -generate
[nblocks] [maxtries] (getnewaddress, then generatetoaddress; prints
{address, blocks}; argument errors; -18 without a wallet) and
-stdinwalletpassphrase (the passphrase from standard input for
walletpassphrase, both for walletpassphrasechange when only the command is
given; after -stdinrpcpass's line; refused for other commands; the typed
passphrase is not echoed on a terminal)."""
import json
import os
import select
import subprocess
import sys
import time

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in


class CLIWalletTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.subtest("-generate", self.test_generate)
        self.subtest("-stdinwalletpassphrase", self.test_stdin_passphrase)
        self.subtest("-stdinwalletpassphrase does not echo on a terminal", self.test_no_echo)

    def test_generate(self):
        node = self.nodes[0]
        code, out, err = node.cli_run(options=["-generate"])
        assert_equal(code, 18)
        assert_in("No wallet is loaded", err)
        node.createwallet("w")
        start = node.getblockcount()
        code, out, err = node.cli_run(options=["-generate"])
        assert_equal((code, err), (0, ""))
        result = json.loads(out)
        assert_equal(sorted(result), ["address", "blocks"])
        assert_equal(len(result["blocks"]), 1)
        assert_equal(node.getblockcount(), start + 1)
        assert_equal(node.getbestblockhash(), result["blocks"][0])
        assert_equal(node.getaddressinfo(result["address"])["ismine"], True)
        code, out, err = node.cli_run("3", options=["-generate"])
        assert_equal((code, len(json.loads(out)["blocks"])), (0, 3))
        code, out, err = node.cli_run("2", "1000000", options=["-generate"])
        assert_equal((code, len(json.loads(out)["blocks"])), (0, 2))
        assert_equal(node.getblockcount(), start + 6)
        code, out, err = node.cli_run("1", "2", "3", options=["-generate"])
        assert_equal(code, 1)
        assert_in("Too many arguments (maximum 2 for nblocks and maxtries)", err)
        for bad in (["0"], ["x"], ["1", "0"], ["1", "-5"]):
            code, out, err = node.cli_run(*bad, options=["-generate"])
            assert_equal(code, 1)
            assert_in("Invalid", err)
        assert_equal(node.getblockcount(), start + 6)

    def test_stdin_passphrase(self):
        node = self.nodes[0]
        node.createwallet("e", False, False, "secret one")
        opts = ["-rpcwallet=e", "-stdinwalletpassphrase"]
        code, out, err = node.cli_run("walletpassphrase", "60", input="wrong\n", options=opts)
        assert_equal(code, 14)
        assert_in("passphrase entered was incorrect", err)
        code, out, err = node.cli_run("walletpassphrase", "60", input="secret one\n", options=opts)
        assert_equal((code, out), (0, ""))
        assert node.cli("-rpcwallet=e").getwalletinfo()["unlocked_until"] > 0
        node.cli("-rpcwallet=e").walletlock()
        # walletpassphrasechange: the old one from stdin, the new one from the command line (Core's form) ...
        code, out, err = node.cli_run("walletpassphrasechange", "secret two", input="secret one\n", options=opts)
        assert_equal((code, err), (0, ""))
        # ... or both from stdin, one a line.
        code, out, err = node.cli_run("walletpassphrasechange", input="secret two\nsecret three\n", options=opts)
        assert_equal((code, err), (0, ""))
        code, out, err = node.cli_run("walletpassphrase", "60", input="secret three\n", options=opts)
        assert_equal(code, 0)
        # After -stdinrpcpass's line.
        user, password = node.read_cookie()
        code, out, err = node.cli_run("walletpassphrase", "60", input=f"{password}\nsecret three\n",
                                      options=[f"-rpcuser={user}", "-stdinrpcpass"] + opts)
        assert_equal((code, err), (0, ""))
        code, out, err = node.cli_run("getbalance", input="x\n", options=opts)
        assert_equal(code, 1)
        assert_in("-stdinwalletpassphrase is only applicable for walletpassphrase(change)", err)
        code, out, err = node.cli_run("walletpassphrase", "60", input="", options=opts)
        assert_equal(code, 1)
        assert_in("failed to read from standard input", err)

    def test_no_echo(self):
        node = self.nodes[0]
        master, slave = os.openpty()
        cmd = [node.cli_binary, f"-datadir={node.datadir}", "-rpcwallet=e", "-stdinwalletpassphrase",
               "walletpassphrase", "60"]
        proc = subprocess.Popen(cmd, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(slave)
        # Type only once the prompt shows (echo is off by then).
        prompt = b""
        deadline = time.time() + 30
        while b"Wallet passphrase> " not in prompt and time.time() < deadline:
            ready, _, _ = select.select([proc.stderr], [], [], 1)
            if ready:
                prompt += os.read(proc.stderr.fileno(), 100)
        assert_in(b"Wallet passphrase> ", prompt)
        os.write(master, b"secret three\n")
        out, err = proc.communicate(timeout=30)
        assert_equal(proc.returncode, 0)
        echoed = b""
        while select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 1000)
            except OSError:
                break
            if not chunk:
                break
            echoed += chunk
        os.close(master)
        assert b"secret" not in echoed, echoed


if __name__ == "__main__":
    sys.exit(CLIWalletTest().main())
