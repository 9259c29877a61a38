// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/block_connect.h>

#include <consensus/block_check.h>
#include <consensus/pouw_check.h>
#include <consensus/tx_check.h>
#include <consensus/tx_inputs.h>

#include <algorithm>
#include <utility>
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

bool InputSignatureCheck::operator()(BlockValidationState& state) const
{
    TxValidationState tx_state;
    if (CheckInputSignature(*tx, input_index, *spent, *precomputed, network, tx_state)) return true;
    return TxFailed(*tx, tx_state, state);
}

size_t ScriptCheckThreads(int64_t requested, size_t cores)
{
    const size_t cap = static_cast<size_t>(MAX_SCRIPT_CHECK_THREADS);
    if (requested <= 0) return std::clamp<size_t>(cores, 1, cap);
    return static_cast<size_t>(std::min(requested, MAX_SCRIPT_CHECK_THREADS));
}

std::optional<BlockUndo> ConnectBlock(const Block& block, int64_t height, const ChainParams& params,
                                      CoinsViewCache& view, bool check_signatures, BlockValidationState& state,
                                      SignatureCheckQueue* check_queue)
{
    // What the signature checks point at, per transaction; reserved so that
    // no element moves while the checks run. Declared before the session, so
    // it outlives the session (whose end waits for the checks).
    std::vector<std::vector<TxOut>> spent_outputs;
    std::vector<PrecomputedTxData> precomputed;
    if (check_signatures) {
        spent_outputs.reserve(block.txs.size());
        precomputed.reserve(block.txs.size());
    }
    std::optional<SignatureCheckQueue::Session> session;
    if (check_signatures && check_queue != nullptr) session.emplace(*check_queue);
    // Every failure below is reported as a serial check would see it: the
    // signatures already queued belong to earlier transactions (or to this
    // one, checked before its coins are spent), so one of them failing comes
    // first in block order and wins.
    const auto failed = [&]() -> std::nullopt_t {
        if (session) {
            if (auto failure = session->Wait()) state = std::move(*failure);
        }
        return std::nullopt;
    };

    // The ticket's unit must be open at the parent (the job ledger's view;
    // no job can be posted yet, doc/jobs.md): before any coin moves.
    // Genesis carries no proof (it is accepted by hash).
    if (height > 0 && !CheckBlockUnitIsOpen(block, NoOpenUnits, state)) return std::nullopt;

    BlockUndo undo;
    undo.txs.reserve(block.txs.size() - 1);
    Amount fees = 0;
    std::vector<Coin> coins;
    std::vector<SpentCoin> spent;
    std::vector<InputSignatureCheck> checks;

    for (const Transaction& tx : block.txs) {
        if (!tx.IsCoinbase()) {
            coins.clear();
            spent.clear();
            for (const TxIn& in : tx.inputs()) {
                auto coin = view.GetCoin(in.prevout);
                if (!coin) {
                    state.Invalid(BlockFailure::CONSENSUS, "bad-txns-inputs-missingorspent",
                                  "transaction " + tx.GetTxid().GetHex());
                    return failed();
                }
                coins.push_back(std::move(*coin));
            }
            for (const Coin& coin : coins) spent.push_back(SpentCoin{&coin.out, coin.height, coin.coinbase});

            TxValidationState tx_state;
            const auto fee = CheckTxInputs(tx, spent, height, tx_state);
            if (!fee) {
                TxFailed(tx, tx_state, state);
                return failed();
            }
            const auto total = CheckedMoneyAdd(fees, *fee);
            if (!total) {
                state.Invalid(BlockFailure::CONSENSUS, "bad-txns-accumulated-fee-outofrange");
                return failed();
            }
            fees = *total;
            if (check_signatures) {
                auto& outputs = spent_outputs.emplace_back();
                outputs.reserve(coins.size());
                for (const Coin& coin : coins) outputs.push_back(coin.out);
                // The shared sub-hashes, once per transaction, before any of
                // its inputs is checked (on whichever thread).
                auto data = PrecomputedTxData::Compute(tx, outputs);
                if (!data) {
                    tx_state.Invalid(TxFailure::CONSENSUS, "bad-txns-spent-count", data.error_message());
                    TxFailed(tx, tx_state, state);
                    return failed();
                }
                const PrecomputedTxData& shared = precomputed.emplace_back(std::move(*data));
                checks.clear();
                checks.reserve(outputs.size());
                for (size_t i = 0; i < outputs.size(); ++i) {
                    checks.push_back(InputSignatureCheck{&tx, static_cast<uint32_t>(i), &outputs[i], &shared,
                                                         params.network});
                }
                if (session) {
                    session->Add(std::move(checks));
                } else {
                    for (const InputSignatureCheck& check : checks) {
                        if (!check(state)) return std::nullopt;
                    }
                }
            }
            TxUndo tx_undo;
            tx_undo.spent.reserve(tx.inputs().size());
            for (const TxIn& in : tx.inputs()) {
                auto coin = view.SpendCoin(in.prevout);
                // Looked up above and inputs are distinct (CheckTransaction).
                if (!coin) {
                    state.Invalid(BlockFailure::CONSENSUS, "bad-txns-inputs-missingorspent");
                    return failed();
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
            return failed();
        }
    }
    // Every signature comes before the coinbase amount in block order.
    if (session) {
        if (auto failure = session->Wait()) {
            state = std::move(*failure);
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
