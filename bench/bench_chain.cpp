// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Chain benchmarks (contrib/bench.sh):
//   connect_block/2000_inputs/baseline     ConnectBlock of a block spending 2,000 signed
//                                          inputs (coins cache warm, signatures checked)
//                                          on one thread (-par=1: a queue without workers)
//   connect_block/2000_inputs/threads:N    the same with N threads verifying signatures
//                                          (-par=N: the connecting thread and N-1 workers)
//   connect_block/2000_inputs/verify_only  the 2,000 BIP-340 verifications alone, on one
//                                          thread: the floor of the baseline
//   reindex/<N>_blocks/ours             -reindex of an N-block regtest chain (blocks/s)
//   reindex/<N>_blocks/baseline         reading and decoding the same block files only
// N is 10,000 unless HPIPS_BENCH_REINDEX_BLOCKS says otherwise.
#include <chain/block_connect.h>
#include <chain/chainstate.h>
#include <chain/check_queue.h>
#include <consensus/tx_check.h>
#include <crypto/key.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <primitives/sighash.h>
#include <util/logging.h>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>

namespace hpips {
namespace {

constexpr size_t SPEND_INPUTS = 2000;

std::filesystem::path TempPath(const std::string& name)
{
    std::random_device rd;
    return std::filesystem::temp_directory_path() / ("hpips_bench_" + name + "_" + std::to_string(rd()));
}

struct BenchWallet {
    PrivKey key = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x5a));
    Destination Dest() const
    {
        return KeyDestination(key.GetXOnlyPubKey());
    }
    Transaction Sign(MutableTransaction mtx, const std::vector<TxOut>& spent) const
    {
        const Transaction unsigned_tx{mtx};
        const auto pre = PrecomputedTxData::Compute(unsigned_tx, spent);
        for (size_t i = 0; i < mtx.inputs.size(); ++i) {
            const auto sig = key.SignSchnorr(SignatureHash(unsigned_tx, static_cast<uint32_t>(i), *pre, Network::REGTEST),
                                             std::array<uint8_t, 32>{});
            mtx.inputs[i].witness.assign(sig.begin(), sig.end());
        }
        return Transaction{mtx};
    }
};

/** A chainstate in a temporary directory with a deterministic clock. */
struct BenchChain {
    std::filesystem::path dir;
    int64_t now{Params(Network::REGTEST).genesis.header.time + 100};
    std::unique_ptr<Chainstate> chainstate;

    explicit BenchChain(const std::string& name, bool reindex = false, std::filesystem::path existing = {})
    {
        dir = existing.empty() ? TempPath(name) : existing;
        std::filesystem::create_directories(dir);
        Open(reindex);
    }
    ~BenchChain()
    {
        chainstate.reset();
        std::filesystem::remove_all(dir);
    }
    void Open(bool reindex)
    {
        chainstate.reset();
        ChainstateOptions options;
        options.datadir = dir;
        options.reindex = reindex;
        options.now = [this] { return now; };
        auto opened = Chainstate::Open(Params(Network::REGTEST), options);
        if (!opened) std::abort();
        chainstate = std::move(*opened);
    }
    Block Mine(const Destination& payout, std::vector<Transaction> txs = {}, Amount fees = 0)
    {
        now += 60;
        auto tmpl = CreateBlockTemplate(*chainstate, payout, txs, fees, now);
        return std::move(**MineBlock(*tmpl, chainstate->Params(), nullptr, nullptr, nullptr));
    }
    void MineAndSubmit(const Destination& payout, std::vector<Transaction> txs = {}, Amount fees = 0)
    {
        const Block block = Mine(payout, std::move(txs), fees);
        BlockValidationState state;
        if (!chainstate->ProcessNewBlock(block, state)) std::abort();
    }
};

/** A chain with 2,000 spendable outputs and a (valid) block spending them all. */
struct ConnectFixture {
    BenchWallet wallet;
    BenchChain chain{"connect"};
    Block spend_block;
    std::vector<TxOut> spent;

    ConnectFixture()
    {
        GetLogger().SetPrintToConsole(false);
        for (int i = 0; i < 101; ++i) chain.MineAndSubmit(wallet.Dest());
        // Fan the first coinbase out into SPEND_INPUTS outputs.
        const Block first = *chain.chainstate->ReadBlock(*chain.chainstate->GetBlockHashAt(1));
        const TxOut coinbase_out = first.txs[0].outputs()[0];
        MutableTransaction fan;
        fan.inputs = {TxIn{OutPoint{first.txs[0].GetTxid(), 0}, SEQUENCE_FINAL, {}}};
        const Amount each = (coinbase_out.amount - COIN) / SPEND_INPUTS;
        for (size_t i = 0; i < SPEND_INPUTS; ++i) fan.outputs.push_back(TxOut{each, wallet.Dest()});
        const Transaction fan_tx = wallet.Sign(fan, {coinbase_out});
        chain.MineAndSubmit(wallet.Dest(), {fan_tx}, coinbase_out.amount - each * SPEND_INPUTS);
        // One transaction spending all of them.
        MutableTransaction gather;
        for (uint32_t i = 0; i < SPEND_INPUTS; ++i) {
            gather.inputs.push_back(TxIn{OutPoint{fan_tx.GetTxid(), i}, SEQUENCE_FINAL, {}});
            spent.push_back(fan_tx.outputs()[i]);
        }
        gather.outputs = {TxOut{each * static_cast<Amount>(SPEND_INPUTS) - COIN, wallet.Dest()}};
        spend_block = chain.Mine(wallet.Dest(), {wallet.Sign(gather, spent)}, COIN);
    }
};

ConnectFixture& Connect()
{
    static ConnectFixture fixture;
    return fixture;
}

/** ConnectBlock with THREADS threads verifying signatures. */
template <size_t THREADS>
void BM_ConnectBlock(benchmark::State& state)
{
    ConnectFixture& f = Connect();
    const int64_t height = f.chain.chainstate->Height() + 1;
    // Created once, as the chainstate does; its workers sleep between blocks.
    SignatureCheckQueue queue{THREADS - 1};
    for (auto _ : state) {
        // A fresh coins view per iteration: the chainstate's cache is not
        // reachable from here, so read the spent coins through a cache over a
        // view that serves them from the chainstate (warm, as at the tip).
        class TipView : public CoinsView {
        public:
            explicit TipView(const Chainstate& cs) : m_cs{cs} {}
            std::optional<Coin> GetCoin(const OutPoint& outpoint) const override { return m_cs.GetCoin(outpoint); }
            uint256 GetBestBlock() const override { return m_cs.TipHash(); }
            Result<void> BatchWrite(const CoinsMap&, const uint256&) override { return {}; }

        private:
            const Chainstate& m_cs;
        } tip{*f.chain.chainstate};
        CoinsViewCache cache{tip};
        state.PauseTiming();
        for (const TxIn& in : f.spend_block.txs[1].inputs()) cache.GetCoin(in.prevout);  // warm
        state.ResumeTiming();
        BlockValidationState validation;
        auto undo =
            ConnectBlock(f.spend_block, height, f.chain.chainstate->Params(), cache, true, validation, &queue);
        if (!undo) state.SkipWithError(validation.ToString().c_str());
        benchmark::DoNotOptimize(undo);
    }
    state.counters["inputs/s"] =
        benchmark::Counter(static_cast<double>(SPEND_INPUTS), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_VerifySignatures(benchmark::State& state)
{
    ConnectFixture& f = Connect();
    const Transaction& tx = f.spend_block.txs[1];
    for (auto _ : state) {
        TxValidationState validation;
        const bool ok = VerifyTransactionSignatures(tx, f.spent, Network::REGTEST, validation);
        if (!ok) state.SkipWithError(validation.ToString().c_str());
    }
    state.counters["inputs/s"] =
        benchmark::Counter(static_cast<double>(SPEND_INPUTS), benchmark::Counter::kIsIterationInvariantRate);
}

size_t ReindexBlocks()
{
    const char* env = std::getenv("HPIPS_BENCH_REINDEX_BLOCKS");
    return env != nullptr ? std::strtoul(env, nullptr, 10) : 10'000;
}

/** An N-block chain on disk, mined once per process. */
struct ReindexFixture {
    BenchWallet wallet;
    std::unique_ptr<BenchChain> chain;
    ReindexFixture()
    {
        GetLogger().SetPrintToConsole(false);
        chain = std::make_unique<BenchChain>("reindex");
        for (size_t i = 0; i < ReindexBlocks(); ++i) chain->MineAndSubmit(wallet.Dest());
        chain->chainstate.reset();
    }
};

ReindexFixture& Reindex()
{
    static ReindexFixture fixture;
    return fixture;
}

void BM_Reindex(benchmark::State& state)
{
    ReindexFixture& f = Reindex();
    for (auto _ : state) {
        f.chain->Open(/*reindex=*/true);
        if (f.chain->chainstate->Height() != static_cast<int64_t>(ReindexBlocks())) state.SkipWithError("short chain");
        f.chain->chainstate.reset();
    }
    state.counters["blocks/s"] =
        benchmark::Counter(static_cast<double>(ReindexBlocks()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_ReadBlockFiles(benchmark::State& state)
{
    ReindexFixture& f = Reindex();
    for (auto _ : state) {
        auto storage = BlockStorage::Open(f.chain->dir / "blocks", Params(Network::REGTEST).message_start);
        size_t blocks = 0;
        auto scanned = (*storage)->ForEachBlock([&](const FlatFilePos&, Block&&) {
            ++blocks;
            return true;
        });
        benchmark::DoNotOptimize(scanned);
        benchmark::DoNotOptimize(blocks);
    }
    state.counters["blocks/s"] =
        benchmark::Counter(static_cast<double>(ReindexBlocks()), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace
}  // namespace hpips

BENCHMARK(hpips::BM_ConnectBlock<1>)->Name("connect_block/2000_inputs/baseline")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(hpips::BM_ConnectBlock<2>)->Name("connect_block/2000_inputs/threads:2")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(hpips::BM_VerifySignatures)->Name("connect_block/2000_inputs/verify_only")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(hpips::BM_Reindex)->Name("reindex/blocks/ours")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(hpips::BM_ReadBlockFiles)->Name("reindex/blocks/baseline")->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
