// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Block files as -reindex and block reads meet them: the input becomes the
// bytes of blk00000.dat (and the same bytes as rev00000.dat) in a temporary
// blocks directory, then BlockStorage scans it with ForEachBlock and reads
// records with ReadBlock / ReadUndo at the positions the input names. Every
// reader must refuse damage cleanly (truncation, a wrong magic, a size over
// the limit, a checksum mismatch, an undecodable payload); what the scan
// yields must read back the same at its position.
//
// Checksums are SHA256d, which a fuzzer cannot forge, so the input describes
// the file as segments and the target frames some of them itself:
//   first byte: the network (% 3) whose magic the storage expects
//   then segments, each an op byte:
//     op % 4 == 0: length u16, raw bytes copied as they are
//     op % 4 == 1: length u16, payload framed as a block record with its
//                  correct checksum (op & 4: the other networks' magic)
//     op % 4 == 2: length u16, payload framed as an undo record of the null
//                  block hash with its correct checksum
//     op % 4 == 3: a record header only: magic, then a u32 size claim
#include <chain/blockstorage.h>
#include <chain/undo.h>
#include <consensus/params.h>
#include <crypto/sha256.h>
#include <primitives/block.h>
#include <primitives/network.h>

#include "fuzz_input.h"

#include <cstdint>
#include <fstream>
#include <optional>
#include <set>
#include <span>
#include <vector>

namespace {

using hpips::fuzz::Check;

/** Segments per input. */
constexpr size_t MAX_SEGMENTS = 32;

void Append(std::vector<uint8_t>& out, std::span<const uint8_t> bytes)
{
    out.insert(out.end(), bytes.begin(), bytes.end());
}

void AppendU32(std::vector<uint8_t>& out, uint32_t value)
{
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

void AppendRecord(std::vector<uint8_t>& out, const hpips::MessageStart& magic, std::span<const uint8_t> payload,
                  const hpips::uint256& checksum)
{
    Append(out, magic);
    AppendU32(out, static_cast<uint32_t>(payload.size()));
    Append(out, payload);
    Append(out, checksum);
}

void WriteFile(const std::filesystem::path& path, std::span<const uint8_t> bytes)
{
    std::ofstream file{path, std::ios::binary | std::ios::trunc};
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    Check(static_cast<bool>(file));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    static const fuzz::TempDir temp{"blockfile"};
    fuzz::FuzzInput in{std::span<const uint8_t>{data, size}};

    static constexpr Network NETWORKS[3]{Network::MAIN, Network::TEST, Network::REGTEST};
    const Network network{NETWORKS[in.U8() % 3]};
    const MessageStart magic{Params(network).message_start};
    const MessageStart other_magic{Params(network == Network::MAIN ? Network::TEST : Network::MAIN).message_start};

    std::vector<uint8_t> file;
    // Where each segment starts: the positions the reads below try.
    std::set<uint32_t> offsets{0};
    for (size_t n = 0; n < MAX_SEGMENTS && !in.Empty(); ++n) {
        offsets.insert(static_cast<uint32_t>(file.size()));
        const uint8_t op{in.U8()};
        switch (op % 4) {
        case 0:
            Append(file, in.Bytes(in.U16()));
            break;
        case 1: {
            const auto payload{in.Bytes(in.U16())};
            AppendRecord(file, (op & 4) != 0 ? other_magic : magic, payload, Sha256d(payload));
            break;
        }
        case 2: {
            const auto payload{in.Bytes(in.U16())};
            AppendRecord(file, magic, payload, UndoChecksum(uint256{}, payload));
            break;
        }
        default:
            Append(file, magic);
            AppendU32(file, in.U32());
            break;
        }
    }

    const std::filesystem::path dir{temp.path() / "blocks"};
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir);
    WriteFile(dir / "blk00000.dat", file);
    WriteFile(dir / "rev00000.dat", file);

    auto storage = BlockStorage::Open(dir, magic);
    Check(storage.has_value());
    const BlockStorage& blocks{**storage};

    // The -reindex scan: records in file order, stopping at the first damage.
    std::vector<std::pair<FlatFilePos, uint256>> scanned;
    const auto damaged = blocks.ForEachBlock([&](const FlatFilePos& pos, Block&& block) {
        Check(pos.file == 0 && pos.offset < file.size());
        Check(scanned.empty() || scanned.back().first.offset < pos.offset);
        scanned.emplace_back(pos, block.GetHash());
        return true;
    });
    Check(damaged.has_value() && *damaged <= 1);
    for (const auto& [pos, hash] : scanned) {
        const auto block{blocks.ReadBlock(pos, hash)};
        Check(block.has_value() && block->GetHash() == hash);
    }

    // Direct reads at every segment start (and just past the end).
    offsets.insert(static_cast<uint32_t>(file.size()));
    for (const uint32_t offset : offsets) {
        const FlatFilePos pos{0, offset};
        if (const auto block = blocks.ReadBlock(pos)) {
            Check(offset + RECORD_HEADER_SIZE + RECORD_CHECKSUM_SIZE <= file.size());
            // A block that reads with no expected hash reads with its own hash too.
            Check(blocks.ReadBlock(pos, block->GetHash()).has_value());
        }
        if (const auto undo = blocks.ReadUndo(pos, uint256{})) {
            Check(offset + RECORD_HEADER_SIZE + RECORD_CHECKSUM_SIZE <= file.size());
            Check(EncodeBlockUndo(*undo).size() <= MAX_BLOCK_UNDO_SIZE);
        }
    }
    // A file that does not exist and the null position are errors, not crashes.
    Check(!blocks.ReadBlock(FlatFilePos{1, 0}).has_value());
    Check(!blocks.ReadBlock(FlatFilePos{}).has_value());
    return 0;
}
