// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// hpipsd: the HPIPS full node. For now it parses its options and prints its
// version; the chain issue wires in the node itself.
#include <util/args.h>

#include <iostream>

namespace po = boost::program_options;

int main(int argc, char** argv)
{
    po::options_description options{"Options"};
    options.add_options()
        ("help,h", "Print this help message and exit")
        ("version", "Print version and exit")
        ("datadir", po::value<std::string>(), "Specify data directory (default: ~/.hpips)")
        ("regtest", "Use the regression test chain")
        ("testnet", "Use the test chain");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(options).style(hpips::COMMAND_LINE_STYLE).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "Error: " << e.what() << "\n";
        return 1;
    }
    if (vm.count("version")) {
        std::cout << hpips::FormatVersion("HPIPS daemon") << "\n";
        return 0;
    }
    if (vm.count("help")) {
        std::cout << hpips::FormatVersion("HPIPS daemon") << "\n\nUsage:  hpipsd [options]\n\n" << options;
        return 0;
    }
    std::cerr << "Error: the node is not built yet; only -help and -version work in this release\n";
    return 1;
}
