// Public and staff in the page (tests/browser/test_audience.sh): the
// public's router list has no staff router, nor the staff query type, and
// a permalink naming the staff router runs nothing there; signed in (the
// sign-on proxy's header, as a proxy in front would add it to every
// request) the page lists the staff router and the staff type and runs a
// query on it.  A stored result's page offers "Delete" to staff only.
//
// Environment: LG_URL, LG_CHROMIUM, LG_SHOTS (lib.mjs), LG_STAFF_ROUTER,
// LG_STAFF_TYPE, LG_USER_HEADER.

import { launch, finish, open, check, assert, ask, settled, shot, problems }
    from './lib.mjs';

const STAFF_ROUTER = process.env.LG_STAFF_ROUTER;
const STAFF_TYPE = process.env.LG_STAFF_TYPE;
const SIGNED_IN = { extraHTTPHeaders: { [process.env.LG_USER_HEADER]: 'alice' } };

await launch();

const options = (page, sel) => page.$$eval(`${sel} option`,
    (nodes) => nodes.map((n) => n.value));

await check('the public: no staff router in the list', async () => {
	const page = await open('/');
	const routers = await options(page, '#router');
	assert(routers.length >= 2 && !routers.includes(STAFF_ROUTER),
	    'the public routers only', routers);
	const types = await options(page, '#type');
	assert(!types.includes(STAFF_TYPE), 'no staff query type', types);
	await shot(page, 'audience-public');
	await page.context().close();
});

await check('the public: a permalink to the staff router runs nothing there', async () => {
	const page = await open(`/?router=${STAFF_ROUTER}&type=bgp_summary`, {
	    tolerate: /api\/v1\/query/ });
	await page.waitForTimeout(1500);
	const ran = await page.$$eval('#results .pane', (nodes) =>
	    nodes.map((n) => n.dataset.router));
	assert(!ran.includes(STAFF_ROUTER), 'no pane for the staff router', ran);
	await page.context().close();
});

await check('staff: the staff router and type are listed, and run', async () => {
	const page = await open('/', SIGNED_IN);
	const routers = await options(page, '#router');
	assert(routers.includes(STAFF_ROUTER), 'the staff router is listed', routers);
	await page.selectOption('#router', STAFF_ROUTER);
	const types = await options(page, '#type');
	assert(types.includes(STAFF_TYPE), 'the staff type is offered', types);
	const p = await ask(page, STAFF_ROUTER, 'bgp_summary');
	assert(p.length === 1 && p[0].state === 'ok', 'the query answers', p);
	await shot(page, 'audience-staff');
	await page.context().close();
});

// A stored result: the public sees it without "Delete"; staff delete it.
await check('stored result: staff delete it from its page, the public cannot', async () => {
	const staff = await open('/', SIGNED_IN);
	const res = await staff.request.get('/api/v1/query?router=lon1&type=bgp_summary&store=1');
	const share = (await res.json()).results[0].share;
	assert(/^\/r\/[A-Za-z0-9_-]{24}$/.test(share), 'a link', share);
	const pub = await open(share);
	await pub.waitForSelector('#stored');
	assert(await pub.$('#delete-stored') === null, 'no Delete for the public');
	await pub.context().close();
	await staff.goto(share);
	await staff.waitForSelector('#delete-stored');
	staff.lgAcceptDialogs = 1;
	await staff.click('#delete-stored');
	await staff.waitForFunction(() => /was deleted/.test(
	    document.getElementById('stored').textContent));
	const after = await staff.request.get(`/api/v1/results/${share.slice(3)}`);
	assert(after.status() === 404, 'the link finds nothing now', after.status());
	assert(staff.lgDialogs.length === 1, 'one confirmation asked', staff.lgDialogs);
	await staff.context().close();
});

await check('no console error, page error or CSP report', async () => {
	assert(problems.length === 0, 'problems', problems);
});

await finish();
