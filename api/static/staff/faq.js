// The FAQ admin page: filter the entries, try a question as a shopper would ask it, edit, add
// and delete entries (through /api/faq), and read each entry's revisions.
import { api, errorText, fmtTime, h, toast } from "/static/staff/staff.js";

const rows = document.getElementById("faq-rows");
const filter = document.getElementById("faq-filter");
const editor = document.getElementById("faq-editor");
const form = document.getElementById("faq-form");
const error = document.getElementById("faq-error");
let entries = [];
let editing = null; // the entry's id, or null for a new one

function matches(entry, words) {
  const text = [entry.id, entry.category, entry.question, entry.answer, ...entry.variants].join(" ");
  return words.every((w) => text.includes(w));
}

function drawRows() {
  const words = filter.value.trim().split(/\s+/).filter(Boolean);
  const shown = entries.filter((e) => matches(e, words));
  rows.replaceChildren(
    ...(shown.length ? shown.map((entry) => {
      const row = h(
        "tr", { class: `clickable${entry.id === editing ? " selected" : ""}`, dataset: { id: entry.id } },
        h("td", {}, entry.id), h("td", {}, entry.category), h("td", {}, entry.question),
      );
      row.addEventListener("click", () => edit(entry));
      return row;
    }) : [h("tr", {}, h("td", { colspan: 3, class: "empty" }, "没有符合的条目。"))]),
  );
}

async function load() {
  entries = await api("/api/faq");
  entries.sort((a, b) => a.id.localeCompare(b.id));
  drawRows();
}

async function drawRevisions(id) {
  const list = document.getElementById("faq-revisions");
  list.replaceChildren();
  if (!id) return;
  const found = await api(`/api/faq/${encodeURIComponent(id)}/revisions`);
  const words = { created: "新建", updated: "修改", deleted: "删除", imported: "导入" };
  list.replaceChildren(...found.reverse().map((r) =>
    h("li", {}, `${fmtTime(r.at)} · ${r.actor} · ${words[r.action] ?? r.action}`)));
}

function categoryAnswerAreas() {
  return [...form.querySelectorAll("textarea[name=category-answer]")];
}

// The per-category answers as the form has them; those for a category the page does not show
// (a code the catalogue has lost) are kept as they were.
function categoryAnswers(old) {
  const shown = categoryAnswerAreas();
  const shownCodes = new Set(shown.map((area) => area.dataset.category));
  const answers = Object.fromEntries(Object.entries(old).filter(([code]) => !shownCodes.has(code)));
  for (const area of shown) {
    const text = area.value.trim();
    if (text) answers[area.dataset.category] = text;
  }
  return answers;
}

function edit(entry) {
  editing = entry ? entry.id : null;
  editor.hidden = false;
  error.hidden = true;
  document.getElementById("faq-editor-title").textContent = entry ? `编辑：${entry.id}` : "新建条目";
  form.elements.id.value = entry?.id ?? "";
  form.elements.id.readOnly = Boolean(entry);
  form.elements.category.value = entry?.category ?? "";
  form.elements.question.value = entry?.question ?? "";
  form.elements.variants.value = (entry?.variants ?? []).join("\n");
  form.elements.answer.value = entry?.answer ?? "";
  const scope = new Set(entry?.scope ?? []);
  for (const box of form.querySelectorAll("input[name=scope]")) box.checked = scope.has(box.value);
  const answers = entry?.category_answers ?? {};
  for (const area of categoryAnswerAreas()) area.value = answers[area.dataset.category] ?? "";
  document.getElementById("faq-category-answers")?.toggleAttribute("open", Object.keys(answers).length > 0);
  document.getElementById("faq-delete").hidden = !entry;
  drawRows();
  drawRevisions(editing).catch((e) => toast(errorText(e), "error"));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.hidden = true;
  const old = entries.find((e) => e.id === editing);
  const body = {
    id: form.elements.id.value.trim(),
    category: form.elements.category.value.trim(),
    question: form.elements.question.value.trim(),
    variants: form.elements.variants.value.split("\n").map((v) => v.trim()).filter(Boolean),
    answer: form.elements.answer.value.trim(),
    category_answers: categoryAnswers(old?.category_answers ?? {}),
    scope: [...form.querySelectorAll("input[name=scope]:checked")].map((box) => box.value),
  };
  try {
    const saved = editing
      ? await api(`/api/faq/${encodeURIComponent(editing)}`, { method: "PUT", body })
      : await api("/api/faq", { method: "POST", body });
    toast(`已保存：${saved.question}`);
    await load();
    edit(saved);
  } catch (failure) {
    error.textContent = errorText(failure);
    error.hidden = false;
  }
});

document.getElementById("faq-delete").addEventListener("click", async () => {
  if (!editing || !confirm(`删除条目「${editing}」？机器人和帮助中心将不再给出这个答案。`)) return;
  try {
    await api(`/api/faq/${encodeURIComponent(editing)}`, { method: "DELETE" });
    toast(`已删除：${editing}`);
    editor.hidden = true;
    editing = null;
    await load();
  } catch (failure) {
    toast(errorText(failure), "error");
  }
});

document.getElementById("faq-cancel").addEventListener("click", () => {
  editor.hidden = true;
  editing = null;
  drawRows();
});
document.getElementById("faq-new").addEventListener("click", () => edit(null));
filter.addEventListener("input", drawRows);

document.getElementById("faq-try").addEventListener("submit", async (event) => {
  event.preventDefault();
  const q = document.getElementById("faq-try-q").value.trim();
  const list = document.getElementById("faq-try-results");
  if (!q) return;
  try {
    const found = await api(`/api/faq/search?q=${encodeURIComponent(q)}&k=3`);
    list.replaceChildren(
      h("li", { class: "muted" }, found.answered ? "机器人会回答第一条：" : "没有足够把握：机器人会请顾客换个说法或转人工。"),
      ...found.results.map((hit) => {
        const item = h("li", { class: "clickable" }, hit.question, h("span", { class: "score" }, hit.score.toFixed(2)));
        item.addEventListener("click", () => edit(entries.find((e) => e.id === hit.id)));
        return item;
      }),
    );
  } catch (failure) {
    toast(errorText(failure), "error");
  }
});

load().catch((e) => toast(errorText(e), "error"));
