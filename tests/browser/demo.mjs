// The compare view of `make demo`, as a visitor meets it: run by
// tests/ops/test_demo.sh against the demo it started (conf/demo: the
// emulated vendor routers, the lab's FRR and BIRD routers, the demo's AS
// names and community descriptions).  Checks what the hostile-input
// configuration of compare.mjs cannot: that the demo's own data makes a
// readable comparison.
//
// Environment: LG_URL, LG_CHROMIUM, LG_SHOTS (from lib.mjs), and from
// lab.env LAB_SPLIT4, LAB_SPLIT4_ALT_PATH, LAB_PING4,
// LAB_TRACE4.
//
// Prints "ok - NAME" or "not ok - NAME" per check, with "# " diagnostics.

import { problems, check, assert, launch, finish, open, shot, link, compared } from './lib.mjs';

const E = process.env;
const SPLIT = E.LAB_SPLIT4;

await launch();

// Every AS of a path has its name from conf/demo/asn-names.csv, in the
// table and in the graph, and every community its description.
await check('the demo\'s split prefix: names, descriptions, the one router that differs', async () => {
	const routers = ['tyo1', 'tyo2', 'sin1', 'sin2'];
	const page = await compared(link(routers, 'bgp_route', SPLIT));
	const v = await page.evaluate(() => {
		const t = document.querySelector('table.compare');
		const svg = document.querySelector('svg.aspath-graph');
		const cell = (field, r) => t.querySelector(`tr[data-field="${field}"] td[data-router="${r}"]`);
		return {
			verdict: document.querySelector('#compare-view .verdict').textContent,
			marked: Array.from(t.querySelectorAll('td[data-differs="true"]'), (td) =>
			    `${td.parentElement.dataset.field} ${td.dataset.router}`).sort(),
			unnamed: Array.from(t.querySelectorAll('tr[data-field="as_path"] td'), (td) =>
			    td.textContent).filter((s) => !/DEMO-/.test(s)),
			alt: cell('as_path', 'tyo1').textContent,
			comms: cell('communities', 'tyo1').textContent,
			graph: Array.from(svg.querySelectorAll('[data-asn]'), (n) => `${n.dataset.asn}:${n.textContent}`),
		};
	});
	assert(v.verdict.startsWith('4 routers, 2 different best paths: ') && /sin1 via 64500 /.test(v.verdict),
	    'verdict', v.verdict);
	assert(JSON.stringify(v.marked) === JSON.stringify(['as_path sin1', 'communities sin1']),
	    'sin1 alone is marked, in AS path and communities', v.marked);
	assert(v.unnamed.length === 0, 'every AS path cell carries AS names', v.unnamed);
	for (const asn of E.LAB_SPLIT4_ALT_PATH.split(' '))
		assert(v.graph.some((g) => g.startsWith(`${asn}:`) && /DEMO-/.test(g)),
		    `graph node ${asn} is named`, v.graph);
	assert(v.alt.includes('Lorgnette lab second upstream'), 'AS 64510 named in the table', v.alt);
	assert(v.comms.includes('Second upstream: learned from a customer') &&
	    v.comms.includes('Regional prefix'), 'communities described', v.comms);
	await shot(page, 'demo-compare-split');
	await page.context().close();
});

await check('vendors side by side: IOS-XR, Junos, FRR and BIRD on one route', async () => {
	const routers = ['fra1', 'ams1', 'tyo1', 'sin1', 'sin2'];
	const page = await compared(link(routers, 'bgp_route', '1.0.4.0/24'));
	const v = await page.evaluate(() => ({
		states: Array.from(document.querySelectorAll('table.compare thead .cmp-state'), (s) => s.dataset.state),
		verdict: document.querySelector('#compare-view .verdict').textContent,
		named: Array.from(document.querySelectorAll('svg.aspath-graph [data-asn]'), (n) =>
		    /DEMO-/.test(n.textContent)),
	}));
	assert(v.states.every((s) => s === 'ok'), 'every router answered', v.states);
	assert(/^5 routers, 2 different best paths: fra1 and ams1 via 64510 65010; /.test(v.verdict),
	    'the emulated routers differ from the lab', v.verdict);
	assert(v.named.length > 0 && v.named.every(Boolean), 'every AS of the graph is named', v.named);
	await page.context().close();
});

// The head of the ping and traceroute tables names what their rows are.
await check('ping compare: statistics side by side under a "Statistic" corner', async () => {
	const page = await compared(link(['fra1', 'ams1', 'nyc1'], 'ping', E.LAB_PING4));
	const t = await page.evaluate(() => {
		const table = document.querySelector('table.compare-ping');
		return {
			corner: table.querySelector('thead th').textContent,
			rows: Array.from(table.querySelectorAll('tbody tr'), (tr) => Array.from(tr.cells, (c) => c.textContent)),
		};
	});
	assert(t.corner === 'Statistic', 'corner', t.corner);
	const sent = t.rows.find((r) => r[0] === 'Sent');
	assert(sent && sent.slice(1).every((s) => /^\d+$/.test(s)), 'packets sent per router', t.rows);
	await page.context().close();
});

// A character no font of the machine has is drawn as the same empty box as
// a private-use code point: compare the two on a canvas in the cell's font.
await check('traceroute compare: hops under a "Hop" corner, the diverging hop marked with a visible sign', async () => {
	const page = await compared(link(['fra1', 'lon1', 'tyo1', 'sin1'], 'traceroute', E.LAB_TRACE4));
	const t = await page.evaluate(() => {
		const table = document.querySelector('table.compare-trace');
		const th = table.querySelector('tr[data-diverges="true"] th');
		const draw = (s) => {
			const c = document.createElement('canvas');
			c.width = 60;
			c.height = 40;
			const ctx = c.getContext('2d');
			ctx.font = getComputedStyle(th).font;
			ctx.fillText(s, 10, 30);
			return c.toDataURL();
		};
		const sign = th.textContent.split(' ')[1];
		return {
			corner: table.querySelector('thead th').textContent,
			hop: th.textContent,
			sign,
			boxed: draw(sign) === draw('\ue000'),
			last: Array.from(table.querySelectorAll('tbody tr'), (tr) => Array.from(tr.cells, (c) => c.textContent)),
		};
	});
	assert(t.corner === 'Hop', 'corner', t.corner);
	assert(/^1 \S+ diverges$/.test(t.hop), 'hop 1 diverges (each router its own first hop)', t.hop);
	assert(!t.boxed, `the sign ${t.sign} is drawn by a font, not as an empty box`);
	for (const i of [1, 2, 3, 4])
		assert(t.last.some((r) => r[i] === E.LAB_TRACE4), `router ${i} reaches ${E.LAB_TRACE4}`, t.last);
	await page.context().close();
});

// Ping is offered on the emulated routers and FRR (vtysh), not on BIRD:
// the error names the routers that lack it, not all of them.
await check('a query some of the routers lack: the error names those routers only', async () => {
	const page = await open(link(['fra1', 'lon1', 'tyo1', 'sin2'], 'ping', E.LAB_PING4));
	const box = page.locator('#error');
	await box.waitFor({ state: 'visible' });
	const text = await box.textContent();
	assert(/Ping is not offered on sin2;/.test(text), 'sin2 named, fra1, lon1 and tyo1 not', text);
	await page.context().close();
});

await check('nothing went wrong in the page', async () => {
	assert(problems.length === 0, 'console errors, page errors, dialogs', problems);
});

await finish();
