// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// mempool.dat (chain/mempool_persist.cpp): the codec's round trip and every
// refusal (magic, version, checksum, truncation, a count or a length over its
// bound, trailing bytes), the file-size bound one byte over, and a load that
// re-validates against the chain as it is now.
#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <chain/mempool_persist.h>
#include <crypto/key.h>
#include <crypto/sha256.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <primitives/sighash.h>
#include <util/serialize.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"
#include "mempool_test_util.h"

#include <filesystem>
#include <fstream>

namespace hpips {
namespace {

using test::TempDir;

/** A transaction that needs no chain (its input is made up). */
Transaction FakeTx(uint8_t seed, size_t witness_bytes = 0)
{
    MutableTransaction mtx;
    uint256 prev;
    prev.data()[0] = seed;
    mtx.inputs = {TxIn{OutPoint{prev, seed}, SEQUENCE_FINAL, std::vector<uint8_t>(witness_bytes, seed)}};
    mtx.outputs = {TxOut{1'000 + seed, KeyDestination(PrivKey::FromBytes(std::vector<uint8_t>(32, 0x22))->GetXOnlyPubKey())}};
    return Transaction{mtx};
}

/** `body` followed by its checksum, as a writer would finish it. */
std::vector<uint8_t> WithChecksum(std::vector<uint8_t> body)
{
    const uint256 checksum = Sha256d(body);
    body.insert(body.end(), checksum.span().begin(), checksum.span().end());
    return body;
}

std::string DecodeError(const std::vector<uint8_t>& bytes)
{
    auto decoded = DecodeMempoolFile(bytes);
    return decoded ? std::string{} : decoded.error_message();
}

TEST(MempoolFileCodec, RoundTrip)
{
    const std::vector<PersistedTx> txs{{FakeTx(1), 1'700'000'000, -MAX_FEE_DELTA}, {FakeTx(2, 300), -5, 12345}};
    const auto bytes = EncodeMempoolFile(txs);
    ASSERT_GE(bytes.size(), MEMPOOL_FILE_HEADER_SIZE + MEMPOOL_FILE_CHECKSUM_SIZE);
    EXPECT_TRUE(std::equal(MEMPOOL_FILE_MAGIC.begin(), MEMPOOL_FILE_MAGIC.end(), bytes.begin()));
    auto decoded = DecodeMempoolFile(bytes);
    ASSERT_TRUE(decoded) << decoded.error_message();
    ASSERT_EQ(decoded->size(), 2u);
    EXPECT_EQ((*decoded)[0].tx.GetWtxid(), txs[0].tx.GetWtxid());
    EXPECT_EQ((*decoded)[0].time, 1'700'000'000);
    EXPECT_EQ((*decoded)[1].tx.GetWtxid(), txs[1].tx.GetWtxid());
    EXPECT_EQ((*decoded)[1].time, -5);
    EXPECT_EQ((*decoded)[0].fee_delta, -MAX_FEE_DELTA);
    EXPECT_EQ((*decoded)[1].fee_delta, 12345);
    // An empty pool is a valid file too.
    auto empty = DecodeMempoolFile(EncodeMempoolFile({}));
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
    EXPECT_EQ(EncodeMempoolFile({}).size(), MEMPOOL_FILE_HEADER_SIZE + MEMPOOL_FILE_CHECKSUM_SIZE);
}

TEST(MempoolFileCodec, ReadsVersionOneAndBoundsTheDelta)
{
    // Version 1: no fee delta per entry; read as a delta of 0.
    const auto wire = EncodeTransaction(FakeTx(4));
    Writer v1;
    v1.WriteBytes(MEMPOOL_FILE_MAGIC);
    v1.WriteU32(MEMPOOL_FILE_VERSION_NO_DELTA);
    v1.WriteU64(1);
    v1.WriteI64(77);
    v1.WriteU32(static_cast<uint32_t>(wire.size()));
    v1.WriteBytes(wire);
    auto decoded = DecodeMempoolFile(WithChecksum(v1.Take()));
    ASSERT_TRUE(decoded) << decoded.error_message();
    ASSERT_EQ(decoded->size(), 1u);
    EXPECT_EQ((*decoded)[0].time, 77);
    EXPECT_EQ((*decoded)[0].fee_delta, 0);

    // Version 2 with a delta one past MAX_FEE_DELTA is refused.
    Writer over;
    over.WriteBytes(MEMPOOL_FILE_MAGIC);
    over.WriteU32(MEMPOOL_FILE_VERSION);
    over.WriteU64(1);
    over.WriteI64(0);
    over.WriteI64(MAX_FEE_DELTA + 1);
    over.WriteU32(static_cast<uint32_t>(wire.size()));
    over.WriteBytes(wire);
    EXPECT_EQ(DecodeError(WithChecksum(over.Take())), "transaction 0 has fee delta 21000000000000001, beyond MAX_FEE_DELTA");
}

TEST(MempoolFileCodec, RefusesCorruption)
{
    const std::vector<PersistedTx> txs{{FakeTx(1), 10}, {FakeTx(2), 20}};
    const auto good = EncodeMempoolFile(txs);

    auto bad_magic = good;
    bad_magic[0] ^= 1;
    EXPECT_EQ(DecodeError(bad_magic), "not a mempool file (bad magic)");

    // Any flipped byte is caught by the checksum (or earlier).
    for (size_t i = MEMPOOL_FILE_HEADER_SIZE; i < good.size(); i += 7) {
        auto flipped = good;
        flipped[i] ^= 0x40;
        EXPECT_NE(DecodeError(flipped), "") << "byte " << i;
    }
    auto bad_sum = good;
    bad_sum.back() ^= 1;
    EXPECT_EQ(DecodeError(bad_sum), "checksum mismatch");

    // Truncated anywhere.
    for (size_t size : {size_t{0}, size_t{3}, MEMPOOL_FILE_HEADER_SIZE, good.size() - 1}) {
        EXPECT_NE(DecodeError({good.begin(), good.begin() + static_cast<std::ptrdiff_t>(size)}), "") << size;
    }

    // Another version, with a valid checksum, is named as such.
    std::vector<uint8_t> body{good.begin(), good.end() - MEMPOOL_FILE_CHECKSUM_SIZE};
    auto v3 = body;
    v3[4] = 3;
    EXPECT_EQ(DecodeError(WithChecksum(v3)), "unsupported version 3 (this node reads versions 1 and 2)");

    // A trailing byte before the checksum.
    auto trailing = body;
    trailing.push_back(0);
    EXPECT_EQ(DecodeError(WithChecksum(trailing)), "trailing bytes");
}

TEST(MempoolFileCodec, BoundsCountAndLength)
{
    // A count one over what the bytes can hold is refused before allocating.
    Writer w;
    w.WriteBytes(MEMPOOL_FILE_MAGIC);
    w.WriteU32(MEMPOOL_FILE_VERSION_NO_DELTA);
    w.WriteU64(1);
    std::vector<uint8_t> one_short = w.Take();  // claims one entry, holds none
    EXPECT_EQ(DecodeError(WithChecksum(one_short)), "transaction count 1 larger than the file can hold");
    Writer huge;
    huge.WriteBytes(MEMPOOL_FILE_MAGIC);
    huge.WriteU32(MEMPOOL_FILE_VERSION_NO_DELTA);
    huge.WriteU64(UINT64_MAX);
    EXPECT_NE(DecodeError(WithChecksum(huge.Take())), "");

    // A length of MAX_TX_SIZE + 1 is refused by its value, not by reading.
    Writer big;
    big.WriteBytes(MEMPOOL_FILE_MAGIC);
    big.WriteU32(MEMPOOL_FILE_VERSION_NO_DELTA);
    big.WriteU64(1);
    big.WriteI64(0);
    big.WriteU32(static_cast<uint32_t>(MAX_TX_SIZE + 1));
    big.WriteBytes(std::vector<uint8_t>(64, 0));
    EXPECT_EQ(DecodeError(WithChecksum(big.Take())), "transaction 0 claims 4000001 bytes, more than MAX_TX_SIZE");

    // A length that runs past the end.
    Writer past;
    past.WriteBytes(MEMPOOL_FILE_MAGIC);
    past.WriteU32(MEMPOOL_FILE_VERSION_NO_DELTA);
    past.WriteU64(1);
    past.WriteI64(0);
    past.WriteU32(1000);
    past.WriteBytes(std::vector<uint8_t>(64, 0));
    EXPECT_EQ(DecodeError(WithChecksum(past.Take())), "truncated");

    // A transaction that does not decode exactly.
    const auto wire = EncodeTransaction(FakeTx(3));
    Writer junk;
    junk.WriteBytes(MEMPOOL_FILE_MAGIC);
    junk.WriteU32(MEMPOOL_FILE_VERSION_NO_DELTA);
    junk.WriteU64(1);
    junk.WriteI64(0);
    junk.WriteU32(static_cast<uint32_t>(wire.size() + 1));
    junk.WriteBytes(wire);
    junk.WriteU8(0);
    EXPECT_NE(DecodeError(WithChecksum(junk.Take())).find("transaction 0: "), std::string::npos);
}

/** 102 mined blocks: 2 mature coinbases. */
class MempoolPersistTest : public test::MempoolFixture {
protected:
    MempoolPersistTest() : MempoolFixture{102} {}
};

TEST_F(MempoolPersistTest, DumpAndLoadRevalidates)
{
    const auto [p1, s1] = Coinbase(1);
    const auto [p2, s2] = Coinbase(2);
    const Transaction parent = Spend(p1, s1, 10'000);
    const Transaction child = Spend(OutPoint{parent.GetTxid(), 0}, parent.outputs()[0], 10'000);
    const Transaction other = Spend(p2, s2, 10'000);
    // Whatever the rates, the file lists the parent before its child.
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(parent).Accepted());
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(child).Accepted());
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(other).Accepted());
    const auto path = m_dir.path() / MEMPOOL_FILE_NAME;
    auto dumped = DumpMempool(*m_pool, path);
    ASSERT_TRUE(dumped) << dumped.error_message();
    EXPECT_EQ(*dumped, 3u);
    for (const auto& file : std::filesystem::directory_iterator{m_dir.path()}) {
        EXPECT_FALSE(file.path().filename().string().starts_with("mempool.dat.new")) << file.path();
    }

    // `other` is confirmed meanwhile: a fresh pool loads the two others and drops it.
    MineBlock({other}, 10'000);
    Mempool fresh{*m_chainstate, MempoolOptions{}};
    auto loaded = LoadMempool(fresh, path, MaxMempoolFileSize(MempoolOptions{}.max_bytes));
    ASSERT_TRUE(loaded) << loaded.error_message();
    EXPECT_EQ(loaded->read, 3u);
    EXPECT_EQ(loaded->accepted, 2u);
    EXPECT_EQ(loaded->failed, 1u);
    EXPECT_TRUE(fresh.Exists(parent.GetTxid()));
    EXPECT_TRUE(fresh.Exists(child.GetTxid()));
    EXPECT_FALSE(fresh.Exists(other.GetTxid()));
    // Its input is spent now: it is not left waiting in the orphan pool.
    EXPECT_EQ(fresh.OrphanCount(), 0u);

    // A missing file is an empty load.
    Mempool none{*m_chainstate, MempoolOptions{}};
    auto missing = LoadMempool(none, m_dir.path() / "nosuch.dat", 1000);
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->read, 0u);
}

TEST_F(MempoolPersistTest, LoadIsAllOrNothing)
{
    const auto [p1, s1] = Coinbase(1);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(Spend(p1, s1, 10'000)).Accepted());
    const auto path = m_dir.path() / MEMPOOL_FILE_NAME;
    ASSERT_TRUE(DumpMempool(*m_pool, path));
    const auto size = std::filesystem::file_size(path);

    // The file-size bound: exactly the size loads, one byte less of limit refuses.
    Mempool at_limit{*m_chainstate, MempoolOptions{}};
    auto ok = LoadMempool(at_limit, path, size);
    ASSERT_TRUE(ok) << ok.error_message();
    EXPECT_EQ(ok->accepted, 1u);
    Mempool over{*m_chainstate, MempoolOptions{}};
    auto refused = LoadMempool(over, path, size - 1);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error_message().find("more than the"), std::string::npos);
    EXPECT_EQ(over.Size(), 0u);

    // A corrupt file (last byte of the checksum) loads nothing.
    {
        std::fstream file{path, std::ios::in | std::ios::out | std::ios::binary};
        file.seekp(-1, std::ios::end);
        file.put('\x5a');
    }
    Mempool corrupt{*m_chainstate, MempoolOptions{}};
    auto bad = LoadMempool(corrupt, path, size);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error_message().find("checksum mismatch"), std::string::npos);
    EXPECT_EQ(corrupt.Size(), 0u);
}

}  // namespace
}  // namespace hpips
