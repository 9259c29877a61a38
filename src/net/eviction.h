// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_EVICTION_H
#define HPIPS_NET_EVICTION_H

#include <cstdint>
#include <optional>
#include <vector>

/**
 * Which inbound peer to disconnect when a new inbound connection arrives and
 * every inbound slot is taken (the idea of Core's AttemptToEvictConnection;
 * this selection is our own).
 *
 * An attacker who opens many connections should not be able to push out the
 * peers that are useful to us, so before choosing, the candidates that are
 * hard to fake are protected, in this order:
 *   1. up to PROTECT_BY_NETGROUP peers from distinct network groups (one per
 *      group, the groups ranked by a keyed hash the attacker cannot predict);
 *   2. PROTECT_BY_PING peers with the lowest minimum ping (a nearby attacker
 *      can be fast, but not everywhere at once);
 *   3. PROTECT_BY_TX peers that most recently delivered new transactions;
 *   4. up to PROTECT_BLOCK_RELAY_BY_BLOCK peers that relay no transactions
 *      and most recently delivered new blocks, then PROTECT_BY_BLOCK peers
 *      that most recently delivered new blocks;
 *   5. half of those left, the longest connected.
 * A peer counts as having delivered only with a non-zero time. From those
 * left, peers marked prefer_evict go first if there are any. Then the
 * network group with the most candidates (ties: the group whose newest
 * member is newest) loses its newest member.
 *
 * Thread safety: a pure function.
 */
namespace hpips::net {

constexpr size_t PROTECT_BY_NETGROUP = 4;
constexpr size_t PROTECT_BY_PING = 8;
constexpr size_t PROTECT_BY_TX = 4;
constexpr size_t PROTECT_BLOCK_RELAY_BY_BLOCK = 8;
constexpr size_t PROTECT_BY_BLOCK = 4;

/** What eviction knows about one inbound peer. */
struct EvictionCandidate {
    int64_t id{0};
    /** When the connection was made: larger is newer (microseconds on a
     *  monotonic clock; the id breaks ties, ids also growing with time). */
    int64_t connected_us{0};
    /** Lowest ping seen in microseconds; INT64_MAX when none completed. */
    int64_t min_ping_us{INT64_MAX};
    /** Last time the peer gave us a new block / transaction (0: never). */
    int64_t last_block_time{0};
    int64_t last_tx_time{0};
    /** The peer asked for transactions (version relay flag). */
    bool relay_txs{true};
    /** Keyed hash of the peer's network group. */
    uint64_t keyed_net_group{0};
    /** Evict these first (none are today; kept for policies to come). */
    bool prefer_evict{false};
};

/** The peer to evict, or nullopt if every candidate is protected. */
std::optional<int64_t> SelectNodeToEvict(std::vector<EvictionCandidate> candidates);

}  // namespace hpips::net

#endif  // HPIPS_NET_EVICTION_H
