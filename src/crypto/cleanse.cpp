// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/cleanse.h>

#include <openssl/crypto.h>

namespace hpips {

void MemoryCleanse(void* ptr, size_t len) { OPENSSL_cleanse(ptr, len); }

}  // namespace hpips
