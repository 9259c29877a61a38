// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/settings.h>

#include <util/args.h>
#include <util/strencodings.h>

#include <boost/program_options.hpp>

#include <charconv>
#include <cstdlib>
#include <algorithm>
#include <fstream>
#include <limits>

namespace hpips {
namespace {

namespace po = boost::program_options;

/** Bitcoin Core's style: single-dash long options, no abbreviations (an
 *  abbreviation would silently change meaning when an option is added). */
constexpr int STRICT_STYLE = COMMAND_LINE_STYLE & ~po::command_line_style::allow_guessing;

/** The prefix of a negated option. */
constexpr std::string_view NEGATION{"no"};

std::string_view Trim(std::string_view s)
{
    const size_t begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    const size_t end = s.find_last_not_of(" \t\r\n");
    return s.substr(begin, end - begin + 1);
}

/** -help layout: text indented by HELP_INDENT, wrapped before HELP_WIDTH columns. */
constexpr size_t HELP_INDENT = 7;
constexpr size_t HELP_WIDTH = 79;

std::string WrapHelp(std::string_view text)
{
    std::string out;
    const std::string indent(HELP_INDENT, ' ');
    while (!text.empty()) {
        const size_t newline = text.find('\n');
        std::string_view paragraph = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        std::string line;
        while (!paragraph.empty()) {
            const size_t space = paragraph.find(' ');
            const std::string_view word = paragraph.substr(0, space);
            paragraph = space == std::string_view::npos ? std::string_view{} : paragraph.substr(space + 1);
            if (!line.empty() && HELP_INDENT + line.size() + 1 + word.size() > HELP_WIDTH) {
                out += indent + line + "\n";
                line.clear();
            }
            if (!line.empty()) line += ' ';
            line += word;
        }
        out += indent + line + "\n";
    }
    return out;
}

/** Names the parser itself gives meaning to. */
constexpr std::string_view INCLUDECONF{"includeconf"};
constexpr std::string_view CHAIN{"chain"};

bool IsNetworkSection(std::string_view section)
{
    return section == SECTION_MAIN || section == SECTION_TEST || section == SECTION_REGTEST;
}

}  // namespace

bool InterpretBool(std::string_view text)
{
    if (text.empty()) return true;
    const auto value = ParseInt64(text, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
    return value.has_value() && *value != 0;
}

Settings::Settings(std::span<const OptionSpec> specs)
{
    for (const auto& spec : specs) m_specs.emplace(std::string{spec.name}, spec);
}

const OptionSpec* Settings::Find(std::string_view name) const
{
    const auto it = m_specs.find(name);
    return it == m_specs.end() ? nullptr : &it->second;
}

Result<void> Settings::ParseCommandLine(const std::vector<std::string>& tokens)
{
    // Every option is declared twice, as "name" and "noname", each taking an
    // optional "=value" (Core requires the '=' form: "-datadir dir" is not
    // "-datadir=dir").
    po::options_description description;
    for (const auto& [name, spec] : m_specs) {
        description.add_options()(name.c_str(), po::value<std::string>()->implicit_value(std::string{}, ""), "");
        const std::string negated = std::string{NEGATION} + name;
        if (!m_specs.contains(negated)) {
            description.add_options()(negated.c_str(), po::value<std::string>()->implicit_value(std::string{}, ""), "");
        }
    }
    try {
        const auto parsed = po::command_line_parser(tokens).options(description).style(STRICT_STYLE).run();
        for (const auto& option : parsed.options) {
            if (option.position_key >= 0 || option.unregistered) {
                const std::string token = option.original_tokens.empty() ? "" : option.original_tokens.front();
                return Error{"Command line contains unexpected token '" + token + "'"};
            }
            std::string name = option.string_key;
            bool negated{false};
            if (!m_specs.contains(name) && name.starts_with(NEGATION)) {
                name = name.substr(NEGATION.size());
                negated = true;
            }
            std::string value = option.value.empty() ? std::string{} : option.value.front();
            // -noname=0 is a double negative: name=1, as in Core.
            if (negated && !value.empty() && !InterpretBool(value)) {
                negated = false;
                value = "1";
            }
            m_command_line[name].push_back({negated ? "0" : value, negated});
        }
    } catch (const po::error& e) {
        return Error{std::string{"Error parsing command line arguments: "} + e.what()};
    }
    return {};
}

Result<void> Settings::ReadConfig(std::string_view text, bool strict) { return ReadConfigText(text, strict, false); }

Result<void> Settings::ReadConfigText(std::string_view text, bool strict, bool included)
{
    if (text.size() > MAX_CONFIG_FILE_SIZE) {
        return Error{"configuration text is larger than " + std::to_string(MAX_CONFIG_FILE_SIZE) + " bytes"};
    }
    std::string section;
    size_t line_number{0};
    size_t pos{0};
    while (pos <= text.size()) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_number;
        if (line.size() > MAX_CONFIG_LINE_LENGTH) {
            return Error{"parse error on line " + std::to_string(line_number) + ": line longer than " +
                         std::to_string(MAX_CONFIG_LINE_LENGTH) + " bytes"};
        }
        if (const size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        line = Trim(line);
        if (line.empty()) {
            if (end == text.size()) break;
            continue;
        }
        if (line.front() == '[' && line.back() == ']') {
            section = std::string{Trim(line.substr(1, line.size() - 2))};
            if (!IsNetworkSection(section)) m_warnings.push_back("Section [" + section + "] is not recognized.");
            continue;
        }
        const size_t eq = line.find('=');
        if (eq == std::string_view::npos) {
            return Error{"parse error on line " + std::to_string(line_number) + ": " + std::string{line} +
                         (line.starts_with(NEGATION) ? ", if you intended to specify a negated option, use " +
                                                           std::string{line} + "=1 instead"
                                                     : "")};
        }
        std::string key{Trim(line.substr(0, eq))};
        const std::string value{Trim(line.substr(eq + 1))};
        if (key.starts_with('-')) {
            return Error{"parse error on line " + std::to_string(line_number) + ": " + std::string{line} +
                         ", options in configuration file must be specified without leading hyphen"};
        }
        std::string key_section = section;
        if (const size_t dot = key.find('.'); dot != std::string::npos) {
            key_section = key.substr(0, dot);
            key = key.substr(dot + 1);
        }
        bool negated{false};
        if (!m_specs.contains(key) && key.starts_with(NEGATION) && m_specs.contains(key.substr(NEGATION.size()))) {
            key = key.substr(NEGATION.size());
            negated = true;
        }
        if (!m_specs.contains(key)) {
            // Core's habit: a file written for another version or another
            // program (txindex, zmqpub*) must not stop the node.
            if (strict) m_warnings.push_back("Ignoring unknown configuration value " + key);
            continue;
        }
        if (key == INCLUDECONF && included) {
            m_warnings.push_back("-includeconf cannot be used from included files; ignoring -includeconf=" + value);
            continue;
        }
        if (key == "conf" || key == "datadir") {
            if (!strict) continue;
            return Error{"-" + key + " cannot be set in the configuration file"};
        }
        std::string stored = value;
        if (negated) {
            if (!value.empty() && !InterpretBool(value)) {
                negated = false;
                stored = "1";
            } else {
                stored = "0";
            }
        }
        m_config[key_section][key].push_back({stored, negated});
        if (end == text.size()) break;
    }
    return {};
}

namespace {

/** Why a bounded read failed. */
enum class ReadFailure { UNREADABLE, TOO_LARGE };

/** Reads at most `limit` bytes of `path`; TOO_LARGE if it holds more (read
 *  with a bound rather than trusting a size taken before opening it). */
Result<std::string, ReadFailure> ReadBoundedFile(const std::filesystem::path& path, size_t limit)
{
    std::ifstream file{path, std::ios::binary};
    if (!file) return ReadFailure::UNREADABLE;
    std::string text(limit + 1, '\0');
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (file.bad()) return ReadFailure::UNREADABLE;
    text.resize(static_cast<size_t>(file.gcount()));
    if (text.size() > limit) return ReadFailure::TOO_LARGE;
    return text;
}

}  // namespace

Result<void> Settings::ReadConfigFile(const std::filesystem::path& path, bool strict, bool must_exist)
{
    return ReadOneConfigFile(path, strict, must_exist, /*included=*/false);
}

Result<void> Settings::ReadOneConfigFile(const std::filesystem::path& path, bool strict, bool must_exist,
                                         bool included)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        if (must_exist) {
            if (included) return Error{"Failed to include configuration file " + path.string()};
            return Error{"Specified config file \"" + path.string() + "\" could not be opened."};
        }
        return {};
    }
    auto text = ReadBoundedFile(path, MAX_CONFIG_FILE_SIZE);
    if (!text) {
        if (text.error() == ReadFailure::TOO_LARGE) {
            return Error{"Configuration file \"" + path.string() + "\" is too large (more than " +
                         std::to_string(MAX_CONFIG_FILE_SIZE) + " bytes)"};
        }
        if (included) return Error{"Failed to include configuration file " + path.string()};
        return Error{"Specified config file \"" + path.string() + "\" could not be opened."};
    }
    auto result = ReadConfigText(*text, strict, included);
    if (!result) {
        return Error{"Error reading configuration file" + (included ? " " + path.string() : std::string{}) + ": " +
                     result.error_message()};
    }
    return {};
}

Result<void> Settings::ReadConfigFiles(const std::filesystem::path& path, const std::filesystem::path& datadir,
                                       bool strict, bool must_exist)
{
    if (const auto cli = m_command_line.find(INCLUDECONF); cli != m_command_line.end() && !cli->second.empty()) {
        return Error{"-includeconf cannot be used from commandline; -includeconf=" + cli->second.front().text};
    }
    if (auto read = ReadOneConfigFile(path, strict, must_exist, /*included=*/false); !read) return read;
    // The includes of the top level and of the chosen network's section, as
    // Core reads them; they cannot include further (a depth of one).
    auto network = ChosenNetwork();
    if (!network) return network.error();
    const std::string previous = m_network;
    m_network = *network;
    const std::vector<std::string> includes = GetArgs(INCLUDECONF);
    m_network = previous;
    if (includes.size() > MAX_INCLUDED_CONFIG_FILES) {
        return Error{"Too many -includeconf files: " + std::to_string(includes.size()) + " (at most " +
                     std::to_string(MAX_INCLUDED_CONFIG_FILES) + ")"};
    }
    for (const auto& include : includes) {
        const std::filesystem::path include_path{include};
        const auto absolute = include_path.is_absolute() ? include_path : datadir / include_path;
        if (auto read = ReadOneConfigFile(absolute, strict, /*must_exist=*/true, /*included=*/true); !read) {
            return read;
        }
    }
    return {};
}

void Settings::SelectNetwork(std::string_view section) { m_network = std::string{section}; }

Result<std::string> Settings::ChosenNetwork() const
{
    // Only the command line and the top level can choose the network.
    const auto chosen = [&](std::string_view name) {
        const auto cli = m_command_line.find(name);
        if (cli != m_command_line.end() && !cli->second.empty()) {
            const auto& value = cli->second.back();
            return !value.negated && InterpretBool(value.text);
        }
        if (const auto top = m_config.find(""); top != m_config.end()) {
            if (const auto it = top->second.find(name); it != top->second.end() && !it->second.empty()) {
                const auto& value = it->second.back();
                return !value.negated && InterpretBool(value.text);
            }
        }
        return false;
    };
    const bool regtest = chosen("regtest");
    const bool testnet = chosen("testnet");
    // -chain=<name>, the same choice by name (Core: main, test, regtest).
    // Empty: not given, or negated (-nochain: no choice by name).
    std::string chain;
    if (const auto cli = m_command_line.find(CHAIN); cli != m_command_line.end() && !cli->second.empty()) {
        if (!cli->second.back().negated) chain = cli->second.back().text;
    } else if (const auto top = m_config.find(""); top != m_config.end()) {
        if (const auto it = top->second.find(CHAIN); it != top->second.end() && !it->second.empty()) {
            if (!it->second.back().negated) chain = it->second.back().text;
        }
    }
    if (static_cast<int>(regtest) + static_cast<int>(testnet) + static_cast<int>(!chain.empty()) > 1) {
        return Error{"Invalid combination of -regtest, -testnet and -chain. Can use at most one."};
    }
    if (!chain.empty()) {
        if (chain == SECTION_MAIN || chain == SECTION_TEST || chain == SECTION_REGTEST) return chain;
        return Error{"Invalid -chain value '" + chain + "': use main, test or regtest"};
    }
    if (regtest) return std::string{SECTION_REGTEST};
    if (testnet) return std::string{SECTION_TEST};
    return std::string{SECTION_MAIN};
}

std::vector<const std::vector<Settings::Value>*> Settings::Layers(std::string_view name) const
{
    std::vector<const std::vector<Value>*> layers;
    if (const auto it = m_command_line.find(name); it != m_command_line.end()) layers.push_back(&it->second);
    const std::string network = m_network.empty() ? std::string{SECTION_MAIN} : m_network;
    if (const auto section = m_config.find(network); section != m_config.end()) {
        if (const auto it = section->second.find(name); it != section->second.end()) layers.push_back(&it->second);
    }
    const OptionSpec* spec = Find(name);
    const bool top_applies = spec == nullptr || !spec->network_only || network == SECTION_MAIN;
    if (top_applies) {
        if (const auto top = m_config.find(""); top != m_config.end()) {
            if (const auto it = top->second.find(name); it != top->second.end()) layers.push_back(&it->second);
        }
    }
    return layers;
}

std::optional<Settings::Value> Settings::Effective(std::string_view name) const
{
    for (const auto* layer : Layers(name)) {
        if (!layer->empty()) return layer->back();
    }
    return std::nullopt;
}

bool Settings::IsSet(std::string_view name) const { return Effective(name).has_value(); }

bool Settings::IsNegated(std::string_view name) const
{
    const auto value = Effective(name);
    return value && value->negated;
}

std::string Settings::GetArg(std::string_view name, std::string_view fallback) const
{
    const auto value = Effective(name);
    return value ? value->text : std::string{fallback};
}

bool Settings::GetBoolArg(std::string_view name, bool fallback) const
{
    const auto value = Effective(name);
    if (!value) return fallback;
    return !value->negated && InterpretBool(value->text);
}

Result<int64_t> Settings::GetIntArg(std::string_view name, int64_t fallback) const
{
    const auto value = Effective(name);
    if (!value) return fallback;
    if (value->negated) return int64_t{0};
    const auto parsed = ParseInt64(value->text, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
    if (!parsed) return Error{"Invalid value for -" + std::string{name} + ": '" + value->text + "'"};
    return *parsed;
}

Result<int64_t> Settings::GetIntArgInRange(std::string_view name, int64_t fallback, int64_t min, int64_t max) const
{
    auto value = GetIntArg(name, fallback);
    if (!value) return value.error();
    if (*value < min || *value > max) {
        return Error{"Invalid value for -" + std::string{name} + ": must be between " + std::to_string(min) +
                     " and " + std::to_string(max)};
    }
    return value;
}

std::vector<std::string> Settings::GetArgs(std::string_view name) const
{
    const auto cli = m_command_line.find(name);
    const std::vector<Value>* cli_layer = cli == m_command_line.end() ? nullptr : &cli->second;
    std::vector<std::string> out;
    for (const auto* layer : Layers(name)) {
        // Lists merge across layers; a negation on the command line also
        // drops everything the file says.
        bool drop_rest{false};
        std::vector<std::string> values;
        for (const auto& value : *layer) {
            if (value.negated) {
                values.clear();
                if (layer == cli_layer) drop_rest = true;
                continue;
            }
            values.push_back(value.text);
        }
        out.insert(out.end(), values.begin(), values.end());
        if (drop_rest) break;
    }
    return out;
}

std::string FormatOptionsHelp(std::span<const OptionSpec> specs, bool show_debug)
{
    std::string out;
    std::vector<std::string_view> categories;
    for (const auto& spec : specs) {
        if (std::find(categories.begin(), categories.end(), spec.category) == categories.end()) {
            categories.push_back(spec.category);
        }
    }
    for (const auto category : categories) {
        std::string block;
        for (const auto& spec : specs) {
            if (spec.category != category || spec.hidden || (spec.debug_only && !show_debug)) continue;
            block += "  -" + std::string{spec.name};
            if (!spec.value_name.empty()) block += "=<" + std::string{spec.value_name} + ">";
            block += "\n";
            block += WrapHelp(spec.help) + "\n";
        }
        if (!block.empty()) out += std::string{category} + ":\n\n" + block;
    }
    return out;
}

std::filesystem::path NetworkDataDir(const std::filesystem::path& base, std::string_view network)
{
    if (network == SECTION_TEST) return base / "testnet";
    if (network == SECTION_REGTEST) return base / "regtest";
    return base;
}

std::filesystem::path DefaultDataDir()
{
    const char* home = std::getenv("HOME");
    const std::filesystem::path base = (home != nullptr && *home != '\0') ? home : "/";
    return base / ".hpips";
}

}  // namespace hpips
