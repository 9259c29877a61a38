#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""mempool.dat (doc/mempool.md, "mempool.dat"): a mempool transaction
survives a restart; savemempool writes the file on demand and names it;
-persistmempool=0 neither loads nor writes it; a transaction the chain has
made invalid meanwhile is dropped on load with a log line; a corrupt file is
refused with a log line, loads nothing, and the node starts anyway;
-maxmempool and -minrelaytxfee reach getmempoolinfo."""
import os
import sys
from decimal import Decimal

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, assert_raises_rpc_error

SUBSIDY = Decimal("50.00000000")
FEE = Decimal("0.00010000")
INITIAL_BLOCKS = 103


class MempoolPersistTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.key = Key()
        self.other = Key()
        hashes = node.generatetoaddress(INITIAL_BLOCKS, self.key.address)
        self.coinbase = {h: node.getblock(hashes[h - 1])["tx"][0] for h in range(1, 4)}
        self.path = os.path.join(node.net_dir, "mempool.dat")
        self.subtest("a transaction survives a restart", self.test_restart)
        self.subtest("savemempool", self.test_savemempool)
        self.subtest("-persistmempool=0", self.test_no_persist)
        self.subtest("invalid on load: dropped", self.test_revalidation)
        self.subtest("corrupt file refused cleanly", self.test_corrupt)
        self.subtest("-maxmempool and -minrelaytxfee", self.test_limits)

    def spend(self, height, fee=FEE, to=None):
        node = self.nodes[0]
        raw = node.createrawtransaction([{"txid": self.coinbase[height], "vout": 0}],
                                        [{(to or self.other).address: SUBSIDY - fee}])
        signed = node.signrawtransactionwithkey(raw, [self.key.wif])
        assert_equal(signed["complete"], True)
        return signed["hex"]

    def test_restart(self):
        node = self.nodes[0]
        self.txid = node.sendrawtransaction(self.spend(1))
        node.restart()
        assert_equal(node.getrawmempool(), [self.txid])
        assert_in("Imported mempool transactions from disk: 1 succeeded, 0 failed", node.debug_log())

    def test_savemempool(self):
        node = self.nodes[0]
        os.remove(self.path)
        assert_equal(node.savemempool(), {"filename": self.path})
        assert os.path.isfile(self.path)
        assert_equal([f for f in os.listdir(self.nodes[0].net_dir) if f.startswith("mempool.dat.new")], [])
        with open(self.path, "rb") as f:
            assert_equal(f.read(4), b"HPMP")

    def test_no_persist(self):
        node = self.nodes[0]
        node.restart(["-persistmempool=0"])
        assert_equal(node.getrawmempool(), [])
        # Not written at shutdown either: the file still holds the transaction.
        node.restart()
        assert_equal(node.getrawmempool(), [self.txid])

    def test_revalidation(self):
        node = self.nodes[0]
        # The file keeps the transaction; a conflicting spend of the same coin
        # is confirmed while the node runs without the file.
        node.restart(["-persistmempool=0"])
        conflict = node.sendrawtransaction(self.spend(1, fee=FEE * 2))
        node.generatetoaddress(1, self.key.address)
        assert_equal(node.getrawmempool(), [])
        assert conflict not in node.getrawmempool()
        node.restart()
        assert_equal(node.getrawmempool(), [])
        log = node.debug_log()
        assert_in(f"mempool.dat: dropped {self.txid}", log)
        assert_in("Imported mempool transactions from disk: 0 succeeded, 1 failed", log)

    def test_corrupt(self):
        node = self.nodes[0]
        second = node.sendrawtransaction(self.spend(2))
        node.stop()
        with open(self.path, "r+b") as f:
            f.seek(-1, os.SEEK_END)
            last = f.read(1)
            f.seek(-1, os.SEEK_END)
            f.write(bytes([last[0] ^ 1]))
        node.start()
        assert_equal(node.getrawmempool(), [])
        assert_in("Failed to load mempool from", node.debug_log())
        assert_in("checksum mismatch. Continuing with an empty mempool.", node.debug_log())
        # A file of another kind entirely, and a truncated one, too.
        node.stop()
        with open(self.path, "wb") as f:
            f.write(b"not a mempool file at all, but long enough to have a header and a checksum")
        node.start()
        assert_equal(node.getrawmempool(), [])
        assert_in("not a mempool file (bad magic)", node.debug_log())
        assert second not in node.getrawmempool()

    def test_limits(self):
        node = self.nodes[0]
        node.restart(["-maxmempool=5", "-minrelaytxfee=0.0002"])
        info = node.getmempoolinfo()
        assert_equal(info["maxmempool"], 5_000_000)
        assert_equal(info["minrelaytxfee"], Decimal("0.00020000"))
        assert_equal(node.getnetworkinfo()["relayfee"], Decimal("0.00020000"))
        # Below the new floor: refused.
        assert_raises_rpc_error(-26, "min relay fee not met", node.sendrawtransaction,
                                self.spend(3, fee=Decimal("0.00001")))
        node.stop()
        node.assert_start_raises_init_error(["-maxmempool=4"], "Invalid value for -maxmempool")
        node.assert_start_raises_init_error(["-minrelaytxfee=abc"], "Invalid amount for -minrelaytxfee=<amount>: 'abc'")
        node.start()


if __name__ == "__main__":
    sys.exit(MempoolPersistTest().main())
