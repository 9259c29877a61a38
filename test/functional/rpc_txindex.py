#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""-txindex and Core's transaction JSON, as an exchange's tooling sees them:
getrawtransaction without and with the index (Core's error text and code),
a hpips.conf with txindex=1 at the top level, getindexinfo, the index across
a clean restart and a SIGKILL, following invalidateblock / reconsiderblock,
-txindex off then on (it resumes), and the scriptPubKey {asm, desc, hex,
address, type} of outputs with getblock 2 / 3 fees and prevouts and
getrawtransaction 2."""
import os
import sys
from decimal import Decimal

from test_framework.descriptors import address_spk
from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, wait_until, write_config

SUBSIDY = Decimal("50.00000000")
FEE = Decimal("0.00010000")
NO_INDEX_ERROR = ("No such mempool transaction. Use -txindex or provide a block hash to enable blockchain "
                  "transaction queries. Use gettransaction for wallet transactions.")


class TxIndexTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.key = Key()
        self.other = Key()
        self.subtest("without -txindex: Core's error, no index", self.test_without_index)
        self.subtest("scriptPubKey, fee and prevout in getblock 2 / 3", self.test_block_json)
        self.subtest("txindex=1 in the config file builds the index", self.test_config_builds_index)
        self.subtest("getrawtransaction through the index", self.test_lookup)
        self.subtest("the index after a restart and a SIGKILL", self.test_restart_and_kill)
        self.subtest("the index follows invalidateblock and reconsiderblock", self.test_reorg)
        self.subtest("-txindex off, then on again: it resumes", self.test_off_then_on)

    # --- helpers -----------------------------------------------------------
    def wait_for_index(self, node):
        height = node.getblockcount()
        wait_until(lambda: node.getindexinfo() == {"txindex": {"synced": True, "best_block_height": height}},
                   what=f"txindex at height {height}")

    def write_conf(self, node, txindex):
        # As an exchange's bitcoin.conf: txindex at the top level.
        lines = ["regtest=1", "server=1"] + (["txindex=1"] if txindex else [])
        write_config(node.conf_path, lines + ["[regtest]", f"rpcport={node.rpc_port}", "printtoconsole=0",
                                              f"port={node.p2p_port}"])

    # --- subtests ----------------------------------------------------------
    def test_without_index(self):
        node = self.nodes[0]
        hashes = node.generatetoaddress(101, self.key.address)
        self.coinbase1 = node.getblock(hashes[0])["tx"][0]
        raw = node.createrawtransaction([{"txid": self.coinbase1, "vout": 0}], [{self.other.address: SUBSIDY - FEE}])
        signed = node.signrawtransactionwithkey(raw, [self.key.wif])
        self.tx_hex = signed["hex"]
        self.txid = node.sendrawtransaction(self.tx_hex)
        self.block = node.generatetoaddress(1, self.key.address)[0]
        assert_raises_rpc_error(-5, NO_INDEX_ERROR, node.getrawtransaction, self.txid)
        assert_equal(node.getrawtransaction(self.txid, 0, self.block), self.tx_hex)
        assert_equal(node.getindexinfo(), {})
        assert_equal(node.getindexinfo("txindex"), {})

    def test_block_json(self):
        node = self.nodes[0]
        two = node.getblock(self.block, 2)
        coinbase, spend = two["tx"]
        assert "fee" not in coinbase
        assert_equal(spend["fee"], FEE)
        assert_equal(spend["vout"][0]["scriptPubKey"], address_spk(self.other.address, self.other.xonly))
        assert_equal(coinbase["vout"][0]["scriptPubKey"], address_spk(self.key.address, self.key.xonly))
        assert "destination" not in spend["vout"][0]
        assert "prevout" not in spend["vin"][0]
        three = node.getblock(self.block, 3)
        assert_equal(three["tx"][1]["fee"], FEE)
        assert_equal(three["tx"][1]["vin"][0]["prevout"], {
            "generated": True, "height": 1, "value": SUBSIDY,
            "scriptPubKey": address_spk(self.key.address, self.key.xonly)})
        assert "prevout" not in three["tx"][0]["vin"][0]
        # getrawtransaction 2 with the block hash: the same fee and prevout.
        verbose = node.getrawtransaction(self.txid, 2, self.block)
        assert_equal(verbose["fee"], FEE)
        assert_equal(verbose["vin"][0]["prevout"], three["tx"][1]["vin"][0]["prevout"])
        assert_equal(verbose["in_active_chain"], True)
        assert "fee" not in node.getrawtransaction(self.txid, 1, self.block)
        # gettxout shows the same object.
        assert_equal(node.gettxout(self.txid, 0)["scriptPubKey"], address_spk(self.other.address, self.other.xonly))

    def test_config_builds_index(self):
        node = self.nodes[0]
        node.stop()
        self.write_conf(node, txindex=True)
        node.start()
        self.wait_for_index(node)
        assert_equal(node.getindexinfo("txindex"), node.getindexinfo())
        assert_equal(node.getindexinfo("coinstatsindex"), {})
        assert os.path.isdir(os.path.join(node.net_dir, "indexes", "txindex"))
        log = node.debug_log()
        assert "Syncing txindex with block chain from height 0" in log, log[-2000:]
        assert "txindex is enabled at height 102" in log

    def test_lookup(self):
        node = self.nodes[0]
        assert_equal(node.getrawtransaction(self.txid), self.tx_hex)
        verbose = node.getrawtransaction(self.txid, 1)
        assert_equal(verbose["blockhash"], self.block)
        assert_equal(verbose["confirmations"], 1)
        assert_equal(verbose["hex"], self.tx_hex)
        assert "in_active_chain" not in verbose
        assert "fee" not in verbose
        two = node.getrawtransaction(self.txid, 2)
        assert_equal(two["fee"], FEE)
        assert_equal(two["vin"][0]["prevout"]["height"], 1)
        # A coinbase, found without its block hash.
        cb = node.getrawtransaction(self.coinbase1, 1)
        assert_equal(cb["blockhash"], node.getblockhash(1))
        assert_equal(cb["confirmations"], 102)
        assert_raises_rpc_error(-5, "No such mempool or blockchain transaction. Use gettransaction for wallet "
                                "transactions.", node.getrawtransaction, "11" * 32)

    def test_restart_and_kill(self):
        node = self.nodes[0]
        node.generatetoaddress(3, self.key.address)
        self.wait_for_index(node)
        node.restart()
        self.wait_for_index(node)
        assert_equal(node.getblockcount(), 105)
        node.generatetoaddress(2, self.key.address)
        self.wait_for_index(node)
        node.kill()
        node.start()
        self.wait_for_index(node)
        for height in (1, 102, node.getblockcount()):
            block = node.getblock(node.getblockhash(height))
            assert_equal(node.getrawtransaction(block["tx"][0], 1)["blockhash"], block["hash"])
        assert_equal(node.getrawtransaction(self.txid, 1)["blockhash"], self.block)

    def test_reorg(self):
        node = self.nodes[0]
        tip = node.getblockcount()
        above = [node.getblock(node.getblockhash(h))["tx"][0] for h in range(102, tip + 1)]
        node.invalidateblock(self.block)
        assert_equal(node.getblockcount(), 101)
        self.wait_for_index(node)
        for coinbase in above:
            assert_raises_rpc_error(-5, "No such mempool or blockchain transaction", node.getrawtransaction, coinbase)
        # The spend went back to the mempool: found there, with no block.
        assert "blockhash" not in node.getrawtransaction(self.txid, 1)
        # Another branch confirms it in another block.
        other_block = node.generatetoaddress(1, self.other.address)[0]
        self.wait_for_index(node)
        assert_equal(node.getrawtransaction(self.txid, 1)["blockhash"], other_block)
        node.invalidateblock(other_block)
        node.reconsiderblock(self.block)
        assert_equal(node.getblockcount(), tip)
        self.wait_for_index(node)
        assert_equal(node.getrawtransaction(self.txid, 1)["blockhash"], self.block)
        assert_equal(node.getrawtransaction(above[-1], 1)["confirmations"], 1)

    def test_off_then_on(self):
        node = self.nodes[0]
        node.stop()
        self.write_conf(node, txindex=False)
        node.start()
        assert_equal(node.getindexinfo(), {})
        node.generatetoaddress(2, self.key.address)
        assert_raises_rpc_error(-5, NO_INDEX_ERROR, node.getrawtransaction, self.txid)
        resumed_from = node.getblockcount() - 2
        node.stop()
        node.start(["-txindex"])
        self.wait_for_index(node)
        assert f"Syncing txindex with block chain from height {resumed_from} to" in node.debug_log()
        newest = node.getblock(node.getbestblockhash())["tx"][0]
        assert_equal(node.getrawtransaction(newest, 1)["confirmations"], 1)
        assert_equal(node.getrawtransaction(self.txid), self.tx_hex)


if __name__ == "__main__":
    sys.exit(TxIndexTest().main())
