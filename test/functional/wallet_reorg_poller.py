#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""An exchange-style deposit poller through 20 random reorgs, on two nodes
(doc/wallet.md, "listsinceblock").

Node A is "the other side": its wallet "sender" pays deposits to the
exchange and it mines. Node B runs the exchange wallet "ex" and the poller;
it hears of blocks only when the test carries them (getblock 0 +
submitblock: the nodes are not connected, which is the partition). The
poller keeps a cursor (the last block hash) and calls
listsinceblock(cursor, 1, include_watchonly, include_removed=true): it
credits `transactions` of category "receive" with at least one
confirmation (a duplicate credit fails the test) and debits `removed`.

Each round sends a few deposits and mines on A, carries the blocks to B,
then reorganises B one of three ways, polling at random moments:
  - A mines a competing branch with more work (invalidateblock on A, then
    the deposits are mined into other blocks), carried to B;
  - the same, but the new branch is empty blocks (generateblock with no
    transactions), so the deposits become unconfirmed on B until later;
  - B itself invalidates its last blocks, is polled, then reconsiders them.
At the end everything is mined and carried over, and the poller's credited
set equals exactly the confirmed receives on B's active chain (txid and
block), with every deposit that A's chain confirmed among them."""
import os
import random
import sys
import time

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal

ROUNDS = 20


class WalletReorgPollerTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def wallet(self, node, name):
        user, password = node.read_cookie()
        return node.make_proxy(user, password, path=f"/wallet/{name}")

    def run_test(self):
        self.a = self.add_node(["-keypool=20"])
        self.b = self.add_node(["-keypool=20"])
        self.a.start()
        self.b.start()
        self.a.createwallet("sender")
        self.a.createwallet("other")
        self.b.createwallet("ex")
        self.sender = self.wallet(self.a, "sender")
        self.other_addr = self.wallet(self.a, "other").getnewaddress()
        self.ex = self.wallet(self.b, "ex")
        seed = int(os.environ.get("POLLER_SEED", "20261208"))
        self.log(f"seed {seed}")
        self.rng = random.Random(seed)
        self.subtest("a shared chain with mature coins on A", self.test_setup)
        self.subtest(f"the poller through {ROUNDS} random reorgs", self.test_poller)

    # --- chain helpers -------------------------------------------------------
    def mine_a(self, count=1, empty=False):
        if empty:
            return [self.a.generateblock(self.other_addr, [])["hash"] for _ in range(count)]
        return self.a.generatetoaddress(count, self.other_addr)

    def carry(self):
        """Carries A's active chain to B from the last height they share."""
        a, b = self.a, self.b
        height = min(a.getblockcount(), b.getblockcount())
        while height > 0 and a.getblockhash(height) != b.getblockhash(height):
            height -= 1
        for h in range(height + 1, a.getblockcount() + 1):
            answer = b.submitblock(a.getblock(a.getblockhash(h), 0))
            # "inconclusive": stored, not (yet) the tip — a branch arriving block by block.
            assert answer in (None, "duplicate", "inconclusive"), answer
        assert_equal(b.getbestblockhash(), a.getbestblockhash())

    def test_setup(self):
        self.sender_addr = self.sender.getnewaddress()
        self.a.generatetoaddress(30, self.sender_addr)
        self.mine_a(100)
        self.carry()
        assert self.sender.getbalance() > 1000

    # --- the poller ----------------------------------------------------------
    def test_poller(self):
        start = time.time()
        b, ex, rng = self.b, self.ex, self.rng
        credited = {}  # txid -> blockhash it was credited in
        stats = {"credits": 0, "debits": 0, "polls": 0}
        sent = set()
        cursor = b.getbestblockhash()

        def poll():
            nonlocal cursor
            listed = ex.listsinceblock(cursor, 1, False, True)
            stats["polls"] += 1
            for entry in listed["removed"]:
                if entry["category"] == "receive" and credited.pop(entry["txid"], None) is not None:
                    stats["debits"] += 1
            for entry in listed["transactions"]:
                if entry["category"] != "receive" or entry["confirmations"] < 1:
                    continue
                assert entry["txid"] not in credited, f"duplicate credit of {entry['txid']}"
                credited[entry["txid"]] = entry["blockhash"]
                stats["credits"] += 1
            cursor = listed["lastblock"]

        def maybe_poll():
            if rng.random() < 0.5:
                poll()

        def deposits():
            for _ in range(rng.randint(1, 3)):
                sent.add(self.sender.sendtoaddress(ex.getnewaddress(), rng.randint(1, 30) / 10))

        kinds = {"branch": 0, "empty": 0, "local": 0}
        for _ in range(ROUNDS):
            deposits()
            self.mine_a(rng.randint(1, 2))
            self.carry()
            maybe_poll()
            depth = rng.randint(1, 3)
            kind = rng.choice(list(kinds))
            kinds[kind] += 1
            if kind == "local":
                # B alone goes back, is polled there, and returns.
                fork = b.getblockhash(b.getblockcount() - depth + 1)
                b.invalidateblock(fork)
                maybe_poll()
                b.reconsiderblock(fork)
                assert_equal(b.getbestblockhash(), self.a.getbestblockhash())
            else:
                # A abandons its last blocks and mines a longer branch.
                self.a.invalidateblock(self.a.getblockhash(self.a.getblockcount() - depth + 1))
                if rng.random() < 0.5:
                    deposits()
                self.mine_a(depth + 1, empty=(kind == "empty"))
                self.carry()
            maybe_poll()
        # Settle: everything A's mempool holds is mined, B follows, last poll.
        self.mine_a(2)
        self.carry()
        poll()

        # The credited set is exactly the confirmed receives on B's chain.
        confirmed = {}
        for entry in ex.listsinceblock("", 1, False, True)["transactions"]:
            if entry["category"] == "receive" and entry["confirmations"] > 0:
                assert entry["txid"] not in confirmed or confirmed[entry["txid"]] == entry["blockhash"]
                confirmed[entry["txid"]] = entry["blockhash"]
                assert_equal(b.getblock(entry["blockhash"])["confirmations"] > 0, True)
        assert_equal(credited, confirmed)
        # Every deposit A's chain confirmed is credited in the block holding it.
        for txid in sent:
            tx = self.sender.gettransaction(txid)
            if tx["confirmations"] > 0:
                assert_equal(credited.get(txid), tx["blockhash"])
        assert_equal(b.getbestblockhash(), self.a.getbestblockhash())
        assert stats["debits"] > 0, stats
        assert_equal(stats["credits"] - stats["debits"], len(credited))
        self.log(f"{len(sent)} deposits, {len(credited)} credited, {stats}, reorgs {kinds}, "
                 f"{time.time() - start:.1f} s")


if __name__ == "__main__":
    sys.exit(WalletReorgPollerTest().main())
