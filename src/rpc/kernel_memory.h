// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_KERNEL_MEMORY_H
#define HPIPS_RPC_KERNEL_MEMORY_H

#include <boost/json/memory_resource.hpp>

#include <cstddef>
#include <limits>
#include <memory>
#include <new>

#include <sys/mman.h>

/** Memory for the large, short-lived buffers of one RPC request (its body,
 *  its parsed JSON), taken from the kernel (mmap) and given back (munmap)
 *  as soon as it is freed.
 *
 *  Why not malloc: glibc raises its mmap and trim thresholds after a large
 *  block is freed (up to 32 and 64 MiB) and malloc_trim never releases the
 *  top of a thread's arena, so after one large request each RPC thread kept
 *  tens of MiB (measured: +47 MiB of RSS per worker arena after a 15 MiB
 *  body; gigabytes before requests were bounded). Blocks below
 *  KERNEL_MEMORY_MIN still come from the heap: they are cheap and reused. */
namespace hpips {

/** Smallest block taken from the kernel; smaller ones use operator new. */
constexpr size_t KERNEL_MEMORY_MIN = 64 * 1024;

/** `bytes` of memory, page-aligned when at least KERNEL_MEMORY_MIN. Throws
 *  std::bad_alloc. Thread-safe; free with KernelFree and the same size. */
inline void* KernelAllocate(size_t bytes)
{
    if (bytes < KERNEL_MEMORY_MIN) return ::operator new(bytes);
    void* block = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) throw std::bad_alloc{};
    return block;
}

/** Frees what KernelAllocate(bytes) returned; any thread. */
inline void KernelFree(void* block, size_t bytes) noexcept
{
    if (bytes < KERNEL_MEMORY_MIN) {
        ::operator delete(block);
    } else {
        munmap(block, bytes);
    }
}

/** A standard allocator over KernelAllocate (for request body strings). */
template <typename T>
struct KernelAllocator {
    using value_type = T;
    KernelAllocator() = default;
    template <typename U>
    KernelAllocator(const KernelAllocator<U>&) noexcept
    {
    }
    T* allocate(size_t n)
    {
        if (n > std::numeric_limits<size_t>::max() / sizeof(T)) throw std::bad_alloc{};
        return static_cast<T*>(KernelAllocate(n * sizeof(T)));
    }
    void deallocate(T* block, size_t n) noexcept { KernelFree(block, n * sizeof(T)); }
    friend bool operator==(const KernelAllocator&, const KernelAllocator&) noexcept { return true; }
};

/** A Boost.JSON memory resource over KernelAllocate: the upstream of the
 *  monotonic arena a request is parsed into (alignment up to that of
 *  operator new, or a page). Stateless and thread-safe. */
class KernelMemoryResource final : public boost::json::memory_resource {
    void* do_allocate(std::size_t bytes, std::size_t) override { return KernelAllocate(bytes); }
    void do_deallocate(void* block, std::size_t bytes, std::size_t) override { KernelFree(block, bytes); }
    bool do_is_equal(const boost::json::memory_resource& other) const noexcept override { return this == &other; }
};

}  // namespace hpips

#endif  // HPIPS_RPC_KERNEL_MEMORY_H
