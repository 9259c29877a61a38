#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""-minerdevice on a machine without a usable GPU (the CI machines): "cuda"
and "cuda:N" refuse to start with the reason, a malformed value is named,
"auto" mines on the CPU after one log line, and getmininginfo's miner object
lists the engines in its devices array. On a machine with a GPU the GPU half
is skipped (contrib/gpu-check.sh covers the device)."""
import sys

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_greater_than_or_equal, wait_until

DEVICE_FIELDS = {"name", "kind", "index", "running", "units", "tiles", "macs", "seconds", "blocks_found", "errors",
                 "spot_checks", "last_error"}


class MinerDevicesTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.key = Key()
        self.subtest("malformed -minerdevice values are refused", self.test_malformed)
        self.subtest("-minerdevice=auto mines on the CPU without a GPU", self.test_auto)
        self.subtest("-minerdevice=cuda without a GPU refuses to start", self.test_cuda_without_gpu)

    def mine_args(self, device, *more):
        return ["-mine", f"-mineraddress={self.key.address}", f"-minerdevice={device}", *more]

    def test_malformed(self):
        node = self.nodes[0]
        node.stop()  # the framework started it without -mine
        for bad in ("gpu", "cuda:", "cuda:0,0", "cuda:x"):
            node.assert_start_raises_init_error(self.mine_args(bad, "-minerthreads=1"),
                                                f"Invalid -minerdevice '{bad}'")
        node.assert_start_raises_init_error(self.mine_args("cpu", "-minerspotcheck=-1"), "Invalid -minerspotcheck")
        # MAX_MINER_SPOT_CHECK is 2^40: one more is refused.
        node.assert_start_raises_init_error(self.mine_args("cpu", f"-minerspotcheck={2**40 + 1}"),
                                            "Invalid -minerspotcheck")

    def test_auto(self):
        node = self.nodes[0]
        node.start(self.mine_args("auto", "-minerthreads=1"))
        wait_until(lambda: node.getblockcount() >= 2, timeout=60, what="the miner")
        info = node.getmininginfo()["miner"]
        gpus = [d for d in info["devices"] if d["kind"] == "cuda"]
        cpus = [d for d in info["devices"] if d["kind"] == "cpu"]
        for device in info["devices"]:
            assert_equal(set(device), DEVICE_FIELDS)
        assert_equal(len(cpus), 1)
        assert_equal(cpus[0]["name"], "cpu")
        assert_equal(cpus[0]["index"], -1)
        wait_until(lambda: node.getmininginfo()["miner"]["devices"][-1]["units"] > 0, timeout=60,
                   what="CPU units counted")
        if not gpus:
            self.has_gpu = False
            assert_equal(info["backend"], "cpu")
            assert_equal(len(info["devices"]), 1)
            log = node.debug_log()
            assert_equal(log.count("miner: no CUDA device ("), 1)
            assert "; mining on the CPU" in log
            assert "miner: started on cpu (1 threads)" in log
        else:
            self.has_gpu = True
            assert_equal(info["backend"], "cuda")
        total = node.getmininginfo()["miner"]
        assert_greater_than_or_equal(total["units"], sum(d["units"] for d in info["devices"]))
        node.stop()

    def test_cuda_without_gpu(self):
        if self.has_gpu:
            self.log("  a usable GPU is present: skipped")
            return
        node = self.nodes[0]
        node.assert_start_raises_init_error(self.mine_args("cuda"),
                                            "Cannot start the miner: -minerdevice=cuda: no usable CUDA device: ")
        node.assert_start_raises_init_error(self.mine_args("cuda:0,2"),
                                            "Cannot start the miner: -minerdevice: CUDA device 0 not found")


if __name__ == "__main__":
    sys.exit(MinerDevicesTest().main())
