// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/transcript_kernels.h>

#include <vector>

namespace hpips::pouw::detail {

TileState TileTranscriptScalar(const TileOperands& op)
{
    std::vector<int32_t> partial(size_t{TILE} * TILE, 0);
    TileState state{};
    for (uint32_t s = 0; s < op.k / STEP; ++s) {
        const uint32_t j0{s * STEP};
        for (uint32_t r = 0; r < TILE; ++r) {
            const int8_t* a_row{op.a + r * op.lda + j0};
            for (uint32_t c = 0; c < TILE; ++c) {
                const int8_t* b_col{op.b_cols + c * op.ldb + j0};
                int32_t sum{0};
                for (uint32_t j = 0; j < STEP; ++j) sum += int32_t{a_row[j]} * int32_t{b_col[j]};
                partial[size_t{r} * TILE + c] += sum;
            }
        }
        const StepDigest digest{ComputeStepDigest(partial)};
        StateUpdate(state.data(), digest.data(), s);
    }
    if (op.product != nullptr) {
        for (uint32_t r = 0; r < TILE; ++r) {
            for (uint32_t c = 0; c < TILE; ++c) op.product[r * op.ldp + c] = partial[size_t{r} * TILE + c];
        }
    }
    return state;
}

}  // namespace hpips::pouw::detail
