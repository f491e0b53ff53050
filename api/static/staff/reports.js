// The managers' reports: a tab per report, filters kept in the URL (a view can be bookmarked),
// one ECharts chart and a table per report, CSV export, and a side panel listing the reviews,
// conversations and cases behind a number. Everything shown comes from the reports API and only
// ever becomes text nodes (h() never parses HTML). ECharts is the classic script loaded before
// this module (window.echarts).

import { api, errorText, fmtDuration, fmtTime, h } from "/static/staff/staff.js";

const FILTERS = ["from", "to", "category", "product_id", "business_hours"];
const NUMERIC = new Set(["count", "rate", "yuan", "seconds"]);
const DRILL_PAGE = 20;
const ITEM_KINDS = { review: "评价", conversation: "会话", case: "物流跟进单", queue_item: "队列事项" };
const BUSINESS_HOURS_REPORTS = new Set(["response"]);
const PALETTE = ["#ff5000", "#2563eb", "#16a34a", "#7c3aed", "#d97706", "#0891b2", "#db2777", "#65a30d"];

const $ = (id) => document.getElementById(id);
const els = {
  tabs: $("report-tabs"),
  form: $("report-filters"),
  from: $("filter-from"),
  to: $("filter-to"),
  category: $("filter-category"),
  product: $("filter-product"),
  businessHoursField: $("business-hours-field"),
  businessHours: $("filter-business-hours"),
  reset: $("filter-reset"),
  error: $("report-error"),
  section: $("report"),
  title: $("report-title"),
  meta: $("report-meta"),
  csv: $("report-csv"),
  chart: $("report-chart"),
  chartNote: $("report-chart-note"),
  empty: $("report-empty"),
  table: $("report-table"),
  hint: $("report-hint"),
  panel: $("drill-panel"),
  drillTitle: $("drill-title"),
  drillSummary: $("drill-summary"),
  drillItems: $("drill-items"),
  drillMore: $("drill-more"),
  drillClose: $("drill-close"),
};

let reports = []; // [{name, title}]
let choices = { categories: [], products: [] };
let state = readUrl();
let chart = null;
let loading = 0; // the latest load: an older answer arriving late is dropped
let drill = null; // {name, params, offset, total}

// ---- formatting per column kind ----

function isoParts(iso) {
  const [y, m, d] = String(iso).slice(0, 10).split("-").map(Number);
  return { y, m, d };
}

function dayLabel(iso, withYear) {
  const { y, m, d } = isoParts(iso);
  return `${withYear ? `${y}年` : ""}${m}月${d}日`;
}

function weekLabel(iso) {
  const { y, m, d } = isoParts(iso);
  const end = new Date(Date.UTC(y, m - 1, d + 6));
  const [m2, d2] = [end.getUTCMonth() + 1, end.getUTCDate()];
  const year = y !== new Date().getFullYear() ? `${y}年` : "";
  return `${year}${m}月${d}日–${m2 === m ? "" : `${m2}月`}${d2}日`;
}

const countFormat = new Intl.NumberFormat("zh-CN");
const yuanFormat = new Intl.NumberFormat("zh-CN", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** A cell's text, by its column's kind. */
export function fmt(value, kind) {
  if (value === null || value === undefined || value === "") return "—";
  switch (kind) {
    case "count":
      return countFormat.format(Number(value));
    case "rate":
      return `${(Number(value) * 100).toFixed(1)}%`;
    case "yuan":
      return `¥${yuanFormat.format(Number(value))}`;
    case "seconds":
      return fmtDuration(Number(value));
    case "week":
      return weekLabel(value);
    case "day":
      return dayLabel(value, isoParts(value).y !== new Date().getFullYear());
    default:
      return String(value);
  }
}

/** A shorter text for a chart's axis. */
function axisText(value, kind) {
  if (value === null || value === undefined) return "—";
  if (kind === "week" || kind === "day") {
    const { m, d } = isoParts(value);
    return `${m}/${d}`;
  }
  if (kind === "rate") return `${Math.round(Number(value) * 100)}%`;
  if (kind === "yuan") return `¥${countFormat.format(Number(value))}`;
  if (kind === "seconds") return fmtDuration(Number(value));
  if (kind === "count") return countFormat.format(Number(value));
  const text = String(value);
  return text.length > 10 ? `${text.slice(0, 9)}…` : text;
}

// ---- the URL holds the view ----

function readUrl() {
  const query = new URLSearchParams(location.search);
  const read = { report: query.get("report") || "" };
  for (const key of FILTERS) read[key] = query.get(key) || "";
  return read;
}

function filterQuery(view = state, extra = {}) {
  const query = new URLSearchParams();
  for (const key of FILTERS) {
    if (key === "business_hours" && !BUSINESS_HOURS_REPORTS.has(view.report)) continue;
    if (view[key]) query.set(key, view[key]);
  }
  for (const [key, value] of Object.entries(extra)) {
    // a drill key's empty value means "not known" (未知) and is sent as it is
    if (value !== null && value !== undefined) query.set(key, String(value));
  }
  return query;
}

function pageUrl(view) {
  const query = filterQuery(view);
  query.set("report", view.report);
  return `/reports?${query}`;
}

function go(view, { push = true } = {}) {
  state = view;
  const url = pageUrl(view);
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
  showState();
  load();
}

// ---- tabs and filters ----

function renderTabs() {
  els.tabs.replaceChildren(
    ...reports.map((report) =>
      h(
        "a",
        {
          href: pageUrl({ ...state, report: report.name }),
          class: "report-tab",
          "aria-current": report.name === state.report ? "page" : null,
          dataset: { report: report.name },
          onclick: (event) => {
            if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            go({ ...state, report: report.name });
          },
        },
        report.title,
      ),
    ),
  );
}

function fillProducts() {
  const category = els.category.value;
  const products = choices.products.filter((p) => !category || p.category === category);
  const keep = products.some((p) => p.value === state.product_id) ? state.product_id : "";
  els.product.replaceChildren(
    h("option", { value: "" }, "全部商品"),
    ...products.map((p) => h("option", { value: p.value }, `${p.label}（${p.value}）`)),
  );
  els.product.value = keep;
}

function renderChoices() {
  els.category.replaceChildren(
    h("option", { value: "" }, "全部品类"),
    ...choices.categories.map((c) => h("option", { value: c.value }, c.label)),
  );
}

/** The filter form shows the state (after a tab, the back button, a reset). */
function showState() {
  els.from.value = state.from;
  els.to.value = state.to;
  els.category.value = state.category;
  if (els.category.value !== state.category) els.category.value = "";
  fillProducts();
  els.businessHours.checked = state.business_hours === "true";
  els.businessHoursField.hidden = !BUSINESS_HOURS_REPORTS.has(state.report);
  renderTabs();
}

function formView() {
  return {
    report: state.report,
    from: els.from.value,
    to: els.to.value,
    category: els.category.value,
    product_id: els.product.value,
    business_hours: els.businessHours.checked ? "true" : "",
  };
}

// ---- one report ----

function showError(text) {
  els.error.textContent = text;
  els.error.hidden = !text;
}

async function load() {
  const mine = ++loading;
  const name = state.report;
  els.section.setAttribute("aria-busy", "true");
  els.section.classList.add("loading");
  showError("");
  closeDrill();
  try {
    const table = await api(`/api/reports/${encodeURIComponent(name)}?${filterQuery()}`);
    if (mine !== loading) return;
    renderReport(table);
  } catch (error) {
    if (mine !== loading) return;
    showError(errorText(error));
    renderReport(null);
  } finally {
    if (mine === loading) {
      els.section.setAttribute("aria-busy", "false");
      els.section.classList.remove("loading");
    }
  }
}

function renderReport(table) {
  const title = table?.title ?? reports.find((r) => r.name === state.report)?.title ?? "报表";
  els.title.textContent = title;
  document.title = document.title.replace(/^[^·]*·/, `${title} ·`);
  if (!table) {
    els.meta.textContent = "";
    els.csv.hidden = true;
    els.table.replaceChildren();
    els.empty.hidden = true;
    els.hint.hidden = true;
    drawChart(null);
    return;
  }
  const { from, to } = table.filters ?? {};
  if (!state.from && from) els.from.value = from;
  if (!state.to && to) els.to.value = to;
  const range = from && to ? `${dayLabel(from, true)} 至 ${dayLabel(to, true)}` : "";
  els.meta.textContent = range;
  els.csv.hidden = false;
  els.csv.href = `/api/reports/${encodeURIComponent(table.name)}.csv?${filterQuery()}`;
  els.empty.hidden = table.rows.length > 0;
  els.hint.hidden = !table.rows.some((row) => row.drill);
  renderTable(table);
  drawChart(table);
}

function rowLabel(table, row) {
  return table.columns
    .filter((c) => !NUMERIC.has(c.kind))
    .map((c) => fmt(row[c.key], c.kind))
    .join(" · ");
}

function renderTable(table) {
  const { columns, rows, totals } = table;
  const head = h(
    "thead",
    {},
    h(
      "tr",
      {},
      ...columns.map((c) =>
        h(
          "th",
          { scope: "col", class: NUMERIC.has(c.kind) ? "num" : null, dataset: { key: c.key } },
          c.label,
        ),
      ),
    ),
  );
  const body = h(
    "tbody",
    {},
    ...rows.map((row) =>
      h(
        "tr",
        {},
        ...columns.map((c) => {
          const text = fmt(row[c.key], c.kind);
          if (!NUMERIC.has(c.kind)) return h("td", { dataset: { key: c.key } }, text);
          const value = row[c.key];
          const drillable = row.drill && value !== null && value !== undefined && Number(value) !== 0;
          const content = drillable
            ? h(
                "button",
                {
                  type: "button",
                  class: "drill-link",
                  title: `查看「${rowLabel(table, row)}」的明细`,
                  onclick: () => openDrill(table, row),
                },
                text,
              )
            : text;
          return h("td", { class: "num", dataset: { key: c.key } }, content);
        }),
      ),
    ),
  );
  const parts = [head, body];
  if (totals && Object.keys(totals).length && rows.length) {
    parts.push(
      h(
        "tfoot",
        {},
        h(
          "tr",
          {},
          ...columns.map((c, i) => {
            const attrs = { dataset: { key: c.key } };
            const total = fmt(totals[c.key], c.kind);
            if (c.key in totals) return h("td", { ...attrs, class: "num" }, total);
            return h("td", attrs, i === 0 ? "合计" : "");
          }),
        ),
      ),
    );
  }
  els.table.replaceChildren(...parts);
}

// ---- the chart ----

const MAX_CHART_ITEMS = 12; // bars or slices: the table below has them all

/** The rows a chart draws: for text categories the first (biggest) ones, a pie's rest as 其他. */
function chartRows(table) {
  const { chart: spec, rows } = table;
  const xKind = table.columns.find((c) => c.key === spec.x)?.kind ?? "text";
  if (xKind !== "text" || rows.length <= MAX_CHART_ITEMS) return rows;
  const top = rows.slice(0, MAX_CHART_ITEMS);
  if (spec.type !== "pie") return top;
  const key = spec.series[0];
  const rest = rows.slice(MAX_CHART_ITEMS).reduce((sum, row) => sum + (Number(row[key]) || 0), 0);
  return [...top, { [spec.x]: "其他", [key]: rest }];
}

/** A category's name on the chart; made unique with the next text column where needed. */
function categoryNames(table, rows) {
  const spec = table.chart;
  const xKind = table.columns.find((c) => c.key === spec.x)?.kind ?? "text";
  const names = rows.map((row) => fmt(row[spec.x], xKind));
  const other = table.columns.find((c) => c.key !== spec.x && c.kind === "text");
  if (!other || new Set(names).size === names.length) return names;
  return names.map((name, i) => `${name} · ${fmt(rows[i][other.key], "text")}`);
}

function drawChart(table) {
  const spec = table?.chart;
  if (!spec || !table.rows.length || !window.echarts) {
    els.chart.hidden = true;
    els.chartNote.hidden = true;
    if (chart) {
      chart.dispose();
      chart = null;
    }
    return;
  }
  const shown = chartRows(table);
  const horizontal = isHorizontal(table, shown);
  els.chart.hidden = false;
  els.chart.style.height = horizontal ? `${Math.max(320, shown.length * 30 + 60)}px` : "";
  const all = shown.length === table.rows.length && shown.every((row, i) => row === table.rows[i]);
  els.chartNote.hidden = all;
  els.chartNote.textContent = `图中为前 ${MAX_CHART_ITEMS} 项，完整数据见下表。`;
  if (!chart) chart = window.echarts.init(els.chart, null, { renderer: "canvas" });
  chart.setOption(chartOption(table, shown, horizontal), true);
  chart.resize();
  chart.off("click");
  chart.on("click", (params) => {
    const row = shown[params.dataIndex];
    if (row?.drill) openDrill(table, row);
  });
}

function isHorizontal(table, shown) {
  const xKind = table.columns.find((c) => c.key === table.chart.x)?.kind ?? "text";
  return table.chart.type === "bar" && xKind === "text" && shown.length > 6;
}

function chartOption(table, shown, horizontal) {
  const spec = table.chart;
  const byKey = Object.fromEntries(table.columns.map((c) => [c.key, c]));
  const xKind = byKey[spec.x]?.kind ?? "text";
  const series = spec.series.filter((key) => byKey[key]);
  const names = categoryNames(table, shown);
  if (spec.type === "pie") {
    const key = series[0];
    return {
      color: PALETTE,
      tooltip: {
        trigger: "item",
        renderMode: "richText", // drawn on the canvas: no HTML, no inline styles
        valueFormatter: (v) => fmt(v, byKey[key].kind),
      },
      legend: { type: "scroll", orient: "vertical", right: 8, top: "middle" },
      series: [
        {
          type: "pie",
          name: byKey[key].label,
          radius: ["35%", "68%"],
          center: ["40%", "50%"],
          label: { formatter: (p) => `${axisText(p.name, "text")}：${p.percent.toFixed(1)}%` },
          data: shown.map((row, i) => ({ name: names[i], value: row[key] })),
        },
      ],
    };
  }
  const kinds = [...new Set(series.map((key) => byKey[key].kind))];
  const left = kinds.find((k) => k !== "rate") ?? kinds[0];
  const right = kinds.includes("rate") && left !== "rate" ? "rate" : null;
  // durations are drawn in minutes or hours, so the axis has round steps
  const longest = Math.max(
    0,
    ...series
      .filter((key) => byKey[key].kind === "seconds")
      .flatMap((key) => shown.map((row) => Number(row[key]) || 0)),
  );
  const timeUnit = longest >= 3 * 3600 ? { s: 3600, word: "小时" } : { s: 60, word: "分钟" };
  const present = (value) => value !== null && value !== undefined;
  const scaled = (value, kind) =>
    kind === "seconds" && present(value) ? Number(value) / timeUnit.s : value;
  const axis = (kind) => ({
    type: "value",
    axisLabel: {
      formatter: (v) => (kind === "seconds" ? `${v}${timeUnit.word}` : axisText(v, kind)),
    },
    splitLine: { show: kind === left },
  });
  const text = xKind === "text";
  const categoryAxis = {
    type: "category",
    data: text ? names : shown.map((row) => axisText(row[spec.x], xKind)),
    inverse: horizontal, // the biggest on top
    axisLabel: {
      formatter: (name) => (text ? axisText(name, "text") : name), // the tooltip has it whole
      ...(horizontal ? {} : { interval: text ? 0 : "auto", rotate: text && shown.length > 6 ? 30 : 0 }),
    },
  };
  const valueAxes = right ? [axis(left), axis(right)] : [axis(left)];
  return {
    color: PALETTE,
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0 },
    grid: { left: 16, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: horizontal ? valueAxes : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxes,
    series: series.map((key) => {
      const kind = byKey[key].kind;
      const valueAxis = right && kind === "rate" ? 1 : 0;
      return {
        name: byKey[key].label,
        type: spec.type === "bar" ? "bar" : "line",
        barMaxWidth: 48,
        ...(horizontal ? { xAxisIndex: valueAxis } : { yAxisIndex: valueAxis }),
        data: shown.map((row) => scaled(row[key], kind)),
        tooltip: {
          valueFormatter: (v) => fmt(kind === "seconds" && present(v) ? v * timeUnit.s : v, kind),
        },
      };
    }),
  };
}

// ---- drill-down: the items behind a number ----

function closeDrill() {
  drill = null;
  els.panel.hidden = true;
  document.body.classList.remove("drill-open");
}

async function openDrill(table, row) {
  drill = { name: table.name, params: filterQuery(state, row.drill), offset: 0, total: 0 };
  els.drillTitle.textContent = `${table.title} · ${rowLabel(table, row)}`;
  els.drillSummary.textContent = "正在加载…";
  els.drillItems.replaceChildren();
  els.drillMore.hidden = true;
  els.panel.hidden = false;
  document.body.classList.add("drill-open");
  els.drillClose.focus();
  await loadDrillPage();
}

async function loadDrillPage() {
  const current = drill;
  if (!current) return;
  const query = new URLSearchParams(current.params);
  query.set("limit", String(DRILL_PAGE));
  query.set("offset", String(current.offset));
  try {
    const page = await api(`/api/reports/${encodeURIComponent(current.name)}/items?${query}`);
    if (drill !== current) return;
    current.total = page.total;
    current.offset += page.items.length;
    els.drillItems.append(...page.items.map(drillItem));
    els.drillSummary.textContent = page.total ? `共 ${page.total} 条` : "没有找到对应的明细。";
    els.drillMore.hidden = current.offset >= page.total || page.items.length === 0;
  } catch (error) {
    if (drill === current) els.drillSummary.textContent = errorText(error);
  }
}

function safeLink(link) {
  return typeof link === "string" && link.startsWith("/") && !link.startsWith("//") ? link : null;
}

function drillItem(item) {
  const link = safeLink(item.link);
  const title = item.title || ITEM_KINDS[item.kind] || "明细";
  return h(
    "li",
    { class: `drill-item kind-${item.kind}` },
    h(
      "div",
      { class: "drill-item-head" },
      h("span", { class: "badge" }, ITEM_KINDS[item.kind] ?? item.kind),
      h(link ? "a" : "span", { href: link, class: "drill-item-title" }, title),
      h("time", { datetime: item.at, class: "muted" }, fmtTime(item.at)),
    ),
    item.excerpt ? h("p", { class: "drill-excerpt" }, item.excerpt) : null,
  );
}

// ---- start ----

els.form.addEventListener("submit", (event) => {
  event.preventDefault();
  const view = formView();
  if (view.from && view.to && view.from > view.to) {
    showError("开始日期不能晚于结束日期。");
    return;
  }
  go(view);
});
els.category.addEventListener("change", fillProducts);
els.reset.addEventListener("click", () => {
  const cleared = Object.fromEntries(FILTERS.map((key) => [key, ""]));
  go({ ...cleared, report: state.report });
});
els.drillClose.addEventListener("click", closeDrill);
els.drillMore.addEventListener("click", loadDrillPage);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !els.panel.hidden) closeDrill();
});
window.addEventListener("popstate", () => {
  state = readUrl();
  if (!reports.some((r) => r.name === state.report)) state.report = reports[0]?.name ?? "";
  showState();
  load();
});
window.addEventListener("resize", () => chart?.resize());

async function start() {
  try {
    [reports, choices] = await Promise.all([api("/api/reports"), api("/api/reports/filters")]);
  } catch (error) {
    showError(errorText(error));
    els.title.textContent = "报表暂时无法加载";
    els.section.setAttribute("aria-busy", "false");
    return;
  }
  if (!reports.some((r) => r.name === state.report)) state.report = reports[0]?.name ?? "";
  renderChoices();
  showState();
  history.replaceState(null, "", pageUrl(state));
  if (!window.echarts) showError("图表暂时无法显示，下方表格不受影响。");
  load();
}

start();
