// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/prg.h>

#include <pouw/chacha20_block.h>

#include <algorithm>

namespace hpips::pouw {

std::array<uint32_t, 8> KeyWords(const uint256& key)
{
    std::array<uint32_t, 8> words{};
    for (size_t i = 0; i < words.size(); ++i) {
        const uint8_t* p = key.data() + 4 * i;
        words[i] = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
    }
    return words;
}

void PrgWords(const std::array<uint32_t, 8>& key_words, uint32_t domain, uint64_t index, std::span<uint32_t> out)
{
    uint32_t nonce[3];
    PouwStreamNonce(domain, index, nonce);
    uint32_t block[16];
    for (size_t pos = 0, counter = 0; pos < out.size(); ++counter) {
        ChaCha20Block(key_words.data(), static_cast<uint32_t>(counter), nonce, block);
        const size_t take = std::min<size_t>(16, out.size() - pos);
        std::copy_n(block, take, out.begin() + pos);
        pos += take;
    }
}

void PrgBytes(const std::array<uint32_t, 8>& key_words, uint32_t domain, uint64_t index, std::span<uint8_t> out)
{
    uint32_t nonce[3];
    PouwStreamNonce(domain, index, nonce);
    uint32_t block[16];
    for (size_t pos = 0, counter = 0; pos < out.size(); ++counter) {
        ChaCha20Block(key_words.data(), static_cast<uint32_t>(counter), nonce, block);
        const size_t take = std::min<size_t>(64, out.size() - pos);
        for (size_t i = 0; i < take; ++i) out[pos + i] = BlockByte(block, static_cast<int>(i));
        pos += take;
    }
}

}  // namespace hpips::pouw
