#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""The methods an exchange or pool expects from bitcoind (doc/rpc.md):
waitfornewblock / waitforblock / waitforblockheight (a waiter released by a
new block, timeouts returning the tip, a waiter released by shutdown),
getblockstats and getchaintxstats against fees the test chose,
getmempoolancestors / getmempooldescendants on a parent and child,
estimatesmartfee without and with data, getmemoryinfo and logging; each
method's errors, one past each bound."""
import sys
import threading
from decimal import Decimal

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

SUBSIDY = Decimal("50.00000000")
COIN = 100_000_000
# Coinbases 1..9 are mature for the next block (a height-h coinbase may be
# spent in block h + 100).
INITIAL_BLOCKS = 109
# The fees of the transactions of the stats block, in base units (distinct,
# so min, max and median are each one of them). At least five: the
# estimator's FEE_ESTIMATE_MIN_TXS.
FEES = [1000, 2000, 3000, 5000, 8000, 13000]
ZERO_HASH = "00" * 32


class MiscExchangeTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.key = Key()
        node = self.nodes[0]
        hashes = node.generatetoaddress(INITIAL_BLOCKS, self.key.address)
        self.coinbase = {h: node.getblock(hashes[h - 1])["tx"][0] for h in range(1, INITIAL_BLOCKS + 1)}
        self.subtest("estimatesmartfee without data", self.test_estimate_no_data)
        self.subtest("mempool ancestors and descendants", self.test_mempool_relatives)
        self.subtest("getblockstats", self.test_blockstats)
        self.subtest("getchaintxstats", self.test_chaintxstats)
        self.subtest("estimatesmartfee with data", self.test_estimate)
        self.subtest("waitfor* timeouts and errors", self.test_wait_timeouts)
        self.subtest("waitfornewblock released by a block", self.test_wait_released)
        self.subtest("getmemoryinfo", self.test_memoryinfo)
        self.subtest("logging", self.test_logging)
        self.subtest("a waiter is released by shutdown; counts survive a restart", self.test_wait_shutdown)

    def spend(self, txid, amount, to=None):
        node = self.nodes[0]
        to = to or self.key
        raw = node.createrawtransaction([{"txid": txid, "vout": 0}], [{to.address: amount}])
        signed = node.signrawtransactionwithkey(raw, [self.key.wif])
        assert_equal(signed["complete"], True)
        return node.sendrawtransaction(signed["hex"])

    def test_estimate_no_data(self):
        node = self.nodes[0]
        assert_equal(node.estimatesmartfee(6), {"errors": ["Insufficient data or no feerate found"], "blocks": 6})
        assert_raises_rpc_error(-8, "Invalid conf_target, must be between 1 and 1008", node.estimatesmartfee, 0)
        assert_raises_rpc_error(-8, "Invalid conf_target, must be between 1 and 1008", node.estimatesmartfee, 1009)
        assert_raises_rpc_error(-8, "Invalid estimate_mode parameter", node.estimatesmartfee, 2, "fast")
        for mode in ["unset", "ECONOMICAL", "Conservative"]:
            assert_equal(node.estimatesmartfee(1008, mode)["blocks"], 1008)

    def test_mempool_relatives(self):
        node = self.nodes[0]
        # Coinbases 1..6 with FEES; the one at height 1 gets a child.
        self.txids = [self.spend(self.coinbase[i + 1], SUBSIDY - Decimal(fee) / COIN) for i, fee in enumerate(FEES)]
        parent = self.txids[0]
        self.child = self.spend(parent, SUBSIDY - Decimal(FEES[0] + 500) / COIN)
        assert_equal(node.getmempoolancestors(self.child), [parent])
        assert_equal(node.getmempooldescendants(parent), [self.child])
        assert_equal(node.getmempoolancestors(parent), [])
        assert_equal(node.getmempooldescendants(self.child), [])
        verbose = node.getmempoolancestors(self.child, True)
        assert_equal(list(verbose), [parent])
        assert_equal(verbose[parent], node.getmempoolentry(parent))
        assert_equal(node.getmempooldescendants(parent, True)[self.child]["depends"], [parent])
        for method in (node.getmempoolancestors, node.getmempooldescendants):
            assert_raises_rpc_error(-5, "Transaction not in mempool", method, ZERO_HASH)
            assert_raises_rpc_error(-8, "txid must be of length 64", method, "ab")

    def test_blockstats(self):
        node = self.nodes[0]
        self.stats_hash = node.generatetoaddress(1, self.key.address)[0]
        height = INITIAL_BLOCKS + 1
        block = node.getblock(self.stats_hash, 2)
        sizes = {tx["txid"]: tx["size"] for tx in block["tx"]}
        fees = FEES + [500]
        stats = node.getblockstats(height)
        assert_equal(stats, node.getblockstats(self.stats_hash))
        assert_equal(stats["blockhash"], self.stats_hash)
        assert_equal(stats["height"], height)
        assert_equal(stats["txs"], len(FEES) + 2)
        assert_equal(stats["ins"], len(FEES) + 1)
        assert_equal(stats["outs"], len(block["tx"][0]["vout"]) + len(FEES) + 1)
        assert_equal(stats["utxo_increase"], stats["outs"] - stats["ins"])
        assert_equal(stats["totalfee"], sum(fees))
        assert_equal(stats["minfee"], 500)
        assert_equal(stats["maxfee"], 13000)
        assert_equal(stats["medianfee"], 3000)  # 500 1000 2000 [3000] 5000 8000 13000
        assert_equal(stats["avgfee"], sum(fees) // len(fees))
        spend_sizes = [size for txid, size in sizes.items() if txid != block["tx"][0]["txid"]]
        assert_equal(stats["total_size"], sum(spend_sizes))
        assert_equal(stats["mintxsize"], min(spend_sizes))
        assert_equal(stats["maxtxsize"], max(spend_sizes))
        assert_equal(stats["avgfeerate"], sum(fees) // sum(spend_sizes))
        assert_equal(stats["subsidy"], int(SUBSIDY * COIN))
        assert_equal(stats["time"], block["time"])
        assert_equal(stats["mediantime"], block["mediantime"])
        assert_equal(len(stats["feerate_percentiles"]), 5)
        assert stats["minfeerate"] <= stats["feerate_percentiles"][0] <= stats["feerate_percentiles"][4] <= stats["maxfeerate"]
        assert_equal(stats["total_out"], sum(int(o["value"] * COIN) for tx in block["tx"][1:] for o in tx["vout"]))
        assert_equal(node.getblockstats(height, ["totalfee", "txs"]), {"totalfee": sum(fees), "txs": len(fees) + 1})
        # Genesis has no undo data: no fees, no spends.
        genesis = node.getblockstats(0)
        assert_equal((genesis["txs"], genesis["totalfee"], genesis["ins"]), (1, 0, 0))
        assert_raises_rpc_error(-8, f"Target block height {height + 1} after current tip {height}",
                                node.getblockstats, height + 1)
        assert_raises_rpc_error(-8, "Target block height -1 is negative", node.getblockstats, -1)
        assert_raises_rpc_error(-5, "Block not found", node.getblockstats, ZERO_HASH)
        assert_raises_rpc_error(-8, "Invalid selected statistic 'nosuchstat'", node.getblockstats, height,
                                ["txs", "nosuchstat"])
        # Core's segwit-only statistics are left out, so they are refused.
        assert_raises_rpc_error(-8, "Invalid selected statistic 'swtxs'", node.getblockstats, height, ["swtxs"])

    def test_chaintxstats(self):
        node = self.nodes[0]
        height = node.getblockcount()
        tip = node.getbestblockhash()
        # Genesis, one coinbase per block, and the stats block's spends.
        total = 1 + height + len(FEES) + 1
        stats = node.getchaintxstats()
        assert_equal(stats["txcount"], total)
        assert_equal(stats["window_final_block_hash"], tip)
        assert_equal(stats["window_final_block_height"], height)
        assert_equal(stats["window_block_count"], height - 1)
        assert_equal(stats["window_tx_count"], total - 2)  # minus genesis and block 1
        assert_equal(stats["time"], node.getblockheader(tip)["time"])
        one = node.getchaintxstats(1)
        assert_equal((one["window_block_count"], one["window_tx_count"]), (1, len(FEES) + 2))
        assert_equal(one["window_interval"],
                     node.getblockheader(tip)["mediantime"] - node.getblockheader(node.getblockhash(height - 1))["mediantime"])
        zero = node.getchaintxstats(0)
        assert "window_tx_count" not in zero and "txrate" not in zero
        earlier = node.getchaintxstats(5, node.getblockhash(50))
        assert_equal((earlier["txcount"], earlier["window_final_block_height"]), (51, 50))
        assert_raises_rpc_error(-8, "Invalid block count: should be between 0 and the block's height - 1",
                                node.getchaintxstats, height)
        assert_raises_rpc_error(-8, "Invalid block count", node.getchaintxstats, -1)
        assert_raises_rpc_error(-5, "Block not found", node.getchaintxstats, 1, ZERO_HASH)
        node.invalidateblock(tip)
        assert_raises_rpc_error(-8, "Block is not in main chain", node.getchaintxstats, 1, tip)
        node.reconsiderblock(tip)
        assert_equal(node.getbestblockhash(), tip)

    def test_estimate(self):
        node = self.nodes[0]
        # Seven confirmed rates in the last 24 blocks; the mempool is empty, so
        # the estimate is a sampled rate (or the relay minimum).
        stats = node.getblockstats(INITIAL_BLOCKS + 1)
        fast = node.estimatesmartfee(1, "economical")
        slow = node.estimatesmartfee(1008, "economical")
        assert "errors" not in fast and "errors" not in slow
        assert_equal((fast["blocks"], slow["blocks"]), (1, 1008))
        assert slow["feerate"] <= fast["feerate"]
        assert fast["feerate"] <= Decimal(stats["maxfeerate"] * 1000 + 999) / COIN
        assert node.estimatesmartfee(1, "conservative")["feerate"] >= fast["feerate"]
        assert slow["feerate"] >= node.getmempoolinfo()["minrelaytxfee"]

    def test_wait_timeouts(self):
        node = self.nodes[0]
        tip = {"hash": node.getbestblockhash(), "height": node.getblockcount()}
        assert_equal(node.waitfornewblock(1), tip)
        assert_equal(node.waitforblock(ZERO_HASH, 1), tip)
        assert_equal(node.waitforblock(tip["hash"]), tip)
        assert_equal(node.waitforblockheight(tip["height"]), tip)
        assert_equal(node.waitforblockheight(tip["height"] + 1, 1), tip)
        for call in (lambda: node.waitfornewblock(-1), lambda: node.waitforblock(tip["hash"], -1),
                     lambda: node.waitforblockheight(0, -1)):
            assert_raises_rpc_error(-1, "Negative timeout", call)
        assert_raises_rpc_error(-8, "blockhash must be of length 64", node.waitforblock, "00")

    def start_waiter(self, method, *args):
        """Calls `method` on its own connection in a thread; returns the thread
        and a list that receives the result (or the exception), once the node
        lists the call as active."""
        node = self.nodes[0]
        rpc = node.make_proxy(*node.read_cookie(), timeout=700)
        out = []

        def run():
            try:
                out.append(getattr(rpc, method)(*args))
            except Exception as e:  # noqa: BLE001 - handed to the main thread
                out.append(e)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        while not any(c["method"] == method for c in node.getrpcinfo()["active_commands"]):
            assert thread.is_alive(), out
            thread.join(0.01)
        return thread, out

    def test_wait_released(self):
        node = self.nodes[0]
        height = node.getblockcount()
        new_block, new_out = self.start_waiter("waitfornewblock", 0)
        height_waiter, height_out = self.start_waiter("waitforblockheight", height + 2)
        first = node.generatetoaddress(1, self.key.address)[0]
        new_block.join()
        assert_equal(new_out, [{"hash": first, "height": height + 1}])
        assert height_waiter.is_alive()
        second = node.generatetoaddress(1, self.key.address)[0]
        height_waiter.join()
        assert_equal(height_out, [{"hash": second, "height": height + 2}])
        # waitforblock for a block that returns to the tip.
        node.invalidateblock(second)
        block_waiter, block_out = self.start_waiter("waitforblock", second, 0)
        node.reconsiderblock(second)
        block_waiter.join()
        assert_equal(block_out, [{"hash": second, "height": height + 2}])

    def test_memoryinfo(self):
        node = self.nodes[0]
        info = node.getmemoryinfo()
        assert_equal(info, node.getmemoryinfo("stats"))
        assert_equal(info, {"locked": {"used": 0, "free": 0, "total": 0, "locked": 0, "chunks_used": 0,
                                       "chunks_free": 0}})
        assert node.getmemoryinfo("mallocinfo").startswith("<malloc")
        assert_raises_rpc_error(-8, "unknown mode foobar", node.getmemoryinfo, "foobar")

    def test_logging(self):
        node = self.nodes[0]
        before = node.logging()
        assert "net" in before and "all" not in before
        assert_equal(node.logging(["net"])["net"], True)
        assert_equal(node.logging([], ["net"])["net"], False)
        # Include then exclude: excluded wins.
        assert_equal(node.logging(["mempool"], ["mempool"])["mempool"], False)
        everything = node.logging(["all"])
        assert all(everything.values())
        assert_equal(node.logging(["none"]), everything)
        assert not any(node.logging([], ["all"]).values())
        assert_raises_rpc_error(-8, "unknown logging category nosuchcategory", node.logging, ["net", "nosuchcategory"])
        # A bad name changes nothing, even after a good one.
        assert_equal(node.logging()["net"], False)
        assert_raises_rpc_error(-3, None, node.logging, "net")
        node.logging([name for name, on in before.items() if on])
        assert_equal(node.logging(), before)

    def test_wait_shutdown(self):
        node = self.nodes[0]
        txcount = node.getchaintxstats()["txcount"]
        waiter, out = self.start_waiter("waitfornewblock", 0)
        node.stop()
        waiter.join()
        # Either the current tip came back or the connection closed first.
        assert len(out) == 1
        if isinstance(out[0], dict):
            assert_equal(out[0]["height"], INITIAL_BLOCKS + 3)
        # The cumulative transaction count is derived again at load.
        node.start()
        assert_equal(node.getchaintxstats()["txcount"], txcount)
        assert_equal(node.getchaintxstats(1, node.getblockhash(INITIAL_BLOCKS + 1))["window_tx_count"], len(FEES) + 2)


if __name__ == "__main__":
    sys.exit(MiscExchangeTest().main())
