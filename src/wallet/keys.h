// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_KEYS_H
#define HPIPS_WALLET_KEYS_H

#include <crypto/bip32.h>
#include <crypto/key.h>
#include <primitives/network.h>
#include <util/result.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/**
 * The wallet's keys: one BIP-32 account, derived from a BIP-39 mnemonic (no
 * BIP-39 passphrase) along a fixed path per network (doc/wallet.md, "Keys"):
 *
 *   m / 86' / coin' / 0' / branch / index
 *
 * purpose 86 as BIP-86 (every HPIPS output pays to one x-only key, like a
 * key-path taproot output); coin = WALLET_COIN_TYPE_MAIN on main, 1 on test
 * and regtest (the value Bitcoin's test networks use); branch 0 = receive,
 * 1 = change. A watch-only chain holds only the account's xpub
 * (m/86'/coin'/0') and derives the same public keys.
 */
namespace hpips::wallet {

/** BIP-43 purpose of the account path. */
constexpr uint32_t WALLET_PURPOSE = 86;
/** Coin type on main: HPIPS has no SLIP-44 registration yet; this value is
 *  provisional and documented in doc/wallet.md. Distinct from Bitcoin's 0 so
 *  one mnemonic never yields the same keys on both chains. */
constexpr uint32_t WALLET_COIN_TYPE_MAIN = 5353;
/** Coin type on test and regtest. */
constexpr uint32_t WALLET_COIN_TYPE_TEST = 1;
/** Largest child index (non-hardened). */
constexpr uint32_t MAX_KEY_INDEX = BIP32_HARDENED - 1;

/** Receive and change branches below the account. */
enum class KeyBranch : uint32_t { RECEIVE = 0, CHANGE = 1 };

/** The account path for `net`, e.g. "m/86h/1h/0h". */
std::string AccountPath(Network net);

/** Derives the account's keys. Holds the account's private extended key
 *  (nullopt for watch-only) and the two branch keys; move-only because of
 *  the secrets. */
class KeyChain {
public:
    /** From a BIP-39 mnemonic (validated: word list, count, checksum). */
    static Result<KeyChain> FromMnemonic(std::string_view mnemonic, Network net);
    /** Watch-only, from the account-level xpub. */
    static Result<KeyChain> FromAccountXpub(std::string_view xpub);
    /** A new 24-word mnemonic from 32 bytes of strong randomness. */
    static std::string NewMnemonic();

    KeyChain(KeyChain&&) noexcept = default;
    KeyChain& operator=(KeyChain&&) noexcept = default;

    bool HasPrivateKeys() const { return m_account.has_value(); }
    /** The account's xpub (what a watch-only copy needs). */
    std::string AccountXpub() const { return m_account_pub.ToString(); }
    /** The public key at branch/index (one CKDpub). */
    Result<XOnlyPubKey> PubKeyAt(KeyBranch branch, uint32_t index) const;
    /** The private key at branch/index; fails for watch-only. */
    Result<PrivKey> PrivKeyAt(KeyBranch branch, uint32_t index) const;

private:
    KeyChain(std::optional<ExtKey> account, ExtPubKey account_pub, ExtPubKey receive, ExtPubKey change);

    std::optional<ExtKey> m_account;
    ExtPubKey m_account_pub;
    ExtPubKey m_receive;
    ExtPubKey m_change;
};

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_KEYS_H
