// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CLI_CLI_WALLET_H
#define HPIPS_CLI_CLI_WALLET_H

#include <util/result.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/** hpips-cli's wallet helpers (doc/rpc.md, "hpips-cli"): the arguments of
 *  -generate and the unechoed passphrase line of -stdinwalletpassphrase. */
namespace hpips::cli {

/** Most blocks -generate asks for in one call (the node applies its own,
 *  smaller bound to generatetoaddress). */
constexpr int64_t MAX_CLI_GENERATE_BLOCKS = 1'000'000;

struct GenerateArgs {
    int64_t nblocks{1};
    std::optional<int64_t> maxtries;
};

/** -generate [nblocks] [maxtries]: both positive integers; nblocks defaults
 *  to 1, maxtries to the node's default. The error is the message to print. */
Result<GenerateArgs> ParseGenerateArgs(const std::vector<std::string>& args);

/** One line of standard input; on a terminal `prompt` goes to stderr first
 *  and the terminal's echo is off while the line is typed. nullopt at end
 *  of input or for a line over `max_length` bytes; a trailing '\r' is dropped. */
std::optional<std::string> ReadSecretLine(const char* prompt, size_t max_length);

}  // namespace hpips::cli

#endif  // HPIPS_CLI_CLI_WALLET_H
