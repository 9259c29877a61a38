// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <cli/cli_wallet.h>

#include <util/strencodings.h>

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace hpips::cli {

Result<GenerateArgs> ParseGenerateArgs(const std::vector<std::string>& args)
{
    if (args.size() > 2) {
        return Error{"Too many arguments (maximum 2 for nblocks and maxtries). Please refer to `hpips-cli -help`."};
    }
    GenerateArgs out;
    if (!args.empty()) {
        const auto parsed = ParseInt64(args[0], 1, MAX_CLI_GENERATE_BLOCKS);
        if (!parsed) return Error{"Invalid nblocks: " + args[0].substr(0, 64) + " (a positive integer)"};
        out.nblocks = *parsed;
    }
    if (args.size() == 2) {
        const auto parsed = ParseInt64(args[1], 1, INT64_MAX);
        if (!parsed) return Error{"Invalid maxtries: " + args[1].substr(0, 64) + " (a positive integer)"};
        out.maxtries = *parsed;
    }
    return out;
}

std::optional<std::string> ReadSecretLine(const char* prompt, size_t max_length)
{
    const bool terminal = isatty(STDIN_FILENO) != 0;
    termios saved{};
    bool echo_off{false};
    if (terminal) {
        // Echo off before the prompt shows: nothing typed after it is echoed.
        if (tcgetattr(STDIN_FILENO, &saved) == 0) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            echo_off = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
        }
        std::cerr << prompt << std::flush;
    }
    std::string line;
    const bool read = static_cast<bool>(std::getline(std::cin, line));
    if (echo_off) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    if (terminal) std::cerr << "\n";
    if (!read || line.size() > max_length) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace hpips::cli
