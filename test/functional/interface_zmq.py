#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""ZMQ notifications (doc/zmq.md) heard by a standard-library ZMTP client
(test_framework/zmq_sub.py). Node 0 publishes hashblock, hashtx, rawblock
and rawtx on one tcp:// address, hashblock again on an ipc:// address and
sequence on a second tcp:// address. Every message has the right body, and
every topic's 4-byte counter rises by one per message on each address for
the whole test, with no gap: for mined blocks (the coinbase's hashtx/rawtx,
then hashblock/rawblock, sequence "C"), for a transaction entering the pool
(hashtx/rawtx, sequence "A" with getrawmempool's mempool_sequence) and its
block (no "R" for a confirmation), for a reorganisation between two nodes
("D", then "C" "C", then "R" for the transaction that conflicts with the
new branch and "A" for the one that returns, a single hashblock), and for
invalidateblock / reconsiderblock. getzmqnotifications lists what is
published; a bad address or one in use stops the start with a clear error;
a bitcoin.conf-style file with server=1, daemon=1, txindex=1 and
zmqpubrawblock starts the node, which publishes raw blocks."""
import os
import socket
import struct
import subprocess
import sys
from decimal import Decimal

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, get_free_port, wait_until, write_config
from test_framework.zmq_sub import ZmqSubscriber

SUBSIDY = Decimal("50")
FEE = Decimal("0.0001")
# Messages that are not coming arrive within this (loopback, no load).
QUIET_SECONDS = 0.5


class Subscriber:
    """A ZmqSubscriber that checks, for every message it hears, that the
    topic's counter is the previous one plus one (the first one sets it)."""

    def __init__(self, address, topics):
        self.client = ZmqSubscriber(address, topics, timeout=60)
        self.last = {}

    def receive(self, timeout=60):
        self.client.settimeout(timeout)
        topic, body, seq = self.client.receive()
        if topic in self.last:
            assert_equal(seq, (self.last[topic] + 1) % 2**32)
        self.last[topic] = seq
        return topic, body

    def receive_n(self, n):
        return [self.receive() for _ in range(n)]

    def try_receive(self, timeout):
        try:
            return self.receive(timeout)
        except socket.timeout:
            return None

    def drain(self):
        while self.try_receive(QUIET_SECONDS) is not None:
            pass

    def assert_quiet(self):
        message = self.try_receive(QUIET_SECONDS)
        assert message is None, f"unexpected message {message}"


def h(hex_hash):
    """A hash body: the display-order bytes of the hex form."""
    return bytes.fromhex(hex_hash)


class ZmqTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def run_test(self):
        self.key = Key()
        self.other = Key()
        self.addr_a = f"tcp://127.0.0.1:{get_free_port()}"
        self.addr_b = f"tcp://127.0.0.1:{get_free_port()}"
        self.addr_ipc = "ipc://" + os.path.join(self.tmpdir, "hashblock.ipc")
        self.n0 = self.add_node([f"-zmqpubhashblock={self.addr_a}", f"-zmqpubhashblock={self.addr_ipc}",
                                 f"-zmqpubhashtx={self.addr_a}", f"-zmqpubrawblock={self.addr_a}",
                                 f"-zmqpubrawtx={self.addr_a}", "-zmqpubrawtxhwm=500",
                                 f"-zmqpubsequence={self.addr_b}"])
        self.n1 = self.add_node()
        self.n0.start()
        self.subtest("getzmqnotifications", self.test_getzmqnotifications)
        self.subtest("subscribers connect", self.test_connect)
        self.subtest("mined blocks: hashtx, rawtx, hashblock, rawblock, sequence C", self.test_blocks)
        self.subtest("a transaction: hashtx, rawtx, sequence A with mempool_sequence", self.test_transaction)
        self.subtest("a reorg: D, then C, no gap", self.test_reorg)
        self.subtest("invalidateblock and reconsiderblock", self.test_invalidate)
        self.subtest("invalid addresses stop the start", self.test_bad_addresses)
        self.subtest("bitcoin.conf-style file with daemon=1 and zmqpubrawblock", self.test_daemon_conf)

    # --- helpers ---------------------------------------------------------
    def mine(self, node, n=1, key=None):
        """Mines n blocks one call at a time (one new tip each)."""
        return [node.generatetoaddress(1, (key or self.key).address)[0] for _ in range(n)]

    def tx_messages(self, txid, blockhash=None):
        raw = self.n0.getrawtransaction(txid, False, blockhash) if blockhash else self.n0.getrawtransaction(txid)
        return [("hashtx", h(txid)), ("rawtx", bytes.fromhex(raw))]

    def block_tx_messages(self, blockhash):
        out = []
        for txid in self.n0.getblock(blockhash)["tx"]:
            out += self.tx_messages(txid, blockhash)
        return out

    def tip_messages(self, blockhash):
        return [("hashblock", h(blockhash)), ("rawblock", bytes.fromhex(self.n0.getblock(blockhash, 0)))]

    def expect_blocks(self, hashes):
        """Each block one chain operation: its transactions, then it as the new tip."""
        for blockhash in hashes:
            expected = self.block_tx_messages(blockhash) + self.tip_messages(blockhash)
            assert_equal(self.sub_a.receive_n(len(expected)), expected)
            assert_equal(self.sub_b.receive(), ("sequence", h(blockhash) + b"C"))
            assert_equal(self.sub_ipc.receive(), ("hashblock", h(blockhash)))

    def spend(self, node, txid, to, amount):
        raw = node.createrawtransaction([{"txid": txid, "vout": 0}], [{to.address: amount}])
        signed = node.signrawtransactionwithkey(raw, [self.key.wif])
        assert_equal(signed["complete"], True)
        return signed["hex"]

    def coinbase(self, height):
        return self.n0.getblock(self.n0.getblockhash(height))["tx"][0]

    # --- subtests --------------------------------------------------------
    def test_getzmqnotifications(self):
        assert_equal(self.n0.getzmqnotifications(), [
            {"type": "pubhashblock", "address": self.addr_a, "hwm": 1000},
            {"type": "pubhashblock", "address": self.addr_ipc, "hwm": 1000},
            {"type": "pubhashtx", "address": self.addr_a, "hwm": 1000},
            {"type": "pubrawblock", "address": self.addr_a, "hwm": 1000},
            {"type": "pubrawtx", "address": self.addr_a, "hwm": 500},
            {"type": "pubsequence", "address": self.addr_b, "hwm": 1000},
        ])
        self.n1.start()
        assert_equal(self.n1.getzmqnotifications(), [])
        self.n1.stop()

    def test_connect(self):
        self.sub_a = Subscriber(self.addr_a, ["hashblock", "hashtx", "rawblock", "rawtx"])
        self.sub_b = Subscriber(self.addr_b, ["sequence"])
        self.sub_ipc = Subscriber(self.addr_ipc, ["hashblock"])
        # A subscription reaches the publisher a moment after the connection:
        # mine until every subscriber hears something, then forget the rest.
        waiting = {self.sub_a, self.sub_b, self.sub_ipc}
        for _ in range(50):
            self.mine(self.n0)
            waiting = {sub for sub in waiting if sub.try_receive(QUIET_SECONDS) is None}
            if not waiting:
                break
        assert not waiting, "a subscriber heard nothing"
        for sub in (self.sub_a, self.sub_b, self.sub_ipc):
            sub.drain()

    def test_blocks(self):
        self.expect_blocks(self.mine(self.n0, 3))
        # Enough for mature coinbases (100 blocks), every message checked.
        self.expect_blocks(self.mine(self.n0, 101 - self.n0.getblockcount()))
        for sub in (self.sub_a, self.sub_b, self.sub_ipc):
            sub.assert_quiet()

    def test_transaction(self):
        before = self.n0.getrawmempool(False, True)
        assert_equal(before["txids"], [])
        seq = before["mempool_sequence"]
        raw = self.spend(self.n0, self.coinbase(1), self.other, SUBSIDY - FEE)
        txid = self.n0.sendrawtransaction(raw)
        assert_equal(self.sub_a.receive_n(2), [("hashtx", h(txid)), ("rawtx", bytes.fromhex(raw))])
        assert_equal(self.sub_b.receive(), ("sequence", h(txid) + b"A" + struct.pack("<Q", seq)))
        assert_equal(self.n0.getrawmempool(False, True), {"txids": [txid], "mempool_sequence": seq + 1})
        assert_raises_rpc_error(-8, "Verbose results cannot contain mempool sequence values.",
                                self.n0.getrawmempool, True, True)
        # Its block: hashtx/rawtx for the coinbase and it, and "C" with no
        # "R" (a confirmation is told by the block); the removal still took
        # a pool sequence number.
        [blockhash] = self.mine(self.n0)
        assert_equal(self.n0.getblock(blockhash)["tx"][1], txid)
        self.expect_blocks([blockhash])
        self.sub_b.assert_quiet()
        assert_equal(self.n0.getrawmempool(False, True), {"txids": [], "mempool_sequence": seq + 2})

    def test_reorg(self):
        n0, n1 = self.n0, self.n1
        n1.start()
        for height in range(1, n0.getblockcount() + 1):
            assert_equal(n1.submitblock(n0.getblock(n0.getblockhash(height), 0)), None)
        assert_equal(n1.getbestblockhash(), n0.getbestblockhash())
        # Node 0 confirms tx_a in A1 and then holds tx_c in its pool; node 1
        # spends tx_c's coin in B1 and mines B2 on top.
        seq = n0.getrawmempool(False, True)["mempool_sequence"]
        raw_a = self.spend(n0, self.coinbase(2), self.other, SUBSIDY - FEE)
        tx_a = n0.sendrawtransaction(raw_a)
        [a1] = self.mine(n0)
        raw_c = self.spend(n0, self.coinbase(3), self.other, SUBSIDY - FEE)
        tx_c = n0.sendrawtransaction(raw_c)
        tx_b = n1.sendrawtransaction(self.spend(n1, self.coinbase(3), self.other, SUBSIDY - 2 * FEE))
        b1, b2 = self.mine(n1, 2, key=self.other)
        assert_equal(n1.getblock(b1)["tx"][1], tx_b)
        a1_messages = self.block_tx_messages(a1)
        assert_equal(self.sub_a.receive_n(2), [("hashtx", h(tx_a)), ("rawtx", bytes.fromhex(raw_a))])
        assert_equal(self.sub_a.receive_n(len(a1_messages) + 2), a1_messages + self.tip_messages(a1))
        assert_equal(self.sub_a.receive_n(2), [("hashtx", h(tx_c)), ("rawtx", bytes.fromhex(raw_c))])
        # Pool sequence numbers: tx_a in (seq), out in A1 (seq + 1, no "R"), tx_c in (seq + 2).
        assert_equal(self.sub_b.receive_n(3), [
            ("sequence", h(tx_a) + b"A" + struct.pack("<Q", seq)),
            ("sequence", h(a1) + b"C"),
            ("sequence", h(tx_c) + b"A" + struct.pack("<Q", seq + 2)),
        ])
        self.sub_ipc.receive()
        # B1 alone has only equal work: stored, nothing published.
        assert_equal(n0.submitblock(n1.getblock(b1, 0)), "inconclusive")
        self.sub_b.assert_quiet()
        # B2 makes B's branch the best: A1 goes, B1 and B2 come, tx_c
        # conflicts with tx_b and leaves the pool, tx_a returns.
        assert_equal(n0.submitblock(n1.getblock(b2, 0)), None)
        assert_equal(n0.getbestblockhash(), b2)
        assert_equal(n0.getrawmempool(), [tx_a])
        assert_equal(self.sub_b.receive_n(5), [
            ("sequence", h(a1) + b"D"),
            ("sequence", h(b1) + b"C"),
            ("sequence", h(b2) + b"C"),
            ("sequence", h(tx_c) + b"R" + struct.pack("<Q", seq + 3)),
            ("sequence", h(tx_a) + b"A" + struct.pack("<Q", seq + 4)),
        ])
        assert_equal(n0.getrawmempool(False, True)["mempool_sequence"], seq + 5)
        # The other topics: every transaction of A1, B1 and B2, tx_a again as
        # it returns, and one new tip.
        expected = (a1_messages + self.block_tx_messages(b1) + self.block_tx_messages(b2) +
                    self.tx_messages(tx_a) + self.tip_messages(b2))
        heard = self.sub_a.receive_n(len(expected))

        def by_topic(messages):
            return {topic: [body for t, body in messages if t == topic] for topic in
                    ("hashtx", "rawtx", "hashblock", "rawblock")}
        assert_equal(by_topic(heard), by_topic(expected))
        assert_equal(self.sub_ipc.receive(), ("hashblock", h(b2)))
        for sub in (self.sub_a, self.sub_b, self.sub_ipc):
            sub.assert_quiet()
        self.b2 = b2
        self.tx_a = tx_a

    def test_invalidate(self):
        n0, tx_a = self.n0, self.tx_a
        # C1 confirms tx_a on top of B2.
        [c1] = self.mine(n0)
        assert_equal(n0.getblock(c1)["tx"][1], tx_a)
        self.expect_blocks([c1])
        c1_txs = self.block_tx_messages(c1)
        seq = n0.getrawmempool(False, True)["mempool_sequence"]
        # The tip moves back to B2 (A's branch has less work): "D", C1's
        # transactions, tx_a back in the pool, but no new tip to announce.
        n0.invalidateblock(c1)
        assert_equal(n0.getbestblockhash(), self.b2)
        assert_equal(self.sub_b.receive_n(2), [("sequence", h(c1) + b"D"),
                                               ("sequence", h(tx_a) + b"A" + struct.pack("<Q", seq))])
        assert_equal(self.sub_a.receive_n(len(c1_txs) + 2), c1_txs + self.tx_messages(tx_a))
        for sub in (self.sub_a, self.sub_b, self.sub_ipc):
            sub.assert_quiet()
        # Back to C1: "C" and the new tip; tx_a's confirmation sends no "R".
        n0.reconsiderblock(c1)
        assert_equal(n0.getbestblockhash(), c1)
        self.expect_blocks([c1])
        for sub in (self.sub_a, self.sub_b, self.sub_ipc):
            sub.assert_quiet()
        assert_equal(n0.getrawmempool(False, True), {"txids": [], "mempool_sequence": seq + 2})

    def test_bad_addresses(self):
        n1 = self.n1
        if n1.running():
            n1.stop()
        n1.assert_start_raises_init_error(
            ["-zmqpubrawtx=udp://127.0.0.1:28332"],
            "Error: Invalid -zmqpubrawtx address 'udp://127.0.0.1:28332': only tcp:// and ipc:// addresses are "
            "supported")
        n1.assert_start_raises_init_error(["-zmqpubhashtx=tcp://127.0.0.1:0"],
                                          "Invalid -zmqpubhashtx address 'tcp://127.0.0.1:0': the port must be")
        n1.assert_start_raises_init_error(["-zmqpubsequence=tcp://127.0.0.1"], "Invalid -zmqpubsequence address")
        n1.assert_start_raises_init_error([f"-zmqpubhashblock={self.addr_ipc[:6]}"], "ipc:// needs a path")
        n1.assert_start_raises_init_error(["-zmqpubhashblock=tcp://127.0.0.1:28332", "-zmqpubhashblockhwm=-1"],
                                          "Invalid value for -zmqpubhashblockhwm")
        # Node 0 holds this one.
        n1.assert_start_raises_init_error([f"-zmqpubrawblock={self.addr_b}"],
                                          f"Error: Unable to bind ZMQ socket to {self.addr_b}")

    def test_daemon_conf(self):
        rpc_node = self.n1
        datadir = os.path.join(self.tmpdir, "btcconf")
        os.makedirs(datadir)
        address = f"tcp://127.0.0.1:{get_free_port()}"
        write_config(os.path.join(datadir, "hpips.conf"), [
            "server=1",
            "daemon=1",
            "txindex=1",
            f"zmqpubrawblock={address}",
            "chain=regtest",
            "[regtest]",
            f"rpcport={rpc_node.rpc_port}",
            f"port={get_free_port()}",
            "printtoconsole=0",
        ])
        start = subprocess.run([os.path.join(self.options.bindir, "hpipsd"), f"-datadir={datadir}"],
                               capture_output=True, text=True, timeout=120)
        assert_equal(start.returncode, 0)
        assert "zmqpubrawblock" not in start.stderr, start.stderr
        net_dir = os.path.join(datadir, "regtest")
        with open(os.path.join(net_dir, ".cookie"), encoding="utf-8") as f:
            user, _, password = f.read().strip().partition(":")
        rpc = rpc_node.make_proxy(user, password)
        try:
            assert_equal(rpc.getzmqnotifications(), [{"type": "pubrawblock", "address": address, "hwm": 1000}])
            wait_until(lambda: rpc.getindexinfo().get("txindex", {}).get("synced"), what="the transaction index")
            sub = ZmqSubscriber(address, ["rawblock"])
            mined = {}
            heard = None
            for _ in range(50):
                [blockhash] = rpc.generatetoaddress(1, self.key.address)
                mined[rpc.getblock(blockhash, 0)] = blockhash
                sub.settimeout(QUIET_SECONDS)
                try:
                    heard = sub.receive()
                    break
                except socket.timeout:
                    pass
            assert heard is not None, "no rawblock heard"
            assert_equal(heard[0], "rawblock")
            assert heard[1].hex() in mined, "rawblock is not a block the node mined"
            sub.close()
        finally:
            rpc.stop()
            rpc.close()
        pid_path = os.path.join(net_dir, "hpipsd.pid")
        wait_until(lambda: not os.path.exists(pid_path), what="the daemon to stop")


if __name__ == "__main__":
    sys.exit(ZmqTest().main())
