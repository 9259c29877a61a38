// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/block_connect.h>

#include <consensus/block_check.h>
#include <consensus/tx_check.h>
#include <consensus/tx_inputs.h>

#include <vector>

namespace hpips {
namespace {

/** Turns a transaction failure into the block's failure, keeping the reason. */
bool TxFailed(const Transaction& tx, const TxValidationState& tx_state, BlockValidationState& state)
{
    return state.Invalid(BlockFailure::CONSENSUS, tx_state.GetReason(),
                         "transaction " + tx.GetTxid().GetHex() + (tx_state.GetDetail().empty() ? "" : ": ") +
                             tx_state.GetDetail());
}

}  // namespace

std::optional<BlockUndo> ConnectBlock(const Block& block, int64_t height, const ChainParams& params,
                                      CoinsViewCache& view, bool check_signatures, BlockValidationState& state)
{
    BlockUndo undo;
    undo.txs.reserve(block.txs.size() - 1);
    Amount fees = 0;
    std::vector<Coin> coins;
    std::vector<SpentCoin> spent;
    std::vector<TxOut> spent_outputs;

    for (const Transaction& tx : block.txs) {
        if (!tx.IsCoinbase()) {
            coins.clear();
            spent.clear();
            for (const TxIn& in : tx.inputs()) {
                auto coin = view.GetCoin(in.prevout);
                if (!coin) {
                    state.Invalid(BlockFailure::CONSENSUS, "bad-txns-inputs-missingorspent",
                                  "transaction " + tx.GetTxid().GetHex());
                    return std::nullopt;
                }
                coins.push_back(std::move(*coin));
            }
            for (const Coin& coin : coins) spent.push_back(SpentCoin{&coin.out, coin.height, coin.coinbase});

            TxValidationState tx_state;
            const auto fee = CheckTxInputs(tx, spent, height, tx_state);
            if (!fee) {
                TxFailed(tx, tx_state, state);
                return std::nullopt;
            }
            const auto total = CheckedMoneyAdd(fees, *fee);
            if (!total) {
                state.Invalid(BlockFailure::CONSENSUS, "bad-txns-accumulated-fee-outofrange");
                return std::nullopt;
            }
            fees = *total;
            if (check_signatures) {
                spent_outputs.clear();
                for (const Coin& coin : coins) spent_outputs.push_back(coin.out);
                if (!VerifyTransactionSignatures(tx, spent_outputs, params.network, tx_state)) {
                    TxFailed(tx, tx_state, state);
                    return std::nullopt;
                }
            }
            TxUndo tx_undo;
            tx_undo.spent.reserve(tx.inputs().size());
            for (const TxIn& in : tx.inputs()) {
                auto coin = view.SpendCoin(in.prevout);
                // Looked up above and inputs are distinct (CheckTransaction).
                if (!coin) {
                    state.Invalid(BlockFailure::CONSENSUS, "bad-txns-inputs-missingorspent");
                    return std::nullopt;
                }
                tx_undo.spent.push_back(std::move(*coin));
            }
            undo.txs.push_back(std::move(tx_undo));
        }
        // Only a coinbase could repeat a txid, and every coinbase commits to
        // its height (lock time), so this never overwrites in a valid chain;
        // a non-coinbase overwrite is refused (AddTransactionCoins).
        if (auto added = AddTransactionCoins(view, tx, static_cast<uint32_t>(height)); !added) {
            state.Invalid(BlockFailure::CONSENSUS, "bad-txns-BIP30", added.error_message());
            return std::nullopt;
        }
    }
    if (!CheckCoinbaseAmount(block.txs[0], height, fees, state)) return std::nullopt;
    view.SetBestBlock(block.GetHash());
    return undo;
}

DisconnectResult DisconnectBlock(const Block& block, const BlockUndo& undo, CoinsViewCache& view)
{
    if (undo.txs.size() + 1 != block.txs.size()) return DisconnectResult::FAILED;
    bool clean = true;
    for (size_t t = block.txs.size(); t-- > 0;) {
        const Transaction& tx = block.txs[t];
        for (uint32_t i = 0; i < tx.outputs().size(); ++i) {
            if (!view.SpendCoin(OutPoint{tx.GetTxid(), i})) clean = false;
        }
        if (t == 0) break;
        const TxUndo& tx_undo = undo.txs[t - 1];
        if (tx_undo.spent.size() != tx.inputs().size()) return DisconnectResult::FAILED;
        for (size_t i = tx.inputs().size(); i-- > 0;) {
            const OutPoint& prevout = tx.inputs()[i].prevout;
            if (view.HaveCoin(prevout)) clean = false;
            if (!view.AddCoin(prevout, tx_undo.spent[i], /*possible_overwrite=*/true)) return DisconnectResult::FAILED;
        }
    }
    view.SetBestBlock(block.header.prev_block);
    return clean ? DisconnectResult::OK : DisconnectResult::UNCLEAN;
}

}  // namespace hpips
