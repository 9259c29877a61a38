// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/random.h>

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace hpips {
namespace {

TEST(Random, FillsAndDiffers)
{
    // Two 32-byte draws collide or come out all zero with probability 2^-256;
    // either means the generator is broken.
    std::array<uint8_t, 32> a{};
    std::array<uint8_t, 32> b{};
    GetStrongRandBytes(a);
    GetStrongRandBytes(b);
    EXPECT_NE(a, b);
    EXPECT_NE(a, (std::array<uint8_t, 32>{}));
}

TEST(Random, EmptyAndOddSizes)
{
    GetStrongRandBytes({});
    std::vector<uint8_t> buf(1000, 0);
    GetStrongRandBytes(buf);
    // Every byte is written: with 1000 bytes, a run of 64 zeros would be a bug.
    size_t zero_run{0};
    size_t longest{0};
    for (uint8_t b : buf) {
        zero_run = b == 0 ? zero_run + 1 : 0;
        longest = std::max(longest, zero_run);
    }
    EXPECT_LT(longest, 64u);
}

}  // namespace
}  // namespace hpips
