// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/pbkdf2.h>

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>

namespace hpips {

void Pbkdf2HmacSha512(std::span<const uint8_t> password, std::span<const uint8_t> salt, uint32_t iterations,
                      std::span<uint8_t> out)
{
    if (iterations == 0 || iterations > PBKDF2_MAX_ITERATIONS || password.size() > PBKDF2_MAX_LENGTH ||
        salt.size() > PBKDF2_MAX_LENGTH || out.empty() || out.size() > PBKDF2_MAX_LENGTH) {
        std::fputs("Fatal: Pbkdf2HmacSha512 called outside its preconditions\n", stderr);
        std::abort();
    }
    // A null pointer with length zero means "empty" to HMAC but is rejected by
    // some OpenSSL versions for the password, so pass a real address.
    static constexpr uint8_t EMPTY{0};
    const char* password_ptr{reinterpret_cast<const char*>(password.empty() ? &EMPTY : password.data())};
    const uint8_t* salt_ptr{salt.empty() ? &EMPTY : salt.data()};
    if (PKCS5_PBKDF2_HMAC(password_ptr, static_cast<int>(password.size()), salt_ptr, static_cast<int>(salt.size()),
                          static_cast<int>(iterations), EVP_sha512(), static_cast<int>(out.size()), out.data()) != 1) {
        // Only allocation failure or a broken library get here.
        std::fputs("Fatal: OpenSSL PKCS5_PBKDF2_HMAC failed\n", stderr);
        std::abort();
    }
}

}  // namespace hpips
