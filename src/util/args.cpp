// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/args.h>

namespace hpips {

std::string FormatVersion(const std::string& tool) { return tool + " version v" HPIPS_VERSION; }

}  // namespace hpips
