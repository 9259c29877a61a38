# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Assertions, waiting, ports and configuration files for functional tests."""
import base64
import errno
import fcntl
import http.client
import os
import random
import socket
import tempfile
import time

from .authproxy import JSONRPCException


def assert_equal(a, b, *rest):
    if a != b or any(a != x for x in rest):
        raise AssertionError("not(%s)" % " == ".join(repr(x) for x in (a, b) + rest))


def assert_greater_than_or_equal(a, b):
    if not a >= b:
        raise AssertionError(f"{a!r} < {b!r}")


def assert_in(needle, haystack):
    if needle not in haystack:
        raise AssertionError(f"{needle!r} not found in {haystack!r}")


def assert_raises_rpc_error(code, message, fun, *args, **kwargs):
    """fun(*args) must raise JSONRPCException with this code (None: any) and a
    message containing `message` (None: any)."""
    try:
        fun(*args, **kwargs)
    except JSONRPCException as e:
        if code is not None and e.code != code:
            raise AssertionError(f"unexpected JSONRPC error code {e.code} (expected {code}): {e.message}")
        if message is not None and message not in (e.message or ""):
            raise AssertionError(f"expected substring {message!r} not found in {e.message!r}")
        return e
    raise AssertionError("no exception raised")


def wait_until(predicate, timeout=60, interval=0.05, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _port_free(port):
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        s = socket.socket(family, socket.SOCK_STREAM)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
        except OSError as e:
            if family == socket.AF_INET6 and e.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
                continue  # no IPv6 loopback on this machine
            return False
        finally:
            s.close()
    return True


_used_ports = set()
# Lock files held open for the life of this process: another test process
# (ctest -j) never picks a port this one handed out. flock locks go away
# with the process, so a crashed test leaves nothing stale.
_port_locks = []
PORT_LOCK_DIR = os.path.join(tempfile.gettempdir(), "hpips-test-ports")


def _port_range():
    """Ports below the kernel's ephemeral range: a port picked from inside it
    can be taken by any outgoing connection (an RPC client, a P2P dial)
    between the check and the node's bind, or between two restarts."""
    low, high = 32768, 60999
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as f:
            low, high = (int(x) for x in f.read().split())
    except (OSError, ValueError):
        pass
    if low > 21000:
        return 20000, low
    return high + 1, 65000


def _reserve(port):
    """True when this process now holds the port's lock file."""
    os.makedirs(PORT_LOCK_DIR, exist_ok=True)
    fd = os.open(os.path.join(PORT_LOCK_DIR, str(port)), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    _port_locks.append(fd)
    return True


def get_free_port():
    """A loopback port nothing listens on (checked by binding 127.0.0.1 and
    ::1), outside the ephemeral range, and handed out to no other test
    process running now nor before by this one."""
    rng = random.Random(os.getpid() ^ int(time.time() * 1000))
    low, high = _port_range()
    for _ in range(1000):
        port = rng.randrange(low, high)
        if port in _used_ports:
            continue
        if _reserve(port):
            if _port_free(port):
                _used_ports.add(port)
                return port
            fcntl.flock(_port_locks[-1], fcntl.LOCK_UN)
            os.close(_port_locks.pop())
    raise AssertionError("no free port found")


def basic_auth(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")


def http_post(port, body, auth=None, path="/", headers=None, method="POST", timeout=60):
    """One raw HTTP request on a fresh connection; returns (status, headers dict, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        all_headers = {"Content-Type": "application/json"}
        if auth is not None:
            all_headers["Authorization"] = auth
        all_headers.update(headers or {})
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn.request(method, path, body, all_headers)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def write_config(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
