// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/zmq_setup.h>

#include <rpc/zmq.h>
#include <util/logging.h>
#include <zmq/zmq_address.h>
#include <zmq/zmq_notifier.h>

#include <string>

namespace hpips {

Result<std::vector<ZmqNotifierSpec>> ZmqSpecsFromArgs(const Settings& args)
{
    std::vector<ZmqNotifierSpec> specs;
    for (const ZmqTopic topic : ALL_ZMQ_TOPICS) {
        const std::string option = "zmqpub" + std::string{ZmqTopicName(topic)};
        if (args.IsNegated(option)) continue;
        const auto addresses = args.GetArgs(option);
        if (addresses.empty()) continue;
        const auto hwm = args.GetIntArgInRange(option + "hwm", DEFAULT_ZMQ_SNDHWM, 0, MAX_ZMQ_SNDHWM);
        if (!hwm) return hwm.error();
        for (const auto& address : addresses) {
            if (auto checked = CheckZmqAddress(address); !checked) {
                return Error{"Invalid -" + option + " address '" + address.substr(0, MAX_ZMQ_ADDRESS_LENGTH) +
                             "': " + checked.error().message};
            }
            specs.push_back({topic, address, static_cast<int>(*hwm)});
        }
    }
    return specs;
}

Result<void> StartZMQ(NodeContext& node)
{
    auto specs = ZmqSpecsFromArgs(*node.args);
    if (!specs) return specs.error();
    std::vector<ZMQNotificationInfo> infos;
    if (!specs->empty()) {
        auto publisher = ZmqPublisher::Create(std::move(*specs));
        if (!publisher) return publisher.error();
        node.zmq_notifier = std::make_unique<ZmqNotifier>(*node.chainstate, std::move(*publisher));
        node.chainstate->AddListener(node.zmq_notifier.get());
        node.mempool->AddListener(node.zmq_notifier.get());
        for (const auto& spec : node.zmq_notifier->Publisher().Specs()) {
            infos.push_back({"pub" + std::string{ZmqTopicName(spec.topic)}, spec.address, spec.hwm});
        }
    }
    if (node.rpc_table) return RegisterZMQRPCCommands(*node.rpc_table, std::move(infos));
    return {};
}

void StopZMQ(NodeContext& node)
{
    if (!node.zmq_notifier) return;
    node.mempool->RemoveListener(node.zmq_notifier.get());
    node.chainstate->RemoveListener(node.zmq_notifier.get());
    node.zmq_notifier.reset();
}

}  // namespace hpips
