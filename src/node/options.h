// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_OPTIONS_H
#define HPIPS_NODE_OPTIONS_H

#include <node/settings.h>

#include <span>

namespace hpips {

/** Every option hpipsd accepts, on the command line and in hpips.conf, with
 *  its -help text. Options the chain, miner and network work will consume
 *  (-dbcache, -mine, -reindex, ...) are declared here already so that they
 *  parse and show in -help; they are not acted on yet. */
std::span<const OptionSpec> NodeOptions();

}  // namespace hpips

#endif  // HPIPS_NODE_OPTIONS_H
