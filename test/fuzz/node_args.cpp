// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// hpipsd's command line and hpips.conf through the parser hpipsd uses
// (Settings over NodeOptions()): the input is command-line tokens, one per
// line, then a NUL byte and the configuration file's text. The file is read
// from disk with ReadConfigFiles (includeconf too) as AppInit does; then the network is chosen
// and every declared option is read through every typed getter. The getters
// must agree with each other (an unset option reads as the fallback, a
// negated one as false / "0" / 0, a switch's value as InterpretBool of its
// text), and nothing may throw or crash.
#include <node/options.h>
#include <node/settings.h>

#include "fuzz_input.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using hpips::fuzz::Check;

/** Most tokens taken from one input (a real command line is short; this
 *  keeps one input cheap). */
constexpr size_t MAX_TOKENS = 64;

/** Reads every declared option through every getter and checks that they agree. */
void QueryAll(const hpips::Settings& args)
{
    using namespace hpips;
    for (const OptionSpec& spec : NodeOptions()) {
        const std::string_view name{spec.name};
        Check(args.Find(name) != nullptr);
        const bool set{args.IsSet(name)};
        const bool negated{args.IsNegated(name)};
        const std::string text{args.GetArg(name, "fallback")};
        const bool as_bool{args.GetBoolArg(name, true)};
        const auto as_int{args.GetIntArg(name, 7)};
        const std::vector<std::string> list{args.GetArgs(name)};
        if (!set) {
            Check(!negated && text == "fallback" && as_bool && as_int && *as_int == 7 && list.empty());
            continue;
        }
        Check(args.GetArg(name, "other") == text);
        Check(args.GetBoolArg(name, false) == as_bool);
        if (negated) {
            Check(text == "0" && !as_bool && as_int && *as_int == 0);
        } else {
            Check(as_bool == InterpretBool(text));
        }
        if (as_int) Check(args.GetIntArg(name, -1).has_value());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    static const fuzz::TempDir dir{"node_args"};
    const std::string_view input{reinterpret_cast<const char*>(data), size};
    const size_t nul{input.find('\0')};
    const std::string_view command_line{input.substr(0, nul)};
    const std::string_view config{nul == std::string_view::npos ? std::string_view{} : input.substr(nul + 1)};

    std::vector<std::string> tokens;
    for (size_t pos = 0; pos < command_line.size() && tokens.size() < MAX_TOKENS;) {
        const size_t end{std::min(command_line.find('\n', pos), command_line.size())};
        tokens.emplace_back(command_line.substr(pos, end - pos));
        pos = end + 1;
    }

    // hpipsd: the command line first (an error stops the node), then the file.
    Settings args{NodeOptions()};
    if (!args.ParseCommandLine(tokens)) return 0;
    QueryAll(args);

    const std::filesystem::path conf_path{dir.path() / "hpips.conf"};
    {
        std::ofstream file{conf_path, std::ios::binary | std::ios::trunc};
        file.write(config.data(), static_cast<std::streamsize>(config.size()));
        Check(static_cast<bool>(file));
    }
    // With its includeconf files, as AppInit reads it (an include names a file
    // in the same directory: "hpips.conf" itself, or a missing one).
    const auto read{args.ReadConfigFiles(conf_path, dir.path(), /*strict=*/true, /*must_exist=*/true)};
    // The same text as hpips-cli reads it (unknown names ignored): whatever
    // the strict reader accepts, the lenient one accepts too.
    Settings lenient{NodeOptions()};
    const auto read_lenient{lenient.ReadConfig(config, /*strict=*/false)};
    if (read) Check(read_lenient.has_value());
    if (!read) return 0;

    const auto network{args.ChosenNetwork()};
    if (network) {
        Check(*network == SECTION_MAIN || *network == SECTION_TEST || *network == SECTION_REGTEST);
        args.SelectNetwork(*network);
    }
    QueryAll(args);
    // Every network's view, as a node started with another -regtest/-testnet would see the file.
    for (const std::string_view section : {SECTION_MAIN, SECTION_TEST, SECTION_REGTEST}) {
        args.SelectNetwork(section);
        QueryAll(args);
    }
    return 0;
}
