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
        : m_storage(slots * row_len), m_keys(slots, -1), m_used(slots, false), m_row_len{row_len}
    {
    }

    /** Sets rows[k] to the cached row `needed[k]` for k < count, computing a
     *  missing row r with fill(r, T* out) into a slot no needed row uses. */
    template <typename Fill>
    void Get(const int* needed, int count, const T** rows, Fill&& fill)
    {
        const size_t slots{m_keys.size()};
        for (size_t s = 0; s < slots; ++s) m_used[s] = false;
        for (int k = 0; k < count; ++k) {
            rows[k] = nullptr;
            for (size_t s = 0; s < slots; ++s) {
                if (m_keys[s] == needed[k]) {
                    rows[k] = Slot(s);
                    m_used[s] = true;
                    break;
                }
            }
        }
        for (int k = 0; k < count; ++k) {
            if (rows[k] != nullptr) continue;
            size_t s{0};
            while (m_used[s]) ++s;  // a free slot exists: slots >= count
            fill(needed[k], Slot(s));
            m_keys[s] = needed[k];
            m_used[s] = true;
            for (int j = k; j < count; ++j) {
                if (needed[j] == needed[k]) rows[j] = Slot(s);
            }
        }
    }

private:
    T* Slot(size_t s) { return m_storage.data() + s * m_row_len; }

    std::vector<T> m_storage;
    std::vector<int> m_keys;
    std::vector<bool> m_used;
    size_t m_row_len;
};

}  // namespace hpips

#endif  // HPIPS_KERNELS_ROW_CACHE_H
