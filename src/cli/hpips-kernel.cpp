// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// hpips-kernel: run a light-op pipeline on an image file, exactly as a job's
// light stage does (the same library code, bit-exact with OpenCV 4.6).
//
//   hpips-kernel IN OUT --pipeline "OP,OP,..." [--threads N]
//
// Every failure (bad arguments or pipeline, unreadable or unsupported input,
// unwritable output) prints one line to stderr and exits with status 2.
#include "kernels/image.h"
#include "kernels/pipeline.h"
#include "util/strencodings.h"
#include "util/thread_pool.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fcntl.h>
#include <unistd.h>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

constexpr int EXIT_OK{0};
constexpr int EXIT_FAILED{2};
/** Most worker threads --threads accepts. */
constexpr int64_t MAX_THREADS{256};
/** Largest input file read (a 64 Mpixel BGR image stored raw is ~200 MB). */
constexpr std::streamoff MAX_INPUT_FILE_BYTES{std::streamoff{512} << 20};

constexpr std::string_view USAGE{
    "Usage: hpips-kernel IN OUT --pipeline \"OP,OP,...\" [--threads N]\n"
    "\n"
    "Reads IN (8-bit gray or BGR; any format OpenCV decodes), applies the light\n"
    "ops in order and writes OUT (format from its extension; use .png to keep\n"
    "the bytes exact). Results equal OpenCV 4.6 byte for byte.\n"
    "\n"
    "Ops (at most 16):\n"
    "  gray                 BGR to gray (cv::cvtColor COLOR_BGR2GRAY)\n"
    "  gauss:K:S            Gaussian blur, K odd 3..15, sigma S/1000 (S 0..10000, 0 = from K)\n"
    "  sobelmag             saturate(|Sobel dx| + |Sobel dy|), 3x3, per channel\n"
    "  resize:W:H           resize to WxH (1..16384), INTER_LINEAR_EXACT\n"
    "  threshold:T:M:MODE   T, M 0..255; MODE binary|binary_inv|trunc|tozero|tozero_inv\n"
    "  erode:K, dilate:K    K x K rectangle, K odd 3..15\n"
    "  box:K                normalised K x K box blur, K odd 3..15\n"
    "\n"
    "Options:\n"
    "  --pipeline SPEC      the ops to run (required)\n"
    "  --threads N          worker threads (default: all cores)\n"
    "  --help               show this help\n"
    "\n"
    "Exit status: 0 on success, 2 on any error (one line on stderr).\n"};

/** Reports an error as one line on stderr and returns the failure status. */
int Fail(std::string message)
{
    std::replace(message.begin(), message.end(), '\n', ' ');
    std::fprintf(stderr, "hpips-kernel: error: %s\n", message.c_str());
    return EXIT_FAILED;
}

/** Silences file descriptor 2 while alive: some codec libraries (libpng)
 *  print their own error lines, which would break the one-line contract. */
class QuietStderr {
public:
    QuietStderr()
    {
        std::fflush(stderr);
        m_saved = dup(STDERR_FILENO);
        const int null_fd{open("/dev/null", O_WRONLY)};
        if (m_saved >= 0 && null_fd >= 0) dup2(null_fd, STDERR_FILENO);
        if (null_fd >= 0) close(null_fd);
    }
    ~QuietStderr()
    {
        std::fflush(stderr);
        if (m_saved >= 0) {
            dup2(m_saved, STDERR_FILENO);
            close(m_saved);
        }
    }
    QuietStderr(const QuietStderr&) = delete;
    QuietStderr& operator=(const QuietStderr&) = delete;

private:
    int m_saved{-1};
};

/** cv::imdecode with codec chatter silenced; exceptions pass through. */
cv::Mat Decode(const std::vector<uint8_t>& bytes)
{
    const QuietStderr quiet;
    return cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
}

/** cv::imwrite with codec chatter silenced; exceptions pass through. */
bool Write(const std::string& path, const cv::Mat& image)
{
    const QuietStderr quiet;
    return cv::imwrite(path, image);
}

struct Options {
    std::string input;
    std::string output;
    std::string pipeline;
    bool have_pipeline{false};
    int threads{0};
    bool help{false};
};

/** Parses argv; returns an error message on failure. */
std::optional<std::string> ParseArgs(int argc, char** argv, Options& opts)
{
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg{argv[i]};
        const auto value_of{[&](std::string_view name, std::string& out) -> std::optional<std::string> {
            // Accepts "--name VALUE" and "--name=VALUE".
            if (arg.size() > name.size() && arg.substr(0, name.size()) == name && arg[name.size()] == '=') {
                out = std::string{arg.substr(name.size() + 1)};
                return std::nullopt;
            }
            if (i + 1 >= argc) return std::string{name} + " needs a value";
            out = argv[++i];
            return std::nullopt;
        }};
        if (arg == "--help" || arg == "-h" || arg == "-help") {
            opts.help = true;
        } else if (arg == "--pipeline" || arg.substr(0, 11) == "--pipeline=") {
            if (auto err{value_of("--pipeline", opts.pipeline)}) return err;
            opts.have_pipeline = true;
        } else if (arg == "--threads" || arg.substr(0, 10) == "--threads=") {
            std::string value;
            if (auto err{value_of("--threads", value)}) return err;
            const auto n{hpips::ParseInt64(value, 1, MAX_THREADS)};
            if (!n) return "--threads must be an integer 1.." + std::to_string(MAX_THREADS);
            opts.threads = static_cast<int>(*n);
        } else if (arg.size() > 1 && arg[0] == '-') {
            return "unknown option " + std::string{arg};
        } else {
            positional.emplace_back(arg);
        }
    }
    if (opts.help) return std::nullopt;
    if (positional.size() != 2) return std::string{"expected IN and OUT file names (see --help)"};
    if (!opts.have_pipeline) return std::string{"--pipeline is required (see --help)"};
    opts.input = positional[0];
    opts.output = positional[1];
    return std::nullopt;
}

int Run(int argc, char** argv)
{
    Options opts;
    if (auto err{ParseArgs(argc, argv, opts)}) return Fail(*err);
    if (opts.help) {
        std::fwrite(USAGE.data(), 1, USAGE.size(), stdout);
        return EXIT_OK;
    }
    const auto pipeline{hpips::ParsePipeline(opts.pipeline)};
    if (!pipeline) return Fail("bad pipeline: " + pipeline.error_message());

    // Read the file ourselves (bounded) and decode from memory: the same
    // decoders as cv::imread, without its console warnings.
    std::ifstream file{opts.input, std::ios::binary | std::ios::ate};
    if (!file) return Fail("cannot open '" + opts.input + "'");
    const std::streamoff size{file.tellg()};
    if (size <= 0) return Fail("'" + opts.input + "' is empty or unreadable");
    if (size > MAX_INPUT_FILE_BYTES) return Fail("'" + opts.input + "' is larger than the input limit");
    std::vector<uint8_t> bytes(static_cast<size_t>(size));
    file.seekg(0);
    if (!file.read(reinterpret_cast<char*>(bytes.data()), size)) return Fail("cannot read '" + opts.input + "'");
    const cv::Mat input{Decode(bytes)};
    if (input.empty()) return Fail("cannot decode image '" + opts.input + "'");
    if (input.dims != 2 || (input.type() != CV_8UC1 && input.type() != CV_8UC3)) {
        return Fail("unsupported image '" + opts.input + "': need 8-bit gray or BGR (got " +
                    std::to_string(input.channels()) + " channel(s), depth " + std::to_string(input.depth()) + ")");
    }
    const hpips::ImageView view{input.data, input.cols, input.rows, input.channels(), input.step[0]};
    if (auto ok{hpips::CheckView(view)}; !ok) return Fail("image '" + opts.input + "': " + ok.error_message());
    if (auto shape{hpips::PipelineOutputShape(*pipeline, {view.width, view.height, view.channels})}; !shape) {
        return Fail("pipeline cannot run on this image: " + shape.error_message());
    }

    const unsigned cores{std::max(1U, std::thread::hardware_concurrency())};
    const size_t threads{opts.threads > 0 ? static_cast<size_t>(opts.threads)
                                          : std::min<size_t>(cores, static_cast<size_t>(MAX_THREADS))};
    hpips::ThreadPool pool{threads};
    auto result{hpips::RunPipeline(*pipeline, view, pool)};
    if (!result) return Fail("pipeline failed: " + result.error_message());

    const cv::Mat output(result->Height(), result->Width(), CV_8UC(result->Channels()), result->Data());
    if (!Write(opts.output, output)) return Fail("cannot write image '" + opts.output + "'");
    return EXIT_OK;
}

}  // namespace

int main(int argc, char** argv)
{
    // Bound what OpenCV's decoders will allocate (read once, on first use).
    setenv("OPENCV_IO_MAX_IMAGE_PIXELS", std::to_string(hpips::MAX_IMAGE_PIXELS).c_str(), 0);
    try {
        // Errors are reported once, by us; OpenCV's own log lines would
        // break the one-line contract.
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        return Run(argc, argv);
    } catch (const cv::Exception& e) {
        return Fail(std::string{"OpenCV: "} + e.err);
    } catch (const std::exception& e) {
        return Fail(e.what());
    }
}
