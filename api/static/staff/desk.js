// The agent desk: the inbox (refreshes itself) and one conversation (live transcript, reply
// with canned answers, private notes, the verified order, take / release / hand back / resolve).
// Chat text is untrusted: it only ever becomes text nodes through h().

import { teachControl } from "/static/staff/corrections.js";
import { api, errorText, fmtDuration, fmtTime, h, pageLabels, readOnly, toast } from "/static/staff/staff.js";

const INBOX_POLL_MS = 5000;
const CHAT_POLL_MS = 3000;
const CANNED_DELAY_MS = 250;

const conversationPath = (id) => `/desk/conversations/${encodeURIComponent(id)}`;
const agentApi = (id, action = "") =>
  `/api/agent/conversations/${encodeURIComponent(id)}${action ? `/${action}` : ""}`;
const MOOD_BADGE = { angry: "bad", upset: "warn", no_sign: "" };

// --- the inbox ------------------------------------------------------------------------------

function startInbox(root) {
  const rows = document.getElementById("inbox-rows");
  const empty = document.getElementById("inbox-empty");
  let filter = "all";
  let items = [];

  const shown = () =>
    items.filter((i) => filter === "all" || (filter === "open" ? i.status === "open" : i.mine));

  function moodCell(item) {
    const badge = h("span", { class: `badge ${MOOD_BADGE[item.mood] ?? ""}` }, item.mood_label);
    return h("td", { title: item.mood_cue ?? "" }, badge);
  }

  function actionCell(item) {
    if (item.status === "open") {
      const take = h("button", { type: "button", class: "btn primary take" }, "接入");
      take.addEventListener("click", async (event) => {
        event.stopPropagation();
        take.disabled = true;
        try {
          await api(agentApi(item.conversation_id, "take"), { method: "POST" });
          window.location.assign(conversationPath(item.conversation_id));
        } catch (error) {
          toast(errorText(error), "error");
          refresh();
        }
      });
      return h("td", {}, take);
    }
    const open = h("a", { class: "btn", href: conversationPath(item.conversation_id) }, "打开");
    return h("td", {}, open);
  }

  function row(item) {
    const state = item.status === "open"
      ? h("span", { class: "badge warn" }, item.status_label)
      : h("span", { class: `badge ${item.mine ? "ok" : ""}` }, item.mine ? "我在处理" : `${item.taken_by} 处理中`);
    const reason = [item.reason_label, item.reason_detail_label].filter(Boolean).join("：");
    const tr = h(
      "tr",
      { class: "clickable", dataset: { conversationId: item.conversation_id } },
      moodCell(item),
      h("td", {}, reason, item.detail ? h("div", { class: "muted small" }, item.detail) : null),
      h("td", { class: "last" }, item.last_shopper_text ?? "—",
        item.unanswered ? h("span", { class: "badge bad unanswered" }, `${item.unanswered}条未回`) : null),
      h("td", { class: "num" }, fmtDuration(item.waiting_seconds)),
      h("td", {}, item.order_no ?? "—"),
      h("td", {}, item.open_case ? `#${item.open_case.id} ${item.open_case.kind_label}` : "—"),
      h("td", {}, state),
      actionCell(item),
    );
    tr.addEventListener("click", () => window.location.assign(conversationPath(item.conversation_id)));
    return tr;
  }

  function draw() {
    const list = shown();
    rows.replaceChildren(...list.map(row));
    empty.hidden = list.length > 0;
    const counts = {
      all: items.length,
      open: items.filter((i) => i.status === "open").length,
      mine: items.filter((i) => i.mine).length,
    };
    for (const [key, count] of Object.entries(counts)) {
      root.querySelector(`[data-count="${key}"]`).textContent = String(count);
    }
  }

  async function refresh() {
    try {
      items = await api("/api/agent/inbox");
      draw();
      document.getElementById("refreshed").textContent =
        `每 5 秒自动刷新 · ${fmtTime(new Date().toISOString())}`;
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  for (const button of root.querySelectorAll("button.filter")) {
    button.addEventListener("click", () => {
      filter = button.dataset.filter;
      for (const other of root.querySelectorAll("button.filter")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      draw();
    });
  }
  refresh();
  setInterval(refresh, INBOX_POLL_MS);
}

// --- one conversation -----------------------------------------------------------------------

function startConversation(root) {
  const id = root.dataset.conversationId;
  const me = root.dataset.me;
  const supervises = root.dataset.supervises === "true";
  const label = pageLabels(root);
  const transcript = document.getElementById("transcript");
  const replyText = document.getElementById("reply-text");
  const send = document.getElementById("send");
  const hint = document.getElementById("reply-hint");
  const buttons = Object.fromEntries(
    ["take", "release", "hand-back", "resolve"].map((b) => [b, document.getElementById(b)]),
  );
  let lastId = 0;
  let view = null;

  function message(m) {
    const who = label("Sender", m.sender);
    return h(
      "li",
      { class: `msg ${m.sender}`, dataset: { id: String(m.id) } },
      h("div", { class: "meta" }, `${who} · ${fmtTime(m.created_at)}`),
      h("div", { class: "bubble" }, m.text),
      // a shopper's line the bot misunderstood: mark what it should have understood
      m.sender === "shopper" && !readOnly ? teachControl({ id: m.id, text: m.text }) : null,
    );
  }

  function drawState() {
    const state = document.getElementById("chat-state");
    const mine = view.taken_by === me;
    let text;
    if (view.status === "resolved") text = view.status_label;
    else if (view.waiting) text = "待接入";
    else if (view.taken_by) text = mine ? "我在处理" : `${view.taken_by} 处理中`;
    else text = "机器人接待中";
    state.textContent = text;
    state.className = `badge ${view.waiting ? "warn" : mine ? "ok" : ""}`;
    const withPerson = view.handled_by === "human";
    const mayAct = mine || supervises;
    buttons.take.hidden = !view.waiting;
    buttons.release.hidden = !(withPerson && view.taken_by && mayAct);
    buttons["hand-back"].hidden = !(withPerson && (mayAct || !view.taken_by));
    buttons.resolve.hidden = view.status === "resolved" || !(mayAct || !view.taken_by);
    const canReply = withPerson && (!view.taken_by || mayAct);
    send.disabled = !canReply;
    hint.textContent = !withPerson
      ? "机器人正在接待，顾客转人工后才能回复"
      : view.taken_by && !mayAct
        ? `${view.taken_by} 正在处理这个会话`
        : view.waiting ? "发送回复即接入这个会话" : "";
  }

  async function refresh() {
    try {
      view = await api(agentApi(id));
    } catch (error) {
      toast(errorText(error), "error");
      return;
    }
    const fresh = view.messages.filter((m) => m.id > lastId);
    if (fresh.length) {
      const follow = lastId === 0 ||
        transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
      transcript.append(...fresh.map(message));
      lastId = fresh[fresh.length - 1].id;
      if (follow) transcript.scrollTop = transcript.scrollHeight;
    }
    drawState();
  }

  async function act(action, question) {
    if (question && !window.confirm(question)) return;
    try {
      await api(agentApi(id, action), { method: "POST" });
      if (action === "release" || action === "resolve") {
        toast(action === "release" ? "已放回队列" : "已标记为已解决");
      }
    } catch (error) {
      toast(errorText(error), "error");
    }
    refresh();
  }

  buttons.take.addEventListener("click", () => act("take"));
  buttons.release.addEventListener("click", () => act("release"));
  buttons["hand-back"].addEventListener("click", () =>
    act("hand-back", "确定转回机器人吗？顾客之后的消息将由机器人回答。"));
  buttons.resolve.addEventListener("click", () =>
    act("resolve", "确定标记为已解决吗？会话将转回机器人，顾客再发消息时会重新打开。"));

  document.getElementById("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = replyText.value.trim();
    if (!text) return;
    send.disabled = true;
    try {
      await api(agentApi(id, "messages"), { method: "POST", body: { text } });
      replyText.value = "";
    } catch (error) {
      toast(errorText(error), "error");
    }
    await refresh();
  });
  replyText.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      document.getElementById("reply-form").requestSubmit();
    }
  });

  if (!readOnly) {  // a manager reading the record: no replies, no saved replies
    startCanned(replyText);
    startSaved(replyText);
  }
  startNotes(id);
  drawOrder(id);
  refresh();
  setInterval(refresh, CHAT_POLL_MS);
}

function startCanned(replyText) {
  const input = document.getElementById("canned-q");
  const list = document.getElementById("canned-list");
  let timer = null;
  let asked = 0;

  async function search() {
    const q = input.value.trim();
    const ticket = ++asked;
    if (!q) {
      list.hidden = true;
      return;
    }
    try {
      const found = await api(`/api/agent/canned?q=${encodeURIComponent(q)}`);
      if (ticket !== asked) return; // an older answer arriving late
      list.replaceChildren(
        ...found.map((c) => {
          const item = h(
            "li",
            { class: "canned-item", tabindex: "0", dataset: { kind: c.kind } },
            h("span", { class: `badge ${c.kind === "saved" ? "ok" : ""}` }, c.kind_label),
            h("strong", {}, c.title),
            h("div", { class: "muted small" }, c.text),
          );
          const use = () => {
            replyText.value = c.text;
            list.hidden = true;
            replyText.focus();
          };
          item.addEventListener("click", use);
          item.addEventListener("keydown", (e) => e.key === "Enter" && use());
          return item;
        }),
      );
      if (!found.length) list.replaceChildren(h("li", { class: "muted" }, "没有找到，换个关键词试试"));
      list.hidden = false;
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, CANNED_DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") list.hidden = true;
    if (event.key === "ArrowDown") list.querySelector(".canned-item")?.focus();
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".canned")) list.hidden = true;
  });
}

function startNotes(id) {
  const list = document.getElementById("notes");
  const text = document.getElementById("note-text");

  async function load() {
    try {
      const notes = await api(agentApi(id, "notes"));
      list.replaceChildren(
        ...notes.map((n) =>
          h("li", {}, h("div", { class: "meta" }, `${n.author} · ${fmtTime(n.created_at)}`), h("div", {}, n.text)),
        ),
      );
      if (!notes.length) list.replaceChildren(h("li", { class: "muted" }, "还没有备注"));
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  document.getElementById("note-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!text.value.trim()) return;
    try {
      await api(agentApi(id, "notes"), { method: "POST", body: { text: text.value } });
      text.value = "";
      load();
    } catch (error) {
      toast(errorText(error), "error");
    }
  });
  load();
}

function startSaved(replyText) {
  const list = document.getElementById("saved");
  const title = document.getElementById("saved-title");
  const text = document.getElementById("saved-text");

  async function load() {
    try {
      const saved = await api("/api/agent/saved-replies");
      list.replaceChildren(
        ...saved.map((r) => {
          const insert = h("button", { type: "button", class: "btn link" }, "插入");
          insert.addEventListener("click", () => {
            replyText.value = r.text;
            replyText.focus();
          });
          const remove = h("button", { type: "button", class: "btn link danger" }, "删除");
          remove.addEventListener("click", async () => {
            if (!window.confirm(`删除快捷回复「${r.title}」？全组都将看不到它。`)) return;
            try {
              await api(`/api/agent/saved-replies/${r.id}`, { method: "DELETE" });
              load();
            } catch (error) {
              toast(errorText(error), "error");
            }
          });
          return h("li", { title: r.text }, h("strong", {}, r.title), " ", insert, remove);
        }),
      );
      if (!saved.length) list.replaceChildren(h("li", { class: "muted" }, "还没有快捷回复"));
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  document.getElementById("save-reply").addEventListener("click", () => {
    document.getElementById("saved-new").open = true;
    text.value = replyText.value;
    title.focus();
  });
  document.getElementById("saved-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("/api/agent/saved-replies", {
        method: "POST",
        body: { title: title.value.trim(), text: text.value.trim() },
      });
      title.value = "";
      text.value = "";
      toast("已保存为快捷回复");
      load();
    } catch (error) {
      toast(errorText(error), "error");
    }
  });
  load();
}

async function drawOrder(id) {
  const box = document.getElementById("order");
  let order;
  try {
    ({ order } = await api(agentApi(id, "order")));
  } catch (error) {
    box.replaceChildren(h("p", { class: "error" }, errorText(error)));
    return;
  }
  if (!order) {
    box.replaceChildren(h("p", { class: "muted" }, "顾客在这次会话中还没有验证订单。"));
    return;
  }
  const facts = h(
    "dl",
    { class: "facts" },
    h("dt", {}, "订单号"), h("dd", {}, order.order_no),
    h("dt", {}, "状态"), h("dd", {}, h("span", { class: "badge" }, order.status_label)),
    h("dt", {}, "下单时间"), h("dd", {}, fmtTime(order.placed_at)),
    h("dt", {}, "实付"), h("dd", {}, `¥${order.total_amount}（${order.payment_method}）`),
    h("dt", {}, "收货人"), h("dd", {}, `${order.receiver_name}（尾号${order.phone_tail}）`),
    h("dt", {}, "地址"), h("dd", {}, order.shipping_address),
  );
  const lines = h(
    "ul",
    { class: "lines" },
    order.lines.map((l) =>
      h("li", {}, `${l.product}（${l.variant}）× ${l.quantity}`, h("span", { class: "muted" }, ` ¥${l.unit_price}`)),
    ),
  );
  const parcels = order.parcels.map((p) =>
    h(
      "div",
      { class: "parcel" },
      h("h3", {}, `${p.carrier} ${p.tracking_no} `, h("span", { class: "badge" }, p.status_label)),
      h(
        "ol",
        { class: "timeline" },
        p.scans.map((s) =>
          h("li", {}, h("span", { class: "muted" }, fmtTime(s.occurred_at)), ` ${s.location} ${s.description}`),
        ),
      ),
    ),
  );
  const afterSales = order.after_sales.map((a) =>
    h("li", {}, `${a.kind_label} · ${a.status_label} · ¥${a.amount}`, h("div", { class: "muted small" }, a.reason)),
  );
  const cases = order.cases.map((c) =>
    h(
      "li",
      {},
      h("span", { class: `badge ${c.status === "open" ? "warn" : "ok"}` }, c.status_label),
      ` #${c.id} ${c.kind_label}`,
      h("div", { class: "muted small" },
        `${c.remedy_labels.join("、")}${c.status === "open" ? ` · 承诺 ${fmtTime(c.reply_by)} 前答复` : ""}` +
        (c.chased ? ` · 顾客催了${c.chased}次` : "")),
    ),
  );
  const none = (text) => h("p", { class: "muted" }, text);
  box.replaceChildren(
    ...[
      facts,
      h("h3", {}, "商品"), lines,
      h("h3", {}, "物流"), parcels.length ? parcels : none("尚未发货"),
      h("h3", {}, "售后"), afterSales.length ? h("ul", { class: "plain" }, afterSales) : none("无"),
      h("h3", {}, "物流跟进单"), cases.length ? h("ul", { class: "plain" }, cases) : none("无"),
    ].flat(),
  );
}

const inboxRoot = document.getElementById("inbox");
if (inboxRoot) startInbox(inboxRoot);
const conversationRoot = document.getElementById("conversation");
if (conversationRoot) startConversation(conversationRoot);
