#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Malformed requests to the chain methods get Core's error codes and the
node keeps serving: wrong parameter types (-3), out-of-range heights (-8),
unknown hashes (-5), bad hex (-8, -22), garbage blocks and transactions
(-22), bounded echoes of long input; submitblock's answers for a side branch,
an unknown parent and duplicates; getworktemplate / submitwork argument
errors; setmocktime moving block times on regtest; errors inside a batch;
readers running while blocks are generated; and hpips-cli converting exactly
the non-string arguments of every chain method (checked against `help`)."""
import re
import sys
import threading
import time

from test_framework.authproxy import JSONRPCException
from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, assert_raises_rpc_error

INITIAL_BLOCKS = 10
MAX_BLOCK_SIZE = 4_000_000
ECHO_LIMIT = 100  # characters of user input an error message repeats
MOCK_AHEAD = 100  # seconds: less than the 600 s a block may be ahead of the clock
CONCURRENT_BLOCKS = 20
READER_THREADS = 3
# Sample values per help type for the conversion check: what a user types.
SAMPLES = {"string": "1", "numeric": "1", "boolean": "true", "json array": "[]", "json object": "{}",
           "any": "1", "amount": "1", "numeric or string": "1"}
HELP_ARGUMENT = re.compile(r"^(\d+)\. (\w+)\s+\(([^,)]+)")
NOT_CHECKED = {"stop", "help"}


class BlockchainRPCTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.key = Key()
        self.hashes = self.nodes[0].generatetoaddress(INITIAL_BLOCKS, self.key.address)
        self.subtest("getblockhash parameter errors", self.test_getblockhash)
        self.subtest("getblockheader and getblock hash errors", self.test_block_lookups)
        self.subtest("submitblock garbage", self.test_submitblock_garbage)
        self.subtest("submitblock answers", self.test_submitblock_answers)
        self.subtest("gettxout, invalidateblock and reconsiderblock errors", self.test_txout_invalidate)
        self.subtest("transaction decoding errors", self.test_transaction_errors)
        self.subtest("generatetoaddress and generateblock errors", self.test_generate_errors)
        self.subtest("getworktemplate and submitwork errors", self.test_work_errors)
        self.subtest("setmocktime moves block times on regtest", self.test_mocktime)
        self.subtest("errors inside a batch", self.test_batch)
        self.subtest("readers while blocks are generated", self.test_concurrent)
        self.subtest("hpips-cli converts the non-string arguments", self.test_cli_conversion)
        self.subtest("the node keeps serving", self.test_still_serving)

    def test_getblockhash(self):
        node = self.nodes[0]
        height = node.getblockcount()
        assert_raises_rpc_error(-3, "JSON value of type string is not of expected type number",
                                node.getblockhash, "abc")
        assert_raises_rpc_error(-3, "Position 1 (height)", node.getblockhash, "abc")
        assert_raises_rpc_error(-3, "of type bool", node.getblockhash, True)
        assert_raises_rpc_error(-3, "of type null", node.getblockhash, None)
        assert_raises_rpc_error(-3, "JSON integer out of range", node.getblockhash, 2**63)
        assert_raises_rpc_error(-3, None, node.getblockhash, 1.5)
        for bad in (-1, height + 1, 2**31):
            assert_raises_rpc_error(-8, "Block height out of range", node.getblockhash, bad)
        # Wrong argument count: Core answers -1 with the method's help.
        assert_raises_rpc_error(-1, "getblockhash height", node.getblockhash)
        assert_raises_rpc_error(-1, "getblockhash height", node.getblockhash, 1, 2)
        # Named parameters are checked the same way.
        assert_raises_rpc_error(-3, "of type string", node.getblockhash, height="abc")
        assert_equal(node.getblockhash(height=height), self.hashes[-1])

    def test_block_lookups(self):
        node = self.nodes[0]
        for method in (node.getblockheader, node.getblock):
            assert_raises_rpc_error(-5, "Block not found", method, "00" * 32)
            assert_raises_rpc_error(-8, "blockhash must be hexadecimal string (not '" + "zz" * 32 + "')",
                                    method, "zz" * 32)
            assert_raises_rpc_error(-8, "blockhash must be of length 64 (not 2, for 'ab')", method, "ab")
            assert_raises_rpc_error(-8, "blockhash must be of length 64 (not 0, for '')", method, "")
            assert_raises_rpc_error(-3, "of type number is not of expected type string", method, 5)
            assert_raises_rpc_error(-3, "of type array", method, [])
            # Long input is echoed at most ECHO_LIMIT characters.
            error = assert_raises_rpc_error(-8, "must be of length 64 (not 5000", method, "z" * 5000)
            assert error.message.count("z") <= ECHO_LIMIT, error.message
            assert len(error.message) < 3 * ECHO_LIMIT
        assert_raises_rpc_error(-3, "of type string is not of expected type bool", node.getblockheader,
                                self.hashes[0], "x")
        assert_raises_rpc_error(-3, None, node.getblock, self.hashes[0], "x")
        # Upper-case hex is a hash too.
        assert_equal(node.getblockheader(self.hashes[0].upper())["hash"], self.hashes[0])

    def test_submitblock_garbage(self):
        node = self.nodes[0]
        good = node.getblock(self.hashes[0], 0)
        assert_raises_rpc_error(-22, "Block decode failed: not a hex string", node.submitblock, "zz")
        assert_raises_rpc_error(-22, "Block decode failed", node.submitblock, "0")
        assert_raises_rpc_error(-22, "Block decode failed: truncated", node.submitblock, "")
        assert_raises_rpc_error(-22, "Block decode failed: truncated", node.submitblock, "00")
        assert_raises_rpc_error(-22, "Block decode failed: truncated", node.submitblock, good[:200])
        assert_raises_rpc_error(-22, "Block decode failed: truncated", node.submitblock, good[:-2])
        assert_raises_rpc_error(-22, "Block decode failed: trailing bytes", node.submitblock, good + "00")
        assert_raises_rpc_error(-22, "Block decode failed", node.submitblock, "ff" * 1000)
        # Larger than a block can be: refused before it is decoded.
        assert_raises_rpc_error(-22, f"block larger than {MAX_BLOCK_SIZE} bytes", node.submitblock,
                                "ab" * (MAX_BLOCK_SIZE + 1))
        assert_raises_rpc_error(-3, "of type number is not of expected type string", node.submitblock, 5)
        assert_equal(node.getbestblockhash(), self.hashes[-1])

    def test_submitblock_answers(self):
        node = self.nodes[0]
        # A sibling of the next block: stored on a side branch.
        side = node.generateblock(self.key.address, [], False)
        main = node.generatetoaddress(1, self.key.address)[0]
        assert_equal(node.submitblock(side["hex"]), "inconclusive")
        assert_equal(node.submitblock(side["hex"]), "duplicate")
        assert_equal(node.getbestblockhash(), main)
        tips = {tip["hash"]: tip["status"] for tip in node.getchaintips()}
        assert_equal(tips[side["hash"]], "valid-headers")
        assert_equal(tips[main], "active")
        # The dummy argument is accepted and ignored.
        assert_equal(node.submitblock(node.getblock(main, 0), "ignored"), "duplicate")
        # An unknown parent: the header's prev_block (bytes 4..36) replaced.
        orphan = side["hex"][:8] + "11" * 32 + side["hex"][72:]
        assert_equal(node.submitblock(orphan), "prev-blk-not-found")
        # A different proof under the same template: high-ticket or a state mismatch, both pouw reasons.
        self.hashes = [node.getblockhash(h) for h in range(1, node.getblockcount() + 1)]

    def test_txout_invalidate(self):
        node = self.nodes[0]
        coinbase = node.getblock(self.hashes[0])["tx"][0]
        assert_raises_rpc_error(-3, "JSON integer out of range", node.gettxout, coinbase, -1)
        assert_raises_rpc_error(-3, "JSON integer out of range", node.gettxout, coinbase, 2**32)
        assert_raises_rpc_error(-3, "of type string", node.gettxout, coinbase, "0")
        assert_raises_rpc_error(-8, "txid must be of length 64 (not 2, for 'zz')", node.gettxout, "zz", 0)
        assert_equal(node.gettxout(coinbase, 1), None)
        assert_equal(node.gettxout("00" * 32, 0), None)
        assert_equal(node.gettxout(coinbase, 2**32 - 1), None)
        assert_raises_rpc_error(-8, "blockhash must be of length 64", node.invalidateblock, "zz")
        assert_raises_rpc_error(-5, "Block not found", node.invalidateblock, "00" * 32)
        assert_raises_rpc_error(-5, "Block not found", node.reconsiderblock, "00" * 32)
        assert_raises_rpc_error(-20, "cannot invalidate genesis", node.invalidateblock, node.getblockhash(0))
        assert_raises_rpc_error(-5, "Transaction not in mempool", node.getmempoolentry, "00" * 32)
        assert_equal(node.getbestblockhash(), self.hashes[-1])

    def test_transaction_errors(self):
        node = self.nodes[0]
        block = node.getblock(self.hashes[0], 0)
        for bad, why in (("", "truncated"), ("00", "truncated"), ("zz", "not a hex string"), (block, None)):
            assert_raises_rpc_error(-22, "TX decode failed" + (f": {why}" if why else ""),
                                    node.decoderawtransaction, bad)
            assert_raises_rpc_error(-22, "TX decode failed", node.sendrawtransaction, bad)
            assert_raises_rpc_error(-22, "TX decode failed", node.signrawtransactionwithkey, bad, [])
        assert_raises_rpc_error(-8, "txid must be of length 64", node.createrawtransaction,
                                [{"txid": "zz", "vout": 0}], {})
        assert_raises_rpc_error(-3, "of type string is not of expected type array", node.createrawtransaction,
                                "x", {})
        assert_raises_rpc_error(-3, "of type string is not of expected type array", node.testmempoolaccept, "x")
        assert_raises_rpc_error(-8, "parameter 3 must be of length 64", node.getrawtransaction, "00" * 32, 0, "zz")
        assert_raises_rpc_error(-8, "'NONE' is not a valid sighash parameter.", node.signrawtransactionwithkey,
                                node.createrawtransaction([], {}), [], [], "NONE")

    def test_generate_errors(self):
        node = self.nodes[0]
        height = node.getblockcount()
        for bad in (-1, 10001):
            assert_raises_rpc_error(-8, "nblocks must be between 0 and 10000", node.generatetoaddress, bad,
                                    self.key.address)
        assert_raises_rpc_error(-5, "Error: Invalid address", node.generatetoaddress, 1, "bad")
        # A mainnet-style address is not a regtest address.
        assert_raises_rpc_error(-5, "Error: Invalid address", node.generatetoaddress, 1,
                                "hp" + self.key.address[3:])
        assert_equal(node.generatetoaddress(1, self.key.address, 0), [])
        assert_raises_rpc_error(-5, "Error: Invalid address or descriptor", node.generateblock, "bad", [])
        assert_raises_rpc_error(-22, "Transaction decode failed for zz", node.generateblock, self.key.address,
                                ["zz"])
        assert_raises_rpc_error(-5, f"Transaction {'00' * 32} not in mempool.", node.generateblock,
                                self.key.address, ["00" * 32])
        assert_raises_rpc_error(-3, "of type string is not of expected type array", node.generateblock,
                                self.key.address, "x")
        assert_equal(node.getblockcount(), height)

    def test_work_errors(self):
        node = self.nodes[0]
        assert_raises_rpc_error(-5, "Error: Invalid address", node.getworktemplate, "bad")
        template = node.getworktemplate(self.key.address)
        assert_equal(template["height"], node.getblockcount() + 1)
        assert_equal(template["previousblockhash"], node.getbestblockhash())
        assert_equal(template["miner_key"], self.key.xonly.hex())
        assert_equal(template["coinbasevalue"], 5_000_000_000)
        assert_equal(template["transactions"], 0)
        assert_equal(len(bytes.fromhex(template["header_template"])), 76)
        template_id = template["template_id"]
        zeros = "00" * 32
        assert_raises_rpc_error(-8, "Unknown or expired template_id", node.submitwork, zeros, 0, zeros, 0, zeros,
                                "00")
        assert_raises_rpc_error(-8, "state must be 32 bytes", node.submitwork, template_id, 0, zeros, 0, "zz", "00")
        assert_raises_rpc_error(-8, "state must be 32 bytes", node.submitwork, template_id, 0, zeros, 0,
                                "00" * 31, "00")
        assert_raises_rpc_error(-3, "JSON integer out of range", node.submitwork, template_id, 2**64, zeros, 0,
                                zeros, "00")
        assert_raises_rpc_error(-3, "JSON integer out of range", node.submitwork, template_id, -1, zeros, 0,
                                zeros, "00")
        assert_raises_rpc_error(-3, "of type string", node.submitwork, template_id, "0", zeros, 0, zeros, "00")
        # Well-formed but wrong proofs: answered like submitblock, with a pouw reason.
        assert node.submitwork(template_id, 0, zeros, 0, zeros, "00").startswith("bad-pouw-")
        assert node.submitwork(template_id, 0, zeros, 10**6, zeros, "00").startswith("bad-pouw-")
        assert_equal(node.getblockcount(), template["height"] - 1)

    def test_mocktime(self):
        node = self.nodes[0]
        mock = int(time.time()) + MOCK_AHEAD
        node.setmocktime(mock)
        try:
            block_hash = node.generatetoaddress(1, self.key.address)[0]
            assert_equal(node.getblockheader(block_hash)["time"], mock)
            assert_equal(node.getworktemplate(self.key.address)["curtime"], mock)
        finally:
            node.setmocktime(0)
        assert_raises_rpc_error(-8, "Mocktime must be in the range", node.setmocktime, -1)
        self.hashes = [node.getblockhash(h) for h in range(1, node.getblockcount() + 1)]

    def test_batch(self):
        node = self.nodes[0]
        replies = node.rpc.batch([
            {"jsonrpc": "2.0", "id": 1, "method": "getblockcount"},
            {"jsonrpc": "2.0", "id": 2, "method": "getblockhash", "params": ["x"]},
            {"jsonrpc": "2.0", "id": 3, "method": "getblock", "params": ["zz"]},
            {"jsonrpc": "2.0", "id": 4, "method": "submitblock", "params": ["zz"]},
            {"jsonrpc": "2.0", "id": 5, "method": "getbestblockhash"},
        ])
        by_id = {reply["id"]: reply for reply in replies}
        assert_equal(by_id[1]["result"], len(self.hashes))
        assert_equal(by_id[2]["error"]["code"], -3)
        assert_equal(by_id[3]["error"]["code"], -8)
        assert_equal(by_id[4]["error"]["code"], -22)
        assert_equal(by_id[5]["result"], self.hashes[-1])

    def test_concurrent(self):
        node = self.nodes[0]
        user, password = node.read_cookie()
        errors = []
        stop = threading.Event()
        calls = [0]

        def reader():
            proxy = node.make_proxy(user, password)
            try:
                while not stop.is_set():
                    info = proxy.getblockchaininfo()
                    block = proxy.getblock(info["bestblockhash"], 2)
                    assert block["height"] <= proxy.getblockcount()
                    proxy.gettxoutsetinfo()
                    proxy.getrawmempool(True)
                    proxy.getchaintips()
                    calls[0] += 1
            except Exception as e:  # noqa: BLE001 - reported by the main thread
                errors.append(e)
            finally:
                proxy.close()

        threads = [threading.Thread(target=reader) for _ in range(READER_THREADS)]
        for t in threads:
            t.start()
        try:
            generated = node.generatetoaddress(CONCURRENT_BLOCKS, self.key.address)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "a reader hangs"
        assert_equal(errors, [])
        assert_equal(len(generated), CONCURRENT_BLOCKS)
        assert calls[0] > 0
        info = node.gettxoutsetinfo()
        assert_equal(info["height"], node.getblockcount())
        assert_equal(info["txouts"], info["height"])
        self.hashes = [node.getblockhash(h) for h in range(1, node.getblockcount() + 1)]

    def chain_methods(self):
        """{method: [(name, help type)]} from `help`, control methods left out."""
        node = self.nodes[0]
        methods = {}
        category = None
        for line in node.help().splitlines():
            if line.startswith("== "):
                category = line.strip("= ")
                continue
            if not line or category == "Control":
                continue
            name = line.split()[0]
            if name in NOT_CHECKED:
                continue
            arguments = []
            for help_line in node.help(name).splitlines():
                match = HELP_ARGUMENT.match(help_line)
                if match:
                    assert_equal(int(match.group(1)), len(arguments) + 1)
                    arguments.append((match.group(2), match.group(3).strip()))
            methods[name] = arguments
        return methods

    def test_cli_conversion(self):
        """Each argument gets a sample of its help type, positionally and by
        name: a type error from the server means hpips-cli sent a string
        where JSON was due, or JSON where a string was due."""
        node = self.nodes[0]
        methods = self.chain_methods()
        assert_in("getblockhash", methods)
        assert_in("generateblock", methods)
        problems = []
        for method, arguments in sorted(methods.items()):
            if not arguments:
                continue
            unknown = [t for _, t in arguments if t not in SAMPLES]
            assert not unknown, f"{method}: unknown help types {unknown}"
            samples = [SAMPLES[t] for _, t in arguments]
            named = [f"{name}={SAMPLES[t]}" for name, t in arguments]
            for options, args in (([], samples), (["-named"], named)):
                code, _, err = node.cli_run(method, *args, options=options)
                if code != 0 and ("Wrong type passed" in err or "Error parsing JSON" in err):
                    problems.append(f"{' '.join(options + [method] + args)}: {err.strip()}")
        assert_equal(problems, [])
        # And one real call of each kind through the cli.
        assert_equal(node.cli.getblockhash(1), self.hashes[0])
        assert_equal(node.cli("-named").getblockhash(height=1), self.hashes[0])
        assert_equal(node.cli.getblock(self.hashes[0], 0), node.getblock(self.hashes[0], 0))
        assert_equal(node.cli.invalidateblock(self.hashes[-1]), "")
        assert_equal(node.cli.getblockcount(), len(self.hashes) - 1)
        assert_equal(node.cli.reconsiderblock(self.hashes[-1]), "")
        assert_equal(node.cli.getbestblockhash(), self.hashes[-1])
        block = node.cli.generateblock(self.key.address, [], False)
        assert_equal(sorted(block), ["hash", "hex"])
        assert_equal(node.getblockcount(), len(self.hashes))

    def test_still_serving(self):
        node = self.nodes[0]
        assert node.running()
        assert_equal(node.getblockcount(), len(self.hashes))
        assert_equal(node.getbestblockhash(), self.hashes[-1])
        assert isinstance(node.uptime(), int)
        node.stop()
        node.start()
        assert_equal(node.getbestblockhash(), self.hashes[-1])


if __name__ == "__main__":
    sys.exit(BlockchainRPCTest().main())
