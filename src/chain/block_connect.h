// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_BLOCK_CONNECT_H
#define HPIPS_CHAIN_BLOCK_CONNECT_H

#include <chain/check_queue.h>
#include <chain/coins_view.h>
#include <chain/undo.h>
#include <consensus/params.h>
#include <consensus/validation_state.h>
#include <primitives/block.h>
#include <primitives/network.h>
#include <primitives/sighash.h>

#include <cstddef>
#include <cstdint>
#include <optional>

/** Applying a block to the UTXO set and taking it back: where a coin is
 *  spent. Both work on a per-block overlay cache that the caller merges only
 *  when the whole operation succeeded. */
namespace hpips {

/** One input's signature, as ConnectBlock queues it: input `input_index` of
 *  `*tx` spends `*spent`; `*precomputed` is the transaction's shared sighash
 *  data (computed once per transaction by the connecting thread). The
 *  pointers stay valid until the check queue's session ends. */
struct InputSignatureCheck {
    using Failure = BlockValidationState;

    const Transaction* tx{nullptr};
    uint32_t input_index{0};
    const TxOut* spent{nullptr};
    const PrecomputedTxData* precomputed{nullptr};
    Network network{Network::MAIN};

    /** CheckInputSignature (consensus/tx_inputs.h); on failure sets `state`
     *  as ConnectBlock reports any transaction's failure (CONSENSUS, the
     *  reason, "transaction <txid>: input <i>"). */
    bool operator()(BlockValidationState& state) const;
};

/** The pool that verifies a block's signatures (owned by the chainstate). */
using SignatureCheckQueue = CheckQueue<InputSignatureCheck>;

/** Most threads (the connecting one included) that verify signatures: past
 *  this a 2,000-input block gains little, and every thread costs a stack. */
constexpr int64_t MAX_SCRIPT_CHECK_THREADS = 16;

/** The number of threads (the connecting one included) for a requested
 *  -par value: 0 (or below) = auto = `cores` (1 when unknown), anything else
 *  as given; always within [1, MAX_SCRIPT_CHECK_THREADS]. The pool then has
 *  one worker fewer (1 = no workers: the connecting thread checks alone). */
size_t ScriptCheckThreads(int64_t requested, size_t cores);

/** Spends every input and adds every output of `block` (at `height`) in
 *  `view`, checking the spending rules: inputs exist and are unspent
 *  (consensus/tx_inputs.h), signatures (unless `check_signatures` is false,
 *  for blocks the node already validated once), fees, and the coinbase
 *  amount. Returns the undo data; on failure `view` holds a partial state
 *  and must be discarded. The block must have passed CheckBlock.
 *  Precondition: view's best block is the block's parent.
 *
 *  Signatures: with `check_queue` they are verified on its threads while
 *  this thread goes on through the block, and waited for before returning;
 *  without, one by one on this thread as each transaction is reached. The
 *  result (undo data, view, and the failure reported) is the same either way
 *  and for any number of threads: the failure is always the first one in
 *  block order, as if every rule were checked serially, transaction by
 *  transaction and input by input. The queue must not be in use by another
 *  caller at the same time (its session would wait). Cost: one sighash
 *  precomputation per transaction (here), one sighash and one BIP-340
 *  verification per input (spread over the queue's threads). */
std::optional<BlockUndo> ConnectBlock(const Block& block, int64_t height, const ChainParams& params,
                                      CoinsViewCache& view, bool check_signatures, BlockValidationState& state,
                                      SignatureCheckQueue* check_queue = nullptr);

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
