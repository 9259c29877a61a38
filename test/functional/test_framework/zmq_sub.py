# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""A minimal ZeroMQ SUB client (ZMTP 3.0, NULL security) in the standard
library, for tests of the node's -zmqpub* notifications (doc/zmq.md).

The wire protocol (ZMTP 3.0, https://rfc.zeromq.org/spec/23/):
  - each side sends a 64-byte greeting: signature FF 00*8 7F, version 3.0,
    the mechanism "NULL" padded to 20 bytes, as-server 0, 31 zero bytes;
  - each side sends a READY command whose metadata names its socket type;
  - a subscription is a message of one frame: 0x01 then the topic prefix;
  - every frame is flags (bit 0 MORE, bit 1 LONG size, bit 2 COMMAND), a
    size (1 byte, or 8 bytes big-endian when LONG) and the body.
A node's message is three frames: topic, body, 4-byte little-endian sequence.
"""
import socket
import struct

SIGNATURE = b"\xff" + b"\x00" * 8 + b"\x7f"
GREETING = SIGNATURE + bytes([3, 0]) + b"NULL".ljust(20, b"\x00") + b"\x00" + b"\x00" * 31
FLAG_MORE = 0x01
FLAG_LONG = 0x02
FLAG_COMMAND = 0x04
# The largest frame this client accepts: a serialized block is far smaller,
# and a corrupt size must not make the test allocate gigabytes.
MAX_FRAME_SIZE = 64 * 1024 * 1024


class ZmqProtocolError(Exception):
    pass


def encode_frame(body, more=False, command=False):
    flags = (FLAG_MORE if more else 0) | (FLAG_COMMAND if command else 0)
    if len(body) > 255:
        return bytes([flags | FLAG_LONG]) + struct.pack(">Q", len(body)) + body
    return bytes([flags, len(body)]) + body


def ready_command(socket_type):
    """The NULL mechanism's READY command with the Socket-Type property."""
    name = b"Socket-Type"
    value = socket_type.encode("ascii")
    body = bytes([5]) + b"READY" + bytes([len(name)]) + name + struct.pack(">I", len(value)) + value
    return encode_frame(body, command=True)


def parse_properties(data):
    """The metadata of a READY command: {name: value}."""
    props = {}
    pos = 0
    while pos < len(data):
        name_len = data[pos]
        name = data[pos + 1:pos + 1 + name_len].decode("ascii")
        pos += 1 + name_len
        (value_len,) = struct.unpack(">I", data[pos:pos + 4])
        props[name] = data[pos + 4:pos + 4 + value_len]
        pos += 4 + value_len
    return props


def connect_address(address, timeout):
    """A connected stream socket for tcp://host:port or ipc://path."""
    if address.startswith("tcp://"):
        host, _, port = address[len("tcp://"):].rpartition(":")
        return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
    if address.startswith("ipc://"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address[len("ipc://"):])
        return sock
    raise ValueError(f"unsupported address {address}")


class ZmqSubscriber:
    """Connects to a PUB socket and subscribes to `topics` (byte strings or
    str; b"" for everything). receive() returns (topic, body, sequence)."""

    def __init__(self, address, topics, timeout=60):
        self.address = address
        self.sock = connect_address(address, timeout)
        self.buffer = b""
        # Frames of a message whose last frame has not arrived yet.
        self.pending = []
        self.sock.sendall(GREETING)
        greeting = self._read_exact(64)
        if greeting[:1] != b"\xff" or greeting[9:10] != b"\x7f":
            raise ZmqProtocolError(f"not a ZMTP greeting: {greeting.hex()}")
        if greeting[10] < 3:
            raise ZmqProtocolError(f"ZMTP version {greeting[10]} is too old")
        if greeting[12:32].rstrip(b"\x00") != b"NULL":
            raise ZmqProtocolError(f"unexpected mechanism {greeting[12:32]!r}")
        self.sock.sendall(ready_command("SUB"))
        flags, body = self._read_frame()
        if not flags & FLAG_COMMAND or body[:6] != b"\x05READY":
            raise ZmqProtocolError(f"expected READY, got {body[:16]!r}")
        self.peer_properties = parse_properties(body[6:])
        if self.peer_properties.get("Socket-Type") not in (b"PUB", b"XPUB"):
            raise ZmqProtocolError(f"peer is not a publisher: {self.peer_properties}")
        for topic in topics:
            self.subscribe(topic)

    def subscribe(self, topic):
        if isinstance(topic, str):
            topic = topic.encode("ascii")
        self.sock.sendall(encode_frame(b"\x01" + topic))

    def settimeout(self, timeout):
        self.sock.settimeout(timeout)

    def _fill(self, n):
        """Reads until the buffer holds n bytes. A timeout leaves what was
        read in the buffer, so no frame is ever cut."""
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ZmqProtocolError("connection closed")
            self.buffer += chunk

    def _read_exact(self, n):
        self._fill(n)
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _read_frame(self):
        self._fill(2)
        flags = self.buffer[0]
        if flags & FLAG_LONG:
            self._fill(9)
            (size,) = struct.unpack(">Q", self.buffer[1:9])
            header = 9
        else:
            size = self.buffer[1]
            header = 2
        if size > MAX_FRAME_SIZE:
            raise ZmqProtocolError(f"frame of {size} bytes")
        self._fill(header + size)
        body = self.buffer[header:header + size]
        self.buffer = self.buffer[header + size:]
        return flags, body

    def receive_frames(self):
        """The next message's frames (commands such as PING are skipped).
        Raises socket.timeout when nothing arrives in time."""
        while True:
            flags, body = self._read_frame()
            if flags & FLAG_COMMAND:
                continue
            self.pending.append(body)
            if not flags & FLAG_MORE:
                frames, self.pending = self.pending, []
                return frames

    def receive(self):
        """(topic as str, body bytes, sequence int) of the next message."""
        frames = self.receive_frames()
        if len(frames) != 3 or len(frames[2]) != 4:
            raise ZmqProtocolError(f"expected topic, body and 4-byte sequence, got {frames!r}")
        return frames[0].decode("ascii"), frames[1], struct.unpack("<I", frames[2])[0]

    def close(self):
        self.sock.close()
