// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/control.h>

#include <rpc/json.h>
#include <rpc/util.h>
#include <util/logging.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;

/** echo and echojson take up to ten arguments of any type. */
std::vector<RPCArg> EchoArgs()
{
    std::vector<RPCArg> args;
    for (int i{0}; i < 10; ++i) {
        args.push_back({"arg" + std::to_string(i), RPCArgType::ANY, true, "", ""});
    }
    return args;
}

/** Every single logging category (not "all"), in bit order. */
std::vector<LogCategory> SingleLogCategories()
{
    std::vector<LogCategory> out;
    for (unsigned bit{0}; bit < 32; ++bit) {
        const auto category = static_cast<LogCategory>(uint32_t{1} << bit);
        if (!LogCategoryName(category).empty()) out.push_back(category);
    }
    return out;
}

/** Applies logging's include or exclude list: names as -debug= takes them,
 *  "all"/"1" for every category, "none"/"0" for none; INVALID_PARAMETER
 *  "unknown logging category <name>" otherwise (as Core). */
void ToggleLogCategories(const json::value& list, bool enable)
{
    if (!list.is_array()) throw RPCError{RPCErrorCode::TYPE_ERROR, "Expected type array"};
    // Parse everything first, so that a bad name changes nothing.
    std::vector<LogCategory> categories;
    for (const json::value& name : list.get_array()) {
        if (!name.is_string()) throw RPCError{RPCErrorCode::TYPE_ERROR, "Expected type string"};
        const std::string_view text{name.get_string()};
        if (text == "none" || text == "0") continue;
        const auto category = ParseLogCategory(text);
        if (!category) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "unknown logging category " + TruncateForMessage(text)};
        }
        categories.push_back(*category);
    }
    for (const LogCategory category : categories) {
        if (enable) {
            GetLogger().EnableCategory(category);
        } else {
            GetLogger().DisableCategory(category);
        }
    }
}

/** glibc's malloc_info XML (getmemoryinfo "mallocinfo"), or nullopt when it
 *  cannot be produced. */
std::optional<std::string> MallocInfoXml()
{
    char* buffer{nullptr};
    size_t size{0};
    FILE* stream = open_memstream(&buffer, &size);
    if (stream == nullptr) return std::nullopt;
    const int rc = malloc_info(0, stream);
    std::fclose(stream);
    std::optional<std::string> out;
    if (rc == 0 && buffer != nullptr) out = std::string{buffer, size};
    std::free(buffer);
    return out;
}

}  // namespace

Result<void> RegisterControlRPCCommands(RPCTable& table, ControlContext context)
{
    const auto shared = std::make_shared<const ControlContext>(std::move(context));
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "control",
        .name = "help",
        .description = "List all commands, or get help for a specified command.",
        .args = {{"command", RPCArgType::STRING, true, "all commands", "The command to get help on"}},
        .result = "\"text\"    (string) The help text",
        .examples = HelpExampleCli("help", "") + HelpExampleCli("help", "\"uptime\""),
        .handler = [&table](const RPCRequest& request) -> json::value {
            return json::value(table.Help(OptionalParamString(request, 0).value_or("")));
        },
        .allowed_in_warmup = true,
    });

    methods.push_back({
        .category = "control",
        .name = "stop",
        .description = "Request a graceful shutdown of HPIPS.",
        .args = {},
        .result = "\"str\"    (string) A string with the content 'HPIPS server stopping'",
        .examples = HelpExampleCli("stop", ""),
        .handler = [shared](const RPCRequest&) -> json::value {
            shared->request_shutdown();
            return json::value("HPIPS server stopping");
        },
        .allowed_in_warmup = true,
    });

    methods.push_back({
        .category = "control",
        .name = "uptime",
        .description = "Returns the total uptime of the server.",
        .args = {},
        .result = "n    (numeric) The number of seconds that the server has been running",
        .examples = HelpExampleCli("uptime", "") + HelpExampleRpc("uptime", ""),
        .handler = [shared](const RPCRequest&) -> json::value {
            const auto elapsed = std::chrono::steady_clock::now() - shared->start_time;
            return json::value(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count());
        },
        .allowed_in_warmup = true,
    });

    methods.push_back({
        .category = "control",
        .name = "getrpcinfo",
        .description = "Returns details of the RPC server.",
        .args = {},
        .result = "{\n"
                  "  \"active_commands\" : [    (json array) All active commands\n"
                  "    {\n"
                  "      \"method\" : \"str\",    (string) The name of the RPC command\n"
                  "      \"duration\" : n       (numeric) The running time in microseconds\n"
                  "    },\n"
                  "    ...\n"
                  "  ],\n"
                  "  \"logpath\" : \"str\"      (string) The complete file path to the debug log\n"
                  "}",
        .examples = HelpExampleCli("getrpcinfo", "") + HelpExampleRpc("getrpcinfo", ""),
        .handler = [&table, shared](const RPCRequest&) -> json::value {
            json::array active;
            for (const auto& command : table.ActiveCommands()) {
                json::object entry;
                entry["method"] = command.method;
                entry["duration"] = command.duration.count();
                active.push_back(std::move(entry));
            }
            json::object result;
            result["active_commands"] = std::move(active);
            result["logpath"] = shared->log_path.string();
            return result;
        },
        .allowed_in_warmup = true,
    });

    for (const std::string name : {"echo", "echojson"}) {
        methods.push_back({
            .category = "hidden",
            .name = name,
            .description = "Simply echo back the input arguments. This command is for testing.\n\n"
                           "It will return an internal bug report when arg9='trigger_internal_bug' is passed.\n\n"
                           "The difference between echo and echojson is that echojson has argument conversion "
                           "enabled in the client-side table in hpips-cli and the GUI. There is no server-side "
                           "difference.",
            .args = EchoArgs(),
            .result = "any    (any) The arguments, as an array",
            .examples = "",
            .handler = [](const RPCRequest& request) -> json::value {
                if (request.params.size() > 9 && IsJsonString(request.params[9]) &&
                    request.params[9].get_string() == "trigger_internal_bug") {
                    throw RPCError{RPCErrorCode::INTERNAL_ERROR, "Internal bug detected: echo was asked to fail"};
                }
                return request.params;
            },
            .allowed_in_warmup = true,
        });
    }

    methods.push_back({
        .category = "hidden",
        .name = "setmocktime",
        .description = "Set the local time to given timestamp (-regtest only)",
        .args = {{"timestamp", RPCArgType::NUMBER, false, "",
                  "UNIX seconds-since-epoch timestamp\nPass 0 to go back to using the system time."}},
        .result = "null    (json null)",
        .examples = "",
        .handler = [shared](const RPCRequest& request) -> json::value {
            if (!shared->mockable_chain) {
                throw RPCError{RPCErrorCode::MISC_ERROR, "setmocktime is for regression testing (-regtest mode) only"};
            }
            const int64_t time = ParamInt64(request, 0);
            if (time < 0 || time > NodeClock::MAX_MOCK_TIME) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "Mocktime must be in the range [0, " + std::to_string(NodeClock::MAX_MOCK_TIME) +
                                   "], not " + std::to_string(time) + "."};
            }
            shared->clock->SetMockTime(time);
            return nullptr;
        },
        .allowed_in_warmup = false,
    });

    methods.push_back({
        .category = "control",
        .name = "getmemoryinfo",
        .description = "Returns an object containing information about memory usage.",
        .args = {{"mode", RPCArgType::STRING, true, "\"stats\"",
                  "determines what kind of information is returned.\n"
                  "  - \"stats\" returns general statistics about memory usage in the daemon.\n"
                  "  - \"mallocinfo\" returns an XML string describing low-level heap state (only available if "
                  "compiled with glibc)."}},
        .result = "{                         (json object) mode \"stats\"\n"
                  "  \"locked\" : {            (json object) Information about locked memory manager\n"
                  "    \"used\" : n,           (numeric) Number of bytes used\n"
                  "    \"free\" : n,           (numeric) Number of bytes available in current arenas\n"
                  "    \"total\" : n,          (numeric) Total number of bytes managed\n"
                  "    \"locked\" : n,         (numeric) Amount of bytes that succeeded locking\n"
                  "    \"chunks_used\" : n,    (numeric) Number allocated chunks\n"
                  "    \"chunks_free\" : n     (numeric) Number unused chunks\n"
                  "  }\n"
                  "}\n"
                  "HPIPS has no locked-memory pool: every figure is 0 (doc/rpc.md).\n"
                  "\"str\"    (string) mode \"mallocinfo\": an XML string",
        .examples = HelpExampleCli("getmemoryinfo", "") + HelpExampleRpc("getmemoryinfo", ""),
        .handler = [](const RPCRequest& request) -> json::value {
            const std::string mode = OptionalParamString(request, 0).value_or("stats");
            if (mode == "stats") {
                json::object locked;
                for (const char* field : {"used", "free", "total", "locked", "chunks_used", "chunks_free"}) {
                    locked[field] = 0;
                }
                json::object out;
                out["locked"] = std::move(locked);
                return out;
            }
            if (mode == "mallocinfo") {
                auto xml = MallocInfoXml();
                if (!xml) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "mallocinfo mode not available"};
                return json::value(std::move(*xml));
            }
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "unknown mode " + TruncateForMessage(mode)};
        },
        .allowed_in_warmup = true,
    });

    methods.push_back({
        .category = "control",
        .name = "logging",
        .description = "Gets and sets the logging configuration.\n"
                       "When called without an argument, returns the list of categories with status that are "
                       "currently being debug logged or not.\n"
                       "When called with arguments, adds or removes categories from debug logging and return the "
                       "lists above.\n"
                       "The arguments are evaluated in order \"include\", \"exclude\".\n"
                       "If an item is both included and excluded, it will thus end up being excluded.\n"
                       "In addition, the following are available as category names with special meanings:\n"
                       "  - \"all\",  \"1\" : represent all logging categories.\n"
                       "  - \"none\", \"0\" : even if other logging categories are specified, ignore all of them.",
        .args = {{"include", RPCArgType::ARRAY, true, "[]", "The categories to add to debug logging"},
                 {"exclude", RPCArgType::ARRAY, true, "[]", "The categories to remove from debug logging"}},
        .result = "{                   (json object) keys are the logging categories, and values indicates its "
                  "status\n"
                  "  \"category\" : true|false,  (boolean) if being debug logged or not. false:inactive, "
                  "true:active\n"
                  "  ...\n"
                  "}",
        .examples = HelpExampleCli("logging", "\"[\\\"all\\\"]\" \"[\\\"net\\\"]\"") +
                    HelpExampleRpc("logging", "[\"all\"], [\"net\"]"),
        .handler = [](const RPCRequest& request) -> json::value {
            if (const json::value* include = OptionalParam(request, 0)) ToggleLogCategories(*include, true);
            if (const json::value* exclude = OptionalParam(request, 1)) ToggleLogCategories(*exclude, false);
            json::object out;
            for (const LogCategory category : SingleLogCategories()) {
                out[LogCategoryName(category)] = GetLogger().Enabled(category);
            }
            return out;
        },
        .allowed_in_warmup = true,
    });

    for (auto& method : methods) {
        if (auto result = table.Register(std::move(method)); !result) return result;
    }
    return {};
}

}  // namespace hpips
