// What the browser checks share: the TAP-like report ("ok - NAME", "not
// ok - NAME", "# " diagnostics), Chromium launched through playwright-core,
// pages whose every console error, page error, failed request, CSP report
// and dialog is noted, and helpers that read the result panes.
//
// Environment: LG_URL (lgwebd's base URL), LG_CHROMIUM (the browser,
// default /usr/bin/chromium), LG_SHOTS (directory for screenshots).

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const URL_BASE = process.env.LG_URL;
const SHOTS = process.env.LG_SHOTS;
let browser = null;

let failures = 0;
export const problems = [];	// console errors, page errors, CSP reports, dialogs

function diag(text) {
	for (const line of String(text).split('\n').slice(0, 20))
		console.log(`#   ${line}`);
}

export async function check(name, fn) {
	let timer;
	const limit = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error('timed out after 45 s')), 45000);
	});
	try {
		await Promise.race([fn(), limit]);
		console.log(`ok - ${name}`);
	} catch (e) {
		failures++;
		console.log(`not ok - ${name}`);
		diag(e && e.stack ? e.stack : e);
	} finally {
		clearTimeout(timer);
	}
}

export function assert(cond, message, detail) {
	if (!cond)
		throw new Error(detail === undefined ? message :
		    `${message}\n${typeof detail === 'string' ? detail : JSON.stringify(detail, null, 1)}`);
}


export async function launch() {
	mkdirSync(SHOTS, { recursive: true });
	browser = await chromium.launch({
		executablePath: process.env.LG_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		// Playwright gives every launch a fresh temporary profile
		// directory.  Without the background switches Chromium keeps
		// trying to reach Google's services.
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		    '--disable-background-networking', '--disable-component-update',
		    '--disable-sync', '--disable-default-apps', '--disable-extensions',
		    '--no-default-browser-check'],
	});
}

// Closes the browser and exits 1 if a check failed.
export async function finish() {
	await browser.close();
	process.exit(failures > 0 ? 1 : 0);
}

// A fresh context (own storage) and page, every problem it reports noted.
// Options are the context's, plus waitRouters (false: return before the
// router list is there) and tolerate (a RegExp of URLs expected to fail).
export async function open(path = '/', options = {}) {
	const { waitRouters = true, tolerate = null, ...contextOptions } = options;
	const context = await browser.newContext({
		baseURL: URL_BASE, viewport: { width: 1400, height: 900 }, ...contextOptions,
	});
	await context.addInitScript(() => {
		window.lgCsp = [];
		document.addEventListener('securitypolicyviolation', (e) =>
		    window.lgCsp.push(`${e.violatedDirective} ${e.blockedURI}`));
	});
	const page = await context.newPage();
	page.setDefaultTimeout(20000);
	page.lgDialogs = [];
	page.lgRequests = [];
	// A refused query is reported by Chromium as a failed resource load;
	// a check that expects one sets page.lgRefusals.
	page.lgRefusals = 0;
	page.on('console', (m) => {
		if (m.type() !== 'error' && m.type() !== 'warning')
			return;
		if (/^Failed to load resource: .* [45]\d\d/.test(m.text())) {
			if (tolerate && tolerate.test(m.location().url))
				return;
			if (page.lgRefusals > 0) {
				page.lgRefusals--;
				return;
			}
		}
		problems.push(`console ${m.type()} on ${path}: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`page error on ${path}: ${e.message}`));
	// A check that expects a confirmation sets page.lgAcceptDialogs.
	page.lgAcceptDialogs = 0;
	page.on('dialog', (d) => {
		page.lgDialogs.push(d.message());
		if (page.lgAcceptDialogs > 0) {
			page.lgAcceptDialogs--;
			d.accept().catch(() => {});
			return;
		}
		problems.push(`dialog on ${path}: ${d.message()}`);
		d.dismiss().catch(() => {});
	});
	page.on('request', (r) => page.lgRequests.push(r.url()));
	page.on('response', (r) => {
		if (r.status() >= 400 && !r.url().includes('/api/v1/query') &&
		    !(tolerate && tolerate.test(r.url())))
			problems.push(`HTTP ${r.status()} for ${r.url()}`);
	});
	await page.goto(path);
	if (waitRouters)
		await page.waitForSelector('#router option', { state: 'attached' });
	return page;
}

export async function shot(page, name, fullPage = false) {
	await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

export async function cspReports(page) {
	return page.evaluate(() => window.lgCsp);
}

// The panes, as the visitor sees them.
export async function panes(page) {
	return page.$$eval('#results .pane', (nodes) => nodes.map((n) => ({
		router: n.dataset.router,
		state: n.dataset.state,
		title: n.querySelector('.pane-router').textContent,
		command: n.querySelector('.pane-command').textContent,
		output: n.querySelector('.pane-output').textContent,
		runtime: n.querySelector('.pane-runtime').textContent,
		cached: !n.querySelector('.cached-badge').hidden,
		error: n.querySelector('.pane-error').hidden ? '' :
		    n.querySelector('.pane-error').textContent,
		elements: n.querySelector('.pane-output').children.length,
	})));
}

// Marks the panes on show, so that settled() waits for the next query's.
export async function stale(page) {
	await page.evaluate(() => {
		for (const n of document.querySelectorAll('#results .pane'))
			n.lgStale = true;
	});
}

export async function settled(page) {
	await page.waitForFunction(() => {
		const p = Array.from(document.querySelectorAll('#results .pane'));
		return p.length > 0 && p.every((n) => !n.lgStale && n.dataset.state !== 'running');
	}, null, { timeout: 30000 });
	return panes(page);
}

export async function ask(page, router, type, target) {
	await page.selectOption('#router', router);
	await page.selectOption('#type', type);
	if (target !== undefined)
		await page.fill('#target', target);
	await stale(page);
	await page.click('#submit');
	return settled(page);
}

export async function api(path) {
	const r = await fetch(URL_BASE + path);
	return r.json();
}

// A permalink that runs one query on several routers.
export const link = (routers, type, target) =>
	`/?router=${routers.join(',')}&type=${type}&target=${encodeURIComponent(target)}`;

// Opens a permalink and waits until every router has answered and the
// comparison has been drawn with the last answer.
export async function compared(path, options = {}) {
	const page = await open(path, options);
	await page.waitForSelector('#compare-view[data-complete="true"]', { timeout: 60000 });
	return page;
}
