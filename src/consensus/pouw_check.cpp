// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/pouw_check.h>

#include <pouw/ticket.h>
#include <pouw/verify.h>

namespace hpips {
namespace {

bool PouwFailed(const Error& error, BlockValidationState& state)
{
    std::string reason = pouw::ReasonOf(error);
    return state.Invalid(BlockFailure::POUW, "bad-pouw-" + reason, error.message);
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
