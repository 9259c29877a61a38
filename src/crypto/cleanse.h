// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_CLEANSE_H
#define HPIPS_CRYPTO_CLEANSE_H

#include <cstddef>

namespace hpips {

/** Overwrites memory with zeros in a way the compiler may not elide
 *  (OPENSSL_cleanse), for wiping secrets after use. */
void MemoryCleanse(void* ptr, size_t len);

}  // namespace hpips

#endif  // HPIPS_CRYPTO_CLEANSE_H
