// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_VALIDATION_STATE_H
#define HPIPS_CONSENSUS_VALIDATION_STATE_H

#include <string>
#include <utility>

/** The outcome of validating a transaction or a block: valid, or a failure
 *  class plus a short reject reason (Bitcoin Core's strings where one exists,
 *  e.g. "bad-txns-inputs-duplicate") and optional detail. Validation says
 *  why; callers (net, RPC, mempool) decide what to do about it. */
namespace hpips {

/** Why a transaction failed. */
enum class TxFailure {
    NONE,
    CONSENSUS,        //!< breaks a consensus rule: invalid in any block
    MISSING_INPUTS,   //!< spends a coin this view does not have (maybe an orphan)
    PREMATURE_SPEND,  //!< spends an immature coinbase: may become valid later
    CONFLICT,         //!< spends a coin another mempool transaction spends
    POLICY,           //!< valid but refused by local policy (fee, size)
};

/** Why a block failed. Only CONSENSUS and POUW failures may be remembered
 *  as invalid: a MUTATED block (its transactions do not match its header) or
 *  one too far in the future says nothing about the header's hash. */
enum class BlockFailure {
    NONE,
    CONSENSUS,     //!< breaks a consensus rule
    POUW,          //!< the proof of useful work does not verify
    MUTATED,       //!< body does not match the header (merkle root, size): do not cache
    TIME_FUTURE,   //!< too far ahead of our clock: may become valid, do not cache
    MISSING_PREV,  //!< parent unknown
    CACHED_INVALID //!< already known invalid, or descends from an invalid block
};

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
