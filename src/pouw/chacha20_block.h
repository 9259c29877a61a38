// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_CHACHA20_BLOCK_H
#define HPIPS_POUW_CHACHA20_BLOCK_H

#include <kernels/hd.h>

#include <cstdint>

/** The ChaCha20 block function of RFC 8439 §2.3, written by hand as HPIPS_HD
 *  integer code because the CUDA miner draws noise on the device, where
 *  OpenSSL is not available. It is tested against crypto/chacha20.h (OpenSSL)
 *  and the RFC's §2.3.2 vector, so both sides compute the same stream. The
 *  same quarter round is the state update's mixing function (§6). */
namespace hpips::pouw {

/** Rotate left by `n` (0 < n < 32). */
HPIPS_HD uint32_t Rotl32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

/** RFC 8439 §2.1 quarter round on words a, b, c, d of `x`. */
HPIPS_HD void QuarterRound(uint32_t* x, int a, int b, int c, int d)
{
    x[a] += x[b]; x[d] ^= x[a]; x[d] = Rotl32(x[d], 16);
    x[c] += x[d]; x[b] ^= x[c]; x[b] = Rotl32(x[b], 12);
    x[a] += x[b]; x[d] ^= x[a]; x[d] = Rotl32(x[d], 8);
    x[c] += x[d]; x[b] ^= x[c]; x[b] = Rotl32(x[b], 7);
}

/** One double round: four column rounds then four diagonal rounds (RFC 8439 §2.3 order). */
HPIPS_HD void DoubleRound(uint32_t* x)
{
    QuarterRound(x, 0, 4, 8, 12);
    QuarterRound(x, 1, 5, 9, 13);
    QuarterRound(x, 2, 6, 10, 14);
    QuarterRound(x, 3, 7, 11, 15);
    QuarterRound(x, 0, 5, 10, 15);
    QuarterRound(x, 1, 6, 11, 12);
    QuarterRound(x, 2, 7, 8, 13);
    QuarterRound(x, 3, 4, 9, 14);
}

/** Number of double rounds of ChaCha20. */
constexpr int CHACHA20_DOUBLE_ROUNDS{10};

/** The block function: `out` (16 words, serialized LE they are the 64
 *  keystream bytes) from the key (8 LE words), the block counter and the
 *  nonce (3 LE words). */
HPIPS_HD void ChaCha20Block(const uint32_t* key, uint32_t counter, const uint32_t* nonce, uint32_t* out)
{
    uint32_t x[16];
    x[0] = 0x61707865u;
    x[1] = 0x3320646eu;
    x[2] = 0x79622d32u;
    x[3] = 0x6b206574u;
    for (int i = 0; i < 8; ++i) x[4 + i] = key[i];
    x[12] = counter;
    x[13] = nonce[0];
    x[14] = nonce[1];
    x[15] = nonce[2];
    uint32_t initial[16];
    for (int i = 0; i < 16; ++i) initial[i] = x[i];
    for (int i = 0; i < CHACHA20_DOUBLE_ROUNDS; ++i) DoubleRound(x);
    for (int i = 0; i < 16; ++i) out[i] = x[i] + initial[i];
}

/** The nonce words of the PoUW stream (key, domain, index): the 12 nonce
 *  bytes are domain u32 LE ‖ index u64 LE (doc/pouw.md §3). */
HPIPS_HD void PouwStreamNonce(uint32_t domain, uint64_t index, uint32_t* nonce)
{
    nonce[0] = domain;
    nonce[1] = static_cast<uint32_t>(index);
    nonce[2] = static_cast<uint32_t>(index >> 32);
}

/** Byte `i` (0..63) of a block given as 16 LE words. */
HPIPS_HD uint8_t BlockByte(const uint32_t* block, int i)
{
    return static_cast<uint8_t>(block[i >> 2] >> (8 * (i & 3)));
}

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_CHACHA20_BLOCK_H
