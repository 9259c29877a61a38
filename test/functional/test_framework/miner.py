# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""An hpips-miner process (standalone, or a farm under mpirun) whose output
goes to a file the test reads line by line."""
import os
import signal
import subprocess

from .util import wait_until


class MinerProcess:
    def __init__(self, args, log_path):
        self.log_path = log_path
        self.log = open(log_path, "w+", encoding="utf-8")
        # Own process group: a farm's ranks are stopped with mpirun.
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def output(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def lines(self, fragment):
        return [line for line in self.output().splitlines() if fragment in line]

    def wait_for(self, fragment, timeout=60, count=1):
        wait_until(lambda: len(self.lines(fragment)) >= count or self.process.poll() is not None, timeout=timeout,
                   what=f"miner output {fragment!r}")
        assert len(self.lines(fragment)) >= count, f"miner exited ({self.process.returncode}):\n{self.output()}"

    def stop(self, timeout=30):
        """SIGTERM, then SIGKILL of the whole group if it does not end."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()
        return self.process.returncode


def wait_for_height(node, height, timeout=60):
    wait_until(lambda: node.getblockcount() >= height, timeout=timeout, what=f"height {height}")


def miner_binary(bindir):
    return os.path.join(bindir, "hpips-miner")
