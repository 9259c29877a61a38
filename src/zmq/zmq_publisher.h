// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_ZMQ_ZMQ_PUBLISHER_H
#define HPIPS_ZMQ_ZMQ_PUBLISHER_H

#include <util/result.h>
#include <util/threadsafety.h>
#include <zmq/zmq_message.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

/** The ZMQ PUB sockets of the node (doc/zmq.md). */
namespace hpips {

/** Core's -zmqpub<topic>hwm default: messages queued per subscriber before
 *  the socket drops new ones for it. */
constexpr int DEFAULT_ZMQ_SNDHWM = 1000;

/** One -zmqpub<topic>=<address> option: publish `topic` on `address`. */
struct ZmqNotifierSpec {
    ZmqTopic topic{ZmqTopic::HASHBLOCK};
    /** A tcp:// or ipc:// address (CheckZmqAddress). */
    std::string address;
    /** The socket's send high water mark (0: no limit). */
    int hwm{DEFAULT_ZMQ_SNDHWM};
};

/** Owns a libzmq context and one PUB socket per distinct address: topics
 *  given the same address share its socket, whose high water mark is the
 *  first such spec's (as in Core). Sends never wait: a message a socket
 *  cannot queue (every subscriber at its high water mark) is dropped by
 *  libzmq for that subscriber, and a send libzmq refuses is logged and not
 *  counted, so the sequence numbers a subscriber sees have gaps only where
 *  it fell behind. Thread-safe: Publish may be called from any thread;
 *  messages on one socket never interleave. */
class ZmqPublisher {
public:
    /** Binds a socket for every address of `specs` (each already checked
     *  by CheckZmqAddress). The error names the address and libzmq's reason
     *  (address in use, no such interface, ...). */
    static Result<std::unique_ptr<ZmqPublisher>> Create(std::vector<ZmqNotifierSpec> specs);
    /** Closes the sockets without waiting for unsent messages. */
    ~ZmqPublisher();
    ZmqPublisher(const ZmqPublisher&) = delete;
    ZmqPublisher& operator=(const ZmqPublisher&) = delete;

    /** Whether any spec publishes `topic` (fixed at creation; no lock). */
    bool Publishes(ZmqTopic topic) const { return m_publishes[static_cast<size_t>(topic)]; }

    /** Sends the three frames [topic name, `body`, sequence number] to every
     *  address of `topic`, and counts the message in that address's
     *  sequence for the topic. Nothing when the topic is not published. */
    void Publish(ZmqTopic topic, std::span<const uint8_t> body) LOCKS_EXCLUDED(m_mutex);

    /** The specs, in the order given (for getzmqnotifications). */
    const std::vector<ZmqNotifierSpec>& Specs() const { return m_specs; }

private:
    /** One spec at run time: its socket and the next sequence number. */
    struct Notifier {
        ZmqTopic topic{ZmqTopic::HASHBLOCK};
        /** Index into m_sockets. */
        size_t socket{0};
        uint32_t sequence{0};
        /** A failed send was logged already (later ones go to -debug=zmq). */
        bool failure_logged{false};
    };
    /** A bound socket. */
    struct Socket {
        std::string address;
        void* handle{nullptr};
    };

    ZmqPublisher(std::vector<ZmqNotifierSpec> specs, void* context);
    Result<void> Bind() LOCKS_EXCLUDED(m_mutex);
    /** Sends one message; false (with errno's text in `error`) if libzmq refused a frame. */
    static bool Send(void* socket, std::string_view topic, std::span<const uint8_t> body, uint32_t sequence,
                     std::string& error);

    const std::vector<ZmqNotifierSpec> m_specs;
    std::array<bool, ALL_ZMQ_TOPICS.size()> m_publishes{};
    void* const m_context;
    Mutex m_mutex;
    std::vector<Socket> m_sockets GUARDED_BY(m_mutex);
    std::vector<Notifier> m_notifiers GUARDED_BY(m_mutex);
};

}  // namespace hpips

#endif  // HPIPS_ZMQ_ZMQ_PUBLISHER_H
