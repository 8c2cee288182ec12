// The compare view in headless Chromium (DESIGN.md section 14), read
// through its DOM contract: table.compare, th[data-router],
// td[data-differs="true"], svg.aspath-graph with [data-asn] nodes and
// path.edge[data-from][data-to][data-routers].  Run by test_browser.sh
// against its second configuration: twenty routers over the lab and the
// emulator, AS names and community descriptions with markup, a
// right-to-left override and a long word.
//
// The lab disagrees with itself (tests/lab/README.md): LAB_SPLIT4 reaches
// r1 (tyo1, tyo2, hkg1) and r3 (sin1, sin2, syd1) through the second
// upstream (LAB_SPLIT4_ALT_PATH) and r2 (osa1, osa2, hkg2) through the
// first (LAB_SPLIT4_PATH); LAB_SPLIT4_MORE_ALT, inside LAB_SPLIT4_COVER,
// reaches r1 alone.
//
// Prints "ok - NAME" or "not ok - NAME" per check, with "# " diagnostics.

import { URL_BASE, problems, check, assert, launch, finish, open, shot, link, compared } from './lib.mjs';

const E = process.env;
const SPLIT = E.LAB_SPLIT4;
const PATH_MAIN = E.LAB_SPLIT4_PATH.split(' ');
const PATH_ALT = E.LAB_SPLIT4_ALT_PATH.split(' ');
const TWENTY = ['fra1', 'fra2', 'fra3', 'ams1', 'ams2', 'ams3', 'lon1', 'lon2', 'lon3', 'nyc1',
	'nyc2', 'tyo1', 'tyo2', 'hkg1', 'osa1', 'osa2', 'hkg2', 'sin1', 'sin2', 'syd1'];

// The view as data: column heads, marked cells, prefixes, verdict.
async function view(page) {
	return page.evaluate(() => {
		const t = document.querySelector('table.compare');
		return {
			heads: Array.from(t.querySelectorAll('thead th[data-router]'), (th) => th.dataset.router),
			marked: Array.from(t.querySelectorAll('td[data-differs="true"]'), (td) =>
			    `${td.closest('tbody').querySelector('.cmp-prefix').textContent} ` +
			    `${td.parentElement.dataset.field} ${td.dataset.router}`).sort(),
			prefixes: Array.from(t.querySelectorAll('.cmp-prefix'), (s) => s.textContent),
			verdict: document.querySelector('#compare-view .verdict').textContent,
			cell: (() => {
				const out = {};
				for (const td of t.querySelectorAll('tr[data-field] td'))
					out[`${td.closest('tbody').querySelector('.cmp-prefix').textContent} ` +
					    `${td.parentElement.dataset.field} ${td.dataset.router}`] = td.textContent;
				return out;
			})(),
		};
	});
}

await launch();

await check('a prefix the lab splits: exactly the differing cells are marked', async () => {
	const routers = ['tyo1', 'osa1', 'sin1', 'tyo2', 'osa2'];
	const page = await compared(link(routers, 'bgp_route', SPLIT));
	const v = await view(page);
	assert(JSON.stringify(v.heads) === JSON.stringify(routers), 'a column per router, in order', v.heads);
	assert(JSON.stringify(v.prefixes) === JSON.stringify([SPLIT]), 'one prefix row', v.prefixes);
	// Three routers (tyo1, tyo2, sin1) take the second upstream's path:
	// osa1 and osa2 are the minority, in AS path and communities only.
	const want = ['as_path', 'communities'].flatMap((f) => ['osa1', 'osa2'].map((r) => `${SPLIT} ${f} ${r}`)).sort();
	assert(JSON.stringify(v.marked) === JSON.stringify(want), 'marked cells', v.marked);
	for (const r of ['tyo1', 'tyo2', 'sin1'])
		assert(PATH_ALT.every((a) => v.cell[`${SPLIT} as_path ${r}`].includes(a)), `${r} via ${PATH_ALT}`, v.cell);
	for (const r of ['osa1', 'osa2'])
		assert(PATH_MAIN.every((a) => v.cell[`${SPLIT} as_path ${r}`].includes(a)), `${r} via ${PATH_MAIN}`, v.cell);
	assert(/^5 routers, 2 different best paths: tyo1, sin1 and tyo2 via 64510 /.test(v.verdict), 'verdict', v.verdict);
	// Marked by more than colour: a sign and words for screen readers.
	const signs = await page.$$eval('td[data-differs="true"]', (tds) => tds.map((td) =>
	    td.querySelector('.differs-mark').textContent + td.querySelector('.sr-only').textContent));
	assert(signs.every((s) => s === '≠differs: '), 'a sign on every marked cell', signs);
	await page.context().close();
});

await check('a prefix every router agrees on: no cell is marked', async () => {
	const page = await compared(link(['tyo1', 'osa1', 'sin1', 'tyo2', 'hkg2'], 'bgp_route', E.LAB_ROUTE4));
	const v = await view(page);
	assert(v.marked.length === 0, 'nothing marked', v.marked);
	assert(v.verdict.startsWith('5 routers, one best path: '), 'verdict', v.verdict);
	await page.context().close();
});

await check('other longest matches get their own rows', async () => {
	const page = await compared(link(['tyo1', 'osa1', 'sin1'], 'bgp_route', E.LAB_SPLIT4_MORE_ALT_ADDR));
	const v = await view(page);
	assert(JSON.stringify(v.prefixes) === JSON.stringify([E.LAB_SPLIT4_MORE_ALT, E.LAB_SPLIT4_COVER]),
	    'a row per prefix, in the routers\' order', v.prefixes);
	assert(v.cell[`${E.LAB_SPLIT4_COVER} as_path tyo1`] === `answered for ${E.LAB_SPLIT4_MORE_ALT}`,
	    'tyo1 says which prefix it answered for', v.cell);
	assert(v.marked.length === 0, 'one router alone in a row is no difference', v.marked);
	await page.context().close();
});

await check('graph: the AS nodes and edges of the split prefix, each with its routers', async () => {
	const page = await compared(link(['tyo1', 'osa1', 'sin1'], 'bgp_route', SPLIT));
	const g = await page.evaluate(() => {
		const svg = document.querySelector('svg.aspath-graph');
		return {
			asns: Array.from(svg.querySelectorAll('[data-asn]'), (n) => n.dataset.asn).sort(),
			edges: Array.from(svg.querySelectorAll('path.edge'), (e) =>
			    `${e.dataset.from}>${e.dataset.to}:${e.dataset.routers}`).sort(),
			legend: Array.from(document.querySelectorAll('.graph-legend li'), (li) => li.textContent),
			dashes: Array.from(svg.querySelectorAll('g[data-router] line'), (l) =>
			    l.getAttribute('stroke-dasharray') + l.getAttribute('stroke')),
		};
	});
	const asns = [...new Set([...PATH_MAIN, ...PATH_ALT])].sort();
	assert(JSON.stringify(g.asns) === JSON.stringify(asns), 'AS nodes', g.asns);
	const chain = (from, path, routers) => path.map((a, i) => `${i ? path[i - 1] : from}>${a}:${routers}`);
	const want = [...chain('tyo1', PATH_ALT, 'tyo1').slice(0, 1), ...chain('sin1', PATH_ALT, 'sin1').slice(0, 1),
	    ...chain('x', PATH_ALT, 'tyo1 sin1').slice(1), ...chain('osa1', PATH_MAIN, 'osa1')].sort();
	assert(JSON.stringify(g.edges) === JSON.stringify(want), 'edges', { got: g.edges, want });
	assert(JSON.stringify(g.legend) === JSON.stringify(['tyo1', 'osa1', 'sin1']), 'a legend entry per vantage point', g.legend);
	assert(new Set(g.dashes).size === 3, 'each vantage point its own style', g.dashes);
	await page.context().close();
});

await check('hostile AS names and community descriptions render as text, in table and graph', async () => {
	const page = await compared(link(['tyo1', 'osa1', 'sin1'], 'bgp_route', SPLIT));
	const h = await page.evaluate(() => {
		const t = document.querySelector('table.compare');
		const svg = document.querySelector('svg.aspath-graph');
		const long = Array.from(t.querySelectorAll('.asn-label')).find((n) => n.textContent.startsWith('VERYLONG'));
		return {
			elements: document.querySelectorAll('#compare-view img, #compare-view b, #compare-view script').length,
			table: t.textContent,
			graph: svg.textContent,
			rlo: document.getElementById('compare-view').textContent.includes('\u202e'),
			longFits: long && long.closest('td').scrollWidth <= long.closest('td').clientWidth + 1,
			pageFits: document.documentElement.scrollWidth <= window.innerWidth,
		};
	});
	assert(h.elements === 0, 'no element made of router or name text', h.elements);
	assert(h.table.includes('<img src=x onerror=alert(2)>EVIL<b>NET</b>'), 'the AS name as text in the table');
	assert(h.table.includes('<script>alert(3)</script>split prefix'), 'the description as text');
	assert(h.graph.includes('<img src=x onerror=alert(2)>EVIL<b>NET</b>'), 'the AS name as text in the graph');
	assert(!h.rlo && h.table.includes('ORIGIN <U+202E>gpj.exe'), 'the right-to-left override shown as a code');
	assert(h.longFits, 'a long name wraps inside its cell');
	assert(h.pageFits, 'the page does not scroll sideways');
	assert(page.lgDialogs.length === 0, 'no script ran', page.lgDialogs);
	await page.context().close();
});

await check('a router that fails shows its error in its column; the table stands', async () => {
	const page = await compared(link(['tyo1', 'dead1', 'osa1'], 'bgp_route', SPLIT));
	const v = await view(page);
	const err = await page.$eval('th[data-router="dead1"]', (th) => ({
		state: th.querySelector('.cmp-state').textContent,
		error: (th.querySelector('.cmp-error') || {}).textContent || '',
	}));
	assert(err.state === 'error' && /\w{6,}/.test(err.error), 'dead1 says why', err);
	assert(v.prefixes.length === 1 && v.cell[`${SPLIT} as_path dead1`] === 'failed', 'its cells say so', v.cell);
	assert(/Failed on dead1\./.test(v.verdict), 'the verdict names it', v.verdict);
	await page.context().close();
});

await check('keyboard: arrow keys move between the cells', async () => {
	const page = await compared(link(['tyo1', 'osa1', 'sin1'], 'bgp_route', SPLIT));
	await page.focus('table.compare tbody th');
	const at = () => page.evaluate(() => {
		const a = document.activeElement;
		return `${a.parentElement.dataset.field || a.parentElement.className}/${a.dataset.router || a.textContent}`;
	});
	await page.keyboard.press('ArrowDown');
	const down = await at();
	await page.keyboard.press('ArrowRight');
	const right = await at();
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('ArrowDown');
	const next = await at();
	assert(down === 'as_path/AS path' && right === 'as_path/tyo1' && next === 'origin/osa1',
	    'focus follows the arrows', [down, right, next]);
	await page.context().close();
});

await check('export: CSV and JSON of the comparison', async () => {
	const page = await compared(link(['tyo1', 'osa1', 'sin1'], 'bgp_route', SPLIT));
	const read = async (label) => {
		const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`text=${label}`)]);
		const stream = await dl.createReadStream();
		const chunks = [];
		for await (const c of stream)
			chunks.push(c);
		return [dl.suggestedFilename(), Buffer.concat(chunks).toString('utf8')];
	};
	const [csvName, csv] = await read('Export CSV');
	const lines = csv.split('\r\n');
	assert(csvName.endsWith('.csv') && lines[0] === 'prefix,attribute,tyo1,osa1,sin1,differs', 'CSV header', lines[0]);
	const aspath = lines.find((l) => l.startsWith(`${SPLIT},as_path,`));
	assert(aspath && aspath.endsWith(',osa1'), 'the AS path line names who differs', aspath);
	const [, json] = await read('Export JSON');
	const doc = JSON.parse(json);
	assert(doc.query.target === SPLIT && doc.prefixes[0].differs.as_path[0] === 'osa1', 'JSON', doc);
	await page.context().close();
});

await check('ping statistics side by side', async () => {
	const page = await compared(link(['fra1', 'lon1', 'nyc1'], 'ping', E.LAB_PING4));
	const t = await page.$$eval('table.compare-ping tbody tr', (trs) => trs.map((tr) =>
	    Array.from(tr.cells, (c) => c.textContent)));
	const row = (label) => t.find((r) => r[0] === label);
	assert(row('Sent') && row('Sent').slice(1).every((v) => /^\d+$/.test(v)), 'sent per router', t);
	assert(row('RTT avg').slice(1).every((v) => /ms$/.test(v)), 'average round trip per router', t);
	await page.context().close();
});

await check('traceroute hops aligned, the first diverging hop marked', async () => {
	const page = await compared(link(['tyo1', 'osa1'], 'traceroute', E.LAB_TRACE4));
	const t = await page.$$eval('table.compare-trace tbody tr', (trs) => trs.map((tr) => ({
		diverges: tr.dataset.diverges === 'true',
		cells: Array.from(tr.cells, (c) => c.textContent),
	})));
	assert(t.length >= 2, 'a row per hop', t);
	assert(t[0].diverges && t[0].cells[0].includes('diverges'), 'hop 1 differs (each router its own link)', t);
	assert(t.filter((r) => r.diverges).length === 1, 'only the first diverging hop is marked', t);
	assert(t.some((r) => r.cells.slice(1).every((c) => c === E.LAB_TRACE4)), 'both reach the far host', t);
	await page.context().close();
});

await check('twenty routers over the lab and the emulator: the comparison renders', async () => {
	const page = await compared(link(TWENTY, 'bgp_route', E.LAB_ROUTE4));
	const v = await view(page);
	assert(JSON.stringify(v.heads) === JSON.stringify(TWENTY), 'twenty columns', v.heads);
	const states = await page.$$eval('table.compare thead .cmp-state', (s) => s.map((x) => x.dataset.state));
	assert(states.every((s) => s === 'ok'), 'every router answered', states);
	const ms = await page.$eval('#compare-view', (s) => s.dataset.renderMs);
	console.log(`# twenty routers: last answer to final render ${ms} ms (goal < 200 ms)`);
	await page.context().close();
});

// Screenshots of a comparison with a split prefix and a failed router,
// wide and phone-sized, light and dark.
for (const [w, h] of [[1400, 1000], [390, 844]])
	for (const scheme of ['light', 'dark'])
		await check(`screenshot at ${w} px, ${scheme}`, async () => {
			const page = await compared(link(['tyo1', 'osa1', 'sin1', 'fra1'], 'bgp_route', SPLIT),
			    { viewport: { width: w, height: h }, colorScheme: scheme });
			const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
			assert(fits, 'no sideways scroll of the page');
			const verdict = await page.$eval('#compare-view .verdict', (p) => p.getBoundingClientRect().height);
			assert(verdict > 0, 'the verdict shows');
			await page.$eval('#compare-view', (s) => s.scrollIntoView());
			await shot(page, `compare-${w}-${scheme}`);
			await page.context().close();
		});

await check('nothing went wrong in the page', async () => {
	assert(problems.length === 0, 'console errors, page errors, dialogs', problems);
});

if (!URL_BASE)
	console.log('# LG_URL not set');
await finish();
