// Joining: contest code -> GET /api/contests/<code> -> the team's code (or, in an open contest,
// a team) + name -> POST /api/join -> /play. A team's link or QR carries its code as ?team=.
import { t, onLangChange } from "./i18n.js";
import { h, pageData, errorText, withCsrf } from "./common.js";

const ALPHABET = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/;
const TEAM_CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{5}$/;
const codeForm = document.getElementById("code-form");
const codeInput = document.getElementById("code-input");
const codeError = document.getElementById("code-error");
const teamForm = document.getElementById("team-form");
const teamButtons = document.getElementById("team-buttons");
const nameInput = document.getElementById("name-input");
const teamCodeInput = document.getElementById("team-code-input");
const joinError = document.getElementById("join-error");
let contest = null;
let chosen = null;

function show(el, text) {
  el.textContent = text || "";
  el.hidden = !text;
}

function store(key, value) {
  try { localStorage.setItem(key, value); } catch { /* private mode */ }
}
function read(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}

function resumeOffer() {
  const seat = read("leitai.seat");
  const code = read("leitai.contest");
  const card = document.getElementById("resume-card");
  if (seat && code && (!contest || contest.code === code)) {
    const link = document.getElementById("resume-link");
    link.textContent = t("join.continue", { team: read("leitai.team_name") || read("leitai.team") || code });
    card.hidden = false;
  } else {
    card.hidden = true;
  }
}

async function find(code) {
  code = code.trim().toUpperCase();
  codeInput.value = code;
  if (!ALPHABET.test(code)) {
    show(codeError, t("join.notfound"));
    return;
  }
  show(codeError, "");
  try {
    const response = await fetch(`/api/contests/${encodeURIComponent(code)}`);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      show(codeError, response.status === 404 ? t("join.notfound") : errorText(body.error));
      teamForm.hidden = true;
      return;
    }
    contest = body;
    if (contest.join === "none") {
      show(codeError, t("err.pk_match"));
      teamForm.hidden = true;
      return;
    }
    renderTeams();
    document.getElementById("team-field").hidden = byCode();
    document.getElementById("team-code-field").hidden = !byCode();
    teamForm.hidden = false;
    // The link's team code is in the box now: keep it out of the address bar and history.
    history.replaceState(null, "", `/join/${code}`);
    if (contest.status === "finished") show(joinError, t("join.finished"));
    else show(joinError, "");
    resumeOffer();
    if (chosen) nameInput.focus();
  } catch (error) {
    show(codeError, errorText({ code: "network", message: String(error) }));
  }
}

/** Whether this contest seats a member by its team's code (the default) rather than by choice. */
function byCode() {
  return !!contest && contest.join !== "open";
}

function renderTeams() {
  document.getElementById("contest-title").textContent = contest.title || contest.code;
  teamButtons.replaceChildren(...(contest.teams || []).map((team) => {
    const count = typeof team.members === "number" ? team.members
      : Array.isArray(team.members) ? team.members.length : null;
    return h("button.team-button", {
      type: "button",
      class: chosen === team.id ? "is-chosen" : "",
      "aria-pressed": chosen === team.id ? "true" : "false",
      onclick: () => { chosen = team.id; renderTeams(); nameInput.focus(); },
    }, h("span.team-button-name", team.name),
    count !== null ? h("span.team-button-count", t("join.members", { n: count })) : null);
  }));
}

codeForm.addEventListener("submit", (event) => {
  event.preventDefault();
  find(codeInput.value);
});
codeInput.addEventListener("input", () => {
  const value = codeInput.value.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (value !== codeInput.value) codeInput.value = value;
  if (ALPHABET.test(value) && (!contest || contest.code !== value)) find(value);
});

teamForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = nameInput.value.trim();
  const teamCode = teamCodeInput.value.trim().toUpperCase();
  if (byCode() && !TEAM_CODE.test(teamCode)) return show(joinError, t("join.need_team_code"));
  if (!byCode() && !chosen) return show(joinError, t("join.need_team"));
  if (!name) return show(joinError, t("join.need_name"));
  show(joinError, "");
  const button = document.getElementById("join-btn");
  button.disabled = true;
  try {
    const response = await fetch("/api/join", {
      method: "POST",
      headers: withCsrf({ "Content-Type": "application/json" }),
      body: JSON.stringify(byCode()
        ? { code: contest.code, team_code: teamCode, name }
        : { code: contest.code, team: chosen, name }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.seat) {
      const error = body.error || { code: "internal" };
      show(joinError, error.code === "name_taken" ? t("join.name_taken") : errorText(error));
      if (error.code === "wrong_team_code") teamCodeInput.focus();
      return;
    }
    const code = typeof body.contest === "string" ? body.contest
      : (body.contest && body.contest.code) || contest.code;
    const team = (contest.teams || []).find((x) => x.id === (body.team || chosen));
    store("leitai.seat", body.seat);
    store("leitai.contest", code);
    store("leitai.team", body.team || chosen);
    store("leitai.team_name", body.team_name || (team && team.name) || "");
    store("leitai.name", name);
    location.href = "/play";
  } catch (error) {
    show(joinError, errorText({ code: "network", message: String(error) }));
  } finally {
    button.disabled = false;
  }
});

nameInput.value = read("leitai.name") || "";
teamCodeInput.value = (new URLSearchParams(location.search).get("team") || "").trim().toUpperCase();
teamCodeInput.addEventListener("input", () => {
  const value = teamCodeInput.value.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (value !== teamCodeInput.value) teamCodeInput.value = value;
});
onLangChange(() => { if (contest) renderTeams(); resumeOffer(); });
const initial = (pageData().code || "").toUpperCase();
if (initial) find(initial);
else { resumeOffer(); codeInput.focus(); }
