// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The wallet's storage on a large wallet (issue 10, section 4): 100,000
// transactions and 50,000 unspent outputs (100,000 outputs received, half of
// them spent), built directly through WalletDB (no mining), then the queries
// behind getbalance / getbalances (one SUM over the partial index of unspent
// outputs), listunspent (every unspent output) and the newest page of
// listtransactions.
#include <wallet/walletdb.h>

#include <primitives/amount.h>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

using namespace hpips;
using namespace hpips::wallet;

constexpr int64_t TRANSACTIONS = 100'000;
constexpr int64_t SPENT = 50'000;
constexpr int64_t BLOCKS = 10'000;
constexpr int64_t KEYS = 1'000;

uint256 Id(uint64_t n, uint8_t tag)
{
    uint256 h;
    for (int i = 0; i < 8; ++i) h.begin()[i] = static_cast<uint8_t>(n >> (8 * i));
    h.begin()[31] = tag;
    return h;
}

/** The generated wallet, built once per process in a temporary directory. */
class LargeWallet {
public:
    LargeWallet()
    {
        std::string tmpl{(std::filesystem::temp_directory_path() / "hpips_bench_wallet_XXXXXX").string()};
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error{"mkdtemp failed"};
        m_dir = tmpl;
        auto db = WalletDB::Create(m_dir / "wallet.dat", {{"network", "regtest"}});
        if (!db) throw std::runtime_error{db.error_message()};
        m_db = std::move(*db);
        auto built = m_db->Batch([&]() -> Result<void> {
            for (int64_t k = 0; k < KEYS; ++k) {
                std::vector<uint8_t> xonly(32, 0);
                xonly[0] = static_cast<uint8_t>(k);
                xonly[1] = static_cast<uint8_t>(k >> 8);
                if (auto r = m_db->AddKey({0, static_cast<uint32_t>(k), xonly, true}); !r) return r;
            }
            for (int64_t i = 0; i < TRANSACTIONS; ++i) {
                TxRecord tx;
                tx.txid = Id(static_cast<uint64_t>(i), 1);
                tx.raw = std::vector<uint8_t>(150, static_cast<uint8_t>(i));
                tx.time = 1'700'000'000 + i;
                tx.block_hash = Id(static_cast<uint64_t>(i * BLOCKS / TRANSACTIONS), 2);
                tx.block_height = i * BLOCKS / TRANSACTIONS;
                if (auto r = m_db->WriteTx(tx); !r) return r;
                OutputRecord out;
                out.outpoint = {tx.txid, static_cast<uint32_t>(i % 2)};
                out.amount = COIN + i;
                out.xonly = std::vector<uint8_t>(32, static_cast<uint8_t>(i % KEYS));
                out.index = static_cast<uint32_t>(i % KEYS);
                out.height = tx.block_height;
                out.coinbase = i % 50 == 0;
                if (i < SPENT) out.spent_by = Id(static_cast<uint64_t>(i), 3);
                if (auto r = m_db->AddOutput(out); !r) return r;
            }
            return {};
        });
        if (!built) throw std::runtime_error{built.error_message()};
    }
    ~LargeWallet()
    {
        m_db.reset();
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    WalletDB& db() { return *m_db; }

private:
    std::filesystem::path m_dir;
    std::unique_ptr<WalletDB> m_db;
};

LargeWallet& Wallet()
{
    static LargeWallet wallet;
    return wallet;
}

void BM_WalletGetBalance(benchmark::State& state)
{
    auto& db = Wallet().db();
    for (auto _ : state) {
        auto balances = db.Balances(BLOCKS, 1);
        if (!balances) state.SkipWithError(balances.error_message().c_str());
        benchmark::DoNotOptimize(balances);
    }
}
BENCHMARK(BM_WalletGetBalance)->Unit(benchmark::kMillisecond);

void BM_WalletListUnspent(benchmark::State& state)
{
    auto& db = Wallet().db();
    UnspentFilter filter;
    filter.tip_height = BLOCKS;
    filter.min_conf = 1;
    size_t count{0};
    for (auto _ : state) {
        auto coins = db.ListUnspent(filter);
        if (!coins) state.SkipWithError(coins.error_message().c_str());
        count = coins->size();
        benchmark::DoNotOptimize(coins);
    }
    state.counters["utxos"] = static_cast<double>(count);
}
BENCHMARK(BM_WalletListUnspent)->Unit(benchmark::kMillisecond);

void BM_WalletListTransactionsNewest(benchmark::State& state)
{
    auto& db = Wallet().db();
    for (auto _ : state) {
        auto txs = db.ListTxsNewestFirst(10, 0);
        benchmark::DoNotOptimize(txs);
    }
}
BENCHMARK(BM_WalletListTransactionsNewest)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
