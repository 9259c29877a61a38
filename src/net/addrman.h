// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_ADDRMAN_H
#define HPIPS_NET_ADDRMAN_H

#include <net/fast_random.h>
#include <net/messages.h>
#include <net/netaddress.h>
#include <util/clock.h>
#include <util/result.h>
#include <util/threadsafety.h>
#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

/**
 * The address manager: what this node knows about other nodes' addresses,
 * organised as Bitcoin Core's addrman so that no single source can fill it.
 *
 *  - "new" table (NEW_BUCKET_COUNT buckets of BUCKET_SIZE slots): addresses
 *    heard of but never connected to. An address's bucket depends on its
 *    own network group and on the group of the peer that told us about it
 *    (a source group reaches at most NEW_BUCKETS_PER_SOURCE_GROUP buckets),
 *    so one peer, or one /16 of peers, can occupy only a small part of the
 *    table. An address may sit in up to NEW_BUCKETS_PER_ADDRESS buckets.
 *  - "tried" table (TRIED_BUCKET_COUNT x BUCKET_SIZE): addresses we completed
 *    an outbound handshake with. The bucket depends on the address and its
 *    group (a group reaches at most TRIED_BUCKETS_PER_GROUP buckets).
 *  - every bucket and slot is chosen by a hash keyed with a secret random
 *    key (persisted with the tables), so an attacker cannot aim addresses at
 *    particular slots. A collision in the tried table moves the old entry
 *    back to the new table (Core first tests the old one with a feeler
 *    connection; not done here).
 *
 * Only routable IPv4/IPv6 addresses are stored.
 *
 * peers.dat: magic (4, the chain's message start) | format version u8 |
 * key (32) | CompactSize count | count x entry | checksum (32, SHA256d of all
 * bytes before it). An entry: address with time (30 bytes, as in addr) |
 * source address (16) | last_try i64 | last_success i64 | attempts i32 |
 * in_tried u8. The count is bounded by the tables' capacity before anything
 * is allocated. On load, new entries are placed in the bucket of their
 * source again (one bucket each: the multiplicity is not persisted).
 *
 * Thread safety: every public method takes the internal mutex.
 */
namespace hpips::net {

/** File name in the network data directory. */
constexpr char PEERS_FILE_NAME[] = "peers.dat";

/** Address manager tables and policy (see the file comment). */
struct AddrManConstants {
    static constexpr size_t NEW_BUCKET_COUNT = 1024;
    static constexpr size_t TRIED_BUCKET_COUNT = 256;
    static constexpr size_t BUCKET_SIZE = 64;
    static constexpr size_t NEW_BUCKETS_PER_SOURCE_GROUP = 64;
    static constexpr size_t TRIED_BUCKETS_PER_GROUP = 8;
    static constexpr int NEW_BUCKETS_PER_ADDRESS = 8;
    /** Addresses older than this are "terrible" and replaced first. */
    static constexpr int64_t HORIZON = 30 * 24 * 60 * 60;
    /** Failed attempts after which a never-successful address is terrible. */
    static constexpr int RETRIES = 3;
    /** Failed attempts since the last success after which an address that
     *  last succeeded over MIN_FAIL seconds ago is terrible. */
    static constexpr int MAX_FAILURES = 10;
    static constexpr int64_t MIN_FAIL = 7 * 24 * 60 * 60;
    /** How far in the future a timestamp may be before it is terrible. */
    static constexpr int64_t MAX_FUTURE = 10 * 60;
    /** Capacity of both tables: the most entries peers.dat may hold. */
    static constexpr size_t MAX_ENTRIES = (NEW_BUCKET_COUNT + TRIED_BUCKET_COUNT) * BUCKET_SIZE;
};

/** Encoded size of one peers.dat entry (see the file comment). */
constexpr size_t PEERS_ENTRY_SIZE = ADDR_ENTRY_SIZE + NetAddr::SIZE + 8 + 8 + 4 + 1;
/** Version byte of peers.dat. */
constexpr uint8_t PEERS_FORMAT_VERSION = 1;
/** Largest last-try / last-success time peers.dat may hold (node-clock
 *  seconds, as the address times: a u32); a larger or negative one makes the
 *  file damaged. */
constexpr int64_t MAX_PEERS_TIME = UINT32_MAX;
/** Largest peers.dat read: a full table. */
constexpr uintmax_t MAX_PEERS_FILE_SIZE = 4 + 1 + 32 + 9 + AddrManConstants::MAX_ENTRIES * PEERS_ENTRY_SIZE + 32;

/** What the address manager knows of one address. */
struct AddrInfo {
    AddressEntry entry;
    /** The peer that told us (its address). */
    NetAddr source;
    /** Last connection attempt, and last successful handshake (0: never). */
    int64_t last_try{0};
    int64_t last_success{0};
    /** Failed attempts since the last success. */
    int attempts{0};
    bool in_tried{false};
    /** New-table slots holding this entry. */
    int ref_count{0};
    /** Position in the random-access vector. */
    size_t random_pos{0};
    /** Last attempt counted as a failure. */
    int64_t last_count_attempt{0};
};

/** The address manager (see the file comment). */
class AddrMan {
public:
    /** An empty manager with a random key, or `key` (tests). `clock` must
     *  outlive it. */
    explicit AddrMan(const NodeClock& clock, std::optional<uint256> key = std::nullopt,
                     std::optional<std::array<uint8_t, 32>> random_seed = std::nullopt);

    /** Adds addresses heard from `source`; their times are moved back by
     *  `time_penalty` seconds (Core: 2 hours for gossip), except an address
     *  announcing itself. Returns how many were new to us. */
    size_t Add(std::span<const AddressEntry> addrs, const NetAddr& source, int64_t time_penalty = 0)
        LOCKS_EXCLUDED(m_mutex);
    /** An outbound handshake with `service` succeeded: moves it to tried. */
    void Good(const Service& service) LOCKS_EXCLUDED(m_mutex);
    /** We tried to connect to `service`; `count_failure` when it failed. */
    void Attempt(const Service& service, bool count_failure) LOCKS_EXCLUDED(m_mutex);
    /** A connection to `service` was up: refresh its time (at most every 20 minutes). */
    void Connected(const Service& service) LOCKS_EXCLUDED(m_mutex);
    /** Services learnt from the version handshake. */
    void SetServices(const Service& service, uint64_t services) LOCKS_EXCLUDED(m_mutex);

    /** An address to connect to, with its last attempt time: from tried or
     *  new with equal odds, favouring addresses not tried lately. `network`
     *  restricts the choice. nullopt when nothing fits. */
    std::optional<AddrInfo> Select(bool new_only = false, std::optional<NetType> network = std::nullopt)
        LOCKS_EXCLUDED(m_mutex);

    /** Up to `max_addresses` random addresses, at most `max_pct` percent of
     *  all (0: no percentage limit), never terrible ones; `network`
     *  restricts the choice. */
    std::vector<AddressEntry> GetAddr(size_t max_addresses, size_t max_pct,
                                      std::optional<NetType> network = std::nullopt) LOCKS_EXCLUDED(m_mutex);

    /** Number of addresses, optionally of one network and one table
     *  (in_new: true = new, false = tried). */
    size_t Size(std::optional<NetType> network = std::nullopt, std::optional<bool> in_new = std::nullopt) const
        LOCKS_EXCLUDED(m_mutex);

    /** Where `service` sits: nullopt if unknown. For tests. */
    struct Position {
        bool tried;
        size_t bucket;
        size_t slot;
        int multiplicity;
    };
    std::optional<Position> FindPosition(const Service& service) const LOCKS_EXCLUDED(m_mutex);

    /** The peers.dat bytes (see the file comment). */
    std::vector<uint8_t> Serialize(const std::array<uint8_t, 4>& magic) const LOCKS_EXCLUDED(m_mutex);
    /** Reads peers.dat bytes. Errors: wrong magic or version, bad checksum,
     *  a count above MAX_ENTRIES, malformed entries, trailing bytes. */
    static Result<std::unique_ptr<AddrMan>> Deserialize(std::span<const uint8_t> bytes,
                                                        const std::array<uint8_t, 4>& magic,
                                                        const NodeClock& clock);

    /** Writes peers.dat atomically. */
    Result<void> SaveFile(const std::filesystem::path& path, const std::array<uint8_t, 4>& magic) const
        LOCKS_EXCLUDED(m_mutex);

    /** The bucket calculations, public for tests. */
    size_t NewBucket(const NetAddr& addr, const NetAddr& source) const;
    size_t TriedBucket(const Service& service) const;
    size_t BucketSlot(bool is_new, size_t bucket, const Service& service) const;

private:
    static constexpr int NONE = -1;

    bool IsTerrible(const AddrInfo& info, int64_t now) const;
    double Chance(const AddrInfo& info, int64_t now) const;
    bool AddSingle(const AddressEntry& entry, const NetAddr& source, int64_t time_penalty, int64_t now)
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    int Create(const AddressEntry& entry, const NetAddr& source) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void Delete(int id) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void ClearNewSlot(size_t bucket, size_t slot) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void MakeTried(int id) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Places `id` in its new bucket for `source` if the slot is free or
     *  holds something worse; false otherwise. */
    bool PlaceNew(int id, const NetAddr& source, int64_t now) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    AddrInfo* Find(const Service& service, int* id_out = nullptr) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    uint64_t KeyedHash(std::span<const uint8_t> data) const;

    const NodeClock& m_clock;
    uint256 m_key;
    mutable Mutex m_mutex;
    mutable FastRandom m_rng GUARDED_BY(m_mutex);
    std::map<int, AddrInfo> m_info GUARDED_BY(m_mutex);
    std::map<Service, int> m_ids GUARDED_BY(m_mutex);
    std::vector<int> m_random GUARDED_BY(m_mutex);
    int m_next_id GUARDED_BY(m_mutex){0};
    size_t m_new_count GUARDED_BY(m_mutex){0};
    size_t m_tried_count GUARDED_BY(m_mutex){0};
    std::vector<int> m_new_table GUARDED_BY(m_mutex);
    std::vector<int> m_tried_table GUARDED_BY(m_mutex);
};

/** Reads <path> (peers.dat). A missing file gives an empty manager; a
 *  damaged one is moved aside (file_io.h MoveAside, logged) and an empty
 *  manager returned, so the node always starts. */
std::unique_ptr<AddrMan> LoadAddrMan(const std::filesystem::path& path, const std::array<uint8_t, 4>& magic,
                                     const NodeClock& clock);

}  // namespace hpips::net

#endif  // HPIPS_NET_ADDRMAN_H
