// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/zmq.h>

#include <rpc/util.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <memory>

namespace hpips {

Result<void> RegisterZMQRPCCommands(RPCTable& table, std::vector<ZMQNotificationInfo> notifications)
{
    namespace json = boost::json;
    const auto shared = std::make_shared<const std::vector<ZMQNotificationInfo>>(std::move(notifications));
    return table.Register({
        .category = "zmq",
        .name = "getzmqnotifications",
        .description = "Returns information about the active ZeroMQ notifications.",
        .args = {},
        .result = "[                          (json array)\n"
                  "  {                        (json object)\n"
                  "    \"type\" : \"str\",        (string) Type of notification\n"
                  "    \"address\" : \"str\",     (string) Address of the publisher\n"
                  "    \"hwm\" : n              (numeric) Outbound message high water mark\n"
                  "  },\n"
                  "  ...\n"
                  "]",
        .examples = HelpExampleCli("getzmqnotifications", "") + HelpExampleRpc("getzmqnotifications", ""),
        .handler = [shared](const RPCRequest&) -> json::value {
            json::array out;
            for (const auto& notification : *shared) {
                out.push_back(json::object{{"type", notification.type},
                                           {"address", notification.address},
                                           {"hwm", notification.hwm}});
            }
            return out;
        },
    });
}

}  // namespace hpips
