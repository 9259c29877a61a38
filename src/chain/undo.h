// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_UNDO_H
#define HPIPS_CHAIN_UNDO_H

#include <chain/coin.h>
#include <chain/job_state.h>
#include <primitives/block.h>
#include <util/result.h>
#include <util/serialize.h>
#include <util/uint256.h>

#include <cstddef>
#include <span>
#include <vector>

/**
 * Undo data: what disconnecting a block needs to restore the UTXO set (the
 * coins its transactions spent) and, later, the job state.
 *
 * Encoding (doc/chainstate.md, "Undo data"):
 *   BlockUndo = CompactSize n_tx | n_tx × TxUndo | JobState
 *   TxUndo    = CompactSize n_coins | n_coins × Coin (coin.h encoding)
 * There is one TxUndo per non-coinbase transaction, in block order, and one
 * coin per input, in input order. Decoding is strict (counts bounded by the
 * block limits and by the bytes left, no trailing bytes).
 *
 * In the undo file each record is followed by a checksum,
 * SHA256d(block hash ‖ undo bytes): it catches corruption and an undo record
 * paired with the wrong block.
 *
 * Not thread-safe (plain values).
 */
namespace hpips {

/** Most inputs all transactions of one block can have. */
constexpr size_t MAX_BLOCK_INPUTS = MAX_BLOCK_SIZE / MIN_TX_INPUT_SIZE;
/** Largest encoded BlockUndo: every input's coin at its largest, plus one
 *  9-byte count per possible transaction and the block's count and job state. */
constexpr size_t MAX_BLOCK_UNDO_SIZE = MAX_BLOCK_INPUTS * MAX_COIN_SIZE + MAX_BLOCK_TXS * 9 + 9 + 9;

/** The coins spent by one transaction's inputs, in input order. */
struct TxUndo {
    std::vector<Coin> spent;

    friend bool operator==(const TxUndo&, const TxUndo&) = default;
};

/** The undo data of one block. */
struct BlockUndo {
    /** One entry per transaction except the coinbase, in block order. */
    std::vector<TxUndo> txs;
    /** Changes to the job queue and escrows (empty for now). */
    JobState job_state;

    friend bool operator==(const BlockUndo&, const BlockUndo&) = default;
};

/** Writes a BlockUndo. Every coin must be unspent. */
void WriteBlockUndo(Writer& w, const BlockUndo& undo);
/** Reads a BlockUndo strictly. Throws SerializeError; for use inside Decode(). */
BlockUndo ReadBlockUndo(Reader& r);

/** The encoding of a BlockUndo. */
std::vector<uint8_t> EncodeBlockUndo(const BlockUndo& undo);
/** Decodes exactly one BlockUndo (at most MAX_BLOCK_UNDO_SIZE bytes). */
Result<BlockUndo> DecodeBlockUndo(std::span<const uint8_t> bytes);

/** The checksum stored after an undo record: SHA256d(block_hash ‖ undo_bytes). */
uint256 UndoChecksum(const uint256& block_hash, std::span<const uint8_t> undo_bytes);

}  // namespace hpips

#endif  // HPIPS_CHAIN_UNDO_H
