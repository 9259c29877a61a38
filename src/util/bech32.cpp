// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/bech32.h>

#include <array>
#include <string>

namespace hpips::bech32 {
namespace {

/** The 32 data characters; a character's index is its 5-bit value. */
constexpr std::string_view CHARSET{"qpzry9x8gf2tvdw0s3jn54khce6mua7l"};

/** Final checksum residues of valid strings (BIP-173, BIP-350). */
constexpr uint32_t BECH32_CONST{1};
constexpr uint32_t BECH32M_CONST{0x2bc830a3};

/** Lowest and highest character allowed in a string (printable US-ASCII). */
constexpr unsigned char MIN_CHAR{33};
constexpr unsigned char MAX_CHAR{126};

uint32_t EncodingConstant(Encoding encoding)
{
    return encoding == Encoding::BECH32M ? BECH32M_CONST : BECH32_CONST;
}

// --- Field arithmetic -------------------------------------------------------
//
// Symbols are elements of GF(32) = GF(2)[v]/(v^5 + v^3 + 1). The checksum is
// the remainder of the string's polynomial modulo the degree-6 generator
//   g(x) = x^6 + 29x^5 + 22x^4 + 20x^3 + 21x^2 + 29x + 18
// (coefficients as GF(32) elements). g splits into linear factors over
// GF(1024); three of its roots are consecutive powers b, b*r, b*r^2 of one
// element, which makes it a BCH code of designed distance 4 (actual distance
// 5). Error location evaluates the residue at those roots (the syndromes) and
// solves for error positions and values, all in GF(1024).

constexpr unsigned GF32_MODULUS{0b101001};      // v^5 + v^3 + 1
constexpr unsigned GF1024_MODULUS{0b10000001001}; // y^10 + y^3 + 1, primitive
constexpr unsigned GF1024_ORDER{1023};           // size of the multiplicative group
/** Coefficients of g(x) below x^6, lowest degree first. */
constexpr std::array<uint8_t, 6> GENERATOR{18, 29, 21, 20, 22, 29};

constexpr uint8_t Gf32Mul(uint8_t a, uint8_t b)
{
    unsigned product{0};
    for (int bit{0}; bit < 5; ++bit) {
        if ((b >> bit) & 1) product ^= static_cast<unsigned>(a) << bit;
    }
    for (int bit{8}; bit >= 5; --bit) {
        if ((product >> bit) & 1) product ^= GF32_MODULUS << (bit - 5);
    }
    return static_cast<uint8_t>(product);
}

/** GEN_MULTIPLES[i] packs (2^i * g(x)) mod x^6: what must be XORed into the
 *  packed residue when coefficient bit i of x^6 is shifted out. */
constexpr std::array<uint32_t, 5> MakeGeneratorMultiples()
{
    std::array<uint32_t, 5> out{};
    for (int i{0}; i < 5; ++i) {
        uint32_t packed{0};
        for (int k{0}; k < 6; ++k) {
            packed |= static_cast<uint32_t>(Gf32Mul(GENERATOR[k], static_cast<uint8_t>(1U << i))) << (5 * k);
        }
        out[i] = packed;
    }
    return out;
}
constexpr std::array<uint32_t, 5> GEN_MULTIPLES{MakeGeneratorMultiples()};

/** SHIFT_OUT[top]: the XOR of GEN_MULTIPLES[i] over the set bits i of a
 *  shifted-out coefficient `top`, so one symbol costs one table lookup (an
 *  address is ~70 symbols, and listunspent encodes one per coin). */
constexpr std::array<uint32_t, 32> MakeShiftOutTable()
{
    std::array<uint32_t, 32> out{};
    for (unsigned top{0}; top < 32; ++top) {
        for (int i{0}; i < 5; ++i) {
            if ((top >> i) & 1) out[top] ^= GEN_MULTIPLES[i];
        }
    }
    return out;
}
constexpr std::array<uint32_t, 32> SHIFT_OUT{MakeShiftOutTable()};

/** A residue packed as six 5-bit coefficients, x^5 in the top bits. */
class Checksum
{
public:
    /** Appends one symbol: residue = residue * x + value (mod g). */
    constexpr void Feed(uint8_t value)
    {
        const uint32_t top{m_residue >> 25};
        m_residue = ((m_residue & 0x1ffffff) << 5) ^ value ^ SHIFT_OUT[top];
    }
    constexpr uint32_t Residue() const { return m_residue; }

private:
    uint32_t m_residue{1}; // the leading 1 makes leading zero symbols count
};

/** GF(1024) = GF(2)[y]/(y^10 + y^3 + 1) by exponent and logarithm tables, the
 *  embedding of GF(32) in it, and the roots of g used for syndromes. */
struct Gf1024Tables {
    std::array<uint16_t, GF1024_ORDER> exp{};
    std::array<uint16_t, 1024> log{};
    /** GF(32) element (index) as a GF(1024) element. */
    std::array<uint16_t, 32> embed{};
    /** Syndrome points: ROOT0 * RATIO^k for k = 0, 1, 2 are roots of g. */
    uint16_t root0{0};
    uint16_t ratio{0};
    /** Inverse of log(ratio) modulo GF1024_ORDER, to take logarithms base ratio. */
    unsigned inv_log_ratio{0};
    bool ok{false};

    constexpr uint16_t Mul(uint16_t a, uint16_t b) const
    {
        if (a == 0 || b == 0) return 0;
        return exp[(log[a] + log[b]) % GF1024_ORDER];
    }
    constexpr uint16_t Div(uint16_t a, uint16_t b) const // b != 0
    {
        if (a == 0) return 0;
        return exp[(log[a] + GF1024_ORDER - log[b]) % GF1024_ORDER];
    }
    constexpr uint16_t Pow(uint16_t a, unsigned n) const // a != 0
    {
        return exp[(static_cast<unsigned long>(log[a]) * n) % GF1024_ORDER];
    }
    /** The GF(32) element equal to z, or -1 when z lies outside the subfield. */
    constexpr int Unembed(uint16_t z) const
    {
        for (int v{0}; v < 32; ++v) {
            if (embed[v] == z) return v;
        }
        return -1;
    }
    /** Evaluates a packed residue (six GF(32) coefficients) at z. */
    constexpr uint16_t EvalResidue(uint32_t residue, uint16_t z) const
    {
        uint16_t acc{0};
        for (int k{5}; k >= 0; --k) { // Horner, from x^5 down
            acc = static_cast<uint16_t>(Mul(acc, z) ^ embed[(residue >> (5 * k)) & 31]);
        }
        return acc;
    }
};

constexpr unsigned Gcd(unsigned a, unsigned b)
{
    while (b != 0) {
        const unsigned t{a % b};
        a = b;
        b = t;
    }
    return a;
}

constexpr Gf1024Tables MakeTables()
{
    Gf1024Tables t{};
    unsigned value{1};
    for (unsigned i{0}; i < GF1024_ORDER; ++i) {
        if (i > 0 && value == 1) return t; // modulus not primitive
        t.exp[i] = static_cast<uint16_t>(value);
        t.log[value] = static_cast<uint16_t>(i);
        value <<= 1;
        if (value & 1024) value ^= GF1024_MODULUS;
    }
    // Embed GF(32): any root gamma of v^5 + v^3 + 1 in GF(1024) maps v -> gamma.
    uint16_t gamma{0};
    for (unsigned z{2}; z < 1024 && gamma == 0; ++z) {
        const auto zz{static_cast<uint16_t>(z)};
        if ((t.Pow(zz, 5) ^ t.Pow(zz, 3) ^ 1) == 0) gamma = zz;
    }
    if (gamma == 0) return t;
    for (unsigned v{0}; v < 32; ++v) {
        uint16_t z{0};
        for (unsigned bit{0}; bit < 5; ++bit) {
            if ((v >> bit) & 1) z ^= t.Pow(gamma, bit);
        }
        t.embed[v] = z;
    }
    // Roots of g(x) = x^6 + sum GENERATOR[k] x^k.
    std::array<uint16_t, 6> roots{};
    size_t root_count{0};
    for (unsigned z{1}; z < 1024; ++z) {
        const auto zz{static_cast<uint16_t>(z)};
        uint16_t acc{1};
        for (int k{5}; k >= 0; --k) acc = static_cast<uint16_t>(t.Mul(acc, zz) ^ t.embed[GENERATOR[k]]);
        if (acc == 0) {
            if (root_count == roots.size()) return t;
            roots[root_count++] = zz;
        }
    }
    if (root_count != roots.size()) return t;
    // Three roots in geometric progression with a ratio generating the whole
    // group, so ratio^p differs for every position p < 1023.
    for (size_t a{0}; a < 6; ++a) {
        for (size_t b{0}; b < 6; ++b) {
            for (size_t c{0}; c < 6; ++c) {
                if (a == b || b == c || a == c) continue;
                const uint16_t ratio{t.Div(roots[b], roots[a])};
                if (t.Div(roots[c], roots[b]) != ratio) continue;
                if (Gcd(t.log[ratio], GF1024_ORDER) != 1) continue;
                t.root0 = roots[a];
                t.ratio = ratio;
                for (unsigned inv{1}; inv < GF1024_ORDER; ++inv) {
                    if ((static_cast<unsigned long>(t.log[ratio]) * inv) % GF1024_ORDER == 1) t.inv_log_ratio = inv;
                }
                t.ok = true;
                return t;
            }
        }
    }
    return t;
}

constexpr Gf1024Tables TABLES{MakeTables()};
static_assert(TABLES.ok, "bech32 field tables must be constructible");

// --- String helpers ---------------------------------------------------------

constexpr int CharValue(char c)
{
    const size_t pos{CHARSET.find(c)};
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/** Feeds the HRP expansion of BIP-173: high bits of each character, a zero,
 *  then the low bits, so both halves of every HRP byte are covered. */
void FeedHrp(Checksum& checksum, std::string_view hrp)
{
    for (char c : hrp) checksum.Feed(static_cast<uint8_t>(static_cast<unsigned char>(c) >> 5));
    checksum.Feed(0);
    for (char c : hrp) checksum.Feed(static_cast<uint8_t>(static_cast<unsigned char>(c) & 31));
}

/** A string split into its lower-case HRP and data values (checksum
 *  included), or the reason it cannot be. */
struct Parsed {
    std::string hrp;
    std::vector<uint8_t> values;
    std::string error;
    std::vector<size_t> error_positions;
};

Parsed Parse(std::string_view str)
{
    Parsed out{};
    if (str.size() > MAX_LENGTH) {
        out.error = "Bech32 string too long (" + std::to_string(str.size()) + " characters, at most " +
                    std::to_string(MAX_LENGTH) + ")";
        return out;
    }
    bool lower{false};
    bool upper{false};
    for (size_t i{0}; i < str.size(); ++i) {
        const auto c{static_cast<unsigned char>(str[i])};
        if (c < MIN_CHAR || c > MAX_CHAR) out.error_positions.push_back(i);
        if (c >= 'a' && c <= 'z') lower = true;
        if (c >= 'A' && c <= 'Z') upper = true;
    }
    if (!out.error_positions.empty()) {
        out.error = "Invalid character (outside printable US-ASCII)";
        return out;
    }
    if (lower && upper) {
        out.error = "Mixed upper and lower case";
        return out;
    }
    const size_t separator{str.rfind('1')};
    if (separator == std::string_view::npos) {
        out.error = "Missing separator '1'";
        return out;
    }
    if (separator == 0) {
        out.error = "Empty human-readable part";
        out.error_positions.push_back(0);
        return out;
    }
    if (str.size() - separator - 1 < CHECKSUM_SIZE) {
        out.error = "Data part shorter than the " + std::to_string(CHECKSUM_SIZE) + "-character checksum";
        return out;
    }
    for (size_t i{separator + 1}; i < str.size(); ++i) {
        const int value{CharValue(ToLower(str[i]))};
        if (value < 0) {
            out.error_positions.push_back(i);
        } else {
            out.values.push_back(static_cast<uint8_t>(value));
        }
    }
    if (!out.error_positions.empty()) {
        out.error = "Invalid data character";
        out.values.clear();
        return out;
    }
    out.hrp.reserve(separator);
    for (size_t i{0}; i < separator; ++i) out.hrp.push_back(ToLower(str[i]));
    return out;
}

uint32_t Residue(std::string_view hrp, std::span<const uint8_t> values)
{
    Checksum checksum{};
    FeedHrp(checksum, hrp);
    for (uint8_t v : values) checksum.Feed(v);
    return checksum.Residue();
}

/** Error locations (powers of x, i.e. distances from the last character) for
 *  a residue difference `error_residue` = E(x) mod g, with errors allowed at
 *  powers below `data_length`. Returns nullopt if no error pattern of at most
 *  two substitutions explains it. */
std::optional<std::vector<size_t>> SolveErrorPowers(uint32_t error_residue, size_t data_length)
{
    const Gf1024Tables& t{TABLES};
    if (error_residue == 0) return std::vector<size_t>{};
    std::array<uint16_t, 3> s{};
    uint16_t point{t.root0};
    for (auto& syndrome : s) {
        syndrome = t.EvalResidue(error_residue, point);
        point = t.Mul(point, t.ratio);
    }
    // s_k = sum_i A_i * X_i^k with X_i = ratio^p_i and A_i = e_i * root0^p_i.
    const auto log_ratio{[&](uint16_t x) -> size_t {
        return (static_cast<unsigned long>(t.log[x]) * t.inv_log_ratio) % GF1024_ORDER;
    }};
    const auto error_value_ok{[&](uint16_t a, size_t p) {
        const uint16_t e{t.Div(a, t.Pow(t.root0, static_cast<unsigned>(p)))};
        return e != 0 && t.Unembed(e) > 0;
    }};

    // One error: X = s1 / s0 = s2 / s1.
    if (s[0] != 0 && s[1] != 0) {
        const uint16_t x{t.Div(s[1], s[0])};
        if (t.Mul(s[1], x) == s[2]) {
            const size_t p{log_ratio(x)};
            if (p < data_length && error_value_ok(s[0], p)) return std::vector<size_t>{p};
        }
    }
    // Two errors: for a guessed X1, eliminating A1 gives
    //   s1 + X1 s0 = A2 (X1 + X2),  s2 + X1 s1 = A2 X2 (X1 + X2).
    for (size_t p1{0}; p1 < data_length; ++p1) {
        const uint16_t x1{t.exp[(p1 * t.log[t.ratio]) % GF1024_ORDER]};
        const auto den{static_cast<uint16_t>(s[1] ^ t.Mul(x1, s[0]))};
        const auto num{static_cast<uint16_t>(s[2] ^ t.Mul(x1, s[1]))};
        if (den == 0 || num == 0) continue;
        const uint16_t x2{t.Div(num, den)};
        const size_t p2{log_ratio(x2)};
        if (p2 <= p1 || p2 >= data_length) continue;
        const uint16_t a2{t.Div(den, static_cast<uint16_t>(x1 ^ x2))};
        const auto a1{static_cast<uint16_t>(s[0] ^ a2)};
        if (error_value_ok(a1, p1) && error_value_ok(a2, p2)) return std::vector<size_t>{p1, p2};
    }
    return std::nullopt;
}

std::optional<std::vector<size_t>> Locate(std::string_view str, const Parsed& parsed, Encoding encoding)
{
    const uint32_t residue{Residue(parsed.hrp, parsed.values) ^ EncodingConstant(encoding)};
    auto powers{SolveErrorPowers(residue, parsed.values.size())};
    if (!powers) return std::nullopt;
    std::vector<size_t> positions;
    for (auto it{powers->rbegin()}; it != powers->rend(); ++it) positions.push_back(str.size() - 1 - *it);
    return positions;
}

}  // namespace

std::string Encode(Encoding encoding, std::string_view hrp, std::span<const uint8_t> values)
{
    if (hrp.empty() || hrp.size() > MAX_HRP_LENGTH) return {};
    if (hrp.size() + 1 + values.size() + CHECKSUM_SIZE > MAX_LENGTH) return {};
    for (char c : hrp) {
        const auto uc{static_cast<unsigned char>(c)};
        if (uc < MIN_CHAR || uc > MAX_CHAR || (c >= 'A' && c <= 'Z')) return {};
    }
    for (uint8_t v : values) {
        if (v >= 32) return {};
    }
    Checksum checksum{};
    FeedHrp(checksum, hrp);
    for (uint8_t v : values) checksum.Feed(v);
    for (size_t i{0}; i < CHECKSUM_SIZE; ++i) checksum.Feed(0);
    const uint32_t check{checksum.Residue() ^ EncodingConstant(encoding)};

    std::string out;
    out.reserve(hrp.size() + 1 + values.size() + CHECKSUM_SIZE);
    out.append(hrp);
    out.push_back('1');
    for (uint8_t v : values) out.push_back(CHARSET[v]);
    for (size_t i{0}; i < CHECKSUM_SIZE; ++i) out.push_back(CHARSET[(check >> (5 * (CHECKSUM_SIZE - 1 - i))) & 31]);
    return out;
}

DecodeResult Decode(std::string_view str)
{
    DecodeResult result{};
    Parsed parsed{Parse(str)};
    if (!parsed.error.empty()) {
        result.error = std::move(parsed.error);
        result.error_positions = std::move(parsed.error_positions);
        return result;
    }
    const uint32_t residue{Residue(parsed.hrp, parsed.values)};
    result.hrp = parsed.hrp;
    if (residue == BECH32_CONST || residue == BECH32M_CONST) {
        result.status = Status::OK;
        result.encoding = residue == BECH32_CONST ? Encoding::BECH32 : Encoding::BECH32M;
        result.data.assign(parsed.values.begin(), parsed.values.end() - CHECKSUM_SIZE);
        return result;
    }
    result.status = Status::BAD_CHECKSUM;
    result.error = "Invalid checksum";
    auto as_m{Locate(str, parsed, Encoding::BECH32M)};
    auto as_plain{Locate(str, parsed, Encoding::BECH32)};
    if (as_m && (!as_plain || as_m->size() <= as_plain->size())) {
        result.error_positions = std::move(*as_m);
    } else if (as_plain) {
        result.error_positions = std::move(*as_plain);
    }
    return result;
}

std::optional<std::vector<size_t>> LocateErrors(std::string_view str, Encoding encoding)
{
    const Parsed parsed{Parse(str)};
    if (!parsed.error.empty()) return std::nullopt;
    return Locate(str, parsed, encoding);
}

std::optional<std::vector<uint8_t>> ConvertBits(std::span<const uint8_t> values, int from_bits, int to_bits, bool pad)
{
    if (from_bits < 1 || from_bits > 8 || to_bits < 1 || to_bits > 8) return std::nullopt;
    const uint32_t max_out{(1U << to_bits) - 1};
    const uint32_t max_acc{(1U << (from_bits + to_bits - 1)) - 1};
    uint32_t acc{0};
    int bits{0};
    std::vector<uint8_t> out;
    out.reserve((values.size() * static_cast<size_t>(from_bits) + static_cast<size_t>(to_bits) - 1) /
                static_cast<size_t>(to_bits));
    for (uint8_t value : values) {
        if ((value >> from_bits) != 0) return std::nullopt;
        acc = ((acc << from_bits) | value) & max_acc;
        bits += from_bits;
        while (bits >= to_bits) {
            bits -= to_bits;
            out.push_back(static_cast<uint8_t>((acc >> bits) & max_out));
        }
    }
    if (pad) {
        if (bits > 0) out.push_back(static_cast<uint8_t>((acc << (to_bits - bits)) & max_out));
    } else if (bits >= from_bits || ((acc << (to_bits - bits)) & max_out) != 0) {
        return std::nullopt;
    }
    return out;
}

}  // namespace hpips::bech32
