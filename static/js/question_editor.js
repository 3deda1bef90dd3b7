// The question editor: form fields (not YAML), checked as you type by the server's own bank
// validator (POST …/check, debounced), each problem shown beside its field with its code; save
// makes a new version (POST …/versions). Without a name for this login, the name comes first.
import { t, onLangChange, getLang } from "./i18n.js";
import { h, fill, errorText, pageData, withCsrf, LETTERS } from "./common.js";

const data = pageData();
const state = data.state || {};
let staffName = data.staff_name || "";
const form = document.getElementById("editor");
const $f = (id) => document.getElementById(id);
const WITH_OPTIONS = new Set(["single", "multiple", "order", "fill"]);
let options = []; // [{text, correct}] in bank order
let timer = null;
let checking = 0;
let lastOk = false;

async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: withCsrf({ "Content-Type": "application/json" }),
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  return { status: response.status, body: answer };
}

function base() {
  return `/api/banks/${encodeURIComponent(state.bank)}/questions/${encodeURIComponent(state.new ? "new" : state.qid)}`;
}

// ---------------------------------------------------------------------------------------------
// Loading a version into the form

function load(content) {
  $f("f-type").value = content.type || "single";
  $f("f-text").value = content.text || "";
  $f("f-explanation").value = content.explanation || "";
  $f("f-source").value = content.source || "";
  $f("f-difficulty").value = content.difficulty ?? 3;
  $f("f-tags").value = (content.tags || []).join("，");
  $f("f-points").value = content.points ?? "";
  $f("f-time-limit").value = content.time_limit ?? "";
  $f("f-keep-order").checked = content.shuffle === false;
  const answers = [].concat(content.answer ?? []);
  options = (content.options || []).map((text) => ({ text, correct: answers.includes(text) }));
  if (!content.type) options = ["", "", "", ""].map((text) => ({ text, correct: false }));
  answerState.truefalse = content.answer === true ? "true" : content.answer === false ? "false" : "";
  answerState.fill = content.type === "fill" ? answers.join("\n") : "";
  answerState.order = content.type === "order"
    ? answers.map((text) => LETTERS[(content.options || []).indexOf(text)] || "").join("")
    : "";
  if (content.translations) {
    $f("translations-field").hidden = false;
    $f("f-translations").textContent = JSON.stringify(content.translations, null, 2);
  }
  renderOptions();
  renderAnswer();
}

const answerState = { truefalse: "", fill: "", order: "" };

// ---------------------------------------------------------------------------------------------
// Options and the answer, which depends on the type

function type() {
  return $f("f-type").value;
}

function renderOptions() {
  const field = $f("options-field");
  field.hidden = !WITH_OPTIONS.has(type());
  const list = $f("f-options");
  fill(list, options.map((option, index) => {
    const letter = LETTERS[index];
    const correct = type() === "single"
      ? h("input", { type: "radio", name: "correct", checked: option.correct,
        "aria-label": t("edit.correct_option", { letter }),
        onchange: () => { options.forEach((o) => { o.correct = o === option; }); changed(); } })
      : type() === "multiple"
        ? h("input", { type: "checkbox", checked: option.correct,
          "aria-label": t("edit.correct_option", { letter }),
          onchange: (event) => { option.correct = event.target.checked; changed(); } })
        : null;
    return h("li.option-row", { dataset: { field: `options.${index}` } },
      h("span.option-letter", letter),
      h("input", { type: "text", value: option.text, class: "option-text",
        "aria-label": t("edit.option_n", { letter }),
        oninput: (event) => { option.text = event.target.value; changed(); } }),
      correct,
      h("button.btn.btn-small", { type: "button", "aria-label": t("edit.move_up", { letter }),
        disabled: index === 0, onclick: () => move(index, -1) }, "↑"),
      h("button.btn.btn-small", { type: "button", "aria-label": t("edit.move_down", { letter }),
        disabled: index === options.length - 1, onclick: () => move(index, 1) }, "↓"),
      h("button.btn.btn-small", { type: "button", "aria-label": t("edit.remove_option", { letter }),
        onclick: () => { options.splice(index, 1); renderOptions(); changed(); } }, "✕"));
  }));
  $f("add-option").disabled = options.length >= 8;
}

function move(index, step) {
  const [option] = options.splice(index, 1);
  options.splice(index + step, 0, option);
  renderOptions();
  changed();
}

function renderAnswer() {
  const box = $f("f-answer");
  const kind = type();
  if (kind === "truefalse") {
    fill(box, h("select#answer-input", { "aria-label": t("edit.answer"),
      onchange: (event) => { answerState.truefalse = event.target.value; changed(); } },
    h("option", { value: "" }, "—"),
    h("option", { value: "true", selected: answerState.truefalse === "true" }, t("tf.true.long")),
    h("option", { value: "false", selected: answerState.truefalse === "false" }, t("tf.false.long"))));
  } else if (kind === "fill") {
    fill(box, h("textarea#answer-input", { rows: 2, "aria-label": t("edit.answer_fill"),
      oninput: (event) => { answerState.fill = event.target.value; changed(); } }, answerState.fill),
    h("p.muted", t("edit.answer_fill")));
  } else if (kind === "order") {
    fill(box, h("input#answer-input", { type: "text", value: answerState.order,
      "aria-label": t("edit.answer_order"),
      oninput: (event) => { answerState.order = event.target.value; changed(); } }),
    h("p.muted", t("edit.answer_order")));
  } else {
    fill(box, h("p.muted", t(kind === "single" ? "edit.answer_single" : "edit.answer_multiple")));
  }
}

// ---------------------------------------------------------------------------------------------
// The fields as the server reads them (the bank format's keys)

function whole(value) {
  const text = String(value).trim();
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

function collect() {
  const kind = type();
  const fields = {
    type: kind,
    text: $f("f-text").value,
    explanation: $f("f-explanation").value,
    source: $f("f-source").value,
    difficulty: whole($f("f-difficulty").value),
    tags: $f("f-tags").value.split(/[,，、;；]/).map((tag) => tag.trim()).filter(Boolean),
  };
  const points = $f("f-points").value.trim();
  const limit = $f("f-time-limit").value.trim();
  if (points) fields.points = whole(points);
  if (limit) fields.time_limit = whole(limit);
  if (WITH_OPTIONS.has(kind) && (kind !== "fill" || options.some((o) => o.text.trim()))) {
    fields.options = options.map((o) => o.text);
    if ($f("f-keep-order").checked) fields.shuffle = false;
  }
  if (kind === "single") {
    const index = options.findIndex((o) => o.correct);
    fields.answer = index >= 0 ? LETTERS[index] : "";
  } else if (kind === "multiple") {
    fields.answer = options.flatMap((o, index) => (o.correct ? [LETTERS[index]] : []));
  } else if (kind === "truefalse") {
    fields.answer = answerState.truefalse === "" ? "" : answerState.truefalse === "true";
  } else if (kind === "fill") {
    fields.answer = answerState.fill.split("\n").map((line) => line.trim()).filter(Boolean);
  } else {
    fields.answer = [...answerState.order.toUpperCase().replace(/[^A-H]/g, "")];
  }
  if (state.new) fields.id = $f("f-id").value.trim();
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Checking as you type

function changed() {
  $f("save-btn").disabled = true;
  $f("check-status").textContent = t("edit.checking");
  clearTimeout(timer);
  timer = setTimeout(check, 300);
}

function containerOf(field) {
  const parts = field.split(".");
  for (let end = parts.length; end > 0; end--) {
    const found = form.querySelector(`[data-field="${parts.slice(0, end).join(".")}"]`);
    if (found) return found;
  }
  return form.querySelector('[data-field="question"]');
}

function showProblems(problems) {
  for (const old of form.querySelectorAll(".field-problems")) old.remove();
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const problem of problems) {
    const container = containerOf(problem.field);
    let list = container.querySelector(":scope > .field-problems");
    if (!list) {
      list = h("ul.field-problems.problems");
      container.append(list);
    }
    list.append(h(`li.problem.sev-${problem.severity}`, { dataset: { code: problem.code, field: problem.field } },
      h("code.problem-code", problem.code), " ", h("span.problem-msg", problem.text)));
    if (problem.severity === "error") {
      const input = container.matches("input, textarea, select")
        ? container
        : container.querySelector("input, textarea, select");
      if (input) input.setAttribute("aria-invalid", "true");
    }
  }
}

async function check() {
  const mine = ++checking;
  try {
    const { body } = await postJson(`${base()}/check`,
      { question: collect(), new: Boolean(state.new), language: getLang() });
    if (mine !== checking) return;
    if (body.error) {
      $f("check-status").textContent = errorText(body);
      return;
    }
    lastOk = body.ok;
    showProblems(body.problems || []);
    $f("check-status").textContent = body.ok ? t("edit.no_errors") : t("edit.has_errors");
    $f("save-btn").disabled = !body.ok || !staffName;
  } catch (error) {
    $f("check-status").textContent = errorText({ code: "network", message: String(error) });
  }
}

// ---------------------------------------------------------------------------------------------
// Saving, and the name

async function save(event) {
  event.preventDefault();
  if (!lastOk) return;
  $f("save-btn").disabled = true;
  const { status, body } = await postJson(`${base()}/versions`,
    { question: collect(), new: Boolean(state.new), base_version: state.version || 0 });
  if (status !== 201) {
    if (body.problems) showProblems(body.problems);
    fill($f("save-result"), h("p.form-error", { role: "alert" }, errorText(body)));
    return;
  }
  state.new = false;
  state.qid = body.qid;
  state.version = body.version;
  if ($f("f-id")) $f("f-id").disabled = true;
  const page = `/admin/banks/${encodeURIComponent(body.bank)}/questions/${encodeURIComponent(body.qid)}`;
  fill($f("save-result"), h("p.ok-line#saved", { role: "status" },
    "✓ ", t(body.pending ? "edit.saved_pending" : "edit.saved", { version: body.version }), " ",
    h("a#question-link", { href: page }, t("edit.to_question"))));
  const shown = document.getElementById("editor-version");
  if (shown) shown.textContent = String(body.version);
}

async function giveName(event) {
  event.preventDefault();
  const { body } = await postJson("/api/staff/name", { name: $f("staff-name").value });
  if (body.error) {
    fill($f("save-result"), h("p.form-error", { role: "alert" }, errorText(body)));
    return;
  }
  staffName = body.name;
  $f("signed-as").textContent = staffName;
  $f("name-card").hidden = true;
  form.hidden = false;
  changed();
}

function showState() {
  const el = document.getElementById("editor-state");
  if (el) el.textContent = t(`edit.state.${el.dataset.state}`);
}

load(state.content || {});
$f("f-type").addEventListener("change", () => { renderOptions(); renderAnswer(); changed(); });
$f("add-option").addEventListener("click", () => {
  options.push({ text: "", correct: false });
  renderOptions();
  changed();
});
form.addEventListener("input", (event) => {
  if (!event.target.closest(".option-row, #f-answer")) changed();
});
form.addEventListener("submit", save);
$f("name-form").addEventListener("submit", giveName);
onLangChange(() => { showState(); renderOptions(); renderAnswer(); check(); });
showState();
if (staffName) check();
