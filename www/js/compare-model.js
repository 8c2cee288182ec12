// The compare view's model: pure functions, no DOM, so that node can run
// them as well as the page.  Input is what each router answered, as the
// stream delivers it ({ name, state: 'running'|'ok'|'error', parsed,
// error }); output is plain data that compare.js draws.
//
// What is compared (DESIGN.md section 14) is each router's best path for
// each prefix: AS path, origin, communities and RPKI state are marked
// where they differ from the most common value of their row (on a tie,
// every cell of the row); next hop, local-pref and MED are shown, never
// marked.

// The attribute rows under each prefix: label, value of a best path as
// text, and whether a difference is marked.
export const FIELDS = [
	{ key: 'as_path', label: 'AS path', marked: true, value: (p) => asPathText(p) },
	{ key: 'origin', label: 'Origin', marked: true, value: (p) => p.origin ?? '' },
	{ key: 'next_hop', label: 'Next hop', marked: false, value: (p) => p.next_hop ?? '' },
	{ key: 'local_pref', label: 'Local pref', marked: false, value: (p) => text(p.local_pref) },
	{ key: 'med', label: 'MED', marked: false, value: (p) => text(p.med) },
	{ key: 'communities', label: 'Communities', marked: true,
		value: (p) => communityList(p).join(' ') },
	{ key: 'rpki', label: 'RPKI', marked: true, value: (p) => p.rpki ?? p.router_rpki ?? '' },
];

// Prefixes drawn at most; the rest stay in each router's text.
export const ROWS_MAX = 200;

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// Text as it may be shown: bidirectional-text controls become visible
// codes ("<U+202E>"), so that router text cannot reorder what is around.
export function visible(s) {
	return String(s ?? '').replace(BIDI, (c) =>
	    `<U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

function text(v) {
	return v === null || v === undefined ? '' : String(v);
}

function list(v) {
	return Array.isArray(v) ? v : [];
}

export function asPathText(p) {
	return list(p.as_path).join(' ');
}

export function communityList(p) {
	return [...list(p.communities), ...list(p.large_communities)].map(String).sort();
}

// The RPKI badge's tooltip: why an invalid path is invalid, then the VRPs
// that decided the path (rpki_vrps), one a line; '' when there is neither.
export function rpkiTitle(p) {
	const lines = p.rpki_reason ? [`invalid: ${String(p.rpki_reason).replace('_', ' ')}`] : [];
	for (const v of list(p.rpki_vrps))
		lines.push(`VRP ${v.prefix} max /${v.max_length} AS${v.asn}`);
	return lines.join('\n');
}

// The best path of a prefix: the one flagged best, else the first.
function bestOf(paths) {
	return paths.find((p) => p && p.best) || paths[0] || null;
}

// A router's answer as { prefix: { best, others } } in its order, or the
// reason there is none: 'running', 'error', 'not_found', 'unparsed'.
export function routerRoutes(answer) {
	if (answer.state === 'running')
		return { reason: 'running' };
	if (answer.state === 'error')
		return { reason: 'error' };
	const parsed = answer.parsed;
	if (!parsed || typeof parsed !== 'object' || parsed.error || parsed.kind !== 'bgp_routes')
		return { reason: 'unparsed' };
	const prefixes = list(parsed.prefixes).filter((x) => x && typeof x.prefix === 'string');
	if (parsed.not_found || prefixes.length === 0)
		return { reason: 'not_found' };
	const routes = new Map();
	for (const x of prefixes) {
		const paths = list(x.paths).filter((p) => p && typeof p === 'object');
		const best = bestOf(paths);
		if (best && !routes.has(x.prefix))
			routes.set(x.prefix, { best, others: paths.filter((p) => p !== best) });
	}
	return routes.size ? { routes } : { reason: 'not_found' };
}

// Which values of a row are marked: those that differ from the most
// common one; on a tie for most common, all of them.  values maps a
// router to its value; routers without one take no part.
export function differing(values) {
	const counts = new Map();
	for (const v of values.values())
		counts.set(v, (counts.get(v) || 0) + 1);
	if (counts.size < 2)
		return new Set();
	const sorted = [...counts.values()].sort((a, b) => b - a);
	const tie = sorted[0] === sorted[1];
	const top = [...counts.entries()].find(([, n]) => n === sorted[0])[0];
	return new Set([...values.entries()].filter(([, v]) => tie || v !== top)
	    .map(([router]) => router));
}

function joinNames(names) {
	if (names.length <= 1)
		return names.join('');
	return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

// The verdict: how many routers, how many different best paths, and who
// goes which way; then who has no route, who failed, who is still busy.
function verdict(answers, primary) {
	const n = answers.length;
	const groups = new Map();
	for (const a of answers) {
		const first = primary.get(a.name);
		if (!first)
			continue;
		const key = `${first.prefix} ${asPathText(first.path)}`;
		if (!groups.has(key))
			groups.set(key, { prefix: first.prefix, path: asPathText(first.path), routers: [] });
		groups.get(key).routers.push(a.name);
	}
	const prefixes = new Set([...groups.values()].map((g) => g.prefix));
	const ways = [...groups.values()].map((g) => `${joinNames(g.routers)} via ` +
	    `${g.path || '(local)'}${prefixes.size > 1 ? ` (${g.prefix})` : ''}`);
	const k = groups.size;
	let s = `${n} router${n === 1 ? '' : 's'}, ` +
	    (k === 0 ? 'no best path yet' : k === 1 ? 'one best path' : `${k} different best paths`);
	if (ways.length)
		s += `: ${ways.join('; ')}`;
	s += '.';
	const by = (reason) => answers.filter((a) => routerRoutes(a).reason === reason)
	    .map((a) => a.name);
	for (const [reason, label] of [['not_found', 'No route on'], ['error', 'Failed on'],
	    ['unparsed', 'Not readable as data from'], ['running', 'Waiting for']]) {
		const who = by(reason);
		if (who.length)
			s += ` ${label} ${joinNames(who)}.`;
	}
	return { text: s, paths: k };
}

// The comparison of route answers.  answers: [{ name, state, parsed,
// error }] in column order.  Returns { routers, rows, notFound, verdict,
// total } where each row is { prefix, cells: Map(router -> { best,
// others } | null), fields: [{ key, label, marked, values: Map(router ->
// text), differs: Set(router) }] }.
export function compareRoutes(answers) {
	const per = new Map(answers.map((a) => [a.name, routerRoutes(a)]));
	const order = [];
	const seen = new Set();
	for (const a of answers)
		for (const prefix of (per.get(a.name).routes || new Map()).keys())
			if (!seen.has(prefix)) {
				seen.add(prefix);
				order.push(prefix);
			}
	const rows = order.slice(0, ROWS_MAX).map((prefix) => {
		const cells = new Map(answers.map((a) => {
			const routes = per.get(a.name).routes;
			return [a.name, routes && routes.has(prefix) ? routes.get(prefix) : null];
		}));
		const fields = FIELDS.map((f) => {
			const values = new Map();
			for (const [router, cell] of cells)
				if (cell)
					values.set(router, f.value(cell.best));
			return { key: f.key, label: f.label, marked: f.marked, values,
				differs: f.marked ? differing(values) : new Set() };
		});
		return { prefix, cells, fields };
	});
	const primary = new Map();
	for (const a of answers) {
		const routes = per.get(a.name).routes;
		if (routes) {
			const [prefix, r] = routes.entries().next().value;
			primary.set(a.name, { prefix, path: r.best });
		}
	}
	return {
		routers: answers.map((a) => a.name),
		reasons: new Map([...per].map(([name, r]) => [name, r.reason || 'ok'])),
		rows,
		total: order.length,
		notFound: answers.filter((a) => per.get(a.name).reason === 'not_found').map((a) => a.name),
		verdict: verdict(answers, primary),
	};
}

// The AS-path graph: vantage points (routers) on the left, origins on
// the right, each AS in a column by its distance to the origin (the
// longest such distance over the paths, so every edge points right).
// Prepends collapse into one node.  Returns { nodes: [{ id, kind:
// 'router'|'as', asn, router, layer, rank, names, invalid }], edges:
// [{ from, to, routers }] }.
export function graphModel(model, asNames = new Map()) {
	const edges = new Map();
	const next = new Map();		// node id -> Set of next node ids
	const nodes = new Map();
	const walks = [];		// each vantage point's node ids, in order
	const addNode = (id, props) => {
		if (!nodes.has(id))
			nodes.set(id, { id, layer: 0, rank: 0, invalid: false, ...props });
		return nodes.get(id);
	};
	for (const row of model.rows) {
		for (const [router, cell] of row.cells) {
			if (!cell)
				continue;
			const path = list(cell.best.as_path).map(String)
			    .filter((a, i, all) => i === 0 || a !== all[i - 1]);
			addNode(`r:${router}`, { kind: 'router', router });
			let prev = `r:${router}`;
			const walk = [prev];
			walks.push(walk);
			for (const asn of path) {
				const names = cell.best.as_names || {};
				const node = addNode(`as:${asn}`, { kind: 'as', asn });
				if (!node.name && (names[asn] || asNames.get(asn)))
					node.name = String(names[asn] || asNames.get(asn));
				const key = `${prev}>${node.id}`;
				if (!edges.has(key))
					edges.set(key, { from: prev, to: node.id, routers: [] });
				if (!edges.get(key).routers.includes(router))
					edges.get(key).routers.push(router);
				if (!next.has(prev))
					next.set(prev, new Set());
				next.get(prev).add(node.id);
				walk.push(node.id);
				prev = node.id;
			}
			if (path.length && cell.best.rpki === 'invalid')
				nodes.get(`as:${path[path.length - 1]}`).invalid = true;
		}
	}
	layer(nodes, next);
	rank(nodes, walks);
	return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

// Layers: origins 0, every other node one more than the highest of the
// nodes it leads to; routers all in the last column.  Cycles (a path
// that comes back to an AS) are cut by a bound on the passes.
function layer(nodes, next) {
	for (let pass = 0, changed = true; changed && pass <= nodes.size; pass++) {
		changed = false;
		for (const [id, n] of nodes) {
			let l = 0;
			for (const to of next.get(id) || [])
				l = Math.max(l, nodes.get(to).layer + 1);
			if (l !== n.layer && l <= nodes.size) {
				n.layer = l;
				changed = true;
			}
		}
	}
	const routers = [...nodes.values()].filter((n) => n.kind === 'router');
	const top = Math.max(0, ...[...nodes.values()].filter((n) => n.kind === 'as')
	    .map((n) => n.layer)) + 1;
	for (const r of routers)
		r.layer = top;
}

// Rows: each vantage point has a lane (its row), and each AS takes the
// lane of the first vantage point that reaches it, or the next free row
// of its column below it.  Paths that share nothing keep apart, so an
// edge that skips columns runs through empty rows, not through nodes.
function rank(nodes, walks) {
	const taken = new Map();	// layer -> Set of rows
	const take = (n, want) => {
		if (!taken.has(n.layer))
			taken.set(n.layer, new Set());
		const rows = taken.get(n.layer);
		let r = want;
		while (rows.has(r))
			r++;
		rows.add(r);
		n.rank = r;
	};
	const done = new Set();
	let lanes = 0;
	for (const walk of walks) {
		const router = nodes.get(walk[0]);
		if (!done.has(walk[0])) {
			done.add(walk[0]);
			take(router, lanes++);
		}
		for (const id of walk.slice(1))
			if (!done.has(id)) {
				done.add(id);
				take(nodes.get(id), router.rank);
			}
	}
}

// Traceroute answers aligned by hop number: { hops: [{ hop, cells:
// Map(router -> [address...] | null) }], diverges: hop number or null }.
// The first diverging hop is the first at which routers that reached it
// name different responders ("*" when none answered).
export function compareTraces(answers) {
	const per = new Map();
	let maxHop = 0;
	for (const a of answers) {
		const p = a.parsed;
		const hops = p && p.kind === 'traceroute' ? list(p.hops) : null;
		per.set(a.name, hops);
		for (const h of hops || [])
			if (typeof h.hop === 'number')
				maxHop = Math.max(maxHop, h.hop);
	}
	const rows = [];
	let diverges = null;
	for (let hop = 1; hop <= Math.min(maxHop, 255); hop++) {
		const cells = new Map();
		for (const a of answers) {
			const hops = per.get(a.name);
			const h = hops ? hops.find((x) => x.hop === hop) : null;
			const addrs = h ? [...new Set(list(h.probes).map((p) => p.address || '*'))] : null;
			cells.set(a.name, addrs && addrs.length ? addrs : (h ? ['*'] : null));
		}
		const keys = new Set([...cells.values()].filter(Boolean).map((x) => x.join(' ')));
		if (diverges === null && keys.size > 1)
			diverges = hop;
		rows.push({ hop, cells });
	}
	return { hops: rows, diverges };
}

// Ping statistics side by side: one entry per router, null without data.
export function comparePings(answers) {
	return answers.map((a) => {
		const p = a.parsed;
		return { router: a.name, stats: p && p.kind === 'ping' ? p : null };
	});
}

// The comparison as data to keep (JSON export).
export function exportJSON(query, model) {
	return {
		query,
		verdict: model.verdict.text,
		routers: model.routers.map((name) => ({ name, answer: model.reasons.get(name) })),
		prefixes: model.rows.map((row) => ({
			prefix: row.prefix,
			best: Object.fromEntries(row.fields.map((f) => [f.key,
			    Object.fromEntries(model.routers.filter((r) => f.values.has(r))
			    .map((r) => [r, f.values.get(r)]))])),
			differs: Object.fromEntries(row.fields.filter((f) => f.differs.size)
			    .map((f) => [f.key, [...f.differs]])),
			other_paths: Object.fromEntries(model.routers.filter((r) => row.cells.get(r))
			    .map((r) => [r, row.cells.get(r).others.length])),
		})),
	};
}

// One CSV field (RFC 4180), with formula-looking text made inert.
function csvField(v) {
	let s = String(v ?? '');
	if (/^[=+\-@\t\r]/.test(s))
		s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// The comparison as CSV: a line per prefix and attribute, a column per
// router, and the routers whose value differs.
export function exportCSV(model) {
	const lines = [['prefix', 'attribute', ...model.routers, 'differs']];
	for (const row of model.rows)
		for (const f of row.fields)
			lines.push([row.prefix, f.key, ...model.routers.map((r) =>
			    (f.values.has(r) ? f.values.get(r) : model.reasons.get(r) === 'ok' ?
			    '' : model.reasons.get(r))), [...f.differs].join(' ')]);
	return lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';
}
