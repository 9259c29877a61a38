# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""A JSON-RPC client for tests: node.rpc.getblockcount() style calls.

Numbers with a fraction come back as decimal.Decimal, so amounts are exact,
as in Bitcoin Core's test framework.
"""
import base64
import decimal
import http.client
import json
import re
import urllib.parse

HTTP_TIMEOUT = 60


class JSONRPCException(Exception):
    """An error reply: .error is the JSON-RPC error object, .code and .message its members."""

    def __init__(self, rpc_error, http_status=None):
        try:
            errmsg = "%(message)s (%(code)i)" % rpc_error
        except (KeyError, TypeError):
            errmsg = ""
        super().__init__(errmsg)
        self.error = rpc_error
        self.code = rpc_error.get("code") if isinstance(rpc_error, dict) else None
        self.message = rpc_error.get("message") if isinstance(rpc_error, dict) else None
        self.http_status = http_status


_DECIMAL_MARK = "\u0001decimal:"


def dumps(obj):
    """JSON text where decimal.Decimal values keep their exact digits."""
    def convert(o):
        if isinstance(o, decimal.Decimal):
            return _DECIMAL_MARK + str(o)
        if isinstance(o, dict):
            return {k: convert(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [convert(v) for v in o]
        return o

    text = json.dumps(convert(obj), allow_nan=False)
    return re.sub(r'"\\u0001decimal:([-+0-9.eE]+)"', r"\1", text)


class AuthServiceProxy:
    """Calls methods on a node over one keep-alive HTTP connection.

    proxy.method(*args) sends positional parameters, proxy.method(**kwargs)
    named ones. version selects the reply shape ("2.0" or "1.1").
    """

    def __init__(self, url, service_name=None, timeout=HTTP_TIMEOUT, version="2.0", connection=None):
        self._url = url
        self._service_name = service_name
        self._timeout = timeout
        self._version = version
        self._id_count = 0
        self._parsed = urllib.parse.urlparse(url)
        user = urllib.parse.unquote(self._parsed.username or "")
        password = urllib.parse.unquote(self._parsed.password or "")
        self._auth_header = b"Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8"))
        self._conn = connection

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if self._service_name is not None:
            name = f"{self._service_name}.{name}"
        return AuthServiceProxy(self._url, name, self._timeout, self._version, self._connection())

    def _connection(self):
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self._parsed.hostname, self._parsed.port, timeout=self._timeout)
        return self._conn

    @property
    def path(self):
        return self._parsed.path or "/"

    def _request(self, body, headers=None):
        all_headers = {"Host": self._parsed.hostname, "Authorization": self._auth_header,
                       "Content-type": "application/json"}
        all_headers.update(headers or {})
        for attempt in range(2):
            conn = self._connection()
            try:
                conn.request("POST", self.path, body, all_headers)
                return conn.getresponse()
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected,
                    http.client.CannotSendRequest):
                # The server closed an idle keep-alive connection: reconnect once.
                conn.close()
                self._conn = None
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def get_request(self, *args, **kwargs):
        if args and kwargs:
            raise ValueError("use positional or named parameters, not both")
        self._id_count += 1
        request = {"method": self._service_name, "params": list(args) if not kwargs else kwargs,
                   "id": self._id_count}
        if self._version == "2.0":
            request["jsonrpc"] = "2.0"
        else:
            request["version"] = self._version
        return request

    def __call__(self, *args, **kwargs):
        request = self.get_request(*args, **kwargs)
        response, status = self._send(dumps(request).encode("utf-8"))
        if response.get("error") is not None:
            raise JSONRPCException(response["error"], status)
        if "result" not in response:
            raise JSONRPCException({"code": -343, "message": "missing JSON-RPC result"}, status)
        return response["result"]

    def batch(self, requests):
        response, _ = self._send(dumps(list(requests)).encode("utf-8"))
        return response

    def _send(self, body):
        resp = self._request(body)
        data = resp.read()
        if resp.status == 401:
            raise JSONRPCException({"code": -342, "message": "authorization failed (HTTP 401)"}, 401)
        content_type = resp.getheader("Content-Type")
        if content_type != "application/json":
            raise JSONRPCException({"code": -342,
                                    "message": f"non-JSON HTTP response with '{resp.status} {resp.reason}' "
                                               f"from server: {data[:200]!r}"}, resp.status)
        return json.loads(data.decode("utf-8"), parse_float=decimal.Decimal), resp.status

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None
