// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_ROW_CHUNKS_H
#define HPIPS_KERNELS_ROW_CHUNKS_H

#include "util/thread_pool.h"

#include <cstddef>

namespace hpips {

/** Below this many bytes of output an op runs on the calling thread only:
 *  waking workers costs more than the work. */
constexpr size_t MIN_PARALLEL_BYTES{size_t{1} << 16};

/** Runs body(y_begin, y_end) over contiguous chunks of [0, height), one per
 *  pool thread (or one chunk for small images). Every output row is written
 *  by exactly one chunk and depends only on the input, so the bytes never
 *  depend on the thread count. */
template <typename Body>
void ForEachRowChunk(ThreadPool& pool, int height, size_t row_bytes, Body&& body)
{
    const size_t total{static_cast<size_t>(height) * row_bytes};
    const size_t chunks{total < MIN_PARALLEL_BYTES ? size_t{1} : size_t{0}};
    pool.ParallelFor(
        static_cast<size_t>(height),
        [&](size_t begin, size_t end) { body(static_cast<int>(begin), static_cast<int>(end)); }, chunks);
}

}  // namespace hpips

#endif  // HPIPS_KERNELS_ROW_CHUNKS_H
