// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_CLOCK_H
#define HPIPS_UTIL_CLOCK_H

#include <atomic>
#include <chrono>
#include <cstdint>

namespace hpips {

/** The node's notion of "now" for everything consensus-adjacent (block
 *  times, the future-time limit, the miner's timestamps, ban expiry): system
 *  time, unless a test set a mock time with the setmocktime RPC (regtest
 *  only). One instance lives in NodeContext and is passed by reference to
 *  whatever needs it, so tests can move time without sleeping.
 *  Header-only so every layer from util up can read it. Thread-safe. */
class NodeClock {
public:
    /** Largest mock time accepted (year 2262 is where int64 nanoseconds end;
     *  far below that, and far above any real block time). */
    static constexpr int64_t MAX_MOCK_TIME = 1'000'000'000'000;

    /** Seconds since the Unix epoch: the mock time if set, else system time. */
    int64_t Now() const
    {
        const int64_t mock = m_mock_time.load(std::memory_order_relaxed);
        if (mock != 0) return mock;
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    /** Sets the mock time in seconds; 0 returns to system time. The caller
     *  checks 0 <= seconds <= MAX_MOCK_TIME. */
    void SetMockTime(int64_t seconds) { m_mock_time.store(seconds, std::memory_order_relaxed); }

    /** The mock time, or 0 when system time is used. */
    int64_t MockTime() const { return m_mock_time.load(std::memory_order_relaxed); }

private:
    std::atomic<int64_t> m_mock_time{0};
};

}  // namespace hpips

#endif  // HPIPS_UTIL_CLOCK_H
