// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_CLIENT_H
#define HPIPS_RPC_CLIENT_H

#include <util/result.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

/** hpips-cli's argument conversion, as bitcoin-cli's: command-line arguments
 *  are strings, except the parameters listed in one table (method, position,
 *  name) which are parsed as JSON (numbers, booleans, objects, arrays).
 *  Methods not in the table get every argument as a string. Chain, mempool
 *  and wallet methods add their rows to the table in client.cpp. */
namespace hpips {

/** Converts positional arguments for `method`. Fails with "Error parsing
 *  JSON: <arg>" when a JSON parameter is not valid JSON. */
Result<boost::json::array> RPCConvertValues(std::string_view method, const std::vector<std::string>& args);

/** Converts -named arguments ("name=value") for `method` into a params
 *  object; arguments without '=' are positional and go, in order, into the
 *  "args" member (as Core does). A name given twice keeps the last value. */
Result<boost::json::object> RPCConvertNamedValues(std::string_view method, const std::vector<std::string>& args);

/** True if parameter `index` of `method` is JSON rather than a string. */
bool IsJsonParam(std::string_view method, int index);
/** True if the parameter named `name` of `method` is JSON rather than a string. */
bool IsJsonParam(std::string_view method, std::string_view name);

}  // namespace hpips

#endif  // HPIPS_RPC_CLIENT_H
