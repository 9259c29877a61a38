// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_ROW_CACHE_H
#define HPIPS_KERNELS_ROW_CACHE_H

#include <cstddef>
#include <vector>

namespace hpips {

/** A small cache of intermediate rows (e.g. horizontally filtered source
 *  rows) keyed by source row index, for separable filters that walk down an
 *  image: each output row asks for its window of source rows, and only rows
 *  not already cached are computed. Border reflection may ask for the same
 *  row twice or out of order; the cache handles that. Storage is allocated
 *  once at construction (never per row). */
template <typename T>
class RowCache {
public:
    /** `slots` must be at least the largest window requested. */
    RowCache(size_t slots, size_t row_len)
        : m_storage(slots * row_len), m_keys(slots, -1), m_row_len{row_len}
    {
    }

    /** Sets rows[k] to the cached row `needed[k]` for k < count, computing a
     *  missing row r with fill(r, T* out). Direct-mapped (row r lives in slot
     *  r % slots): a window's rows are either consecutive (at most `slots` of
     *  them) or, near a border, all inside an image shorter than the window,
     *  so two different rows of one request never share a slot. */
    template <typename Fill>
    void Get(const int* needed, int count, const T** rows, Fill&& fill)
    {
        const size_t slots{m_keys.size()};
        for (int k = 0; k < count; ++k) {
            const int row{needed[k]};
            const size_t s{static_cast<size_t>(row) % slots};
            if (m_keys[s] != row) {
                fill(row, Slot(s));
                m_keys[s] = row;
            }
            rows[k] = Slot(s);
        }
    }

private:
    T* Slot(size_t s) { return m_storage.data() + s * m_row_len; }

    std::vector<T> m_storage;
    std::vector<int> m_keys;
    size_t m_row_len;
};

}  // namespace hpips

#endif  // HPIPS_KERNELS_ROW_CACHE_H
