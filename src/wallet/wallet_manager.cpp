// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/wallet_manager.h>

#include <util/logging.h>

#include <algorithm>
#include <fstream>

namespace hpips::wallet {
namespace {

constexpr char WALLET_FILE[] = "wallet.dat";
/** Longest startup list read (bytes): MAX_LOADED_WALLETS names of the longest length. */
constexpr size_t MAX_AUTOLOAD_BYTES = MAX_LOADED_WALLETS * (MAX_WALLET_NAME_LENGTH + 1);

}  // namespace

Result<void> CheckWalletName(const std::string& name)
{
    if (name.size() > MAX_WALLET_NAME_LENGTH) {
        return Error{"Wallet name too long (at most " + std::to_string(MAX_WALLET_NAME_LENGTH) + " bytes)"};
    }
    if (name == "." || name == "..") return Error{"Invalid wallet name"};
    for (const char c : name) {
        if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return Error{"Invalid wallet name: it must be a plain name, not a path"};
        }
    }
    return {};
}

WalletManager::WalletManager(WalletChain& chain, std::filesystem::path wallets_dir, WalletOptions options)
    : m_chain{chain}, m_dir{std::move(wallets_dir)}, m_options{options}
{
}

WalletManager::~WalletManager() { UnloadAll(); }

std::filesystem::path WalletManager::WalletPath(const std::string& name) const
{
    return name.empty() ? m_dir / WALLET_FILE : m_dir / name / WALLET_FILE;
}

Result<std::shared_ptr<Wallet>, WalletError> WalletManager::Add(const std::string& name,
                                                                Result<std::shared_ptr<Wallet>> opened)
{
    auto done_loading = [&] {
        LockGuard lock{m_mutex};
        m_loading.erase(std::find(m_loading.begin(), m_loading.end(), name));
    };
    if (!opened) {
        done_loading();
        return WalletError{WalletFailure::LOAD_FAILED, opened.error_message()};
    }
    std::shared_ptr<Wallet> wallet = std::move(*opened);
    if (auto attached = wallet->Attach(); !attached) {
        wallet->Detach();
        done_loading();
        return WalletError{WalletFailure::LOAD_FAILED, "Wallet " + name + ": " + attached.error_message()};
    }
    LockGuard lock{m_mutex};
    m_loading.erase(std::find(m_loading.begin(), m_loading.end(), name));
    m_wallets.push_back(wallet);
    LogInfo("Wallet \"{}\" loaded", name);
    return wallet;
}

Result<std::shared_ptr<Wallet>, WalletError> WalletManager::Create(const std::string& name,
                                                                   const CreateWalletOptions& create)
{
    if (auto ok = CheckWalletName(name); !ok) return WalletError{WalletFailure::INVALID_NAME, ok.error_message()};
    const auto path = WalletPath(name);
    {
        LockGuard lock{m_mutex};
        if (m_wallets.size() + m_loading.size() >= MAX_LOADED_WALLETS) {
            return WalletError{WalletFailure::TOO_MANY, "Too many wallets loaded (at most " +
                                                            std::to_string(MAX_LOADED_WALLETS) + ")"};
        }
        const bool busy = std::any_of(m_wallets.begin(), m_wallets.end(), [&](const auto& w) { return w->Name() == name; }) ||
                          std::find(m_loading.begin(), m_loading.end(), name) != m_loading.end();
        std::error_code ec;
        if (busy || std::filesystem::exists(path, ec)) {
            return WalletError{WalletFailure::ALREADY_EXISTS,
                               "Failed to create database path '" + path.parent_path().string() +
                                   "'. Database already exists."};
        }
        m_loading.push_back(name);
    }
    return Add(name, Wallet::Create(name, path, m_chain, m_options, create));
}

Result<std::shared_ptr<Wallet>, WalletError> WalletManager::Load(const std::string& name)
{
    if (auto ok = CheckWalletName(name); !ok) return WalletError{WalletFailure::INVALID_NAME, ok.error_message()};
    const auto path = WalletPath(name);
    {
        LockGuard lock{m_mutex};
        const bool loaded = std::any_of(m_wallets.begin(), m_wallets.end(), [&](const auto& w) { return w->Name() == name; }) ||
                            std::find(m_loading.begin(), m_loading.end(), name) != m_loading.end();
        if (loaded) {
            return WalletError{WalletFailure::ALREADY_LOADED,
                               "Wallet \"" + name + "\" is already loaded."};
        }
        if (m_wallets.size() + m_loading.size() >= MAX_LOADED_WALLETS) {
            return WalletError{WalletFailure::TOO_MANY, "Too many wallets loaded (at most " +
                                                            std::to_string(MAX_LOADED_WALLETS) + ")"};
        }
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            return WalletError{WalletFailure::NOT_FOUND,
                               "Wallet file verification failed. Failed to load database path '" +
                                   path.parent_path().string() + "'. Path does not exist."};
        }
        m_loading.push_back(name);
    }
    return Add(name, Wallet::Load(name, path, m_chain, m_options));
}

Result<void, WalletError> WalletManager::Unload(const std::string& name)
{
    std::shared_ptr<Wallet> wallet;
    {
        LockGuard lock{m_mutex};
        const auto it = std::find_if(m_wallets.begin(), m_wallets.end(), [&](const auto& w) { return w->Name() == name; });
        if (it == m_wallets.end()) {
            return WalletError{WalletFailure::NOT_FOUND, "Requested wallet does not exist or is not loaded"};
        }
        wallet = *it;
        m_wallets.erase(it);
    }
    // No more events; an RPC still holding the wallet finishes with its copy
    // of the pointer, and the file closes when the last one lets go.
    wallet->Detach();
    LogInfo("Wallet \"{}\" unloaded", name);
    return {};
}

void WalletManager::UnloadAll()
{
    std::vector<std::shared_ptr<Wallet>> wallets;
    {
        LockGuard lock{m_mutex};
        wallets.swap(m_wallets);
    }
    for (auto& wallet : wallets) wallet->Detach();
}

std::shared_ptr<Wallet> WalletManager::Get(const std::string& name) const
{
    LockGuard lock{m_mutex};
    for (const auto& wallet : m_wallets) {
        if (wallet->Name() == name) return wallet;
    }
    return nullptr;
}

std::vector<std::string> WalletManager::List() const
{
    LockGuard lock{m_mutex};
    std::vector<std::string> names;
    for (const auto& wallet : m_wallets) names.push_back(wallet->Name());
    return names;
}

std::vector<std::shared_ptr<Wallet>> WalletManager::Wallets() const
{
    LockGuard lock{m_mutex};
    return m_wallets;
}

std::vector<std::string> WalletManager::StartupList() const
{
    std::vector<std::string> names;
    std::ifstream in{m_dir / AUTOLOAD_FILE};
    std::string line;
    size_t bytes{0};
    while (names.size() < MAX_LOADED_WALLETS && std::getline(in, line)) {
        bytes += line.size() + 1;
        if (bytes > MAX_AUTOLOAD_BYTES) break;
        if (CheckWalletName(line) && std::find(names.begin(), names.end(), line) == names.end()) {
            names.push_back(line);
        }
    }
    return names;
}

Result<void> WalletManager::SetLoadOnStartup(const std::string& name, bool load)
{
    LockGuard lock{m_autoload_mutex};
    auto names = StartupList();
    names.erase(std::remove(names.begin(), names.end(), name), names.end());
    if (load) names.push_back(name);
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    const auto path = m_dir / AUTOLOAD_FILE;
    const auto tmp = m_dir / (std::string{AUTOLOAD_FILE} + ".new");
    {
        std::ofstream out{tmp, std::ios::trunc};
        for (const auto& n : names) out << n << "\n";
        out.close();
        if (!out) return Error{"Cannot write " + tmp.string()};
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) return Error{"Cannot write " + path.string() + ": " + ec.message()};
    return {};
}

}  // namespace hpips::wallet
