// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/tx_sign.h>

#include <primitives/sighash.h>

#include <gtest/gtest.h>

#include "primitives_test_util.h"

#include <map>

namespace hpips {
namespace {

using test::FilledHash;

struct Signer {
    PrivKey mine = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x31));
    PrivKey other = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x32));
    SigningKeyLookup Lookup() const
    {
        return [this](const XOnlyPubKey& pubkey) -> std::optional<PrivKey> {
            if (pubkey == mine.GetXOnlyPubKey()) return mine.Clone();
            return std::nullopt;
        };
    }
};

MutableTransaction TwoInputs()
{
    MutableTransaction tx;
    tx.inputs.push_back(TxIn{OutPoint{FilledHash(0x11), 0}, SEQUENCE_FINAL, {}});
    tx.inputs.push_back(TxIn{OutPoint{FilledHash(0x22), 1}, SEQUENCE_FINAL, {}});
    tx.outputs.push_back(TxOut{COIN, Destination::ForKey(test::FilledKey(0x33))});
    return tx;
}

bool Verifies(const MutableTransaction& mtx, const std::vector<TxOut>& spent, size_t i)
{
    const Transaction tx{mtx};
    auto pre = PrecomputedTxData::Compute(tx, spent);
    if (!pre) return false;
    const uint256 hash = SignatureHash(tx, static_cast<uint32_t>(i), *pre, Network::REGTEST);
    const XOnlyPubKey pubkey{std::span<const uint8_t, XOnlyPubKey::SIZE>{spent[i].destination.payload.data(),
                                                                          XOnlyPubKey::SIZE}};
    return pubkey.VerifySchnorr(hash, mtx.inputs[i].witness);
}

TEST(TxSign, SignsTheInputsItHasKeysFor)
{
    const Signer s;
    MutableTransaction tx = TwoInputs();
    const std::vector<TxOut> spent{{2 * COIN, KeyDestination(s.mine.GetXOnlyPubKey())},
                                   {COIN, KeyDestination(s.other.GetXOnlyPubKey())}};
    const std::vector<std::optional<TxOut>> known{spent[0], spent[1]};
    auto errors = SignTransactionInputs(tx, known, s.Lookup(), Network::REGTEST);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].input, 1u);
    EXPECT_EQ(errors[0].error, "Unable to sign input, invalid stack size (possibly missing key)");
    EXPECT_TRUE(Verifies(tx, spent, 0));

    // A bad witness on the input without a key is reported as such...
    tx.inputs[1].witness.assign(64, 0x01);
    errors = SignTransactionInputs(tx, known, s.Lookup(), Network::REGTEST);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].error, "Invalid Schnorr signature");
    // ...and a good one (signed by its owner) completes the transaction.
    const SigningKeyLookup other = [&](const XOnlyPubKey& pubkey) -> std::optional<PrivKey> {
        if (pubkey == s.other.GetXOnlyPubKey()) return s.other.Clone();
        return std::nullopt;
    };
    EXPECT_EQ(SignTransactionInputs(tx, known, other, Network::REGTEST).size(), 0u);
    EXPECT_TRUE(Verifies(tx, spent, 0));
    EXPECT_TRUE(Verifies(tx, spent, 1));
}

TEST(TxSign, NothingIsSignedWithoutEverySpentOutput)
{
    const Signer s;
    MutableTransaction tx = TwoInputs();
    const std::vector<std::optional<TxOut>> partial{TxOut{COIN, KeyDestination(s.mine.GetXOnlyPubKey())},
                                                    std::nullopt};
    const auto errors = SignTransactionInputs(tx, partial, s.Lookup(), Network::REGTEST);
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].error, "Unable to sign input: the spent outputs of all inputs are needed (see prevtxs)");
    EXPECT_EQ(errors[1].error, "Input not found or already spent");
    EXPECT_TRUE(tx.inputs[0].witness.empty());
}

TEST(TxSign, UnknownDestinationKind)
{
    const Signer s;
    MutableTransaction tx = TwoInputs();
    Destination odd;
    odd.kind = 0x7f;
    odd.payload = {1, 2, 3};
    const std::vector<std::optional<TxOut>> spent{TxOut{COIN, KeyDestination(s.mine.GetXOnlyPubKey())},
                                                  TxOut{COIN, odd}};
    const auto errors = SignTransactionInputs(tx, spent, s.Lookup(), Network::REGTEST);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].error, "Unable to sign input, unknown destination kind");
}

}  // namespace
}  // namespace hpips
