// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// RPC credentials from untrusted text: the cookie file parser (on bytes, and
// through a real file with ReadAuthCookie, which must agree), -rpcauth
// entries (ParseRPCAuth) and Authorization headers (ParseBasicAuth) must
// never crash; what parses must also authenticate: a cookie's credentials and
// an -rpcauth entry made for a password are accepted by RPCAuthenticator, a
// wrong password is not.
#include <rpc/auth.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

namespace {

/** A cookie file path of this process, removed at exit. */
struct CookieFile {
    std::filesystem::path dir{std::filesystem::temp_directory_path() /
                              ("hpips_fuzz_rpc_cookie_" + std::to_string(::getpid()))};
    std::filesystem::path path{dir / ".cookie"};
    CookieFile() { std::filesystem::create_directories(dir); }
    ~CookieFile()
    {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

std::string Basic(const hpips::Credentials& credentials)
{
    return "Basic " + hpips::EncodeBase64(credentials.user + ":" + credentials.password);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text{reinterpret_cast<const char*>(data), size};

    // The cookie file: on bytes, and through a file.
    static CookieFile file;
    const auto parsed = hpips::ParseAuthCookie(text);
    {
        std::ofstream out{file.path, std::ios::binary | std::ios::trunc};
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    const auto read = hpips::ReadAuthCookie(file.path);
    if (parsed.has_value() != read.has_value()) std::abort();
    if (parsed) {
        if (parsed->user != read->user || parsed->password != read->password) std::abort();
        if (parsed->user.find(':') != std::string::npos) std::abort();
        if (parsed->user.size() + parsed->password.size() >= hpips::MAX_COOKIE_FILE_SIZE) std::abort();
        hpips::RPCAuthenticator auth;
        auth.AddPassword(*parsed);
        // ParseBasicAuth splits at the first ':', as the cookie does.
        if (auth.Check(Basic(*parsed)) != parsed->user) std::abort();
        if (auth.Check(Basic({parsed->user, parsed->password + "x"}))) std::abort();
    }

    // An -rpcauth entry, and one made for a password taken from the input.
    if (auto entry = hpips::ParseRPCAuth(text)) {
        if (entry->user.find(':') != std::string::npos || entry->salt.empty() || entry->hash.size() != 64) std::abort();
        const std::string password{text.substr(0, text.size() / 2)};
        hpips::RPCAuthEntry made{entry->user, entry->salt, hpips::RPCAuthHash(entry->salt, password)};
        const auto again = hpips::ParseRPCAuth(made.user + ":" + made.salt + "$" + made.hash);
        if (!again || again->hash != made.hash) std::abort();
        hpips::RPCAuthenticator auth;
        auth.AddRPCAuth(*entry);
        auth.AddRPCAuth(made);
        if (auth.Check(Basic({made.user, password})) != made.user) std::abort();
        (void)auth.Check(Basic({entry->user, password + "x"}));
    }

    // An Authorization header.
    if (auto credentials = hpips::ParseBasicAuth(text)) {
        if (hpips::ParseBasicAuth(Basic(*credentials)).has_value() != (credentials->user.find(':') == std::string::npos)) {
            std::abort();
        }
    }
    return 0;
}
