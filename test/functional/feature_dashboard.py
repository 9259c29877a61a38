#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""The dashboard (-dashboard=127.0.0.1:PORT, doc/dashboard.md) on a mining
regtest node: /metrics is valid Prometheus text whose counters grow; the JSON
endpoints answer; the listener refuses what it must (bodies, other methods,
foreign Host headers, oversized heads, one connection more than allowed);
addresses that are not loopback are refused at startup; and the page, loaded
in headless Chromium, draws its charts and shows figures that change between
two loads (a screenshot is kept in the test's directory). The browser part is
skipped, with a line saying so, when no chromium binary is installed
(contrib/install-deps.sh installs it)."""
import http.client
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import time

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_greater_than_or_equal, assert_in, get_free_port, wait_until

# Mirrors src/dashboard/server.h.
MAX_DASHBOARD_CONNECTIONS = 32
MAX_DASHBOARD_HEADERS_SIZE = 8 * 1024
METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
REQUIRED_METRICS = {
    "hpips_blocks": "gauge",
    "hpips_headers": "gauge",
    "hpips_verification_progress": "gauge",
    "hpips_peers": "gauge",
    "hpips_mempool_tx": "gauge",
    "hpips_mempool_bytes": "gauge",
    "hpips_miner_units_total": "counter",
    "hpips_miner_tickets_total": "counter",
    "hpips_miner_macs_total": "counter",
    "hpips_miner_blocks_found_total": "counter",
}
METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
SAMPLE_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (\S+)$')
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
BROWSER_TIMEOUT = 120


def parse_metrics(text):
    """Parses the Prometheus text format 0.0.4 strictly enough to catch
    mistakes: every sample is preceded by its HELP and TYPE, names are valid,
    values are floats. Returns {name: (type, value)} for unlabelled samples."""
    types = {}
    helps = set()
    values = {}
    assert text.endswith("\n"), "the exposition must end with a newline"
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name = line.split(" ", 3)[2]
            assert METRIC_NAME.match(name), name
            helps.add(name)
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "untyped"), line
            assert name not in types, f"TYPE given twice for {name}"
            types[name] = kind
        else:
            match = SAMPLE_LINE.match(line)
            assert match, f"not a sample line: {line!r}"
            name, labels, value = match.groups()
            assert name in types and name in helps, f"{name} has no TYPE or HELP before it"
            if types[name] == "counter":
                assert name.endswith("_total"), f"counter {name} must end in _total"
            float(value)
            if labels is None:
                values[name] = (types[name], float(value))
    return values


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


class DashboardTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def run_test(self):
        self.port = get_free_port()
        self.node = self.add_node(["-mine", "-minerthreads=1", f"-dashboard=127.0.0.1:{self.port}"])
        self.node.start()
        wait_until(lambda: self.node.getblockcount() >= 2, timeout=60, what="the miner's first blocks")
        self.subtest("/metrics is Prometheus text and its counters grow", self.test_metrics)
        self.subtest("the JSON endpoints and the embedded files", self.test_json_and_files)
        self.subtest("the listener refuses bodies, methods, hosts and oversized heads", self.test_refusals)
        self.subtest("one connection more than MAX_DASHBOARD_CONNECTIONS is closed", self.test_connection_limit)
        self.subtest("addresses that are not loopback are refused at startup", self.test_startup_refusals)
        self.subtest("headless Chromium draws the page and its figures change", self.test_browser)

    # --- helpers ---------------------------------------------------------
    def get(self, path, method="GET", headers=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            reply = conn.getresponse()
            return reply.status, reply.getheader("Content-Type"), reply.read()
        finally:
            conn.close()

    def metrics(self):
        status, content_type, body = self.get("/metrics")
        assert_equal(status, 200)
        assert_equal(content_type, METRICS_CONTENT_TYPE)
        return parse_metrics(body.decode())

    # --- subtests --------------------------------------------------------
    def test_metrics(self):
        first = self.metrics()
        for name, kind in REQUIRED_METRICS.items():
            assert_in(name, first)
            assert_equal(first[name][0], kind)
        assert_equal(first["hpips_miner_running"][1], 1.0)
        assert 0.0 <= first["hpips_verification_progress"][1] <= 1.0
        # The figures agree with the RPC interface.
        assert_greater_than_or_equal(self.node.getblockcount(), first["hpips_blocks"][1])

        def grown():
            now = self.metrics()
            return all(now[n][1] > first[n][1] for n in ("hpips_miner_units_total", "hpips_miner_macs_total",
                                                           "hpips_miner_tickets_total", "hpips_blocks"))
        wait_until(grown, timeout=60, interval=0.5, what="the miner's counters to grow")
        second = self.metrics()
        for name, (kind, value) in second.items():
            if kind == "counter":
                assert_greater_than_or_equal(value, first[name][1])
        assert_greater_than_or_equal(second["hpips_miner_blocks_found_total"][1], 1)
        self.log(f"  units {first['hpips_miner_units_total'][1]:.0f} -> {second['hpips_miner_units_total'][1]:.0f}, "
                 f"height {first['hpips_blocks'][1]:.0f} -> {second['hpips_blocks'][1]:.0f}")
        # HEAD gives the headers and no body.
        status, content_type, body = self.get("/metrics", method="HEAD")
        assert_equal((status, content_type, body), (200, METRICS_CONTENT_TYPE, b""))

    def test_json_and_files(self):
        status, content_type, body = self.get("/dashboard/api/status")
        assert_equal((status, content_type), (200, "application/json"))
        reply = json.loads(body)
        assert_equal(reply["blockchain"]["chain"], "regtest")
        assert_greater_than_or_equal(reply["blockchain"]["blocks"], 2)
        assert_in("connections", reply["network"])
        assert_in("size", reply["mempool"])
        miner = reply["mining"]["miner"]
        for key in ("running", "backend", "units", "tiles", "macs", "blocks_found"):
            assert_in(key, miner)
        assert_equal(reply["jobs"]["available"], False)
        assert_equal(reply["jobs"]["jobs"], [])

        def history():
            status, _, body = self.get("/dashboard/api/history")
            assert_equal(status, 200)
            return json.loads(body)
        first = history()
        assert_equal(first["fields"][0], "time")
        wait_until(lambda: len(history()["samples"]) > len(first["samples"]), timeout=30, what="a new sample")
        samples = history()["samples"]
        assert all(len(s) == len(first["fields"]) for s in samples)
        times = [s[0] for s in samples]
        assert times == sorted(times)

        for path in ("/", "/dashboard/"):
            status, content_type, body = self.get(path)
            assert_equal((status, content_type), (200, "text/html; charset=utf-8"))
            assert_in(b'id="chart-units"', body)
        status, content_type, body = self.get("/dashboard/static/uPlot.iife.min.js")
        assert_equal((status, content_type), (200, "text/javascript; charset=utf-8"))
        assert body.startswith(b"/*! https://github.com/leeoniya/uPlot (v1.6.32) */")
        # The served copy is the vendored file, byte for byte.
        vendored = os.path.join(os.path.dirname(__file__), "..", "..", "src", "dashboard", "vendor", "uplot",
                                "uPlot.iife.min.js")
        if os.path.exists(vendored):
            with open(vendored, "rb") as f:
                assert_equal(body, f.read())
        assert_equal(self.get("/dashboard/static/nothing.js")[0], 404)
        assert_equal(self.get("/dashboard/static/../../etc/passwd")[0], 404)
        assert_equal(self.get("/wallet/x")[0], 404)

    def test_refusals(self):
        # A body is never read: 413 from the head alone.
        assert_equal(self.get("/metrics", method="POST", body=b"x" * 100)[0], 413)
        assert_equal(self.get("/metrics", method="POST")[0], 405)
        assert_equal(self.get("/metrics", method="DELETE")[0], 405)
        # DNS rebinding: only loopback host names are answered.
        assert_equal(self.get("/metrics", headers={"Host": "attacker.example"})[0], 403)
        assert_equal(self.get("/metrics", headers={"Host": f"localhost:{self.port}"})[0], 200)
        assert_equal(self.get("/metrics", headers={"Host": f"[::1]:{self.port}"})[0], 200)
        # A head of exactly the limit's size is read; one byte more is refused.
        def head_of(size):
            start = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Pad: "
            pad = size - len(start) - 4
            return start + b"a" * pad + b"\r\n\r\n"
        assert_equal(len(head_of(MAX_DASHBOARD_HEADERS_SIZE)), MAX_DASHBOARD_HEADERS_SIZE)
        reply = self.raw(head_of(MAX_DASHBOARD_HEADERS_SIZE))
        assert reply.startswith(b"HTTP/1.1 200"), reply[:80]
        reply = self.raw(head_of(MAX_DASHBOARD_HEADERS_SIZE + 1))
        assert reply.startswith(b"HTTP/1.1 431"), reply[:80]

    def raw(self, data):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(data)
            chunks = []
            while True:
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, TimeoutError):
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)

    def test_connection_limit(self):
        # Idle connections that sent nothing hold every slot...
        held = [socket.create_connection(("127.0.0.1", self.port), timeout=10) for _ in range(MAX_DASHBOARD_CONNECTIONS)]
        try:
            # ...so the server has accepted them; wait until it has (the accept is asynchronous).
            time.sleep(0.5)
            extra = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            with extra:
                extra.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                try:
                    data = extra.recv(100)
                except ConnectionResetError:
                    data = b""
                assert_equal(data, b"")
        finally:
            for s in held:
                s.close()
        # Freed slots serve again. The server learns of the closes
        # asynchronously: until it has, a new connection is still one too
        # many and is closed, which is an answer of "not yet", not a failure.
        def served():
            try:
                return self.get("/metrics")[0] == 200
            except (ConnectionError, http.client.RemoteDisconnected):
                return False
        wait_until(served, timeout=10, what="a slot to free")

    def test_startup_refusals(self):
        node = self.add_node()
        for value, message in (
            ("0.0.0.0:1", "-dashboard must bind a loopback address"),
            (f"192.0.2.1:{self.port}", "-dashboard must bind a loopback address"),
            ("1", "Invalid -dashboard address '1'"),
            ("127.0.0.1", "Invalid -dashboard address '127.0.0.1'"),
            ("127.0.0.1:notaport", "Invalid -dashboard address"),
        ):
            node.assert_start_raises_init_error([f"-dashboard={value}"], message)
        node.assert_start_raises_init_error(["-server=0", "-dashboard=127.0.0.1:1"],
                                            "-dashboard needs the RPC server")
        # Off by default and with -dashboard=0: the node starts.
        node.start(["-dashboard=0"])
        node.stop()

    # --- the browser -----------------------------------------------------
    def chromium(self, *args):
        profile = os.path.join(self.tmpdir, "chromium-profile")
        command = [self.browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-extensions", f"--user-data-dir={profile}", *args]
        result = subprocess.run(command, capture_output=True, timeout=BROWSER_TIMEOUT, check=False)
        assert_equal(result.returncode, 0)
        return result.stdout.decode(errors="replace")

    def load_page(self):
        """The page's DOM after 6 s of virtual time (three polls)."""
        dom = self.chromium("--virtual-time-budget=6000", "--dump-dom", f"http://127.0.0.1:{self.port}/")
        body = re.search(r'<body data-polls="(\d+)" data-charts="(\d+)"', dom)
        assert body, dom[:500]
        figures = {}
        for element in ("height", "headers", "sync-progress", "peers", "mempool-tx", "units-rate", "blocks-found"):
            match = re.search(rf'id="{element}">([^<]*)<', dom)
            assert match, f"no #{element} in the page"
            figures[element] = match.group(1)
        device = re.search(r'class="device"><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>', dom)
        assert device, "no miner device row"
        figures["device-units"] = device.group(1)
        return dom, int(body.group(1)), int(body.group(2)), figures

    def test_browser(self):
        self.browser = next((shutil.which(n) for n in CHROMIUM_NAMES if shutil.which(n)), None)
        if self.browser is None:
            self.log("  SKIPPED: no chromium binary (contrib/install-deps.sh installs the Debian package)")
            return
        dom, polls, charts, first = self.load_page()
        assert_greater_than_or_equal(polls, 2)
        assert_equal(charts, 3)
        assert_equal(dom.count("<canvas"), 3)
        assert_in('class="device"><td>cpu</td><td>mining</td>', dom)
        assert_in("The job market does not exist yet", dom)
        assert_equal(first["sync-progress"], "100.00 %")
        assert re.fullmatch(r"[0-9,]+", first["height"]), first
        assert first["units-rate"] != "–", first
        time.sleep(2)
        _, _, _, second = self.load_page()
        number = lambda text: int(text.replace(",", ""))  # noqa: E731
        # The miner never stops working: its unit count always grows. The
        # height grows too, but regtest blocks can pause while their times
        # catch up with the clock, so it only may not go back.
        assert number(second["device-units"]) > number(first["device-units"]), (first, second)
        assert number(second["height"]) >= number(first["height"]), (first, second)
        self.log(f"  units shown {first['device-units']} then {second['device-units']}; height {first['height']} "
                 f"then {second['height']}; units/s {second['units-rate']}")

        screenshot = os.path.join(self.tmpdir, "dashboard.png")
        self.chromium("--window-size=1280,1200", "--virtual-time-budget=6000", f"--screenshot={screenshot}",
                      f"http://127.0.0.1:{self.port}/")
        assert_greater_than_or_equal(os.path.getsize(screenshot), 10_000)
        assert_equal(png_size(screenshot), (1280, 1200))
        self.log(f"  screenshot: {screenshot} ({os.path.getsize(screenshot)} bytes)")


if __name__ == "__main__":
    raise SystemExit(DashboardTest().main())
