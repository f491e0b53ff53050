// The alert channels page: each channel on or off with its deliveries, and the dead letters,
// each retried by the admin once its channel is fixed.
import { api, errorText, fmtTime, h, toast } from "/static/staff/staff.js";

const channelRows = document.getElementById("channels");
const deadRows = document.getElementById("dead");

function empty(columns, text) {
  return h("tr", {}, h("td", { colspan: columns, class: "empty" }, text));
}

async function drawChannels() {
  const found = await api("/api/admin/alert-channels");
  channelRows.replaceChildren(
    ...(found.length ? found.map((c) => h(
      "tr", { dataset: { channel: c.name } },
      h("td", {}, c.name),
      h("td", {}, c.kind_label),
      h("td", {}, c.on
        ? h("span", { class: "badge ok" }, "已开启")
        : h("span", { class: "badge", title: `设置环境变量 ${c.address_variable} 后开启` }, `未开启（${c.address_variable}）`)),
      h("td", {}, `${c.min_severity_label}及以上`),
      h("td", { class: "num" }, c.deliveries.pending + c.deliveries.sending),
      h("td", { class: "num" }, c.deliveries.sent),
      h("td", { class: "num" }, c.deliveries.dead
        ? h("span", { class: "badge bad" }, c.deliveries.dead) : "0"),
    )) : [empty(7, "还没有配置提醒渠道。")]),
  );
}

async function retry(item, button) {
  button.disabled = true;
  try {
    await api(`/api/outbox/${item.id}/retry`, { method: "POST" });
    toast(`已重新加入发送队列：评价 #${item.subject_id} → ${item.destination}`);
    await Promise.all([drawChannels(), drawDead()]);
  } catch (error) {
    toast(errorText(error), "error");
    button.disabled = false;
  }
}

async function drawDead() {
  const dead = await api("/api/outbox?state=dead&limit=200");
  const alerts = dead.filter((item) => item.topic === "review_alert");
  deadRows.replaceChildren(
    ...(alerts.length ? alerts.map((item) => {
      const button = h("button", { type: "button", class: "btn" }, "重试");
      button.addEventListener("click", () => retry(item, button));
      return h(
        "tr", { dataset: { id: String(item.id) } },
        h("td", {}, fmtTime(item.created_at)),
        h("td", {}, item.destination),
        h("td", {}, `#${item.subject_id}`),
        h("td", { class: "num" }, item.attempts),
        h("td", { class: "error" }, item.last_error ?? ""),
        h("td", {}, button),
      );
    }) : [empty(6, "没有发送失败的提醒。")]),
  );
}

Promise.all([drawChannels(), drawDead()]).catch((error) => toast(errorText(error), "error"));
