// Storefront chat widget: sends through POST /api/chat/{id}/messages and shows every message
// of the conversation from the server's stream (SSE), so agent replies and proactive
// follow-ups arrive too. The transcript is the source of truth: after a network drop the
// stream resumes from the last message id, and nothing is shown twice.
// The server issues the conversation (POST /api/chat): the widget keeps its id; its secret
// stays in an HttpOnly cookie that fetch and EventSource send by themselves (same origin).
(function () {
  "use strict";
  const WHO = { bot: "智能客服", agent: "人工客服", system: "系统消息" };
  const storageKey = "kefu-conversation-id";
  let conversationId = localStorage.getItem(storageKey);
  let base = conversationId ? "/api/chat/" + conversationId : null;

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
    if (!base) return;
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

  // Returns the response's status: 404 when the server does not know the conversation as ours.
  async function catchUp() {
    const response = await fetch(base + "/messages?after=" + lastId);
    if (response.ok) (await response.json()).forEach(render);
    return response.status;
  }

  // A new conversation from the server: its id kept here, its secret set as a cookie.
  async function start() {
    const response = await fetch("/api/chat", { method: "POST" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    conversationId = (await response.json()).id;
    localStorage.setItem(storageKey, conversationId);
    base = "/api/chat/" + conversationId;
  }

  // The kept conversation, caught up; a new one when there is none or the server answers 404
  // for it (the cookie was cleared, or the conversation predates issued ones).
  async function resume() {
    if (!base || (await catchUp()) === 404) await start();
  }

  // Opening the widget resumes or starts the conversation once; whoever needs it (the open
  // button, a message typed before the server answered, coming back online) waits for the
  // same attempt, so a quick shopper never starts a second conversation whose secret
  // replaces the first one's cookie. A failed attempt is forgotten, so the next one retries.
  let opening = null;
  function open() {
    if (!opening) {
      opening = resume().then(connect);
      opening.catch(() => { opening = null; });
    }
    return opening;
  }

  // EventSource retries a dropped connection itself, but gives up for good on an answer other
  // than 200 (a 503 while the database restarts, a 429): then the widget opens a new one, a
  // little later each time (2 s doubling to 30 s), catching up from the last message it showed.
  let retryMs = 2000, retryTimer = null;
  function connect() {
    clearTimeout(retryTimer);
    if (stream) stream.close();
    stream = new EventSource(base + "/events?after=" + lastId);
    stream.addEventListener("message", (event) => render(JSON.parse(event.data)));
    stream.onopen = () => { $("chat-offline").hidden = true; retryMs = 2000; };
    stream.onerror = () => {
      $("chat-offline").hidden = false;
      if (stream.readyState !== EventSource.CLOSED || !navigator.onLine) return;
      retryTimer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    };
  }

  // `text` is what the shopper sees they sent; a button may carry a different `payload` for the bot.
  let slowTimer = null;
  function tooFast(seconds) {
    seconds = Math.min(Math.max(Math.ceil(seconds), 1), 60);
    $("chat-slow-s").textContent = String(seconds);
    $("chat-slow").hidden = false;
    clearTimeout(slowTimer);
    slowTimer = setTimeout(() => { $("chat-slow").hidden = true; }, seconds * 1000);
  }

  async function send(text, payload) {
    text = (text || "").trim();
    if (!text) return;
    input.value = "";
    const body = payload && payload !== text ? { text: text, payload: payload } : { text: text };
    try {
      await open();  // still starting, or opened while offline
      const response = await fetch(base + "/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.status === 429) {  // too many messages: say how long to wait, keep the text
        if (!payload) input.value = text;
        tooFast(Number(response.headers.get("Retry-After")) || 5);
        return;
      }
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
    try {
      await open();
    } catch (error) { $("chat-offline").hidden = false; }
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
    try {
      const wasOpen = opening;
      await open();  // opened while offline: starts now (and connects)
      if (wasOpen) { await catchUp(); connect(); }  // what arrived while the network was down
    } catch (error) { /* still offline: the banner stays */ }
  });
})();
