#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""RPC authentication: 401 without or with wrong credentials (after a delay
that does not block other clients), the cookie, -rpcuser/-rpcpassword,
-rpcauth entries made by contrib/rpcauth.py, malformed Authorization
headers, and invalid -rpcauth / -rpcallowip at startup."""
import json
import os
import stat
import subprocess
import sys
import threading
import time

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, basic_auth, http_post

RPCAUTH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "contrib", "rpcauth.py")
UPTIME = '{"jsonrpc":"2.0","id":1,"method":"uptime"}'


def make_rpcauth(user, password=None):
    args = [sys.executable, RPCAUTH, "--json", user] + ([password] if password is not None else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


class RPCAuthTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def status(self, auth, body=UPTIME):
        status, headers, data = http_post(self.nodes[0].rpc_port, body, auth=auth)
        return status, headers, data

    def run_test(self):
        self.subtest("no credentials: 401", self.test_no_auth)
        self.subtest("wrong password: delayed 401 without blocking others", self.test_wrong_password)
        self.subtest("cookie file", self.test_cookie)
        self.subtest("malformed Authorization headers", self.test_malformed)
        self.subtest("rpcauth from contrib/rpcauth.py", self.test_rpcauth)
        self.subtest("rpcuser/rpcpassword", self.test_rpcuser)
        self.subtest("invalid -rpcauth and -rpcallowip refuse to start", self.test_invalid_options)

    def test_no_auth(self):
        status, headers, data = self.status(None)
        assert_equal(status, 401)
        assert_equal(headers.get("www-authenticate"), 'Basic realm="jsonrpc"')
        assert_equal(data, b"")

    def test_wrong_password(self):
        user, password = self.nodes[0].read_cookie()
        start = time.monotonic()
        status, headers, _ = self.status(basic_auth(user, password + "x"))
        elapsed = time.monotonic() - start
        assert_equal(status, 401)
        assert_equal(headers.get("www-authenticate"), 'Basic realm="jsonrpc"')
        assert elapsed >= 0.2, f"wrong credentials answered after {elapsed:.3f}s"
        status, _, _ = self.status(basic_auth("someone", password))
        assert_equal(status, 401)
        # While several wrong-password clients wait, a good client is served at once.
        waiting = [threading.Thread(target=self.status, args=(basic_auth(user, "bad"),)) for _ in range(8)]
        for t in waiting:
            t.start()
        time.sleep(0.05)
        start = time.monotonic()
        status, _, _ = self.status(basic_auth(user, password))
        good_elapsed = time.monotonic() - start
        for t in waiting:
            t.join()
        assert_equal(status, 200)
        assert good_elapsed < 0.2, f"a valid request waited {good_elapsed:.3f}s behind failed ones"

    def test_cookie(self):
        node = self.nodes[0]
        mode = stat.S_IMODE(os.stat(node.cookie_path).st_mode)
        assert_equal(mode, 0o600)
        with open(node.cookie_path, encoding="utf-8") as f:
            content = f.read()
        user, _, password = content.partition(":")
        assert_equal(user, "__cookie__")
        assert_equal(len(password), 64)
        int(password, 16)
        status, _, data = self.status(basic_auth(user, password))
        assert_equal(status, 200)
        # A restart writes a new cookie; the old one stops working.
        node.restart()
        status, _, _ = self.status(basic_auth(user, password))
        assert_equal(status, 401)
        assert node.read_cookie()[1] != password

    def test_malformed(self):
        user, password = self.nodes[0].read_cookie()
        good = basic_auth(user, password)
        for header in [
            "Basic",
            "Basic ",
            "basic " + good[6:],          # the scheme is case-sensitive, as in Core
            "Bearer " + good[6:],
            "Basic !!!!",
            "Basic " + good[6:-1],        # truncated base64
            "Basic " + good[6:] + "=",    # extra padding
            "Basic Zm9v",                 # "foo": no colon
            "Basic " + "A" * 10000,
            good + " trailing",
        ]:
            status, _, _ = self.status(header)
            assert_equal(status, 401)
        status, _, _ = self.status(good)
        assert_equal(status, 200)

    def test_rpcauth(self):
        node = self.nodes[0]
        alice = make_rpcauth("alice", "alice-password")
        bob = make_rpcauth("bob")
        assert alice["rpcauth"].startswith("alice:")
        node.stop()
        node.write_default_config([f"rpcauth={alice['rpcauth']}"])
        node.start([f"-rpcauth={bob['rpcauth']}"])
        status, _, _ = self.status(basic_auth("alice", "alice-password"))
        assert_equal(status, 200)
        status, _, _ = self.status(basic_auth("bob", bob["password"]))
        assert_equal(status, 200)
        for user, password in [("alice", "wrong"), ("bob", "alice-password"), ("carol", "alice-password")]:
            status, _, _ = self.status(basic_auth(user, password))
            assert_equal(status, 401)
        # The cookie works alongside rpcauth.
        status, _, _ = self.status(basic_auth(*node.read_cookie()))
        assert_equal(status, 200)
        # -norpcauth on the command line drops the file's entries too.
        node.restart(["-norpcauth"])
        status, _, _ = self.status(basic_auth("alice", "alice-password"))
        assert_equal(status, 401)
        node.stop()
        node.write_default_config()
        node.start()

    def test_rpcuser(self):
        node = self.nodes[0]
        node.stop()
        assert not os.path.exists(node.cookie_path), "shutdown must delete the cookie"
        node.rpc_credentials = ("user1", "pass:word")
        node.start(["-rpcuser=user1", "-rpcpassword=pass:word"])
        assert not os.path.exists(node.cookie_path), "no cookie when -rpcpassword is set"
        status, _, _ = self.status(basic_auth("user1", "pass:word"))
        assert_equal(status, 200)
        status, _, _ = self.status(basic_auth("user1", "pass"))
        assert_equal(status, 401)
        status, _, _ = self.status(basic_auth("user2", "pass:word"))
        assert_equal(status, 401)
        node.stop()
        node.rpc_credentials = None
        node.start()

    def test_invalid_options(self):
        node = self.nodes[0]
        node.stop()
        node.assert_start_raises_init_error(["-rpcauth=alice"], "Error: Invalid -rpcauth argument.")
        node.assert_start_raises_init_error(["-rpcauth=alice:salt$nothex"], "Error: Invalid -rpcauth argument.")
        node.assert_start_raises_init_error(["-rpcallowip=1.2.3.4/33"], "Invalid -rpcallowip subnet specification")
        node.assert_start_raises_init_error(["-rpcallowip=nonsense"], "Invalid -rpcallowip subnet specification")
        node.start()


if __name__ == "__main__":
    sys.exit(RPCAuthTest().main())
