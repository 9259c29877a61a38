// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_FAST_RANDOM_H
#define HPIPS_NET_FAST_RANDOM_H

#include <crypto/chacha20.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

/**
 * A fast, unpredictable random stream for the network's choices (address
 * selection, ping nonces, trickle timers, eviction ties): ChaCha20's
 * keystream under a key from the operating system's strong randomness, read
 * in buffered blocks. Tests may give a fixed key for reproducible runs.
 *
 * Thread safety: not thread-safe; each owner guards its own instance.
 */
namespace hpips::net {

class FastRandom {
public:
    /** Keyed from GetStrongRandBytes, or from `seed` when given (tests). */
    explicit FastRandom(std::optional<std::array<uint8_t, 32>> seed = std::nullopt);

    /** 64 uniform random bits. */
    uint64_t Rand64();
    /** Uniform in [0, range); range must be positive. Unbiased (rejection). */
    uint64_t RandRange(uint64_t range);
    /** True with probability 1/2. */
    bool RandBool() { return (Rand64() & 1) != 0; }

    /** Fisher-Yates shuffle of [first, last). */
    template <typename It>
    void Shuffle(It first, It last)
    {
        const auto n = static_cast<uint64_t>(last - first);
        for (uint64_t i{n}; i > 1; --i) {
            const uint64_t j = RandRange(i);
            std::swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
        }
    }

private:
    void Refill();

    ChaCha20 m_cipher;
    std::array<uint8_t, 256> m_buffer{};
    size_t m_used{m_buffer.size()};
    uint32_t m_block{0};
};

}  // namespace hpips::net

#endif  // HPIPS_NET_FAST_RANDOM_H
