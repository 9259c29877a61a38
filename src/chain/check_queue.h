// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_CHECK_QUEUE_H
#define HPIPS_CHAIN_CHECK_QUEUE_H

#include <util/threadsafety.h>

#include <algorithm>
#include <atomic>
#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <iterator>
#include <limits>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

/**
 * A fixed pool of threads that runs independent checks (a block's input
 * signatures) while the thread that queues them goes on with other work, and
 * answers with the AND of all of them (doc/chainstate.md, "Parallel signature
 * checks").
 *
 * One batch of checks is a Session: the connecting thread opens it, Add()s
 * checks as it walks the block, and Wait()s; the workers start as soon as
 * checks arrive, and the waiting thread joins them until none is left.
 *
 * The answer never depends on the number of threads or on scheduling: when
 * several checks fail, Wait reports the failure of the one added first. A
 * check is skipped only when one added before it is already known to fail, so
 * the first failing check is always run (and any check before it too).
 *
 * Why not util/thread_pool.h: ParallelFor needs the whole range up front and
 * returns only when it is done, so verification could not overlap the coin
 * lookups of the rest of the block, nor stop early on a failure; and its static
 * split into equal chunks stalls when one of the (shared) cores is busy
 * elsewhere. Here workers take small batches that shrink as the queue drains.
 */
namespace hpips {

/** What a CheckQueue runs: a small copyable value whose call returns true when
 *  the check passes, or false with `failure` set. The call must not throw and
 *  must be safe to run on any thread at the same time as the others (it reads
 *  data that stays unchanged until the session ends). */
template <typename T>
concept QueuedCheck = std::is_nothrow_move_constructible_v<T> && std::default_initializable<typename T::Failure> &&
                      std::movable<typename T::Failure> &&
                      requires(const T& check, typename T::Failure& failure) {
                          { check(failure) } -> std::same_as<bool>;
                      };

/** Most checks a thread takes at once: small enough that the last batches
 *  spread evenly over the threads (a signature check costs ~50 us), large
 *  enough that the queue's mutex is taken rarely. */
constexpr size_t MAX_CHECK_BATCH = 32;

/** The pool (see the file comment). Thread safety: Sessions are serialised
 *  (opening one waits until the previous one is closed); everything else is
 *  internal. */
template <QueuedCheck Check>
class CheckQueue {
public:
    using Failure = typename Check::Failure;

    /** Starts `worker_threads` threads (0: every check runs in Wait, on the
     *  caller's thread). They sleep while no session has work. */
    explicit CheckQueue(size_t worker_threads)
    {
        m_workers.reserve(worker_threads);
        for (size_t i = 0; i < worker_threads; ++i) m_workers.emplace_back([this] { WorkerLoop(); });
    }

    /** Stops and joins the workers. No session may be open. */
    ~CheckQueue()
    {
        {
            LockGuard lock{m_mutex};
            m_stop = true;
        }
        m_work_cv.notify_all();
        for (auto& worker : m_workers) worker.join();
    }

    CheckQueue(const CheckQueue&) = delete;
    CheckQueue& operator=(const CheckQueue&) = delete;

    /** Threads besides the one that waits. */
    size_t WorkerThreads() const { return m_workers.size(); }

    /** One batch of checks (one block). Checks may point at data the caller
     *  owns: it must stay unchanged until Wait returns or the session is
     *  destroyed, whichever comes first — declare that data before the
     *  session. */
    class SCOPED_CAPABILITY Session {
    public:
        /** Waits until no other session of `queue` is open. */
        explicit Session(CheckQueue& queue) ACQUIRE(queue.m_session_mutex) : m_queue{queue}
        {
            m_queue.m_session_mutex.lock();
        }
        /** Waits for the checks still running (their result is dropped) if
         *  Wait was not called, then lets the next session open. */
        ~Session() RELEASE()
        {
            if (!m_waited) m_queue.Wait();
            m_queue.m_session_mutex.unlock();
        }
        Session(const Session&) = delete;
        Session& operator=(const Session&) = delete;

        /** Queues `checks` after those added before (in order) and wakes the
         *  workers. Not after Wait. */
        void Add(std::vector<Check>&& checks) { m_queue.Add(std::move(checks)); }

        /** Runs queued checks on this thread too until every one has finished
         *  (or was skipped after an earlier failure). Returns the failure of
         *  the first failing check in the order they were added, nullopt when
         *  all passed. Call once; the queue is then empty for the next session. */
        std::optional<Failure> Wait()
        {
            m_waited = true;
            return m_queue.Wait();
        }

    private:
        CheckQueue& m_queue;
        bool m_waited{false};
    };

private:
    /** No failure found yet (an index no check has). */
    static constexpr size_t NO_FAILURE = std::numeric_limits<size_t>::max();

    void Add(std::vector<Check>&& checks) LOCKS_EXCLUDED(m_mutex)
    {
        if (checks.empty()) return;
        const size_t count = checks.size();
        {
            LockGuard lock{m_mutex};
            m_checks.insert(m_checks.end(), std::make_move_iterator(checks.begin()),
                            std::make_move_iterator(checks.end()));
        }
        if (count == 1) {
            m_work_cv.notify_one();
        } else {
            m_work_cv.notify_all();
        }
    }

    /** Takes the next batch under the lock: `first` is the index of its first
     *  check. Batches shrink as the queue drains so the threads finish
     *  together. Empty when nothing is left to take. */
    std::vector<Check> TakeBatch(size_t& first) EXCLUSIVE_LOCKS_REQUIRED(m_mutex)
    {
        const size_t left = m_checks.size() - m_next;
        const size_t threads = m_workers.size() + 1;
        const size_t count = std::min(left, std::clamp<size_t>(left / (2 * threads), 1, MAX_CHECK_BATCH));
        first = m_next;
        std::vector<Check> batch(std::make_move_iterator(m_checks.begin() + static_cast<std::ptrdiff_t>(m_next)),
                                 std::make_move_iterator(m_checks.begin() +
                                                         static_cast<std::ptrdiff_t>(m_next + count)));
        m_next += count;
        return batch;
    }

    /** Runs a batch outside the lock, skipping checks after a failure already
     *  found; then records its first failure (if earlier than the one known)
     *  and counts the batch done. The batch is destroyed before that, so no
     *  check outlives the session. */
    void RunBatch(std::vector<Check>&& batch, size_t first) LOCKS_EXCLUDED(m_mutex)
    {
        std::optional<Failure> failure;
        size_t failed_index = NO_FAILURE;
        for (size_t i = 0; i < batch.size(); ++i) {
            const size_t index = first + i;
            // A failure at a lower index decides the result: checks after it
            // cannot change the answer. Read without the lock: the value only
            // goes down, and a stale (higher) value merely runs a check more.
            if (index > m_first_failure.load(std::memory_order_relaxed)) break;
            Failure check_failure{};
            if (!batch[i](check_failure)) {
                failure = std::move(check_failure);
                failed_index = index;
                break;  // the rest of the batch comes after it
            }
        }
        const size_t count = batch.size();
        batch.clear();
        bool all_done;
        {
            LockGuard lock{m_mutex};
            if (failure && failed_index < m_first_failure.load(std::memory_order_relaxed)) {
                m_first_failure.store(failed_index, std::memory_order_relaxed);
                m_failure = std::move(failure);
            }
            m_done += count;
            all_done = m_done == m_checks.size();
        }
        if (all_done) m_done_cv.notify_all();
    }

    void WorkerLoop() LOCKS_EXCLUDED(m_mutex)
    {
        while (true) {
            std::vector<Check> batch;
            size_t first = 0;
            {
                LockGuard lock{m_mutex};
                // condition_variable_any unlocks and relocks m_mutex itself.
                m_work_cv.wait(m_mutex, [&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) {
                    return m_stop || m_next < m_checks.size();
                });
                if (m_stop) return;
                batch = TakeBatch(first);
            }
            RunBatch(std::move(batch), first);
        }
    }

    std::optional<Failure> Wait() LOCKS_EXCLUDED(m_mutex)
    {
        while (true) {
            std::vector<Check> batch;
            size_t first = 0;
            {
                LockGuard lock{m_mutex};
                if (m_next == m_checks.size()) {
                    // Nothing left to take: wait for the batches still running.
                    m_done_cv.wait(m_mutex,
                                   [&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return m_done == m_checks.size(); });
                    std::optional<Failure> result = std::move(m_failure);
                    m_failure.reset();
                    m_first_failure.store(NO_FAILURE, std::memory_order_relaxed);
                    m_checks.clear();
                    m_next = 0;
                    m_done = 0;
                    return result;
                }
                batch = TakeBatch(first);
            }
            RunBatch(std::move(batch), first);
        }
    }

    std::vector<std::thread> m_workers;
    /** Held by the open Session. */
    Mutex m_session_mutex;
    Mutex m_mutex;
    /** Signalled when checks are added or the queue stops. */
    std::condition_variable_any m_work_cv;
    /** Signalled when the last check of the session is done. */
    std::condition_variable_any m_done_cv;
    /** The session's checks, in the order they were added; [0, m_next) have
     *  been taken (moved out), m_done of them have finished. */
    std::vector<Check> m_checks GUARDED_BY(m_mutex);
    size_t m_next GUARDED_BY(m_mutex){0};
    size_t m_done GUARDED_BY(m_mutex){0};
    /** Index of the first failing check found so far (NO_FAILURE: none);
     *  written under m_mutex, read without it by running batches. */
    std::atomic<size_t> m_first_failure{NO_FAILURE};
    /** The failure of the check at m_first_failure. */
    std::optional<Failure> m_failure GUARDED_BY(m_mutex);
    bool m_stop GUARDED_BY(m_mutex){false};
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_CHECK_QUEUE_H
