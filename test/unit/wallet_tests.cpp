// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The wallet on a real regtest chainstate and mempool, through the node's
// implementation of its chain interface (node/wallet_chain.cpp): balances
// and coinbase maturity, a send and its confirmation, a reorg that takes a
// confirmation away and gives it back, reloading, and a restore that finds
// coins within the gap limit.
#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <consensus/params.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <node/wallet_chain.h>
#include <primitives/address.h>
#include <util/clock.h>
#include <wallet/wallet.h>
#include <wallet/wallet_manager.h>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <thread>

#include "chain_test_util.h"
#include "wallet_test_util.h"

namespace hpips::wallet {
namespace {

using test::SUBSIDY;
using test::TempDir;

class WalletTest : public test::WalletFixture {};

TEST_F(WalletTest, CoinbaseMaturityAndSendConfirmReorg)
{
    const Destination payout = NewDest(*m_wallet);
    for (int i = 0; i < 101; ++i) MineBlock(payout);
    // Heights 1 and 2 are spendable in block 102.
    BalanceSums b = Balances(*m_wallet);
    EXPECT_EQ(b.trusted, 2 * SUBSIDY);
    EXPECT_EQ(b.immature, 99 * SUBSIDY);
    EXPECT_EQ(m_wallet->BestHeight(), 101);

    auto sent = m_wallet->Send({Recipient{m_stranger, 10 * COIN}});
    ASSERT_TRUE(sent) << sent.error().message;
    EXPECT_TRUE(m_pool->Exists(*sent));
    auto view = m_wallet->GetTransaction(*sent);
    ASSERT_TRUE(view && view->fee);
    const Amount fee = -*view->fee;
    EXPECT_GT(fee, 0);
    EXPECT_EQ(view->amount, -10 * COIN);
    b = Balances(*m_wallet);
    EXPECT_EQ(b.trusted, 2 * SUBSIDY - 10 * COIN - fee);  // change is trusted at once
    EXPECT_EQ(Balances(*m_wallet, 1).trusted, SUBSIDY);

    // Too much: -6's failure, and nothing changes.
    auto too_much = m_wallet->Send({Recipient{m_stranger, 1000 * COIN}});
    ASSERT_FALSE(too_much);
    EXPECT_EQ(too_much.error().failure, SendFailure::INSUFFICIENT_FUNDS);

    const Block confirming = MineBlock(m_stranger);
    EXPECT_FALSE(m_pool->Exists(*sent));
    EXPECT_EQ(m_wallet->GetTransaction(*sent)->confirmations, 1);
    EXPECT_EQ(Balances(*m_wallet, 1).trusted, 2 * SUBSIDY - 10 * COIN - fee + SUBSIDY);

    // Disconnect the block: the send goes back to the mempool and stays ours;
    // then the chain comes back.
    BlockValidationState state;
    ASSERT_TRUE(m_chainstate->InvalidateBlock(confirming.header.GetHash(), state)) << state.ToString();
    EXPECT_TRUE(m_pool->Exists(*sent));
    view = m_wallet->GetTransaction(*sent);
    EXPECT_EQ(view->confirmations, 0);
    EXPECT_TRUE(view->record.in_mempool);
    EXPECT_EQ(Balances(*m_wallet).trusted, 2 * SUBSIDY - 10 * COIN - fee);
    EXPECT_EQ(m_wallet->BestHeight(), 101);
    ASSERT_TRUE(m_chainstate->ReconsiderBlock(confirming.header.GetHash(), state)) << state.ToString();
    EXPECT_EQ(m_wallet->GetTransaction(*sent)->confirmations, 1);
    EXPECT_EQ(m_wallet->BestHeight(), 102);

    // A disconnected coinbase stops counting at once.
    const auto tip = m_chainstate->TipHash();
    const Block last = MineBlock(payout);
    const BalanceSums with_last = Balances(*m_wallet);
    ASSERT_TRUE(m_chainstate->InvalidateBlock(last.header.GetHash(), state));
    // The tip is one lower, so the coinbase of height 4 is immature again.
    const BalanceSums without_last = Balances(*m_wallet);
    EXPECT_EQ(without_last.trusted + without_last.immature, with_last.trusted + with_last.immature - SUBSIDY);
    EXPECT_EQ(without_last.trusted, with_last.trusted - SUBSIDY);
    EXPECT_EQ(m_chainstate->TipHash(), tip);
    auto orphan = m_wallet->GetTransaction(last.txs[0].GetTxid());
    ASSERT_TRUE(orphan);
    ASSERT_EQ(orphan->entries.size(), 1u);
    EXPECT_EQ(orphan->entries[0].category, "orphan");
}

TEST_F(WalletTest, ReloadKeepsStateAndCatchesUp)
{
    const Destination payout = NewDest(*m_wallet);
    for (int i = 0; i < 3; ++i) MineBlock(payout);
    const BalanceSums before = Balances(*m_wallet);
    EXPECT_EQ(before.immature, 3 * SUBSIDY);
    ASSERT_TRUE(m_manager->Unload("w"));
    m_wallet.reset();
    // Blocks while unloaded are found at load.
    MineBlock(payout);
    auto loaded = m_manager->Load("w");
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(Balances(**loaded).immature, 4 * SUBSIDY);
    EXPECT_EQ((*loaded)->BestHeight(), 4);
    EXPECT_EQ((*loaded)->GetInfo().tx_count, 4);
    // Loaded twice: refused.
    auto again = m_manager->Load("w");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().failure, WalletFailure::ALREADY_LOADED);
}

TEST_F(WalletTest, RestoreFindsCoinsWithinTheGapLimit)
{
    // Pay the 5th and the 12th receive address (keypool 10: the 12th is
    // within the gap once the 5th is seen).
    std::vector<Destination> dests;
    for (int i = 0; i < 12; ++i) dests.push_back(NewDest(*m_wallet));
    MineBlock(dests[4]);
    MineBlock(dests[11]);
    auto mnemonic = m_wallet->GetMnemonic();
    ASSERT_TRUE(mnemonic);
    CreateWalletOptions create;
    create.mnemonic = *mnemonic;
    auto restored = m_manager->Create("restored", create);
    ASSERT_TRUE(restored) << restored.error().message;
    EXPECT_EQ(Balances(**restored).immature, 0);  // starts at the tip: rescan to find old coins
    auto scanned = (*restored)->Rescan(0, m_chainstate->Height());
    ASSERT_TRUE(scanned);
    EXPECT_EQ(*scanned, 2);
    EXPECT_EQ(Balances(**restored).immature, 2 * SUBSIDY);
    // A new address after the restore does not reuse a paid one.
    EXPECT_EQ(NewDest(**restored), NewDest(*m_wallet));

    // A wrong mnemonic is refused and leaves no file.
    create.mnemonic = "abandon abandon";
    auto bad = m_manager->Create("bad", create);
    ASSERT_FALSE(bad);
    EXPECT_FALSE(std::filesystem::exists(m_manager->WalletPath("bad")));
}

TEST_F(WalletTest, WatchOnlyFromXpubSeesButCannotSpend)
{
    auto mnemonic = m_wallet->GetMnemonic();
    ASSERT_TRUE(mnemonic);
    auto keys = KeyChain::FromMnemonic(*mnemonic, Network::REGTEST);
    ASSERT_TRUE(keys);
    CreateWalletOptions create;
    create.disable_private_keys = true;
    create.xpub = keys->AccountXpub();
    auto watch = m_manager->Create("watch", create);
    ASSERT_TRUE(watch) << watch.error().message;
    EXPECT_FALSE((*watch)->GetInfo().private_keys_enabled);
    const Destination payout = NewDest(*m_wallet);
    for (int i = 0; i < 101; ++i) MineBlock(payout);
    EXPECT_EQ(Balances(**watch).trusted, 2 * SUBSIDY);
    auto spend = (*watch)->Send({Recipient{m_stranger, COIN}});
    ASSERT_FALSE(spend);
    EXPECT_EQ(spend.error().failure, SendFailure::KEYS_DISABLED);
}

/** Runs one SQL statement on a wallet file that is not loaded. */
void TamperWalletFile(const std::filesystem::path& path, const std::string& sql)
{
    sqlite3* db{nullptr};
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
}

TEST_F(WalletTest, EncryptionLocksUnlocksAndSurvivesReload)
{
    const Destination payout = NewDest(*m_wallet);
    for (int i = 0; i < 101; ++i) MineBlock(payout);
    auto mnemonic = m_wallet->GetMnemonic();
    ASSERT_TRUE(mnemonic);
    EXPECT_EQ(m_wallet->Unlock("pw", 10).error().failure, CryptFailure::NOT_ENCRYPTED);
    EXPECT_EQ(m_wallet->Lock().error().failure, CryptFailure::NOT_ENCRYPTED);

    ASSERT_TRUE(m_wallet->EncryptWallet("first"));
    EXPECT_EQ(m_wallet->EncryptWallet("again").error().failure, CryptFailure::ALREADY_ENCRYPTED);
    EXPECT_TRUE(m_wallet->GetInfo().encrypted);
    EXPECT_EQ(m_wallet->GetInfo().unlocked_until, 0);
    EXPECT_EQ(m_wallet->Send({Recipient{m_stranger, COIN}}).error().failure, SendFailure::LOCKED);
    EXPECT_EQ(m_wallet->GetMnemonic().error().failure, CryptFailure::LOCKED);
    // Public derivation works while locked.
    EXPECT_TRUE(m_wallet->GetNewAddress("", KeyBranch::RECEIVE));

    EXPECT_EQ(m_wallet->Unlock("First", 100).error().failure, CryptFailure::WRONG_PASSPHRASE);
    EXPECT_EQ(m_wallet->Send({Recipient{m_stranger, COIN}}).error().failure, SendFailure::LOCKED);
    ASSERT_TRUE(m_wallet->Unlock("first", 100));
    EXPECT_GT(m_wallet->GetInfo().unlocked_until, 0);
    EXPECT_EQ(*m_wallet->GetMnemonic(), *mnemonic);
    auto sent = m_wallet->Send({Recipient{m_stranger, COIN}});
    ASSERT_TRUE(sent) << sent.error().message;
    ASSERT_TRUE(m_wallet->Lock());
    EXPECT_EQ(m_wallet->Send({Recipient{m_stranger, COIN}}).error().failure, SendFailure::LOCKED);

    // A zero timeout relocks at once (the relock thread).
    ASSERT_TRUE(m_wallet->Unlock("first", 0));
    for (int i = 0; i < 6000 && m_wallet->GetInfo().unlocked_until != 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    EXPECT_EQ(m_wallet->GetInfo().unlocked_until, 0);

    EXPECT_EQ(m_wallet->ChangePassphrase("nope", "second").error().failure, CryptFailure::WRONG_PASSPHRASE);
    ASSERT_TRUE(m_wallet->ChangePassphrase("first", "second"));
    EXPECT_EQ(m_wallet->Unlock("first", 100).error().failure, CryptFailure::WRONG_PASSPHRASE);

    // Reloaded: encrypted and locked; the mnemonic is not in the file.
    ASSERT_TRUE(m_manager->Unload("w"));
    m_wallet.reset();
    const auto path = m_manager->WalletPath("w");
    for (const char* suffix : {"", "-wal"}) {
        std::ifstream in{path.string() + suffix, std::ios::binary};
        const std::string bytes{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
        EXPECT_EQ(bytes.find(*mnemonic), std::string::npos) << suffix;
    }
    {
        auto loaded = m_manager->Load("w");
        ASSERT_TRUE(loaded) << loaded.error().message;
        EXPECT_EQ((*loaded)->Send({Recipient{m_stranger, COIN}}).error().failure, SendFailure::LOCKED);
        ASSERT_TRUE((*loaded)->Unlock("second", 100));
        EXPECT_EQ(*(*loaded)->GetMnemonic(), *mnemonic);
        ASSERT_TRUE(m_manager->Unload("w"));
    }

    // A changed byte of the sealed mnemonic: loads (locked), never unlocks.
    // The value is a BLOB, and a BLOB never equals the TEXT '0': compare the
    // character as TEXT, or a '0' there (1 time in 16) stays unchanged.
    TamperWalletFile(path, "UPDATE meta SET value = CAST(substr(value, 1, 40) || "
                           "(CASE CAST(substr(value, 41, 1) AS TEXT) WHEN '0' THEN '1' ELSE '0' END) || "
                           "substr(value, 42) AS BLOB) WHERE key = 'crypt_mnemonic'");
    {
        auto loaded = m_manager->Load("w");
        ASSERT_TRUE(loaded) << loaded.error().message;
        EXPECT_EQ((*loaded)->Unlock("second", 100).error().failure, CryptFailure::FAILED);
        EXPECT_EQ((*loaded)->GetInfo().unlocked_until, 0);
        ASSERT_TRUE(m_manager->Unload("w"));
    }
    // scrypt parameters beyond the bounds: refused at load.
    TamperWalletFile(path, "UPDATE meta SET value = CAST('2097152' AS BLOB) WHERE key = 'crypt_scrypt_n'");
    auto refused = m_manager->Load("w");
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("damaged encryption"), std::string::npos) << refused.error().message;
}

TEST_F(WalletTest, CreatedEncrypted)
{
    CreateWalletOptions create;
    create.passphrase = "pw";
    auto wallet = m_manager->Create("enc", create);
    ASSERT_TRUE(wallet) << wallet.error().message;
    EXPECT_TRUE((*wallet)->GetInfo().encrypted);
    EXPECT_EQ((*wallet)->GetMnemonic().error().failure, CryptFailure::LOCKED);
    ASSERT_TRUE((*wallet)->Unlock("pw", 100));
    EXPECT_TRUE((*wallet)->GetMnemonic());
    create.disable_private_keys = true;
    EXPECT_FALSE(m_manager->Create("enc2", create));
}

TEST_F(WalletTest, AtMostMaxLoadedWallets)
{
    CreateWalletOptions blank;
    blank.blank = true;
    // "w" is loaded: MAX_LOADED_WALLETS - 1 more fit, the next one does not.
    for (size_t i = 1; i < MAX_LOADED_WALLETS; ++i) {
        auto created = m_manager->Create("b" + std::to_string(i), blank);
        ASSERT_TRUE(created) << created.error().message;
    }
    auto one_more = m_manager->Create("one_more", blank);
    ASSERT_FALSE(one_more);
    EXPECT_EQ(one_more.error().failure, WalletFailure::TOO_MANY);
    EXPECT_FALSE(std::filesystem::exists(m_manager->WalletPath("one_more")));
    // A blank wallet has no keys to hand out.
    EXPECT_FALSE(m_manager->Get("b1")->GetNewAddress("", KeyBranch::RECEIVE));
    ASSERT_TRUE(m_manager->Unload("b1"));
    EXPECT_TRUE(m_manager->Create("one_more", blank));
}

TEST(WalletNames, PlainNamesOnly)
{
    EXPECT_TRUE(CheckWalletName(""));
    EXPECT_TRUE(CheckWalletName("savings 2"));
    EXPECT_TRUE(CheckWalletName(std::string(MAX_WALLET_NAME_LENGTH, 'x')));
    EXPECT_FALSE(CheckWalletName(std::string(MAX_WALLET_NAME_LENGTH + 1, 'x')));
    for (const char* bad : {".", "..", "a/b", "a\\b", "tab\there"}) EXPECT_FALSE(CheckWalletName(bad)) << bad;
}

}  // namespace
}  // namespace hpips::wallet
