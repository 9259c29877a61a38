// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The wallet database loader on arbitrary files: the bytes are written as a
// wallet file and WalletDB::Open must either refuse it with an error or open
// it; an opened file must answer every read the wallet makes at load and for
// its RPCs (keys, meta, balances, unspent outputs, transactions) without
// faulting, whatever the rows hold (doc/wallet.md, "Storage").
//
// Input: the wallet file's bytes.
#include <wallet/walletdb.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

/** One scratch directory per process, removed at exit. */
class Scratch {
public:
    Scratch()
    {
        std::string tmpl{(std::filesystem::temp_directory_path() / "hpips_fuzz_wallet_XXXXXX").string()};
        if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
        m_path = tmpl;
    }
    ~Scratch()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static Scratch scratch;
    const auto path = scratch.path() / "wallet.dat";
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(path.string() + suffix, ec);
    }
    {
        std::ofstream out{path, std::ios::binary | std::ios::trunc};
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        if (!out) std::abort();
    }
    auto db = hpips::wallet::WalletDB::Open(path);
    if (!db) {
        if (db.error_message().empty()) std::abort();  // an error always says why
        return 0;
    }
    auto& wallet = **db;
    (void)wallet.GetMeta("network");
    (void)wallet.GetMeta("mnemonic");
    (void)wallet.LoadKeys();
    (void)wallet.Balances(100, 0);
    (void)wallet.Balances(-1, 1);
    hpips::wallet::UnspentFilter filter;
    filter.tip_height = 1000;
    filter.min_conf = 0;
    (void)wallet.ListUnspent(filter);
    (void)wallet.ListTxsNewestFirst(10, 0);
    (void)wallet.ListUnconfirmedTxs();
    (void)wallet.CountTxs();
    return 0;
}
