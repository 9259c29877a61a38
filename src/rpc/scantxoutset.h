// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_SCANTXOUTSET_H
#define HPIPS_RPC_SCANTXOUTSET_H

#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <util/result.h>

#include <cstddef>

/** scantxoutset (doc/rpc.md, "scantxoutset"): finds the unspent outputs
 *  paying given destinations by walking the UTXO set on disk.
 *
 *  Contract:
 *   - action "start" flushes the chainstate and walks one consistent
 *     database snapshot with no chain lock held, so blocks keep connecting
 *     meanwhile; the result describes the snapshot's block (height,
 *     bestblock). Mempool outputs are not included (as Core).
 *   - scan objects are descriptors `addr(ADDRESS)` or `raw(HEX)` (HEX: a
 *     destination's encoding, as scriptPubKey.hex shows it), each with an
 *     optional `#checksum` (checked when present), as strings or as
 *     {"desc": ...} objects; at most MAX_SCAN_OBJECTS of them.
 *   - one scan runs at a time: another "start" meanwhile is -8 "Scan already
 *     in progress"; "status" gives {progress} of the running scan (null when
 *     none) and "abort" stops it (true) or finds none (false). An aborted
 *     scan answers with success false and what it found so far. */
namespace hpips {

/** Most scan objects one scantxoutset call accepts: each is looked up for
 *  every coin, so the set is bounded like any untrusted size. */
constexpr size_t MAX_SCAN_OBJECTS = 10'000;

/** Registers scantxoutset in `table`; it keeps a pointer to `context`,
 *  which must outlive the table's use. Fails if the name is taken. */
Result<void> RegisterScanTxOutSetRPCCommands(RPCTable& table, ChainContext& context);

}  // namespace hpips

#endif  // HPIPS_RPC_SCANTXOUTSET_H
