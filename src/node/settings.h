// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_SETTINGS_H
#define HPIPS_NODE_SETTINGS_H

#include <util/result.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/** Settings from the command line and the configuration file, with Bitcoin
 *  Core's rules, shared by hpipsd and hpips-cli:
 *
 *  - `-name=value`, `-name` (empty value: "true" for switches), `-noname`
 *    (negation: false, or "clear the list"), double dashes accepted, any
 *    option may be repeated (the last value wins; list options keep all);
 *  - the file has `name=value` lines, `#` comments, `[main]` / `[test]` /
 *    `[regtest]` sections and `regtest.name=value` prefixes; values in the
 *    selected network's section override the top-level ones; the command
 *    line overrides both;
 *  - options marked network-only (ports and bind addresses) are taken from
 *    the top level of the file only on main, as in Core, so one file can
 *    serve several networks. */
namespace hpips {

/** How an option takes values. */
enum class OptionKind {
    /** A switch: -name, -name=1, -name=0, -noname. */
    BOOL,
    /** One value; repeated: the last wins. */
    VALUE,
    /** Repeatable; every value is kept (-rpcauth, -debug, -rpcbind). */
    LIST,
};

/** One option a program knows. */
struct OptionSpec {
    std::string_view name;
    OptionKind kind{OptionKind::VALUE};
    /** Shown by -help as -name=<value_name>; empty for switches. */
    std::string_view value_name;
    std::string_view help;
    /** -help groups options under these headings. */
    std::string_view category;
    /** Ports and binds: top-level file values apply to main only. */
    bool network_only{false};
    /** Left out of -help. */
    bool hidden{false};
    /** Shown only by -help-debug (test and developer knobs), as in Core. */
    bool debug_only{false};
};

/** Longest configuration file read (each file: the main one and every
 *  -includeconf one). */
constexpr size_t MAX_CONFIG_FILE_SIZE = 1024 * 1024;
/** Longest line of a configuration file: no option value needs more, and a
 *  line without newlines is the shape of a file that is not a config. */
constexpr size_t MAX_CONFIG_LINE_LENGTH = 64 * 1024;
/** Most -includeconf files read (they cannot include further: Core's depth of one). */
constexpr size_t MAX_INCLUDED_CONFIG_FILES = 32;

/** Section names of the three networks. */
inline constexpr std::string_view SECTION_MAIN{"main"};
inline constexpr std::string_view SECTION_TEST{"test"};
inline constexpr std::string_view SECTION_REGTEST{"regtest"};

/** The merged settings. Filled once at startup; read-only afterwards. */
class Settings {
public:
    /** Options known to this program (names without dashes). */
    explicit Settings(std::span<const OptionSpec> specs);

    /** Parses option tokens (argv without the program name, and without
     *  any command and its arguments) with Boost.ProgramOptions: unknown
     *  options fail ("Error parsing command line arguments: ..."). */
    Result<void> ParseCommandLine(const std::vector<std::string>& tokens);

    /** Parses configuration file text (untrusted: at most
     *  MAX_CONFIG_FILE_SIZE bytes, lines of at most MAX_CONFIG_LINE_LENGTH).
     *  `strict` is the node's reading: unknown names are skipped with a
     *  warning ("Ignoring unknown configuration value <name>", as Core, so a
     *  bitcoin.conf with options HPIPS lacks still starts the node), and
     *  `-conf` / `-datadir` in the file are errors; otherwise (hpips-cli
     *  reading the node's file) both are skipped silently. Unknown sections
     *  are warnings too (Warnings()). */
    Result<void> ReadConfig(std::string_view text, bool strict);

    /** Reads one configuration file (at most MAX_CONFIG_FILE_SIZE bytes),
     *  without following -includeconf. A missing file is an error only if
     *  `must_exist`. */
    Result<void> ReadConfigFile(const std::filesystem::path& path, bool strict, bool must_exist);

    /** Reads the configuration file `path`, then, as Core does, every
     *  `includeconf=<file>` of its top level and of the chosen network's
     *  section (relative paths are below `datadir`; each must exist). At most
     *  MAX_INCLUDED_CONFIG_FILES are read, and an included file cannot
     *  include further (its includeconf lines are warnings). -includeconf on
     *  the command line is an error. */
    Result<void> ReadConfigFiles(const std::filesystem::path& path, const std::filesystem::path& datadir, bool strict,
                                 bool must_exist);

    /** Chooses the network section whose values apply ("main", "test",
     *  "regtest"). Before this, only top-level values apply. */
    void SelectNetwork(std::string_view section);

    /** The network chosen by -regtest / -testnet / -chain=<name> on the
     *  command line or at the top level of the file: "main", "test" or
     *  "regtest"; an error if more than one is set (as Core: even
     *  -chain=regtest with -regtest) or -chain names another network. */
    Result<std::string> ChosenNetwork() const;

    /** True if the option has any value (a negation counts). */
    bool IsSet(std::string_view name) const;
    /** True if the effective value is a negation (-noname). */
    bool IsNegated(std::string_view name) const;
    /** The effective value, or `fallback` when unset; a negation reads as "0". */
    std::string GetArg(std::string_view name, std::string_view fallback) const;
    /** The effective value as a switch: "" and non-zero integers are true, a
     *  negation is false. */
    bool GetBoolArg(std::string_view name, bool fallback) const;
    /** The effective value as an integer; an error names the option if the
     *  value is not a decimal integer. */
    Result<int64_t> GetIntArg(std::string_view name, int64_t fallback) const;
    /** GetIntArg, and an error "must be between min and max" naming the
     *  option when the value is outside [min, max]. */
    Result<int64_t> GetIntArgInRange(std::string_view name, int64_t fallback, int64_t min, int64_t max) const;
    /** Every value of a list option: the command line's, then the network
     *  section's, then the top level's; a negation drops what came before it
     *  and, on the command line, everything from the file. */
    std::vector<std::string> GetArgs(std::string_view name) const;

    /** Notes collected while reading (unknown sections). */
    const std::vector<std::string>& Warnings() const { return m_warnings; }

    /** The declaration of `name`, or nullptr if unknown. */
    const OptionSpec* Find(std::string_view name) const;

private:
    Result<void> ReadConfigText(std::string_view text, bool strict, bool included);
    Result<void> ReadOneConfigFile(const std::filesystem::path& path, bool strict, bool must_exist, bool included);

    struct Value {
        std::string text;
        bool negated{false};
    };
    using ValueMap = std::map<std::string, std::vector<Value>, std::less<>>;

    /** The occurrences of `name` by precedence: command line, network section, top level. */
    std::vector<const std::vector<Value>*> Layers(std::string_view name) const;
    std::optional<Value> Effective(std::string_view name) const;

    std::map<std::string, OptionSpec, std::less<>> m_specs;
    ValueMap m_command_line;
    /** Section name ("" = top level) -> values. */
    std::map<std::string, ValueMap, std::less<>> m_config;
    std::string m_network;
    std::vector<std::string> m_warnings;
};

/** The value of a switch's text: "" is true, otherwise a decimal integer
 *  that is true when non-zero (anything else is false, as Core's atoi). */
bool InterpretBool(std::string_view text);

/** -help text for these options, grouped by category in table order:
 *  "  -name=<value>\n       help\n\n". Options marked debug_only appear
 *  only with `show_debug` (-help-debug); hidden ones never. */
std::string FormatOptionsHelp(std::span<const OptionSpec> specs, bool show_debug = false);

/** The data directory of a network: `base` for main, `base/testnet`,
 *  `base/regtest`. */
std::filesystem::path NetworkDataDir(const std::filesystem::path& base, std::string_view network);

/** ~/.hpips ($HOME, or / when unset). */
std::filesystem::path DefaultDataDir();

}  // namespace hpips

#endif  // HPIPS_NODE_SETTINGS_H
