// The host's start page: create a contest (POST /api/contests) and go to its console.
import { t, onLangChange } from "./i18n.js";
import { errorText, withCsrf } from "./common.js";

const form = document.getElementById("create-form");
const errorBox = document.getElementById("create-error");
const teamRows = document.getElementById("team-rows");
const roundRows = document.getElementById("round-rows");
const summary = document.getElementById("setup-summary");
const MIN_TEAMS = 2;
const MAX_TEAMS = 12;
// Rounds that race for the buzzer: only they use a buzz window.
const BUZZ_KINDS = new Set(["buzzer", "tiebreak", "arena"]);
const ROUND_FIELDS = ["count", "answer_seconds", "buzz_window_seconds", "points"];
const DETAIL_FIELDS = ["venue", "organiser", "host_name"];
let setup = { teams: [], rounds: [] };

function chosenSetup() {
  const radio = form?.querySelector("input[name=template]:checked");
  return radio?.dataset.setup ? JSON.parse(radio.dataset.setup) : { teams: [], rounds: [] };
}

function teamRow(team) {
  const row = document.createElement("li");
  row.className = "setup-team";
  if (team.id) row.dataset.id = team.id;
  const input = document.createElement("input");
  input.name = "team_name";
  input.maxLength = 40;
  input.value = team.name;
  input.setAttribute("aria-label", t("hidx.team.name"));
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "btn btn-sm";
  remove.textContent = t("hidx.team.remove");
  remove.addEventListener("click", () => {
    if (teamRows.children.length > MIN_TEAMS) row.remove();
    refresh();
  });
  row.append(input, " ", remove);
  return row;
}

function numberCell(round, index, field) {
  const cell = document.createElement("td");
  if (field === "buzz_window_seconds" && !BUZZ_KINDS.has(round.kind)) {
    cell.textContent = "—";
    return cell;
  }
  const input = document.createElement("input");
  input.type = "number";
  input.min = field === "points" ? "0" : "1";
  input.value = String(round[field]);
  input.dataset.round = String(index);
  input.dataset.field = field;
  input.className = "num-input";
  input.setAttribute("aria-label", `${round.name} ${t(`hidx.f.${field}`)}`);
  cell.append(input);
  return cell;
}

// Show the chosen template's teams and rounds as editable rows.
function loadTemplate() {
  if (!teamRows || !roundRows) return;
  setup = chosenSetup();
  teamRows.replaceChildren(...setup.teams.map(teamRow));
  roundRows.replaceChildren(
    ...setup.rounds.map((round, index) => {
      const row = document.createElement("tr");
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = round.name;
      row.append(name, ...ROUND_FIELDS.map((field) => numberCell(round, index, field)));
      return row;
    }),
  );
  refresh();
}

function teamsOfForm() {
  return [...teamRows.querySelectorAll("li")].map((row) => ({
    ...(row.dataset.id ? { id: row.dataset.id } : {}),
    name: row.querySelector("input").value.trim(),
  }));
}

// Only the values the host changed are sent: the rest stay the template's.
function roundsOfForm() {
  const rounds = {};
  for (const input of roundRows.querySelectorAll("input[data-field]")) {
    const index = Number(input.dataset.round);
    const value = Number(input.value);
    if (input.value === "" || value === setup.rounds[index][input.dataset.field]) continue;
    rounds[index] = { ...(rounds[index] || {}), [input.dataset.field]: value };
  }
  return rounds;
}

// The live summary: how many teams, and each round's count and timers as the form now says.
function refresh() {
  if (!summary) return;
  const teams = teamsOfForm();
  document.getElementById("add-team").disabled = teams.length >= MAX_TEAMS;
  const changed = roundsOfForm();
  const parts = setup.rounds.map((round, index) => {
    const now = { ...round, ...(changed[index] || {}) };
    const key = BUZZ_KINDS.has(round.kind) ? "hidx.sum.buzz" : "hidx.sum.round";
    return t(key, {
      name: round.name,
      n: now.count,
      s: now.answer_seconds,
      w: now.buzz_window_seconds,
      p: now.points,
    });
  });
  summary.textContent = [t("hidx.sum.teams", { n: teams.length }), ...parts].join(" · ");
}

form?.querySelectorAll("input[name=template]").forEach((radio) =>
  radio.addEventListener("change", loadTemplate),
);
form?.addEventListener("input", refresh);
document.getElementById("add-team")?.addEventListener("click", () => {
  if (teamRows.children.length >= MAX_TEAMS) return;
  const row = teamRow({ name: "" });
  teamRows.append(row);
  row.querySelector("input").focus();
  refresh();
});
/** Names and labels made by this script follow the language switch; the host's edits stay. */
function relabel() {
  if (!teamRows || !roundRows) return;
  for (const input of teamRows.querySelectorAll("input")) input.setAttribute("aria-label", t("hidx.team.name"));
  for (const button of teamRows.querySelectorAll("button")) button.textContent = t("hidx.team.remove");
  for (const input of roundRows.querySelectorAll("input[data-field]")) {
    const round = setup.rounds[Number(input.dataset.round)];
    input.setAttribute("aria-label", `${round.name} ${t(`hidx.f.${input.dataset.field}`)}`);
  }
  refresh();
}

onLangChange(relabel);
loadTemplate();

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
  const teams = teamsOfForm();
  if (teams.some((team) => !team.name)) return showError(t("hidx.need_team_name"));
  if (new Set(teams.map((team) => team.name)).size !== teams.length) {
    return showError(t("hidx.same_team_name"));
  }
  showError("");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const response = await fetch("/api/contests", {
      method: "POST",
      headers: withCsrf({ "Content-Type": "application/json" }),
      body: JSON.stringify({
        title,
        template: String(data.get("template") || ""),
        banks,
        reviewed_only: data.get("reviewed_only") !== null,
        teams,
        rounds: roundsOfForm(),
        // The 成绩单's details: sent trimmed, empty when not given.
        ...Object.fromEntries(DETAIL_FIELDS.map((name) => [name, String(data.get(name) || "").trim()])),
      }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.code) {
      const error = body.error || { code: response.status === 401 ? "unauthorized" : "internal" };
      // A refused setting names its path (e.g. rounds/1/answer_seconds): show it after the code's text.
      showError(error.code === "bad_payload" && error.message ? `${errorText(error)}：${error.message}` : errorText(error));
      return;
    }
    location.href = `/host/${encodeURIComponent(body.code)}`;
  } catch (error) {
    showError(errorText({ code: "network", message: String(error) }));
  } finally {
    button.disabled = false;
  }
});
