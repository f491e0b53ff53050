// Teaching the bot. `teachControl(message)` is the agents' control beside a shopper message in
// a conversation's transcript (import it from the conversation page); the admins' page
// (/admin/corrections) lists the corrections and links the export. Message text is untrusted:
// text nodes only.
import { api, errorText, fmtTime, h, toast } from "/static/staff/staff.js";

const ENDPOINT = "/api/bot-corrections";
let choices = null;

/** The intents and FAQ topics a message can be marked with (fetched once per page). */
export async function teachChoices() {
  choices ??= api(`${ENDPOINT}/choices`).catch((error) => {
    choices = null;
    throw error;
  });
  return choices;
}

function choiceSelect({ intents, faq_topics: topics }) {
  return h(
    "select",
    { "aria-label": "应识别为", class: "teach-choice" },
    h("option", { value: "" }, "应识别为…"),
    h("optgroup", { label: "意图" }, ...intents.filter((i) => i.name !== "faq").map((i) => h("option", { value: `intent:${i.name}` }, i.label === i.name ? i.name : `${i.label}（${i.name}）`))),
    h("optgroup", { label: "FAQ主题" }, ...topics.map((t) => h("option", { value: `faq:${t.id}` }, `${t.question}（${t.id}）`))),
  );
}

/** A "教机器人" button for one shopper message ({id, text}); it opens a small form that
 *  marks the message with the intent or FAQ topic it should have had. */
export function teachControl(message) {
  const box = h("span", { class: "teach", dataset: { messageId: message.id } });
  const open = h("button", { type: "button", class: "btn link teach-open", title: "机器人没听懂这句？标出它本该识别的意图" }, "教机器人");
  open.addEventListener("click", async () => {
    let loaded;
    try {
      loaded = await teachChoices();
    } catch (error) {
      toast(errorText(error), "error");
      return;
    }
    const select = choiceSelect(loaded);
    const form = h(
      "form", { class: "teach-form" },
      select,
      h("button", { type: "submit", class: "btn primary" }, "保存"),
      h("button", { type: "button", class: "btn link", onclick: () => box.replaceChildren(open) }, "取消"),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const [kind, value] = select.value.split(":");
      if (!value) return toast("请选择意图或FAQ主题", "error");
      const body = { message_id: message.id, ...(kind === "faq" ? { faq_topic: value } : { intent: value }) };
      try {
        const saved = await api(ENDPOINT, { method: "POST", body });
        const what = saved.faq_topic ? `FAQ：${saved.faq_topic}` : saved.intent_label;
        toast(saved.replaced_label ? `已更新纠正：${what}` : `已记下：${what}，下次训练时会用到`);
        box.replaceChildren(open, h("span", { class: "teach-done" }, `✓ ${what}`));
      } catch (error) {
        toast(errorText(error), "error");
      }
    });
    box.replaceChildren(form);
    select.focus();
  });
  box.append(open);
  return box;
}

function adminPage(root) {
  const rows = root.querySelector("#rows");
  const count = root.querySelector("#count");
  const more = root.querySelector("#more");
  const PAGE = 100;
  let offset = 0;

  async function load() {
    let page;
    try {
      page = await api(`${ENDPOINT}?limit=${PAGE}&offset=${offset}`);
    } catch (error) {
      rows.replaceChildren(h("tr", {}, h("td", { colspan: 5, class: "error" }, errorText(error))));
      return;
    }
    count.textContent = `共 ${page.total} 条`;
    const made = page.items.map((c) =>
      h(
        "tr", { dataset: { id: c.id } },
        h("td", {}, fmtTime(c.updated_at)),
        h("td", { class: "text" }, c.text),
        h("td", {}, c.faq_topic ? [h("span", { class: "badge" }, "FAQ"), ` ${c.faq_question ?? ""}（${c.faq_topic}）`] : `${c.intent_label}${c.intent_label === c.intent ? "" : `（${c.intent}）`}`),
        h("td", {}, c.author, c.replaced ? h("div", { class: "muted" }, `改过 ${c.replaced} 次`) : null),
        h("td", {}, h("span", { class: "muted" }, c.conversation_id.slice(0, 12))),
      ),
    );
    if (offset === 0) rows.replaceChildren(...(made.length ? made : [h("tr", {}, h("td", { colspan: 5, class: "empty" }, "还没有纠正"))]));
    else rows.append(...made);
    offset += page.items.length;
    more.hidden = offset >= page.total;
  }

  more.addEventListener("click", load);
  load();
}

const root = document.getElementById("corrections");
if (root) adminPage(root);
