// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/image.h"

#include <gtest/gtest.h>

namespace hpips {
namespace {

TEST(ImageTests, CreateBoundsShape)
{
    EXPECT_TRUE(Image::Create(1, 1, 1));
    EXPECT_TRUE(Image::Create(640, 480, 3));
    EXPECT_FALSE(Image::Create(0, 5, 1));
    EXPECT_FALSE(Image::Create(5, 0, 1));
    EXPECT_FALSE(Image::Create(5, 5, 2));
    EXPECT_FALSE(Image::Create(5, 5, 4));
    EXPECT_FALSE(Image::Create(MAX_IMAGE_DIMENSION + 1, 1, 1));
    EXPECT_FALSE(Image::Create(MAX_IMAGE_DIMENSION, MAX_IMAGE_DIMENSION, 1));  // too many pixels
}

TEST(ImageTests, ViewsAndOverlap)
{
    auto image{Image::Create(10, 8, 3)};
    ASSERT_TRUE(image);
    const ImageView v{image->View()};
    EXPECT_EQ(v.stride, 30U);
    const ImageView sub{v.Sub(2, 3, 4, 5)};
    EXPECT_EQ(sub.data, image->Data() + 3 * 30 + 2 * 3);
    EXPECT_EQ(sub.stride, 30U);
    EXPECT_TRUE(ViewsOverlap(v, sub));
    EXPECT_FALSE(ViewsOverlap(v.Sub(0, 0, 10, 4), v.Sub(0, 4, 10, 4)));
    EXPECT_TRUE(CheckView(sub));
    ImageView bad{sub};
    bad.stride = 3;
    EXPECT_FALSE(CheckView(bad));
    bad = sub;
    bad.data = nullptr;
    EXPECT_FALSE(CheckView(bad));
}

TEST(ImageTests, CopyOfView)
{
    auto image{Image::Create(4, 4, 1)};
    ASSERT_TRUE(image);
    for (int i = 0; i < 16; ++i) image->Data()[i] = static_cast<uint8_t>(i);
    const auto copy{Image::CopyOf(image->View().Sub(1, 1, 2, 2))};
    ASSERT_TRUE(copy);
    EXPECT_EQ(copy->Width(), 2);
    EXPECT_EQ(copy->Data()[0], 5);
    EXPECT_EQ(copy->Data()[1], 6);
    EXPECT_EQ(copy->Data()[2], 9);
    EXPECT_EQ(copy->Data()[3], 10);
}

}  // namespace
}  // namespace hpips
