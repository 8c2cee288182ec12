// Takes docs/page.png, the picture of the page in README.md: a compare
// query on two routers, light theme, 1200x800.  Run it against the
// browser suite's setup, which brings up the lab, the emulator and both
// daemons and keeps them up:
//
//   LG_BROWSER_SERVE=1 sh tests/browser/test_browser.sh   # prints the URL
//   LG_URL=http://127.0.0.1:PORT node tests/browser/screenshot.mjs
//
// then make the file small (a 64-colour palette is enough for the page):
//
//   convert docs/page.png -strip -colors 64 PNG8:docs/page.png
//
// Environment: LG_URL, LG_CHROMIUM (default /usr/bin/chromium), LG_SHOT
// (output file, default docs/page.png), LG_SHOT_QUERY (the permalink's
// query string).

import { chromium } from 'playwright-core';

const url = process.env.LG_URL;
const out = process.env.LG_SHOT || 'docs/page.png';
const query = process.env.LG_SHOT_QUERY ||
    'router=fra1,tyo1&type=bgp_route&target=1.0.4.0/24';

if (!url) {
	console.error('screenshot.mjs: set LG_URL to lgwebd\'s base URL');
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
	const context = await browser.newContext({
		viewport: { width: 1200, height: 800 }, colorScheme: 'light',
	});
	const page = await context.newPage();
	await page.goto(`${url}/?${query}`);
	await page.waitForSelector('#results .pane');
	await page.waitForFunction(() => {
		const panes = document.querySelectorAll('#results .pane');
		return panes.length > 0 && [...panes].every((p) =>
		    p.dataset.state !== 'running');
	}, null, { timeout: 30000 });
	await page.screenshot({ path: out });
	console.log(`wrote ${out}`);
} finally {
	await browser.close();
}
