#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Reorganisations between two unconnected nodes, blocks carried by
getblock <hash> 0 + submitblock: a shared 101-block prefix, then node A mines
10 blocks and node B 15 others. A takes B's branch once it has more work
(the UTXO sets then hash the same), shows its old branch as a valid fork,
returns A's transactions to its mempool (not one that conflicts with B's
branch), and follows invalidateblock / reconsiderblock both ways. Invalid
blocks built with generateblock check=false are rejected with the right
reason and remembered (duplicate-invalid); a block whose witness was
mutated (bad-txnmrklroot), or whose PoUW opening was altered or truncated,
is not remembered: the intact block is accepted."""
import sys
from decimal import Decimal

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, assert_raises_rpc_error

SUBSIDY = Decimal("50.00000000")
FEE = Decimal("0.00010000")
PREFIX = 101
A_BRANCH = 10
B_BRANCH = 15
FILLER_OPENING_SIZE = 148
UTXO_FIELDS = ("height", "bestblock", "txouts", "transactions", "hash_serialized", "total_amount")


def utxo_summary(node):
    info = node.gettxoutsetinfo()
    return {field: info[field] for field in UTXO_FIELDS}


class ReorgTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 2

    def feed(self, source, target, hashes):
        """Carries blocks from source to target; returns submitblock's answers."""
        return [target.submitblock(source.getblock(h, 0)) for h in hashes]

    def spend(self, node, txid, key, amount, to):
        raw = node.createrawtransaction([{"txid": txid, "vout": 0}], [{to.address: amount}])
        signed = node.signrawtransactionwithkey(raw, [key.wif])
        assert_equal(signed["complete"], True)
        return signed["hex"]

    def run_test(self):
        self.key = Key()
        self.key_a = Key()
        self.key_b = Key()
        self.subtest("a shared prefix on both nodes", self.test_prefix)
        self.subtest("the branches: A mines 10 blocks, B 15", self.test_branches)
        self.subtest("A reorganises to B's longer branch", self.test_reorg)
        self.subtest("getchaintips shows A's old branch as valid-fork", self.test_chaintips)
        self.subtest("A's transactions return to its mempool", self.test_mempool_after_reorg)
        self.subtest("invalidateblock takes A back to its own branch", self.test_invalidate)
        self.subtest("reconsiderblock returns to B's branch", self.test_reconsider)
        self.subtest("invalid block: outputs above inputs", self.test_invalid_amount)
        self.subtest("invalid block: double spend inside the block", self.test_invalid_double_spend)
        self.subtest("invalid block: spends a coin the chain has spent", self.test_invalid_spent)
        self.subtest("a mutated block is not remembered", self.test_mutated)
        self.subtest("a block with a mutated opening is not remembered", self.test_mutated_opening)

    def test_prefix(self):
        a, b = self.nodes
        hashes = a.generatetoaddress(PREFIX, self.key.address)
        answers = self.feed(a, b, hashes)
        assert_equal(answers, [None] * PREFIX)
        assert_equal(b.getbestblockhash(), hashes[-1])
        assert_equal(utxo_summary(a), utxo_summary(b))
        # Resubmitting a known block.
        assert_equal(b.submitblock(a.getblock(hashes[5], 0)), "duplicate")
        self.coinbase = {h: a.getblock(hashes[h - 1])["tx"][0] for h in range(1, PREFIX + 1)}

    def test_branches(self):
        a, b = self.nodes
        # A confirms two spends: one only it knows, one that conflicts with B's branch.
        self.tx_a = self.spend(a, self.coinbase[1], self.key, SUBSIDY - FEE, self.key_a)
        self.tx_a_id = a.sendrawtransaction(self.tx_a)
        self.tx_a_conflict = self.spend(a, self.coinbase[2], self.key, SUBSIDY - FEE, self.key_a)
        self.tx_a_conflict_id = a.sendrawtransaction(self.tx_a_conflict)
        self.a_hashes = a.generatetoaddress(A_BRANCH, self.key_a.address)
        block = a.getblock(self.a_hashes[0])
        assert_equal(sorted(block["tx"][1:]), sorted([self.tx_a_id, self.tx_a_conflict_id]))
        assert_equal(a.getrawmempool(), [])
        self.a_utxo = utxo_summary(a)
        # B spends the coinbase of height 2 differently.
        self.tx_b = self.spend(b, self.coinbase[2], self.key, SUBSIDY - 2 * FEE, self.key_b)
        self.tx_b_id = b.sendrawtransaction(self.tx_b)
        self.b_hashes = b.generatetoaddress(B_BRANCH, self.key_b.address)
        assert_in(self.tx_b_id, b.getblock(self.b_hashes[0])["tx"])
        assert not set(self.a_hashes) & set(self.b_hashes)
        assert_equal(a.getblockcount(), PREFIX + A_BRANCH)
        assert_equal(b.getblockcount(), PREFIX + B_BRANCH)

    def test_reorg(self):
        a, b = self.nodes
        answers = self.feed(b, a, self.b_hashes)
        # Up to A's length (equal work: the first seen stays) B's blocks wait on
        # a side branch; the 11th has more work and A switches.
        assert_equal(answers, ["inconclusive"] * A_BRANCH + [None] * (B_BRANCH - A_BRANCH))
        assert_equal(a.getbestblockhash(), b.getbestblockhash())
        assert_equal(a.getblockcount(), PREFIX + B_BRANCH)
        assert_equal(utxo_summary(a), utxo_summary(b))
        # A's old blocks are still known, off the active chain.
        header = a.getblockheader(self.a_hashes[-1])
        assert_equal(header["confirmations"], -1)
        assert_equal(a.getblockhash(PREFIX + 1), self.b_hashes[0])
        assert_equal(a.submitblock(b.getblock(self.b_hashes[3], 0)), "duplicate")

    def test_chaintips(self):
        a = self.nodes[0]
        tips = a.getchaintips()
        assert_equal(tips, [
            {"height": PREFIX + B_BRANCH, "hash": self.b_hashes[-1], "branchlen": 0, "status": "active"},
            {"height": PREFIX + A_BRANCH, "hash": self.a_hashes[-1], "branchlen": A_BRANCH, "status": "valid-fork"},
        ])

    def test_mempool_after_reorg(self):
        a = self.nodes[0]
        # tx_a's coin is unspent on B's branch: it is back in the pool. The
        # conflicting spend is not (B's branch spent that coin).
        assert_equal(a.getrawmempool(), [self.tx_a_id])
        assert_equal(a.getrawtransaction(self.tx_a_id), self.tx_a)
        assert_equal(a.gettxout(self.coinbase[2], 0, False), None)
        assert_equal(a.gettxout(self.tx_b_id, 0)["value"], SUBSIDY - 2 * FEE)
        assert_raises_rpc_error(-25, "bad-txns-inputs-missingorspent", a.sendrawtransaction, self.tx_a_conflict)

    def test_invalidate(self):
        a = self.nodes[0]
        assert_equal(a.invalidateblock(self.b_hashes[0]), None)
        assert_equal(a.getbestblockhash(), self.a_hashes[-1])
        assert_equal(a.getblockcount(), PREFIX + A_BRANCH)
        assert_equal(utxo_summary(a), self.a_utxo)
        # A's branch confirms tx_a again; B's spend is not in the pool (it conflicts).
        assert_equal(a.getrawmempool(), [])
        tips = {tip["hash"]: tip for tip in a.getchaintips()}
        assert_equal(tips[self.a_hashes[-1]]["status"], "active")
        assert_equal(tips[self.b_hashes[-1]]["status"], "invalid")
        assert_equal(tips[self.b_hashes[-1]]["branchlen"], B_BRANCH)
        # A block of the invalidated branch is now known invalid.
        assert_equal(a.submitblock(self.nodes[1].getblock(self.b_hashes[4], 0)), "duplicate-invalid")

    def test_reconsider(self):
        a, b = self.nodes
        assert_equal(a.reconsiderblock(self.b_hashes[0]), None)
        assert_equal(a.getbestblockhash(), self.b_hashes[-1])
        assert_equal(utxo_summary(a), utxo_summary(b))
        assert_equal(a.getrawmempool(), [self.tx_a_id])
        tips = {tip["hash"]: tip["status"] for tip in a.getchaintips()}
        assert_equal(tips, {self.b_hashes[-1]: "active", self.a_hashes[-1]: "valid-fork"})
        assert_raises_rpc_error(-5, "Block not found", a.invalidateblock, "44" * 32)
        assert_raises_rpc_error(-5, "Block not found", a.reconsiderblock, "44" * 32)

    def check_rejected(self, node, block_hex, reason):
        """submitblock rejects the block with `reason`, and a second time as known-invalid."""
        tip = node.getbestblockhash()
        assert_equal(node.submitblock(block_hex), reason)
        assert_equal(node.getbestblockhash(), tip)
        assert_equal(node.submitblock(block_hex), "duplicate-invalid")
        assert_equal(node.getbestblockhash(), tip)

    def test_invalid_amount(self):
        b = self.nodes[1]
        greedy = self.spend(b, self.coinbase[5], self.key, SUBSIDY + 1, self.key_b)
        assert_equal(b.testmempoolaccept([greedy])[0]["allowed"], False)
        # check=true refuses to build it at all.
        assert_raises_rpc_error(-25, "TestBlockValidity failed: bad-txns-in-belowout", b.generateblock,
                                self.key_b.address, [greedy])
        block = b.generateblock(self.key_b.address, [greedy], False, False)
        assert_equal(sorted(block), ["hash", "hex"])
        assert_raises_rpc_error(-5, "Block not found", b.getblockheader, block["hash"])
        self.check_rejected(b, block["hex"], "bad-txns-in-belowout")
        tips = {tip["hash"]: tip["status"] for tip in b.getchaintips()}
        assert_equal(tips[block["hash"]], "invalid")

    def test_invalid_double_spend(self):
        b = self.nodes[1]
        first = self.spend(b, self.coinbase[6], self.key, SUBSIDY - FEE, self.key_b)
        second = self.spend(b, self.coinbase[6], self.key, SUBSIDY - 2 * FEE, self.key)
        block = b.generateblock(self.key_b.address, [first, second], False, False)
        self.check_rejected(b, block["hex"], "bad-txns-inputs-missingorspent")

    def test_invalid_spent(self):
        b = self.nodes[1]
        # B's branch spent the height-2 coinbase already (tx_b).
        raw = b.createrawtransaction([{"txid": self.coinbase[2], "vout": 0}], [{self.key.address: SUBSIDY - FEE}])
        # The coin is gone from B's UTXO set: sign with the coin given as a prevtx.
        signed = b.signrawtransactionwithkey(raw, [self.key.wif], [{"txid": self.coinbase[2], "vout": 0,
                                                                    "address": self.key.address,
                                                                    "amount": SUBSIDY}])
        assert_equal(signed["complete"], True)
        block = b.generateblock(self.key_b.address, [signed["hex"]], False, False)
        self.check_rejected(b, block["hex"], "bad-txns-inputs-missingorspent")

    def test_mutated(self):
        b = self.nodes[1]
        tx = self.spend(b, self.coinbase[7], self.key, SUBSIDY - FEE, self.key_b)
        tx_id = b.decoderawtransaction(tx)["txid"]
        block = b.generateblock(self.key_b.address, [tx], False)  # checked, not submitted
        assert_in(tx, block["hex"])
        # The transaction ends with its 64-byte signature: change its last byte.
        mutated_tx = tx[:-2] + "%02x" % (int(tx[-2:], 16) ^ 0x80)
        mutated = block["hex"].replace(tx, mutated_tx)
        assert mutated != block["hex"]
        tip = b.getbestblockhash()
        assert_equal(b.submitblock(mutated), "bad-txnmrklroot")
        assert_equal(b.getbestblockhash(), tip)
        # Not remembered: the same header with the intact body is accepted.
        assert_equal(b.submitblock(mutated), "bad-txnmrklroot")
        assert_equal(b.submitblock(block["hex"]), None)
        assert_equal(b.getbestblockhash(), block["hash"])
        assert_in(tx_id, b.getblock(block["hash"])["tx"])
        assert_equal(b.submitblock(mutated), "duplicate")

    def test_mutated_opening(self):
        b = self.nodes[1]
        block = b.generateblock(self.key_b.address, [], False)
        good = block["hex"]
        # A regtest block ends with its opening: CompactSize 148, then the filler descriptor.
        opening_start = len(good) - 2 * FILLER_OPENING_SIZE
        assert_equal(good[opening_start - 2:opening_start], "%02x" % FILLER_OPENING_SIZE)
        last_byte_flipped = good[:-2] + "%02x" % (int(good[-2:], 16) ^ 0x01)
        first_byte_flipped = (good[:opening_start] + "%02x" % (int(good[opening_start:opening_start + 2], 16) ^ 0x40)
                              + good[opening_start + 2:])
        truncated = good[:opening_start - 2] + "%02x" % (FILLER_OPENING_SIZE - 1) + good[opening_start:-2]
        tip = b.getbestblockhash()
        for mutated in (last_byte_flipped, first_byte_flipped, truncated, last_byte_flipped):
            reason = b.submitblock(mutated)
            assert reason.startswith("bad-pouw-"), reason
            assert_equal(b.getbestblockhash(), tip)
            assert block["hash"] not in {t["hash"] for t in b.getchaintips()}
        # The header was never blamed: the intact block is accepted.
        assert_equal(b.submitblock(good), None)
        assert_equal(b.getbestblockhash(), block["hash"])


if __name__ == "__main__":
    sys.exit(ReorgTest().main())
