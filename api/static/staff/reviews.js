// The review worklist (/desk/reviews) and one negative review (/desk/reviews/{number}).
// Review text is untrusted: it only ever becomes text nodes; evidence is highlighted by
// splitting the text into text nodes and <mark> elements, never by parsing HTML.
import { api, causeText, errorText, fmtDuration, fmtTime, h, pageLabels, toast } from "/static/staff/staff.js";

const BASE = "/api/negative-reviews";
const SEVERITY_BADGE = { critical: "bad", high: "bad", medium: "warn", low: "" };

function stars(rating) {
  return rating ? "★".repeat(rating) + "☆".repeat(5 - rating) : "";
}

/** Text split into text nodes and <mark>s at the given [start, end) ranges (overlaps merged). */
export function highlighted(text, ranges, title = () => null) {
  const sorted = ranges
    .filter((r) => r.end > r.start && r.start >= 0 && r.end <= text.length)
    .sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  for (const range of sorted) {
    if (range.start < at) continue;
    if (range.start > at) parts.push(text.slice(at, range.start));
    parts.push(h("mark", { title: title(range) }, text.slice(range.start, range.end)));
    at = range.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/** Where each cause's evidence clause lies in `text`. */
function evidenceRanges(text, evidence) {
  const ranges = [];
  for (const [cause, clause] of Object.entries(evidence ?? {})) {
    if (!clause) continue;
    const start = text.indexOf(clause);
    if (start >= 0) ranges.push({ start, end: start + clause.length, cause });
  }
  return ranges;
}

// --- the worklist ----------------------------------------------------------------------------

function worklistPage(root) {
  const label = pageLabels(root);
  const form = root.querySelector("#filters");
  const rows = root.querySelector("#rows");
  const count = root.querySelector("#count");

  async function load() {
    const params = new URLSearchParams();
    params.set("waiting", form.waiting.checked ? "true" : "false");
    if (form.severity.value) params.set("severity", form.severity.value);
    let items;
    try {
      items = await api(`${BASE}?${params}`);
    } catch (error) {
      rows.replaceChildren(h("tr", {}, h("td", { colspan: 7, class: "error" }, errorText(error))));
      return;
    }
    count.textContent = `共 ${items.length} 条`;
    if (!items.length) {
      rows.replaceChildren(h("tr", {}, h("td", { colspan: 7, class: "empty" }, "没有要处理的中差评")));
      return;
    }
    rows.replaceChildren(...items.map((item) => row(item)));
  }

  function row(item) {
    const href = `/desk/reviews/${item.number}`;
    const tr = h(
      "tr",
      { class: "clickable", dataset: { number: item.number } },
      h("td", {}, h("span", { class: `badge ${SEVERITY_BADGE[item.severity] ?? ""}` }, label("SeverityLevel", item.severity))),
      h(
        "td",
        { class: "review-cell" },
        h("a", { href }, `#${item.number}`),
        " ",
        h("span", { class: "stars" }, stars(item.rating)),
        " ",
        h("span", { class: "muted" }, item.platform),
        h("div", { class: "snippet" }, item.text),
      ),
      h("td", {}, (item.sub_causes.length ? item.sub_causes : item.causes).map((c) => h("div", {}, causeText(label, c)))),
      h("td", {}, item.product_name ?? item.product_id ?? "—"),
      h("td", { class: "num" }, item.contacted ? h("span", { class: "muted" }, "已联系") : fmtDuration(item.waiting_s)),
      h("td", {}, item.offer ?? "—", item.offer_state ? h("div", { class: "muted" }, label("OfferState", item.offer_state)) : null),
      h("td", {}, item.reply_state ? label("ReplyState", item.reply_state) : "—"),
    );
    tr.addEventListener("click", (event) => {
      if (event.target.closest("a")) return;
      window.location.assign(href);
    });
    return tr;
  }

  form.addEventListener("change", load);
  form.addEventListener("submit", (event) => event.preventDefault());
  load();
}

// --- one review --------------------------------------------------------------------------------

function detailPage(root) {
  const label = pageLabels(root);
  const number = root.dataset.number;
  const supervisor = root.dataset.supervisor === "yes";
  const $ = (selector) => root.querySelector(selector);
  let review = null;

  async function load() {
    try {
      review = await api(`${BASE}/${number}`);
    } catch (error) {
      $("#load-error").textContent = errorText(error);
      $("#load-error").hidden = false;
      return;
    }
    show();
  }

  async function step(path, options, done) {
    try {
      const result = await api(`${BASE}/${number}/${path}`, options);
      if (done) toast(done);
      return result;
    } catch (error) {
      toast(errorText(error), "error");
      if (error.status === 409) await load(); // the state moved on (or a redraft was kept)
      return null;
    }
  }

  function show() {
    const severity = $("#severity");
    severity.className = `badge ${SEVERITY_BADGE[review.severity] ?? ""}`;
    severity.textContent = label("SeverityLevel", review.severity);
    showReview();
    showAnalysis();
    showReply();
    showOffer();
    showContacts();
    showAlerts();
  }

  function showReview() {
    const meta = [
      review.platform,
      stars(review.rating),
      review.product_name ?? review.product_id,
      review.order_id ? `订单 ${review.order_id}` : null,
      `收到于 ${fmtTime(review.received_at)}`,
      review.contacted ? "已联系顾客" : `已等待 ${fmtDuration(review.waiting_s)}`,
    ].filter(Boolean);
    $("#review-meta").textContent = meta.join(" · ");
    const causeOf = (range) => causeText(label, range.cause);
    $("#review-text").replaceChildren(...highlighted(review.text, evidenceRanges(review.text, review.evidence), causeOf));
    const followUp = review.follow_up_text;
    $("#follow-up").replaceChildren(
      ...(followUp
        ? [
            h("p", { class: "muted" }, "追评"),
            h("blockquote", { class: "review-text" }, ...highlighted(followUp, evidenceRanges(followUp, review.evidence), causeOf)),
          ]
        : []),
    );
  }

  function showAnalysis() {
    const items = review.causes.map((cause) => {
      const subs = review.sub_causes.filter((s) => s.startsWith(`${cause}.`));
      const clause = review.evidence[cause];
      return h(
        "li",
        {},
        h("strong", {}, label("ReviewCause", cause)),
        subs.length ? ` · ${subs.map((s) => label("ReviewSubCause", s)).join("、")}` : "",
        clause ? h("div", { class: "evidence" }, "依据：", h("mark", {}, clause)) : null,
      );
    });
    $("#causes").replaceChildren(...items);
    const reasons = review.severity_reasons_text ?? review.severity_reasons;
    $("#severity-reasons").textContent = reasons.length ? `严重程度依据：${reasons.join("；")}` : "";
  }

  function verdict(box, text, violations) {
    if (!violations.length) {
      box.replaceChildren(h("p", { class: "ok-text" }, "✓ 检查通过，可以审批通过"));
      return;
    }
    box.replaceChildren(
      h("p", { class: "bad-text" }, `检查未通过：${violations.length} 处问题，改正后才能审批`),
      h("p", { class: "preview" }, ...highlighted(text, violations, (v) => v.explanation)),
      h("ul", { class: "violations" }, ...violations.map((v) => h("li", {}, v.found ? h("mark", {}, v.found) : null, " ", v.explanation))),
    );
  }

  function showReply() {
    const reply = review.reply;
    const card = $("#reply-card");
    card.hidden = !reply;
    if (!reply) return;
    const drafted = reply.state === "drafted";
    $("#reply-state").className = `badge ${drafted ? "warn" : reply.state === "approved" ? "ok" : ""}`;
    $("#reply-state").textContent = label("ReplyState", reply.state);
    const text = $("#reply-text");
    text.value = reply.text;
    text.disabled = !drafted;
    verdict($("#reply-verdict"), reply.text, reply.violations);
    for (const id of ["#reply-save", "#reply-approve", "#reply-reject"]) $(id).hidden = !drafted;
    $("#reply-approve").disabled = reply.violations.length > 0;
    $("#reply-decided").textContent = reply.decided_by
      ? `${reply.decided_by} 于 ${fmtTime(reply.decided_at)} ${label("ReplyState", reply.state)}`
      : reply.edited_by
        ? `最近由 ${reply.edited_by} 修改`
        : "";
  }

  function showOffer() {
    const offers = review.offers;
    const body = $("#offer-body");
    const state = $("#offer-state");
    if (!offers.length) {
      state.textContent = "";
      body.replaceChildren(h("p", { class: "muted" }, "没有补偿方案（每一步都已被顾客拒绝时，由主管决定）。"));
      return;
    }
    const offer = offers[offers.length - 1];
    state.className = `badge ${offer.state === "drafted" ? "warn" : offer.state === "accepted" ? "ok" : ""}`;
    state.textContent = label("OfferState", offer.state);
    const drafted = offer.state === "drafted";
    const waitsForSupervisor = drafted && offer.needs_approval && !supervisor;
    const message = h("textarea", { id: "offer-message", rows: 4, maxlength: 1000 });
    message.value = offer.message;
    message.disabled = !(drafted || offer.state === "approved");
    const messageVerdict = h("div", { class: "verdict", id: "offer-verdict", "aria-live": "polite" });
    verdict(messageVerdict, offer.message, offer.message_violations);
    const parts = [
      h("p", { class: "offer-summary" }, h("strong", {}, offer.summary), ` · 第 ${offer.step} 步${offer.last_step ? "（最后一步）" : ""}`),
      offer.needs_approval ? h("p", {}, h("span", { class: "badge warn", id: "needs-supervisor" }, "超出额度，需主管审批")) : null,
      offer.why.length ? h("ul", { class: "why muted" }, ...offer.why.map((w) => h("li", {}, w))) : null,
      h("label", { for: "offer-message" }, "发给顾客的私信"),
      message,
      messageVerdict,
    ];
    const actions = h("div", { class: "actions" });
    if (drafted || offer.state === "approved") {
      actions.append(h("button", { type: "button", class: "btn", id: "offer-save", onclick: saveMessage }, "保存并检查"));
    }
    if (drafted) {
      actions.append(
        h("button", { type: "button", class: "btn primary", id: "offer-approve", disabled: waitsForSupervisor, onclick: () => decideOffer("approve") }, "审批通过"),
        h("button", { type: "button", class: "btn danger", id: "offer-reject", onclick: () => decideOffer("reject") }, "驳回"),
      );
    }
    if (offer.state === "approved") {
      actions.append(
        h("button", { type: "button", class: "btn primary", id: "offer-accepted", onclick: () => answer(true) }, "顾客接受了"),
        h("button", { type: "button", class: "btn", id: "offer-declined", onclick: () => answer(false) }, "顾客拒绝了"),
      );
    }
    parts.push(actions);
    if (waitsForSupervisor) {
      parts.push(h("p", { class: "notice", id: "offer-waits" }, "这个方案超出了客服的审批额度，需要主管审批。请通知主管，或先处理回评和联系顾客。"));
    }
    if (offer.decided_by) parts.push(h("p", { class: "muted" }, `${offer.decided_by} 于 ${fmtTime(offer.decided_at)} ${label("OfferState", offer.state)}`));
    if (offers.length > 1) {
      parts.push(
        h("details", {}, h("summary", {}, `之前的 ${offers.length - 1} 步`),
          h("ul", { class: "plain" }, ...offers.slice(0, -1).map((o) => h("li", {}, `第 ${o.step} 步：${o.summary} · ${label("OfferState", o.state)}`)))),
      );
    }
    body.replaceChildren(...parts.filter(Boolean));
  }

  async function saveMessage() {
    const text = $("#offer-message").value;
    const checked = await step("offer/message", { method: "PUT", body: { text } });
    if (!checked) return;
    toast(checked.violations.length ? "已保存，但检查未通过" : "已保存，检查通过", checked.violations.length ? "error" : "ok");
    await load();
  }

  async function decideOffer(decision) {
    const words = decision === "approve" ? "审批通过这个补偿方案？通过后计入今日补偿预算。" : "驳回这个补偿方案？";
    if (!window.confirm(words)) return;
    if (await step(`offer/${decision}`, { method: "POST" }, decision === "approve" ? "方案已审批通过" : "方案已驳回")) await load();
  }

  async function answer(accepted) {
    const words = accepted ? "确认顾客接受了这个方案？" : "确认顾客拒绝了？系统会起草下一步方案。";
    if (!window.confirm(words)) return;
    const result = await step("offer/answer", { method: "POST", body: { accepted } }, "已记录顾客的答复");
    if (result) await load();
  }

  function showContacts() {
    const list = review.contacts.map((c) =>
      h("li", {}, `${fmtTime(c.contacted_at)} · ${c.agent} · ${label("ContactChannel", c.channel)}`, c.note ? h("div", { class: "muted" }, c.note) : null),
    );
    $("#contacts").replaceChildren(...(list.length ? list : [h("li", { class: "muted" }, "还没有联系过顾客")]));
  }

  function showAlerts() {
    const list = review.alerts.map((a) =>
      h(
        "li",
        {},
        h("span", { class: `badge ${a.state === "sent" ? "ok" : a.state === "dead" ? "bad" : "warn"}` }, label("OutboxState", a.state)),
        ` ${a.destination} · ${a.sent_at ? `送达 ${fmtTime(a.sent_at)}` : `尝试 ${a.attempts} 次`}`,
        a.last_error ? h("div", { class: "muted" }, a.last_error) : null,
      ),
    );
    $("#alerts").replaceChildren(...(list.length ? list : [h("li", { class: "muted" }, "没有发出提醒")]));
  }

  $("#reply-save").addEventListener("click", async () => {
    const text = $("#reply-text").value;
    const checked = await step("reply", { method: "PUT", body: { text } });
    if (!checked) return;
    review.reply = { ...review.reply, text: checked.text, violations: checked.violations };
    showReply();
    toast(checked.violations.length ? "已保存，但检查未通过" : "已保存，检查通过", checked.violations.length ? "error" : "ok");
  });
  for (const decision of ["approve", "reject"]) {
    $(`#reply-${decision}`).addEventListener("click", async () => {
      if (!window.confirm(decision === "approve" ? "审批通过这条回评？通过后即可发布。" : "驳回这条回评？")) return;
      if (await step(`reply/${decision}`, { method: "POST" }, decision === "approve" ? "回评已审批通过" : "回评已驳回")) await load();
    });
  }
  $("#contact-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const note = form.note.value.trim();
    const body = { channel: form.channel.value, note: note || null };
    if (await step("contacts", { method: "POST", body }, "已记录联系")) {
      form.note.value = "";
      await load();
    }
  });
  $("#revision-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const rating = event.target.rating.value;
    const body = { rating: rating ? Number(rating) : null };
    if (!window.confirm("确认顾客已主动修改了评价？")) return;
    await step("revision", { method: "POST", body }, "已记录改评");
  });
  load();
}

const worklist = document.getElementById("worklist");
if (worklist) worklistPage(worklist);
const review = document.getElementById("review");
if (review) detailPage(review);
