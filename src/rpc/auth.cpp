// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/auth.h>

#include <crypto/cleanse.h>
#include <crypto/hmac.h>
#include <crypto/random.h>
#include <util/strencodings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <span>
#include <sys/stat.h>
#include <unistd.h>

namespace hpips {
namespace {

constexpr std::string_view BASE64_ALPHABET{"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"};

/** Equal contents, compared in time independent of where they differ (the
 *  lengths may leak, as in Core). */
bool TimingResistantEqual(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::span<const uint8_t> Bytes(std::string_view s)
{
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text)
{
    if (text.size() % 4 != 0) return std::nullopt;
    size_t padding{0};
    for (size_t i{0}; i < text.size(); ++i) {
        const char c{text[i]};
        if (c == '=') {
            // Padding only in the last two places, and only at the end.
            if (i + 2 < text.size()) return std::nullopt;
            ++padding;
        } else if (padding > 0 || BASE64_ALPHABET.find(c) == std::string_view::npos) {
            return std::nullopt;
        }
    }
    std::string out(text.size() / 4 * 3, '\0');
    if (text.empty()) return out;
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0 || static_cast<size_t>(n) != out.size()) return std::nullopt;
    out.resize(out.size() - padding);
    // Canonical form: the unused bits before the padding must be zero.
    if (EncodeBase64(out) != text) return std::nullopt;
    return out;
}

std::string EncodeBase64(std::string_view data)
{
    std::string out((data.size() + 2) / 3 * 4 + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
    out.resize(n < 0 ? 0 : static_cast<size_t>(n));
    return out;
}

std::optional<Credentials> ParseBasicAuth(std::string_view authorization)
{
    constexpr std::string_view SCHEME{"Basic "};
    if (authorization.size() > MAX_AUTHORIZATION_SIZE) return std::nullopt;
    if (authorization.substr(0, SCHEME.size()) != SCHEME) return std::nullopt;
    auto decoded = DecodeBase64(authorization.substr(SCHEME.size()));
    if (!decoded) return std::nullopt;
    const size_t colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

Result<RPCAuthEntry> ParseRPCAuth(std::string_view spec)
{
    const size_t colon = spec.find(':');
    const size_t dollar = spec.rfind('$');
    if (colon == std::string_view::npos || dollar == std::string_view::npos || dollar < colon) {
        return Error{"Invalid -rpcauth argument (expected user:salt$hash)"};
    }
    RPCAuthEntry entry{std::string{spec.substr(0, colon)}, std::string{spec.substr(colon + 1, dollar - colon - 1)},
                       std::string{spec.substr(dollar + 1)}};
    if (entry.user.empty() || entry.salt.empty() || entry.salt.find('$') != std::string::npos) {
        return Error{"Invalid -rpcauth argument (expected user:salt$hash)"};
    }
    if (entry.hash.size() != 64 || !IsHex(entry.hash)) {
        return Error{"Invalid -rpcauth argument (the hash must be 64 hex digits)"};
    }
    for (char& c : entry.hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return entry;
}

std::string RPCAuthHash(std::string_view salt, std::string_view password)
{
    auto mac = HmacSha256(Bytes(salt), Bytes(password));
    std::string hex = HexStr(mac);
    MemoryCleanse(mac.data(), mac.size());
    return hex;
}

void RPCAuthenticator::AddPassword(Credentials credentials) { m_passwords.push_back(std::move(credentials)); }

void RPCAuthenticator::AddRPCAuth(RPCAuthEntry entry) { m_rpcauth.push_back(std::move(entry)); }

std::optional<std::string> RPCAuthenticator::Check(std::string_view authorization) const
{
    const auto credentials = ParseBasicAuth(authorization);
    if (!credentials) return std::nullopt;
    // Compare against every candidate, without stopping early, so timing
    // does not reveal which user names exist.
    std::optional<std::string> user;
    const std::string given = credentials->user + ":" + credentials->password;
    for (const auto& accepted : m_passwords) {
        if (TimingResistantEqual(given, accepted.user + ":" + accepted.password)) user = accepted.user;
    }
    for (const auto& entry : m_rpcauth) {
        const bool user_ok = TimingResistantEqual(credentials->user, entry.user);
        const bool hash_ok = TimingResistantEqual(RPCAuthHash(entry.salt, credentials->password), entry.hash);
        if (user_ok && hash_ok) user = entry.user;
    }
    return user;
}

Result<Credentials> GenerateAuthCookie(const std::filesystem::path& path)
{
    std::array<uint8_t, COOKIE_SECRET_BYTES> secret{};
    GetStrongRandBytes(secret);
    Credentials credentials{std::string{COOKIE_USER}, HexStr(secret)};
    MemoryCleanse(secret.data(), secret.size());
    const std::string content = credentials.user + ":" + credentials.password;

    std::filesystem::path temp = path;
    temp += ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) return Error{"Unable to open cookie authentication file " + temp.string() + " for writing"};
    // An existing file keeps its old mode through O_TRUNC: force 0600.
    bool ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0;
    size_t written{0};
    while (ok && written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        written += static_cast<size_t>(n);
    }
    ok = (::fsync(fd) == 0) && ok;
    ok = (::close(fd) == 0) && ok;
    if (!ok) {
        std::error_code ec;
        std::filesystem::remove(temp, ec);
        return Error{"Unable to write cookie authentication file " + temp.string()};
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        return Error{"Unable to rename cookie authentication file " + temp.string() + " to " + path.string()};
    }
    return credentials;
}

Result<Credentials> ParseAuthCookie(std::string_view content)
{
    content = content.substr(0, MAX_COOKIE_FILE_SIZE);
    const size_t newline = content.find_first_of("\r\n");
    if (newline != std::string_view::npos) content = content.substr(0, newline);
    const size_t colon = content.find(':');
    if (colon == std::string_view::npos) return Error{"no ':' on the first line"};
    return Credentials{std::string{content.substr(0, colon)}, std::string{content.substr(colon + 1)}};
}

Result<Credentials> ReadAuthCookie(const std::filesystem::path& path)
{
    std::ifstream file{path, std::ios::binary};
    if (!file) return Error{"Unable to open cookie file " + path.string()};
    std::string content(MAX_COOKIE_FILE_SIZE, '\0');
    file.read(content.data(), static_cast<std::streamsize>(content.size()));
    content.resize(static_cast<size_t>(file.gcount()));
    auto credentials = ParseAuthCookie(content);
    if (!credentials) return Error{"Malformed cookie file " + path.string()};
    return credentials;
}

void DeleteAuthCookie(const std::filesystem::path& path)
{
    std::error_code ec;
    std::filesystem::remove(path, ec);
}

}  // namespace hpips
