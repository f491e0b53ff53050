// Storefront chat widget: sends through POST /api/chat/{id}/messages and shows every message
// of the conversation from the server's stream (SSE), so agent replies and proactive
// follow-ups arrive too. The transcript is the source of truth: after a network drop the
// stream resumes from the last message id, and nothing is shown twice.
(function () {
  "use strict";
  const WHO = { bot: "智能客服", agent: "人工客服", system: "系统消息" };
  const storageKey = "kefu-conversation-id";
  const conversationId = localStorage.getItem(storageKey) ||
    (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)).replace(/[^A-Za-z0-9_-]/g, "");
  localStorage.setItem(storageKey, conversationId);
  const base = "/api/chat/" + conversationId;

  const $ = (id) => document.getElementById(id);
  const log = $("chat-log"), form = $("chat-form"), input = $("chat-input");
  const shown = new Set();
  let lastId = 0, stream = null;

  function render(message) {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    lastId = Math.max(lastId, message.id);
    const item = document.createElement("li");
    item.className = "msg " + message.sender;
    item.dataset.id = message.id;
    if (WHO[message.sender]) {
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = WHO[message.sender];
      item.appendChild(who);
    }
    const bubble = document.createElement("div");
    bubble.className = "bubble";
    bubble.textContent = message.text;
    item.appendChild(bubble);
    if (message.buttons && message.buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      message.buttons.forEach((b) => {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", () => send(b.title, b.payload));
        row.appendChild(button);
      });
      item.appendChild(row);
    }
    if (message.sender !== "shopper") refreshStatus();  // an agent answered, or handed back
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  // The header says who answers now: the bot, or a person (named once one has answered).
  async function refreshStatus() {
    try {
      const response = await fetch(base + "/status");
      if (!response.ok) return;
      const status = await response.json();
      const label = status.handled_by === "human"
        ? "人工客服 · " + (status.agent || "排队中")
        : "机器人助手";
      $("chat-status").textContent = label;
      $("chat-status").dataset.handledBy = status.handled_by;
    } catch (error) { /* offline: the banner says so; the next message refreshes */ }
  }

  async function catchUp() {
    const response = await fetch(base + "/messages?after=" + lastId);
    if (response.ok) (await response.json()).forEach(render);
  }

  function connect() {
    if (stream) stream.close();
    stream = new EventSource(base + "/events?after=" + lastId);
    stream.addEventListener("message", (event) => render(JSON.parse(event.data)));
    stream.onopen = () => { $("chat-offline").hidden = true; };
    stream.onerror = () => { $("chat-offline").hidden = false; };  // EventSource retries itself
  }

  // `text` is what the shopper sees they sent; a button may carry a different `payload` for the bot.
  async function send(text, payload) {
    text = (text || "").trim();
    if (!text) return;
    input.value = "";
    const body = payload && payload !== text ? { text: text, payload: payload } : { text: text };
    try {
      const response = await fetch(base + "/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error("HTTP " + response.status);
      await response.json();
      await catchUp();  // the stream delivers too; this covers a stream that is reconnecting
      refreshStatus();  // the bot may have handed over
    } catch (error) {
      if (!payload) input.value = text;  // keep what the shopper wrote so it can be sent again
      $("chat-offline").hidden = false;
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); send(input.value); });
  $("chat-open").addEventListener("click", async () => {
    $("chat").hidden = false;
    $("chat-open").hidden = true;
    await catchUp();
    connect();
    refreshStatus();
    if (lastId === 0 && !log.children.length) {
      render({ id: 0, sender: "bot", text: "您好，我是智能客服小悦～查订单、问商品、售后问题都可以直接发给我哦。", buttons: [] });
    }
    input.focus();
  });
  $("chat-close").addEventListener("click", () => {
    $("chat").hidden = true;
    $("chat-open").hidden = false;
  });
  window.addEventListener("offline", () => {
    $("chat-offline").hidden = false;
    if (stream) { stream.close(); stream = null; }
  });
  window.addEventListener("online", async () => {
    if ($("chat").hidden) return;
    await catchUp();  // what arrived while the network was down
    connect();
  });
})();
