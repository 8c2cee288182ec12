// The page's diff functions (www/js/diff.js) on their own, in node: the
// line diff of two router answers and the structured diff of two parsed
// route answers (paths appeared or disappeared, best path changed,
// attributes changed).  TAP on stdout.

import { textDiff, routeDiff, pathLabel } from '../../www/js/diff.js';

let n = 0, failed = 0;
function is(got, want, name) {
	n++;
	const g = JSON.stringify(got), w = JSON.stringify(want);
	if (g === w) {
		console.log(`ok ${n} - ${name}`);
		return;
	}
	failed++;
	console.log(`not ok ${n} - ${name}\n#   got:  ${g}\n#   want: ${w}`);
}

const ops = (d) => d.map((x) => `${x.op}${x.line}`);
is(ops(textDiff('a\nb\nc', 'a\nb\nc')), [' a', ' b', ' c'], 'same text: no change');
is(ops(textDiff('a\nb\nc', 'a\nx\nc')), [' a', '-b', '+x', ' c'], 'a changed line');
is(ops(textDiff('a\nc', 'a\nb\nc')), [' a', '+b', ' c'], 'an added line');
is(ops(textDiff('a\nb\nc', 'a\nc')), [' a', '-b', ' c'], 'a removed line');
is(ops(textDiff('x\ny', 'p\nx\ny\nq')), ['+p', ' x', ' y', '+q'], 'added at both ends');
is(ops(textDiff('a\nb\nc\nd', 'a\nc\nb\nd')).filter((l) => l[0] !== ' ').length, 2,
    'a moved line costs one removal and one addition');

const path = (o) => ({ best: false, as_path: [64500, 65010], next_hop: '198.19.1.1',
	peer: '198.19.1.1', local_pref: null, med: null, origin: 'IGP',
	communities: ['65000:100'], large_communities: [], ...o });
const routes = (...prefixes) => ({ kind: 'bgp_routes', not_found: false, prefixes });
const A = routes({ prefix: '1.0.4.0/24', paths: [path({ best: true }),
	path({ next_hop: '198.19.2.1', peer: '198.19.2.1', as_path: [64501] })] });

is(routeDiff(A, A), [], 'the same answer: no change');
is(routeDiff(A, { error: 'x', line: 1 }), null, 'a parse error: no structured diff');
is(routeDiff({ kind: 'ping' }, A), null, 'not a route answer: no structured diff');

const B = routes({ prefix: '1.0.4.0/24', paths: [path({ best: true, local_pref: 250,
	communities: ['65000:100', '65000:999'] }),
	path({ next_hop: '198.19.2.1', peer: '198.19.2.1', as_path: [64501] })] });
is(routeDiff(A, B).map((c) => [c.kind, c.attrs.map((a) => [a.name, a.from, a.to])]),
    [['changed', [['local_pref', null, 250],
	['communities', ['65000:100'], ['65000:100', '65000:999']]]]],
    'attributes changed on the same path');

const C = routes({ prefix: '1.0.4.0/24', paths: [path({ best: false }),
	path({ best: true, next_hop: '198.19.2.1', peer: '198.19.2.1', as_path: [64501] })] });
const best = routeDiff(A, C).filter((c) => c.kind === 'best');
is(best.map((c) => [c.prefix, c.from.peer, c.to.peer]),
    [['1.0.4.0/24', '198.19.1.1', '198.19.2.1']], 'the best path changed');

const D = routes({ prefix: '1.0.4.0/24', paths: [path({ best: true }),
	path({ next_hop: '198.19.3.1', peer: '198.19.3.1', as_path: [64502] })] });
is(routeDiff(A, D).map((c) => [c.kind, c.path.peer]),
    [['appeared', '198.19.3.1'], ['disappeared', '198.19.2.1']],
    'a path appeared and one disappeared');

const E = routes();
is(routeDiff(A, E).map((c) => c.kind).sort(),
    ['best', 'disappeared', 'disappeared'], 'the prefix is gone: its paths and its best');
is(pathLabel(path({})), 'AS path 64500 65010, next hop 198.19.1.1', 'a path\'s label');

console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
