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

/** Brings the node up from node.args: data directory (must exist when
 *  given with -datadir), configuration file, network, lock, logging, then
 *  the RPC server with its cookie. On error the message is what Core would
 *  print after "Error: "; call Shutdown afterwards either way. */
Result<void> AppInit(NodeContext& node);

/** Takes the node down in reverse order: RPC server (replies in flight are
 *  written), cookie, lock, log file. Safe after a partial AppInit. */
void Shutdown(NodeContext& node);

/** The -help text of hpipsd. */
std::string NodeHelpText();

}  // namespace hpips

#endif  // HPIPS_NODE_INIT_H
