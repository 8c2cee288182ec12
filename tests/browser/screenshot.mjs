// Takes the pictures of README.md from a running looking glass.  Each set
// is a list of shots: a permalink, a viewport, a colour scheme, what to
// wait for and what to capture.
//
//   page     docs/page.png: a compare query on two routers, light theme,
//            1200x800.  Run it against the browser suite's setup, which
//            brings up the lab, the emulator and both daemons and keeps
//            them up:
//              LG_BROWSER_SERVE=1 sh tests/browser/test_browser.sh   # prints the URL
//              LG_URL=http://127.0.0.1:PORT node tests/browser/screenshot.mjs
//   compare  docs/compare.png (1400 px, light: the comparison, its table
//            and its AS-path graph) and docs/compare-phone.png (390x844,
//            dark) of `make demo`: one route on five routers of four
//            platforms (the emulated IOS-XR and Junos routers, the lab's
//            FRR and BIRD), which do not agree, with the demo's AS names
//            and community descriptions:
//              sudo make demo        # serves http://127.0.0.1:8080
//              LG_URL=http://127.0.0.1:8080 LG_SHOT_SET=compare \
//                  node tests/browser/screenshot.mjs
//
// then make the files small (a 64-colour palette is enough for the page):
//
//   for f in docs/page.png docs/compare.png docs/compare-phone.png; do
//           convert $f -strip -colors 64 PNG8:$f; done
//
// Environment: LG_URL, LG_CHROMIUM (default /usr/bin/chromium),
// LG_SHOT_SET (page or compare, default page), LG_SHOT (output file of the
// page set, default docs/page.png), LG_SHOT_QUERY (the page set's
// permalink query string).

import { chromium } from 'playwright-core';

const url = process.env.LG_URL;
const COMPARE = 'router=fra1,ams1,tyo1,sin1,sin2&type=bgp_route&target=1.0.4.0/24';

// Waits until every pane has ended.
async function panesDone(page) {
	await page.waitForSelector('#results .pane');
	await page.waitForFunction(() => {
		const panes = document.querySelectorAll('#results .pane');
		return panes.length > 0 && [...panes].every((p) =>
		    p.dataset.state !== 'running');
	}, null, { timeout: 30000 });
}

// Waits until the comparison is drawn with every router's answer.
async function compareDone(page) {
	await page.waitForSelector('#compare-view[data-complete="true"]', { timeout: 60000 });
}

const SETS = {
	page: [{
		out: process.env.LG_SHOT || 'docs/page.png',
		query: process.env.LG_SHOT_QUERY ||
		    'router=fra1,tyo1&type=bgp_route&target=1.0.4.0/24',
		viewport: { width: 1200, height: 800 }, scheme: 'light',
		ready: panesDone,
	}],
	compare: [{
		out: 'docs/compare.png', query: COMPARE,
		viewport: { width: 1400, height: 1000 }, scheme: 'light',
		ready: compareDone, element: '#compare-view',
	}, {
		out: 'docs/compare-phone.png', query: COMPARE,
		viewport: { width: 390, height: 844 }, scheme: 'dark',
		ready: compareDone, scrollTo: '#compare-view',
	}],
};

async function take(browser, s) {
	const context = await browser.newContext({
		viewport: s.viewport, colorScheme: s.scheme,
	});
	try {
		const page = await context.newPage();
		await page.goto(`${url}/?${s.query}`);
		await s.ready(page);
		if (s.element)
			await page.locator(s.element).screenshot({ path: s.out });
		else {
			if (s.scrollTo)
				await page.$eval(s.scrollTo, (n) => n.scrollIntoView());
			await page.screenshot({ path: s.out });
		}
		console.log(`wrote ${s.out}`);
	} finally {
		await context.close();
	}
}

const set = SETS[process.env.LG_SHOT_SET || 'page'];
if (!url || !set) {
	console.error('screenshot.mjs: set LG_URL to lgwebd\'s base URL and ' +
	    `LG_SHOT_SET to one of ${Object.keys(SETS).join(', ')}`);
	process.exit(2);
}
const browser = await chromium.launch({
	executablePath: process.env.LG_CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync', '--disable-default-apps', '--disable-extensions'],
});
try {
	for (const s of set)
		await take(browser, s);
} finally {
	await browser.close();
}
