// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_ARGS_H
#define HPIPS_UTIL_ARGS_H

#include <boost/program_options.hpp>

#include <string>

namespace hpips {

/** Command-line style shared by hpipsd and hpips-cli: Bitcoin Core's
 *  single-dash long options (-datadir=DIR, -regtest), double dashes accepted
 *  too, and -noFOO for boolean switches is left to the caller. */
constexpr int COMMAND_LINE_STYLE =
    boost::program_options::command_line_style::default_style |
    boost::program_options::command_line_style::allow_long_disguise;

/** Version line printed by -version: "<tool> version v<semver>". */
std::string FormatVersion(const std::string& tool);

}  // namespace hpips

#endif  // HPIPS_UTIL_ARGS_H
