// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Helpers shared by the light-kernel tests: random images, conversions between
// hpips views and cv::Mat, and byte-exact comparison with a readable report.
#ifndef HPIPS_TEST_UNIT_LIGHT_TEST_UTIL_H
#define HPIPS_TEST_UNIT_LIGHT_TEST_UTIL_H

#include "kernels/image.h"

#include <opencv2/core.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>

namespace hpips::test {

/** A cv::Mat of random bytes (deterministic for a given rng state). */
inline cv::Mat RandomMat(std::mt19937& rng, int width, int height, int channels)
{
    cv::Mat m(height, width, CV_8UC(channels));
    for (int y = 0; y < height; ++y) {
        uint8_t* row{m.ptr<uint8_t>(y)};
        for (size_t i = 0; i < static_cast<size_t>(width) * static_cast<size_t>(channels); ++i) {
            row[i] = static_cast<uint8_t>(rng() & 0xFF);
        }
    }
    return m;
}

/** Random content with long flat runs and edges, which exercise saturation
 *  and ties better than pure noise. */
inline cv::Mat BlockyMat(std::mt19937& rng, int width, int height, int channels)
{
    cv::Mat m{RandomMat(rng, width, height, channels)};
    for (int y = 0; y < height; ++y) {
        uint8_t* row{m.ptr<uint8_t>(y)};
        for (size_t i = 0; i < static_cast<size_t>(width) * static_cast<size_t>(channels); ++i) {
            const uint32_t r{static_cast<uint32_t>(rng() % 4)};
            if (r == 0) row[i] = 0;
            if (r == 1) row[i] = 255;
        }
    }
    return m;
}

inline ImageView ViewOf(const cv::Mat& m)
{
    return ImageView{m.data, m.cols, m.rows, m.channels(), m.step[0]};
}

inline MutableImageView MutableViewOf(cv::Mat& m)
{
    return MutableImageView{m.data, m.cols, m.rows, m.channels(), m.step[0]};
}

/** Empty string when equal, else where and how the first bytes differ. */
inline std::string FirstDifference(const cv::Mat& got, const cv::Mat& want)
{
    if (got.size() != want.size() || got.type() != want.type()) return "shape or type differs";
    int count{0};
    std::ostringstream first;
    for (int y = 0; y < got.rows; ++y) {
        const uint8_t* g{got.ptr<uint8_t>(y)};
        const uint8_t* w{want.ptr<uint8_t>(y)};
        for (int i = 0; i < got.cols * got.channels(); ++i) {
            if (g[i] != w[i]) {
                if (count == 0) {
                    first << "first at row " << y << " byte " << i << ": got " << int{g[i]} << " want " << int{w[i]};
                }
                ++count;
            }
        }
    }
    if (count == 0) return {};
    return std::to_string(count) + " bytes differ; " + first.str();
}

/** A view into a larger random canvas: offset (3, 2) and 9 spare pixels per
 *  row, so stride > width * channels. The view's content is `content`. */
struct EmbeddedImage {
    cv::Mat canvas;
    cv::Mat roi;
};

inline EmbeddedImage Embed(std::mt19937& rng, const cv::Mat& content)
{
    EmbeddedImage e;
    e.canvas = RandomMat(rng, content.cols + 3 + 6, content.rows + 2 + 4, content.channels());
    e.roi = e.canvas(cv::Rect(3, 2, content.cols, content.rows));
    content.copyTo(e.roi);
    return e;
}

}  // namespace hpips::test

#endif  // HPIPS_TEST_UNIT_LIGHT_TEST_UTIL_H
