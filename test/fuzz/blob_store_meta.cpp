// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The blob store's metadata loader on arbitrary files. DecodeBlobMeta must
// never fault, and what it accepts must re-encode to the same bytes. Then the
// bytes are written as <id>.meta beside a (sparse) data file of the size the
// bytes claim, and BlobStore::Open must list the blob exactly when the file
// decodes and the sizes agree — and otherwise remove both files and still open.
//
// Input: the expected id (32) | the metadata file's bytes (the rest).
#include <chain/blob_meta.h>
#include <chain/blob_store.h>

#include <util/serialize.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace {

/** One scratch directory per process, removed at exit. */
class Scratch {
public:
    Scratch()
    {
        std::string tmpl{(std::filesystem::temp_directory_path() / "hpips_fuzz_blob_XXXXXX").string()};
        if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
        m_path = tmpl;
    }
    ~Scratch()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    static const Scratch scratch;
    const std::span<const uint8_t> input{data, size};
    if (input.size() < uint256::SIZE) return 0;
    const uint256 id = uint256::FromBytes(input.first<uint256::SIZE>());
    const auto bytes = input.subspan(uint256::SIZE);

    const auto decoded = DecodeBlobMeta(bytes, id);
    if (decoded) {
        if (decoded->blob.id != id) std::abort();
        if (EncodeBlobMeta(*decoded) != std::vector<uint8_t>(bytes.begin(), bytes.end())) std::abort();
    }

    // The loader: the data file has the size the metadata claims (bytes 5..12).
    const auto dir = scratch.path() / "blobs";
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir);
    {
        std::ofstream meta{dir / (id.GetHex() + ".meta"), std::ios::binary};
        meta.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    uint64_t claimed{0};
    for (size_t i = 0; i < 8 && 5 + i < bytes.size(); ++i) claimed |= uint64_t{bytes[5 + i]} << (8 * i);
    claimed = std::min<uint64_t>(claimed, MAX_BLOB_SIZE + 1);
    {
        const std::string path{(dir / (id.GetHex() + ".blob")).string()};
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(claimed)) != 0) std::abort();
        ::close(fd);
    }
    auto store = BlobStore::Open(BlobStoreOptions{.dir = dir});
    if (!store) std::abort();
    const bool listed = (*store)->Has(id);
    if (listed != decoded.has_value()) std::abort();
    if (!listed && (std::filesystem::exists(dir / (id.GetHex() + ".meta")) ||
                    std::filesystem::exists(dir / (id.GetHex() + ".blob")))) {
        std::abort();
    }
    if (listed && (*store)->GetInfo(id)->size != decoded->blob.size) std::abort();
    return 0;
}
