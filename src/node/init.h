// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_INIT_H
#define HPIPS_NODE_INIT_H

#include <node/context.h>
#include <util/result.h>

#include <string>
#include <vector>

namespace hpips {

/** What main should do after the command line was parsed. */
enum class ParseOutcome { RUN, PRINTED_HELP_OR_VERSION };

/** Parses the command line into node.args, or prints -help / -version to
 *  stdout. Errors name the offending option. */
Result<ParseOutcome> ParseNodeCommandLine(NodeContext& node, const std::vector<std::string>& tokens);

/** The first half of AppInit, which starts no thread (so -daemon can fork
 *  after it): data directory (must exist when given with -datadir; the
 *  network's directory is created), configuration file with its
 *  -includeconf files (unknown names are warnings), network choice
 *  (-regtest / -testnet / -chain) and option checks. */
Result<void> AppInitParameters(NodeContext& node);

/** The second half: lock, pid file, debug log, RPC server with its cookie,
 *  chain, mempool.dat, miner, notifications, network; then -startupnotify. */
Result<void> AppInitMain(NodeContext& node);

/** Brings the node up from node.args: AppInitParameters then AppInitMain.
 *  On error the message is what Core would print after "Error: "; call
 *  Shutdown afterwards either way. */
Result<void> AppInit(NodeContext& node);

/** Takes the node down in reverse order: RPC server (replies in flight are
 *  written), network, miner, mempool.dat (-persistmempool), notifications,
 *  chain, cookie, pid file, lock, log file. Safe after a partial AppInit. */
void Shutdown(NodeContext& node);

/** The -help text of hpipsd; with `show_debug` (-help-debug) the debug
 *  options too. */
std::string NodeHelpText(bool show_debug = false);

}  // namespace hpips

#endif  // HPIPS_NODE_INIT_H
