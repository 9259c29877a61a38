#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Pings and timeouts.

The node pings each peer after the handshake; a peer that answers shows
pingtime and minping in getpeerinfo, one that does not shows pingwait and is
disconnected (not discouraged) once the ping is older than -pingtimeout
(here 3 seconds on regtest). With the default 20 minutes, mock time moves
past it: still connected just before, disconnected just after. The ping RPC
sends a new ping at once. A peer that never completes the version handshake
is dropped after -peertimeout."""
import sys
import time

from test_framework.p2p import P2PInterface, connect_peer, msg_version
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, wait_until

PING_TIMEOUT = 3
DEFAULT_PING_TIMEOUT = 20 * 60


def peer_info(node, peer):
    ip, port = peer.sock.getsockname()[:2]
    found = [p for p in node.getpeerinfo() if p["addr"] == f"{ip}:{port}"]
    return found[0] if found else None


class PingTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 2
        self.extra_args = [[f"-pingtimeout={PING_TIMEOUT}", "-peertimeout=2", "-connect=0"], ["-connect=0"]]

    def run_test(self):
        self.subtest("answered pings show pingtime and minping", self.test_answered)
        self.subtest("an unanswered ping times out after -pingtimeout", self.test_short_timeout)
        self.subtest("the default timeout under mock time", self.test_default_timeout)
        self.subtest("the ping RPC", self.test_ping_rpc)
        self.subtest("a handshake that never completes", self.test_handshake_timeout)

    def test_answered(self):
        node = self.nodes[0]
        peer = connect_peer(node)
        wait_until(lambda: "pingtime" in peer_info(node, peer), what="first ping answered")
        info = peer_info(node, peer)
        assert info["minping"] <= info["pingtime"]
        assert "pingwait" not in info
        self.answering = peer

    def test_short_timeout(self):
        node = self.nodes[0]
        ip = "127.0.0.3"
        peer = connect_peer(node, source_ip=ip, answer_pings=False)
        peer.wait_for_message("ping")
        wait_until(lambda: peer_info(node, peer) is not None and "pingwait" in peer_info(node, peer),
                   what="an outstanding ping")
        assert "pingtime" not in peer_info(node, peer)
        peer.wait_for_disconnect()
        assert_in("ping timeout", node.debug_log())
        # A timeout is not misbehaviour: the address may come back.
        again = connect_peer(node, source_ip=ip)
        again.sync_with_ping()
        again.close()
        # The answering peer stays.
        assert self.answering.is_connected()
        self.answering.sync_with_ping()

    def test_default_timeout(self):
        node = self.nodes[1]
        now = int(time.time())
        node.setmocktime(now)
        peer = connect_peer(node, answer_pings=False)
        peer.wait_for_message("ping")
        node.setmocktime(now + DEFAULT_PING_TIMEOUT - 5)
        peer.sync_with_ping()  # the node ran its timeout check for this peer after answering
        assert peer.is_connected()
        node.setmocktime(now + DEFAULT_PING_TIMEOUT + 5)
        peer.wait_for_disconnect()
        assert_in("ping timeout", node.debug_log())
        node.setmocktime(0)

    def test_ping_rpc(self):
        node = self.nodes[0]
        peer = self.answering
        before = peer.count("ping")
        node.ping()
        wait_until(lambda: peer.count("ping") > before, what="a ping after the ping RPC")
        wait_until(lambda: "pingwait" not in peer_info(node, peer), what="the ping answered")

    def test_handshake_timeout(self):
        node = self.nodes[0]
        silent = P2PInterface().connect(node.p2p_port, source_ip="127.0.0.4")
        silent.wait_for_disconnect()
        # Sending version but no verack is not enough either.
        half = P2PInterface().connect(node.p2p_port, source_ip="127.0.0.5")
        half.send_message(msg_version())
        half.wait_for_message("verack")
        half.wait_for_disconnect()
        assert_equal(half.count("ping"), 0)


if __name__ == "__main__":
    sys.exit(PingTest().main())
