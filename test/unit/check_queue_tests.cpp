// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/check_queue.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace hpips {
namespace {

/** What each test's checks record: how often each one ran, and how many are
 *  running right now. */
struct Log {
    explicit Log(size_t count) : runs(count) {}
    std::vector<std::atomic<int>> runs;
    std::atomic<int> running{0};
    std::atomic<uint64_t> sink{0};
};

/** A check that records its run and fails when told to, naming itself. It
 *  does a little work (a microsecond or so), so that the workers, not only
 *  the waiting thread, take part. */
struct TestCheck {
    using Failure = std::string;

    Log* log{nullptr};
    size_t id{0};
    bool pass{true};

    bool operator()(std::string& failure) const
    {
        log->running.fetch_add(1);
        log->runs[id].fetch_add(1);
        uint64_t x = id;
        for (int i = 0; i < 500; ++i) x = x * 6364136223846793005u + 1442695040888963407u;
        log->sink.fetch_xor(x, std::memory_order_relaxed);
        log->running.fetch_sub(1);
        if (pass) return true;
        failure = "check " + std::to_string(id);
        return false;
    }
};
static_assert(QueuedCheck<TestCheck>);

using TestQueue = CheckQueue<TestCheck>;

/** Checks [first, first + count) of `log`, failing those in `failing`. */
std::vector<TestCheck> Checks(Log& log, size_t first, size_t count, const std::set<size_t>& failing = {})
{
    std::vector<TestCheck> checks;
    for (size_t id = first; id < first + count; ++id) checks.push_back(TestCheck{&log, id, !failing.contains(id)});
    return checks;
}

/** Queues `total` checks in uneven chunks (1, 2, 3, ... at a time, as a
 *  block's transactions come) and waits. */
std::optional<std::string> RunSession(TestQueue& queue, Log& log, size_t total, const std::set<size_t>& failing)
{
    TestQueue::Session session{queue};
    size_t chunk = 1;
    for (size_t first = 0; first < total; first += chunk, ++chunk) {
        session.Add(Checks(log, first, std::min(chunk, total - first), failing));
    }
    return session.Wait();
}

constexpr size_t WORKER_COUNTS[] = {0, 1, 2, 7};

TEST(CheckQueue, EmptySessionPasses)
{
    for (const size_t workers : WORKER_COUNTS) {
        TestQueue queue{workers};
        EXPECT_EQ(queue.WorkerThreads(), workers);
        {
            TestQueue::Session session{queue};
            EXPECT_EQ(session.Wait(), std::nullopt);
        }
        TestQueue::Session session{queue};
        session.Add({});
        EXPECT_EQ(session.Wait(), std::nullopt);
    }
}

TEST(CheckQueue, OneCheck)
{
    for (const size_t workers : WORKER_COUNTS) {
        TestQueue queue{workers};
        Log log{1};
        EXPECT_EQ(RunSession(queue, log, 1, {}), std::nullopt);
        EXPECT_EQ(log.runs[0].load(), 1);
        EXPECT_EQ(RunSession(queue, log, 1, {0}), "check 0");
        EXPECT_EQ(log.runs[0].load(), 2);
    }
}

TEST(CheckQueue, ManyChecksRunExactlyOnce)
{
    constexpr size_t COUNT = 20'000;
    for (const size_t workers : WORKER_COUNTS) {
        TestQueue queue{workers};
        Log log{COUNT};
        EXPECT_EQ(RunSession(queue, log, COUNT, {}), std::nullopt) << workers << " workers";
        for (size_t id = 0; id < COUNT; ++id) ASSERT_EQ(log.runs[id].load(), 1) << "check " << id;
        EXPECT_EQ(log.running.load(), 0);
    }
}

TEST(CheckQueue, FirstFailureInQueueOrderIsReported)
{
    // Several failures, not queued in one chunk; whichever a thread meets
    // first, the answer is the lowest, and every check before it ran once.
    constexpr size_t COUNT = 5'000;
    const std::set<size_t> failing{1'234, 3'000, 4'321, 4'999};
    for (const size_t workers : WORKER_COUNTS) {
        TestQueue queue{workers};
        for (int round = 0; round < 20; ++round) {
            Log log{COUNT};
            EXPECT_EQ(RunSession(queue, log, COUNT, failing), "check 1234") << workers << " workers";
            for (size_t id = 0; id <= 1'234; ++id) ASSERT_EQ(log.runs[id].load(), 1) << "check " << id;
            // Later checks may be skipped, never run twice.
            for (size_t id = 1'235; id < COUNT; ++id) ASSERT_LE(log.runs[id].load(), 1) << "check " << id;
        }
    }
}

TEST(CheckQueue, ReusedAcrossSessions)
{
    // A failure (and the checks skipped after it) leaves nothing behind for
    // the next session.
    for (const size_t workers : WORKER_COUNTS) {
        TestQueue queue{workers};
        Log log{3'000};
        EXPECT_EQ(RunSession(queue, log, 3'000, {2'500, 10}), "check 10");
        EXPECT_EQ(RunSession(queue, log, 3'000, {}), std::nullopt);
        EXPECT_EQ(RunSession(queue, log, 3'000, {2'999}), "check 2999");
        EXPECT_EQ(RunSession(queue, log, 1, {}), std::nullopt);
        EXPECT_EQ(RunSession(queue, log, 0, {}), std::nullopt);
    }
}

TEST(CheckQueue, SessionEndedWithoutWaitFinishesItsChecks)
{
    // A caller that returns early (an exception) must not leave checks running
    // over data it is about to free: the session's end waits for them.
    for (const size_t workers : WORKER_COUNTS) {
        TestQueue queue{workers};
        auto log = std::make_unique<Log>(2'000);
        {
            TestQueue::Session session{queue};
            session.Add(Checks(*log, 0, 2'000, {1'000}));
        }
        EXPECT_EQ(log->running.load(), 0);
        for (size_t id = 0; id <= 1'000; ++id) ASSERT_EQ(log->runs[id].load(), 1) << "check " << id;
        log.reset();
        // The queue is clean for the next session.
        Log next{10};
        EXPECT_EQ(RunSession(queue, next, 10, {}), std::nullopt);
    }
}

TEST(CheckQueue, ConcurrentSessionsAreSerialised)
{
    // Two threads share one queue; each gets its own answer.
    TestQueue queue{2};
    Log log_a{4'000};
    Log log_b{4'000};
    std::optional<std::string> result_a;
    std::optional<std::string> result_b;
    std::thread other{[&] { result_b = RunSession(queue, log_b, 4'000, {3'999}); }};
    result_a = RunSession(queue, log_a, 4'000, {17, 3'000});
    other.join();
    EXPECT_EQ(result_a, "check 17");
    EXPECT_EQ(result_b, "check 3999");
    for (size_t id = 0; id < 4'000; ++id) ASSERT_EQ(log_b.runs[id].load(), 1) << "check " << id;
}

TEST(CheckQueue, DestroyedWhileIdle)
{
    for (const size_t workers : WORKER_COUNTS) {
        // Never used: the workers may not even have started waiting.
        { TestQueue queue{workers}; }
        // After a session.
        TestQueue queue{workers};
        Log log{100};
        EXPECT_EQ(RunSession(queue, log, 100, {50}), "check 50");
    }
}

}  // namespace
}  // namespace hpips
