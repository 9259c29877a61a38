// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/coinselection.h>

#include <algorithm>
#include <numeric>
#include <optional>

namespace hpips::wallet {

Amount FeeForSize(WalletFeeRate rate, size_t size)
{
    const __int128 fee = (static_cast<__int128>(rate) * static_cast<__int128>(size) + 999) / 1000;
    return static_cast<Amount>(std::min<__int128>(fee, MAX_MONEY));
}

Amount DustThreshold(WalletFeeRate relay_rate) { return 3 * FeeForSize(relay_rate, OUTPUT_SIZE + INPUT_SIZE); }

namespace {

struct Candidate {
    size_t index;
    Amount effective;
};

/** Depth-first search for a subset with effective total in [target, target + tolerance]. */
std::optional<std::vector<size_t>> BranchAndBound(const std::vector<Candidate>& sorted, Amount target,
                                                  Amount tolerance)
{
    // suffix[i]: effective total of sorted[i..].
    std::vector<Amount> suffix(sorted.size() + 1, 0);
    for (size_t i = sorted.size(); i-- > 0;) suffix[i] = suffix[i + 1] + sorted[i].effective;
    if (suffix[0] < target) return std::nullopt;

    std::vector<bool> included(sorted.size(), false);
    std::optional<std::vector<bool>> best;
    Amount best_excess{tolerance + 1};
    Amount total{0};
    size_t depth{0};
    size_t selected_count{0};
    for (size_t tries = 0; tries < BNB_MAX_TRIES; ++tries) {
        bool backtrack{false};
        if (total + suffix[depth] < target || total > target + tolerance || selected_count > MAX_SELECTED_INPUTS) {
            backtrack = true;  // cannot reach, or overshot
        } else if (total >= target) {
            const Amount excess = total - target;
            if (excess < best_excess) {
                best_excess = excess;
                best = included;
                if (excess == 0) break;
            }
            backtrack = true;
        } else if (depth == sorted.size()) {
            backtrack = true;
        }
        if (backtrack) {
            // Undo the last inclusion and try its exclusion branch.
            while (depth > 0 && !included[depth - 1]) --depth;
            if (depth == 0) break;
            --depth;
            included[depth] = false;
            total -= sorted[depth].effective;
            --selected_count;
            ++depth;
        } else {
            included[depth] = true;
            total += sorted[depth].effective;
            ++selected_count;
            ++depth;
        }
    }
    if (!best) return std::nullopt;
    std::vector<size_t> out;
    for (size_t i = 0; i < sorted.size(); ++i) {
        if ((*best)[i]) out.push_back(sorted[i].index);
    }
    return out;
}

}  // namespace

Result<SelectionResult, SelectionError> SelectCoins(std::span<const Amount> values, const SelectionParams& params)
{
    const Amount input_fee = FeeForSize(params.fee_rate, INPUT_SIZE);
    const size_t base_size = TX_OVERHEAD_SIZE + params.recipient_outputs * OUTPUT_SIZE + params.extra_size;
    const Amount base_fee = FeeForSize(params.fee_rate, base_size);
    const Amount change_output_fee = FeeForSize(params.fee_rate, OUTPUT_SIZE);

    std::vector<Candidate> sorted;
    for (size_t i = 0; i < values.size(); ++i) {
        // The recipients pay for the inputs too when they pay the fee.
        const Amount effective = params.subtract_fee ? values[i] : values[i] - input_fee;
        if (effective > 0) sorted.push_back({i, effective});
    }
    std::sort(sorted.begin(), sorted.end(), [](const Candidate& a, const Candidate& b) {
        return a.effective != b.effective ? a.effective > b.effective : a.index < b.index;
    });
    const Amount available =
        std::accumulate(sorted.begin(), sorted.end(), Amount{0}, [](Amount s, const Candidate& c) { return s + c.effective; });
    const Amount target = params.subtract_fee ? params.target : params.target + base_fee;
    if (available < target) {
        return SelectionError{SelectionFailure::INSUFFICIENT_FUNDS, "Insufficient funds"};
    }

    auto finish = [&](std::vector<size_t> chosen, SelectionAlgorithm algorithm, bool with_change) {
        SelectionResult result;
        result.algorithm = algorithm;
        for (size_t i : chosen) result.input_total += values[i];
        const size_t size = base_size + chosen.size() * INPUT_SIZE + (with_change ? OUTPUT_SIZE : 0);
        const Amount fee = FeeForSize(params.fee_rate, size);
        if (params.subtract_fee) {
            // Change keeps everything above the target; without change the
            // excess (below the cost of change, or dust) counts toward the fee.
            result.change = with_change ? result.input_total - params.target : 0;
            const Amount excess = result.input_total - params.target - result.change;
            result.recipients_pay = std::max<Amount>(0, fee - excess);
            result.fee = excess + result.recipients_pay;
        } else {
            result.change = with_change ? result.input_total - params.target - fee : 0;
            result.fee = result.input_total - params.target - result.change;
        }
        result.selected = std::move(chosen);
        return result;
    };

    // 1. Change avoidance: an excess up to the cost of a change output (and of
    //    spending it later) is cheaper to give away as fee.
    const Amount cost_of_change = change_output_fee + input_fee;
    if (auto exact = BranchAndBound(sorted, target, cost_of_change)) {
        return finish(std::move(*exact), SelectionAlgorithm::BNB, /*with_change=*/false);
    }

    // 2. Largest first, with change (paid by the recipients with subtract_fee).
    const Amount change_fee_needed = params.subtract_fee ? 0 : change_output_fee;
    std::vector<size_t> chosen;
    Amount total{0};
    for (const Candidate& c : sorted) {
        if (chosen.size() >= MAX_SELECTED_INPUTS) {
            return SelectionError{SelectionFailure::TOO_MANY_INPUTS,
                                  "Transaction too large: it would need more than " +
                                      std::to_string(MAX_SELECTED_INPUTS) + " inputs"};
        }
        chosen.push_back(c.index);
        total += c.effective;
        if (total >= target + change_fee_needed) break;
    }
    if (total >= target + change_fee_needed) {
        const Amount change = total - target - change_fee_needed;
        if (change >= params.dust) return finish(std::move(chosen), SelectionAlgorithm::LARGEST_FIRST, true);
    }
    if (total >= target) {
        // The change would be dust (or the change output unaffordable): it goes to the fee.
        return finish(std::move(chosen), SelectionAlgorithm::LARGEST_FIRST, /*with_change=*/false);
    }
    return SelectionError{SelectionFailure::INSUFFICIENT_FUNDS, "Insufficient funds"};
}

}  // namespace hpips::wallet
