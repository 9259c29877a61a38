// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_SERVER_H
#define HPIPS_RPC_SERVER_H

#include <rpc/protocol.h>
#include <util/result.h>
#include <util/threadsafety.h>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

/** The RPC dispatch table: every method declares its name, help text, typed
 *  arguments and result in one place (one table per source file, registered
 *  with RPCTable::Register), and RPCTable::Execute checks arguments for all of
 *  them the same way, so handlers only ever see well-typed parameters. */
namespace hpips {

/** An RPC failure with a JSON-RPC error code. Handlers and the argument
 *  helpers (rpc/util.h) throw it; the dispatcher turns it into an error
 *  object. It never leaves src/rpc: ExecuteJSONRPCBody catches everything. */
class RPCError : public std::runtime_error {
public:
    RPCError(RPCErrorCode code, const std::string& message) : std::runtime_error{message}, m_code{code} {}
    RPCErrorCode Code() const { return m_code; }

private:
    RPCErrorCode m_code;
};

/** The JSON type an argument must have. NUMBER accepts any JSON number;
 *  AMOUNT accepts a number or a string (checked by AmountFromValue); ANY is
 *  not checked. */
enum class RPCArgType { STRING, NUMBER, BOOL, OBJECT, ARRAY, AMOUNT, ANY };

/** One declared argument. A missing argument and an explicit null mean the
 *  same thing: "use the default". */
struct RPCArg {
    std::string name;
    RPCArgType type{RPCArgType::STRING};
    /** Optional arguments may be left out or null; required ones may not. */
    bool optional{false};
    /** For help only: the default as the user sees it ("false", "all commands"). */
    std::string default_text;
    std::string description;
};

/** What a handler sees: the method name and positional parameters after
 *  named parameters were mapped onto the declared argument list (so
 *  params.size() <= args.size(); a missing trailing argument is simply
 *  absent), plus who asked and on which endpoint. */
struct RPCRequest {
    std::string method;
    boost::json::array params;
    /** The wallet named in the URI (/wallet/<name>), if any. */
    std::optional<std::string> wallet;
    /** The authenticated user name. */
    std::string user;
};

/** A method's implementation. Throws RPCError for errors. */
using RPCHandler = std::function<boost::json::value(const RPCRequest&)>;

/** A method's declaration: everything help and argument checking need. */
struct RPCMethod {
    /** Help groups methods by category; "hidden" methods are left out of the
     *  list (but help <method> still describes them). */
    std::string category;
    std::string name;
    std::string description;
    std::vector<RPCArg> args;
    /** The result as help shows it, e.g. "n    (numeric) Seconds since start". */
    std::string result;
    /** Full example lines (see HelpExampleCli / HelpExampleRpc in rpc/util.h). */
    std::string examples;
    RPCHandler handler;
    /** Allowed while the node is still warming up (help, stop, uptime...). */
    bool allowed_in_warmup{false};
};

/** One method being executed, for getrpcinfo. */
struct ActiveCommand {
    std::string method;
    std::chrono::microseconds duration{0};
};

/** Thread-safe dispatch table. Methods may be registered at any time (the
 *  chain registers its own once loaded); Execute may run concurrently on
 *  any number of RPC worker threads. */
class RPCTable {
public:
    /** Adds a method. Fails if the name is taken or empty, or if a required
     *  argument follows an optional one. */
    Result<void> Register(RPCMethod method);

    /** Runs `method` with `params` (array: positional; object: named;
     *  null: none). Throws RPCError: METHOD_NOT_FOUND "Method not found";
     *  IN_WARMUP with the warmup status; INVALID_PARAMETER for an unknown or
     *  twice-given named parameter; MISC_ERROR with the method's help when
     *  the argument count is wrong; TYPE_ERROR "Wrong type passed: ..." with
     *  Core's per-argument wording ("JSON value of type string is not of
     *  expected type number"); whatever the handler throws (a std::exception
     *  other than RPCError becomes MISC_ERROR with its text).
     *  `params` is taken by value: callers done with it move it in, so a large
     *  parameter is not copied. */
    boost::json::value Execute(const std::string& method, boost::json::value params, const RPCRequest& context) const;

    /** `help` text: with an empty name, the list of methods by category;
     *  otherwise that method's full help, or "help: unknown command: <name>". */
    std::string Help(std::string_view name) const;

    /** True if a method of this name is registered. */
    bool Has(std::string_view name) const;

    /** Every registered method's name, hidden ones included, in name order
     *  (for tests and fuzzing, which call each of them). */
    std::vector<std::string> MethodNames() const;

    /** While set, methods not allowed_in_warmup fail with IN_WARMUP and this status. */
    void SetWarmup(std::string status);
    /** Ends the warmup. */
    void SetWarmupFinished();

    /** Methods being executed right now, with how long they have run. */
    std::vector<ActiveCommand> ActiveCommands() const;

private:
    std::shared_ptr<const RPCMethod> Find(std::string_view name) const;

    mutable SharedMutex m_mutex;
    std::map<std::string, std::shared_ptr<const RPCMethod>, std::less<>> m_methods GUARDED_BY(m_mutex);
    std::optional<std::string> m_warmup GUARDED_BY(m_mutex);

    struct Running {
        std::string method;
        std::chrono::steady_clock::time_point start;
    };
    mutable Mutex m_active_mutex;
    mutable std::map<uint64_t, Running> m_active GUARDED_BY(m_active_mutex);
    mutable uint64_t m_next_active_id GUARDED_BY(m_active_mutex){0};
};

/** The full help of one method: usage line, description, arguments, result
 *  and examples, in Bitcoin Core's layout. */
std::string MethodHelp(const RPCMethod& method);

/** The usage line: name, then "required" / ( optional ) arguments. */
std::string MethodUsage(const RPCMethod& method);

}  // namespace hpips

#endif  // HPIPS_RPC_SERVER_H
