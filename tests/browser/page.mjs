// The page's behaviour in headless Chromium, driven by playwright-core.
// Run by test_browser.sh, which starts lgwebd, lgbrokerd, the lab and the
// emulator and passes where they are in the environment (lib.mjs lists
// the common variables) with the lab's facts:
//
//   LAB_ROUTE4, LAB_ROUTE4_PATH, LAB_ROUTE6, LAB_TRACE4,
//   LAB_LARGE_COMMUNITY, LAB_ROUTE4_COMMUNITIES
//
// The router names are those of test_browser.sh's configuration: tyo1 and
// tyo2 are the lab's FRR r1 (SSH, telnet), sin1 the lab's BIRD r3, fra1 an
// emulated IOS-XR, ams1 Junos, lon1 IOS, par1 IOS with slow traceroute
// hops, nyc1 EOS whose BGP answer carries markup, dead1 a router that
// never comes up.
//
// Prints "ok - NAME" or "not ok - NAME" per check, with "# " diagnostics.

import { createServer } from 'node:http';
import { URL_BASE, problems, check, assert, launch, finish, open, shot, cspReports,
    panes, stale, settled, ask, api } from './lib.mjs';

const ROUTE4 = process.env.LAB_ROUTE4;
const ROUTE4_PATH = process.env.LAB_ROUTE4_PATH;
const ROUTE6 = process.env.LAB_ROUTE6;
const TRACE4 = process.env.LAB_TRACE4;
const LARGE = process.env.LAB_LARGE_COMMUNITY;
const ROUTE4_COMMUNITIES = (process.env.LAB_ROUTE4_COMMUNITIES || '').split(' ').filter(Boolean);
const XSS = '<img src=x onerror=alert(1)>';
const MARKUP = '<b>lg-markup</b><img src=x onerror=alert(1)>';

// WCAG 2 contrast ratio of two computed colours.
function contrast(a, b) {
	const rel = (css) => {
		const m = /rgba?\((\d+), (\d+), (\d+)/.exec(css);
		assert(m, `not a colour: ${css}`);
		const [r, g, bl] = m.slice(1, 4).map((v) => {
			const c = v / 255;
			return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
	};
	const [hi, lo] = [rel(a), rel(b)].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}

// Text and background pairs that must stay readable in both themes.
async function contrasts(page) {
	return page.evaluate(() => {
		const st = (sel) => getComputedStyle(document.querySelector(sel));
		const pairs = [
			['body text', 'body', 'body'],
			['hint on the form', '#type-hint', '#query-form'],
			['run button', '#submit', '#submit'],
			['pane location', '#results .pane-where', '#results .pane'],
			['pane runtime', '#results .pane-runtime', '#results .pane'],
			['output', '#results .pane-output', '#results .pane-output'],
			['ok badge', '#results .state-badge', '#results .state-badge'],
			['parsed table cell', '#results .parsed-routes td', '#results .pane'],
			['parsed table header', '#results .parsed-routes thead th', '#results .parsed-routes thead th'],
			['parsed best path', '#results .parsed-routes tr.best td', '#results .parsed-routes tr.best td'],
			['footer', 'footer.site p', 'body'],
		];
		return pairs.filter(([, fg, bg]) => document.querySelector(fg) && document.querySelector(bg))
		    .map(([name, fg, bg]) => [name, st(fg).color, st(bg).backgroundColor]);
	});
}

function assertContrast(list, theme) {
	assert(list.length >= 7, `${theme}: pairs found`, list);
	for (const [name, fg, bg] of list) {
		const c = contrast(fg, bg);
		assert(c >= 4.5, `${theme}: ${name} contrast ${c.toFixed(2)} below 4.5`, { fg, bg });
	}
}

function luminance(css) {
	const m = /rgba?\((\d+), (\d+), (\d+)/.exec(css);
	assert(m, `not a colour: ${css}`);
	return (0.2126 * m[1] + 0.7152 * m[2] + 0.0722 * m[3]) / 255;
}


await launch();
const routerList = (await api('/api/v1/routers')).routers;
const byName = new Map(routerList.map((r) => [r.name, r]));
const PAGE_TYPES = ['bgp_route', 'route', 'bgp_community', 'bgp_aspath',
	'bgp_summary', 'ping', 'traceroute', 'bgp_neighbors'];

let home;
await check('the page loads with its scripts and styles, no errors, no CSP violation', async () => {
	home = await open('/');
	await home.waitForLoadState('networkidle');
	const sheets = await home.evaluate(() => Array.from(document.styleSheets,
	    (s) => ({ href: s.href, rules: s.cssRules.length })));
	assert(sheets.length === 1 && sheets[0].href.endsWith('/style.css') && sheets[0].rules > 20,
	    'style.css applied, and no other style', sheets);
	const modules = await home.evaluate(() => performance.getEntriesByType('resource')
	    .map((e) => new URL(e.name).pathname).filter((p) => p.startsWith('/js/')).sort());
	assert(JSON.stringify(modules) === JSON.stringify(['/js/api.js', '/js/app.js',
	    '/js/aspath-graph.js', '/js/compare-model.js', '/js/compare.js', '/js/diff.js',
	    '/js/panes.js', '/js/prefs.js', '/js/queries.js', '/js/stored.js']),
	    'every module loaded', modules);
	assert((await cspReports(home)).length === 0, 'CSP violations', await cspReports(home));
	assert(problems.length === 0, 'console errors or failed requests', problems);
	await shot(home, 'home');
});

await check('operator branding: title, logo, footer and disclaimer from the configuration', async () => {
	const site = await api('/api/v1/site');
	assert(site.title === 'Example Networks AS64500 looking glass', 'GET /api/v1/site', site);
	assert(await home.textContent('#title') === site.title, 'heading', await home.textContent('#title'));
	assert(await home.title() === site.title, 'document title', await home.title());
	assert(await home.textContent('#footer') === site.footer, 'footer');
	assert(await home.textContent('#disclaimer') === site.disclaimer, 'disclaimer');
	const logo = await home.$eval('#logo', (i) => ({ hidden: i.hidden, w: i.naturalWidth }));
	assert(!logo.hidden && logo.w > 0, 'logo shown and loaded', logo);
});

await check('routers are grouped by region in optgroups, with their state', async () => {
	const groups = await home.$$eval('#router optgroup', (gs) => gs.map((g) => ({
		label: g.label,
		options: Array.from(g.querySelectorAll('option'), (o) => ({ value: o.value, text: o.textContent })),
	})));
	assert(JSON.stringify(groups.map((g) => g.label)) ===
	    JSON.stringify(['Europe', 'North America', 'Asia']), 'group labels', groups);
	for (const g of groups)
		for (const o of g.options) {
			const r = byName.get(o.value);
			assert(r && r.group === g.label, `${o.value} in ${g.label}`);
			assert(o.text.includes(r.location), `${o.value} shows its location`, o);
		}
	const all = groups.flatMap((g) => g.options);
	assert(all.length === routerList.length, 'every router listed', all);
	const dead = all.find((o) => o.value === 'dead1');
	assert(/\((down|connecting)\)/.test(dead.text), 'a router that is not up says so', dead);
	const hint = await home.textContent('#router-hint');
	assert(hint.includes(byName.get(await home.$eval('#router', (s) => s.value)).vendor), 'the hint names the platform', hint);
	const disabled = await home.$eval('#router option[value="dead1"]', (o) => o.disabled);
	assert(!disabled, 'a down router can still be chosen (the answer explains)');
	const up = all.find((o) => o.value === 'tyo1');
	assert(!/down|connecting/i.test(up.text), 'an up router is not marked down', up);
});

await check('the query list offers exactly what the chosen router supports', async () => {
	const offered = async () => home.$$eval('#type option', (os) => os.map((o) => o.value));
	const seen = new Set();
	for (const name of ['tyo1', 'sin1', 'fra1', 'nyc1']) {
		await home.selectOption('#router', name);
		const got = await offered();
		const want = PAGE_TYPES.filter((t) => byName.get(name).queries.includes(t));
		assert(JSON.stringify(got) === JSON.stringify(want), `types for ${name}`, { got, want });
		seen.add(JSON.stringify(got));
	}
	assert(seen.size > 1, 'the lists differ between platforms', [...seen]);
	await home.check('#compare');
	await home.selectOption('#router', ['tyo1', 'fra1', 'sin1']);
	const got = await offered();
	const want = PAGE_TYPES.filter((t) => ['tyo1', 'fra1', 'sin1'].every((n) => byName.get(n).queries.includes(t)));
	assert(JSON.stringify(got) === JSON.stringify(want), 'compare mode offers the common types', { got, want });
	await home.uncheck('#compare');
	const single = await home.$$eval('#router option', (os) => os.filter((o) => o.selected).length);
	assert(single === 1, 'leaving compare mode keeps one router', single);
});

let lab;
await check(`bgp_route ${ROUTE4} on the lab's FRR router: the real route, the command, the runtime`, async () => {
	lab = await open('/');
	const [p, ...rest] = await ask(lab, 'tyo1', 'bgp_route', ROUTE4);
	assert(rest.length === 0, 'one pane');
	assert(p.state === 'ok', 'pane ok', p);
	assert(p.output.includes(ROUTE4), `the output shows ${ROUTE4}`, p.output);
	assert(p.output.includes(ROUTE4_PATH), `the output shows the AS path ${ROUTE4_PATH}`, p.output);
	assert(/bgp/.test(p.command) && p.command.includes(ROUTE4), 'the command as run', p.command);
	assert(/^\d+ ms/.test(p.runtime), 'the runtime', p.runtime);
	assert(!p.cached, 'not cached the first time');
	assert(p.title.includes('tyo1') && p.title.includes('Tokyo'), 'the pane names the router', p.title);
	const url = new URL(lab.url());
	assert(url.searchParams.get('router') === 'tyo1' &&
	    url.searchParams.get('type') === 'bgp_route' &&
	    url.searchParams.get('target') === ROUTE4, 'the address bar holds the permalink', lab.url());
	await shot(lab, 'bgp-route');
});

// The parsed table of a pane: caption, headers and rows as text.
async function parsedTable(page, router) {
	return page.$eval(`#results .pane[data-router="${router}"]`, (pane) => {
		const box = pane.querySelector('.pane-parsed');
		const table = box.querySelector('table');
		const out = pane.querySelector('.pane-output');
		return {
			hidden: box.hidden,
			after: !!(out.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING),
			note: box.querySelector('.parsed-note')?.textContent ?? null,
			caption: table?.caption?.textContent ?? null,
			heads: table ? Array.from(table.tHead.rows[0].cells, (c) => [c.textContent, c.scope]) : [],
			rows: table ? Array.from(table.tBodies).flatMap((b) => Array.from(b.rows, (r) => ({
				cells: Array.from(r.cells, (c) => c.textContent),
				best: r.classList.contains('best'),
				rowheader: r.cells[0].tagName === 'TH' ? r.cells[0].scope : null,
			}))) : [],
			region: box.querySelector('[role="region"]')?.getAttribute('aria-label') ?? null,
			tabindex: box.querySelector('[role="region"]')?.tabIndex ?? null,
		};
	});
}

await check('a parsed route answer shows as a table under the router\'s text', async () => {
	const t = await parsedTable(lab, 'tyo1');
	assert(!t.hidden && t.after, 'the table is shown, under the text', t);
	assert(JSON.stringify(t.heads.map((h) => h[0])) === JSON.stringify(['Prefix', 'Best', 'AS path',
	    'Next hop', 'Local pref', 'MED', 'Origin', 'Communities']), 'its columns', t.heads);
	assert(t.heads.every((h) => h[1] === 'col'), 'column headers are scoped', t.heads);
	assert(t.caption === '1 prefix', 'the caption counts the prefixes', t.caption);
	const best = t.rows.filter((r) => r.best);
	assert(best.length === 1, 'one best path, marked', t.rows);
	const [prefix, mark, path, hop, , , origin, comms] = best[0].cells;
	assert(prefix === ROUTE4 && best[0].rowheader === 'rowgroup', 'the prefix heads its rows', best[0]);
	assert(mark === 'best', 'the best path says so in words', best[0]);
	assert(path === ROUTE4_PATH, 'the AS path', best[0]);
	assert(/^\d+\.\d+\.\d+\.\d+$/.test(hop), 'the next hop', best[0]);
	assert(/igp/i.test(origin), 'the origin', best[0]);
	for (const c of [...ROUTE4_COMMUNITIES, LARGE])
		assert(comms.split(' ').includes(c), `community ${c}`, best[0]);
	assert(t.region === 'Routes of tyo1 as a table' && t.tabindex === 0,
	    'a labelled region that scrolls from the keyboard', t);
	await lab.focus('#results .pane-parsed [role="region"]');
	assert(await lab.evaluate(() => document.activeElement.getAttribute('role')) === 'region',
	    'it takes the focus');
	await shot(lab, 'parsed-table');
});

await check('the same route parsed from BIRD and from FRR over telnet; a summary has no table', async () => {
	const page = await open(`/?router=sin1,tyo2&type=bgp_route&target=${encodeURIComponent(ROUTE4)}`);
	await settled(page);
	for (const r of ['sin1', 'tyo2']) {
		const t = await parsedTable(page, r);
		const best = t.rows.filter((x) => x.best);
		assert(!t.hidden && best.length === 1 && best[0].cells[2] === ROUTE4_PATH,
		    `${r}: the AS path in the table`, t);
	}
	await stale(page);
	// The page draws no table for a summary.  (Not ping: its rate
	// limit here is kept for the check that trips it.)
	await page.goto('/?router=tyo1&type=bgp_summary');
	const [p] = await settled(page);
	const t = await parsedTable(page, 'tyo1');
	assert(p.state === 'ok' && t.hidden && t.rows.length === 0, 'no table for a summary', { p, t });
	await page.context().close();
});

await check('the same query again is answered from the cache, and the pane says so', async () => {
	await stale(lab);
	await lab.click('#submit');
	const [p] = await settled(lab);
	assert(p.state === 'ok' && p.cached, 'cached badge shown', p);
	assert(p.output.includes(ROUTE4_PATH), 'same answer', p.output);
});

await check('the copy button puts the router output on the clipboard', async () => {
	await lab.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: URL_BASE });
	await lab.click('#results .pane .copy');
	await lab.waitForFunction(() => document.querySelector('#results .pane .copy').textContent === 'Copied');
	const clip = await lab.evaluate(() => navigator.clipboard.readText());
	const [p] = await panes(lab);
	assert(clip === p.output && clip.includes(ROUTE4), 'clipboard holds the output', clip);
});

await check('each query is a history entry: Back shows the previous one again', async () => {
	const [p6] = await ask(lab, 'tyo1', 'bgp_route', ROUTE6);
	assert(p6.state === 'ok' && p6.output.includes(ROUTE6.split('/')[0]), 'second query', p6);
	assert((await lab.title()).includes(ROUTE6), 'the tab title names the query', await lab.title());
	await stale(lab);
	await lab.goBack();
	await lab.waitForFunction((t) => document.getElementById('target').value === t &&
	    document.getElementById('results-title').textContent.includes(t), ROUTE4);
	const [p4] = await settled(lab);
	assert(p4.output.includes(ROUTE4_PATH), 'the first answer again', p4);
	assert(new URL(lab.url()).searchParams.get('target') === ROUTE4, 'its URL', lab.url());
});

await check('recent queries are listed in this browser and re-run when chosen', async () => {
	const page = await lab.context().newPage();
	await page.goto('/');
	await page.waitForSelector('#recent li a');
	const items = await page.$$eval('#recent li', (ls) => ls.map((l) => l.textContent));
	assert(items.length === 2, 'one entry per distinct query', items);
	assert(items[0].includes(ROUTE4) && items[0].includes('tyo1'), 'the latest first', items);
	assert(items[1].includes(ROUTE6), 'then the one before', items);
	// The labels come from lgwebd's query types, once the list is in.
	await page.waitForSelector('#router option', { state: 'attached' });
	const labels = await page.$$eval('#recent li .r-type', (ls) => ls.map((l) => l.textContent));
	assert(labels.length === 2 && labels.every((l) => l && !l.includes('_')),
	    'labelled by query type, not by its name', labels);
	assert(await page.$$eval('#results .pane', (p) => p.length) === 0, 'nothing ran yet');
	await page.click('#recent li a');
	const [p] = await settled(page);
	assert(p.router === 'tyo1' && p.state === 'ok' && p.output.includes(ROUTE4), 're-run', p);
	assert(await page.inputValue('#target') === ROUTE4, 'the form shows it');
	await shot(page, 'recent');
	await page.click('#recent-clear');
	assert(await page.$$eval('#recent li', (l) => l.length) === 0 &&
	    await page.isVisible('#recent-empty') && !(await page.isVisible('#recent-clear')), 'Clear empties it');
	await page.goto('/');
	await page.waitForSelector('#router option', { state: 'attached' });
	assert(await page.evaluate(() => localStorage.getItem('lorgnette.recent')) === null &&
	    await page.$$eval('#recent li', (l) => l.length) === 0, 'and the browser forgot them');
	await page.close();
});

await check('the form follows the query type: family for communities, no target for a summary', async () => {
	const page = await open('/');
	await page.selectOption('#router', 'tyo1');
	await page.selectOption('#type', 'bgp_summary');
	assert(!(await page.isVisible('#target')) && await page.isVisible('#afi'), 'summary: family, no target');
	await page.selectOption('#type', 'bgp_community');
	assert(await page.isVisible('#target') && await page.isVisible('#afi'), 'community: both');
	assert(/65000:100/.test(await page.getAttribute('#target', 'placeholder')), 'an example in the field');
	await page.fill('#target', '65000:x');
	assert(/community/.test(await page.textContent('#target-hint')), 'hint for a bad community',
	    await page.textContent('#target-hint'));
	await page.fill('#target', LARGE);
	assert(await page.textContent('#target-hint') === '', 'no hint for a good one');
	await page.selectOption('#afi', 'ipv4');
	await stale(page);
	await page.click('#submit');
	const [p] = await settled(page);
	assert(p.state === 'ok' && p.output.includes(ROUTE4) && p.command.includes(LARGE),
	    `the lab's route carrying ${LARGE}`, p);
	assert(new URL(page.url()).searchParams.get('afi') === 'ipv4', 'the family in the permalink', page.url());
	await page.selectOption('#type', 'bgp_route');
	assert(!(await page.isVisible('#afi')), 'route: no family (it comes from the target)');
	await page.context().close();
});

await check('compare: three routers (FRR, BIRD, Junos) side by side, each answered', async () => {
	const page = await open('/');
	await page.check('#compare');
	// Plain clicks add and remove routers; fra1 was chosen before.
	const clickOption = async (name) => {
		const box = await page.$eval(`#router option[value="${name}"]`,
		    (o) => o.getBoundingClientRect().toJSON());
		await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
	};
	for (const name of ['tyo1', 'sin1', 'ams1', 'fra1'])
		await clickOption(name);
	const chosen = await page.$eval('#router', (s) => Array.from(s.selectedOptions, (o) => o.value));
	assert(JSON.stringify(chosen.sort()) === JSON.stringify(['ams1', 'sin1', 'tyo1']),
	    'clicks toggled the routers', chosen);
	assert((await page.textContent('#router-hint')).startsWith('3 selected'), 'the hint counts them');
	await page.selectOption('#type', 'bgp_route');
	await page.fill('#target', ROUTE4);
	await page.click('#submit');
	const ps = await settled(page);
	assert(JSON.stringify(ps.map((p) => p.router).sort()) === JSON.stringify(['ams1', 'sin1', 'tyo1']),
	    'one pane per router', ps.map((p) => p.router));
	assert(new URL(page.url()).searchParams.get('router') === ps.map((p) => p.router).join(','),
	    'the permalink lists the routers in pane order', page.url());
	const prefix = ROUTE4.split('/')[0];
	for (const p of ps) {
		assert(p.state === 'ok', `${p.router} ok`, p);
		assert(p.output.includes(prefix), `${p.router} shows ${prefix}`, p.output);
		assert(p.command.trim() !== '', `${p.router} shows its command`);
		assert(/^\d+ ms/.test(p.runtime), `${p.router} shows its runtime`, p.runtime);
	}
	assert(new Set(ps.map((p) => p.command)).size === 3, 'each vendor its own command',
	    ps.map((p) => p.command));
	const boxes = await page.$$eval('#results .pane', (ns) => ns.map((n) => n.getBoundingClientRect().toJSON()));
	assert(boxes.every((b) => Math.abs(b.top - boxes[0].top) < 2), 'panes on one row', boxes);
	assert(boxes[0].right <= boxes[1].left && boxes[1].right <= boxes[2].left, 'side by side', boxes);
	await shot(page, 'compare');
	await page.context().close();
});

await check('a router that is down: its pane says why, the others still answer', async () => {
	const page = await open(`/?router=tyo1,dead1&type=bgp_route&target=${encodeURIComponent(ROUTE4)}`);
	const ps = await settled(page);
	const [ok, dead] = ps;
	assert(ok.router === 'tyo1' && ok.state === 'ok' && ok.output.includes(ROUTE4), 'tyo1 answered', ok);
	assert(dead.router === 'dead1' && dead.state === 'error', 'dead1 failed', dead);
	assert(/\w{6,}/.test(dead.error), 'with a reason in its pane', dead);
	assert(await page.$eval('#error', (e) => e.hidden), 'no page-wide error for one router');
	await shot(page, 'router-down');
	await page.context().close();
});

await check('a permalink fills the form and runs the query on load', async () => {
	const path = `/?router=tyo2,ams1&type=bgp_route&target=${encodeURIComponent(ROUTE6)}`;
	const page = await open(path);
	const ps = await settled(page);
	assert(ps.length === 2 && ps.every((p) => p.state === 'ok'), 'both answered', ps);
	const prefix = ROUTE6.split('/')[0];
	assert(ps.every((p) => p.output.includes(prefix)), `both show ${prefix}`, ps.map((p) => p.output));
	const form = await page.evaluate(() => ({
		compare: document.getElementById('compare').checked,
		routers: Array.from(document.getElementById('router').selectedOptions, (o) => o.value),
		type: document.getElementById('type').value,
		target: document.getElementById('target').value,
	}));
	form.routers.sort();
	assert(JSON.stringify(form) === JSON.stringify({
		compare: true, routers: ['ams1', 'tyo2'], type: 'bgp_route', target: ROUTE6,
	}), 'the form shows the query', form);
	assert(JSON.stringify(ps.map((p) => p.router)) === JSON.stringify(['tyo2', 'ams1']),
	    'panes in the order of the link', ps.map((p) => p.router));
	await shot(page, 'permalink');
	await page.context().close();
});

await check('traceroute streams: the first hop shows while the query still runs', async () => {
	const page = await open('/');
	await page.selectOption('#router', 'par1');
	await page.selectOption('#type', 'traceroute');
	await page.fill('#target', TRACE4);
	await page.click('#submit');
	// One evaluation sees the text and the pane's state together.
	const first = await (await page.waitForFunction(() => {
		const n = document.querySelector('#results .pane');
		const out = n && n.querySelector('.pane-output').textContent;
		return out && /^\s*1\s+\S/m.test(out) ? { state: n.dataset.state, out,
			runtime: n.querySelector('.pane-runtime').textContent } : null;
	}, null, { polling: 50 })).jsonValue();
	assert(first.state === 'running', 'still running when hop 1 shows', first);
	assert(/^running for \d+\.\d s$/.test(first.runtime), 'the pane counts the seconds', first);
	assert(await page.isVisible('#stop') && await page.isDisabled('#submit'), 'Stop offered meanwhile');
	assert(!/^\s*5\s/m.test(first.out), 'the last hop has not come yet', first.out);
	await shot(page, 'traceroute-streaming');
	const [p] = await settled(page);
	assert(p.state === 'ok' && /^\s*5\s+\S/m.test(p.output), 'every hop in the end', p);
	assert(parseInt(p.runtime, 10) >= 2000, 'the hops were paced', p.runtime);
	const t = await parsedTable(page, 'par1');
	assert(!t.hidden && t.after && t.caption === '5 hops, the target answered',
	    'the parsed traceroute as a table under the text', t);
	assert(JSON.stringify(t.heads.map((h) => h[0])) ===
	    JSON.stringify(['Hop', 'Address', 'Name', 'Times', 'MPLS labels']), 'its columns', t.heads);
	const hops = t.rows.filter((r) => r.rowheader === 'rowgroup').map((r) => r.cells[0]);
	assert(JSON.stringify(hops) === JSON.stringify(['1', '2', '3', '4', '5']), 'a row group per hop', t.rows);
	const last = t.rows[t.rows.length - 1].cells;
	assert(last[1] === TRACE4 && / ms/.test(last[3]), 'the last hop is the target, with its times', last);
	assert(t.rows.some((r) => r.cells[1] === '*' && r.cells[3] === '*  *  *'), 'a hop that timed out', t.rows);
	await page.context().close();
});

await check('Stop ends a running traceroute and says so in its pane', async () => {
	const page = await open('/');
	await page.selectOption('#router', 'par1');
	await page.selectOption('#type', 'traceroute');
	await page.fill('#target', TRACE4);
	await page.click('#submit');
	await page.waitForFunction(() => {
		const out = document.querySelector('#results .pane .pane-output');
		return out !== null && /^\s*1\s+\S/m.test(out.textContent);
	}, null, { polling: 50 });
	await page.click('#stop');
	const [p] = await settled(page);
	assert(p.state === 'error' && /Stopped/.test(p.error), 'the pane says it was stopped', p);
	await page.waitForTimeout(2000);
	const [later] = await panes(page);
	assert(!/^\s*5\s/m.test(later.output), 'no more output after Stop', later.output);
	assert(!(await page.isVisible('#stop')) && !(await page.isDisabled('#submit')), 'Run offered again');
	assert(await page.evaluate(() => document.activeElement.id) === 'submit', 'focus back on Run');
	await page.context().close();
});

await check('an invalid target: said once, under the field; nothing sent', async () => {
	const page = await open('/');
	await page.selectOption('#router', 'tyo1');
	await page.selectOption('#type', 'bgp_route');
	await page.fill('#target', '1.2.3.999');
	const hint = await page.textContent('#target-hint');
	assert(/IPv4 or IPv6/.test(hint), 'hint while typing', hint);
	assert(await page.getAttribute('#target', 'aria-invalid') === 'true', 'aria-invalid');
	const sent = page.lgRequests.length;
	await page.click('#submit');
	await page.waitForSelector('#target-hint.bad');
	// Issue 12 item 8: the refusal used to show twice, inline and in
	// the error box.
	await page.waitForTimeout(300);
	assert(await page.$eval('#error', (e) => e.hidden), 'not repeated in the error box',
	    await page.textContent('#error'));
	assert(/IPv4 or IPv6/.test(await page.textContent('#target-hint')), 'the hint says why',
	    await page.textContent('#target-hint'));
	assert(await page.$$eval('#results .pane', (p) => p.length) === 0, 'no pane');
	assert(!page.lgRequests.slice(sent).some((u) => u.includes('/api/v1/query')), 'no query sent',
	    page.lgRequests.slice(sent));
	assert(await page.evaluate(() => document.activeElement.id) === 'target', 'focus on the field');
	await shot(page, 'invalid-target');
	await page.fill('#target', ROUTE4);
	assert(await page.textContent('#target-hint') === '', 'the hint clears when fixed');
	await page.context().close();
});

await check("a target refused by the server: its 400 message in the error box", async () => {
	const page = await open('/');
	await page.selectOption('#router', 'tyo1');
	await page.selectOption('#type', 'bgp_route');
	await page.fill('#target', '10.1.2.0/24');
	page.lgRefusals = 1;
	await page.click('#submit');
	await page.waitForSelector('#error:not([hidden])');
	const box = await page.textContent('#error');
	assert(/^Target: 10\.1\.2\.0\/24 is in a forbidden network \(10\.0\.0\.0\/8\)\.$/.test(box),
	    "lgwebd's reason shown as a sentence", box);
	assert(await page.$eval('#submit', (b) => b.disabled) === false, 'the form is usable again');
	assert(await page.$$eval('#results .pane', (p) => p.length) === 0, 'no pane for a refused query');
	assert(await page.$$eval('#recent li', (l) => l.length) === 0, 'a refused query is not remembered');
	await shot(page, 'server-error');
	await page.context().close();
});

await check('rate limited (ping: 2 a minute here): the error box says when to try again', async () => {
	const page = await open('/');
	for (let i = 0; i < 2; i++) {
		const [p] = await ask(page, 'fra1', 'ping', '1.0.4.1');
		assert(p.state === 'ok' && /!!|Success/.test(p.output), `ping ${i + 1} answered`, p);
	}
	const t = await parsedTable(page, 'fra1');
	assert(!t.hidden && t.caption === 'Ping statistics' && t.rows.length === 1,
	    'the parsed ping as a table', t);
	const [sent, received, loss, min] = t.rows[0].cells;
	assert(sent === '5' && received === '5' && loss === '0 %' && /^\d+ ms$/.test(min),
	    'sent, received, loss and round trips', t.rows[0]);
	page.lgRefusals = 1;
	await page.click('#submit');
	await page.waitForSelector('#error:not([hidden])');
	const box = await page.textContent('#error');
	assert(/^Too many queries/.test(box) && (box.match(/(retry|try again) in \d+ s/gi) || []).length === 1,
	    'when to try again, said once', box);
	await shot(page, 'rate-limited');
	await page.context().close();
});

await check('markup typed as a target never runs, in the form or in a permalink', async () => {
	const page = await open('/');
	await page.selectOption('#router', 'nyc1');
	await page.fill('#target', XSS);
	await page.click('#submit');
	await page.waitForSelector('#target-hint.bad');
	const p2 = await open(`/?router=nyc1&type=bgp_route&target=${encodeURIComponent(XSS)}`);
	await p2.waitForSelector('#target-hint.bad');
	await p2.waitForTimeout(300);
	for (const p of [page, p2]) {
		assert(p.lgDialogs.length === 0, 'no dialog', p.lgDialogs);
		assert(await p.$$eval('img[src="x"]', (i) => i.length) === 0, 'no injected element');
		assert(await p.inputValue('#target') === XSS, 'the text stays text');
	}
	await page.context().close();
	await p2.context().close();
});

await check('router output is shown as text: markup in an answer stays literal', async () => {
	const page = await open('/');
	const [p] = await ask(page, 'nyc1', 'bgp_route', ROUTE4);
	assert(p.state === 'ok', 'answered', p);
	assert(p.output.includes(MARKUP), 'the markup shows literally', p.output);
	assert(p.elements === 0, 'no element inside the output');
	await page.waitForTimeout(300);
	assert(page.lgDialogs.length === 0, 'no dialog', page.lgDialogs);
	assert(await page.$$eval('#results img, #results b', (i) => i.length) === 0, 'no injected element');
	await page.context().close();
});

await check('dark mode follows prefers-color-scheme; the toggle flips it and is remembered', async () => {
	const bg = async (p) => luminance(await p.$eval('body', (b) => getComputedStyle(b).backgroundColor));
	const fg = async (p) => luminance(await p.$eval('body', (b) => getComputedStyle(b).color));
	const page = await open(`/?router=tyo1,sin1&type=bgp_route&target=${encodeURIComponent(ROUTE4)}`,
	    { colorScheme: 'dark' });
	await settled(page);
	assert(await bg(page) < 0.15 && await fg(page) > 0.7, 'dark by preference',
	    { bg: await bg(page), fg: await fg(page) });
	await shot(page, 'dark');
	assertContrast(await contrasts(page), 'dark');
	await page.click('#theme-toggle');
	assert(await bg(page) > 0.85 && await fg(page) < 0.3, 'the toggle makes it light');
	assertContrast(await contrasts(page), 'light');
	assert(await page.getAttribute('#theme-toggle', 'aria-pressed') === 'false', 'aria-pressed follows');
	await page.reload();
	await page.waitForSelector('#router option', { state: 'attached' });
	assert(await bg(page) > 0.85, 'light is remembered over a reload');
	await page.click('#theme-toggle');
	await page.reload();
	await page.waitForSelector('#router option', { state: 'attached' });
	assert(await bg(page) < 0.15, 'and dark again');
	await page.context().close();
	const light = await open('/', { colorScheme: 'light' });
	assert(await bg(light) > 0.85, 'light by preference');
	await light.context().close();
});

await check('a 375 px wide phone: no horizontal scroll, the form usable, answers readable', async () => {
	const page = await open('/', {
		viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
	});
	const width = () => page.evaluate(() => document.scrollingElement.scrollWidth);
	assert(await width() <= 375, 'no horizontal scroll', await width());
	await shot(page, 'phone');
	for (const id of ['router', 'type', 'target', 'submit']) {
		const b = await page.$eval(`#${id}`, (e) => e.getBoundingClientRect().toJSON());
		assert(b.left >= 0 && b.right <= 375 && b.height >= 40, `#${id} fits and is big enough to tap`, b);
	}
	await page.tap('#compare');
	await page.selectOption('#router', ['tyo1', 'ams1']);
	await page.selectOption('#type', 'bgp_route');
	await page.tap('#target');
	await page.fill('#target', ROUTE4);
	await page.tap('#submit');
	const ps = await settled(page);
	assert(ps.length === 2 && ps.every((p) => p.state === 'ok'), 'answered', ps);
	assert(await width() <= 375, 'still no horizontal scroll with answers', await width());
	const boxes = await page.$$eval('#results .pane', (ns) => ns.map((n) => n.getBoundingClientRect().toJSON()));
	assert(boxes.every((b) => b.left >= 0 && b.right <= 375), 'panes inside the screen', boxes);
	assert(boxes[1].top >= boxes[0].bottom, 'panes stacked', boxes);
	await page.evaluate(() => document.querySelector('#results').scrollIntoView());
	await shot(page, 'phone-results');
	await page.context().close();
});

await check('keyboard: labelled controls, tab order router, type, target, submit; Enter submits', async () => {
	const page = await open('/');
	const unlabelled = await page.$$eval('input, select, button, textarea', (es) => es
	    .filter((e) => !e.closest('template') && e.offsetParent !== null)
	    .filter((e) => (e.labels ? e.labels.length === 0 : true) && !e.getAttribute('aria-label') &&
		(e.tagName !== 'BUTTON' || e.textContent.trim() === ''))
	    .map((e) => e.outerHTML));
	assert(unlabelled.length === 0, 'every control has a label', unlabelled);
	const order = [];
	for (let i = 0; i < 12; i++) {
		await page.keyboard.press('Tab');
		order.push(await page.evaluate(() => document.activeElement.id ||
		    document.activeElement.className || document.activeElement.tagName));
	}
	const at = (id) => order.indexOf(id);
	assert(at('router') >= 0 && at('router') < at('type') && at('type') < at('target') &&
	    at('target') < at('submit'), 'tab order', order);
	const ring = await page.$eval('#submit', (b) => { b.focus(); return getComputedStyle(b).outlineStyle; });
	await page.focus('#router');
	await page.keyboard.press('ArrowDown');
	const second = await page.$eval('#router', (s) => s.value);
	assert(second === 'ams1', 'arrow keys choose a router', second);
	await page.focus('#target');
	await page.keyboard.type(ROUTE4);
	await page.keyboard.press('Enter');
	const ps = await settled(page);
	assert(ps.length === 1 && ps[0].router === 'ams1' && ps[0].state === 'ok', 'Enter ran the query', ps);
	assert(ring !== 'none', 'a visible focus ring', ring);
	await page.keyboard.press('Shift+Tab');
	await shot(page, 'keyboard');
	await page.context().close();
});

await check('a permalink asking a router for a query it does not offer: the form stays usable', async () => {
	// Issue 12 item 8: the Query select went blank and Target vanished.
	const r = routerList.find((x) => PAGE_TYPES.some((t) => t !== 'bgp_neighbors' &&
	    !x.queries.includes(t)) && x.queries.includes('bgp_route'));
	assert(r, 'a router that lacks a query type', routerList);
	const missing = PAGE_TYPES.find((t) => t !== 'bgp_neighbors' && !r.queries.includes(t));
	const page = await open(`/?router=${r.name}&type=${missing}&target=1.0.4.1`);
	await page.waitForSelector('#error:not([hidden])');
	const box = await page.textContent('#error');
	assert(/not offered on/.test(box) && box.includes(r.name), 'the error box says why', box);
	const form = await page.evaluate(() => ({
		router: document.getElementById('router').value,
		type: document.getElementById('type').value,
		types: document.getElementById('type').options.length,
		target: !document.getElementById('target-field').hidden,
	}));
	assert(form.router === r.name && form.type !== '' && form.types > 0, 'a query offered there is chosen', form);
	assert(form.target === (!['bgp_summary'].includes(form.type)), 'the target field matches it', form);
	assert(await page.$$eval('#results .pane', (p) => p.length) === 0, 'nothing ran');
	await page.selectOption('#type', 'bgp_route');
	await page.fill('#target', ROUTE4);
	await stale(page);
	await page.click('#submit');
	const ps = await settled(page);
	assert(ps.length === 1 && ps[0].state === 'ok', 'and it runs what is offered', ps);
	const p2 = await open('/?router=nosuch1&type=bgp_route&target=1.0.4.1');
	await p2.waitForSelector('#error:not([hidden])');
	assert(/nosuch1/.test(await p2.textContent('#error')), 'an unknown router is named',
	    await p2.textContent('#error'));
	assert(await p2.$eval('#type', (t) => t.options.length) > 0, 'with types offered for the router shown');
	await page.context().close();
	await p2.context().close();
});

await check('no route: the "not in table" answer reaches the visitor, and an empty one is explained', async () => {
	// Issue 12 item 8: Junos prints nothing when no route matches.
	const page = await open('/');
	const [j] = await ask(page, 'ams1', 'bgp_route', '9.9.9.0/24');
	assert(j.state === 'ok' && j.output.trim() === '', 'Junos printed nothing', j);
	assert(/printed nothing.*not in table/.test(j.error), 'the pane says so', j);
	const [i] = await ask(page, 'lon1', 'bgp_route', '9.9.9.0/24');
	assert(i.state === 'ok' && /% Network not in table/.test(i.output), "IOS's words are shown", i);
	assert(i.error === '', 'with no note of its own', i);
	await shot(page, 'not-in-table');
	await page.context().close();
});

// A page on another site (another origin, and another site: localhost
// and 127.0.0.1 are not the same site) that links to a permalink and
// tries to run queries in the background.  It is served from loopback
// too, so that Chromium's private network checks let its requests out.
async function elsewhere(html) {
	const server = createServer((req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html' });
		res.end(html);
	});
	await new Promise((resolve) => server.listen(0, resolve));
	const page = await open('/', { tolerate: /\/api\/v1\/query/ });
	page.on('close', () => server.close());
	await page.goto(`http://localhost:${server.address().port}/evil.html`);
	return page;
}

async function queryCount(status) {
	const text = await (await fetch(`${URL_BASE}/metrics`)).text();
	const m = new RegExp(`lg_http_requests_total\\{endpoint="query",status="${status}"\\} (\\d+)`).exec(text);
	return m ? Number(m[1]) : 0;
}

await check('a permalink followed from another site is filled in, not run, until Run is pressed', async () => {
	// Issue 24 item 8.
	const link = `${URL_BASE}/?router=lon1&type=bgp_route&target=${encodeURIComponent(ROUTE4)}`;
	for (const rel of ['', 'noreferrer']) {
		const page = await elsewhere(`<!doctype html><a id="go" rel="${rel}" href="${link}">go</a>`);
		const sent = page.lgRequests.length;
		await page.click('#go');
		await page.waitForSelector('#notice:not([hidden])');
		assert(/another site/.test(await page.textContent('#notice')), `${rel || 'plain'} link: a notice`,
		    await page.textContent('#notice'));
		assert(new URL(page.url()).searchParams.get('confirm') === '1', 'lgwebd marked the link', page.url());
		await page.waitForTimeout(500);
		assert(await page.$$eval('#results .pane', (p) => p.length) === 0, 'nothing ran');
		assert(!page.lgRequests.slice(sent).some((u) => u.includes('/api/v1/query')), 'no query sent',
		    page.lgRequests.slice(sent));
		assert(await page.inputValue('#target') === ROUTE4 && await page.$eval('#router', (x) => x.value) === 'lon1',
		    'the form holds the query');
		await stale(page);
		await page.click('#submit');
		const ps = await settled(page);
		assert(ps.length === 1 && ps[0].state === 'ok', 'one click runs it', ps);
		assert(await page.$eval('#notice', (n) => n.hidden), 'the notice goes');
		assert(new URL(page.url()).searchParams.get('confirm') === null, 'the address bar holds the clean permalink',
		    page.url());
		if (rel === '')
			await shot(page, 'permalink-from-elsewhere');
		await page.context().close();
	}
});

await check("another site's page cannot run queries through the visitor's browser", async () => {
	const before = await queryCount(403);
	const q = `router=lon1&type=bgp_route&target=${encodeURIComponent(ROUTE4)}`;
	const page = await elsewhere(`<!doctype html><img src="${URL_BASE}/api/v1/query?${q}">
<script>fetch("${URL_BASE}/api/v1/query/stream?${q}", { mode: "no-cors" }).catch(() => {});
fetch("${URL_BASE}/api/v1/query", { mode: "no-cors", method: "POST",
    body: JSON.stringify({ router: "lon1", type: "bgp_summary" }) }).catch(() => {});</script>`);
	let after = before;
	for (let i = 0; i < 50 && after < before + 2; i++) {
		await page.waitForTimeout(100);
		after = await queryCount(403);
	}
	assert(after >= before + 2, 'the query requests were refused with 403', { before, after });
	await page.context().close();
});

await check('no console error, page error, failed request, CSP violation or dialog in any page', async () => {
	assert(problems.length === 0, 'problems seen', problems);
});

await finish();
