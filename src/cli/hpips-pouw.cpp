// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// hpips-pouw: computes the PoUW transcript of one job unit from files, for
// debugging a second implementation against this one (doc/pouw.md).
//
// Inputs: -a FILE (A: m×k int8, row-major, raw two's complement bytes),
// -b FILE (B: k×n int8, row-major), -m -n -k, the header template as
// -template=HEX (the 76 bytes) or as fields (-blockversion -prev -merkleroot
// -time -bits; hashes in storage byte order), -key=HEX (32-byte x-only key),
// -nonce=N (any u64), and the unit's -jobid=HEX and -region=N (the descriptor is a job
// unit with clamp [-128, 127] and no requantization; its roots are computed
// from A and B). -regtest allows the regtest shapes.
// Output (stdout, JSON): unit_id, sigma, and per tile its index, state,
// ticket (hex, storage order) and whether it wins under the template's bits.
// Any bad input prints one line "error: ..." to stderr and exits with 2.
#include <pouw/noise.h>
#include <pouw/params.h>
#include <pouw/ticket.h>
#include <pouw/transcript.h>
#include <pouw/unit.h>
#include <primitives/target.h>
#include <util/args.h>
#include <util/serialize.h>
#include <util/strencodings.h>
#include <util/thread_pool.h>

#include <boost/json.hpp>

#include <charconv>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

namespace po = boost::program_options;
using namespace hpips;
using namespace hpips::pouw;

namespace {

constexpr int EXIT_BAD_INPUT{2};
/** Largest input file read (A is at most 2048 × 4096 bytes). */
constexpr size_t MAX_INPUT_FILE{size_t{2048} * 4096};

struct BadInput {
    std::string message;
};

template <size_t N>
std::array<uint8_t, N> HexBytes(const std::string& name, const std::string& hex)
{
    const auto bytes = ParseHex(hex);
    if (!bytes || bytes->size() != N) {
        throw BadInput{name + " must be " + std::to_string(N) + " bytes of hex"};
    }
    std::array<uint8_t, N> out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

int64_t Number(const po::variables_map& vm, const std::string& name, int64_t min, int64_t max)
{
    if (!vm.count(name)) throw BadInput{"missing -" + name};
    const auto v = ParseInt64(vm[name].as<std::string>(), min, max);
    if (!v) throw BadInput{"-" + name + " must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]"};
    return *v;
}

/** -nonce: any u64 in decimal. std::from_chars on an unsigned type takes no
 *  sign, so "-1" is refused, and 2^64 or more is out of range. */
uint64_t Nonce(const po::variables_map& vm)
{
    if (!vm.count("nonce")) throw BadInput{"missing -nonce"};
    const std::string& text{vm["nonce"].as<std::string>()};
    uint64_t value{0};
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) {
        throw BadInput{"-nonce must be an integer in [0, " + std::to_string(UINT64_MAX) + "]"};
    }
    return value;
}

std::vector<int8_t> ReadMatrix(const std::string& path, size_t expected, const std::string& what)
{
    std::ifstream file{path, std::ios::binary};
    if (!file) throw BadInput{"cannot open " + what + " file " + path};
    std::vector<char> bytes;
    bytes.reserve(expected);
    char c;
    while (bytes.size() <= MAX_INPUT_FILE && file.get(c)) bytes.push_back(c);
    if (bytes.size() != expected) {
        throw BadInput{what + " file " + path + " has the wrong size (expected " + std::to_string(expected) + " bytes)"};
    }
    std::vector<int8_t> out(bytes.size());
    for (size_t i = 0; i < bytes.size(); ++i) {
        out[i] = static_cast<int8_t>(bytes[i]);
        if (out[i] < -INPUT_BOUND || out[i] > INPUT_BOUND) {
            throw BadInput{what + " value " + std::to_string(out[i]) + " at byte " + std::to_string(i) +
                           " is outside [-112, 112]"};
        }
    }
    return out;
}

std::array<uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> Template(const po::variables_map& vm)
{
    if (vm.count("template")) {
        return HexBytes<BLOCK_HEADER_TEMPLATE_SIZE>("-template", vm["template"].as<std::string>());
    }
    if (!vm.count("prev") || !vm.count("merkleroot") || !vm.count("bits")) {
        throw BadInput{"give -template=HEX or -prev, -merkleroot, -bits (and optionally -blockversion, -time)"};
    }
    Writer w;
    w.WriteI32(vm.count("blockversion") ? static_cast<int32_t>(Number(vm, "blockversion", INT32_MIN, INT32_MAX)) : 1);
    w.WriteBytes(HexBytes<32>("-prev", vm["prev"].as<std::string>()));
    w.WriteBytes(HexBytes<32>("-merkleroot", vm["merkleroot"].as<std::string>()));
    w.WriteU32(vm.count("time") ? static_cast<uint32_t>(Number(vm, "time", 0, UINT32_MAX)) : 0);
    w.WriteU32(static_cast<uint32_t>(Number(vm, "bits", 0, UINT32_MAX)));
    std::array<uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> out{};
    std::copy(w.data().begin(), w.data().end(), out.begin());
    return out;
}

boost::json::object Run(const po::variables_map& vm)
{
    const UnitShape shape{static_cast<uint32_t>(Number(vm, "m", 1, 1 << 16)),
                          static_cast<uint32_t>(Number(vm, "n", 1, 1 << 16)),
                          static_cast<uint32_t>(Number(vm, "k", 1, 1 << 16))};
    const ShapeRules rules{vm.count("regtest") ? ShapeRules::Regtest() : ShapeRules::Main()};
    if (!rules.IsAllowed(shape)) throw BadInput{"shape is not allowed (see doc/pouw.md; -regtest allows small shapes)"};
    if (!vm.count("a") || !vm.count("b")) throw BadInput{"missing -a or -b"};
    if (!vm.count("key")) throw BadInput{"missing -key"};
    const auto template_bytes = Template(vm);
    const auto key = HexBytes<32>("-key", vm["key"].as<std::string>());
    const uint64_t nonce{Nonce(vm)};
    UnitData data{shape, ReadMatrix(vm["a"].as<std::string>(), size_t{shape.m} * shape.k, "A"),
                  ReadMatrix(vm["b"].as<std::string>(), size_t{shape.k} * shape.n, "B")};
    UnitDescriptor descriptor;
    if (vm.count("jobid")) descriptor.job_id = uint256{HexBytes<32>("-jobid", vm["jobid"].as<std::string>())};
    descriptor.region = vm.count("region") ? static_cast<uint32_t>(Number(vm, "region", 0, UINT32_MAX)) : 0;
    descriptor.shape = shape;
    descriptor.clamp_min = -128;
    descriptor.clamp_max = 127;
    descriptor.a_root = ComputeARoot(data);
    descriptor.b_root = ComputeBRoot(data);
    if (auto ok = ValidateDescriptor(descriptor, rules); !ok) throw BadInput{ok.error_message()};

    const uint256 unit_id{ComputeUnitId(descriptor)};
    const uint256 seed{ComputeSeed(template_bytes, key, nonce, unit_id)};
    const auto target = TargetFromBits(TemplateBits(template_bytes));
    TranscriptOptions options;
    options.backend = BestTranscriptBackend();
    auto transcript = ComputeUnitTranscript(data, Noise::DrawUnit(seed, shape), options);
    if (!transcript) throw BadInput{transcript.error_message()};

    boost::json::object out;
    out["unit_id"] = unit_id.ToStorageHex();
    out["sigma"] = seed.ToStorageHex();
    out["descriptor"] = HexStr(SerializeDescriptor(descriptor));
    out["backend"] = std::string{TranscriptBackendName(options.backend)};
    boost::json::array tiles;
    for (uint32_t t = 0; t < shape.TileCount(); ++t) {
        const auto state = EncodeState(transcript->states[t]);
        const uint256 ticket{ComputeTicket(seed, t, state)};
        boost::json::object tile;
        tile["index"] = t;
        tile["state"] = HexStr(state);
        tile["ticket"] = ticket.ToStorageHex();
        tile["wins"] = target.has_value() && TicketWins(ticket, *target, shape.k);
        tiles.push_back(std::move(tile));
    }
    out["tiles"] = std::move(tiles);
    return out;
}

}  // namespace

int main(int argc, char** argv)
{
    po::options_description options{"Options"};
    options.add_options()
        ("help,h", "Print this help message and exit")
        ("blockversion", po::value<std::string>(), "Template field: block version (default 1)")
        ("a", po::value<std::string>(), "File with A: m*k int8 bytes, row-major")
        ("b", po::value<std::string>(), "File with B: k*n int8 bytes, row-major")
        ("m", po::value<std::string>(), "Rows of A")
        ("n", po::value<std::string>(), "Columns of B")
        ("k", po::value<std::string>(), "Columns of A = rows of B")
        ("template", po::value<std::string>(), "The 76 header template bytes, hex")
        ("prev", po::value<std::string>(), "Template field: previous block hash (32 bytes hex, storage order)")
        ("merkleroot", po::value<std::string>(), "Template field: merkle root (32 bytes hex, storage order)")
        ("time", po::value<std::string>(), "Template field: time (default 0)")
        ("bits", po::value<std::string>(), "Template field: compact target")
        ("key", po::value<std::string>(), "Miner x-only public key (32 bytes hex)")
        ("nonce", po::value<std::string>(), "Nonce (u64: 0 to 18446744073709551615)")
        ("jobid", po::value<std::string>(), "Job id of the unit descriptor (32 bytes hex; default zero)")
        ("region", po::value<std::string>(), "Region of the unit descriptor (default 0)")
        ("regtest", "Allow the regtest unit shapes");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(options).style(COMMAND_LINE_STYLE).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return EXIT_BAD_INPUT;
    }
    if (vm.count("help")) {
        std::cout << FormatVersion("HPIPS PoUW transcript tool")
                  << "\n\nUsage:  hpips-pouw -a=A.bin -b=B.bin -m=M -n=N -k=K (-template=HEX | -prev=.. -merkleroot=.. "
                     "-bits=..) -key=HEX -nonce=N\n\nPrints the unit's seed and every tile's state and ticket as JSON "
                     "(doc/pouw.md).\n\n"
                  << options;
        return 0;
    }
    try {
        std::cout << boost::json::serialize(Run(vm)) << "\n";
    } catch (const BadInput& e) {
        std::cerr << "error: " << e.message << "\n";
        return EXIT_BAD_INPUT;
    }
    return 0;
}
