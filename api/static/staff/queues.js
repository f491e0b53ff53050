// The queues of recurring issues (/desk/queues): product, logistics and service items with a
// trend sparkline (an SVG built with DOM calls), sample evidence and links; acknowledge,
// assign, close. Evidence is shoppers' and reviewers' text: text nodes only.
import { api, causeText, errorText, fmtTime, h, pageLabels, toast } from "/static/staff/staff.js";

const SVG = "http://www.w3.org/2000/svg";
const STATE_BADGE = { open: "bad", acknowledged: "warn", assigned: "", closed: "ok" };
const DIRECTION = { rising: "↑ 上升", falling: "↓ 下降", steady: "→ 持平" };

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

/** A sparkline of day counts: a line over the days, the last day's dot, a title with totals. */
export function sparkline(days, width = 160, height = 36) {
  const counts = days.map((d) => d.count);
  const max = Math.max(1, ...counts);
  const step = counts.length > 1 ? (width - 4) / (counts.length - 1) : 0;
  const points = counts.map((count, i) => [2 + i * step, height - 3 - (count / max) * (height - 6)]);
  const chart = svg("svg", {
    width, height, viewBox: `0 0 ${width} ${height}`, class: "sparkline", role: "img",
    "aria-label": `近${days.length}天每日投诉：${counts.join("、")}`,
  });
  const title = svg("title");
  title.textContent = days.map((d) => `${d.day}: ${d.count}`).join("\n");
  chart.append(title);
  chart.append(svg("line", { x1: 0, y1: height - 3, x2: width, y2: height - 3, class: "baseline" }));
  if (points.length) {
    chart.append(svg("polyline", { points: points.map((p) => p.join(",")).join(" "), class: "trend" }));
    const [x, y] = points[points.length - 1];
    chart.append(svg("circle", { cx: x, cy: y, r: 2.5, class: "last" }));
  }
  return chart;
}

function queuesPage(root) {
  const label = pageLabels(root);
  const stateFilter = root.querySelector("#state-filter");
  const tabs = [...root.querySelectorAll("#queue-tabs [data-queue]")];
  const box = root.querySelector("#items");
  const count = root.querySelector("#count");
  const params = new URLSearchParams(location.search);
  let queue = params.get("queue") || "product";

  async function load() {
    for (const tab of tabs) {
      const on = tab.dataset.queue === queue;
      tab.classList.toggle("primary", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
    }
    const query = new URLSearchParams();
    if (stateFilter.value) query.set("state", stateFilter.value);
    let items;
    try {
      items = await api(`/api/queues/${queue}/items?${query}`);
    } catch (error) {
      box.replaceChildren(h("p", { class: "error" }, errorText(error)));
      return;
    }
    count.textContent = `共 ${items.length} 项`;
    box.replaceChildren(...(items.length ? items.map(card) : [h("p", { class: "empty" }, "这个队列现在没有事项")]));
  }

  async function act(item, path, body, done) {
    try {
      const updated = await api(`/api/queues/items/${item.id}/${path}`, { method: "POST", body });
      toast(done);
      return updated;
    } catch (error) {
      toast(errorText(error), "error");
      await load();
      return null;
    }
  }

  function card(item) {
    const node = h("article", { class: "card queue-item", dataset: { item: item.id } });
    fill(node, item);
    return node;
  }

  function fill(node, item) {
    const where = [item.product_id && `商品 ${item.product_id}`, item.carrier, item.region].filter(Boolean).join(" · ");
    const trend = item.trend;
    const head = h(
      "header",
      { class: "item-head" },
      h("div", {},
        h("h2", {}, causeText(label, item.cause), " ", h("span", { class: `badge ${STATE_BADGE[item.state] ?? ""}` }, label("ItemState", item.state))),
        h("p", { class: "muted" }, where || "—", ` · 首次 ${fmtTime(item.first_complaint_at)} · 最近 ${fmtTime(item.last_complaint_at)}`),
      ),
      h("div", { class: "item-trend" },
        h("div", { class: "count" }, h("strong", {}, String(item.complaint_count)), " 次投诉"),
        sparkline(trend.days),
        h("div", { class: `direction ${trend.direction}` },
          `${DIRECTION[trend.direction] ?? trend.direction} · 近${trend.window_days}天 ${trend.this_window} 次，再往前${trend.window_days}天 ${trend.previous_window} 次`),
      ),
    );
    const samples = h("ul", { class: "samples" }, ...item.samples.map((s) => h("li", {}, h("q", {}, s.excerpt), h("span", { class: "muted" }, ` ${fmtTime(s.occurred_at)}`))));
    const links = item.links;
    const linkLine = h(
      "p", { class: "links" },
      ...links.review_ids.slice(0, 20).map((id) => [h("a", { href: `/desk/reviews/${id}` }, `评价 #${id}`), " "]),
      ...links.case_ids.slice(0, 10).map((id) => h("span", { class: "badge" }, `物流跟进单 #${id}`)),
      ...links.conversation_ids.slice(0, 10).map((id) => h("span", { class: "badge" }, `会话 ${id.slice(0, 8)}`)),
      ...links.order_nos.slice(0, 10).map((no) => h("span", { class: "badge" }, `订单 ${no}`)),
    );
    const actions = h("div", { class: "actions" });
    if (item.state === "open") {
      actions.append(h("button", { type: "button", class: "btn", "data-action": "acknowledge", onclick: async () => {
        const updated = await act(item, "acknowledge", undefined, "已确认查看");
        if (updated) fill(node, updated);
      } }, "确认已查看"));
    }
    if (item.state !== "closed") {
      const assignee = h("input", { type: "text", maxlength: 64, placeholder: "指派给（花名或团队）", "aria-label": "指派给", value: item.assignee ?? "" });
      actions.append(
        h("form", { class: "inline-form", onsubmit: async (event) => {
          event.preventDefault();
          const name = assignee.value.trim();
          if (!name) return toast("请填写要指派的人", "error");
          const updated = await act(item, "assign", { assignee: name }, `已指派给 ${name}`);
          if (updated) fill(node, updated);
        } }, assignee, h("button", { type: "submit", class: "btn" }, item.assignee ? "改派" : "指派")),
        h("button", { type: "button", class: "btn danger", "data-action": "close", onclick: async () => {
          const note = window.prompt("关闭这个事项？可以写一句处理结果（选填，最多500字）：", "");
          if (note === null) return;
          const updated = await act(item, "close", note.trim() ? { note: note.trim().slice(0, 500) } : undefined, "已关闭");
          if (updated) fill(node, updated);
        } }, "关闭"),
      );
    }
    const footer = [
      item.assignee ? h("p", { class: "muted" }, `负责人：${item.assignee}`) : null,
      item.close_note ? h("p", { class: "muted" }, `处理结果：${item.close_note}`) : null,
    ];
    node.replaceChildren(head, samples, linkLine, ...footer.filter(Boolean), actions);
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => {
      queue = tab.dataset.queue;
      history.replaceState(null, "", `?queue=${queue}`);
      load();
    });
  }
  stateFilter.addEventListener("change", load);
  load();
}

const root = document.getElementById("queues");
if (root) queuesPage(root);
