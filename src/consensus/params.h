// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_PARAMS_H
#define HPIPS_CONSENSUS_PARAMS_H

#include <consensus/asert.h>
#include <pouw/params.h>
#include <primitives/amount.h>
#include <primitives/block.h>
#include <primitives/network.h>
#include <primitives/target.h>

#include <array>
#include <cstdint>
#include <string>

/** Chain parameters of main, test and regtest (doc/consensus.md). They are
 *  the one global the project allows besides logging, and they are
 *  immutable: Params(Network) returns a reference to a value built once. */
namespace hpips {

/** Blocks between subsidy halvings. */
constexpr int64_t HALVING_INTERVAL = 2'100'000;
/** Subsidy of the first blocks. */
constexpr Amount INITIAL_SUBSIDY = 50 * COIN;
/** After this many halvings the subsidy is zero (a right shift by 64 is undefined in C++). */
constexpr int64_t MAX_HALVINGS = 64;
/** Confirmations before a coinbase output may be spent: a coinbase at height
 *  h is spendable by a transaction in block h + COINBASE_MATURITY. */
constexpr int64_t COINBASE_MATURITY = 100;
/** Target seconds between blocks. */
constexpr int64_t TARGET_SPACING = 60;
/** ASERT half-life: 288 blocks of 60 s. */
constexpr int64_t ASERT_HALF_LIFE = 17'280;
/** Blocks in the median-time-past window. */
constexpr int64_t MEDIAN_TIME_SPAN = 11;
/** Most seconds a block's time may be ahead of the node's adjusted clock. */
constexpr int64_t MAX_FUTURE_BLOCK_TIME = 10 * 60;

/** Everything that differs between the chains. */
struct ChainParams {
    Network network{Network::MAIN};
    /** Four bytes that start every P2P message and every block-file record. */
    std::array<uint8_t, 4> message_start{};
    uint16_t default_port{0};
    uint16_t rpc_port{0};
    /** Easiest allowed target. */
    ArithUint256 pow_limit;
    /** Regtest: the target never changes (blocks mine instantly). */
    bool no_retargeting{false};
    /** Which PoUW unit shapes the chain accepts (regtest adds tiny ones). */
    pouw::ShapeRules shape_rules{pouw::ShapeRules::Main()};
    /** Genesis, built by code (BuildGenesisBlock), and its hash. */
    Block genesis;
    uint256 genesis_hash;

    /** ASERT anchored at genesis: anchor parent time = genesis time − spacing. */
    AsertAnchor asert_anchor;
    AsertParams asert;

    /** "main", "test" or "regtest". */
    std::string Name() const { return std::string{NetworkName(network)}; }
};

/** The parameters of a chain. */
const ChainParams& Params(Network network);

/** The block subsidy at a height: 50 coins halved every HALVING_INTERVAL
 *  blocks, zero after MAX_HALVINGS halvings. */
Amount BlockSubsidy(int64_t height);

/** The bits the block after `parent` (at `parent_height`) must carry. */
uint32_t NextWorkRequired(const ChainParams& params, int64_t parent_height, int64_t parent_time);

/** Builds a genesis block deterministically: one coinbase paying the initial
 *  subsidy to an unspendable destination (it never enters the UTXO set, as in
 *  Bitcoin), carrying `message` in its witness; null proof; empty opening. */
Block BuildGenesisBlock(uint32_t time, uint32_t bits, const std::string& message);

}  // namespace hpips

#endif  // HPIPS_CONSENSUS_PARAMS_H
