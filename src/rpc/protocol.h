// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_PROTOCOL_H
#define HPIPS_RPC_PROTOCOL_H

#include <cstddef>

/** JSON-RPC error codes and HTTP status codes of the RPC interface. The codes
 *  are Bitcoin Core's, number for number, so that clients written for Core
 *  (and their error handling) work unchanged. */
namespace hpips {

/** Error codes carried in the "code" member of a JSON-RPC error object. */
enum class RPCErrorCode : int {
    // Standard JSON-RPC 2.0 errors.
    /** The request is not a valid request object (HTTP 400 for legacy requests). */
    INVALID_REQUEST = -32600,
    /** No such method (HTTP 404 for legacy requests). */
    METHOD_NOT_FOUND = -32601,
    /** Reserved by the standard; HPIPS reports parameter problems as -8 or -3, as Core does. */
    INVALID_PARAMS = -32602,
    /** Internal error; also used for the unexpected (a handler that threw something odd). */
    INTERNAL_ERROR = -32603,
    /** The body is not JSON. */
    PARSE_ERROR = -32700,

    // General application-defined errors.
    /** std::exception thrown in command handling, and "wrong number of arguments" (with the help text). */
    MISC_ERROR = -1,
    /** Unexpected type passed as parameter. */
    TYPE_ERROR = -3,
    /** Invalid address or key. */
    INVALID_ADDRESS_OR_KEY = -5,
    /** Ran out of memory during operation. */
    OUT_OF_MEMORY = -7,
    /** Invalid, missing or duplicate parameter. */
    INVALID_PARAMETER = -8,
    /** Database error. */
    DATABASE_ERROR = -20,
    /** Error parsing or validating a structure in raw format. */
    DESERIALIZATION_ERROR = -22,
    /** General error during transaction or block submission. */
    VERIFY_ERROR = -25,
    /** Transaction or block was rejected by network rules. */
    VERIFY_REJECTED = -26,
    /** Transaction already in chain. */
    VERIFY_ALREADY_IN_CHAIN = -27,
    /** Client still warming up (loading the chainstate). */
    IN_WARMUP = -28,
    /** RPC method is deprecated. */
    METHOD_DEPRECATED = -32,

    // P2P client errors.
    /** The node is not connected to any peer. */
    CLIENT_NOT_CONNECTED = -9,
    /** Still downloading initial blocks. */
    CLIENT_IN_INITIAL_DOWNLOAD = -10,
    /** Node is already added. */
    CLIENT_NODE_ALREADY_ADDED = -23,
    /** Node has not been added before. */
    CLIENT_NODE_NOT_ADDED = -24,
    /** Node to disconnect not found in connected nodes. */
    CLIENT_NODE_NOT_CONNECTED = -29,
    /** Invalid IP/subnet. */
    CLIENT_INVALID_IP_OR_SUBNET = -30,
    /** No valid connection manager instance found. */
    CLIENT_P2P_DISABLED = -31,
    /** The mempool is disabled. */
    CLIENT_MEMPOOL_DISABLED = -33,
    /** Max number of outbound or block-relay connections already open. */
    CLIENT_NODE_CAPACITY_REACHED = -34,

    // Wallet errors.
    /** Unspecified problem with the wallet (key not found etc.). */
    WALLET_ERROR = -4,
    /** Not enough funds in wallet or account. */
    WALLET_INSUFFICIENT_FUNDS = -6,
    /** Invalid label name. */
    WALLET_INVALID_LABEL_NAME = -11,
    /** Keypool ran out, call keypoolrefill first. */
    WALLET_KEYPOOL_RAN_OUT = -12,
    /** Enter the wallet passphrase with walletpassphrase first. */
    WALLET_UNLOCK_NEEDED = -13,
    /** The wallet passphrase entered was incorrect. */
    WALLET_PASSPHRASE_INCORRECT = -14,
    /** Command given in wrong wallet encryption state. */
    WALLET_WRONG_ENC_STATE = -15,
    /** Failed to encrypt the wallet. */
    WALLET_ENCRYPTION_FAILED = -16,
    /** Wallet is already unlocked. */
    WALLET_ALREADY_UNLOCKED = -17,
    /** Invalid wallet specified. */
    WALLET_NOT_FOUND = -18,
    /** No wallet specified (more than one wallet loaded). */
    WALLET_NOT_SPECIFIED = -19,
    /** This same wallet is already loaded. */
    WALLET_ALREADY_LOADED = -35,
    /** There is already a wallet with the same name. */
    WALLET_ALREADY_EXISTS = -36,
};

/** HTTP status codes the RPC server answers with. */
enum class HTTPStatus : unsigned {
    OK = 200,
    NO_CONTENT = 204,
    BAD_REQUEST = 400,
    UNAUTHORIZED = 401,
    FORBIDDEN = 403,
    NOT_FOUND = 404,
    BAD_METHOD = 405,
    PAYLOAD_TOO_LARGE = 413,
    INTERNAL_SERVER_ERROR = 500,
    SERVICE_UNAVAILABLE = 503,
};

/** Largest request body accepted: a 4 MB block in hex is 8 MB of text plus
 *  the envelope, and batches of such requests fit too. Larger bodies are
 *  refused with HTTP 413 before they are read into memory. */
constexpr size_t MAX_RPC_REQUEST_SIZE = 16 * 1024 * 1024;

/** Largest request line plus headers accepted (HTTP 431-equivalent: 400). */
constexpr size_t MAX_RPC_HEADERS_SIZE = 64 * 1024;

}  // namespace hpips

#endif  // HPIPS_RPC_PROTOCOL_H
