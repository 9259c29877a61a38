// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/pouw_check.h>

#include <pouw/opening.h>
#include <pouw/ticket.h>
#include <pouw/verify.h>

namespace hpips {
namespace {

/** A failed ticket check as a block failure. An opening that does not belong
 *  to its header (pouw::IsOpeningMismatch) makes the block MUTATED: it must
 *  not be remembered, or the intact block would then be refused as
 *  duplicate-invalid. (A committed invalid descriptor is a header property;
 *  not caching it only costs a cheap re-check.) */
bool PouwFailed(const pouw::TicketError& error, BlockValidationState& state)
{
    const BlockFailure failure{pouw::IsOpeningMismatch(error.reason) ? BlockFailure::MUTATED : BlockFailure::POUW};
    return state.Invalid(failure, "bad-pouw-" + std::string{pouw::TicketFailureName(error.reason)}, error.message);
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
    return CheckBlockHeaderProof(block.header, params, state) && CheckBlockOpening(block, params, state);
}

bool CheckBlockOpening(const Block& block, const ChainParams& params, BlockValidationState& state)
{
    if (auto verified = pouw::VerifyTicket(block.header, block.opening, params.shape_rules); !verified) {
        return PouwFailed(verified.error(), state);
    }
    return true;
}

bool CheckBlockUnitIsOpen(const Block& block, const OpenUnitLookup& is_open, BlockValidationState& state)
{
    // The opening's encoding is CheckBlockOpening's rule, which every stored
    // block passed; one that does not decode here is a template checked
    // without its proof (TestBlockValidity, getblocktemplate proposals):
    // there is no unit to judge yet.
    auto opening = pouw::DecodeOpening(block.opening);
    if (!opening) return true;
    const pouw::UnitDescriptor& unit{opening->descriptor};
    if (unit.IsFiller()) return true;
    if (!is_open(unit.job_id, unit.region)) {
        return state.Invalid(BlockFailure::CONSENSUS, "bad-job-unit", "no open job has this unit");
    }
    return true;
}

}  // namespace hpips
