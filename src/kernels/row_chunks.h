// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_ROW_CHUNKS_H
#define HPIPS_KERNELS_ROW_CHUNKS_H

#include "util/thread_pool.h"

#include <algorithm>
#include <cstddef>

namespace hpips {

/** Below this many bytes of output an op runs on the calling thread only:
 *  waking workers costs more than the work. */
constexpr size_t MIN_PARALLEL_BYTES{size_t{1} << 16};

/** Chunks per pool thread: the pool hands chunks out dynamically, so a
 *  thread slowed by other work on its core costs one small chunk, not half
 *  the image. */
constexpr size_t CHUNKS_PER_THREAD{4};
/** Fewest rows per chunk (separable filters redo a few rows per chunk). */
constexpr size_t MIN_CHUNK_ROWS{32};

/** Runs body(y_begin, y_end) over contiguous chunks of [0, height) on the
 *  pool (one chunk for small images). Every output row is written by exactly
 *  one chunk and depends only on the input, so the bytes never depend on the
 *  thread count or the chunking. */
template <typename Body>
void ForEachRowChunk(ThreadPool& pool, int height, size_t row_bytes, Body&& body)
{
    const size_t rows{static_cast<size_t>(height)};
    size_t chunks{1};
    if (rows * row_bytes >= MIN_PARALLEL_BYTES && pool.Size() > 1) {
        const size_t by_rows{rows / MIN_CHUNK_ROWS > 0 ? rows / MIN_CHUNK_ROWS : 1};
        chunks = std::min(pool.Size() * CHUNKS_PER_THREAD, by_rows);
    }
    pool.ParallelFor(
        static_cast<size_t>(height),
        [&](size_t begin, size_t end) { body(static_cast<int>(begin), static_cast<int>(end)); }, chunks);
}

}  // namespace hpips

#endif  // HPIPS_KERNELS_ROW_CHUNKS_H
