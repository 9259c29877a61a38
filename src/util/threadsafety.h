// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_THREADSAFETY_H
#define HPIPS_UTIL_THREADSAFETY_H

#include <mutex>
#include <shared_mutex>

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
#define ACQUIRE_SHARED(...) HPIPS_TSA(acquire_shared_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) HPIPS_TSA(release_shared_capability(__VA_ARGS__))
#define SHARED_LOCKS_REQUIRED(...) HPIPS_TSA(shared_locks_required(__VA_ARGS__))
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

/** RAII lock of a Mutex that a std::condition_variable can wait on:
 *  pass native() to wait()/wait_for(). The wait releases and retakes the
 *  mutex inside the standard library, so to the analysis (and to the code
 *  after the wait) the mutex is held throughout, which is what the caller
 *  sees. A predicate that reads guarded members says
 *  EXCLUSIVE_LOCKS_REQUIRED(mutex) on the lambda. unlock()/lock() may drop
 *  and retake the mutex inside the scope; the destructor releases it only if
 *  held. */
class SCOPED_CAPABILITY UniqueLock {
public:
    explicit UniqueLock(Mutex& mutex) ACQUIRE(mutex) : m_lock{mutex.native()} {}
    ~UniqueLock() RELEASE() {}
    UniqueLock(const UniqueLock&) = delete;
    UniqueLock& operator=(const UniqueLock&) = delete;
    void lock() ACQUIRE() { m_lock.lock(); }
    void unlock() RELEASE() { m_lock.unlock(); }
    /** For std::condition_variable::wait and friends only. */
    std::unique_lock<std::mutex>& native() { return m_lock; }

private:
    std::unique_lock<std::mutex> m_lock;
};

/** A std::shared_mutex the analysis knows as a capability: many readers
 *  (SharedLock) or one writer (LockGuard-style ExclusiveLock). */
class CAPABILITY("shared_mutex") SharedMutex {
public:
    void lock() ACQUIRE() { m_mutex.lock(); }
    void unlock() RELEASE() { m_mutex.unlock(); }
    void lock_shared() ACQUIRE_SHARED() { m_mutex.lock_shared(); }
    void unlock_shared() RELEASE_SHARED() { m_mutex.unlock_shared(); }

private:
    std::shared_mutex m_mutex;
};

/** RAII exclusive (writer) lock of a SharedMutex. */
class SCOPED_CAPABILITY ExclusiveLock {
public:
    explicit ExclusiveLock(SharedMutex& mutex) ACQUIRE(mutex) : m_mutex{mutex} { m_mutex.lock(); }
    ~ExclusiveLock() RELEASE() { m_mutex.unlock(); }
    ExclusiveLock(const ExclusiveLock&) = delete;
    ExclusiveLock& operator=(const ExclusiveLock&) = delete;

private:
    SharedMutex& m_mutex;
};

/** RAII shared (reader) lock of a SharedMutex. */
class SCOPED_CAPABILITY SharedLock {
public:
    explicit SharedLock(SharedMutex& mutex) ACQUIRE_SHARED(mutex) : m_mutex{mutex} { m_mutex.lock_shared(); }
    ~SharedLock() RELEASE() { m_mutex.unlock_shared(); }
    SharedLock(const SharedLock&) = delete;
    SharedLock& operator=(const SharedLock&) = delete;

private:
    SharedMutex& m_mutex;
};

}  // namespace hpips

#endif  // HPIPS_UTIL_THREADSAFETY_H
