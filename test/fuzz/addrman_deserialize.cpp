// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// peers.dat from arbitrary bytes: loading never crashes and never allocates
// past the input. The checksum is recomputed over the input first, so the
// fuzzer reaches the parser instead of stopping at the checksum; what loads
// must serialize again and load to the same size.
#include <consensus/params.h>
#include <crypto/sha256.h>
#include <net/addrman.h>

#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto& magic = hpips::Params(hpips::Network::REGTEST).message_start;
    hpips::NodeClock clock;
    clock.SetMockTime(1'800'000'000);
    // As it came (the checksum almost always fails), then with a valid one.
    (void)hpips::net::AddrMan::Deserialize({data, size}, magic, clock);
    std::vector<uint8_t> bytes(data, data + size);
    const hpips::uint256 checksum = hpips::Sha256d(bytes);
    bytes.insert(bytes.end(), checksum.span().begin(), checksum.span().end());
    auto loaded = hpips::net::AddrMan::Deserialize(bytes, magic, clock);
    if (!loaded) return 0;
    const auto again = (*loaded)->Serialize(magic);
    auto reloaded = hpips::net::AddrMan::Deserialize(again, magic, clock);
    if (!reloaded || (*reloaded)->Size() != (*loaded)->Size()) std::abort();
    return 0;
}
