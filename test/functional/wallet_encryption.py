#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Wallet encryption (doc/wallet.md, "Encryption").

One node, one wallet with mature coins. Before encryption walletpassphrase,
walletlock and walletpassphrasechange get -15. encryptwallet leaves the
wallet locked: sendtoaddress and getmnemonic get -13, getnewaddress still
works (public derivation from the account xpub), and the mnemonic is no
longer in the wallet file or its log. A wrong passphrase gets -14 and
unlocks nothing; the right one unlocks, a send works, walletlock locks; a
1-second timeout relocks by itself. walletpassphrasechange re-seals the
master key (the old passphrase stops working). A restart keeps the wallet
encrypted and locked. createwallet with a passphrase creates it encrypted;
a blank wallet has nothing to encrypt (-16).
Limits: a passphrase of 1025 bytes, an empty one, a negative timeout: -8; a
timeout above 100000000 s is capped."""
import os
import sys
import time

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, wait_until

LOCKED = "Please enter the wallet passphrase with walletpassphrase first"
WRONG = "The wallet passphrase entered was incorrect"


class WalletEncryptionTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def run_test(self):
        self.node = self.add_node(["-keypool=10"])
        self.node.start()
        self.subtest("an unencrypted wallet", self.test_unencrypted)
        self.subtest("encryptwallet locks", self.test_encrypt)
        self.subtest("walletpassphrase, walletlock and the timeout", self.test_unlock)
        self.subtest("walletpassphrasechange", self.test_change)
        self.subtest("a restart keeps encryption", self.test_restart)
        self.subtest("createwallet with a passphrase", self.test_create_encrypted)

    def test_unencrypted(self):
        n = self.node
        n.createwallet("w")
        self.addr = n.getnewaddress()
        n.generatetoaddress(102, self.addr)
        self.mnemonic = n.getmnemonic()
        assert "unlocked_until" not in n.getwalletinfo()
        assert_raises_rpc_error(-15, "unencrypted wallet", n.walletpassphrase, "pw", 10)
        assert_raises_rpc_error(-15, "unencrypted wallet", n.walletlock)
        assert_raises_rpc_error(-15, "unencrypted wallet", n.walletpassphrasechange, "a", "b")

    def test_encrypt(self):
        n = self.node
        assert_raises_rpc_error(-8, "passphrase can not be empty", n.encryptwallet, "")
        assert_raises_rpc_error(-8, "passphrase too long", n.encryptwallet, "x" * 1025)
        assert_equal(n.getwalletinfo().get("unlocked_until"), None)  # nothing changed
        assert "wallet encrypted" in n.encryptwallet("pass one")
        assert_raises_rpc_error(-15, "encrypted wallet", n.encryptwallet, "again")
        info = n.getwalletinfo()
        assert_equal(info["unlocked_until"], 0)
        assert_equal(info["private_keys_enabled"], True)
        assert_raises_rpc_error(-13, LOCKED, n.sendtoaddress, self.addr, 1)
        assert_raises_rpc_error(-13, LOCKED, n.getmnemonic)
        # Addresses come from the account xpub: no private key needed.
        assert n.getnewaddress().startswith("rhp1")
        assert n.getrawchangeaddress().startswith("rhp1")
        # The clear mnemonic left the file and its write-ahead log.
        wallet_dir = os.path.join(self.node.datadir, "regtest", "wallets", "w")
        for name in os.listdir(wallet_dir):
            with open(os.path.join(wallet_dir, name), "rb") as f:
                assert self.mnemonic.encode() not in f.read(), name

    def test_unlock(self):
        n = self.node
        assert_raises_rpc_error(-14, WRONG, n.walletpassphrase, "pass two", 100)
        assert_raises_rpc_error(-13, LOCKED, n.sendtoaddress, self.addr, 1)
        assert_equal(n.getwalletinfo()["unlocked_until"], 0)
        assert_raises_rpc_error(-8, "Timeout cannot be negative", n.walletpassphrase, "pass one", -1)
        assert_raises_rpc_error(-8, "passphrase can not be empty", n.walletpassphrase, "", 10)
        assert_raises_rpc_error(-8, "passphrase too long", n.walletpassphrase, "x" * 1025, 10)

        before = int(time.time())
        n.walletpassphrase("pass one", 100)
        until = n.getwalletinfo()["unlocked_until"]
        assert before + 100 <= until <= int(time.time()) + 100, until
        txid = n.sendtoaddress(self.addr, 1)
        assert_equal(n.gettransaction(txid)["txid"], txid)
        assert_equal(n.getmnemonic(), self.mnemonic)
        n.walletlock()
        assert_equal(n.getwalletinfo()["unlocked_until"], 0)
        assert_raises_rpc_error(-13, LOCKED, n.sendtoaddress, self.addr, 1)

        # A timeout over the cap is capped (Core's 100000000 s).
        n.walletpassphrase("pass one", 10**12)
        assert n.getwalletinfo()["unlocked_until"] <= int(time.time()) + 100000000
        # Unlocking again moves the deadline; 1 s relocks by itself.
        n.walletpassphrase("pass one", 1)
        wait_until(lambda: n.getwalletinfo()["unlocked_until"] == 0, timeout=30, what="the timeout to relock")
        assert_raises_rpc_error(-13, LOCKED, n.sendtoaddress, self.addr, 1)

    def test_change(self):
        n = self.node
        assert_raises_rpc_error(-14, WRONG, n.walletpassphrasechange, "not it", "pass two")
        assert_raises_rpc_error(-8, "passphrase can not be empty", n.walletpassphrasechange, "pass one", "")
        n.walletpassphrasechange("pass one", "pass two")
        assert_equal(n.getwalletinfo()["unlocked_until"], 0)  # the lock state is kept
        assert_raises_rpc_error(-14, WRONG, n.walletpassphrase, "pass one", 10)
        n.walletpassphrase("pass two", 100)
        n.sendtoaddress(self.addr, 1)
        n.walletlock()

    def test_restart(self):
        n = self.node
        balance = n.getbalance()
        n.restart(["-wallet=w"])
        assert_equal(n.getbalance(), balance)
        assert_equal(n.getwalletinfo()["unlocked_until"], 0)
        assert_raises_rpc_error(-13, LOCKED, n.sendtoaddress, self.addr, 1)
        assert_raises_rpc_error(-14, WRONG, n.walletpassphrase, "pass one", 10)
        n.walletpassphrase("pass two", 100)
        assert_equal(n.getmnemonic(), self.mnemonic)
        n.sendtoaddress(self.addr, 1)
        n.walletlock()

    def test_create_encrypted(self):
        n = self.node
        assert_raises_rpc_error(-4, "private keys are disabled", n.createwallet, "nokeys", True, False, "pw")
        assert_raises_rpc_error(-8, "passphrase too long", n.createwallet, "long", False, False, "x" * 1025)
        n.createwallet("enc", False, False, "secret")
        enc = self.wallet_rpc("enc")
        assert_equal(enc.getwalletinfo()["unlocked_until"], 0)
        assert_raises_rpc_error(-13, LOCKED, enc.getmnemonic)
        assert enc.getnewaddress().startswith("rhp1")
        assert_raises_rpc_error(-14, WRONG, enc.walletpassphrase, "Secret", 10)
        enc.walletpassphrase("secret", 100)
        assert_equal(len(enc.getmnemonic().split()), 24)
        enc.walletlock()
        # Nothing to encrypt in a blank wallet: -16.
        n.createwallet("blank", True, True)
        assert_raises_rpc_error(-16, "nothing to encrypt", self.wallet_rpc("blank").encryptwallet, "pw")

    def wallet_rpc(self, name):
        user, password = self.node.read_cookie()
        return self.node.make_proxy(user, password, path=f"/wallet/{name}")


if __name__ == "__main__":
    sys.exit(WalletEncryptionTest().main())
