// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Runs a libFuzzer target over every file of the corpus directories given on
// the command line, so the fuzz targets are exercised by ctest on builds
// without clang. Exits non-zero if a directory is missing or empty; a crash in
// the target fails the test as it would under libFuzzer.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv)
{
    size_t inputs = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path dir{argv[i]};
        if (!std::filesystem::is_directory(dir)) {
            std::fprintf(stderr, "corpus directory %s not found\n", argv[i]);
            return 1;
        }
        for (const auto& entry : std::filesystem::directory_iterator{dir}) {
            if (!entry.is_regular_file()) continue;
            std::ifstream file{entry.path(), std::ios::binary};
            const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>{file}, {}};
            LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
            ++inputs;
        }
    }
    std::printf("ran %zu corpus inputs\n", inputs);
    return inputs > 0 ? 0 : 1;
}
