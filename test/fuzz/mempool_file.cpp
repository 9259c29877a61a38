// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// mempool.dat through the node's loader (chain/mempool_persist.h): the input
// is the file. Whatever decodes must re-encode to exactly the same bytes (the
// format is canonical: fixed-width fields, exact transactions, a checksum).
// Then the file goes through LoadMempool into a fresh pool over a regtest
// chain at genesis: a file that does not decode must leave the pool empty
// (nothing is loaded half-way), and one that does must account for every
// transaction as accepted or failed. Nothing may throw or crash.
#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <chain/mempool_persist.h>
#include <consensus/params.h>

#include "fuzz_input.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>

namespace {

using hpips::fuzz::Check;

/** Largest file offered to the loader: inputs are small, and a bound keeps
 *  the size check itself exercised (MaxMempoolFileSize of a tiny pool). */
constexpr size_t LOAD_LIMIT = 1 << 20;

hpips::Chainstate& Chain(const std::filesystem::path& dir)
{
    static std::unique_ptr<hpips::Chainstate> chainstate = [&] {
        hpips::ChainstateOptions options;
        options.datadir = dir;
        options.now = [] { return hpips::Params(hpips::Network::REGTEST).genesis.header.time + 1; };
        auto opened = hpips::Chainstate::Open(hpips::Params(hpips::Network::REGTEST), std::move(options));
        Check(opened.has_value());
        return std::move(*opened);
    }();
    return *chainstate;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    static const fuzz::TempDir dir{"mempool_file"};
    const std::span<const uint8_t> input{data, size};

    auto decoded = DecodeMempoolFile(input);
    if (decoded) {
        // The format is canonical per version: a file of the version this
        // code writes re-encodes to the same bytes; an older one (version 1,
        // no fee deltas) re-encodes as the current version with the same
        // content.
        const auto encoded = EncodeMempoolFile(*decoded);
        auto again = DecodeMempoolFile(encoded);
        Check(again.has_value() && again->size() == decoded->size());
        for (size_t i = 0; i < decoded->size(); ++i) {
            Check((*again)[i].tx.GetWtxid() == (*decoded)[i].tx.GetWtxid() && (*again)[i].time == (*decoded)[i].time &&
                  (*again)[i].fee_delta == (*decoded)[i].fee_delta);
        }
        // The version is the u32 after the 4-byte magic.
        const bool current = size >= 8 && data[4] == MEMPOOL_FILE_VERSION && data[5] == 0 && data[6] == 0 &&
                             data[7] == 0;
        if (current) Check(std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()));
    }

    const auto path = dir.path() / MEMPOOL_FILE_NAME;
    {
        std::ofstream file{path, std::ios::binary | std::ios::trunc};
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        Check(static_cast<bool>(file));
    }
    Mempool pool{Chain(dir.path() / "chain"), MempoolOptions{}};
    const auto loaded = LoadMempool(pool, path, LOAD_LIMIT);
    if (!loaded) {
        Check(pool.Size() == 0);
        return 0;
    }
    Check(decoded.has_value());
    Check(loaded->read == decoded->size());
    Check(loaded->accepted + loaded->failed == loaded->read);
    Check(pool.Size() >= loaded->accepted);  // an out-of-order child may complete later
    Check(pool.OrphanCount() == 0);
    return 0;
}
