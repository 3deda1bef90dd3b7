// The self-test page (/practice, docs/practice.md): an account (or a guest), then six tabs at the
// bottom of the screen, in thumb reach: practice, exam, the wrong-answer book, the daily
// challenge, 1-v-1 PK and the history. A sitting of any mode runs in the tab it was started from.

import { t, onLangChange } from "./i18n.js";
import { h, fill, toast, unlockAudioOnGesture } from "./common.js";
import { api, onLoggedOut, problemText, errorCode } from "./practice_api.js";
import { SittingRunner } from "./sitting.js";
import { questionCard, keyBlock, withKey, responseText } from "./answer.js";
import { renderHistory } from "./history.js";
import { PkPanel } from "./pk.js";
import { reportButton } from "./report_sheet.js";

const TABS = ["practice", "exam", "wrongbook", "daily", "pk", "history"];
const TAB_OF_MODE = { practice: "practice", exam: "exam", review: "wrongbook", daily: "daily" };

const $id = (id) => document.getElementById(id);
const els = {
  loading: $id("practice-loading"),
  account: $id("account"),
  loginForm: $id("login-form"),
  registerForm: $id("register-form"),
  tabLogin: $id("account-tab-login"),
  tabRegister: $id("account-tab-register"),
  guestBox: $id("account-guest"),
  guestNote: $id("account-guest-note"),
  accountClose: $id("account-close"),
  app: $id("app"),
  tabbar: $id("tabbar"),
  userChip: $id("user-chip"),
  userName: $id("user-name"),
  userGuest: $id("user-guest"),
  userOrg: $id("user-org"),
  upgrade: $id("upgrade-button"),
  logout: $id("logout-button"),
  examResume: $id("exam-resume"),
  wrongbook: $id("wrongbook-body"),
  daily: $id("daily-body"),
  leaderboard: $id("leaderboard-body"),
  history: $id("history-body"),
};
const panels = Object.fromEntries(TABS.map((tab) => [tab, $id(`panel-${tab}`)]));

const state = {
  user: null,
  tab: TABS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "practice",
  catalog: null,
  forms: {},
  wrongbook: null,
  daily: null,
  board: { period: "day", by: "person", data: null },
  history: null,
  unfinishedExam: null,
};

const runner = new SittingRunner({
  onClose: () => {
    render();
    refresh(state.tab);
  },
  onFinished: (sitting) => {
    state.history = null;
    if (sitting.mode === "daily") loadDaily();
    loadWrongbook();
    if (sitting.mode === "exam") state.unfinishedExam = null;
  },
});

const pk = new PkPanel($id("pk-body"), {
  user: () => state.user,
  onFinished: () => {
    state.history = null;
    loadWrongbook();
  },
});

// ---------------------------------------------------------------------------------------------
// Accounts

function showAccount(form, closable = false) {
  els.account.hidden = false;
  els.app.hidden = true;
  els.tabbar.hidden = true;
  els.loading.hidden = true;
  const registering = form === "register";
  els.loginForm.hidden = registering;
  els.registerForm.hidden = !registering;
  els.tabLogin.classList.toggle("is-on", !registering);
  els.tabRegister.classList.toggle("is-on", registering);
  els.tabLogin.setAttribute("aria-selected", String(!registering));
  els.tabRegister.setAttribute("aria-selected", String(registering));
  const guest = !!(state.user && state.user.guest);
  els.guestBox.hidden = guest;
  els.guestNote.hidden = !guest;
  els.accountClose.hidden = !closable;
}

function formError(form, result) {
  const box = form.querySelector(".form-error");
  box.hidden = !result;
  box.textContent = result ? problemText(result) : "";
}

async function submitAccount(form, path, body) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const result = await api(path, { method: "POST", body });
  button.disabled = false;
  if (!result.ok) {
    formError(form, result);
    return;
  }
  formError(form, null);
  form.reset();
  enter(result.data.user);
}

els.tabLogin.addEventListener("click", () => showAccount("login", !els.accountClose.hidden));
els.tabRegister.addEventListener("click", () => showAccount("register", !els.accountClose.hidden));
els.accountClose.addEventListener("click", () => enter(state.user));
els.upgrade.addEventListener("click", () => showAccount("register", true));

els.loginForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(els.loginForm);
  submitAccount(els.loginForm, "/api/practice/login", {
    name: String(data.get("name")).trim(),
    password: String(data.get("password")),
  });
});

els.registerForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(els.registerForm);
  const body = {
    name: String(data.get("name")).trim(),
    detachment: String(data.get("detachment")).trim(),
    password: String(data.get("password")),
  };
  const brigade = String(data.get("brigade") || "").trim();
  if (brigade) body.brigade = brigade;
  submitAccount(els.registerForm, "/api/practice/register", body);
});

$id("guest-button").addEventListener("click", async () => {
  const result = await api("/api/practice/guest", { method: "POST", body: {} });
  if (result.ok) enter(result.data.user);
  else toast(problemText(result));
});

els.logout.addEventListener("click", async () => {
  await api("/api/practice/logout", { method: "POST", body: {} });
  leave();
});

onLoggedOut(() => {
  if (!state.user) return;
  toast(t("err.not_logged_in"), "info");
  leave();
});

function leave() {
  state.user = null;
  state.wrongbook = state.daily = state.history = state.unfinishedExam = null;
  state.board.data = null;
  runner.reset();
  pk.stop();
  els.userChip.hidden = true;
  els.userName.textContent = "";
  showAccount("login");
}

/** Logged in (or back from the account form): show the tabs. */
function enter(user) {
  const previous = state.user;
  const first = !previous || previous.id !== user.id;
  state.user = user;
  els.account.hidden = true;
  els.loading.hidden = true;
  els.app.hidden = false;
  els.tabbar.hidden = false;
  els.userChip.hidden = false;
  els.userName.textContent = user.name;
  els.userGuest.hidden = !user.guest;
  els.upgrade.hidden = !user.guest;
  els.userOrg.textContent = [user.detachment, user.brigade].filter(Boolean).join(" · ");
  if (first) {
    // Another account on this phone (a guest who logged in): nothing of the last one stays.
    if (previous) {
      runner.reset();
      pk.stop();
    }
    state.wrongbook = state.daily = state.history = state.unfinishedExam = null;
    state.board.data = null;
    resumeWork();
  }
  render();
  refresh(state.tab);
}

// ---------------------------------------------------------------------------------------------
// Tabs

for (const button of els.tabbar.querySelectorAll(".tab")) {
  button.addEventListener("click", () => selectTab(button.dataset.tab));
}

function selectTab(tab) {
  state.tab = tab;
  history.replaceState(null, "", `#${tab}`);
  render();
  refresh(tab);
  window.scrollTo(0, 0);
}

/** Fetch what a tab shows each time it is opened (another device may have changed it). */
function refresh(tab) {
  if (!state.user) return;
  if (tab === "wrongbook") loadWrongbook();
  if (tab === "daily") loadDaily();
  if (tab === "history") loadHistory();
  if (tab === "exam") renderExamResume();
}

function render() {
  for (const button of els.tabbar.querySelectorAll(".tab")) {
    const on = button.dataset.tab === state.tab;
    button.classList.toggle("is-on", on);
    button.setAttribute("aria-current", on ? "page" : "false");
  }
  const runnerTab = runner.active ? TAB_OF_MODE[runner.sitting.mode] : null;
  for (const tab of TABS) {
    const panel = panels[tab];
    panel.hidden = tab !== state.tab;
    panel.querySelector(".panel-setup").hidden = tab === runnerTab;
  }
  if (runnerTab) {
    if (runner.el.parentElement !== panels[runnerTab]) panels[runnerTab].append(runner.el);
  } else {
    runner.el.remove();
  }
  for (const tab of TABS) {
    els.tabbar.querySelector(`[data-tab="${tab}"]`).classList.toggle("has-sitting", tab === runnerTab);
  }
}

async function startSitting(body) {
  const result = await api("/api/practice/sittings", { method: "POST", body });
  if (result.ok) {
    openSitting(result.data);
    return;
  }
  const other = result.data && result.data.sitting;
  if (errorCode(result) === "already_done" && other) {
    await openSittingById(other);
    return;
  }
  toast(problemText(result));
}

function openSitting(sitting) {
  runner.open(sitting);
  state.tab = TAB_OF_MODE[sitting.mode] || state.tab;
  history.replaceState(null, "", `#${state.tab}`);
  render();
  window.scrollTo(0, 0);
}

async function openSittingById(id) {
  const result = await api(`/api/practice/sittings/${id}`);
  if (result.ok) openSitting(result.data);
  else toast(problemText(result));
}

// ---------------------------------------------------------------------------------------------
// Practice and exam set-up

function chip(testid, text, count, onToggle) {
  const button = h("button.chip-toggle", {
    type: "button", "data-testid": testid, "aria-pressed": "false",
    onclick: () => {
      const on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(on));
      onToggle(on);
    },
  }, h("span", text), count === undefined ? null : h("small.chip-count", String(count)));
  return button;
}

function numberField(testid, key, value, min, max) {
  const input = h("input.num-input", {
    type: "number", inputmode: "numeric", min: String(min), max: String(max), value: String(value),
    "data-testid": testid, required: true,
  });
  return { input, el: h("label.field.field-num", h("span", { "data-i18n": key }, t(key)), input) };
}

/** A select of difficulty stars; `end` ("low" or "high") names it for screen readers. */
function difficultySelect(testid, value, difficulties, end) {
  const key = `practice.difficulty.${end}`;
  return h("select.diff-select", { "data-testid": testid, "aria-label": t(key), "data-i18n-aria-label": key },
    difficulties.map((d) => h("option", { value: String(d), selected: d === value }, "★".repeat(d))));
}

/** The shared set-up form of practice and exam: banks, tags, difficulty, count (and minutes). */
function setupForm(mode) {
  const catalog = state.catalog;
  const chosen = { banks: new Set(), tags: new Set() };
  const difficulties = catalog.difficulties && catalog.difficulties.length ? catalog.difficulties : [1, 2, 3, 4, 5];
  const low = difficultySelect(`${mode}-difficulty-low`, difficulties[0], difficulties, "low");
  const high = difficultySelect(`${mode}-difficulty-high`, difficulties[difficulties.length - 1], difficulties, "high");
  const count = numberField(`${mode}-count`, "practice.count", mode === "exam" ? 20 : 10, 1, 100);
  const minutes = mode === "exam" ? numberField("exam-minutes", "exam.minutes", 20, 1, 180) : null;
  let minutesTouched = false;
  if (minutes) {
    minutes.input.addEventListener("input", () => { minutesTouched = true; });
    count.input.addEventListener("input", () => {
      if (!minutesTouched && count.input.value) minutes.input.value = String(Math.min(180, Number(count.input.value)));
    });
  }
  const start = h("button.btn.btn-primary.btn-lg.btn-block.start-button", {
    type: "submit", "data-testid": mode === "exam" ? "start-exam" : "start-practice",
    "data-i18n": mode === "exam" ? "exam.start" : "practice.start",
  }, t(mode === "exam" ? "exam.start" : "practice.start"));

  const form = h("form.setup", { novalidate: true },
    h("fieldset.field",
      h("legend", h("span", { "data-i18n": "practice.banks" }, t("practice.banks")), " ",
        h("small.muted", { "data-i18n": "practice.none_is_all" }, t("practice.none_is_all"))),
      h("div.chip-row", catalog.banks.map((bank) => chip(`bank-${bank.id}`, bank.title, bank.count,
        (on) => (on ? chosen.banks.add(bank.id) : chosen.banks.delete(bank.id)))))),
    catalog.tags.length ? h("details.field.tag-picker",
      h("summary", { "data-i18n": "practice.tags" }, t("practice.tags")),
      h("div.chip-row", catalog.tags.map((tag) => chip(`tag-${tag.tag}`, tag.tag, tag.count,
        (on) => (on ? chosen.tags.add(tag.tag) : chosen.tags.delete(tag.tag)))))) : null,
    h("div.field",
      h("span", { "data-i18n": "practice.difficulty" }, t("practice.difficulty")),
      h("div.diff-row", low, h("span.muted", "–"), high)),
    h("div.num-row", count.el, minutes ? minutes.el : null),
    start);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const n = Number(count.input.value);
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      toast(t("practice.bad_count"));
      count.input.focus();
      return;
    }
    const range = [Number(low.value), Number(high.value)].sort((a, b) => a - b);
    const body = { mode, count: n, difficulty: range };
    if (chosen.banks.size) body.banks = [...chosen.banks];
    if (chosen.tags.size) body.tags = [...chosen.tags];
    if (minutes) {
      const m = Number(minutes.input.value);
      if (!Number.isInteger(m) || m < 1 || m > 180) {
        toast(t("exam.bad_minutes"));
        minutes.input.focus();
        return;
      }
      body.minutes = m;
    }
    startSitting(body);
  });
  return form;
}

function buildForms() {
  for (const mode of ["practice", "exam"]) {
    const box = $id(`${mode}-form`);
    if (!state.catalog.banks.length) {
      fill(box, h("p.muted", { "data-i18n": "practice.no_banks" }, t("practice.no_banks")));
    } else {
      fill(box, setupForm(mode));
    }
  }
}

/**
 * Back after a reload: a PK match in play comes first (its clock runs on), then an exam left
 * running, whose deadline is the server's.
 */
async function resumeWork() {
  const playing = await pk.resume();
  if (playing) selectTab("pk");
  const result = await api("/api/practice/sittings?mode=exam");
  if (!result.ok) return;
  const open = (result.data.sittings || []).find((s) => s.mode === "exam" || !s.mode);
  state.unfinishedExam = open || null;
  renderExamResume();
  if (open && !runner.active && !playing) {
    toast(t("exam.resumed"), "info", 4000);
    await openSittingById(open.id);
  }
}

function renderExamResume() {
  const open = state.unfinishedExam;
  const showing = runner.active && runner.sitting.id === (open && open.id);
  els.examResume.hidden = !open || showing;
  if (!open || showing) return;
  fill(els.examResume,
    h("p", t("exam.unfinished", { n: open.answered, m: open.count })),
    h("button.btn.btn-primary.btn-block", {
      type: "button", "data-testid": "resume-exam", onclick: () => openSittingById(open.id),
    }, t("exam.resume")));
}

// ---------------------------------------------------------------------------------------------
// The wrong-answer book

async function loadWrongbook() {
  const result = await api("/api/practice/wrongbook");
  if (!result.ok) return;
  state.wrongbook = result.data;
  renderWrongbook();
}

function renderWrongbook() {
  const book = state.wrongbook;
  if (!book) return;
  const cards = book.cards || [];
  fill(els.wrongbook,
    h("div.stat-row",
      stat(t("wrongbook.due"), book.due, "wrongbook-due"),
      stat(t("wrongbook.total"), book.total),
      stat(t("wrongbook.mastered"), book.mastered)),
    h("button.btn.btn-primary.btn-lg.btn-block", {
      type: "button", "data-testid": "start-review", disabled: !book.due,
      onclick: () => startSitting({ mode: "review" }),
    }, book.due ? t("wrongbook.start", { n: book.due }) : t("wrongbook.nothing_due")),
    cards.length
      ? h("ol.wb-list", cards.map(wrongbookCard))
      : h("p.empty", t("wrongbook.empty")));
}

function stat(name, value, testid) {
  return h("div.stat", testid ? { "data-testid": testid } : null,
    h("span.stat-num", String(value ?? 0)), h("span.stat-name", name));
}

function wrongbookCard(card) {
  const q = card.question;
  const due = !card.mastered && (card.due === true || card.due === undefined);
  let when = t("wrongbook.due_on", { day: card.due_day });
  if (card.mastered) when = t("wrongbook.mastered");
  else if (due) when = t("wrongbook.due_now");
  return h("li.wb-card", {
    "data-testid": "wrongbook-card",
    class: card.mastered ? "is-mastered" : due ? "is-due" : "",
    dataset: { questionId: q.id, box: String(card.box), due: due ? "true" : "false" },
  },
  h("div.wb-top",
    h("span.badge.badge-box", t("wrongbook.box", { n: card.box })),
    h(`span.badge${due ? ".badge-danger" : ""}`, when),
    h("span.wb-counts.muted", t("wrongbook.counts", { r: card.reviews || 0, l: card.lapses || 0 }))),
  questionCard(q, { testid: "wrongbook-question" }),
  h("details.wb-key",
    h("summary", t("wrongbook.show_key")),
    card.last_response !== undefined && card.last_response !== null
      ? h("div.review-yours.neg", t("wrongbook.last"), responseText(q, card.last_response)) : null,
    keyBlock(withKey(q, q)),
    reportButton(async ({ reason, note }) => {
      const answer = await api("/api/practice/wrongbook/reports", {
        method: "POST", body: { bank: q.bank, question: q.id, reason, note },
      });
      return answer.ok ? answer.data : { ok: false, text: problemText(answer) };
    })));
}

// ---------------------------------------------------------------------------------------------
// The daily challenge and leaderboards

async function loadDaily() {
  const result = await api("/api/practice/daily");
  if (!result.ok) return;
  state.daily = result.data;
  renderDaily();
  loadLeaderboard();
}

function renderDaily() {
  const daily = state.daily;
  if (!daily) return;
  let action;
  if (daily.done) {
    action = [
      h("div.daily-score", { "data-testid": "daily-score" }, t("w.pts", { n: daily.score })),
      h("div.daily-facts",
        typeof daily.seconds === "number" ? h("span", t("daily.seconds", { n: daily.seconds.toFixed(1) })) : null,
        h("span", { "data-testid": "daily-rank" }, daily.rank ? t("play.rankn", { n: daily.rank })
          : daily.unranked === "too_fast" ? t("daily.too_fast", { n: daily.min_seconds }) : t("daily.no_rank"))),
      daily.sitting ? h("button.btn.btn-block", {
        type: "button", "data-testid": "daily-review", onclick: () => openSittingById(daily.sitting),
      }, t("daily.review")) : null,
    ];
  } else if (daily.sitting) {
    action = h("button.btn.btn-primary.btn-lg.btn-block", {
      type: "button", "data-testid": "resume-daily", onclick: () => openSittingById(daily.sitting),
    }, t("daily.resume"));
  } else {
    action = h("button.btn.btn-primary.btn-lg.btn-block", {
      type: "button", "data-testid": "start-daily", onclick: () => startSitting({ mode: "daily" }),
    }, t("daily.start", { n: daily.count }));
  }
  fill(els.daily, h("div.card.daily-card",
    h("div.daily-day", t("daily.today", { day: daily.day })),
    action,
    state.user && state.user.guest ? h("p.muted.small", t("daily.guest_note")) : null));
}

function boardKey() {
  const day = (state.daily && state.daily.day) || "";
  return state.board.period === "month" ? day.slice(0, 7) : day;
}

async function loadLeaderboard() {
  const { period, by } = state.board;
  const key = boardKey();
  const query = new URLSearchParams({ period, by });
  if (key) query.set("key", key);
  const result = await api(`/api/practice/leaderboard?${query}`);
  if (!result.ok) return;
  state.board.data = result.data;
  renderLeaderboard();
}

function segmented(options, current, onPick) {
  return h("div.segmented", { role: "tablist" }, options.map(([value, text, testid]) => h("button.segment", {
    type: "button", role: "tab", "data-testid": testid, class: value === current ? "is-on" : "",
    "aria-selected": String(value === current),
    onclick: () => onPick(value),
  }, text)));
}

function renderLeaderboard() {
  const board = state.board;
  const pick = (field) => (value) => {
    board[field] = value;
    loadLeaderboard();
  };
  const rows = (board.data && board.data.rows) || [];
  const byDetachment = board.by === "detachment";
  const month = board.period === "month";
  const me = state.user || {};
  const head = byDetachment
    ? [t("w.rank"), t("account.detachment"), t("daily.people"), t("daily.entries"), t("daily.mean")]
    : [t("w.rank"), t("account.name"), t("w.score"), month ? t("daily.days") : t("w.time")];
  const cells = (row) => byDetachment
    ? [row.rank, row.detachment, row.people, row.entries, Number(row.mean).toFixed(1)]
    : [row.rank, h("span", row.name, h("small.muted.lb-org", row.detachment || "")), row.score,
      month ? row.days : t("daily.seconds", { n: row.seconds })];
  const mine = (row) => (byDetachment ? row.detachment === me.detachment : row.name === me.name);
  fill(els.leaderboard, h("section.card.leaderboard",
    h("h3", t("daily.leaderboard")),
    h("div.lb-controls",
      segmented([["day", t("daily.period.day"), "lb-day"], ["month", t("daily.period.month"), "lb-month"]],
        board.period, pick("period")),
      segmented([["person", t("daily.by.person"), "lb-person"], ["detachment", t("daily.by.detachment"), "lb-detachment"]],
        board.by, pick("by"))),
    rows.length ? h("div.table-wrap", { tabindex: "0" }, h("table.table.table-dense.lb-table", { "data-testid": "leaderboard" },
      h("thead", h("tr", head.map((text, i) => h(i === 1 ? "th" : "th.num", text)))),
      h("tbody", rows.map((row) => h("tr", { class: mine(row) ? "is-me" : "", "data-testid": "leaderboard-row" },
        cells(row).map((cell, i) => h(i === 1 ? "td" : "td.num", cell)))))))
      : h("p.empty", t("daily.board_empty"))));
}

// ---------------------------------------------------------------------------------------------
// History

async function loadHistory() {
  const result = await api("/api/practice/history");
  if (!result.ok) return;
  state.history = result.data;
  renderHistory(els.history, state.history);
}

// ---------------------------------------------------------------------------------------------
// Start

function renderAll() {
  if (!state.user) return;
  render();
  renderWrongbook();
  renderDaily();
  if (state.board.data) renderLeaderboard();
  if (state.history) renderHistory(els.history, state.history);
  renderExamResume();
  runner.render();
  pk.render();
}

async function start() {
  unlockAudioOnGesture();
  const [catalog, me] = await Promise.all([api("/api/practice/catalog"), api("/api/practice/me")]);
  state.catalog = catalog.ok ? catalog.data : { banks: [], tags: [], difficulties: [1, 2, 3, 4, 5] };
  if (!catalog.ok) toast(problemText(catalog));
  buildForms();
  if (me.ok && me.data.user) enter(me.data.user);
  else showAccount("login");
}

onLangChange(renderAll);
start();
