// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/chacha20.h>

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace hpips {
namespace {

constexpr size_t IV_SIZE{16};
/** EVP_EncryptUpdate takes an int length; feed it in chunks well below that. */
constexpr size_t MAX_UPDATE_CHUNK{size_t{1} << 30};
constexpr uint64_t STREAM_BYTES{ChaCha20::MAX_BLOCKS * ChaCha20::BLOCK_SIZE};

[[noreturn]] void Fail(const char* what)
{
    std::fprintf(stderr, "Fatal: ChaCha20: %s\n", what);
    std::abort();
}

/** OpenSSL's IV layout: 32-bit little-endian block counter, then the nonce. */
std::array<uint8_t, IV_SIZE> MakeIv(uint32_t counter, std::span<const uint8_t, ChaCha20::NONCE_SIZE> nonce)
{
    std::array<uint8_t, IV_SIZE> iv{};
    for (size_t i{0}; i < 4; ++i) iv[i] = static_cast<uint8_t>(counter >> (8 * i));
    std::copy(nonce.begin(), nonce.end(), iv.begin() + 4);
    return iv;
}

/** Restarts a keyed context at block `counter` of the (key, nonce) stream. */
void SetCounter(evp_cipher_ctx_st* ctx, uint32_t counter, std::span<const uint8_t, ChaCha20::NONCE_SIZE> nonce)
{
    const auto iv{MakeIv(counter, nonce)};
    // A null cipher and key keep the key schedule and only reset the IV.
    if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv.data()) != 1) Fail("cannot set IV");
}

void Xor(evp_cipher_ctx_st* ctx, const uint8_t* in, uint8_t* out, size_t len)
{
    while (len > 0) {
        const size_t chunk{std::min(len, MAX_UPDATE_CHUNK)};
        int out_len{0};
        if (EVP_EncryptUpdate(ctx, out, &out_len, in, static_cast<int>(chunk)) != 1 ||
            static_cast<size_t>(out_len) != chunk) {
            Fail("EVP_EncryptUpdate failed");
        }
        in += chunk;
        out += chunk;
        len -= chunk;
    }
}

}  // namespace

void ChaCha20::CtxDeleter::operator()(evp_cipher_ctx_st* ctx) const { EVP_CIPHER_CTX_free(ctx); }

ChaCha20::ChaCha20(std::span<const uint8_t, KEY_SIZE> key, std::span<const uint8_t, NONCE_SIZE> nonce)
    : m_stream{EVP_CIPHER_CTX_new()}, m_access{EVP_CIPHER_CTX_new()}
{
    if (!m_stream || !m_access) Fail("out of memory");
    std::copy(nonce.begin(), nonce.end(), m_nonce.begin());
    const auto iv{MakeIv(0, nonce)};
    for (evp_cipher_ctx_st* ctx : {m_stream.get(), m_access.get()}) {
        if (EVP_EncryptInit_ex(ctx, EVP_chacha20(), nullptr, key.data(), iv.data()) != 1) Fail("init failed");
    }
}

ChaCha20::~ChaCha20() = default;
ChaCha20::ChaCha20(ChaCha20&&) noexcept = default;
ChaCha20& ChaCha20::operator=(ChaCha20&&) noexcept = default;

void ChaCha20::Keystream(uint32_t first_block, std::span<uint8_t> out)
{
    const uint64_t start{uint64_t{first_block} * BLOCK_SIZE};
    if (out.size() > STREAM_BYTES - start) Fail("keystream request past block 2^32 - 1");
    if (out.empty()) return;
    SetCounter(m_access.get(), first_block, m_nonce);
    // Encrypting zeros in place yields the keystream itself.
    std::memset(out.data(), 0, out.size());
    Xor(m_access.get(), out.data(), out.data(), out.size());
}

void ChaCha20::Seek(uint32_t block)
{
    SetCounter(m_stream.get(), block, m_nonce);
    m_position = uint64_t{block} * BLOCK_SIZE;
}

void ChaCha20::Crypt(std::span<const uint8_t> in, std::span<uint8_t> out)
{
    if (in.size() != out.size()) Fail("Crypt: input and output sizes differ");
    if (in.size() > STREAM_BYTES - m_position) Fail("Crypt: stream past block 2^32 - 1");
    if (in.empty()) return;
    Xor(m_stream.get(), in.data(), out.data(), in.size());
    m_position += in.size();
}

}  // namespace hpips
