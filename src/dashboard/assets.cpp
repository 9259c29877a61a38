// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <dashboard/assets.h>

namespace hpips {

const DashboardAsset* FindDashboardAsset(std::string_view name)
{
    for (const auto& asset : DashboardAssets()) {
        if (asset.name == name) return &asset;
    }
    return nullptr;
}

}  // namespace hpips
