// lgwebd without its broker, then with it again.  test_browser.sh stops
// lgbrokerd, runs this script, and starts lgbrokerd again once this script
// prints "# waiting for the broker".  The page must say clearly what is
// wrong, then fill in by itself: nobody reloads it.

import { check, assert, launch, finish, open, shot } from './lib.mjs';

await launch();

let page;
await check('without the broker: a clear error box instead of an empty form', async () => {
	page = await open('/', { waitRouters: false, tolerate: /\/api\/v1\/routers/ });
	await page.waitForSelector('#error:not([hidden])');
	const box = await page.textContent('#error');
	assert(/router list could not be loaded/.test(box) && /again/.test(box), 'the error box', box);
	assert(await page.$$eval('#router option', (o) => o.length) === 0, 'no router offered');
	assert(await page.isDisabled('#submit'), 'nothing to run yet');
	await shot(page, 'no-broker');
});

console.log('# waiting for the broker');

await check('once the broker is back the page fills in by itself', async () => {
	await page.waitForSelector('#router option', { state: 'attached', timeout: 40000 });
	assert(await page.$eval('#error', (e) => e.hidden), 'the error box is gone');
	assert(!(await page.isDisabled('#submit')), 'Run offered');
	const types = await page.$$eval('#type option', (o) => o.length);
	assert(types > 0, 'the query types are offered', types);
});

await finish();
