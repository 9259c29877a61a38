// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Row loops built with the target's baseline flags (runs on any x86-64).
#define HPIPS_ROW_KERNELS_TABLE_NAME "portable"
#include "kernels/row_kernels_impl.h"

namespace hpips {

const RowKernels& PortableRowKernels() { return TABLE; }

}  // namespace hpips
