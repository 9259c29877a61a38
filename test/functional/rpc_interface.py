#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""The JSON-RPC interface as Bitcoin Core speaks it: reply shapes of legacy
(1.0/1.1) and 2.0 requests, HTTP status mapping, notifications, batches,
parse and request errors, named parameters, argument type errors, help,
exact numbers, body size limit (413), work queue limit (503), keep-alive,
setmocktime and getrpcinfo."""
import json
import socket
import threading
import time

from test_framework.authproxy import JSONRPCException
from test_framework.test_framework import HpipsTestFramework
from test_framework.test_node import send_raw
from test_framework.util import (
    assert_equal,
    assert_greater_than_or_equal,
    assert_in,
    assert_raises_rpc_error,
    basic_auth,
    http_post,
)

MAX_RPC_REQUEST_SIZE = 16 * 1024 * 1024


class RPCInterfaceTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def post(self, body, **kwargs):
        node = self.nodes[0]
        user, password = node.read_cookie()
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        return http_post(node.rpc_port, body, auth=basic_auth(user, password), **kwargs)

    def post_json(self, body, **kwargs):
        status, headers, data = self.post(body, **kwargs)
        assert_equal(headers.get("content-type"), "application/json")
        assert data.endswith(b"\n"), data
        return status, json.loads(data)

    def run_test(self):
        self.subtest("legacy reply shape", self.test_legacy_shape)
        self.subtest("JSON-RPC 2.0 reply shape", self.test_v2_shape)
        self.subtest("legacy error status mapping", self.test_legacy_errors)
        self.subtest("2.0 errors are HTTP 200", self.test_v2_errors)
        self.subtest("notifications get 204", self.test_notifications)
        self.subtest("batches", self.test_batches)
        self.subtest("parse error", self.test_parse_error)
        self.subtest("invalid requests", self.test_invalid_requests)
        self.subtest("named parameters", self.test_named)
        self.subtest("argument type and count errors", self.test_types)
        self.subtest("help", self.test_help)
        self.subtest("exact numbers", self.test_exact_numbers)
        self.subtest("HTTP method and path", self.test_http_method_path)
        self.subtest("malformed HTTP", self.test_malformed_http)
        self.subtest("keep-alive", self.test_keep_alive)
        self.subtest("large request within the limit", self.test_large_request)
        self.subtest("oversized request gets 413", self.test_oversized)
        self.subtest("setmocktime and uptime", self.test_setmocktime)
        self.subtest("getrpcinfo", self.test_getrpcinfo)
        self.subtest("wallet endpoint", self.test_wallet_endpoint)
        self.subtest("work queue depth exceeded gets 503", self.test_work_queue)

    def test_legacy_shape(self):
        status, reply = self.post_json({"jsonrpc": "1.0", "id": "a", "method": "uptime", "params": []})
        assert_equal(status, 200)
        assert_equal(sorted(reply.keys()), ["error", "id", "result"])
        assert_equal(reply["error"], None)
        assert_equal(reply["id"], "a")
        assert isinstance(reply["result"], int)
        # No "jsonrpc" member at all, and no id: still legacy, with "id": null.
        status, reply = self.post_json({"method": "echo", "params": ["x"]})
        assert_equal(status, 200)
        assert_equal(reply, {"result": ["x"], "error": None, "id": None})

    def test_v2_shape(self):
        status, reply = self.post_json({"jsonrpc": "2.0", "id": 7, "method": "echo", "params": [1, "b"]})
        assert_equal(status, 200)
        assert_equal(reply, {"jsonrpc": "2.0", "result": [1, "b"], "id": 7})
        node = self.nodes[0]
        assert isinstance(node.uptime(), int)

    def test_legacy_errors(self):
        status, reply = self.post_json({"id": 1, "method": "nosuchmethod", "params": []})
        assert_equal(status, 404)
        assert_equal(reply["result"], None)
        assert_equal(reply["error"], {"code": -32601, "message": "Method not found"})
        status, reply = self.post_json({"id": 1, "method": "setmocktime", "params": ["x"]})
        assert_equal(status, 500)
        assert_equal(reply["error"]["code"], -3)
        status, reply = self.post_json({"id": 1, "params": []})
        assert_equal(status, 400)
        assert_equal(reply["error"], {"code": -32600, "message": "Missing method"})

    def test_v2_errors(self):
        status, reply = self.post_json({"jsonrpc": "2.0", "id": 2, "method": "nosuchmethod"})
        assert_equal(status, 200)
        assert_equal(reply, {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": 2})
        assert "result" not in reply
        status, reply = self.post_json({"jsonrpc": "2.0", "id": 3, "method": "setmocktime", "params": ["x"]})
        assert_equal(status, 200)
        assert_equal(reply["error"]["code"], -3)
        assert_raises_rpc_error(-32601, "Method not found", self.nodes[0].rpc.nosuchmethod)

    def test_notifications(self):
        status, headers, data = self.post({"jsonrpc": "2.0", "method": "echo", "params": [1]})
        assert_equal(status, 204)
        assert_equal(data, b"")
        # Even a failing notification gets no reply.
        status, _, data = self.post({"jsonrpc": "2.0", "method": "nosuchmethod"})
        assert_equal(status, 204)
        assert_equal(data, b"")
        # A batch of notifications only: 204 too.
        status, _, data = self.post([{"jsonrpc": "2.0", "method": "echo"}, {"jsonrpc": "2.0", "method": "uptime"}])
        assert_equal(status, 204)
        assert_equal(data, b"")
        # A legacy request without id is not a notification.
        status, reply = self.post_json({"method": "echo", "params": []})
        assert_equal(status, 200)
        assert_equal(reply["id"], None)

    def test_batches(self):
        batch = [
            {"jsonrpc": "2.0", "id": 1, "method": "echo", "params": ["a"]},
            {"jsonrpc": "2.0", "method": "echo", "params": ["notification"]},
            {"jsonrpc": "2.0", "id": 2, "method": "nosuchmethod"},
            {"id": 3, "method": "echo", "params": ["legacy"]},
            42,
            {"jsonrpc": "2.0", "id": 4, "method": "setmocktime", "params": ["x"]},
        ]
        status, reply = self.post_json(batch)
        assert_equal(status, 200)
        assert_equal(len(reply), 5)
        assert_equal(reply[0], {"jsonrpc": "2.0", "result": ["a"], "id": 1})
        assert_equal(reply[1], {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": 2})
        assert_equal(reply[2], {"result": ["legacy"], "error": None, "id": 3})
        assert_equal(reply[3]["error"]["code"], -32600)
        assert_equal(reply[3]["id"], None)
        assert_equal(reply[4]["error"]["code"], -3)
        # Legacy errors inside a batch do not change the HTTP status.
        status, reply = self.post_json([{"id": 1, "method": "nosuchmethod"}])
        assert_equal(status, 200)
        assert_equal(reply[0]["error"]["code"], -32601)
        # An empty batch answers an empty array, as Core does.
        status, reply = self.post_json([])
        assert_equal(status, 200)
        assert_equal(reply, [])
        # Through the proxy.
        replies = self.nodes[0].rpc.batch([{"jsonrpc": "2.0", "id": i, "method": "echo", "params": [i]}
                                           for i in range(10)])
        assert_equal([r["result"] for r in replies], [[i] for i in range(10)])

    def test_parse_error(self):
        for body in ["{", "{\"method\": \"echo\",}", "nonsense", "", "[1,2", "{\"a\":1} extra", "\xff"]:
            status, reply = self.post_json(body.encode("latin-1"))
            assert_equal(status, 500)
            assert_equal(reply, {"result": None, "error": {"code": -32700, "message": "Parse error"}, "id": None})
        # Nesting deeper than the limit is a parse error, not a crash.
        status, reply = self.post_json("[" * 100000 + "]" * 100000)
        assert_equal(reply["error"]["code"], -32700)
        assert isinstance(self.nodes[0].uptime(), int)

    def test_invalid_requests(self):
        for body, message in [
            (42, "Invalid Request object"),
            (json.dumps("x"), "Invalid Request object"),
            ({"method": 5}, "Method must be a string"),
            ({"method": "echo", "params": 5}, "Params must be an array or object"),
            ({"jsonrpc": "3.0", "method": "echo"}, "JSON-RPC version not supported"),
            ({"jsonrpc": 2, "method": "echo"}, "jsonrpc field must be a string"),
        ]:
            status, reply = self.post_json(body)
            assert_equal(status, 400)
            assert_equal(reply["error"], {"code": -32600, "message": message})

    def test_named(self):
        node = self.nodes[0]
        assert_equal(node.echo(arg0="a", arg2=3), ["a", None, 3])
        assert_equal(node.echo(), [])
        assert_raises_rpc_error(-8, "Unknown named parameter nosuch", node.rpc.echo, nosuch=1)
        assert "uptime" in node.help(command="uptime")
        # "args" carries positional values mixed with named ones.
        status, reply = self.post_json({"jsonrpc": "2.0", "id": 1, "method": "echo",
                                        "params": {"args": [1, 2], "arg3": 4}})
        assert_equal(reply["result"], [1, 2, None, 4])
        status, reply = self.post_json({"jsonrpc": "2.0", "id": 1, "method": "echo",
                                        "params": {"args": [1, 2], "arg1": 4}})
        assert_equal(reply["error"]["code"], -8)
        assert_in("specified twice", reply["error"]["message"])

    def test_types(self):
        node = self.nodes[0]
        e = assert_raises_rpc_error(-3, "JSON value of type string is not of expected type number",
                                    node.rpc.setmocktime, "1")
        assert_in("Position 1 (timestamp)", e.message)
        assert_raises_rpc_error(-3, "JSON value of type bool is not of expected type number",
                                node.rpc.setmocktime, True)
        assert_raises_rpc_error(-3, "JSON value of type number is not of expected type string",
                                node.rpc.help, 5)
        # A missing optional argument and null mean the same.
        assert_equal(node.help(None), node.help())
        # Wrong count: the method's help comes back as a -1 error.
        e = assert_raises_rpc_error(-1, "setmocktime timestamp", node.rpc.setmocktime)
        assert_raises_rpc_error(-1, "uptime", node.rpc.uptime, 1)
        # A required argument given as null is a type error.
        assert_raises_rpc_error(-3, "JSON value of type null is not of expected type number",
                                node.rpc.setmocktime, None)
        # Integers only where an integer is meant.
        assert_raises_rpc_error(-3, "JSON integer out of range", node.rpc.setmocktime, 1.5)

    def test_help(self):
        node = self.nodes[0]
        text = node.help()
        # Categories in Core's order: the chain's come before Control.
        assert text.startswith("== Blockchain ==\n"), text
        assert_in("\n== Control ==\n", text)
        for method in ("getrpcinfo", "help ( \"command\" )", "stop", "uptime"):
            assert_in(method + "\n" if method != "uptime" else method, text)
        assert "echo" not in text  # hidden
        assert_equal(node.help("nosuch"), "help: unknown command: nosuch")
        detail = node.help("help")
        assert detail.startswith("help ( \"command\" )\n\nList all commands"), detail
        assert_in("Arguments:\n1. command    (string, optional, default=all commands)", detail)
        assert_in("Result:", detail)
        assert_in("Examples:\n> hpips-cli help", detail)
        assert_in("setmocktime timestamp", node.help("setmocktime"))

    def test_exact_numbers(self):
        body = '{"jsonrpc":"2.0","id":1,"method":"echo","params":[1.10,0.00000001,1e400,-0.0,123456789012345678901234567890,21000000.00000000]}'
        status, headers, data = self.post(body)
        assert_equal(status, 200)
        assert_equal(data, b'{"jsonrpc":"2.0","result":[1.10,0.00000001,1e400,-0.0,123456789012345678901234567890,'
                           b'21000000.00000000],"id":1}\n')
        status, headers, data = self.post('{"jsonrpc":"2.0","id":1,"method":"echo","params":["\\u00e9\\n\\"",{"k":[]}]}')
        assert_equal(data, '{"jsonrpc":"2.0","result":["é\\n\\"",{"k":[]}],"id":1}\n'.encode("utf-8"))

    def test_http_method_path(self):
        node = self.nodes[0]
        user, password = node.read_cookie()
        for method in ("GET", "PUT", "HEAD", "DELETE"):
            status, headers, data = http_post(node.rpc_port, b"", auth=basic_auth(user, password), method=method)
            assert_equal(status, 405)
            if method != "HEAD":
                assert_equal(data, b"JSONRPC server handles only POST requests")
        status, _, _ = http_post(node.rpc_port, b"{}", auth=basic_auth(user, password), path="/nosuchpath")
        assert_equal(status, 404)

    def test_malformed_http(self):
        node = self.nodes[0]
        reply = send_raw(node.rpc_port, b"THIS IS NOT HTTP\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 400"), reply
        reply = send_raw(node.rpc_port, b"POST / HTTP/1.1\r\nContent-Length: nonsense\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 400"), reply
        # Headers beyond the limit.
        reply = send_raw(node.rpc_port, b"POST / HTTP/1.1\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 400"), reply[:100]
        # A client that connects and goes away.
        s = socket.create_connection(("127.0.0.1", node.rpc_port))
        s.sendall(b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
        s.close()
        assert isinstance(node.uptime(), int)

    def test_keep_alive(self):
        node = self.nodes[0]
        proxy = node.make_proxy(*node.read_cookie())
        for i in range(5):
            assert_equal(proxy.echo(i), [i])
        sock = proxy._conn.sock
        assert sock is not None
        assert_equal(proxy.echo("again"), ["again"])
        assert proxy._conn.sock is sock, "the connection was not kept alive"
        proxy.close()

    def test_large_request(self):
        # A 4 MB block in hex is 8 MB of text: it must fit.
        big = "ab" * (4 * 1024 * 1024 + 100)
        status, reply = self.post_json({"jsonrpc": "2.0", "id": 1, "method": "echo", "params": [big]})
        assert_equal(status, 200)
        assert_equal(len(reply["result"][0]), len(big))

    def test_oversized(self):
        node = self.nodes[0]
        body = b'{"method":"echo","params":["' + b"a" * (MAX_RPC_REQUEST_SIZE + 1) + b'"]}'
        status, _, _ = self.post(body)
        assert_equal(status, 413)
        assert isinstance(node.uptime(), int)
        # Exactly at the limit is still read (and answered).
        body = b'{"method":"echo","params":["' + b"a" * (MAX_RPC_REQUEST_SIZE - 50) + b'"]}'
        body += b" " * (MAX_RPC_REQUEST_SIZE - len(body))
        status, _, _ = self.post(body)
        assert_equal(status, 200)
        assert isinstance(node.uptime(), int)

    def test_setmocktime(self):
        node = self.nodes[0]
        assert_equal(node.setmocktime(1700000000), None)
        assert_equal(node.setmocktime(0), None)
        assert_raises_rpc_error(-8, "Mocktime must be in the range", node.rpc.setmocktime, -1)
        assert_greater_than_or_equal(node.uptime(), 0)

    def test_getrpcinfo(self):
        node = self.nodes[0]
        info = node.getrpcinfo()
        assert_equal([c["method"] for c in info["active_commands"]], ["getrpcinfo"])
        assert info["active_commands"][0]["duration"] >= 0
        assert_equal(info["logpath"], node.debug_log_path)

    def test_wallet_endpoint(self):
        node = self.nodes[0]
        status, reply = self.post_json({"jsonrpc": "2.0", "id": 1, "method": "echo", "params": [1]},
                                       path="/wallet/my%20wallet")
        assert_equal(status, 200)
        assert_equal(reply["result"], [1])
        status, _, _ = self.post({"jsonrpc": "2.0", "id": 1, "method": "echo"}, path="/wallet/%zz")
        assert_equal(status, 400)

    def test_work_queue(self):
        node = self.nodes[0]
        node.restart(["-rpcworkqueue=1", "-rpcthreads=1"])
        user, password = node.read_cookie()
        auth = basic_auth(user, password)
        # A batch that keeps the only worker busy for a while.
        heavy = json.dumps([{"jsonrpc": "2.0", "id": i, "method": "help", "params": ["help"]}
                            for i in range(60000)])
        statuses = []
        lock = threading.Lock()

        def call(body):
            try:
                status, _, data = http_post(node.rpc_port, body, auth=auth, timeout=120)
            except OSError as e:
                status, data = str(e), b""
            with lock:
                statuses.append((status, data))

        seen = False
        for attempt in range(5):
            statuses.clear()
            threads = [threading.Thread(target=call, args=(heavy,)) for _ in range(3)]
            for t in threads:
                t.start()
                time.sleep(0.05)
            threads += [threading.Thread(target=call, args=('{"method":"uptime"}',)) for _ in range(4)]
            for t in threads[3:]:
                t.start()
            for t in threads:
                t.join()
            rejected = [s for s in statuses if s[0] == 503]
            if rejected:
                assert_equal(rejected[0][1], b"Work queue depth exceeded")
                seen = True
                break
        assert seen, f"no 503 seen: {[s[0] for s in statuses]}"
        assert isinstance(node.uptime(), int)
        node.restart()


if __name__ == "__main__":
    import sys
    sys.exit(RPCInterfaceTest().main())
