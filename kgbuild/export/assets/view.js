"use strict";
// The graph data is untrusted article text: it is only ever put into the page with
// textContent, attribute setters and canvas labels, never parsed as HTML.
(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const nodeById = new Map(data.nodes.map((node) => [node.id, node]));
  const edgeById = new Map(data.edges.map((edge) => [edge.id, edge]));
  const big = data.nodes.length > 400;

  function el(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }

  function safeLink(url, text) {
    const link = el("a", text || url);
    if (/^https?:\/\//i.test(url)) {
      link.setAttribute("href", url);
      link.setAttribute("target", "_blank");
      link.setAttribute("rel", "noopener noreferrer");
    }
    return link;
  }

  // Long concept names would cover the drawing; the side panel shows them in full.
  function shortLabel(label) {
    return label.length > 32 ? label.slice(0, 30).trimEnd() + "…" : label;
  }

  document.getElementById("title").textContent = data.title;
  document.getElementById("counts").textContent =
    data.nodes.length < data.total.nodes
      ? "the " + data.nodes.length + " most connected of " + data.total.nodes + " entities · " +
        data.edges.length + " of " + data.total.edges + " facts (query the graph for the rest)"
      : (data.total.entities === undefined || data.total.entities === data.nodes.length
        ? data.nodes.length + " entities · "
        : data.total.entities + " entities · " + (data.nodes.length - data.total.entities) + " concepts · ") +
        data.edges.length + " facts";

  // Which nodes and edges are drawn: named entities and the facts between them at first;
  // concepts when asked for (globally, or around an expanded node); then the filters.
  const filters = {
    showConcepts: false, expanded: new Set(), revealed: new Set(),
    article: null, dateFrom: null, dateTo: null, minConfidence: 0,
  };
  const neighbours = new Map(data.nodes.map((node) => [node.id, []]));
  for (const edge of data.edges) {
    neighbours.get(edge.from).push(edge.to);
    neighbours.get(edge.to).push(edge.from);
  }
  // A node's best fact confidence: with a confidence filter on, a node needs one good enough fact.
  const nodeConfidence = new Map();
  for (const edge of data.edges) {
    if (edge.confidence === null || edge.confidence === undefined) continue;
    for (const end of [edge.from, edge.to]) {
      nodeConfidence.set(end, Math.max(nodeConfidence.get(end) ?? -1, edge.confidence));
    }
  }

  // The articles the article and date filters let through, or null when they let all through.
  function allowedArticles() {
    const dated = data.articles.some((article) => article.date);
    const dateOn = dated && (filters.dateFrom !== null || filters.dateTo !== null);
    if (filters.article === null && !dateOn) return null;
    const allowed = new Set();
    data.articles.forEach((article, index) => {
      if (filters.article !== null && filters.article !== index) return;
      if (dateOn) {
        if (!article.date) return;
        if (filters.dateFrom !== null && article.date < filters.dateFrom) return;
        if (filters.dateTo !== null && article.date > filters.dateTo) return;
      }
      allowed.add(index);
    });
    return allowed;
  }
  let allowed = null;

  function conceptWanted(id) {
    if (filters.showConcepts || filters.revealed.has(id)) return true;
    return neighbours.get(id).some((other) => filters.expanded.has(other));
  }

  function nodeShown(node) {
    if (hiddenClasses.has(node.c)) return false;
    if (node.k === 1 && !conceptWanted(node.id)) return false;
    if (allowed !== null && !node.a.some((index) => allowed.has(index))) return false;
    if (filters.minConfidence > 0 && !((nodeConfidence.get(node.id) ?? -1) >= filters.minConfidence)) return false;
    return true;
  }

  function edgeShown(edge) {
    if (hiddenRelations.has(edge.r)) return false;
    if (allowed !== null && !edge.a.some((index) => allowed.has(index))) return false;
    if (filters.minConfidence > 0 && !(edge.confidence !== null && edge.confidence >= filters.minConfidence)) return false;
    return visibleNodes.has(edge.from) && visibleNodes.has(edge.to);
  }
  let visibleNodes = new Set();
  function computeVisible() {
    allowed = allowedArticles();
    visibleNodes = new Set(data.nodes.filter(nodeShown).map((node) => node.id));
  }

  const nodes = new vis.DataSet(data.nodes.map((node) => {
    const cls = data.classes[node.c];
    return {
      id: node.id, label: shortLabel(node.label), size: node.size, shape: node.k === 1 ? "diamond" : "dot",
      color: { background: cls.color, border: "#3e4c59", highlight: { background: cls.color, border: "#000" } },
    };
  }));
  // Facts between the same two nodes bend apart instead of drawing on top of each other.
  const parallel = new Map();
  const edges = new vis.DataSet(data.edges.map((edge) => {
    const pair = [edge.from, edge.to].sort().join("\u0000");
    const rank = parallel.get(pair) || 0;
    parallel.set(pair, rank + 1);
    const item = {
      id: edge.id, from: edge.from, to: edge.to, label: edge.label, arrows: "to",
      dashes: edge.status !== "asserted", width: Math.min(1 + Math.log2(edge.weight), 6),
    };
    if (rank > 0) {
      item.smooth = { enabled: true, type: rank % 2 ? "curvedCW" : "curvedCCW", roundness: 0.25 * Math.ceil(rank / 2) };
    }
    return item;
  }));

  const hiddenClasses = new Set();
  const hiddenRelations = new Set();
  computeVisible();
  const nodeView = new vis.DataView(nodes, { filter: (item) => visibleNodes.has(item.id) });
  const edgeView = new vis.DataView(edges, { filter: (item) => edgeShown(edgeById.get(item.id)) });

  const network = new vis.Network(document.getElementById("graph"), { nodes: nodeView, edges: edgeView }, {
    layout: { randomSeed: 7, improvedLayout: visibleNodes.size <= 150 },
    nodes: { font: { size: 14, strokeWidth: 3, strokeColor: "#ffffff" }, scaling: { label: { drawThreshold: 6 } } },
    edges: {
      font: { size: 10, align: "middle", color: "#52606d", strokeWidth: 3 },
      color: { color: "#9aa5b1", highlight: "#1f2933" },
      smooth: big ? false : { type: "continuous" },
      arrows: { to: { scaleFactor: 0.5 } },
    },
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 120, avoidOverlap: 0.3 },
      // Each iteration costs about n log n, so big graphs get fewer: the budget stays near a
      // few seconds, and the layout is already readable long before it is fully still.
      stabilization: {
        iterations: Math.max(80, Math.min(600, Math.round(300000 / Math.max(visibleNodes.size, 1)))),
        updateInterval: 25,
      },
    },
    interaction: { hover: true, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false },
  });

  const progress = document.getElementById("progress");
  const state = { network, nodes, edges, nodeView, edgeView, stabilized: false, selected: null, filters };
  window.kgView = state;

  // The most connected visible nodes keep a label that reads at about 13 px whatever the zoom:
  // their font grows as the view zooms out (and is the normal 14 when zoomed in).
  const READABLE = 25, READABLE_PX = 13;
  let readable = [];
  function rankReadable() {
    const degree = (node) => (filters.showConcepts || filters.expanded.size ? node.degree : node.entityDegree);
    readable = data.nodes.filter((node) => visibleNodes.has(node.id))
      .sort((a, b) => degree(b) - degree(a) || (a.id < b.id ? -1 : 1)).slice(0, READABLE).map((node) => node.id);
    fitLabels(true);
  }
  let labelScale = null, labelled = [];
  function fitLabels(force) {
    const scale = network.getScale();
    if (!force && labelScale !== null && Math.abs(scale - labelScale) / labelScale < 0.05) return;
    labelScale = scale;
    const size = Math.max(14, Math.min(READABLE_PX / scale, 120));
    const updates = labelled.filter((id) => !readable.includes(id)).map((id) => ({ id, font: { size: 14 } }));
    for (const id of readable) updates.push({ id, font: { size } });
    labelled = readable.slice();
    nodes.update(updates);
  }
  network.on("zoom", () => fitLabels(false));
  state.readable = () => readable.slice();

  network.on("stabilizationProgress", (params) => {
    progress.textContent = "Laying out " + Math.round((100 * params.iterations) / params.total) + "%";
  });
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: false });
    progress.textContent = "";
    network.fit();
    rankReadable();
    state.stabilized = true;
  });
  if (!visibleNodes.size) {
    // vis-network does not lay out (or report) an empty graph.
    document.getElementById("graph").appendChild(el("p", data.nodes.length
      ? "No named entities: tick “Show concepts” to see the concepts." : "This graph has no entities to draw.",
    "hint empty"));
    state.stabilized = true;
  }

  // Nodes that come into view after the layout (concepts, filtered-out entities) are placed in
  // a ring around a neighbour that is already drawn, so that they appear next to what they are about.
  function placeNewNodes(before) {
    const added = [...visibleNodes].filter((id) => !before.has(id));
    if (!added.length) return;
    const drawn = network.getPositions([...before]);
    const rings = new Map();
    const updates = [];
    for (const id of added) {
      const anchor = neighbours.get(id).find((other) => drawn[other]);
      if (!anchor) continue;
      const ring = rings.get(anchor) || [];
      ring.push(id);
      rings.set(anchor, ring);
    }
    for (const [anchor, ring] of rings) {
      const centre = drawn[anchor];
      const radius = 90 + 6 * ring.length;
      ring.forEach((id, index) => {
        const angle = (2 * Math.PI * index) / ring.length + 0.3;
        updates.push({ id, x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) });
      });
    }
    nodes.update(updates);
  }

  const shown = document.getElementById("shown");
  function refresh() {
    const before = new Set(visibleNodes);
    computeVisible();
    if (state.stabilized) placeNewNodes(before);
    nodeView.refresh();
    edgeView.refresh();
    const entities = [...visibleNodes].filter((id) => nodeById.get(id).k === 0).length;
    shown.textContent = "Showing " + entities + " entities, " + (visibleNodes.size - entities) + " concepts, " +
      edgeView.length + " facts";
    if (state.stabilized) rankReadable();
  }
  state.refresh = refresh;

  // Show concepts, and double-click to expand a node into its concept neighbours.
  const conceptCount = data.nodes.filter((node) => node.k === 1).length;
  document.getElementById("concept-count").textContent = String(conceptCount);
  const conceptBox = document.getElementById("show-concepts");
  conceptBox.disabled = conceptCount === 0;
  conceptBox.addEventListener("change", () => {
    filters.showConcepts = conceptBox.checked;
    refresh();
  });
  function expand(id) {
    if (filters.expanded.has(id)) filters.expanded.delete(id); else filters.expanded.add(id);
    refresh();
  }
  network.on("doubleClick", (params) => {
    if (params.nodes.length) expand(params.nodes[0]);
  });

  // Article, publication date and confidence filters.
  const articleSelect = document.getElementById("article-filter");
  if (data.articles.length > 1) {
    document.getElementById("article-section").hidden = false;
    data.articles.forEach((article, index) => {
      const option = el("option", (article.date ? article.date + " · " : "") + article.label);
      option.value = String(index);
      articleSelect.appendChild(option);
    });
    articleSelect.addEventListener("change", () => {
      filters.article = articleSelect.value === "" ? null : Number(articleSelect.value);
      refresh();
    });
  }
  const dates = [...new Set(data.articles.map((article) => article.date).filter(Boolean))].sort();
  if (dates.length > 1) {
    document.getElementById("date-section").hidden = false;
    const from = document.getElementById("date-from"), to = document.getElementById("date-to");
    const fromText = document.getElementById("date-from-text"), toText = document.getElementById("date-to-text");
    for (const slider of [from, to]) slider.max = String(dates.length - 1);
    from.value = "0";
    to.value = String(dates.length - 1);
    const update = () => {
      let low = Number(from.value), high = Number(to.value);
      if (low > high) [low, high] = [high, low];
      fromText.textContent = dates[low];
      toText.textContent = dates[high];
      filters.dateFrom = low > 0 ? dates[low] : null;
      filters.dateTo = high < dates.length - 1 ? dates[high] : null;
      refresh();
    };
    from.addEventListener("input", update);
    to.addEventListener("input", update);
    fromText.textContent = dates[0];
    toText.textContent = dates[dates.length - 1];
  }
  const confidences = data.edges.map((edge) => edge.confidence).filter((c) => c !== null && c !== undefined);
  if (confidences.length) {
    document.getElementById("confidence-section").hidden = false;
    const slider = document.getElementById("min-confidence");
    const text = document.getElementById("min-confidence-text");
    slider.addEventListener("input", () => {
      filters.minConfidence = Number(slider.value);
      text.textContent = slider.value;
      refresh();
    });
  }

  // Legend and filters.
  function filterList(listId, items, hidden, swatches) {
    const list = document.getElementById(listId);
    items.forEach((item, index) => {
      if (!item.count) return;
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.index = String(index);
      box.addEventListener("change", () => {
        if (box.checked) hidden.delete(index); else hidden.add(index);
        refresh();
      });
      const label = el("label");
      label.appendChild(box);
      if (swatches) {
        const swatch = el("span", null, "swatch");
        swatch.style.background = item.color;
        label.appendChild(swatch);
      }
      label.appendChild(el("span", item.label));
      label.appendChild(el("span", item.count, "count"));
      const row = el("li");
      row.appendChild(label);
      list.appendChild(row);
    });
  }
  filterList("legend", data.classes, hiddenClasses, true);
  filterList("relations", data.relations, hiddenRelations, false);
  refresh();

  // Side panel.
  const details = document.getElementById("details");

  // The places in a sentence where the given nodes are named: the graph's mention offsets when it
  // has them for that node, else every place where the node's label or an alias is written.
  function markSpans(item, ids) {
    const spans = [];
    ids.forEach((id, rank) => {
      const found = item.marks.filter((mark) => mark[2] === id);
      if (found.length) {
        for (const [start, end] of found) spans.push([start, end, rank]);
        return;
      }
      const node = nodeById.get(id);
      if (!node) return;
      const lower = item.text.toLowerCase();
      const names = [node.label, ...node.aliases].filter((name) => name.length > 1)
        .sort((a, b) => b.length - a.length);
      for (const name of names) {
        const wanted = name.toLowerCase();
        for (let at = lower.indexOf(wanted); at !== -1; at = lower.indexOf(wanted, at + 1)) {
          const before = at === 0 ? "" : item.text[at - 1], after = item.text[at + wanted.length] || "";
          if (/[\p{L}\p{N}]/u.test(before) || /[\p{L}\p{N}]/u.test(after)) continue;
          spans.push([at, at + wanted.length, rank]);
        }
      }
    });
    // Left to right; of overlapping spans the first (then the longest) wins.
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1] || a[2] - b[2]);
    const kept = [];
    for (const span of spans) {
      if (!kept.length || span[0] >= kept[kept.length - 1][1]) kept.push(span);
    }
    return kept;
  }

  function sentence(item, ids) {
    const quote = el("blockquote");
    let at = 0;
    for (const [start, end, rank] of markSpans(item, ids)) {
      if (start > at) quote.appendChild(document.createTextNode(item.text.slice(at, start)));
      const mark = el("mark", item.text.slice(start, end), rank ? "other" : "");
      quote.appendChild(mark);
      at = end;
    }
    if (at < item.text.length) quote.appendChild(document.createTextNode(item.text.slice(at)));
    return quote;
  }

  function evidenceList(items, ids) {
    const list = el("ul");
    for (const item of items) {
      const row = el("li");
      if (item.text) row.appendChild(sentence(item, ids || []));
      const source = el("div", null, "source");
      if (item.url) source.appendChild(safeLink(item.url, item.title || item.url));
      else if (item.title) source.appendChild(el("span", item.title));
      if (item.confidence !== null && item.confidence !== undefined) {
        source.appendChild(document.createTextNode(" · confidence " + item.confidence));
      }
      if (item.relation) source.appendChild(document.createTextNode(" · as \u201c" + item.relation + "\u201d"));
      for (const [name, value] of item.qualifiers) {
        source.appendChild(document.createTextNode(" · " + name + ": " + value));
      }
      row.appendChild(source);
      list.appendChild(row);
    }
    return list;
  }

  function factHeading(edge) {
    const words = [nodeById.get(edge.from).label, edge.label, nodeById.get(edge.to).label];
    const denied = edge.status !== "asserted";
    const heading = el("div", (denied ? "[" + edge.status + "] " : "") + words.join(" "), "fact");
    if (denied) heading.classList.add("denied");
    return heading;
  }

  function showNode(id) {
    const node = nodeById.get(id);
    if (!node) return;
    state.selected = id;
    details.replaceChildren();
    details.appendChild(el("h3", node.label));
    const facts = el("dl");
    const add = (name, value) => {
      facts.appendChild(el("dt", name));
      const cell = el("dd");
      if (value instanceof Node) cell.appendChild(value); else cell.textContent = value;
      facts.appendChild(cell);
    };
    add("Type", node.types.length ? node.types.join(", ") : "(none)");
    if (node.aliases.length) add("Also", node.aliases.join(" · "));
    if (node.wikidata) add("Wikidata", safeLink(node.wikidata, node.wikidata.replace(/^.*\//, "")));
    for (const link of node.links) add("Same as", safeLink(link));
    for (const [name, value] of node.props) add(name, value);
    if (node.articles.length) {
      const more = node.articleCount - node.articles.length;
      add("Mentioned in", node.articles.join(" · ") + (more > 0 ? " · and " + more + " more" : ""));
    }
    details.appendChild(facts);
    details.appendChild(el("div", node.id, "iri"));
    const related = data.edges.filter((edge) => edge.from === id || edge.to === id);
    details.appendChild(el("h2", "Facts (" + related.length + ")"));
    for (const edge of related) {
      details.appendChild(factHeading(edge));
      details.appendChild(evidenceList(edge.evidence, [id]));
    }
    const concepts = neighbours.get(id).filter((other) => nodeById.get(other).k === 1);
    if (node.k === 0 && concepts.length) {
      const count = new Set(concepts).size;
      const more = el("button", filters.expanded.has(id) ? "Hide its concepts"
        : count === 1 ? "Show its concept" : "Show its " + count + " concepts");
      more.type = "button";
      more.className = "expand";
      more.addEventListener("click", () => { expand(id); showNode(id); });
      details.appendChild(more);
    }
  }

  function showEdge(id) {
    const edge = edgeById.get(id);
    if (!edge) return;
    details.replaceChildren();
    details.appendChild(el("h3", "Fact"));
    details.appendChild(factHeading(edge));
    details.appendChild(el("div", edge.predicate, "iri"));
    details.appendChild(el("h2", "Evidence (" + edge.evidenceCount + ")"));
    details.appendChild(evidenceList(edge.evidence, [edge.from, edge.to]));
    if (edge.evidenceCount > edge.evidence.length) {
      details.appendChild(el("p", "Showing the first " + edge.evidence.length + "; query the graph for all.", "more"));
    }
  }

  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // Search.
  const names = document.getElementById("node-names");
  const seen = new Set();
  for (const node of data.nodes) {
    for (const name of [node.label, ...node.aliases]) {
      if (seen.has(name)) continue;
      seen.add(name);
      const option = el("option");
      option.value = name;
      names.appendChild(option);
    }
  }

  function findNode(query) {
    const wanted = query.trim().toLowerCase();
    if (!wanted) return null;
    const visible = (node) => !hiddenClasses.has(node.c);
    const all = data.nodes.filter(visible);
    const exact = (node) => [node.label, ...node.aliases].some((name) => name.toLowerCase() === wanted);
    const partial = (node) => [node.label, ...node.aliases].some((name) => name.toLowerCase().includes(wanted));
    return all.find(exact) || all.find(partial) || null;
  }

  function focusNode(id) {
    if (!visibleNodes.has(id)) {
      filters.revealed.add(id);
      refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(id);
  }
  Object.assign(state, { findNode, focusNode, showNode, showEdge, expand, visible: () => [...visibleNodes] });

  const status = document.getElementById("search-status");
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const node = findNode(document.getElementById("search").value);
    status.textContent = node ? "" : "No match";
    if (node) focusNode(node.id);
  });
})();
