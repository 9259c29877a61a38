#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""scantxoutset (doc/rpc.md, "scantxoutset"): addr() and raw() scan objects,
with and without checksum, as strings or {"desc"} objects, find exactly the
unspent outputs paying them (coinbase or not, spent ones gone, mempool ones
not included); the result has Core's shape; status and abort with no scan
running; bad actions, descriptors and checksums are refused; one scan
object more than MAX_SCAN_OBJECTS (10,000) is refused."""
import sys
import threading
import time
from decimal import Decimal

from test_framework.authproxy import JSONRPCException
from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

SUBSIDY = Decimal("50.00000000")
MAX_SCAN_OBJECTS = 10_000


class ScanTxOutSetTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.miner = Key()
        self.alice = Key()
        self.bob = Key()
        hashes = node.generatetoaddress(3, self.alice.address)
        node.generatetoaddress(101, self.miner.address)
        self.alice_coinbases = [node.getblock(h)["tx"][0] for h in hashes]
        self.subtest("finds the coins of an address", self.test_addr)
        self.subtest("raw() and checksums", self.test_raw_and_checksum)
        self.subtest("spent and mempool outputs", self.test_spent)
        self.subtest("status and abort without a scan", self.test_status)
        self.subtest("errors", self.test_errors)
        self.subtest("one scan object over the limit", self.test_limit)
        self.subtest("a big UTXO set: one scan at a time, status, abort", self.test_concurrent)

    def test_addr(self):
        node = self.nodes[0]
        res = node.scantxoutset("start", [f"addr({self.alice.address})"])
        assert_equal(res["success"], True)
        assert_equal(res["height"], 104)
        assert_equal(res["bestblock"], node.getbestblockhash())
        assert_equal(res["txouts"], node.gettxoutsetinfo()["txouts"])
        assert_equal(res["total_amount"], 3 * SUBSIDY)
        assert_equal(sorted(u["txid"] for u in res["unspents"]), sorted(self.alice_coinbases))
        spk = node.validateaddress(self.alice.address)["scriptPubKey"]
        for u in res["unspents"]:
            assert_equal(set(u.keys()), {"txid", "vout", "scriptPubKey", "desc", "amount", "coinbase", "height"})
            assert_equal(u["vout"], 0)
            assert_equal(u["scriptPubKey"], spk)
            assert u["desc"].startswith(f"addr({self.alice.address})#")
            assert_equal(u["amount"], SUBSIDY)
            assert_equal(u["coinbase"], True)
            assert 1 <= u["height"] <= 3
        # Object form, and an address with nothing.
        res = node.scantxoutset("start", [{"desc": f"addr({self.bob.address})"}])
        assert_equal((res["unspents"], res["total_amount"]), ([], Decimal(0)))

    def test_raw_and_checksum(self):
        node = self.nodes[0]
        spk = node.validateaddress(self.alice.address)["scriptPubKey"]
        by_raw = node.scantxoutset("start", [f"raw({spk})"])
        assert_equal(len(by_raw["unspents"]), 3)
        # The desc a result gives is itself a valid scan object (with checksum).
        desc = by_raw["unspents"][0]["desc"]
        assert "#" in desc
        assert_equal(len(node.scantxoutset("start", [desc])["unspents"]), 3)
        # Both objects for the same destination: each coin once.
        both = node.scantxoutset("start", [f"raw({spk})", f"addr({self.alice.address})"])
        assert_equal(len(both["unspents"]), 3)
        bad = desc[:-1] + ("q" if desc[-1] != "q" else "p")
        assert_raises_rpc_error(-5, "does not match computed checksum", node.scantxoutset, "start", [bad])

    def test_spent(self):
        node = self.nodes[0]
        raw = node.createrawtransaction([{"txid": self.alice_coinbases[0], "vout": 0}],
                                        [{self.bob.address: SUBSIDY - Decimal("0.001")}])
        signed = node.signrawtransactionwithkey(raw, [self.alice.wif])
        txid = node.sendrawtransaction(signed["hex"])
        # In the mempool only: the UTXO set still has the coin, not the new one.
        assert_equal(len(node.scantxoutset("start", [f"addr({self.alice.address})"])["unspents"]), 3)
        assert_equal(node.scantxoutset("start", [f"addr({self.bob.address})"])["unspents"], [])
        node.generatetoaddress(1, self.miner.address)
        res = node.scantxoutset("start", [f"addr({self.alice.address})", f"addr({self.bob.address})"])
        assert_equal(res["height"], 105)
        found = {(u["txid"], u["coinbase"]) for u in res["unspents"]}
        assert_equal(found, {(self.alice_coinbases[1], True), (self.alice_coinbases[2], True), (txid, False)})
        assert_equal(res["total_amount"], 3 * SUBSIDY - Decimal("0.001"))
        bob = [u for u in res["unspents"] if u["txid"] == txid][0]
        assert_equal(bob["height"], 105)

    def test_status(self):
        node = self.nodes[0]
        assert_equal(node.scantxoutset("status"), None)
        assert_equal(node.scantxoutset("abort"), False)

    def test_errors(self):
        node = self.nodes[0]
        assert_raises_rpc_error(-8, "Invalid action 'go'", node.scantxoutset, "go")
        assert_raises_rpc_error(-8, "scanobjects argument is required for the start action", node.scantxoutset,
                                "start")
        assert_raises_rpc_error(-5, "is not a valid descriptor function", node.scantxoutset, "start",
                                ["pkh(02aa)"])
        assert_raises_rpc_error(-5, "Address is not valid", node.scantxoutset, "start", ["addr(nope)"])
        assert_raises_rpc_error(-5, "not a destination's encoding", node.scantxoutset, "start", ["raw(0120aa)"])
        assert_raises_rpc_error(-5, "not hex", node.scantxoutset, "start", ["raw(zz)"])
        assert_raises_rpc_error(-8, "Range should not be specified", node.scantxoutset, "start",
                                [{"desc": f"addr({self.bob.address})", "range": 10}])

    def test_limit(self):
        node = self.nodes[0]
        obj = f"addr({self.bob.address})"
        assert_equal(len(node.scantxoutset("start", [obj] * MAX_SCAN_OBJECTS)["unspents"]), 1)
        assert_raises_rpc_error(-8, "Too many scan objects: 10001 (at most 10000)", node.scantxoutset, "start",
                                [obj] * (MAX_SCAN_OBJECTS + 1))

    def fan_out(self, node, txid, key, outputs):
        """A spend of coinbase `txid` (paying `key`) into `outputs` equal
        outputs back to `key`: createrawtransaction refuses a repeated
        address, so its single output is replaced by `outputs` copies."""
        amount_each = (SUBSIDY - Decimal("0.01")) / outputs
        units = int(amount_each * 100_000_000)
        raw = node.createrawtransaction([{"txid": txid, "vout": 0}], [{key.address: Decimal(units) / 100_000_000}])
        spk = node.validateaddress(key.address)["scriptPubKey"]
        one_out = units.to_bytes(8, "little").hex() + spk
        # version(4) | 1 input: count(1) prevout(36) sequence(4) | outputs | locktime(4) | empty witness(1)
        head = raw[:2 * (4 + 1 + 36 + 4)]
        assert raw[len(head):len(head) + 2] == "01" and raw[len(head) + 2:-10] == one_out
        count = "fd" + outputs.to_bytes(2, "little").hex()
        unsigned = head + count + one_out * outputs + raw[-10:]
        signed = node.signrawtransactionwithkey(unsigned, [key.wif])
        assert_equal(signed["complete"], True)
        return node.sendrawtransaction(signed["hex"])

    def test_concurrent(self):
        node = self.nodes[0]
        bulk = Key()
        hashes = node.generatetoaddress(20, bulk.address)
        node.generatetoaddress(100, self.miner.address)
        for h in hashes:
            self.fan_out(node, node.getblock(h)["tx"][0], bulk, 9000)
        while node.getmempoolinfo()["size"] > 0:
            node.generatetoaddress(1, self.miner.address)
        scan_object = [f"addr({bulk.address})"]
        started = time.time()
        full = node.scantxoutset("start", scan_object)
        self.log(f"scan of {full['txouts']} coins: {time.time() - started:.2f} s")
        assert_equal(len(full["unspents"]), 20 * 9000)

        def scan_in_thread(results):
            user, password = node.read_cookie()
            proxy = node.make_proxy(user, password)
            results.append(proxy.scantxoutset("start", scan_object))

        def wait_for_scan(thread):
            while thread.is_alive():
                status = node.scantxoutset("status")
                if status is not None:
                    assert 0 <= status["progress"] <= 100
                    return True
            return False

        # A second start while one runs (tries until a scan was caught running).
        refused = False
        for _ in range(10):
            results = []
            thread = threading.Thread(target=scan_in_thread, args=(results,))
            thread.start()
            if wait_for_scan(thread):
                try:
                    node.scantxoutset("start", scan_object)  # the first may just have ended
                except JSONRPCException as e:
                    assert_equal(e.code, -8)
                    assert_equal(e.message, 'Scan already in progress, use action "abort" or "status"')
                    refused = True
            thread.join()
            assert_equal(results[0]["success"], True)
            if refused:
                break
        assert refused, "never caught a scan running"

        # Abort: the running scan stops and answers success false.
        aborted = False
        for _ in range(10):
            results = []
            thread = threading.Thread(target=scan_in_thread, args=(results,))
            thread.start()
            if wait_for_scan(thread):
                aborted = node.scantxoutset("abort")
            thread.join()
            if aborted and not results[0]["success"]:
                assert len(results[0]["unspents"]) < 20 * 9000
                assert results[0]["txouts"] < full["txouts"]
                break
            aborted = False
        assert aborted, "never aborted a running scan"
        assert_equal(node.scantxoutset("status"), None)
        # A scan after an abort runs to the end again.
        assert_equal(node.scantxoutset("start", scan_object)["success"], True)


if __name__ == "__main__":
    sys.exit(ScanTxOutSetTest().main())
