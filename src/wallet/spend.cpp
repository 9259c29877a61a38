// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/spend.h>
#include <wallet/wallet.h>
#include <wallet/wallet_meta.h>

#include <crypto/random.h>
#include <util/strencodings.h>

#include <algorithm>
#include <array>

namespace hpips::wallet {
namespace {

Destination KeyDest(const std::vector<uint8_t>& xonly)
{
    Destination dest;
    dest.kind = static_cast<uint8_t>(DestinationKind::KEY);
    dest.payload = xonly;
    return dest;
}

size_t RandomPosition(size_t count)
{
    std::array<uint8_t, 8> rand{};
    GetStrongRandBytes(rand);
    uint64_t r{0};
    for (uint8_t byte : rand) r = (r << 8) | byte;
    return r % (count + 1);
}

/** A fee rate for messages: base units per byte with three decimals. */
std::string RateText(WalletFeeRate rate)
{
    const std::string frac = std::to_string(1000 + rate % 1000).substr(1);
    return std::to_string(rate / 1000) + "." + frac + " base units/byte";
}

}  // namespace

std::vector<Amount> SplitFee(Amount fee, size_t count)
{
    std::vector<Amount> shares;
    if (count == 0) return shares;
    const Amount each = fee / static_cast<Amount>(count);
    shares.assign(count, each);
    shares[0] += fee - each * static_cast<Amount>(count);
    return shares;
}

bool Wallet::IsLocked() const
{
    LockGuard lock{m_mutex};
    return IsLockedLocked();
}

void Wallet::SetPayTxFee(std::optional<WalletFeeRate> rate)
{
    LockGuard lock{m_mutex};
    m_pay_tx_fee = rate;
}

std::optional<WalletFeeRate> Wallet::PayTxFee() const
{
    LockGuard lock{m_mutex};
    return m_pay_tx_fee;
}

Result<WalletFeeRate, SendError> Wallet::ChooseFeeRate(const CoinControl& control) const
{
    const WalletFeeRate relay = m_options.relay_fee_rate;
    if (control.fee_rate) {
        if (*control.fee_rate < relay) {
            return SendError{SendFailure::INVALID, "Fee rate (" + RateText(*control.fee_rate) +
                                                       ") is lower than the minimum fee rate setting (" +
                                                       RateText(relay) + ")"};
        }
        return *control.fee_rate;
    }
    if (!control.conf_target) {
        if (const auto pay = PayTxFee()) return std::max(*pay, relay);
    }
    // The estimate reads recent blocks: no wallet lock is held here.
    const int64_t target = control.conf_target.value_or(m_options.confirm_target);
    if (const auto estimate = m_chain.EstimateFeeRate(target, control.conservative)) return std::max(*estimate, relay);
    if (m_options.fallback_fee == 0) {
        return SendError{SendFailure::FEE_ESTIMATION,
                         "Fee estimation failed. Fallbackfee is disabled. Wait a few blocks or enable -fallbackfee."};
    }
    return std::max(m_options.fallback_fee, relay);
}

Result<Wallet::Built, SendError> Wallet::BuildLocked(MutableTransaction mtx, const std::vector<size_t>& subtract_fee_outputs,
                                                     const CoinControl& control, WalletFeeRate fee_rate)
{
    if (!m_keys) return SendError{SendFailure::KEYS_DISABLED, "This wallet has no available keys"};
    if (mtx.outputs.empty()) return SendError{SendFailure::INVALID, "Transaction must have at least one recipient"};
    const Amount dust = DustThreshold(m_options.relay_fee_rate);
    Amount output_total{0};
    for (const TxOut& out : mtx.outputs) {
        if (out.amount < 0) return SendError{SendFailure::INVALID, "Invalid amount for send"};
        output_total += out.amount;
        if (!MoneyRange(output_total)) return SendError{SendFailure::INVALID, "Amount out of range"};
    }
    for (size_t i : subtract_fee_outputs) {
        if (i >= mtx.outputs.size()) return SendError{SendFailure::INVALID, "Invalid subtract-fee output"};
    }

    // Preset inputs must be the wallet's unspent coins: their values are
    // needed for the fee and the signatures.
    Built built;
    Amount preset_total{0};
    std::set<OutPoint> preset;
    for (const TxIn& in : mtx.inputs) {
        auto coin = m_db->GetOutput(in.prevout);
        if (!coin || coin->spent_by || !preset.insert(in.prevout).second) {
            return SendError{SendFailure::INVALID, "Unable to find UTXO for external input " +
                                                       in.prevout.txid.GetHex() + ":" + std::to_string(in.prevout.index)};
        }
        preset_total += coin->amount;
        built.spent.push_back({coin->amount, KeyDest(coin->xonly)});
    }

    std::vector<OutputRecord> coins;
    if (control.add_inputs) {
        UnspentFilter filter;
        filter.tip_height = m_best_height;
        filter.min_conf = std::max<int64_t>(control.min_conf, 0);
        filter.unconfirmed_trusted_only = true;
        auto listed = m_db->ListUnspent(filter);
        if (!listed) return SendError{SendFailure::DATABASE, listed.error_message()};
        for (OutputRecord& coin : *listed) {
            if (preset.contains(coin.outpoint) || m_locked_coins.contains(coin.outpoint)) continue;
            coins.push_back(std::move(coin));
        }
    }
    std::vector<Amount> values;
    values.reserve(coins.size());
    for (const OutputRecord& coin : coins) values.push_back(coin.amount);

    SelectionParams params;
    // The preset inputs' value lowers what the new coins must bring (it may
    // go negative: then only change, if any, is added); their bytes are paid
    // for through extra_size.
    params.target = output_total - preset_total;
    params.fee_rate = fee_rate;
    params.recipient_outputs = mtx.outputs.size();
    params.extra_size = mtx.inputs.size() * INPUT_SIZE;
    params.dust = dust;
    params.subtract_fee = !subtract_fee_outputs.empty();
    auto selection = SelectCoins(values, params);
    if (!selection) {
        return SendError{selection.error().failure == SelectionFailure::INSUFFICIENT_FUNDS ? SendFailure::INSUFFICIENT_FUNDS
                                                                                          : SendFailure::INVALID,
                         selection.error().message};
    }

    // The recipients that pay the fee give up their shares.
    if (selection->recipients_pay > 0) {
        const auto shares = SplitFee(selection->recipients_pay, subtract_fee_outputs.size());
        for (size_t k = 0; k < subtract_fee_outputs.size(); ++k) {
            TxOut& out = mtx.outputs[subtract_fee_outputs[k]];
            out.amount -= shares[k];
            if (out.amount < dust) {
                return SendError{SendFailure::AMOUNT_TOO_SMALL, "The transaction amount is too small to pay the fee"};
            }
        }
    }

    for (size_t i : selection->selected) {
        const OutputRecord& coin = coins[i];
        TxIn in;
        in.prevout = coin.outpoint;
        mtx.inputs.push_back(in);
        built.spent.push_back({coin.amount, KeyDest(coin.xonly)});
    }
    if (selection->change > 0) {
        Destination change_dest;
        if (control.change_destination) {
            change_dest = *control.change_destination;
        } else {
            const uint32_t index = m_next_index[1];
            auto used = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return MarkUsed({KeyBranch::CHANGE, index}); });
            if (!used) return SendError{SendFailure::DATABASE, used.error_message()};
            auto change_key = m_keys->PubKeyAt(KeyBranch::CHANGE, index);
            if (!change_key) return SendError{SendFailure::DATABASE, change_key.error_message()};
            change_dest = KeyDestination(*change_key);
        }
        // A random position unless asked: change cannot be told apart by place.
        const size_t position = control.change_position ? std::min(*control.change_position, mtx.outputs.size())
                                                        : RandomPosition(mtx.outputs.size());
        mtx.outputs.insert(mtx.outputs.begin() + static_cast<std::ptrdiff_t>(position),
                           TxOut{selection->change, std::move(change_dest)});
        built.change_position = static_cast<int64_t>(position);
    }
    if (control.lock_unspents) {
        for (const TxIn& in : mtx.inputs) m_locked_coins.insert(in.prevout);
    }
    built.fee = selection->fee;
    built.tx = std::move(mtx);
    return built;
}

std::vector<InputSigningError> Wallet::SignLocked(MutableTransaction& mtx, const std::vector<std::optional<TxOut>>& spent)
{
    return SignTransactionInputs(
        mtx, spent,
        [&](const XOnlyPubKey& pubkey) EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> std::optional<PrivKey> {
            const auto pos = FindKey(KeyDestination(pubkey));
            if (!pos || !m_keys) return std::nullopt;
            auto key = m_keys->PrivKeyAt(pos->branch, pos->index);
            if (!key) return std::nullopt;
            return std::move(*key);
        },
        m_network);
}

Result<uint256, SendError> Wallet::Send(const std::vector<Recipient>& recipients, const CoinControl& control,
                                        const std::string& comment, const std::string& comment_to)
{
    if (recipients.empty()) return SendError{SendFailure::INVALID, "Transaction must have at least one recipient"};
    auto fee_rate = ChooseFeeRate(control);
    if (!fee_rate) return fee_rate.error();
    LockGuard send_lock{m_send_mutex};
    std::optional<Transaction> signed_tx;
    {
        LockGuard lock{m_mutex};
        if (IsLockedLocked()) return SendError{SendFailure::LOCKED, MSG_LOCKED};
        if (!m_keys || !m_keys->HasPrivateKeys()) {
            return SendError{SendFailure::KEYS_DISABLED, "Error: Private keys are disabled for this wallet"};
        }
        const Amount dust = DustThreshold(m_options.relay_fee_rate);
        MutableTransaction mtx;
        std::vector<size_t> subtract_fee_outputs;
        for (const Recipient& r : recipients) {
            if (r.amount <= 0) return SendError{SendFailure::INVALID, "Invalid amount for send"};
            if (r.amount < dust) return SendError{SendFailure::INVALID, "Transaction amount too small"};
            if (r.subtract_fee) subtract_fee_outputs.push_back(mtx.outputs.size());
            mtx.outputs.push_back({r.amount, r.destination});
        }
        auto built = BuildLocked(std::move(mtx), subtract_fee_outputs, control, *fee_rate);
        if (!built) return built.error();
        std::vector<std::optional<TxOut>> spent(built->spent.begin(), built->spent.end());
        if (auto errors = SignLocked(built->tx, spent); !errors.empty()) {
            return SendError{SendFailure::KEYS_DISABLED, "Signing transaction failed: " + errors.front().error};
        }
        signed_tx.emplace(std::move(built->tx));
    }
    // Without m_mutex: the mempool tells this wallet about the transaction
    // (TransactionAddedToMempool) on this thread before it returns.
    if (auto sent = m_chain.BroadcastTransaction(*signed_tx); !sent) {
        return SendError{SendFailure::REJECTED, sent.error_message()};
    }
    const uint256 txid = signed_tx->GetTxid();
    if (!comment.empty() || !comment_to.empty()) {
        LockGuard lock{m_mutex};
        if (auto r = m_db->SetTxComment(txid, comment, comment_to); !r) Fatal("storing a comment", r.error_message());
    }
    return txid;
}

Result<FundedTransaction, SendError> Wallet::Fund(MutableTransaction mtx, const std::vector<size_t>& subtract_fee_outputs,
                                                  const CoinControl& control)
{
    auto fee_rate = ChooseFeeRate(control);
    if (!fee_rate) return fee_rate.error();
    LockGuard send_lock{m_send_mutex};
    LockGuard lock{m_mutex};
    auto built = BuildLocked(std::move(mtx), subtract_fee_outputs, control, *fee_rate);
    if (!built) return built.error();
    return FundedTransaction{std::move(built->tx), built->fee, built->change_position};
}

Result<SignedTransaction, SendError> Wallet::SignTransaction(MutableTransaction mtx)
{
    LockGuard lock{m_mutex};
    if (IsLockedLocked()) return SendError{SendFailure::LOCKED, MSG_LOCKED};
    if (!m_keys || !m_keys->HasPrivateKeys()) {
        return SendError{SendFailure::KEYS_DISABLED, "Error: Private keys are disabled for this wallet"};
    }
    // The wallet knows the outputs it owns (spent or not); any other input
    // leaves the transaction unsigned (every signature commits to all spent
    // outputs).
    std::vector<std::optional<TxOut>> spent;
    spent.reserve(mtx.inputs.size());
    for (const TxIn& in : mtx.inputs) {
        if (auto coin = m_db->GetOutput(in.prevout)) {
            spent.push_back(TxOut{coin->amount, KeyDest(coin->xonly)});
        } else {
            spent.push_back(std::nullopt);
        }
    }
    auto errors = SignLocked(mtx, spent);
    return SignedTransaction{std::move(mtx), std::move(errors)};
}

Result<void, AbandonError> Wallet::AbandonTransaction(const uint256& txid)
{
    // Asked before the wallet lock: the mempool's own lock is never taken under it.
    const bool in_pool = m_chain.InMempool(txid);
    LockGuard lock{m_mutex};
    const auto record = m_db->GetTx(txid);
    if (!record) return AbandonError{AbandonFailure::NOT_FOUND, "Invalid or non-wallet transaction id"};
    // Core's rule: depth 0 exactly (a conflicted transaction's is negative),
    // not in the mempool, not abandoned already.
    if (record->block_height || record->in_mempool || in_pool || record->coinbase ||
        m_db->ConflictHeight(txid) || m_db->GetTxNote(txid).abandoned) {
        return AbandonError{AbandonFailure::NOT_ELIGIBLE, "Transaction not eligible for abandonment"};
    }
    auto r = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> Result<void> {
        if (auto w = m_db->SetTxAbandoned(txid, true); !w) return w;
        // Its inputs are free again (Deactivate is idempotent).
        return Deactivate(txid);
    });
    if (!r) return AbandonError{AbandonFailure::DATABASE, r.error_message()};
    return {};
}

}  // namespace hpips::wallet
