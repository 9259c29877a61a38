// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_WALLET_META_H
#define HPIPS_WALLET_WALLET_META_H

/** Internal to the Wallet class, shared by wallet.cpp and
 *  wallet_encryption.cpp: the names of the wallet's meta entries
 *  (doc/wallet.md, "Schema"), the RPC messages of the encryption errors,
 *  and the helpers both halves use. Not part of the wallet's interface. */

#include <util/result.h>
#include <wallet/crypter.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hpips::wallet {

inline constexpr char META_NETWORK[] = "network";
inline constexpr char META_MNEMONIC[] = "mnemonic";
inline constexpr char META_XPUB[] = "account_xpub";
inline constexpr char META_BLANK[] = "blank";
inline constexpr char META_BEST_HASH[] = "best_block_hash";
inline constexpr char META_BEST_HEIGHT[] = "best_block_height";
inline constexpr char META_NEXT_RECEIVE[] = "next_receive_index";
inline constexpr char META_NEXT_CHANGE[] = "next_change_index";
// Encryption (schema 2): the scrypt salt and parameters, the master key
// sealed under the passphrase key, the mnemonic sealed under the master key.
inline constexpr char META_CRYPT_SALT[] = "crypt_salt";
inline constexpr char META_CRYPT_N[] = "crypt_scrypt_n";
inline constexpr char META_CRYPT_R[] = "crypt_scrypt_r";
inline constexpr char META_CRYPT_P[] = "crypt_scrypt_p";
inline constexpr char META_CRYPT_MASTER_KEY[] = "crypt_master_key";
inline constexpr char META_CRYPT_MNEMONIC[] = "crypt_mnemonic";
/** GCM associated data: binds each sealed blob to its purpose. */
inline constexpr char AAD_MASTER_KEY[] = "hpips wallet master key";
inline constexpr char AAD_MNEMONIC[] = "hpips wallet mnemonic";

inline constexpr const char* MSG_WRONG_PASSPHRASE = "Error: The wallet passphrase entered was incorrect.";
inline constexpr const char* MSG_LOCKED = "Error: Please enter the wallet passphrase with walletpassphrase first.";
inline constexpr const char* MSG_NOT_ENCRYPTED =
    "Error: running with an unencrypted wallet, but walletpassphrase was called.";

/** A meta entry's decimal integer, nullopt when absent or malformed. */
std::optional<int64_t> ParseMetaInt(const std::optional<std::string>& text);

/** Wipes a string holding a secret (its whole capacity is not reachable;
 *  the characters are). */
void Wipe(std::string& secret);

/** Meta entries sealing `master_key` under `passphrase` with a fresh salt. */
Result<std::vector<std::pair<std::string, std::string>>> SealMasterKey(const CryptoKey& master_key,
                                                                       std::string_view passphrase);

/** Meta entries of a new encryption of `mnemonic`: a new master key sealed
 *  under `passphrase`, the mnemonic sealed under it. */
Result<std::vector<std::pair<std::string, std::string>>> EncryptMnemonic(std::string_view mnemonic,
                                                                         std::string_view passphrase);

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_WALLET_META_H
