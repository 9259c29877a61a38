// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/banman.h>

#include <net/file_io.h>
#include <util/logging.h>

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace hpips::net {
namespace {

namespace json = boost::json;

/** Version of one banlist.json entry (Core writes 1). */
constexpr int64_t BAN_ENTRY_VERSION = 1;
/** Nesting depth the parser allows: the file is two levels deep. */
constexpr size_t MAX_BANLIST_JSON_DEPTH = 8;

/** The integer member `key` of `object`, if it is one. */
std::optional<int64_t> IntMember(const json::object& object, std::string_view key)
{
    const auto* value = object.if_contains(key);
    if (value == nullptr || !value->is_int64()) return std::nullopt;
    return value->get_int64();
}

}  // namespace

BanMan::BanMan(std::filesystem::path banlist_path, const NodeClock& clock)
    : m_path{std::move(banlist_path)}, m_clock{clock}
{
    LockGuard lock{m_mutex};
    Load();
}

void BanMan::Load()
{
    std::error_code ec;
    if (m_path.empty() || !std::filesystem::exists(m_path, ec)) return;
    auto bytes = ReadFileBounded(m_path, MAX_BANLIST_FILE_SIZE);
    if (!bytes) {
        MoveAside(m_path, bytes.error_message());
        return;
    }
    json::parse_options options;
    options.max_depth = MAX_BANLIST_JSON_DEPTH;
    json::value root = json::parse(std::string_view{reinterpret_cast<const char*>(bytes->data()), bytes->size()}, ec,
                                   {}, options);
    const json::array* entries = nullptr;
    if (!ec && root.is_object()) {
        if (const auto* nets = root.get_object().if_contains("banned_nets"); nets != nullptr && nets->is_array()) {
            entries = &nets->get_array();
        }
    }
    if (entries == nullptr || entries->size() > MAX_BANNED) {
        MoveAside(m_path, "not a ban list");
        return;
    }
    std::map<SubNet, BanEntry> banned;
    for (const auto& value : *entries) {
        const json::object* object = value.if_object();
        const json::value* address = object != nullptr ? object->if_contains("address") : nullptr;
        std::optional<SubNet> subnet;
        if (address != nullptr && address->is_string()) {
            if (auto parsed = ParseSubNet(std::string_view{address->get_string()})) subnet = *parsed;
        }
        const auto version = object != nullptr ? IntMember(*object, "version") : std::nullopt;
        const auto created = object != nullptr ? IntMember(*object, "ban_created") : std::nullopt;
        const auto until = object != nullptr ? IntMember(*object, "banned_until") : std::nullopt;
        if (!version || *version != BAN_ENTRY_VERSION || !created || !until || !subnet) {
            MoveAside(m_path, "malformed entry");
            return;
        }
        banned[*subnet] = BanEntry{*created, *until};
    }
    m_banned = std::move(banned);
    SweepBanned();
    LogInfo("Loaded {} banned node addresses/subnets from {}", m_banned.size(), m_path.string());
}

Result<void> BanMan::SaveLocked()
{
    if (m_path.empty()) return {};
    // No file for a node that never banned anything.
    std::error_code ec;
    if (m_banned.empty() && !std::filesystem::exists(m_path, ec)) return {};
    json::array entries;
    for (const auto& [subnet, entry] : m_banned) {
        json::object object;
        object["version"] = BAN_ENTRY_VERSION;
        object["ban_created"] = entry.create_time;
        object["banned_until"] = entry.ban_until;
        object["address"] = subnet.ToString();
        entries.push_back(std::move(object));
    }
    json::object root;
    root["banned_nets"] = std::move(entries);
    const std::string text = json::serialize(root) + "\n";
    return WriteFileAtomic(m_path, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

Result<void> BanMan::Save()
{
    LockGuard lock{m_mutex};
    SweepBanned();
    return SaveLocked();
}

void BanMan::SweepBanned()
{
    const int64_t now = m_clock.Now();
    for (auto it = m_banned.begin(); it != m_banned.end();) {
        if (it->second.ban_until <= now) {
            LogDebug(LogCategory::NET, "Removed banned node address/subnet: {}", it->first.ToString());
            it = m_banned.erase(it);
        } else {
            ++it;
        }
    }
}

Result<void> BanMan::Ban(const SubNet& subnet, int64_t ban_time, bool absolute)
{
    LockGuard lock{m_mutex};
    const int64_t now = m_clock.Now();
    int64_t until = absolute ? ban_time : now + (ban_time <= 0 ? DEFAULT_BAN_TIME : ban_time);
    if (absolute && ban_time <= 0) until = now + DEFAULT_BAN_TIME;
    SweepBanned();
    if (!m_banned.contains(subnet) && m_banned.size() >= MAX_BANNED) {
        return Error{"Ban list is full (" + std::to_string(MAX_BANNED) + " entries)"};
    }
    m_banned[subnet] = BanEntry{now, until};
    return SaveLocked();
}

bool BanMan::Unban(const SubNet& subnet)
{
    LockGuard lock{m_mutex};
    if (m_banned.erase(subnet) == 0) return false;
    if (auto saved = SaveLocked(); !saved) LogInfo("Cannot save the ban list: {}", saved.error_message());
    return true;
}

void BanMan::ClearBanned()
{
    LockGuard lock{m_mutex};
    m_banned.clear();
    m_discouraged.clear();
    m_discouraged_by_expiry.clear();
    if (auto saved = SaveLocked(); !saved) LogInfo("Cannot save the ban list: {}", saved.error_message());
}

bool BanMan::IsBanned(const NetAddr& addr)
{
    LockGuard lock{m_mutex};
    const int64_t now = m_clock.Now();
    for (const auto& [subnet, entry] : m_banned) {
        if (entry.ban_until > now && subnet.Match(addr)) return true;
    }
    return false;
}

bool BanMan::IsBanned(const SubNet& subnet)
{
    LockGuard lock{m_mutex};
    const auto it = m_banned.find(subnet);
    return it != m_banned.end() && it->second.ban_until > m_clock.Now();
}

std::map<SubNet, BanEntry> BanMan::GetBanned()
{
    LockGuard lock{m_mutex};
    SweepBanned();
    return m_banned;
}

void BanMan::Discourage(const NetAddr& addr)
{
    LockGuard lock{m_mutex};
    const int64_t expiry = m_clock.Now() + DISCOURAGEMENT_DURATION;
    if (const auto it = m_discouraged.find(addr); it != m_discouraged.end()) {
        m_discouraged_by_expiry.erase({it->second, addr});
        m_discouraged.erase(it);
    }
    while (m_discouraged.size() >= MAX_DISCOURAGED) {
        const auto oldest = m_discouraged_by_expiry.begin();
        m_discouraged.erase(oldest->second);
        m_discouraged_by_expiry.erase(oldest);
    }
    m_discouraged.emplace(addr, expiry);
    m_discouraged_by_expiry.emplace(expiry, addr);
}

bool BanMan::IsDiscouraged(const NetAddr& addr)
{
    LockGuard lock{m_mutex};
    const auto it = m_discouraged.find(addr);
    return it != m_discouraged.end() && it->second > m_clock.Now();
}

size_t BanMan::DiscouragedCount()
{
    LockGuard lock{m_mutex};
    return m_discouraged.size();
}

}  // namespace hpips::net
