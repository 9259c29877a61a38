// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_WALLET_MANAGER_H
#define HPIPS_WALLET_WALLET_MANAGER_H

#include <util/result.h>
#include <util/threadsafety.h>
#include <wallet/chain_interface.h>
#include <wallet/wallet.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

/**
 * The node's loaded wallets, by name (createwallet, loadwallet,
 * unloadwallet, listwallets, -wallet=). Wallet `name` lives in
 * <datadir>/wallets/<name>/wallet.dat (Core's layout); the default wallet
 * "" in <datadir>/wallets/wallet.dat. Names are plain file names (see
 * CheckWalletName), never paths. Thread-safe.
 */
namespace hpips::wallet {

/** Longest wallet name (bytes). */
constexpr size_t MAX_WALLET_NAME_LENGTH = 255;
/** Most wallets loaded at once: each holds an SQLite connection and its keypool. */
constexpr size_t MAX_LOADED_WALLETS = 64;
/** The file holding the names to load at startup (load_on_startup), one a line, in the wallets directory. */
constexpr char AUTOLOAD_FILE[] = "autoload.txt";

/** Why a wallet operation failed: the RPC layer maps each to Core's code. */
enum class WalletFailure {
    INVALID_NAME,     //!< RPC_INVALID_PARAMETER
    ALREADY_EXISTS,   //!< RPC_WALLET_ERROR "Database already exists."
    ALREADY_LOADED,   //!< RPC_WALLET_ALREADY_LOADED
    NOT_FOUND,        //!< RPC_WALLET_NOT_FOUND
    TOO_MANY,         //!< RPC_WALLET_ERROR
    LOAD_FAILED,      //!< RPC_WALLET_ERROR (corrupt, foreign, other network)
};
struct WalletError {
    WalletFailure failure;
    std::string message;
};

/** Checks a wallet name: at most MAX_WALLET_NAME_LENGTH bytes, no '/', '\\'
 *  or control characters, not "." or "..". The empty name is the default wallet. */
Result<void> CheckWalletName(const std::string& name);

class WalletManager {
public:
    WalletManager(WalletChain& chain, std::filesystem::path wallets_dir, WalletOptions options);
    ~WalletManager();
    WalletManager(const WalletManager&) = delete;
    WalletManager& operator=(const WalletManager&) = delete;

    Result<std::shared_ptr<Wallet>, WalletError> Create(const std::string& name, const CreateWalletOptions& create)
        LOCKS_EXCLUDED(m_mutex);
    Result<std::shared_ptr<Wallet>, WalletError> Load(const std::string& name) LOCKS_EXCLUDED(m_mutex);
    Result<void, WalletError> Unload(const std::string& name) LOCKS_EXCLUDED(m_mutex);
    /** Unloads every wallet (shutdown). */
    void UnloadAll() LOCKS_EXCLUDED(m_mutex);

    std::shared_ptr<Wallet> Get(const std::string& name) const LOCKS_EXCLUDED(m_mutex);
    /** Names of the loaded wallets, in load order. */
    std::vector<std::string> List() const LOCKS_EXCLUDED(m_mutex);
    std::vector<std::shared_ptr<Wallet>> Wallets() const LOCKS_EXCLUDED(m_mutex);

    /** Adds or removes `name` in the startup list (load_on_startup). */
    Result<void> SetLoadOnStartup(const std::string& name, bool load) LOCKS_EXCLUDED(m_mutex);
    /** The names in the startup list. */
    std::vector<std::string> StartupList() const;

    std::filesystem::path WalletPath(const std::string& name) const;
    const WalletOptions& Options() const { return m_options; }
    WalletChain& Chain() const { return m_chain; }

private:
    Result<std::shared_ptr<Wallet>, WalletError> Add(const std::string& name, Result<std::shared_ptr<Wallet>> opened)
        LOCKS_EXCLUDED(m_mutex);

    WalletChain& m_chain;
    const std::filesystem::path m_dir;
    const WalletOptions m_options;
    mutable Mutex m_mutex;
    /** Loaded wallets in load order. */
    std::vector<std::shared_ptr<Wallet>> m_wallets GUARDED_BY(m_mutex);
    /** Names being created or loaded right now (a second call for the same name fails). */
    std::vector<std::string> m_loading GUARDED_BY(m_mutex);
    mutable Mutex m_autoload_mutex;
};

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_WALLET_MANAGER_H
