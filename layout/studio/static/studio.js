// The studio's client: draws the display list the server sends (SVG, one <g> per block), keeps it live
// from server-sent events, and turns drags, clicks and Ctrl-Z into requests. No build step.
"use strict";
const NS = "http://www.w3.org/2000/svg";
const root = document.documentElement;
const state = { pages: [], fonts: {}, undo: [], report: null, pdf: null, pending: 0, undoWanted: 0,
                zoom: 0.75, fit: true, pinned: null, peeking: null };
const ZOOM_MIN = 0.3, ZOOM_MAX = 3, ZOOM_STEP = 1.25;
const EDGE = 6;                         // pt: the width of the grip along a block's right and bottom edges
window.__studio = { shown: [] };        // (build, time) of each update shown: read by the latency bench

function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}

function fontFaces(fonts) {
  let css = "";
  for (const key in fonts) {
    for (const c of fonts[key].chunks)
      css += `@font-face{font-family:"${fonts[key].family}";src:url(${c.url}) format("truetype");` +
             `unicode-range:${c.range};font-display:block}\n`;
  }
  document.getElementById("faces").textContent = css;
}

function family(key) { return state.fonts[key] ? `"${state.fonts[key].family}"` : "serif"; }

function drawText(it, index, parent) {
  const t = el("text", { "font-family": family(it.f), "font-size": it.z, fill: it.c }, parent);
  t.dataset.item = index;
  t.dataset.role = it.r;
  if (it.o) {                     // where each character was typed: FILE and "offset:count" runs
    t.dataset.file = it.file;
    t.dataset.offsets = it.o.map(([o, n]) => `${o}:${n}`).join(" ");
  }
  if (it.r === "overflow") t.classList.add("overflow-text");
  const chars = Array.from(it.s);
  const scaled = Math.abs(it.h - 1) > 1e-6 || !!it.rot;     // Tz, or turned clockwise about its origin
  const x0 = scaled ? 0 : it.x, y = scaled ? 0 : it.y;
  if (scaled) t.setAttribute("transform", `translate(${it.x} ${it.y}) rotate(${it.rot || 0}) scale(${it.h} 1)`);
  if (chars.length === it.s.length) {
    t.setAttribute("x", it.dx.map(d => (x0 + d).toFixed(3)).join(" "));
    t.setAttribute("y", y);
    t.textContent = it.s;
  } else {                                   // characters beyond U+FFFF: one tspan per code point
    t.setAttribute("y", y);
    chars.forEach((ch, i) => { const s = el("tspan", { x: (x0 + it.dx[i]).toFixed(3) }, t); s.textContent = ch; });
  }
}

function drawItem(it, index, parent) {
  if (it.t === "text") return drawText(it, index, parent);
  if (it.t === "rule") return el("line", { x1: it.x1, y1: it.y1, x2: it.x2, y2: it.y2, stroke: it.c,
                                           "stroke-width": it.w }, parent);
  if (it.t === "box") return el("rect", { x: it.x, y: it.y, width: it.w, height: it.h, fill: it.c }, parent);
  if (it.t === "pic") return el("image", { x: it.x, y: it.y, width: it.w, height: it.h, href: it.src,
                                           preserveAspectRatio: "none" }, parent);
  if (it.t === "art") {                        // a delivered ad: its first page, fitted and centred
    const a = el("image", { x: it.x, y: it.y, width: it.w, height: it.h, href: it.src,
                            preserveAspectRatio: "xMidYMid meet", class: "artwork" }, parent);
    a.dataset.name = it.name;
    return a;
  }
}

function drawGroup(page, g) {
  let node = page.svg.querySelector(`:scope > g[data-group="${CSS.escape(g.id)}"]`);
  const fresh = el("g", { "data-group": g.id });
  if (g.id !== "page") {
    Object.assign(fresh.dataset, { block: g.id, status: g.status, overflowChars: g.overflow_chars,
                                   emptyLines: g.empty_lines, kind: g.kind, at: g.frame.at.join(" "),
                                   size: g.frame.size[0] + " " + (g.frame.auto ? "auto" : g.frame.size[1]) });
    const f = g.frame, frame = el("g", { class: "frame" }, fresh);
    el("rect", { class: "box", x: f.x, y: f.y, width: f.w, height: f.h }, frame);
  }
  if (state.selected && state.selected[0] === g.id && state.selected[1] === page.view.page)
    fresh.classList.add("selected");
  g.items.forEach((it, i) => drawItem(it, i, fresh));
  if (g.id !== "page") {                     // the edges last, above the text: right = columns, bottom = lines
    const f = g.frame, e = EDGE / 2, edges = el("g", { class: "frame edges" }, fresh);
    el("rect", { class: "edge", "data-edge": "right", x: f.x + f.w - e, y: f.y, width: 2 * e, height: f.h }, edges);
    el("rect", { class: "edge", "data-edge": "bottom", x: f.x, y: f.y + f.h - e, width: f.w, height: 2 * e }, edges);
    el("rect", { class: "handle", "data-edge": "corner", x: f.x + f.w - 6, y: f.y + f.h - 6, width: 6, height: 6 },
       edges);
  }
  if (node) page.svg.replaceChild(fresh, node); else page.svg.insertBefore(fresh, page.grid);
  page.groups[g.id] = g;
}

function gridOverlay(view, svg) {
  const gl = el("g", { class: "gridlines" }, svg), gr = view.grid;
  for (let c = 0; c < gr.columns; c++)
    el("rect", { x: gr.left + c * (gr.col_width + gr.gutter), y: gr.top, width: gr.col_width,
                 height: gr.lines * gr.leading }, gl);
  for (let l = 0; l <= gr.lines; l++)
    el("line", { x1: gr.left, x2: gr.left + gr.columns * gr.col_width + (gr.columns - 1) * gr.gutter,
                 y1: gr.top + l * gr.leading, y2: gr.top + l * gr.leading }, gl);
  return gl;
}

function pageFor(view) {
  let page = state.pages[view.page];
  if (!page) {
    // a sheet: the page's SVG, and over it the blocks' labels (HTML, a constant size whatever the zoom)
    const sheet = document.createElement("div"), labels = document.createElement("div");
    sheet.className = "sheet"; labels.className = "labels";
    const svg = el("svg", { class: "page", viewBox: `0 0 ${view.width} ${view.height}`, "data-page": view.page });
    sheet.append(svg, labels);
    document.getElementById("pages").appendChild(sheet);
    page = state.pages[view.page] = { sheet, svg, labels, groups: {}, view };
    page.grid = gridOverlay(view, svg);
    svg.addEventListener("pointerdown", ev => pointerDown(ev, page));
    svg.addEventListener("pointerover", ev => hoverLabel(page, ev.target.closest("g[data-block]")));
    svg.addEventListener("pointerleave", () => hoverLabel(page, null));
    if (state.fit) { state.zoom = fitZoom(view); showZoom(); }
    state.pages.forEach(p => p && sizePage(p));
  }
  page.view = view;
  return page;
}

function sizePage(page) {
  page.svg.setAttribute("width", page.view.width * state.zoom);
  page.svg.setAttribute("height", page.view.height * state.zoom);
}

// -- labels: each block's id and status, ~11 px on screen at any zoom, inside its frame's bottom-left
// corner; a label wider than its block is cut (…) and shown whole while the pointer is over the block
function statusText(g) {
  return g.status === "overflow" ? `+${g.overflow_chars} chars, ${g.overflow_lines} lines`
    : g.status === "underfull" ? `${g.empty_lines} empty lines` : "fits";
}

function drawLabels(page) {
  const pageIndex = view(page);
  page.labels.textContent = "";
  for (const id in page.groups) {
    const g = page.groups[id], f = g.frame;
    if (id === "page" || !f) continue;
    const tag = document.createElement("div"), name = document.createElement("span"),
          st = document.createElement("span");
    tag.className = "label st-" + g.status; tag.dataset.label = id;
    name.className = "id"; name.textContent = id;
    st.className = "status"; st.textContent = statusText(g);
    tag.append(name, st);
    // pt of the page times --z (CSS px per pt): the label follows its block at any zoom, unscaled itself
    tag.style.left = `calc(${f.x}px * var(--z) + 2px)`;
    tag.style.top = `calc(${f.y + f.h}px * var(--z) - 2px)`;
    tag.style.maxWidth = `calc(${f.w}px * var(--z) - 4px)`;
    if (g.status === "overflow") {       // the text that does not fit: shown below the block on demand
      st.title = "the text that does not fit: point here to see it below the block, click to keep it shown";
      st.addEventListener("pointerenter", () => peek(pageIndex, id, false));
      st.addEventListener("pointerleave", () => { if (!samePeek(state.pinned, pageIndex, id)) unpeek(); });
      st.addEventListener("pointerdown", ev => pointerDown(ev, page, page.svg.querySelector(
        `:scope > g[data-block="${CSS.escape(id)}"]`)));       // a drag from the label moves its block
      st.addEventListener("click", () => {
        state.pinned = samePeek(state.pinned, pageIndex, id) ? null : [pageIndex, id];
        if (state.pinned) peek(pageIndex, id, true); else { unpeek(); peek(pageIndex, id, false); }
      });
    }
    if (samePeek(state.pinned, pageIndex, id)) tag.classList.add("pinned");
    if (page.hover === id) tag.classList.add("whole");
    page.labels.appendChild(tag);
  }
}

function hoverLabel(page, gnode) {
  const id = gnode ? gnode.dataset.block : null;
  if (page.hover === id) return;
  page.hover = id;
  for (const tag of page.labels.children) tag.classList.toggle("whole", tag.dataset.label === id);
}

// -- the overflow, on demand: the block's faded overflowing lines, as the composer set them below the
// block, on an opaque panel above every other block (so that they never mix with another block's text)
function samePeek(a, pageIndex, id) { return !!a && a[0] === pageIndex && a[1] === id; }

function unpeek() {                 // the overflow shown on hover hidden; a pinned one stays
  document.querySelectorAll("svg.page > g.peek").forEach(n => n.remove());
  document.querySelectorAll(".labels .label.pinned, .labels .label.peeked")
    .forEach(n => n.classList.remove("pinned", "peeked"));
  document.querySelectorAll(".labels.peeking").forEach(n => n.classList.remove("peeking"));
  state.peeking = null;
  if (state.pinned) peek(state.pinned[0], state.pinned[1], true);
}

function markPinned() {
  const page = state.pages[state.pinned[0]];
  const tag = page && page.labels.querySelector(`[data-label="${CSS.escape(state.pinned[1])}"]`);
  if (tag) tag.classList.add("pinned");
}

function peek(pageIndex, id, pinned) {
  document.querySelectorAll("svg.page > g.peek").forEach(n => n.remove());
  const page = state.pages[pageIndex];
  const node = page && page.svg.querySelector(`:scope > g[data-block="${CSS.escape(id)}"]`);
  const texts = node ? [...node.querySelectorAll(":scope > text.overflow-text")] : [];
  if (!texts.length) { if (pinned) state.pinned = null; state.peeking = null; return; }
  const layer = el("g", { class: "peek", "data-peek": id }), panel = el("rect", { class: "panel" }, layer);
  page.svg.appendChild(layer);                              // last: drawn above every block
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const t of texts) {
    const c = layer.appendChild(t.cloneNode(true));
    const b = c.getBBox(), m = c.transform.baseVal.consolidate();
    const dx = m ? m.matrix.e : 0, dy = m ? m.matrix.f : 0;
    x0 = Math.min(x0, b.x + dx); y0 = Math.min(y0, b.y + dy);
    x1 = Math.max(x1, b.x + dx + b.width * (m ? m.matrix.a : 1)); y1 = Math.max(y1, b.y + dy + b.height);
  }
  const pad = 3;
  Object.entries({ x: x0 - pad, y: y0 - pad, width: x1 - x0 + 2 * pad, height: y1 - y0 + 2 * pad })
    .forEach(([k, v]) => panel.setAttribute(k, v));
  state.peeking = [pageIndex, id];
  page.labels.classList.add("peeking");              // the other labels fade over the panel
  page.labels.querySelector(`[data-label="${CSS.escape(id)}"]`)?.classList.add("peeked");
  if (pinned) markPinned();
}

function apply(msg) {
  if (msg.fonts) fontFaces(state.fonts = msg.fonts);
  if (msg.pdf !== undefined && msg.pdf !== null) showPdf(msg.pdf);
  if (msg.build === undefined) return;        // a PDF message only
  for (const view of msg.pages || []) {
    const page = pageFor(view);
    for (const gid of view.order) if (view.groups[gid]) drawGroup(page, view.groups[gid]);
    for (const node of page.svg.querySelectorAll(":scope > g[data-group]"))
      if (!view.order.includes(node.dataset.group)) { node.remove(); delete page.groups[node.dataset.group]; }
    for (const gid of view.order) {               // drawing order of the display list
      const node = page.svg.querySelector(`:scope > g[data-group="${CSS.escape(gid)}"]`);
      if (node) page.svg.insertBefore(node, page.grid);
    }
  }
  for (const view of msg.pages || []) drawLabels(state.pages[view.page]);
  if (state.peeking) {                           // the overflow shown again over the block's new lines
    const [p, id] = state.peeking;
    if (samePeek(state.pinned, p, id)) peek(p, id, true); else unpeek();
  }
  if (msg.changed === null)                      // a snapshot: drop pages the edition no longer has
    state.pages.slice((msg.pages || []).length).forEach(p => p && p.sheet.remove());
  const banner = document.getElementById("banner");
  if (msg.error) { banner.hidden = false; banner.textContent = msg.error; banner.dataset.error = msg.error; }
  else { banner.hidden = true; banner.textContent = ""; delete banner.dataset.error; }
  if (msg.report) showReport(msg.report);
  if (msg.unplaced) showUnplaced(msg.unplaced);
  if (!msg.error && msg.changed !== null) document.getElementById("pdf-state").textContent = "PDF: writing…";
  requestAnimationFrame(() => {
    root.dataset.build = msg.build;
    window.__studio.shown.push([msg.build, performance.timeOrigin + performance.now()]);
  });
}

function li(list, text, cls) { const e = document.createElement("li"); e.textContent = text;
  if (cls) e.className = cls; list.appendChild(e); }

function showReport(r) {
  state.report = r;
  const t = document.getElementById("fits"); t.textContent = "";
  for (const a of r.articles) {
    const row = t.insertRow();
    row.insertCell().textContent = a.block;
    const s = row.insertCell(); s.textContent = a.status; s.className = "st-" + a.status;
    row.insertCell().textContent = a.status === "overflow" ? `+${a.overflow_chars} chars (${a.overflow_lines} lines)`
      : a.status === "underfull" ? `${a.empty_lines} empty lines` : `${a.chars} chars`;
  }
  const m = document.getElementById("missing"); m.textContent = "";
  for (const g of r.missing_glyphs) li(m, `${g.char} ${g.codepoint} in ${g.article} (${g.role})`);
  const w = document.getElementById("warnings"); w.textContent = "";
  for (const x of r.warnings) li(w, x);
}

function showUnplaced(names) {
  // article files no block shows: one button each puts it on the page (a new block in the first free area)
  const list = document.getElementById("unplaced"); list.textContent = "";
  document.getElementById("unplaced-section").hidden = !names.length;
  for (const name of names) {
    const item = document.createElement("li"), b = document.createElement("button");
    b.textContent = "place"; b.dataset.article = name; b.onclick = () => place(name);
    item.append(`articles/${name}.md `, b); list.appendChild(item);
  }
}

async function place(name) {
  state.pending += 1; counters();
  const box = document.getElementById("refused");
  let r, out;
  try {
    r = await fetch("/api/blocks", { method: "POST", headers: { "Content-Type": "application/json" },
                                     body: JSON.stringify({ article: name }) });
    out = await r.json();
  } catch (err) { r = { ok: false }; out = { error: "the studio server does not answer: is `layout serve` still running?" }; }
  state.pending -= 1;
  if (r.ok) { state.undo.push([out.id, out.page, { remove: true }]); box.hidden = true; delete box.dataset.refused; }
  else { box.hidden = false; box.textContent = out.error; box.dataset.refused = out.error; }
  counters();
}

function showPdf(pdf) {
  const p = document.getElementById("preflight"); p.textContent = "";
  const s = document.getElementById("pdf-state");
  if (pdf.error) { s.textContent = "PDF not written: " + pdf.error; return; }
  s.textContent = "PDF: " + pdf.report.output;
  for (const f of pdf.report.preflight) li(p, `${f.level}: ${f.message}`, f.level);
}

// -- pointer: drag to move, corner to resize, click for the source ----------------------------------
function svgPoint(svg, ev) { const p = svg.createSVGPoint(); p.x = ev.clientX; p.y = ev.clientY;
  return p.matrixTransform(svg.getScreenCTM().inverse()); }

function pointerDown(ev, page, on) {
  if (ev.button !== 0) return;
  const gnode = on || ev.target.closest("g[data-block]");
  if (!gnode) {                                     // the page's own text: header, folio, footer
    if (ev.target.closest("text")) click(ev, page, null);
    return;
  }
  const g = page.groups[gnode.dataset.block], gr = page.view.grid, f = g.frame;
  const edge = ev.target.dataset.edge;              // right: columns, bottom: lines, corner: both
  const resize = !!edge;
  const start = svgPoint(page.svg, ev);
  let moved = false, ghost = null, target = { at: f.at.slice(), size: f.size.slice() };
  const move = e => {
    const p = svgPoint(page.svg, e), dx = p.x - start.x, dy = p.y - start.y;
    if (!moved && Math.hypot(dx, dy) < 3) return;
    moved = true;
    const dc = Math.round(dx / (gr.col_width + gr.gutter)), dl = Math.round(dy / gr.leading);
    const lines = f.size[1] || Math.max(1, Math.round(f.h / gr.leading));    // `auto`: the lines it took
    const keep = f.auto ? "auto" : f.size[1];                               // a right-edge drag keeps `auto`
    if (resize) target = { at: f.at.slice(), size: [edge === "bottom" ? f.size[0] : Math.max(1, f.size[0] + dc),
                                                    edge === "right" ? keep : Math.max(1, lines + dl)] };
    else target = { at: [Math.max(1, f.at[0] + dc), Math.max(1, f.at[1] + dl)], size: f.size.slice() };
    ghost = ghost || el("rect", { class: "ghost" }, page.svg);
    const w = target.size[0] * gr.col_width + (target.size[0] - 1) * gr.gutter;
    ghost.setAttribute("x", gr.left + (target.at[0] - 1) * (gr.col_width + gr.gutter));
    ghost.setAttribute("y", gr.top + (target.at[1] - 1) * gr.leading);
    ghost.setAttribute("width", w);
    ghost.setAttribute("height", (target.size[1] === "auto" ? lines : target.size[1]) * gr.leading);
  };
  const up = e => {
    window.removeEventListener("pointermove", move); window.removeEventListener("pointerup", up);
    if (ghost) ghost.remove();
    if (!moved) { if (on) return; select(g.id, view(page)); return click(ev, page, g); }   // a label's click: its own
    const body = resize ? { size: target.size } : { at: target.at };
    const before = resize ? { size: [f.size[0], f.auto ? "auto" : f.size[1]] } : { at: f.at.slice() };
    if (JSON.stringify(body) !== JSON.stringify(before)) send(g.id, view(page), body, before);
  };
  window.addEventListener("pointermove", move); window.addEventListener("pointerup", up);
  ev.preventDefault();
}
function view(page) { return page.view.page; }

function counters() {             // what tests and scripts can wait on: requests in flight, undo depth
  root.dataset.pending = state.pending; root.dataset.undo = state.undo.length;
  document.getElementById("saving").hidden = !state.pending;
  if (!state.pending && state.undoWanted) { state.undoWanted -= 1; undo(); }
}

async function send(id, pageIndex, body, before) {
  // the undo entry is taken at once (Ctrl-Z right after a drag undoes it; the server applies requests in
  // order) and dropped again when the move is refused
  const entry = before ? [id, pageIndex, before] : null;
  if (entry) state.undo.push(entry);
  state.pending += 1; counters();
  const box = document.getElementById("refused");
  let r, out;
  try {
    const url = body.restore ? "/api/blocks" : `/api/blocks/${encodeURIComponent(id)}?page=${pageIndex}`;
    r = body.remove ? await fetch(url, { method: "DELETE" })
      : await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    out = await r.json();
  } catch (err) {
    r = { ok: false, status: 0 }; out = { error: "the studio server does not answer: is `layout serve` still running?" };
  }
  state.pending -= 1;
  if (r.ok) { box.hidden = true; delete box.dataset.refused;
              if (entry && out.restore) entry[2] = { restore: out.restore }; }   // a removal: undone by its token
  else {
    if (entry && state.undo.includes(entry)) state.undo.splice(state.undo.indexOf(entry), 1);
    box.hidden = false; box.textContent = out.error; box.dataset.refused = out.error;
    clearTimeout(state.refusedTimer);
    state.refusedTimer = setTimeout(() => { box.hidden = true; }, 8000);
  }
  counters();
  return r.status;
}
window.__studio.send = send;

function charOffsets(t) {           // per code point of the text: its offset in data-file, or -1
  const out = [];
  for (const seg of (t.dataset.offsets || "").split(" ")) {
    if (!seg) continue;
    const [o, c] = seg.split(":").map(Number);
    for (let i = 0; i < c; i++) out.push(o < 0 ? -1 : o + i);
  }
  return out;
}

function clickedIndex(t, ev) {      // the code point under the pointer, or -1 between characters
  const p = t.ownerSVGElement.createSVGPoint(); p.x = ev.clientX; p.y = ev.clientY;
  const n = t.getCharNumAtPosition(p.matrixTransform(t.getScreenCTM().inverse()));
  return n < 0 ? -1 : Array.from(t.textContent.slice(0, n)).length;
}

function typedAt(t, ev) {
  // [text, offset] of the clicked character; a character typed nowhere (第 and 版 of a folio, the words of
  // a jump line, an added hyphen) answers the nearest typed character of its line: in its own <text>,
  // else in the nearest <text> of the same line (same group, role and baseline)
  const k = clickedIndex(t, ev);
  if (k < 0) return [null, -1];
  const offs = charOffsets(t);
  if (offs[k] >= 0) return [t, offs[k]];
  let best = -1, d = Infinity;
  offs.forEach((o, i) => { if (o >= 0 && Math.abs(i - k) < d) { d = Math.abs(i - k); best = o; } });
  if (best >= 0) return [t, best];
  if (t.hasAttribute("transform")) return [null, -1];
  const box = t.getBBox();
  let near = null; d = Infinity;
  for (const s of t.parentNode.querySelectorAll(":scope > text[data-offsets]")) {
    if (s === t || s.hasAttribute("transform") || s.getAttribute("y") !== t.getAttribute("y") ||
        s.dataset.role !== t.dataset.role) continue;
    const b = s.getBBox(), gap = b.x >= box.x ? b.x - (box.x + box.width) : box.x - (b.x + b.width);
    if (Math.abs(gap) < d) { d = Math.abs(gap); near = s; }
  }
  if (!near) return [null, -1];
  const typed = charOffsets(near).filter(o => o >= 0);
  return [near, near.getBBox().x >= box.x ? typed[0] : typed[typed.length - 1]];
}

async function click(ev, page, g) {
  // the text under the pointer, also where an edge's grip lies over a line's last character
  const t = ev.target.closest("text") ||
    document.elementsFromPoint(ev.clientX, ev.clientY).find(e => e.matches("svg.page text"));
  let url;
  const [src, offset] = t ? typedAt(t, ev) : [null, -1];
  if (offset >= 0) url = `/api/source?file=${encodeURIComponent(src.dataset.file)}&offset=${offset}`;
  else if (g) url = `/api/blocks/${encodeURIComponent(g.id)}/source`;     // the frame, or text with no offsets
  else return;
  const r = await fetch(url), out = await r.json(), box = document.getElementById("where-text");
  document.getElementById("where").hidden = false;
  box.textContent = "";
  if (!r.ok) { box.textContent = out.error; return; }
  const a = document.createElement("a"); a.href = out.link; a.textContent = out.where; a.id = "where-link";
  box.appendChild(a);
  const copy = document.createElement("input"); copy.value = out.where; copy.readOnly = true; copy.id = "where-path";
  copy.style.width = "100%"; box.appendChild(copy);
  if (out.lines) {
    const pre = document.createElement("pre");
    pre.textContent = out.lines.map((l, i) => String(out.first + i).padStart(4) + "  " + l).join("\n");
    box.appendChild(pre);
  }
  box.dataset.where = out.where;
}

function select(id, pageIndex) {    // the block clicked last: Delete takes it off the page
  document.querySelectorAll("g.selected").forEach(n => n.classList.remove("selected"));
  state.selected = [id, pageIndex];
  const svg = state.pages[pageIndex] && state.pages[pageIndex].svg;
  const node = svg && svg.querySelector(`:scope > g[data-block="${CSS.escape(id)}"]`);
  if (node) node.classList.add("selected");
}

function removeSelected() {
  const [id, pageIndex] = state.selected || [];
  if (id === undefined) return;
  state.selected = null;
  send(id, pageIndex, { remove: true }, { removed: true });     // the entry gets its restore token on success
}

function undo() {
  // Ctrl-Z while a move or a placing is still on its way waits for its answer (a placed block's id, a
  // refused move's entry dropped), then undoes it
  if (state.pending) { state.undoWanted += 1; return; }
  if (!state.undo.length) return;
  const [id, page, before] = state.undo.pop();
  send(id, page, before, null);
}

// -- zoom: CSS px per pt; at first the page's width fitted to the window (again when it is resized, until
// the designer zooms by hand); + and - step it, 0 fits it again
function fitZoom(v) {
  const pages = document.getElementById("pages"), pad = parseFloat(getComputedStyle(pages).paddingLeft) || 0;
  const width = Math.max(...state.pages.filter(p => p).map(p => p.view.width), v ? v.width : 0);
  return width > 0 ? (pages.clientWidth - 2 * pad) / width : state.zoom;
}

function setZoom(z, fit) {
  const pages = document.getElementById("pages");
  const cx = (pages.scrollLeft + pages.clientWidth / 2) / (pages.scrollWidth || 1),
        cy = (pages.scrollTop + pages.clientHeight / 2) / (pages.scrollHeight || 1);
  state.fit = !!fit;
  if (fit) z = fitZoom();
  state.zoom = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, z));
  showZoom();
  state.pages.forEach(p => p && sizePage(p));
  pages.scrollLeft = cx * pages.scrollWidth - pages.clientWidth / 2;     // the middle of the view stays
  pages.scrollTop = cy * pages.scrollHeight - pages.clientHeight / 2;
}

function showZoom() {
  document.getElementById("pages").style.setProperty("--z", state.zoom);
  document.getElementById("zoom").value = state.zoom;
  document.getElementById("zoom-pct").textContent = Math.round(state.zoom * 100) + " %" + (state.fit ? " (fit)" : "");
}

window.addEventListener("keydown", ev => {
  if (ev.target.matches("input:not([type=range]):not([type=checkbox]), textarea")) return;
  const plain = !(ev.ctrlKey || ev.metaKey || ev.altKey);
  if ((ev.ctrlKey || ev.metaKey) && ev.key === "z") { undo(); ev.preventDefault(); }
  else if ((ev.key === "Delete" || ev.key === "Backspace") && state.selected) { removeSelected(); ev.preventDefault(); }
  else if (plain && (ev.key === "+" || ev.key === "=")) { setZoom(state.zoom * ZOOM_STEP); ev.preventDefault(); }
  else if (plain && (ev.key === "-" || ev.key === "_")) { setZoom(state.zoom / ZOOM_STEP); ev.preventDefault(); }
  else if (plain && ev.key === "0") { setZoom(0, true); ev.preventDefault(); }
  else if (ev.key === "Escape" && state.pinned) { state.pinned = null; unpeek(); }
});
window.addEventListener("resize", () => { if (state.fit) setZoom(0, true); });
document.getElementById("zoom-in").addEventListener("click", () => setZoom(state.zoom * ZOOM_STEP));
document.getElementById("zoom-out").addEventListener("click", () => setZoom(state.zoom / ZOOM_STEP));
document.getElementById("zoom-fit").addEventListener("click", () => setZoom(0, true));
showZoom();
document.getElementById("show-frames").addEventListener("change", e => document.body.classList.toggle("clean", !e.target.checked));
document.getElementById("show-grid").addEventListener("change", e => document.body.classList.toggle("grid", e.target.checked));
document.getElementById("zoom").addEventListener("input", e => setZoom(parseFloat(e.target.value)));

const events = new EventSource("/api/events");
events.onmessage = e => apply(JSON.parse(e.data));
