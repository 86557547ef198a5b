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
      : data.nodes.length + " entities · " + data.edges.length + " facts";

  const nodes = new vis.DataSet(data.nodes.map((node) => {
    const cls = data.classes[node.c];
    return {
      id: node.id, label: shortLabel(node.label), size: node.size, shape: "dot",
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
  const nodeView = new vis.DataView(nodes, {
    filter: (item) => !hiddenClasses.has(nodeById.get(item.id).c),
  });
  const edgeView = new vis.DataView(edges, {
    filter: (item) => !hiddenRelations.has(edgeById.get(item.id).r),
  });

  const network = new vis.Network(document.getElementById("graph"), { nodes: nodeView, edges: edgeView }, {
    layout: { randomSeed: 7, improvedLayout: data.nodes.length <= 150 },
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
        iterations: Math.max(80, Math.min(600, Math.round(300000 / Math.max(data.nodes.length, 1)))),
        updateInterval: 25,
      },
    },
    interaction: { hover: true, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false },
  });

  const progress = document.getElementById("progress");
  const state = { network, nodes, edges, nodeView, edgeView, stabilized: false, selected: null };
  window.kgView = state;
  network.on("stabilizationProgress", (params) => {
    progress.textContent = "Laying out " + Math.round((100 * params.iterations) / params.total) + "%";
  });
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: false });
    progress.textContent = "";
    state.stabilized = true;
    network.fit();
  });
  if (!data.nodes.length) {
    // vis-network does not lay out (or report) an empty graph.
    document.getElementById("graph").appendChild(el("p", "This graph has no entities to draw.", "hint empty"));
    state.stabilized = true;
  }

  // Legend and filters.
  function filterList(listId, items, hidden, view, swatches) {
    const list = document.getElementById(listId);
    items.forEach((item, index) => {
      if (!item.count) return;
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.index = String(index);
      box.addEventListener("change", () => {
        if (box.checked) hidden.delete(index); else hidden.add(index);
        view.refresh();
        if (listId === "legend") edgeView.refresh();
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
  filterList("legend", data.classes, hiddenClasses, nodeView, true);
  filterList("relations", data.relations, hiddenRelations, edgeView, false);

  // Side panel.
  const details = document.getElementById("details");

  function evidenceList(items) {
    const list = el("ul");
    for (const item of items) {
      const row = el("li");
      if (item.text) row.appendChild(el("blockquote", item.text));
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
      details.appendChild(evidenceList(edge.evidence));
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
    details.appendChild(evidenceList(edge.evidence));
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
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(id);
  }
  Object.assign(state, { findNode, focusNode, showNode, showEdge });

  const status = document.getElementById("search-status");
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const node = findNode(document.getElementById("search").value);
    status.textContent = node ? "" : "No match";
    if (node) focusNode(node.id);
  });
})();
