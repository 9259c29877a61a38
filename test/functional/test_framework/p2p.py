# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""A P2P test peer (the equivalent of Bitcoin Core's P2PInterface), standard
library only.

P2PInterface connects to a node over loopback (optionally from another
127.x.y.z source address, so a misbehaving test peer can be discouraged
without touching honest ones), performs the version handshake, answers
pings, and records every message it receives. It can send any message, and
any bytes: frames with a wrong magic, a wrong checksum or a header whose
length does not match the payload, built with build_frame().

A peer made with read=False never reads its socket, to test that the node
bounds what it queues for a peer that stops reading.

Message classes exist for every message of doc/p2p.md; msg_generic sends a
raw payload under any command. Received messages of known commands are
decoded into their classes; others arrive as msg_generic.
"""
import hashlib
import random
import socket
import struct
import threading
import time

REGTEST_MAGIC = bytes([0xea, 0x52, 0x48, 0x50])
MAIN_MAGIC = bytes([0xe8, 0x50, 0x49, 0x53])
PROTOCOL_VERSION = 10001
NODE_NETWORK = 1
NODE_BLOBS = 1 << 24
MSG_TX = 1
MSG_BLOCK = 2
MSG_WTX = 5
MSG_BLOB = 0x40
HEADER_SIZE = 24
BLOCK_HEADER_SIZE = 184

# Payload limits (src/net/protocol.h; doc/p2p.md has the table).
MAX_SUBVERSION_LENGTH = 256
MAX_ADDR_TO_SEND = 1000
MAX_LOCATOR_SZ = 101
MAX_HEADERS_RESULTS = 2000
MAX_INV_SZ = 50000
MAX_GETDATA_SZ = 1000
MAX_BLOCK_SIZE = 4_000_000
MAX_TX_SIZE = 4_000_000
MAX_UNKNOWN_PAYLOAD = 1024
MAX_VERSION_PAYLOAD = 4 + 8 + 8 + 26 + 26 + 8 + 3 + 256 + 4 + 1
MAX_ADDR_PAYLOAD = 3 + 1000 * 30
MAX_GETHEADERS_PAYLOAD = 4 + 1 + 101 * 32 + 32
MAX_HEADERS_PAYLOAD = 3 + 2000 * 184
MAX_INV_PAYLOAD = 3 + 50000 * 36
MAX_GETDATA_PAYLOAD = 3 + 1000 * 36
MAX_BLOB_PAYLOAD = 32 + 4 + 4 + 8 + 5 + (1 << 20) + 1 + 8 * 32


def sha256d(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def ser_compact_size(n):
    if n < 0xfd:
        return struct.pack("<B", n)
    if n <= 0xffff:
        return struct.pack("<BH", 0xfd, n)
    if n <= 0xffffffff:
        return struct.pack("<BI", 0xfe, n)
    return struct.pack("<BQ", 0xff, n)


def deser_compact_size(data, pos):
    first = data[pos]
    if first < 0xfd:
        return first, pos + 1
    if first == 0xfd:
        return struct.unpack_from("<H", data, pos + 1)[0], pos + 3
    if first == 0xfe:
        return struct.unpack_from("<I", data, pos + 1)[0], pos + 5
    return struct.unpack_from("<Q", data, pos + 1)[0], pos + 9


def ser_string(b):
    return ser_compact_size(len(b)) + b


def ipv6_bytes(ip):
    """16-byte form of an IPv4 (mapped) or IPv6 address."""
    if ":" in ip:
        return socket.inet_pton(socket.AF_INET6, ip)
    return b"\x00" * 10 + b"\xff\xff" + socket.inet_aton(ip)


def ip_from_bytes(b):
    if b[:12] == b"\x00" * 10 + b"\xff\xff":
        return socket.inet_ntoa(b[12:])
    return socket.inet_ntop(socket.AF_INET6, b)


class CAddress:
    """An address: with time in addr messages, without in version."""

    def __init__(self, ip="0.0.0.0", port=0, services=NODE_NETWORK, time_=0):
        self.ip = ip
        self.port = port
        self.services = services
        self.time = time_

    def serialize(self, with_time=True):
        out = struct.pack("<I", self.time) if with_time else b""
        return out + struct.pack("<Q", self.services) + ipv6_bytes(self.ip) + struct.pack(">H", self.port)

    @classmethod
    def deserialize(cls, data, pos, with_time=True):
        a = cls()
        if with_time:
            a.time = struct.unpack_from("<I", data, pos)[0]
            pos += 4
        a.services = struct.unpack_from("<Q", data, pos)[0]
        a.ip = ip_from_bytes(data[pos + 8:pos + 24])
        a.port = struct.unpack_from(">H", data, pos + 24)[0]
        return a, pos + 26

    def __repr__(self):
        return f"CAddress({self.ip}:{self.port}, time={self.time}, services={self.services})"


class Message:
    command = b""

    def serialize(self):
        return b""

    @classmethod
    def deserialize(cls, payload):
        return cls()

    def __repr__(self):
        return f"msg_{self.command.decode()}()"


class msg_version(Message):
    command = b"version"

    def __init__(self):
        self.version = PROTOCOL_VERSION
        self.services = NODE_NETWORK
        self.time = int(time.time())
        self.addr_recv = CAddress()
        self.addr_from = CAddress(services=0)
        self.nonce = random.getrandbits(64)
        self.user_agent = b"/hpips-test:0.1/"
        self.start_height = 0
        self.relay = 1

    def serialize(self):
        return (struct.pack("<iQq", self.version, self.services, self.time) + self.addr_recv.serialize(False) +
                self.addr_from.serialize(False) + struct.pack("<Q", self.nonce) + ser_string(self.user_agent) +
                struct.pack("<iB", self.start_height, self.relay))

    @classmethod
    def deserialize(cls, payload):
        m = cls()
        m.version, m.services, m.time = struct.unpack_from("<iQq", payload, 0)
        m.addr_recv, pos = CAddress.deserialize(payload, 20, False)
        m.addr_from, pos = CAddress.deserialize(payload, pos, False)
        m.nonce = struct.unpack_from("<Q", payload, pos)[0]
        n, pos = deser_compact_size(payload, pos + 8)
        m.user_agent = payload[pos:pos + n]
        m.start_height, m.relay = struct.unpack_from("<iB", payload, pos + n)
        return m


class msg_verack(Message):
    command = b"verack"


class msg_sendheaders(Message):
    command = b"sendheaders"


class msg_wtxidrelay(Message):
    command = b"wtxidrelay"


class msg_getaddr(Message):
    command = b"getaddr"


class msg_mempool(Message):
    command = b"mempool"


class _msg_nonce(Message):
    def __init__(self, nonce=0):
        self.nonce = nonce

    def serialize(self):
        return struct.pack("<Q", self.nonce)

    @classmethod
    def deserialize(cls, payload):
        return cls(struct.unpack("<Q", payload)[0])

    def __repr__(self):
        return f"msg_{self.command.decode()}(nonce={self.nonce})"


class msg_ping(_msg_nonce):
    command = b"ping"


class msg_pong(_msg_nonce):
    command = b"pong"


class msg_feefilter(Message):
    command = b"feefilter"

    def __init__(self, feerate=0):
        self.feerate = feerate

    def serialize(self):
        return struct.pack("<q", self.feerate)

    @classmethod
    def deserialize(cls, payload):
        return cls(struct.unpack("<q", payload)[0])


class msg_addr(Message):
    command = b"addr"

    def __init__(self, addrs=None):
        self.addrs = list(addrs or [])

    def serialize(self):
        return ser_compact_size(len(self.addrs)) + b"".join(a.serialize() for a in self.addrs)

    @classmethod
    def deserialize(cls, payload):
        n, pos = deser_compact_size(payload, 0)
        m = cls()
        for _ in range(n):
            a, pos = CAddress.deserialize(payload, pos)
            m.addrs.append(a)
        return m

    def __repr__(self):
        return f"msg_addr({len(self.addrs)} addresses)"


class msg_getheaders(Message):
    command = b"getheaders"

    def __init__(self, locator=None, stop=b"\x00" * 32):
        self.version = PROTOCOL_VERSION
        self.locator = list(locator or [])
        self.stop = stop

    def serialize(self):
        return (struct.pack("<i", self.version) + ser_compact_size(len(self.locator)) + b"".join(self.locator) +
                self.stop)


class msg_headers(Message):
    command = b"headers"

    def __init__(self, headers=None):
        self.headers = list(headers or [])  # 184-byte encodings

    def serialize(self):
        return ser_compact_size(len(self.headers)) + b"".join(self.headers)

    @classmethod
    def deserialize(cls, payload):
        n, pos = deser_compact_size(payload, 0)
        return cls([payload[pos + 184 * i:pos + 184 * (i + 1)] for i in range(n)])


class _msg_inv(Message):
    def __init__(self, items=None):
        self.items = list(items or [])  # (type, 32-byte hash)

    def serialize(self):
        return ser_compact_size(len(self.items)) + b"".join(struct.pack("<I", t) + h for t, h in self.items)

    @classmethod
    def deserialize(cls, payload):
        n, pos = deser_compact_size(payload, 0)
        m = cls()
        for _ in range(n):
            m.items.append((struct.unpack_from("<I", payload, pos)[0], payload[pos + 4:pos + 36]))
            pos += 36
        return m


class msg_inv(_msg_inv):
    command = b"inv"


class msg_getdata(_msg_inv):
    command = b"getdata"


class msg_notfound(_msg_inv):
    command = b"notfound"


class msg_tx(Message):
    """A transaction in wire form (raw bytes: the decoding is the node's job)."""
    command = b"tx"

    def __init__(self, raw=b""):
        self.raw = raw

    def serialize(self):
        return self.raw


class msg_block(Message):
    """A block in wire form (raw bytes)."""
    command = b"block"

    def __init__(self, raw=b""):
        self.raw = raw

    def serialize(self):
        return self.raw


class msg_getblob(Message):
    command = b"getblob"

    def __init__(self, blob_id=b"\x00" * 32, first_chunk=0, chunk_count=1):
        self.blob_id = blob_id
        self.first_chunk = first_chunk
        self.chunk_count = chunk_count

    def serialize(self):
        return self.blob_id + struct.pack("<II", self.first_chunk, self.chunk_count)

    @classmethod
    def deserialize(cls, payload):
        first_chunk, chunk_count = struct.unpack_from("<II", payload, 32)
        return cls(payload[:32], first_chunk, chunk_count)


class msg_blob(Message):
    command = b"blob"

    def __init__(self, blob_id=b"\x00" * 32, chunk_index=0, chunk_count=1, blob_size=0, data=b"", proof=None):
        self.blob_id = blob_id
        self.chunk_index = chunk_index
        self.chunk_count = chunk_count
        self.blob_size = blob_size
        self.data = data
        self.proof = list(proof or [])

    def serialize(self):
        return (self.blob_id + struct.pack("<IIQ", self.chunk_index, self.chunk_count, self.blob_size) +
                ser_string(self.data) + ser_compact_size(len(self.proof)) + b"".join(self.proof))

    @classmethod
    def deserialize(cls, payload):
        chunk_index, chunk_count, blob_size = struct.unpack_from("<IIQ", payload, 32)
        length, pos = deser_compact_size(payload, 48)
        data = payload[pos:pos + length]
        n, pos = deser_compact_size(payload, pos + length)
        proof = [payload[pos + 32 * i:pos + 32 * (i + 1)] for i in range(n)]
        return cls(payload[:32], chunk_index, chunk_count, blob_size, data, proof)

    def __repr__(self):
        return f"msg_blob(chunk {self.chunk_index}/{self.chunk_count}, {len(self.data)} bytes)"


class msg_generic(Message):
    """Any command with any payload."""

    def __init__(self, command, payload=b""):
        self.command = command if isinstance(command, bytes) else command.encode()
        self.payload = payload

    def serialize(self):
        return self.payload

    def __repr__(self):
        return f"msg_generic({self.command!r}, {len(self.payload)} bytes)"


MESSAGE_CLASSES = {cls.command: cls for cls in (
    msg_version, msg_verack, msg_ping, msg_pong, msg_sendheaders, msg_feefilter, msg_wtxidrelay, msg_addr,
    msg_getaddr, msg_inv, msg_getdata, msg_notfound, msg_mempool, msg_headers, msg_getblob, msg_blob)}


def build_frame(command, payload, magic=REGTEST_MAGIC, checksum=None, length=None):
    """A frame with optional wrong fields: any checksum, any announced length."""
    if isinstance(command, str):
        command = command.encode()
    if checksum is None:
        checksum = sha256d(payload)[:4]
    if length is None:
        length = len(payload)
    return magic + command.ljust(12, b"\x00")[:12] + struct.pack("<I", length) + checksum + payload


def block_header(prev=b"\x00" * 32, nonce=0):
    """A syntactically valid 184-byte header (it would fail every check)."""
    return (struct.pack("<i", 1) + prev + b"\x11" * 32 + struct.pack("<II", 1_800_000_000, 0x207fffff) +
            b"\x22" * 32 + struct.pack("<Q", nonce) + b"\x33" * 32 + struct.pack("<I", 0) + b"\x44" * 32)


class P2PInterface:
    """A test peer connected to a node (see the module docstring)."""

    def __init__(self, magic=REGTEST_MAGIC, read=True, answer_pings=True):
        self.magic = magic
        self.read = read
        self.answer_pings = answer_pings
        self.sock = None
        self.received = []
        self.message_count = {}
        self.last_message = {}
        self.lock = threading.Lock()
        # The reader thread answers pings while the test sends: one frame at a time.
        self.send_lock = threading.Lock()
        self.closed = threading.Event()
        self.reader = None
        self.recv_buffer = b""
        self.bytes_sent = 0

    # --- connection ------------------------------------------------------
    def connect(self, port, host="127.0.0.1", source_ip=None, timeout=10):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        if source_ip is not None:
            sock.bind((source_ip, 0))
        sock.settimeout(timeout)
        sock.connect((host, port))
        # A peer that never reads may find the node stops reading too: its
        # sends then fail after a while instead of hanging the test.
        sock.settimeout(None if self.read else 30)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = sock
        if self.read:
            self.reader = threading.Thread(target=self._read_loop, daemon=True)
            self.reader.start()
        return self

    def close(self):
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
        self.closed.set()

    def is_connected(self):
        """False once the node closed the connection (read=True peers)."""
        return not self.closed.is_set()

    def _read_loop(self):
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                self.recv_buffer += data
                self._parse()
        except OSError:
            pass
        self.closed.set()

    def _parse(self):
        while len(self.recv_buffer) >= HEADER_SIZE:
            header = self.recv_buffer[:HEADER_SIZE]
            length = struct.unpack_from("<I", header, 16)[0]
            if len(self.recv_buffer) < HEADER_SIZE + length:
                return
            payload = self.recv_buffer[HEADER_SIZE:HEADER_SIZE + length]
            self.recv_buffer = self.recv_buffer[HEADER_SIZE + length:]
            assert header[:4] == self.magic, "node sent a wrong magic"
            assert header[20:24] == sha256d(payload)[:4], "node sent a wrong checksum"
            command = header[4:16].rstrip(b"\x00")
            cls = MESSAGE_CLASSES.get(command)
            message = cls.deserialize(payload) if cls else msg_generic(command, payload)
            with self.lock:
                self.received.append(message)
                self.message_count[command] = self.message_count.get(command, 0) + 1
                self.last_message[command] = message
            if command == b"ping" and self.answer_pings:
                self.send_message(msg_pong(message.nonce))

    # --- sending ---------------------------------------------------------
    def send_raw(self, data):
        with self.send_lock:
            self.sock.sendall(data)
            self.bytes_sent += len(data)

    def send_message(self, message, magic=None):
        self.send_raw(build_frame(message.command, message.serialize(), magic or self.magic))

    def try_send_raw(self, data):
        """Sends, returning False instead of raising if the node closed the connection."""
        try:
            self.send_raw(data)
            return True
        except OSError:
            return False

    # --- waiting ---------------------------------------------------------
    def wait_until(self, predicate, timeout=60, what="condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if predicate():
                    return
            time.sleep(0.02)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}")

    def wait_for_message(self, command, timeout=60):
        command = command.encode() if isinstance(command, str) else command
        self.wait_until(lambda: command in self.last_message, timeout, f"message {command!r}")
        with self.lock:
            return self.last_message[command]

    def wait_for_disconnect(self, timeout=60):
        if not self.closed.wait(timeout):
            raise AssertionError(f"the node did not disconnect within {timeout}s")

    def count(self, command):
        command = command.encode() if isinstance(command, str) else command
        with self.lock:
            return self.message_count.get(command, 0)

    def handshake(self, version=None, send_verack=True, timeout=60):
        """Sends version (a default one if None), waits for the node's version
        and verack, and answers verack."""
        self.send_message(version or msg_version())
        self.wait_for_message("version", timeout)
        self.wait_for_message("verack", timeout)
        if send_verack:
            self.send_message(msg_verack())
        return self

    def sync_with_ping(self, timeout=60):
        """A ping round trip: everything sent before it has been processed."""
        nonce = random.getrandbits(63) + 1
        self.send_message(msg_ping(nonce))
        self.wait_until(lambda: any(isinstance(m, msg_pong) and m.nonce == nonce for m in self.received), timeout,
                        f"pong {nonce}")


def connect_peer(node, source_ip=None, read=True, handshake=True, answer_pings=True):
    """A P2PInterface connected to a TestNode's P2P port (and handshaken)."""
    peer = P2PInterface(read=read, answer_pings=answer_pings).connect(node.p2p_port, source_ip=source_ip)
    if handshake:
        peer.handshake()
    return peer
