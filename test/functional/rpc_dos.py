#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""RPC denial of service: what one request, idle sockets or unauthenticated
uploads can cost a real hpipsd.

- Batches: at most MAX_RPC_BATCH_SIZE elements (one more is -32600, HTTP
  400); the empty batch answers [] as Core does.
- Memory: a 15 MiB body of trivial elements (refused: more than
  MAX_RPC_REQUEST_JSON_VALUES values) and a full batch raise the node's peak
  RSS by less than RSS_PEAK_LIMIT, and the memory is given back (RSS after
  within RSS_KEPT_LIMIT of before); the node keeps serving.
- Credentials are checked on the request head: 401 arrives without the body
  being sent, and 24 unauthenticated 15 MiB uploads barely move the RSS; an
  announced body over MAX_RPC_REQUEST_SIZE gets 413 from the head.
- Idle sockets (more than MAX_RPC_CONNECTIONS, more than
  MAX_RPC_CONNECTIONS_PER_ADDRESS from one address) do not lock out
  authenticated clients; a socket that sends nothing is closed after
  -rpcheadertimeout.
RSS is read from /proc/<pid>/status (VmRSS; VmHWM after resetting it through
/proc/<pid>/clear_refs)."""
import json
import os
import select
import socket
import sys
import threading
import time

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, basic_auth, http_post

MAX_RPC_BATCH_SIZE = 100_000
MAX_RPC_REQUEST_JSON_VALUES = 1_000_000
MAX_RPC_REQUEST_SIZE = 16 * 1024 * 1024
MAX_RPC_CONNECTIONS = 256
MAX_RPC_CONNECTIONS_PER_ADDRESS = 64
MIB = 1024 * 1024
# Before the limits, a 3.8 MiB batch of trivial elements took 2.1 GiB (peak)
# and 1.8 GiB stayed; a 15 MiB one would have taken about 8 GiB.
RSS_PEAK_LIMIT = 256 * MIB
RSS_KEPT_LIMIT = 64 * MIB
# 24 unauthenticated 15 MiB uploads took 340 MiB before the head check.
UPLOAD_RSS_LIMIT = 32 * MIB
UPLOADS = 24
UPLOAD_SIZE = 15 * MIB
# Long enough that nothing in the idle-socket subtest works because a socket
# timed out.
LONG_HEADER_TIMEOUT = 600


def uptime_batch(n):
    return ("[" + ",".join('{"jsonrpc":"2.0","id":%d,"method":"uptime"}' % i for i in range(n)) + "]").encode()


def recv_until_closed(sock):
    """Everything the server sends until it closes (a reset counts as closed)."""
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


class RPCDoSTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    # --- helpers ---------------------------------------------------------
    def auth(self):
        return basic_auth(*self.nodes[0].read_cookie())

    def post(self, body, timeout=300):
        return http_post(self.nodes[0].rpc_port, body, auth=self.auth(), timeout=timeout)

    def proc_status(self, field):
        with open(f"/proc/{self.nodes[0].process.pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        raise AssertionError(f"{field} not in /proc/<pid>/status")

    def reset_peak(self):
        """Resets VmHWM to the current RSS where the kernel allows it; returns
        the RSS the peak is then compared with."""
        try:
            with open(f"/proc/{self.nodes[0].process.pid}/clear_refs", "w", encoding="ascii") as f:
                f.write("5")
        except OSError:
            pass  # VmHWM then includes the startup peak: a stricter check
        return self.proc_status("VmRSS")

    def connect(self, source="127.0.0.1", timeout=60):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.bind((source, 0))
        sock.connect(("127.0.0.1", self.nodes[0].rpc_port))
        return sock

    def log_rss(self, what, before, peak, after):
        self.log(f"  {what}: RSS {before / MIB:.0f} MiB before, peak {peak / MIB:.0f}, after {after / MIB:.0f}")

    # --- subtests --------------------------------------------------------
    def run_test(self):
        self.subtest("the empty batch answers []", self.test_empty_batch)
        self.subtest("batch size limit", self.test_batch_limit)
        self.subtest("a 15 MiB body of trivial elements: bounded memory, given back", self.test_trivial_elements)
        self.subtest("401 on the head, before the body", self.test_auth_before_body)
        self.subtest("24 unauthenticated 15 MiB uploads", self.test_unauthenticated_uploads)
        self.subtest("oversized Content-Length: 413 from the head", self.test_announced_oversize)
        self.subtest("idle sockets do not lock out authenticated clients", self.test_idle_sockets)
        self.subtest("silent sockets close after -rpcheadertimeout", self.test_header_timeout)
        self.subtest("invalid -rpcheadertimeout", self.test_invalid_option)

    def test_empty_batch(self):
        status, headers, data = self.post(b"[]")
        assert_equal(status, 200)
        assert_equal(headers.get("content-type"), "application/json")
        assert_equal(json.loads(data), [])

    def test_batch_limit(self):
        status, _, data = self.post(uptime_batch(MAX_RPC_BATCH_SIZE + 1))
        assert_equal(status, 400)
        reply = json.loads(data)
        assert_equal(reply["error"]["code"], -32600)
        assert_in(f"Batch too large: {MAX_RPC_BATCH_SIZE + 1} requests, at most {MAX_RPC_BATCH_SIZE}",
                  reply["error"]["message"])
        status, _, data = self.post(uptime_batch(MAX_RPC_BATCH_SIZE))
        assert_equal(status, 200)
        replies = json.loads(data)
        assert_equal(len(replies), MAX_RPC_BATCH_SIZE)
        assert_equal([r["id"] for r in replies[:3]], [0, 1, 2])
        assert all("result" in r for r in replies)

    def test_trivial_elements(self):
        node = self.nodes[0]
        ones = b"[" + b"1," * (15 * MIB // 2 - 1) + b"1]"  # 15 MiB, 7.8 million elements
        objects = b"[" + b'{"method":"uptime"},' * (15 * MIB // 20 - 1) + b'{"method":"uptime"}]'
        for name, body in (("[1,1,...]", ones), ('[{"method":"uptime"},...]', objects)):
            before = self.reset_peak()
            status, _, data = self.post(body)
            assert_equal(status, 400)
            reply = json.loads(data)
            assert_equal(reply["error"]["code"], -32600)
            assert_in(f"more than {MAX_RPC_REQUEST_JSON_VALUES} JSON values", reply["error"]["message"])
            peak, after = self.proc_status("VmHWM"), self.proc_status("VmRSS")
            self.log_rss(f"15 MiB of {name}", before, peak, after)
            assert peak - before < RSS_PEAK_LIMIT, f"peak RSS grew by {(peak - before) / MIB:.0f} MiB"
            assert after - before < RSS_KEPT_LIMIT, f"RSS stayed {(after - before) / MIB:.0f} MiB higher"
            assert isinstance(node.uptime(), int)
        # A full batch within the limits runs, at the same cost.
        before = self.reset_peak()
        status, _, data = self.post(uptime_batch(MAX_RPC_BATCH_SIZE))
        assert_equal(status, 200)
        assert_equal(len(json.loads(data)), MAX_RPC_BATCH_SIZE)
        peak, after = self.proc_status("VmHWM"), self.proc_status("VmRSS")
        self.log_rss("a full batch", before, peak, after)
        assert peak - before < RSS_PEAK_LIMIT, f"peak RSS grew by {(peak - before) / MIB:.0f} MiB"
        assert after - before < RSS_KEPT_LIMIT, f"RSS stayed {(after - before) / MIB:.0f} MiB higher"

    def head(self, authorization=None, length=UPLOAD_SIZE):
        lines = ["POST / HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
                 f"Content-Length: {length}"]
        if authorization is not None:
            lines.append(f"Authorization: {authorization}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def test_auth_before_body(self):
        user, password = self.nodes[0].read_cookie()
        for authorization in (None, basic_auth(user, password + "x")):
            sock = self.connect()
            sock.sendall(self.head(authorization))
            # Only the head was sent: the reply must come without the body.
            reply = recv_until_closed(sock)
            sock.close()
            assert reply.startswith(b"HTTP/1.1 401 "), reply[:100]
            assert_in(b'WWW-Authenticate: Basic realm="jsonrpc"', reply)
            assert_in(b"Connection: close", reply)
        assert isinstance(self.nodes[0].uptime(), int)

    def test_unauthenticated_uploads(self):
        user, password = self.nodes[0].read_cookie()
        body = b"x" * UPLOAD_SIZE
        before = self.reset_peak()
        replies = []
        lock = threading.Lock()

        def upload(i):
            sock = self.connect()
            try:
                sock.sendall(self.head(None if i % 2 else basic_auth(user, "wrong")))
                # Some clients send the body anyway: the server discards it.
                try:
                    sock.sendall(body)
                except OSError:
                    pass  # the server may close before all of it is sent
                reply = recv_until_closed(sock)
            except OSError as e:
                reply = repr(e).encode()
            finally:
                sock.close()
            with lock:
                replies.append(reply)

        threads = [threading.Thread(target=upload, args=(i,)) for i in range(UPLOADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        peak, after = self.proc_status("VmHWM"), self.proc_status("VmRSS")
        self.log_rss(f"{UPLOADS} unauthenticated 15 MiB uploads", before, peak, after)
        assert_equal(len(replies), UPLOADS)
        answered = [r for r in replies if r.startswith(b"HTTP/1.1 401 ")]
        assert len(answered) > 0, replies[:2]
        assert peak - before < UPLOAD_RSS_LIMIT, f"peak RSS grew by {(peak - before) / MIB:.0f} MiB"
        assert isinstance(self.nodes[0].uptime(), int)

    def test_announced_oversize(self):
        sock = self.connect()
        sock.sendall(self.head(self.auth(), length=MAX_RPC_REQUEST_SIZE + 1))
        reply = recv_until_closed(sock)
        sock.close()
        assert reply.startswith(b"HTTP/1.1 413 "), reply[:100]
        # At the limit the head is accepted: the server waits for the body.
        sock = self.connect(timeout=1)
        sock.sendall(self.head(self.auth(), length=MAX_RPC_REQUEST_SIZE))
        try:
            early = sock.recv(100)
        except TimeoutError:
            early = None
        sock.close()
        assert early is None, early

    def test_idle_sockets(self):
        node = self.nodes[0]
        node.restart([f"-rpcheadertimeout={LONG_HEADER_TIMEOUT}"])
        # A keep-alive client that authenticated before the flood.
        proxy = node.make_proxy(*node.read_cookie())
        assert isinstance(proxy.uptime(), int)
        # More idle sockets than the server holds: more than the per-address
        # limit from 127.0.0.1, the rest from other loopback addresses.
        idle = [self.connect() for _ in range(MAX_RPC_CONNECTIONS_PER_ADDRESS + 16)]
        for i in range(MAX_RPC_CONNECTIONS):
            idle.append(self.connect(f"127.0.0.{2 + i % 4}"))
        self.log(f"  {len(idle)} idle sockets open")
        # Authenticated clients are served at once, nothing having timed out.
        assert isinstance(node.cli.uptime(), int)
        status, _, _ = self.post(b'{"method":"uptime","id":1}')
        assert_equal(status, 200)
        sock = proxy._conn.sock
        assert isinstance(proxy.uptime(), int)
        assert proxy._conn.sock is sock, "the authenticated keep-alive connection was evicted"
        # The oldest idle sockets made room.
        assert_equal(recv_until_closed(idle[0]), b"")
        for s in idle:
            s.close()
        proxy.close()

    def test_header_timeout(self):
        node = self.nodes[0]
        node.restart(["-rpcheadertimeout=1"])
        silent = self.connect()
        partial = self.connect()
        partial.sendall(b"POST / HTTP/1.1\r\nAuthorization: Basic")
        # Closed by the server well within the socket timeout.
        assert_equal(recv_until_closed(silent), b"")
        assert_equal(recv_until_closed(partial), b"")
        silent.close()
        partial.close()
        # An authenticated keep-alive connection may idle longer (as long as
        # -rpcservertimeout): the deadline is for the head of a new one.
        proxy = node.make_proxy(*node.read_cookie())
        assert isinstance(proxy.uptime(), int)
        sock = proxy._conn.sock
        time.sleep(2)
        assert isinstance(proxy.uptime(), int)
        assert proxy._conn.sock is sock, "the keep-alive connection was closed"
        proxy.close()

    def test_invalid_option(self):
        node = self.nodes[0]
        node.stop()
        for value in ("0", "-1", "86401", "x"):
            node.assert_start_raises_init_error([f"-rpcheadertimeout={value}"], "-rpcheadertimeout")
        node.start()


if __name__ == "__main__":
    sys.exit(RPCDoSTest().main())
