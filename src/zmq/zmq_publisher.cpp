// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <zmq/zmq_publisher.h>

#include <util/logging.h>

#include <zmq.h>

#include <cerrno>

namespace hpips {
namespace {

std::string ZmqError() { return zmq_strerror(zmq_errno()); }

/** An IPv6 host is bracketed (CheckZmqAddress); libzmq needs ZMQ_IPV6 to bind one. */
bool IsIPv6Address(const std::string& address) { return address.starts_with("tcp://["); }

}  // namespace

ZmqPublisher::ZmqPublisher(std::vector<ZmqNotifierSpec> specs, void* context)
    : m_specs{std::move(specs)}, m_context{context}
{
    for (const auto& spec : m_specs) m_publishes[static_cast<size_t>(spec.topic)] = true;
}

Result<std::unique_ptr<ZmqPublisher>> ZmqPublisher::Create(std::vector<ZmqNotifierSpec> specs)
{
    void* context = zmq_ctx_new();
    if (context == nullptr) return Error{"Unable to create a ZMQ context: " + ZmqError()};
    std::unique_ptr<ZmqPublisher> publisher{new ZmqPublisher{std::move(specs), context}};
    if (auto bound = publisher->Bind(); !bound) return bound.error();
    return publisher;
}

Result<void> ZmqPublisher::Bind()
{
    LockGuard lock{m_mutex};
    for (const auto& spec : m_specs) {
        size_t index{0};
        while (index < m_sockets.size() && m_sockets[index].address != spec.address) ++index;
        if (index == m_sockets.size()) {
            void* handle = zmq_socket(m_context, ZMQ_PUB);
            if (handle == nullptr) return Error{"Unable to create a ZMQ socket for " + spec.address + ": " + ZmqError()};
            m_sockets.push_back({spec.address, handle});
            const int hwm{spec.hwm};
            const int one{1};
            if (zmq_setsockopt(handle, ZMQ_SNDHWM, &hwm, sizeof(hwm)) != 0 ||
                zmq_setsockopt(handle, ZMQ_TCP_KEEPALIVE, &one, sizeof(one)) != 0 ||
                (IsIPv6Address(spec.address) && zmq_setsockopt(handle, ZMQ_IPV6, &one, sizeof(one)) != 0)) {
                return Error{"Unable to configure the ZMQ socket for " + spec.address + ": " + ZmqError()};
            }
            if (zmq_bind(handle, spec.address.c_str()) != 0) {
                return Error{"Unable to bind ZMQ socket to " + spec.address + ": " + ZmqError()};
            }
            LogInfo("zmq: publishing on {}", spec.address);
        }
        m_notifiers.push_back({spec.topic, index, 0, false});
        LogInfo("zmq: topic {} on {} (high water mark {})", ZmqTopicName(spec.topic), spec.address, spec.hwm);
    }
    return {};
}

ZmqPublisher::~ZmqPublisher()
{
    LockGuard lock{m_mutex};
    for (auto& socket : m_sockets) {
        const int linger{0};
        zmq_setsockopt(socket.handle, ZMQ_LINGER, &linger, sizeof(linger));
        zmq_close(socket.handle);
    }
    m_sockets.clear();
    zmq_ctx_term(m_context);
}

bool ZmqPublisher::Send(void* socket, std::string_view topic, std::span<const uint8_t> body, uint32_t sequence,
                        std::string& error)
{
    const auto sequence_frame = ZmqSequenceFrame(sequence);
    // ZMQ_DONTWAIT: a PUB socket drops rather than blocks, but the caller
    // may be the validation thread, so never let a send wait.
    if (zmq_send(socket, topic.data(), topic.size(), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(socket, body.data(), body.size(), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(socket, sequence_frame.data(), sequence_frame.size(), ZMQ_DONTWAIT) < 0) {
        error = ZmqError();
        return false;
    }
    return true;
}

void ZmqPublisher::Publish(ZmqTopic topic, std::span<const uint8_t> body)
{
    if (!Publishes(topic)) return;
    const std::string_view name = ZmqTopicName(topic);
    LockGuard lock{m_mutex};
    for (Notifier& notifier : m_notifiers) {
        if (notifier.topic != topic) continue;
        const Socket& socket = m_sockets[notifier.socket];
        std::string error;
        if (Send(socket.handle, name, body, notifier.sequence, error)) {
            ++notifier.sequence;
        } else if (!notifier.failure_logged) {
            notifier.failure_logged = true;
            LogInfo("zmq: cannot send {} on {}: {} (later failures: -debug=zmq)", name, socket.address, error);
        } else {
            LogDebug(LogCategory::ZMQ, "zmq: cannot send {} on {}: {}", name, socket.address, error);
        }
    }
}

}  // namespace hpips
