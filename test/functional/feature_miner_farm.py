#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""hpips-miner farm mode under Open MPI on one machine (CPU engines):
`mpirun --oversubscribe -np 3 hpips-miner --farm` mines blocks against a
regtest node; rank 0's status line shows each rank's throughput; killing one
mining rank's process (SIGKILL) gets it dropped after -farmtimeout and the
farm keeps mining on the other; a rank that hangs (SIGSTOP) is dropped the
same way; credentials the node refuses end every rank (exit code 3). Skipped (exit code 77) when mpirun is absent
or hpips-miner was built without MPI."""
import os
import shutil
import signal
import subprocess
import sys

from test_framework.key import Key
from test_framework.miner import MinerProcess, miner_binary, wait_for_height
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, wait_until

SKIP = 77
EXIT_BAD_CREDENTIALS = 3
FARM_TIMEOUT = 5  # heartbeats come every second: room for a loaded machine


def mpirun_command(recovery=True):
    """mpirun with the flags the test needs, or None when it cannot run."""
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        return None
    command = [mpirun, "--oversubscribe"]
    if recovery:
        # Keep the job running when a rank dies (Open MPI aborts it by default);
        # mpirun then exits 0 whatever the ranks' exit codes.
        command.append("--enable-recovery")
    if os.geteuid() == 0:
        command.append("--allow-run-as-root")
    return command


class MinerFarmTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.node = self.nodes[0]
        self.address = Key().address
        self.subtest("a farm of three ranks mines, and survives losing a rank", self.test_farm)
        self.subtest("a hung rank is dropped and the farm keeps mining", self.test_hung_rank)
        self.subtest("bad credentials end the whole farm with exit code 3", self.test_bad_credentials)

    def start_farm(self, name):
        args = mpirun_command() + ["-np", "3", miner_binary(self.options.bindir), "--farm",
                                   f"-datadir={self.node.datadir}", f"-address={self.address}", "-threads=1",
                                   "-statusinterval=1", f"-farmtimeout={FARM_TIMEOUT}"]
        farm = MinerProcess(args, os.path.join(self.tmpdir, f"{name}.log"))
        farm.wait_for("mining on 1 thread(s)", count=2)
        return farm

    @staticmethod
    def rank_pid(farm, rank):
        return int(farm.lines(f"rank {rank} pid ")[0].split(f"rank {rank} pid ")[1].split()[0])

    def test_farm(self):
        farm = self.start_farm("farm")
        try:
            start = self.node.getblockcount()
            wait_for_height(self.node, start + 5)
            farm.wait_for("farm status: ")
            farm.wait_for("accepted")
            wait_until(lambda: any("rank1 units/s=" in line and "rank2 units/s=" in line
                                   for line in farm.lines("farm status: ")), timeout=30, what="per-rank status")
            status = farm.lines("farm status: ")[-1]
            for field in ("units/s=", "MAC/s=", "tickets=", "blocks=", "ranks=2/2"):
                assert_in(field, status)

            # Kill rank 1's process: rank 0 drops it and the farm goes on.
            os.kill(self.rank_pid(farm, 1), signal.SIGKILL)
            farm.wait_for("farm: rank 1 dropped", timeout=FARM_TIMEOUT + 30)
            height = self.node.getblockcount()
            wait_for_height(self.node, height + 5)
            farm.wait_for("rank1 dropped")
            wait_until(lambda: any("ranks=1/2" in line for line in farm.lines("farm status: ")), timeout=30,
                       what="status after the drop")
            assert farm.process.poll() is None, farm.output()
        finally:
            farm.stop()

    def test_hung_rank(self):
        farm = self.start_farm("farm_hung")
        pid = None
        try:
            wait_for_height(self.node, self.node.getblockcount() + 3)
            pid = self.rank_pid(farm, 2)
            os.kill(pid, signal.SIGSTOP)
            farm.wait_for("farm: rank 2 dropped", timeout=FARM_TIMEOUT + 30)
            wait_for_height(self.node, self.node.getblockcount() + 5)
            wait_until(lambda: any("ranks=1/2" in line and "rank2 dropped" in line and "rank1 units/s=" in line
                                   for line in farm.lines("farm status: ")), timeout=30, what="status after the drop")
            assert farm.process.poll() is None, farm.output()
        finally:
            if pid is not None:
                os.kill(pid, signal.SIGCONT)
            farm.stop()

    def test_bad_credentials(self):
        args = mpirun_command(recovery=False) + [
            "-np", "3", miner_binary(self.options.bindir), "--farm", f"-rpcport={self.node.rpc_port}",
            "-rpcuser=farm", "-rpcpassword=wrong", f"-address={self.address}", "-threads=1"]
        res = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert_equal(res.returncode, EXIT_BAD_CREDENTIALS)
        assert_in("refused the RPC credentials (HTTP 401)", res.stdout + res.stderr)


if __name__ == "__main__":
    if mpirun_command() is None:
        print("feature_miner_farm: skipped (mpirun not found)")
        sys.exit(SKIP)
    bindir = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--bindir=")), None)
    if bindir is None and "--bindir" in sys.argv:
        bindir = sys.argv[sys.argv.index("--bindir") + 1]
    if bindir is not None:
        help_text = subprocess.run([miner_binary(os.path.abspath(bindir)), "-help"], capture_output=True, text=True,
                                   timeout=60).stdout
        if "Farm mode: built in" not in help_text:
            print("feature_miner_farm: skipped (hpips-miner built without MPI)")
            sys.exit(SKIP)
    raise SystemExit(MinerFarmTest().main())
