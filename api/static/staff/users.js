// The admins' staff users (/admin/users): the table, the add form, each user's actions, and the
// one-time secret box (a new password or API token is in one answer only). Names come from
// admins, but are still only ever text nodes (h()).
import { api, errorText, fmtTime, h, toast } from "/static/staff/staff.js";

const ENDPOINT = "/api/admin/users";
const rows = document.getElementById("rows");
const count = document.getElementById("count");
const roleSelect = document.getElementById("new-role");
const form = document.getElementById("new-user");
const secretBox = document.getElementById("secret");
const secretValue = document.getElementById("secret-value");
let roles = [];

/** Shows a password or token once, selected, with a copy button. */
function showSecret(title, value, hint = "") {
  document.getElementById("secret-title").textContent = title;
  document.getElementById("secret-hint").textContent = hint;
  secretValue.value = value;
  secretBox.hidden = false;
  secretBox.scrollIntoView({ block: "nearest" });
  secretValue.focus();
  secretValue.select();
}

function hideSecret() {
  secretValue.value = "";
  secretBox.hidden = true;
}

document.getElementById("secret-close").addEventListener("click", hideSecret);
document.getElementById("secret-copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(secretValue.value);
  } catch {
    secretValue.select();
    document.execCommand("copy"); // no clipboard API outside a secure context
  }
  toast("已复制");
});

/** Runs an API call; on success reloads the table and returns the answer, else toasts why. */
async function act(path, options, done) {
  try {
    const answer = await api(path, options);
    if (done) toast(done);
    await load();
    return answer;
  } catch (error) {
    toast(errorText(error), "error");
    await load();
    return null;
  }
}

function roleControl(user) {
  const select = h(
    "select",
    { "aria-label": `${user.name}的角色`, class: "role-select", disabled: user.you || !user.active },
    ...roles.map((r) => h("option", { value: r.value, selected: r.value === user.role }, r.label)),
  );
  select.addEventListener("change", async () => {
    const label = roles.find((r) => r.value === select.value)?.label;
    if (!confirm(`把「${user.name}」的角色从「${user.role_label}」改为「${label}」？\n对方下一次操作起按新角色生效。`)) {
      select.value = user.role;
      return;
    }
    await act(`${ENDPOINT}/${user.id}`, { method: "PATCH", body: { role: select.value } }, `${user.name} 现在是${label}`);
  });
  return select;
}

function actions(user) {
  const buttons = [];
  if (user.active) {
    buttons.push(
      h("button", {
        type: "button", class: "btn reset-password",
        onclick: async () => {
          if (!confirm(`为「${user.name}」生成新密码？\n旧密码立即失效，对方需要用新密码重新登录。`)) return;
          const answer = await act(`${ENDPOINT}/${user.id}/password`, { method: "POST" });
          if (answer) showSecret(`「${user.name}」的新密码（登录名 ${user.login}）`, answer.password);
        },
      }, "重置密码"),
      h("button", {
        type: "button", class: "btn new-token",
        onclick: async () => {
          const label = prompt(`给「${user.name}」的新 API 令牌写个用途（如：ERP 对接脚本）`, "api");
          if (label === null) return;
          const answer = await act(`${ENDPOINT}/${user.id}/tokens`, { method: "POST", body: { label: label.trim() } });
          if (answer) {
            showSecret(`「${user.name}」的 API 令牌：${answer.label}`, answer.token,
              "请求时放在请求头 Authorization: Bearer <令牌>。");
          }
        },
      }, "新 API 令牌"),
    );
  }
  buttons.push(
    h("button", {
      type: "button", class: "btn danger revoke-tokens", disabled: user.live_tokens === 0,
      onclick: async () => {
        if (!confirm(`作废「${user.name}」的全部 ${user.live_tokens} 个 API 令牌？\n用这些令牌的脚本会立即失效，无法恢复。`)) return;
        await act(`${ENDPOINT}/${user.id}/tokens`, { method: "DELETE" }, `已作废 ${user.name} 的 API 令牌`);
      },
    }, "作废令牌"),
  );
  if (user.active) {
    buttons.push(h("button", {
      type: "button", class: "btn danger deactivate", disabled: user.you,
      title: user.you ? "不能停用自己的账号" : null,
      onclick: async () => {
        if (!confirm(`停用「${user.name}」（${user.login}）？\n对方会立即退出登录，API 令牌全部作废；之后可以重新启用，但令牌不会恢复。`)) return;
        await act(`${ENDPOINT}/${user.id}`, { method: "PATCH", body: { active: false } }, `已停用 ${user.name}`);
      },
    }, "停用"));
  } else {
    buttons.push(h("button", {
      type: "button", class: "btn reactivate",
      onclick: () => act(`${ENDPOINT}/${user.id}`, { method: "PATCH", body: { active: true } }, `已重新启用 ${user.name}，对方可以用原密码登录`),
    }, "重新启用"));
  }
  return h("div", { class: "actions" }, buttons);
}

function row(user) {
  return h(
    "tr",
    { class: user.active ? null : "inactive", dataset: { userId: user.id, login: user.login } },
    h("td", {}, user.name, user.you ? [" ", h("span", { class: "badge role" }, "本人")] : null),
    h("td", {}, user.login),
    h("td", {}, roleControl(user)),
    h("td", {}, user.active ? h("span", { class: "badge ok" }, "在用") : h("span", { class: "badge" }, "已停用")),
    h("td", { class: "num" }, String(user.live_tokens)),
    h("td", {}, fmtTime(user.created_at)),
    h("td", {}, actions(user)),
  );
}

async function load() {
  let answer;
  try {
    answer = await api(ENDPOINT);
  } catch (error) {
    rows.replaceChildren(h("tr", {}, h("td", { colspan: 7, class: "empty error" }, errorText(error))));
    return;
  }
  if (!roles.length) {
    roles = answer.roles;
    roleSelect.replaceChildren(...roles.map((r) => h("option", { value: r.value, selected: r.value === "agent" }, r.label)));
  }
  const active = answer.items.filter((u) => u.active).length;
  count.textContent = `（在用 ${active} 人，已停用 ${answer.items.length - active} 人）`;
  rows.replaceChildren(...answer.items.map(row));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = {
    login: document.getElementById("new-login").value.trim().toLowerCase(),
    name: document.getElementById("new-name").value.trim(),
    role: roleSelect.value,
  };
  const password = document.getElementById("new-password").value;
  if (password) body.password = password;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const created = await act(ENDPOINT, { method: "POST", body });
    if (created) {
      form.reset();
      roleSelect.value = "agent";
      toast(`已添加 ${created.user.name}（${created.user.role_label}）`);
      if (created.password) {
        showSecret(`「${created.user.name}」的初始密码（登录名 ${created.user.login}）`, created.password);
      } else {
        hideSecret();
      }
    }
  } finally {
    button.disabled = false;
  }
});

load();
