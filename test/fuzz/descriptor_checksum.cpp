// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Feeds arbitrary text to the BIP-380 descriptor checksum. Text of the
// descriptor character set gets a checksum that CheckDescriptorChecksum
// accepts, and changing one checksum character makes it fail; any other
// text is refused; text that already ends in '#' + 8 characters is checked
// without crashing.
#include <primitives/descriptor.h>

#include <cstdint>
#include <cstdlib>
#include <string>
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
    (void)hpips::CheckDescriptorChecksum(text);
    const auto with_checksum = hpips::AddDescriptorChecksum(text);
    Check(with_checksum.has_value() == hpips::DescriptorChecksum(text).has_value());
    if (!with_checksum) return 0;
    Check(with_checksum->size() == text.size() + 1 + hpips::DESCRIPTOR_CHECKSUM_LENGTH);
    Check(hpips::CheckDescriptorChecksum(*with_checksum));
    std::string changed = *with_checksum;
    changed.back() = changed.back() == 'q' ? 'p' : 'q';
    Check(!hpips::CheckDescriptorChecksum(changed));
    return 0;
}
