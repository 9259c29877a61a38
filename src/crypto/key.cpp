// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/key.h>

#include <crypto/cleanse.h>
#include <crypto/random.h>

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace hpips {
namespace {

[[noreturn]] void Fail(const char* what)
{
    std::fprintf(stderr, "Fatal: secp256k1: %s\n", what);
    std::abort();
}

/** Owns the process-wide context; destroyed at exit. */
class Secp256k1Context {
public:
    Secp256k1Context() : m_ctx{secp256k1_context_create(SECP256K1_CONTEXT_NONE)}
    {
        if (m_ctx == nullptr) Fail("cannot create context");
        // Blinding of the signing computations; it needs fresh entropy once.
        std::array<uint8_t, 32> seed{};
        GetStrongRandBytes(seed);
        const int ok{secp256k1_context_randomize(m_ctx, seed.data())};
        MemoryCleanse(seed.data(), seed.size());
        if (ok != 1) Fail("cannot randomize context");
    }
    ~Secp256k1Context() { secp256k1_context_destroy(m_ctx); }
    Secp256k1Context(const Secp256k1Context&) = delete;
    Secp256k1Context& operator=(const Secp256k1Context&) = delete;

    const secp256k1_context* get() const { return m_ctx; }

private:
    secp256k1_context* m_ctx;
};

/** Created on first use, thread-safely (function-local static); afterwards it
 *  is only read, which libsecp256k1 allows from many threads at once. */
const secp256k1_context* Ctx()
{
    static const Secp256k1Context context;
    return context.get();
}

/** A keypair that wipes itself: it contains the secret key. */
struct SecretKeypair {
    secp256k1_keypair keypair{};
    ~SecretKeypair() { MemoryCleanse(&keypair, sizeof(keypair)); }
};

/** Parses a compressed key we produced or validated; it cannot fail. */
secp256k1_pubkey ParseValid(std::span<const uint8_t, PubKey::SIZE> bytes)
{
    secp256k1_pubkey pubkey{};
    if (secp256k1_ec_pubkey_parse(Ctx(), &pubkey, bytes.data(), bytes.size()) != 1) Fail("stored key invalid");
    return pubkey;
}

std::array<uint8_t, PubKey::SIZE> SerializeCompressed(const secp256k1_pubkey& pubkey)
{
    std::array<uint8_t, PubKey::SIZE> out{};
    size_t out_len{out.size()};
    if (secp256k1_ec_pubkey_serialize(Ctx(), out.data(), &out_len, &pubkey, SECP256K1_EC_COMPRESSED) != 1 ||
        out_len != out.size()) {
        Fail("serialize failed");
    }
    return out;
}

}  // namespace

// ---- XOnlyPubKey ----

XOnlyPubKey::XOnlyPubKey(std::span<const uint8_t, SIZE> bytes) { std::copy(bytes.begin(), bytes.end(), m_data.begin()); }

bool XOnlyPubKey::IsValid() const
{
    secp256k1_xonly_pubkey pubkey{};
    return secp256k1_xonly_pubkey_parse(Ctx(), &pubkey, m_data.data()) == 1;
}

bool XOnlyPubKey::VerifySchnorr(const uint256& msg, std::span<const uint8_t> sig64) const
{
    return VerifySchnorr(std::span<const uint8_t>{msg.span()}, sig64);
}

bool XOnlyPubKey::VerifySchnorr(std::span<const uint8_t> msg, std::span<const uint8_t> sig64) const
{
    if (sig64.size() != SCHNORR_SIGNATURE_SIZE) return false;
    secp256k1_xonly_pubkey pubkey{};
    if (secp256k1_xonly_pubkey_parse(Ctx(), &pubkey, m_data.data()) != 1) return false;
    return secp256k1_schnorrsig_verify(Ctx(), sig64.data(), msg.data(), msg.size(), &pubkey) == 1;
}

// ---- PubKey ----

std::optional<PubKey> PubKey::Parse(std::span<const uint8_t> bytes)
{
    // libsecp256k1 would also take 65-byte forms; BIP-32 allows only these.
    if (bytes.size() != SIZE || (bytes[0] != 0x02 && bytes[0] != 0x03)) return std::nullopt;
    secp256k1_pubkey pubkey{};
    if (secp256k1_ec_pubkey_parse(Ctx(), &pubkey, bytes.data(), bytes.size()) != 1) return std::nullopt;
    PubKey result;
    result.m_data = SerializeCompressed(pubkey);
    return result;
}

std::optional<PubKey> PubKey::TweakAdd(std::span<const uint8_t, 32> tweak) const
{
    secp256k1_pubkey pubkey{ParseValid(bytes())};
    if (secp256k1_ec_pubkey_tweak_add(Ctx(), &pubkey, tweak.data()) != 1) return std::nullopt;
    PubKey result;
    result.m_data = SerializeCompressed(pubkey);
    return result;
}

XOnlyPubKey PubKey::GetXOnlyPubKey() const
{
    // A compressed key's X coordinate is its x-only key; the prefix is parity.
    return XOnlyPubKey{std::span<const uint8_t, XOnlyPubKey::SIZE>{m_data.data() + 1, XOnlyPubKey::SIZE}};
}

// ---- PrivKey ----

PrivKey::~PrivKey() { MemoryCleanse(m_data.data(), m_data.size()); }

std::optional<PrivKey> PrivKey::FromBytes(std::span<const uint8_t> bytes)
{
    if (bytes.size() != SIZE) return std::nullopt;
    if (secp256k1_ec_seckey_verify(Ctx(), bytes.data()) != 1) return std::nullopt;
    PrivKey key;
    std::copy(bytes.begin(), bytes.end(), key.m_data.begin());
    return key;
}

PrivKey PrivKey::Generate()
{
    PrivKey key;
    do {
        GetStrongRandBytes(key.m_data);
    } while (secp256k1_ec_seckey_verify(Ctx(), key.m_data.data()) != 1);
    return key;
}

PrivKey PrivKey::Clone() const
{
    PrivKey copy;
    copy.m_data = m_data;
    return copy;
}

PubKey PrivKey::GetPubKey() const
{
    secp256k1_pubkey pubkey{};
    if (secp256k1_ec_pubkey_create(Ctx(), &pubkey, m_data.data()) != 1) Fail("pubkey_create on a valid key");
    PubKey result;
    result.m_data = SerializeCompressed(pubkey);
    return result;
}

XOnlyPubKey PrivKey::GetXOnlyPubKey() const { return GetPubKey().GetXOnlyPubKey(); }

std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> PrivKey::SignSchnorr(
    const uint256& msg, std::span<const uint8_t, SCHNORR_AUX_RAND_SIZE> aux_rand) const
{
    return SignSchnorrImpl(msg.span(), [&](uint8_t* sig, const secp256k1_keypair* keypair) {
        return secp256k1_schnorrsig_sign32(Ctx(), sig, msg.data(), keypair, aux_rand.data());
    });
}

std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> PrivKey::SignSchnorr(
    std::span<const uint8_t> msg, std::span<const uint8_t, SCHNORR_AUX_RAND_SIZE> aux_rand) const
{
    return SignSchnorrImpl(msg, [&](uint8_t* sig, const secp256k1_keypair* keypair) {
        // The default nonce function (BIP-340's) with aux_rand as its data is
        // exactly sign32, extended to messages of any length.
        secp256k1_schnorrsig_extraparams params = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
        params.ndata = const_cast<uint8_t*>(aux_rand.data());  // only read; the field is not const
        return secp256k1_schnorrsig_sign_custom(Ctx(), sig, msg.data(), msg.size(), keypair, &params);
    });
}

template <typename Signer>
std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> PrivKey::SignSchnorrImpl(std::span<const uint8_t> msg,
                                                                     const Signer& signer) const
{
    SecretKeypair secret;
    if (secp256k1_keypair_create(Ctx(), &secret.keypair, m_data.data()) != 1) Fail("keypair_create on a valid key");
    std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> sig{};
    if (signer(sig.data(), &secret.keypair) != 1) Fail("schnorrsig signing failed");
    // Verify before release: a computation fault must not leak a bad signature.
    secp256k1_xonly_pubkey pubkey{};
    if (secp256k1_keypair_xonly_pub(Ctx(), &pubkey, nullptr, &secret.keypair) != 1 ||
        secp256k1_schnorrsig_verify(Ctx(), sig.data(), msg.data(), msg.size(), &pubkey) != 1) {
        Fail("fresh signature does not verify");
    }
    return sig;
}

std::optional<PrivKey> PrivKey::TweakAdd(std::span<const uint8_t, 32> tweak) const
{
    PrivKey result{Clone()};
    if (secp256k1_ec_seckey_tweak_add(Ctx(), result.m_data.data(), tweak.data()) != 1) return std::nullopt;
    return result;
}

}  // namespace hpips
