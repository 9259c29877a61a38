#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""The wallet after a SIGKILL in the middle of a burst of sends
(doc/wallet.md).

A thread sends 200 sendtoaddress calls one after another; the node is
killed with SIGKILL midway (no clean shutdown, no mempool.dat written).
After a restart the node comes up without error and the wallet is
consistent with the chain:
  - every listunspent coin exists (gettxout with the mempool) with its
    amount and address;
  - the sum of unspent coins equals getbalances' trusted balance, and the
    confirmed ones alone equal trusted minus the unconfirmed change;
  - no coin is both spent and unspent: no listunspent coin is an input of a
    wallet transaction that is confirmed or in the mempool, and every
    unconfirmed wallet transaction that still counts is in the mempool;
  - after a block confirms the pending sends, the same holds and nothing
    is left unconfirmed."""
import os
import random
import signal
import sys
import threading
import time
from decimal import Decimal

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, wait_until

SENDS = 200
AMOUNT = Decimal("0.01")


class WalletCrashTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def wallet(self):
        user, password = self.node.read_cookie()
        return self.node.make_proxy(user, password, path="/wallet/w")

    def run_test(self):
        self.node = self.add_node(["-keypool=20"])
        self.node.start()
        self.node.createwallet(wallet_name="w", load_on_startup=True)
        self.dest = Key().address
        self.subtest("mature coins", self.test_setup)
        self.subtest("SIGKILL during a burst of sends, restart", self.test_crash)
        self.subtest("the wallet agrees with the chain", self.check_consistent)
        self.subtest("a block confirms what is pending", self.test_confirm)

    def test_setup(self):
        w = self.wallet()
        # Enough mature coins that the burst need not chain on change much.
        self.node.generatetoaddress(60, w.getnewaddress())
        self.node.generatetoaddress(100, Key().address)
        assert_equal(w.getbalances()["mine"]["trusted"], 60 * 50)

    def test_crash(self):
        rng = random.Random(int(os.environ.get("CRASH_SEED", "7")))
        kill_after = rng.randint(40, 120)
        done = []
        errors = []
        # A proxy of its own for the thread (one HTTP connection each).
        sender = self.wallet()

        def burst():
            for _ in range(SENDS):
                try:
                    done.append(sender.sendtoaddress(self.dest, AMOUNT))
                except Exception as e:  # the node dies under us: stop there
                    errors.append(repr(e))
                    return

        thread = threading.Thread(target=burst)
        thread.start()
        wait_until(lambda: len(done) >= kill_after or not thread.is_alive(), timeout=120, what="sends")
        self.node.process.send_signal(signal.SIGKILL)
        self.node.process.wait(timeout=30)
        self.node._forget_process()
        thread.join(timeout=60)
        assert not thread.is_alive()
        self.log(f"killed after {len(done)} sends (target {kill_after}); sender stopped with "
                 f"{errors[:1] if errors else 'no error'}")
        assert len(done) >= kill_after and len(done) < SENDS, len(done)
        self.sent = done
        self.node.start()
        log = self.node.debug_log()
        assert "Error" not in log.split("HPIPS version")[-1], self.node.debug_log_tail()
        # The wallet is back (load_on_startup).
        wait_until(lambda: "w" in self.node.listwallets(), timeout=30, what="wallet loaded")

    def check_consistent(self):
        node, w = self.node, self.wallet()
        unspent = w.listunspent(0)
        coins = {(u["txid"], u["vout"]): u for u in unspent}
        assert_equal(len(coins), len(unspent))
        for (txid, vout), u in coins.items():
            out = node.gettxout(txid, vout, True)
            assert out is not None, f"listunspent coin {txid}:{vout} is not in the UTXO set or mempool"
            assert_equal(out["value"], u["amount"])
            assert_equal(out["scriptPubKey"]["address"], u["address"])
        balances = w.getbalances()["mine"]
        total = sum((u["amount"] for u in unspent), Decimal(0))
        assert_equal(total, balances["trusted"])
        confirmed = sum((u["amount"] for u in unspent if u["confirmations"] > 0), Decimal(0))
        pending_change = sum((u["amount"] for u in unspent if u["confirmations"] == 0), Decimal(0))
        assert_equal(confirmed, balances["trusted"] - pending_change)
        assert_equal(balances["untrusted_pending"], 0)

        # No coin both spent and unspent.
        mempool = set(node.getrawmempool())
        txids = {t["txid"] for t in w.listtransactions("*", 100000)}
        for txid in txids:
            tx = w.gettransaction(txid)
            if tx["confirmations"] < 0:
                continue  # conflicted: spends nothing
            if tx["confirmations"] == 0:
                if txid not in mempool:
                    # Still counted by the wallet, yet nowhere on the node.
                    assert tx.get("abandoned", False) or tx.get("trusted") is False, \
                        f"pending wallet transaction {txid} is not in the mempool: {tx}"
                    continue
            decoded = node.decoderawtransaction(tx["hex"])
            for vin in decoded["vin"]:
                if "txid" in vin:
                    assert (vin["txid"], vin["vout"]) not in coins, \
                        f"{vin['txid']}:{vin['vout']} is spent by {txid} and listed unspent"
        self.log(f"{len(unspent)} unspent coins, trusted {balances['trusted']}, "
                 f"{len(mempool)} in mempool, {len(txids)} wallet transactions")

    def test_confirm(self):
        node, w = self.node, self.wallet()
        node.generatetoaddress(1, Key().address)
        assert_equal(node.getrawmempool(), [])
        self.check_consistent()
        assert_equal([u for u in w.listunspent(0) if u["confirmations"] == 0], [])
        # Every send the wallet still knows is confirmed; each cost AMOUNT.
        sends = [t for t in w.listtransactions("*", 100000) if t["category"] == "send"]
        for t in sends:
            assert t["confirmations"] > 0, t
        # What the wallet lost is exactly what it sent plus fees (Core's
        # signs: a send's amount and fee are negative).
        sent = sum((-t["amount"] for t in sends), Decimal(0))
        fees = sum((-t.get("fee", 0) for t in sends), Decimal(0))
        assert_equal(sent, len(sends) * AMOUNT)
        assert fees > 0
        assert_equal(w.getbalances()["mine"]["trusted"] + sent + fees, 60 * 50)
        # Every send that returned before the kill survived it.
        assert set(self.sent) <= {t["txid"] for t in sends}

if __name__ == "__main__":
    sys.exit(WalletCrashTest().main())
