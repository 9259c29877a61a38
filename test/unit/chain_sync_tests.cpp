// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The chain's side of P2P sync (src/chain/chain_sync.cpp): locators, headers
// after a locator, blocks to download, and the cap on headers-only entries.
#include <chain/chainstate.h>
#include <consensus/pouw_check.h>
#include "chainstate_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace hpips::test {
namespace {

class ChainSyncTest : public ChainstateTest {
protected:
    /** Headers after `prev` that pass the cheap check but have no block:
     *  what a forger makes with hashing alone. */
    std::vector<BlockHeader> ForgedHeaders(const BlockHeader& prev, size_t count, uint8_t salt = 0)
    {
        std::vector<BlockHeader> headers;
        const auto miner_key = wallet.key.GetXOnlyPubKey();  // outlives the span bytes() returns
        uint256 prev_hash = prev.GetHash();
        for (size_t i = 0; i < count; ++i) {
            BlockHeader header;
            header.prev_block = prev_hash;
            header.merkle_root.data()[0] = salt;
            std::memcpy(header.merkle_root.data() + 1, &i, sizeof(i));
            // A second apart: always past the median of the last 11.
            header.time = prev.time + 1 + static_cast<uint32_t>(i);
            header.bits = prev.bits;
            const auto key_bytes = miner_key.bytes();
            std::copy(key_bytes.begin(), key_bytes.end(), header.proof.miner_key.begin());
            // Grind the nonce until the cheap check passes (a few tries on regtest).
            BlockValidationState state;
            for (header.proof.nonce = i << 8; !CheckBlockHeaderProof(header, Regtest(), state); ++header.proof.nonce) {
                state = BlockValidationState{};
            }
            headers.push_back(header);
            prev_hash = header.GetHash();
        }
        return headers;
    }

    void SubmitHeaders(const std::vector<BlockHeader>& headers)
    {
        // Our clock follows, so none is too far in the future.
        clock.now = std::max<int64_t>(clock.now, headers.back().time);
        for (size_t i = 0; i < headers.size(); i += 2'000) {
            const size_t n = std::min<size_t>(2'000, headers.size() - i);
            BlockValidationState state;
            ASSERT_TRUE(chainstate.ProcessNewBlockHeaders(std::span{headers}.subspan(i, n), state))
                << state.ToString();
        }
    }

    BlockHeader TipHeader() const { return chainstate.ReadBlock(chainstate.TipHash()).value().header; }
};

TEST_F(ChainSyncTest, LocatorIsDenseThenSparseAndEndsAtGenesis)
{
    MineAndSubmit(chainstate, wallet, clock, 40);
    const std::vector<uint256> locator = chainstate.GetLocator();
    ASSERT_GE(locator.size(), 12u);
    EXPECT_LE(locator.size(), MAX_LOCATOR_ENTRIES);
    EXPECT_EQ(locator.front(), chainstate.TipHash());
    EXPECT_EQ(locator.back(), Regtest().genesis.GetHash());
    std::vector<int64_t> heights;
    for (const uint256& hash : locator) heights.push_back(chainstate.GetHeaderInfo(hash)->height);
    for (size_t i = 1; i < 10; ++i) EXPECT_EQ(heights[i], heights[i - 1] - 1);  // the last ten blocks
    for (size_t i = 1; i < heights.size(); ++i) EXPECT_LT(heights[i], heights[i - 1]);
}

TEST_F(ChainSyncTest, HeadersAfterALocatorStopAtTheCountAndTheStopHash)
{
    MineAndSubmit(chainstate, wallet, clock, 12);
    const std::vector<uint256> from_genesis{Regtest().genesis.GetHash()};
    EXPECT_EQ(chainstate.GetHeadersAfter(from_genesis, uint256{}, 2'000).size(), 12u);
    EXPECT_EQ(chainstate.GetHeadersAfter(from_genesis, uint256{}, 5).size(), 5u);
    const auto stop = chainstate.GetHeadersAfter(from_genesis, uint256{}, 3).back().GetHash();
    EXPECT_EQ(chainstate.GetHeadersAfter(from_genesis, stop, 2'000).size(), 3u);
    // An unknown locator starts after genesis.
    uint256 unknown;
    unknown.data()[0] = 0xab;
    const std::vector<uint256> nowhere{unknown};
    EXPECT_EQ(chainstate.GetHeadersAfter(nowhere, uint256{}, 2'000).size(), 12u);
}

TEST_F(ChainSyncTest, AncestorOrSelfFollowsTheBranch)
{
    MineAndSubmit(chainstate, wallet, clock, 5);
    const uint256 tip = chainstate.TipHash();
    const uint256 genesis = Regtest().genesis.GetHash();
    const auto branch = ForgedHeaders(TipHeader(), 3);
    const auto other = ForgedHeaders(TipHeader(), 2, /*salt=*/1);
    SubmitHeaders(branch);
    SubmitHeaders(other);
    const uint256 leaf = branch.back().GetHash();
    EXPECT_TRUE(chainstate.IsAncestorOrSelf(tip, tip));
    EXPECT_TRUE(chainstate.IsAncestorOrSelf(genesis, leaf));
    EXPECT_TRUE(chainstate.IsAncestorOrSelf(tip, leaf));
    EXPECT_TRUE(chainstate.IsAncestorOrSelf(branch.front().GetHash(), leaf));
    EXPECT_FALSE(chainstate.IsAncestorOrSelf(leaf, tip));                       // the other way
    EXPECT_FALSE(chainstate.IsAncestorOrSelf(other.front().GetHash(), leaf));  // a sibling branch
    uint256 unknown;
    unknown.data()[0] = 0xab;
    EXPECT_FALSE(chainstate.IsAncestorOrSelf(unknown, leaf));
    EXPECT_FALSE(chainstate.IsAncestorOrSelf(tip, unknown));
}

TEST_F(ChainSyncTest, HeadersNeverCountAsWorkButBecomeDownloads)
{
    MineAndSubmit(chainstate, wallet, clock, 2);
    const uint256 tip = chainstate.TipHash();
    const auto headers = ForgedHeaders(TipHeader(), 30);
    SubmitHeaders(headers);
    EXPECT_EQ(chainstate.TipHash(), tip);
    EXPECT_EQ(chainstate.HeadersOnlyCount(), 30u);
    EXPECT_EQ(chainstate.BestHeaderHash(), headers.back().GetHash());
    const auto wanted = chainstate.FindBlocksToDownload(headers.back().GetHash(), 1'000, 16,
                                                        [](const uint256&) { return false; });
    ASSERT_EQ(wanted.size(), 16u);
    EXPECT_EQ(wanted.front(), headers.front().GetHash());  // lowest first
    // The window: nothing above max_height.
    const int64_t height = chainstate.Height();
    EXPECT_EQ(chainstate.FindBlocksToDownload(headers.back().GetHash(), height + 4, 16,
                                              [](const uint256&) { return false; })
                  .size(),
              4u);
}

TEST_F(ChainSyncTest, HeadersOnlyEntriesAreCappedOneMoreForgetsTheLowestWork)
{
    MineAndSubmit(chainstate, wallet, clock, 1);
    const BlockHeader base = TipHeader();
    // A short fork (low work) and a long chain, together exactly at the cap.
    const auto short_fork = ForgedHeaders(base, 10, 1);
    SubmitHeaders(short_fork);
    const auto long_chain = ForgedHeaders(base, MAX_HEADERS_ONLY - 10 + 1, 2);
    SubmitHeaders(std::vector<BlockHeader>(long_chain.begin(), long_chain.end() - 1));
    EXPECT_EQ(chainstate.HeadersOnlyCount(), MAX_HEADERS_ONLY);
    EXPECT_TRUE(chainstate.GetHeaderInfo(short_fork.back().GetHash()));
    // One more: the lowest-work leaves go first (the whole short fork, then
    // the long chain's far end), down to nine tenths of the cap.
    SubmitHeaders({long_chain.back()});
    EXPECT_EQ(chainstate.HeadersOnlyCount(), MAX_HEADERS_ONLY / 10 * 9);
    EXPECT_FALSE(chainstate.GetHeaderInfo(short_fork.front().GetHash()));
    EXPECT_FALSE(chainstate.GetHeaderInfo(short_fork.back().GetHash()));
    EXPECT_EQ(chainstate.TipHash(), base.GetHash());
}

}  // namespace
}  // namespace hpips::test
