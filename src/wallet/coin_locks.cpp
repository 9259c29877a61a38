// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// lockunspent / listlockunspent: the wallet's in-memory coin locks
// (doc/wallet.md, "Coin locks"). Coin selection skips locked coins
// (spend.cpp); fundrawtransaction's lockUnspents adds to the same set.
#include <wallet/spend.h>
#include <wallet/wallet.h>

#include <primitives/transaction.h>

namespace hpips::wallet {

Result<void, CoinLockError> Wallet::SetCoinLocks(const std::vector<OutPoint>& outpoints, bool unlock)
{
    LockGuard lock{m_mutex};
    // Every output is checked before any lock changes: all or nothing, as Core.
    for (const OutPoint& outpoint : outpoints) {
        const auto record = m_db->GetTx(outpoint.txid);
        if (!record) return CoinLockError{CoinLockFailure::UNKNOWN_TX, "Invalid parameter, unknown transaction"};
        const auto tx = DecodeTransaction(record->raw);
        if (!tx || outpoint.index >= tx->outputs().size()) {
            return CoinLockError{CoinLockFailure::VOUT_OUT_OF_RANGE, "Invalid parameter, vout index out of bounds"};
        }
        const auto coin = m_db->GetOutput(outpoint);
        if (!coin) {
            return CoinLockError{CoinLockFailure::NOT_MINE, "Invalid parameter, the output does not pay this wallet"};
        }
        if (coin->spent_by) return CoinLockError{CoinLockFailure::SPENT, "Invalid parameter, expected unspent output"};
        const bool locked = m_locked_coins.contains(outpoint);
        if (!unlock && locked) {
            return CoinLockError{CoinLockFailure::ALREADY_LOCKED, "Invalid parameter, output already locked"};
        }
        if (unlock && !locked) {
            return CoinLockError{CoinLockFailure::NOT_LOCKED, "Invalid parameter, expected locked output"};
        }
    }
    for (const OutPoint& outpoint : outpoints) {
        if (unlock) {
            m_locked_coins.erase(outpoint);
        } else {
            m_locked_coins.insert(outpoint);
        }
    }
    return {};
}

void Wallet::UnlockAllCoins()
{
    LockGuard lock{m_mutex};
    m_locked_coins.clear();
}

std::vector<OutPoint> Wallet::LockedCoins() const
{
    LockGuard lock{m_mutex};
    return {m_locked_coins.begin(), m_locked_coins.end()};
}

}  // namespace hpips::wallet
