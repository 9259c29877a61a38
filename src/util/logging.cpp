// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/logging.h>

#include <util/threadsafety.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace hpips {
namespace {

struct CategoryName {
    LogCategory category;
    std::string_view name;
};

constexpr std::array<CategoryName, 12> CATEGORY_NAMES{{
    {LogCategory::NET, "net"},
    {LogCategory::MEMPOOL, "mempool"},
    {LogCategory::VALIDATION, "validation"},
    {LogCategory::POUW, "pouw"},
    {LogCategory::KERNELS, "kernels"},
    {LogCategory::RPC, "rpc"},
    {LogCategory::WALLET, "wallet"},
    {LogCategory::COINDB, "coindb"},
    {LogCategory::MINER, "miner"},
    {LogCategory::BENCH, "bench"},
    {LogCategory::ZMQ, "zmq"},
    {LogCategory::ALL, "all"},
}};

/** The logger's state lives here rather than in the class so the header
 *  stays free of the mutex and FILE handle. */
struct LoggerState {
    Mutex mutex;
    std::FILE* file GUARDED_BY(mutex){nullptr};
    std::atomic<bool> print_to_console{true};
    std::atomic<bool> timestamps{true};
    std::atomic<uint32_t> categories{0};
};

LoggerState& State()
{
    static LoggerState state;
    return state;
}

std::string Timestamp()
{
    const auto now = std::chrono::system_clock::now();
    const std::time_t secs = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&secs, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                       utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

}  // namespace

std::string_view LogCategoryName(LogCategory category)
{
    for (const auto& entry : CATEGORY_NAMES) {
        if (entry.category == category) return entry.name;
    }
    return "";
}

std::optional<LogCategory> ParseLogCategory(std::string_view name)
{
    if (name == "1") return LogCategory::ALL;
    for (const auto& entry : CATEGORY_NAMES) {
        if (entry.name == name) return entry.category;
    }
    return std::nullopt;
}

bool Logger::OpenFile(const std::filesystem::path& path)
{
    std::FILE* file = std::fopen(path.c_str(), "a");
    if (file == nullptr) return false;
    auto& state = State();
    LockGuard lock{state.mutex};
    if (state.file != nullptr) std::fclose(state.file);
    state.file = file;
    return true;
}

void Logger::CloseFile()
{
    auto& state = State();
    LockGuard lock{state.mutex};
    if (state.file != nullptr) std::fclose(state.file);
    state.file = nullptr;
}

void Logger::SetPrintToConsole(bool on) { State().print_to_console = on; }

void Logger::SetLogTimestamps(bool on) { State().timestamps = on; }

void Logger::EnableCategory(LogCategory category)
{
    State().categories.fetch_or(static_cast<uint32_t>(category));
}

void Logger::DisableCategory(LogCategory category)
{
    State().categories.fetch_and(~static_cast<uint32_t>(category));
}

bool Logger::Enabled(LogCategory category) const
{
    return (State().categories.load(std::memory_order_relaxed) & static_cast<uint32_t>(category)) != 0;
}

void Logger::Write(LogCategory category, std::string_view message)
{
    std::string line;
    if (State().timestamps.load(std::memory_order_relaxed)) {
        line = Timestamp();
        line += ' ';
    }
    if (category != LogCategory::NONE) {
        line += '[';
        line += LogCategoryName(category);
        line += "] ";
    }
    line += message;
    if (line.empty() || line.back() != '\n') line += '\n';

    auto& state = State();
    LockGuard lock{state.mutex};
    if (state.file != nullptr) {
        std::fwrite(line.data(), 1, line.size(), state.file);
        std::fflush(state.file);
    }
    if (state.print_to_console) {
        std::fwrite(line.data(), 1, line.size(), stderr);
    }
}

bool ShrinkDebugFile(const std::filesystem::path& path)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size <= DEBUG_LOG_SHRINK_THRESHOLD) return true;  // missing or small: nothing to do
    std::FILE* in = std::fopen(path.c_str(), "rb");
    if (in == nullptr) return false;
    std::string tail(DEBUG_LOG_KEEP_BYTES, '\0');
    const bool seeked = std::fseek(in, -static_cast<long>(DEBUG_LOG_KEEP_BYTES), SEEK_END) == 0;
    const size_t got = seeked ? std::fread(tail.data(), 1, tail.size(), in) : 0;
    std::fclose(in);
    if (!seeked || got == 0) return false;
    tail.resize(got);
    // Start at a whole line: drop the part of the line the cut fell into.
    if (const size_t newline = tail.find('\n'); newline != std::string::npos) tail.erase(0, newline + 1);
    auto temp = path;
    temp += ".shrink";
    std::FILE* out = std::fopen(temp.c_str(), "wb");
    if (out == nullptr) return false;
    const bool written = std::fwrite(tail.data(), 1, tail.size(), out) == tail.size();
    const bool closed = std::fclose(out) == 0;
    if (!written || !closed) {
        std::filesystem::remove(temp, ec);
        return false;
    }
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        return false;
    }
    return true;
}

Logger& GetLogger()
{
    static Logger logger;
    return logger;
}

}  // namespace hpips
