// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "rpc_chain_fixture.h"

#include <primitives/block.h>
#include <rpc/tx_json.h>
#include <util/strencodings.h>

namespace hpips::test {
namespace {

using BlockchainRpcTest = RpcChainTest;

TEST_F(BlockchainRpcTest, GetBlockchainInfoBeforeAndAfterTheFirstBlock)
{
    json::value info = Call("getblockchaininfo");
    EXPECT_EQ(info.at("chain").as_string(), "regtest");
    EXPECT_EQ(info.at("blocks").to_number<int64_t>(), 0);
    EXPECT_EQ(info.at("headers").to_number<int64_t>(), 0);
    EXPECT_EQ(info.at("bestblockhash").as_string(), Params(Network::REGTEST).genesis_hash.GetHex());
    EXPECT_EQ(Num(info.at("difficulty")), "1");
    EXPECT_TRUE(info.at("initialblockdownload").as_bool());
    EXPECT_EQ(info.at("chainwork").as_string().size(), 64u);
    EXPECT_FALSE(info.at("pruned").as_bool());
    EXPECT_EQ(info.at("warnings").as_string(), "");
    EXPECT_TRUE(IsJsonNumber(info.at("verificationprogress")));

    Mine(2);
    info = Call("getblockchaininfo");
    EXPECT_EQ(info.at("blocks").to_number<int64_t>(), 2);
    EXPECT_EQ(info.at("headers").to_number<int64_t>(), 2);
    EXPECT_FALSE(info.at("initialblockdownload").as_bool());
    EXPECT_EQ(Num(info.at("verificationprogress")), "1");
    EXPECT_EQ(info.at("bestblockhash").as_string(), *HashAt(2));
    // Regtest work is 1 per block: genesis + 2.
    EXPECT_EQ(info.at("chainwork").as_string(), std::string(63, '0') + "3");
    EXPECT_EQ(info.at("time").to_number<int64_t>(), m_chainstate->TipInfo().header.time);
    EXPECT_EQ(info.at("mediantime").to_number<int64_t>(), m_chainstate->TipInfo().median_time_past);
}

TEST_F(BlockchainRpcTest, BlockCountAndHashes)
{
    Mine(3);
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), 3);
    EXPECT_EQ(Call("getbestblockhash").as_string(), *HashAt(3));
    EXPECT_EQ(Call("getblockhash", "[0]").as_string(), Params(Network::REGTEST).genesis_hash.GetHex());
    EXPECT_EQ(Call("getblockhash", "{\"height\": 2}").as_string(), *HashAt(2));

    CallError error = Fail("getblockhash", "[4]");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "Block height out of range");
    EXPECT_EQ(Fail("getblockhash", "[-1]").code, -8);
    EXPECT_EQ(Fail("getblockhash", "[\"1\"]").code, -3);
    EXPECT_EQ(Fail("getblockhash", "[1.5]").code, -3);
    EXPECT_EQ(Fail("getblockhash").code, -1);
}

TEST_F(BlockchainRpcTest, GetBlockHeaderVerboseAndHex)
{
    Mine(3);
    const std::string hash = *HashAt(2);
    const json::value header = Call("getblockheader", "[" + Quote(hash) + "]");
    EXPECT_EQ(header.at("hash").as_string(), hash);
    EXPECT_EQ(header.at("confirmations").to_number<int64_t>(), 2);
    EXPECT_EQ(header.at("height").to_number<int64_t>(), 2);
    EXPECT_EQ(header.at("version").to_number<int64_t>(), 1);
    EXPECT_EQ(header.at("versionHex").as_string(), "00000001");
    EXPECT_EQ(header.at("previousblockhash").as_string(), *HashAt(1));
    EXPECT_EQ(header.at("nextblockhash").as_string(), *HashAt(3));
    EXPECT_EQ(header.at("nTx").to_number<int64_t>(), 1);
    EXPECT_EQ(header.at("bits").as_string().size(), 8u);
    EXPECT_EQ(Num(header.at("difficulty")), "1");
    EXPECT_EQ(header.at("chainwork").as_string(), std::string(63, '0') + "3");
    const json::object& pouw = header.at("pouw").as_object();
    EXPECT_EQ(pouw.at("miner_key").as_string(), HexStr(m_key.GetXOnlyPubKey().bytes()));
    EXPECT_EQ(pouw.at("state").as_string().size(), 64u);
    EXPECT_EQ(pouw.at("unit_id").as_string().size(), 64u);
    EXPECT_TRUE(pouw.contains("tile_index"));
    EXPECT_TRUE(pouw.contains("nonce"));

    // The tip has no next block; genesis no previous one.
    EXPECT_FALSE(Call("getblockheader", "[" + Quote(*HashAt(3)) + "]").as_object().contains("nextblockhash"));
    EXPECT_FALSE(Call("getblockheader", "[" + Quote(*HashAt(0)) + "]").as_object().contains("previousblockhash"));

    const std::string hex{Call("getblockheader", "[" + Quote(hash) + ", false]").as_string()};
    EXPECT_EQ(hex.size(), 2 * BLOCK_HEADER_SIZE);
    const auto decoded = DecodeBlockHeader(*ParseHex(hex));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->GetHash().GetHex(), hash);

    CallError error = Fail("getblockheader", "[\"" + std::string(64, '0') + "\"]");
    EXPECT_EQ(error.code, -5);
    EXPECT_EQ(error.message, "Block not found");
    error = Fail("getblockheader", "[\"abc\"]");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "blockhash must be of length 64 (not 3, for 'abc')");
    error = Fail("getblockheader", "[\"" + std::string(64, 'g') + "\"]");
    EXPECT_EQ(error.code, -8);
    EXPECT_NE(error.message.find("must be hexadecimal string"), std::string::npos);
}

TEST_F(BlockchainRpcTest, GetBlockAtEachVerbosity)
{
    Mine(2);
    const std::string hash = *HashAt(1);
    const std::string hex{Call("getblock", "[" + Quote(hash) + ", 0]").as_string()};
    const auto block = DecodeBlock(*ParseHex(hex));
    ASSERT_TRUE(block);
    EXPECT_EQ(block->GetHash().GetHex(), hash);
    EXPECT_EQ(Call("getblock", "[" + Quote(hash) + ", false]").as_string(), hex);

    const json::value one = Call("getblock", "[" + Quote(hash) + "]");
    EXPECT_EQ(one.at("hash").as_string(), hash);
    EXPECT_EQ(one.at("size").to_number<int64_t>(), static_cast<int64_t>(hex.size() / 2));
    EXPECT_EQ(one.at("weight").to_number<int64_t>(), one.at("size").to_number<int64_t>());
    EXPECT_EQ(one.at("opening_size").to_number<int64_t>(), static_cast<int64_t>(block->opening.size()));
    EXPECT_LT(one.at("strippedsize").to_number<int64_t>(), one.at("size").to_number<int64_t>());
    ASSERT_EQ(one.at("tx").as_array().size(), 1u);
    EXPECT_EQ(one.at("tx").at(0).as_string(), block->txs[0].GetTxid().GetHex());
    EXPECT_EQ(Call("getblock", "[" + Quote(hash) + ", true]"), one);

    const json::value two = Call("getblock", "[" + Quote(hash) + ", 2]");
    const json::object& coinbase = two.at("tx").at(0).as_object();
    EXPECT_EQ(coinbase.at("txid").as_string(), block->txs[0].GetTxid().GetHex());
    EXPECT_TRUE(coinbase.at("vin").at(0).as_object().contains("coinbase"));
    EXPECT_EQ(Num(coinbase.at("vout").at(0).at("value")), "50.00000000");
    const json::object& spk = coinbase.at("vout").at(0).at("scriptPubKey").as_object();
    EXPECT_EQ(spk.at("address").as_string(), Address());
    EXPECT_EQ(spk.at("type").as_string(), "witness_v1_taproot");
    EXPECT_EQ(std::string{spk.at("desc").as_string()}.substr(0, 5), "addr(");
    EXPECT_EQ(std::string{spk.at("asm").as_string()}.substr(0, 2), "1 ");
    EXPECT_EQ(std::string{spk.at("hex").as_string()}.substr(0, 4), "0120");
    EXPECT_FALSE(coinbase.at("vout").at(0).as_object().contains("destination"));
    EXPECT_FALSE(coinbase.contains("fee"));
    EXPECT_EQ(coinbase.at("hex").as_string(), HexStr(EncodeTransaction(block->txs[0])));

    EXPECT_EQ(Fail("getblock", "[\"" + std::string(64, '1') + "\"]").code, -5);
    EXPECT_EQ(Fail("getblock", "[" + Quote(hash) + ", \"x\"]").code, -3);
}

TEST_F(BlockchainRpcTest, ChainTipsInvalidateAndReconsider)
{
    Mine(3);
    const std::string tip = *HashAt(3);
    const std::string second = *HashAt(2);
    json::value tips = Call("getchaintips");
    ASSERT_EQ(tips.as_array().size(), 1u);
    EXPECT_EQ(tips.at(0).at("status").as_string(), "active");
    EXPECT_EQ(tips.at(0).at("branchlen").to_number<int64_t>(), 0);
    EXPECT_EQ(tips.at(0).at("height").to_number<int64_t>(), 3);

    EXPECT_TRUE(Call("invalidateblock", "[" + Quote(second) + "]").is_null());
    EXPECT_EQ(Call("getblockcount").to_number<int64_t>(), 1);
    EXPECT_EQ(Call("getblockheader", "[" + Quote(second) + "]").at("confirmations").to_number<int64_t>(), -1);
    tips = Call("getchaintips");
    ASSERT_EQ(tips.as_array().size(), 2u);
    EXPECT_EQ(tips.at(0).at("hash").as_string(), tip);
    EXPECT_EQ(tips.at(0).at("status").as_string(), "invalid");
    EXPECT_EQ(tips.at(0).at("branchlen").to_number<int64_t>(), 2);
    EXPECT_EQ(tips.at(1).at("status").as_string(), "active");

    EXPECT_TRUE(Call("reconsiderblock", "[" + Quote(second) + "]").is_null());
    EXPECT_EQ(Call("getbestblockhash").as_string(), tip);

    EXPECT_EQ(Fail("invalidateblock", "[\"" + std::string(64, '2') + "\"]").code, -5);
    EXPECT_EQ(Fail("reconsiderblock", "[\"" + std::string(64, '2') + "\"]").code, -5);
    EXPECT_EQ(Fail("invalidateblock", "[\"zz\"]").code, -8);
    // Genesis cannot be invalidated: the chainstate refuses and RPC says why.
    const CallError genesis = Fail("invalidateblock", "[" + Quote(*HashAt(0)) + "]");
    EXPECT_EQ(genesis.code, -20);
}

TEST_F(BlockchainRpcTest, DifficultyIsAnExactRatio)
{
    EXPECT_EQ(Num(Call("getdifficulty")), "1");
    EXPECT_EQ(FormatRatio(1, 3), "0.33333333");
    EXPECT_EQ(FormatRatio(10, 4), "2.5");
    EXPECT_EQ(FormatRatio(7, 7), "1");
    EXPECT_EQ(FormatRatio(0, 7), "0");
    EXPECT_EQ(FormatRatio(5, 0), "0");
    EXPECT_EQ(FormatRatio(1, 1'000'000'000'000), "0.000000000001");
    EXPECT_EQ(FormatRatio(2, 3'000'000'000), "0.00000000066666666");
    EXPECT_EQ(FormatRatio(123456789, 1000), "123456.789");
    // Main's genesis: limit 2^240, target 2^236 → 16.
    const ChainParams& main = Params(Network::MAIN);
    EXPECT_EQ(Num(DifficultyValue(main.genesis.header.bits, main.pow_limit)), "16");
    EXPECT_EQ(Num(DifficultyValue(0, main.pow_limit)), "0");
    EXPECT_EQ(ChainWorkHex(ArithUint512{255}), std::string(62, '0') + "ff");
    EXPECT_EQ(BitsHex(0x1d00ffff), "1d00ffff");
}

TEST_F(BlockchainRpcTest, MempoolInfoAndEntries)
{
    Mine(102);
    json::value info = Call("getmempoolinfo");
    EXPECT_TRUE(info.at("loaded").as_bool());
    EXPECT_EQ(info.at("size").to_number<int64_t>(), 0);
    EXPECT_EQ(Num(info.at("total_fee")), "0.00000000");
    EXPECT_EQ(Num(info.at("minrelaytxfee")), "0.00001000");
    EXPECT_EQ(info.at("maxmempool").to_number<int64_t>(), static_cast<int64_t>(DEFAULT_MAX_MEMPOOL_BYTES));
    EXPECT_EQ(Call("getrawmempool").as_array().size(), 0u);

    const std::string parent = std::string{
        Call("sendrawtransaction", "[" + Quote(SignedSpend(CoinbaseTxid(1), 0, "49.999")) + "]").as_string()};
    const std::string child = std::string{
        Call("sendrawtransaction", "[" + Quote(SignedSpend(parent, 0, "49.998")) + "]").as_string()};

    info = Call("getmempoolinfo");
    EXPECT_EQ(info.at("size").to_number<int64_t>(), 2);
    EXPECT_EQ(Num(info.at("total_fee")), "0.00200000");
    EXPECT_GT(info.at("bytes").to_number<int64_t>(), 0);

    const json::value ids = Call("getrawmempool", "[false]");
    ASSERT_EQ(ids.as_array().size(), 2u);
    const json::value verbose = Call("getrawmempool", "[true]");
    const json::object& p = verbose.at(parent).as_object();
    const json::object& c = verbose.at(child).as_object();
    EXPECT_EQ(Num(p.at("fees").at("base")), "0.00100000");
    EXPECT_EQ(Num(p.at("fees").at("descendant")), "0.00200000");
    EXPECT_EQ(Num(c.at("fees").at("ancestor")), "0.00200000");
    EXPECT_EQ(p.at("descendantcount").to_number<int64_t>(), 2);
    EXPECT_EQ(c.at("ancestorcount").to_number<int64_t>(), 2);
    EXPECT_EQ(p.at("ancestorcount").to_number<int64_t>(), 1);
    EXPECT_EQ(c.at("depends").at(0).as_string(), parent);
    EXPECT_EQ(p.at("spentby").at(0).as_string(), child);
    EXPECT_EQ(p.at("vsize"), p.at("weight"));
    EXPECT_EQ(p.at("height").to_number<int64_t>(), 102);

    EXPECT_EQ(Call("getmempoolentry", "[" + Quote(child) + "]"), verbose.at(child));
    const CallError error = Fail("getmempoolentry", "[\"" + std::string(64, '3') + "\"]");
    EXPECT_EQ(error.code, -5);
    EXPECT_EQ(error.message, "Transaction not in mempool");
}

TEST_F(BlockchainRpcTest, GetTxOutChainAndMempool)
{
    Mine(101);
    const std::string coinbase = CoinbaseTxid(1);
    json::value out = Call("gettxout", "[" + Quote(coinbase) + ", 0]");
    EXPECT_EQ(out.at("bestblock").as_string(), *HashAt(101));
    EXPECT_EQ(out.at("confirmations").to_number<int64_t>(), 101);
    EXPECT_EQ(Num(out.at("value")), "50.00000000");
    EXPECT_TRUE(out.at("coinbase").as_bool());
    EXPECT_EQ(out.at("scriptPubKey").at("address").as_string(), Address());
    EXPECT_EQ(std::string{out.at("scriptPubKey").at("hex").as_string()}.substr(0, 4), "0120");
    EXPECT_EQ(out.at("scriptPubKey").at("type").as_string(), "witness_v1_taproot");
    EXPECT_TRUE(Call("gettxout", "[" + Quote(coinbase) + ", 1]").is_null());
    EXPECT_TRUE(Call("gettxout", "[\"" + std::string(64, '4') + "\", 0]").is_null());

    const std::string spend = std::string{
        Call("sendrawtransaction", "[" + Quote(SignedSpend(coinbase, 0, "49.999")) + "]").as_string()};
    // Spent in the pool: gone when the pool counts, there when it does not.
    EXPECT_TRUE(Call("gettxout", "[" + Quote(coinbase) + ", 0]").is_null());
    EXPECT_FALSE(Call("gettxout", "[" + Quote(coinbase) + ", 0, false]").is_null());
    out = Call("gettxout", "[" + Quote(spend) + ", 0]");
    EXPECT_EQ(out.at("confirmations").to_number<int64_t>(), 0);
    EXPECT_FALSE(out.at("coinbase").as_bool());
    EXPECT_EQ(Num(out.at("value")), "49.99900000");
    EXPECT_TRUE(Call("gettxout", "[" + Quote(spend) + ", 0, false]").is_null());

    EXPECT_EQ(Fail("gettxout", "[" + Quote(coinbase) + ", -1]").code, -3);
    EXPECT_EQ(Fail("gettxout", "[\"nothex\", 0]").code, -8);
}

TEST_F(BlockchainRpcTest, GetTxOutSetInfo)
{
    Mine(5);
    const json::value info = Call("gettxoutsetinfo");
    EXPECT_EQ(info.at("height").to_number<int64_t>(), 5);
    EXPECT_EQ(info.at("bestblock").as_string(), *HashAt(5));
    EXPECT_EQ(info.at("txouts").to_number<int64_t>(), 5);  // the genesis output is not in the set
    EXPECT_EQ(info.at("transactions").to_number<int64_t>(), 5);
    EXPECT_EQ(Num(info.at("total_amount")), "250.00000000");
    EXPECT_EQ(info.at("hash_serialized").as_string().size(), 64u);
    EXPECT_TRUE(info.as_object().contains("disk_size"));
    // The same set hashes the same.
    EXPECT_EQ(Call("gettxoutsetinfo").at("hash_serialized"), info.at("hash_serialized"));
    Mine(1);
    EXPECT_NE(Call("gettxoutsetinfo").at("hash_serialized"), info.at("hash_serialized"));
}

TEST_F(BlockchainRpcTest, MethodsHaveHelp)
{
    for (const char* name : {"getblockchaininfo", "getblockcount", "getbestblockhash", "getblockhash", "getblockheader",
                             "getblock", "getchaintips", "getdifficulty", "getmempoolinfo", "getrawmempool",
                             "getmempoolentry", "gettxout", "gettxoutsetinfo", "invalidateblock", "reconsiderblock",
                             "validateaddress", "getindexinfo"}) {
        const std::string help = m_table.Help(name);
        EXPECT_EQ(help.rfind(name, 0), 0u) << help;
        EXPECT_NE(help.find("Result:"), std::string::npos) << name;
    }
}

TEST_F(BlockchainRpcTest, GetIndexInfoWithoutIndexIsEmpty)
{
    EXPECT_TRUE(Call("getindexinfo").as_object().empty());
    EXPECT_TRUE(Call("getindexinfo", "[\"txindex\"]").as_object().empty());
    EXPECT_EQ(Fail("getindexinfo", "[1]").code, -3);
}

TEST_F(BlockchainRpcTest, ValidateAddress)
{
    json::value result = Call("validateaddress", "[" + Quote(Address()) + "]");
    EXPECT_TRUE(result.at("isvalid").as_bool());
    EXPECT_EQ(result.at("address").as_string(), Address());
    EXPECT_TRUE(result.at("iswitness").as_bool());
    EXPECT_FALSE(result.at("isscript").as_bool());
    EXPECT_EQ(result.at("witness_version").to_number<int64_t>(), 1);
    EXPECT_EQ(result.at("witness_program").as_string(), HexStr(m_key.GetXOnlyPubKey().bytes()));
    EXPECT_EQ(result.at("scriptPubKey").as_string(), "0120" + HexStr(m_key.GetXOnlyPubKey().bytes()));

    // One typo: located.
    std::string typo = Address();
    typo[10] = typo[10] == 'q' ? 'p' : 'q';
    result = Call("validateaddress", "[" + Quote(typo) + "]");
    EXPECT_FALSE(result.at("isvalid").as_bool());
    EXPECT_NE(result.at("error").as_string().find("Invalid checksum"), std::string::npos);
    ASSERT_EQ(result.at("error_locations").as_array().size(), 1u);
    EXPECT_EQ(result.at("error_locations").at(0).to_number<int64_t>(), 10);

    // Another network's address.
    const std::string main_address = EncodeAddress(Dest(), Network::MAIN);
    result = Call("validateaddress", "[" + Quote(main_address) + "]");
    EXPECT_FALSE(result.at("isvalid").as_bool());
    EXPECT_NE(result.at("error").as_string().find("main network"), std::string::npos);
    EXPECT_TRUE(result.at("error_locations").as_array().empty());

    result = Call("validateaddress", "[\"" + std::string(200, 'x') + "\"]");
    EXPECT_FALSE(result.at("isvalid").as_bool());
    EXPECT_EQ(Fail("validateaddress", "[1]").code, -3);
}

TEST_F(BlockchainRpcTest, InvalidateBlockReturnsItsTransactionsToTheMempool)
{
    Mine(101);
    const std::string txid =
        std::string{Call("sendrawtransaction", "[" + Quote(SignedSpend(CoinbaseTxid(1), 0, "49.999")) + "]").as_string()};
    Mine(1);
    EXPECT_TRUE(Call("getrawmempool").as_array().empty());
    const std::string tip = *HashAt(102);
    Call("invalidateblock", "[" + Quote(tip) + "]");
    ASSERT_EQ(Call("getrawmempool").as_array().size(), 1u);
    EXPECT_EQ(Call("getrawmempool").at(0).as_string(), txid);
    Call("reconsiderblock", "[" + Quote(tip) + "]");
    EXPECT_EQ(Call("getbestblockhash").as_string(), tip);
    EXPECT_TRUE(Call("getrawmempool").as_array().empty());
}

}  // namespace
}  // namespace hpips::test
