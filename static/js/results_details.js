// The results page's 成绩单 details: venue, organiser and host, saved through
// POST /api/contests/<code>/details until the contest finishes.
import { errorText, withCsrf } from "./common.js";

const form = document.getElementById("details-form");
const errorBox = document.getElementById("details-error");
const saved = document.getElementById("details-saved");
const FIELDS = ["venue", "organiser", "host_name"];

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = !text;
}

form?.addEventListener("input", () => {
  if (saved) saved.hidden = true;
});

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const button = form.querySelector("button[type=submit]");
  if (!button) return;
  showError("");
  button.disabled = true;
  try {
    const response = await fetch(`/api/contests/${encodeURIComponent(form.dataset.code)}/details`, {
      method: "POST",
      headers: withCsrf({ "Content-Type": "application/json" }),
      body: JSON.stringify(Object.fromEntries(FIELDS.map((name) => [name, String(data.get(name) || "").trim()]))),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      showError(errorText(body.error || { code: response.status === 401 ? "unauthorized" : "internal" }));
      return;
    }
    // Show what the server stored (trimmed), so the page and the 成绩单 agree.
    for (const name of FIELDS) form.elements.namedItem(name).value = body[name];
    saved.hidden = false;
  } catch (error) {
    showError(errorText({ code: "network", message: String(error) }));
  } finally {
    button.disabled = false;
  }
});
