// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_NET_PERMISSIONS_H
#define HPIPS_NET_NET_PERMISSIONS_H

#include <net/netaddress.h>
#include <util/result.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/**
 * Permissions granted to peers by -whitelist (by their address) and
 * -whitebind (by the local endpoint they connected to), written as Core's
 * "perm1,perm2@address". Without "@", a peer gets the default set
 * (noban, relay, mempool, download), as Core's implicit whitelist.
 *
 *   noban    never discouraged or banned for misbehaviour (still
 *            disconnected), never evicted; implies download
 *   relay    its transactions are relayed even when we would not accept
 *            them otherwise (used by the transaction relay to come)
 *   mempool  may send the mempool message
 *   download may keep downloading from us past any upload limit
 *   addr     its addr messages are not rate limited
 *
 * Thread safety: plain values.
 */
namespace hpips::net {

/** A set of permission bits. */
enum NetPermissionFlags : uint32_t {
    PF_NONE = 0,
    PF_NOBAN = 1u << 0,
    PF_RELAY = 1u << 1,
    PF_MEMPOOL = 1u << 2,
    PF_DOWNLOAD = 1u << 3,
    PF_ADDR = 1u << 4,
    /** What a "-whitelist=<net>" without permissions grants. */
    PF_IMPLICIT = PF_NOBAN | PF_RELAY | PF_MEMPOOL | PF_DOWNLOAD,
};

/** True if every bit of `flag` is in `flags`. */
constexpr bool HasPermission(uint32_t flags, uint32_t flag) { return (flags & flag) == flag; }

/** The names of the set bits ("noban", "relay", ...), for getpeerinfo. */
std::vector<std::string> PermissionNames(uint32_t flags);

/** -whitelist: peers from `subnet` get `flags`. */
struct WhitelistEntry {
    uint32_t flags{PF_NONE};
    SubNet subnet;
};

/** -whitebind: peers that connect to `service` get `flags`. */
struct WhitebindEntry {
    uint32_t flags{PF_NONE};
    Service service;
};

/** Parses "[perms@]net". */
Result<WhitelistEntry> ParseWhitelist(std::string_view text);

/** Parses "[perms@]addr:port" (the port is required, as in Core). */
Result<WhitebindEntry> ParseWhitebind(std::string_view text);

}  // namespace hpips::net

#endif  // HPIPS_NET_NET_PERMISSIONS_H
