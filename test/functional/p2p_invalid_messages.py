#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Every P2P limit, one over and at the limit, against a real hpipsd.

A message one byte over its command's payload limit (every command of the
table and an unknown one), a bad checksum, a bad magic, a header whose
length does not match its payload, more than 1,000 addr entries, more than
101 locator hashes, more than 50,000 inv entries, more than 1,000 getdata
entries, more than 2,000 headers (at the transport and inside an in-limit
payload, for the decoders), a 257-byte user agent, and handshake-order
violations: each disconnects the misbehaving peer and discourages its
address (a new connection from it is refused), while an honest peer stays
connected and answered. Each misbehaving peer connects from its own
127.0.x.y address, so discouraging it leaves 127.0.0.1 alone.

At the limit, the same messages are accepted: the peer stays connected.
Addresses beyond the token bucket (0.1 addr/s, burst 1,000) are dropped and
counted, not punished. A peer that never reads while it floods pings gets
no more answers once 1 MB of them waits, is not read once 5 MB of its pings
wait, and is disconnected (not discouraged) when it has taken nothing for
-peertimeout; the node's peak memory grows by far less than what the peer
sent."""
import os
import struct
import sys
import threading
import time

from test_framework.p2p import (
    MAX_ADDR_PAYLOAD, MAX_BLOB_PAYLOAD, MAX_GETDATA_PAYLOAD, MAX_GETHEADERS_PAYLOAD, MAX_HEADERS_PAYLOAD,
    MAX_INV_PAYLOAD, MAX_UNKNOWN_PAYLOAD, MAX_VERSION_PAYLOAD, MAIN_MAGIC, MSG_TX, CAddress, P2PInterface,
    block_header, build_frame, connect_peer, msg_addr, msg_blob, msg_block, msg_feefilter, msg_generic,
    msg_getblob, msg_getdata, msg_getheaders, msg_headers, msg_inv, msg_notfound, msg_ping, msg_pong, msg_tx, sha256d,
    msg_verack, msg_version, ser_compact_size)
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, wait_until

# Payload limit of every command (src/net/protocol.h).
LIMITS = {
    "version": MAX_VERSION_PAYLOAD, "verack": 0, "wtxidrelay": 0, "ping": 8, "pong": 8, "sendheaders": 0,
    "feefilter": 8, "getaddr": 0, "mempool": 0, "addr": MAX_ADDR_PAYLOAD, "getheaders": MAX_GETHEADERS_PAYLOAD,
    "headers": MAX_HEADERS_PAYLOAD, "inv": MAX_INV_PAYLOAD, "notfound": MAX_INV_PAYLOAD,
    "getdata": MAX_GETDATA_PAYLOAD, "tx": 4_000_000, "block": 4_000_000, "getblob": 40, "blob": MAX_BLOB_PAYLOAD,
    "unknowncmd": MAX_UNKNOWN_PAYLOAD,
}
MAX_WITNESS = 10_000
NOW = int(time.time())


# One output paying a key (kind 1, 32 bytes): 8 + 1 + 1 + 32 bytes.
KEY_OUTPUT = struct.pack("<q", 1000) + b"\x01" + ser_compact_size(32) + b"\x11" * 32


def big_tx(size):
    """A transaction that decodes and is exactly `size` bytes: inputs with
    large witnesses and one output. Its inputs are unknown and it is over the
    standard size, so transaction relay refuses it as policy (no punishment);
    it is not consensus-invalid, which would discourage the sender."""
    n_in = -(-size // (MAX_WITNESS + 43))
    fixed = 4 + len(ser_compact_size(n_in)) + n_in * 40 + 1 + len(KEY_OUTPUT) + 4 + n_in * 3
    witness_total = size - fixed
    assert 253 * n_in <= witness_total <= MAX_WITNESS * n_in
    sizes = [witness_total // n_in] * n_in
    for i in range(witness_total - sum(sizes)):
        sizes[i] += 1
    out = struct.pack("<I", 1) + ser_compact_size(n_in)
    for i in range(n_in):
        out += i.to_bytes(32, "little") + struct.pack("<II", 0, 0xffffffff)
    out += ser_compact_size(1) + KEY_OUTPUT + struct.pack("<I", 0)
    for s in sizes:
        out += ser_compact_size(s) + b"\x01" * s
    assert len(out) == size
    return out


def big_block(size):
    """A block that decodes and is exactly `size` bytes: one big transaction
    and a 1 MiB opening."""
    opening = b"\x02" * (1 << 20)
    tx = big_tx(size - 184 - 1 - 5 - len(opening))
    out = block_header() + ser_compact_size(1) + tx + ser_compact_size(len(opening)) + opening
    assert len(out) == size
    return out


def rss_peak_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


class InvalidMessagesTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        # No automatic outbound connections to the addresses the test gossips.
        self.extra_args = [["-connect=0"]]
        self.next_ip = 2

    def fresh_ip(self):
        ip = f"127.0.{self.next_ip // 250}.{self.next_ip % 250 + 2}"
        self.next_ip += 1
        return ip

    def run_test(self):
        self.node = self.nodes[0]
        self.honest = connect_peer(self.node)
        self.subtest("the non-reading peer is cut off with bounded memory", self.test_non_reading_peer)
        self.subtest("one byte over each command's limit", self.test_oversized_every_command)
        self.subtest("at each command's limit", self.test_at_limit)
        self.subtest("bad checksum, bad magic, wrong length", self.test_bad_frames)
        self.subtest("count limits at the transport and in the decoders", self.test_count_limits)
        self.subtest("257-byte user agent", self.test_user_agent)
        self.subtest("handshake order", self.test_handshake_order)
        self.subtest("addr rate limit", self.test_addr_rate_limit)
        self.subtest("honest peer unaffected", self.test_honest_unaffected)

    # --- helpers -----------------------------------------------------------
    def misbehave(self, send, reason, handshake=True):
        """Connects from a fresh address, lets `send(peer)` misbehave, and
        checks: disconnected, discouraged, reason logged, honest peer fine."""
        ip = self.fresh_ip()
        peer = connect_peer(self.node, source_ip=ip, handshake=handshake)
        send(peer)
        peer.wait_for_disconnect()
        wait_until(lambda: any(f" {ip}:" in line and reason in line for line in self.node.debug_log().splitlines()
                               if "Disconnecting and discouraging" in line), what=f"'{reason}' for {ip}")
        self.assert_discouraged(ip)
        self.honest.sync_with_ping()
        return peer

    def assert_discouraged(self, ip):
        """A new connection from `ip` is closed before any version."""
        peer = P2PInterface().connect(self.node.p2p_port, source_ip=ip)
        peer.try_send_raw(build_frame("version", msg_version().serialize()))
        peer.wait_for_disconnect()
        assert_equal(peer.count("version"), 0)

    def send_oversized(self, command, size):
        def send(peer):
            payload = b"\x00" * size
            peer.try_send_raw(build_frame(command, payload))
        return send

    # --- subtests ----------------------------------------------------------
    def test_oversized_every_command(self):
        for command, limit in LIMITS.items():
            # version is the first message; every other one comes after the handshake.
            handshake = command != "version"
            self.misbehave(self.send_oversized(command, limit + 1), f"oversized: command '{command}' payload "
                           f"{limit + 1} > {limit}", handshake=handshake)

    def at_limit_messages(self):
        """(command, payload) pairs exactly at the limit that decode."""
        addr = CAddress("8.8.8.8", 9333, time_=NOW)
        yield "addr", msg_addr([addr] * 1000).serialize()
        yield "getheaders", msg_getheaders([b"\x01" * 32] * 101).serialize()
        # Continuous, on an unknown parent: the node only asks for headers again.
        headers = [block_header(prev=b"\x0a" * 32)]
        for nonce in range(1, 2000):
            headers.append(block_header(prev=sha256d(headers[-1]), nonce=nonce))
        yield "headers", msg_headers(headers).serialize()
        yield "inv", msg_inv([(MSG_TX, b"\x02" * 32)] * 50000).serialize()
        yield "notfound", msg_notfound([(MSG_TX, b"\x03" * 32)] * 50000).serialize()
        yield "getdata", msg_getdata([(MSG_TX, b"\x04" * 32)] * 1000).serialize()
        yield "ping", msg_ping(5).serialize()
        yield "pong", msg_pong(5).serialize()
        yield "feefilter", msg_feefilter(1000).serialize()
        yield "tx", msg_tx(big_tx(4_000_000)).serialize()
        yield "block", msg_block(big_block(4_000_000)).serialize()
        yield "getblob", msg_getblob(b"\x05" * 32, 0, 16).serialize()
        yield "unknowncmd", b"\x09" * MAX_UNKNOWN_PAYLOAD

    def test_at_limit(self):
        # The largest version: a 256-byte user agent.
        version = msg_version()
        version.user_agent = b"u" * 256
        assert_equal(len(version.serialize()), MAX_VERSION_PAYLOAD)
        peer = P2PInterface().connect(self.node.p2p_port, source_ip=self.fresh_ip())
        peer.handshake(version)
        for command, payload in self.at_limit_messages():
            assert_equal(len(payload), LIMITS[command])
            peer.send_raw(build_frame(command, payload))
            peer.sync_with_ping()
            assert peer.is_connected(), command
        peers = {p["addr"]: p for p in self.node.getpeerinfo()}
        assert_equal(len(peers), 2)
        mine = [p for p in peers.values() if p["subver"] == "u" * 256]
        assert_equal(len(mine), 1)
        peer.close()
        # A blob message at its limit passes the transport and the decoder;
        # the blob relay then refuses it because nobody asked for it.
        blob = msg_blob(b"\x06" * 32, 0, 1, 10, b"\x07" * (1 << 20), [b"\x08" * 32] * 8).serialize()
        assert_equal(len(blob), LIMITS["blob"])
        self.misbehave(lambda p: p.send_raw(build_frame("blob", blob)), "unrequested blob chunk")

    def test_bad_frames(self):
        ping = msg_ping(1).serialize()
        self.misbehave(lambda p: p.send_raw(build_frame("ping", ping, checksum=b"\x00\x00\x00\x00")),
                       "bad checksum")
        self.misbehave(lambda p: p.send_raw(build_frame("ping", ping, magic=MAIN_MAGIC)), "bad magic")
        # Announced shorter than sent: the rest is read as the next header.
        self.misbehave(lambda p: p.send_raw(build_frame("ping", ping + b"\x00" * 30, length=8,
                                                        checksum=build_frame("ping", ping)[20:24])),
                       "bad magic")
        # A command with a byte after its padding.
        self.misbehave(lambda p: p.send_raw(build_frame(b"pi\x00g", b"")), "bad command")
        # Before the handshake too.
        self.misbehave(lambda p: p.send_raw(build_frame("version", msg_version().serialize(), magic=MAIN_MAGIC)),
                       "bad magic", handshake=False)

    def test_count_limits(self):
        addr = CAddress("8.8.4.4", 9333, time_=NOW)
        # One entry over: the payload is over the transport's limit.
        self.misbehave(lambda p: p.try_send_raw(build_frame("addr", msg_addr([addr] * 1001).serialize())),
                       "oversized: command 'addr'")
        self.misbehave(lambda p: p.try_send_raw(build_frame("getheaders", msg_getheaders([b"\x01" * 32] * 102)
                                                            .serialize())), "oversized: command 'getheaders'")
        self.misbehave(lambda p: p.try_send_raw(build_frame("inv", msg_inv([(MSG_TX, b"\x01" * 32)] * 50001)
                                                            .serialize())), "oversized: command 'inv'")
        self.misbehave(lambda p: p.try_send_raw(build_frame("getdata", msg_getdata([(MSG_TX, b"\x01" * 32)] * 1001)
                                                            .serialize())), "oversized: command 'getdata'")
        self.misbehave(lambda p: p.try_send_raw(build_frame("headers", msg_headers([block_header()] * 2001)
                                                            .serialize())), "oversized: command 'headers'")
        # A count over the limit inside a payload the transport lets through:
        # the decoder refuses it before reading the entries.
        cases = [
            ("addr", ser_compact_size(1001) + addr.serialize() * 10, "vector length 1001 exceeds maximum 1000"),
            ("getheaders", struct.pack("<i", 10001) + ser_compact_size(102) + b"\x01" * 32 * 10,
             "vector length 102 exceeds maximum 101"),
            ("inv", ser_compact_size(50001) + b"\x01" * 36 * 10, "vector length 50001 exceeds maximum 50000"),
            ("getdata", ser_compact_size(1001) + b"\x01" * 36 * 10, "vector length 1001 exceeds maximum 1000"),
            ("headers", ser_compact_size(2001) + block_header() * 10, "vector length 2001 exceeds maximum 2000"),
            ("notfound", ser_compact_size(50001), "vector length 50001 exceeds maximum 50000"),
        ]
        for command, payload, reason in cases:
            self.misbehave(lambda p, c=command, d=payload: p.send_raw(build_frame(c, d)),
                           f"malformed {command}: {reason}")
        # Truncated and trailing bytes are malformed too.
        self.misbehave(lambda p: p.send_raw(build_frame("ping", b"\x01" * 7)), "malformed ping: truncated")
        self.misbehave(lambda p: p.send_raw(build_frame("addr", msg_addr([addr]).serialize() + b"\x00")),
                       "malformed addr: trailing bytes")

    def test_user_agent(self):
        version = msg_version()
        version.user_agent = b"u" * 257
        self.misbehave(lambda p: p.try_send_raw(build_frame("version", version.serialize())),
                       f"oversized: command 'version' payload {MAX_VERSION_PAYLOAD + 1} > {MAX_VERSION_PAYLOAD}",
                       handshake=False)
        # Within the transport's limit, a length prefix over 256 is refused by the decoder.
        payload = version.serialize()[:80] + ser_compact_size(257) + b"u" * 200
        self.misbehave(lambda p: p.send_raw(build_frame("version", payload)),
                       "malformed version: vector length 257 exceeds maximum 256", handshake=False)

    def test_handshake_order(self):
        self.misbehave(lambda p: p.send_message(msg_ping(1)), "'ping' before version", handshake=False)
        self.misbehave(lambda p: p.send_message(msg_generic("unknowncmd")), "'unknowncmd' before version",
                       handshake=False)

        def version_then(message):
            def send(p):
                p.send_message(msg_version())
                p.send_message(message)
            return send
        self.misbehave(version_then(msg_ping(1)), "'ping' before verack", handshake=False)
        self.misbehave(version_then(msg_generic("unknowncmd")), "unknown command 'unknowncmd' before verack",
                       handshake=False)
        self.misbehave(version_then(msg_version()), "duplicate version", handshake=False)
        self.misbehave(lambda p: p.send_message(msg_verack()), "'verack' after verack")
        self.misbehave(lambda p: p.send_message(msg_generic("wtxidrelay")), "'wtxidrelay' after verack")
        self.misbehave(lambda p: p.send_message(msg_feefilter(-1)), "malformed feefilter: fee rate out of range")
        # An obsolete version is disconnected but not discouraged.
        ip = self.fresh_ip()
        old = msg_version()
        old.version = 10000
        peer = P2PInterface().connect(self.node.p2p_port, source_ip=ip)
        peer.send_message(old)
        peer.wait_for_disconnect()
        peer = P2PInterface().connect(self.node.p2p_port, source_ip=ip)
        peer.handshake()
        peer.sync_with_ping()
        peer.close()
        # After the handshake an unknown command within its limit is ignored.
        peer = connect_peer(self.node, source_ip=self.fresh_ip())
        peer.send_message(msg_generic("sendcmpct", b"\x00" * 9))
        peer.sync_with_ping()
        assert peer.is_connected()
        peer.close()

    def test_addr_rate_limit(self):
        self.node.setmocktime(NOW)
        peer = connect_peer(self.node, source_ip=self.fresh_ip())
        addrs = [CAddress(f"9.{i // 250}.{i % 250}.1", 9333, time_=NOW) for i in range(600)]
        # The bucket starts with one token: the first 600 addresses are one processed, 599 dropped.
        peer.send_message(msg_addr(addrs))
        peer.sync_with_ping()
        info = [p for p in self.node.getpeerinfo() if p["addr"].startswith(peer.sock.getsockname()[0] + ":")][0]
        assert_equal(info["addr_processed"], 1)
        assert_equal(info["addr_rate_limited"], 599)
        # 100 seconds later there are 10 more tokens.
        self.node.setmocktime(NOW + 100)
        peer.send_message(msg_addr(addrs[:50]))
        peer.sync_with_ping()
        info = [p for p in self.node.getpeerinfo() if p["addr"].startswith(peer.sock.getsockname()[0] + ":")][0]
        assert_equal(info["addr_processed"], 11)
        assert_equal(info["addr_rate_limited"], 599 + 40)
        assert peer.is_connected()
        self.node.setmocktime(0)
        peer.close()

    def test_non_reading_peer(self):
        node = self.node
        peak_before = rss_peak_kib(node.process.pid)
        ip = self.fresh_ip()
        peer = P2PInterface(read=False).connect(node.p2p_port, source_ip=ip)
        peer.send_message(msg_version())
        peer.send_message(msg_verack())
        batch = build_frame("ping", msg_ping(7).serialize()) * 10_000
        sent = [0]

        def flood():
            # Pings whose pongs the peer never reads: the node stops answering
            # once its send queue passes 1 MB, stops reading once 5 MB of
            # pings wait, and the sends here block (at most 60 MB are tried).
            while sent[0] < 60_000_000 and peer.try_send_raw(batch):
                sent[0] += len(batch)
        sender = threading.Thread(target=flood, daemon=True)
        sender.start()
        # Nothing taken for -peertimeout (60 s) with a full send queue:
        # disconnected. Time moves on in steps (the kernel's buffers may take
        # a few more bytes first); the honest peer keeps talking meanwhile.
        now = int(time.time())
        for step in range(1, 300):
            if "the peer is not reading; disconnecting" in node.debug_log():
                break
            self.honest.sync_with_ping()
            node.setmocktime(now + 61 * step)
            time.sleep(0.6)  # one maintenance round of the node
        assert_in("the peer is not reading; disconnecting", node.debug_log())
        wait_until(lambda: all(not p["addr"].startswith(ip + ":") for p in node.getpeerinfo()),
                   what="the non-reading peer to be gone")
        node.setmocktime(0)
        peer.close()
        sender.join()
        peak_after = rss_peak_kib(node.process.pid)
        self.log(f"non-reading peer: sent {sent[0]} bytes; node peak memory {peak_before} -> {peak_after} KiB")
        # About 1 MB of answers and 5 MB of requests were queued, no more.
        assert peak_after - peak_before < 64 * 1024, (peak_before, peak_after)
        self.honest.sync_with_ping()
        # Not reading is not misbehaviour.
        again = connect_peer(node, source_ip=ip)
        again.sync_with_ping()
        again.close()

    def test_honest_unaffected(self):
        assert self.honest.is_connected()
        self.honest.sync_with_ping()
        honest = [p for p in self.node.getpeerinfo() if p["addr"].startswith("127.0.0.1:")]
        assert_equal(len(honest), 1)
        assert_in("Disconnecting and discouraging", self.node.debug_log())


if __name__ == "__main__":
    sys.exit(InvalidMessagesTest().main())
