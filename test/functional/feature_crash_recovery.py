#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Crash recovery while mining: a node with the built-in miner and the crash
knob (-dbcrashratio: a flush after every block, and an abrupt exit in the
middle of a coins flush with probability 1/N) is SIGKILLed at random moments,
or dies by the knob, 20 times, restarting each time. Every restart must come
up with the chain it had (no block it reported is lost, the UTXO set matches
its height); at the end -reindex over the block files the crashes left
rebuilds the same chain, and a fresh node (smallest -dbcache) fed the final
chain block by block through submitblock reaches exactly the same UTXO set.

Set HPIPS_TEST_SEED to replay a run's timing choices."""
import http.client
import os
import random
import re
import sys
import time
from decimal import Decimal

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.test_node import FailedToStartError
from test_framework.util import assert_equal, assert_greater_than_or_equal, assert_in

CYCLES = 20
RUN_SECONDS = (0.2, 1.5)
# Even cycles crash by the knob often, odd ones almost never (they end with SIGKILL).
KNOB_RATIOS = (10, 100000)
# If no knob exit happened in the cycles, extra runs with this ratio make one.
FORCE_KNOB_RATIO = 2
FORCE_KNOB_ATTEMPTS = 10
START_ATTEMPTS = 10
# Blocks reported over RPC before a crash that a restart may lack. Every block
# is flushed before it is reported with the knob on, so none may be lost.
LOSS_TOLERANCE = 0
MIN_DBCACHE_MIB = 4
SUBSIDY = Decimal("50.00000000")
KNOB_LOG_LINE = "Simulating a crash in the middle of a coins flush"
UTXO_FIELDS = ("height", "bestblock", "txouts", "transactions", "hash_serialized", "total_amount")
RPC_DEATH = (ConnectionError, http.client.HTTPException, OSError)


class CrashRecoveryTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def run_test(self):
        seed = int(os.environ.get("HPIPS_TEST_SEED", time.time_ns() % 2**32))
        self.log(f"seed {seed}")
        self.rng = random.Random(seed)
        self.key = Key()
        self.node = self.add_node()
        self.stable = (0, None)  # (height, hash) last reported by the node
        self.kills = 0
        self.knob_exits = 0
        self.knob_exits_at_start = 0
        self.log_offset = 0
        self.subtest("20 crash cycles while mining", self.test_cycles)
        self.subtest("the crash knob fired at least once", self.test_knob_fired)
        self.subtest("clean restart keeps the chain", self.test_clean_restart)
        self.subtest("-reindex over the crash-torn block files rebuilds the same chain", self.test_reindex)
        self.subtest("a fresh node fed the chain has the same UTXO set", self.test_replay)

    # --- helpers -----------------------------------------------------------
    def mining_args(self, ratio):
        return ["-mine", "-minerthreads=1", f"-mineraddress={self.key.address}", f"-dbcrashratio={ratio}"]

    def new_log(self):
        """debug.log written since the last call."""
        log = self.node.debug_log()
        text = log[self.log_offset:]
        self.log_offset = len(log)
        return text

    def expect_knob_exit(self):
        """The node died on its own: it must be the crash knob (status 1 and its log line)."""
        code, stderr = self.node.wait_until_stopped(expected_ret_code=None)
        if code != 1 or KNOB_LOG_LINE not in self.new_log():
            raise AssertionError(f"node died with status {code}, not by the crash knob; stderr: {stderr}")
        self.knob_exits += 1

    def start(self, ratio, attempts=START_ATTEMPTS):
        """Starts the node (no knob and no miner when ratio is None), again if
        the knob kills it while it starts; False if it never came up."""
        for _ in range(attempts):
            self.node.process = None
            try:
                self.node.start(self.mining_args(ratio) if ratio else [])
                return True
            except FailedToStartError:
                if self.node.process is None or not ratio:
                    raise
                self.expect_knob_exit()
                self.knob_exits_at_start += 1
        return False

    def check_restarted(self):
        """No reported block is lost; the UTXO set is exactly the coinbases of its chain."""
        node = self.node
        stable_height, stable_hash = self.stable
        height = node.getblockcount()
        assert_greater_than_or_equal(height, stable_height - LOSS_TOLERANCE)
        if stable_hash is not None and height >= stable_height:
            assert_equal(node.getblockhash(stable_height), stable_hash)
        info = node.gettxoutsetinfo()
        # Only coinbases: one output of the subsidy per block after genesis.
        assert_equal(info["txouts"], info["height"])
        assert_equal(info["transactions"], info["height"])
        assert_equal(info["total_amount"], SUBSIDY * info["height"])
        assert_equal(info["bestblock"], node.getblockhash(info["height"]))

    def run_and_crash(self, seconds):
        """Lets the node mine, noting what it reports, until `seconds` pass
        (then SIGKILL) or the knob kills it. Returns True for a knob exit."""
        node = self.node
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                info = node.getblockchaininfo()
                self.stable = (info["blocks"], info["bestblockhash"])
            except RPC_DEATH:
                pass
            if not node.running():
                self.expect_knob_exit()
                return True
            time.sleep(min(0.05, max(0.0, deadline - time.time())))
        if not node.running():
            self.expect_knob_exit()
            return True
        node.kill()
        self.new_log()
        self.kills += 1
        return False

    def cycle(self, ratio):
        """One start, checks, a run and a crash: "SIGKILL", "knob" or "knob while starting"."""
        if ratio <= KNOB_RATIOS[0]:
            # The miner runs before RPC answers: a frequent knob may fire
            # first, which ends the cycle (the next start checks the chain).
            if not self.start(ratio, attempts=1):
                return "knob while starting"
        elif not self.start(ratio):
            raise AssertionError(f"the node did not come up in {START_ATTEMPTS} attempts")
        try:
            self.check_restarted()
        except RPC_DEATH:
            # The knob may fire in the flush gettxoutsetinfo makes.
            self.expect_knob_exit()
            return "knob"
        return "knob" if self.run_and_crash(self.rng.uniform(*RUN_SECONDS)) else "SIGKILL"

    # --- subtests ----------------------------------------------------------
    def test_cycles(self):
        started = time.time()
        outcomes = []
        for i in range(CYCLES):
            outcomes.append(self.cycle(KNOB_RATIOS[i % 2]))
            self.log(f"  cycle {i + 1}: {outcomes[-1]}, height >= {self.stable[0]}")
        self.log(f"  {self.kills} SIGKILLs, {self.knob_exits} knob exits "
                 f"({self.knob_exits_at_start} while starting) in {time.time() - started:.1f} s")
        assert_equal(len(outcomes), CYCLES)
        assert_equal(outcomes.count("SIGKILL"), self.kills)
        assert self.kills > 0, "no cycle ended with SIGKILL"
        assert self.stable[0] > 0, "the miner made no block"

    def test_knob_fired(self):
        attempts = 0
        while self.knob_exits == 0 and attempts < FORCE_KNOB_ATTEMPTS:
            attempts += 1
            self.cycle(FORCE_KNOB_RATIO)
        assert self.knob_exits > 0, "the crash knob never fired"
        assert_in(KNOB_LOG_LINE, self.node.debug_log())

    def utxo(self):
        info = self.node.gettxoutsetinfo()
        return {field: info[field] for field in UTXO_FIELDS}

    def test_clean_restart(self):
        node = self.node
        self.start(None)  # no miner, no knob
        self.check_restarted()
        self.before_reindex = self.utxo()
        node.stop()
        assert node.debug_log().rstrip().endswith("Shutdown: done")
        node.start()
        assert_equal(self.utxo(), self.before_reindex)
        node.stop()

    def test_reindex(self):
        node = self.node
        before = self.before_reindex
        started = time.time()
        self.new_log()
        node.start(["-reindex"])
        self.final = self.utxo()
        self.log(f"  reindexed to height {self.final['height']} in {time.time() - started:.1f} s")
        match = re.search(r"Reindexed (\d+) blocks \((\d+) rejected, (\d+) without a parent, (\d+) damaged file tails\)", self.new_log())
        assert match, "no reindex summary in debug.log"
        accepted, rejected, orphaned, damaged = (int(g) for g in match.groups())
        self.log(f"  reindex: {accepted} blocks accepted, {rejected} rejected, {orphaned} without a parent, "
                 f"{damaged} damaged file tails")
        assert_equal(rejected, 0)
        # One miner wrote every block after its parent: none can be missing one.
        assert_equal(orphaned, 0)
        # A crash can leave a block stored whose index record never reached
        # disk: the restarted node did not know it, reindex finds it again. So
        # the reindexed chain is the old one, possibly extended.
        assert_greater_than_or_equal(self.final["height"], before["height"])
        assert_equal(node.getblockhash(before["height"]), before["bestblock"])
        if self.final["height"] == before["height"]:
            assert_equal(self.final, before)
        self.check_restarted()
        assert_greater_than_or_equal(accepted, self.final["height"])
        self.blocks = [node.getblock(node.getblockhash(h), 0) for h in range(1, self.final["height"] + 1)]
        node.stop()
        node.start()
        assert_equal(self.utxo(), self.final)
        node.stop()

    def test_replay(self):
        # The smallest coins cache: the replay flushes as it goes.
        fresh = self.add_node([f"-dbcache={MIN_DBCACHE_MIB}"])
        fresh.start()
        started = time.time()
        for height, block in enumerate(self.blocks, start=1):
            result = fresh.submitblock(block)
            if result is not None:
                raise AssertionError(f"block {height} rejected: {result}")
        self.log(f"  resubmitted {len(self.blocks)} blocks in {time.time() - started:.1f} s")
        assert_equal({field: fresh.gettxoutsetinfo()[field] for field in UTXO_FIELDS}, self.final)
        fresh.stop()


if __name__ == "__main__":
    sys.exit(CrashRecoveryTest().main())
