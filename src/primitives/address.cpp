// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/address.h>

#include <util/bech32.h>

#include <array>
#include <optional>
#include <span>
#include <vector>

namespace hpips {
namespace {

constexpr std::array<Network, 3> ALL_NETWORKS{Network::MAIN, Network::TEST, Network::REGTEST};

/** The network whose HRP is `hrp`, if any. */
std::optional<Network> NetworkForHrp(std::string_view hrp)
{
    for (Network net : ALL_NETWORKS) {
        if (AddressHrp(net) == hrp) return net;
    }
    return std::nullopt;
}

std::string JoinPositions(const std::vector<size_t>& positions)
{
    std::string out;
    for (size_t i{0}; i < positions.size(); ++i) {
        if (i > 0) out += ", ";
        out += std::to_string(positions[i]);
    }
    return out;
}

/** "at position 5" or "at positions 5, 12". */
std::string PositionPhrase(const std::vector<size_t>& positions)
{
    return std::string{positions.size() == 1 ? "at position " : "at positions "} + JoinPositions(positions);
}

Error AddressError(std::string message) { return Error{std::move(message)}; }

}  // namespace

std::string_view AddressHrp(Network net)
{
    switch (net) {
    case Network::MAIN: return "hp";
    case Network::TEST: return "thp";
    case Network::REGTEST: return "rhp";
    }
    return "";
}

std::string EncodeAddress(const Destination& dest, Network net)
{
    if (!dest.IsKey()) return {};
    const auto groups{bech32::ConvertBits(dest.payload, 8, 5, /*pad=*/true)};
    if (!groups) return {};
    std::vector<uint8_t> values;
    values.reserve(1 + groups->size());
    values.push_back(ADDRESS_WITNESS_VERSION);
    values.insert(values.end(), groups->begin(), groups->end());
    return bech32::Encode(bech32::Encoding::BECH32M, AddressHrp(net), values);
}

Result<Destination> DecodeAddress(std::string_view address, Network net)
{
    const std::string_view expected_hrp{AddressHrp(net)};
    const bech32::DecodeResult decoded{bech32::Decode(address)};
    if (decoded.status == bech32::Status::BAD_FORMAT) {
        std::string message{decoded.error};
        if (!decoded.error_positions.empty()) message += " (" + PositionPhrase(decoded.error_positions) + ")";
        return AddressError(std::move(message));
    }
    // The prefix is judged before the checksum: an address for another
    // network is a more useful diagnosis than a typo inside it.
    if (decoded.hrp != expected_hrp) {
        const auto other{NetworkForHrp(decoded.hrp)};
        if (other) {
            return AddressError("Address is for the " + std::string{NetworkName(*other)} + " network, expected a " +
                                std::string{NetworkName(net)} + " network address (prefix \"" +
                                std::string{expected_hrp} + "1\")");
        }
        return AddressError("Unknown address prefix \"" + decoded.hrp + "\", expected \"" + std::string{expected_hrp} +
                            "\" for the " + std::string{NetworkName(net)} + " network");
    }
    if (decoded.status == bech32::Status::BAD_CHECKSUM) {
        // Addresses are always bech32m, so typos are located against bech32m.
        const auto positions{bech32::LocateErrors(address, bech32::Encoding::BECH32M)};
        if (positions && !positions->empty()) {
            return AddressError("Invalid checksum (error " + PositionPhrase(*positions) + ")");
        }
        return AddressError("Invalid checksum (errors could not be located)");
    }
    if (decoded.data.empty()) return AddressError("Missing witness version");
    const uint8_t version{decoded.data[0]};
    if (version != ADDRESS_WITNESS_VERSION) {
        return AddressError("Unsupported witness version " + std::to_string(version) + " (expected " +
                            std::to_string(ADDRESS_WITNESS_VERSION) + ")");
    }
    if (decoded.encoding != bech32::Encoding::BECH32M) {
        return AddressError("Witness version 1 requires a bech32m checksum, found bech32");
    }
    const auto program{bech32::ConvertBits(std::span{decoded.data}.subspan(1), 5, 8, /*pad=*/false)};
    if (!program) return AddressError("Invalid padding in the program");
    if (program->size() != XONLY_KEY_SIZE) {
        return AddressError("Invalid program length " + std::to_string(program->size()) + " bytes (expected " +
                            std::to_string(XONLY_KEY_SIZE) + ")");
    }
    return Destination{static_cast<uint8_t>(DestinationKind::KEY), *program};
}

}  // namespace hpips
