#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""lockunspent and listlockunspent (doc/wallet.md, "Coin locks").

One node mines 101 blocks to its wallet: two spendable coinbases of 50.
Locking one leaves 50 to spend, so a send of 60 is refused with -6 and a send
of 30 uses the other coin; listlockunspent lists the lock; every refusal
(unknown transaction, vout out of range, an output not the wallet's, a spent
output, locking twice, unlocking what is not locked, persistent=true, 10,001
outputs) is -8 and changes nothing (all or nothing); unlocking all clears the
list, and a restart forgets locks (they live in memory, as Core's
non-persistent ones)."""
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

MAX_OUTPUTS = 10_000


class WalletCoinLockTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-keypool=10"]]

    def run_test(self):
        node = self.nodes[0]
        node.createwallet("w")
        address = node.getnewaddress()
        node.generatetoaddress(101, address)
        coins = sorted(node.listunspent(), key=lambda c: c["txid"])
        assert_equal(len(coins), 2)
        first, second = ({"txid": c["txid"], "vout": c["vout"]} for c in coins)

        self.log("lock one coin: coin selection leaves it alone")
        assert_equal(node.lockunspent(False, [first]), True)
        assert_equal(node.listlockunspent(), [first])
        assert_raises_rpc_error(-6, None, node.sendtoaddress, node.getnewaddress(), 60)
        txid = node.sendtoaddress(node.getnewaddress(), 30)
        spent = [i["txid"] for i in node.decoderawtransaction(node.gettransaction(txid)["hex"])["vin"]]
        assert_equal(spent, [second["txid"]])

        self.log("every refusal is -8 and changes nothing")
        unknown = {"txid": "ab" * 32, "vout": 0}
        assert_raises_rpc_error(-8, "unknown transaction", node.lockunspent, False, [unknown])
        assert_raises_rpc_error(-8, "vout index out of bounds", node.lockunspent, False,
                                [{"txid": second["txid"], "vout": 7}])
        assert_raises_rpc_error(-8, "expected unspent output", node.lockunspent, False, [second])
        assert_raises_rpc_error(-8, "output already locked", node.lockunspent, False, [first])
        change = [c for c in node.listunspent(0) if c["txid"] == txid][0]
        change_point = {"txid": txid, "vout": change["vout"]}
        # One bad output among good ones: none is locked.
        assert_raises_rpc_error(-8, "unknown transaction", node.lockunspent, False, [change_point, unknown])
        assert_equal(node.listlockunspent(), [first])
        assert_raises_rpc_error(-8, "expected locked output", node.lockunspent, True, [change_point])
        assert_raises_rpc_error(-8, "persistent locks are not supported", node.lockunspent, False, [change_point],
                                True)
        assert_raises_rpc_error(-8, "missing vout key", node.lockunspent, False, [{"txid": txid}])
        assert_raises_rpc_error(-8, "txid must be of length 64", node.lockunspent, False,
                                [{"txid": "zz", "vout": 0}])
        assert_raises_rpc_error(-8, "at most 10000 outputs", node.lockunspent, False,
                                [change_point] * (MAX_OUTPUTS + 1))
        assert_raises_rpc_error(-8, "no outputs to lock", node.lockunspent, False)
        assert_equal(node.listlockunspent(), [first])

        self.log("unlock all; a restart forgets locks")
        assert_equal(node.lockunspent(False, [change_point]), True)
        assert_equal(len(node.listlockunspent()), 2)
        assert_equal(node.lockunspent(True), True)
        assert_equal(node.listlockunspent(), [])
        node.lockunspent(False, [first])
        node.restart(["-wallet=w"])
        assert_equal(node.listlockunspent(), [])


if __name__ == "__main__":
    WalletCoinLockTest().main()
