// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_FILE_IO_H
#define HPIPS_NET_FILE_IO_H

#include <util/result.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

/**
 * Whole-file reads and crash-safe writes for the network's small state files
 * (peers.dat, banlist.json).
 *
 * Thread safety: the functions share no state; callers serialise writes to
 * one path.
 */
namespace hpips::net {

/** Writes `bytes` to `<path>.tmp`, fsyncs it, renames it over `path` and
 *  fsyncs the directory, so a crash leaves either the old or the new file,
 *  never a torn one. */
Result<void> WriteFileAtomic(const std::filesystem::path& path, std::span<const uint8_t> bytes);

/** Reads a whole file of at most `max_size` bytes (checked before reading).
 *  Errors: missing file (use std::filesystem::exists first to tell it
 *  apart), too large, unreadable. */
Result<std::vector<uint8_t>> ReadFileBounded(const std::filesystem::path& path, uintmax_t max_size);

/** Renames a damaged `path` to `<path>.bak` (replacing an older one) so
 *  the node can start afresh and the operator can still inspect it; logs
 *  what happened and why. */
void MoveAside(const std::filesystem::path& path, std::string_view reason);

}  // namespace hpips::net

#endif  // HPIPS_NET_FILE_IO_H
