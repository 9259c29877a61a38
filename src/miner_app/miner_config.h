// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINER_APP_MINER_CONFIG_H
#define HPIPS_MINER_APP_MINER_CONFIG_H

#include <miner_app/node_client.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

/** hpips-miner's settings after option parsing, and its exit codes. */
namespace hpips::miner {

/** Exit codes: 0 stopped by a signal; 1 bad options; 2 the node refused
 *  -address or its template; 3 the node refused the credentials. */
constexpr int EXIT_OK = 0;
constexpr int EXIT_BAD_OPTIONS = 1;
constexpr int EXIT_NODE_REFUSED = 2;
constexpr int EXIT_BAD_CREDENTIALS = 3;

/** Most CPU mining threads per process. */
constexpr int64_t MAX_MINER_THREADS = 1024;

struct MinerConfig {
    NodeEndpoint endpoint;
    std::string address;
    size_t threads{1};
    std::chrono::seconds status_interval{10};
    /** Farm mode: rank 0 drops a rank it has not heard from for this long. */
    std::chrono::seconds farm_timeout{10};
    /** Farm mode: nonces handed to a rank at a time. */
    uint64_t farm_chunk{1024};
};

/** Prints "<UTC time> <line>" to stdout and flushes (mpirun forwards lines). */
void PrintLine(const std::string& line);

/** Set by SIGINT/SIGTERM: every loop of the miner ends when it is. */
std::atomic<bool>& StopFlag();

/** True when this binary has farm mode (built with MPI). */
extern const bool HAVE_FARM;

/** Farm mode (farm.cpp, built with MPI): rank 0 feeds the others. Returns the exit code. */
int RunFarm(const MinerConfig& config, int argc, char** argv);

}  // namespace hpips::miner

#endif  // HPIPS_MINER_APP_MINER_CONFIG_H
