// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/params.h>

#include <primitives/merkle.h>

#include <cassert>

namespace hpips {
namespace {

constexpr char GENESIS_MESSAGE[] =
    "HPIPS 2026-11-25: useful work, verified by re-execution, rewarded by consensus";
/** Genesis time of every chain: 2026-11-25T00:00:00Z. */
constexpr uint32_t GENESIS_TIME = 1'795'564'800;

/** 2^256 − 1: every ticket wins (regtest). */
ArithUint256 MaxTarget() { return ~ArithUint256{0}; }

ChainParams MakeParams(Network network, std::array<uint8_t, 4> magic, uint16_t port, uint16_t rpc_port,
                       const ArithUint256& pow_limit, uint32_t genesis_bits, bool no_retargeting)
{
    ChainParams p;
    p.network = network;
    p.message_start = magic;
    p.default_port = port;
    p.rpc_port = rpc_port;
    p.pow_limit = pow_limit;
    p.no_retargeting = no_retargeting;
    p.shape_rules = network == Network::REGTEST ? pouw::ShapeRules::Regtest() : pouw::ShapeRules::Main();
    p.genesis = BuildGenesisBlock(GENESIS_TIME, genesis_bits, GENESIS_MESSAGE);
    p.genesis_hash = p.genesis.GetHash();
    p.asert_anchor = AsertAnchor{0, genesis_bits, int64_t{GENESIS_TIME} - TARGET_SPACING};
    p.asert = AsertParams{TARGET_SPACING, ASERT_HALF_LIFE, pow_limit};
    return p;
}

ChainParams MakeMain()
{
    // Start at 2^236: about 2^20 reference tiles (64·64·4096 MACs each, ~7e16
    // MACs) per block, minutes of one fast GPU; ASERT adapts from there.
    const ArithUint256 limit = ArithUint256{1} << 240;
    const uint32_t bits = EncodeCompact(ArithUint256{1} << 236);
    return MakeParams(Network::MAIN, {0xe8, 0x50, 0x49, 0x53}, 9333, 9332, limit, bits, false);
}

ChainParams MakeTest()
{
    const ArithUint256 limit = ArithUint256{1} << 248;
    const uint32_t bits = EncodeCompact(ArithUint256{1} << 244);
    return MakeParams(Network::TEST, {0xe9, 0x54, 0x48, 0x50}, 19333, 19332, limit, bits, false);
}

ChainParams MakeRegtest()
{
    const ArithUint256 limit = MaxTarget();
    return MakeParams(Network::REGTEST, {0xea, 0x52, 0x48, 0x50}, 19444, 19443, limit,
                      EncodeCompact(limit), true);
}

}  // namespace

Block BuildGenesisBlock(uint32_t time, uint32_t bits, const std::string& message)
{
    MutableTransaction coinbase;
    TxIn in;  // the null outpoint
    in.witness.assign(message.begin(), message.end());
    coinbase.inputs.push_back(std::move(in));
    TxOut out;
    out.amount = INITIAL_SUBSIDY;
    out.destination = Destination::ForKey({});  // the all-zero key: nobody can spend it
    coinbase.outputs.push_back(std::move(out));
    coinbase.lock_time = 0;  // height 0, committed like every coinbase's height

    Block genesis;
    genesis.txs.emplace_back(std::move(coinbase));
    genesis.header.version = 1;
    genesis.header.time = time;
    genesis.header.bits = bits;
    genesis.header.merkle_root = BlockMerkleRoot(genesis.txs);
    return genesis;
}

const ChainParams& Params(Network network)
{
    static const ChainParams main = MakeMain();
    static const ChainParams test = MakeTest();
    static const ChainParams regtest = MakeRegtest();
    switch (network) {
    case Network::MAIN: return main;
    case Network::TEST: return test;
    case Network::REGTEST: return regtest;
    }
    assert(false);
    return main;
}

Amount BlockSubsidy(int64_t height)
{
    assert(height >= 0);
    const int64_t halvings = height / HALVING_INTERVAL;
    if (halvings >= MAX_HALVINGS) return 0;
    return INITIAL_SUBSIDY >> halvings;
}

uint32_t NextWorkRequired(const ChainParams& params, int64_t parent_height, int64_t parent_time)
{
    if (params.no_retargeting) return params.genesis.header.bits;
    return NextTargetAsert(params.asert_anchor, params.asert, parent_height, parent_time);
}

}  // namespace hpips
