// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/block_index.h>

#include <consensus/block_check.h>
#include <consensus/params.h>

#include <algorithm>
#include <array>

namespace hpips {
namespace {

/** Clears the lowest set bit. */
int64_t InvertLowestOne(int64_t n) { return n & (n - 1); }

/** The height the skip pointer of a block at `height` points to: a
 *  deterministic choice that makes GetAncestor logarithmic (as Bitcoin's). */
int64_t GetSkipHeight(int64_t height)
{
    if (height < 2) return 0;
    return (height & 1) ? InvertLowestOne(InvertLowestOne(height - 1)) + 1 : InvertLowestOne(height);
}

}  // namespace

const BlockIndex* BlockIndex::GetAncestor(int64_t target) const
{
    if (target > height || target < 0) return nullptr;
    const BlockIndex* walk = this;
    int64_t walk_height = height;
    while (walk_height > target) {
        const int64_t skip_height = GetSkipHeight(walk_height);
        const int64_t skip_prev_height = GetSkipHeight(walk_height - 1);
        if (walk->skip != nullptr &&
            (skip_height == target ||
             (skip_height > target && !(skip_prev_height < skip_height - 2 && skip_prev_height >= target)))) {
            walk = walk->skip;
            walk_height = skip_height;
        } else {
            walk = walk->prev;
            --walk_height;
        }
    }
    return walk;
}

BlockIndex* BlockIndex::GetAncestor(int64_t target)
{
    return const_cast<BlockIndex*>(static_cast<const BlockIndex*>(this)->GetAncestor(target));
}

void BlockIndex::BuildSkip()
{
    if (prev != nullptr) skip = prev->GetAncestor(GetSkipHeight(height));
}

BlockIndexRecord BlockIndex::ToRecord() const
{
    BlockIndexRecord record;
    record.header = header;
    record.height = static_cast<uint32_t>(height);
    record.chain_work = ArithToUint256(static_cast<ArithUint256>(chain_work));
    record.status = status;
    record.data_pos = data_pos;
    record.undo_pos = undo_pos;
    record.tx_count = tx_count;
    return record;
}

const BlockIndex* LastCommonAncestor(const BlockIndex* a, const BlockIndex* b)
{
    if (a == nullptr || b == nullptr) return nullptr;
    if (a->height > b->height) a = a->GetAncestor(b->height);
    if (b->height > a->height) b = b->GetAncestor(a->height);
    while (a != b && a != nullptr && b != nullptr) {
        a = a->prev;
        b = b->prev;
    }
    return a;
}

int64_t MedianTimePast(const BlockIndex* index)
{
    std::array<uint32_t, MEDIAN_TIME_SPAN> times{};
    size_t count = 0;
    for (; index != nullptr && count < times.size(); index = index->prev) times[count++] = index->header.time;
    return MedianTime(std::span<const uint32_t>{times.data(), count});
}

bool BetterCandidate(const BlockIndex* a, const BlockIndex* b)
{
    if (a->chain_work != b->chain_work) return a->chain_work > b->chain_work;
    if (a->sequence_id != b->sequence_id) return a->sequence_id < b->sequence_id;
    return a->hash < b->hash;
}

BlockIndex* ActiveChain::operator[](int64_t height) const
{
    if (height < 0 || height >= static_cast<int64_t>(m_blocks.size())) return nullptr;
    return m_blocks[static_cast<size_t>(height)];
}

bool ActiveChain::Contains(const BlockIndex* index) const
{
    return index != nullptr && (*this)[index->height] == index;
}

BlockIndex* ActiveChain::Next(const BlockIndex* index) const
{
    return Contains(index) ? (*this)[index->height + 1] : nullptr;
}

void ActiveChain::SetTip(BlockIndex* tip)
{
    if (tip == nullptr) {
        m_blocks.clear();
        return;
    }
    m_blocks.resize(static_cast<size_t>(tip->height) + 1);
    for (BlockIndex* walk = tip; walk != nullptr && m_blocks[static_cast<size_t>(walk->height)] != walk;
         walk = walk->prev) {
        m_blocks[static_cast<size_t>(walk->height)] = walk;
    }
}

const BlockIndex* ActiveChain::FindFork(const BlockIndex* index) const
{
    if (index == nullptr) return nullptr;
    if (index->height > Height()) index = index->GetAncestor(Height());
    while (index != nullptr && !Contains(index)) index = index->prev;
    return index;
}

}  // namespace hpips
