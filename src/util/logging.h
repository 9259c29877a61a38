// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_LOGGING_H
#define HPIPS_UTIL_LOGGING_H

#include <cstdint>
#include <filesystem>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <string_view>

namespace hpips {

/** Debug categories, enabled with -debug=<name> (or -debug=all). Info lines
 *  (LogInfo) are always written; debug lines only when their category is on. */
enum class LogCategory : uint32_t {
    NONE = 0,
    NET = 1u << 0,
    MEMPOOL = 1u << 1,
    VALIDATION = 1u << 2,
    POUW = 1u << 3,
    KERNELS = 1u << 4,
    RPC = 1u << 5,
    WALLET = 1u << 6,
    COINDB = 1u << 7,
    MINER = 1u << 8,
    BENCH = 1u << 9,
    ZMQ = 1u << 10,
    ALL = ~0u,
};

/** The category's name as used on the command line ("net", "pouw", ...). */
std::string_view LogCategoryName(LogCategory category);
/** Parses a name given to -debug=; nullopt if unknown. */
std::optional<LogCategory> ParseLogCategory(std::string_view name);

/** Process-wide log sink: one of the two globals the project allows (the other
 *  is the chain parameters). Thread-safe; every line is written whole. */
class Logger {
public:
    /** Sends lines to this file (appended) besides stderr when requested. */
    bool OpenFile(const std::filesystem::path& path);
    void CloseFile();
    void SetPrintToConsole(bool on);
    /** Whether lines start with their UTC time (-logtimestamps, default on). */
    void SetLogTimestamps(bool on);
    void EnableCategory(LogCategory category);
    void DisableCategory(LogCategory category);
    bool Enabled(LogCategory category) const;
    /** Writes one timestamped line (UTC, ISO 8601, independent of locale). */
    void Write(LogCategory category, std::string_view message);
};

/** -shrinkdebugfile: a log larger than this is cut at startup... */
constexpr uint64_t DEBUG_LOG_SHRINK_THRESHOLD = 11'000'000;
/** ...to its last this many bytes (from the first line start within them). */
constexpr uint64_t DEBUG_LOG_KEEP_BYTES = 10'000'000;

/** Keeps the last DEBUG_LOG_KEEP_BYTES of the log at `path` (starting at a
 *  line) when it is larger than DEBUG_LOG_SHRINK_THRESHOLD, as Core's
 *  -shrinkdebugfile; the file is rewritten through a temporary file and a
 *  rename. Call before the logger opens it. Returns false on an I/O error
 *  (the log is then left as it was). */
bool ShrinkDebugFile(const std::filesystem::path& path);

/** The process's logger. */
Logger& GetLogger();

template <typename... Args>
void LogInfo(fmt::format_string<Args...> fmt, Args&&... args)
{
    GetLogger().Write(LogCategory::NONE, fmt::format(fmt, std::forward<Args>(args)...));
}

template <typename... Args>
void LogDebug(LogCategory category, fmt::format_string<Args...> fmt, Args&&... args)
{
    if (!GetLogger().Enabled(category)) return;
    GetLogger().Write(category, fmt::format(fmt, std::forward<Args>(args)...));
}

}  // namespace hpips

#endif  // HPIPS_UTIL_LOGGING_H
