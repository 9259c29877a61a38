// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_CHACHA20_H
#define HPIPS_CRYPTO_CHACHA20_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

struct evp_cipher_ctx_st;

namespace hpips {

/** ChaCha20 exactly as RFC 8439 section 2.4 defines it (the IETF variant):
 *  20 rounds, 256-bit key, 96-bit nonce, 32-bit block counter. Block n of the
 *  stream is the block function applied to (key, counter = n, nonce), i.e. the
 *  state words 12..15 are counter, nonce[0..3], nonce[4..7], nonce[8..11], all
 *  little-endian. Not the original 64-bit-nonce/64-bit-counter variant, and not
 *  XChaCha20.
 *
 *  Computed by OpenSSL's EVP_chacha20 (never hand-written), whose 16-byte IV is
 *  the 4-byte little-endian counter followed by the 12-byte nonce. It is the
 *  reference that the PoUW noise PRG (a hand-written device block function)
 *  is tested against, so these semantics are part of consensus.
 *
 *  A stream has 2^32 blocks of 64 bytes (256 GiB). OpenSSL would silently
 *  carry a counter overflow into the nonce, which RFC 8439 does not define;
 *  this class refuses instead: going past block 2^32 - 1 is a caller bug and
 *  aborts.
 *
 *  Not thread-safe (the two internal cipher contexts are mutable state); not
 *  copyable; movable. The key is held only inside OpenSSL contexts, which wipe
 *  it when freed. */
class ChaCha20 {
public:
    static constexpr size_t KEY_SIZE = 32;
    static constexpr size_t NONCE_SIZE = 12;
    static constexpr size_t BLOCK_SIZE = 64;
    /** Number of blocks in one (key, nonce) stream: the counter is 32 bits. */
    static constexpr uint64_t MAX_BLOCKS = uint64_t{1} << 32;

    /** Keys the cipher; the sequential stream (Crypt) starts at block 0. */
    ChaCha20(std::span<const uint8_t, KEY_SIZE> key, std::span<const uint8_t, NONCE_SIZE> nonce);
    ~ChaCha20();
    ChaCha20(ChaCha20&&) noexcept;
    ChaCha20& operator=(ChaCha20&&) noexcept;
    ChaCha20(const ChaCha20&) = delete;
    ChaCha20& operator=(const ChaCha20&) = delete;

    /** Random access: writes the keystream starting at the first byte of block
     *  `first_block` into `out` (any length; a partial last block is cut).
     *  Cheap to call often: it only resets the counter of an already keyed
     *  context, and it does not disturb the sequential Crypt position.
     *  Precondition: first_block * 64 + out.size() <= 2^32 * 64. */
    void Keystream(uint32_t first_block, std::span<uint8_t> out);

    /** Sets the sequential stream's position to the start of block `block`
     *  (RFC 8439's "initial counter"; its section 2.4.2 example uses 1). */
    void Seek(uint32_t block);

    /** XORs `in` with the keystream at the current position into `out` and
     *  advances by in.size() bytes, so calls chain into one stream regardless
     *  of how the data is split. Encryption and decryption are the same.
     *  Preconditions: out.size() == in.size(); `out` is `in` or does not
     *  overlap it; the stream does not run past its 2^32 blocks. */
    void Crypt(std::span<const uint8_t> in, std::span<uint8_t> out);

private:
    struct CtxDeleter {
        void operator()(evp_cipher_ctx_st* ctx) const;
    };
    using CtxPtr = std::unique_ptr<evp_cipher_ctx_st, CtxDeleter>;

    /** Context for Crypt; its position is m_position bytes into the stream. */
    CtxPtr m_stream;
    /** Separate context for Keystream so random access leaves Crypt's place. */
    CtxPtr m_access;
    uint64_t m_position{0};
    /** The nonce is public, so keeping a copy to rebuild IVs costs nothing. */
    std::array<uint8_t, NONCE_SIZE> m_nonce{};
};

}  // namespace hpips

#endif  // HPIPS_CRYPTO_CHACHA20_H
