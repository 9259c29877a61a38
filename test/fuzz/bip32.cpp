// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Feeds arbitrary text to the extended-key decoders and the path parser.
// Accepted keys must re-encode to the same text; an accepted xprv's public
// half must be a valid xpub; accepted paths are bounded.
#include <crypto/bip32.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void Check(bool condition)
{
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    if (const auto xprv{hpips::ExtKey::FromString(text)}) {
        Check(xprv->ToString() == text);
        const std::string xpub{xprv->Neuter().ToString()};
        Check(hpips::ExtPubKey::FromString(xpub).has_value());
    }
    if (const auto xpub{hpips::ExtPubKey::FromString(text)}) {
        Check(xpub->ToString() == text);
    }
    if (const auto path{hpips::ParseBip32Path(text)}) {
        Check(path->size() <= hpips::BIP32_MAX_DEPTH);
    }
    return 0;
}
