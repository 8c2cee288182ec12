// What changed between a stored answer and the same query run now: a line
// diff of the router's text, and for route answers (parsed kind
// bgp_routes) a diff of the paths: paths that appeared or disappeared,
// a best path that changed, and attributes that changed on a path that
// is in both.  Pure functions, no DOM: stored.js draws them.

// A path is "the same path" when it is for the same prefix and learnt
// from the same neighbour (peer, else next hop); the attributes below
// are what may change on it.
const ATTRS = ['as_path', 'origin', 'next_hop', 'local_pref', 'med', 'weight',
	'communities', 'large_communities', 'ext_communities', 'valid'];

// The longest common subsequence of two line lists, as edit operations
// [{op: ' ' | '-' | '+', line}].  Lines equal at both ends are matched
// first, so that a small change in a long answer costs little.
export function textDiff(before, after) {
	const a = before.split('\n');
	const b = after.split('\n');
	let head = 0;
	while (head < a.length && head < b.length && a[head] === b[head])
		head++;
	let tail = 0;
	while (tail < a.length - head && tail < b.length - head &&
	    a[a.length - 1 - tail] === b[b.length - 1 - tail])
		tail++;
	const x = a.slice(head, a.length - tail);
	const y = b.slice(head, b.length - tail);
	const n = x.length, m = y.length;
	const len = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
	for (let i = n - 1; i >= 0; i--)
		for (let j = m - 1; j >= 0; j--)
			len[i][j] = x[i] === y[j] ? len[i + 1][j + 1] + 1 :
			    Math.max(len[i + 1][j], len[i][j + 1]);
	const ops = a.slice(0, head).map((line) => ({ op: ' ', line }));
	let i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && x[i] === y[j]) {
			ops.push({ op: ' ', line: x[i] });
			i++;
			j++;
		} else if (i < n && (j === m || len[i + 1][j] >= len[i][j + 1])) {
			ops.push({ op: '-', line: x[i++] });
		} else {
			ops.push({ op: '+', line: y[j++] });
		}
	}
	for (const line of a.slice(a.length - tail))
		ops.push({ op: ' ', line });
	return ops;
}

function pathKey(prefix, p) {
	return `${prefix}|${p.peer ?? p.next_hop ?? ''}`;
}

function same(u, v) {
	return JSON.stringify(u ?? null) === JSON.stringify(v ?? null);
}

// "AS path 65010 13335, next hop 192.0.2.1" for a path.
export function pathLabel(p) {
	const parts = [];
	if (Array.isArray(p.as_path))
		parts.push(p.as_path.length ? `AS path ${p.as_path.join(' ')}` : 'AS path (local)');
	if (p.next_hop)
		parts.push(`next hop ${p.next_hop}`);
	if (p.peer && p.peer !== p.next_hop)
		parts.push(`from ${p.peer}`);
	return parts.join(', ') || 'a path';
}

function pathsByKey(parsed) {
	const map = new Map();
	for (const prefix of Array.isArray(parsed.prefixes) ? parsed.prefixes : [])
		for (const p of Array.isArray(prefix.paths) ? prefix.paths : [])
			map.set(pathKey(prefix.prefix, p), { prefix: prefix.prefix, path: p });
	return map;
}

function bestOf(parsed) {
	const best = new Map();
	for (const prefix of Array.isArray(parsed.prefixes) ? parsed.prefixes : [])
		for (const p of Array.isArray(prefix.paths) ? prefix.paths : [])
			if (p.best)
				best.set(prefix.prefix, p);
	return best;
}

// The structured diff of two bgp_routes answers: a list of changes
// {kind: 'appeared' | 'disappeared' | 'best' | 'changed', prefix, ...},
// or null when either answer is not a parsed route answer.
export function routeDiff(before, after) {
	const ok = (p) => p && typeof p === 'object' && p.kind === 'bgp_routes' && !p.error;
	if (!ok(before) || !ok(after))
		return null;
	const changes = [];
	const was = pathsByKey(before), now = pathsByKey(after);
	for (const [key, { prefix, path }] of now)
		if (!was.has(key))
			changes.push({ kind: 'appeared', prefix, path });
	for (const [key, { prefix, path }] of was)
		if (!now.has(key))
			changes.push({ kind: 'disappeared', prefix, path });
	const bestWas = bestOf(before), bestNow = bestOf(after);
	for (const prefix of new Set([...bestWas.keys(), ...bestNow.keys()])) {
		const u = bestWas.get(prefix), v = bestNow.get(prefix);
		if (!u || !v || pathKey(prefix, u) !== pathKey(prefix, v) ||
		    !same(u.as_path, v.as_path))
			changes.push({ kind: 'best', prefix, from: u || null, to: v || null });
	}
	for (const [key, { prefix, path }] of now) {
		const old = was.get(key);
		if (!old)
			continue;
		const attrs = ATTRS.filter((k) => !same(old.path[k], path[k]))
		    .map((k) => ({ name: k, from: old.path[k] ?? null, to: path[k] ?? null }));
		if (attrs.length)
			changes.push({ kind: 'changed', prefix, path, attrs });
	}
	return changes;
}
