// The staff login form: signs in through the session API, then goes on to the page asked for.
const form = document.getElementById("login-form");
const error = document.getElementById("login-error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.hidden = true;
  const body = {
    login: document.getElementById("login").value.trim(),
    password: document.getElementById("password").value,
  };
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const response = await fetch("/api/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = typeof data.detail === "string" ? data.detail : "请检查账号和密码";
      error.textContent = response.status === 429 ? "尝试次数过多，请稍后再试" : detail.split(" / ")[0];
      error.hidden = false;
      return;
    }
    window.location.assign(form.dataset.next || data.home);
  } catch {
    error.textContent = "网络异常，请稍后重试";
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
});
