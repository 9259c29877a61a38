// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/bip32.h>

#include <crypto/base58.h>
#include <crypto/cleanse.h>
#include <crypto/hash160.h>
#include <crypto/hmac.h>
#include <util/strencodings.h>

#include <algorithm>

namespace hpips {
namespace {

/** BIP-32's master-key HMAC key, kept so the standard vectors hold. */
constexpr std::string_view MASTER_HMAC_KEY{"Bitcoin seed"};
/** Digits of the largest index, 2147483647. */
constexpr size_t MAX_INDEX_DIGITS{10};

/** A fixed-size buffer that wipes itself: HMAC inputs and outputs of private
 *  derivation contain secrets. */
template <size_t N>
struct SecretBytes {
    std::array<uint8_t, N> data{};
    SecretBytes() = default;
    explicit SecretBytes(const std::array<uint8_t, N>& from) : data{from} {}
    ~SecretBytes() { MemoryCleanse(data.data(), data.size()); }
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
};

using HmacOutput = SecretBytes<HMAC_SHA512_SIZE>;

std::span<const uint8_t, 32> Left(const HmacOutput& i) { return std::span<const uint8_t, 32>{i.data.data(), 32}; }

Bip32ChainCode Right(const HmacOutput& i)
{
    Bip32ChainCode code{};
    std::copy(i.data.begin() + 32, i.data.end(), code.begin());
    return code;
}

void WriteBe32(uint8_t* out, uint32_t value)
{
    for (size_t i{0}; i < 4; ++i) out[i] = static_cast<uint8_t>(value >> (24 - 8 * i));
}

uint32_t ReadBe32(const uint8_t* in)
{
    return (uint32_t{in[0]} << 24) | (uint32_t{in[1]} << 16) | (uint32_t{in[2]} << 8) | uint32_t{in[3]};
}

/** The HMAC-SHA512 input of child derivation: a 33-byte key then ser32(index). */
using DerivationData = SecretBytes<PubKey::SIZE + 4>;

/** Fields every extended key serializes the same way. */
struct Header {
    uint8_t depth;
    Bip32Fingerprint parent_fingerprint;
    uint32_t child_index;
    Bip32ChainCode chain_code;
};

void WriteHeader(std::span<uint8_t, BIP32_EXTKEY_SIZE> out, const std::array<uint8_t, 4>& version, const Header& h)
{
    std::copy(version.begin(), version.end(), out.begin());
    out[4] = h.depth;
    std::copy(h.parent_fingerprint.begin(), h.parent_fingerprint.end(), out.begin() + 5);
    WriteBe32(out.data() + 9, h.child_index);
    std::copy(h.chain_code.begin(), h.chain_code.end(), out.begin() + 13);
}

/** Decodes and checks everything but the key (the last 33 bytes of `raw`). */
Result<Header> ReadHeader(std::string_view str, const std::array<uint8_t, 4>& version, std::vector<uint8_t>& raw)
{
    auto decoded{DecodeBase58Check(str, BIP32_EXTKEY_SIZE)};
    if (!decoded) return Error{"extended key: " + decoded.error_message()};
    raw = std::move(*decoded);
    if (raw.size() != BIP32_EXTKEY_SIZE) return Error{"extended key: wrong length"};
    if (!std::equal(version.begin(), version.end(), raw.begin())) {
        const bool other{std::equal(BIP32_XPRV_VERSION.begin(), BIP32_XPRV_VERSION.end(), raw.begin()) ||
                         std::equal(BIP32_XPUB_VERSION.begin(), BIP32_XPUB_VERSION.end(), raw.begin())};
        return Error{other ? "extended key: public/private version does not match what was expected"
                           : "extended key: unknown version"};
    }
    Header h{};
    h.depth = raw[4];
    std::copy(raw.begin() + 5, raw.begin() + 9, h.parent_fingerprint.begin());
    h.child_index = ReadBe32(raw.data() + 9);
    std::copy(raw.begin() + 13, raw.begin() + 45, h.chain_code.begin());
    if (h.depth == 0 && (h.parent_fingerprint != Bip32Fingerprint{} || h.child_index != 0)) {
        return Error{"extended key: a master key (depth 0) must have zero parent fingerprint and index"};
    }
    return h;
}

Bip32Fingerprint FingerprintOf(const PubKey& pubkey)
{
    const auto hash{Hash160(pubkey.bytes())};
    Bip32Fingerprint fp{};
    std::copy(hash.begin(), hash.begin() + fp.size(), fp.begin());
    return fp;
}

}  // namespace

Result<std::vector<uint32_t>> ParseBip32Path(std::string_view path)
{
    if (path.size() > BIP32_MAX_PATH_LENGTH) return Error{"derivation path too long"};
    if (path.empty() || path[0] != 'm') return Error{"derivation path must start with 'm'"};
    std::vector<uint32_t> indexes;
    std::string_view rest{path.substr(1)};
    while (!rest.empty()) {
        if (rest[0] != '/') return Error{"derivation path: expected '/' before each index"};
        rest.remove_prefix(1);
        const size_t end{std::min(rest.find('/'), rest.size())};
        std::string_view component{rest.substr(0, end)};
        rest.remove_prefix(end);
        bool hardened{false};
        if (!component.empty() && (component.back() == '\'' || component.back() == 'h' || component.back() == 'H')) {
            hardened = true;
            component.remove_suffix(1);
        }
        if (component.empty() || component.size() > MAX_INDEX_DIGITS ||
            !std::all_of(component.begin(), component.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return Error{"derivation path: invalid index '" + std::string{component} + "'"};
        }
        if (component.size() > 1 && component[0] == '0') {
            return Error{"derivation path: leading zero in index '" + std::string{component} + "'"};
        }
        uint64_t value{0};
        for (char c : component) value = value * 10 + static_cast<uint64_t>(c - '0');
        if (value >= BIP32_HARDENED) return Error{"derivation path: index " + std::string{component} + " >= 2^31"};
        if (indexes.size() == BIP32_MAX_DEPTH) return Error{"derivation path deeper than 255"};
        indexes.push_back(static_cast<uint32_t>(value) | (hardened ? BIP32_HARDENED : 0));
    }
    return indexes;
}

// ---- ExtPubKey ----

ExtPubKey::ExtPubKey(uint8_t depth, const Bip32Fingerprint& parent_fingerprint, uint32_t child_index,
                     const Bip32ChainCode& chain_code, const PubKey& pubkey)
    : m_depth{depth}, m_parent_fingerprint{parent_fingerprint}, m_child_index{child_index}, m_chain_code{chain_code},
      m_pubkey{pubkey}
{
}

Result<ExtPubKey> ExtPubKey::FromString(std::string_view str)
{
    std::vector<uint8_t> raw;
    const auto header{ReadHeader(str, BIP32_XPUB_VERSION, raw)};
    if (!header) return header.error();
    const auto pubkey{PubKey::Parse(std::span<const uint8_t>{raw}.subspan(45))};
    if (!pubkey) return Error{"extended key: public key is not a valid compressed point"};
    return ExtPubKey{header->depth, header->parent_fingerprint, header->child_index, header->chain_code, *pubkey};
}

std::array<uint8_t, BIP32_EXTKEY_SIZE> ExtPubKey::Serialize() const
{
    std::array<uint8_t, BIP32_EXTKEY_SIZE> out{};
    WriteHeader(out, BIP32_XPUB_VERSION, Header{m_depth, m_parent_fingerprint, m_child_index, m_chain_code});
    std::copy(m_pubkey.bytes().begin(), m_pubkey.bytes().end(), out.begin() + 45);
    return out;
}

std::string ExtPubKey::ToString() const { return EncodeBase58Check(Serialize()); }

Bip32Fingerprint ExtPubKey::GetFingerprint() const { return FingerprintOf(m_pubkey); }

Result<ExtPubKey> ExtPubKey::Derive(uint32_t index) const
{
    if (index & BIP32_HARDENED) return Error{"cannot derive a hardened child from a public key"};
    if (m_depth == BIP32_MAX_DEPTH) return Error{"cannot derive below depth 255"};
    DerivationData data;
    std::copy(m_pubkey.bytes().begin(), m_pubkey.bytes().end(), data.data.begin());
    WriteBe32(data.data.data() + PubKey::SIZE, index);
    const HmacOutput i{HmacSha512(m_chain_code, data.data)};
    const auto child{m_pubkey.TweakAdd(Left(i))};
    if (!child) return Error{"invalid child key at index " + std::to_string(index) + "; use the next index"};
    return ExtPubKey{static_cast<uint8_t>(m_depth + 1), GetFingerprint(), index, Right(i), *child};
}

Result<ExtPubKey> ExtPubKey::DerivePath(std::string_view path) const
{
    const auto indexes{ParseBip32Path(path)};
    if (!indexes) return indexes.error();
    Result<ExtPubKey> current{*this};
    for (const uint32_t index : *indexes) {
        current = current->Derive(index);
        if (!current) return current.error();
    }
    return current;
}

// ---- ExtKey ----

ExtKey::ExtKey(uint8_t depth, const Bip32Fingerprint& parent_fingerprint, uint32_t child_index,
               const Bip32ChainCode& chain_code, PrivKey key)
    : m_depth{depth}, m_parent_fingerprint{parent_fingerprint}, m_child_index{child_index}, m_chain_code{chain_code},
      m_key{std::move(key)}
{
}

ExtKey::~ExtKey() { MemoryCleanse(m_chain_code.data(), m_chain_code.size()); }

ExtKey ExtKey::Clone() const
{
    return ExtKey{m_depth, m_parent_fingerprint, m_child_index, m_chain_code, m_key.Clone()};
}

Result<ExtKey> ExtKey::FromSeed(std::span<const uint8_t> seed)
{
    if (seed.size() < BIP32_MIN_SEED_SIZE || seed.size() > BIP32_MAX_SEED_SIZE) {
        return Error{"seed must be 16 to 64 bytes"};
    }
    const HmacOutput i{HmacSha512(StringBytes(MASTER_HMAC_KEY), seed)};
    auto key{PrivKey::FromBytes(Left(i))};
    if (!key) return Error{"seed gives an invalid master key; use another seed"};
    return ExtKey{0, Bip32Fingerprint{}, 0, Right(i), std::move(*key)};
}

Result<ExtKey> ExtKey::FromString(std::string_view str)
{
    std::vector<uint8_t> raw;
    const auto header{ReadHeader(str, BIP32_XPRV_VERSION, raw)};
    std::optional<PrivKey> key;
    if (header && raw[45] == 0x00) key = PrivKey::FromBytes(std::span<const uint8_t>{raw}.subspan(46));
    MemoryCleanse(raw.data(), raw.size());
    if (!header) return header.error();
    if (!key) return Error{"extended key: private key must be 0x00 followed by a value in [1, n-1]"};
    return ExtKey{header->depth, header->parent_fingerprint, header->child_index, header->chain_code, std::move(*key)};
}

std::string ExtKey::ToString() const
{
    SecretBytes<BIP32_EXTKEY_SIZE> out;
    WriteHeader(out.data, BIP32_XPRV_VERSION, Header{m_depth, m_parent_fingerprint, m_child_index, m_chain_code});
    out.data[45] = 0x00;
    std::copy(m_key.bytes().begin(), m_key.bytes().end(), out.data.begin() + 46);
    return EncodeBase58Check(out.data);
}

Bip32Fingerprint ExtKey::GetFingerprint() const { return FingerprintOf(m_key.GetPubKey()); }

ExtPubKey ExtKey::Neuter() const
{
    return ExtPubKey{m_depth, m_parent_fingerprint, m_child_index, m_chain_code, m_key.GetPubKey()};
}

Result<ExtKey> ExtKey::Derive(uint32_t index) const
{
    if (m_depth == BIP32_MAX_DEPTH) return Error{"cannot derive below depth 255"};
    const PubKey pubkey{m_key.GetPubKey()};
    DerivationData data;
    if (index & BIP32_HARDENED) {
        data.data[0] = 0x00;
        std::copy(m_key.bytes().begin(), m_key.bytes().end(), data.data.begin() + 1);
    } else {
        std::copy(pubkey.bytes().begin(), pubkey.bytes().end(), data.data.begin());
    }
    WriteBe32(data.data.data() + PubKey::SIZE, index);
    const HmacOutput i{HmacSha512(m_chain_code, data.data)};
    auto child{m_key.TweakAdd(Left(i))};
    if (!child) return Error{"invalid child key at index " + std::to_string(index) + "; use the next index"};
    return ExtKey{static_cast<uint8_t>(m_depth + 1), FingerprintOf(pubkey), index, Right(i), std::move(*child)};
}

Result<ExtKey> ExtKey::DerivePath(std::string_view path) const
{
    const auto indexes{ParseBip32Path(path)};
    if (!indexes) return indexes.error();
    Result<ExtKey> current{Clone()};
    for (const uint32_t index : *indexes) {
        current = current->Derive(index);
        if (!current) return current.error();
    }
    return current;
}

}  // namespace hpips
