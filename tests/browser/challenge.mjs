// The proof-of-work challenge in headless Chromium: past the soft limit
// the page solves lgwebd's challenge in a Web Worker, says so while it
// works, and shows the answer; then the difficulty against the median
// time the worker takes here, printed as "# " lines (the README's table).
// Run by test_challenge.sh, with lgwebd's web.challenge at soft =
// "1/hour" and LG_POW_BITS bits, and one router, LG_POW_ROUTER.
//
// Prints "ok - NAME" or "not ok - NAME" per check, with "# " diagnostics.

import { problems, check, assert, launch, finish, open, shot, cspReports, ask } from './lib.mjs';

const ROUTER = process.env.LG_POW_ROUTER;
const BITS = Number(process.env.LG_POW_BITS);
// make check solves two difficulties three times each; the table in the
// README comes from LG_POW_TABLE="12 14 15 16 17 18" LG_POW_RUNS=9.
const RUNS = Number(process.env.LG_POW_RUNS || 3);
const TABLE = (process.env.LG_POW_TABLE || '12 14').trim().split(/\s+/)
    .map(Number);

await launch();
const page = await open('/');
await page.evaluate(() => {
	window.lgNotices = [];
	new MutationObserver(() => {
		const n = document.getElementById('notice');
		if (!n.hidden && n.textContent)
			window.lgNotices.push(n.textContent);
	}).observe(document.getElementById('notice'),
	    { attributes: true, childList: true, characterData: true, subtree: true });
});
const sent = [];
page.on('request', (r) => {
	if (r.url().includes('/api/v1/query/stream'))
		sent.push(r.headers()['x-lorgnette-pow'] || '');
});
const statuses = [];
page.on('response', (r) => {
	if (r.url().includes('/api/v1/query/stream'))
		statuses.push(r.status());
});

await check('within the soft limit the query runs at once', async () => {
	const p = await ask(page, ROUTER, 'bgp_summary');
	assert(p.length === 1 && p[0].state === 'ok', 'one pane, ok', p);
	assert(sent.length === 1 && sent[0] === '', 'sent without an answer', sent);
});

await check('past it the page solves the challenge in a worker and the query runs', async () => {
	page.lgRefusals = 1;	// the 429 is reported as a failed load
	const p = await ask(page, ROUTER, 'bgp_summary');
	assert(p.length === 1 && p[0].state === 'ok', 'one pane, ok', p);
	assert(statuses.slice(1).join(' ') === '429 200', 'held with 429, then run', statuses);
	assert(sent.length === 3 && /^1\.\d+\.\d+\.\d+\.[46][0-9a-f]+\.[0-9a-f]{64}:\d+$/.test(sent[2]),
	    'the second request carries X-Lorgnette-PoW: TOKEN:NONCE', sent);
	const ms = await page.evaluate(() => document.body.dataset.powMs);
	assert(ms !== undefined, 'the worker reported its time');
	console.log(`# the page solved ${BITS} bits in ${ms} ms`);
	await shot(page, 'challenge-solved');
});

await check('a short note said so while it worked, and is gone', async () => {
	const notes = await page.evaluate(() => window.lgNotices);
	assert(notes.some((t) => /moment of work/.test(t) && /no CAPTCHA/.test(t)), 'the note', notes);
	assert(await page.$eval('#notice', (e) => e.hidden), 'hidden once the query runs');
	assert(await page.$eval('#error', (e) => e.hidden), 'no error box');
});

await check('no cookie, no CSP report, no console error', async () => {
	const cookies = await page.context().cookies();
	assert(cookies.length === 0, 'no cookie', cookies);
	const csp = await cspReports(page);
	assert(csp.length === 0, 'no CSP report', csp);
	assert(problems.length === 0, 'no problem', problems);
});

// The difficulty against the median solve time of the page's own
// solver (api.js solveChallenge: its workers, as the page runs them), on
// random tokens (the workers never check them).
async function medianMs(bits, runs) {
	return page.evaluate(async ([b, n]) => {
		const { solveChallenge } = await import('/js/api.js');
		const times = [];
		let workers = 0;
		for (let i = 0; i < n; i++) {
			const token = `bench.${b}.${i}.${Math.random().toString(36).slice(2)}`;
			const r = await solveChallenge({ token, bits: b });
			times.push(r.ms);
			workers = r.workers || 1;
		}
		times.sort((x, y) => x - y);
		return { ms: times[Math.floor(n / 2)], workers };
	}, [bits, runs]);
}

console.log('# chromium: bits, median solve time (ms) over ' +
    `${RUNS} random tokens, hashes/s at the median`);
for (const bits of TABLE) {
	await check(`the page's solver solves ${bits} bits`, async () => {
		const { ms, workers } = await medianMs(bits, RUNS);
		assert(ms > 0, 'a time', ms);
		const rate = Math.round(Math.LN2 * 2 ** bits / (ms / 1000));
		console.log(`# chromium bits=${bits} median_ms=${ms.toFixed(1)} ` +
		    `rate_per_s~${rate} workers=${workers}`);
	});
}

await finish();
