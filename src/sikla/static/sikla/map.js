/* SIKLA maps: the kab/kota of Indonesia (or of one province) coloured as the server decided.
 *
 * <div class="kla-map" data-map="ID" data-boundaries="URL">: the JSON in <script id="ID"> holds
 * {province, modes: [{key, label, legend: [{key, label, colour, count}]}], items: {code: {name,
 * classes: {mode: key}, facts: [[label, value]], url, link}}, absent, search, attribution}.
 * The boundaries are the vendored GeoJSON (static/maps); the library the vendored Leaflet. No
 * tiles, nothing from outside. Every text is set with textContent: names never become markup.
 */
(function () {
  "use strict";

  const ABSENT = "absent";

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function popupOf(code, item, absentText) {
    const box = el("div", "map-popup");
    box.appendChild(el("strong", "", item ? item.name : code));
    if (!item) {
      box.appendChild(el("p", "", absentText));
      return box;
    }
    const list = el("dl");
    item.facts.forEach(function (fact) {
      list.appendChild(el("dt", "", fact[0]));
      list.appendChild(el("dd", "", fact[1]));
    });
    box.appendChild(list);
    if (item.url) {
      const link = el("a", "", item.link);
      link.href = item.url;
      link.setAttribute("data-testid", "map-link");
      box.appendChild(link);
    }
    return box;
  }

  function init(box) {
    const data = JSON.parse(document.getElementById(box.dataset.map).textContent);
    const canvas = box.querySelector(".map-canvas");
    const legendBox = box.querySelector(".map-legend");
    const select = box.querySelector("select.map-mode");
    const search = box.querySelector("input.map-search");
    const modes = {};
    data.modes.forEach(function (m) {
      modes[m.key] = m;
      const option = el("option", "", m.label);
      option.value = m.key;
      if (select) select.appendChild(option);
    });
    let mode = data.modes[0].key;
    const colours = {};
    function colourTable() {
      Object.keys(colours).forEach(function (k) { delete colours[k]; });
      modes[mode].legend.forEach(function (band) { colours[band.key] = band.colour; });
    }
    colourTable();

    const map = L.map(canvas, { zoomSnap: 0.25, minZoom: 3, maxZoom: 11, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(data.attribution);
    map.setView([-2.5, 118], 4);
    let layer = null;
    const byCode = {};
    let absentCount = 0;

    function style(feature) {
      const item = data.items[feature.properties.code];
      const className = "kab-" + feature.properties.code.replace(".", "-");
      if (!item) {
        return {
          className: className + " absent",
          color: "#9e9e9e",
          weight: 0.6,
          dashArray: "2 2",
          fillColor: "#ffffff",
          fillOpacity: 1,
        };
      }
      return {
        className: className,
        color: "#555555",
        weight: 0.6,
        fillColor: colours[item.classes[mode]] || "#f7f7f7",
        fillOpacity: 0.9,
      };
    }

    function drawLegend() {
      legendBox.replaceChildren();
      legendBox.appendChild(el("strong", "", modes[mode].label));
      const list = el("ul");
      modes[mode].legend.forEach(function (band) {
        const row = el("li");
        const swatch = el("span", "swatch");
        swatch.style.background = band.colour;
        row.appendChild(swatch);
        row.appendChild(el("span", "", band.label + " "));
        row.appendChild(el("strong", "count", String(band.count)));
        row.setAttribute("data-testid", "legend-" + band.key);
        list.appendChild(row);
      });
      const row = el("li");
      row.appendChild(el("span", "swatch " + ABSENT));
      row.appendChild(el("span", "", data.absent + " "));
      row.appendChild(el("strong", "count", String(absentCount)));
      row.setAttribute("data-testid", "legend-" + ABSENT);
      list.appendChild(row);
      legendBox.appendChild(list);
    }

    function open(code) {
      const shape = byCode[code];
      if (!shape) return;
      map.fitBounds(shape.getBounds(), { maxZoom: 9, padding: [20, 20] });
      shape.openPopup(shape.getBounds().getCenter());
    }

    fetch(box.dataset.boundaries, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("boundaries " + response.status);
        return response.json();
      })
      .then(function (geo) {
        const prefix = data.province ? data.province + "." : "";
        const features = geo.features.filter(function (f) {
          return !prefix || f.properties.code.indexOf(prefix) === 0;
        });
        absentCount = features.filter(function (f) { return !data.items[f.properties.code]; }).length;
        layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
          style: style,
          onEachFeature: function (feature, shape) {
            const code = feature.properties.code;
            const item = data.items[code];
            byCode[code] = shape;
            shape.bindTooltip(item ? item.name : feature.properties.name, { sticky: true });
            shape.bindPopup(function () { return popupOf(feature.properties.name, item, data.absent); });
          },
        }).addTo(map);
        if (features.length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        box.setAttribute("data-ready", String(features.length));
        drawLegend();
      })
      .catch(function () {
        canvas.replaceChildren(el("p", "message error", box.dataset.failed || "Peta tidak dapat dimuat."));
      });

    if (select) {
      select.addEventListener("change", function () {
        mode = select.value;
        colourTable();
        if (layer) layer.setStyle(style);
        drawLegend();
      });
    }
    if (search) {
      const list = el("datalist");
      list.id = box.dataset.map + "-names";
      const codeOf = {};
      Object.keys(data.items).forEach(function (code) {
        const option = el("option");
        option.value = data.items[code].name;
        codeOf[data.items[code].name.toLowerCase()] = code;
        list.appendChild(option);
      });
      box.appendChild(list);
      search.setAttribute("list", list.id);
      search.placeholder = data.search;
      search.addEventListener("change", function () {
        const code = codeOf[search.value.trim().toLowerCase()];
        if (code) open(code);
      });
    }
  }

  function start() {
    if (typeof L === "undefined") return;
    document.querySelectorAll(".kla-map[data-map]").forEach(init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
