#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""The wallet's address book, signed messages and backups (doc/wallet.md,
"Labels", "getaddressinfo", "Signed messages", "Backup").

getaddressinfo: Core's fields for the wallet's receive and change keys and
for a foreign address. Labels: getnewaddress and setlabel (own and foreign
addresses), listlabels by purpose, getaddressesbylabel ({address:
{purpose}}), -11 for an unknown label or "*". signmessage / verifymessage:
the fixed vector of the unit test verifies (signature in base64), a
signature verifies only for its address and message, -13 while the wallet
is locked, -4 for an address that is not the wallet's, a message one byte
over the limit -8, -4 in a wallet without private keys,
signmessagewithprivkey. backupwallet: a copy taken while
the wallet is written, refused over the wallet's own file, restored by
loadwallet with the same balance and labels."""
import base64
import os
import shutil
import sys
import threading

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

# doc/wallet.md's vector (test/unit/message_tests.cpp).
VECTOR_SECRET = 0xa60d91b58acf9647be3a1957d842fab22afd33297c42b24a0f8484e06f583a5b
VECTOR_MESSAGE = "Hello, HPIPS"
VECTOR_SIG = "EvN7nDxlN49sh0fkAuBT3DWlqHnW+TVBKULiT50lxQGzGQMI4SIE3dEI8IehBNctDQgo2M6R1IA8Y4X8nr1FNQ=="
MAX_MESSAGE_SIZE = 1 << 20


class WalletAddressesTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def wallet(self, name):
        user, password = self.node.read_cookie()
        return self.node.make_proxy(user, password, path=f"/wallet/{name}")

    def run_test(self):
        self.node = self.add_node(["-keypool=20"])
        self.node.start()
        self.node.createwallet("w")
        self.w = self.wallet("w")
        self.subtest("getaddressinfo", self.test_addressinfo)
        self.subtest("labels", self.test_labels)
        self.subtest("signmessage / verifymessage", self.test_messages)
        self.subtest("backupwallet and restore", self.test_backup)

    def test_addressinfo(self):
        w = self.w
        addr = w.getnewaddress("alpha")
        info = w.getaddressinfo(addr)
        assert_equal(info["address"], addr)
        assert_equal((info["ismine"], info["solvable"], info["iswatchonly"], info["isscript"], info["iswitness"],
                      info["ischange"]), (True, True, False, False, True, False))
        assert_equal(info["witness_version"], 1)
        assert_equal(len(info["witness_program"]), 64)
        assert_equal(info["pubkey"], info["witness_program"])
        assert_equal(info["scriptPubKey"], "0120" + info["witness_program"])
        assert info["desc"].startswith(f"addr({addr})#"), info["desc"]
        assert_equal(info["hdkeypath"], "m/86h/1h/0h/0/0")
        assert_equal(info["labels"], ["alpha"])
        change = w.getaddressinfo(w.getrawchangeaddress())
        assert_equal((change["ismine"], change["ischange"], change["hdkeypath"], change["labels"]),
                     (True, True, "m/86h/1h/0h/1/0", []))
        foreign = w.getaddressinfo(Key().address)
        assert_equal((foreign["ismine"], foreign["solvable"], foreign["ischange"], foreign["labels"]),
                     (False, False, False, []))
        for absent in ("desc", "pubkey", "hdkeypath", "timestamp"):
            assert absent not in foreign, absent
        assert_raises_rpc_error(-5, "Invalid address", w.getaddressinfo, "notanaddress")

    def test_labels(self):
        w = self.w
        mine = w.getnewaddress("beta")
        other = Key().address
        w.setlabel(other, "friend")
        w.setlabel(mine, "gamma")
        assert_equal(w.getaddressinfo(mine)["labels"], ["gamma"])
        assert_equal(w.getaddressesbylabel("gamma"), {mine: {"purpose": "receive"}})
        assert_equal(w.getaddressesbylabel("friend"), {other: {"purpose": "send"}})
        assert_equal(w.listlabels(), ["alpha", "friend", "gamma"])
        assert_equal(w.listlabels("receive"), ["alpha", "gamma"])
        assert_equal(w.listlabels("send"), ["friend"])
        assert_equal(w.listlabels(""), w.listlabels())
        assert_raises_rpc_error(-11, "No addresses with label beta", w.getaddressesbylabel, "beta")
        assert_raises_rpc_error(-11, "Invalid label name", w.setlabel, mine, "*")
        assert_raises_rpc_error(-11, "Label too long", w.setlabel, mine, "x" * 1025)
        assert_raises_rpc_error(-5, "Invalid address", w.setlabel, "bad", "x")
        assert_raises_rpc_error(-8, "Invalid purpose", w.listlabels, "spend")
        # Several addresses under one label.
        second = w.getnewaddress("gamma")
        assert_equal(w.getaddressesbylabel("gamma"), {mine: {"purpose": "receive"}, second: {"purpose": "receive"}})
        # A payment to a relabelled address lists under its label.
        assert_equal(w.getaddressinfo(second)["labels"], ["gamma"])

    def test_messages(self):
        n, w = self.node, self.w
        vector = Key(VECTOR_SECRET)
        assert_equal(n.verifymessage(vector.address, VECTOR_SIG, VECTOR_MESSAGE), True)
        assert_equal(n.verifymessage(vector.address, VECTOR_SIG, VECTOR_MESSAGE + "!"), False)
        assert_equal(n.verifymessage(Key().address, VECTOR_SIG, VECTOR_MESSAGE), False)
        sig = n.signmessagewithprivkey(vector.wif, "another")
        assert_equal(n.verifymessage(vector.address, sig, "another"), True)
        assert_raises_rpc_error(-5, "Invalid private key", n.signmessagewithprivkey, "bad", "m")

        addr = w.getnewaddress()
        sig = w.signmessage(addr, "pay me")
        assert_equal(len(sig), 88)
        assert_equal(n.verifymessage(addr, sig, "pay me"), True)
        assert_equal(n.verifymessage(addr, sig, "pay me!"), False)
        assert_equal(n.verifymessage(w.getnewaddress(), sig, "pay me"), False)
        assert_raises_rpc_error(-4, "Private key not available", w.signmessage, Key().address, "m")
        assert_raises_rpc_error(-5, "Invalid address", w.signmessage, "bad", "m")
        assert_raises_rpc_error(-5, "Invalid address", n.verifymessage, "bad", sig, "m")
        assert_raises_rpc_error(-3, "Malformed base64 encoding", n.verifymessage, addr, "not base64!", "m")
        # A signature of another size (Core's 65-byte compact form) is false,
        # and so is text longer than a signature's 88 characters.
        assert_equal(n.verifymessage(addr, base64.b64encode(bytes(65)).decode(), "m"), False)
        assert_equal(n.verifymessage(addr, sig + "AAAA", "pay me"), False)
        # The message bound: exactly the limit signs, one byte more is refused.
        big = "a" * MAX_MESSAGE_SIZE
        assert_equal(n.verifymessage(addr, w.signmessage(addr, big), big), True)
        assert_raises_rpc_error(-8, "Message too long", w.signmessage, addr, big + "a")
        assert_raises_rpc_error(-8, "Message too long", n.verifymessage, addr, sig, big + "a")

        # An encrypted wallet signs only while unlocked.
        n.createwallet("locked", False, False, "secret")
        locked = self.wallet("locked")
        laddr = locked.getnewaddress()
        assert_raises_rpc_error(-13, "walletpassphrase", locked.signmessage, laddr, "m")
        locked.walletpassphrase("secret", 60)
        assert_equal(n.verifymessage(laddr, locked.signmessage(laddr, "m"), "m"), True)
        locked.walletlock()
        # A wallet without private keys has none to sign with.
        n.createwallet("keyless", True, True)
        assert_raises_rpc_error(-4, "Private key not available", self.wallet("keyless").signmessage, laddr, "m")

    def test_backup(self):
        n, w = self.node, self.w
        addr = w.getnewaddress("coins")
        n.generatetoaddress(101, addr)
        balance = w.getbalance()
        assert balance > 0
        wallet_file = os.path.join(n.net_dir, "wallets", "w", "wallet.dat")
        assert_raises_rpc_error(-4, "wallet's own file", w.backupwallet, wallet_file)
        assert_raises_rpc_error(-4, "wallet's own file", w.backupwallet, os.path.join(n.net_dir, "wallets", "w"))
        # Taken while the wallet keeps writing (new addresses, blocks).
        target = os.path.join(self.tmpdir, "backup.dat")
        stop = threading.Event()
        errors = []

        def writer():
            try:
                proxy = self.wallet("w")
                while not stop.is_set():
                    proxy.getnewaddress("busy")
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            for _ in range(5):
                w.backupwallet(target)
        finally:
            stop.set()
            thread.join()
        assert_equal(errors, [])
        # A directory destination gets the file's name, wallet.dat; an existing file is replaced.
        backup_dir = os.path.join(self.tmpdir, "backups")
        os.makedirs(backup_dir)
        w.backupwallet(backup_dir)
        assert os.path.isfile(os.path.join(backup_dir, "wallet.dat"))
        w.backupwallet(target)
        restored_dir = os.path.join(n.net_dir, "wallets", "restored")
        os.makedirs(restored_dir)
        shutil.copyfile(target, os.path.join(restored_dir, "wallet.dat"))
        assert_equal(n.loadwallet("restored"), {"name": "restored"})
        restored = self.wallet("restored")
        assert_equal(restored.getbalance(), balance)
        assert_equal(restored.getaddressesbylabel("coins"), {addr: {"purpose": "receive"}})
        assert_equal(restored.listunspent(), w.listunspent())
        assert_equal(restored.getwalletinfo()["lastprocessedblock"], w.getwalletinfo()["lastprocessedblock"])


if __name__ == "__main__":
    sys.exit(WalletAddressesTest().main())
