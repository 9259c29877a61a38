#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""-blocknotify and -startupnotify (doc/node.md, "Notifications"): the block
command runs exactly once per new tip, with %s replaced by its hash, in
order, for blocks mined one at a time and several per call, and not again at
a restart; the startup command runs once per start. Commands run through
/bin/sh, so shell syntax (redirection) works."""
import os
import sys

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, wait_until


def read_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


class NotifyTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        node.stop()
        self.block_file = os.path.join(self.tmpdir, "blocks.txt")
        self.startup_file = os.path.join(self.tmpdir, "startup.txt")
        self.args = [f"-blocknotify=echo %s >> {self.block_file}",
                     f"-startupnotify=echo started >> {self.startup_file}"]
        node.start(self.args)
        self.subtest("-startupnotify runs once", self.test_startup)
        self.subtest("-blocknotify once per block", self.test_blocks)
        self.subtest("a restart notifies no block and starts once more", self.test_restart)

    def test_startup(self):
        wait_until(lambda: len(read_lines(self.startup_file)) >= 1, what="startupnotify")
        assert_equal(read_lines(self.startup_file), ["started"])

    def test_blocks(self):
        node = self.nodes[0]
        address = Key().address
        hashes = []
        for _ in range(3):
            hashes += node.generatetoaddress(1, address)
        hashes += node.generatetoaddress(4, address)
        wait_until(lambda: len(read_lines(self.block_file)) >= len(hashes), what="blocknotify")
        # Exactly once each, in order: no more lines arrive after the last block.
        node.getblockcount()
        assert_equal(read_lines(self.block_file), hashes)
        self.hashes = hashes

    def test_restart(self):
        node = self.nodes[0]
        node.stop()
        node.start(self.args)
        wait_until(lambda: len(read_lines(self.startup_file)) >= 2, what="second startupnotify")
        assert_equal(read_lines(self.startup_file), ["started", "started"])
        assert_equal(read_lines(self.block_file), self.hashes)
        more = node.generatetoaddress(1, Key().address)
        wait_until(lambda: len(read_lines(self.block_file)) >= len(self.hashes) + 1, what="blocknotify after restart")
        assert_equal(read_lines(self.block_file), self.hashes + more)


if __name__ == "__main__":
    sys.exit(NotifyTest().main())
