// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The jobdata RPC methods over a real store: results, the checks on every
// argument with Core's codes, and a node without a store.
#include <rpc/blobs.h>

#include <chain/blob_store.h>
#include <primitives/blob.h>
#include <util/strencodings.h>

#include "rpc_chain_fixture.h"

#include <fstream>

namespace hpips::test {
namespace {

class BlobRpcTest : public RpcChainTest {
protected:
    void SetUp() override
    {
        RpcChainTest::SetUp();
        auto store = BlobStore::Open(BlobStoreOptions{.dir = m_blob_dir.path() / "blobs", .quota = 4 * BLOB_CHUNK_SIZE});
        ASSERT_TRUE(store);
        m_store = std::move(*store);
        m_context->blobs = m_store.get();
        ASSERT_TRUE(RegisterBlobRPCCommands(m_table, *m_context));
    }

    TempDir m_blob_dir;
    std::unique_ptr<BlobStore> m_store;
};

TEST_F(BlobRpcTest, PutHexInfoChunk)
{
    const json::value put = Call("putblob", "[\"616263\"]");
    EXPECT_EQ(WriteJson(put),
              "{\"id\":\"dab25cff9aaf4eb55e13e095bb05ce9984c6f70bca833bf69ef5c01de265b0e3\",\"size\":3,\"chunks\":1}");
    const std::string id{put.at("id").as_string()};
    const json::value info = Call("getblobinfo", "[" + Quote(id) + "]");
    EXPECT_TRUE(info.at("complete").as_bool());
    EXPECT_TRUE(info.at("pinned").as_bool());
    EXPECT_EQ(info.at("refcount").as_uint64(), 0u);
    EXPECT_EQ(WriteJson(Call("getblobchunk", "[" + Quote(id) + ", 0]")), "{\"data\":\"616263\",\"proof\":\"010000\"}");
    EXPECT_EQ(Call("listblobs").as_array().size(), 1u);
    EXPECT_TRUE(Call("removeblob", "[" + Quote(id) + "]").is_null());
    EXPECT_EQ(Fail("getblobinfo", "[" + Quote(id) + "]").code, -5);
}

TEST_F(BlobRpcTest, ArgumentChecks)
{
    EXPECT_EQ(Fail("putblob").message, "Specify exactly one of hexdata and path");
    EXPECT_EQ(Fail("putblob", "[\"00\", \"/x\"]").code, -8);
    EXPECT_EQ(Fail("putblob", "{\"path\": \"relative\"}").message, "path must be absolute: relative");
    EXPECT_EQ(Fail("putblob", "[\"0\"]").message, "hexdata must be hexadecimal string");
    EXPECT_EQ(Fail("putblob", "[\"\"]").code, -8);
    EXPECT_EQ(Fail("getblobinfo", "[\"00\"]").code, -8);
    EXPECT_EQ(Fail("getblobchunk", "[\"" + std::string(64, '0') + "\", 256]").message,
              "index must be between 0 and 255");
    EXPECT_EQ(Fail("getblobchunk", "[\"" + std::string(64, '0') + "\", -1]").code, -8);
    // One byte over the quota (4 MiB) through the hex door.
    EXPECT_TRUE(Call("putblob", "[\"" + HexStr(std::vector<uint8_t>(4 * BLOB_CHUNK_SIZE - 1, 7)) + "\"]").is_object());
    const CallError over = Fail("putblob", "[\"0102\"]");
    EXPECT_EQ(over.code, -1);
    EXPECT_EQ(over.message.rfind("Blob quota exceeded", 0), 0u) << over.message;
}

TEST_F(BlobRpcTest, PutBlobChunk)
{
    std::vector<uint8_t> blob(BLOB_CHUNK_SIZE + 2, 0x5a);
    blob.back() = 1;
    const BlobDescriptor desc = *DescribeBlob(blob);
    const auto args = [&](uint64_t index, std::span<const uint8_t> data, uint64_t proof_index, uint64_t size) {
        return "[" + Quote(desc.id.GetHex()) + ", " + std::to_string(size) + ", " + std::to_string(index) + ", " +
               Quote(HexStr(data)) + ", " +
               Quote(HexStr(EncodeBlobChunkProof(*BlobChunkProof(desc.chunk_hashes, proof_index)))) + "]";
    };
    const auto chunk = [&](uint64_t i) {
        return std::span{blob}.subspan(BlobChunkOffset(i), BlobChunkLength(blob.size(), i));
    };
    const CallError bad = Fail("putblobchunk", args(1, chunk(1), 0, blob.size()));
    EXPECT_EQ(bad.code, -8);
    EXPECT_EQ(bad.message.rfind("Chunk refused (bad-proof)", 0), 0u) << bad.message;
    EXPECT_EQ(Fail("putblobchunk", args(1, chunk(0), 1, blob.size())).message.rfind("Chunk refused (bad-length)", 0), 0u);
    EXPECT_EQ(Fail("putblobchunk", args(0, chunk(0), 0, MAX_BLOB_SIZE + 1)).message,
              "size must be between 0 and " + std::to_string(MAX_BLOB_SIZE));
    EXPECT_FALSE(Call("putblobchunk", args(1, chunk(1), 1, blob.size())).at("complete").as_bool());
    const json::value done = Call("putblobchunk", args(0, chunk(0), 0, blob.size()));
    EXPECT_TRUE(done.at("complete").as_bool());
    EXPECT_EQ(done.at("received").as_uint64(), 2u);
    EXPECT_TRUE(m_store->Has(desc.id));
}

TEST_F(BlobRpcTest, PutPath)
{
    const auto path = m_blob_dir.path() / "input.bin";
    {
        std::ofstream out{path, std::ios::binary};
        out << "file contents";
    }
    const json::value put = Call("putblob", "{\"path\": " + Quote(path.string()) + "}");
    EXPECT_EQ(put.at("size").as_uint64(), 13u);
    EXPECT_EQ(Fail("putblob", "{\"path\": " + Quote((m_blob_dir.path() / "missing").string()) + "}").code, -1);
}

TEST_F(BlobRpcTest, NoStore)
{
    m_context->blobs = nullptr;
    EXPECT_EQ(Fail("listblobs").message, "Blob store is not available");
}

}  // namespace
}  // namespace hpips::test
