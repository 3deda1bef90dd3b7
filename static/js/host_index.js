// The host's start page: create a contest (POST /api/contests) and go to its console.
import { t } from "./i18n.js";
import { errorText } from "./common.js";

const form = document.getElementById("create-form");
const errorBox = document.getElementById("create-error");

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = !text;
}

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const title = String(data.get("title") || "").trim();
  const banks = data.getAll("banks").map(String);
  if (!title) return showError(t("hidx.need_title"));
  if (!banks.length) return showError(t("hidx.need_bank"));
  showError("");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const response = await fetch("/api/contests", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        title,
        template: String(data.get("template") || ""),
        banks,
        reviewed_only: data.get("reviewed_only") !== null,
      }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.code) {
      showError(errorText(body.error || { code: response.status === 401 ? "unauthorized" : "internal" }));
      return;
    }
    location.href = `/host/${encodeURIComponent(body.code)}`;
  } catch (error) {
    showError(errorText({ code: "network", message: String(error) }));
  } finally {
    button.disabled = false;
  }
});
