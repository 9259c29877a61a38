#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Raw transactions end to end: a matured coinbase paid to a key the test
derived itself is spent with createrawtransaction, signrawtransactionwithkey
(the test's WIF) and sendrawtransaction; decoderawtransaction, the mempool
methods, testmempoolaccept (valid, conflicting, premature coinbase spends at
the exact maturity boundary, missing inputs, fee limit), sendrawtransaction's
error codes, and after a block: gettxout, getrawtransaction with the block
hash and the fee in the coinbase."""
import sys
from decimal import Decimal

from test_framework.descriptors import address_spk
from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, assert_raises_rpc_error

SUBSIDY = Decimal("50.00000000")
FEE = Decimal("0.00010000")
COINBASE_MATURITY = 100
INITIAL_BLOCKS = 101
SEQUENCE_FINAL = 0xFFFFFFFF
# A height-h coinbase may be spent in block h + 100. At tip 101 the next block
# is 102, so h = 2 is the last mature coinbase and h = 3 the first immature one.
MATURE_HEIGHT = INITIAL_BLOCKS + 1 - COINBASE_MATURITY


def flip_last_byte(hex_text):
    """The transaction with its last byte changed: for a signed transaction
    that is the end of the last input's signature."""
    return hex_text[:-2] + "%02x" % (int(hex_text[-2:], 16) ^ 0x01)


def compact_size(n):
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + n.to_bytes(2, "little")
    return b"\xfe" + n.to_bytes(4, "little")


def serialize_tx(inputs, outputs, lock_time=0, version=2):
    """The wire form of doc/transactions.md §1: inputs as {"txid", "vout"}
    (empty witnesses), outputs as (amount in coins, Key) or (amount in coins,
    (destination kind, payload bytes))."""
    data = version.to_bytes(4, "little") + compact_size(len(inputs))
    for txin in inputs:
        data += bytes.fromhex(txin["txid"])[::-1] + txin["vout"].to_bytes(4, "little") + b"\xff" * 4
    data += compact_size(len(outputs))
    for amount, key in outputs:
        kind, payload = key if isinstance(key, tuple) else (1, key.xonly)
        data += int(amount * 100_000_000).to_bytes(8, "little", signed=True) + bytes([kind])
        data += compact_size(len(payload)) + payload
    data += lock_time.to_bytes(4, "little")
    data += b"\x00" * len(inputs)
    return data.hex()


class RawTransactionTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.key = Key()
        self.other = Key()
        node = self.nodes[0]
        hashes = node.generatetoaddress(INITIAL_BLOCKS, self.key.address)
        # coinbase[h] is the coinbase txid of the block at height h.
        self.coinbase = {h: node.getblock(hashes[h - 1])["tx"][0] for h in range(1, INITIAL_BLOCKS + 1)}
        self.subtest("createrawtransaction and decoderawtransaction", self.test_create_decode)
        self.subtest("createrawtransaction errors", self.test_create_errors)
        self.subtest("signrawtransactionwithkey with the test's WIF", self.test_sign)
        self.subtest("testmempoolaccept of a valid spend", self.test_accept_valid)
        self.subtest("sendrawtransaction and the mempool methods", self.test_send)
        self.subtest("double spend: txn-mempool-conflict", self.test_double_spend)
        self.subtest("coinbase maturity boundary", self.test_maturity)
        self.subtest("sendrawtransaction and testmempoolaccept errors", self.test_send_errors)
        self.subtest("context-free checks come first on every path", self.test_context_free_first)
        self.subtest("a child of a mempool transaction", self.test_child)
        self.subtest("getrawtransaction from the mempool", self.test_getrawtransaction_mempool)
        self.subtest("a block confirms the pool", self.test_confirm)
        self.subtest("getrawtransaction with a block hash", self.test_getrawtransaction_block)
        self.subtest("the node keeps serving", self.test_still_serving)

    # --- helpers -----------------------------------------------------------
    def spend(self, txid, vout, key, amount, to=None, **kwargs):
        """A signed transaction spending one output to `to` (default: self.other)."""
        node = self.nodes[0]
        to = to or self.other
        raw = node.createrawtransaction([{"txid": txid, "vout": vout}], [{to.address: amount}], **kwargs)
        signed = node.signrawtransactionwithkey(raw, [key.wif])
        assert_equal(signed["complete"], True)
        return signed["hex"]

    # --- subtests ----------------------------------------------------------
    def test_create_decode(self):
        node = self.nodes[0]
        raw = node.createrawtransaction([{"txid": self.coinbase[1], "vout": 0}],
                                        [{self.other.address: SUBSIDY - FEE}])
        tx = node.decoderawtransaction(raw)
        assert_equal(sorted(tx), ["hash", "locktime", "size", "txid", "version", "vin", "vout", "vsize", "weight"])
        assert_equal(tx["size"], len(raw) // 2)
        assert_equal(tx["vsize"], tx["size"])
        assert_equal(tx["weight"], tx["size"])
        assert_equal(tx["locktime"], 0)
        assert_equal(tx["vin"], [{"txid": self.coinbase[1], "vout": 0, "sequence": SEQUENCE_FINAL}])
        assert_equal(len(tx["vout"]), 1)
        out = tx["vout"][0]
        assert_equal(out["value"], SUBSIDY - FEE)
        assert_equal(out["n"], 0)
        assert_equal(out["scriptPubKey"], address_spk(self.other.address, self.other.xonly))
        assert "destination" not in out
        # A non-zero locktime makes the default sequence non-final; an explicit one stays.
        locked = node.decoderawtransaction(node.createrawtransaction(
            [{"txid": self.coinbase[1], "vout": 0}], {self.other.address: 1}, 50))
        assert_equal(locked["locktime"], 50)
        assert_equal(locked["vin"][0]["sequence"], SEQUENCE_FINAL - 1)
        explicit = node.decoderawtransaction(node.createrawtransaction(
            [{"txid": self.coinbase[1], "vout": 0, "sequence": 7}], {self.other.address: 1}))
        assert_equal(explicit["vin"][0]["sequence"], 7)
        # Two outputs in one object, in order.
        two = node.decoderawtransaction(node.createrawtransaction(
            [{"txid": self.coinbase[1], "vout": 0}],
            [{self.other.address: Decimal("1.5")}, {self.key.address: Decimal("0.25")}]))
        assert_equal([o["value"] for o in two["vout"]], [Decimal("1.5"), Decimal("0.25")])
        assert_equal([o["scriptPubKey"]["address"] for o in two["vout"]], [self.other.address, self.key.address])

    def test_create_errors(self):
        node = self.nodes[0]
        outputs = {self.other.address: 1}
        assert_raises_rpc_error(-8, "Invalid parameter, missing txid key", node.createrawtransaction,
                                [{"vout": 0}], outputs)
        assert_raises_rpc_error(-8, "Invalid parameter, missing vout key", node.createrawtransaction,
                                [{"txid": self.coinbase[1]}], outputs)
        assert_raises_rpc_error(-8, "Invalid parameter, vout cannot be negative", node.createrawtransaction,
                                [{"txid": self.coinbase[1], "vout": -1}], outputs)
        assert_raises_rpc_error(-5, "Invalid HPIPS address", node.createrawtransaction,
                                [{"txid": self.coinbase[1], "vout": 0}], {"rhp1notanaddress": 1})
        assert_raises_rpc_error(-8, "duplicated address", node.createrawtransaction,
                                [{"txid": self.coinbase[1], "vout": 0}],
                                [{self.other.address: 1}, {self.other.address: 2}])
        assert_raises_rpc_error(-8, "locktime out of range", node.createrawtransaction,
                                [{"txid": self.coinbase[1], "vout": 0}], outputs, -1)

    def test_sign(self):
        node = self.nodes[0]
        raw = node.createrawtransaction([{"txid": self.coinbase[1], "vout": 0}],
                                        [{self.other.address: SUBSIDY - FEE}])
        unsigned = node.decoderawtransaction(raw)
        signed = node.signrawtransactionwithkey(raw, [self.key.wif])
        assert_equal(signed["complete"], True)
        assert "errors" not in signed
        tx = node.decoderawtransaction(signed["hex"])
        # The witness changes the wtxid ("hash"), never the txid.
        assert_equal(tx["txid"], unsigned["txid"])
        assert tx["hash"] != tx["txid"]
        assert tx["hash"] != unsigned["hash"]
        witness = tx["vin"][0]["txinwitness"]
        assert_equal(len(witness), 1)
        assert_equal(len(witness[0]), 128)  # a 64-byte BIP-340 signature
        assert_equal(tx["size"], len(signed["hex"]) // 2)
        # A key that does not own the coin cannot sign it.
        wrong = node.signrawtransactionwithkey(raw, [self.other.wif])
        assert_equal(wrong["complete"], False)
        assert_equal(len(wrong["errors"]), 1)
        assert_equal(wrong["errors"][0]["txid"], self.coinbase[1])
        assert_equal(wrong["errors"][0]["vout"], 0)
        assert_in("possibly missing key", wrong["errors"][0]["error"])
        assert_raises_rpc_error(-5, "Invalid private key", node.signrawtransactionwithkey, raw, ["notawif"])
        # A broken signature is reported, not replaced.
        broken = node.signrawtransactionwithkey(flip_last_byte(signed["hex"]), [])
        assert_equal(broken["complete"], False)
        assert_equal(broken["errors"][0]["error"], "Invalid Schnorr signature")

    def test_accept_valid(self):
        node = self.nodes[0]
        self.tx1 = self.spend(self.coinbase[1], 0, self.key, SUBSIDY - FEE)
        decoded = node.decoderawtransaction(self.tx1)
        self.tx1_id = decoded["txid"]
        result = node.testmempoolaccept([self.tx1])
        assert_equal(result, [{"txid": decoded["txid"], "wtxid": decoded["hash"], "allowed": True,
                               "vsize": decoded["vsize"], "fees": {"base": FEE}}])
        # Testing does not add it.
        assert_equal(node.getrawmempool(), [])

    def test_send(self):
        node = self.nodes[0]
        assert_equal(node.sendrawtransaction(self.tx1), self.tx1_id)
        assert_equal(node.getrawmempool(), [self.tx1_id])
        size = node.decoderawtransaction(self.tx1)["size"]
        info = node.getmempoolinfo()
        assert_equal(info["loaded"], True)
        assert_equal(info["size"], 1)
        assert_equal(info["bytes"], size)
        assert_equal(info["total_fee"], FEE)
        assert_equal(info["minrelaytxfee"], Decimal("0.00001000"))
        entry = node.getrawmempool(True)[self.tx1_id]
        assert_equal(entry["vsize"], size)
        assert_equal(entry["height"], INITIAL_BLOCKS)
        assert_equal(entry["fees"], {"base": FEE, "modified": FEE, "ancestor": FEE, "descendant": FEE})
        assert_equal(entry["depends"], [])
        assert_equal(entry["ancestorcount"], 1)
        assert_equal(entry["wtxid"], node.decoderawtransaction(self.tx1)["hash"])
        assert_equal(node.getmempoolentry(self.tx1_id), entry)
        # Sending it again answers the txid; testing it again says it is there.
        assert_equal(node.sendrawtransaction(self.tx1), self.tx1_id)
        assert_equal(node.testmempoolaccept([self.tx1])[0]["reject-reason"], "txn-already-in-mempool")
        # The spent coin is hidden with the mempool, visible without; the new one is visible with it.
        assert_equal(node.gettxout(self.coinbase[1], 0), None)
        assert_equal(node.gettxout(self.coinbase[1], 0, False)["value"], SUBSIDY)
        out = node.gettxout(self.tx1_id, 0)
        assert_equal(out["value"], SUBSIDY - FEE)
        assert_equal(out["confirmations"], 0)
        assert_equal(node.gettxout(self.tx1_id, 0, False), None)

    def test_double_spend(self):
        node = self.nodes[0]
        conflict = self.spend(self.coinbase[1], 0, self.key, SUBSIDY - 2 * FEE, to=self.key)
        result = node.testmempoolaccept([conflict])[0]
        assert_equal(result["allowed"], False)
        assert_equal(result["reject-reason"], "txn-mempool-conflict")
        assert_raises_rpc_error(-26, "txn-mempool-conflict", node.sendrawtransaction, conflict)
        assert_equal(node.getrawmempool(), [self.tx1_id])

    def test_maturity(self):
        node = self.nodes[0]
        assert_equal(node.getblockcount(), INITIAL_BLOCKS)
        self.mature = self.spend(self.coinbase[MATURE_HEIGHT], 0, self.key, SUBSIDY - FEE)
        assert_equal(node.testmempoolaccept([self.mature])[0]["allowed"], True)
        immature = self.spend(self.coinbase[MATURE_HEIGHT + 1], 0, self.key, SUBSIDY - FEE)
        result = node.testmempoolaccept([immature])[0]
        assert_equal(result["allowed"], False)
        assert_equal(result["reject-reason"], "bad-txns-premature-spend-of-coinbase")
        assert_raises_rpc_error(-26, "bad-txns-premature-spend-of-coinbase", node.sendrawtransaction, immature)
        latest = self.spend(self.coinbase[INITIAL_BLOCKS], 0, self.key, SUBSIDY - FEE)
        assert_equal(node.testmempoolaccept([latest])[0]["reject-reason"], "bad-txns-premature-spend-of-coinbase")
        self.immature = immature

    def test_send_errors(self):
        node = self.nodes[0]
        assert_raises_rpc_error(-22, "TX decode failed", node.sendrawtransaction, "zz")
        assert_raises_rpc_error(-22, "TX decode failed", node.sendrawtransaction, self.mature[:-10])
        assert_raises_rpc_error(-22, "TX decode failed", node.sendrawtransaction, "")
        assert_raises_rpc_error(-22, None, node.testmempoolaccept, ["zz"])
        # A signature that does not verify.
        bad_signature = flip_last_byte(self.mature)
        result = node.testmempoolaccept([bad_signature])[0]
        assert_equal(result["allowed"], False)
        error = assert_raises_rpc_error(-26, None, node.sendrawtransaction, bad_signature)
        assert_in(result["reject-reason"], error.message)
        assert_in("signature", error.message)
        # An unknown input.
        raw = node.createrawtransaction([{"txid": "11" * 32, "vout": 0}], {self.other.address: 1})
        assert_equal(node.testmempoolaccept([raw])[0]["reject-reason"], "missing-inputs")
        assert_raises_rpc_error(-25, "bad-txns-inputs-missingorspent", node.sendrawtransaction, raw)
        # Fee above maxfeerate (default 0.10 per kvB): 1 coin of fee on ~157 bytes.
        costly = self.spend(self.coinbase[MATURE_HEIGHT], 0, self.key, SUBSIDY - 1)
        assert_equal(node.testmempoolaccept([costly])[0]["reject-reason"], "max-fee-exceeded")
        assert_raises_rpc_error(-25, "Fee exceeds maximum", node.sendrawtransaction, costly)
        # maxfeerate 0 lifts the limit in testmempoolaccept (nothing is added).
        assert_equal(node.testmempoolaccept([costly], 0)[0]["allowed"], True)
        # Paying more than the input.
        too_much = self.spend(self.coinbase[MATURE_HEIGHT], 0, self.key, SUBSIDY + 1)
        result = node.testmempoolaccept([too_much])[0]
        assert_equal(result["allowed"], False)
        assert_raises_rpc_error(-26, result["reject-reason"], node.sendrawtransaction, too_much)
        # Below the relay fee: zero fee.
        free = self.spend(self.coinbase[MATURE_HEIGHT], 0, self.key, SUBSIDY)
        assert_raises_rpc_error(-26, "min relay fee not met", node.sendrawtransaction, free)
        assert_raises_rpc_error(-8, "Array must contain between 1 and 25 transactions.",
                                node.testmempoolaccept, [])
        assert_raises_rpc_error(-8, "Array must contain between 1 and 25 transactions.",
                                node.testmempoolaccept, [self.mature] * 26)
        assert_equal(node.getrawmempool(), [self.tx1_id])

    def test_context_free_first(self):
        """A malformed transaction gets its consensus reason from
        sendrawtransaction as from testmempoolaccept, whatever its inputs."""
        node = self.nodes[0]
        real = {"txid": self.coinbase[MATURE_HEIGHT], "vout": 0}
        null = {"txid": "00" * 32, "vout": 0xFFFFFFFF}
        out = [(SUBSIDY - FEE, self.key)]
        cases = [
            ("bad-txns-prevout-null", serialize_tx([real, null], out)),
            ("coinbase", serialize_tx([null], out)),
            ("bad-txns-vout-empty", serialize_tx([real], [])),
            ("bad-txns-vin-empty", serialize_tx([], out)),
            # The job kinds (doc/jobs.md) decode but are not active yet: a BURN
            # output, and a JOB output whatever its payload.
            ("job-kinds-not-active", serialize_tx([real], out + [(0.001, (5, b""))])),
            ("job-kinds-not-active", serialize_tx([real], [(1, (2, b"\x01" * 200))])),
            ("bad-txns-destination-unknown", serialize_tx([real], [(1, (7, b"\x01" * 32))])),
        ]
        for reason, raw in cases:
            assert_equal(node.testmempoolaccept([raw])[0]["reject-reason"], reason)
            error = assert_raises_rpc_error(-26, reason, node.sendrawtransaction, raw)
            assert_equal(error.message, reason)
        # A payload over its kind's limit (BURN: none) does not decode.
        assert_raises_rpc_error(-22, "TX decode failed", node.sendrawtransaction,
                                serialize_tx([real], [(1, (5, b"\x00"))]))
        # Even with a fee above maxfeerate, the malformed part is reported.
        greedy_empty = serialize_tx([real], [])
        assert_raises_rpc_error(-26, "bad-txns-vout-empty", node.sendrawtransaction, greedy_empty, 0.00000001)

    def test_child(self):
        node = self.nodes[0]
        # self.other owns tx1's output: a second key signs the child.
        self.child = self.spend(self.tx1_id, 0, self.other, SUBSIDY - 2 * FEE, to=self.key)
        self.child_id = node.sendrawtransaction(self.child)
        assert_equal(sorted(node.getrawmempool()), sorted([self.tx1_id, self.child_id]))
        pool = node.getrawmempool(True)
        assert_equal(pool[self.child_id]["depends"], [self.tx1_id])
        assert_equal(pool[self.tx1_id]["spentby"], [self.child_id])
        assert_equal(pool[self.child_id]["ancestorcount"], 2)
        assert_equal(pool[self.tx1_id]["descendantcount"], 2)
        assert_equal(pool[self.tx1_id]["fees"]["descendant"], 2 * FEE)
        assert_equal(node.getmempoolinfo()["size"], 2)
        assert_equal(node.getmempoolinfo()["total_fee"], 2 * FEE)
        # Also admit the spend of the last mature coinbase.
        self.mature_id = node.sendrawtransaction(self.mature)

    def test_getrawtransaction_mempool(self):
        node = self.nodes[0]
        assert_equal(node.getrawtransaction(self.tx1_id), self.tx1)
        assert_equal(node.getrawtransaction(self.tx1_id, 0), self.tx1)
        verbose = node.getrawtransaction(self.tx1_id, 1)
        assert_equal(verbose, node.getrawtransaction(self.tx1_id, True))
        decoded = node.decoderawtransaction(self.tx1)
        for field, value in decoded.items():
            assert_equal(verbose[field], value)
        assert_equal(verbose["hex"], self.tx1)
        assert "blockhash" not in verbose
        assert_equal(node.getrawtransaction(self.tx1_id, 2)["fee"], FEE)
        assert_raises_rpc_error(-5, "No such mempool transaction", node.getrawtransaction, "22" * 32)
        assert_raises_rpc_error(-8, "parameter 1 must be of length 64", node.getrawtransaction, "22")

    def test_confirm(self):
        node = self.nodes[0]
        in_pool = set(node.getrawmempool())
        assert_equal(in_pool, {self.tx1_id, self.child_id, self.mature_id})
        block_hash = node.generatetoaddress(1, self.key.address)[0]
        self.block_hash = block_hash
        block = node.getblock(block_hash, 2)
        txids = [tx["txid"] for tx in block["tx"]]
        assert_equal(set(txids[1:]), in_pool)
        # Parents before children.
        assert txids.index(self.tx1_id) < txids.index(self.child_id)
        assert_equal(node.getrawmempool(), [])
        assert_equal(node.getmempoolinfo()["size"], 0)
        # The coinbase claims the subsidy and the three fees.
        assert_equal(block["tx"][0]["vout"][0]["value"], SUBSIDY + 3 * FEE)
        # Spent coins are gone, new ones confirmed.
        assert_equal(node.gettxout(self.coinbase[1], 0), None)
        assert_equal(node.gettxout(self.coinbase[1], 0, False), None)
        assert_equal(node.gettxout(self.tx1_id, 0), None)  # the child spent it
        out = node.gettxout(self.child_id, 0)
        assert_equal(out["value"], SUBSIDY - 2 * FEE)
        assert_equal(out["confirmations"], 1)
        assert_equal(out["coinbase"], False)
        assert_equal(out["bestblock"], block_hash)
        assert_equal(out["scriptPubKey"], address_spk(self.key.address, self.key.xonly))
        assert_equal(node.gettxout(self.mature_id, 0)["value"], SUBSIDY - FEE)
        # A confirmed transaction cannot be sent again.
        assert_raises_rpc_error(-27, "Transaction already in block chain", node.sendrawtransaction, self.child)
        assert_raises_rpc_error(-25, "bad-txns-inputs-missingorspent", node.sendrawtransaction, self.tx1)
        # The tip moved to 102: the height-3 coinbase is mature now.
        assert_equal(node.testmempoolaccept([self.immature])[0]["allowed"], True)
        info = node.gettxoutsetinfo()
        # 102 coinbases, minus two spent, plus the spends' outputs (tx1's is spent by the child).
        assert_equal(info["txouts"], INITIAL_BLOCKS + 1 - 2 + 2)
        assert_equal(info["total_amount"], SUBSIDY * (INITIAL_BLOCKS + 1))

    def test_getrawtransaction_block(self):
        node = self.nodes[0]
        assert_raises_rpc_error(-5, "No such mempool transaction", node.getrawtransaction, self.tx1_id)
        assert_equal(node.getrawtransaction(self.tx1_id, 0, self.block_hash), self.tx1)
        verbose = node.getrawtransaction(self.tx1_id, 1, self.block_hash)
        assert_equal(verbose["in_active_chain"], True)
        assert_equal(verbose["blockhash"], self.block_hash)
        assert_equal(verbose["confirmations"], 1)
        header = node.getblockheader(self.block_hash)
        assert_equal(verbose["blocktime"], header["time"])
        assert_equal(verbose["time"], header["time"])
        assert_equal(verbose["hex"], self.tx1)
        coinbase = node.getblock(self.block_hash)["tx"][0]
        assert_equal(node.getrawtransaction(coinbase, 1, self.block_hash)["vin"][0]["coinbase"] is not None, True)
        assert_raises_rpc_error(-5, "No such transaction found in the provided block", node.getrawtransaction,
                                self.coinbase[1], 0, self.block_hash)
        assert_raises_rpc_error(-5, "Block hash not found", node.getrawtransaction, self.tx1_id, 0, "33" * 32)
        genesis = node.getblockhash(0)
        genesis_coinbase = node.getblock(genesis)["tx"][0]
        assert_raises_rpc_error(-5, "The genesis block coinbase is not considered an ordinary transaction",
                                node.getrawtransaction, genesis_coinbase, 0, genesis)
        # One more block: confirmations count up.
        node.generatetoaddress(1, self.key.address)
        assert_equal(node.getrawtransaction(self.tx1_id, 1, self.block_hash)["confirmations"], 2)

    def test_still_serving(self):
        node = self.nodes[0]
        assert_equal(node.getblockcount(), INITIAL_BLOCKS + 2)
        assert_equal(node.getrawmempool(), [])


if __name__ == "__main__":
    sys.exit(RawTransactionTest().main())
