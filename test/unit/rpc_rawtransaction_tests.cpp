// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "rpc_chain_fixture.h"

#include <primitives/transaction.h>
#include <util/strencodings.h>

namespace hpips::test {
namespace {

using RawTransactionRpcTest = RpcChainTest;

std::string Str(const json::value& value) { return std::string{value.as_string()}; }

TEST_F(RawTransactionRpcTest, CreateDecodeSignSendAndGet)
{
    Mine(101);
    const std::string coinbase = CoinbaseTxid(1);
    // Outputs as an array of one-key objects and as one object give the same transaction.
    const std::string inputs = "[{\"txid\":" + Quote(coinbase) + ",\"vout\":0}]";
    const std::string raw = Str(Call("createrawtransaction", "[" + inputs + ", [{" + Quote(Address()) + ":49.99}]]"));
    EXPECT_EQ(Str(Call("createrawtransaction", "[" + inputs + ", {" + Quote(Address()) + ":\"49.99\"}]")), raw);

    const json::value decoded = Call("decoderawtransaction", "[" + Quote(raw) + "]");
    EXPECT_EQ(decoded.at("version").to_number<int64_t>(), 1);
    EXPECT_EQ(decoded.at("locktime").to_number<int64_t>(), 0);
    EXPECT_EQ(decoded.at("size"), decoded.at("vsize"));
    EXPECT_EQ(decoded.at("vin").at(0).at("txid").as_string(), coinbase);
    EXPECT_EQ(decoded.at("vin").at(0).at("vout").to_number<int64_t>(), 0);
    EXPECT_EQ(decoded.at("vin").at(0).at("sequence").to_number<int64_t>(), 0xffffffff);
    EXPECT_FALSE(decoded.at("vin").at(0).as_object().contains("txinwitness"));
    EXPECT_EQ(Num(decoded.at("vout").at(0).at("value")), "49.99000000");
    EXPECT_EQ(decoded.at("vout").at(0).at("n").to_number<int64_t>(), 0);
    EXPECT_EQ(decoded.at("vout").at(0).at("scriptPubKey").at("address").as_string(), Address());
    EXPECT_FALSE(decoded.as_object().contains("hex"));

    const json::value signed_tx = Call("signrawtransactionwithkey", "[" + Quote(raw) + ", [" + Quote(Wif()) + "]]");
    EXPECT_TRUE(signed_tx.at("complete").as_bool());
    EXPECT_FALSE(signed_tx.as_object().contains("errors"));
    const std::string hex = Str(signed_tx.at("hex"));
    const json::value signed_decoded = Call("decoderawtransaction", "[" + Quote(hex) + "]");
    EXPECT_EQ(signed_decoded.at("txid"), decoded.at("txid"));  // signatures never change the txid
    EXPECT_NE(signed_decoded.at("hash"), decoded.at("hash"));
    EXPECT_EQ(signed_decoded.at("vin").at(0).at("txinwitness").at(0).as_string().size(), 128u);

    // Signing again keeps a complete transaction complete (a fresh signature: aux randomness).
    const json::value again = Call("signrawtransactionwithkey", "[" + Quote(hex) + ", []]");
    EXPECT_TRUE(again.at("complete").as_bool());
    EXPECT_EQ(again.at("hex").as_string(), hex);

    const std::string txid = Str(Call("sendrawtransaction", "[" + Quote(hex) + "]"));
    EXPECT_EQ(txid, decoded.at("txid").as_string());
    // Sending it again is not an error (Core: already in the mempool).
    EXPECT_EQ(Str(Call("sendrawtransaction", "[" + Quote(hex) + "]")), txid);

    EXPECT_EQ(Str(Call("getrawtransaction", "[" + Quote(txid) + "]")), hex);
    EXPECT_EQ(Str(Call("getrawtransaction", "[" + Quote(txid) + ", false]")), hex);
    json::value verbose = Call("getrawtransaction", "[" + Quote(txid) + ", true]");
    EXPECT_EQ(verbose.at("hex").as_string(), hex);
    EXPECT_FALSE(verbose.as_object().contains("fee"));
    verbose = Call("getrawtransaction", "[" + Quote(txid) + ", 2]");
    EXPECT_EQ(Num(verbose.at("fee")), "0.01000000");

    Mine(1);
    const std::string block = *HashAt(102);
    CallError error = Fail("getrawtransaction", "[" + Quote(txid) + "]");
    EXPECT_EQ(error.code, -5);
    EXPECT_EQ(error.message,
              "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction "
              "queries. Use gettransaction for wallet transactions.");
    EXPECT_EQ(Str(Call("getrawtransaction", "[" + Quote(txid) + ", 0, " + Quote(block) + "]")), hex);
    verbose = Call("getrawtransaction", "[" + Quote(txid) + ", 1, " + Quote(block) + "]");
    EXPECT_TRUE(verbose.at("in_active_chain").as_bool());
    EXPECT_EQ(verbose.at("blockhash").as_string(), block);
    EXPECT_EQ(verbose.at("confirmations").to_number<int64_t>(), 1);
    EXPECT_EQ(verbose.at("txid").as_string(), txid);
    EXPECT_TRUE(verbose.as_object().contains("blocktime"));

    EXPECT_FALSE(verbose.as_object().contains("fee"));
    EXPECT_FALSE(verbose.at("vin").at(0).as_object().contains("prevout"));

    // Fees and prevouts come from the block's undo data.
    const json::value full = Call("getblock", "[" + Quote(block) + ", 2]");
    EXPECT_EQ(full.at("tx").as_array().size(), 2u);
    EXPECT_EQ(Num(full.at("tx").at(1).at("fee")), "0.01000000");
    EXPECT_FALSE(full.at("tx").at(0).as_object().contains("fee"));
    EXPECT_FALSE(full.at("tx").at(1).at("vin").at(0).as_object().contains("prevout"));
    const json::value three = Call("getblock", "[" + Quote(block) + ", 3]");
    const json::object& prevout = three.at("tx").at(1).at("vin").at(0).at("prevout").as_object();
    EXPECT_TRUE(prevout.at("generated").as_bool());
    EXPECT_EQ(prevout.at("height").to_number<int64_t>(), 1);
    EXPECT_EQ(Num(prevout.at("value")), "50.00000000");
    EXPECT_EQ(prevout.at("scriptPubKey").at("address").as_string(), Address());
    EXPECT_EQ(prevout.at("scriptPubKey").at("type").as_string(), "witness_v1_taproot");
    EXPECT_EQ(Call("getblock", "[" + Quote(block) + ", 4]"), three);  // higher levels mean 3
    verbose = Call("getrawtransaction", "[" + Quote(txid) + ", 2, " + Quote(block) + "]");
    EXPECT_EQ(Num(verbose.at("fee")), "0.01000000");
    EXPECT_EQ(verbose.at("vin").at(0).at("prevout"), three.at("tx").at(1).at("vin").at(0).at("prevout"));
    // A coinbase has neither.
    verbose = Call("getrawtransaction", "[" + Quote(CoinbaseTxid(102)) + ", 2, " + Quote(block) + "]");
    EXPECT_FALSE(verbose.as_object().contains("fee"));
    EXPECT_FALSE(verbose.at("vin").at(0).as_object().contains("prevout"));
}

TEST_F(RawTransactionRpcTest, GetRawTransactionErrors)
{
    Mine(2);
    const std::string genesis_coinbase = Params(Network::REGTEST).genesis.txs[0].GetTxid().GetHex();
    CallError error = Fail("getrawtransaction", "[" + Quote(genesis_coinbase) + "]");
    EXPECT_EQ(error.code, -5);
    EXPECT_NE(error.message.find("genesis block coinbase"), std::string::npos);
    error = Fail("getrawtransaction", "[" + Quote(CoinbaseTxid(1)) + ", 1, \"" + std::string(64, '5') + "\"]");
    EXPECT_EQ(error.code, -5);
    EXPECT_EQ(error.message, "Block hash not found");
    error = Fail("getrawtransaction", "[" + Quote(CoinbaseTxid(1)) + ", 1, " + Quote(*HashAt(2)) + "]");
    EXPECT_EQ(error.code, -5);
    EXPECT_NE(error.message.find("No such transaction found in the provided block"), std::string::npos);
    EXPECT_EQ(Str(Call("getrawtransaction", "[" + Quote(CoinbaseTxid(1)) + ", 1, " + Quote(*HashAt(1)) + "]")
                      .at("txid")),
              CoinbaseTxid(1));
    error = Fail("getrawtransaction", "[\"12\"]");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "parameter 1 must be of length 64 (not 2, for '12')");
}

TEST_F(RawTransactionRpcTest, CreateRawTransactionErrors)
{
    const std::string txid(64, 'a');
    const std::string out = "{" + Quote(Address()) + ":1}";
    const auto create = [&](const std::string& inputs, const std::string& outputs, const std::string& extra = "") {
        return Fail("createrawtransaction", "[" + inputs + ", " + outputs + extra + "]");
    };
    EXPECT_EQ(create("[{\"txid\":\"zz\",\"vout\":0}]", out).code, -8);
    CallError error = create("[{\"vout\":0}]", out);
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "Invalid parameter, missing txid key");
    error = create("[{\"txid\":" + Quote(txid) + "}]", out);
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "Invalid parameter, missing vout key");
    error = create("[{\"txid\":" + Quote(txid) + ",\"vout\":-1}]", out);
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "Invalid parameter, vout cannot be negative");
    error = create("[{\"txid\":" + Quote(txid) + ",\"vout\":0,\"sequence\":4294967296}]", out);
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "Invalid parameter, sequence number is out of range");
    EXPECT_EQ(create("[1]", out).code, -3);

    error = create("[]", "{\"rhp1notanaddress\":1}");
    EXPECT_EQ(error.code, -5);
    EXPECT_EQ(error.message, "Invalid HPIPS address: rhp1notanaddress");
    error = create("[]", "[{" + Quote(Address()) + ":1},{" + Quote(Address()) + ":2}]");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "Invalid parameter, duplicated address: " + Address());
    error = create("[]", "[{" + Quote(Address()) + ":1, \"x\":2}]");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "Invalid parameter, key-value pair must contain exactly one key");
    EXPECT_EQ(create("[]", "[5]").code, -8);
    EXPECT_EQ(create("[]", "{" + Quote(Address()) + ":-1}").code, -3);
    EXPECT_EQ(create("[]", "{" + Quote(Address()) + ":\"0.000000001\"}").code, -3);
    error = create("[]", out, ", -1");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "Invalid parameter, locktime out of range");
    EXPECT_EQ(create("[]", out, ", 4294967296").code, -8);

    // A lock time makes the default sequence non-final, as Core.
    const std::string raw = Str(Call("createrawtransaction",
                                     "[[{\"txid\":" + Quote(txid) + ",\"vout\":3,\"sequence\":7}, {\"txid\":" +
                                         Quote(txid) + ",\"vout\":4}], " + out + ", 500]"));
    const json::value decoded = Call("decoderawtransaction", "[" + Quote(raw) + "]");
    EXPECT_EQ(decoded.at("locktime").to_number<int64_t>(), 500);
    EXPECT_EQ(decoded.at("vin").at(0).at("sequence").to_number<int64_t>(), 7);
    EXPECT_EQ(decoded.at("vin").at(1).at("sequence").to_number<int64_t>(), 0xfffffffe);
}

TEST_F(RawTransactionRpcTest, DecodeErrors)
{
    CallError error = Fail("decoderawtransaction", "[\"zz\"]");
    EXPECT_EQ(error.code, -22);
    EXPECT_EQ(error.message.rfind("TX decode failed", 0), 0u);
    EXPECT_EQ(Fail("decoderawtransaction", "[\"0100\"]").code, -22);
    EXPECT_EQ(Fail("decoderawtransaction", "[\"abc\"]").code, -22);
    // Over the size bound: refused before decoding.
    error = Fail("decoderawtransaction", "[\"" + std::string(2 * MAX_TX_SIZE + 2, '0') + "\"]");
    EXPECT_EQ(error.code, -22);
    EXPECT_EQ(Fail("decoderawtransaction", "[5]").code, -3);
    EXPECT_EQ(Fail("sendrawtransaction", "[\"00\"]").code, -22);
    EXPECT_EQ(Fail("signrawtransactionwithkey", "[\"00\", []]").code, -22);
}

TEST_F(RawTransactionRpcTest, SignWithKeyErrorsAndPrevTxs)
{
    Mine(101);
    const std::string coinbase = CoinbaseTxid(1);
    const std::string raw = Str(Call("createrawtransaction", "[[{\"txid\":" + Quote(coinbase) + ",\"vout\":0}], {" +
                                                                 Quote(Address()) + ":49}]"));
    CallError error = Fail("signrawtransactionwithkey", "[" + Quote(raw) + ", [\"notakey\"]]");
    EXPECT_EQ(error.code, -5);
    EXPECT_EQ(error.message, "Invalid private key");
    // A main-network WIF is not a regtest key.
    EXPECT_EQ(Fail("signrawtransactionwithkey", "[" + Quote(raw) + ", [" + Quote(EncodeSecret(m_key, Network::MAIN)) + "]]")
                  .code,
              -5);
    error = Fail("signrawtransactionwithkey", "[" + Quote(raw) + ", [], null, \"NONE\"]");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "'NONE' is not a valid sighash parameter.");
    EXPECT_TRUE(Call("signrawtransactionwithkey", "[" + Quote(raw) + ", [" + Quote(Wif()) + "], null, \"ALL\"]")
                    .at("complete")
                    .as_bool());

    // No key: incomplete, with Core's error for the input.
    json::value result = Call("signrawtransactionwithkey", "[" + Quote(raw) + ", []]");
    EXPECT_FALSE(result.at("complete").as_bool());
    ASSERT_EQ(result.at("errors").as_array().size(), 1u);
    EXPECT_EQ(result.at("errors").at(0).at("txid").as_string(), coinbase);
    EXPECT_EQ(result.at("errors").at(0).at("vout").to_number<int64_t>(), 0);
    EXPECT_EQ(result.at("errors").at(0).at("error").as_string(),
              "Unable to sign input, invalid stack size (possibly missing key)");
    // Another key: the same.
    const PrivKey other = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x33));
    result = Call("signrawtransactionwithkey", "[" + Quote(raw) + ", [" + Quote(EncodeSecret(other, Network::REGTEST)) + "]]");
    EXPECT_FALSE(result.at("complete").as_bool());

    // An unknown coin: reported, unless prevtxs describe it.
    const std::string unknown(64, '7');
    const std::string raw_unknown = Str(Call("createrawtransaction", "[[{\"txid\":" + Quote(unknown) +
                                                                         ",\"vout\":1}], {" + Quote(Address()) + ":1}]"));
    result = Call("signrawtransactionwithkey", "[" + Quote(raw_unknown) + ", [" + Quote(Wif()) + "]]");
    EXPECT_FALSE(result.at("complete").as_bool());
    EXPECT_EQ(result.at("errors").at(0).at("error").as_string(), "Input not found or already spent");
    const std::string prevtx = "[{\"txid\":" + Quote(unknown) + ",\"vout\":1,\"address\":" + Quote(Address()) +
                               ",\"amount\":2}]";
    result = Call("signrawtransactionwithkey", "[" + Quote(raw_unknown) + ", [" + Quote(Wif()) + "], " + prevtx + "]");
    EXPECT_TRUE(result.at("complete").as_bool()) << WriteJson(result);
    // The same coin by its destination hex, Core's field name.
    const std::string by_hex = "[{\"txid\":" + Quote(unknown) + ",\"vout\":1,\"scriptPubKey\":\"0120" +
                               HexStr(m_key.GetXOnlyPubKey().bytes()) + "\",\"amount\":2}]";
    EXPECT_TRUE(Call("signrawtransactionwithkey", "[" + Quote(raw_unknown) + ", [" + Quote(Wif()) + "], " + by_hex + "]")
                    .at("complete")
                    .as_bool());

    error = Fail("signrawtransactionwithkey", "[" + Quote(raw_unknown) + ", [], [{\"txid\":" + Quote(unknown) +
                                                  ",\"vout\":-1,\"address\":" + Quote(Address()) + ",\"amount\":2}]]");
    EXPECT_EQ(error.code, -22);
    EXPECT_EQ(error.message, "vout cannot be negative");
    error = Fail("signrawtransactionwithkey", "[" + Quote(raw_unknown) + ", [], [{\"txid\":" + Quote(unknown) +
                                                  ",\"vout\":1,\"address\":" + Quote(Address()) + "}]]");
    EXPECT_EQ(error.code, -3);
    EXPECT_EQ(error.message, "Missing amount");
    // A prevtx contradicting the chain's coin.
    const std::string other_address = EncodeAddress(
        Destination::ForKey([&] {
            std::array<uint8_t, 32> bytes{};
            const auto key = other.GetXOnlyPubKey();
            std::copy(key.bytes().begin(), key.bytes().end(), bytes.begin());
            return bytes;
        }()),
        Network::REGTEST);
    error = Fail("signrawtransactionwithkey", "[" + Quote(raw) + ", [], [{\"txid\":" + Quote(coinbase) +
                                                  ",\"vout\":0,\"address\":" + Quote(other_address) + ",\"amount\":50}]]");
    EXPECT_EQ(error.code, -22);
    EXPECT_EQ(error.message.rfind("Previous output destination mismatch", 0), 0u);

    // A corrupted signature without the key to redo it.
    std::string hex = Str(Call("signrawtransactionwithkey", "[" + Quote(raw) + ", [" + Quote(Wif()) + "]]").at("hex"));
    const size_t sig_at = hex.size() - 2 * 64;
    hex[sig_at] = hex[sig_at] == '0' ? '1' : '0';
    result = Call("signrawtransactionwithkey", "[" + Quote(hex) + ", []]");
    EXPECT_FALSE(result.at("complete").as_bool());
    EXPECT_EQ(result.at("errors").at(0).at("error").as_string(), "Invalid Schnorr signature");
    EXPECT_EQ(result.at("errors").at(0).at("witness").at(0).as_string().size(), 128u);
}

TEST_F(RawTransactionRpcTest, SendRawTransactionErrors)
{
    Mine(102);
    const std::string coinbase = CoinbaseTxid(1);

    // Missing inputs: -25 with Core's reason.
    const std::string orphan = SignedOrphan(std::string(64, '8'));
    CallError error = Fail("sendrawtransaction", "[" + Quote(orphan) + "]");
    EXPECT_EQ(error.code, -25);
    EXPECT_EQ(error.message, "bad-txns-inputs-missingorspent");

    // Fee rate above maxfeerate (default 0.10 coins/kvB): -25; 0 disables the check.
    const std::string expensive = SignedSpend(coinbase, 0, "40");
    error = Fail("sendrawtransaction", "[" + Quote(expensive) + "]");
    EXPECT_EQ(error.code, -25);
    EXPECT_EQ(error.message, "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)");
    error = Fail("sendrawtransaction", "[" + Quote(expensive) + ", 1]");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(Fail("sendrawtransaction", "[" + Quote(expensive) + ", -0.1]").code, -3);
    const std::string sent = Str(Call("sendrawtransaction", "[" + Quote(expensive) + ", 0]"));

    // A conflicting spend of the same coin: -26.
    error = Fail("sendrawtransaction", "[" + Quote(SignedSpend(coinbase, 0, "49.999")) + "]");
    EXPECT_EQ(error.code, -26);
    EXPECT_EQ(error.message, "txn-mempool-conflict");

    // Below the minimum relay fee: -26 with the reason and detail.
    error = Fail("sendrawtransaction", "[" + Quote(SignedSpend(CoinbaseTxid(2), 0, "49.99999999")) + "]");
    EXPECT_EQ(error.code, -26);
    EXPECT_EQ(error.message.rfind("min relay fee not met", 0), 0u);

    // A bad signature: -26.
    std::string forged = SignedSpend(CoinbaseTxid(2), 0, "49.99");
    forged[forged.size() - 10] = forged[forged.size() - 10] == '0' ? '1' : '0';
    EXPECT_EQ(Fail("sendrawtransaction", "[" + Quote(forged) + "]").code, -26);

    // Once mined: -27.
    Mine(1);
    EXPECT_TRUE(Call("getrawmempool").as_array().empty());
    error = Fail("sendrawtransaction", "[" + Quote(expensive) + ", 0]");
    EXPECT_EQ(error.code, -27);
    EXPECT_EQ(error.message, "Transaction already in block chain");
    (void)sent;
}

TEST_F(RawTransactionRpcTest, TestMempoolAccept)
{
    Mine(102);
    const std::string good = SignedSpend(CoinbaseTxid(1), 0, "49.999");
    const std::string expensive = SignedSpend(CoinbaseTxid(2), 0, "40");
    const std::string orphan = SignedOrphan(std::string(64, '9'));
    const json::value results =
        Call("testmempoolaccept", "[[" + Quote(good) + ", " + Quote(expensive) + ", " + Quote(orphan) + "]]");
    ASSERT_EQ(results.as_array().size(), 3u);
    const json::object& ok = results.at(0).as_object();
    EXPECT_TRUE(ok.at("allowed").as_bool());
    EXPECT_EQ(ok.at("txid").as_string(), Call("decoderawtransaction", "[" + Quote(good) + "]").at("txid").as_string());
    EXPECT_EQ(ok.at("wtxid").as_string(), Call("decoderawtransaction", "[" + Quote(good) + "]").at("hash").as_string());
    EXPECT_EQ(ok.at("vsize").to_number<int64_t>(), static_cast<int64_t>(good.size() / 2));
    EXPECT_EQ(Num(ok.at("fees").at("base")), "0.00100000");
    EXPECT_FALSE(results.at(1).at("allowed").as_bool());
    EXPECT_EQ(results.at(1).at("reject-reason").as_string(), "max-fee-exceeded");
    EXPECT_EQ(results.at(2).at("reject-reason").as_string(), "missing-inputs");
    // Nothing entered the pool.
    EXPECT_TRUE(Call("getrawmempool").as_array().empty());
    // maxfeerate 0 allows the expensive one.
    EXPECT_TRUE(Call("testmempoolaccept", "[[" + Quote(expensive) + "], 0]").at(0).at("allowed").as_bool());

    Call("sendrawtransaction", "[" + Quote(good) + "]");
    EXPECT_EQ(Call("testmempoolaccept", "[[" + Quote(good) + "]]").at(0).at("reject-reason").as_string(),
              "txn-already-in-mempool");

    CallError error = Fail("testmempoolaccept", "[[]]");
    EXPECT_EQ(error.code, -8);
    EXPECT_EQ(error.message, "Array must contain between 1 and 25 transactions.");
    std::string many = "[[";
    for (int i = 0; i < 26; ++i) many += (i ? "," : "") + Quote(good);
    EXPECT_EQ(Fail("testmempoolaccept", many + "]]").code, -8);
    EXPECT_EQ(Fail("testmempoolaccept", "[[\"00\"]]").code, -22);
    EXPECT_EQ(Fail("testmempoolaccept", "[[1]]").code, -3);
}

}  // namespace
}  // namespace hpips::test
