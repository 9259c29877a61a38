#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""BIP-380 descriptor checksums, written for the tests from the BIP's
description (the node's own implementation is src/primitives/descriptor.cpp),
so a test can say what `desc` must be without asking the node."""

# Three groups of 32 characters; a character's symbol is its place in its
# group, and every three characters add one symbol for their group numbers.
_GROUPS = ("0123456789()[],'/*abcdefgh@:$%{}",
           "IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~",
           "ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ")
_ALPHABET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GENERATOR = (0xF5DEE51989, 0xA9FDCA3312, 0x1BAB10E32D, 0x3706B1677A, 0x644D626FFD)


def _step(state, symbol):
    top = state >> 35
    state = ((state & 0x7FFFFFFFF) << 5) ^ symbol
    for bit, constant in enumerate(_GENERATOR):
        if (top >> bit) & 1:
            state ^= constant
    return state


def descriptor_checksum(text):
    """The 8-character checksum of `text` (a descriptor without '#...')."""
    state = 1
    pending = []
    for ch in text:
        group = next(g for g, chars in enumerate(_GROUPS) if ch in chars)
        state = _step(state, _GROUPS[group].index(ch))
        pending.append(group)
        if len(pending) == 3:
            state = _step(state, pending[0] * 9 + pending[1] * 3 + pending[2])
            pending = []
    if pending:
        value = 0
        for group in pending:
            value = value * 3 + group
        state = _step(state, value)
    for _ in range(8):
        state = _step(state, 0)
    state ^= 1
    return "".join(_ALPHABET[(state >> (5 * (7 - i))) & 31] for i in range(8))


def add_checksum(text):
    """`text` + '#' + its checksum."""
    return text + "#" + descriptor_checksum(text)


def address_spk(address, xonly):
    """The scriptPubKey object hpipsd shows for an output paying a key
    destination (doc/rpc.md, "Outputs")."""
    return {"asm": "1 " + xonly.hex(), "desc": add_checksum("addr(%s)" % address), "hex": "0120" + xonly.hex(),
            "address": address, "type": "witness_v1_taproot"}
