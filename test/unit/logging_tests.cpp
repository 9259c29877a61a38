// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/logging.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
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

TEST(Logging, TimestampsCanBeTurnedOff)
{
    const auto path = std::filesystem::temp_directory_path() / "hpips_logging_ts_test.log";
    std::filesystem::remove(path);
    Logger& logger = GetLogger();
    logger.SetPrintToConsole(false);
    ASSERT_TRUE(logger.OpenFile(path));
    logger.SetLogTimestamps(false);
    LogInfo("bare line");
    logger.SetLogTimestamps(true);
    LogInfo("stamped line");
    logger.CloseFile();
    std::ifstream in{path};
    std::string first;
    std::string second;
    std::getline(in, first);
    std::getline(in, second);
    EXPECT_EQ(first, "bare line");
    EXPECT_TRUE(second.ends_with("Z stamped line")) << second;
    std::filesystem::remove(path);
}

TEST(Logging, ShrinkDebugFileKeepsTheTail)
{
    const auto path = std::filesystem::temp_directory_path() / "hpips_logging_shrink_test.log";
    std::filesystem::remove(path);
    // At the threshold: left alone. One line more: cut to the last whole
    // lines within DEBUG_LOG_KEEP_BYTES.
    const std::string line(99, 'x');
    {
        std::ofstream out{path, std::ios::binary};
        for (uint64_t written = 0; written < DEBUG_LOG_SHRINK_THRESHOLD; written += 100) out << line << '\n';
    }
    ASSERT_EQ(std::filesystem::file_size(path), DEBUG_LOG_SHRINK_THRESHOLD);
    EXPECT_TRUE(ShrinkDebugFile(path));
    EXPECT_EQ(std::filesystem::file_size(path), DEBUG_LOG_SHRINK_THRESHOLD);
    {
        std::ofstream out{path, std::ios::binary | std::ios::app};
        out << "last line\n";
    }
    EXPECT_TRUE(ShrinkDebugFile(path));
    const auto size = std::filesystem::file_size(path);
    EXPECT_LE(size, DEBUG_LOG_KEEP_BYTES);
    EXPECT_GT(size, DEBUG_LOG_KEEP_BYTES - 200);
    std::ifstream in{path, std::ios::binary};
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first, line);  // starts at a whole line
    std::string text{std::istreambuf_iterator<char>{in}, {}};
    EXPECT_TRUE(text.ends_with("last line\n"));
    // A missing file is nothing to do.
    std::filesystem::remove(path);
    EXPECT_TRUE(ShrinkDebugFile(path));
}

}  // namespace
}  // namespace hpips
