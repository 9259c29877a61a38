// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_VALIDATION_STATE_H
#define HPIPS_CONSENSUS_VALIDATION_STATE_H

#include <string>
#include <type_traits>
#include <utility>

/** The outcome of validating a transaction or a block: valid, or a failure
 *  class plus a short reject reason (Bitcoin Core's strings where one exists,
 *  e.g. "bad-txns-inputs-duplicate") and optional detail. Validation says
 *  why; callers (net, RPC, mempool) decide what to do about it. */
namespace hpips {

/** Why a transaction failed. */
enum class TxFailure {
    NONE,
    CONSENSUS,          //!< breaks a consensus rule: invalid in any block
    MISSING_INPUTS,     //!< spends a coin this view does not have (maybe an orphan)
    PREMATURE_SPEND,    //!< spends an immature coinbase: may become valid later
    CONFLICT,           //!< spends a coin another mempool transaction spends
    POLICY,             //!< valid but refused by local policy (fee, size)
    ALREADY_IN_MEMPOOL, //!< the same transaction is already in the pool
    ALREADY_IN_CHAIN,   //!< its outputs are already in the UTXO set (confirmed)
    FEE_EXCEEDS_MAXIMUM,//!< pays more than the caller's limit (sendrawtransaction's maxfeerate)
};

/** Why a block failed, and so what a caller may do about it:
 *
 *   class           remembered invalid?   blame the sender?
 *   CONSENSUS       yes                   yes
 *   POUW            yes                   yes
 *   MUTATED         no (body ≠ header)    yes, but the hash stays acceptable
 *   TIME_FUTURE     no (may become valid) no
 *   MISSING_PREV    no                    no (fetch the parent)
 *   CACHED_INVALID  already               yes
 *   DUPLICATE       n/a (valid, known)    no
 *   BAD_REQUEST     n/a                   n/a (a local request named an unknown block, or genesis)
 *   SYSTEM          never                 never: our own disk or database
 *                                         failed; the node stops (FatalError)
 */
enum class BlockFailure {
    NONE,
    CONSENSUS,      //!< breaks a consensus rule
    POUW,           //!< the proof of useful work does not verify
    MUTATED,        //!< body does not match the header (merkle root, size, opening): do not cache
    TIME_FUTURE,    //!< too far ahead of our clock: may become valid, do not cache
    MISSING_PREV,   //!< parent unknown
    CACHED_INVALID, //!< already known invalid, or descends from an invalid block
    DUPLICATE,      //!< already stored and not known invalid
    BAD_REQUEST,    //!< a local request (invalidateblock, ...) named an unknown block or genesis
    SYSTEM,         //!< a local failure (disk full, write or read failed, corrupt undo data)
};

/** True when a block that failed with `failure` is invalid in itself and its
 *  hash may be remembered as such. */
constexpr bool IsRememberedInvalid(BlockFailure failure)
{
    return failure == BlockFailure::CONSENSUS || failure == BlockFailure::POUW;
}

/** True when the peer that sent a block failing with `failure` broke the
 *  protocol (net disconnects and discourages it). */
constexpr bool IsPeerMisbehaviour(BlockFailure failure)
{
    return failure == BlockFailure::CONSENSUS || failure == BlockFailure::POUW || failure == BlockFailure::MUTATED ||
           failure == BlockFailure::CACHED_INVALID;
}

/** A validation outcome of failure class F. */
template <typename F>
class ValidationState {
public:
    /** Records a failure; returns false so callers can `return state.Invalid(...)`. */
    bool Invalid(F failure, std::string reason, std::string detail = {})
    {
        m_failure = failure;
        m_reason = std::move(reason);
        m_detail = std::move(detail);
        return false;
    }
    bool IsValid() const { return m_failure == F::NONE; }
    bool IsInvalid() const { return !IsValid(); }
    /** True for a local (system) failure rather than a verdict on the input. */
    bool IsError() const
    {
        if constexpr (std::is_same_v<F, BlockFailure>) {
            return m_failure == BlockFailure::SYSTEM;
        } else {
            return false;
        }
    }
    F GetFailure() const { return m_failure; }
    /** The short reject reason, e.g. "bad-txns-in-belowout". */
    const std::string& GetReason() const { return m_reason; }
    const std::string& GetDetail() const { return m_detail; }
    /** "reason" or "reason, detail": what logs and RPC errors show. */
    std::string ToString() const { return m_detail.empty() ? m_reason : m_reason + ", " + m_detail; }

private:
    F m_failure{F::NONE};
    std::string m_reason;
    std::string m_detail;
};

using TxValidationState = ValidationState<TxFailure>;
using BlockValidationState = ValidationState<BlockFailure>;

}  // namespace hpips

#endif  // HPIPS_CONSENSUS_VALIDATION_STATE_H
