// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Feeds arbitrary text to the mnemonic decoder. Accepted mnemonics are
// canonical: re-encoding the entropy gives back exactly the same text.
#include <crypto/bip39.h>

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
    if (const auto entropy{hpips::EntropyFromMnemonic(text)}) {
        const auto mnemonic{hpips::MnemonicFromEntropy(*entropy)};
        Check(mnemonic.has_value() && *mnemonic == text);
    }
    return 0;
}
