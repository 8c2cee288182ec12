// Stored results in the page (tests/browser/test_results.sh runs this
// twice).  Phase "share": a query on a lab router shows a Share button
// whose link opens the stored answer in the page (the same text, its
// time, the form filled in, nothing run); an unknown link says so; and
// "Compare with now" before any change reports no route change.  It
// prints "# link: URL" for the next phase.  Phase "compare" (after the
// test changed the route in the lab): "Compare with now" on that link
// shows the changed attributes, the text diff with the new lines, and
// the stored answer above it unchanged.
//
// Environment: LG_URL, LG_CHROMIUM, LG_SHOTS (lib.mjs), LG_RESULTS_PHASE,
// LG_RESULTS_ROUTER, LAB_ROUTE4, and for "compare" LG_RESULTS_LINK and
// LG_RESULTS_LOCALPREF (the local preference the change set).

import { launch, finish, open, check, assert, ask, panes, problems, shot, api, URL_BASE }
    from './lib.mjs';

const PHASE = process.env.LG_RESULTS_PHASE;
const ROUTER = process.env.LG_RESULTS_ROUTER;
const ROUTE = process.env.LAB_ROUTE4;
const ID = /\/r\/([A-Za-z0-9_-]{24})$/;

await launch();

async function compareNow(page) {
	await page.click('#compare-now');
	await page.waitForSelector('#compare-result h3', { timeout: 30000 });
	return page.$eval('#compare-result', (n) => ({
		title: n.querySelector('h3').textContent,
		changes: Array.from(n.querySelectorAll('.route-diff li'),
		    (li) => ({ kind: li.dataset.kind, text: li.textContent })),
		added: Array.from(n.querySelectorAll('.text-diff .diff-add'), (s) => s.textContent),
		removed: Array.from(n.querySelectorAll('.text-diff .diff-del'), (s) => s.textContent),
		same: n.dataset.same,
	}));
}

if (PHASE === 'share') {
	let link = '';
	let live = null;
	await check('a finished answer has a Share button that gives its /r/ link', async () => {
		const page = await open('/');
		const p = await ask(page, ROUTER, 'bgp_route', ROUTE);
		assert(p.length === 1 && p[0].state === 'ok', 'the query answers', p);
		live = p[0];
		await page.click('#results .pane .share');
		link = await page.$eval('#results .pane .share-link', (n) => n.value);
		assert(link.startsWith(URL_BASE) && ID.test(link), 'the link', link);
		await shot(page, 'results-share');
		await page.context().close();
	});
	await check('the link shows the stored answer as it was, without running it', async () => {
		const page = await open(new URL(link).pathname);
		await page.waitForSelector('#stored');
		const p = await panes(page);
		const doc = await api(`/api/v1/results/${ID.exec(link)[1]}`);
		assert(p.length === 1 && p[0].output === doc.results[0].output, 'the stored text', p);
		assert(p[0].output === live.output, 'the text seen when it ran', p[0].output);
		assert(p[0].router === ROUTER && p[0].state === 'ok', 'its router and status', p);
		const banner = await page.$eval('#stored', (n) => n.textContent);
		assert(/Stored result: what .* answered on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/.test(banner),
		    'the banner says when', banner);
		assert(await page.$eval('#target', (n) => n.value) === ROUTE, 'the form holds the query');
		assert(!page.lgRequests.some((u) => u.includes('/api/v1/query')),
		    'no query ran', page.lgRequests);
		await shot(page, 'results-stored', true);
		await page.context().close();
	});
	await check('an unknown link says there is no such result', async () => {
		const page = await open('/r/AAAAAAAAAAAAAAAAAAAAAAAA', { tolerate: /\/api\/v1\/results\// });
		await page.waitForSelector('#error:not([hidden])');
		const text = await page.$eval('#error', (n) => n.textContent);
		assert(/no stored result has this id/i.test(text), 'the error', text);
		await page.context().close();
	});
	await check('compare with now before any change: no route changed', async () => {
		const page = await open(new URL(link).pathname);
		await page.waitForSelector('#stored');
		const c = await compareNow(page);
		assert(c.changes.length === 0, 'no route change', c);
		assert(/Compared with now/.test(c.title), 'the title', c.title);
		await page.context().close();
	});
	console.log(`# link: ${link}`);
} else {
	const link = process.env.LG_RESULTS_LINK;
	const pref = process.env.LG_RESULTS_LOCALPREF;
	await check('compare with now after the route changed: attributes and text', async () => {
		const page = await open(new URL(link).pathname);
		await page.waitForSelector('#stored');
		const before = (await panes(page))[0].output;
		const c = await compareNow(page);
		const changed = c.changes.filter((x) => x.kind === 'changed');
		assert(changed.length === 1, 'one path changed', c);
		assert(changed[0].text.includes(ROUTE) &&
		    new RegExp(`local_pref [^;]*→ ${pref}`).test(changed[0].text),
		    'its local preference', changed[0].text);
		assert(/communities [^;]*65000:999/.test(changed[0].text), 'its communities',
		    changed[0].text);
		assert(c.added.some((l) => l.includes(pref)), 'the text diff adds the new line', c);
		assert(c.removed.length > 0, 'and removes the old one', c);
		assert((await panes(page))[0].output === before, 'the stored answer stays as it was');
		await shot(page, 'results-compare', true);
		await page.context().close();
	});
}

await check('no console error, page error, CSP report or dialog', async () => {
	assert(problems.length === 0, 'problems', problems.join('\n'));
});
await finish();
