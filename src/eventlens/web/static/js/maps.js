/* eventlens maps: the offline basemap (Natural Earth country fills, admin1 boundary lines and place
   labels, all vendored) and the event-type colours, shared by the dashboard and the event page.
   Everything is drawn from files under /static: no tile server, no CDN. */
(function () {
  "use strict";
  const TYPE_COLORS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2471a3",
    "Riots": "#17a589",
    "Strategic developments": "#5d6d7e",
  };
  const OTHER_COLOR = "#999999";

  function typeColor(type) { return TYPE_COLORS[type] || OTHER_COLOR; }

  async function getJson(url) {
    const resp = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
    return resp.json();
  }

  /* Rings that cross the antimeridian (Russia, Fiji) jump from +180 to -180: drawn as is they
     become horizontal bands across the map. Unwrap them so each ring stays continuous. */
  function unwrapRing(ring) {
    let shift = 0, prev = null;
    return ring.map((p) => {
      let x = p[0] + shift;
      if (prev !== null && x - prev > 180) { shift -= 360; x -= 360; }
      else if (prev !== null && prev - x > 180) { shift += 360; x += 360; }
      prev = x;
      return [x, p[1]];
    });
  }

  function unwrap(geometry) {
    if (geometry.type === "Polygon") return { type: "Polygon", coordinates: geometry.coordinates.map(unwrapRing) };
    if (geometry.type === "MultiPolygon") {
      return { type: "MultiPolygon", coordinates: geometry.coordinates.map((poly) => poly.map(unwrapRing)) };
    }
    return geometry;
  }

  function countryFeatures(topo) {
    const land = topojson.feature(topo, topo.objects.countries);
    // Antarctica (ISO 010) reaches the pole, where Web Mercator is infinite: it drew a band at the bottom
    land.features = land.features.filter((f) => f.id !== "010" && f.properties.name !== "Antarctica")
      .map((f) => ({ type: "Feature", id: f.id, properties: f.properties, geometry: unwrap(f.geometry) }));
    return land;
  }

  const PLACE_TIER_BY_ZOOM = (z) => (z >= 7 ? 3 : z >= 5 ? 2 : z >= 3 ? 1 : 0);
  const MAX_LABELS = 250;

  /* Adds the basemap panes and layers to ``map``; returns a promise resolved once the first
     countries are drawn. Options: onNote(text) for problems, detailZoom (default 4). */
  function addBasemap(map, opts) {
    const options = Object.assign({ detailZoom: 4, onNote: () => {} }, opts || {});
    map.createPane("basemap").style.zIndex = 200;
    map.createPane("admin1").style.zIndex = 250;
    map.createPane("labels").style.zIndex = 640;
    map.getPane("labels").style.pointerEvents = "none";
    map.attributionControl.addAttribution(
      "Boundaries: Natural Earth (public domain); places: GeoNames (CC BY 4.0)");
    const renderer = L.canvas({ pane: "basemap" });
    let countries = null, detailed = false, admin1 = null, admin1Loading = null, places = null;
    const labels = L.layerGroup([], { pane: "labels" }).addTo(map);

    async function loadCountries(scale) {
      try {
        const topo = await getJson("/static/vendor/world-atlas/countries-" + scale + ".json");
        const layer = L.geoJSON(countryFeatures(topo), { interactive: false, pane: "basemap", renderer,
          style: { color: "#8c96a3", weight: 0.7, fillColor: "#fbfaf7", fillOpacity: 1 } }).addTo(map);
        if (countries) map.removeLayer(countries);
        countries = layer;
        map.getContainer().setAttribute("data-basemap", scale);
      } catch (err) {
        options.onNote("Basemap unavailable: " + err.message);
      }
    }

    async function loadAdmin1() {
      if (!admin1Loading) {
        admin1Loading = getJson("/static/vendor/natural-earth/admin1-lines.json").then((data) => {
          admin1 = L.geoJSON(data, { interactive: false, pane: "admin1", renderer: L.canvas({ pane: "admin1" }),
            style: { color: "#a9a2c2", weight: 0.8, dashArray: "4 3" } });
          return admin1;
        }).catch((err) => options.onNote("Admin1 boundaries unavailable: " + err.message));
      }
      return admin1Loading;
    }

    async function loadPlaces() {
      if (!places) {
        places = getJson("/static/vendor/natural-earth/places.json").catch((err) => {
          options.onNote("Place labels unavailable: " + err.message);
          return [];
        });
      }
      return places;
    }

    async function refreshOverlays() {
      const z = map.getZoom();
      if (!detailed && z >= options.detailZoom) { detailed = true; loadCountries("50m"); }
      if (z >= 5) {
        const layer = await loadAdmin1();
        if (layer && !map.hasLayer(layer) && map.getZoom() >= 5) layer.addTo(map);
      } else if (admin1 && map.hasLayer(admin1)) {
        map.removeLayer(admin1);
      }
      map.getContainer().setAttribute("data-admin1", admin1 && map.hasLayer(admin1) ? "1" : "0");
      const tier = PLACE_TIER_BY_ZOOM(z);
      labels.clearLayers();
      if (!tier) { map.getContainer().setAttribute("data-labels", "0"); return; }
      const all = await loadPlaces();
      const bounds = map.getBounds().pad(0.1);
      const taken = new Set();  // screen cells already labelled: labels never pile up
      let shown = 0;
      for (const [name, lat, lon, t] of all) {  // largest places first
        if (t > tier || !bounds.contains([lat, lon])) continue;
        const pt = map.latLngToContainerPoint([lat, lon]);
        const cell = Math.floor(pt.x / 110) + ":" + Math.floor(pt.y / 22);
        if (taken.has(cell)) continue;
        taken.add(cell);
        L.marker([lat, lon], { pane: "labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "place-label tier" + t, html: "", iconSize: null }) })
          .addTo(labels).getElement().textContent = name;
        if (++shown >= MAX_LABELS) break;
      }
      map.getContainer().setAttribute("data-labels", String(shown));
    }

    map.on("zoomend moveend", refreshOverlays);
    const first = options.detailZoom <= map.getZoom() ? "50m" : "110m";
    detailed = first === "50m";
    return loadCountries(first).then(refreshOverlays);
  }

  window.EventlensMaps = { TYPE_COLORS, typeColor, addBasemap, getJson };
})();
