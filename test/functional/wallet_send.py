#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Sending from the wallet (doc/wallet.md, "Sending") between two real nodes.

Node 0 mines 110 blocks to its wallet (eleven mature coinbases). sendmany pays
two of node 1's addresses in one transaction, with a comment that
gettransaction and listtransactions show; sendtoaddress stores comment and
comment_to. subtractfeefromamount / subtractfeefrom make the recipients pay
the fee. The fee rate: -fallbackfee while the node has no estimate, then
estimatesmartfee's once enough transactions confirmed; settxfee fixes it (0
goes back), getwalletinfo shows it; fee_rate (base units per byte) sets it per
call. fundrawtransaction + signrawtransactionwithwallet + sendrawtransaction
round trip. Error codes: -8 duplicate address and bad fee arguments, -5
invalid address, -3 amount <= 0, -6 insufficient funds, -4 bumpfee (the
mempool has no replacement), -13 for every spending call of a locked wallet.
Last, abandontransaction: a transaction the restarted node's mempool refuses
(-persistmempool=0 and a higher -minrelaytxfee) is abandoned; it is never
resubmitted after that, and -5 answers for one that is not eligible."""
from decimal import Decimal, ROUND_UP

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, wait_until

ARGS = ["-txrelayinterval=50", "-keypool=20"]
FALLBACK_RATE = Decimal("0.0002")  # coins per 1000 bytes (-fallbackfee default)
COIN = Decimal("100000000")


def fee_bounds(rate_per_kvb, size):
    """The fee a transaction of `size` bytes pays at `rate_per_kvb` (coins/kvB):
    at least size * rate rounded up, at most that plus the cost of the change
    output avoided (42 + 105 bytes, doc/wallet.md) at the same rate."""
    low = (rate_per_kvb * size / 1000).quantize(Decimal("0.00000001"), rounding=ROUND_UP)
    high = (rate_per_kvb * (size + 147) / 1000).quantize(Decimal("0.00000001"), rounding=ROUND_UP)
    return low, high


class WalletSendTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def run_test(self):
        self.n0 = self.add_node(ARGS + ["-connect=0", "-listen=1"])
        self.n1 = self.add_node(ARGS)
        self.n0.start()
        self.n1.start([f"-addnode=127.0.0.1:{self.n0.p2p_port}"])
        self.subtest("setup: node 0 mines to its wallet", self.setup_wallets)
        self.subtest("sendmany pays two addresses of node 1, with a comment", self.test_sendmany)
        self.subtest("sendtoaddress stores comment and comment_to", self.test_comments)
        self.subtest("the recipients pay the fee (subtractfeefromamount)", self.test_subtract_fee)
        self.subtest("error codes of the sending calls", self.test_errors)
        self.subtest("fee rates: fallback, settxfee, fee_rate, estimatesmartfee", self.test_fee_rates)
        self.subtest("fundrawtransaction, signrawtransactionwithwallet, sendrawtransaction", self.test_fund_sign)
        self.subtest("bumpfee answers -4: no replacement", self.test_bumpfee)
        self.subtest("a locked wallet answers -13 to every spending call", self.test_locked)
        self.subtest("abandontransaction on a transaction the mempool lost", self.test_abandon)

    def mine(self, n=1):
        self.n0.generatetoaddress(n, self.addr0)
        height = self.n0.getblockcount()
        wait_until(lambda: self.n1.getblockcount() == height, what="node 1 to sync")

    def tx_size(self, node, txid):
        return Decimal(node.decoderawtransaction(node.gettransaction(txid)["hex"])["size"])

    def setup_wallets(self):
        self.n0.createwallet("w0")
        self.n1.createwallet("w1")
        self.addr0 = self.n0.getnewaddress()
        self.mine(110)
        assert_equal(self.n0.getbalance(), 11 * 50)  # heights 1 to 11 spendable in block 111
        info = self.n0.getwalletinfo()
        assert_equal(info["paytxfee"], 0)

    def test_sendmany(self):
        a, b = self.n1.getnewaddress(), self.n1.getnewaddress()
        txid = self.n0.sendmany("", {a: 1, b: Decimal("2.5")}, 0, "rent")
        wait_until(lambda: txid in self.n1.getrawmempool(), what="the payment to reach node 1")
        self.mine()
        assert_equal(self.n1.getbalance(), Decimal("3.5"))
        sent = self.n0.gettransaction(txid)
        assert_equal(sent["amount"], Decimal("-3.5"))
        assert_equal(sent["comment"], "rent")
        assert "to" not in sent
        assert_equal(sorted(d["address"] for d in sent["details"]), sorted([a, b]))
        entries = [e for e in self.n0.listtransactions("*", 10) if e["txid"] == txid]
        assert_equal(len(entries), 2)
        for entry in entries:
            assert_equal(entry["comment"], "rent")
            assert_equal(entry["abandoned"], False)
        # minconf: only coins with that many confirmations are spent.
        txid2 = self.n0.sendmany("", {a: 1}, 5)
        vin = self.n0.decoderawtransaction(self.n0.gettransaction(txid2)["hex"])["vin"]
        for i in vin:
            assert self.n0.gettransaction(i["txid"])["confirmations"] >= 5
        self.mine()

    def test_comments(self):
        addr = self.n1.getnewaddress()
        txid = self.n0.sendtoaddress(addr, 1, "for the pizza", "Bob")
        sent = self.n0.gettransaction(txid)
        assert_equal(sent["comment"], "for the pizza")
        assert_equal(sent["to"], "Bob")
        listed = [e for e in self.n0.listtransactions("*", 5) if e["txid"] == txid][0]
        assert_equal(listed["to"], "Bob")
        assert_raises_rpc_error(-8, "Comment too long", self.n0.sendtoaddress, addr, 1, "x" * 1025)
        self.mine()

    def test_subtract_fee(self):
        addr = self.n1.getnewaddress()
        txid = self.n0.sendtoaddress(addr, 2, "", "", True)
        fee = -self.n0.gettransaction(txid)["fee"]
        assert fee > 0
        wait_until(lambda: txid in self.n1.getrawmempool(), what="the payment to reach node 1")
        received = self.n1.gettransaction(txid)["amount"]
        assert_equal(received + fee, 2)
        assert_equal(self.n0.gettransaction(txid)["amount"], -received)
        # sendmany: the fee is split over the listed recipients.
        a, b, c = self.n1.getnewaddress(), self.n1.getnewaddress(), self.n1.getnewaddress()
        txid = self.n0.sendmany("", {a: 1, b: 1, c: 1}, 0, "", [a, b])
        fee = -self.n0.gettransaction(txid)["fee"]
        outs = {o["scriptPubKey"]["address"]: o["value"] for o in
                self.n0.decoderawtransaction(self.n0.gettransaction(txid)["hex"])["vout"]}
        assert_equal(outs[c], 1)
        assert_equal(outs[a] + outs[b] + fee, 2)
        assert abs(outs[a] - outs[b]) <= Decimal("0.00000001")
        assert_raises_rpc_error(-8, "not among the recipients", self.n0.sendmany, "", {a: 1}, 0, "", [b])
        self.mine()

    def test_errors(self):
        a = self.n1.getnewaddress()
        assert_raises_rpc_error(-8, "duplicated address", self.n0.sendmany, "", {a: 1, a.upper(): 2})
        assert_raises_rpc_error(-5, "Invalid address", self.n0.sendmany, "", {"nope": 1})
        assert_raises_rpc_error(-5, "Invalid address", self.n0.sendtoaddress, "nope", 1)
        assert_raises_rpc_error(-3, "Invalid amount for send", self.n0.sendmany, "", {a: 0})
        assert_raises_rpc_error(-3, "Amount out of range", self.n0.sendmany, "", {a: -1})
        assert_raises_rpc_error(-3, "Invalid amount for send", self.n0.sendtoaddress, a, 0)
        assert_raises_rpc_error(-6, "Insufficient funds", self.n0.sendmany, "", {a: 100_000})
        assert_raises_rpc_error(-6, "Insufficient funds", self.n0.sendtoaddress, a, 100_000)
        assert_raises_rpc_error(-8, "Dummy value must be set to \"\"", self.n0.sendmany, "x", {a: 1})
        assert_raises_rpc_error(-8, "at least one recipient", self.n0.sendmany, "", {})
        # Bounds: one more than allowed is refused before anything is parsed.
        assert_raises_rpc_error(-8, "Too many recipients", self.n0.sendmany, "",
                                {f"x{i}": 1 for i in range(10_001)})
        assert_raises_rpc_error(-8, "Too many subtractfeefrom entries", self.n0.sendmany, "", {a: 1}, 0, "",
                                [a] * 10_001)
        assert_raises_rpc_error(-8, "Cannot specify both conf_target and fee_rate", self.n0.sendtoaddress,
                                address=a, amount=1, conf_target=6, fee_rate=10)
        assert_raises_rpc_error(-8, "Cannot specify both estimate_mode and fee_rate", self.n0.sendmany,
                                amounts={a: 1}, dummy="", estimate_mode="economical", fee_rate=10)
        assert_raises_rpc_error(-8, "Invalid conf_target", self.n0.sendtoaddress, address=a, amount=1, conf_target=0)
        assert_raises_rpc_error(-8, "Invalid conf_target", self.n0.sendtoaddress, address=a, amount=1,
                                conf_target=1009)
        assert_raises_rpc_error(-8, "Invalid estimate_mode", self.n0.sendtoaddress, address=a, amount=1,
                                estimate_mode="fast")
        assert_raises_rpc_error(-4, "lower than the minimum fee rate", self.n0.sendtoaddress, address=a, amount=1,
                                fee_rate="0.5")
        assert_raises_rpc_error(-8, "replaceable is not supported", self.n0.sendtoaddress, address=a, amount=1,
                                replaceable=True)
        assert_raises_rpc_error(-5, "Invalid or non-wallet transaction id", self.n0.abandontransaction, "00" * 32)
        assert_raises_rpc_error(-8, "txfee cannot be less than min relay tx fee", self.n0.settxfee,
                                Decimal("0.000001"))
        assert_raises_rpc_error(-8, "txfee cannot be more than wallet max tx fee", self.n0.settxfee, 1)

    def test_fee_rates(self):
        a = self.n1.getnewaddress()
        # No estimate yet on this chain at first? Then the fallback rate.
        estimate = self.n0.estimatesmartfee(6)
        expected = estimate.get("feerate", FALLBACK_RATE)
        txid = self.n0.sendtoaddress(a, 1)
        low, high = fee_bounds(expected, self.tx_size(self.n0, txid))
        fee = -self.n0.gettransaction(txid)["fee"]
        assert low <= fee <= high, (fee, low, high, expected)

        # settxfee fixes the rate for this wallet.
        assert_equal(self.n0.settxfee(Decimal("0.001")), True)
        assert_equal(self.n0.getwalletinfo()["paytxfee"], Decimal("0.001"))
        txid = self.n0.sendtoaddress(a, 1)
        low, high = fee_bounds(Decimal("0.001"), self.tx_size(self.n0, txid))
        fee = -self.n0.gettransaction(txid)["fee"]
        assert low <= fee <= high, (fee, low, high)
        # A call's fee_rate (base units per byte) wins over settxfee.
        txid = self.n0.sendtoaddress(address=a, amount=1, fee_rate=3)
        low, high = fee_bounds(Decimal("0.00003"), self.tx_size(self.n0, txid))
        fee = -self.n0.gettransaction(txid)["fee"]
        assert low <= fee <= high, (fee, low, high)
        # 0 goes back to the estimate (or the fallback).
        assert_equal(self.n0.settxfee(0), True)
        assert_equal(self.n0.getwalletinfo()["paytxfee"], 0)
        self.mine()

        # Enough confirmed transactions now for estimatesmartfee: sends use it.
        for _ in range(5):
            self.n0.sendtoaddress(address=a, amount=Decimal("0.1"), fee_rate=50)
        self.mine()
        estimate = self.n0.estimatesmartfee(6)
        assert "feerate" in estimate, estimate
        assert estimate["feerate"] != FALLBACK_RATE
        txid = self.n0.sendtoaddress(a, 1)
        low, high = fee_bounds(estimate["feerate"], self.tx_size(self.n0, txid))
        fee = -self.n0.gettransaction(txid)["fee"]
        assert low <= fee <= high, (fee, low, high, estimate)
        self.mine()

    def test_fund_sign(self):
        a = self.n1.getnewaddress()
        raw = self.n0.createrawtransaction([], {a: 3})
        funded = self.n0.fundrawtransaction(raw)
        assert_equal(sorted(funded.keys()), ["changepos", "fee", "hex"])
        assert funded["fee"] > 0
        decoded = self.n0.decoderawtransaction(funded["hex"])
        assert len(decoded["vin"]) >= 1
        assert funded["changepos"] in (-1, 0, 1)
        unsigned = self.n0.signrawtransactionwithkey(funded["hex"], [])
        assert_equal(unsigned["complete"], False)
        signed = self.n0.signrawtransactionwithwallet(funded["hex"])
        assert_equal(signed["complete"], True)
        assert "errors" not in signed
        txid = self.n0.sendrawtransaction(signed["hex"])
        assert txid in self.n0.getrawmempool()
        wait_until(lambda: txid in self.n1.getrawmempool(), what="the funded transaction to reach node 1")
        assert_equal(-self.n0.gettransaction(txid)["fee"], funded["fee"])

        # Options: change first, the output pays the fee, an explicit rate.
        funded = self.n0.fundrawtransaction(raw, {"changePosition": 0, "subtractFeeFromOutputs": [0],
                                                  "feeRate": Decimal("0.0005")})
        assert_equal(funded["changepos"], 0)
        vout = self.n0.decoderawtransaction(funded["hex"])["vout"]
        assert_equal(vout[1]["value"] + funded["fee"], 3)
        # lockUnspents: a second funding does not pick the same coins.
        first = self.n0.fundrawtransaction(raw, {"lockUnspents": True})
        second = self.n0.fundrawtransaction(raw)
        ins = lambda hexstr: {(i["txid"], i["vout"]) for i in self.n0.decoderawtransaction(hexstr)["vin"]}
        assert not ins(first["hex"]) & ins(second["hex"])
        assert_raises_rpc_error(-8, "changePosition out of bounds", self.n0.fundrawtransaction, raw,
                                {"changePosition": 2})
        assert_raises_rpc_error(-8, "unknown key", self.n0.fundrawtransaction, raw, {"nope": 1})
        assert_raises_rpc_error(-4, "Insufficient funds", self.n0.fundrawtransaction, raw, {"add_inputs": False})
        assert_raises_rpc_error(-4, "Insufficient funds", self.n0.fundrawtransaction,
                                self.n0.createrawtransaction([], {a: 100_000}))
        assert_raises_rpc_error(-22, "TX decode failed", self.n0.fundrawtransaction, "zz")
        # An input the wallet does not own leaves the transaction unsigned.
        foreign = self.n0.createrawtransaction([{"txid": "11" * 32, "vout": 0}], {a: 1})
        result = self.n0.signrawtransactionwithwallet(foreign)
        assert_equal(result["complete"], False)
        assert_equal(result["errors"][0]["error"], "Input not found or already spent")
        self.mine()

    def test_bumpfee(self):
        txid = self.n0.sendtoaddress(self.n1.getnewaddress(), 1)
        assert_raises_rpc_error(-4, "bumpfee is not supported", self.n0.bumpfee, txid)
        self.mine()

    def test_locked(self):
        self.n0.createwallet(wallet_name="enc", passphrase="secret")
        user, password = self.n0.read_cookie()
        enc = self.n0.make_proxy(user, password, path="/wallet/enc")
        w0 = self.n0.make_proxy(user, password, path="/wallet/w0")
        addr = enc.getnewaddress()
        w0.sendtoaddress(addr, 5)
        self.n0.generatetoaddress(1, self.addr0)
        a = self.n1.getnewaddress()
        raw = enc.createrawtransaction([], {a: 1})
        for name, call in [("sendtoaddress", lambda: enc.sendtoaddress(a, 1)),
                           ("sendmany", lambda: enc.sendmany("", {a: 1})),
                           ("signrawtransactionwithwallet", lambda: enc.signrawtransactionwithwallet(raw)),
                           ("bumpfee", lambda: enc.bumpfee("00" * 32))]:
            e = assert_raises_rpc_error(-13, "walletpassphrase", call)
            assert e is not None, name
        # fundrawtransaction spends nothing (no keys needed): it works locked.
        funded = enc.fundrawtransaction(raw)
        enc.walletpassphrase("secret", 60)
        signed = enc.signrawtransactionwithwallet(funded["hex"])
        assert_equal(signed["complete"], True)
        txid = enc.sendtoaddress(a, 1)
        assert txid in self.n0.getrawmempool()
        enc.walletlock()
        self.n0.unloadwallet("enc")
        self.mine()

    def test_abandon(self):
        # Node 1 stops so that no peer hands the transaction back.
        self.n1.stop()
        a = self.n0.getnewaddress()
        unspent_before = {(u["txid"], u["vout"]) for u in self.n0.listunspent()}
        # A low rate (2 base units per byte) that a restart with a higher
        # -minrelaytxfee refuses.
        txid = self.n0.sendtoaddress(address=a, amount=7, fee_rate=2)
        vin = {(i["txid"], i["vout"]) for i in
               self.n0.decoderawtransaction(self.n0.gettransaction(txid)["hex"])["vin"]}
        assert vin <= unspent_before
        assert_raises_rpc_error(-5, "Transaction not eligible for abandonment", self.n0.abandontransaction, txid)
        confirmed = self.n0.listtransactions("*", 1, 20)[0]["txid"]
        assert_raises_rpc_error(-5, "Transaction not eligible for abandonment", self.n0.abandontransaction,
                                confirmed)

        self.n0.restart(["-wallet=w0", "-persistmempool=0", "-minrelaytxfee=0.0001"])
        assert txid not in self.n0.getrawmempool()
        assert_equal(self.n0.gettransaction(txid)["confirmations"], 0)
        assert_equal(self.n0.abandontransaction(txid), None)
        sent = self.n0.gettransaction(txid)
        assert all(d["abandoned"] for d in sent["details"] if d["category"] == "send")
        unspent = {(u["txid"], u["vout"]) for u in self.n0.listunspent()}
        assert vin <= unspent, "the abandoned transaction's inputs are spendable"
        assert_raises_rpc_error(-5, "Transaction not eligible for abandonment", self.n0.abandontransaction, txid)

        # Abandoned is kept in the file: a normal restart does not resubmit it.
        self.n0.restart(["-wallet=w0", "-persistmempool=0"])
        assert txid not in self.n0.getrawmempool()
        assert all(d["abandoned"] for d in self.n0.gettransaction(txid)["details"] if d["category"] == "send")
        # Its coins can be spent again.
        self.n0.sendtoaddress(a, 1)


if __name__ == "__main__":
    WalletSendTest().main()
