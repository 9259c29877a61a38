// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/net_permissions.h>

#include <array>
#include <utility>

namespace hpips::net {
namespace {

constexpr std::array<std::pair<std::string_view, uint32_t>, 5> PERMISSIONS{{
    {"noban", PF_NOBAN | PF_DOWNLOAD},
    {"relay", PF_RELAY},
    {"mempool", PF_MEMPOOL},
    {"download", PF_DOWNLOAD},
    {"addr", PF_ADDR},
}};

/** Splits "perms@rest"; without "@" the implicit set applies. */
Result<std::pair<uint32_t, std::string_view>> ParsePermissions(std::string_view text)
{
    const size_t at = text.find('@');
    if (at == std::string_view::npos) return std::pair<uint32_t, std::string_view>{PF_IMPLICIT, text};
    uint32_t flags{PF_NONE};
    std::string_view list = text.substr(0, at);
    while (true) {
        const size_t comma = list.find(',');
        const std::string_view name = list.substr(0, comma);
        bool known{false};
        for (const auto& [perm_name, bits] : PERMISSIONS) {
            if (name == perm_name) {
                flags |= bits;
                known = true;
            }
        }
        if (!known) return Error{"Invalid P2P permission: '" + std::string{name} + "'"};
        if (comma == std::string_view::npos) break;
        list = list.substr(comma + 1);
    }
    return std::pair<uint32_t, std::string_view>{flags, text.substr(at + 1)};
}

}  // namespace

std::vector<std::string> PermissionNames(uint32_t flags)
{
    std::vector<std::string> names;
    if (HasPermission(flags, PF_NOBAN)) names.emplace_back("noban");
    if (HasPermission(flags, PF_RELAY)) names.emplace_back("relay");
    if (HasPermission(flags, PF_MEMPOOL)) names.emplace_back("mempool");
    if (HasPermission(flags, PF_DOWNLOAD)) names.emplace_back("download");
    if (HasPermission(flags, PF_ADDR)) names.emplace_back("addr");
    return names;
}

Result<WhitelistEntry> ParseWhitelist(std::string_view text)
{
    auto split = ParsePermissions(text);
    if (!split) return split.error();
    auto subnet = ParseSubNet(split->second);
    if (!subnet) return Error{"Invalid netmask specified in -whitelist: '" + std::string{split->second} + "'"};
    return WhitelistEntry{split->first, *subnet};
}

Result<WhitebindEntry> ParseWhitebind(std::string_view text)
{
    auto split = ParsePermissions(text);
    if (!split) return split.error();
    auto service = ParseService(split->second, 0);
    if (!service) return Error{"Need to specify a port with -whitebind: '" + std::string{split->second} + "'"};
    return WhitebindEntry{split->first, *service};
}

}  // namespace hpips::net
