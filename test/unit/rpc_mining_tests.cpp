// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "rpc_chain_fixture.h"

#include <kernels/device.h>
#include <mining/miner.h>
#include <pouw/engine.h>
#include <pouw/params.h>
#include <pouw/ticket.h>
#include <primitives/block.h>
#include <rpc/tx_json.h>
#include <util/strencodings.h>

#include <chrono>
#include <thread>

namespace hpips::test {
namespace {

using MiningRpcTest = RpcChainTest;

std::string Str(const json::value& value) { return std::string{value.as_string()}; }

TEST_F(MiningRpcTest, GenerateToAddress)
{
    const json::value hashes = Call("generatetoaddress", "[3, " + Quote(Address()) + "]");
    ASSERT_EQ(hashes.as_array().size(), 3u);
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), 3);
    EXPECT_EQ(hashes.at(2).as_string(), Call("getbestblockhash").as_string());
    EXPECT_EQ(hashes.at(0).as_string(), *HashAt(1));
    // The coinbase pays the address.
    const json::value out = Call("gettxout", "[" + Quote(CoinbaseTxid(2)) + ", 0]");
    EXPECT_EQ(out.at("scriptPubKey").at("address").as_string(), Address());

    EXPECT_TRUE(Call("generatetoaddress", "[0, " + Quote(Address()) + "]").as_array().empty());
    // No tries, no blocks.
    EXPECT_TRUE(Call("generatetoaddress", "[2, " + Quote(Address()) + ", 0]").as_array().empty());
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), 3);

    CallError error = Fail("generatetoaddress", "[1, \"rhp1bad\"]");
    EXPECT_EQ(error.code, -5);
    EXPECT_EQ(error.message, "Error: Invalid address");
    EXPECT_EQ(Fail("generatetoaddress", "[1, " + Quote(EncodeAddress(Dest(), Network::MAIN)) + "]").code, -5);
    error = Fail("generatetoaddress", "[10001, " + Quote(Address()) + "]");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(Fail("generatetoaddress", "[-1, " + Quote(Address()) + "]").code, -8);
    EXPECT_EQ(Fail("generatetoaddress", "[1, " + Quote(Address()) + ", -5]").code, -8);
    EXPECT_EQ(Fail("generatetoaddress", "[\"1\", " + Quote(Address()) + "]").code, -3);
}

TEST_F(MiningRpcTest, GetMiningInfoAndNetworkRate)
{
    Mine(5);
    const json::value info = Call("getmininginfo");
    EXPECT_EQ(info.at("blocks").to_number<int64_t>(), 5);
    EXPECT_EQ(Num(info.at("difficulty")), "1");
    EXPECT_EQ(info.at("chain").as_string(), "regtest");
    EXPECT_EQ(info.at("pooledtx").to_number<int64_t>(), 0);
    EXPECT_EQ(info.at("warnings").as_string(), "");
    EXPECT_FALSE(info.as_object().contains("miner"));
    // Work 1 per block, one block per 60 s of mock time: 4 units of work over 240 s rounds to 0.
    EXPECT_TRUE(IsJsonNumber(info.at("networkhashps")));
    EXPECT_EQ(Num(info.at("networkmacps")), "0");
    EXPECT_EQ(Num(Call("getnetworkhashps", "[3, 2]")), "0");
    EXPECT_EQ(Num(Call("getnetworkhashps")), "0");
}

TEST_F(MiningRpcTest, GenerateBlockWithChosenTransactions)
{
    Mine(102);
    const std::string in_pool = Str(Call("sendrawtransaction", "[" + Quote(SignedSpend(CoinbaseTxid(1), 0, "49.999")) + "]"));
    const std::string raw = SignedSpend(CoinbaseTxid(2), 0, "49.998");
    const json::value result = Call("generateblock", "[" + Quote(Address()) + ", [" + Quote(in_pool) + ", " + Quote(raw) + "]]");
    const std::string hash = Str(result.at("hash"));
    EXPECT_FALSE(result.as_object().contains("hex"));
    EXPECT_EQ(Call("getbestblockhash").as_string(), hash);
    const json::value block = Call("getblock", "[" + Quote(hash) + ", 2]");
    ASSERT_EQ(block.at("tx").as_array().size(), 3u);
    EXPECT_EQ(block.at("tx").at(1).at("txid").as_string(), in_pool);
    // The coinbase claims the subsidy and both fees.
    EXPECT_EQ(Num(block.at("tx").at(0).at("vout").at(0).at("value")), "50.00300000");
    EXPECT_TRUE(Call("getrawmempool").as_array().empty());

    // An empty block.
    EXPECT_EQ(Call("getblock", "[" + Quote(Str(Call("generateblock", "[" + Quote(Address()) + ", []]").at("hash"))) + "]")
                  .at("nTx")
                  .to_number<int64_t>(),
              1);

    CallError error = Fail("generateblock", "[" + Quote(Address()) + ", [\"" + std::string(64, 'a') + "\"]]");
    EXPECT_EQ(error.code, -5);
    EXPECT_EQ(error.message, "Transaction " + std::string(64, 'a') + " not in mempool.");
    error = Fail("generateblock", "[" + Quote(Address()) + ", [\"beef\"]]");
    EXPECT_EQ(error.code, -22);
    EXPECT_NE(error.message.find("Transaction decode failed for beef"), std::string::npos);
    error = Fail("generateblock", "[\"nope\", []]");
    EXPECT_EQ(error.code, -5);
    EXPECT_EQ(error.message, "Error: Invalid address or descriptor");
    // A double spend within the block is refused by the check.
    const std::string first = SignedSpend(CoinbaseTxid(3), 0, "49.99");
    const std::string second = SignedSpend(CoinbaseTxid(3), 0, "49.98");
    error = Fail("generateblock", "[" + Quote(Address()) + ", [" + Quote(first) + ", " + Quote(second) + "]]");
    EXPECT_EQ(error.code, -25);
    const std::string second_txid{Call("decoderawtransaction", "[" + Quote(second) + "]").as_object().at("txid").as_string()};
    EXPECT_EQ(error.message, "TestBlockValidity failed: bad-txns-inputs-missingorspent, transaction " + second_txid);
}

TEST_F(MiningRpcTest, GenerateBlockWithoutCheckBuildsInvalidBlocks)
{
    Mine(102);
    const std::string first = SignedSpend(CoinbaseTxid(3), 0, "49.99");
    const std::string second = SignedSpend(CoinbaseTxid(3), 0, "49.98");
    const std::string txs = "[" + Quote(first) + ", " + Quote(second) + "]";
    const int64_t height = Call("getblockcount").to_number<int64_t>();

    // submit=false: the block comes back as hex, the chain does not move.
    const json::value built = Call("generateblock", "[" + Quote(Address()) + ", " + txs + ", false, false]");
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), height);
    const std::string hex = Str(built.at("hex"));
    const auto block = DecodeBlock(*ParseHex(hex));
    ASSERT_TRUE(block);
    EXPECT_EQ(block->GetHash().GetHex(), built.at("hash").as_string());
    EXPECT_EQ(block->txs.size(), 3u);

    // submitblock reports the reject reason, then remembers the block as invalid.
    EXPECT_EQ(Call("submitblock", "[" + Quote(hex) + "]").as_string(), "bad-txns-inputs-missingorspent");
    EXPECT_EQ(Call("submitblock", "[" + Quote(hex) + "]").as_string(), "duplicate-invalid");
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), height);

    // submit=true without the check: the chain refuses it.
    const CallError error = Fail("generateblock", "[" + Quote(Address()) + ", " + txs + ", true, false]");
    EXPECT_EQ(error.code, -32603);
    EXPECT_NE(error.message.find("bad-txns-inputs-missingorspent"), std::string::npos);
}

TEST_F(MiningRpcTest, SubmitBlockResults)
{
    Mine(2);
    // A valid block, built but not submitted.
    const std::string hex = Str(Call("generateblock", "[" + Quote(Address()) + ", [], false]").at("hex"));
    const std::string hash = Str(Call("generateblock", "[" + Quote(Address()) + ", [], false]").at("hash"));
    (void)hash;
    EXPECT_TRUE(Call("submitblock", "[" + Quote(hex) + "]").is_null());
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), 3);
    EXPECT_EQ(Call("submitblock", "[" + Quote(hex) + ", \"ignored\"]").as_string(), "duplicate");

    // A competing block at the same height: stored on a side branch.
    const std::string tip = *HashAt(3);
    Call("invalidateblock", "[" + Quote(tip) + "]");
    const std::string rival = Str(Call("generateblock", "[" + Quote(Address()) + ", [], false]").at("hex"));
    Call("reconsiderblock", "[" + Quote(tip) + "]");
    EXPECT_EQ(Call("getbestblockhash").as_string(), tip);
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), 3);
    EXPECT_EQ(Call("submitblock", "[" + Quote(rival) + "]").as_string(), "inconclusive");
    EXPECT_EQ(Call("getchaintips").as_array().size(), 2u);

    // A body that does not match its header.
    auto block = *DecodeBlock(*ParseHex(Str(Call("generateblock", "[" + Quote(Address()) + ", [], false]").at("hex"))));
    MutableTransaction coinbase = block.txs[0].fields();
    coinbase.inputs[0].witness[0] ^= 1;
    block.txs[0] = Transaction{coinbase};
    EXPECT_EQ(Call("submitblock", "[" + Quote(HexStr(EncodeBlock(block))) + "]").as_string(), "bad-txnmrklroot");

    // An unknown parent.
    block = *DecodeBlock(*ParseHex(hex));
    block.header.prev_block = *uint256::FromHex(std::string(64, 'c'));
    EXPECT_EQ(Call("submitblock", "[" + Quote(HexStr(EncodeBlock(block))) + "]").as_string(), "prev-blk-not-found");

    CallError error = Fail("submitblock", "[\"zz\"]");
    EXPECT_EQ(error.code, -22);
    EXPECT_EQ(error.message.rfind("Block decode failed", 0), 0u);
    EXPECT_EQ(Fail("submitblock", "[\"00\"]").code, -22);
    EXPECT_EQ(Fail("submitblock", "[\"" + std::string(2 * MAX_BLOCK_SIZE + 2, '0') + "\"]").code, -22);
    block.txs.clear();
    error = Fail("submitblock", "[" + Quote(HexStr(EncodeBlock(block))) + "]");
    EXPECT_EQ(error.code, -22);
    EXPECT_EQ(error.message, "Block does not start with a coinbase");
}

TEST_F(MiningRpcTest, WorkTemplateMinedExternally)
{
    Mine(1);
    const ChainParams& params = Params(Network::REGTEST);
    const json::value work = Call("getworktemplate", "[" + Quote(Address()) + "]");
    EXPECT_EQ(work.at("height").to_number<int64_t>(), 2);
    EXPECT_EQ(work.at("previousblockhash").as_string(), *HashAt(1));
    EXPECT_EQ(work.at("miner_key").as_string(), HexStr(m_key.GetXOnlyPubKey().bytes()));
    EXPECT_EQ(work.at("transactions").to_number<int64_t>(), 0);
    EXPECT_EQ(work.at("coinbasevalue").to_number<int64_t>(), 50 * COIN);
    // Regtest's limit rounded through the compact form: 0x7fffff shifted to the top.
    EXPECT_EQ(work.at("target").as_string(), ArithToUint256(*TargetFromBits(params.genesis.header.bits)).GetHex());
    EXPECT_EQ(work.at("bits").as_string(), BitsHex(params.genesis.header.bits));
    const json::object& filler = work.at("filler").as_object();
    EXPECT_EQ(filler.at("m").to_number<int64_t>(), pouw::REGTEST_FILLER_SHAPE.m);
    EXPECT_EQ(filler.at("k").to_number<int64_t>(), pouw::REGTEST_FILLER_SHAPE.k);
    EXPECT_EQ(filler.at("tile_count").to_number<int64_t>(), 1);

    // Mine it the way an external miner would: from the template bytes alone.
    const auto template_bytes = ParseHex(Str(work.at("header_template")));
    ASSERT_TRUE(template_bytes && template_bytes->size() == BLOCK_HEADER_TEMPLATE_SIZE);
    pouw::EngineRequest request;
    std::copy(template_bytes->begin(), template_bytes->end(), request.template_bytes.begin());
    const auto key = ParseHex(Str(work.at("miner_key")));
    std::copy(key->begin(), key->end(), request.miner_key.begin());
    request.nonce_begin = 0;
    request.nonce_end = 64;
    const pouw::WorkUnit unit = pouw::MakeFillerUnit(pouw::TemplatePrevBlock(request.template_bytes),
                                                      request.miner_key, 0, params.shape_rules);
    auto mined = pouw::EvaluateUnits(request, std::span{&unit, 1}, params.shape_rules, nullptr, nullptr);
    ASSERT_TRUE(mined && !mined->wins.empty());
    const pouw::WinningTicket& win = mined->wins.front();
    const std::string id = Str(work.at("template_id"));
    const auto submit = [&](uint64_t nonce, const std::string& state, const std::string& opening) {
        return "[" + Quote(id) + ", " + std::to_string(nonce) + ", " + Quote(win.proof.unit_id.GetHex()) + ", " +
               std::to_string(win.proof.tile_index) + ", " + Quote(state) + ", " + Quote(opening) + "]";
    };
    const std::string state = HexStr(win.proof.state);
    const std::string opening = HexStr(win.opening);

    // A wrong state fails the full check.
    std::string bad_state = state;
    bad_state[0] = bad_state[0] == '0' ? '1' : '0';
    const json::value rejected = Call("submitwork", submit(win.proof.nonce, bad_state, opening));
    ASSERT_TRUE(rejected.is_string());
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), 1);

    EXPECT_TRUE(Call("submitwork", submit(win.proof.nonce, state, opening)).is_null());
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), 2);
    EXPECT_EQ(Call("submitwork", submit(win.proof.nonce, state, opening)).as_string(), "duplicate");

    CallError error = Fail("submitwork", "[\"nope\", 1, " + Quote(std::string(64, '0')) + ", 0, " + Quote(state) + ", \"\"]");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "Unknown or expired template_id");
    EXPECT_EQ(Fail("submitwork", submit(1, "abcd", opening)).code, -8);
    EXPECT_EQ(Fail("submitwork", submit(1, state, "xyz")).code, -22);
    EXPECT_EQ(Fail("submitwork", "[" + Quote(id) + ", -1, " + Quote(std::string(64, '0')) + ", 0, " + Quote(state) +
                                     ", \"\"]")
                  .code,
              -3);
    // A nonce up to 2^64 - 1 is accepted as a number.
    EXPECT_TRUE(Call("submitwork", submit(UINT64_MAX, state, opening)).is_string());

    // Only the last MAX_WORK_TEMPLATES templates are remembered.
    for (size_t i = 0; i < MAX_WORK_TEMPLATES; ++i) Call("getworktemplate", "[" + Quote(Address()) + "]");
    EXPECT_EQ(Fail("submitwork", submit(1, state, opening)).code, -8);
    EXPECT_EQ(Fail("getworktemplate", "[\"bad\"]").code, -5);
}

TEST_F(MiningRpcTest, GetBlockShowsFeesOfInBlockChains)
{
    Mine(101);
    // A parent from a coinbase and its child, mined together: the undo data
    // gives both fees (the parent's input comes from an earlier block).
    const std::string parent = SignedSpend(CoinbaseTxid(1), 0, "49.999");
    const std::string parent_txid = Str(Call("decoderawtransaction", "[" + Quote(parent) + "]").at("txid"));
    // The parent is in neither the chain nor the pool: describe its output with prevtxs.
    const std::string raw_child = Str(Call("createrawtransaction", "[[{\"txid\":" + Quote(parent_txid) +
                                                                       ",\"vout\":0}], {" + Quote(Address()) + ":49.997}]"));
    const json::value signed_child = Call(
        "signrawtransactionwithkey", "[" + Quote(raw_child) + ", [" + Quote(Wif()) + "], [{\"txid\":" + Quote(parent_txid) +
                                         ",\"vout\":0,\"address\":" + Quote(Address()) + ",\"amount\":49.999}]]");
    ASSERT_TRUE(signed_child.at("complete").as_bool());
    const std::string child = Str(signed_child.at("hex"));
    const std::string hash =
        Str(Call("generateblock", "[" + Quote(Address()) + ", [" + Quote(parent) + ", " + Quote(child) + "]]").at("hash"));
    const json::value block = Call("getblock", "[" + Quote(hash) + ", 2]");
    EXPECT_EQ(Num(block.at("tx").at(1).at("fee")), "0.00100000");
    EXPECT_EQ(Num(block.at("tx").at(2).at("fee")), "0.00200000");
    // Verbosity 3: the child's prevout is the parent's output, created at this height.
    const json::value three = Call("getblock", "[" + Quote(hash) + ", 3]");
    const json::object& prevout = three.at("tx").at(2).at("vin").at(0).at("prevout").as_object();
    EXPECT_FALSE(prevout.at("generated").as_bool());
    EXPECT_EQ(prevout.at("height").to_number<int64_t>(), 102);
    EXPECT_EQ(Num(prevout.at("value")), "49.99900000");
    EXPECT_EQ(Num(block.at("tx").at(0).at("vout").at(0).at("value")), "50.00300000");
}

TEST_F(MiningRpcTest, InterruptStopsGeneration)
{
    std::atomic<bool> interrupt{true};
    m_context->interrupt = &interrupt;
    EXPECT_TRUE(Call("generatetoaddress", "[5, " + Quote(Address()) + "]").as_array().empty());
    const CallError error = Fail("generateblock", "[" + Quote(Address()) + ", []]");
    EXPECT_EQ(error.code, -1);
    EXPECT_EQ(error.message, "Failed to make block.");
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), 0);
    interrupt = false;
    EXPECT_EQ(Call("generatetoaddress", "[2, " + Quote(Address()) + "]").as_array().size(), 2u);
    m_context->interrupt = nullptr;
}

TEST_F(MiningRpcTest, GetMiningInfoReportsTheBuiltInMiner)
{
    MinerOptions options;
    options.payout = Dest();
    options.device = "cpu";
    auto miner = Miner::Start(*m_chainstate, *m_mempool, m_clock, options);
    ASSERT_TRUE(miner) << miner.error_message();
    m_context->miner = miner->get();
    const json::value info = Call("getmininginfo");
    ASSERT_TRUE(info.as_object().contains("miner"));
    EXPECT_TRUE(info.at("miner").at("running").as_bool());
    EXPECT_EQ(info.at("miner").at("backend").as_string(), "cpu");
    EXPECT_TRUE(info.at("miner").as_object().contains("blocks_found"));
    EXPECT_TRUE(info.at("miner").as_object().contains("tiles"));
    // One engine, the CPU, with its own counters.
    const json::array& devices{info.at("miner").at("devices").as_array()};
    ASSERT_EQ(devices.size(), 1u);
    EXPECT_EQ(devices.at(0).at("name").as_string(), "cpu");
    EXPECT_EQ(devices.at(0).at("kind").as_string(), "cpu");
    EXPECT_EQ(devices.at(0).at("index").to_number<int64_t>(), -1);
    EXPECT_TRUE(devices.at(0).at("running").as_bool());
    for (const char* field : {"units", "tiles", "macs", "seconds", "blocks_found", "errors", "spot_checks"}) {
        EXPECT_GE(devices.at(0).at(field).to_number<int64_t>(), 0) << field;
    }
    EXPECT_EQ(devices.at(0).at("last_error").as_string(), "");
    (*miner)->Stop();
    EXPECT_FALSE(Call("getmininginfo").at("miner").at("running").as_bool());
    m_context->miner = nullptr;
}

TEST_F(MiningRpcTest, MinerDeviceSelection)
{
    MinerOptions options;
    options.payout = Dest();
    options.device = "cuda:0,0";
    auto repeated = Miner::Start(*m_chainstate, *m_mempool, m_clock, options);
    ASSERT_FALSE(repeated);
    EXPECT_NE(repeated.error_message().find("named twice"), std::string::npos);
    if (!CudaUnavailableReason().empty()) {
        // No usable GPU here: "cuda" fails with the reason, "auto" mines on the CPU.
        options.device = "cuda";
        auto cuda = Miner::Start(*m_chainstate, *m_mempool, m_clock, options);
        ASSERT_FALSE(cuda);
        EXPECT_EQ(cuda.error_message(), "-minerdevice=cuda: no usable CUDA device: " + CudaUnavailableReason());
        options.device = "cuda:0";
        EXPECT_FALSE(Miner::Start(*m_chainstate, *m_mempool, m_clock, options));
        options.device = "auto";
        options.cpu_beside_gpu = true;
        auto fallback = Miner::Start(*m_chainstate, *m_mempool, m_clock, options);
        ASSERT_TRUE(fallback) << fallback.error_message();
        const MinerStatus status{(*fallback)->Status()};
        EXPECT_EQ(status.backend, "cpu");
        ASSERT_EQ(status.devices.size(), 1u);
        EXPECT_EQ(status.devices[0].kind, "cpu");
        (*fallback)->Stop();
    }
}

/** Starts the built-in miner on `device` and waits (up to a minute) for it to
 *  find two blocks; returns its status then. */
MinerStatus MineTwoBlocks(Chainstate& chainstate, Mempool& mempool, const NodeClock& clock, MinerOptions options)
{
    auto miner = Miner::Start(chainstate, mempool, clock, options);
    EXPECT_TRUE(miner) << miner.error_message();
    if (!miner) return {};
    for (int i = 0; i < 600 && (*miner)->Status().blocks_found < 2; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
    (*miner)->Stop();
    return (*miner)->Status();
}

TEST_F(MiningRpcTest, MinerMinesOnTheCpu)
{
    MinerOptions options;
    options.payout = Dest();
    options.device = "cpu";
    options.threads = 2;
    const int64_t start_height{Call("getblockcount").to_number<int64_t>()};
    const MinerStatus status{MineTwoBlocks(*m_chainstate, *m_mempool, m_clock, options)};
    EXPECT_GE(status.blocks_found, 2u);
    ASSERT_EQ(status.devices.size(), 1u);
    EXPECT_EQ(status.devices[0].blocks_found, status.blocks_found);
    EXPECT_GT(status.devices[0].work.units, 0u);
    EXPECT_EQ(status.devices[0].spot_checks, 0u);  // the CPU is the reference
    EXPECT_EQ(status.work.units, status.devices[0].work.units);
    EXPECT_GE(Call("getblockcount").to_number<int64_t>(), start_height + 2);
}

/** Runs only on a machine with a usable GPU: the built-in miner mines on
 *  every GPU (and the CPU beside them) with a spot check after every unit,
 *  finds blocks, and reports each device. */
TEST_F(MiningRpcTest, MinerMinesOnTheGpu)
{
    if (!CudaUnavailableReason().empty()) GTEST_SKIP() << "no usable CUDA device: " << CudaUnavailableReason();
    MinerOptions options;
    options.payout = Dest();
    options.device = "cuda";
    options.cpu_beside_gpu = true;
    options.spot_check_every = 1;
    const int64_t start_height{Call("getblockcount").to_number<int64_t>()};
    const MinerStatus status{MineTwoBlocks(*m_chainstate, *m_mempool, m_clock, options)};
    EXPECT_GE(status.blocks_found, 2u);
    ASSERT_GE(status.devices.size(), 2u);
    EXPECT_EQ(status.devices.back().kind, "cpu");
    for (size_t d = 0; d + 1 < status.devices.size(); ++d) {
        const MinerDeviceStatus& device{status.devices[d]};
        EXPECT_EQ(device.kind, "cuda");
        EXPECT_TRUE(device.running) << device.name << ": " << device.last_error;
        EXPECT_EQ(device.errors, 0u) << device.last_error;
        EXPECT_GT(device.work.units, 0u) << device.name;
        EXPECT_GE(device.spot_checks, 1u) << device.name;
    }
    EXPECT_GE(Call("getblockcount").to_number<int64_t>(), start_height + 2);
}

}  // namespace
}  // namespace hpips::test
