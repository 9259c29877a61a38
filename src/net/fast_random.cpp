// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/fast_random.h>

#include <crypto/random.h>

#include <utility>

namespace hpips::net {
namespace {

std::array<uint8_t, ChaCha20::KEY_SIZE> MakeKey(const std::optional<std::array<uint8_t, 32>>& seed)
{
    if (seed) return *seed;
    std::array<uint8_t, ChaCha20::KEY_SIZE> key{};
    GetStrongRandBytes(key);
    return key;
}

constexpr std::array<uint8_t, ChaCha20::NONCE_SIZE> ZERO_NONCE{};

}  // namespace

FastRandom::FastRandom(std::optional<std::array<uint8_t, 32>> seed) : m_cipher{MakeKey(seed), ZERO_NONCE} {}

void FastRandom::Refill()
{
    // A fresh key long before the 2^32-block stream could run out.
    if (m_block >= (uint32_t{1} << 31)) {
        std::array<uint8_t, ChaCha20::KEY_SIZE> key{};
        m_cipher.Keystream(m_block, key);
        m_cipher = ChaCha20{key, ZERO_NONCE};
        m_block = 0;
    }
    m_cipher.Keystream(m_block, m_buffer);
    m_block += static_cast<uint32_t>(m_buffer.size() / ChaCha20::BLOCK_SIZE);
    m_used = 0;
}

uint64_t FastRandom::Rand64()
{
    if (m_used + 8 > m_buffer.size()) Refill();
    uint64_t v{0};
    for (size_t i{0}; i < 8; ++i) v |= uint64_t{m_buffer[m_used + i]} << (8 * i);
    m_used += 8;
    return v;
}

uint64_t FastRandom::RandRange(uint64_t range)
{
    if (range <= 1) return 0;
    // Reject the top partial copy of [0, range) so every value is equally likely.
    const uint64_t limit = UINT64_MAX - (UINT64_MAX % range);
    while (true) {
        const uint64_t v = Rand64();
        if (v < limit) return v % range;
    }
}

}  // namespace hpips::net
