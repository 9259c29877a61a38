#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Node lifetime: the stop RPC, SIGTERM and SIGINT shut down cleanly and
delete the cookie; a second node cannot use a locked data directory (and does
not disturb the first); after SIGKILL the node starts again."""
import os
import signal
import sys
import threading

from test_framework.test_framework import HpipsTestFramework
from test_framework.test_node import TestNode
from test_framework.util import assert_equal, assert_in, get_free_port, http_post, basic_auth


class ShutdownTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.subtest("stop RPC", self.test_stop_rpc)
        self.subtest("SIGTERM", self.test_signal, signal.SIGTERM)
        self.subtest("SIGINT", self.test_signal, signal.SIGINT)
        self.subtest("stop while other requests are in flight", self.test_stop_under_load)
        self.subtest("second node on the same data directory", self.test_lock)
        self.subtest("restart after SIGKILL", self.test_sigkill)

    def test_stop_rpc(self):
        node = self.nodes[0]
        assert os.path.exists(node.cookie_path)
        code, stderr = node.stop()
        assert_equal(code, 0)
        assert_equal(stderr, "")
        assert not os.path.exists(node.cookie_path), "cookie left behind"
        log = node.debug_log()
        assert_in("Shutdown: In progress...", log)
        assert log.rstrip().endswith("Shutdown: done"), log[-300:]
        node.start()

    def test_signal(self, signum):
        node = self.nodes[0]
        code, stderr = node.send_signal(signum)
        assert_equal(code, 0)
        assert not os.path.exists(node.cookie_path), "cookie left behind"
        name = "SIGTERM" if signum == signal.SIGTERM else "SIGINT"
        assert_in(f"Received {name}: shutting down", node.debug_log())
        assert node.debug_log().rstrip().endswith("Shutdown: done")
        node.start()

    def test_stop_under_load(self):
        node = self.nodes[0]
        auth = basic_auth(*node.read_cookie())
        errors = []

        def hammer():
            for _ in range(50):
                try:
                    http_post(node.rpc_port, '{"method":"echo","params":[1]}', auth=auth, timeout=30)
                except OSError:
                    return  # the server went away: expected
                except Exception as e:  # noqa: BLE001
                    errors.append(e)
                    return

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for t in threads:
            t.start()
        node.stop()
        for t in threads:
            t.join()
        assert_equal(errors, [])
        node.start()

    def test_lock(self):
        first = self.nodes[0]
        cookie = first.read_cookie()
        second = TestNode(99, os.path.dirname(first.datadir), self.options.bindir, get_free_port())
        second.datadir = first.datadir  # the same directory
        second.start(["-rpcport=%d" % get_free_port()], wait=False)
        code, stderr = second.wait_until_stopped(expected_ret_code=1)
        assert_equal(stderr.strip(), f"Error: Cannot obtain a lock on data directory {first.net_dir}. "
                                     "HPIPS is probably already running.")
        # The first node is untouched: same cookie, still serving.
        assert_equal(first.read_cookie(), cookie)
        assert isinstance(first.uptime(), int)

    def test_sigkill(self):
        node = self.nodes[0]
        node.kill()
        assert os.path.exists(node.cookie_path), "SIGKILL cannot clean up"
        stale = node.read_cookie()
        node.start()
        assert node.read_cookie() != stale
        assert isinstance(node.uptime(), int)


if __name__ == "__main__":
    sys.exit(ShutdownTest().main())
