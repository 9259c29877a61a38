// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/block_connect.h>
#include <chain/undo.h>
#include <consensus/params.h>
#include <crypto/key.h>
#include <primitives/sighash.h>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hpips {
namespace {

constexpr int64_t HEIGHT = 200;
constexpr Amount FEE = 1'000;
/** Inputs of each spending transaction of the test block: 2,000 in all, in
 *  transactions of very different sizes. */
constexpr size_t TX_INPUTS[] = {1, 199, 300, 500, 1'000};
constexpr size_t TOTAL_INPUTS = 2'000;
/** Thread counts (the connecting one included) every result must agree on. */
constexpr size_t THREAD_COUNTS[] = {1, 2, 3, 8};

/** A plain in-memory UTXO set under the block's cache. */
class MemoryCoinsView : public CoinsView {
public:
    std::optional<Coin> GetCoin(const OutPoint& outpoint) const override
    {
        const auto it = coins.find(outpoint);
        if (it == coins.end()) return std::nullopt;
        return it->second;
    }
    uint256 GetBestBlock() const override { return best_block; }
    Result<void> BatchWrite(const CoinsMap& map, const uint256& best) override
    {
        for (const auto& [outpoint, entry] : map) {
            if (!entry.IsDirty()) continue;
            if (entry.coin.IsSpent()) {
                coins.erase(outpoint);
            } else {
                coins.insert_or_assign(outpoint, entry.coin);
            }
        }
        best_block = best;
        return {};
    }

    std::map<OutPoint, Coin> coins;
    uint256 best_block;
};

/** 2,000 signed coins and a block at HEIGHT spending them all, built once. */
struct TestBlock {
    /** Every coin and the coinbase pay to this key. */
    Destination dest;
    std::map<OutPoint, Coin> funding;
    /** The signed spends, as fields tests can alter (then Rebuild); the
     *  block's coinbase comes before them. */
    std::vector<MutableTransaction> spends;
    Block block;

    TestBlock()
    {
        const PrivKey key = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x42));
        dest = KeyDestination(key.GetXOnlyPubKey());
        uint32_t next = 0;
        for (const size_t inputs : TX_INPUTS) {
            MutableTransaction mtx;
            std::vector<TxOut> outs;
            Amount total = 0;
            for (size_t i = 0; i < inputs; ++i, ++next) {
                // Coins of a few earlier transactions, 100 outputs each.
                std::array<uint8_t, 32> txid{};
                txid[0] = static_cast<uint8_t>(1 + next / 100);
                const OutPoint prevout{uint256{txid}, next % 100};
                const TxOut out{COIN + next, dest};
                funding.emplace(prevout, Coin{out, 1, false});
                mtx.inputs.push_back(TxIn{prevout, SEQUENCE_FINAL, {}});
                outs.push_back(out);
                total += out.amount;
            }
            mtx.outputs = {TxOut{total / 2, dest}, TxOut{total - total / 2 - FEE, dest}};
            spends.push_back(Sign(key, mtx, outs));
        }
        Rebuild();
    }

    static MutableTransaction Sign(const PrivKey& key, MutableTransaction mtx, const std::vector<TxOut>& outs)
    {
        const Transaction unsigned_tx{mtx};
        const auto pre = PrecomputedTxData::Compute(unsigned_tx, outs);
        for (size_t i = 0; i < mtx.inputs.size(); ++i) {
            const auto sig = key.SignSchnorr(
                SignatureHash(unsigned_tx, static_cast<uint32_t>(i), *pre, Network::REGTEST), std::array<uint8_t, 32>{});
            mtx.inputs[i].witness.assign(sig.begin(), sig.end());
        }
        return mtx;
    }

    /** The block from `spends`, with a coinbase claiming `extra` more than allowed. */
    void Rebuild(Amount extra = 0)
    {
        MutableTransaction coinbase;
        coinbase.inputs = {TxIn{OutPoint{}, SEQUENCE_FINAL, {}}};
        coinbase.outputs = {
            TxOut{BlockSubsidy(HEIGHT) + FEE * static_cast<Amount>(spends.size()) + extra, dest}};
        coinbase.lock_time = static_cast<uint32_t>(HEIGHT);
        block = Block{};
        block.header.time = 1'700'000'000;
        block.txs.emplace_back(coinbase);
        for (const auto& mtx : spends) block.txs.emplace_back(mtx);
    }

    /** Transaction `t` (0 = the first spend) and its input `i`, in block order. */
    TxIn& Input(size_t t, size_t i) { return spends[t].inputs[i]; }
    std::string Txid(size_t t) const { return Transaction{spends[t]}.GetTxid().GetHex(); }
};

const TestBlock& Original()
{
    static const TestBlock original;
    return original;
}

/** Everything ConnectBlock produced. */
struct Outcome {
    bool ok{false};
    BlockFailure failure{BlockFailure::NONE};
    std::string reason;
    std::string detail;
    std::vector<uint8_t> undo;
    std::map<OutPoint, Coin> utxo;
    uint256 best_block;

    friend bool operator==(const Outcome&, const Outcome&) = default;
};

/** Connects `block` over the funding coins: on this thread alone when
 *  `queue` is null, else through `queue`. */
Outcome Connect(const TestBlock& test, SignatureCheckQueue* queue, bool check_signatures = true)
{
    MemoryCoinsView base;
    base.coins = test.funding;
    CoinsViewCache cache{base};
    BlockValidationState state;
    const auto undo = ConnectBlock(test.block, HEIGHT, Params(Network::REGTEST), cache, check_signatures, state, queue);
    Outcome outcome;
    outcome.ok = undo.has_value();
    EXPECT_EQ(outcome.ok, state.IsValid());
    outcome.failure = state.GetFailure();
    outcome.reason = state.GetReason();
    outcome.detail = state.GetDetail();
    if (undo) {
        outcome.undo = EncodeBlockUndo(*undo);
        EXPECT_TRUE(cache.Flush());
        outcome.utxo = base.coins;
        outcome.best_block = base.best_block;
    }
    return outcome;
}

/** The outcome on one thread without a queue, checked equal for every
 *  thread count (a fresh queue each) and returned. */
Outcome ConnectEverywhere(const TestBlock& test)
{
    const Outcome serial = Connect(test, nullptr);
    for (const size_t threads : THREAD_COUNTS) {
        SignatureCheckQueue queue{threads - 1};
        const Outcome parallel = Connect(test, &queue);
        EXPECT_EQ(parallel.ok, serial.ok) << threads << " threads";
        EXPECT_EQ(parallel.reason, serial.reason) << threads << " threads";
        EXPECT_EQ(parallel.detail, serial.detail) << threads << " threads";
        EXPECT_TRUE(parallel == serial) << threads << " threads";
    }
    return serial;
}

std::string Detail(const TestBlock& test, size_t t, size_t input)
{
    return "transaction " + test.Txid(t) + ": input " + std::to_string(input);
}

TEST(BlockConnect, TestBlockHasTwoThousandInputs)
{
    size_t inputs = 0;
    for (const auto& tx : Original().spends) inputs += tx.inputs.size();
    EXPECT_EQ(inputs, TOTAL_INPUTS);
}

TEST(BlockConnect, ValidBlockConnectsIdenticallyForEveryThreadCount)
{
    const Outcome outcome = ConnectEverywhere(Original());
    ASSERT_TRUE(outcome.ok) << outcome.reason << ", " << outcome.detail;
    // Every funding coin spent, two outputs per spend plus the coinbase's.
    EXPECT_EQ(outcome.utxo.size(), 2 * std::size(TX_INPUTS) + 1);
    EXPECT_EQ(outcome.best_block, Original().block.GetHash());
    const auto undo = DecodeBlockUndo(outcome.undo);
    ASSERT_TRUE(undo);
    ASSERT_EQ(undo->txs.size(), std::size(TX_INPUTS));
    EXPECT_EQ(undo->txs[4].spent[999], Original().funding.at(Original().spends[4].inputs[999].prevout));
}

TEST(BlockConnect, OneBadSignatureAmongTwoThousandIsReportedTheSameForEveryThreadCount)
{
    TestBlock test = Original();
    // Input 234 of the 1,000-input transaction: the 1,234th input of the block.
    test.Input(4, 234).witness[5] ^= 1;
    test.Rebuild();
    const Outcome outcome = ConnectEverywhere(test);
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(outcome.failure, BlockFailure::CONSENSUS);
    EXPECT_EQ(outcome.reason, "bad-signature");
    EXPECT_EQ(outcome.detail, Detail(test, 4, 234));
}

TEST(BlockConnect, TheFirstBadInputInBlockOrderIsReported)
{
    TestBlock test = Original();
    test.Input(4, 10).witness[0] ^= 1;
    test.Input(3, 499).witness[63] ^= 1;
    test.Input(2, 250).witness.pop_back();  // the first in block order
    test.Input(2, 251).witness[1] ^= 1;
    test.Input(4, 900).witness[2] ^= 1;
    test.Rebuild();
    Outcome outcome = ConnectEverywhere(test);
    EXPECT_EQ(outcome.reason, "bad-witness-size");
    EXPECT_EQ(outcome.detail, Detail(test, 2, 250));

    // The last input of the block alone.
    test = Original();
    test.Input(4, 999).witness[9] ^= 1;
    test.Rebuild();
    outcome = ConnectEverywhere(test);
    EXPECT_EQ(outcome.reason, "bad-signature");
    EXPECT_EQ(outcome.detail, Detail(test, 4, 999));

    // The first input of the block alone.
    test = Original();
    test.Input(0, 0).witness[9] ^= 1;
    test.Rebuild();
    outcome = ConnectEverywhere(test);
    EXPECT_EQ(outcome.reason, "bad-signature");
    EXPECT_EQ(outcome.detail, Detail(test, 0, 0));
}

TEST(BlockConnect, AnEarlierSignatureFailureBeatsALaterInputFailure)
{
    // Transaction 3 spends a coin that does not exist; transaction 1's bad
    // signature comes first in block order, so it is the reason, as on one
    // thread, even though the missing coin is found before the signature is
    // checked.
    TestBlock test = Original();
    test.Input(1, 100).witness[3] ^= 1;
    test.Input(3, 7).prevout.index = 4'000;
    test.Rebuild();
    Outcome outcome = ConnectEverywhere(test);
    EXPECT_EQ(outcome.reason, "bad-signature");
    EXPECT_EQ(outcome.detail, Detail(test, 1, 100));

    // The other way round: the missing coin comes first.
    test = Original();
    test.Input(1, 100).prevout.index = 4'000;
    test.Input(3, 7).witness[3] ^= 1;
    test.Rebuild();
    outcome = ConnectEverywhere(test);
    EXPECT_EQ(outcome.reason, "bad-txns-inputs-missingorspent");
    EXPECT_EQ(outcome.detail, "transaction " + test.Txid(1));

    // Outputs worth more than the inputs (transaction 4), after a bad signature (transaction 2).
    test = Original();
    test.Input(2, 0).witness[3] ^= 1;
    test.spends[4].outputs[0].amount += 1'000 * COIN;
    test.Rebuild();
    outcome = ConnectEverywhere(test);
    EXPECT_EQ(outcome.reason, "bad-signature");
    EXPECT_EQ(outcome.detail, Detail(test, 2, 0));
}

TEST(BlockConnect, ASignatureFailureBeatsTheCoinbaseAmount)
{
    TestBlock test = Original();
    test.Rebuild(/*extra=*/1);
    Outcome outcome = ConnectEverywhere(test);
    EXPECT_EQ(outcome.reason, "bad-cb-amount");

    test.Input(4, 500).witness[3] ^= 1;
    test.Rebuild(/*extra=*/1);
    outcome = ConnectEverywhere(test);
    EXPECT_EQ(outcome.reason, "bad-signature");
    EXPECT_EQ(outcome.detail, Detail(test, 4, 500));
}

TEST(BlockConnect, OneQueueServesBlockAfterBlock)
{
    TestBlock bad = Original();
    bad.Input(3, 42).witness[3] ^= 1;
    bad.Rebuild();
    SignatureCheckQueue queue{3};
    const Outcome valid = Connect(Original(), nullptr);
    ASSERT_TRUE(valid.ok);
    for (int round = 0; round < 3; ++round) {
        const Outcome rejected = Connect(bad, &queue);
        EXPECT_EQ(rejected.reason, "bad-signature");
        EXPECT_EQ(rejected.detail, Detail(bad, 3, 42));
        EXPECT_TRUE(Connect(Original(), &queue) == valid);
    }
}

TEST(BlockConnect, SignaturesSkippedWhenAsked)
{
    // A block connected once before: its signatures are not checked again.
    TestBlock test = Original();
    test.Input(4, 234).witness[5] ^= 1;
    test.Rebuild();
    SignatureCheckQueue queue{2};
    EXPECT_TRUE(Connect(test, &queue, /*check_signatures=*/false).ok);
    EXPECT_TRUE(Connect(test, nullptr, /*check_signatures=*/false).ok);
}

TEST(BlockConnect, ScriptCheckThreads)
{
    // 0 = one per core, 1 when the core count is unknown.
    EXPECT_EQ(ScriptCheckThreads(0, 2), 2u);
    EXPECT_EQ(ScriptCheckThreads(0, 0), 1u);
    EXPECT_EQ(ScriptCheckThreads(-3, 4), 4u);
    EXPECT_EQ(ScriptCheckThreads(0, MAX_SCRIPT_CHECK_THREADS), static_cast<size_t>(MAX_SCRIPT_CHECK_THREADS));
    EXPECT_EQ(ScriptCheckThreads(0, MAX_SCRIPT_CHECK_THREADS + 1), static_cast<size_t>(MAX_SCRIPT_CHECK_THREADS));
    // Given: as given, whatever the cores, up to the cap.
    EXPECT_EQ(ScriptCheckThreads(1, 8), 1u);
    EXPECT_EQ(ScriptCheckThreads(3, 2), 3u);
    EXPECT_EQ(ScriptCheckThreads(MAX_SCRIPT_CHECK_THREADS, 2), static_cast<size_t>(MAX_SCRIPT_CHECK_THREADS));
    EXPECT_EQ(ScriptCheckThreads(MAX_SCRIPT_CHECK_THREADS + 1, 2), static_cast<size_t>(MAX_SCRIPT_CHECK_THREADS));
}

}  // namespace
}  // namespace hpips
