// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Farm mode: `mpirun -np N hpips-miner --farm ...`. Rank 0 talks to the node
// (the same template feed as the standalone miner) and hands nonce ranges of
// the current template to the other ranks; they mine on their CPU threads and
// report "alive" every HEARTBEAT, "range done", and wins, which rank 0 turns
// into blocks and submits. Rank 0 uses only non-blocking MPI (Isend, Irecv,
// Test), so a rank that died or hangs cannot block it: a rank not heard from
// for -farmtimeout is dropped and its range given to the next rank that asks.
// Only the main thread of each rank calls MPI (MPI_THREAD_FUNNELED).
#include <miner_app/block_work.h>
#include <miner_app/cpu_miner.h>
#include <miner_app/farm.h>
#include <miner_app/miner_config.h>
#include <miner_app/template_feed.h>
#include <util/threadsafety.h>

#include <fmt/format.h>
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <iostream>
#include <list>
#include <memory>
#include <thread>
#include <unistd.h>

namespace hpips::miner {

namespace {

using Clock = std::chrono::steady_clock;

/** How often a mining rank says it is alive. */
constexpr std::chrono::seconds HEARTBEAT{1};
/** Pause of the MPI polling loops. */
constexpr std::chrono::milliseconds POLL{5};
/** How long rank 0 waits for its STOP messages to leave before exiting. */
constexpr std::chrono::seconds STOP_GRACE{2};

/** A message on its way out; the buffer lives until the send completes. */
struct PendingSend {
    std::vector<uint8_t> buffer;
    MPI_Request request{MPI_REQUEST_NULL};
    int rank{0};
};

class Sender {
public:
    void Send(int rank, FarmTag tag, std::vector<uint8_t> buffer)
    {
        auto& send = m_pending.emplace_back(PendingSend{std::move(buffer), MPI_REQUEST_NULL, rank});
        MPI_Isend(send.buffer.data(), static_cast<int>(send.buffer.size()), MPI_BYTE, rank, static_cast<int>(tag),
                  MPI_COMM_WORLD, &send.request);
    }
    /** Forgets completed sends. */
    void Poll()
    {
        for (auto it = m_pending.begin(); it != m_pending.end();) {
            int done{0};
            if (it->request == MPI_REQUEST_NULL || MPI_Test(&it->request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) {
                done = 1;
            }
            it = done ? m_pending.erase(it) : std::next(it);
        }
    }
    /** Sends still in flight, those to `ignored` ranks (dropped) not counted. */
    size_t InFlight(const std::vector<bool>& ignored) const
    {
        size_t count{0};
        for (const auto& send : m_pending) count += ignored[send.rank] ? 0 : 1;
        return count;
    }

private:
    // A list: the buffers and requests must not move while MPI uses them.
    std::list<PendingSend> m_pending;
};

/** Rank 0: the newest template from the feed thread; a new generation means new work. */
struct LatestWork {
    Mutex mutex;
    std::shared_ptr<const BlockWork> work GUARDED_BY(mutex);
    uint64_t generation GUARDED_BY(mutex){0};
};

/** A mining rank: a win from a mining thread, waiting for the MPI thread. */
struct FoundWin {
    uint64_t generation;
    uint64_t nonce_begin;
    uint64_t nonce_end;
    pouw::WinningTicket ticket;
};
struct FoundWins {
    Mutex mutex;
    std::vector<FoundWin> wins GUARDED_BY(mutex);
};

/** Rank 0's view of one mining rank. */
struct RankState {
    bool alive{true};
    bool busy{false};
    uint64_t generation{0};
    uint64_t nonce_begin{0};
    uint64_t nonce_end{0};
    Clock::time_point last_heard;
    FarmReportHeader totals;     //!< the rank's last report
    FarmReportHeader at_status;  //!< its totals at the last status line
    std::vector<uint8_t> buffer;
    MPI_Request receive{MPI_REQUEST_NULL};
};

void PostReceive(RankState& state, int rank)
{
    state.buffer.resize(MAX_FARM_MESSAGE);
    MPI_Irecv(state.buffer.data(), static_cast<int>(state.buffer.size()), MPI_BYTE, rank,
              static_cast<int>(FarmTag::REPORT), MPI_COMM_WORLD, &state.receive);
}

std::string RateText(uint64_t units, uint64_t macs, double seconds)
{
    return fmt::format("units/s={:.1f} MAC/s={:.3f}G", seconds > 0 ? static_cast<double>(units) / seconds : 0.0,
                       seconds > 0 ? static_cast<double>(macs) / seconds / 1e9 : 0.0);  // display only
}

int RunCoordinator(const MinerConfig& config, int size)
{
    std::atomic<bool>& stop = StopFlag();
    LatestWork latest;
    std::atomic<bool> feed_done{false};
    FeedResult feed_result;
    PrintLine(fmt::format("hpips-miner farm: rank 0 of {}, node {}, paying {}, timeout {} s, chunk {} nonces", size,
                          EndpointName(config.endpoint), config.address, config.farm_timeout.count(),
                          config.farm_chunk));
    std::thread feed{[&] {
        feed_result = RunTemplateFeed(
            config.endpoint, config.address, stop,
            [&](std::shared_ptr<const BlockWork> work) {
                LockGuard lock{latest.mutex};
                latest.work = std::move(work);
                ++latest.generation;
            },
            PrintLine);
        feed_done = true;
    }};

    std::vector<RankState> ranks(size);
    std::vector<bool> dropped(size, false);
    const auto start = Clock::now();
    for (int r = 1; r < size; ++r) {
        ranks[r].last_heard = start;
        PostReceive(ranks[r], r);
    }
    Sender sender;
    std::shared_ptr<const BlockWork> work;
    uint64_t generation{0};
    uint64_t next_nonce{0};
    std::deque<std::pair<uint64_t, uint64_t>> reassign;
    uint64_t blocks_found{0};
    uint64_t blocks_rejected{0};
    uint64_t stale_wins{0};       // wins on a template another rank already won
    bool generation_won{false};  // a block of this generation was accepted
    uint64_t dead_tickets{0};  // tickets of dropped ranks, so the farm's count never goes down

    const auto assign = [&](int r) {
        RankState& state = ranks[r];
        FarmWork message;
        message.generation = generation;
        if (work) {
            if (!reassign.empty()) {
                std::tie(message.nonce_begin, message.nonce_end) = reassign.front();
                reassign.pop_front();
            } else {
                message.nonce_begin = next_nonce;
                message.nonce_end = next_nonce + config.farm_chunk;
                next_nonce = message.nonce_end;
            }
            message.regtest = work->rules.IsRegtest() ? 1 : 0;
            message.template_bytes = work->block.header.SerializeTemplate();
            message.miner_key = work->block.header.proof.miner_key;
        }
        state.busy = work != nullptr;
        state.generation = generation;
        state.nonce_begin = message.nonce_begin;
        state.nonce_end = message.nonce_end;
        sender.Send(r, FarmTag::WORK, EncodeFarmWork(message));
    };

    auto last_status = Clock::now();
    while (!stop.load() && !feed_done.load()) {
        std::this_thread::sleep_for(POLL);
        const auto now = Clock::now();
        bool new_work{false};
        {
            LockGuard lock{latest.mutex};
            if (latest.generation != generation) {
                generation = latest.generation;
                work = latest.work;
                new_work = true;
            }
        }
        if (new_work) {  // the sends happen outside the lock
            generation_won = false;
            next_nonce = 0;
            reassign.clear();
            for (int r = 1; r < size; ++r) {
                if (ranks[r].alive) assign(r);
            }
        }
        sender.Poll();
        for (int r = 1; r < size; ++r) {
            RankState& state = ranks[r];
            if (!state.alive) continue;
            int done{0};
            MPI_Status status;
            if (MPI_Test(&state.receive, &done, &status) != MPI_SUCCESS || !done) continue;
            int count{0};
            MPI_Get_count(&status, MPI_BYTE, &count);
            state.last_heard = now;
            auto report = DecodeFarmReport(std::span{state.buffer.data(), static_cast<size_t>(std::max(count, 0))});
            PostReceive(state, r);
            if (!report) {
                PrintLine(fmt::format("farm: rank {} sent a bad report: {}", r, report.error_message()));
                continue;
            }
            state.totals = report->header;
            const bool current = report->header.generation == generation && work != nullptr;
            if (report->header.kind == ReportKind::WIN && current && generation_won) {
                ++stale_wins;  // a second ticket on a template already won: the same parent again
            } else if (report->header.kind == ReportKind::WIN && current) {
                pouw::WinningTicket win{report->header.proof, std::move(report->opening)};
                const std::string reason = SubmitBlock(config.endpoint, FinishBlock(*work, win));
                if (reason.empty()) {
                    ++blocks_found;
                    generation_won = true;
                    PrintLine(fmt::format("farm: rank {} found block at height {} (nonce {}), accepted", r,
                                          work->height, win.proof.nonce));
                } else {
                    ++blocks_rejected;
                    PrintLine(fmt::format("farm: rank {} found block at height {}, rejected: {}", r, work->height,
                                          reason));
                }
            }
            if ((report->header.kind == ReportKind::DONE || report->header.kind == ReportKind::WIN) && current &&
                report->header.nonce_begin == state.nonce_begin && state.busy) {
                state.busy = false;
                if (!generation_won) assign(r);  // else the next template comes with the node's long poll
            }
        }
        for (int r = 1; r < size; ++r) {
            RankState& state = ranks[r];
            if (!state.alive || now - state.last_heard <= config.farm_timeout) continue;
            state.alive = false;
            dropped[r] = true;
            dead_tickets += state.totals.tickets;
            std::string range;
            if (state.busy && state.generation == generation && work) {
                reassign.emplace_back(state.nonce_begin, state.nonce_end);
                range = fmt::format("; its nonces [{}, {}) go to the next rank", state.nonce_begin, state.nonce_end);
            }
            PrintLine(fmt::format("farm: rank {} dropped: no word for {} s{}", r, config.farm_timeout.count(), range));
            // Hand the returned range out now to a live rank rather than wait for one to finish.
            for (int other = 1; other < size && !reassign.empty() && !generation_won; ++other) {
                if (ranks[other].alive && !ranks[other].busy) assign(other);
            }
        }
        if (now - last_status >= config.status_interval) {
            const double seconds = std::chrono::duration<double>(now - last_status).count();  // display only
            uint64_t units{0}, macs{0}, tickets{dead_tickets};
            int alive{0};
            std::string per_rank;
            for (int r = 1; r < size; ++r) {
                RankState& state = ranks[r];
                if (!state.alive) {
                    per_rank += fmt::format(" | rank{} dropped", r);
                    continue;
                }
                ++alive;
                const uint64_t du = state.totals.units - std::min(state.totals.units, state.at_status.units);
                const uint64_t dm = state.totals.macs - std::min(state.totals.macs, state.at_status.macs);
                units += du;
                macs += dm;
                tickets += state.totals.tickets;
                per_rank += fmt::format(" | rank{} {} threads={}", r, RateText(du, dm, seconds), state.totals.threads);
                state.at_status = state.totals;
            }
            PrintLine(fmt::format("farm status: height={} {} tickets={} blocks={} rejected={} stale={} ranks={}/{}{}",
                                  work ? std::to_string(work->height) : std::string{"-"},
                                  RateText(units, macs, seconds), tickets, blocks_found, blocks_rejected, stale_wins, alive,
                                  size - 1, per_rank));
            last_status = now;
        }
    }
    int code = EXIT_OK;
    if (feed_done.load()) {
        feed.join();
        if (feed_result.end != FeedEnd::STOPPED) {
            std::cerr << "error: " << feed_result.message << "\n";
            code = feed_result.end == FeedEnd::UNAUTHORIZED ? EXIT_BAD_CREDENTIALS : EXIT_NODE_REFUSED;
        }
    } else {
        feed.detach();
    }
    for (int r = 1; r < size; ++r) {
        if (ranks[r].alive) sender.Send(r, FarmTag::STOP, {0});
    }
    const auto grace = Clock::now() + STOP_GRACE;
    while (sender.InFlight(dropped) > 0 && Clock::now() < grace) {
        sender.Poll();
        std::this_thread::sleep_for(POLL);
    }
    PrintLine(fmt::format("hpips-miner farm: stopping, {} block(s) found", blocks_found));
    std::fflush(stdout);
    std::cerr.flush();
    // The live ranks got STOP and finalize; MPI_Finalize could wait on a
    // dropped rank, so rank 0 finalizes only when none was dropped. The exit
    // code is mpirun's (MPI_Abort's code is lost under --enable-recovery).
    if (std::find(dropped.begin(), dropped.end(), true) == dropped.end()) MPI_Finalize();
    std::_Exit(code);
}

int RunWorker(const MinerConfig& config, int rank)
{
    std::atomic<bool>& stop = StopFlag();
    FoundWins wins;
    CpuMiner miner{config.threads, [&](const MinerJob& job, pouw::WinningTicket win) {
                       LockGuard lock{wins.mutex};
                       wins.wins.push_back({job.generation, job.nonce_begin, job.nonce_end, std::move(win)});
                   }};
    PrintLine(fmt::format("hpips-miner farm: rank {} pid {} mining on {} thread(s) ({} transcripts)", rank, getpid(),
                          miner.Threads(), pouw::TranscriptBackendName(miner.Backend())));
    Sender sender;
    std::vector<uint8_t> buffer(sizeof(FarmWork));
    MPI_Request receive{MPI_REQUEST_NULL};
    const auto post = [&] {
        MPI_Irecv(buffer.data(), static_cast<int>(buffer.size()), MPI_BYTE, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &receive);
    };
    post();
    std::shared_ptr<MinerJob> job;
    bool reported{true};
    const auto report = [&](ReportKind kind, const pouw::WinningTicket* win, uint64_t generation, uint64_t begin,
                            uint64_t end) {
        const CpuMiner::Totals totals = miner.GetTotals();
        FarmReportHeader header;
        header.generation = generation;
        header.nonce_begin = begin;
        header.nonce_end = end;
        header.units = totals.work.units;
        header.macs = totals.work.macs;
        header.tickets = totals.tickets;
        header.threads = static_cast<uint32_t>(miner.Threads());
        header.kind = kind;
        std::span<const uint8_t> opening;
        if (win != nullptr) {
            header.proof = win->proof;
            opening = win->opening;
        }
        sender.Send(0, FarmTag::REPORT, EncodeFarmReport(header, opening));
    };
    report(ReportKind::HEARTBEAT, nullptr, 0, 0, 0);
    auto last_heartbeat = Clock::now();
    uint64_t errors_logged{0};
    while (!stop.load()) {
        std::this_thread::sleep_for(POLL);
        int done{0};
        MPI_Status status;
        if (MPI_Test(&receive, &done, &status) == MPI_SUCCESS && done) {
            if (status.MPI_TAG == static_cast<int>(FarmTag::STOP)) break;
            int count{0};
            MPI_Get_count(&status, MPI_BYTE, &count);
            auto message = DecodeFarmWork(std::span{buffer.data(), static_cast<size_t>(std::max(count, 0))});
            post();
            if (!message) {
                PrintLine(fmt::format("farm: rank {}: bad work message: {}", rank, message.error_message()));
            } else if (message->nonce_begin == message->nonce_end) {
                miner.ClearJob();
                job.reset();
                reported = true;
            } else {
                auto next = std::make_shared<MinerJob>();
                next->generation = message->generation;
                next->request.template_bytes = message->template_bytes;
                next->request.miner_key = message->miner_key;
                next->rules = message->regtest ? pouw::ShapeRules::Regtest() : pouw::ShapeRules::Main();
                if (job && job->request.template_bytes == next->request.template_bytes &&
                    job->request.miner_key == next->request.miner_key && job->rules.IsRegtest() == next->rules.IsRegtest()) {
                    next->unit = job->unit;  // another range of the same template: the same filler unit
                } else {
                    uint256 prev;
                    std::copy(message->template_bytes.begin() + 4, message->template_bytes.begin() + 36, prev.begin());
                    next->unit = pouw::MakeFillerUnit(prev, message->miner_key, 0, next->rules);
                }
                job = std::move(next);
                job->nonce_begin = message->nonce_begin;
                job->nonce_end = message->nonce_end;
                miner.SetJob(job);
                reported = false;
            }
        }
        std::vector<FoundWin> found;
        {
            LockGuard lock{wins.mutex};
            found.swap(wins.wins);
        }
        for (const FoundWin& win : found) {
            report(ReportKind::WIN, &win.ticket, win.generation, win.nonce_begin, win.nonce_end);
            if (job && job->generation == win.generation && job->nonce_begin == win.nonce_begin) reported = true;
        }
        if (!reported && job && miner.JobFinished()) {
            report(ReportKind::DONE, nullptr, job->generation, job->nonce_begin, job->nonce_end);
            reported = true;
        }
        if (Clock::now() - last_heartbeat >= HEARTBEAT) {
            if (const auto totals = miner.GetTotals(); totals.errors != errors_logged) {
                PrintLine(fmt::format("farm: rank {}: engine error: {}", rank, totals.last_error));
                errors_logged = totals.errors;
            }
            report(ReportKind::HEARTBEAT, nullptr, job ? job->generation : 0, 0, 0);
            last_heartbeat = Clock::now();
        }
        sender.Poll();
    }
    miner.ClearJob();
    std::fflush(stdout);
    MPI_Finalize();
    std::_Exit(EXIT_OK);
}

}  // namespace

const bool HAVE_FARM{true};

int RunFarm(const MinerConfig& config, int argc, char** argv)
{
    int provided{0};
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        std::cerr << "Error: MPI_Init_thread failed (run under mpirun)\n";
        return EXIT_BAD_OPTIONS;
    }
    // Errors are values: a failed send to a dead rank must not abort the farm.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    int rank{0};
    int size{0};
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size < 2) {
        std::cerr << "Error: --farm needs at least 2 ranks (mpirun -np N with N >= 2): rank 0 only hands out work\n";
        MPI_Finalize();
        return EXIT_BAD_OPTIONS;
    }
    if (rank == 0) return RunCoordinator(config, size);
    return RunWorker(config, rank);
}

}  // namespace hpips::miner
