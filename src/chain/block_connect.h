// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_BLOCK_CONNECT_H
#define HPIPS_CHAIN_BLOCK_CONNECT_H

#include <chain/coins_view.h>
#include <chain/undo.h>
#include <consensus/params.h>
#include <consensus/validation_state.h>
#include <primitives/block.h>

#include <cstdint>
#include <optional>

/** Applying a block to the UTXO set and taking it back: where a coin is
 *  spent. Both work on a per-block overlay cache that the caller merges only
 *  when the whole operation succeeded. */
namespace hpips {

/** Spends every input and adds every output of `block` (at `height`) in
 *  `view`, checking the spending rules: inputs exist and are unspent
 *  (consensus/tx_inputs.h), signatures (unless `check_signatures` is false,
 *  for blocks the node already validated once), fees, and the coinbase
 *  amount. Returns the undo data; on failure `view` holds a partial state
 *  and must be discarded. The block must have passed CheckBlock.
 *  Precondition: view's best block is the block's parent. */
std::optional<BlockUndo> ConnectBlock(const Block& block, int64_t height, const ChainParams& params,
                                      CoinsViewCache& view, bool check_signatures, BlockValidationState& state);

/** The outcome of DisconnectBlock. */
enum class DisconnectResult {
    OK,       //!< every coin was where the undo data said
    UNCLEAN,  //!< the view was inconsistent (recovering from a cut flush) but is now right
    FAILED,   //!< the undo data does not fit the block
};

/** Removes the outputs of `block` and restores the coins it spent from
 *  `undo`, in reverse transaction order, and sets the view's best block to
 *  the block's parent. Coins that are missing or already present (possible
 *  only after an interrupted flush) make the result UNCLEAN, which is not an
 *  error: the view ends up right either way. */
DisconnectResult DisconnectBlock(const Block& block, const BlockUndo& undo, CoinsViewCache& view);

}  // namespace hpips

#endif  // HPIPS_CHAIN_BLOCK_CONNECT_H
