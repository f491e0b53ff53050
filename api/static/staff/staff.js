// Shared by every staff page: the JSON API with the session's CSRF token, safe DOM building,
// formatting, toasts, and signing out. Text from shoppers and reviews is untrusted: it only ever
// becomes text nodes (h() never parses HTML).

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
    this.status = status;
    this.detail = detail;
  }
}

/** Calls the JSON API; returns the parsed body (null for 204); throws ApiError. */
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrfToken;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 401) {
    window.location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError(401, "请重新登录");
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data?.detail ?? response.statusText);
  return data;
}

/** The words of an API error, as an agent reads them: the Chinese half of the API's
 *  "中文 / English" messages; for a form the API refused, which fields to check. */
export function errorText(error) {
  if (!(error instanceof ApiError)) return "网络异常，请稍后重试";
  const chinese = (text) => String(text).split(" / ")[0];
  const detail = error.detail;
  if (typeof detail === "string") return chinese(detail);
  if (Array.isArray(detail)) {
    // a validator's own words when it gave Chinese ones, else the fields to check
    const message = (d) => (typeof d === "string" ? d : String(d.msg ?? "").replace(/^Value error, /, ""));
    const worded = detail.filter((d) => /[\u4e00-\u9fff]/.test(message(d)));
    const said = worded.map((d) => chinese(message(d)));
    const fields = detail.filter((d) => !worded.includes(d)).map((d) => d.loc?.at(-1)).filter(Boolean);
    if (fields.length) said.push(`请检查填写的内容（${[...new Set(fields)].join("、")}）`);
    return said.join("；") || "提交的内容有误，请检查后重试";
  }
  return `操作没有成功（${error.status}），请稍后重试`;
}

/** h("a", {href: "/x", class: "btn"}, "text", child) — children are nodes or text. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else if (value === true) {
      node.setAttribute(key, "");
    } else {
      node.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The labels a page's server gave its script (`data-labels`: vocabulary → value → words), as
 *  a function: label("ReviewCause", "product") → 商品问题; an unknown value stays itself. */
export function pageLabels(root) {
  let labels = {};
  try {
    labels = JSON.parse(root.dataset.labels || "{}");
  } catch {
    labels = {};
  }
  return (vocabulary, value) => labels[vocabulary]?.[value] ?? value;
}

/** A cause as staff read it: `logistics.slow` → 物流问题（配送慢）. */
export function causeText(label, value) {
  const [cause, sub] = value.split(".");
  const coarse = label("ReviewCause", cause);
  return sub ? `${coarse}（${label("ReviewSubCause", value)}）` : coarse;
}

const timeFormat = new Intl.DateTimeFormat("zh-CN", {
  month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
});

/** "12/04 14:05" in the browser's time zone. */
export function fmtTime(iso) {
  if (!iso) return "—";
  return timeFormat.format(new Date(iso));
}

/** 45 → "45秒", 300 → "5分钟", 5400 → "1.5小时", 200000 → "2.3天". */
export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  const s = Math.max(0, Number(seconds));
  if (s < 60) return `${Math.round(s)}秒`;
  if (s < 3600) return `${Math.round(s / 60)}分钟`;
  if (s < 86400) return `${(s / 3600).toFixed(1).replace(/\.0$/, "")}小时`;
  return `${(s / 86400).toFixed(1).replace(/\.0$/, "")}天`;
}

/** A short message in the corner: kind "ok" | "error". */
export function toast(text, kind = "ok") {
  const box = document.getElementById("toasts");
  if (!box) return;
  const item = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
  box.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 8000 : 4000);
}

/** Whether the page shows a record to a role that may not change it (a manager's drill-down). */
export const readOnly = document.body.classList.contains("read-only");
if (readOnly) {
  for (const field of document.querySelectorAll("main textarea, main input, main select")) {
    field.readOnly = true;
  }
}

document.getElementById("sign-out")?.addEventListener("click", async () => {
  try {
    await api("/api/session", { method: "DELETE" });
  } finally {
    window.location.assign("/login");
  }
});
