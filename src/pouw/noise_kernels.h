// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_NOISE_KERNELS_H
#define HPIPS_POUW_NOISE_KERNELS_H

#include <cstdint>

/** Internal to src/pouw: the vector ChaCha20 behind Noise::Draw. */
namespace hpips::pouw::detail {

/** ChaCha20 blocks drawn together by ChaCha20Blocks16Avx512. */
constexpr uint32_t CHACHA_LANES{16};

/** Whether the CPU can run ChaCha20Blocks16Avx512 (AVX-512 F). */
bool CpuHasAvx512F();

/** 16 ChaCha20 blocks (RFC 8439) of the PoUW streams (key, domain,
 *  indices[l]) at block counters[l], one per 32-bit vector lane: word w of
 *  lane l's block goes to out[16·l + w]. Equals ChaCha20Block
 *  (chacha20_block.h) lane by lane. */
void ChaCha20Blocks16Avx512(const uint32_t* key, uint32_t domain, const uint64_t* indices, const uint32_t* counters,
                            uint32_t* out);

}  // namespace hpips::pouw::detail

#endif  // HPIPS_POUW_NOISE_KERNELS_H
