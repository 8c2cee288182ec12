// The compare view's model (www/js/compare-model.js) in node, without a
// browser: which cells are marked, the verdict, rows for other longest
// matches and for routers without a route, the graph's nodes, edges and
// layers, traceroute divergence and the exports.  Prints "ok - NAME" or
// "not ok - NAME" per check; run by test_compare_model.sh.

import { compareRoutes, differing, graphModel, compareTraces, exportCSV,
    exportJSON, visible, rpkiTitle } from '../../www/js/compare-model.js';

let failures = 0;
function check(name, fn) {
	try {
		fn();
		console.log(`ok - ${name}`);
	} catch (e) {
		failures++;
		console.log(`not ok - ${name}`);
		for (const line of String(e.stack || e).split('\n').slice(0, 8))
			console.log(`#   ${line}`);
	}
}
function eq(got, want, what) {
	const g = JSON.stringify(got);
	const w = JSON.stringify(want);
	if (g !== w)
		throw new Error(`${what}: got ${g}, want ${w}`);
}

const route = (prefix, best, others = []) => ({ kind: 'bgp_routes', not_found: false,
	prefixes: [{ prefix, paths: [{ best: true, ...best }, ...others] }] });
const path = (as_path, communities, extra = {}) => ({ as_path, origin: 'igp',
	communities, large_communities: [], next_hop: `198.19.${as_path.length}.1`,
	local_pref: 100, med: null, ...extra });
const A = path([64510, 65073, 65072], ['64510:100', '65000:300']);
const B = path([64500, 65070, 65071, 65072], ['65000:300']);
const ok = (name, parsed) => ({ name, state: 'ok', parsed });

const marked = (model) => model.rows.flatMap((row) => row.fields.flatMap((f) =>
    [...f.differs].map((r) => `${row.prefix} ${f.key} ${r}`))).sort();

check('differing: the odd one out; a tie marks every value; one value marks none', () => {
	eq([...differing(new Map([['a', 1], ['b', 1], ['c', 2]]))], ['c'], 'majority');
	eq([...differing(new Map([['a', 1], ['b', 2]]))], ['a', 'b'], 'tie of two');
	eq([...differing(new Map([['a', 1], ['b', 1], ['c', 2], ['d', 2], ['e', 3]]))],
	    ['a', 'b', 'c', 'd', 'e'], 'tie for most common');
	eq([...differing(new Map([['a', 'x'], ['b', 'x']]))], [], 'agreement');
	eq([...differing(new Map([['a', 'x']]))], [], 'alone');
});

check('the RPKI tooltip: the reason, then each VRP that decided the path', () => {
	eq(rpkiTitle({ rpki: 'invalid', rpki_reason: 'max_length', rpki_vrps: [
	    { prefix: '192.0.2.0/23', max_length: 23, asn: 64500 },
	    { prefix: '192.0.2.0/24', max_length: 24, asn: 64501 }] }),
	    'invalid: max length\nVRP 192.0.2.0/23 max /23 AS64500\n' +
	    'VRP 192.0.2.0/24 max /24 AS64501', 'invalid');
	eq(rpkiTitle({ rpki: 'valid', rpki_reason: null,
	    rpki_vrps: [{ prefix: '2001:db8::/32', max_length: 48, asn: 64502 }] }),
	    'VRP 2001:db8::/32 max /48 AS64502', 'valid');
	eq(rpkiTitle({ rpki: 'not-found', rpki_reason: null }), '', 'not-found');
	eq(rpkiTitle({ router_rpki: 'valid' }), '', 'the router\'s own state');
});

check('a split prefix: exactly the AS path and communities of the odd router are marked', () => {
	const m = compareRoutes([ok('tyo1', route('1.0.8.0/24', A)), ok('osa1', route('1.0.8.0/24', B)),
	    ok('sin1', route('1.0.8.0/24', { ...A, next_hop: '198.19.3.5', local_pref: 200 }))]);
	eq(marked(m), ['1.0.8.0/24 as_path osa1', '1.0.8.0/24 communities osa1'], 'marked cells');
	eq(m.verdict.paths, 2, 'two best paths');
	eq(m.verdict.text, '3 routers, 2 different best paths: tyo1 and sin1 via 64510 65073 65072; ' +
	    'osa1 via 64500 65070 65071 65072.', 'verdict');
});

check('next hop, local-pref and MED differ without a mark', () => {
	const m = compareRoutes([ok('a', route('1.0.4.0/24', path([1, 2], []))),
	    ok('b', route('1.0.4.0/24', path([1, 2], [], { next_hop: '9.9.9.9', local_pref: 5, med: 7 })))]);
	eq(marked(m), [], 'nothing marked');
	eq(m.verdict.text, '2 routers, one best path: a and b via 1 2.', 'verdict');
});

check('communities compare as a set; origin and RPKI are compared', () => {
	const m = compareRoutes([ok('a', route('p', path([1], ['2:2', '1:1']))),
	    ok('b', route('p', path([1], ['1:1', '2:2']))),
	    ok('c', route('p', path([1], ['1:1', '2:2'], { origin: 'incomplete', rpki: 'invalid' })))]);
	eq(marked(m), ['p origin c', 'p rpki c'], 'marked');
});

check('other longest matches get their own rows; no route gets the not-found list', () => {
	const m = compareRoutes([ok('r1', route('1.0.9.128/25', path([64510, 65074], ['64510:200']))),
	    ok('r2', route('1.0.9.0/24', path([64500, 65074], ['65000:400']))),
	    ok('r3', route('1.0.9.0/24', path([64500, 65074], ['65000:400']))),
	    ok('emu', { kind: 'bgp_routes', not_found: true, prefixes: [] }),
	    { name: 'dead', state: 'error', parsed: null, error: 'down' }]);
	eq(m.rows.map((r) => r.prefix), ['1.0.9.128/25', '1.0.9.0/24'], 'rows');
	eq(marked(m), [], 'one router per value in a row is not a difference');
	eq(m.notFound, ['emu'], 'not found');
	eq(m.reasons.get('dead'), 'error', 'the failed router');
	if (!/r1 via 64510 65074 \(1\.0\.9\.128\/25\)/.test(m.verdict.text) ||
	    !/No route on emu\. Failed on dead\./.test(m.verdict.text))
		throw new Error(m.verdict.text);
});

check('the best path is the one flagged best; the others are kept folded', () => {
	const m = compareRoutes([ok('a', { kind: 'bgp_routes', prefixes: [{ prefix: 'p',
	    paths: [{ ...B, best: false }, { ...A, best: true }] }] })]);
	eq(m.rows[0].fields[0].values.get('a'), '64510 65073 65072', 'best');
	eq(m.rows[0].cells.get('a').others.length, 1, 'others');
});

check('graph: nodes per AS, edges with the routers that use them, origin rightmost', () => {
	const m = compareRoutes([ok('tyo1', route('1.0.8.0/24', { ...A, as_names: { 65072: 'ORIGIN-NET' } })),
	    ok('osa1', route('1.0.8.0/24', B)), ok('sin1', route('1.0.8.0/24', A))]);
	const g = graphModel(m);
	const edges = g.edges.map((e) => `${e.from}>${e.to}:${e.routers.join(',')}`).sort();
	eq(edges, ['as:64500>as:65070:osa1', 'as:64510>as:65073:tyo1,sin1',
	    'as:65070>as:65071:osa1', 'as:65071>as:65072:osa1', 'as:65073>as:65072:tyo1,sin1',
	    'r:osa1>as:64500:osa1', 'r:sin1>as:64510:sin1', 'r:tyo1>as:64510:tyo1'], 'edges');
	const node = (id) => g.nodes.find((n) => n.id === id);
	eq(node('as:65072').layer, 0, 'origin in layer 0');
	eq(node('as:65072').name, 'ORIGIN-NET', 'AS name');
	if (!(node('r:tyo1').layer > node('as:64500').layer))
		throw new Error('routers left of every AS');
});

check('graph: prepends collapse; an RPKI-invalid origin is flagged', () => {
	const m = compareRoutes([ok('a', route('p', path([1, 2, 2, 2], [], { rpki: 'invalid' })))]);
	const g = graphModel(m);
	eq(g.edges.length, 2, 'edges');
	eq(g.nodes.find((n) => n.id === 'as:2').invalid, true, 'invalid origin');
});

check('traceroute: hops aligned by number, the first diverging hop found', () => {
	const t = (hops) => ({ kind: 'traceroute', complete: true, hops: hops.map((a, i) =>
	    ({ hop: i + 1, probes: a.map((address) => ({ address, rtt_ms: 1 })) })) });
	const c = compareTraces([ok('a', t([['10.0.0.1'], ['10.0.1.1'], ['10.0.2.1']])),
	    ok('b', t([['10.0.0.1'], ['10.9.1.1'], ['10.0.2.1']])), ok('c', t([['10.0.0.1']]))]);
	eq(c.hops.length, 3, 'hops');
	eq(c.diverges, 2, 'diverging hop');
	eq(c.hops[2].cells.get('c'), null, 'a shorter trace leaves its cell empty');
	eq(compareTraces([ok('a', t([[null]])), ok('b', t([[null]]))]).diverges, null, 'timeouts agree');
});

check('exports: CSV quotes and defuses, JSON keeps the marks', () => {
	const m = compareRoutes([ok('a', route('p', path([1], ['1:1'], { next_hop: '=cmd|"x",y' }))),
	    ok('b', route('p', path([2], ['1:1'])))]);
	const csv = exportCSV(m).split('\r\n');
	eq(csv[0], 'prefix,attribute,a,b,differs', 'header');
	eq(csv[3], 'p,next_hop,"\'=cmd|""x"",y",198.19.1.1,', 'quoted, defused');
	eq(exportJSON({ type: 'bgp_route' }, m).prefixes[0].differs.as_path, ['a', 'b'], 'JSON marks');
});

check('visible: bidi controls become codes, markup stays text', () => {
	eq(visible('a\u202eb<i>'), 'a<U+202E>b<i>', 'visible');
});

process.exit(failures ? 1 : 0);
