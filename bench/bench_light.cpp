// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Light (8-bit) kernels against OpenCV 4.6 at the same thread count, on a
// random 1920x1080 image. Names are BM_<op>/<impl>/threads:<n> with impl
// "ours" or "opencv", so a script can pair them and compute ratios, e.g.
//   bench_light --benchmark_format=csv | awk -F, ...
// Every "ours" case first checks that its output equals OpenCV's.
#include "kernels/box.h"
#include "kernels/color.h"
#include "kernels/gaussian.h"
#include "kernels/morphology.h"
#include "kernels/resize.h"
#include "kernels/row_kernels.h"
#include "kernels/sobel.h"
#include "kernels/threshold.h"
#include "util/thread_pool.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using hpips::ImageView;
using hpips::MutableImageView;
using hpips::ThreadPool;

constexpr int WIDTH{1920};
constexpr int HEIGHT{1080};

const cv::Mat& Source(int channels)
{
    static const cv::Mat images[2]{[] {
                                       cv::Mat m(HEIGHT, WIDTH, CV_8UC1);
                                       cv::randu(m, 0, 256);
                                       return m;
                                   }(),
                                   [] {
                                       cv::Mat m(HEIGHT, WIDTH, CV_8UC3);
                                       cv::randu(m, cv::Scalar::all(0), cv::Scalar::all(256));
                                       return m;
                                   }()};
    return images[channels == 1 ? 0 : 1];
}

ImageView ViewOf(const cv::Mat& m) { return ImageView{m.data, m.cols, m.rows, m.channels(), m.step[0]}; }
MutableImageView MutableViewOf(cv::Mat& m) { return MutableImageView{m.data, m.cols, m.rows, m.channels(), m.step[0]}; }

/** One light op in both implementations: `ours` writes into a preallocated
 *  dst, `opencv` may allocate (OpenCV reuses dst once it has the right size). */
struct Case {
    std::string name;
    int channels;
    cv::Size dst_size;
    int dst_channels;
    std::function<bool(const cv::Mat&, cv::Mat&, ThreadPool&)> ours;
    std::function<void(const cv::Mat&, cv::Mat&)> opencv;
};

void SobelMagOpenCv(const cv::Mat& src, cv::Mat& dst)
{
    thread_local cv::Mat gx;
    thread_local cv::Mat gy;
    cv::Sobel(src, gx, CV_16S, 1, 0, 3);
    cv::Sobel(src, gy, CV_16S, 0, 1, 3);
    gx = cv::abs(gx);
    gy = cv::abs(gy);
    cv::add(gx, gy, gx);
    gx.convertTo(dst, CV_8U);
}

std::vector<Case> Cases()
{
    std::vector<Case> cases;
    const cv::Size full{WIDTH, HEIGHT};
    cases.push_back({"gray", 3, full, 1,
                     [](const cv::Mat& s, cv::Mat& d, ThreadPool& p) { return bool{hpips::BgrToGray(ViewOf(s), MutableViewOf(d), p)}; },
                     [](const cv::Mat& s, cv::Mat& d) { cv::cvtColor(s, d, cv::COLOR_BGR2GRAY); }});
    for (int cn : {1, 3}) {
        const std::string c{"_c" + std::to_string(cn)};
        cases.push_back({"gauss5" + c, cn, full, cn,
                         [](const cv::Mat& s, cv::Mat& d, ThreadPool& p) { return bool{hpips::GaussianBlur(ViewOf(s), MutableViewOf(d), 5, 0, p)}; },
                         [](const cv::Mat& s, cv::Mat& d) { cv::GaussianBlur(s, d, cv::Size(5, 5), 0); }});
        cases.push_back({"gauss15" + c, cn, full, cn,
                         [](const cv::Mat& s, cv::Mat& d, ThreadPool& p) { return bool{hpips::GaussianBlur(ViewOf(s), MutableViewOf(d), 15, 2500, p)}; },
                         [](const cv::Mat& s, cv::Mat& d) { cv::GaussianBlur(s, d, cv::Size(15, 15), 2.5); }});
        cases.push_back({"sobelmag" + c, cn, full, cn,
                         [](const cv::Mat& s, cv::Mat& d, ThreadPool& p) { return bool{hpips::SobelMagnitude(ViewOf(s), MutableViewOf(d), p)}; },
                         SobelMagOpenCv});
        cases.push_back({"resize_down" + c, cn, cv::Size(1280, 720), cn,
                         [](const cv::Mat& s, cv::Mat& d, ThreadPool& p) { return bool{hpips::Resize(ViewOf(s), MutableViewOf(d), p)}; },
                         [](const cv::Mat& s, cv::Mat& d) { cv::resize(s, d, cv::Size(1280, 720), 0, 0, cv::INTER_LINEAR_EXACT); }});
        cases.push_back({"resize_up" + c, cn, cv::Size(2560, 1440), cn,
                         [](const cv::Mat& s, cv::Mat& d, ThreadPool& p) { return bool{hpips::Resize(ViewOf(s), MutableViewOf(d), p)}; },
                         [](const cv::Mat& s, cv::Mat& d) { cv::resize(s, d, cv::Size(2560, 1440), 0, 0, cv::INTER_LINEAR_EXACT); }});
        cases.push_back({"resize_half" + c, cn, cv::Size(960, 540), cn,
                         [](const cv::Mat& s, cv::Mat& d, ThreadPool& p) { return bool{hpips::Resize(ViewOf(s), MutableViewOf(d), p)}; },
                         [](const cv::Mat& s, cv::Mat& d) { cv::resize(s, d, cv::Size(960, 540), 0, 0, cv::INTER_LINEAR_EXACT); }});
        cases.push_back({"threshold" + c, cn, full, cn,
                         [](const cv::Mat& s, cv::Mat& d, ThreadPool& p) {
                             return bool{hpips::Threshold(ViewOf(s), MutableViewOf(d), 100, 255, hpips::ThresholdMode::BINARY, p)};
                         },
                         [](const cv::Mat& s, cv::Mat& d) { cv::threshold(s, d, 100, 255, cv::THRESH_BINARY); }});
        for (int k : {3, 15}) {
            const std::string kk{std::to_string(k)};
            cases.push_back({"erode" + kk + c, cn, full, cn,
                             [k](const cv::Mat& s, cv::Mat& d, ThreadPool& p) { return bool{hpips::Erode(ViewOf(s), MutableViewOf(d), k, p)}; },
                             [k](const cv::Mat& s, cv::Mat& d) { cv::erode(s, d, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k))); }});
            cases.push_back({"dilate" + kk + c, cn, full, cn,
                             [k](const cv::Mat& s, cv::Mat& d, ThreadPool& p) { return bool{hpips::Dilate(ViewOf(s), MutableViewOf(d), k, p)}; },
                             [k](const cv::Mat& s, cv::Mat& d) { cv::dilate(s, d, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k))); }});
            cases.push_back({"box" + kk + c, cn, full, cn,
                             [k](const cv::Mat& s, cv::Mat& d, ThreadPool& p) { return bool{hpips::BoxBlur(ViewOf(s), MutableViewOf(d), k, p)}; },
                             [k](const cv::Mat& s, cv::Mat& d) { cv::blur(s, d, cv::Size(k, k)); }});
        }
    }
    return cases;
}

void Register(const Case& c, int threads)
{
    const std::string suffix{"/threads:" + std::to_string(threads)};
    benchmark::RegisterBenchmark(("BM_" + c.name + "/ours" + suffix).c_str(), [c, threads](benchmark::State& state) {
        ThreadPool pool{static_cast<size_t>(threads)};
        const cv::Mat& src{Source(c.channels)};
        cv::Mat dst(c.dst_size, CV_8UC(c.dst_channels));
        cv::Mat want;
        cv::setNumThreads(threads);
        c.opencv(src, want);
        if (!c.ours(src, dst, pool) || cv::norm(dst, want, cv::NORM_INF) != 0) {
            state.SkipWithError("output differs from OpenCV");
            return;
        }
        for (auto _ : state) {
            c.ours(src, dst, pool);
            benchmark::DoNotOptimize(dst.data);
        }
        state.counters["Mpix/s"] = benchmark::Counter(static_cast<double>(WIDTH) * HEIGHT * state.iterations() / 1e6,
                                                      benchmark::Counter::kIsRate);
    })->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_" + c.name + "/opencv" + suffix).c_str(), [c, threads](benchmark::State& state) {
        cv::setNumThreads(threads);
        const cv::Mat& src{Source(c.channels)};
        cv::Mat dst;
        c.opencv(src, dst);
        for (auto _ : state) {
            c.opencv(src, dst);
            benchmark::DoNotOptimize(dst.data);
        }
        state.counters["Mpix/s"] = benchmark::Counter(static_cast<double>(WIDTH) * HEIGHT * state.iterations() / 1e6,
                                                      benchmark::Counter::kIsRate);
    })->UseRealTime()->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv)
{
    std::fprintf(stderr, "row kernels: %s\n", hpips::SelectRowKernels().name);
    for (const Case& c : Cases()) {
        for (int threads : {1, 2}) Register(c, threads);
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
