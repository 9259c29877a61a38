// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_THREADSAFETY_H
#define HPIPS_UTIL_THREADSAFETY_H

#include <mutex>

/** Clang thread-safety analysis annotations (-Wthread-safety), no-ops for
 *  other compilers, and a Mutex/lock pair the analysis understands
 *  (std::mutex carries no capability attribute in libstdc++). */
#if defined(__clang__)
#define HPIPS_TSA(x) __attribute__((x))
#else
#define HPIPS_TSA(x)
#endif

#define CAPABILITY(x) HPIPS_TSA(capability(x))
#define SCOPED_CAPABILITY HPIPS_TSA(scoped_lockable)
#define GUARDED_BY(x) HPIPS_TSA(guarded_by(x))
#define PT_GUARDED_BY(x) HPIPS_TSA(pt_guarded_by(x))
#define ACQUIRE(...) HPIPS_TSA(acquire_capability(__VA_ARGS__))
#define RELEASE(...) HPIPS_TSA(release_capability(__VA_ARGS__))
#define EXCLUSIVE_LOCKS_REQUIRED(...) HPIPS_TSA(exclusive_locks_required(__VA_ARGS__))
#define LOCKS_EXCLUDED(...) HPIPS_TSA(locks_excluded(__VA_ARGS__))
#define ASSERT_EXCLUSIVE_LOCK(...) HPIPS_TSA(assert_exclusive_lock(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS HPIPS_TSA(no_thread_safety_analysis)

namespace hpips {

/** A std::mutex the analysis knows as a capability. */
class CAPABILITY("mutex") Mutex {
public:
    void lock() ACQUIRE() { m_mutex.lock(); }
    void unlock() RELEASE() { m_mutex.unlock(); }
    bool try_lock() { return m_mutex.try_lock(); }
    /** Run-time check for functions annotated EXCLUSIVE_LOCKS_REQUIRED whose
     *  callers the analysis cannot see (callbacks). Debug builds only. */
    void AssertHeld() const ASSERT_EXCLUSIVE_LOCK() {}
    std::mutex& native() { return m_mutex; }

private:
    std::mutex m_mutex;
};

/** RAII lock of a Mutex. */
class SCOPED_CAPABILITY LockGuard {
public:
    explicit LockGuard(Mutex& mutex) ACQUIRE(mutex) : m_mutex{mutex} { m_mutex.lock(); }
    ~LockGuard() RELEASE() { m_mutex.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

private:
    Mutex& m_mutex;
};

}  // namespace hpips

#endif  // HPIPS_UTIL_THREADSAFETY_H
