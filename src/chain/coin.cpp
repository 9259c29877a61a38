// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/coin.h>

#include <primitives/amount.h>

#include <cassert>

namespace hpips {

void WriteCoin(Writer& w, const Coin& coin)
{
    assert(!coin.IsSpent());
    w.WriteU32(coin.height);
    w.WriteU8(coin.coinbase ? 1 : 0);
    WriteTxOut(w, coin.out);
}

Coin ReadCoin(Reader& r)
{
    const uint32_t height{r.ReadU32()};
    const uint8_t coinbase{r.ReadU8()};
    if (coinbase > 1) throw SerializeError{"coin: coinbase flag must be 0 or 1"};
    TxOut out{ReadTxOut(r)};
    // Only valid transactions create coins, so an amount out of range means
    // the record is corrupt, not that a strange coin exists.
    if (!MoneyRange(out.amount)) throw SerializeError{"coin: amount out of range"};
    return Coin{std::move(out), height, coinbase == 1};
}

std::vector<uint8_t> EncodeCoin(const Coin& coin)
{
    Writer w{MIN_COIN_SIZE + coin.out.destination.payload.size() + 2};
    WriteCoin(w, coin);
    return w.Take();
}

Result<Coin> DecodeCoin(std::span<const uint8_t> bytes)
{
    if (bytes.size() > MAX_COIN_SIZE) return Error{"coin: record too large"};
    return Decode(bytes, [](Reader& r) { return ReadCoin(r); });
}

}  // namespace hpips
