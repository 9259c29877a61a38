// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_OPTIONS_H
#define HPIPS_NODE_OPTIONS_H

#include <node/settings.h>

#include <span>

namespace hpips {

/** Every option hpipsd accepts, on the command line and in hpips.conf, with
 *  its -help text. */
std::span<const OptionSpec> NodeOptions();

}  // namespace hpips

#endif  // HPIPS_NODE_OPTIONS_H
