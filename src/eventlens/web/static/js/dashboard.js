/* eventlens dashboard: filters (pick-lists with counts, multi-select) kept in the URL, so a view
   is a link; saved views; an offline map coloured by event type; a stacked timeline with axes,
   legend, brush and the undated events; breakdowns beside the previous period; the event list.
   All data is put into the page with textContent / DOM nodes, never innerHTML. */
(function () {
  "use strict";
  const M = window.EventlensMaps;
  const TEXT = ["date_from", "date_to", "actor", "location", "q", "min_fatalities", "max_fatalities", "source", "bbox",
    "new_since"];
  const PICKS = ["event_type", "sub_event_type", "disorder_type", "country", "admin1", "inter", "interaction",
    "civilian_targeting", "geo_precision"];
  const LAZY = ["inter", "interaction", "civilian_targeting"];
  const MAP_LIMIT = 1000;
  const VIEWS_KEY = "eventlens.savedViews";
  const form = document.getElementById("filters");
  const INTER = JSON.parse(form.getAttribute("data-inter-codes") || "{}");
  const picked = {};  // pick-list name -> Set of chosen values
  PICKS.forEach((n) => { picked[n] = new Set(); });
  let undatedOnly = false;
  let nextCursor = null;
  let map = null, clusters = null, regions = null, resultBounds = null;
  let lazyLoaded = false;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  const NUMBERS = new Intl.NumberFormat("en");  // one formatter: toLocaleString builds one per call
  const fmt = (n) => (n === null || n === undefined ? "" : NUMBERS.format(Number(n)));

  // ------------------------------------------------------------ filter state <-> URL

  function currentParams(skip) {
    const params = new URLSearchParams();
    TEXT.forEach((name) => {
      const v = form.elements.namedItem(name).value.trim();
      if (v !== "") params.set(name, v);
    });
    PICKS.forEach((name) => {
      if (name === skip) return;
      picked[name].forEach((v) => {
        if (name === "civilian_targeting") params.append(name, v === "yes" ? "true" : "false");
        else params.append(name, v);
      });
    });
    if (undatedOnly) params.set("undated", "true");
    return params;
  }

  function loadStateFromUrl() {
    const params = new URLSearchParams(window.location.search);
    TEXT.forEach((name) => { form.elements.namedItem(name).value = params.get(name) || ""; });
    PICKS.forEach((name) => {
      picked[name] = new Set(params.getAll(name).map((v) =>
        name === "civilian_targeting" ? (v === "true" ? "yes" : "no") : v));
    });
    undatedOnly = params.get("undated") === "true";
    document.getElementById("by").value = params.get("by") || "auto";
  }

  function viewQuery() {
    const params = currentParams();
    const by = document.getElementById("by").value;
    if (by !== "auto") params.set("by", by);
    return params.toString();
  }

  // ------------------------------------------------------------ pick-lists

  function label(name, value) {
    if (name === "inter") return value + " " + (INTER[value] || "");
    if (name === "interaction") {
      const a = value[0], b = value[1];
      return value + " " + (INTER[a] || "?") + (b === "0" ? " alone" : " – " + (INTER[b] || "?"));
    }
    if (name === "geo_precision") return { 1: "1 town", 2: "2 near a town", 3: "3 region only" }[value] || value;
    if (name === "civilian_targeting") return value === "yes" ? "Civilian targeting" : "Not civilian targeting";
    return value;
  }

  function pickBox(name) { return form.querySelector(`details.pick[data-name="${name}"]`); }

  function renderPickValue(name) {
    const box = pickBox(name);
    const chosen = [...picked[name]];
    box.querySelector(".pick-value").textContent =
      chosen.length === 0 ? "any" : chosen.length === 1 ? label(name, chosen[0]) : chosen.length + " chosen";
    box.classList.toggle("active", chosen.length > 0);
  }

  function renderPick(name, values) {
    const box = pickBox(name);
    const list = box.querySelector(".pick-list");
    const single = box.getAttribute("data-single") === "1";
    const seen = new Map((values || []).map((v) => [v.value, v.events]));
    picked[name].forEach((v) => { if (!seen.has(v)) seen.set(v, 0); });
    list.replaceChildren();
    seen.forEach((n, value) => {
      const li = el("li", { role: "option" });
      const lab = el("label");
      const box2 = el("input", { type: single ? "radio" : "checkbox", name: "pick-" + name, value });
      box2.checked = picked[name].has(value);
      li.setAttribute("aria-selected", String(box2.checked));
      box2.addEventListener("change", () => {
        if (single) picked[name] = new Set(box2.checked ? [value] : []);
        else if (box2.checked) picked[name].add(value);
        else picked[name].delete(value);
        renderPickValue(name);
        refresh();
      });
      lab.appendChild(box2);
      lab.appendChild(el("span", { class: "pick-text" }, label(name, value)));
      lab.appendChild(el("span", { class: "n" }, fmt(n)));
      li.appendChild(lab);
      list.appendChild(li);
    });
    if (!seen.size) list.appendChild(el("li", { class: "muted" }, values ? "no values" : "counting…"));
    list.setAttribute("data-values", String(seen.size));
    filterPick(box);
    renderPickValue(name);
  }

  function filterPick(box) {
    const needle = box.querySelector(".pick-search").value.trim().toLowerCase();
    box.querySelectorAll(".pick-list li").forEach((li) => {
      li.hidden = needle !== "" && !li.textContent.toLowerCase().includes(needle);
    });
  }

  async function loadFacets(names) {
    const params = currentParams();
    names.forEach((n) => params.append("names", n));
    const data = await M.getJson("/api/dashboard/facets?" + params.toString());
    names.forEach((n) => renderPick(n, data[n]));
  }

  function initPicks() {
    form.querySelectorAll("details.pick").forEach((box) => {
      const name = box.getAttribute("data-name");
      box.querySelector(".pick-search").addEventListener("input", () => filterPick(box));
      box.querySelector(".pick-clear").addEventListener("click", () => {
        picked[name].clear();
        renderPickValue(name);
        refresh();
      });
      box.addEventListener("toggle", () => {
        if (!box.open) return;
        form.querySelectorAll("details.pick[open]").forEach((o) => { if (o !== box) o.open = false; });
        if (LAZY.includes(name) && !lazyLoaded) {
          lazyLoaded = true;  // the inter-code counts read the events table: only when asked for
          loadFacets(LAZY).catch((err) => showError(err));
        }
      });
      renderPick(name, null);
    });
    document.addEventListener("click", (ev) => {
      if (!ev.target.closest("details.pick")) form.querySelectorAll("details.pick[open]").forEach((o) => { o.open = false; });
    });
  }

  function renderChips() {
    const box = document.getElementById("chips");
    box.replaceChildren();
    const add = (text, clear) => {
      const chip = el("button", { type: "button", class: "chip", title: "remove this filter" }, text + " ×");
      chip.addEventListener("click", () => { clear(); refresh(); });
      box.appendChild(chip);
    };
    PICKS.forEach((name) => picked[name].forEach((v) => add(label(name, v), () => {
      picked[name].delete(v);
      renderPickValue(name);
    })));
    TEXT.forEach((name) => {
      const field = form.elements.namedItem(name);
      if (field.value.trim()) add(name.replace("_", " ") + ": " + field.value.trim(), () => { field.value = ""; });
    });
    if (undatedOnly) add("undated only", () => { undatedOnly = false; });
  }

  // ------------------------------------------------------------ saved views

  function savedViews() {
    try { return JSON.parse(localStorage.getItem(VIEWS_KEY) || "[]"); } catch (err) { return []; }
  }

  function renderSavedViews() {
    const views = savedViews();
    const list = document.getElementById("saved-views");
    list.replaceChildren();
    views.forEach((v, i) => {
      const li = el("li");
      li.appendChild(el("a", { href: "/?" + v.query, class: "saved-view" }, v.name));
      const del = el("button", { type: "button", class: "link", title: "forget this view" }, "×");
      del.addEventListener("click", () => {
        const all = savedViews();
        all.splice(i, 1);
        localStorage.setItem(VIEWS_KEY, JSON.stringify(all));
        renderSavedViews();
      });
      li.appendChild(del);
      list.appendChild(li);
    });
    document.getElementById("saved-views-box").hidden = views.length === 0;
  }

  function saveView() {
    const input = document.getElementById("view-name");
    const name = input.value.trim() || "View " + (savedViews().length + 1);
    const views = savedViews().filter((v) => v.name !== name);
    views.push({ name, query: viewQuery() });
    localStorage.setItem(VIEWS_KEY, JSON.stringify(views));
    input.value = "";
    renderSavedViews();
  }

  // ------------------------------------------------------------ list

  function countText(page) {
    if (page.count === null) return "many";
    return page.count_exact ? fmt(page.count) : fmt(page.count) + "+";
  }

  function place(e) { return [e.location, e.admin1, e.country].filter(Boolean).join(", "); }
  function actors(e) { return [e.actor1, e.actor2].filter(Boolean).join(" vs "); }

  function eventRow(e) {
    const tr = el("tr", { "data-event-id": e.id });
    tr.appendChild(el("td", {}, e.event_date || "undated"));
    const type = el("td");
    const dot = el("i", { class: "swatch", title: e.event_type });
    dot.style.background = M.typeColor(e.event_type);
    type.appendChild(dot);
    type.appendChild(el("a", { href: "/events/" + encodeURIComponent(e.id), class: "event-link" }, e.sub_event_type));
    tr.appendChild(type);
    tr.appendChild(el("td", {}, place(e) + (e.geo_precision ? " (geo p" + e.geo_precision + ")" : "")));
    tr.appendChild(el("td", {}, actors(e)));
    tr.appendChild(el("td", {}, e.fatalities === null ? "" : e.fatalities));
    tr.appendChild(el("td", {}, e.confidence.toFixed(2)));
    return tr;
  }

  async function loadList(append) {
    const params = currentParams();
    params.set("limit", "100");
    if (append && nextCursor) params.set("cursor", nextCursor);
    const page = await M.getJson("/api/events?" + params.toString());
    const body = document.querySelector("#event-table tbody");
    if (!append) {
      body.replaceChildren();
      document.getElementById("count").textContent = "(" + countText(page) + " matching)";
    }
    page.items.forEach((e) => body.appendChild(eventRow(e)));
    nextCursor = page.next_cursor;
    document.getElementById("more").hidden = !nextCursor;
  }

  // ------------------------------------------------------------ map

  function popup(e) {
    const box = el("div", { class: "popup" });
    box.appendChild(el("a", { href: "/events/" + encodeURIComponent(e.id) }, e.sub_event_type));
    box.appendChild(el("div", { class: "muted" }, e.event_type));
    box.appendChild(el("div", {}, (e.event_date || "undated") + " · " + place(e)));
    const who = el("div", { class: "popup-actors" });
    who.appendChild(el("b", {}, "Actors: "));
    who.appendChild(document.createTextNode(actors(e) || "not named"));
    box.appendChild(who);
    box.appendChild(el("div", {}, "Fatalities: " + (e.fatalities === null ? "unknown" : e.fatalities)));
    if (e.geo_precision === 3) box.appendChild(el("em", {}, "region-level location: exact place unknown"));
    return box;
  }

  function marker(e) {
    const color = M.typeColor(e.event_type);
    if (e.geo_precision === 3) {
      return L.circle([e.latitude, e.longitude], { radius: 40000, color, weight: 1, fillColor: color,
        fillOpacity: 0.12, className: "region-area" }).bindPopup(() => popup(e));
    }
    const style = e.geo_precision === 2
      ? { radius: 6, color, weight: 2, dashArray: "3", fillColor: "#fff", fillOpacity: 0.9, className: "event-marker p2" }
      : { radius: 6, color: "#fff", weight: 1, fillColor: color, fillOpacity: 0.95, className: "event-marker p1" };
    const m = L.circleMarker([e.latitude, e.longitude], style).bindPopup(() => popup(e));  // built when opened
    m.eventType = e.event_type;
    return m;
  }

  function clusterIcon(cluster) {
    const n = cluster.getChildCount();  // a number: safe as the icon's html
    const size = n < 10 ? 28 : n < 100 ? 34 : 42;
    return L.divIcon({ html: String(Number(n)), className: "cluster", iconSize: [size, size] });
  }

  function renderTypeLegend(box, types) {
    box.replaceChildren();
    types.forEach((t) => {
      const item = el("span", { class: "legend-item", "data-type": t });
      const sw = el("i", { class: "swatch" });
      sw.style.background = M.typeColor(t);
      item.appendChild(sw);
      item.appendChild(document.createTextNode(t));
      box.appendChild(item);
    });
  }

  async function loadMap(fit) {
    if (!map) return;
    clusters.clearLayers();
    regions.clearLayers();
    const params = currentParams();
    params.set("limit", String(MAP_LIMIT));
    let shown = 0, total = 0;
    const types = new Set();
    const bounds = L.latLngBounds([]);
    let next = M.getJson("/api/events?" + params.toString());
    while (next) {
      const page = await next;
      if (!total) total = countText(page);
      next = null;  // ask for the next page before drawing this one
      if (page.next_cursor && shown + page.items.length < MAP_LIMIT) {
        params.set("cursor", page.next_cursor);
        next = M.getJson("/api/events?" + params.toString());
      }
      const points = [], areas = [];
      page.items.forEach((e) => {
        if (e.latitude === null || e.longitude === null) return;
        types.add(e.event_type);
        bounds.extend([e.latitude, e.longitude]);
        (e.geo_precision === 3 ? areas : points).push(marker(e));
      });
      clusters.addLayers(points);
      areas.forEach((a) => regions.addLayer(a));
      shown += points.length + areas.length;
    }
    resultBounds = bounds.isValid() ? bounds : null;
    const order = Object.keys(M.TYPE_COLORS).filter((t) => types.has(t));
    renderTypeLegend(document.getElementById("type-legend"), order);
    document.getElementById("map-note").textContent =
      "the " + fmt(shown) + " most recent located events of " + total + " matching";
    const box = document.getElementById("map");
    box.setAttribute("data-markers", String(shown));
    box.setAttribute("data-types", order.join("|"));
    if (fit) fitResults();
  }

  function fitResults() {
    if (!map) return;
    if (resultBounds) map.fitBounds(resultBounds, { padding: [24, 24], maxZoom: 8, animate: false });
    else map.setView([20, 20], 2, { animate: false });
    document.getElementById("map").setAttribute("data-fitted", map.getBounds().toBBoxString());
  }

  function initMap() {
    if (typeof L === "undefined") return null;
    // latitudes past ±85 do not exist in Web Mercator: keep the view inside them (no empty bands)
    map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 12,
      maxBounds: [[-85, -Infinity], [85, Infinity]], maxBoundsViscosity: 1 }).setView([20, 20], 2);
    clusters = L.markerClusterGroup({ maxClusterRadius: 45, disableClusteringAtZoom: 7,
      iconCreateFunction: clusterIcon }).addTo(map);
    regions = L.featureGroup().addTo(map);
    map.on("zoomend", () => document.getElementById("map").setAttribute("data-zoom", String(map.getZoom())));
    return M.addBasemap(map, { onNote: (t) => { document.getElementById("map-note").textContent = t; } });
  }

  // ------------------------------------------------------------ timeline

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, String(v)));
    return node;
  }

  /* The top of an axis with four equal whole-number steps of 1, 2, 2.5 or 5 x 10^k. */
  function niceMax(v) {
    const rough = Math.max(v, 1) / 4;
    const p = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= rough && Number.isInteger(s)) || Math.ceil(rough);
    return step * 4;
  }

  function periodLabel(p, by) {
    if (by === "year") return p.slice(0, 4);
    if (by === "month") return p.slice(0, 7);
    return p;
  }

  async function loadTimeline() {
    const params = currentParams();
    params.set("by", document.getElementById("by").value);
    const data = await M.getJson("/api/dashboard/timeline?" + params.toString());
    drawTimeline(data);
    const btn = document.getElementById("undated");
    const n = data.undated_events;
    btn.textContent = (undatedOnly ? "Showing only " : "") + fmt(n) + " undated event" + (n === 1 ? "" : "s") +
      (undatedOnly ? " (show all)" : "");
    btn.setAttribute("aria-pressed", String(undatedOnly));
    btn.setAttribute("data-count", String(n));
    btn.disabled = n === 0 && !undatedOnly;
    document.getElementById("clear-range").hidden =
      !form.elements.namedItem("date_from").value && !form.elements.namedItem("date_to").value;
  }

  function drawTimeline(data) {
    const box = document.getElementById("timeline");
    box.replaceChildren();
    const periods = data.periods;
    const W = 640, H = 230, L0 = 52, R0 = 50, T0 = 10, B0 = 34;
    const pw = W - L0 - R0, ph = H - T0 - B0;
    const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Timeline" });
    chart.appendChild(svg("title")).textContent = "Events per " + data.by + " stacked by event type (bars, left axis) and fatalities (line, right axis)";
    box.setAttribute("data-periods", String(periods.length));
    box.setAttribute("data-by", data.by);
    if (periods.length === 0) {
      chart.appendChild(svg("text", { x: L0, y: H / 2 })).textContent =
        undatedOnly ? "Only undated events are shown: they have no place on a time axis." : "No dated events.";
      box.appendChild(chart);
      renderTimelineLegend(data.event_types);
      return;
    }
    const maxN = niceMax(Math.max(...periods.map((p) => p.events)));
    const maxF = niceMax(Math.max(...periods.map((p) => p.fatalities)));
    box.setAttribute("data-max-events", String(maxN));
    const bw = pw / periods.length;
    const y = (v) => T0 + ph - ph * v / maxN;
    const yf = (v) => T0 + ph - ph * v / maxF;
    // axes and grid
    const axis = svg("g", { class: "axis" });
    for (let i = 0; i <= 4; i++) {
      const v = maxN * i / 4, yy = y(v);
      axis.appendChild(svg("line", { x1: L0, x2: W - R0, y1: yy, y2: yy, class: "grid" }));
      axis.appendChild(svg("text", { x: L0 - 4, y: yy + 3, "text-anchor": "end", class: "tick-events" })).textContent = fmt(Math.round(v * 10) / 10);
      axis.appendChild(svg("text", { x: W - R0 + 4, y: yy + 3, class: "tick-fatal" })).textContent = fmt(Math.round(maxF * i / 4 * 10) / 10);
    }
    const mid = T0 + ph / 2;
    axis.appendChild(svg("text", { x: 10, y: mid, class: "axis-title", "text-anchor": "middle",
      transform: `rotate(-90 10 ${mid})` })).textContent = "events";
    axis.appendChild(svg("text", { x: W - 6, y: mid, class: "axis-title fatal", "text-anchor": "middle",
      transform: `rotate(90 ${W - 6} ${mid})` })).textContent = "fatalities";
    const step = Math.max(1, Math.ceil(periods.length / 7));
    for (let i = 0; i < periods.length; i += step) {
      const x = L0 + i * bw;
      axis.appendChild(svg("line", { x1: x, x2: x, y1: T0 + ph, y2: T0 + ph + 4, class: "tick" }));
      axis.appendChild(svg("text", { x, y: H - B0 + 16, class: "tick-time" })).textContent = periodLabel(periods[i].period, data.by);
    }
    chart.appendChild(axis);
    // stacked bars
    const bars = svg("g", { class: "bars" });
    periods.forEach((p, i) => {
      let base = 0;
      const g = svg("g", { class: "period", "data-period": p.period, "data-events": p.events });
      data.event_types.forEach((t) => {
        const n = p.by_type[t] || 0;
        if (!n) return;
        const r = svg("rect", { x: L0 + i * bw + 0.5, y: y(base + n), width: Math.max(bw - 1, 0.6),
          height: y(base) - y(base + n), fill: M.typeColor(t), class: "bar", "data-type": t });
        g.appendChild(r);
        base += n;
      });
      const parts = data.event_types.filter((t) => p.by_type[t]).map((t) => t + " " + p.by_type[t]).join(", ");
      g.appendChild(svg("title")).textContent = `${p.period} – ${p.end}: ${p.events} events, ${p.fatalities} fatalities` + (parts ? " (" + parts + ")" : "");
      bars.appendChild(g);
    });
    chart.appendChild(bars);
    const pts = periods.map((p, i) => (L0 + i * bw + bw / 2).toFixed(1) + "," + yf(p.fatalities).toFixed(1));
    chart.appendChild(svg("polyline", { class: "line", points: pts.join(" ") }));
    // the brush
    const brush = svg("rect", { class: "brush", x: 0, y: T0, width: 0, height: ph, visibility: "hidden" });
    chart.appendChild(brush);
    const hit = svg("rect", { class: "hit", x: L0, y: T0, width: pw, height: ph + 18 });
    chart.appendChild(hit);
    box.appendChild(chart);
    attachBrush(chart, hit, brush, periods, L0, bw);
    renderTimelineLegend(data.event_types);
  }

  function renderTimelineLegend(types) {
    const box = document.getElementById("timeline-legend");
    renderTypeLegend(box, types);
    const line = el("span", { class: "legend-item" });
    line.appendChild(el("i", { class: "line-swatch" }));
    line.appendChild(document.createTextNode("fatalities (right axis)"));
    box.appendChild(line);
    box.appendChild(el("span", { class: "legend-item muted" }, "bars: events (left axis)"));
  }

  function attachBrush(chart, hit, brush, periods, left, bw) {
    let start = null;
    const index = (ev) => {
      const pt = chart.createSVGPoint();
      pt.x = ev.clientX; pt.y = ev.clientY;
      const x = pt.matrixTransform(chart.getScreenCTM().inverse()).x;
      return Math.min(periods.length - 1, Math.max(0, Math.floor((x - left) / bw)));
    };
    const draw = (a, b) => {
      const lo = Math.min(a, b), hi = Math.max(a, b);
      brush.setAttribute("x", String(left + lo * bw));
      brush.setAttribute("width", String((hi - lo + 1) * bw));
      brush.setAttribute("visibility", "visible");
    };
    hit.addEventListener("pointerdown", (ev) => {
      start = index(ev);
      hit.setPointerCapture(ev.pointerId);
      draw(start, start);
    });
    hit.addEventListener("pointermove", (ev) => { if (start !== null) draw(start, index(ev)); });
    hit.addEventListener("pointerup", (ev) => {
      if (start === null) return;
      const end = index(ev);
      const lo = Math.min(start, end), hi = Math.max(start, end);
      start = null;
      form.elements.namedItem("date_from").value = periods[lo].period;
      form.elements.namedItem("date_to").value = periods[hi].end;
      undatedOnly = false;
      refresh();
    });
  }

  // ------------------------------------------------------------ breakdowns

  function change(now, before) {
    if (before === null || before === undefined) return "";
    if (before === 0) return now ? "new" : "";
    const pct = Math.round(100 * (now - before) / before);
    return (pct > 0 ? "+" : "") + pct + "%";
  }

  function breakdownFilter(dim, key) {
    if (dim === "event_type") { picked.event_type = new Set([key[0]]); renderPickValue("event_type"); }
    if (dim === "region") {
      picked.country = new Set([key[0]]);
      picked.admin1 = key[1] ? new Set([key[1]]) : new Set();
      renderPickValue("country"); renderPickValue("admin1");
    }
    if (dim === "actor") form.elements.namedItem("actor").value = key[0];
    refresh(true);
  }

  async function loadBreakdown(dim) {
    const params = currentParams();
    params.set("dimension", dim);
    const data = await M.getJson("/api/dashboard/breakdown?" + params.toString());
    const table = document.getElementById("bd-" + dim);
    const body = table.querySelector("tbody");
    body.replaceChildren();
    const withPrev = data.prev_from !== null;
    table.classList.toggle("no-prev", !withPrev);
    data.rows.forEach((r) => {
      const tr = el("tr");
      const name = el("td");
      if (dim === "event_type") {
        const sw = el("i", { class: "swatch" });
        sw.style.background = M.typeColor(r.key[0]);
        name.appendChild(sw);
      }
      const text = r.key.filter(Boolean).join(" / ") || "unknown";
      const link = el("a", { href: "#", class: "bd-link" }, text);
      link.addEventListener("click", (ev) => { ev.preventDefault(); breakdownFilter(dim, r.key); });
      name.appendChild(link);
      tr.appendChild(name);
      tr.appendChild(el("td", { class: "n" }, fmt(r.events)));
      const pe = el("td", { class: "n prev" }, withPrev ? fmt(r.prev_events) : "");
      if (withPrev) pe.appendChild(el("small", { class: "delta" }, " " + change(r.events, r.prev_events)));
      tr.appendChild(pe);
      tr.appendChild(el("td", { class: "n" }, fmt(r.fatalities)));
      tr.appendChild(el("td", { class: "n prev" }, withPrev ? fmt(r.prev_fatalities) : ""));
      body.appendChild(tr);
    });
    if (!data.rows.length) body.appendChild(el("tr")).appendChild(el("td", { colspan: "5", class: "muted" }, "No events."));
    if (dim === "event_type") {
      document.getElementById("bd-period").textContent = withPrev
        ? `${data.date_from} – ${data.date_to}, beside the previous period ${data.prev_from} – ${data.prev_to}`
        : "All dates. Set a date range (or brush the timeline) to compare with the previous period.";
    }
  }

  // ------------------------------------------------------------ refresh

  function updateExports() {
    const params = currentParams();
    ["csv", "geojson", "parquet"].forEach((fmtName) => {
      params.set("format", fmtName);
      document.getElementById("export-" + fmtName).href = "/api/export?" + params.toString();
    });
  }

  function showError(err) {
    document.getElementById("count").textContent = "(error: " + err.message + ")";
  }

  async function refresh(fit, alsoWait) {
    const qs = viewQuery();
    history.replaceState(null, "", qs ? "?" + qs : window.location.pathname);
    updateExports();
    renderChips();
    lazyLoaded = false;
    document.body.removeAttribute("data-ready");
    document.body.setAttribute("data-loading", "1");
    const filtered = currentParams().toString() !== "";
    try {
      const jobs = [loadList(false), loadTimeline(), loadMap(fit === undefined ? filtered : fit),
        loadBreakdown("event_type"), loadBreakdown("region"), loadBreakdown("actor"),
        loadFacets(PICKS.filter((n) => !LAZY.includes(n))), alsoWait];
      LAZY.forEach((n) => { if (pickBox(n).open || picked[n].size) jobs.push(loadFacets([n])); });
      await Promise.all(jobs);
    } catch (err) {
      showError(err);
    }
    document.body.removeAttribute("data-loading");
    document.body.setAttribute("data-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", async () => {
    loadStateFromUrl();
    initPicks();
    renderSavedViews();
    form.addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
    document.getElementById("reset").addEventListener("click", () => {
      form.reset();
      PICKS.forEach((n) => { picked[n].clear(); renderPickValue(n); });
      undatedOnly = false;
      refresh(false);
    });
    document.getElementById("by").addEventListener("change", () => refresh(false));
    document.getElementById("more").addEventListener("click", () => loadList(true));
    document.getElementById("fit").addEventListener("click", fitResults);
    document.getElementById("save-view").addEventListener("click", saveView);
    document.getElementById("undated").addEventListener("click", () => {
      undatedOnly = !undatedOnly;
      if (undatedOnly) {
        form.elements.namedItem("date_from").value = "";
        form.elements.namedItem("date_to").value = "";
      }
      refresh();
    });
    document.getElementById("clear-range").addEventListener("click", () => {
      form.elements.namedItem("date_from").value = "";
      form.elements.namedItem("date_to").value = "";
      refresh(false);
    });
    const basemap = initMap();
    await refresh(undefined, basemap);
  });
})();
