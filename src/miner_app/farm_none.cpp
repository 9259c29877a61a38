// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Farm mode without MPI: the build found no MPI, so --farm is refused.
#include <miner_app/miner_config.h>

#include <iostream>

namespace hpips::miner {

const bool HAVE_FARM{false};

int RunFarm(const MinerConfig&, int, char**)
{
    std::cerr << "Error: --farm needs MPI, and this hpips-miner was built without it (install libopenmpi-dev)\n";
    return EXIT_BAD_OPTIONS;
}

}  // namespace hpips::miner
