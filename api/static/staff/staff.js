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

/** The words of an API error, as an agent reads them. */
export function errorText(error) {
  if (!(error instanceof ApiError)) return "网络异常，请稍后重试";
  const detail = error.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => (typeof d === "string" ? d : d.msg)).join("；");
  return `出错了（${error.status}）`;
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
