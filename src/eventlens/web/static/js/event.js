/* eventlens event page: a mini-map of the event and of where each report puts it, and the edit
   form's helpers (sub-event types of the chosen type only; actor names from the store, with the
   inter code their events carry). Text goes into the page with textContent, never innerHTML. */
(function () {
  "use strict";
  const M = window.EventlensMaps;

  function miniMap() {
    const box = document.getElementById("minimap");
    if (!box || typeof L === "undefined") return;
    const points = JSON.parse(box.getAttribute("data-points") || "[]");
    const map = L.map(box, { minZoom: 2, maxZoom: 12, maxBounds: [[-85, -Infinity], [85, Infinity]] })
      .setView([20, 20], 2);
    const bounds = L.latLngBounds([]);
    points.forEach((p) => {
      const color = M.typeColor(p.type);
      const style = p.kind === "event"
        ? { radius: 9, color: "#111", weight: 2, fillColor: color, fillOpacity: 0.9, className: "mini-event" }
        : { radius: 5, color, weight: 2, dashArray: "2", fillColor: "#fff", fillOpacity: 0.8, className: "mini-mention" };
      const m = p.precision === 3 && p.kind === "event"
        ? L.circle([p.lat, p.lon], { radius: 40000, color, weight: 1, fillOpacity: 0.15 })
        : L.circleMarker([p.lat, p.lon], style);
      m.bindTooltip(p.label).addTo(map);
      bounds.extend([p.lat, p.lon]);
    });
    box.setAttribute("data-points-drawn", String(points.length));
    M.addBasemap(map, { detailZoom: 4 }).then(() => box.setAttribute("data-ready", "1"));
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.5), { maxZoom: 7, animate: false });
  }

  function editForm() {
    const form = document.getElementById("edit-form");
    if (!form) return;
    const type = document.getElementById("edit-event-type");
    const sub = document.getElementById("edit-sub-event-type");
    const syncSubs = () => {  // only the sub-event types of the chosen event type can be picked
      let firstAllowed = null;
      sub.querySelectorAll("option").forEach((o) => {
        const ok = o.getAttribute("data-type") === type.value;
        o.hidden = !ok;
        o.disabled = !ok;
        if (ok && firstAllowed === null) firstAllowed = o;
      });
      if (sub.selectedOptions[0] && sub.selectedOptions[0].disabled && firstAllowed) sub.value = firstAllowed.value;
    };
    type.addEventListener("change", syncSubs);
    sub.addEventListener("change", () => {
      const chosen = sub.selectedOptions[0];
      if (chosen) type.value = chosen.getAttribute("data-type");
      syncSubs();
    });
    syncSubs();

    const datalist = document.getElementById("actor-options");
    form.querySelectorAll(".actor-input").forEach((input) => {
      const inter = form.elements.namedItem(input.getAttribute("data-inter"));
      const hint = document.getElementById(input.name + "-hint");
      let timer = null;
      const lookup = async (final) => {
        const text = input.value.trim();
        if (!text) {
          if (final) { inter.value = ""; hint.textContent = "no actor: no inter code"; }
          return;
        }
        const options = await M.getJson("/api/dashboard/actors?q=" + encodeURIComponent(text));
        datalist.replaceChildren(...options.map((o) => {
          const opt = document.createElement("option");
          opt.value = o.name;
          opt.textContent = o.inter ? "inter " + o.inter : "";
          return opt;
        }));
        if (!final) return;
        const exact = options.find((o) => o.name === text);
        if (exact && exact.inter) {
          inter.value = String(exact.inter);
          hint.textContent = "inter " + exact.inter + " from this actor's other events";
        } else {
          hint.textContent = "actor not seen before: choose its inter code";
        }
        input.setAttribute("data-looked-up", text);
      };
      input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => lookup(false), 200); });
      input.addEventListener("change", () => lookup(true));
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    miniMap();
    editForm();
  });
})();
