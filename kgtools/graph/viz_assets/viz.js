// Interaction for the graph page: pan, zoom, search, and details of a clicked term.
// Graphviz has drawn the graph (an inline SVG whose node and edge groups have the ids
// n0, n1... and e0, e1... of the JSON data, and j0, j1... for the "or" junctions of
// unions, with j0in for the edge into a junction); this script draws nothing itself.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var container = document.getElementById("graph");
  var svg = container.querySelector("svg");
  var details = document.getElementById("details");
  var box = document.getElementById("search-box");
  var results = document.getElementById("search-results");

  var nodes = {}, edgesOf = {}, edges = {}, unions = {};
  data.nodes.forEach(function (n) { nodes[n.id] = n; edgesOf[n.id] = []; });
  data.edges.forEach(function (e) { edges[e.id] = e; edgesOf[e.source].push(e); edgesOf[e.target].push(e); });
  data.unions.forEach(function (u) { unions[u.id] = u; });
  var drawn = svg.querySelectorAll("g.node.term");
  // Names of relations are drawn only where they can be read: when zoomed in, or on a chosen term's edges.
  var LABELS_FROM_SCALE = 1.25, READABLE_SCALE = 1.15, MOST_SCALE = 2.5;
  document.getElementById("counts").textContent =
    data.nodes.length + " terms \u00b7 " + data.edges.length + " relations";

  // ---------------------------------------------------------------- pan and zoom
  var base = svg.viewBox.baseVal;
  var home = { x: base.x, y: base.y, w: base.width, h: base.height };
  var view = Object.assign({}, home);

  function show(v) {
    view = v;
    svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].join(" "));
    container.classList.toggle("detailed", scale() >= LABELS_FROM_SCALE);
  }

  function scale() {  // screen pixels per graph unit (a point of Graphviz's drawing)
    var rect = svg.getBoundingClientRect();
    return Math.min(rect.width / view.w, rect.height / view.h);
  }

  function toGraph(clientX, clientY) {
    var point = svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  function zoom(factor, clientX, clientY) {
    var rect = svg.getBoundingClientRect();
    var at = toGraph(clientX === undefined ? rect.left + rect.width / 2 : clientX,
                     clientY === undefined ? rect.top + rect.height / 2 : clientY);
    var w = Math.min(Math.max(view.w * factor, home.w / 60), home.w * 4);
    var ratio = w / view.w;
    show({ x: at.x - (at.x - view.x) * ratio, y: at.y - (at.y - view.y) * ratio, w: w, h: view.h * ratio });
  }

  function fit() { show(Object.assign({}, home)); }

  function bounds(e) {
    var r = e.getBoundingClientRect();
    var a = toGraph(r.left, r.top), b = toGraph(r.right, r.bottom);
    return { x1: a.x, y1: a.y, x2: b.x, y2: b.y };
  }

  function fitTo(elements, centre) {
    // The smallest view that shows all the elements, with a margin, but never so small a scale that
    // the terms cannot be read: then the view keeps the scale and the centre element, and as many of
    // the others as fit.
    var box = null;
    elements.forEach(function (e) {
      var b = bounds(e);
      box = box ? { x1: Math.min(box.x1, b.x1), y1: Math.min(box.y1, b.y1), x2: Math.max(box.x2, b.x2), y2: Math.max(box.y2, b.y2) } : b;
    });
    var rect = svg.getBoundingClientRect();
    var margin = 24;
    var w = box.x2 - box.x1 + 2 * margin, h = box.y2 - box.y1 + 2 * margin;
    var s = Math.min(Math.max(Math.min(rect.width / w, rect.height / h), READABLE_SCALE), MOST_SCALE);
    var vw = rect.width / s, vh = rect.height / s;
    var cx = (box.x1 + box.x2) / 2, cy = (box.y1 + box.y2) / 2;
    if (centre) {  // keep the chosen term inside the view
      var c = bounds(centre);
      cx = Math.min(Math.max(cx, c.x2 + margin - vw / 2), c.x1 - margin + vw / 2);
      cy = Math.min(Math.max(cy, c.y2 + margin - vh / 2), c.y1 - margin + vh / 2);
    }
    show({ x: cx - vw / 2, y: cy - vh / 2, w: vw, h: vh });
  }

  container.addEventListener("wheel", function (event) {
    event.preventDefault();
    zoom(event.deltaY < 0 ? 1 / 1.2 : 1.2, event.clientX, event.clientY);
  }, { passive: false });

  var drag = null;
  container.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, view: Object.assign({}, view), moved: false };
  });
  window.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    container.classList.add("dragging");
    var scale = svg.getScreenCTM().a;  // screen pixels per graph unit
    show({ x: drag.view.x - dx / scale, y: drag.view.y - dy / scale, w: drag.view.w, h: drag.view.h });
  });
  window.addEventListener("pointerup", function (event) {
    if (!drag) return;
    var clicked = !drag.moved;
    drag = null;
    container.classList.remove("dragging");
    if (!clicked || !container.contains(event.target)) return;
    var group = event.target.closest ? event.target.closest("g.node.term") : null;
    if (group && nodes[group.id]) choose(group.id); else clear();
  });

  document.getElementById("zoom-in").addEventListener("click", function () { zoom(1 / 1.4); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(1.4); });
  document.getElementById("zoom-fit").addEventListener("click", fit);

  // ---------------------------------------------------------------- selection and details
  function element(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (className) e.className = className;
    return e;
  }

  function citation(edge) {
    var parts = [];
    if (edge.lines.length) parts.push((edge.lines.length > 1 ? "lines " : "line ") + edge.lines.join(", "));
    var text = parts.join("") + (edge.quotes.length ? ": " : "");
    var span = element("span", text);
    edge.quotes.forEach(function (q, i) {
      span.appendChild(element("span", (i ? " / " : "") + "\u201c" + q + "\u201d", "quote"));
    });
    var extra = [];
    if (edge.completion) extra.push("completed: " + edge.completion);
    if (edge.evidence) extra.push(edge.evidence);
    if (extra.length) span.appendChild(element("span", " (" + extra.join("; ") + ")", "muted"));
    return span;
  }

  function clear() {
    container.classList.remove("selecting");
    svg.querySelectorAll(".selected, .near").forEach(function (e) { e.classList.remove("selected", "near"); });
    svg.querySelectorAll("g.edge text[data-x]").forEach(function (t) {
      t.setAttribute("x", t.dataset.x);
      t.setAttribute("y", t.dataset.y);
    });
  }

  function overlaps(a, b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  }

  function placeLabels() {
    // Graphviz puts an edge's name at the middle of its line, where it may cover a term or another name:
    // move each name of the chosen term's edges along its line to the first place that covers neither.
    var taken = Array.prototype.map.call(svg.querySelectorAll("g.node.near"), function (g) { return g.getBBox(); });
    svg.querySelectorAll("g.edge.near").forEach(function (edge) {
      var text = edge.querySelector("text"), path = edge.querySelector("path");
      if (!text || !path) return;
      if (!text.dataset.x) { text.dataset.x = text.getAttribute("x"); text.dataset.y = text.getAttribute("y"); }
      var length = path.getTotalLength(), best = null;
      [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8].some(function (t) {
        return [0, -10, 10].some(function (dy) {
          var point = path.getPointAtLength(length * t);
          text.setAttribute("x", point.x);
          text.setAttribute("y", point.y + 3 + dy);
          var box = text.getBBox();
          if (!best) best = [point.x, point.y + 3 + dy];
          if (taken.some(function (other) { return overlaps(box, other); })) return false;
          best = [point.x, point.y + 3 + dy];
          return true;
        });
      });
      text.setAttribute("x", best[0]);
      text.setAttribute("y", best[1]);
      taken.push(text.getBBox());
    });
  }

  function select(id) {
    clear();
    var node = nodes[id];
    var group = document.getElementById(id);
    container.classList.add("selecting");
    group.classList.add("selected", "near");
    edgesOf[id].forEach(function (e) {
      var drawnEdge = document.getElementById(e.id);
      drawnEdge.classList.add("near");
      drawnEdge.parentNode.appendChild(drawnEdge);  // on top of the terms, so that its name is not hidden
      document.getElementById(e.source === id ? e.target : e.source).classList.add("near");
      if (e.union) {  // the way through the "or" junction
        document.getElementById(e.union).classList.add("near");
        var into = document.getElementById(e.union + "in");
        into.classList.add("near");
        into.parentNode.appendChild(into);
      }
    });

    // The chosen term and its neighbours over every line, their lines over the other terms.
    svg.querySelectorAll("g.node.near").forEach(function (g) { g.parentNode.appendChild(g); });
    placeLabels();

    details.textContent = "";
    details.appendChild(element("h2", node.label));
    var kind = element("span", node.kind, "kind");
    kind.style.background = node.color;
    var line = element("p");
    line.appendChild(kind);
    line.appendChild(element("span", " " + node.curie, "curie"));
    details.appendChild(line);
    details.appendChild(element("p", node.definition || "No definition.", node.definition ? "definition" : "muted"));
    if (node.iri) details.appendChild(element("p", node.iri, "muted"));
    [["Synonyms", node.synonyms], ["Cross-references", node.xrefs]].forEach(function (pair) {
      if (!pair[1].length) return;
      details.appendChild(element("h3", pair[0]));
      details.appendChild(element("p", pair[1].join(" \u00b7 ")));
    });
    // One item per relation, and one per union: its alternatives together, as "one of".
    var items = [], seen = {};
    edgesOf[id].forEach(function (e) {
      if (!e.union) { items.push([e]); return; }
      if (seen[e.union]) return;
      seen[e.union] = true;
      items.push(unions[e.union].edges.map(function (other) { return edges[other]; }));
    });
    details.appendChild(element("h3", "Relations and their sources (" + items.length + ")"));
    var list = element("ul");
    items.forEach(function (group) {
      var e = group[0];
      var item = element("li");
      var subject = nodes[e.source];
      item.appendChild(element("span", subject.label + " \u2014" + e.relation + "\u2192 "));
      if (group.length > 1 || e.union) {
        item.className = "union";
        item.appendChild(element("span", "one of ", "one-of"));
        group.forEach(function (alternative, i) {
          if (i) item.appendChild(element("span", i === group.length - 1 ? " or " : ", ", "one-of"));
          item.appendChild(element(alternative.target === id ? "strong" : "span", nodes[alternative.target].label));
        });
      } else {
        item.appendChild(element("strong", nodes[e.target].label));
      }
      if (e.hedged) item.appendChild(element("span", " [" + e.hedge + ": qualified statement, not asserted]", "hedged"));
      else if (e.hedge) item.appendChild(element("span", " [" + e.hedge + "]", "muted"));
      item.appendChild(element("br"));
      item.appendChild(citation(e));
      list.appendChild(item);
    });
    details.appendChild(list);
  }

  // ---------------------------------------------------------------- search
  function matching(text) {
    var q = text.trim().toLowerCase();
    if (!q) return [];
    return data.nodes.filter(function (n) {
      return n.label.toLowerCase().indexOf(q) >= 0 || n.curie.toLowerCase().indexOf(q) >= 0 ||
        n.synonyms.some(function (s) { return s.toLowerCase().indexOf(q) >= 0; });
    }).sort(function (a, b) {
      // Exact and prefix matches first.
      var ra = a.label.toLowerCase() === q ? 0 : a.label.toLowerCase().indexOf(q) === 0 ? 1 : 2;
      var rb = b.label.toLowerCase() === q ? 0 : b.label.toLowerCase().indexOf(q) === 0 ? 1 : 2;
      return ra - rb || a.label.localeCompare(b.label);
    });
  }

  function choose(id) {
    results.textContent = "";
    container.classList.remove("searching");
    svg.querySelectorAll("g.node.match").forEach(function (e) { e.classList.remove("match"); });
    select(id);
    fitTo(Array.prototype.slice.call(svg.querySelectorAll("g.node.near")), document.getElementById(id));
  }

  box.addEventListener("input", function () {
    var found = matching(box.value);
    svg.querySelectorAll("g.node.match").forEach(function (e) { e.classList.remove("match"); });
    results.textContent = "";
    container.classList.toggle("searching", box.value.trim() !== "");
    found.forEach(function (n) {
      document.getElementById(n.id).classList.add("match");
      var item = element("li");
      item.dataset.id = n.id;
      item.setAttribute("role", "option");
      item.appendChild(element("span", n.label + " "));
      item.appendChild(element("span", n.curie + " \u00b7 " + n.kind, "curie"));
      item.addEventListener("click", function () { choose(n.id); });
      results.appendChild(item);
    });
    if (box.value.trim() && !found.length) results.appendChild(element("li", "No term matches.", "muted"));
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var first = matching(box.value)[0];
      if (first) choose(first.id);
    } else if (event.key === "Escape") {
      box.value = "";
      box.dispatchEvent(new Event("input"));
    }
  });

  container.dataset.nodes = String(drawn.length);
  container.classList.add("ready");
})();
