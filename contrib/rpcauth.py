#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Create an -rpcauth entry for hpips.conf.

The node stores only user:salt$hash, where hash = HMAC-SHA256(key=salt,
message=password) in hex, so the configuration file never holds the password.
Clients then log in with rpcuser=<user> / rpcpassword=<password>.
Standard library only.
"""
import argparse
import base64
import hmac
import json
import secrets
import sys

SALT_BYTES = 16
PASSWORD_BYTES = 32


def make_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def make_password() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(PASSWORD_BYTES)).decode("ascii")


def password_to_hmac(salt: str, password: str) -> str:
    return hmac.new(salt.encode("utf-8"), password.encode("utf-8"), "sha256").hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description="Create login credentials for a JSON-RPC user")
    parser.add_argument("username", help="the username for authentication")
    parser.add_argument("password", nargs="?", help="leave empty to generate a random password, "
                        "or specify '-' to read it from standard input")
    parser.add_argument("-j", "--json", action="store_true", help="output data in json format")
    args = parser.parse_args()

    if ":" in args.username:
        print("error: the username may not contain ':'", file=sys.stderr)
        return 1
    if args.password is None:
        password = make_password()
    elif args.password == "-":
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = args.password

    salt = make_salt()
    rpcauth = f"{args.username}:{salt}${password_to_hmac(salt, password)}"
    if args.json:
        print(json.dumps({"username": args.username, "password": password, "rpcauth": rpcauth}))
    else:
        print("String to be appended to hpips.conf:")
        print(f"rpcauth={rpcauth}")
        print("Your password:")
        print(password)
    return 0


if __name__ == "__main__":
    sys.exit(main())
