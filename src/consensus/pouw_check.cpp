// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/pouw_check.h>

#include <pouw/ticket.h>
#include <pouw/verify.h>

namespace hpips {
namespace {

/** Reasons that say the opening does not belong to the header, not that the
 *  header is invalid: the header commits to its opening only through unit_id
 *  (the descriptor's hash) and the descriptor's Merkle roots, so anyone can
 *  attach a broken opening to a valid header. Such a block is MUTATED and must
 *  not be remembered, or the intact block would then be refused as
 *  duplicate-invalid. (A committed invalid descriptor is a header property;
 *  not caching it only costs a cheap re-check.) */
bool OpeningMismatch(const std::string& reason)
{
    return reason == "opening-too-large" || reason == "bad-opening-encoding" || reason == "bad-descriptor" ||
           reason == "unit-id-mismatch" || reason == "bad-merkle-proof";
}

bool PouwFailed(const Error& error, BlockValidationState& state)
{
    std::string reason = pouw::ReasonOf(error);
    const BlockFailure failure{OpeningMismatch(reason) ? BlockFailure::MUTATED : BlockFailure::POUW};
    return state.Invalid(failure, "bad-pouw-" + reason, error.message);
}

}  // namespace

bool CheckBlockHeaderProof(const BlockHeader& header, const ChainParams& params, BlockValidationState& state)
{
    if (auto checked = pouw::CheckTicketHeader(header, params.shape_rules); !checked) {
        return PouwFailed(checked.error(), state);
    }
    return true;
}

bool CheckBlockProof(const Block& block, const ChainParams& params, BlockValidationState& state)
{
    if (!CheckBlockHeaderProof(block.header, params, state)) return false;
    if (auto verified = pouw::VerifyTicket(block.header, block.opening, params.shape_rules); !verified) {
        return PouwFailed(verified.error(), state);
    }
    return true;
}

}  // namespace hpips
