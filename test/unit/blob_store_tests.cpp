// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The blob store on a real directory: put / get / list, chunk-by-chunk
// downloads with every kind of bad chunk, references and pins that survive a
// restart, the quota at its limit and one byte over, the count limits, and
// crash safety — a process killed in the middle of a download, a commit cut
// between its renames, damaged metadata and data — after which nothing
// half-written is listed or served and the store still opens.
#include <chain/blob_store.h>

#include <chain/blob_meta.h>

#include "chain_test_util.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace hpips {
namespace {

using test::TempDir;

std::vector<uint8_t> RandomBytes(size_t n, uint64_t seed)
{
    std::mt19937_64 rng{seed};
    std::vector<uint8_t> out(n);
    for (auto& b : out) b = static_cast<uint8_t>(rng());
    return out;
}

std::span<const uint8_t> Chunk(const std::vector<uint8_t>& blob, uint64_t index)
{
    return std::span{blob}.subspan(BlobChunkOffset(index), BlobChunkLength(blob.size(), index));
}

void WriteFile(const std::filesystem::path& path, std::span<const uint8_t> bytes)
{
    std::ofstream out{path, std::ios::binary | std::ios::trunc};
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> ReadFile(const std::filesystem::path& path)
{
    std::ifstream in{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

size_t CountFiles(const std::filesystem::path& dir)
{
    size_t n{0};
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator{dir}) ++n;
    return n;
}

class BlobStoreTest : public ::testing::Test {
protected:
    TempDir m_tmp;
    std::filesystem::path Dir() const { return m_tmp.path() / "blobs"; }

    std::unique_ptr<BlobStore> Open(uint64_t quota = DEFAULT_BLOB_QUOTA, size_t max_blobs = DEFAULT_MAX_BLOBS,
                                    size_t max_downloads = DEFAULT_MAX_BLOB_DOWNLOADS)
    {
        auto store = BlobStore::Open(BlobStoreOptions{Dir(), quota, max_blobs, max_downloads});
        EXPECT_TRUE(store) << (store ? "" : store.error().message);
        return store ? std::move(*store) : nullptr;
    }

    /** Every chunk served by `store` verifies against the id and reassembles `blob`. */
    static void ExpectServes(const BlobStore& store, const std::vector<uint8_t>& blob)
    {
        const uint256 id = *ComputeBlobId(blob);
        const uint32_t chunks = *BlobChunkCount(blob.size());
        std::vector<uint8_t> assembled;
        for (uint32_t i = 0; i < chunks; ++i) {
            const auto chunk = store.GetChunk(id, i);
            ASSERT_TRUE(chunk) << chunk.error().message;
            EXPECT_TRUE(VerifyChunk(id, blob.size(), i, chunk->data, chunk->proof));
            assembled.insert(assembled.end(), chunk->data.begin(), chunk->data.end());
        }
        EXPECT_EQ(assembled, blob);
        EXPECT_EQ(store.GetChunk(id, chunks).error().blob_failure, BlobFailure::BAD_INDEX);
    }
};

BlobStoreFailure FailureOf(const auto& result)
{
    EXPECT_FALSE(result);
    return result ? BlobStoreFailure::IO : result.error().failure;
}

TEST_F(BlobStoreTest, PutGetListInfo)
{
    auto store = Open();
    const auto small = RandomBytes(1, 1);
    const auto large = RandomBytes(2 * BLOB_CHUNK_SIZE + 100, 2);
    const auto put_small = store->Put(small, /*pin=*/false);
    ASSERT_TRUE(put_small) << put_small.error().message;
    const auto put_large = store->Put(large, /*pin=*/true);
    ASSERT_TRUE(put_large);
    EXPECT_EQ(put_large->id, *ComputeBlobId(large));
    EXPECT_EQ(put_large->size, large.size());
    EXPECT_EQ(put_large->chunks, 3u);
    EXPECT_TRUE(put_large->complete);
    EXPECT_EQ(put_large->received, 3u);
    EXPECT_TRUE(put_large->pinned);
    EXPECT_FALSE(put_small->pinned);

    ExpectServes(*store, small);
    ExpectServes(*store, large);
    EXPECT_TRUE(store->Has(put_large->id));
    EXPECT_EQ(store->GetInfo(put_small->id)->size, 1u);
    EXPECT_FALSE(store->GetInfo(uint256{}));
    EXPECT_EQ(FailureOf(store->GetChunk(uint256{}, 0)), BlobStoreFailure::NOT_FOUND);
    EXPECT_EQ(store->List().size(), 2u);
    EXPECT_EQ(store->UsedBytes(), small.size() + large.size());

    // A repeated put returns the stored blob (pinning it when asked) and
    // counts nothing twice.
    const auto again = store->Put(small, /*pin=*/true);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->pinned);
    EXPECT_EQ(store->UsedBytes(), small.size() + large.size());
    EXPECT_EQ(CountFiles(Dir() / "tmp"), 0u);

    // The files are where doc/blobs.md says, and the data file is the blob.
    EXPECT_EQ(ReadFile(Dir() / (put_large->id.GetHex() + ".blob")), large);
    EXPECT_TRUE(std::filesystem::exists(Dir() / (put_large->id.GetHex() + ".meta")));
}

TEST_F(BlobStoreTest, InvalidPuts)
{
    auto store = Open();
    const auto empty = store->Put({}, false);
    EXPECT_EQ(FailureOf(empty), BlobStoreFailure::INVALID);
    EXPECT_EQ(empty.error().blob_failure, BlobFailure::EMPTY);
}

TEST_F(BlobStoreTest, PutFile)
{
    auto store = Open();
    const auto data = RandomBytes(BLOB_CHUNK_SIZE + 1, 3);
    const auto path = m_tmp.path() / "input.bin";
    WriteFile(path, data);
    const auto put = store->PutFile(path, /*pin=*/true);
    ASSERT_TRUE(put) << put.error().message;
    EXPECT_EQ(put->id, *ComputeBlobId(data));
    EXPECT_TRUE(put->pinned);
    ExpectServes(*store, data);

    EXPECT_EQ(FailureOf(store->PutFile(m_tmp.path() / "missing", false)), BlobStoreFailure::IO);
    EXPECT_EQ(FailureOf(store->PutFile(m_tmp.path(), false)), BlobStoreFailure::IO);
    const auto empty_path = m_tmp.path() / "empty.bin";
    WriteFile(empty_path, {});
    EXPECT_EQ(store->PutFile(empty_path, false).error().blob_failure, BlobFailure::EMPTY);
}

TEST_F(BlobStoreTest, PutFileOverMaxIsRefusedBeforeReading)
{
    // A sparse file one byte over the limit: refused by its size alone (no
    // disk space or read time is spent on it).
    auto store = Open();
    const auto path = m_tmp.path() / "huge.bin";
    {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(MAX_BLOB_SIZE + 1)), 0);
        ::close(fd);
    }
    const auto refused = store->PutFile(path, false);
    EXPECT_EQ(FailureOf(refused), BlobStoreFailure::INVALID);
    EXPECT_EQ(refused.error().blob_failure, BlobFailure::TOO_LARGE);
    EXPECT_EQ(store->UsedBytes(), 0u);
    EXPECT_EQ(CountFiles(Dir() / "tmp"), 0u);
}

TEST_F(BlobStoreTest, QuotaAtLimitAndOneByteOver)
{
    const uint64_t quota = 3 * BLOB_CHUNK_SIZE;
    auto store = Open(quota);
    ASSERT_TRUE(store->Put(RandomBytes(2 * BLOB_CHUNK_SIZE, 4), false));
    // Exactly up to the quota is allowed...
    ASSERT_TRUE(store->Put(RandomBytes(BLOB_CHUNK_SIZE, 5), false));
    EXPECT_EQ(store->UsedBytes(), quota);
    // ...one byte more is not, by any door, and leaves nothing behind.
    const auto one_byte = RandomBytes(1, 6);
    EXPECT_EQ(FailureOf(store->Put(one_byte, false)), BlobStoreFailure::QUOTA);
    const auto path = m_tmp.path() / "one.bin";
    WriteFile(path, one_byte);
    EXPECT_EQ(FailureOf(store->PutFile(path, false)), BlobStoreFailure::QUOTA);
    EXPECT_EQ(FailureOf(store->BeginDownload(*ComputeBlobId(one_byte), 1)), BlobStoreFailure::QUOTA);
    EXPECT_EQ(store->UsedBytes(), quota);
    EXPECT_EQ(store->List().size(), 2u);
    EXPECT_EQ(CountFiles(Dir() / "tmp"), 0u);
    // A blob that is already stored is still found by a put when full.
    const auto stored = RandomBytes(BLOB_CHUNK_SIZE, 5);
    ASSERT_TRUE(store->Put(stored, true));
    const auto stored_path = m_tmp.path() / "stored.bin";
    WriteFile(stored_path, stored);
    const auto found = store->PutFile(stored_path, false);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_TRUE(found->pinned);

    // Freeing space makes room again; a smaller quota at the next start keeps
    // what is stored but refuses anything new.
    ASSERT_TRUE(store->Remove(*ComputeBlobId(stored)));
    EXPECT_TRUE(store->Put(one_byte, false));
    store.reset();
    store = Open(BLOB_CHUNK_SIZE);
    EXPECT_EQ(store->List().size(), 2u);
    EXPECT_EQ(FailureOf(store->Put(RandomBytes(1, 7), false)), BlobStoreFailure::QUOTA);
}

TEST_F(BlobStoreTest, DownloadReservesItsFullSize)
{
    auto store = Open(2 * BLOB_CHUNK_SIZE);
    const auto blob = RandomBytes(2 * BLOB_CHUNK_SIZE, 8);
    const auto desc = *DescribeBlob(blob);
    ASSERT_TRUE(store->BeginDownload(desc.id, desc.size));
    EXPECT_EQ(store->UsedBytes(), 2 * BLOB_CHUNK_SIZE);
    EXPECT_EQ(FailureOf(store->Put(RandomBytes(1, 9), false)), BlobStoreFailure::QUOTA);
    EXPECT_TRUE(store->AbortDownload(desc.id));
    EXPECT_FALSE(store->AbortDownload(desc.id));
    EXPECT_EQ(store->UsedBytes(), 0u);
    EXPECT_EQ(CountFiles(Dir() / "tmp"), 0u);
}

TEST_F(BlobStoreTest, CountLimits)
{
    auto store = Open(DEFAULT_BLOB_QUOTA, /*max_blobs=*/2, /*max_downloads=*/1);
    ASSERT_TRUE(store->Put(RandomBytes(1, 10), false));
    const auto a = RandomBytes(1, 11);
    const auto b = RandomBytes(1, 12);
    ASSERT_TRUE(store->BeginDownload(*ComputeBlobId(a), 1));
    // A second download: over max_downloads; a put: over max_blobs (the
    // download holds the second slot).
    EXPECT_EQ(FailureOf(store->BeginDownload(*ComputeBlobId(b), 1)), BlobStoreFailure::LIMIT);
    EXPECT_EQ(FailureOf(store->Put(b, false)), BlobStoreFailure::LIMIT);
    ASSERT_TRUE(store->AbortDownload(*ComputeBlobId(a)));
    EXPECT_TRUE(store->Put(b, false));
    EXPECT_EQ(FailureOf(store->Put(a, false)), BlobStoreFailure::LIMIT);
}

TEST_F(BlobStoreTest, ChunkByChunkDownload)
{
    auto store = Open();
    const auto blob = RandomBytes(3 * BLOB_CHUNK_SIZE + 17, 13);
    const auto desc = *DescribeBlob(blob);
    const auto proof = [&](uint64_t i) { return *BlobChunkProof(desc.chunk_hashes, i); };

    EXPECT_EQ(FailureOf(store->AcceptChunk(desc.id, 0, Chunk(blob, 0), proof(0))), BlobStoreFailure::NOT_FOUND);
    const auto begun = store->BeginDownload(desc.id, desc.size);
    ASSERT_TRUE(begun);
    EXPECT_FALSE(begun->complete);
    EXPECT_EQ(begun->received, 0u);
    EXPECT_EQ(begun->chunks, 4u);
    EXPECT_EQ(store->MissingChunks(desc.id), (std::vector<uint32_t>{0, 1, 2, 3}));
    // Beginning again is harmless; with another size it is a conflict.
    EXPECT_TRUE(store->BeginDownload(desc.id, desc.size));
    EXPECT_EQ(FailureOf(store->BeginDownload(desc.id, desc.size + 1)), BlobStoreFailure::CONFLICT);

    // Out of order, with a duplicate.
    auto receipt = store->AcceptChunk(desc.id, 3, Chunk(blob, 3), proof(3));
    ASSERT_TRUE(receipt) << receipt.error().message;
    EXPECT_TRUE(receipt->stored);
    EXPECT_EQ(receipt->info.received, 1u);
    receipt = store->AcceptChunk(desc.id, 3, Chunk(blob, 3), proof(3));
    ASSERT_TRUE(receipt);
    EXPECT_FALSE(receipt->stored);
    ASSERT_TRUE(store->AcceptChunk(desc.id, 1, Chunk(blob, 1), proof(1)));
    EXPECT_EQ(store->MissingChunks(desc.id), (std::vector<uint32_t>{0, 2}));

    // Bad chunks: each refused as INVALID with its class, nothing written.
    const auto bad = [&](uint64_t index, std::span<const uint8_t> chunk, const MerkleProof& p) {
        const auto refused = store->AcceptChunk(desc.id, index, chunk, p);
        EXPECT_EQ(FailureOf(refused), BlobStoreFailure::INVALID);
        return refused ? BlobFailure::EMPTY : *refused.error().blob_failure;
    };
    EXPECT_EQ(bad(0, Chunk(blob, 2), proof(0)), BlobFailure::BAD_PROOF);
    EXPECT_EQ(bad(0, Chunk(blob, 0), proof(2)), BlobFailure::BAD_PROOF);
    EXPECT_EQ(bad(0, Chunk(blob, 0).first(100), proof(0)), BlobFailure::BAD_LENGTH);
    EXPECT_EQ(bad(4, Chunk(blob, 3), proof(3)), BlobFailure::BAD_INDEX);
    std::vector<uint8_t> flipped(Chunk(blob, 0).begin(), Chunk(blob, 0).end());
    flipped[0] ^= 1;
    EXPECT_EQ(bad(0, flipped, proof(0)), BlobFailure::BAD_PROOF);
    // A bad copy of a chunk already present is still caught.
    EXPECT_EQ(bad(3, Chunk(blob, 2).first(17), proof(3)), BlobFailure::BAD_PROOF);
    EXPECT_EQ(store->GetInfo(desc.id)->received, 2u);

    // Incomplete: listed as such, never served.
    EXPECT_FALSE(store->Has(desc.id));
    EXPECT_EQ(FailureOf(store->GetChunk(desc.id, 1)), BlobStoreFailure::NOT_FOUND);
    ASSERT_EQ(store->List().size(), 1u);
    EXPECT_FALSE(store->List()[0].complete);

    ASSERT_TRUE(store->AcceptChunk(desc.id, 0, Chunk(blob, 0), proof(0)));
    receipt = store->AcceptChunk(desc.id, 2, Chunk(blob, 2), proof(2));
    ASSERT_TRUE(receipt) << receipt.error().message;
    EXPECT_TRUE(receipt->stored);
    EXPECT_TRUE(receipt->info.complete);
    EXPECT_TRUE(store->Has(desc.id));
    EXPECT_TRUE(store->MissingChunks(desc.id).empty());
    ExpectServes(*store, blob);
    EXPECT_EQ(store->UsedBytes(), blob.size());
    EXPECT_EQ(CountFiles(Dir() / "tmp"), 0u);

    // After completion: valid chunks are acknowledged, invalid ones refused.
    receipt = store->AcceptChunk(desc.id, 1, Chunk(blob, 1), proof(1));
    ASSERT_TRUE(receipt);
    EXPECT_FALSE(receipt->stored);
    EXPECT_TRUE(receipt->info.complete);
    EXPECT_EQ(bad(1, Chunk(blob, 0), proof(1)), BlobFailure::BAD_PROOF);
    // Beginning a complete blob's download returns it (with the size checked).
    EXPECT_TRUE(store->BeginDownload(desc.id, desc.size)->complete);
    EXPECT_EQ(FailureOf(store->BeginDownload(desc.id, desc.size - 1)), BlobStoreFailure::CONFLICT);
}

TEST_F(BlobStoreTest, WrongSizeFromAPeerIsCaughtOnTheFirstChunk)
{
    auto store = Open();
    const auto blob = RandomBytes(BLOB_CHUNK_SIZE + 5, 14);
    const auto desc = *DescribeBlob(blob);
    ASSERT_TRUE(store->BeginDownload(desc.id, desc.size + 1));
    const auto refused = store->AcceptChunk(desc.id, 0, Chunk(blob, 0), *BlobChunkProof(desc.chunk_hashes, 0));
    EXPECT_EQ(FailureOf(refused), BlobStoreFailure::INVALID);
    EXPECT_EQ(refused.error().blob_failure, BlobFailure::BAD_PROOF);
}

TEST_F(BlobStoreTest, PinnedDownload)
{
    auto store = Open();
    const auto blob = RandomBytes(10, 15);
    const auto desc = *DescribeBlob(blob);
    ASSERT_TRUE(store->BeginDownload(desc.id, desc.size, /*pin=*/true));
    const auto receipt = store->AcceptChunk(desc.id, 0, blob, *BlobChunkProof(desc.chunk_hashes, 0));
    ASSERT_TRUE(receipt);
    EXPECT_TRUE(receipt->info.complete);
    EXPECT_TRUE(receipt->info.pinned);
}

TEST_F(BlobStoreTest, ConcurrentChunksFromManyPeers)
{
    auto store = Open();
    const auto blob = RandomBytes(8 * BLOB_CHUNK_SIZE - 3, 16);
    const auto desc = *DescribeBlob(blob);
    ASSERT_TRUE(store->BeginDownload(desc.id, desc.size));
    // Four "peers" each send every chunk (in different orders) while a
    // reader polls: each chunk is stored once, the blob completes once.
    std::atomic<int> stored{0};
    std::vector<std::thread> peers;
    for (int p = 0; p < 4; ++p) {
        peers.emplace_back([&, p] {
            for (uint32_t k = 0; k < 8; ++k) {
                const uint32_t i = (k + 2 * p) % 8;
                const auto r = store->AcceptChunk(desc.id, i, Chunk(blob, i), *BlobChunkProof(desc.chunk_hashes, i));
                ASSERT_TRUE(r) << r.error().message;
                if (r->stored) ++stored;
                (void)store->List();
            }
        });
    }
    for (auto& t : peers) t.join();
    EXPECT_EQ(stored.load(), 8);
    EXPECT_TRUE(store->Has(desc.id));
    ExpectServes(*store, blob);
    EXPECT_EQ(store->UsedBytes(), blob.size());
}

TEST_F(BlobStoreTest, ReferencesAndPinsSurviveARestart)
{
    auto store = Open();
    const auto a = RandomBytes(100, 17);
    const auto b = RandomBytes(200, 18);
    const auto c = RandomBytes(300, 19);
    const uint256 ida = store->Put(a, false)->id;
    const uint256 idb = store->Put(b, false)->id;
    const uint256 idc = store->Put(c, /*pin=*/true)->id;
    EXPECT_EQ(*store->AddRef(ida), 1u);
    EXPECT_EQ(*store->AddRef(ida), 2u);
    EXPECT_EQ(*store->Release(ida), 1u);
    EXPECT_EQ(FailureOf(store->Release(idb)), BlobStoreFailure::NOT_FOUND);
    EXPECT_EQ(FailureOf(store->AddRef(uint256{})), BlobStoreFailure::NOT_FOUND);
    EXPECT_EQ(FailureOf(store->Remove(ida)), BlobStoreFailure::IN_USE);

    store.reset();
    store = Open();
    EXPECT_EQ(store->GetInfo(ida)->refcount, 1u);
    EXPECT_EQ(store->GetInfo(idb)->refcount, 0u);
    EXPECT_TRUE(store->GetInfo(idc)->pinned);
    EXPECT_EQ(store->OpenReport().blobs, 3u);
    EXPECT_EQ(store->OpenReport().bytes, 600u);

    // Prune keeps the referenced and the pinned.
    EXPECT_EQ(*store->PruneUnreferenced(), 200u);
    EXPECT_FALSE(store->Has(idb));
    EXPECT_TRUE(store->Has(ida));
    EXPECT_TRUE(store->Has(idc));
    EXPECT_EQ(store->UsedBytes(), 400u);
    // A pinned blob can still be removed explicitly; an unpinned one pruned.
    ASSERT_TRUE(store->SetPinned(idc, false));
    ASSERT_TRUE(store->Release(ida));
    EXPECT_EQ(*store->PruneUnreferenced(), 400u);
    EXPECT_TRUE(store->List().empty());
    EXPECT_EQ(FailureOf(store->Remove(ida)), BlobStoreFailure::NOT_FOUND);
    store.reset();
    store = Open();
    EXPECT_TRUE(store->List().empty());
    EXPECT_EQ(CountFiles(Dir()), 1u);  // tmp/
}

TEST_F(BlobStoreTest, CrashDuringADownloadLeavesNothingListed)
{
    const auto blob = RandomBytes(3 * BLOB_CHUNK_SIZE, 20);
    const auto desc = *DescribeBlob(blob);
    const auto kept = RandomBytes(50, 21);
    ASSERT_TRUE(Open()->Put(kept, false));
    // A child process (forked: gtest's default death test style) receives
    // two of three chunks and dies without any cleanup (no destructors run).
    const auto child = [&] {
        auto store = BlobStore::Open(BlobStoreOptions{.dir = Dir()});
        if (!store) std::_Exit(2);
        if (!(*store)->BeginDownload(desc.id, desc.size)) std::_Exit(3);
        for (const uint32_t i : {0u, 2u}) {
            if (!(*store)->AcceptChunk(desc.id, i, Chunk(blob, i), *BlobChunkProof(desc.chunk_hashes, i))) std::_Exit(4);
        }
        std::_Exit(0);
    };
    EXPECT_EXIT(child(), ::testing::ExitedWithCode(0), "");
    EXPECT_EQ(CountFiles(Dir() / "tmp"), 1u);  // the partial download's file

    auto store = Open();
    EXPECT_EQ(store->OpenReport().temp_files_removed, 1u);
    EXPECT_EQ(CountFiles(Dir() / "tmp"), 0u);
    ASSERT_EQ(store->List().size(), 1u);
    EXPECT_EQ(store->List()[0].id, *ComputeBlobId(kept));
    EXPECT_FALSE(store->GetInfo(desc.id));
    EXPECT_EQ(FailureOf(store->GetChunk(desc.id, 0)), BlobStoreFailure::NOT_FOUND);
    // The download can start over and finish.
    ASSERT_TRUE(store->BeginDownload(desc.id, desc.size));
    for (uint32_t i = 0; i < 3; ++i) {
        ASSERT_TRUE(store->AcceptChunk(desc.id, i, Chunk(blob, i), *BlobChunkProof(desc.chunk_hashes, i)));
    }
    ExpectServes(*store, blob);
}

TEST_F(BlobStoreTest, CommitCutBetweenItsRenames)
{
    // What a crash at each point of a commit leaves, built by hand: data
    // renamed but metadata not (a .blob alone), and the reverse.
    const auto a = RandomBytes(BLOB_CHUNK_SIZE + 1, 22);
    const auto b = RandomBytes(77, 23);
    const auto c = RandomBytes(10, 24);
    uint256 ida, idb, idc;
    {
        auto store = Open();
        ida = store->Put(a, false)->id;
        idb = store->Put(b, false)->id;
        idc = store->Put(c, false)->id;
    }
    std::filesystem::remove(Dir() / (ida.GetHex() + ".meta"));
    std::filesystem::remove(Dir() / (idb.GetHex() + ".blob"));
    WriteFile(Dir() / "tmp" / "7.meta", EncodeBlobMeta(BlobMeta{*DescribeBlob(b), 0, false}));

    auto store = Open();
    EXPECT_EQ(store->OpenReport().problems.size(), 2u);
    EXPECT_EQ(store->OpenReport().temp_files_removed, 1u);
    EXPECT_FALSE(store->GetInfo(ida));
    EXPECT_FALSE(store->GetInfo(idb));
    ASSERT_EQ(store->List().size(), 1u);
    ExpectServes(*store, c);
    EXPECT_FALSE(std::filesystem::exists(Dir() / (ida.GetHex() + ".blob")));
    EXPECT_FALSE(std::filesystem::exists(Dir() / (idb.GetHex() + ".meta")));
    EXPECT_EQ(store->UsedBytes(), c.size());
    // Both can be stored again.
    EXPECT_TRUE(store->Put(a, false));
    EXPECT_TRUE(store->Put(b, false));
}

TEST_F(BlobStoreTest, CorruptMetadataIsRemovedAndTheStoreOpens)
{
    const auto a = RandomBytes(1000, 25);
    const auto b = RandomBytes(2000, 26);
    const auto c = RandomBytes(3000, 27);
    const auto d = RandomBytes(4000, 28);
    uint256 ida, idb, idc, idd;
    {
        auto store = Open();
        ida = store->Put(a, false)->id;
        idb = store->Put(b, false)->id;
        idc = store->Put(c, false)->id;
        idd = store->Put(d, false)->id;
    }
    // A flipped byte, a truncated file, a huge file, and a data file of the
    // wrong length.
    auto meta = ReadFile(Dir() / (ida.GetHex() + ".meta"));
    meta[20] ^= 0x40;
    WriteFile(Dir() / (ida.GetHex() + ".meta"), meta);
    WriteFile(Dir() / (idb.GetHex() + ".meta"), std::span{meta}.first(10));
    WriteFile(Dir() / (idc.GetHex() + ".meta"), std::vector<uint8_t>(MAX_BLOB_META_SIZE + 1, 0));
    WriteFile(Dir() / (idd.GetHex() + ".blob"), std::span{d}.first(d.size() - 1));
    WriteFile(Dir() / "README", std::vector<uint8_t>{'x'});

    auto store = Open();
    const auto& problems = store->OpenReport().problems;
    ASSERT_EQ(problems.size(), 5u);
    EXPECT_EQ(std::count_if(problems.begin(), problems.end(),
                            [](const std::string& p) { return p.find("corrupt metadata") != std::string::npos; }),
              2);
    EXPECT_TRUE(store->List().empty());
    EXPECT_EQ(store->UsedBytes(), 0u);
    // Only the unknown file and tmp/ are left.
    EXPECT_EQ(CountFiles(Dir()), 2u);
    EXPECT_TRUE(store->Put(a, false));
}

TEST_F(BlobStoreTest, DamagedDataIsNeverServed)
{
    auto store = Open();
    const auto blob = RandomBytes(2 * BLOB_CHUNK_SIZE, 29);
    const uint256 id = store->Put(blob, false)->id;
    auto bytes = ReadFile(Dir() / (id.GetHex() + ".blob"));
    bytes[BLOB_CHUNK_SIZE + 5] ^= 0x01;
    WriteFile(Dir() / (id.GetHex() + ".blob"), bytes);
    EXPECT_TRUE(store->GetChunk(id, 0));
    EXPECT_EQ(FailureOf(store->GetChunk(id, 1)), BlobStoreFailure::CORRUPT);
}

TEST_F(BlobStoreTest, OpenFailsOnlyWhenTheDirectoryIsUnusable)
{
    WriteFile(m_tmp.path() / "file", std::vector<uint8_t>{1});
    const auto store = BlobStore::Open(BlobStoreOptions{.dir = m_tmp.path() / "file"});
    EXPECT_EQ(FailureOf(store), BlobStoreFailure::IO);
}

TEST(BlobStoreFailureTest, Names)
{
    EXPECT_EQ(BlobStoreFailureName(BlobStoreFailure::QUOTA), "quota");
    EXPECT_EQ(BlobStoreFailureName(BlobStoreFailure::NOT_FOUND), "not-found");
    EXPECT_EQ(BlobStoreFailureName(BlobStoreFailure::INVALID), "invalid");
}

}  // namespace
}  // namespace hpips
