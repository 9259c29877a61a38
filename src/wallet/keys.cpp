// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/keys.h>

#include <crypto/bip39.h>
#include <crypto/cleanse.h>
#include <crypto/random.h>

#include <array>

namespace hpips::wallet {

std::string AccountPath(Network net)
{
    const uint32_t coin = net == Network::MAIN ? WALLET_COIN_TYPE_MAIN : WALLET_COIN_TYPE_TEST;
    return "m/" + std::to_string(WALLET_PURPOSE) + "h/" + std::to_string(coin) + "h/0h";
}

KeyChain::KeyChain(std::optional<ExtKey> account, ExtPubKey account_pub, ExtPubKey receive, ExtPubKey change)
    : m_account{std::move(account)}, m_account_pub{std::move(account_pub)}, m_receive{std::move(receive)},
      m_change{std::move(change)}
{
}

std::string KeyChain::NewMnemonic()
{
    std::array<uint8_t, BIP39_MAX_ENTROPY_SIZE> entropy{};
    GetStrongRandBytes(entropy);
    auto mnemonic = MnemonicFromEntropy(entropy);
    MemoryCleanse(entropy.data(), entropy.size());
    // 32 bytes is an allowed size: MnemonicFromEntropy cannot fail here.
    return std::move(*mnemonic);
}

Result<KeyChain> KeyChain::FromMnemonic(std::string_view mnemonic, Network net)
{
    auto entropy = EntropyFromMnemonic(mnemonic);
    if (!entropy) return Error{"Invalid mnemonic: " + entropy.error_message()};
    MemoryCleanse(entropy->data(), entropy->size());
    auto seed = SeedFromMnemonic(mnemonic, "");
    if (!seed) return Error{"Invalid mnemonic: " + seed.error_message()};
    auto master = ExtKey::FromSeed(*seed);
    MemoryCleanse(seed->data(), seed->size());
    if (!master) return master.error();
    auto account = master->DerivePath(AccountPath(net));
    if (!account) return account.error();
    ExtPubKey account_pub = account->Neuter();
    auto receive = account_pub.Derive(static_cast<uint32_t>(KeyBranch::RECEIVE));
    auto change = account_pub.Derive(static_cast<uint32_t>(KeyBranch::CHANGE));
    if (!receive || !change) return Error{"Cannot derive the wallet's branch keys"};
    return KeyChain{std::move(*account), std::move(account_pub), std::move(*receive), std::move(*change)};
}

Result<KeyChain> KeyChain::FromAccountXpub(std::string_view xpub)
{
    auto account_pub = ExtPubKey::FromString(xpub);
    if (!account_pub) return Error{"Invalid xpub: " + account_pub.error_message()};
    auto receive = account_pub->Derive(static_cast<uint32_t>(KeyBranch::RECEIVE));
    auto change = account_pub->Derive(static_cast<uint32_t>(KeyBranch::CHANGE));
    if (!receive || !change) return Error{"Cannot derive the wallet's branch keys"};
    return KeyChain{std::nullopt, std::move(*account_pub), std::move(*receive), std::move(*change)};
}

Result<XOnlyPubKey> KeyChain::PubKeyAt(KeyBranch branch, uint32_t index) const
{
    if (index > MAX_KEY_INDEX) return Error{"Key index out of range"};
    const ExtPubKey& parent = branch == KeyBranch::RECEIVE ? m_receive : m_change;
    auto child = parent.Derive(index);
    if (!child) return child.error();
    return child->GetPubKey().GetXOnlyPubKey();
}

Result<PrivKey> KeyChain::PrivKeyAt(KeyBranch branch, uint32_t index) const
{
    if (!m_account) return Error{"Private keys are disabled for this wallet"};
    if (index > MAX_KEY_INDEX) return Error{"Key index out of range"};
    auto branch_key = m_account->Derive(static_cast<uint32_t>(branch));
    if (!branch_key) return branch_key.error();
    auto child = branch_key->Derive(index);
    if (!child) return child.error();
    return child->GetPrivKey().Clone();
}

}  // namespace hpips::wallet
