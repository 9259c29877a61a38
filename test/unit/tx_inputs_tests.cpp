// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/params.h>
#include <consensus/tx_check.h>
#include <consensus/tx_inputs.h>
#include <crypto/key.h>
#include <primitives/sighash.h>

#include <gtest/gtest.h>

#include <functional>

namespace hpips {
namespace {

Transaction Spend(size_t inputs, Amount out_amount)
{
    MutableTransaction mtx;
    for (size_t i = 0; i < inputs; ++i) {
        mtx.inputs.push_back(TxIn{OutPoint{uint256{std::array<uint8_t, 32>{1}}, static_cast<uint32_t>(i)}, SEQUENCE_FINAL, {}});
    }
    mtx.outputs = {TxOut{out_amount, Destination::ForKey({2})}};
    return Transaction{mtx};
}

std::string Reason(const Transaction& tx, std::span<const SpentCoin> spent, int64_t height, Amount* fee = nullptr)
{
    TxValidationState state;
    const auto result = CheckTxInputs(tx, spent, height, state);
    EXPECT_EQ(result.has_value(), state.IsValid());
    if (result && fee) *fee = *result;
    return result ? "ok" : state.GetReason();
}

TEST(TxInputs, FeeAndBalance)
{
    const TxOut a{3 * COIN, Destination::ForKey({})};
    const TxOut b{2 * COIN, Destination::ForKey({})};
    const SpentCoin spent[] = {{&a, 5, false}, {&b, 6, false}};
    Amount fee = 0;
    EXPECT_EQ(Reason(Spend(2, 4 * COIN), spent, 7, &fee), "ok");
    EXPECT_EQ(fee, COIN);
    EXPECT_EQ(Reason(Spend(2, 5 * COIN), spent, 7, &fee), "ok");
    EXPECT_EQ(fee, 0);
    EXPECT_EQ(Reason(Spend(2, 5 * COIN + 1), spent, 7), "bad-txns-in-belowout");
}

TEST(TxInputs, CoinbaseMaturity)
{
    // A height-1 coinbase: immature in block 100, spendable in block 101
    // (the block after tip 100).
    const TxOut cb{50 * COIN, Destination::ForKey({})};
    const SpentCoin spent[] = {{&cb, 1, true}};
    TxValidationState state;
    EXPECT_FALSE(CheckTxInputs(Spend(1, COIN), spent, 100, state));
    EXPECT_EQ(state.GetReason(), "bad-txns-premature-spend-of-coinbase");
    EXPECT_EQ(state.GetFailure(), TxFailure::PREMATURE_SPEND);
    EXPECT_EQ(Reason(Spend(1, COIN), spent, 1 + COINBASE_MATURITY), "ok");
    // Non-coinbase outputs are spendable at once.
    const SpentCoin plain[] = {{&cb, 100, false}};
    EXPECT_EQ(Reason(Spend(1, COIN), plain, 100), "ok");
}

TEST(TxInputs, AmountsRangeCheckedBeforeSumming)
{
    const TxOut huge{MAX_MONEY, Destination::ForKey({})};
    const TxOut one{1, Destination::ForKey({})};
    const TxOut bad{MAX_MONEY + 1, Destination::ForKey({})};
    const TxOut negative{-1, Destination::ForKey({})};
    const SpentCoin overflow[] = {{&huge, 1, false}, {&one, 1, false}};
    EXPECT_EQ(Reason(Spend(2, 1), overflow, 5), "bad-txns-inputvalues-outofrange");
    const SpentCoin out_of_range[] = {{&bad, 1, false}};
    EXPECT_EQ(Reason(Spend(1, 1), out_of_range, 5), "bad-txns-inputvalues-outofrange");
    const SpentCoin neg[] = {{&negative, 1, false}};
    EXPECT_EQ(Reason(Spend(1, 0), neg, 5), "bad-txns-inputvalues-outofrange");
}

TEST(TxInputs, MissingInputs)
{
    const TxOut a{COIN, Destination::ForKey({})};
    const SpentCoin one[] = {{&a, 1, false}};
    TxValidationState state;
    EXPECT_FALSE(CheckTxInputs(Spend(2, 1), one, 5, state));
    EXPECT_EQ(state.GetFailure(), TxFailure::MISSING_INPUTS);
    const SpentCoin null_coin[] = {{nullptr, 0, false}};
    EXPECT_EQ(Reason(Spend(1, 1), null_coin, 5), "bad-txns-inputs-missingorspent");
}

/** Three inputs spending `spent`, signed for regtest with a fixed key. */
struct SignedInputs {
    PrivKey key = *PrivKey::FromBytes(std::vector<uint8_t>(32, 9));
    std::vector<TxOut> spent;
    MutableTransaction mtx;

    SignedInputs()
    {
        const Destination dest = KeyDestination(key.GetXOnlyPubKey());
        spent = {TxOut{COIN, dest}, TxOut{2 * COIN, dest}, TxOut{3 * COIN, dest}};
        for (uint32_t i = 0; i < 3; ++i) {
            mtx.inputs.push_back(TxIn{OutPoint{uint256{std::array<uint8_t, 32>{3}}, i}, SEQUENCE_FINAL, {}});
        }
        mtx.outputs = {TxOut{5 * COIN, dest}};
        Sign(mtx, spent);
    }
    /** Signs every input of `tx` as spending `outs`. */
    void Sign(MutableTransaction& tx, const std::vector<TxOut>& outs) const
    {
        const Transaction unsigned_tx{tx};
        const auto pre = PrecomputedTxData::Compute(unsigned_tx, outs);
        for (uint32_t i = 0; i < tx.inputs.size(); ++i) {
            const auto sig = key.SignSchnorr(SignatureHash(unsigned_tx, i, *pre, Network::REGTEST),
                                             std::array<uint8_t, 32>{});
            tx.inputs[i].witness.assign(sig.begin(), sig.end());
        }
    }
};

/** "ok" or "reason, detail" of the first input failing CheckInputSignature,
 *  checked one input at a time as ConnectBlock's queue does. */
std::string PerInput(const Transaction& tx, std::span<const TxOut> spent, Network net)
{
    const auto pre = PrecomputedTxData::Compute(tx, spent);
    EXPECT_TRUE(pre);
    for (uint32_t i = 0; i < tx.inputs().size(); ++i) {
        TxValidationState state;
        const bool ok = CheckInputSignature(tx, i, spent[i], *pre, net, state);
        EXPECT_EQ(ok, state.IsValid());
        if (!ok) return state.ToString();
    }
    return "ok";
}

std::string Whole(const Transaction& tx, std::span<const TxOut> spent, Network net)
{
    TxValidationState state;
    return VerifyTransactionSignatures(tx, spent, net, state) ? "ok" : state.ToString();
}

TEST(TxInputs, InputSignatureAgreesWithTheWholeTransactionCheck)
{
    const SignedInputs base;
    using Mutation = std::function<void(MutableTransaction&, std::vector<TxOut>&)>;
    const std::vector<std::pair<std::string, Mutation>> cases{
        {"ok", [](MutableTransaction&, std::vector<TxOut>&) {}},
        {"bad-signature, input 1", [](MutableTransaction& mtx, std::vector<TxOut>&) { mtx.inputs[1].witness[0] ^= 1; }},
        // A spent amount that differs from the signed one breaks every input.
        {"bad-signature, input 0", [](MutableTransaction&, std::vector<TxOut>& spent) { spent[2].amount += 1; }},
        {"bad-witness-size, input 2",
         [](MutableTransaction& mtx, std::vector<TxOut>&) { mtx.inputs[2].witness.push_back(0); }},
        {"bad-txns-unspendable-destination, input 1",
         [&base](MutableTransaction& mtx, std::vector<TxOut>& spent) {
             spent[1].destination = Destination{9, std::vector<uint8_t>(32, 1)};
             base.Sign(mtx, spent);  // input 0 stays valid
             mtx.inputs[2].witness.clear();
         }},
        {"bad-witness-size, input 0",
         [](MutableTransaction& mtx, std::vector<TxOut>&) {
             mtx.inputs[0].witness.clear();
             mtx.inputs[1].witness[0] ^= 1;
         }},
    };
    for (const auto& [expected, mutate] : cases) {
        MutableTransaction mtx = base.mtx;
        std::vector<TxOut> spent = base.spent;
        mutate(mtx, spent);
        const Transaction tx{mtx};
        EXPECT_EQ(Whole(tx, spent, Network::REGTEST), expected);
        EXPECT_EQ(PerInput(tx, spent, Network::REGTEST), expected);
    }
    // The chain is in the signature hash.
    EXPECT_EQ(PerInput(Transaction{base.mtx}, base.spent, Network::MAIN), "bad-signature, input 0");
}

TEST(TxInputs, InputSignatureIndexPastTheInputs)
{
    const SignedInputs base;
    const Transaction tx{base.mtx};
    const auto pre = PrecomputedTxData::Compute(tx, base.spent);
    TxValidationState state;
    EXPECT_TRUE(CheckInputSignature(tx, 2, base.spent[2], *pre, Network::REGTEST, state));
    EXPECT_FALSE(CheckInputSignature(tx, 3, base.spent[2], *pre, Network::REGTEST, state));
    EXPECT_EQ(state.GetReason(), "bad-txns-spent-count");
    EXPECT_EQ(state.GetFailure(), TxFailure::CONSENSUS);
}

}  // namespace
}  // namespace hpips
