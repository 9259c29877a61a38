#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Transaction relay (doc/p2p.md, "Transaction relay") between real hpipsd
and against test peers.

Three nodes in a line, n0 - n1 - n2 (n1 dials both ends), share one chain
(n0 mines it; the others get its blocks by submitblock, as block download is
another handler's job). A transaction given to sendrawtransaction at one end
reaches the mempools of the middle and the far end, parents and children
alike; test peers get it announced by wtxid when they sent wtxidrelay and by
txid otherwise, and getdata serves it. A test peer that sends inv with
50,001 entries or getdata with 1,001 is disconnected and discouraged while
an honest peer and the nodes' own connections stay; getdata for an unknown
transaction is answered with notfound; mempool from a peer without the
mempool permission disconnects it, and is answered with inv for one with
it; a peer sending many orphans (small, then large ones) never grows the
orphan pool beyond 100 transactions or 4,000,000 bytes (getmempoolinfo's
orphans / orphanbytes), and its orphans leave with it. Every node runs with
-txrelayinterval=50 (ms) so announcements go out quickly; nothing waits on
a clock except for a failure deadline."""
import struct
import sys
from decimal import Decimal

from test_framework.key import Key
from test_framework.p2p import (MSG_TX, MSG_WTX, P2PInterface, build_frame, connect_peer, msg_getdata, msg_inv,
                                msg_mempool, msg_tx, msg_verack, msg_version, msg_wtxidrelay, ser_compact_size)
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, wait_until

SUBSIDY = Decimal("50.00000000")
FEE = Decimal("0.00010000")
INITIAL_BLOCKS = 105
RELAY_ARGS = ["-txrelayinterval=50", "-debug=net", "-debug=mempool"]
# Orphan pool bounds (src/chain/mempool.h).
MAX_ORPHANS = 100
MAX_ORPHAN_TX_SIZE = 100_000
MAX_ORPHAN_TOTAL_BYTES = 4_000_000


def orphan_tx(seed, key, size=None):
    """A transaction spending an output of a transaction nobody has (`seed`
    picks it), optionally padded to exactly `size` bytes with outputs and
    witness bytes (a witness decodes up to 10,000 bytes); its witness is
    never checked, as its parent never arrives."""
    missing = seed.to_bytes(8, "little") + b"\x00" * 23 + b"\xee"
    output = struct.pack("<q", 1000) + b"\x01" + ser_compact_size(32) + key.xonly

    def encode(n_out, witness_len):
        data = struct.pack("<I", 2) + ser_compact_size(1) + missing + struct.pack("<II", 0, 0xFFFFFFFF)
        data += ser_compact_size(n_out) + output * n_out + struct.pack("<I", 0)
        return data + ser_compact_size(witness_len) + b"\x5a" * witness_len

    if size is None:
        return encode(1, 0)
    n_out = (size - len(encode(1, 0)) - 300) // len(output)
    witness_len = size - len(encode(n_out, 0))
    while len(encode(n_out, witness_len)) > size:
        witness_len -= 1
    raw = encode(n_out, witness_len)
    assert len(raw) == size, (len(raw), size)
    return raw


class TxRelayTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0
        self.next_ip = 10

    def fresh_ip(self):
        ip = f"127.0.{self.next_ip // 250}.{self.next_ip % 250 + 2}"
        self.next_ip += 1
        return ip

    def run_test(self):
        self.n0 = self.add_node(RELAY_ARGS + ["-connect=0", "-listen=1", "-whitelist=mempool@127.0.0.3"])
        self.n1 = self.add_node(RELAY_ARGS)
        self.n2 = self.add_node(RELAY_ARGS + ["-connect=0", "-listen=1"])
        self.n0.start()
        self.n2.start()
        self.n1.start([f"-connect=127.0.0.1:{self.n0.p2p_port}", f"-connect=127.0.0.1:{self.n2.p2p_port}"])
        self.key = Key()
        self.other = Key()
        self.share_chain()
        self.wait_line()
        self.honest = connect_peer(self.n0)
        self.subtest("sendrawtransaction reaches every mempool along the line", self.test_line_relay)
        self.subtest("announced by wtxid to wtxidrelay peers, by txid to the rest; getdata serves it",
                     self.test_announcements)
        self.subtest("inv with 50,001 entries: disconnected and discouraged", self.test_oversized_inv)
        self.subtest("getdata with 1,001 entries: disconnected and discouraged", self.test_oversized_getdata)
        self.subtest("getdata for an unknown transaction: notfound", self.test_notfound)
        self.subtest("mempool needs the mempool permission", self.test_mempool_message)
        self.subtest("the orphan pool stays within its count bound", self.test_orphan_count)
        self.subtest("the orphan pool stays within its byte bound", self.test_orphan_bytes)
        self.subtest("honest peers and the line are unaffected", self.test_honest_unaffected)

    # --- helpers -----------------------------------------------------------
    def share_chain(self):
        """n0 mines; n1 and n2 take its blocks through submitblock."""
        hashes = self.n0.generatetoaddress(INITIAL_BLOCKS, self.key.address)
        self.coinbase = [self.n0.getblock(h)["tx"][0] for h in hashes]
        self.next_coinbase = 0
        for h in hashes:
            raw = self.n0.getblock(h, 0)
            for node in (self.n1, self.n2):
                node.submitblock(raw)
        for node in (self.n1, self.n2):
            assert_equal(node.getbestblockhash(), hashes[-1])

    def wait_line(self):
        wait_until(lambda: self.n1.getconnectioncount() == 2 and self.n0.getconnectioncount() >= 1 and
                   self.n2.getconnectioncount() >= 1, what="the line n0 - n1 - n2")
        for node in (self.n0, self.n1, self.n2):
            wait_until(lambda n=node: all("version" in p and p["version"] == 10001 for p in n.getpeerinfo()),
                       what="handshakes")

    def line_intact(self):
        peers = sorted(p["addr"] for p in self.n1.getpeerinfo() if not p["inbound"])
        assert_equal(peers, sorted([f"127.0.0.1:{self.n0.p2p_port}", f"127.0.0.1:{self.n2.p2p_port}"]))

    def spend(self, node, txid, vout, amount, key):
        raw = node.createrawtransaction([{"txid": txid, "vout": vout}], [{self.other.address: amount}])
        signed = node.signrawtransactionwithkey(raw, [key.wif])
        assert_equal(signed["complete"], True)
        return signed["hex"]

    def new_coinbase_spend(self, node):
        """A signed spend of the next mature coinbase, and its txid."""
        txid = self.coinbase[self.next_coinbase]
        self.next_coinbase += 1
        return self.spend(node, txid, 0, SUBSIDY - FEE, self.key)

    def wait_in_all_mempools(self, txids):
        for node in (self.n0, self.n1, self.n2):
            wait_until(lambda n=node: set(txids) <= set(n.getrawmempool()),
                       what=f"{len(txids)} transactions in node{node.index}'s mempool")

    def misbehave(self, send, reason):
        """A test peer from a fresh address misbehaves: it is disconnected
        and discouraged, the reason is logged, the honest peer stays."""
        ip = self.fresh_ip()
        peer = connect_peer(self.n0, source_ip=ip)
        send(peer)
        peer.wait_for_disconnect()
        wait_until(lambda: any(f" {ip}:" in line and reason in line for line in self.n0.debug_log().splitlines()
                               if "Disconnecting and discouraging" in line), what=f"'{reason}' for {ip}")
        again = P2PInterface().connect(self.n0.p2p_port, source_ip=ip)
        again.try_send_raw(build_frame("version", msg_version().serialize()))
        again.wait_for_disconnect()
        assert_equal(again.count("version"), 0)
        self.honest.sync_with_ping()
        assert self.honest.is_connected()

    def orphan_info(self):
        info = self.n0.getmempoolinfo()
        return info["orphans"], info["orphanbytes"]

    # --- subtests ----------------------------------------------------------
    def test_line_relay(self):
        # One end to the other, through the middle (the ends are not connected).
        tx = self.new_coinbase_spend(self.n0)
        txid = self.n0.sendrawtransaction(tx)
        self.wait_in_all_mempools([txid])
        # The other way, a parent and its child sent at once.
        parent = self.new_coinbase_spend(self.n2)
        parent_id = self.n2.sendrawtransaction(parent)
        child = self.spend(self.n2, parent_id, 0, SUBSIDY - 2 * FEE, self.other)
        child_id = self.n2.sendrawtransaction(child)
        self.wait_in_all_mempools([parent_id, child_id])
        # Sending it again announces nothing new and changes nothing.
        assert_equal(self.n2.sendrawtransaction(parent), parent_id)
        self.line_intact()

    def test_announcements(self):
        by_wtxid = P2PInterface().connect(self.n0.p2p_port)
        by_wtxid.handshake(send_verack=False)
        by_wtxid.send_message(msg_wtxidrelay())
        by_wtxid.send_message(msg_verack())
        by_wtxid.sync_with_ping()
        by_txid = connect_peer(self.n0)
        by_txid.sync_with_ping()
        tx = self.new_coinbase_spend(self.n0)
        decoded = self.n0.decoderawtransaction(tx)
        txid, wtxid = decoded["txid"], decoded["hash"]
        assert txid != wtxid
        self.n0.sendrawtransaction(tx)
        txid_bytes = bytes.fromhex(txid)[::-1]
        wtxid_bytes = bytes.fromhex(wtxid)[::-1]

        def announced(peer, item):
            return any(m.command == b"inv" and item in m.items for m in peer.received)
        by_wtxid.wait_until(lambda: announced(by_wtxid, (MSG_WTX, wtxid_bytes)), what="inv by wtxid")
        by_txid.wait_until(lambda: announced(by_txid, (MSG_TX, txid_bytes)), what="inv by txid")
        assert not announced(by_wtxid, (MSG_TX, txid_bytes))
        assert not announced(by_txid, (MSG_WTX, wtxid_bytes))
        for peer, item in ((by_wtxid, (MSG_WTX, wtxid_bytes)), (by_txid, (MSG_TX, txid_bytes))):
            peer.send_message(msg_getdata([item]))
            peer.wait_until(lambda p=peer: any(m.command == b"tx" and m.payload == bytes.fromhex(tx)
                                               for m in p.received), what="the transaction served")
        self.wait_in_all_mempools([txid])
        by_wtxid.close()
        by_txid.close()

    def test_oversized_inv(self):
        at_limit = connect_peer(self.n0, source_ip=self.fresh_ip())
        at_limit.send_message(msg_inv([(MSG_TX, i.to_bytes(32, "little")) for i in range(50_000)]))
        at_limit.sync_with_ping()
        assert at_limit.is_connected()
        at_limit.close()
        self.misbehave(lambda p: p.try_send_raw(build_frame(
            "inv", msg_inv([(MSG_TX, i.to_bytes(32, "little")) for i in range(50_001)]).serialize())),
            "oversized: command 'inv'")
        self.line_intact()

    def test_oversized_getdata(self):
        at_limit = connect_peer(self.n0, source_ip=self.fresh_ip())
        at_limit.send_message(msg_getdata([(MSG_TX, i.to_bytes(32, "little")) for i in range(1_000)]))
        at_limit.wait_for_message("notfound")
        at_limit.sync_with_ping()
        assert at_limit.is_connected()
        at_limit.close()
        self.misbehave(lambda p: p.try_send_raw(build_frame(
            "getdata", msg_getdata([(MSG_TX, i.to_bytes(32, "little")) for i in range(1_001)]).serialize())),
            "oversized: command 'getdata'")
        self.line_intact()

    def test_notfound(self):
        peer = connect_peer(self.n0)
        unknown = [(MSG_TX, b"\x42" * 32), (MSG_WTX, b"\x43" * 32)]
        peer.send_message(msg_getdata(unknown))
        notfound = peer.wait_for_message("notfound")
        assert_equal(notfound.items, unknown)
        assert peer.is_connected()
        peer.close()

    def test_mempool_message(self):
        pool = set(self.n0.getrawmempool())
        assert pool
        allowed = connect_peer(self.n0, source_ip="127.0.0.3")
        allowed.send_message(msg_mempool())
        allowed.wait_until(lambda: pool <= {h[::-1].hex() for m in allowed.received if m.command == b"inv"
                                            for t, h in m.items if t == MSG_TX}, what="inv of the whole pool")
        assert allowed.is_connected()
        allowed.close()
        ip = self.fresh_ip()
        refused = connect_peer(self.n0, source_ip=ip)
        refused.send_message(msg_mempool())
        refused.wait_for_disconnect()
        wait_until(lambda: "mempool request without the mempool permission" in self.n0.debug_log(),
                   what="the reason logged")
        # Disconnected, not discouraged: it may come back.
        back = connect_peer(self.n0, source_ip=ip)
        back.sync_with_ping()
        back.close()
        self.honest.sync_with_ping()

    def test_orphan_count(self):
        before, _ = self.orphan_info()
        assert_equal(before, 0)
        peer = connect_peer(self.n0, source_ip=self.fresh_ip())
        for batch in range(3):
            for i in range(60):
                peer.send_message(msg_tx(orphan_tx(batch * 60 + i, self.key)))
            peer.sync_with_ping()
            count, size = self.orphan_info()
            assert count <= MAX_ORPHANS, count
            assert size <= MAX_ORPHAN_TOTAL_BYTES, size
        assert_equal(self.orphan_info()[0], MAX_ORPHANS)
        # Orphans are not misbehaviour: the peer stays; its orphans leave with it.
        assert peer.is_connected()
        peer.close()
        wait_until(lambda: self.orphan_info() == (0, 0), what="the peer's orphans to go")

    def test_orphan_bytes(self):
        peer = connect_peer(self.n0, source_ip=self.fresh_ip())
        fit = MAX_ORPHAN_TOTAL_BYTES // (MAX_ORPHAN_TX_SIZE - 1_000)
        for i in range(fit + 5):
            peer.send_message(msg_tx(orphan_tx(10_000 + i, self.key, MAX_ORPHAN_TX_SIZE - 1_000)))
            if i % 10 == 9:
                peer.sync_with_ping()
                count, size = self.orphan_info()
                assert size <= MAX_ORPHAN_TOTAL_BYTES, size
        peer.sync_with_ping()
        count, size = self.orphan_info()
        assert_equal(count, fit)
        assert_equal(size, fit * (MAX_ORPHAN_TX_SIZE - 1_000))
        # Over the per-orphan limit: not kept at all.
        peer.send_message(msg_tx(orphan_tx(20_000, self.key, MAX_ORPHAN_TX_SIZE + 1)))
        peer.sync_with_ping()
        assert_equal(self.orphan_info(), (count, size))
        assert peer.is_connected()
        peer.close()
        wait_until(lambda: self.orphan_info() == (0, 0), what="the peer's orphans to go")

    def test_honest_unaffected(self):
        self.honest.sync_with_ping()
        assert self.honest.is_connected()
        self.line_intact()
        # Relay still works after all of the above.
        tx = self.new_coinbase_spend(self.n2)
        self.wait_in_all_mempools([self.n2.sendrawtransaction(tx)])


if __name__ == "__main__":
    sys.exit(TxRelayTest().main())
