// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_AUTH_H
#define HPIPS_RPC_AUTH_H

#include <util/result.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/** RPC authentication as in Bitcoin Core: HTTP Basic credentials checked
 *  against -rpcuser/-rpcpassword, the random cookie, or -rpcauth entries
 *  (user:salt$HMAC-SHA256(key=salt, msg=password) in hex, made by
 *  contrib/rpcauth.py), always in constant time. */
namespace hpips {

/** User name of the cookie credentials. */
inline constexpr std::string_view COOKIE_USER{"__cookie__"};
/** Random bytes in the cookie password (64 hex digits). */
constexpr size_t COOKIE_SECRET_BYTES = 32;
/** Default cookie file name, in the network's data directory. */
inline constexpr std::string_view COOKIE_FILE_NAME{".cookie"};
/** Longest cookie file ReadAuthCookie reads. */
constexpr size_t MAX_COOKIE_FILE_SIZE = 1024;
/** Longest Authorization header value looked at. */
constexpr size_t MAX_AUTHORIZATION_SIZE = 8192;

/** A user name and password. */
struct Credentials {
    std::string user;
    std::string password;
};

/** Decodes an Authorization header value "Basic <base64 of user:password>".
 *  The scheme is matched exactly, as in Core; the base64 must be canonical
 *  (padded, no whitespace or stray characters); the password is everything
 *  after the first ':'. nullopt for anything else. */
std::optional<Credentials> ParseBasicAuth(std::string_view authorization);

/** Strict base64 (RFC 4648, padded) decoding through OpenSSL; nullopt if
 *  the text is not canonical base64. */
std::optional<std::string> DecodeBase64(std::string_view text);
/** Base64 encoding through OpenSSL. */
std::string EncodeBase64(std::string_view data);

/** One -rpcauth entry. */
struct RPCAuthEntry {
    std::string user;
    std::string salt;
    /** 64 lowercase hex digits. */
    std::string hash;
};

/** Parses "user:salt$hash": user without ':', non-empty salt without '$', hash
 *  64 hex digits (case-insensitive). */
Result<RPCAuthEntry> ParseRPCAuth(std::string_view spec);

/** HMAC-SHA256(key = salt bytes, message = password bytes) in lowercase hex. */
std::string RPCAuthHash(std::string_view salt, std::string_view password);

/** The set of accepted credentials. Filled at startup, then read-only
 *  (Check may run on any thread). */
class RPCAuthenticator {
public:
    /** Accepts this user with this password (-rpcuser/-rpcpassword, cookie). */
    void AddPassword(Credentials credentials);
    /** Accepts an -rpcauth entry. */
    void AddRPCAuth(RPCAuthEntry entry);
    /** The user name when `authorization` (the header value) matches some
     *  accepted credentials; nullopt otherwise. Every candidate is compared
     *  in constant time. */
    std::optional<std::string> Check(std::string_view authorization) const;

private:
    std::vector<Credentials> m_passwords;
    std::vector<RPCAuthEntry> m_rpcauth;
};

/** Writes a fresh cookie "__cookie__:<64 hex>" to `path` (mode 0600, via a
 *  temporary file and rename so a reader never sees half a cookie) and
 *  returns its credentials. */
Result<Credentials> GenerateAuthCookie(const std::filesystem::path& path);

/** Parses cookie file content: the first line (up to the first CR or LF),
 *  split at its first ':' into user and password. Only the first
 *  MAX_COOKIE_FILE_SIZE bytes are looked at. Error if there is no ':'. */
Result<Credentials> ParseAuthCookie(std::string_view content);

/** Reads cookie credentials from `path` (at most MAX_COOKIE_FILE_SIZE bytes,
 *  parsed by ParseAuthCookie). */
Result<Credentials> ReadAuthCookie(const std::filesystem::path& path);

/** Removes the cookie file; a missing file is not an error. */
void DeleteAuthCookie(const std::filesystem::path& path);

}  // namespace hpips

#endif  // HPIPS_RPC_AUTH_H
