#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Writes the seed corpus of the p2p_message_handler fuzz target
(test/fuzz/corpus/p2p_message_handler/). The input format is described at the
top of test/fuzz/p2p_message_handler.cpp; the selectors below must match it.

Usage: contrib/gen-p2p-message-handler-corpus.py [output dir]
"""
import os
import random
import struct
import sys

# Command selectors: the index in COMMANDS of p2p_message_handler.cpp.
VERSION, VERACK, PING, PONG, SENDHEADERS, FEEFILTER, WTXIDRELAY, ADDR, GETADDR, GETHEADERS, HEADERS, INV, \
    GETDATA, NOTFOUND, TX, BLOCK, GETBLOB, BLOB, MEMPOOL = range(19)
KNOWN_GETHEADERS, KNOWN_HEADERS, KNOWN_INV, KNOWN_GETDATA, KNOWN_NOTFOUND, KNOWN_BLOCK = range(0xf0, 0xf6)
RAW_COMMAND, RAW_BYTES = 0xfe, 0xff
FLAG_NOBAN, FLAG_NO_HANDSHAKE = 1, 2
# The mined blocks: genesis (0), connected 1..4, spare (not given to the node) 5..6.
SPARE = 5
PROTOCOL_VERSION = 10001
REGTEST_MAGIC = bytes([0xea, 0x52, 0x48, 0x50])


def command(selector, payload=b""):
    return bytes([selector]) + struct.pack("<I", len(payload))[:3] + payload


def known(selector, *args, offset=0, patch=b""):
    return bytes([selector, *args]) + struct.pack("<H", offset) + bytes([len(patch)]) + patch


def raw_command(field, payload=b""):
    return bytes([RAW_COMMAND]) + field.ljust(12, b"\0")[:12] + struct.pack("<I", len(payload))[:3] + payload


def raw_bytes(data):
    return bytes([RAW_BYTES]) + struct.pack("<H", len(data)) + data


def seeds():
    rng = random.Random(20240601)
    junk = bytes(rng.randrange(256) for _ in range(300))
    zero_locator = struct.pack("<i", PROTOCOL_VERSION) + b"\x01" + bytes(32) + bytes(32)
    return {
        "handshake_only": bytes([0]),
        "handshake_only_noban": bytes([FLAG_NOBAN]),
        "ping_before_version": bytes([FLAG_NO_HANDSHAKE]),
        "ping": bytes([0]) + command(PING, struct.pack("<Q", 7)),
        "getheaders_genesis": bytes([0]) + known(KNOWN_GETHEADERS, 0),
        "getheaders_unknown_locator": bytes([0]) + command(GETHEADERS, zero_locator),
        "headers_connected": bytes([0]) + known(KNOWN_HEADERS, 1, 3),
        "headers_spare": bytes([0]) + known(KNOWN_HEADERS, SPARE, 1),
        "headers_unconnecting": bytes([0]) + b"".join(known(KNOWN_HEADERS, SPARE + 1, 0) for _ in range(11)),
        "inv_known": bytes([0]) + known(KNOWN_INV, 3),
        "inv_spare": bytes([0]) + known(KNOWN_INV, SPARE),
        "getdata_known": bytes([0]) + known(KNOWN_GETDATA, 2),
        "notfound_spare": bytes([0]) + known(KNOWN_NOTFOUND, SPARE),
        "block_spare": bytes([0]) + known(KNOWN_BLOCK, SPARE),
        "block_spare_noban": bytes([FLAG_NOBAN]) + known(KNOWN_BLOCK, SPARE),
        "block_spare_patched": bytes([0]) + known(KNOWN_BLOCK, SPARE, offset=100, patch=b"\xff\xff\xff\xff"),
        "block_second_spare": bytes([0]) + known(KNOWN_BLOCK, SPARE + 1),
        "block_known": bytes([0]) + known(KNOWN_BLOCK, 4),
        "block_junk": bytes([0]) + command(BLOCK, junk),
        "sendheaders_then_block": bytes([0]) + command(SENDHEADERS) + known(KNOWN_BLOCK, SPARE),
        "version_junk_after_handshake": bytes([0]) + command(VERSION, junk[:90]),
        "getaddr_feefilter": bytes([0]) + command(GETADDR) + command(FEEFILTER, struct.pack("<q", 1000)),
        "raw_command_unknown": bytes([0]) + raw_command(b"bogus", b"1234"),
        "raw_command_bad": bytes([0]) + raw_command(b"\x01bad", b""),
        "raw_bytes_garbage": bytes([0]) + raw_bytes(junk[:40]),
        # A ping header announcing 8 bytes, then 2: the target ends the frame with zeros.
        "raw_bytes_partial_frame": bytes([0]) + raw_bytes(REGTEST_MAGIC + b"ping".ljust(12, b"\0") +
                                                          struct.pack("<I", 8) + bytes(4) + b"\x01\x02"),
        "mixed": bytes([0]) + command(MEMPOOL) + command(GETBLOB, junk[:40]) + command(TX, junk[:60]) +
                 known(KNOWN_GETDATA, 1) + command(WTXIDRELAY),
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "test", "fuzz", "corpus", "p2p_message_handler")
    os.makedirs(out, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
