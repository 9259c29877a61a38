// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_BANMAN_H
#define HPIPS_NET_BANMAN_H

#include <net/netaddress.h>
#include <util/clock.h>
#include <util/result.h>
#include <util/threadsafety.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

/**
 * Bans and discouragement.
 *
 * A ban is set by the operator (setban) for a subnet until a time; banned
 * peers are refused on inbound and never dialled. Bans are persisted in
 * <datadir>/banlist.json (Core's format: {"banned_nets": [{"version": 1,
 * "ban_created", "banned_until", "address": "<subnet>"}]}) after every
 * change, and expired ones are swept when the list is read.
 *
 * Discouragement is what misbehaviour earns: the address (not a subnet) is
 * remembered for DISCOURAGEMENT_DURATION in memory only. A discouraged
 * address's new inbound connections are refused outright, and it is not
 * dialled. (Core accepts them while inbound slots are free, because its
 * probabilistic filter has false positives and an address may be shared
 * behind NAT; this set is exact, so the only cost of refusing is a NAT
 * neighbour of a misbehaving peer, which -whitelist can exempt.) The set is
 * bounded by MAX_DISCOURAGED; when full, the entry closest to expiry is
 * dropped.
 *
 * Thread safety: every method takes the internal mutex.
 */
namespace hpips::net {

/** Default ban duration (setban without bantime): 24 hours, as Core. */
constexpr int64_t DEFAULT_BAN_TIME = 24 * 60 * 60;
/** How long a misbehaving address stays discouraged. */
constexpr int64_t DISCOURAGEMENT_DURATION = 24 * 60 * 60;
/** Most discouraged addresses remembered. */
constexpr size_t MAX_DISCOURAGED = 50'000;
/** Most bans kept (and read from banlist.json). */
constexpr size_t MAX_BANNED = 100'000;
/** Largest banlist.json read. */
constexpr uintmax_t MAX_BANLIST_FILE_SIZE = 32u << 20;
/** File name in the network data directory. */
constexpr char BANLIST_FILE_NAME[] = "banlist.json";

/** One ban. */
struct BanEntry {
    int64_t create_time{0};
    int64_t ban_until{0};
};

/** The ban list and the discouraged set (see the file comment). */
class BanMan {
public:
    /** Reads `banlist_path` if it exists. A file that cannot be parsed is
     *  renamed to <name>.bak with a log line and the node starts with no
     *  bans. `clock` must outlive the BanMan. */
    BanMan(std::filesystem::path banlist_path, const NodeClock& clock);

    /** Bans `subnet` for `ban_time` seconds from now, or until the absolute
     *  time `ban_time` when `absolute`; 0 means DEFAULT_BAN_TIME from now.
     *  Persists the list. Fails if MAX_BANNED bans exist already. */
    Result<void> Ban(const SubNet& subnet, int64_t ban_time, bool absolute) LOCKS_EXCLUDED(m_mutex);
    /** Removes the ban on exactly `subnet`; false if there was none. */
    bool Unban(const SubNet& subnet) LOCKS_EXCLUDED(m_mutex);
    /** Removes every ban and every discouragement. */
    void ClearBanned() LOCKS_EXCLUDED(m_mutex);
    /** True if a ban in force covers `addr`. */
    bool IsBanned(const NetAddr& addr) LOCKS_EXCLUDED(m_mutex);
    /** True if a ban in force is set on exactly `subnet`. */
    bool IsBanned(const SubNet& subnet) LOCKS_EXCLUDED(m_mutex);
    /** The bans in force (expired ones are removed first). */
    std::map<SubNet, BanEntry> GetBanned() LOCKS_EXCLUDED(m_mutex);

    /** Remembers `addr` as discouraged for DISCOURAGEMENT_DURATION. */
    void Discourage(const NetAddr& addr) LOCKS_EXCLUDED(m_mutex);
    /** True if `addr` is discouraged now. */
    bool IsDiscouraged(const NetAddr& addr) LOCKS_EXCLUDED(m_mutex);
    /** Number of discouraged addresses (including expired, not yet swept). */
    size_t DiscouragedCount() LOCKS_EXCLUDED(m_mutex);

    /** Writes banlist.json (temporary file, fsync, rename); not created while
     *  there has never been a ban. */
    Result<void> Save() LOCKS_EXCLUDED(m_mutex);

private:
    void SweepBanned() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    Result<void> SaveLocked() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void Load() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);

    const std::filesystem::path m_path;
    const NodeClock& m_clock;
    Mutex m_mutex;
    std::map<SubNet, BanEntry> m_banned GUARDED_BY(m_mutex);
    /** Address -> expiry, and (expiry, address) for dropping the oldest. */
    std::map<NetAddr, int64_t> m_discouraged GUARDED_BY(m_mutex);
    std::set<std::pair<int64_t, NetAddr>> m_discouraged_by_expiry GUARDED_BY(m_mutex);
};

}  // namespace hpips::net

#endif  // HPIPS_NET_BANMAN_H
