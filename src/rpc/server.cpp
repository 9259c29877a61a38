// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/server.h>

#include <rpc/json.h>

#include <boost/json/object.hpp>

#include <algorithm>
#include <cctype>
#include <new>

namespace hpips {
namespace {

namespace json = boost::json;

/** The UniValue type name an argument type requires, or nullopt if any
 *  type passes the dispatcher's check (AMOUNT is checked by AmountFromValue). */
std::optional<std::string_view> ExpectedTypeName(RPCArgType type)
{
    switch (type) {
    case RPCArgType::STRING: return "string";
    case RPCArgType::NUMBER: return "number";
    case RPCArgType::BOOL: return "bool";
    case RPCArgType::OBJECT: return "object";
    case RPCArgType::ARRAY: return "array";
    case RPCArgType::AMOUNT:
    case RPCArgType::ANY: return std::nullopt;
    }
    return std::nullopt;
}

/** How help describes a type, as Core's help does. */
std::string_view HelpTypeName(RPCArgType type)
{
    switch (type) {
    case RPCArgType::STRING: return "string";
    case RPCArgType::NUMBER: return "numeric";
    case RPCArgType::BOOL: return "boolean";
    case RPCArgType::OBJECT: return "json object";
    case RPCArgType::ARRAY: return "json array";
    case RPCArgType::AMOUNT: return "numeric or string";
    case RPCArgType::ANY: return "any";
    }
    return "any";
}

std::string UsageArg(const RPCArg& arg)
{
    switch (arg.type) {
    case RPCArgType::STRING: return "\"" + arg.name + "\"";
    case RPCArgType::OBJECT: return "{...}";
    case RPCArgType::ARRAY: return "[...]";
    default: return arg.name;
    }
}

size_t RequiredCount(const RPCMethod& method)
{
    size_t required{0};
    for (size_t i{0}; i < method.args.size(); ++i) {
        if (!method.args[i].optional) required = i + 1;
    }
    return required;
}

/** Maps named parameters onto the declared positions, like Core: an "args"
 *  array gives leading positional values; a position neither named nor given
 *  becomes null; trailing unspecified positions are dropped. */
json::array NamedToPositional(const RPCMethod& method, const json::object& named)
{
    for (const auto& member : named) {
        const std::string_view key{member.key()};
        if (key == "args") continue;
        const bool known = std::any_of(method.args.begin(), method.args.end(),
                                       [&](const RPCArg& arg) { return arg.name == key; });
        if (!known) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Unknown named parameter " + std::string{key}};
    }
    json::array positional;
    if (const auto* args = named.if_contains("args")) {
        if (!args->is_array()) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Parameter args must be an array"};
        positional = args->get_array();
    }
    for (size_t i{0}; i < method.args.size(); ++i) {
        const json::value* value = named.if_contains(method.args[i].name);
        if (value == nullptr) continue;
        if (i < positional.size()) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                           "Parameter " + method.args[i].name +
                               " specified twice both as positional and named argument"};
        }
        positional.resize(i + 1);
        positional[i] = *value;
    }
    return positional;
}

void CheckArguments(const RPCMethod& method, const json::array& params)
{
    if (params.size() < RequiredCount(method) || params.size() > method.args.size()) {
        throw RPCError{RPCErrorCode::MISC_ERROR, MethodHelp(method)};
    }
    json::object mismatches;
    for (size_t i{0}; i < method.args.size(); ++i) {
        const RPCArg& arg = method.args[i];
        const json::value null_value;
        const json::value& value = i < params.size() ? params[i] : null_value;
        if (arg.optional && value.is_null()) continue;
        const auto expected = ExpectedTypeName(arg.type);
        if (!expected) continue;
        const std::string_view actual = JsonTypeName(value);
        if (actual == *expected) continue;
        mismatches["Position " + std::to_string(i + 1) + " (" + arg.name + ")"] = "JSON value of type " + std::string{actual} + " is not of expected type " +
                                      std::string{*expected};
    }
    if (!mismatches.empty()) {
        throw RPCError{RPCErrorCode::TYPE_ERROR, "Wrong type passed:\n" + WriteJson(mismatches, 4)};
    }
}

}  // namespace

Result<void> RPCTable::Register(RPCMethod method)
{
    if (method.name.empty()) return Error{"an RPC method needs a name"};
    if (!method.handler) return Error{"RPC method " + method.name + " has no handler"};
    bool seen_optional{false};
    for (const auto& arg : method.args) {
        if (arg.optional) seen_optional = true;
        if (!arg.optional && seen_optional) {
            return Error{"RPC method " + method.name + ": required argument " + arg.name + " follows an optional one"};
        }
        if (arg.name.empty() || arg.name == "args") return Error{"RPC method " + method.name + ": bad argument name"};
    }
    ExclusiveLock lock{m_mutex};
    if (m_methods.contains(method.name)) return Error{"RPC method " + method.name + " is already registered"};
    auto name = method.name;
    m_methods.emplace(std::move(name), std::make_shared<const RPCMethod>(std::move(method)));
    return {};
}

std::shared_ptr<const RPCMethod> RPCTable::Find(std::string_view name) const
{
    SharedLock lock{m_mutex};
    const auto it = m_methods.find(name);
    if (it == m_methods.end()) return nullptr;
    return it->second;
}

bool RPCTable::Has(std::string_view name) const { return Find(name) != nullptr; }

std::vector<std::string> RPCTable::MethodNames() const
{
    SharedLock lock{m_mutex};
    std::vector<std::string> names;
    names.reserve(m_methods.size());
    for (const auto& [name, _] : m_methods) names.push_back(name);
    return names;
}

json::value RPCTable::Execute(const std::string& name, json::value params, const RPCRequest& context) const
{
    const auto method = Find(name);
    if (!method) {
        // Methods that need the chain are registered only once it is loaded:
        // until then an unknown name may be one of them, so answer "warming
        // up" (as Core answers every call) and -rpcwait clients retry.
        SharedLock lock{m_mutex};
        if (m_warmup) throw RPCError{RPCErrorCode::IN_WARMUP, *m_warmup};
        throw RPCError{RPCErrorCode::METHOD_NOT_FOUND, "Method not found"};
    }
    if (!method->allowed_in_warmup) {
        SharedLock lock{m_mutex};
        if (m_warmup) throw RPCError{RPCErrorCode::IN_WARMUP, *m_warmup};
    }

    if (!params.is_array() && !params.is_object() && !params.is_null()) {
        throw RPCError{RPCErrorCode::INVALID_REQUEST, "Params must be an array or object"};
    }
    // Constructed, not assigned, so that the positional array keeps the
    // storage the caller parsed it into (assignment would copy it).
    json::array positional = params.is_array()    ? json::array(std::move(params.get_array()))
                             : params.is_object() ? NamedToPositional(*method, params.get_object())
                                                  : json::array(params.storage());
    const RPCRequest request{
        .method = name, .params = std::move(positional), .wallet = context.wallet, .user = context.user};
    CheckArguments(*method, request.params);

    uint64_t id{0};
    {
        LockGuard lock{m_active_mutex};
        id = m_next_active_id++;
        m_active.emplace(id, Running{name, std::chrono::steady_clock::now()});
    }
    struct Unregister {
        const RPCTable& table;
        uint64_t id;
        ~Unregister()
        {
            LockGuard lock{table.m_active_mutex};
            table.m_active.erase(id);
        }
    } unregister{*this, id};

    try {
        return method->handler(request);
    } catch (const RPCError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw RPCError{RPCErrorCode::OUT_OF_MEMORY, "Out of memory"};
    } catch (const std::exception& e) {
        throw RPCError{RPCErrorCode::MISC_ERROR, e.what()};
    }
}

std::string RPCTable::Help(std::string_view name) const
{
    if (!name.empty()) {
        const auto method = Find(name);
        if (!method) return "help: unknown command: " + std::string{name};
        return MethodHelp(*method);
    }
    std::vector<std::shared_ptr<const RPCMethod>> methods;
    {
        SharedLock lock{m_mutex};
        for (const auto& [_, method] : m_methods) {
            if (method->category != "hidden") methods.push_back(method);
        }
    }
    std::stable_sort(methods.begin(), methods.end(),
                     [](const auto& a, const auto& b) { return a->category < b->category; });
    std::string out;
    std::string category;
    for (const auto& method : methods) {
        if (method->category != category || out.empty()) {
            if (!out.empty()) out += '\n';
            category = method->category;
            std::string title = category;
            if (!title.empty()) title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
            out += "== " + title + " ==\n";
        }
        out += MethodUsage(*method) + "\n";
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

void RPCTable::SetWarmup(std::string status)
{
    ExclusiveLock lock{m_mutex};
    m_warmup = std::move(status);
}

void RPCTable::SetWarmupFinished()
{
    ExclusiveLock lock{m_mutex};
    m_warmup.reset();
}

std::vector<ActiveCommand> RPCTable::ActiveCommands() const
{
    const auto now = std::chrono::steady_clock::now();
    std::vector<ActiveCommand> out;
    LockGuard lock{m_active_mutex};
    for (const auto& [_, running] : m_active) {
        out.push_back({running.method, std::chrono::duration_cast<std::chrono::microseconds>(now - running.start)});
    }
    return out;
}

std::string MethodUsage(const RPCMethod& method)
{
    std::string out = method.name;
    bool in_optional{false};
    for (const auto& arg : method.args) {
        if (arg.optional && !in_optional) {
            out += " (";
            in_optional = true;
        }
        out += " " + UsageArg(arg);
    }
    if (in_optional) out += " )";
    return out;
}

std::string MethodHelp(const RPCMethod& method)
{
    std::string out = MethodUsage(method) + "\n\n" + method.description + "\n";
    if (!method.args.empty()) {
        out += "\nArguments:\n";
        for (size_t i{0}; i < method.args.size(); ++i) {
            const RPCArg& arg = method.args[i];
            out += std::to_string(i + 1) + ". " + arg.name + "    (" + std::string{HelpTypeName(arg.type)} + ", ";
            if (arg.optional) {
                out += arg.default_text.empty() ? "optional" : "optional, default=" + arg.default_text;
            } else {
                out += "required";
            }
            out += ") " + arg.description + "\n";
        }
    }
    out += "\nResult:\n" + (method.result.empty() ? std::string{"null    (json null)"} : method.result) + "\n";
    if (!method.examples.empty()) out += "\nExamples:\n" + method.examples;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace hpips
