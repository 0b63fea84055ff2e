/* eventlens dashboard: filters in the URL, offline basemap, clustered map, timeline, event list.
   All data is put into the page with textContent / DOM nodes, never innerHTML. */
(function () {
  "use strict";
  const FILTERS = ["date_from", "date_to", "country", "admin1", "location", "event_type", "sub_event_type",
    "actor", "inter", "min_fatalities", "max_fatalities", "geo_precision", "source", "q", "bbox",
    "new_since"];
  const MAP_LIMIT = 1000;
  const form = document.getElementById("filters");
  let nextCursor = null;
  let map = null, clusters = null, regions = null;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function currentParams() {
    const params = new URLSearchParams();
    FILTERS.forEach((name) => {
      const field = form.elements.namedItem(name);
      if (field && field.value.trim() !== "") params.set(name, field.value.trim());
    });
    return params;
  }

  function loadFormFromUrl() {
    const params = new URLSearchParams(window.location.search);
    FILTERS.forEach((name) => {
      const field = form.elements.namedItem(name);
      if (field) field.value = params.get(name) || "";
    });
    const by = params.get("by");
    if (by) document.getElementById("by").value = by;
  }

  async function getJson(url) {
    const resp = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
    return resp.json();
  }

  function countText(page) {
    if (page.count === null) return "many";
    return page.count_exact ? String(page.count) : page.count + "+";
  }

  function place(e) {
    return [e.location, e.admin1, e.country].filter(Boolean).join(", ");
  }

  function eventRow(e) {
    const tr = el("tr", { "data-event-id": e.id });
    tr.appendChild(el("td", {}, e.event_date || "undated"));
    const type = el("td");
    type.appendChild(el("a", { href: "/events/" + encodeURIComponent(e.id), class: "event-link" }, e.sub_event_type));
    tr.appendChild(type);
    tr.appendChild(el("td", {}, place(e) + (e.geo_precision ? " (p" + e.geo_precision + ")" : "")));
    tr.appendChild(el("td", {}, [e.actor1, e.actor2].filter(Boolean).join(" vs ")));
    tr.appendChild(el("td", {}, e.fatalities === null ? "" : e.fatalities));
    tr.appendChild(el("td", {}, e.confidence.toFixed(2)));
    return tr;
  }

  async function loadList(append) {
    const params = currentParams();
    params.set("limit", "100");
    if (append && nextCursor) params.set("cursor", nextCursor);
    const page = await getJson("/api/events?" + params.toString());
    const body = document.querySelector("#event-table tbody");
    if (!append) {
      body.replaceChildren();
      const shown = countText(page);
      document.getElementById("count").textContent = "(" + shown + " matching)";
    }
    page.items.forEach((e) => body.appendChild(eventRow(e)));
    nextCursor = page.next_cursor;
    document.getElementById("more").hidden = !nextCursor;
  }

  function popup(e) {
    const box = el("div");
    box.appendChild(el("a", { href: "/events/" + encodeURIComponent(e.id) }, e.sub_event_type));
    box.appendChild(el("div", {}, (e.event_date || "undated") + " · " + place(e)));
    box.appendChild(el("div", {}, "fatalities: " + (e.fatalities === null ? "?" : e.fatalities)));
    if (e.geo_precision === 3) box.appendChild(el("em", {}, "region-level location: exact place unknown"));
    return box;
  }

  function marker(e) {
    if (e.geo_precision === 3) {
      return L.circle([e.latitude, e.longitude], { radius: 40000, color: "#8e44ad", weight: 1,
        fillOpacity: 0.15, className: "region-area" }).bindPopup(popup(e));
    }
    const style = e.geo_precision === 2
      ? { radius: 6, color: "#d35400", weight: 2, dashArray: "3", fillColor: "#fff", fillOpacity: 0.9 }
      : { radius: 6, color: "#fff", weight: 1, fillColor: "#c0392b", fillOpacity: 0.9 };
    return L.circleMarker([e.latitude, e.longitude], style).bindPopup(popup(e));
  }

  async function loadMap() {
    if (!map) return;
    clusters.clearLayers();
    regions.clearLayers();
    const params = currentParams();
    params.set("limit", "500");
    let shown = 0, total = 0;
    let next = getJson("/api/events?" + params.toString());
    while (next) {
      const page = await next;
      if (!total) total = countText(page);
      // ask for the next page before drawing this one, so the server works while the browser draws
      next = null;
      if (page.next_cursor && shown + page.items.length < MAP_LIMIT) {
        params.set("cursor", page.next_cursor);
        next = getJson("/api/events?" + params.toString());
      }
      const points = [], areas = [];
      page.items.forEach((e) => {
        if (e.latitude === null || e.longitude === null) return;
        (e.geo_precision === 3 ? areas : points).push(marker(e));
      });
      clusters.addLayers(points);  // one bulk insert: far faster than one addLayer per marker
      areas.forEach((a) => regions.addLayer(a));
      shown += points.length + areas.length;
    }
    document.getElementById("map-note").textContent =
      "Map: the " + shown + " most recent located events of " + total + " matching.";
    document.getElementById("map").setAttribute("data-markers", String(shown));
  }

  let basemap = null, detailed = false;

  async function loadBasemap(scale) {
    try {
      const topo = await getJson("/static/vendor/world-atlas/countries-" + scale + ".json");
      const land = topojson.feature(topo, topo.objects.countries);
      // drawn on a canvas in its own pane under the markers: thousands of SVG paths are slow to lay out
      const layer = L.geoJSON(land, { interactive: false, pane: "basemap",
        renderer: L.canvas({ pane: "basemap" }),
        style: { color: "#9aa5b1", weight: 0.6, fillColor: "#fbfaf7", fillOpacity: 1 } }).addTo(map);
      if (basemap) map.removeLayer(basemap);
      basemap = layer;
    } catch (err) {
      document.getElementById("map-note").textContent = "Basemap unavailable: " + err.message;
    }
  }

  function initMap() {
    if (typeof L === "undefined") return null;
    map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 12 }).setView([20, 20], 2);
    map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas");
    map.createPane("basemap").style.zIndex = 250;
    clusters = L.markerClusterGroup({ maxClusterRadius: 45 }).addTo(map);
    regions = L.featureGroup().addTo(map);
    // the first view needs only the 1:110m outlines (108 kB); the 1:50m ones (757 kB) once zoomed in
    map.on("zoomend", () => {
      document.getElementById("map").setAttribute("data-zoom", String(map.getZoom()));
      if (!detailed && map.getZoom() >= 4) { detailed = true; loadBasemap("50m"); }
    });
    return loadBasemap("110m");
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, String(v)));
    return node;
  }

  async function loadTimeline() {
    const params = currentParams();
    const by = document.getElementById("by").value;
    params.set("by", by);
    const data = await getJson("/api/aggregates?" + params.toString());
    const box = document.getElementById("timeline");
    box.replaceChildren();
    const periods = data.periods;
    const W = 600, H = 180, pad = 24;
    const chart = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img" });
    chart.appendChild(svg("title")).textContent = "Events (bars) and fatalities (line) per " + by;
    if (periods.length === 0) {
      chart.appendChild(svg("text", { x: pad, y: H / 2 })).textContent = "No dated events.";
      box.appendChild(chart);
      return;
    }
    const maxN = Math.max(1, ...periods.map((p) => p.events));
    const maxF = Math.max(1, ...periods.map((p) => p.fatalities));
    const bw = (W - 2 * pad) / periods.length;
    const points = [];
    periods.forEach((p, i) => {
      const h = (H - 2 * pad) * p.events / maxN;
      const bar = svg("rect", { class: "bar", x: pad + i * bw, y: H - pad - h, width: Math.max(bw - 1, 0.5), height: h });
      bar.appendChild(svg("title")).textContent = p.period + ": " + p.events + " events, " + p.fatalities + " fatalities";
      chart.appendChild(bar);
      points.push((pad + i * bw + bw / 2).toFixed(1) + "," + (H - pad - (H - 2 * pad) * p.fatalities / maxF).toFixed(1));
    });
    chart.appendChild(svg("polyline", { class: "line", points: points.join(" ") }));
    chart.appendChild(svg("text", { x: pad, y: H - 6 })).textContent = periods[0].period;
    chart.appendChild(svg("text", { x: W - pad, y: H - 6, "text-anchor": "end" })).textContent = periods[periods.length - 1].period;
    chart.appendChild(svg("text", { x: pad, y: 12 })).textContent = "max " + maxN + " events / " + maxF + " fatalities per " + by;
    box.appendChild(chart);
    box.setAttribute("data-periods", String(periods.length));
  }

  function updateExports() {
    const params = currentParams();
    ["csv", "geojson", "parquet"].forEach((fmt) => {
      params.set("format", fmt);
      document.getElementById("export-" + fmt).href = "/api/export?" + params.toString();
    });
  }

  async function refresh(alsoWait) {
    const params = currentParams();
    const by = document.getElementById("by").value;
    if (by !== "month") params.set("by", by);
    const qs = params.toString();
    history.replaceState(null, "", qs ? "?" + qs : window.location.pathname);
    updateExports();
    document.body.removeAttribute("data-ready");
    document.body.setAttribute("data-loading", "1");
    try {
      await Promise.all([loadList(false), loadTimeline(), loadMap(), alsoWait]);
    } catch (err) {
      document.getElementById("count").textContent = "(error: " + err.message + ")";
    }
    document.body.removeAttribute("data-loading");
    document.body.setAttribute("data-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", async () => {
    loadFormFromUrl();
    form.addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
    document.getElementById("reset").addEventListener("click", () => { form.reset(); refresh(); });
    document.getElementById("by").addEventListener("change", () => refresh());
    document.getElementById("more").addEventListener("click", () => loadList(true));
    // the basemap, the list, the timeline and the map's events all load at once
    await refresh(initMap());
  });
})();
