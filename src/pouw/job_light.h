// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_JOB_LIGHT_H
#define HPIPS_POUW_JOB_LIGHT_H

#include <kernels/image.h>
#include <kernels/pipeline.h>
#include <util/result.h>
#include <util/thread_pool.h>
#include <util/uint256.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

/** Light units of a job (doc/jobs_units.md §4): a light pipeline (kernels'
 *  RunPipeline) over the frames of a job's input is cut into groups of
 *  output rows, one unit per group. A group needs the input rows of its
 *  output rows widened by the pipeline's halo; recomputing a group (or one
 *  row) from those rows gives exactly the rows of running the pipeline on the
 *  whole frame. A pipeline with a resize op is not cut: its unit is the whole
 *  frame. Integer-only, pure. */
namespace hpips::pouw {

/** Merkle domain of a light unit's result: leaf i = output row out_begin + i. */
constexpr std::string_view LIGHT_RESULT_DOMAIN{"HPIPS/light-result"};
/** Merkle domain of a light unit's input rows: leaf i = input row in_begin + i
 *  of the unit's frame. Its root is the unit's leaf data in the units root. */
constexpr std::string_view LIGHT_INPUT_DOMAIN{"HPIPS/light-input"};
/** Output rows per group (the last group of a frame may be shorter). */
constexpr uint32_t LIGHT_GROUP_ROWS{64};
/** Most light units of one job (frames × groups per frame). */
constexpr uint32_t MAX_LIGHT_JOB_UNITS{65536};
/** Largest image (bytes) any stage of a one-row check may hold: the input rows
 *  a row needs and every intermediate image computed from them. A job whose
 *  row check would exceed it is refused by PlanLightJob, so every fraud
 *  check stays below it. */
constexpr size_t MAX_LIGHT_ROW_CHECK_BYTES{size_t{1} << 20};

/** A half-open range [begin, end) of rows of a frame. */
struct RowRange {
    uint32_t begin{0};
    uint32_t end{0};

    uint32_t Count() const { return end - begin; }
    friend bool operator==(const RowRange&, const RowRange&) = default;
};

/** How a light job is cut. */
struct LightPlan {
    ImageShape input;   //!< one frame
    ImageShape output;  //!< one output frame
    uint32_t frames{0};
    uint32_t halo{0};             //!< input rows each side a row needs (Σ op radii)
    bool whole_frame{false};      //!< the pipeline resizes: one unit per frame
    uint32_t groups_per_frame{0};

    uint32_t UnitCount() const { return frames * groups_per_frame; }
};

/** One light unit: output rows `out` of frame `frame`, computed from input rows `in`. */
struct LightGroup {
    uint32_t frame{0};
    RowRange out;
    RowRange in;
};

/** Rows of input each side that op needs for one output row: K/2 for gauss,
 *  box, erode and dilate, 1 for sobelmag, 0 for gray and threshold; resize 0
 *  (it forces whole-frame units instead). */
uint32_t OpHalo(const LightOp& op);
/** Σ OpHalo over the pipeline. */
uint32_t PipelineHalo(const Pipeline& pipeline);

/** Checks the pipeline against the frame shape (PipelineOutputShape), 1 ≤
 *  frames, the unit count (MAX_LIGHT_JOB_UNITS) and the row-check size
 *  (MAX_LIGHT_ROW_CHECK_BYTES), and returns the plan. */
Result<LightPlan> PlanLightJob(const Pipeline& pipeline, ImageShape frame, uint32_t frames);

/** Input rows that output rows `out` of a frame need: whole frame for
 *  whole-frame plans, else [max(0, begin − halo), min(height, end + halo)).
 *  Precondition: out within the output frame. */
RowRange InputRowsFor(const LightPlan& plan, RowRange out);

/** Unit `unit` = frame · groups_per_frame + group. Precondition: unit < UnitCount(). */
LightGroup PlaceLightUnit(const LightPlan& plan, uint32_t unit);

/** The largest stage image (bytes) of computing output rows `out` (see
 *  MAX_LIGHT_ROW_CHECK_BYTES); PlanLightJob bounds it for one row. */
size_t LightStageBytes(const Pipeline& pipeline, const LightPlan& plan, RowRange out);

/** Output rows `out` of a frame, computed from `input` which holds input rows
 *  [in_begin, in_begin + input.height) of that frame (full width): runs the
 *  pipeline on InputRowsFor(out) and keeps the rows of `out`. Errors: the
 *  view does not hold those rows or does not match the frame's width and
 *  channels, or a kernel error. */
Result<Image> ComputeLightRows(const Pipeline& pipeline, const LightPlan& plan, const ImageView& input,
                               uint32_t in_begin, RowRange out, ThreadPool& pool);

/** Merkle root of `domain` over the rows of `rows` (leaf = row bytes). Error
 *  on an empty view. */
Result<uint256> ImageRowsRoot(std::string_view domain, const ImageView& rows);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_JOB_LIGHT_H
