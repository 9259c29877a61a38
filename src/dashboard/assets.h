// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_DASHBOARD_ASSETS_H
#define HPIPS_DASHBOARD_ASSETS_H

#include <cstddef>
#include <span>
#include <string_view>

/** The dashboard's static files (src/dashboard/web and the vendored uPlot),
 *  compiled into the binary at build time (cmake/EmbedFiles.cmake writes
 *  their bytes into a generated source file), so hpipsd serves them without
 *  reading any file at run time. */
namespace hpips {

struct DashboardAsset {
    /** The file name, served as /dashboard/static/<name> (index.html also as / and /dashboard/). */
    std::string_view name;
    std::string_view content_type;
    std::string_view body;
};

/** Every embedded file (defined in the generated dashboard_assets.cpp). */
std::span<const DashboardAsset> DashboardAssets();

/** The file called `name`, or null. */
const DashboardAsset* FindDashboardAsset(std::string_view name);

}  // namespace hpips

#endif  // HPIPS_DASHBOARD_ASSETS_H
