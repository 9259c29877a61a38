// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINER_APP_BLOCK_WORK_H
#define HPIPS_MINER_APP_BLOCK_WORK_H

#include <pouw/engine.h>
#include <pouw/params.h>
#include <primitives/block.h>
#include <util/result.h>

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

/** A getblocktemplate answer turned into a block to mine (doc/mining.md):
 *  the coinbase the node built for -address (coinbasetxn), the template's
 *  transactions, the Merkle root, the header template and the filler unit
 *  the miner key selects; and the finished block once a ticket wins. Reads
 *  no chain code: the shape rules come from the template's pouw.filler. */
namespace hpips::miner {

/** Most transactions a template may list (a full block's worth). */
constexpr size_t MAX_TEMPLATE_TXS = MAX_BLOCK_TXS;

struct BlockWork {
    /** The block without its proof (header.proof.miner_key is set). */
    Block block;
    int64_t height{0};
    std::string longpollid;
    pouw::ShapeRules rules{pouw::ShapeRules::Main()};
    /** Filler unit 0 of the miner key on the previous block. */
    pouw::WorkUnit filler;
};

/** Builds the work from a template fetched with coinbase_address. Errors
 *  name the field that is missing or malformed. */
Result<BlockWork> ParseBlockTemplate(const boost::json::object& tmpl);

/** The shape rules whose filler shape is `shape` (main or regtest). */
Result<pouw::ShapeRules> RulesForFiller(const pouw::UnitShape& shape);

/** The block with the winning ticket's proof and opening, in hex for submitblock. */
std::string FinishBlock(const BlockWork& work, const pouw::WinningTicket& win);

}  // namespace hpips::miner

#endif  // HPIPS_MINER_APP_BLOCK_WORK_H
