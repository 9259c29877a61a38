// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <miner_app/farm.h>

#include <cstring>
#include <type_traits>

namespace hpips::miner {

static_assert(std::is_trivially_copyable_v<FarmWork>);
static_assert(std::is_trivially_copyable_v<FarmReportHeader>);

std::vector<uint8_t> EncodeFarmWork(const FarmWork& work)
{
    std::vector<uint8_t> out(sizeof(FarmWork));
    std::memcpy(out.data(), &work, sizeof(FarmWork));
    return out;
}

Result<FarmWork> DecodeFarmWork(std::span<const uint8_t> bytes)
{
    if (bytes.size() != sizeof(FarmWork)) return Error{"farm work message of the wrong size"};
    FarmWork work;
    std::memcpy(&work, bytes.data(), sizeof(FarmWork));
    if (work.nonce_begin > work.nonce_end) return Error{"farm work message with a reversed range"};
    return work;
}

std::vector<uint8_t> EncodeFarmReport(const FarmReportHeader& header, std::span<const uint8_t> opening)
{
    FarmReportHeader copy = header;
    copy.opening_size = static_cast<uint32_t>(opening.size());
    std::vector<uint8_t> out(sizeof(FarmReportHeader) + opening.size());
    std::memcpy(out.data(), &copy, sizeof(FarmReportHeader));
    if (!opening.empty()) std::memcpy(out.data() + sizeof(FarmReportHeader), opening.data(), opening.size());
    return out;
}

Result<FarmReport> DecodeFarmReport(std::span<const uint8_t> bytes)
{
    if (bytes.size() < sizeof(FarmReportHeader) || bytes.size() > MAX_FARM_MESSAGE) {
        return Error{"farm report of the wrong size"};
    }
    FarmReport report;
    std::memcpy(&report.header, bytes.data(), sizeof(FarmReportHeader));
    if (report.header.opening_size > MAX_OPENING_SIZE) return Error{"farm report with an oversized opening"};
    if (bytes.size() != sizeof(FarmReportHeader) + report.header.opening_size) {
        return Error{"farm report whose opening size does not match"};
    }
    const auto kind = static_cast<uint8_t>(report.header.kind);
    if (kind > static_cast<uint8_t>(ReportKind::WIN)) return Error{"farm report of an unknown kind"};
    report.opening.assign(bytes.begin() + sizeof(FarmReportHeader), bytes.end());
    return report;
}

}  // namespace hpips::miner
