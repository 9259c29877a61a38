// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Feeds arbitrary text to ParsePipeline. Accepted text must be canonical
// (FormatPipeline gives it back unchanged). Accepted pipelines whose every
// shape stays small are then run on a small image made of the input bytes,
// on 1 and 2 threads, which must agree.
#include <kernels/image.h>
#include <kernels/pipeline.h>
#include <util/thread_pool.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace {

void Check(bool condition)
{
    if (!condition) std::abort();
}

/** Largest intermediate image the fuzzer runs (keeps each input fast). */
constexpr int MAX_FUZZ_SIDE{48};

bool SmallEnough(const hpips::Pipeline& pipeline, hpips::ImageShape shape)
{
    for (const hpips::LightOp& op : pipeline.ops) {
        if (op.kind == hpips::LightOpKind::RESIZE && (op.a > MAX_FUZZ_SIDE || op.b > MAX_FUZZ_SIDE)) return false;
    }
    return shape.width <= MAX_FUZZ_SIDE && shape.height <= MAX_FUZZ_SIDE;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    const auto pipeline{ParsePipeline(text)};
    if (!pipeline) return 0;
    Check(FormatPipeline(*pipeline) == text);
    Check(*ParsePipeline(FormatPipeline(*pipeline)) == *pipeline);

    const int channels{size % 2 == 0 ? 3 : 1};
    const int width{static_cast<int>(size % 17) + 1};
    const int height{static_cast<int>(size % 13) + 1};
    const ImageShape shape{width, height, channels};
    if (!SmallEnough(*pipeline, shape) || !PipelineOutputShape(*pipeline, shape)) return 0;
    auto image{Image::Create(width, height, channels)};
    Check(image.has_value());
    for (size_t i = 0; i < static_cast<size_t>(width) * height * channels; ++i) image->Data()[i] = data[i % size];
    ThreadPool one{1};
    ThreadPool two{2};
    const auto a{RunPipeline(*pipeline, image->View(), one)};
    const auto b{RunPipeline(*pipeline, image->View(), two)};
    Check(a.has_value() && b.has_value());
    Check(a->Width() == b->Width() && a->Height() == b->Height() && a->Channels() == b->Channels());
    Check(std::memcmp(a->Data(), b->Data(), static_cast<size_t>(a->Width()) * a->Height() * a->Channels()) == 0);
    return 0;
}
