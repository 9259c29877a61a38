// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_SPEND_H
#define HPIPS_WALLET_SPEND_H

#include <primitives/amount.h>
#include <primitives/destination.h>
#include <primitives/transaction.h>
#include <primitives/tx_sign.h>
#include <wallet/coinselection.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/**
 * The types of the wallet's spending calls (doc/wallet.md, "Sending"); the
 * calls themselves are Wallet members (wallet.h), implemented in spend.cpp:
 * Send (sendtoaddress, sendmany), Fund (fundrawtransaction), SignTransaction
 * (signrawtransactionwithwallet), AbandonTransaction, and the per-wallet fee
 * rate of settxfee.
 *
 * The fee rate of a send, first that applies:
 *  1. the call's fee_rate (CoinControl::fee_rate);
 *  2. the call's conf_target: the node's estimatesmartfee for it;
 *  3. the wallet's settxfee / -paytxfee rate;
 *  4. estimatesmartfee for -txconfirmtarget (default 6);
 *  5. -fallbackfee when the node has no estimate (0: the send fails).
 * An estimated or configured rate below the relay minimum is raised to it; an
 * explicit fee_rate below it is refused.
 */
namespace hpips::wallet {

/** What a spending call may choose (Core's CCoinControl, the parts HPIPS has). */
struct CoinControl {
    /** An explicit fee rate, base units per 1000 bytes. */
    std::optional<WalletFeeRate> fee_rate;
    /** Estimate the fee rate for this many blocks instead. */
    std::optional<int64_t> conf_target;
    /** estimate_mode: conservative (also "unset") or economical. */
    bool conservative{true};
    /** Spend only coins with this many confirmations; 0 also spends the
     *  wallet's own unconfirmed change (never unconfirmed coins from others). */
    int64_t min_conf{0};
    /** Where change goes; nullopt: a new address of the change branch. */
    std::optional<Destination> change_destination;
    /** Where the change output is put; nullopt: a random position. */
    std::optional<size_t> change_position;
    /** fundrawtransaction add_inputs: coins may be added to the preset inputs. */
    bool add_inputs{true};
    /** fundrawtransaction lockUnspents: the coins chosen are not chosen again
     *  until the node restarts (an in-memory lock, as Core's). */
    bool lock_unspents{false};
};

/** fundrawtransaction's result. */
struct FundedTransaction {
    MutableTransaction tx;
    Amount fee{0};
    /** Position of the change output, -1 when none was added. */
    int64_t change_position{-1};
};

/** signrawtransactionwithwallet's result. */
struct SignedTransaction {
    MutableTransaction tx;
    /** Empty when every input is signed. */
    std::vector<InputSigningError> errors;
};

/** Why abandontransaction failed: both are Core's -5. */
enum class AbandonFailure {
    NOT_FOUND,     //!< "Invalid or non-wallet transaction id"
    NOT_ELIGIBLE,  //!< confirmed, conflicted, in the mempool, a coinbase or abandoned already
    DATABASE,
};
struct AbandonError {
    AbandonFailure failure;
    std::string message;
};

/** Why lockunspent refused (each Core's -8 message). Nothing is changed
 *  when any listed output fails. */
enum class CoinLockFailure {
    UNKNOWN_TX,        //!< "Invalid parameter, unknown transaction"
    VOUT_OUT_OF_RANGE, //!< "Invalid parameter, vout index out of bounds"
    NOT_MINE,          //!< the output does not pay the wallet
    SPENT,             //!< "Invalid parameter, expected unspent output"
    ALREADY_LOCKED,    //!< "Invalid parameter, output already locked"
    NOT_LOCKED,        //!< "Invalid parameter, expected locked output"
};
struct CoinLockError {
    CoinLockFailure failure;
    std::string message;
};

/** Splits `fee` over `count` outputs that pay it (subtractfeefrom): each
 *  gives fee / count, the first also the remainder (Core's rule). */
std::vector<Amount> SplitFee(Amount fee, size_t count);

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_SPEND_H
