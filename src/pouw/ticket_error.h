// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_TICKET_ERROR_H
#define HPIPS_POUW_TICKET_ERROR_H

#include <util/result.h>

#include <string>
#include <string_view>

/** Why a PoUW ticket failed its check (doc/pouw.md §7 and §9). Callers decide
 *  from the code (consensus/pouw_check.cpp: MUTATED or invalid), never from
 *  the text. */
namespace hpips::pouw {

/** The failure classes of CheckTicketHeader and VerifyTicket, in the order
 *  VerifyTicket checks them. */
enum class TicketFailure {
    OPENING_TOO_LARGE,        //!< "opening-too-large"
    BAD_OPENING_ENCODING,     //!< "bad-opening-encoding"
    BAD_DESCRIPTOR,           //!< "bad-descriptor"
    UNIT_ID_MISMATCH,         //!< "unit-id-mismatch"
    TILE_INDEX_OUT_OF_RANGE,  //!< "tile-index-out-of-range"
    BAD_MINER_KEY,            //!< "bad-miner-key"
    BAD_FILLER_KEY,           //!< "bad-filler-key"
    BAD_MERKLE_PROOF,         //!< "bad-merkle-proof"
    INPUT_OUT_OF_RANGE,       //!< "input-out-of-range"
    STATE_MISMATCH,           //!< "state-mismatch"
    HIGH_TICKET,              //!< "high-ticket"
};

/** The reason string of doc/pouw.md §9 for `failure` ("state-mismatch", ...). */
constexpr std::string_view TicketFailureName(TicketFailure failure)
{
    switch (failure) {
    case TicketFailure::OPENING_TOO_LARGE: return "opening-too-large";
    case TicketFailure::BAD_OPENING_ENCODING: return "bad-opening-encoding";
    case TicketFailure::BAD_DESCRIPTOR: return "bad-descriptor";
    case TicketFailure::UNIT_ID_MISMATCH: return "unit-id-mismatch";
    case TicketFailure::TILE_INDEX_OUT_OF_RANGE: return "tile-index-out-of-range";
    case TicketFailure::BAD_MINER_KEY: return "bad-miner-key";
    case TicketFailure::BAD_FILLER_KEY: return "bad-filler-key";
    case TicketFailure::BAD_MERKLE_PROOF: return "bad-merkle-proof";
    case TicketFailure::INPUT_OUT_OF_RANGE: return "input-out-of-range";
    case TicketFailure::STATE_MISMATCH: return "state-mismatch";
    case TicketFailure::HIGH_TICKET: return "high-ticket";
    }
    return "unknown";
}

/** True for the failures that say the opening does not belong to the header
 *  rather than that the header is invalid: the header commits to its opening
 *  only through unit_id (the descriptor's hash) and the descriptor's Merkle
 *  roots, so anyone can attach a broken opening to a valid header. */
constexpr bool IsOpeningMismatch(TicketFailure failure)
{
    switch (failure) {
    case TicketFailure::OPENING_TOO_LARGE:
    case TicketFailure::BAD_OPENING_ENCODING:
    case TicketFailure::BAD_DESCRIPTOR:
    case TicketFailure::UNIT_ID_MISMATCH:
    case TicketFailure::BAD_MERKLE_PROOF:
        return true;
    default:
        return false;
    }
}

/** A failed ticket check: the class, and the text logs and RPC show
 *  ("reason" or "reason: detail", the reason being TicketFailureName). */
struct TicketError {
    TicketFailure reason{TicketFailure::HIGH_TICKET};
    std::string message;

    /** An error of class `reason` with an optional detail. */
    static TicketError Make(TicketFailure reason, std::string_view detail = {})
    {
        std::string message{TicketFailureName(reason)};
        if (!detail.empty()) message.append(": ").append(detail);
        return TicketError{reason, std::move(message)};
    }
};

/** The outcome of a ticket check: success or a TicketError. */
using TicketResult = Result<void, TicketError>;

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_TICKET_ERROR_H
