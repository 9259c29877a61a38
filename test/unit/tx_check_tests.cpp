// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/tx_check.h>
#include <crypto/key.h>
#include <primitives/sighash.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

Destination KeyDest(const PrivKey& key) { return KeyDestination(key.GetXOnlyPubKey()); }

OutPoint Prevout(uint8_t tag, uint32_t index)
{
    std::array<uint8_t, 32> bytes{};
    bytes[0] = tag;
    return OutPoint{uint256{bytes}, index};
}

/** A two-input, two-output spend of `spent`, signed with `key`. */
struct SignedSpend {
    PrivKey key = *PrivKey::FromBytes(std::vector<uint8_t>(32, 7));
    std::vector<TxOut> spent;
    MutableTransaction mtx;

    SignedSpend()
    {
        spent = {TxOut{5 * COIN, KeyDest(key)}, TxOut{3 * COIN, KeyDest(key)}};
        mtx.inputs = {TxIn{Prevout(1, 0), SEQUENCE_FINAL, {}}, TxIn{Prevout(2, 1), SEQUENCE_FINAL, {}}};
        mtx.outputs = {TxOut{4 * COIN, KeyDest(key)}, TxOut{3 * COIN, KeyDest(key)}};
    }
    Transaction Sign(Network net = Network::REGTEST) const
    {
        MutableTransaction signed_tx = mtx;
        const Transaction unsigned_tx{mtx};
        const auto pre = PrecomputedTxData::Compute(unsigned_tx, spent);
        for (size_t i = 0; i < signed_tx.inputs.size(); ++i) {
            const auto sig = key.SignSchnorr(SignatureHash(unsigned_tx, static_cast<uint32_t>(i), *pre, net),
                                             std::array<uint8_t, 32>{});
            signed_tx.inputs[i].witness.assign(sig.begin(), sig.end());
        }
        return Transaction{signed_tx};
    }
};

std::string CheckReason(const MutableTransaction& mtx)
{
    TxValidationState state;
    const bool ok = CheckTransaction(Transaction{mtx}, state);
    EXPECT_EQ(ok, state.IsValid());
    return ok ? "ok" : state.GetReason();
}

TEST(TxCheck, ValidSpendPasses)
{
    const SignedSpend spend;
    const Transaction tx = spend.Sign();
    TxValidationState state;
    EXPECT_TRUE(CheckTransaction(tx, state)) << state.ToString();
    EXPECT_TRUE(VerifyTransactionSignatures(tx, spend.spent, Network::REGTEST, state)) << state.ToString();
}

TEST(TxCheck, EveryContextFreeRejection)
{
    const SignedSpend base;
    auto with = [&](auto mutate) {
        MutableTransaction mtx = base.Sign().fields();
        mutate(mtx);
        return CheckReason(mtx);
    };
    EXPECT_EQ(with([](auto&) {}), "ok");
    EXPECT_EQ(with([](auto& m) { m.inputs.clear(); }), "bad-txns-vin-empty");
    EXPECT_EQ(with([](auto& m) { m.outputs.clear(); }), "bad-txns-vout-empty");
    EXPECT_EQ(with([](auto& m) { m.outputs[0].amount = -1; }), "bad-txns-vout-negative");
    EXPECT_EQ(with([](auto& m) { m.outputs[0].amount = MAX_MONEY + 1; }), "bad-txns-vout-toolarge");
    EXPECT_EQ(with([](auto& m) {
                  m.outputs[0].amount = MAX_MONEY;
                  m.outputs[1].amount = 1;
              }),
              "bad-txns-txouttotal-toolarge");
    EXPECT_EQ(with([](auto& m) { m.outputs[0].destination.kind = 9; }), "bad-txns-destination-unknown");
    EXPECT_EQ(with([](auto& m) { m.outputs[0].destination.payload.pop_back(); }), "bad-txns-destination-unknown");
    EXPECT_EQ(with([](auto& m) { m.inputs[1].prevout = m.inputs[0].prevout; }), "bad-txns-inputs-duplicate");
    EXPECT_EQ(with([](auto& m) { m.inputs[1].prevout = OutPoint{}; }), "bad-txns-prevout-null");
}

TEST(TxCheck, DuplicateInputsRejectedEvenInCoinbaseShapes)
{
    // A "coinbase" with a duplicated null input is not a coinbase (two inputs)
    // and is rejected as a duplicate before anything else looks at it.
    MutableTransaction mtx;
    mtx.inputs = {TxIn{}, TxIn{}};
    mtx.outputs = {TxOut{COIN, Destination::ForKey({})}};
    EXPECT_EQ(CheckReason(mtx), "bad-txns-inputs-duplicate");
}

TEST(TxCheck, CoinbaseRules)
{
    MutableTransaction mtx;
    mtx.inputs = {TxIn{}};
    mtx.outputs = {TxOut{50 * COIN, Destination::ForKey({})}};
    mtx.lock_time = 7;
    EXPECT_EQ(CheckReason(mtx), "ok");
    mtx.inputs[0].witness.assign(MAX_COINBASE_WITNESS_SIZE, 1);
    EXPECT_EQ(CheckReason(mtx), "ok");
    mtx.inputs[0].witness.push_back(1);
    EXPECT_EQ(CheckReason(mtx), "bad-cb-length");
}

TEST(TxCheck, SixtyFourByteTransactionRejected)
{
    // Pad an output payload until the witness-free encoding is exactly 64
    // bytes. The payload's kind is unknown (also invalid), but the size rule
    // is checked first, so its reason is the one reported.
    MutableTransaction mtx;
    mtx.inputs = {TxIn{}};
    mtx.outputs = {TxOut{COIN, Destination{9, {}}}};
    const size_t base = Transaction{mtx}.GetBaseSize();
    ASSERT_LT(base, FORBIDDEN_TX_BASE_SIZE);
    mtx.outputs[0].destination.payload.assign(FORBIDDEN_TX_BASE_SIZE - base, 0);
    ASSERT_EQ(Transaction{mtx}.GetBaseSize(), FORBIDDEN_TX_BASE_SIZE);
    EXPECT_EQ(CheckReason(mtx), "bad-txns-size-64");
}

TEST(TxCheck, SignatureRejections)
{
    const SignedSpend spend;
    const Transaction good = spend.Sign();
    auto verify = [&](const Transaction& tx, std::span<const TxOut> spent, Network net) {
        TxValidationState state;
        return VerifyTransactionSignatures(tx, spent, net, state) ? std::string{"ok"} : state.GetReason();
    };
    EXPECT_EQ(verify(good, spend.spent, Network::REGTEST), "ok");
    // Signed for regtest, replayed on main: the chain is in the signature hash.
    EXPECT_EQ(verify(good, spend.spent, Network::MAIN), "bad-signature");
    // A spent amount that differs from what was signed.
    auto spent = spend.spent;
    spent[1].amount += 1;
    EXPECT_EQ(verify(good, spent, Network::REGTEST), "bad-signature");
    // A tampered output.
    MutableTransaction mtx = good.fields();
    mtx.outputs[0].amount -= 1;
    EXPECT_EQ(verify(Transaction{mtx}, spend.spent, Network::REGTEST), "bad-signature");
    // Wrong witness size, unspendable destination, wrong spent count.
    mtx = good.fields();
    mtx.inputs[0].witness.pop_back();
    EXPECT_EQ(verify(Transaction{mtx}, spend.spent, Network::REGTEST), "bad-witness-size");
    spent = spend.spent;
    spent[0].destination = Destination{9, std::vector<uint8_t>(32, 1)};
    EXPECT_EQ(verify(good, spent, Network::REGTEST), "bad-txns-unspendable-destination");
    EXPECT_EQ(verify(good, std::span<const TxOut>{spend.spent}.first(1), Network::REGTEST), "bad-txns-spent-count");
}

TEST(TxCheck, TxidIgnoresSignatures)
{
    const SignedSpend spend;
    const Transaction a = spend.Sign(Network::REGTEST);
    const Transaction b = spend.Sign(Network::MAIN);
    EXPECT_EQ(a.GetTxid(), b.GetTxid());
    EXPECT_NE(a.GetWtxid(), b.GetWtxid());
}

}  // namespace
}  // namespace hpips
