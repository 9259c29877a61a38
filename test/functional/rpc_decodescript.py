#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""decodescript (doc/rpc.md, "rawtransactions"): destination bytes decode to
the same scriptPubKey object an output paying them shows in
decoderawtransaction; a destination of an unknown kind is nonstandard with a
raw() descriptor; bytes that are not a destination's encoding are
nonstandard with asm "[error]"; non-hex is -8."""
import sys
from decimal import Decimal

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error


class DecodeScriptTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.subtest("destination bytes, other kinds, malformed bytes", self.test_decode)

    def test_decode(self):
        node = self.nodes[0]
        key = Key()
        spk = node.validateaddress(key.address)["scriptPubKey"]
        assert spk.startswith("0120")

        # The same object as an output paying the key shows.
        raw = node.createrawtransaction([{"txid": "11" * 32, "vout": 0}], [{key.address: Decimal("1")}])
        expected = node.decoderawtransaction(raw)["vout"][0]["scriptPubKey"]
        decoded = node.decodescript(spk)
        assert_equal(decoded, expected)
        assert_equal(decoded["type"], "witness_v1_taproot")
        assert_equal(decoded["address"], key.address)
        assert_equal(decoded["asm"], "1 " + spk[4:])
        assert decoded["desc"].startswith(f"addr({key.address})#")
        # Upper-case hex too.
        assert_equal(node.decodescript(spk.upper()), expected)

        # A well-formed destination of an unknown kind: no address.
        other = "07" + "03" + "aabbcc"
        decoded = node.decodescript(other)
        assert_equal(decoded["type"], "nonstandard")
        assert_equal(decoded["asm"], "7 aabbcc")
        assert_equal(decoded["hex"], other)
        assert "address" not in decoded
        assert decoded["desc"].startswith(f"raw({other})#")

        # Not a destination's encoding: truncated, trailing byte, empty.
        for bad in [spk[:-2], spk + "00", "01"]:
            decoded = node.decodescript(bad)
            assert_equal(decoded["type"], "nonstandard")
            assert_equal(decoded["asm"], "[error]")
            assert_equal(decoded["hex"], bad)
            assert decoded["desc"].startswith(f"raw({bad})#")
            assert "address" not in decoded
        empty = node.decodescript("")
        assert_equal((empty["asm"], empty["type"], empty["hex"]), ("", "nonstandard", ""))

        assert_raises_rpc_error(-8, "argument must be hexadecimal string", node.decodescript, "zz")
        assert_raises_rpc_error(-8, "argument must be hexadecimal string", node.decodescript, "abc")


if __name__ == "__main__":
    sys.exit(DecodeScriptTest().main())
