// The AS-path graph of the compare view: inline SVG, no library.  The
// layout is compare-model.js's graphModel(): vantage points in the left
// column, each AS in a column by its distance to the origin, origins on
// the right.  Every vantage point has a colour and a dash pattern of its
// own (the pattern is the marker that is not a colour), its paths drawn
// as strands over each edge it uses.  RPKI-invalid origins are drawn
// with a thick red border and the words "RPKI invalid".  Labels are text
// nodes: a name from the AS-name file cannot become markup.
//
// Contract for tests: svg.aspath-graph, nodes g[data-asn] (and
// g[data-router] for vantage points), edges path.edge with data-from,
// data-to (an ASN or a router name) and data-routers (space-separated).

import { visible } from './compare-model.js';

const NS = 'http://www.w3.org/2000/svg';
const COL_W = 170;
const ROW_H = 54;
const NODE_W = 140;
const NODE_H = 38;
const PAD = 12;
const NAME_MAX = 17;		// characters of an AS name drawn; the rest in its title
// Eight colours readable on light and dark backgrounds, and patterns so
// that twenty vantage points stay apart without colour.
const COLOURS = ['#1f77d0', '#d2691e', '#2e8b57', '#b8329e', '#7b61c9', '#b8860b',
	'#d6336c', '#138496'];
const DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4 1 4', '12 6'];

function svg(tag, attrs = {}) {
	const node = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs))
		node.setAttribute(k, String(v));
	return node;
}

function text(x, y, s, cls) {
	const t = svg('text', { x, y, class: cls });
	t.textContent = visible(s);
	return t;
}

export function styleOf(i) {
	return { colour: COLOURS[i % COLOURS.length],
		dash: DASHES[Math.floor(i / COLOURS.length) % DASHES.length] };
}

function short(s) {
	const v = visible(s);
	return v.length > NAME_MAX ? `${v.slice(0, NAME_MAX - 1)}…` : v;
}

function place(nodes) {
	const top = Math.max(0, ...nodes.map((n) => n.layer));
	const pos = new Map();
	for (const n of nodes)
		pos.set(n.id, { x: PAD + (top - n.layer) * COL_W, y: PAD + n.rank * ROW_H });
	return pos;
}

function nodeGroup(n, p, style) {
	const g = svg('g', { class: `node node-${n.kind}${n.invalid ? ' rpki-invalid' : ''}`,
		transform: `translate(${p.x} ${p.y})` });
	const title = svg('title');
	if (n.kind === 'router') {
		g.dataset.router = n.router;
		title.textContent = visible(`Vantage point ${n.router}`);
		g.append(title, svg('rect', { width: NODE_W, height: NODE_H, rx: 8 }),
		    svg('line', { x1: 8, y1: NODE_H - 7, x2: NODE_W - 8, y2: NODE_H - 7,
			    stroke: style.colour, 'stroke-width': 3, 'stroke-dasharray': style.dash }),
		    text(10, 20, short(n.router), 'label'));
		return g;
	}
	g.dataset.asn = n.asn;
	title.textContent = visible(`AS${n.asn}${n.name ? ` ${n.name}` : ''}` +
	    (n.invalid ? ' (RPKI invalid origin)' : ''));
	g.append(title, svg('rect', { width: NODE_W, height: NODE_H, rx: 4 }),
	    text(8, 16, `AS${n.asn}${n.invalid ? ' ✗' : ''}`, 'label'),
	    text(8, 31, n.invalid ? 'RPKI invalid' : n.name ? short(n.name) : '', 'sublabel'));
	return g;
}

// An edge from the right of one node to the left of the next, with the
// strand of each vantage point that uses it, side by side.
function edgePaths(e, pos, nodes, order) {
	const a = pos.get(e.from);
	const b = pos.get(e.to);
	const x1 = a.x + NODE_W;
	const x2 = b.x;
	const d = (dy) => {
		const y1 = a.y + NODE_H / 2 + dy;
		const y2 = b.y + NODE_H / 2 + dy;
		const mx = (x1 + x2) / 2;
		return `M${x1} ${y1} C${mx} ${y1} ${mx} ${y2} ${x2} ${y2}`;
	};
	const id = (n) => (nodes.get(n).kind === 'router' ? nodes.get(n).router : nodes.get(n).asn);
	const edge = svg('path', { class: 'edge', d: d(0) });
	edge.dataset.from = id(e.from);
	edge.dataset.to = id(e.to);
	edge.dataset.routers = e.routers.join(' ');
	const title = svg('title');
	title.textContent = visible(`AS${id(e.to)} seen from ${e.routers.join(', ')}`);
	edge.append(title);
	const strands = e.routers.map((r, i) => {
		const st = styleOf(order.indexOf(r));
		return svg('path', { class: 'strand', d: d((i - (e.routers.length - 1) / 2) * 3.5),
			stroke: st.colour, 'stroke-dasharray': st.dash });
	});
	return [edge, ...strands];
}

// The figure: the graph, or a sentence when there is nothing to draw,
// with a legend of the vantage points.
export function drawGraph(graph, order) {
	const figure = document.createElement('figure');
	figure.className = 'aspath-figure';
	const caption = document.createElement('figcaption');
	caption.textContent = 'AS paths from each vantage point to the origin';
	figure.append(caption);
	if (graph.edges.length === 0) {
		const p = document.createElement('p');
		p.className = 'cmp-muted';
		p.textContent = 'No AS path to draw yet.';
		figure.append(p);
		return figure;
	}
	const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
	const pos = place(graph.nodes);
	const w = Math.max(...[...pos.values()].map((p) => p.x)) + NODE_W + PAD;
	const h = Math.max(...[...pos.values()].map((p) => p.y)) + NODE_H + PAD;
	const root = svg('svg', { class: 'aspath-graph', viewBox: `0 0 ${w} ${h}`,
		width: w, height: h, role: 'img' });
	root.setAttribute('aria-label', `AS-path graph: ${graph.nodes.filter((n) => n.kind === 'as').length} ` +
	    `ASes seen from ${order.length} routers`);
	const edges = svg('g', { class: 'edges' });
	for (const e of graph.edges)
		edges.append(...edgePaths(e, pos, nodes, order));
	const layer = svg('g', { class: 'nodes' });
	for (const n of graph.nodes)
		layer.append(nodeGroup(n, pos.get(n.id), styleOf(order.indexOf(n.router))));
	root.append(edges, layer);
	const scroll = document.createElement('div');
	scroll.className = 'graph-scroll';
	scroll.tabIndex = 0;
	scroll.setAttribute('role', 'region');
	scroll.setAttribute('aria-label', 'AS-path graph, scrolls sideways');
	scroll.append(root);
	figure.append(scroll, legend(graph, order));
	return figure;
}

function legend(graph, order) {
	const ul = document.createElement('ul');
	ul.className = 'graph-legend';
	const drawn = new Set(graph.nodes.filter((n) => n.kind === 'router').map((n) => n.router));
	for (const [i, r] of order.entries()) {
		if (!drawn.has(r))
			continue;
		const st = styleOf(i);
		const li = document.createElement('li');
		const sw = svg('svg', { width: 34, height: 10, class: 'swatch', 'aria-hidden': 'true' });
		sw.append(svg('line', { x1: 0, y1: 5, x2: 34, y2: 5, stroke: st.colour,
			'stroke-width': 3, 'stroke-dasharray': st.dash }));
		li.append(sw, document.createTextNode(visible(r)));
		ul.append(li);
	}
	if (graph.nodes.some((n) => n.invalid)) {
		const li = document.createElement('li');
		li.textContent = '✗ RPKI invalid origin (thick red border)';
		ul.append(li);
	}
	return ul;
}
