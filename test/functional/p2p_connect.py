#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Three hpipsd pointed at each other with -addnode and -connect.

getpeerinfo on each shows the connections (types, directions, handshake
fields), getaddednodeinfo the added node; addnode add/remove/onetry and
their errors; disconnectnode by address and by id (an added node comes
back); a connection to ourselves is dropped; setban / listbanned /
clearbanned, with bans persisted across a restart; setnetworkactive;
getnettotals, ping, getnetworkinfo, hpips-cli -netinfo / -addrinfo;
-whitebind and -whitelist permissions; addresses gossiped to a node survive
a restart in peers.dat; a damaged peers.dat or banlist.json is moved aside
and the node starts."""
import os
import sys
import time

from test_framework.authproxy import JSONRPCException
from test_framework.p2p import CAddress, P2PInterface, connect_peer, msg_addr
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, assert_raises_rpc_error, get_free_port, wait_until


def peers_by_type(node):
    return sorted((p["connection_type"], p["inbound"]) for p in node.getpeerinfo())


class ConnectTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def run_test(self):
        self.n0 = self.add_node(["-connect=0", "-debug=net"])
        self.n1 = self.add_node()
        self.n2 = self.add_node()
        self.whitebind_port = get_free_port()
        self.n0.start([f"-whitebind=noban@127.0.0.1:{self.whitebind_port}", "-whitelist=addr@127.0.0.2",
                       f"-bind=127.0.0.1:{self.n0.p2p_port}"])
        self.n1.start([f"-addnode=127.0.0.1:{self.n0.p2p_port}"])
        # -connect makes -listen default to off; this node listens anyway.
        self.n2.start([f"-connect=127.0.0.1:{self.n0.p2p_port}", f"-connect=127.0.0.1:{self.n1.p2p_port}",
                       "-listen=1"])
        self.subtest("nodes connect and getpeerinfo shows them", self.test_connected)
        self.subtest("addnode and getaddednodeinfo", self.test_addnode)
        self.subtest("disconnectnode", self.test_disconnectnode)
        self.subtest("a connection to ourselves is dropped", self.test_self_connection)
        self.subtest("setban, listbanned, clearbanned", self.test_bans)
        self.subtest("setnetworkactive", self.test_networkactive)
        self.subtest("getnettotals, ping, getnetworkinfo, -netinfo", self.test_info)
        self.subtest("whitebind and whitelist permissions", self.test_permissions)
        self.subtest("-seednode fetches addresses and disconnects", self.test_seednode)
        self.subtest("connection option errors and -onlynet", self.test_option_errors)
        self.subtest("restart keeps peers.dat and bans", self.test_restart_persistence)
        self.subtest("a damaged peers.dat or banlist.json is moved aside", self.test_corrupt_files)

    def wait_connected(self):
        wait_until(lambda: self.n0.getconnectioncount() == 2 and self.n1.getconnectioncount() == 2 and
                   self.n2.getconnectioncount() == 2, what="all three nodes connected")
        for node in (self.n0, self.n1, self.n2):
            wait_until(lambda n=node: all("pingtime" in p and p["version"] == 10001 for p in n.getpeerinfo()),
                       what="handshakes and first pings")

    def test_connected(self):
        self.wait_connected()
        assert_equal(peers_by_type(self.n0), [("inbound", True), ("inbound", True)])
        assert_equal(peers_by_type(self.n1), [("inbound", True), ("manual", False)])
        assert_equal(peers_by_type(self.n2), [("manual", False), ("manual", False)])
        addrs = sorted(p["addr"] for p in self.n2.getpeerinfo())
        assert_equal(addrs, sorted([f"127.0.0.1:{self.n0.p2p_port}", f"127.0.0.1:{self.n1.p2p_port}"]))
        for p in self.n0.getpeerinfo():
            assert_equal(p["network"], "ipv4")
            # NODE_NETWORK, and NODE_BLOBS: every node with a blob store serves blobs.
            assert_equal(p["services"], "0000000001000001")
            assert_equal(p["servicesnames"], ["NETWORK", "BLOBS"])
            assert p["subver"].startswith("/HPIPS:"), p["subver"]
            assert_equal(p["startingheight"], 0)
            assert_equal(p["relaytxes"], True)
            assert_equal(p["prefer_headers"], True)
            assert_equal(p["wtxid_relay"], True)
            assert_equal(p["addrbind"], f"127.0.0.1:{self.n0.p2p_port}")
            assert_equal(p["transport_protocol_type"], "v1")
            assert p["bytessent_per_msg"]["version"] > 0
            assert p["bytesrecv_per_msg"]["verack"] == 24
            assert_equal(p["permissions"], [])
        net = self.n0.getnetworkinfo()
        assert_equal((net["connections"], net["connections_in"], net["connections_out"]), (2, 2, 0))
        net = self.n2.getnetworkinfo()
        assert_equal((net["connections"], net["connections_in"], net["connections_out"]), (2, 0, 2))

    def test_addnode(self):
        target = f"127.0.0.1:{self.n0.p2p_port}"
        info = self.n1.getaddednodeinfo()
        assert_equal(len(info), 1)
        assert_equal(info[0]["addednode"], target)
        assert_equal(info[0]["connected"], True)
        assert_equal(info[0]["addresses"], [{"address": target, "connected": "outbound"}])
        assert_equal(self.n1.getaddednodeinfo(target)[0]["addednode"], target)
        assert_raises_rpc_error(-24, "Node has not been added", self.n1.getaddednodeinfo, "127.0.0.1:1")
        assert_raises_rpc_error(-23, "Node already added", self.n1.addnode, target, "add")
        assert_raises_rpc_error(-24, "Node could not be removed", self.n1.addnode, "127.0.0.1:1", "remove")
        assert_raises_rpc_error(-1, "'command' must be one of", self.n1.addnode, target, "bogus")
        assert_raises_rpc_error(-30, "Invalid node address", self.n1.addnode, "not-an-address", "add")
        self.n1.addnode("127.0.0.1:2", "add")
        assert_equal(len(self.n1.getaddednodeinfo()), 2)
        self.n1.addnode("127.0.0.1:2", "remove")
        assert_equal(len(self.n1.getaddednodeinfo()), 1)
        # onetry: n0 (which makes no automatic connections) dials n1 once.
        self.n0.addnode(f"127.0.0.1:{self.n1.p2p_port}", "onetry")
        wait_until(lambda: ("manual", False) in peers_by_type(self.n0), what="onetry connection")
        assert_equal(self.n0.getaddednodeinfo(), [])
        manual = [p for p in self.n0.getpeerinfo() if p["connection_type"] == "manual"][0]
        self.n0.disconnectnode("", manual["id"])
        wait_until(lambda: ("manual", False) not in peers_by_type(self.n0), what="onetry disconnect")

    def test_disconnectnode(self):
        self.wait_connected()
        target = f"127.0.0.1:{self.n0.p2p_port}"
        # By address (the added node reconnects).
        old_id = [p["id"] for p in self.n1.getpeerinfo() if p["addr"] == target][0]
        self.n1.disconnectnode(target)
        wait_until(lambda: [p["id"] for p in self.n1.getpeerinfo() if p["addr"] == target] not in ([], [old_id]),
                   what="the added node to reconnect with a new id")
        # By id.
        peer_id = [p["id"] for p in self.n2.getpeerinfo() if p["addr"] == target][0]
        self.n2.disconnectnode(nodeid=peer_id)
        wait_until(lambda: peer_id not in [p["id"] for p in self.n2.getpeerinfo()], what="disconnect by id")
        assert_raises_rpc_error(-29, "Node not found", self.n2.disconnectnode, "127.0.0.1:1")
        assert_raises_rpc_error(-29, "Node not found", self.n2.disconnectnode, nodeid=123456)
        assert_raises_rpc_error(-32602, "Only one of address and nodeid", self.n2.disconnectnode, target, 1)
        # -connect peers come back too.
        self.wait_connected()

    def test_self_connection(self):
        self.n0.addnode(f"127.0.0.1:{self.n0.p2p_port}", "onetry")
        wait_until(lambda: "connected to self at 127.0.0.1" in self.n0.debug_log(), what="self connection")
        wait_until(lambda: len(self.n0.getpeerinfo()) == 2, what="self connection dropped")

    def test_bans(self):
        self.wait_connected()
        assert_equal(self.n0.listbanned(), [])
        self.n0.setban("127.0.0.1", "add", 1000)
        # Both peers come from 127.0.0.1: disconnected and kept out.
        wait_until(lambda: self.n0.getconnectioncount() == 0, what="banned peers disconnected")
        banned = self.n0.listbanned()
        assert_equal(len(banned), 1)
        assert_equal(banned[0]["address"], "127.0.0.1/32")
        assert_equal(banned[0]["ban_duration"], 1000)
        assert banned[0]["time_remaining"] <= 1000
        assert_equal(banned[0]["banned_until"] - banned[0]["ban_created"], 1000)
        assert_raises_rpc_error(-23, "IP/Subnet already banned", self.n0.setban, "127.0.0.1", "add")
        assert_raises_rpc_error(-30, "Invalid IP/Subnet", self.n0.setban, "127.0.0.256", "add")
        assert_raises_rpc_error(-30, "Unban failed", self.n0.setban, "1.1.1.1", "remove")
        assert_raises_rpc_error(-8, "Absolute timestamp is in the past", self.n0.setban, "2.2.2.2", "add", 100,
                                True)
        # n1 (-addnode) and n2 (-connect) keep retrying and are refused.
        wait_until(lambda: self.n0.debug_log().count("dropped (banned)") >= 4, what="refused retries")
        assert_equal(self.n0.getconnectioncount(), 0)
        self.n0.setban("127.0.0.1", "remove")
        self.wait_connected()
        # Subnets, absolute times, default time.
        until = int(time.time()) + 5000
        self.n0.setban("10.0.0.0/8", "add", until, True)
        self.n0.setban("2001:db8::/32", "add")
        banned = {b["address"]: b for b in self.n0.listbanned()}
        assert_equal(set(banned), {"10.0.0.0/8", "2001:db8::/32"})
        assert_equal(banned["10.0.0.0/8"]["banned_until"], until)
        assert_equal(banned["2001:db8::/32"]["ban_duration"], 24 * 60 * 60)
        self.n0.clearbanned()
        assert_equal(self.n0.listbanned(), [])

    def test_networkactive(self):
        self.wait_connected()
        assert_equal(self.n1.setnetworkactive(False), False)
        assert_equal(self.n1.getnetworkinfo()["networkactive"], False)
        wait_until(lambda: self.n1.getconnectioncount() == 0, what="network off")
        assert_equal(self.n1.setnetworkactive(True), True)
        self.wait_connected()

    def test_info(self):
        self.wait_connected()
        totals = self.n0.getnettotals()
        assert totals["totalbytesrecv"] > 0 and totals["totalbytessent"] > 0
        assert_in("uploadtarget", totals)
        self.n0.ping()
        wait_until(lambda: all("pingtime" in p for p in self.n0.getpeerinfo()), what="pings")
        net = self.n0.getnetworkinfo()
        assert_equal(net["protocolversion"], 10001)
        assert_equal(net["localaddresses"], [])
        assert_equal(net["warnings"], "")
        assert_equal([n["name"] for n in net["networks"]], ["ipv4", "ipv6"])
        assert_equal(str(net["relayfee"]), "0.00001000")
        code, out, err = self.n0.cli_run(options=["-netinfo"])
        assert_equal((code, err), (0, ""))
        assert_in("in           2       0       2", out)
        code, out, err = self.n0.cli_run("1", options=["-netinfo"])
        assert_in("Peer connections sorted by id", out)
        code, out, err = self.n0.cli_run("5", options=["-netinfo"])
        assert_equal(code, 1)
        code, out, err = self.n0.cli_run(options=["-addrinfo"])
        assert_equal(code, 0)
        assert_in('"addresses_known"', out)

    def test_permissions(self):
        peer = P2PInterface().connect(self.whitebind_port)
        peer.handshake()
        peer.sync_with_ping()
        info = [p for p in self.n0.getpeerinfo() if p["addrbind"].endswith(f":{self.whitebind_port}")]
        assert_equal(len(info), 1)
        assert_equal(info[0]["permissions"], ["noban", "download"])
        peer.close()
        peer = connect_peer(self.n0, source_ip="127.0.0.2")
        info = [p for p in self.n0.getpeerinfo() if p["addr"].startswith("127.0.0.2:")]
        assert_equal(info[0]["permissions"], ["addr"])
        # No rate limit: every address is taken.
        now = int(time.time())
        addrs = [CAddress(f"8.{i}.{i}.1", 9333 + i, time_=now - 60) for i in range(1, 31)]
        peer.send_message(msg_addr(addrs))
        peer.sync_with_ping()
        info = [p for p in self.n0.getpeerinfo() if p["addr"].startswith("127.0.0.2:")][0]
        assert_equal((info["addr_processed"], info["addr_rate_limited"]), (30, 0))
        # Two addresses may land in the same bucket slot (keyed hash): nearly all are kept.
        known = {(a["address"], a["port"]) for a in self.n0.getnodeaddresses(0)}
        assert known <= {(f"8.{i}.{i}.1", 9333 + i) for i in range(1, 31)}, known
        assert len(known) >= 25, known
        assert_equal(len(self.n0.getnodeaddresses(5)), 5)
        assert_equal(self.n0.getnodeaddresses(0, "ipv6"), [])
        assert_raises_rpc_error(-8, "Network not recognized", self.n0.getnodeaddresses, 1, "onion")
        assert_raises_rpc_error(-8, "Address count out of range", self.n0.getnodeaddresses, -1)
        code, out, err = self.n0.cli_run(options=["-addrinfo"])
        assert_in(f'"total": {len(known)}', out)
        peer.close()

    def test_seednode(self):
        # A fresh node learns addresses (an addr-whitelisted peer tells it),
        # then a second fresh node uses it as its seed.
        source = self.add_node(["-connect=0", "-whitelist=addr@127.0.0.3"])
        source.start()
        teller = connect_peer(source, source_ip="127.0.0.3")
        now = int(time.time())
        teller.send_message(msg_addr([CAddress(f"9.{i}.{i}.9", 9333, time_=now - 60) for i in range(1, 21)]))
        teller.sync_with_ping()
        learned = len(source.getnodeaddresses(0))
        assert learned >= 15, learned
        fetcher = self.add_node(["-connect=0", f"-seednode=127.0.0.1:{source.p2p_port}", "-debug=net"])
        fetcher.start()
        wait_until(lambda: len(fetcher.getnodeaddresses(0)) > 0, what="addresses from the seed")
        # The addr-fetch connection goes once the answer is in.
        wait_until(lambda: fetcher.getconnectioncount() == 0, what="the addr-fetch connection to close")
        assert_in("addr-fetch", fetcher.debug_log())
        # The seed answered with at most 23 % of what it knows.
        assert len(fetcher.getnodeaddresses(0)) <= learned * 23 // 100
        teller.close()
        fetcher.stop()
        source.stop()

    def test_option_errors(self):
        node = self.add_node()
        for args, message in (
                (["-onlynet=onion"], "Unknown network specified in -onlynet: 'onion'"),
                (["-whitebind=noban@127.0.0.1"], "Need to specify a port with -whitebind"),
                (["-whitelist=bogus@1.2.3.4"], "Invalid P2P permission: 'bogus'"),
                (["-bind=nonsense"], "Cannot resolve -bind address: 'nonsense'"),
                (["-port=0"], "Invalid port specified in -port: '0'"),
                (["-maxconnections=-1"], "Invalid value for -maxconnections"),
                (["-timeout=0"], "Invalid value for -timeout"),
                ([f"-bind=127.0.0.1:{self.n0.p2p_port}"],
                 f"Unable to bind to 127.0.0.1:{self.n0.p2p_port} on this computer")):
            node.assert_start_raises_init_error(args, message)
        node.start(["-onlynet=ipv6"])
        networks = {n["name"]: n for n in node.getnetworkinfo()["networks"]}
        assert_equal((networks["ipv4"]["reachable"], networks["ipv4"]["limited"]), (False, True))
        assert_equal(networks["ipv6"]["reachable"], True)
        # -listen=0: nothing listens.
        node.stop()
        node.start(["-listen=0"])
        peer = P2PInterface()
        try:
            peer.connect(node.p2p_port)
            raise AssertionError("something listens with -listen=0")
        except OSError:
            pass
        node.stop()

    def test_restart_persistence(self):
        self.n0.setban("10.1.0.0/16", "add", 100000)
        before = sorted((a["address"], a["port"]) for a in self.n0.getnodeaddresses(0))
        assert len(before) >= 25, before
        self.n0.stop()
        assert os.path.isfile(os.path.join(self.n0.net_dir, "peers.dat"))
        assert os.path.isfile(os.path.join(self.n0.net_dir, "banlist.json"))
        self.n0.start()
        after = sorted((a["address"], a["port"]) for a in self.n0.getnodeaddresses(0))
        assert_equal(after, before)
        assert_equal([b["address"] for b in self.n0.listbanned()], ["10.1.0.0/16"])
        self.wait_connected()

    def test_corrupt_files(self):
        self.n0.stop()
        peers = os.path.join(self.n0.net_dir, "peers.dat")
        with open(peers, "r+b") as f:
            f.seek(20)
            f.write(b"\xde\xad\xbe\xef")
        with open(os.path.join(self.n0.net_dir, "banlist.json"), "w", encoding="utf-8") as f:
            f.write("{ not json")
        self.n0.start()
        log = self.n0.debug_log()
        assert_in("peers.dat is damaged (checksum mismatch); moved it to", log)
        assert_in("banlist.json is damaged (not a ban list); moved it to", log)
        assert os.path.isfile(peers + ".bak")
        assert os.path.isfile(os.path.join(self.n0.net_dir, "banlist.json.bak"))
        assert_equal(self.n0.getnodeaddresses(0), [])
        assert_equal(self.n0.listbanned(), [])
        self.wait_connected()


if __name__ == "__main__":
    sys.exit(ConnectTest().main())
