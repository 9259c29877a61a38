// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINER_APP_FARM_H
#define HPIPS_MINER_APP_FARM_H

#include <pouw/engine.h>
#include <primitives/block.h>
#include <util/result.h>

#include <cstdint>
#include <span>
#include <vector>

/** The farm's messages between rank 0 and the mining ranks (farm.cpp). Every
 *  rank runs the same hpips-miner binary, so a message is a fixed header
 *  copied byte for byte, plus, for a win, the opening. A report's size is
 *  checked against the header's opening size and MAX_FARM_MESSAGE before it
 *  is read. */
namespace hpips::miner {

enum class FarmTag : int { WORK = 1, STOP = 2, REPORT = 3 };
enum class ReportKind : uint8_t { HEARTBEAT = 0, DONE = 1, WIN = 2 };

/** Rank 0 to a rank: mine nonces [nonce_begin, nonce_end) of this template
 *  (an empty range: stop mining). */
struct FarmWork {
    uint64_t generation{0};
    uint64_t nonce_begin{0};
    uint64_t nonce_end{0};
    uint8_t regtest{0};
    std::array<uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes{};
    std::array<uint8_t, 32> miner_key{};
};

/** A rank to rank 0: alive (with its totals), range done, or a win. */
struct FarmReportHeader {
    uint64_t generation{0};
    uint64_t nonce_begin{0};
    uint64_t nonce_end{0};
    uint64_t units{0};    //!< totals since the rank started
    uint64_t macs{0};
    uint64_t tickets{0};
    uint32_t threads{0};
    ReportKind kind{ReportKind::HEARTBEAT};
    PouwProof proof;
    uint32_t opening_size{0};
};

/** Largest report: the header and a full opening. */
constexpr size_t MAX_FARM_MESSAGE = sizeof(FarmReportHeader) + MAX_OPENING_SIZE;

std::vector<uint8_t> EncodeFarmWork(const FarmWork& work);
Result<FarmWork> DecodeFarmWork(std::span<const uint8_t> bytes);

std::vector<uint8_t> EncodeFarmReport(const FarmReportHeader& header, std::span<const uint8_t> opening);
struct FarmReport {
    FarmReportHeader header;
    std::vector<uint8_t> opening;
};
/** Rejects a size that does not match, an opening over MAX_OPENING_SIZE and an unknown kind. */
Result<FarmReport> DecodeFarmReport(std::span<const uint8_t> bytes);

}  // namespace hpips::miner

#endif  // HPIPS_MINER_APP_FARM_H
