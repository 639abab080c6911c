// The review notebook's view (an anywidget ESM module). It draws the state the Python session
// sends (model "state") and sends back actions ({do: "accept"}, ...); it decides nothing itself.
// Offsets are code points of the source text, as in every Parley table: the browser's selection
// (UTF-16 positions in DOM text nodes) is converted here, see codePointOffset().

const STANCE_KEYS = { "1": -2, "2": -1, "3": 0, "4": 1, "5": 2 };
const STANCES = [-2, -1, 0, 1, 2];
export const KEYS = [
  ["j / ↓", "next proposal"], ["k / ↑", "previous proposal"], ["a", "accept"], ["r", "reject"], ["s", "skip"],
  ["1 … 5", "stance −2 … +2 of the active position"], ["l", "red line on/off"], ["p", "add a position"],
  ["x", "remove the active position"], ["[ / ]", "previous / next position"], ["f", "find the speaker"],
  ["b", "on behalf of"], ["i", "issue of the active position"], ["c", "condition"], ["o", "another report of …"],
  ["e", "selected text becomes the span"], ["n", "selected text becomes a new proposal"],
  ["h", "accept the high-confidence proposals (shows the list first)"], ["+", "add an actor, issue or event (the selected words are its evidence)"], ["Enter / Esc", "in a field: choose / leave"], ["?", "these keys"],
];

/** Code-point offset of (node, offset) from the start of container's text. */
export function codePointOffset(container, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(container);
  range.setEnd(node, offset);
  return Array.from(range.toString()).length;
}

/** The selection inside container as code-point offsets {start, end}, or null. */
export function selectionOffsets(container, selection) {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const start = codePointOffset(container, range.startContainer, range.startOffset);
  const end = codePointOffset(container, range.endContainer, range.endOffset);
  return start < end ? { start, end } : null;
}

/** Split text (by code points) at every mark boundary: [{start, end, text, marks: [mark...]}]. */
export function segments(text, marks) {
  const points = Array.from(text);
  const cuts = new Set([0, points.length]);
  for (const m of marks) { cuts.add(Math.max(0, Math.min(points.length, m.start))); cuts.add(Math.max(0, Math.min(points.length, m.end))); }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [start, end] = [sorted[i], sorted[i + 1]];
    out.push({ start, end, text: points.slice(start, end).join(""), marks: marks.filter((m) => m.start <= start && end <= m.end) });
  }
  return out;
}

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

const signed = (n) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "0");

/** A searchable list: an input whose matches show below it; Enter chooses, Esc leaves. */
function combo({ key, placeholder, value, options, onChoose, newOption }) {
  const wrap = h("div", { class: "pr-combo" });
  const input = h("input", { type: "text", placeholder, value: value || "", "data-focus": key, autocomplete: "off", spellcheck: "false", "aria-label": placeholder });
  const list = h("ul", { class: "pr-combo-list", role: "listbox" });
  let shown = [], active = 0;
  const draw = () => {
    const query = input.value.trim().toLowerCase();
    shown = options.filter((o) => !query || o.id.toLowerCase().includes(query) || o.label.toLowerCase().includes(query)).slice(0, 8);
    if (newOption && query && !options.some((o) => o.label.toLowerCase() === query || o.id === query)) shown.push({ id: null, label: newOption(input.value.trim()), isNew: true });
    active = Math.min(active, Math.max(0, shown.length - 1));
    list.replaceChildren(...shown.map((o, i) => h("li", { class: i === active ? "pr-active" : "", role: "option", onmousedown: (e) => { e.preventDefault(); choose(o); } }, o.label)));
    list.hidden = document.activeElement !== input || shown.length === 0;
  };
  const choose = (option) => { list.hidden = true; onChoose(option, input.value.trim()); };
  input.addEventListener("focus", () => { input.select(); draw(); });
  input.addEventListener("blur", () => { list.hidden = true; });
  input.addEventListener("input", () => { active = 0; draw(); });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { active = Math.min(active + 1, shown.length - 1); draw(); e.preventDefault(); }
    else if (e.key === "ArrowUp") { active = Math.max(active - 1, 0); draw(); e.preventDefault(); }
    else if (e.key === "Enter") { e.preventDefault(); if (shown[active]) choose(shown[active]); else if (!input.value.trim()) onChoose({ id: "" }, ""); }
  });
  wrap.append(input, list);
  list.hidden = true;
  return wrap;
}

function render({ model, el }) {
  const root = h("div", { class: "parley-review", tabindex: "0", "data-focus": "root" });
  el.append(root);
  let addOpen = null; // "actor" | "issue" | "event" while the add form is open
  let selection = null, showKeys = false, focusNext = null, lastCurrent = null, sent = (model.get("state") || {}).ack || 0;
  // data-busy: actions sent and not yet answered (the state echoes the last action's seq as "ack").
  const markBusy = () => { root.dataset.busy = String(Math.max(0, sent - ((model.get("state") || {}).ack || 0))); };
  const send = (action) => { sent += 1; model.send({ ...action, seq: sent }); markBusy(); };
  const state = () => model.get("state") || {};

  const focusKey = (key) => { const node = root.querySelector(`[data-focus="${key}"]`); if (node) { node.focus(); return true; } return false; };

  function header(s) {
    const c = s.counts || {};
    return h("div", { class: "pr-header" },
      h("div", { class: "pr-source" }, h("strong", {}, s.source.title || s.source.id), ` · ${s.source.outlet || "outlet unknown"} · ${s.source.published || "date unknown"} · `, h("code", {}, s.source.id)),
      h("div", { class: "pr-counts", "data-testid": "counts" }, h("strong", {}, `${c.left} left`), ` of ${c.total} · ${c.accepted} accepted · ${c.rejected} rejected${c.skipped ? ` · ${c.skipped} skipped` : ""}`),
      h("button", { class: "pr-bulk", disabled: !(s.bulk.ready || []).length, onclick: () => send({ do: "bulk", step: "open" }), title: "h" }, `Accept high-confidence (${(s.bulk.ready || []).length})…`),
      h("button", { class: "pr-add", onclick: () => { addOpen = addOpen ? null : "actor"; focusNext = "add-0"; draw(); }, title: "+" }, "+ Actor / issue / event"),
      h("button", { class: "pr-help", onclick: () => { showKeys = !showKeys; draw(); }, title: "?" }, "Keys ?"));
  }

  function textView(s) {
    const view = h("div", { class: "pr-text", "data-testid": "text", lang: "en" });
    for (const seg of segments(s.text, s.marks)) {
      if (!seg.marks.length) { view.append(seg.text); continue; }
      const top = seg.marks.find((m) => m.current) || seg.marks[0];
      const node = h("mark", { class: `pr-mark pr-${top.status}${top.current ? " pr-current" : ""}`, "data-id": top.id, title: `${top.id} (${top.status})` }, seg.text);
      if (top.status !== "coded") node.addEventListener("click", () => { if (!selectionOffsets(view, window.getSelection())) send({ do: "go", to: top.id }); });
      view.append(node);
    }
    const remember = () => { selection = selectionOffsets(view, window.getSelection()); drawSelectionBar(); };
    view.addEventListener("mouseup", remember);
    view.addEventListener("keyup", remember);
    return view;
  }

  function selectionBar() {
    const bar = h("div", { class: "pr-selection", "data-testid": "selection" });
    bar.hidden = !selection;
    if (selection) {
      const s = state();
      const picked = Array.from(s.text).slice(selection.start, selection.end).join("");
      bar.append(h("span", {}, `Selected ${selection.start}..${selection.end}: “${picked.length > 60 ? picked.slice(0, 59) + "…" : picked}” `),
        h("button", { disabled: !s.card, onclick: () => useSelection(false) }, "Make it the span (e)"),
        h("button", { onclick: () => useSelection(true) }, "New proposal (n)"));
    }
    return bar;
  }
  function drawSelectionBar() { const old = root.querySelector(".pr-selection"); if (old) old.replaceWith(selectionBar()); }
  function useSelection(isNew) {
    if (!selection) return;
    send({ do: "span", start: selection.start, end: selection.end, new: isNew });
    selection = null; window.getSelection()?.removeAllRanges();
  }

  function positionRow(s, p, index) {
    const active = index === s.active_position;
    const row = h("div", { class: `pr-position${active ? " pr-active-position" : ""}`, "data-testid": `position-${index}` });
    row.append(h("div", { class: "pr-position-head" }, h("span", { class: "pr-label" }, `Position ${index + 1}`),
      combo({ key: `issue-${index}`, placeholder: "issue (i)", value: p.issue ? `${p.label} (${p.issue})` : "",
        options: s.issues.map((i) => ({ id: i.id, label: `${i.label} (${i.id})` })),
        onChoose: (o) => { focusNext = "root"; send({ do: "position", position: index, issue: o.id || "" }); } }),
      h("button", { class: "pr-remove", onclick: () => send({ do: "remove_position", position: index }), title: "x" }, "remove")));
    const scale = h("div", { class: "pr-stance", role: "radiogroup", "aria-label": "stance" },
      ...STANCES.map((v) => h("button", { class: `pr-stance-${v + 2}${p.stance === v ? " pr-chosen" : ""}`, role: "radio", "aria-checked": p.stance === v ? "true" : "false",
        onclick: () => send({ do: "position", position: index, stance: v }) }, signed(v))));
    row.append(h("div", { class: "pr-scale" }, h("span", { class: "pr-end" }, p.minus2 ? `−2: ${p.minus2}` : "−2"), scale, h("span", { class: "pr-end" }, p.plus2 ? `+2: ${p.plus2}` : "+2")));
    const condition = h("input", { type: "text", placeholder: "condition, in your words (c)", value: p.condition, "data-focus": `condition-${index}` });
    condition.addEventListener("keydown", (e) => { if (e.key === "Enter") { focusNext = "root"; send({ do: "position", position: index, condition: condition.value }); } });
    condition.addEventListener("change", () => send({ do: "position", position: index, condition: condition.value }));
    row.append(h("div", { class: "pr-row" }, h("label", {}, h("input", { type: "checkbox", checked: p.red_line, onchange: () => send({ do: "position", position: index, red_line: "toggle" }) }), " red line (l)"), condition));
    return row;
  }

  function cardView(s) {
    const c = s.card;
    if (!c) return h("div", { class: "pr-card pr-done", "data-testid": "card" }, h("p", {}, "Every proposal of this source is decided. Select text to add one the extractor missed."));
    const card = h("div", { class: "pr-card", "data-testid": "card", "data-id": c.id });
    const kind = h("select", { "aria-label": "kind", onchange: (e) => send({ do: "kind", value: e.target.value }) }, ...s.kinds.map((k) => h("option", { value: k, selected: k === c.kind }, k.replace("_", " "))));
    const order = s.marks.filter((m) => m.status !== "coded").map((m) => m.id);
    card.append(h("div", { class: "pr-card-head" }, h("strong", {}, `Proposal ${order.indexOf(c.id) + 1} of ${order.length}`), h("code", {}, c.id), kind, h("span", { class: "pr-confidence" }, `confidence ${c.confidence.toFixed(2)}${c.method ? " · " + c.method : ""}`)));
    card.append(h("blockquote", { class: "pr-quote", "data-testid": "quote" }, c.text), h("div", { class: "pr-meta" }, `${c.start}..${c.end}${c.moved ? " (moved)" : ""}${c.cue ? ` · cue: “${c.cue}”` : ""}`));
    // Speaker, on behalf of and positions belong to a new utterance; another report keeps its utterance's.
    const coding = h("div", { class: c.report_of ? "pr-dim" : "", title: c.report_of ? `another report of ${c.report_of}: its speaker and positions are kept` : null });
    const speakerValue = c.new_actor ? `new: ${c.new_actor}` : c.speaker ? c.speaker_label : "";
    coding.append(h("div", { class: "pr-field" }, h("span", { class: "pr-label" }, "Speaker"),
      combo({ key: "speaker", placeholder: "find the speaker (f)", value: speakerValue, options: s.actors,
        newOption: (name) => `＋ new speaker “${name}”`,
        onChoose: (o, typed) => { focusNext = o.isNew ? "party" : "root"; send(o.isNew ? { do: "speaker", new: typed, party: "" } : { do: "speaker", actor: o.id }); } }),
      h("span", { class: "pr-meta" }, `proposed: ${c.proposed_speaker || "nobody"}${c.mention ? ` (“${c.mention}”)` : ""}`)));
    if (c.new_actor) {
      coding.append(h("div", { class: "pr-field" }, h("span", { class: "pr-label" }, "Party of the new speaker"),
        h("select", { "data-focus": "party", "aria-label": "party", onchange: (e) => send({ do: "speaker", new: c.new_actor, party: e.target.value }) },
          h("option", { value: "" }, "(none)"), ...s.parties.map((a) => h("option", { value: a.id, selected: a.id === c.new_actor_party }, a.label)))));
    }
    const behalf = c.on_behalf_of === null || c.on_behalf_of === undefined ? "__default__" : c.on_behalf_of;
    coding.append(h("div", { class: "pr-field" }, h("span", { class: "pr-label" }, "On behalf of"),
      h("select", { "data-focus": "behalf", "aria-label": "on behalf of", onchange: (e) => send({ do: "on_behalf", actor: e.target.value === "__default__" ? null : e.target.value }) },
        h("option", { value: "__default__", selected: behalf === "__default__" }, `default: ${c.default_on_behalf_label || "(nobody)"}`),
        h("option", { value: "", selected: behalf === "" }, "(nobody: own view)"),
        ...s.actors.map((a) => h("option", { value: a.id, selected: behalf === a.id }, a.label)))));
    coding.append(h("div", { class: "pr-positions" }, ...c.positions.map((p, i) => positionRow(s, p, i)),
      c.positions.length ? null : h("span", { class: "pr-meta" }, c.report_of ? "An utterance already coded keeps its own positions." : "No position: the statement is kept without one. Press p to add one."),
      h("button", { onclick: () => send({ do: "add_position" }), title: "p" }, "+ position (p)")));
    card.append(coding);
    card.append(h("div", { class: "pr-field" }, h("span", { class: "pr-label" }, "Another report of"),
      combo({ key: "report", placeholder: "an utterance already coded (o)", value: c.report_of ? (s.utterances.find((u) => u.id === c.report_of) || { label: c.report_of }).label : "", options: s.utterances,
        onChoose: (o) => { focusNext = "root"; send({ do: "report_of", statement: o.id || "" }); } })));
    card.append(h("div", { class: "pr-actions" },
      h("button", { class: "pr-accept", onclick: () => send({ do: "accept" }) }, "Accept (a)"),
      h("button", { class: "pr-reject", onclick: () => send({ do: "reject" }) }, "Reject (r)"),
      h("button", { onclick: () => send({ do: "skip" }) }, "Skip (s)"),
      h("button", { onclick: () => send({ do: "go", to: "previous" }) }, "◀ (k)"),
      h("button", { onclick: () => send({ do: "go", to: "next" }) }, "▶ (j)")));
    return card;
  }

  function bulkView(s) {
    if (!s.bulk.open) return null;
    return h("div", { class: "pr-bulk-list", "data-testid": "bulk" },
      h("p", {}, `Accept these ${s.bulk.ready.length} proposal(s) as their cards stand (confidence ≥ ${s.bulk.threshold.toFixed(2)})?`),
      h("ol", {}, ...s.bulk.ready.map((r) => h("li", {}, h("code", {}, r.id), " ", r.label))),
      h("button", { class: "pr-accept", "data-focus": "bulk-confirm", onclick: () => send({ do: "bulk", step: "confirm" }) }, "Accept them all (Enter)"),
      h("button", { onclick: () => send({ do: "bulk", step: "cancel" }) }, "Cancel (Esc)"));
  }

  // Fields of the add forms: [name, placeholder, options from datapackage.json or null].
  const ADD_FIELDS = (s) => ({
    actor: [["name", "name, as the article gives it"], ["kind", "kind", s.enums.actor_kind], ["participation", "participation", s.enums.participation],
            ["parent_id", "party or parent (actor id)"], ["aliases", "other names, | between them"], ["roles", "roles, | between them"],
            ["members", "a joint speaker's member parties (actor ids, | between them)"]],
    issue: [["label", "label"], ["description", "what the issue is"], ["minus2_means", "what −2 means"], ["plus2_means", "what +2 means"],
            ["keywords", "keywords, | between them"]],
    event: [["title", "title"], ["date", "date YYYY-MM-DD (empty when unknown)"], ["kind", "kind", s.enums.event_kind],
            ["status", "status", s.enums.event_status], ["place", "place"], ["parties", "parties (actor ids, | between them)"],
            ["hosts", "hosts (actor ids, | between them)"], ["excluded", "parties left out (actor ids, | between them)"]],
  });

  function addView(s) {
    if (!addOpen) return null;
    const panel = h("div", { class: "pr-add-panel", "data-testid": "add" });
    const tabs = h("div", { class: "pr-row" }, h("strong", {}, "Add to the dossier: "),
      ...["actor", "issue", "event"].map((what) => h("button", { class: what === addOpen ? "pr-chosen-tab" : "", onclick: () => { addOpen = what; focusNext = "add-0"; draw(); } }, what)));
    const inputs = ADD_FIELDS(s)[addOpen].map(([name, placeholder, options], index) => options && options.length
      ? h("select", { "data-add": name, "data-focus": `add-${index}`, "aria-label": placeholder }, h("option", { value: "" }, `${placeholder}…`), ...options.map((o) => h("option", { value: o }, o)))
      : h("input", { type: "text", "data-add": name, "data-focus": `add-${index}`, placeholder, "aria-label": placeholder }));
    const submit = () => {
      const fields = Object.fromEntries([...panel.querySelectorAll("[data-add]")].map((node) => [node.dataset.add, node.value]));
      focusNext = "root";
      send({ do: "add", what: addOpen, fields, evidence: selection ? { start: selection.start, end: selection.end } : null });
    };
    panel.addEventListener("keydown", (e) => { if (e.key === "Enter" && e.target.tagName === "INPUT") { e.preventDefault(); submit(); } });
    const words = selection ? Array.from(s.text).slice(selection.start, selection.end).join("") : "";
    panel.append(tabs, h("div", { class: "pr-add-fields" }, ...inputs),
      h("div", { class: "pr-meta" }, words ? `evidence: “${words.length > 80 ? words.slice(0, 79) + "…" : words}” (the selected words)` : "evidence: select the words of the article that show it, before adding"),
      h("div", { class: "pr-row" }, h("button", { class: "pr-accept", onclick: submit }, `Add the ${addOpen} (Enter)`), h("button", { onclick: () => { addOpen = null; draw(); } }, "Close (Esc)")));
    return panel;
  }

  function draw() {
    const s = state();
    markBusy();
    if (!s.text && s.text !== "") return;
    const hadFocus = root.contains(document.activeElement);
    const oldText = root.querySelector(".pr-text");
    const scroll = oldText ? oldText.scrollTop : 0;
    const message = s.message && s.message.text ? h("div", { class: `pr-message pr-${s.message.level}`, role: s.message.level === "error" ? "alert" : "status", "data-testid": "message" }, s.message.text) : null;
    const keys = showKeys ? h("dl", { class: "pr-keys" }, ...KEYS.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])) : null;
    const legend = h("div", { class: "pr-legend" }, ...[["pending", "to decide"], ["current", "open"], ["accepted", "accepted"], ["rejected", "rejected"], ["coded", "coded before"]]
      .map(([status, label]) => h("span", {}, h("mark", { class: `pr-mark pr-${status}${status === "current" ? " pr-current" : ""}` }, label))), " · select words to make a span");
    if (s.message && s.message.level === "info" && /^added /.test(s.message.text)) addOpen = null;
    root.replaceChildren(...[header(s), message, keys, bulkView(s), addView(s)].filter(Boolean), h("div", { class: "pr-body" }, h("div", { class: "pr-left" }, textView(s), legend, selectionBar()), cardView(s)));
    const text = root.querySelector(".pr-text");
    text.scrollTop = scroll;
    if (s.current !== lastCurrent) {
      lastCurrent = s.current;
      const mark = text.querySelector(".pr-current");
      if (mark) text.scrollTop = Math.max(0, mark.offsetTop - text.offsetTop - text.clientHeight / 3);
    }
    if (s.bulk.open) focusNext = "bulk-confirm";
    if (focusNext) { const key = focusNext; focusNext = null; if (!focusKey(key)) root.focus(); }
    else if (hadFocus) root.focus();
  }

  root.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || (e.shiftKey && e.key === "Enter")) return; // Lab's own shortcuts (save, run cell, …) keep working
    const inField = e.target !== root && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(e.target.tagName);
    e.stopPropagation(); // inside the review, keys are the review's, never the notebook's
    if (e.key === "Escape") {
      if (addOpen && (e.target === root || root.querySelector(".pr-add-panel")?.contains(e.target))) { addOpen = null; draw(); }
      root.focus(); if (state().bulk.open) send({ do: "bulk", step: "cancel" }); e.preventDefault(); return;
    }
    if (inField && !(e.target.tagName === "BUTTON" && e.key !== "Enter" && e.key !== " ")) return;
    if (state().bulk.open && e.key === "Enter") { send({ do: "bulk", step: "confirm" }); e.preventDefault(); return; }
    const s = state();
    const index = s.active_position || 0;
    const actions = {
      j: () => send({ do: "go", to: "next" }), ArrowDown: () => send({ do: "go", to: "next" }),
      k: () => send({ do: "go", to: "previous" }), ArrowUp: () => send({ do: "go", to: "previous" }),
      a: () => send({ do: "accept" }), r: () => send({ do: "reject" }), s: () => send({ do: "skip" }),
      l: () => send({ do: "position", position: index, red_line: "toggle" }),
      p: () => { focusNext = `issue-${(s.card?.positions.length ?? 0)}`; send({ do: "add_position" }); },
      x: () => send({ do: "remove_position", position: index }),
      "[": () => send({ do: "position", position: Math.max(0, index - 1) }),
      "]": () => send({ do: "position", position: Math.min((s.card?.positions.length || 1) - 1, index + 1) }),
      f: () => focusKey("speaker"), b: () => focusKey("behalf"), i: () => focusKey(`issue-${index}`) || (focusNext = "issue-0", send({ do: "add_position" })),
      c: () => focusKey(`condition-${index}`), o: () => focusKey("report"),
      e: () => useSelection(false), n: () => useSelection(true), h: () => send({ do: "bulk", step: "open" }),
      "+": () => { addOpen = addOpen || "actor"; focusNext = "add-0"; draw(); },
      "?": () => { showKeys = !showKeys; draw(); },
    };
    if (e.key in STANCE_KEYS) { send({ do: "position", position: index, stance: STANCE_KEYS[e.key] }); e.preventDefault(); return; }
    if (actions[e.key]) { actions[e.key](); e.preventDefault(); }
  });

  model.on("change:state", draw);
  draw();
  return () => model.off("change:state", draw);
}

export default { render };
