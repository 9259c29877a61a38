// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The Wallet's address book and message signing (declared in wallet.h;
// doc/wallet.md, "Labels" and "Signed messages").
#include <wallet/wallet.h>
#include <wallet/wallet_meta.h>

#include <primitives/message.h>

namespace hpips::wallet {

AddressInfo Wallet::GetAddressInfo(const Destination& dest)
{
    LockGuard lock{m_mutex};
    AddressInfo info;
    if (dest.IsKey()) info.label = m_db->GetLabel(dest.payload);
    if (const auto pos = FindKey(dest)) {
        info.ismine = true;
        info.branch = pos->branch;
        info.index = pos->index;
        info.has_private_keys = m_encrypted || (m_keys && m_keys->HasPrivateKeys());
    }
    return info;
}

Result<void> Wallet::SetLabel(const Destination& dest, const std::string& label)
{
    if (!dest.IsKey()) return Error{"Only key addresses can be labelled"};
    if (label.size() > MAX_LABEL_LENGTH) return Error{"Label too long"};
    LockGuard lock{m_mutex};
    return m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return m_db->SetLabel(dest.payload, label); });
}

Result<std::vector<Wallet::LabelEntry>> Wallet::LabelEntries(const std::optional<std::string>& label)
{
    LockGuard lock{m_mutex};
    auto rows = m_db->LabelRows(label);
    if (!rows) return rows.error();
    std::vector<LabelEntry> out;
    out.reserve(rows->size());
    for (auto& [text, xonly] : *rows) {
        Destination dest;
        dest.kind = static_cast<uint8_t>(DestinationKind::KEY);
        dest.payload = xonly;
        const bool mine = FindKey(dest).has_value();
        out.push_back({std::move(text), std::move(xonly), mine});
    }
    return out;
}

Result<std::array<uint8_t, SCHNORR_SIGNATURE_SIZE>, SignError> Wallet::SignMessage(const Destination& dest,
                                                                                   std::string_view message)
{
    LockGuard lock{m_mutex};
    if (IsLockedLocked()) return SignError{SignFailure::LOCKED, MSG_LOCKED};
    if (!m_keys || !m_keys->HasPrivateKeys()) {
        return SignError{SignFailure::NO_PRIVATE_KEYS, "Private key not available (this wallet has no private keys)"};
    }
    const auto pos = FindKey(dest);
    if (!pos) return SignError{SignFailure::NOT_MINE, "Private key not available"};
    auto key = m_keys->PrivKeyAt(pos->branch, pos->index);
    if (!key) return SignError{SignFailure::NO_PRIVATE_KEYS, "Private key not available: " + key.error_message()};
    return ::hpips::SignMessage(*key, message);
}

}  // namespace hpips::wallet
