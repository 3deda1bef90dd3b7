// The answer pads: the input for each question type, one registry shared by the team phone in a
// live contest (play.js) and every self-test mode (sitting.js, pk.js). A pad turns taps or typing
// into the response the protocol expects (docs/protocol.md "answer", docs/practice.md "answers"),
// so a new question type is one more entry in PADS and nothing else on these pages.
//
// A pad is {blank, build, ready, response, marks, words}:
//   blank()              a fresh draft: a plain object holding the input not yet sent
//   build(ctx)           {nodes, paint(locked)}: the input's elements and how to redraw them from
//                        ctx.draft; ctx = {lq, draft, look, options, locked(), changed(tap), submit()}
//   ready(draft, lq)     whether the draft is a whole answer (the submit button is live only then)
//   response(draft, lq)  the draft in the protocol's shape
//   marks(value, lq)     the option indices a response or a key's answer points at, [] for none
//   words(value, lq)     a response in words, for feedback and reviews

import { t, label } from "./i18n.js";
import { h, localize, LETTERS, toast } from "./common.js";

/** The longest fill answer the server accepts. */
const FILL_MAX = 200;

/** Class names of the two looks: the light self-test page and the dark team phone. */
const LOOKS = {
  self: {
    panel: "ans-panel", type: "ans-", hint: "ans-hint", options: "ans-options", option: "ans-option",
    letter: "ans-letter", text: "ans-text", rank: "ans-order",
    submit: "btn btn-primary btn-lg btn-block ans-submit",
  },
  play: {
    panel: "answer-panel", type: "answer-", hint: "answer-hint", options: "answer-options",
    option: "answer-button", letter: "ab-letter", text: "ab-text", rank: "ab-order",
    submit: "btn btn-primary btn-submit",
  },
};

/** Indices in a response or key: numbers only, so option texts and booleans point nowhere. */
function indexList(value) {
  return [].concat(value ?? []).filter((x) => Number.isInteger(x));
}

/** Options chosen by index, in words: "B. 遵义会议", joined by `sep`. */
function optionWords(value, lq, sep) {
  return [].concat(value).map((i) => `${LETTERS[i] ?? "?"}. ${lq.options[i] ?? ""}`).join(sep);
}

/**
 * A pad that answers by tapping option buttons; its draft is the tapped indices in tap order.
 * tap(chosen, i) gives the new list; ranked pads number the buttons and can undo.
 */
function choicePad({
  tap, ready, response, marks, words, letter = (i) => LETTERS[i], hint = null, ranked = false,
}) {
  return {
    blank: () => ({ chosen: [] }),
    build(ctx) {
      const { lq, draft, look } = ctx;
      const buttons = lq.options.map((text, i) => h("button", {
        type: "button",
        class: look.option,
        "data-testid": `option-${i}`,
        dataset: { index: String(i) },
        onclick: () => {
          if (ctx.locked()) return;
          draft.chosen = tap(draft.chosen, i);
          ctx.changed(true);
        },
      },
      h("span", { class: look.letter }, letter(i)),
      h("span", { class: look.text }, String(text),
        lq.boOptions && lq.boOptions[i] ? h("span.bo.opt-bo", { lang: "bo" }, lq.boOptions[i]) : null),
      ranked ? h("span", { class: look.rank }) : null));
      const edit = (change) => () => {
        if (ctx.locked()) return;
        draft.chosen = change(draft.chosen);
        ctx.changed(false);
      };
      // Undo and clear sit under the options, within thumb reach of the submit button.
      const undo = ranked ? h("button.btn", {
        type: "button", "data-testid": "order-undo", onclick: edit((list) => list.slice(0, -1)),
      }, "↶ " + t("play.order.undo")) : null;
      const clear = ranked ? h("button.btn", {
        type: "button", "data-testid": "order-clear", onclick: edit(() => []),
      }, t("play.order.clear")) : null;
      const sequence = ranked ? h("div.order-seq", { "data-testid": "order-seq", "aria-live": "polite" }) : null;
      const paint = (locked) => {
        for (const [i, button] of buttons.entries()) {
          const at = draft.chosen.indexOf(i);
          button.classList.toggle("is-picked", at >= 0);
          button.setAttribute("aria-pressed", at >= 0 ? "true" : "false");
          button.disabled = locked;
          if (ranked) button.lastChild.textContent = at >= 0 ? String(at + 1) : "";
        }
        if (!ranked) return;
        sequence.replaceChildren(...(draft.chosen.length
          ? draft.chosen.map((i, n) => h("span.order-chip", `${n + 1}. ${LETTERS[i]}`))
          : [h("span.muted", t("play.order.hint"))]));
        undo.disabled = locked || !draft.chosen.length;
        clear.disabled = locked || !draft.chosen.length;
      };
      return {
        nodes: [
          hint ? h("div", { class: look.hint }, t(hint)) : null,
          sequence,
          h("div", { class: look.options }, buttons),
          ranked ? h("div.order-tools", undo, clear) : null,
        ],
        paint,
      };
    },
    ready: (draft, lq) => ready(draft.chosen, lq),
    response: (draft) => response(draft.chosen),
    marks,
    words,
  };
}

/** The fill pad: a text box (Enter sends), and the bank's choices as chips where the page asks. */
const fillPad = {
  blank: () => ({ text: "" }),
  build(ctx) {
    const { lq, draft } = ctx;
    const input = h("input.fill-input", {
      type: "text", maxlength: String(FILL_MAX), value: draft.text, autocomplete: "off",
      autocapitalize: "off", spellcheck: "false", enterkeyhint: "send",
      placeholder: t("play.fill.placeholder"), "data-testid": "fill-input",
    });
    input.addEventListener("input", () => {
      draft.text = input.value;
      ctx.changed(false);
    });
    input.addEventListener("keydown", (e) => { if (e.key === "Enter") ctx.submit(); });
    const chips = ctx.options.fillChoices && lq.options.length
      ? h("div.fill-chips", lq.options.map((text, i) => h("button.chip-button", {
        type: "button",
        "data-testid": `fill-choice-${i}`,
        onclick: () => {
          if (ctx.locked()) return;
          draft.text = String(text);
          input.value = draft.text;
          ctx.changed(true);
        },
      }, String(text))))
      : null;
    if (ctx.options.focus) setTimeout(() => input.focus({ preventScroll: true }), 50);
    return {
      nodes: [input, chips],
      paint(locked) {
        // Read-only rather than disabled while sending, so the keyboard stays up if it fails.
        input.readOnly = locked;
        if (chips) for (const chip of chips.children) chip.disabled = locked;
      },
    };
  },
  ready: (draft) => draft.text.trim().length > 0,
  response: (draft) => draft.text.trim().slice(0, FILL_MAX),
  marks: () => [],
  words: (value) => String(value),
};

/** The pad of each question type, by the type's name in the bank format. */
export const PADS = {
  single: choicePad({
    tap: (chosen, i) => [i],
    ready: (chosen) => chosen.length === 1,
    response: (chosen) => chosen[0],
    marks: indexList,
    words: (value, lq) => optionWords(value, lq, "、"),
  }),
  multiple: choicePad({
    tap: (chosen, i) => (chosen.includes(i) ? chosen.filter((x) => x !== i) : [...chosen, i]),
    ready: (chosen) => chosen.length >= 1,
    response: (chosen) => [...chosen].sort((a, b) => a - b),
    marks: indexList,
    words: (value, lq) => optionWords(value, lq, "、"),
    hint: "play.multi.hint",
  }),
  // The options are the localized 正确/错误; the first button means true.
  truefalse: choicePad({
    tap: (chosen, i) => [i],
    ready: (chosen) => chosen.length === 1,
    response: (chosen) => chosen[0] === 0,
    marks: (value) => (typeof value === "boolean" ? [value ? 0 : 1] : []),
    words: (value) => (value ? t("tf.true.long") : t("tf.false.long")),
    letter: (i) => (i === 0 ? "✓" : "✗"),
  }),
  fill: fillPad,
  order: choicePad({
    tap: (chosen, i) => (chosen.includes(i) ? chosen : [...chosen, i]),
    ready: (chosen, lq) => chosen.length === lq.options.length,
    response: (chosen) => [...chosen],
    marks: indexList,
    words: (value, lq) => optionWords(value, lq, " → "),
    ranked: true,
  }),
};

/** The pad for a question type, or null when this page cannot answer that type. */
export function padFor(type) {
  return Object.hasOwn(PADS, type) ? PADS[type] : null;
}

/**
 * The answer input for `q` (a question view) and its submit button. onSubmit(response) returns a
 * promise of whether the answer was taken; the pad stays locked while it runs and after success.
 * options: look ("self" or "play"), draft (a previous pad's draft to carry on with), fillChoices
 * (offer a fill question's options as chips), focus (focus the text box), onTap (each option tap).
 * Returns {el, draft, lock(), reveal(keyed question, response)}.
 */
export function answerPad(q, onSubmit, {
  look = "self", draft = null, fillChoices = false, focus = false, onTap = null,
} = {}) {
  const lq = localize(q);
  const skin = LOOKS[look];
  const pad = padFor(lq.type);
  if (!pad) {
    const el = h("div", {
      class: `${skin.panel} pad-unsupported`, "data-testid": "pad-unsupported", role: "status",
    }, t("pad.unsupported", { type: label("type", lq.type) }));
    return { el, draft: null, lock() {}, reveal() {} };
  }
  const state = draft ?? pad.blank();
  const panel = h("div", {
    class: `${skin.panel} ${skin.type}${lq.type}`, "data-testid": "answer-pad", dataset: { type: lq.type },
  });
  const submit = h("button", {
    type: "button", class: skin.submit, "data-testid": "submit-answer",
  }, t("play.submit"));
  let locked = false;
  let built = null;
  const repaint = () => {
    built.paint(locked);
    submit.disabled = locked || !pad.ready(state, lq);
  };
  built = pad.build({
    lq,
    draft: state,
    look: skin,
    options: { fillChoices, focus },
    locked: () => locked,
    changed(tapped) {
      if (tapped && onTap) onTap();
      repaint();
    },
    submit: () => submit.click(),
  });

  submit.addEventListener("click", async () => {
    if (locked) return;
    if (!pad.ready(state, lq)) {
      toast(t("play.choose"), "info", 2000);
      return;
    }
    locked = true;
    repaint();
    let accepted = false;
    try {
      accepted = await onSubmit(pad.response(state, lq));
    } finally {
      if (!accepted) locked = false;
      repaint();
    }
  });
  panel.append(...built.nodes.filter(Boolean), submit);
  repaint();

  return {
    el: panel,
    draft: state,
    lock() {
      locked = true;
      repaint();
      submit.hidden = true;
    },
    /** Colour the options: the key green, a wrong pick red; the input is then closed. */
    reveal(keyed, given) {
      locked = true;
      submit.hidden = true;
      repaint();
      // A truefalse key has no indices: its answer (true/false) says which button is right.
      const indices = keyed.answer_indices || [];
      const right = new Set(indices.length ? indices : pad.marks(keyed.answer, lq));
      const mine = new Set(given === null || given === undefined ? [] : pad.marks(given, lq));
      for (const button of panel.querySelectorAll("[data-index]")) {
        const i = Number(button.dataset.index);
        button.classList.toggle("is-right", right.has(i));
        button.classList.toggle("is-wrong", mine.has(i) && !right.has(i));
      }
      for (const input of panel.querySelectorAll("input")) input.disabled = true;
    },
  };
}

/** A response in words for reviews; a type this page cannot answer shows its raw value. */
export function responseWords(q, response) {
  const pad = padFor(q.type);
  return pad ? pad.words(response, localize(q)) : JSON.stringify(response);
}
