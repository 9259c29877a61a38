// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_TEST_UNIT_RPC_CHAIN_FIXTURE_H
#define HPIPS_TEST_UNIT_RPC_CHAIN_FIXTURE_H

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <consensus/params.h>
#include <crypto/key.h>
#include <primitives/address.h>
#include <primitives/key_io.h>
#include <rpc/blockchain.h>
#include <rpc/mempool.h>
#include <rpc/chain_context.h>
#include <rpc/json.h>
#include <rpc/mining.h>
#include <rpc/misc_chain.h>
#include <rpc/rawtransaction.h>
#include <rpc/server.h>
#include <util/clock.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>

/** Shared by the chain RPC tests: a real regtest chainstate and mempool in a
 *  temporary directory, every chain RPC method registered in an RPCTable,
 *  and helpers to call them with JSON text as hpips-cli would send it. */
namespace hpips::test {

namespace json = boost::json;

using test::TempDir;

/** What a failed call threw. */
struct CallError {
    int code{0};
    std::string message;
};

class RpcChainTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_clock.SetMockTime(Params(Network::REGTEST).genesis.header.time + 1000);
        ChainstateOptions options;
        options.datadir = m_dir.path();
        options.now = [this] { return m_clock.Now(); };
        auto opened = Chainstate::Open(Params(Network::REGTEST), options);
        ASSERT_TRUE(opened) << opened.error_message();
        m_chainstate = std::move(*opened);
        m_mempool = std::make_unique<Mempool>(*m_chainstate, MempoolOptions{});
        m_context.emplace(ChainContext{*m_chainstate, *m_mempool, m_clock, m_chainstate->Params()});
        ASSERT_TRUE(RegisterBlockchainRPCCommands(m_table, *m_context));
        ASSERT_TRUE(RegisterMempoolRPCCommands(m_table, *m_context));
        ASSERT_TRUE(RegisterRawTransactionRPCCommands(m_table, *m_context));
        ASSERT_TRUE(RegisterMiningRPCCommands(m_table, *m_context));
        ASSERT_TRUE(RegisterMiscChainRPCCommands(m_table, *m_context));
    }

    /** Calls `method` with `params` given as JSON text (an array or object). */
    json::value Call(const std::string& method, std::string_view params = "[]")
    {
        auto parsed = ParseJson(params);
        EXPECT_TRUE(parsed) << params;
        return m_table.Execute(method, parsed ? *parsed : json::value{}, RPCRequest{});
    }

    /** The error a call fails with (code 0 if it succeeded). */
    CallError Fail(const std::string& method, std::string_view params = "[]")
    {
        try {
            Call(method, params);
        } catch (const RPCError& e) {
            return {static_cast<int>(e.Code()), e.what()};
        }
        return {};
    }

    static std::string Quote(const std::string& text) { return "\"" + text + "\""; }

    std::string Address() const { return EncodeAddress(Dest(), Network::REGTEST); }
    std::string Wif() const { return EncodeSecret(m_key, Network::REGTEST); }

    Destination Dest() const
    {
        return KeyDestination(m_key.GetXOnlyPubKey());
    }

    /** Mines `n` blocks to our address through generatetoaddress, moving the
     *  mock clock one block spacing per block so block times stay realistic. */
    void Mine(int n)
    {
        for (int i = 0; i < n; ++i) {
            m_clock.SetMockTime(m_clock.Now() + TARGET_SPACING);
            const json::value hashes = Call("generatetoaddress", "[1, " + Quote(Address()) + "]");
            ASSERT_EQ(hashes.as_array().size(), 1u);
        }
    }

    /** The coinbase txid of the block at `height`. */
    std::string CoinbaseTxid(int64_t height)
    {
        const json::value block = Call("getblock", "[" + Quote(*HashAt(height)) + ", 1]");
        return std::string{block.at("tx").at(0).as_string()};
    }

    std::optional<std::string> HashAt(int64_t height)
    {
        const auto hash = m_chainstate->GetBlockHashAt(height);
        if (!hash) return std::nullopt;
        return hash->GetHex();
    }

    /** A signed transaction spending output `vout` of `txid` (worth `value`
     *  coins, as text) to our address, paying `fee` coins (as text). */
    std::string SignedSpend(const std::string& txid, int vout, const std::string& amount_out)
    {
        const std::string raw = std::string{
            Call("createrawtransaction", "[[{\"txid\":" + Quote(txid) + ",\"vout\":" + std::to_string(vout) + "}], [{" +
                                             Quote(Address()) + ":" + amount_out + "}]]")
                .as_string()};
        const json::value signed_tx = Call("signrawtransactionwithkey", "[" + Quote(raw) + ", [" + Quote(Wif()) + "]]");
        EXPECT_TRUE(signed_tx.at("complete").as_bool()) << WriteJson(signed_tx);
        return std::string{signed_tx.at("hex").as_string()};
    }

    /** A signed transaction spending output 0 of the unknown `txid` (said to
     *  be worth 2 coins to our key, through prevtxs) into 1 coin. */
    std::string SignedOrphan(const std::string& txid)
    {
        const std::string raw = std::string{
            Call("createrawtransaction", "[[{\"txid\":" + Quote(txid) + ",\"vout\":0}], [{" + Quote(Address()) + ":1}]]")
                .as_string()};
        const std::string prevtxs =
            "[{\"txid\":" + Quote(txid) + ",\"vout\":0,\"address\":" + Quote(Address()) + ",\"amount\":2}]";
        const json::value signed_tx =
            Call("signrawtransactionwithkey", "[" + Quote(raw) + ", [" + Quote(Wif()) + "], " + prevtxs + "]");
        EXPECT_TRUE(signed_tx.at("complete").as_bool()) << WriteJson(signed_tx);
        return std::string{signed_tx.at("hex").as_string()};
    }

    /** A JSON number's text (raw numbers, integers). */
    static std::string Num(const json::value& value) { return JsonNumberString(value).value_or("<not a number>"); }

    TempDir m_dir;
    NodeClock m_clock;
    PrivKey m_key = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x22));
    std::unique_ptr<Chainstate> m_chainstate;
    std::unique_ptr<Mempool> m_mempool;
    std::optional<ChainContext> m_context;
    RPCTable m_table;
};

}  // namespace hpips::test

#endif  // HPIPS_TEST_UNIT_RPC_CHAIN_FIXTURE_H
