#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""The wallet (doc/wallet.md) between two real nodes over P2P.

Node 0 creates a wallet and mines 101 blocks to it: two coinbases are
mature (a coinbase of height h is spendable in block h + 100, the consensus
rule), the rest immature. Node 1, connected to node 0, creates a wallet;
node 0 sends it 10 coins: node 1 sees them as untrusted_pending once the
transaction is relayed, then trusted after a block; node 0's change is
trusted at once. listunspent, listtransactions and gettransaction have
Core's shapes. With two wallets loaded, a call without /wallet/<name> gets
-19. A restart with -wallet= keeps everything; a wallet restored from node
1's mnemonic finds the coins with rescanblockchain. Errors: -6 when funds
are short, -4 for a passphrase without private keys, -18 for a wallet that
does not exist, -4 for one that exists or a corrupt file, -35 for one
already loaded. With a wallet loaded, -mine pays to it instead of a key file."""
import os
import sys
from decimal import Decimal

from test_framework.authproxy import JSONRPCException
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, wait_until

SUBSIDY = Decimal("50")
ARGS = ["-txrelayinterval=50", "-keypool=20"]


class WalletBasicTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def wallet_rpc(self, node, name):
        user, password = node.read_cookie()
        return node.make_proxy(user, password, path=f"/wallet/{name}")

    def run_test(self):
        self.n0 = self.add_node(ARGS + ["-connect=0", "-listen=1"])
        self.n1 = self.add_node(ARGS)
        self.n0.start()
        self.subtest("node 0 mines to its wallet; coinbases mature after 100 blocks", self.test_mine)
        self.subtest("node 0 pays node 1: pending, then trusted after a block", self.test_send)
        self.subtest("listunspent, listtransactions and gettransaction shapes", self.test_shapes)
        self.subtest("several wallets need /wallet/<name>", self.test_multiwallet)
        self.subtest("errors", self.test_errors)
        self.subtest("a restart keeps everything", self.test_restart)
        self.subtest("restore from the mnemonic and rescanblockchain", self.test_restore)
        self.subtest("-mine pays to the loaded wallet", self.test_mine_to_wallet)

    def test_mine(self):
        assert_equal(self.n0.listwallets(), [])
        assert_equal(self.n0.createwallet("w0"), {"name": "w0"})
        assert_equal(self.n0.listwallets(), ["w0"])
        self.addr0 = self.n0.getnewaddress()
        assert self.addr0.startswith("rhp1"), self.addr0
        self.n0.generatetoaddress(101, self.addr0)
        balances = self.n0.getbalances()["mine"]
        assert_equal(balances["trusted"], 2 * SUBSIDY)
        assert_equal(balances["immature"], 99 * SUBSIDY)
        assert_equal(balances["untrusted_pending"], 0)
        assert_equal(self.n0.getbalance(), 2 * SUBSIDY)
        info = self.n0.getwalletinfo()
        assert_equal(info["walletname"], "w0")
        assert_equal(info["txcount"], 101)
        assert_equal(info["lastprocessedblock"]["height"], 101)
        assert_equal(info["private_keys_enabled"], True)

    def test_send(self):
        self.n1.start([f"-addnode=127.0.0.1:{self.n0.p2p_port}"])
        wait_until(lambda: self.n1.getblockcount() == 101, what="node 1 to sync")
        self.n1.createwallet("w1")
        self.addr1 = self.n1.getnewaddress("deposit")
        self.txid = self.n0.sendtoaddress(self.addr1, 10)
        wait_until(lambda: self.txid in self.n1.getrawmempool(), what="the payment to reach node 1")
        wait_until(lambda: self.n1.getbalances()["mine"]["untrusted_pending"] == 10, what="node 1 to see it")
        assert_equal(self.n1.getbalances()["mine"]["trusted"], 0)
        assert_equal(self.n1.getbalance(), 0)
        # Node 0's change is its own: trusted while unconfirmed.
        sent = self.n0.gettransaction(self.txid)
        fee = -sent["fee"]
        assert 0 < fee < Decimal("0.001"), fee
        assert_equal(self.n0.getbalance(), 2 * SUBSIDY - 10 - fee)
        assert_equal(self.n0.getbalance("*", 1), SUBSIDY)
        self.n0.generatetoaddress(1, self.addr0)
        wait_until(lambda: self.n1.getbalances()["mine"]["trusted"] == 10, what="node 1 to see the block")
        assert_equal(self.n1.getbalances()["mine"]["untrusted_pending"], 0)
        assert_equal(self.n1.getbalance("*", 1), 10)
        assert_equal(self.n1.getbalance("*", 2), 0)

    def test_shapes(self):
        unspent = self.n1.listunspent()
        assert_equal(len(unspent), 1)
        coin = unspent[0]
        assert_equal(coin["txid"], self.txid)
        assert_equal(coin["address"], self.addr1)
        assert_equal(coin["label"], "deposit")
        assert_equal(coin["amount"], 10)
        assert_equal(coin["confirmations"], 1)
        assert_equal(coin["spendable"], True)
        assert_equal(coin["safe"], True)
        assert_equal(self.n1.listunspent(2), [])
        assert_equal(len(self.n1.listunspent(1, 9999999, [self.addr1])), 1)
        assert_equal(self.n1.listunspent(1, 9999999, [self.n1.getnewaddress()]), [])

        txs = self.n1.listtransactions()
        assert_equal(len(txs), 1)
        entry = txs[0]
        for key, value in {"address": self.addr1, "category": "receive", "amount": 10, "label": "deposit",
                           "confirmations": 1, "txid": self.txid}.items():
            assert_equal(entry[key], value)
        for key in ("vout", "blockhash", "blockheight", "blocktime", "wtxid", "walletconflicts", "time",
                    "timereceived", "bip125-replaceable"):
            assert key in entry, key

        tx = self.n1.gettransaction(self.txid)
        assert_equal(tx["amount"], 10)
        assert "fee" not in tx
        assert_equal(tx["confirmations"], 1)
        assert_equal(tx["blockhash"], self.n1.getbestblockhash())
        assert_equal(tx["details"], [{"address": self.addr1, "category": "receive", "amount": Decimal(10),
                                      "label": "deposit", "vout": entry["vout"]}])
        sent = self.n0.gettransaction(self.txid)
        assert_equal(sent["amount"], -10)
        assert_equal([d["category"] for d in sent["details"]], ["send"])
        assert_equal(sent["details"][0]["address"], self.addr1)
        assert_equal(sent["details"][0]["fee"], sent["fee"])

        # Node 0: 102 coinbases and the send, oldest to newest in a page.
        page = self.n0.listtransactions("*", 3, 0)
        assert_equal([e["category"] for e in page], ["immature", "send", "immature"])
        assert_equal(page[1]["txid"], self.txid)
        older = self.n0.listtransactions("*", 2, 3)
        assert_equal(len(older), 2)
        assert older[-1]["blockheight"] < page[0]["blockheight"]
        assert_raises_rpc_error(-8, "Negative count", self.n0.listtransactions, "*", -1)
        assert_raises_rpc_error(-8, "Negative from", self.n0.listtransactions, "*", 1, -1)
        assert_raises_rpc_error(-8, "count too large", self.n0.listtransactions, "*", 100_001)
        assert_equal(len(self.n0.listtransactions("*", 100_000)), 103)
        assert_raises_rpc_error(-5, "Invalid or non-wallet transaction id", self.n1.gettransaction, "00" * 32)

    def test_multiwallet(self):
        self.n0.createwallet("other")
        assert_raises_rpc_error(-19, "Wallet file not specified", self.n0.getbalance)
        w0 = self.wallet_rpc(self.n0, "w0")
        assert w0.getbalance() > 90
        assert_equal(self.wallet_rpc(self.n0, "other").getbalance(), 0)
        # hpips-cli -rpcwallet picks the endpoint too.
        assert_equal(self.n0.cli("-rpcwallet=other").getbalance(), 0)
        assert_equal(self.n0.cli("-rpcwallet=w0").getwalletinfo()["walletname"], "w0")
        assert_raises_rpc_error(-18, "does not exist or is not loaded", self.wallet_rpc(self.n0, "nope").getbalance)
        assert_raises_rpc_error(-35, "already loaded", self.n0.loadwallet, "other")
        assert_equal(self.n0.unloadwallet("other"), {})
        assert_equal(self.n0.listwallets(), ["w0"])
        assert_equal(self.n0.loadwallet("other"), {"name": "other"})
        self.wallet_rpc(self.n0, "other").unloadwallet()
        assert_equal(self.n0.listwallets(), ["w0"])

    def test_errors(self):
        assert_raises_rpc_error(-6, "Insufficient funds", self.n1.sendtoaddress, self.addr0, 11)
        assert_raises_rpc_error(-5, "Invalid address", self.n1.sendtoaddress, "bc1qnotanaddress", 1)
        # Encryption is wallet_encryption.py's; a passphrase needs private keys.
        assert_raises_rpc_error(-4, "private keys are disabled", self.n0.createwallet, "enc", True, False, "pw")
        assert_raises_rpc_error(-4, "Database already exists", self.n0.createwallet, "w0")
        assert_raises_rpc_error(-18, "Path does not exist", self.n0.loadwallet, "missing")
        assert_raises_rpc_error(-8, "plain name", self.n0.createwallet, "../escape")
        assert_raises_rpc_error(-8, "too long", self.n0.createwallet, "x" * 256)
        assert_raises_rpc_error(-8, "mnemonic too long", self.n0.createwallet, wallet_name="m", mnemonic="a" * 1025)
        assert_raises_rpc_error(-11, "Label too long", self.n1.getnewaddress, "x" * 1025)
        assert_raises_rpc_error(-11, "Invalid label name", self.n1.getnewaddress, "*")
        assert_raises_rpc_error(-8, "too many addresses", self.n1.listunspent, 1, 9999999, [self.addr1] * 10_001)
        assert_raises_rpc_error(-8, "duplicated address", self.n1.listunspent, 1, 9999999, [self.addr1] * 2)
        assert_raises_rpc_error(-5, "Invalid HPIPS address", self.n1.listunspent, 1, 9999999, ["nope"])
        # A corrupt file is refused with a clear error, and nothing is loaded.
        bad_dir = os.path.join(self.n0.net_dir, "wallets", "bad")
        os.makedirs(bad_dir)
        with open(os.path.join(bad_dir, "wallet.dat"), "wb") as f:
            f.write(b"\x42" * 4096)
        assert_raises_rpc_error(-4, "wallet.dat", self.n0.loadwallet, "bad")
        assert_equal(self.n0.listwallets(), ["w0"])

    def test_restart(self):
        before = self.n1.listtransactions()
        balances = self.n1.getbalances()
        peer = f"-addnode=127.0.0.1:{self.n0.p2p_port}"
        self.n1.restart(["-wallet=w1", peer])
        assert_equal(self.n1.listwallets(), ["w1"])
        assert_equal(self.n1.listtransactions(), before)
        assert_equal(self.n1.getbalances(), balances)
        # Without -wallet= and with no startup list, nothing is loaded.
        self.n1.restart([peer])
        assert_equal(self.n1.listwallets(), [])
        assert_raises_rpc_error(-18, "No wallet is loaded", self.n1.getbalance)
        # load_on_startup puts it on the startup list.
        self.n1.loadwallet("w1", True)
        self.n1.restart([peer])
        assert_equal(self.n1.listwallets(), ["w1"])
        # -disablewallet: no wallet methods at all; a missing -wallet= stops the node.
        self.n1.restart(["-disablewallet", peer])
        assert_raises_rpc_error(-32601, "Method not found", self.n1.listwallets)
        self.n1.stop()
        self.n1.assert_start_raises_init_error(["-wallet=nope"], "Path does not exist")
        self.n1.assert_start_raises_init_error(["-keypool=100001"], "-keypool")
        self.n1.assert_start_raises_init_error(["-paytxfee=0.10000001"], "-paytxfee")
        self.n1.start([peer])
        assert_equal(self.n1.listwallets(), ["w1"])

    def test_restore(self):
        mnemonic = self.n1.getmnemonic()
        assert_equal(len(mnemonic.split(" ")), 24)
        self.n1.createwallet(wallet_name="restored", mnemonic=mnemonic)
        restored = self.wallet_rpc(self.n1, "restored")
        assert_equal(restored.getbalance(), 0)
        assert_equal(restored.rescanblockchain(), {"start_height": 0, "stop_height": 102})
        assert_equal(restored.getbalance(), 10)
        assert_equal(restored.listunspent()[0]["address"], self.addr1)
        assert_raises_rpc_error(-8, "Invalid start_height", restored.rescanblockchain, 1000)
        assert_raises_rpc_error(-8, "stop_height must be greater", restored.rescanblockchain, 5, 4)
        assert_raises_rpc_error(-4, "Invalid mnemonic", self.n1.createwallet, wallet_name="bad",
                                mnemonic="abandon " * 11 + "zoo")

    def test_mine_to_wallet(self):
        node = self.add_node(["-connect=0", "-keypool=5"])
        node.start()
        node.createwallet(wallet_name="miner", load_on_startup=True)
        node.restart(["-mine", "-minerthreads=1"])
        assert_equal(node.listwallets(), ["miner"])
        wait_until(lambda: node.getbalances()["mine"]["immature"] > 0, timeout=60, what="a mined block in the wallet")
        entry = node.listtransactions("*", 1)[0]
        assert_equal(entry["category"], "immature")
        # The wallet paid the miner, not a key file.
        assert not os.path.exists(os.path.join(node.net_dir, "miner_key"))
        node.stop()


if __name__ == "__main__":
    sys.exit(WalletBasicTest().main())
