// The HPIPS dashboard: polls /dashboard/api/status and /dashboard/api/history
// (served by hpipsd itself, see src/dashboard/server.h) and draws the charts
// with uPlot (vendored, src/dashboard/vendor/uplot). No build step.
"use strict";

const POLL_MS = 2000;
const charts = {};
let polls = 0;

function $(id) { return document.getElementById(id); }

function fmtInt(n) {
  return (n === undefined || n === null || n < 0) ? "–" : Number(n).toLocaleString("en-US");
}

function fmtRate(n) {
  if (n === undefined || n === null || !isFinite(n)) return "–";
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2);
}

function setText(id, text) { const el = $(id); if (el && el.textContent !== String(text)) el.textContent = text; }

async function getJson(path) {
  const reply = await fetch(path, { cache: "no-store" });
  if (!reply.ok) throw new Error(path + ": HTTP " + reply.status);
  return reply.json();
}

// Per-second rates from consecutive samples of a counter (null where unknown).
function rates(times, values) {
  const out = [null];
  for (let i = 1; i < times.length; i++) {
    const dt = times[i] - times[i - 1];
    const dv = values[i] - values[i - 1];
    out.push(values[i] < 0 || values[i - 1] < 0 || dt <= 0 || dv < 0 ? null : dv / dt);
  }
  return out;
}

function chartOptions(id, label, color) {
  const el = $(id);
  return {
    width: Math.max(300, el.clientWidth || 360),
    height: 200,
    series: [{}, { label: label, stroke: color, width: 2, fill: color + "22", spanGaps: true }],
    axes: [{}, { size: 60 }],
    legend: { show: true },
  };
}

function drawChart(id, label, color, times, values) {
  const data = [times, values];
  if (!charts[id]) {
    charts[id] = new uPlot(chartOptions(id, label, color), data, $(id));
  } else {
    charts[id].setData(data);
  }
}

function updateCharts(history) {
  const fields = history.fields;
  const column = (name) => history.samples.map((s) => s[fields.indexOf(name)]);
  const times = column("time").map((ms) => ms / 1000);
  if (times.length === 0) return;
  const units = rates(times, column("miner_units"));
  const tickets = rates(times, column("miner_tickets"));
  const height = column("blocks").map((h) => (h < 0 ? null : h));
  drawChart("chart-units", "units/s", "#2f6fde", times, units);
  drawChart("chart-tickets", "tickets/s", "#d9480f", times, tickets);
  drawChart("chart-height", "height", "#2b8a3e", times, height);
  const last = (a) => { for (let i = a.length - 1; i >= 0; i--) if (a[i] !== null) return a[i]; return null; };
  setText("units-rate", fmtRate(last(units)));
  setText("tickets-rate", fmtRate(last(tickets)));
  document.body.dataset.charts = String(Object.keys(charts).length);
}

function cell(text) { const td = document.createElement("td"); td.textContent = text; return td; }

// The previous reading of each device, for live rates between two polls.
const lastDevice = {};

function deviceRate(key, field, value, now) {
  const prev = lastDevice[key];
  if (!prev || prev[field] === undefined || value === undefined || now <= prev.time || value < prev[field]) return null;
  return (value - prev[field]) / ((now - prev.time) / 1000);
}

function updateMiner(mining, now) {
  const rows = $("miner-rows");
  const miner = mining && mining.miner;
  if (!miner) return;
  // One row per device when the miner reports them, else the miner as one device.
  const devices = Array.isArray(miner.devices) ? miner.devices : [miner];
  rows.replaceChildren();
  for (const d of devices) {
    const tr = document.createElement("tr");
    tr.className = "device";
    const key = d.name || d.device || d.backend || "?";
    const unitsPerSecond = deviceRate(key, "units", d.units, now);
    const macsPerSecond = deviceRate(key, "macs", d.macs, now);
    lastDevice[key] = { time: now, units: d.units, macs: d.macs };
    tr.append(
      cell(key),
      cell(d.running === false ? "stopped" : "mining"),
      cell(fmtInt(d.units)),
      cell(fmtRate(unitsPerSecond)),
      cell(macsPerSecond === null ? "–" : fmtRate(macsPerSecond / 1e9)),
      cell(fmtInt(d.tiles !== undefined ? d.tiles : d.tickets)),
      cell(fmtInt(d.blocks_found)),
      cell(d.temperature !== undefined ? d.temperature + " °C" : "–"),
      cell(d.power !== undefined ? d.power + " W" : "–"),
      cell(d.errors !== undefined ? fmtInt(d.errors) : "–"));
    rows.append(tr);
  }
}

function updateStatus(status) {
  const chain = status.blockchain || {};
  const net = status.network || {};
  const pool = status.mempool || {};
  const mining = status.mining || {};
  setText("chain", chain.chain || "?");
  setText("height", fmtInt(chain.blocks));
  setText("headers", fmtInt(chain.headers));
  const progress = Number(chain.verificationprogress);
  setText("sync-progress", isFinite(progress) ? (progress * 100).toFixed(2) + " %" : "–");
  setText("ibd", chain.initialblockdownload ? "initial block download" : (status.blockchain ? "synced" : "starting"));
  setText("peers", fmtInt(net.connections));
  setText("peers-in", fmtInt(net.connections_in));
  setText("peers-out", fmtInt(net.connections_out));
  setText("mempool-tx", fmtInt(pool.size));
  setText("mempool-bytes", fmtInt(pool.bytes));
  setText("blocks-found", mining.miner ? fmtInt(mining.miner.blocks_found) : "–");
  setText("difficulty", mining.difficulty !== undefined ? String(mining.difficulty) : "–");
  updateMiner(mining, status.time);
  const jobs = status.jobs || {};
  setText("jobs-message", jobs.available ? (jobs.jobs.length + " jobs") : (jobs.message || "No jobs."));
  setText("updated", "updated " + new Date(status.time).toLocaleTimeString());
}

async function poll() {
  try {
    const [status, history] = await Promise.all([getJson("/dashboard/api/status"), getJson("/dashboard/api/history")]);
    updateStatus(status);
    updateCharts(history);
    $("error").hidden = true;
    document.body.dataset.polls = String(++polls);
  } catch (e) {
    setText("error", "cannot reach the node: " + e.message);
    $("error").hidden = false;
  }
  setTimeout(poll, POLL_MS);
}

poll();
