#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Inbound eviction when every inbound slot is taken.

-maxconnections=30 leaves 20 inbound slots (10 are kept for automatic
outbound peers). They are filled with 8 peers that never answer pings, 8
that answer at once and 4 silent ones alone in their own network groups
(127.1/16 .. 127.4/16; the others share 127.0/16). A new connection then
evicts the newest unprotected member of the largest group, the newest
silent peer; the fast pingers and the lone-group peers are protected and
stay. The next one evicts the (silent) newcomer, now the newest. With one inbound
slot whose only peer is protected, a new connection is refused instead.
(Protection for peers that delivered blocks or transactions is covered by
eviction_tests: nothing delivers them over P2P yet.)"""
import sys

from test_framework.p2p import P2PInterface, connect_peer
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, wait_until


def addr_of(peer):
    ip, port = peer.sock.getsockname()[:2]
    return f"{ip}:{port}"


class EvictionTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 2
        self.extra_args = [["-maxconnections=30", "-connect=0", "-debug=net"], ["-maxconnections=11", "-connect=0"]]

    def run_test(self):
        self.subtest("the newest silent peer of the largest group is evicted", self.test_eviction)
        self.subtest("a full node with nothing to evict refuses", self.test_nothing_to_evict)

    def test_eviction(self):
        node = self.nodes[0]
        slow = [connect_peer(node, answer_pings=False) for _ in range(8)]
        fast = [connect_peer(node) for _ in range(8)]
        # The lone-group peers do not answer pings either: only their group protects them.
        lone = [connect_peer(node, source_ip=f"127.{g}.0.1", answer_pings=False) for g in range(1, 5)]
        wait_until(lambda: len(node.getpeerinfo()) == 20, what="20 inbound peers")
        fast_addrs = {addr_of(p) for p in fast}
        wait_until(lambda: sum(1 for p in node.getpeerinfo() if p["addr"] in fast_addrs and "minping" in p) == 8,
                   what="the fast peers' pings")
        assert_equal(node.getnetworkinfo()["connections_in"], 20)

        newcomer = connect_peer(node, answer_pings=False)
        slow[-1].wait_for_disconnect()
        newcomer.sync_with_ping()
        wait_until(lambda: len(node.getpeerinfo()) == 20, what="20 inbound peers after the eviction")
        for p in slow[:-1] + fast + lone:
            assert p.is_connected(), addr_of(p)

        # Once more: now the newest member of the largest group is the silent
        # newcomer, which goes; everyone else stays.
        second = connect_peer(node)
        newcomer.wait_for_disconnect()
        second.sync_with_ping()
        for p in slow[:-1] + fast + lone:
            assert p.is_connected(), addr_of(p)
        for p in slow + fast + lone + [newcomer, second]:
            p.close()

    def test_nothing_to_evict(self):
        node = self.nodes[1]
        first = connect_peer(node)
        first.sync_with_ping()
        refused = P2PInterface().connect(node.p2p_port)
        refused.wait_for_disconnect()
        assert_equal(refused.count("version"), 0)
        assert first.is_connected()
        first.sync_with_ping()
        assert_equal(len(node.getpeerinfo()), 1)


if __name__ == "__main__":
    sys.exit(EvictionTest().main())
