// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/addrman.h>

#include <crypto/random.h>
#include <crypto/sha256.h>
#include <net/file_io.h>
#include <util/logging.h>
#include <util/serialize.h>

#include <algorithm>
#include <cmath>

namespace hpips::net {
namespace {

using C = AddrManConstants;

/** Gossiped times are refreshed at most this often for an address seen online lately. */
constexpr int64_t UPDATE_INTERVAL_ONLINE = 60 * 60;
constexpr int64_t UPDATE_INTERVAL_OFFLINE = 24 * 60 * 60;
/** An address counts as online if seen within this long. */
constexpr int64_t ONLINE_WINDOW = 24 * 60 * 60;
/** Connected() refreshes an address's time at most this often. */
constexpr int64_t CONNECTED_UPDATE_INTERVAL = 20 * 60;
/** An address tried within this long is 100 times less likely to be selected. */
constexpr int64_t RECENT_TRY = 10 * 60;
/** Never call an address terrible within this long of trying it. */
constexpr int64_t GRACE_AFTER_TRY = 60;
/** Select gives up after probing this many buckets (a filter that matches
 *  almost nothing must not spin forever). */
constexpr size_t MAX_SELECT_PROBES = 1'000'000;

uint256 RandomKey()
{
    std::array<uint8_t, 32> bytes{};
    GetStrongRandBytes(bytes);
    return uint256{bytes};
}

void AppendU64(std::vector<uint8_t>& out, uint64_t v)
{
    for (size_t i{0}; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

/** The address and port as 18 bytes: what identifies an entry. */
void AppendServiceKey(std::vector<uint8_t>& out, const Service& service)
{
    out.insert(out.end(), service.addr.Bytes().begin(), service.addr.Bytes().end());
    out.push_back(static_cast<uint8_t>(service.port >> 8));
    out.push_back(static_cast<uint8_t>(service.port & 0xff));
}

}  // namespace

AddrMan::AddrMan(const NodeClock& clock, std::optional<uint256> key, std::optional<std::array<uint8_t, 32>> random_seed)
    : m_clock{clock},
      m_key{key ? *key : RandomKey()},
      m_rng{random_seed},
      m_new_table(C::NEW_BUCKET_COUNT * C::BUCKET_SIZE, NONE),
      m_tried_table(C::TRIED_BUCKET_COUNT * C::BUCKET_SIZE, NONE)
{
}

uint64_t AddrMan::KeyedHash(std::span<const uint8_t> data) const
{
    Sha256 hasher;
    hasher.Write(m_key.span());
    hasher.Write(data);
    const uint256 hash = hasher.Finalize();
    uint64_t v{0};
    for (size_t i{0}; i < 8; ++i) v |= uint64_t{hash.span()[i]} << (8 * i);
    return v;
}

size_t AddrMan::NewBucket(const NetAddr& addr, const NetAddr& source) const
{
    const auto group = addr.Group();
    const auto source_group = source.Group();
    std::vector<uint8_t> data{group};
    data.insert(data.end(), source_group.begin(), source_group.end());
    const uint64_t h1 = KeyedHash(data) % C::NEW_BUCKETS_PER_SOURCE_GROUP;
    std::vector<uint8_t> data2{source_group};
    AppendU64(data2, h1);
    return KeyedHash(data2) % C::NEW_BUCKET_COUNT;
}

size_t AddrMan::TriedBucket(const Service& service) const
{
    std::vector<uint8_t> data;
    AppendServiceKey(data, service);
    const uint64_t h1 = KeyedHash(data) % C::TRIED_BUCKETS_PER_GROUP;
    std::vector<uint8_t> data2{service.addr.Group()};
    AppendU64(data2, h1);
    return KeyedHash(data2) % C::TRIED_BUCKET_COUNT;
}

size_t AddrMan::BucketSlot(bool is_new, size_t bucket, const Service& service) const
{
    std::vector<uint8_t> data{static_cast<uint8_t>(is_new ? 'N' : 'K')};
    AppendU64(data, bucket);
    AppendServiceKey(data, service);
    return KeyedHash(data) % C::BUCKET_SIZE;
}

bool AddrMan::IsTerrible(const AddrInfo& info, int64_t now) const
{
    if (info.last_try != 0 && now - info.last_try <= GRACE_AFTER_TRY) return false;
    const int64_t time = info.entry.time;
    if (time > now + C::MAX_FUTURE) return true;
    if (now - time > C::HORIZON) return true;
    if (info.last_success == 0 && info.attempts >= C::RETRIES) return true;
    if (now - info.last_success > C::MIN_FAIL && info.attempts >= C::MAX_FAILURES) return true;
    return false;
}

double AddrMan::Chance(const AddrInfo& info, int64_t now) const
{
    double chance = 1.0;
    if (now - info.last_try < RECENT_TRY) chance *= 0.01;
    chance *= std::pow(0.66, std::min(info.attempts, 8));
    return chance;
}

AddrInfo* AddrMan::Find(const Service& service, int* id_out)
{
    const auto it = m_ids.find(service);
    if (it == m_ids.end()) return nullptr;
    if (id_out != nullptr) *id_out = it->second;
    return &m_info.at(it->second);
}

int AddrMan::Create(const AddressEntry& entry, const NetAddr& source)
{
    const int id = m_next_id++;
    AddrInfo info;
    info.entry = entry;
    info.source = source;
    info.random_pos = m_random.size();
    m_random.push_back(id);
    m_info.emplace(id, std::move(info));
    m_ids.emplace(entry.service, id);
    ++m_new_count;
    return id;
}

void AddrMan::Delete(int id)
{
    const AddrInfo& info = m_info.at(id);
    // Swap-remove from the random-access vector.
    const size_t pos = info.random_pos;
    const int last = m_random.back();
    m_random[pos] = last;
    m_info.at(last).random_pos = pos;
    m_random.pop_back();
    m_ids.erase(info.entry.service);
    m_info.erase(id);
    --m_new_count;
}

void AddrMan::ClearNewSlot(size_t bucket, size_t slot)
{
    int& cell = m_new_table[bucket * C::BUCKET_SIZE + slot];
    if (cell == NONE) return;
    const int id = cell;
    cell = NONE;
    AddrInfo& info = m_info.at(id);
    if (--info.ref_count == 0) Delete(id);
}

bool AddrMan::PlaceNew(int id, const NetAddr& source, int64_t now)
{
    AddrInfo& info = m_info.at(id);
    const size_t bucket = NewBucket(info.entry.service.addr, source);
    const size_t slot = BucketSlot(true, bucket, info.entry.service);
    int& cell = m_new_table[bucket * C::BUCKET_SIZE + slot];
    if (cell == id) return false;
    bool insert = cell == NONE;
    if (!insert) {
        const AddrInfo& existing = m_info.at(cell);
        // Overwrite only what is worse: a terrible entry, or one that is also
        // held elsewhere while this one is held nowhere.
        insert = IsTerrible(existing, now) || (existing.ref_count > 1 && info.ref_count == 0);
    }
    if (insert) {
        ClearNewSlot(bucket, slot);
        m_info.at(id).ref_count++;
        m_new_table[bucket * C::BUCKET_SIZE + slot] = id;
        return true;
    }
    if (m_info.at(id).ref_count == 0) Delete(id);
    return false;
}

void AddrMan::MakeTried(int id)
{
    AddrInfo& info = m_info.at(id);
    // Out of every new bucket that holds it.
    for (size_t bucket{0}; bucket < C::NEW_BUCKET_COUNT && info.ref_count > 0; ++bucket) {
        const size_t slot = BucketSlot(true, bucket, info.entry.service);
        int& cell = m_new_table[bucket * C::BUCKET_SIZE + slot];
        if (cell == id) {
            cell = NONE;
            --info.ref_count;
        }
    }
    --m_new_count;

    const size_t bucket = TriedBucket(info.entry.service);
    const size_t slot = BucketSlot(false, bucket, info.entry.service);
    int& cell = m_tried_table[bucket * C::BUCKET_SIZE + slot];
    if (cell != NONE) {
        // The old occupant goes back to the new table, into the bucket of its source.
        const int old_id = cell;
        AddrInfo& old = m_info.at(old_id);
        old.in_tried = false;
        cell = NONE;
        --m_tried_count;
        const size_t new_bucket = NewBucket(old.entry.service.addr, old.source);
        const size_t new_slot = BucketSlot(true, new_bucket, old.entry.service);
        ClearNewSlot(new_bucket, new_slot);
        old.ref_count = 1;
        m_new_table[new_bucket * C::BUCKET_SIZE + new_slot] = old_id;
        ++m_new_count;
    }
    m_tried_table[bucket * C::BUCKET_SIZE + slot] = id;
    ++m_tried_count;
    info.in_tried = true;
}

bool AddrMan::AddSingle(const AddressEntry& entry, const NetAddr& source, int64_t time_penalty, int64_t now)
{
    if (!entry.service.addr.IsRoutable()) return false;
    if (entry.service.addr == source) time_penalty = 0;
    int id{NONE};
    AddrInfo* info = Find(entry.service, &id);
    const int64_t entry_time = entry.time;
    if (info != nullptr) {
        const int64_t interval = now - entry_time < ONLINE_WINDOW ? UPDATE_INTERVAL_ONLINE : UPDATE_INTERVAL_OFFLINE;
        if (int64_t{info->entry.time} < entry_time - interval - time_penalty) {
            info->entry.time = static_cast<uint32_t>(std::max<int64_t>(0, entry_time - time_penalty));
        }
        info->entry.services |= entry.services;
        if (entry_time <= int64_t{info->entry.time}) return false;
        if (info->in_tried) return false;
        if (info->ref_count >= C::NEW_BUCKETS_PER_ADDRESS) return false;
        // Each further bucket is twice as hard to reach as the last.
        if (info->ref_count > 0 && m_rng.RandRange(uint64_t{1} << info->ref_count) != 0) return false;
        PlaceNew(id, source, now);
        return false;
    }
    AddressEntry stored = entry;
    stored.time = static_cast<uint32_t>(std::max<int64_t>(0, entry_time - time_penalty));
    id = Create(stored, source);
    return PlaceNew(id, source, now);
}

size_t AddrMan::Add(std::span<const AddressEntry> addrs, const NetAddr& source, int64_t time_penalty)
{
    LockGuard lock{m_mutex};
    const int64_t now = m_clock.Now();
    size_t added{0};
    for (const auto& entry : addrs) added += AddSingle(entry, source, time_penalty, now) ? 1 : 0;
    if (added > 0) {
        LogDebug(LogCategory::NET, "Added {} addresses from {}: {} tried, {} new", added, source.ToString(),
                 m_tried_count, m_new_count);
    }
    return added;
}

void AddrMan::Good(const Service& service)
{
    LockGuard lock{m_mutex};
    int id{NONE};
    AddrInfo* info = Find(service, &id);
    if (info == nullptr) return;
    const int64_t now = m_clock.Now();
    info->last_success = now;
    info->last_try = now;
    info->attempts = 0;
    if (info->in_tried || info->ref_count == 0) return;
    MakeTried(id);
}

void AddrMan::Attempt(const Service& service, bool count_failure)
{
    LockGuard lock{m_mutex};
    AddrInfo* info = Find(service);
    if (info == nullptr) return;
    const int64_t now = m_clock.Now();
    info->last_try = now;
    if (count_failure && info->last_count_attempt != now) {
        info->last_count_attempt = now;
        ++info->attempts;
    }
}

void AddrMan::Connected(const Service& service)
{
    LockGuard lock{m_mutex};
    AddrInfo* info = Find(service);
    if (info == nullptr) return;
    const int64_t now = m_clock.Now();
    if (now - int64_t{info->entry.time} > CONNECTED_UPDATE_INTERVAL) info->entry.time = static_cast<uint32_t>(now);
}

void AddrMan::SetServices(const Service& service, uint64_t services)
{
    LockGuard lock{m_mutex};
    if (AddrInfo* info = Find(service)) info->entry.services = services;
}

std::optional<AddrInfo> AddrMan::Select(bool new_only, std::optional<NetType> network)
{
    const size_t new_count = Size(network, true);
    const size_t tried_count = new_only ? 0 : Size(network, false);
    LockGuard lock{m_mutex};
    if (new_count + tried_count == 0) return std::nullopt;
    const bool use_tried = tried_count > 0 && (new_count == 0 || m_rng.RandBool());
    const std::vector<int>& table = use_tried ? m_tried_table : m_new_table;
    const size_t bucket_count = use_tried ? C::TRIED_BUCKET_COUNT : C::NEW_BUCKET_COUNT;
    const int64_t now = m_clock.Now();
    double chance_factor = 1.0;
    for (size_t probe{0}; probe < MAX_SELECT_PROBES; ++probe) {
        const size_t bucket = m_rng.RandRange(bucket_count);
        const size_t start = m_rng.RandRange(C::BUCKET_SIZE);
        int id{NONE};
        for (size_t i{0}; i < C::BUCKET_SIZE; ++i) {
            const int cell = table[bucket * C::BUCKET_SIZE + (start + i) % C::BUCKET_SIZE];
            if (cell != NONE && (!network || m_info.at(cell).entry.service.addr.Type() == *network)) {
                id = cell;
                break;
            }
        }
        if (id == NONE) continue;
        const AddrInfo& info = m_info.at(id);
        const double threshold = chance_factor * Chance(info, now) * static_cast<double>(1 << 30);
        if (static_cast<double>(m_rng.RandRange(1 << 30)) < threshold) return info;
        chance_factor *= 1.2;
    }
    return std::nullopt;
}

std::vector<AddressEntry> AddrMan::GetAddr(size_t max_addresses, size_t max_pct, std::optional<NetType> network)
{
    LockGuard lock{m_mutex};
    size_t wanted = max_addresses;
    if (max_pct != 0) wanted = std::min(wanted, max_pct * m_random.size() / 100);
    const int64_t now = m_clock.Now();
    std::vector<AddressEntry> out;
    for (size_t i{0}; i < m_random.size() && out.size() < wanted; ++i) {
        const size_t j = i + m_rng.RandRange(m_random.size() - i);
        std::swap(m_random[i], m_random[j]);
        m_info.at(m_random[i]).random_pos = i;
        m_info.at(m_random[j]).random_pos = j;
        const AddrInfo& info = m_info.at(m_random[i]);
        if (network && info.entry.service.addr.Type() != *network) continue;
        if (IsTerrible(info, now)) continue;
        out.push_back(info.entry);
    }
    return out;
}

size_t AddrMan::Size(std::optional<NetType> network, std::optional<bool> in_new) const
{
    LockGuard lock{m_mutex};
    if (!network) {
        if (!in_new) return m_new_count + m_tried_count;
        return *in_new ? m_new_count : m_tried_count;
    }
    size_t count{0};
    for (const auto& [id, info] : m_info) {
        if (info.entry.service.addr.Type() != *network) continue;
        if (in_new && *in_new == info.in_tried) continue;
        ++count;
    }
    return count;
}

std::optional<AddrMan::Position> AddrMan::FindPosition(const Service& service) const
{
    LockGuard lock{m_mutex};
    const auto it = m_ids.find(service);
    if (it == m_ids.end()) return std::nullopt;
    const AddrInfo& info = m_info.at(it->second);
    if (info.in_tried) {
        const size_t bucket = TriedBucket(service);
        return Position{true, bucket, BucketSlot(false, bucket, service), 0};
    }
    for (size_t bucket{0}; bucket < C::NEW_BUCKET_COUNT; ++bucket) {
        const size_t slot = BucketSlot(true, bucket, service);
        if (m_new_table[bucket * C::BUCKET_SIZE + slot] == it->second) {
            return Position{false, bucket, slot, info.ref_count};
        }
    }
    return std::nullopt;
}

std::vector<uint8_t> AddrMan::Serialize(const std::array<uint8_t, 4>& magic) const
{
    LockGuard lock{m_mutex};
    Writer w{64 + m_info.size() * PEERS_ENTRY_SIZE};
    w.WriteBytes(magic);
    w.WriteU8(PEERS_FORMAT_VERSION);
    w.WriteUint256(m_key);
    w.WriteCompactSize(m_info.size());
    for (const auto& [id, info] : m_info) {
        WriteAddressEntry(w, info.entry);
        w.WriteBytes(info.source.Bytes());
        w.WriteI64(info.last_try);
        w.WriteI64(info.last_success);
        w.WriteI32(info.attempts);
        w.WriteU8(info.in_tried ? 1 : 0);
    }
    std::vector<uint8_t> bytes = w.Take();
    const uint256 checksum = Sha256d(bytes);
    bytes.insert(bytes.end(), checksum.span().begin(), checksum.span().end());
    return bytes;
}

Result<std::unique_ptr<AddrMan>> AddrMan::Deserialize(std::span<const uint8_t> bytes,
                                                      const std::array<uint8_t, 4>& magic, const NodeClock& clock)
{
    if (bytes.size() < uint256::SIZE) return Error{"truncated"};
    const auto body = bytes.first(bytes.size() - uint256::SIZE);
    const auto stored = bytes.last(uint256::SIZE);
    const uint256 checksum = Sha256d(body);
    if (!std::equal(stored.begin(), stored.end(), checksum.span().begin())) return Error{"checksum mismatch"};

    struct Stored {
        AddrInfo info;
    };
    struct Parsed {
        uint256 key;
        std::vector<Stored> entries;
    };
    auto parsed = Decode(body, [&magic](Reader& r) {
        const auto file_magic = r.ReadArray<4>();
        if (file_magic != magic) throw SerializeError{"the file belongs to another network"};
        const uint8_t version = r.ReadU8();
        if (version != PEERS_FORMAT_VERSION) throw SerializeError{"unknown format version " + std::to_string(version)};
        Parsed p;
        p.key = r.ReadUint256();
        p.entries = r.ReadVector(C::MAX_ENTRIES, PEERS_ENTRY_SIZE, [](Reader& in) {
            Stored s;
            s.info.entry = ReadAddressEntry(in);
            s.info.source = NetAddr{in.ReadArray<NetAddr::SIZE>()};
            s.info.last_try = in.ReadI64();
            s.info.last_success = in.ReadI64();
            s.info.attempts = in.ReadI32();
            const uint8_t tried = in.ReadU8();
            if (tried > 1) throw SerializeError{"bad table flag"};
            s.info.in_tried = tried == 1;
            if (s.info.attempts < 0) throw SerializeError{"negative attempt count"};
            // Node-clock seconds; anything outside a u32 would overflow the
            // age arithmetic of IsTerrible and is no time this node wrote.
            if (s.info.last_try < 0 || s.info.last_try > MAX_PEERS_TIME || s.info.last_success < 0 ||
                s.info.last_success > MAX_PEERS_TIME) {
                throw SerializeError{"try or success time out of range"};
            }
            return s;
        });
        return p;
    });
    if (!parsed) return parsed.error();

    auto addrman = std::make_unique<AddrMan>(clock, parsed->key);
    AddrMan& a = *addrman;
    LockGuard lock{a.m_mutex};
    const int64_t now = clock.Now();
    size_t dropped{0};
    for (auto& s : parsed->entries) {
        if (!s.info.entry.service.addr.IsRoutable()) return Error{"unroutable address in the file"};
        if (a.m_ids.contains(s.info.entry.service)) return Error{"duplicate address in the file"};
        const int id = a.Create(s.info.entry, s.info.source);
        AddrInfo& info = a.m_info.at(id);
        info.last_try = s.info.last_try;
        info.last_success = s.info.last_success;
        info.attempts = s.info.attempts;
        if (s.info.in_tried) {
            const size_t bucket = a.TriedBucket(info.entry.service);
            const size_t slot = a.BucketSlot(false, bucket, info.entry.service);
            int& cell = a.m_tried_table[bucket * C::BUCKET_SIZE + slot];
            if (cell == NONE) {
                cell = id;
                info.in_tried = true;
                --a.m_new_count;
                ++a.m_tried_count;
                continue;
            }
        }
        if (!a.PlaceNew(id, info.source, now)) ++dropped;
    }
    if (dropped > 0) LogDebug(LogCategory::NET, "peers.dat: {} addresses did not fit their buckets", dropped);
    return addrman;
}

Result<void> AddrMan::SaveFile(const std::filesystem::path& path, const std::array<uint8_t, 4>& magic) const
{
    const auto bytes = Serialize(magic);
    return WriteFileAtomic(path, bytes);
}

std::unique_ptr<AddrMan> LoadAddrMan(const std::filesystem::path& path, const std::array<uint8_t, 4>& magic,
                                     const NodeClock& clock)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::make_unique<AddrMan>(clock);
    auto bytes = ReadFileBounded(path, MAX_PEERS_FILE_SIZE);
    if (!bytes) {
        MoveAside(path, bytes.error_message());
        return std::make_unique<AddrMan>(clock);
    }
    auto addrman = AddrMan::Deserialize(*bytes, magic, clock);
    if (!addrman) {
        MoveAside(path, addrman.error_message());
        return std::make_unique<AddrMan>(clock);
    }
    LogInfo("Loaded {} addresses from {}", (*addrman)->Size(), path.string());
    return std::move(*addrman);
}

}  // namespace hpips::net
