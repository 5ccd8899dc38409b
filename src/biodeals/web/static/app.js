// biodeals web app: evidence links, the partnership graph and the dashboard charts.
// Libraries (htmx, Chart.js, Cytoscape.js) are vendored under /static/vendor/.
"use strict";

function showEvidence(id) {
  document.querySelectorAll(".active-evidence").forEach((el) => el.classList.remove("active-evidence"));
  const pieces = document.querySelectorAll(`.doc-text [data-ev~="${id}"]`);
  pieces.forEach((el) => el.classList.add("active-evidence"));
  const anchor = document.getElementById(`ev-${id}`);
  if (!anchor) return;
  const details = anchor.closest("details");
  if (details) details.open = true;
  (pieces[0] || anchor).scrollIntoView({ behavior: "smooth", block: "center" });
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a.ev-link");
  if (!link) return;
  event.preventDefault();
  history.replaceState(null, "", `#ev-${link.dataset.ev}`);
  showEvidence(link.dataset.ev);
});

function drawGraph() {
  const container = document.getElementById("graph");
  const data = document.getElementById("graph-data");
  if (!container || !data || !window.cytoscape) return;
  const elements = JSON.parse(data.textContent);
  const cy = window.cytoscape({
    container,
    elements: [...elements.nodes, ...elements.edges],
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "font-size": 11,
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "ellipsis",
          "text-max-width": 110,
          "text-background-color": "#fff",
          "text-background-opacity": 0.85,
          "background-color": "#6b8fb5",
          width: "mapData(deals, 0, 10, 14, 40)",
          height: "mapData(deals, 0, 10, 14, 40)",
        },
      },
      { selector: "node[?focus]", style: { "background-color": "#c0392b", "font-weight": "bold" } },
      { selector: "edge", style: { width: "mapData(weight, 1, 5, 1, 6)", "line-color": "#b8c4d0", "curve-style": "bezier" } },
    ],
    // the company in the middle, its partners on rings around it: spaced so no two labels meet
    layout: {
      name: "concentric",
      concentric: (node) => (node.data("focus") ? 2 : 1),
      levelWidth: () => 1,
      minNodeSpacing: 70,
      spacingFactor: 1.1,
      animate: false,
      padding: 30,
    },
    wheelSensitivity: 0.2,
  });
  cy.on("tap", "node", (event) => {
    window.location.href = `/companies/${event.target.id()}`;
  });
  container.dataset.nodes = String(cy.nodes().length);
  container.dataset.edges = String(cy.edges().length);
  window.biodealsGraph = cy;
}

// Every year from the first to the last, with 0 where none is recorded: the year axis is a
// time line (1991 is not drawn beside 2003)
function everyYear(rows) {
  const known = rows.filter((row) => row.key !== null);
  if (!known.length) return [];
  const byYear = new Map(known.map((row) => [row.key, row]));
  const first = Math.min(...byYear.keys());
  const last = Math.max(...byYear.keys());
  return Array.from({ length: last - first + 1 }, (_, i) => byYear.get(first + i) || { key: first + i, deals: 0, total_value: {} });
}

const numbers = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

function drawCharts() {
  const data = document.getElementById("stats-data");
  if (!data || !window.Chart) return;
  const stats = JSON.parse(data.textContent);
  const usd = (row) => (row.total_value && row.total_value.USD ? row.total_value.USD / 1e9 : 0);
  const known = (rows) => rows.filter((row) => row.key !== null);
  const every = { autoSkip: false }; // each bar keeps its label
  const counted = { callback: (value) => numbers.format(value) };
  const bar = (id, rows, datasets, horizontal) =>
    new window.Chart(document.getElementById(id), {
      type: "bar",
      data: { labels: rows.map((row) => String(row.key)), datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        animation: false,
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${numbers.format(item.raw)}` } },
        },
        scales: {
          [horizontal ? "y" : "x"]: { ticks: every },
          [horizontal ? "x" : "y"]: { ticks: counted, beginAtZero: true },
          ...(datasets.length > 1
            ? { value: { position: horizontal ? "top" : "right", grid: { drawOnChartArea: false }, ticks: counted } }
            : {}),
        },
      },
    });
  const years = everyYear(stats.by_year);
  bar("chart-year-count", years, [{ label: "Deals", data: years.map((r) => r.deals), backgroundColor: "#6b8fb5" }]);
  bar("chart-year-value", years, [{ label: "Total value, USD bn", data: years.map(usd), backgroundColor: "#c0392b" }]);
  for (const [id, rows] of [["chart-type", stats.by_type], ["chart-modality", stats.by_modality]]) {
    const items = known(rows);
    bar(id, items, [
      { label: "Deals", data: items.map((r) => r.deals), backgroundColor: "#6b8fb5" },
      { label: "Total value, USD bn", data: items.map(usd), backgroundColor: "#c0392b", xAxisID: "value" },
    ], true);
  }
  drawTrends(bar);
  document.body.dataset.charts = "drawn"; // a marker for the browser tests
}

// The trends of the selected deals: deals per quarter stacked by modality and by therapeutic
// area, the median upfront and total by stage at signing per year, and the top targets
const PALETTE = ["#6b8fb5", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#f1c40f", "#2c3e50", "#e84393"];

function stackedByQuarter(id, quarters, cells, key) {
  const groups = [...new Set(cells.map((cell) => cell[key]))];
  return new window.Chart(document.getElementById(id), {
    type: "bar",
    data: {
      labels: quarters,
      datasets: groups.map((group, i) => ({
        label: group,
        backgroundColor: PALETTE[i % PALETTE.length],
        data: quarters.map((q) => {
          const cell = cells.find((c) => c.quarter === q && c[key] === group);
          return cell ? cell.deals : 0;
        }),
      })),
    },
    options: {
      responsive: true,
      animation: false,
      scales: { x: { stacked: true, ticks: { autoSkip: false } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

// One bar per stage at signing in each year: the median of the deals stating the figure in USD
// (other currencies are in the CSV); a year with no such deal is an empty slot, not left out
function mediansByStage(id, cells, figure, stages) {
  const known = cells.filter((cell) => cell[figure].USD !== undefined);
  const years = everyYear(known.map((cell) => ({ key: cell.year }))).map((row) => row.key);
  const shown = stages.filter((stage) => known.some((cell) => cell.stage === stage));
  return new window.Chart(document.getElementById(id), {
    type: "bar",
    data: {
      labels: years.map(String),
      datasets: shown.map((stage, i) => ({
        label: stage,
        backgroundColor: PALETTE[i % PALETTE.length],
        data: years.map((year) => {
          const cell = known.find((c) => c.year === year && c.stage === stage);
          return cell ? cell[figure].USD / 1e6 : null;
        }),
      })),
    },
    options: {
      responsive: true,
      animation: false,
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${numbers.format(item.raw)} USD million` } } },
      scales: { x: { ticks: { autoSkip: false } }, y: { beginAtZero: true, title: { display: true, text: "USD million" } } },
    },
  });
}

function drawTrends(bar) {
  const data = document.getElementById("trends-data");
  if (!data) return;
  const trends = JSON.parse(data.textContent);
  const stages = JSON.parse(data.dataset.stages);
  stackedByQuarter("chart-quarter-modality", trends.quarters, trends.by_quarter, "modality");
  stackedByQuarter("chart-quarter-area", trends.quarters, trends.by_area, "area");
  mediansByStage("chart-stage-upfront", trends.by_stage, "median_upfront", stages);
  mediansByStage("chart-stage-total", trends.by_stage, "median_total_value", stages);
  const targets = trends.top_targets.map((row) => ({ key: row.name, deals: row.deals }));
  bar("chart-top-targets", targets, [{ label: "Deals", data: targets.map((r) => r.deals), backgroundColor: "#6b8fb5" }], true);
}

// The deal page's valuation as a waterfall: each cash flow's risk-adjusted value floats on the
// sum of those before it, in the order they fall due; the last bar is the rNPV
function drawValuation() {
  const data = document.getElementById("valuation-data");
  const canvas = document.getElementById("chart-valuation");
  if (!data || !canvas || !window.Chart) return;
  const valuation = JSON.parse(data.textContent);
  const flows = [...valuation.cash_flows].sort((a, b) => a.years - b.years);
  if (!flows.length) return;
  const millions = (value) => value / 1e6;
  let running = 0;
  const bars = flows.map((flow) => {
    const from = running;
    running += flow.risk_adjusted_value;
    return [millions(from), millions(running)];
  });
  bars.push([0, millions(running)]);
  const currency = valuation.rnpv ? valuation.rnpv.currency : flows[0].currency;
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: flows.map((flow) => `${flow.event} (year ${numbers.format(flow.years)})`).concat(["rNPV"]),
      datasets: [{
        label: `Risk-adjusted value, ${currency} million`,
        data: bars,
        backgroundColor: bars.map((_, i) => (i === bars.length - 1 ? "#c0392b" : "#6b8fb5")),
      }],
    },
    options: {
      responsive: true,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `${numbers.format(item.raw[1] - item.raw[0])} ${currency} million` } },
      },
      scales: { x: { ticks: { autoSkip: false } }, y: { beginAtZero: true, title: { display: true, text: `${currency} million` } } },
    },
  });
  canvas.dataset.bars = String(bars.length);
}

function init() {
  drawGraph();
  drawCharts();
  drawValuation();
  const hash = window.location.hash.match(/^#ev-(\d+)$/);
  if (hash) showEvidence(hash[1]);
}

document.addEventListener("DOMContentLoaded", init);

// Curation forms (shown when the server takes writes): each is sent as JSON to its data-api
// route with the write token the user entered (kept in localStorage), then the page reloads.
const TOKEN_KEY = "biodeals-write-token";

function tokenInputs() {
  return document.querySelectorAll("input.write-token");
}

function initCuration() {
  const saved = window.localStorage.getItem(TOKEN_KEY) || "";
  tokenInputs().forEach((input) => {
    input.value = saved;
    input.addEventListener("change", () => window.localStorage.setItem(TOKEN_KEY, input.value.trim()));
  });
}

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form.curate");
  if (!form) return;
  event.preventDefault();
  const output = form.querySelector("output");
  const field = [...tokenInputs()].find((input) => input.value.trim());
  const token = field ? field.value.trim() : window.localStorage.getItem(TOKEN_KEY);
  if (!token) {
    output.textContent = "Enter your write token first.";
    return;
  }
  window.localStorage.setItem(TOKEN_KEY, token);
  const body = {};
  for (const element of form.elements) {
    if (!element.name || element.value.trim() === "") continue;
    const value = element.dataset.type === "int" ? Number(element.value) : element.value.trim();
    const [outer, inner] = element.name.split("."); // "filters.type" goes into body.filters
    if (inner) body[outer] = { ...(body[outer] || {}), [inner]: value };
    else body[outer] = value;
  }
  const method = form.dataset.method || "POST";
  output.textContent = "Saving…";
  const answer = await fetch(form.dataset.api, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: method === "DELETE" ? undefined : JSON.stringify(body),
  });
  if (answer.ok) {
    if (form.dataset.then) window.location.href = form.dataset.then;
    else window.location.reload();
    return;
  }
  const problem = await answer.json().catch(() => ({ detail: answer.statusText }));
  output.textContent = `Not saved: ${problem.detail}`;
  output.classList.add("problem");
});

document.addEventListener("DOMContentLoaded", initCuration);
