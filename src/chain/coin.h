// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_COIN_H
#define HPIPS_CHAIN_COIN_H

#include <primitives/transaction.h>
#include <util/result.h>
#include <util/serialize.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

/**
 * One unspent transaction output as the chainstate stores it.
 *
 * Encoding (doc/chainstate.md, "Coin"):
 *   height u32 | coinbase u8 (0 or 1) | amount i64 | destination
 * where destination is kind u8 | CompactSize payload length | payload
 * (at most MAX_DESTINATION_PAYLOAD bytes). A decoder accepts only this exact
 * form: a coinbase byte other than 0/1, an amount outside [0, MAX_MONEY], an
 * over-long payload, a non-canonical CompactSize, truncation or a trailing
 * byte are all errors. A spent coin has no encoding: it never reaches disk.
 *
 * Not thread-safe (a plain value).
 */
namespace hpips {

/** Amount a spent (cleared) coin carries; no valid amount is negative. */
constexpr Amount SPENT_COIN_AMOUNT = -1;

/** Largest encoding of a coin: height, flag, amount, kind, a 3-byte
 *  CompactSize and the largest payload. */
constexpr size_t MAX_COIN_SIZE = 4 + 1 + 8 + 1 + 3 + MAX_DESTINATION_PAYLOAD;
/** Smallest encoding of a coin (empty destination payload). */
constexpr size_t MIN_COIN_SIZE = 4 + 1 + 8 + 1 + 1;

/** An output together with the height of the block that created it and
 *  whether that transaction was a coinbase (consensus needs both for coinbase
 *  maturity). */
struct Coin {
    /** The output; out.amount == SPENT_COIN_AMOUNT marks a spent coin. */
    TxOut out;
    /** Height of the block containing the creating transaction. */
    uint32_t height{0};
    /** True when the creating transaction is a coinbase. */
    bool coinbase{false};

    /** A spent coin: what a cache keeps to remember a spend until it is flushed. */
    Coin() { Clear(); }
    /** An unspent coin. */
    Coin(TxOut out_in, uint32_t height_in, bool coinbase_in)
        : out{std::move(out_in)}, height{height_in}, coinbase{coinbase_in} {}

    /** True for a spent (cleared) coin. */
    bool IsSpent() const { return out.amount == SPENT_COIN_AMOUNT; }
    /** Marks the coin spent and frees its destination payload. */
    void Clear()
    {
        out.amount = SPENT_COIN_AMOUNT;
        out.destination = Destination{};
        height = 0;
        coinbase = false;
    }
    /** Heap bytes owned by the coin (its destination payload), for the cache's
     *  memory estimate. */
    size_t DynamicMemoryUsage() const { return out.destination.payload.capacity(); }

    friend bool operator==(const Coin&, const Coin&) = default;
};

/** Writes an unspent coin (see the file comment). Writing a spent coin is a
 *  programming error and asserts. */
void WriteCoin(Writer& w, const Coin& coin);
/** Reads a coin strictly. Throws SerializeError; for use inside a Decode() boundary. */
Coin ReadCoin(Reader& r);

/** The encoding of an unspent coin. */
std::vector<uint8_t> EncodeCoin(const Coin& coin);
/** Decodes exactly one coin; any deviation from the canonical form is an
 *  error with the reason. */
Result<Coin> DecodeCoin(std::span<const uint8_t> bytes);

}  // namespace hpips

#endif  // HPIPS_CHAIN_COIN_H
