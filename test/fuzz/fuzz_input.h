// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_TEST_FUZZ_FUZZ_INPUT_H
#define HPIPS_TEST_FUZZ_FUZZ_INPUT_H

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
#include <system_error>

#include <unistd.h>

/** Helpers shared by the fuzz targets that build structured inputs (records,
 *  files) from the fuzzer's bytes. Header-only: each target is one binary. */
namespace hpips::fuzz {

/** Aborts (a finding for libFuzzer, a failure for the corpus test) unless
 *  `condition` holds. */
inline void Check(bool condition)
{
    if (!condition) std::abort();
}

/** Reads the fuzzer's bytes front to back; past the end every read yields
 *  zeros / empty spans, so a target never has to check lengths. */
class FuzzInput {
public:
    explicit FuzzInput(std::span<const uint8_t> data) : m_data{data} {}

    bool Empty() const { return m_data.empty(); }
    size_t Remaining() const { return m_data.size(); }

    uint8_t U8()
    {
        if (m_data.empty()) return 0;
        const uint8_t value{m_data.front()};
        m_data = m_data.subspan(1);
        return value;
    }
    /** Little-endian. */
    uint16_t U16() { return static_cast<uint16_t>(U8() | (U8() << 8)); }
    uint32_t U32() { return uint32_t{U16()} | (uint32_t{U16()} << 16); }

    /** Up to `n` bytes (fewer at the end of the input). */
    std::span<const uint8_t> Bytes(size_t n)
    {
        const size_t take{std::min(n, m_data.size())};
        const auto out{m_data.first(take)};
        m_data = m_data.subspan(take);
        return out;
    }
    /** Everything left. */
    std::span<const uint8_t> Rest() { return Bytes(m_data.size()); }

private:
    std::span<const uint8_t> m_data;
};

/** A private temporary directory (under TMPDIR), removed with its contents
 *  on destruction; targets keep one for the process. */
class TempDir {
public:
    explicit TempDir(const std::string& name)
    {
        std::string pattern{(std::filesystem::temp_directory_path() / ("hpips_fuzz_" + name + "_XXXXXX")).string()};
        Check(::mkdtemp(pattern.data()) != nullptr);
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

}  // namespace hpips::fuzz

#endif  // HPIPS_TEST_FUZZ_FUZZ_INPUT_H
