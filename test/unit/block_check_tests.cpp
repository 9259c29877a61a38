// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/block_check.h>
#include <primitives/merkle.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

Transaction Coinbase(int64_t height, Amount amount)
{
    MutableTransaction mtx;
    mtx.inputs = {TxIn{}};
    mtx.outputs = {TxOut{amount, Destination::ForKey({1})}};
    mtx.lock_time = static_cast<uint32_t>(height);
    return Transaction{mtx};
}

Transaction Spend(uint8_t tag, uint32_t lock_time = 0, uint32_t sequence = SEQUENCE_FINAL)
{
    MutableTransaction mtx;
    std::array<uint8_t, 32> txid{};
    txid[0] = tag;
    mtx.inputs = {TxIn{OutPoint{uint256{txid}, 0}, sequence, std::vector<uint8_t>(64, 0)}};
    mtx.outputs = {TxOut{COIN, Destination::ForKey({2})}};
    mtx.lock_time = lock_time;
    return Transaction{mtx};
}

Block MakeBlock(std::vector<Transaction> txs)
{
    Block block;
    block.txs = std::move(txs);
    block.header.merkle_root = BlockMerkleRoot(block.txs);
    return block;
}

std::string Check(const Block& block, BlockFailure* failure = nullptr)
{
    BlockValidationState state;
    const bool ok = CheckBlock(block, state);
    if (failure) *failure = state.GetFailure();
    return ok ? "ok" : state.GetReason();
}

TEST(BlockCheck, ContextFreeRejections)
{
    const Block good = MakeBlock({Coinbase(1, 50 * COIN), Spend(1)});
    EXPECT_EQ(Check(good), "ok");

    BlockFailure failure{};
    Block mutated = good;
    mutated.txs.push_back(Spend(2));  // body changed, header root not
    EXPECT_EQ(Check(mutated, &failure), "bad-txnmrklroot");
    EXPECT_EQ(failure, BlockFailure::MUTATED);  // never cached as invalid

    Block witness_mutated = good;
    MutableTransaction spend = witness_mutated.txs[1].fields();
    spend.inputs[0].witness[0] ^= 1;  // txid unchanged, wtxid changed
    witness_mutated.txs[1] = Transaction{spend};
    EXPECT_EQ(Check(witness_mutated, &failure), "bad-txnmrklroot");
    EXPECT_EQ(failure, BlockFailure::MUTATED);

    EXPECT_EQ(Check(MakeBlock({Spend(1)})), "bad-cb-missing");
    EXPECT_EQ(Check(MakeBlock({Coinbase(1, COIN), Coinbase(2, COIN)})), "bad-cb-multiple");
    EXPECT_EQ(Check(MakeBlock({})), "bad-blk-length");
    Block dup = MakeBlock({Coinbase(1, COIN), Spend(1)});
    MutableTransaction twice = dup.txs[1].fields();
    twice.inputs.push_back(twice.inputs[0]);
    dup = MakeBlock({Coinbase(1, COIN), Transaction{twice}});
    EXPECT_EQ(Check(dup, &failure), "bad-txns-inputs-duplicate");
    EXPECT_EQ(failure, BlockFailure::CONSENSUS);

    Block big_opening = good;
    big_opening.opening.assign(MAX_OPENING_SIZE + 1, 0);
    EXPECT_EQ(Check(big_opening), "bad-opening-size");
}

TEST(BlockCheck, OversizedBlockRejectedBeforeMerkle)
{
    // A block just over the size limit made of large (kind-unknown) outputs:
    // its root is wrong too, but size is reported because it is checked first.
    MutableTransaction fat;
    fat.inputs = {TxIn{OutPoint{uint256{std::array<uint8_t, 32>{9}}, 0}, SEQUENCE_FINAL, {}}};
    for (int i = 0; i < 16'000; ++i) fat.outputs.push_back(TxOut{1, Destination{9, std::vector<uint8_t>(256, 1)}});
    Block block;
    block.txs = {Coinbase(1, COIN), Transaction{fat}};
    ASSERT_GT(BlockSerializedSize(block), MAX_BLOCK_SIZE);
    EXPECT_EQ(Check(block), "bad-blk-length");
}

TEST(BlockCheck, SerializedSizeMatchesEncoding)
{
    Block block = MakeBlock({Coinbase(1, COIN), Spend(1), Spend(2)});
    block.opening.assign(300, 7);
    EXPECT_EQ(BlockSerializedSize(block), EncodeBlock(block).size());
}

TEST(BlockCheck, ContextualHeaderRules)
{
    const ChainParams& params = Params(Network::MAIN);
    const ParentInfo parent{10, 2'000'000'000, 1'999'999'000};
    BlockHeader header;
    header.bits = NextWorkRequired(params, parent.height, parent.time);
    header.time = 1'999'999'001;
    auto check = [&](const BlockHeader& h, int64_t now, BlockFailure* failure = nullptr) {
        BlockValidationState state;
        const bool ok = ContextualCheckBlockHeader(h, parent, params, now, state);
        if (failure) *failure = state.GetFailure();
        return ok ? std::string{"ok"} : state.GetReason();
    };
    EXPECT_EQ(check(header, 2'000'000'000), "ok");
    BlockHeader h = header;
    h.bits ^= 1;
    EXPECT_EQ(check(h, 2'000'000'000), "bad-diffbits");
    h = header;
    h.time = 1'999'999'000;  // equal to the median: too old
    EXPECT_EQ(check(h, 2'000'000'000), "time-too-old");
    h = header;
    h.time = 2'000'000'601;
    BlockFailure failure{};
    EXPECT_EQ(check(h, 2'000'000'000, &failure), "time-too-new");
    EXPECT_EQ(failure, BlockFailure::TIME_FUTURE);  // not cached as invalid
    h.time = 2'000'000'600;
    EXPECT_EQ(check(h, 2'000'000'000), "ok");
    h = header;
    h.version = 0;
    EXPECT_EQ(check(h, 2'000'000'000), "bad-version");
}

TEST(BlockCheck, ContextualBodyRules)
{
    const ParentInfo parent{99, 0, 1'000'000'000};
    auto check = [&](const Block& block) {
        BlockValidationState state;
        return ContextualCheckBlock(block, parent, state) ? std::string{"ok"} : state.GetReason();
    };
    EXPECT_EQ(check(MakeBlock({Coinbase(100, COIN), Spend(1)})), "ok");
    EXPECT_EQ(check(MakeBlock({Coinbase(99, COIN)})), "bad-cb-height");
    EXPECT_EQ(check(MakeBlock({Coinbase(100, COIN), Spend(1, 100, 0)})), "bad-txns-nonfinal");
    EXPECT_EQ(check(MakeBlock({Coinbase(100, COIN), Spend(1, 99, 0)})), "ok");
    EXPECT_EQ(check(MakeBlock({Coinbase(100, COIN), Spend(1, 100)})), "ok");  // final sequence
    EXPECT_EQ(check(MakeBlock({Coinbase(100, COIN), Spend(1, 1'000'000'000, 0)})), "bad-txns-nonfinal");
    EXPECT_EQ(check(MakeBlock({Coinbase(100, COIN), Spend(1, 999'999'999, 0)})), "ok");
}

TEST(BlockCheck, CoinbaseAmount)
{
    BlockValidationState state;
    EXPECT_TRUE(CheckCoinbaseAmount(Coinbase(1, 50 * COIN + 7), 1, 7, state));
    EXPECT_FALSE(CheckCoinbaseAmount(Coinbase(1, 50 * COIN + 8), 1, 7, state));
    EXPECT_EQ(state.GetReason(), "bad-cb-amount");
    BlockValidationState later;
    EXPECT_FALSE(CheckCoinbaseAmount(Coinbase(HALVING_INTERVAL, 50 * COIN), HALVING_INTERVAL, 0, later));
}

TEST(BlockCheck, MedianTime)
{
    const uint32_t times[] = {5, 1, 9, 3, 7};
    EXPECT_EQ(MedianTime(times), 5);
    const uint32_t two[] = {4, 8};
    EXPECT_EQ(MedianTime(two), 8);
    EXPECT_EQ(MedianTime({}), 0);
}

}  // namespace
}  // namespace hpips
