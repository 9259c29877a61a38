// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_NETWORK_H
#define HPIPS_PRIMITIVES_NETWORK_H

#include <string_view>

namespace hpips {

/** The three chains. Primitives that differ per chain (address prefixes, the
 *  signature-hash chain tag) take a Network; everything else about a chain
 *  lives in the consensus parameters. */
enum class Network { MAIN, TEST, REGTEST };

/** "main", "test" or "regtest": the name RPC reports and the sighash tags. */
constexpr std::string_view NetworkName(Network net)
{
    switch (net) {
    case Network::MAIN: return "main";
    case Network::TEST: return "test";
    case Network::REGTEST: return "regtest";
    }
    return "";
}

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_NETWORK_H
