// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/undo.h>

#include <crypto/sha256.h>

namespace hpips {

void WriteBlockUndo(Writer& w, const BlockUndo& undo)
{
    w.WriteVector(std::span{undo.txs}, [](Writer& w, const TxUndo& tx) {
        w.WriteVector(std::span{tx.spent}, [](Writer& w, const Coin& coin) { WriteCoin(w, coin); });
    });
    WriteJobState(w, undo.job_state);
}

BlockUndo ReadBlockUndo(Reader& r)
{
    BlockUndo undo;
    // An empty TxUndo is one byte; a non-coinbase transaction spends at
    // least one coin, but the decoder leaves that rule to consensus.
    undo.txs = r.ReadVector(MAX_BLOCK_TXS, 1, [](Reader& r) {
        return TxUndo{r.ReadVector(MAX_TX_INPUTS, MIN_COIN_SIZE, [](Reader& r) { return ReadCoin(r); })};
    });
    undo.job_state = ReadJobState(r);
    return undo;
}

std::vector<uint8_t> EncodeBlockUndo(const BlockUndo& undo)
{
    Writer w;
    WriteBlockUndo(w, undo);
    return w.Take();
}

Result<BlockUndo> DecodeBlockUndo(std::span<const uint8_t> bytes)
{
    if (bytes.size() > MAX_BLOCK_UNDO_SIZE) return Error{"undo: record too large"};
    return Decode(bytes, [](Reader& r) { return ReadBlockUndo(r); });
}

uint256 UndoChecksum(const uint256& block_hash, std::span<const uint8_t> undo_bytes)
{
    Sha256 hasher;
    hasher.Write(block_hash.span());
    hasher.Write(undo_bytes);
    const uint256 once{hasher.Finalize()};
    return Sha256Hash(once.span());
}

}  // namespace hpips
