# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""One hpipsd process under test: start, wait for RPC, call, stop, kill, restart."""
import decimal
import json
import os
import re
import signal
import subprocess
import time

from .authproxy import AuthServiceProxy, JSONRPCException
from .util import get_free_port, wait_until, write_config

RPC_WAIT_TIMEOUT = 60
STOP_TIMEOUT = 60
LOG_TAIL_LINES = 40


class FailedToStartError(Exception):
    """hpipsd exited (or never answered) while the test waited for it."""


class TestNode:
    """An hpipsd on regtest with its own data directory and RPC port.

    Calls not defined here go to the node's RPC: node.uptime(), node.echo(1).
    """

    def __init__(self, index, base_dir, bindir, rpc_port, extra_args=None, trace_rpc=False):
        self.index = index
        self.datadir = os.path.join(base_dir, f"node{index}")
        self.bindir = bindir
        self.binary = os.path.join(bindir, "hpipsd")
        self.cli_binary = os.path.join(bindir, "hpips-cli")
        self.rpc_port = rpc_port
        # Every node listens for P2P on its own loopback port (regtest binds
        # 127.0.0.1 only), so nodes of concurrent tests never collide.
        self.p2p_port = get_free_port()
        self.extra_args = list(extra_args or [])
        self.trace_rpc = trace_rpc
        self.process = None
        self.rpc = None
        self.rpc_credentials = None
        self.stdout = None
        self.stderr = None
        os.makedirs(self.datadir, exist_ok=True)
        self.write_default_config()
        self.cli = TestNodeCLI(self)

    # --- files -----------------------------------------------------------
    @property
    def conf_path(self):
        return os.path.join(self.datadir, "hpips.conf")

    @property
    def net_dir(self):
        return os.path.join(self.datadir, "regtest")

    @property
    def cookie_path(self):
        return os.path.join(self.net_dir, ".cookie")

    @property
    def debug_log_path(self):
        return os.path.join(self.net_dir, "debug.log")

    def write_default_config(self, extra_lines=()):
        # The P2P port goes last, in its own [regtest] section, so the line
        # numbers of extra_lines (parse errors name them) stay as they were.
        write_config(self.conf_path, ["regtest=1", "[regtest]", f"rpcport={self.rpc_port}",
                                      "printtoconsole=0", *extra_lines, "[regtest]", f"port={self.p2p_port}"])

    def debug_log(self):
        try:
            with open(self.debug_log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def debug_log_tail(self, lines=LOG_TAIL_LINES):
        return "\n".join(self.debug_log().splitlines()[-lines:])

    def read_cookie(self):
        with open(self.cookie_path, encoding="utf-8") as f:
            user, _, password = f.read().strip().partition(":")
        return user, password

    # --- process ---------------------------------------------------------
    def start(self, extra_args=None, wait=True):
        """Starts hpipsd with the node's and the given arguments."""
        assert self.process is None, "node already running"
        args = [self.binary, f"-datadir={self.datadir}"] + self.extra_args + list(extra_args or [])
        self.stdout = open(os.path.join(self.datadir, f"stdout.{time.time_ns()}"), "w+")
        self.stderr = open(os.path.join(self.datadir, f"stderr.{time.time_ns()}"), "w+")
        self.process = subprocess.Popen(args, stdout=self.stdout, stderr=self.stderr)
        if wait:
            self.wait_for_rpc_connection()

    def read_stderr(self):
        if self.stderr is None:
            return ""
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read()

    def wait_for_rpc_connection(self):
        """Waits until the node answers RPC, with self.rpc_credentials when set
        (-rpcuser/-rpcpassword nodes), else the cookie (re-read each try: a
        killed node leaves a stale one until the new process replaces it)."""
        deadline = time.time() + RPC_WAIT_TIMEOUT
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise FailedToStartError(
                    f"hpipsd exited with status {self.process.returncode} during initialization:\n"
                    f"{self.read_stderr()}")
            try:
                user, password = self.rpc_credentials or self.read_cookie()
                rpc = self.make_proxy(user, password)
                # As Core: a chain method, which answers -28 until the node
                # has loaded the chain (getrpcinfo answers during warmup).
                rpc.getblockcount()
                self.rpc = rpc
                return
            except (FileNotFoundError, ConnectionRefusedError, ConnectionResetError, ValueError):
                pass
            except JSONRPCException as e:
                if e.code != -28 and e.http_status != 401:
                    raise
            time.sleep(0.05)
        raise FailedToStartError("hpipsd did not answer RPC in time")

    def make_proxy(self, user, password, path="/", version="2.0", timeout=60):
        url = f"http://{user}:{password}@127.0.0.1:{self.rpc_port}{path}"
        return AuthServiceProxy(url, timeout=timeout, version=version)

    def __getattr__(self, name):
        if name.startswith("__") or self.rpc is None:
            raise AttributeError(name)
        return getattr(self.rpc, name)

    def running(self):
        return self.process is not None and self.process.poll() is None

    def wait_until_stopped(self, timeout=STOP_TIMEOUT, expected_ret_code=0):
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"node{self.index} did not stop within {timeout}s")
        code = self.process.returncode
        stderr = self.read_stderr()
        self._forget_process()
        if expected_ret_code is not None and code != expected_ret_code:
            raise AssertionError(f"node{self.index} exited with {code}, expected {expected_ret_code}:\n{stderr}")
        return code, stderr

    def _forget_process(self):
        self.process = None
        if self.rpc is not None:
            self.rpc.close()
        self.rpc = None
        for f in (self.stdout, self.stderr):
            if f is not None:
                f.close()

    def stop(self, wait=True):
        """The stop RPC, then waits for a clean exit (status 0)."""
        result = self.rpc.stop()
        assert result == "HPIPS server stopping", result
        if wait:
            return self.wait_until_stopped()
        return None

    def send_signal(self, signum, wait=True, expected_ret_code=0):
        self.process.send_signal(signum)
        if wait:
            return self.wait_until_stopped(expected_ret_code=expected_ret_code)
        return None

    def kill(self):
        """SIGKILL: no clean shutdown at all (the cookie and .lock stay)."""
        self.process.kill()
        self.process.wait(timeout=STOP_TIMEOUT)
        self._forget_process()

    def restart(self, extra_args=None):
        if self.running():
            self.stop()
        self.start(extra_args)

    def assert_start_raises_init_error(self, extra_args=None, expected_msg=None, match_partial=True):
        """Starting with these arguments must fail with status 1 and this message on stderr."""
        self.start(extra_args, wait=False)
        code, stderr = self.wait_until_stopped(timeout=RPC_WAIT_TIMEOUT, expected_ret_code=None)
        if code != 1:
            raise AssertionError(f"expected hpipsd to fail with status 1, got {code}; stderr: {stderr}")
        stderr = stderr.strip()
        if expected_msg is not None:
            if match_partial:
                if expected_msg not in stderr:
                    raise AssertionError(f"expected {expected_msg!r} in stderr {stderr!r}")
            elif stderr != expected_msg:
                raise AssertionError(f"expected stderr {expected_msg!r}, got {stderr!r}")
        return stderr

    # --- hpips-cli -------------------------------------------------------
    def cli_run(self, *args, input=None, options=None, timeout=60):
        """Runs hpips-cli against this node: returns (returncode, stdout, stderr)."""
        cmd = [self.cli_binary, f"-datadir={self.datadir}"] + list(options or []) + [str(a) for a in args]
        res = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout)
        return res.returncode, res.stdout, res.stderr


class TestNodeCLI:
    """node.cli.method(*args) runs hpips-cli and decodes its output as the RPC
    result (JSON, or the raw string); errors raise JSONRPCException parsed
    from Core's "error code: / error message:" format."""

    def __init__(self, node, options=None):
        self._node = node
        self._options = list(options or [])

    def __call__(self, *options):
        return TestNodeCLI(self._node, self._options + list(options))

    def __getattr__(self, method):
        if method.startswith("__"):
            raise AttributeError(method)

        def call(*args, **kwargs):
            options = list(self._options)
            if kwargs:
                options.append("-named")
                args = list(args) + [f"{k}={_cli_text(v)}" for k, v in kwargs.items()]
            code, out, err = self._node.cli_run(method, *[_cli_text(a) for a in args], options=options)
            if code != 0:
                match = re.match(r"error code: ([-0-9]+)\nerror message:\n(.*)", err, re.DOTALL)
                if match:
                    raise JSONRPCException({"code": int(match.group(1)), "message": match.group(2).rstrip("\n")})
                raise subprocess.CalledProcessError(code, method, out, err)
            out = out.rstrip("\n")
            try:
                return json.loads(out, parse_float=decimal.Decimal)
            except json.JSONDecodeError:
                return out

        return call


def _cli_text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)) or value is None:
        return json.dumps(value)
    return str(value)


def send_raw(port, data, timeout=10):
    """Sends raw bytes on a fresh connection and returns everything read until close."""
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (ConnectionResetError, TimeoutError, OSError):
            pass
        return b"".join(chunks)


__all__ = ["TestNode", "TestNodeCLI", "FailedToStartError", "send_raw", "signal"]
