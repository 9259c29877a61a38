// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_MEMPOOL_PERSIST_H
#define HPIPS_CHAIN_MEMPOOL_PERSIST_H

#include <chain/mempool.h>
#include <primitives/transaction.h>
#include <util/result.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

/**
 * mempool.dat: the pool's transactions kept across a restart (-persistmempool,
 * the savemempool RPC). The format is in doc/mempool.md ("mempool.dat"):
 * magic, version, count, then per transaction its arrival time, its fee
 * delta (prioritisetransaction) and its wire form behind a length, and a SHA-256d checksum of everything before it.
 *
 * Contract:
 *  - Writing is atomic: a temporary file of its own ("mempool.dat.new<pid>.<n>")
 *    is written and fsynced, renamed over mempool.dat, and the directory
 *    fsynced; a crash leaves the old file or the new one, never a mix (and
 *    a stray temporary file, which the next load removes). Dumps may run
 *    concurrently; the last rename wins. No lock is held while writing.
 *  - The file is untrusted on reading: its size is bounded before it is read
 *    (MaxMempoolFileSize), every count and length is checked against the
 *    bytes left and the named limits, and the checksum is verified before a
 *    single transaction is offered to the pool. A corrupt, truncated,
 *    oversized or unknown-version file loads nothing (all or nothing at the
 *    decoding stage); the node starts with an empty pool.
 *  - Loaded transactions go through AcceptToMemoryPool against the current
 *    tip like any new transaction: what the chain has since confirmed,
 *    conflicted or made invalid is dropped (one log line each).
 */
namespace hpips {

/** "HPMP": the first four bytes of mempool.dat. */
inline constexpr std::array<uint8_t, 4> MEMPOOL_FILE_MAGIC{'H', 'P', 'M', 'P'};
/** The version this code writes: 2, whose entries carry the
 *  prioritisetransaction fee delta. Version 1 (no delta) is still read. */
constexpr uint32_t MEMPOOL_FILE_VERSION = 2;
constexpr uint32_t MEMPOOL_FILE_VERSION_NO_DELTA = 1;
/** The file's name in the network data directory. */
inline constexpr char MEMPOOL_FILE_NAME[] = "mempool.dat";
/** Bytes of the header (magic, version, count) and of the trailing checksum. */
constexpr size_t MEMPOOL_FILE_HEADER_SIZE = 4 + 4 + 8;
constexpr size_t MEMPOOL_FILE_CHECKSUM_SIZE = 32;
/** Bytes each entry adds to its transaction: time (8), fee delta (8,
 *  version 2 only) and length (4). */
constexpr size_t MEMPOOL_FILE_ENTRY_OVERHEAD_V1 = 8 + 4;
constexpr size_t MEMPOOL_FILE_ENTRY_OVERHEAD = 8 + 8 + 4;
/** Fewer bytes than any transaction's wire form (which has a version, an
 *  input, an output and a lock time): bounds the count a file of a given
 *  size can claim. */
constexpr size_t MIN_PERSISTED_TX_SIZE = 10;

/** The orphan-pool owner of transactions offered by LoadMempool (not a
 *  peer id, not LOCAL_ORPHAN_OWNER), so that their orphans can be dropped
 *  when the load is over. */
constexpr OrphanOwner MEMPOOL_FILE_ORPHAN_OWNER = -2;

/** One transaction of the file, with the time (seconds) it entered the pool. */
struct PersistedTx {
    Transaction tx;
    int64_t time{0};
    /** prioritisetransaction's delta (0 in a version 1 file); within
     *  ±MAX_FEE_DELTA or the file is refused. */
    Amount fee_delta{0};
};

/** The largest mempool.dat accepted for a pool of `pool_max_bytes`
 *  (-maxmempool): the pool's bytes plus each entry's overhead, with room for
 *  the smallest transactions, plus header and checksum. A larger file was
 *  not written by a node with this limit and is refused before it is read. */
size_t MaxMempoolFileSize(size_t pool_max_bytes);

/** The file's bytes for these transactions (parents before children). */
std::vector<uint8_t> EncodeMempoolFile(std::span<const PersistedTx> txs);

/** Decodes a whole file: magic, version, count (at most what the bytes can
 *  hold), every transaction (at most MAX_TX_SIZE, decoded exactly), no
 *  trailing byte, and the checksum. The error says what is wrong. */
Result<std::vector<PersistedTx>> DecodeMempoolFile(std::span<const uint8_t> bytes);

/** Writes the pool's transactions to `path` atomically (see the file
 *  comment); returns how many were written. */
Result<size_t> DumpMempool(const Mempool& pool, const std::filesystem::path& path);

/** What LoadMempool did. */
struct MempoolLoadStats {
    /** Transactions in the file. */
    size_t read{0};
    /** Accepted into the pool. */
    size_t accepted{0};
    /** Refused by validation against the current chain (confirmed, spent,
     *  invalid, below the fee floor...) or kept only as orphans. */
    size_t failed{0};
};

/** Reads `path` (at most `max_file_bytes`), decodes it wholly, then offers
 *  each transaction to `pool` in file order. A missing file is an empty
 *  load; any decoding failure is an error and nothing is offered. */
Result<MempoolLoadStats> LoadMempool(Mempool& pool, const std::filesystem::path& path, size_t max_file_bytes);

}  // namespace hpips

#endif  // HPIPS_CHAIN_MEMPOOL_PERSIST_H
