# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Keys and addresses for functional tests (standard library only).

A test needs a private key it knows (to sign with signrawtransactionwithkey)
and the address that pays it (for generatetoaddress). This module derives the
BIP-340 x-only public key of a secret by plain secp256k1 arithmetic, encodes
it as a bech32m witness-v1 address (BIP-350) and the secret as WIF
(Base58Check of version || key || 0x01). It is slow and not constant time:
for tests only, never for real keys.
"""
import hashlib
import os

# --- secp256k1 -------------------------------------------------------------
FIELD_P = 2**256 - 2**32 - 977
CURVE_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
GENERATOR = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
             0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)


def _jacobian_double(point):
    x, y, z = point
    if y == 0:
        return (0, 1, 0)
    yy = y * y % FIELD_P
    s = 4 * x * yy % FIELD_P
    m = 3 * x * x % FIELD_P  # the curve's a is 0
    x3 = (m * m - 2 * s) % FIELD_P
    y3 = (m * (s - x3) - 8 * yy * yy) % FIELD_P
    return (x3, y3, 2 * y * z % FIELD_P)


def _jacobian_add(p1, p2):
    if p1[2] == 0:
        return p2
    if p2[2] == 0:
        return p1
    x1, y1, z1 = p1
    x2, y2, z2 = p2
    z1z1 = z1 * z1 % FIELD_P
    z2z2 = z2 * z2 % FIELD_P
    u1 = x1 * z2z2 % FIELD_P
    u2 = x2 * z1z1 % FIELD_P
    s1 = y1 * z2 * z2z2 % FIELD_P
    s2 = y2 * z1 * z1z1 % FIELD_P
    if u1 == u2:
        return _jacobian_double(p1) if s1 == s2 else (0, 1, 0)
    h = (u2 - u1) % FIELD_P
    r = (s2 - s1) % FIELD_P
    hh = h * h % FIELD_P
    hhh = h * hh % FIELD_P
    x3 = (r * r - hhh - 2 * u1 * hh) % FIELD_P
    y3 = (r * (u1 * hh - x3) - s1 * hhh) % FIELD_P
    return (x3, y3, h * z1 * z2 % FIELD_P)


def point_multiply(scalar, point=GENERATOR):
    """scalar * point in affine coordinates, or None for the point at infinity."""
    result = (0, 1, 0)
    addend = (point[0], point[1], 1)
    while scalar:
        if scalar & 1:
            result = _jacobian_add(result, addend)
        addend = _jacobian_double(addend)
        scalar >>= 1
    if result[2] == 0:
        return None
    z_inv = pow(result[2], -1, FIELD_P)
    return (result[0] * z_inv * z_inv % FIELD_P, result[1] * z_inv * z_inv * z_inv % FIELD_P)


def xonly_pubkey(secret):
    """The 32-byte BIP-340 public key of a secret (1 <= secret < n): the x
    coordinate of secret*G. BIP-340 signs with the even-Y point, which has the
    same x, so the key is the same whichever Y secret*G has."""
    if not 1 <= secret < CURVE_ORDER:
        raise ValueError("secret out of range")
    return point_multiply(secret)[0].to_bytes(32, "big")


# --- bech32m (BIP-350) -----------------------------------------------------
BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32M_CONST = 0x2BC830A3
_BECH32_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _bech32_polymod(values):
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(_BECH32_GEN):
            if (top >> i) & 1:
                chk ^= gen
    return chk


def _hrp_expand(hrp):
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def convert_bits(data, from_bits, to_bits, pad=True):
    acc = 0
    bits = 0
    out = []
    max_value = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & max_value)
    if pad and bits:
        out.append((acc << (to_bits - bits)) & max_value)
    return out


def bech32m_encode(hrp, values):
    polymod = _bech32_polymod(_hrp_expand(hrp) + values + [0] * 6) ^ BECH32M_CONST
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32_CHARSET[v] for v in values + checksum)


def encode_address(xonly_key, hrp="rhp"):
    """The witness-v1 bech32m address paying a 32-byte x-only key."""
    assert len(xonly_key) == 32
    return bech32m_encode(hrp, [1] + convert_bits(xonly_key, 8, 5))


# --- Base58Check WIF -------------------------------------------------------
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
WIF_VERSION_TEST = 0xEF  # test and regtest
WIF_COMPRESSED_FLAG = 0x01


def base58check_encode(payload):
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = BASE58_ALPHABET[digit] + text
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + text


def encode_wif(secret, version=WIF_VERSION_TEST):
    return base58check_encode(bytes([version]) + secret.to_bytes(32, "big") + bytes([WIF_COMPRESSED_FLAG]))


class Key:
    """A secret with its WIF, x-only public key and regtest address."""

    def __init__(self, secret=None, hrp="rhp"):
        if secret is None:
            secret = int.from_bytes(os.urandom(32), "big") % (CURVE_ORDER - 1) + 1
        self.secret = secret
        self.xonly = xonly_pubkey(secret)
        self.wif = encode_wif(secret)
        self.address = encode_address(self.xonly, hrp)

    def __repr__(self):
        return f"Key(address={self.address})"
