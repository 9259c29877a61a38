// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_RESULT_H
#define HPIPS_UTIL_RESULT_H

#include <string>
#include <utility>
#include <variant>
// C++17 here: the CUDA backend (nvcc) includes this header.

namespace hpips {

/** An error carried as a value: a human-readable reason, never an exception
 *  across a module boundary. */
struct Error {
    std::string message;
};

/** Either a value of type T or an error of type E (Error unless a module
 *  needs a failure class the caller decides on, e.g. pouw::TicketError).
 *  Usage: `Result<int> r = Parse(s); if (!r) return r.error();`
 *  error_message() is available when E has a `message` string. */
template <typename T, typename E = Error>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state{std::in_place_index<0>, std::move(value)} {}
    Result(E error) : m_state{std::in_place_index<1>, std::move(error)} {}

    bool has_value() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    /** The value; only valid when has_value(). */
    const T& value() const& { return std::get<0>(m_state); }
    T& value() & { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }

    /** The error; only valid when !has_value(). */
    const E& error() const { return std::get<1>(m_state); }
    template <typename U = E>
    auto error_message() const -> decltype((std::declval<const U&>().message))
    {
        return error().message;
    }

private:
    std::variant<T, E> m_state;
};

/** Result of an operation with no value: success or an error. */
template <typename E>
class [[nodiscard]] Result<void, E> {
public:
    Result() = default;
    Result(E error) : m_error{std::move(error)}, m_ok{false} {}
    bool has_value() const noexcept { return m_ok; }
    explicit operator bool() const noexcept { return m_ok; }
    const E& error() const { return m_error; }
    template <typename U = E>
    auto error_message() const -> decltype((std::declval<const U&>().message))
    {
        return m_error.message;
    }

private:
    E m_error{};
    bool m_ok{true};
};

}  // namespace hpips

#endif  // HPIPS_UTIL_RESULT_H
