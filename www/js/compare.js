// The compare view (DESIGN.md section 14): when a query runs on several
// routers, one aligned table above their panes, the AS-path graph, and
// for ping and traceroute their statistics and hops side by side.  It
// fills as routers answer: every parsed or end event of the stream
// redraws it (at most once a frame).  The model is compare-model.js; this
// file only draws it, and only as text: router output, AS names and
// community descriptions never become markup, and bidirectional-text
// controls are shown as visible codes so they cannot reorder a cell.
//
// Contract for tests: table.compare, th[data-router] per column,
// td[data-differs="true"] per marked cell; svg.aspath-graph with
// [data-asn] nodes and path.edge[data-from][data-to][data-routers].

import { compareRoutes, compareTraces, comparePings, graphModel, exportJSON,
    exportCSV, communityList, visible, rpkiTitle } from './compare-model.js';
import { drawGraph } from './aspath-graph.js';
import { sentence } from './api.js';

const RPKI = {
	valid: ['✓', 'valid'], invalid: ['✗', 'invalid'],
	'not-found': ['?', 'not found'], unknown: ['–', 'unknown'],
};
const WHY = {
	running: 'waiting for the answer…', error: 'failed', not_found: 'not found',
	unparsed: 'not readable as data; see its text',
};

function el(tag, text, cls) {
	const node = document.createElement(tag);
	if (text !== undefined && text !== null)
		node.textContent = visible(text);
	if (cls)
		node.className = cls;
	return node;
}

function button(label, onClick) {
	const b = el('button', label, 'ghost');
	b.type = 'button';
	b.addEventListener('click', onClick);
	return b;
}

// The column head: the router, its place, its state, its raw text.
function routerHead(answer, info) {
	const th = el('th');
	th.scope = 'col';
	th.dataset.router = answer.name;
	th.append(el('span', answer.name, 'cmp-router'));
	if (info && info.location)
		th.append(el('span', info.location, 'cmp-where'));
	const state = el('span', answer.state === 'running' ? 'answering…' :
	    answer.state === 'ok' ? 'answered' : 'error', 'cmp-state');
	state.dataset.state = answer.state;
	th.append(state);
	if (answer.state === 'error' && answer.error)
		th.append(el('span', sentence(answer.error), 'cmp-error'));
	th.append(button('Raw text', () => {
		const pre = document.querySelector(`#results .pane[data-router="${CSS.escape(answer.name)}"] .pane-output`);
		if (pre) {
			pre.scrollIntoView({ block: 'nearest' });
			pre.focus();
		}
	}));
	return th;
}

// Values, each with its label from the route facts when there is one
// (an AS and its name, a community and its description).
function labelled(td, values, labels, cls, empty) {
	if (values.length === 0)
		td.append(el('span', empty, 'cmp-muted'));
	for (const v of values) {
		const span = el('span', null, cls);
		span.append(el('span', v, `${cls}-value`));
		if (labels[v])
			span.append(el('span', labels[v], `${cls}-label`));
		td.append(span, document.createTextNode(' '));
	}
}

function asPathCell(td, path) {
	labelled(td, Array.isArray(path.as_path) ? path.as_path : [], path.as_names || {},
	    'asn', '(local)');
}

function communitiesCell(td, path) {
	labelled(td, communityList(path), path.community_descriptions || {}, 'community', 'none');
}

function rpkiCell(td, path) {
	const state = path.rpki ?? path.router_rpki;
	if (!state) {
		td.append(el('span', 'no data', 'cmp-muted'));
		return;
	}
	const [icon, label] = RPKI[state] || ['?', state];
	const badge = el('span', `${icon} ${label}`, 'rpki-badge');
	badge.dataset.rpki = state;
	const title = rpkiTitle(path);
	if (title)
		badge.title = title;
	td.append(badge);
}

const CELL = {
	as_path: asPathCell, communities: communitiesCell, rpki: rpkiCell,
};

function otherPaths(td, others) {
	if (others.length === 0) {
		td.append(el('span', 'none', 'cmp-muted'));
		return;
	}
	const details = el('details');
	details.append(el('summary', `${others.length} other path${others.length === 1 ? '' : 's'}`));
	const ul = el('ul', null, 'cmp-others');
	for (const p of others)
		ul.append(el('li', [Array.isArray(p.as_path) ? p.as_path.join(' ') || '(local)' : '',
		    p.next_hop ? `via ${p.next_hop}` : '', p.local_pref != null ? `lp ${p.local_pref}` : '',
		    p.valid === false ? 'not valid' : ''].filter(Boolean).join(' · ')));
	details.append(ul);
	td.append(details);
}

// Where a router has no best path for this prefix: why, or which prefix
// it answered for instead.
function absentText(model, row, name) {
	const reason = model.reasons.get(name);
	if (reason !== 'ok')
		return WHY[reason] || reason;
	const elsewhere = model.rows.filter((r) => r.cells.get(name)).map((r) => r.prefix);
	return elsewhere.length ? `answered for ${elsewhere[0]}` : 'not in its answer';
}

// A row: its label, then a cell per router that fill(td, router) fills.
// Each cell names its router (data-router; data-label for the phone
// layout, which shows it before the value).
function routerRow(label, routers, fill) {
	const tr = el('tr');
	const th = el('th', label);
	th.scope = 'row';
	tr.append(th);
	for (const name of routers) {
		const td = el('td');
		td.dataset.router = name;
		td.dataset.label = name;
		fill(td, name);
		tr.append(td);
	}
	return tr;
}

function fieldRow(model, row, f) {
	const tr = routerRow(f.label, model.routers, (td, name) => {
		const cell = row.cells.get(name);
		if (!cell) {
			if (f.key === 'as_path')
				td.append(el('span', absentText(model, row, name), 'cmp-muted'));
		} else if (CELL[f.key])
			CELL[f.key](td, cell.best);
		else
			td.append(el('span', f.values.get(name), 'cmp-value'));
		if (f.differs.has(name)) {
			td.dataset.differs = 'true';
			const mark = el('span', '≠', 'differs-mark');
			mark.setAttribute('aria-hidden', 'true');
			td.prepend(mark, el('span', 'differs: ', 'sr-only'));
			td.title = 'Differs from the other routers';
		}
	});
	tr.dataset.field = f.key;
	return tr;
}

function prefixBody(model, row) {
	const tbody = el('tbody');
	const head = el('tr', null, 'prefix-row');
	const th = el('th');
	th.scope = 'rowgroup';
	th.colSpan = model.routers.length + 1;
	const have = model.routers.filter((r) => row.cells.get(r)).length;
	const marked = row.fields.some((f) => f.differs.size > 0);
	th.append(el('span', row.prefix, 'cmp-prefix'),
	    el('span', `best path on ${have} of ${model.routers.length} routers` +
	    (marked ? ' · ≠ marks what differs' : have > 1 ? ' · all agree' : ''), 'cmp-muted'));
	head.append(th);
	tbody.append(head);
	for (const f of row.fields)
		tbody.append(fieldRow(model, row, f));
	const tr = routerRow('Other paths', model.routers, (td, name) => {
		if (row.cells.get(name))
			otherPaths(td, row.cells.get(name).others);
	});
	tr.className = 'others-row';
	tbody.append(tr);
	return tbody;
}

// The "not found" row: routers with no route at all.
function notFoundBody(model) {
	const tbody = el('tbody', null, 'not-found');
	tbody.append(routerRow('Not found', model.routers, (td, name) => {
		if (model.notFound.includes(name))
			td.append(el('span', '∅ no route for this query', 'cmp-notfound'));
	}));
	return tbody;
}

// Arrow keys move between the cells of a table (one tab stop).
function gridKeys(table) {
	const cells = () => Array.from(table.querySelectorAll('tbody tr')).map((tr) =>
	    Array.from(tr.cells));
	const all = cells().flat();
	all.forEach((c, i) => { c.tabIndex = i === 0 ? 0 : -1; });
	table.addEventListener('keydown', (ev) => {
		const move = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1],
			ArrowRight: [0, 1], Home: [0, -1e3], End: [0, 1e3] }[ev.key];
		const grid = cells();
		const y = grid.findIndex((r) => r.includes(document.activeElement));
		if (!move || y < 0)
			return;
		ev.preventDefault();
		let ny = Math.min(grid.length - 1, Math.max(0, y + move[0]));
		const x = grid[y].indexOf(document.activeElement);
		while (grid[ny].length === 1 && move[0] !== 0 && ny > 0 && ny < grid.length - 1)
			ny += move[0];
		const nx = Math.min(grid[ny].length - 1, Math.max(0, x + move[1]));
		document.activeElement.tabIndex = -1;
		grid[ny][nx].tabIndex = 0;
		grid[ny][nx].focus();
	});
}

// The head row: a column per router under a corner that names what the
// rows are (prefixes, ping statistics or hops).
function headRow(answers, info, rows) {
	const thead = el('thead');
	const tr = el('tr');
	const corner = el('th', rows);
	corner.scope = 'col';
	tr.append(corner, ...answers.map((a) => routerHead(a, info.get(a.name))));
	thead.append(tr);
	return thead;
}

function routeTable(model, answers, info) {
	const table = el('table', null, 'compare');
	table.append(el('caption', model.total > model.rows.length ?
	    `The first ${model.rows.length} of ${model.total} prefixes; the rest are in each router's text.` :
	    `${model.total} prefix${model.total === 1 ? '' : 'es'} on ${model.routers.length} routers`));
	table.append(headRow(answers, info, 'Prefix and best path'));
	for (const row of model.rows)
		table.append(prefixBody(model, row));
	if (model.notFound.length)
		table.append(notFoundBody(model));
	gridKeys(table);
	return table;
}

function num(v, unit) {
	return typeof v === 'number' ? `${v}${unit}` : '';
}

const PING_ROWS = [
	['Sent', (s) => s.sent ?? ''], ['Received', (s) => s.received ?? ''],
	['Loss', (s) => num(s.loss_pct, ' %')], ['RTT min', (s) => num((s.rtt_ms || {}).min, ' ms')],
	['RTT avg', (s) => num((s.rtt_ms || {}).avg, ' ms')],
	['RTT max', (s) => num((s.rtt_ms || {}).max, ' ms')],
	['RTT stddev', (s) => num((s.rtt_ms || {}).stddev, ' ms')],
];

function pingTable(answers, info) {
	const table = el('table', null, 'compare compare-ping');
	table.append(el('caption', 'Ping statistics side by side'));
	table.append(headRow(answers, info, 'Statistic'));
	const tbody = el('tbody');
	const stats = comparePings(answers);
	for (const [label, value] of PING_ROWS)
		tbody.append(routerRow(label, answers.map((a) => a.name), (td, name) => {
			const s = stats.find((x) => x.router === name).stats;
			td.textContent = visible(s ? value(s) :
			    WHY[answers.find((a) => a.name === name).state] || '');
		}));
	table.append(tbody);
	gridKeys(table);
	return table;
}

function traceTable(answers, info) {
	const cmp = compareTraces(answers);
	const table = el('table', null, 'compare compare-trace');
	table.append(el('caption', cmp.diverges === null ? 'Hops aligned by number; the paths do not diverge.' :
	    `Hops aligned by number; the paths diverge at hop ${cmp.diverges} (marked ≠).`));
	table.append(headRow(answers, info, 'Hop'));
	const tbody = el('tbody');
	for (const h of cmp.hops) {
		const tr = routerRow(h.hop === cmp.diverges ? `${h.hop} ≠ diverges` : h.hop,
		    answers.map((a) => a.name), (td, name) => {
			const addrs = h.cells.get(name);
			td.textContent = visible(addrs ? addrs.join(' ') : '');
		});
		if (h.hop === cmp.diverges)
			tr.dataset.diverges = 'true';
		tbody.append(tr);
	}
	table.append(tbody);
	gridKeys(table);
	return table;
}

function download(name, type, text) {
	const a = el('a');
	a.href = URL.createObjectURL(new Blob([text], { type }));
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

function fileName(query, ext) {
	const t = (query.target || query.type).replace(/[^A-Za-z0-9.:-]+/g, '_');
	return `compare-${query.type}-${t}.${ext}`;
}

// Whether a query type's answers are compared as routes, pings, traces.
function kindOf(type) {
	return type === 'ping' ? 'ping' : type === 'traceroute' ? 'trace' :
	    ['bgp_route', 'bgp_community', 'bgp_aspath'].includes(type) ? 'route' : null;
}

// The view for one query on several routers, drawn into section.
// Returns { update(router, event, data), finish() }; null when the query
// type has nothing to compare (a summary, a RIB lookup).
export function createCompare(section, query, infos) {
	const kind = kindOf(query.type);
	section.replaceChildren();
	delete section.dataset.complete;
	delete section.dataset.renderMs;
	const self = {};
	section.lgCompare = self;	// a newer query's view replaces this one
	section.hidden = !kind || query.routers.length < 2;
	if (section.hidden)
		return null;
	const info = new Map(infos.map((r) => [r.name, r]));
	const answers = query.routers.map((name) => ({ name, state: 'running', parsed: null, error: '' }));
	const verdict = el('p', null, 'verdict');
	verdict.setAttribute('aria-live', 'polite');
	const body = el('div', null, 'compare-body');
	const tools = el('div', null, 'compare-tools');
	let model = null;
	if (kind === 'route')
		tools.append(button('Export JSON', () => download(fileName(query, 'json'),
		    'application/json', JSON.stringify(exportJSON(query, model), null, 1))),
		button('Export CSV', () => download(fileName(query, 'csv'), 'text/csv', exportCSV(model))));
	section.append(el('h3', 'Comparison'), verdict, tools, body);
	let pending = false;
	let lastAnswer = 0;

	function render() {
		pending = false;
		const scroll = el('div', null, 'compare-scroll');
		scroll.tabIndex = -1;
		scroll.setAttribute('role', 'region');
		scroll.setAttribute('aria-label', 'Comparison table');
		const parts = [scroll];
		if (kind === 'route') {
			model = compareRoutes(answers);
			verdict.textContent = visible(model.verdict.text);
			scroll.append(routeTable(model, answers, info));
			parts.push(drawGraph(graphModel(model), answers.map((a) => a.name)));
		} else {
			const done = answers.filter((a) => a.state !== 'running').length;
			verdict.textContent = `${answers.length} routers, ${done} answered.`;
			scroll.append(kind === 'ping' ? pingTable(answers, info) : traceTable(answers, info));
		}
		body.replaceChildren(...parts);
		// With the last answer drawn, the time from that answer to
		// the frame that shows it (after layout and paint) is kept for
		// the browser tests: data-render-ms, data-complete.
		if (answers.every((a) => a.state !== 'running') && lastAnswer) {
			const from = lastAnswer;
			requestAnimationFrame(() => setTimeout(() => {
				if (section.lgCompare !== self)
					return;
				section.dataset.renderMs = (performance.now() - from).toFixed(1);
				section.dataset.complete = 'true';
			}, 0));
		}
	}
	function schedule() {
		if (pending || section.lgCompare !== self)
			return;
		pending = true;
		requestAnimationFrame(render);
	}
	render();
	return Object.assign(self, {
		update(router, event, data) {
			const a = answers.find((x) => x.name === router);
			if (!a)
				return;
			if (event === 'parsed')
				a.parsed = data.parsed;
			else if (event === 'end') {
				a.state = data.status === 'ok' ? 'ok' : 'error';
				a.error = data.error ? data.error.message || data.error.code : '';
				lastAnswer = performance.now();
			} else
				return;
			schedule();
		},
		fail(router, message) {
			const a = answers.find((x) => x.name === router);
			if (a && a.state === 'running')
				this.update(router, 'end', { status: 'error', error: { message } });
		},
	});
}
