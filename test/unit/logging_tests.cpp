// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/logging.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace hpips {
namespace {

TEST(Logging, CategoriesParseAndFilter)
{
    EXPECT_EQ(ParseLogCategory("pouw"), LogCategory::POUW);
    EXPECT_EQ(ParseLogCategory("all"), LogCategory::ALL);
    EXPECT_FALSE(ParseLogCategory("nonsense"));
    EXPECT_EQ(LogCategoryName(LogCategory::NET), "net");

    Logger& logger = GetLogger();
    logger.DisableCategory(LogCategory::ALL);
    EXPECT_FALSE(logger.Enabled(LogCategory::POUW));
    logger.EnableCategory(LogCategory::POUW);
    EXPECT_TRUE(logger.Enabled(LogCategory::POUW));
    EXPECT_FALSE(logger.Enabled(LogCategory::NET));
    logger.DisableCategory(LogCategory::ALL);
}

TEST(Logging, WritesWholeLinesToFile)
{
    const auto path = std::filesystem::temp_directory_path() / "hpips_logging_test.log";
    std::filesystem::remove(path);
    Logger& logger = GetLogger();
    logger.SetPrintToConsole(false);
    ASSERT_TRUE(logger.OpenFile(path));
    LogInfo("hello {}", 42);
    LogDebug(LogCategory::NET, "hidden {}", 1);  // category off: not written
    logger.EnableCategory(LogCategory::NET);
    LogDebug(LogCategory::NET, "shown {}", 2);
    logger.DisableCategory(LogCategory::ALL);
    logger.CloseFile();

    std::ifstream in{path};
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    EXPECT_NE(s.find("hello 42\n"), std::string::npos);
    EXPECT_EQ(s.find("hidden"), std::string::npos);
    EXPECT_NE(s.find("[net] shown 2\n"), std::string::npos);
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace hpips
