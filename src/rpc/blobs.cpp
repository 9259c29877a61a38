// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/blobs.h>

#include <chain/blob_store.h>
#include <rpc/chain_util.h>
#include <rpc/util.h>
#include <util/strencodings.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;

/** Longest hexdata putblob decodes: two digits per byte of the largest blob.
 *  (The RPC request limit, MAX_RPC_REQUEST_SIZE, caps it far lower: blobs
 *  above about 8 MiB go by path or by putblobchunk.) */
constexpr size_t MAX_BLOB_HEX_LENGTH = 2 * MAX_BLOB_SIZE;
/** Longest hex text of one chunk and of one chunk proof. */
constexpr size_t MAX_CHUNK_HEX_LENGTH = 2 * BLOB_CHUNK_SIZE;
constexpr size_t MAX_PROOF_HEX_LENGTH = 2 * MAX_BLOB_PROOF_SIZE;

BlobStore& StoreOrThrow(const ChainContext& ctx)
{
    if (ctx.blobs == nullptr) throw RPCError{RPCErrorCode::MISC_ERROR, "Blob store is not available"};
    return *ctx.blobs;
}

/** A store refusal as the RPC error a client can act on. */
[[noreturn]] void ThrowStoreError(const BlobStoreError& error)
{
    switch (error.failure) {
    case BlobStoreFailure::INVALID:
    case BlobStoreFailure::CONFLICT:
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, error.message};
    case BlobStoreFailure::NOT_FOUND:
        throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Blob not found: " + error.message};
    case BlobStoreFailure::QUOTA:
        throw RPCError{RPCErrorCode::MISC_ERROR, "Blob quota exceeded: " + error.message};
    case BlobStoreFailure::LIMIT:
        throw RPCError{RPCErrorCode::MISC_ERROR, "Blob store limit reached: " + error.message};
    case BlobStoreFailure::IN_USE:
        throw RPCError{RPCErrorCode::MISC_ERROR, "Blob in use: " + error.message};
    case BlobStoreFailure::CORRUPT:
        throw RPCError{RPCErrorCode::DATABASE_ERROR, "Blob store damaged: " + error.message};
    case BlobStoreFailure::IO:
        throw RPCError{RPCErrorCode::MISC_ERROR, error.message};
    }
    throw RPCError{RPCErrorCode::INTERNAL_ERROR, error.message};
}

template <typename T>
T ValueOrThrow(Result<T, BlobStoreError> result)
{
    if (!result) ThrowStoreError(result.error());
    return std::move(result.value());
}

json::object InfoToJSON(const BlobInfo& info)
{
    json::object out;
    out["id"] = info.id.GetHex();
    out["size"] = info.size;
    out["chunks"] = info.chunks;
    out["complete"] = info.complete;
    out["received"] = info.received;
    out["refcount"] = info.refcount;
    out["pinned"] = info.pinned;
    return out;
}

json::object PutResult(const BlobInfo& info)
{
    json::object out;
    out["id"] = info.id.GetHex();
    out["size"] = info.size;
    out["chunks"] = info.chunks;
    return out;
}

/** A non-negative integer parameter no larger than `max`. */
uint64_t ParamBounded(const RPCRequest& request, size_t i, std::string_view name, uint64_t max)
{
    const int64_t value = ParamInt64(request, i);
    if (value < 0 || static_cast<uint64_t>(value) > max) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                       std::string{name} + " must be between 0 and " + std::to_string(max)};
    }
    return static_cast<uint64_t>(value);
}

const std::string INFO_RESULT =
    "{\n"
    "  \"id\" : \"hex\",          (string) The blob id\n"
    "  \"size\" : n,            (numeric) Size in bytes\n"
    "  \"chunks\" : n,          (numeric) Number of 1 MiB chunks\n"
    "  \"complete\" : true|false, (boolean) Every chunk present and verified (only complete blobs are served)\n"
    "  \"received\" : n,        (numeric) Chunks present\n"
    "  \"refcount\" : n,        (numeric) References held by live jobs\n"
    "  \"pinned\" : true|false  (boolean) Kept even when unreferenced (blobs put by this node's user)\n"
    "}";

json::object FetchToJSON(const net::BlobFetchStatus& status)
{
    json::object out;
    out["id"] = status.id.GetHex();
    out["state"] = std::string{net::BlobFetchStateName(status.state)};
    if (status.only_peer) out["peer_id"] = *status.only_peer;
    if (status.size) {
        out["size"] = *status.size;
        out["chunks"] = status.chunks;
        out["received"] = status.received;
    }
    json::array sources;
    for (const auto id : status.sources) sources.push_back(id);
    out["sources"] = std::move(sources);
    out["in_flight"] = status.in_flight;
    if (!status.error.empty()) out["error"] = status.error;
    return out;
}

}  // namespace

const std::string FETCH_RESULT =
    "{\n"
    "  \"id\" : \"hex\",          (string) The blob id\n"
    "  \"state\" : \"str\",       (string) searching, downloading, complete or failed\n"
    "  \"peer_id\" : n,         (numeric, optional) The only peer asked\n"
    "  \"size\" : n,            (numeric, optional) Size in bytes, once a chunk verified\n"
    "  \"chunks\" : n,          (numeric, optional) Number of chunks, likewise\n"
    "  \"received\" : n,        (numeric, optional) Chunks stored, likewise\n"
    "  \"sources\" : [n,...],   (array) Peers that sent a valid chunk\n"
    "  \"in_flight\" : n,       (numeric) Chunk requests outstanding\n"
    "  \"error\" : \"str\"        (string, optional) Why it failed\n"
    "}";

Result<void> RegisterBlobFetchRPCCommands(RPCTable& table, net::BlobRelay& relay)
{
    net::BlobRelay* r = &relay;
    if (auto registered = table.Register({
            .category = "jobdata",
            .name = "getblobfetch",
            .description = "Returns the status of the fetch of a blob (running, or one of the last " +
                           std::to_string(net::MAX_FINISHED_BLOB_FETCHES) + " finished) without starting one.",
            .args = {{"id", RPCArgType::STRING, false, "", "The blob id"}},
            .result = FETCH_RESULT,
            .examples = HelpExampleCli("getblobfetch", "\"<id>\"") + HelpExampleRpc("getblobfetch", "\"<id>\""),
            .handler = [r](const RPCRequest& request) -> json::value {
                const uint256 id = ParseHashV(request.params[0], "id");
                const auto status = r->GetFetch(id);
                if (!status) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "No fetch of this blob"};
                return FetchToJSON(*status);
            },
        });
        !registered) {
        return registered;
    }
    return table.Register({
        .category = "jobdata",
        .name = "fetchblob",
        .description =
            "Starts fetching a blob from the connected peers that serve blobs (or only from peer_id, as in "
            "getpeerinfo), and returns at once with the fetch's status; calling it again while it runs returns its "
            "status (getblobfetch returns it without starting anything; getblobinfo shows the download's chunks once the "
            "size is known). Every chunk is checked against the id "
            "before it is stored; a peer that sends a chunk not matching its proof is disconnected and "
            "discouraged. A failed or finished fetch is started anew. At most " +
            std::to_string(net::MAX_BLOB_FETCHES) + " fetches run at once.",
        .args = {{"id", RPCArgType::STRING, false, "", "The blob id"},
                 {"peer_id", RPCArgType::NUMBER, true, "any peer", "Fetch only from this peer (getpeerinfo id)"}},
        .result = FETCH_RESULT,
        .examples = HelpExampleCli("fetchblob", "\"<id>\"") + HelpExampleCli("fetchblob", "\"<id>\" 3") +
                    HelpExampleRpc("fetchblob", "\"<id>\""),
        .handler = [r](const RPCRequest& request) -> json::value {
            const uint256 id = ParseHashV(request.params[0], "id");
            const auto peer = OptionalParamInt64(request, 1);
            auto status = r->FetchBlob(id, peer);
            if (!status) {
                switch (status.error().failure) {
                case net::BlobFetchFailure::NO_SUCH_PEER:
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER, status.error().message};
                case net::BlobFetchFailure::NO_PEERS:
                    throw RPCError{RPCErrorCode::CLIENT_NOT_CONNECTED, status.error().message};
                case net::BlobFetchFailure::TOO_MANY:
                    throw RPCError{RPCErrorCode::MISC_ERROR, status.error().message};
                }
            }
            return FetchToJSON(*status);
        },
    });
}

Result<void> RegisterBlobRPCCommands(RPCTable& table, ChainContext& context)
{
    ChainContext* ctx = &context;
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "jobdata",
        .name = "putblob",
        .description = "Stores a blob of job data and returns its id. Give exactly one of hexdata (the bytes, limited "
                       "by the RPC request size to about 8 MiB) or path (an absolute path of a regular file on the "
                       "node's machine, up to " + std::to_string(MAX_BLOB_SIZE) + " bytes). The blob is pinned: "
                       "it stays until removeblob. Storing a blob that is already stored returns it.",
        .args = {{"hexdata", RPCArgType::STRING, true, "", "The blob's bytes, hex-encoded"},
                 {"path", RPCArgType::STRING, true, "", "Absolute path of a file on the node's machine"}},
        .result = "{\n"
                  "  \"id\" : \"hex\",   (string) The blob id\n"
                  "  \"size\" : n,     (numeric) Size in bytes\n"
                  "  \"chunks\" : n    (numeric) Number of 1 MiB chunks\n"
                  "}",
        .examples = HelpExampleCli("putblob", "\"00ff\"") + HelpExampleCli("-named putblob", "path=/data/frames.bin") +
                    HelpExampleRpc("putblob", "\"00ff\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            BlobStore& store = StoreOrThrow(*ctx);
            const auto hex = OptionalParamString(request, 0);
            const auto path = OptionalParamString(request, 1);
            if (hex.has_value() == path.has_value()) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Specify exactly one of hexdata and path"};
            }
            if (hex) {
                if (hex->size() > MAX_BLOB_HEX_LENGTH) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "hexdata of " + std::to_string(hex->size() / 2) +
                                       " bytes exceeds MAX_BLOB_SIZE (" + std::to_string(MAX_BLOB_SIZE) + " bytes)"};
                }
                const auto bytes = ParseBoundedHex(*hex, MAX_BLOB_HEX_LENGTH);
                if (!bytes) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "hexdata must be hexadecimal string"};
                return PutResult(ValueOrThrow(store.Put(*bytes, /*pin=*/true)));
            }
            const std::filesystem::path file{*path};
            if (!file.is_absolute()) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "path must be absolute: " + TruncateForMessage(*path)};
            }
            return PutResult(ValueOrThrow(store.PutFile(file, /*pin=*/true)));
        },
    });

    methods.push_back({
        .category = "jobdata",
        .name = "putblobchunk",
        .description = "Stores one chunk of a blob whose id and size are known, with its Merkle proof (the upload "
                       "path of hpips-cli putblob FILE for blobs too large for one request, and the same check a "
                       "peer's chunk gets). The first chunk starts the upload; the blob is stored (pinned) once "
                       "every chunk arrived. A chunk that does not match the id is refused.",
        .args = {{"id", RPCArgType::STRING, false, "", "The blob id"},
                 {"size", RPCArgType::NUMBER, false, "", "The blob's size in bytes"},
                 {"index", RPCArgType::NUMBER, false, "", "The chunk's index (0-based)"},
                 {"data", RPCArgType::STRING, false, "", "The chunk's bytes, hex-encoded (1 MiB, the last one shorter)"},
                 {"proof", RPCArgType::STRING, false, "", "The chunk's Merkle proof, hex-encoded (doc/blobs.md)"}},
        .result = INFO_RESULT,
        .examples = HelpExampleCli("putblobchunk", "\"<id>\" 1048577 1 \"ff\" \"<proof>\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            BlobStore& store = StoreOrThrow(*ctx);
            const uint256 id = ParseHashV(request.params[0], "id");
            const uint64_t size = ParamBounded(request, 1, "size", MAX_BLOB_SIZE);
            const uint64_t index = ParamBounded(request, 2, "index", MAX_BLOB_CHUNKS - 1);
            const auto data = ParseBoundedHex(ParamString(request, 3), MAX_CHUNK_HEX_LENGTH);
            if (!data) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "data must be hexadecimal string of at most " +
                                                                    std::to_string(BLOB_CHUNK_SIZE) + " bytes"};
            }
            const auto proof_bytes = ParseBoundedHex(ParamString(request, 4), MAX_PROOF_HEX_LENGTH);
            if (!proof_bytes) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "proof must be hexadecimal string"};
            const auto proof = DecodeBlobChunkProof(*proof_bytes);
            if (!proof) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "proof decode failed: " + proof.error_message()};
            // Starts the upload, or finds it (or the stored blob) and pins it.
            ValueOrThrow(store.BeginDownload(id, size, /*pin=*/true));
            auto receipt = store.AcceptChunk(id, index, *data, *proof);
            if (!receipt && receipt.error().failure == BlobStoreFailure::INVALID && receipt.error().blob_failure) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "Chunk refused (" + std::string{BlobFailureName(*receipt.error().blob_failure)} +
                                   "): " + receipt.error().message};
            }
            return InfoToJSON(ValueOrThrow(std::move(receipt)).info);
        },
    });

    methods.push_back({
        .category = "jobdata",
        .name = "getblobinfo",
        .description = "Returns what the node knows of a blob: stored (complete) or being received.",
        .args = {{"id", RPCArgType::STRING, false, "", "The blob id"}},
        .result = INFO_RESULT,
        .examples = HelpExampleCli("getblobinfo", "\"<id>\"") + HelpExampleRpc("getblobinfo", "\"<id>\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            BlobStore& store = StoreOrThrow(*ctx);
            const uint256 id = ParseHashV(request.params[0], "id");
            const auto info = store.GetInfo(id);
            if (!info) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Blob not found"};
            return InfoToJSON(*info);
        },
    });

    methods.push_back({
        .category = "jobdata",
        .name = "listblobs",
        .description = "Lists every stored blob (by id), then every blob being received.",
        .args = {},
        .result = "[ { ... } ]    (json array) Objects as getblobinfo returns them",
        .examples = HelpExampleCli("listblobs", "") + HelpExampleRpc("listblobs", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            BlobStore& store = StoreOrThrow(*ctx);
            json::array out;
            for (const BlobInfo& info : store.List()) out.push_back(InfoToJSON(info));
            return out;
        },
    });

    methods.push_back({
        .category = "jobdata",
        .name = "getblobchunk",
        .description = "Returns one chunk of a stored blob with its Merkle proof, as a peer would receive it.",
        .args = {{"id", RPCArgType::STRING, false, "", "The blob id"},
                 {"index", RPCArgType::NUMBER, false, "", "The chunk's index (0-based)"}},
        .result = "{\n"
                  "  \"data\" : \"hex\",   (string) The chunk's bytes\n"
                  "  \"proof\" : \"hex\"   (string) Its Merkle proof against the id (doc/blobs.md)\n"
                  "}",
        .examples = HelpExampleCli("getblobchunk", "\"<id>\" 0") + HelpExampleRpc("getblobchunk", "\"<id>\", 0"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            BlobStore& store = StoreOrThrow(*ctx);
            const uint256 id = ParseHashV(request.params[0], "id");
            const uint64_t index = ParamBounded(request, 1, "index", MAX_BLOB_CHUNKS - 1);
            const BlobChunk chunk = ValueOrThrow(store.GetChunk(id, index));
            json::object out;
            out["data"] = HexStr(chunk.data);
            out["proof"] = HexStr(EncodeBlobChunkProof(chunk.proof));
            return out;
        },
    });

    methods.push_back({
        .category = "jobdata",
        .name = "removeblob",
        .description = "Removes a stored blob (pinned or not). Refused while a live job references it.",
        .args = {{"id", RPCArgType::STRING, false, "", "The blob id"}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("removeblob", "\"<id>\"") + HelpExampleRpc("removeblob", "\"<id>\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            BlobStore& store = StoreOrThrow(*ctx);
            const uint256 id = ParseHashV(request.params[0], "id");
            if (auto removed = store.Remove(id); !removed) ThrowStoreError(removed.error());
            return nullptr;
        },
    });

    for (auto& method : methods) {
        if (auto result = table.Register(std::move(method)); !result) return result;
    }
    return {};
}

}  // namespace hpips
