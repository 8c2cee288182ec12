// The looking glass page: loads the site branding and the router list,
// keeps the form consistent (only queries every chosen router offers),
// runs a query on one or several routers and streams each answer into its
// own pane.  The URL always holds the current query (a permalink), and a
// page opened with one runs it, unless the link came from another site:
// then the form is filled in and the visitor presses Run (lgwebd marks
// such a link confirm=1 when the browser says Sec-Fetch-Site: cross-site;
// a referrer from another origin counts the same for browsers that do
// not send it).

import { getJSON, streamQuery, sentence } from './api.js';
import { QUERIES, setQueryTypes, targetHint } from './queries.js';
import { createPanes, paneBegin, paneOutput, paneParsed, paneEnd, paneFail } from './panes.js';
import { createCompare } from './compare.js';
import { applyTheme, toggleTheme, recentQueries, rememberQuery, clearRecent, permalink,
    queryFromURL } from './prefs.js';
import { storedId, showStored } from './stored.js';

const $ = (id) => document.getElementById(id);
const STATE_LABEL = { up: '', connecting: ' (connecting)', down: ' (down)', unknown: '' };
const STATE_TEXT = { up: 'up', connecting: 'connecting', down: 'down', unknown: 'state unknown' };
const REFRESH_MS = 30000;
const RETRY_MS = 5000;

let routers = [];
let staff = false;		// the router list says the asker is staff
let running = null;
let siteTitle = document.title;
// web.results is on: answers are stored, and each pane offers its link.
let storeResults = false;

function showError(message) {
	const box = $('error');
	box.textContent = sentence(message);
	box.hidden = !message;
	if (message)
		showNotice('');
}

function showNotice(message) {
	$('notice').textContent = message;
	$('notice').hidden = !message;
}

// Whether the page was opened from another site's page.
function fromElsewhere(q) {
	if (q.confirm)
		return true;
	try {
		return document.referrer !== '' &&
		    new URL(document.referrer).origin !== location.origin;
	} catch {
		return true;
	}
}

function selectedRouters() {
	return Array.from($('router').selectedOptions, (o) => o.value);
}

function routerLabel(r) {
	const where = r.location ? ` · ${r.location}` : '';
	return `${r.name}${where}${STATE_LABEL[r.state] || ''}`;
}

function groupsOf(list) {
	const groups = new Map();
	for (const r of list) {
		const label = r.group || r.location || 'Routers';
		if (!groups.has(label))
			groups.set(label, []);
		groups.get(label).push(r);
	}
	return groups;
}

function fillRouters() {
	const select = $('router');
	select.replaceChildren();
	for (const [label, members] of groupsOf(routers)) {
		const group = document.createElement('optgroup');
		group.label = label;
		for (const r of members) {
			const option = document.createElement('option');
			option.value = r.name;
			option.textContent = routerLabel(r);
			group.append(option);
		}
		select.append(group);
	}
	const n = routers.length;
	const g = groupsOf(routers).size;
	$('subtitle').textContent = `${n} router${n === 1 ? '' : 's'}` +
	    (g > 1 ? ` in ${g} regions` : '');
}

// The hint under the router list: the chosen router's platform and state,
// or in compare mode how many are chosen.
function updateRouterHint() {
	const hint = $('router-hint');
	const chosen = selectedRouters();
	if ($('compare').checked) {
		hint.textContent = `${chosen.length} selected. ` +
		    'Click routers to add or remove them; their answers show side by side.';
		return;
	}
	const r = routers.find((x) => x.name === chosen[0]);
	if (!r) {
		hint.textContent = '';
		return;
	}
	const dot = document.createElement('span');
	dot.className = 'dot';
	dot.dataset.state = r.state;
	const text = [r.vendor, STATE_TEXT[r.state] || r.state].filter(Boolean).join(' · ');
	hint.replaceChildren(dot, document.createTextNode(text));
}

// Offers the query types that every selected router supports.
function fillTypes() {
	const chosen = routers.filter((r) => selectedRouters().includes(r.name));
	const select = $('type');
	const previous = select.value;
	const offered = Object.keys(QUERIES).filter((t) =>
	    chosen.length > 0 && chosen.every((r) => r.queries.includes(t)));
	select.replaceChildren(...offered.map((t) => {
		const option = document.createElement('option');
		option.value = t;
		option.textContent = QUERIES[t].label;
		return option;
	}));
	if (offered.includes(previous))
		select.value = previous;
	updateRouterHint();
	updateTargetField();
}

function updateTargetField() {
	const q = QUERIES[$('type').value];
	$('target-field').hidden = !q || Boolean(q.noTarget);
	$('afi-field').hidden = !q || !q.afi;
	$('target').placeholder = q && q.placeholder ? q.placeholder : '';
	$('type-hint').textContent = q ? q.describe : '';
	updateHint(false);
}

function updateHint(strict) {
	const input = $('target');
	const hint = targetHint($('type').value, input.value);
	const show = strict || input.value !== '';
	$('target-hint').textContent = show ? hint : '';
	$('target-hint').classList.toggle('bad', show && hint !== '');
	input.setAttribute('aria-invalid', String(show && hint !== ''));
	return hint;
}

function setCompare(on) {
	const select = $('router');
	const keep = selectedRouters();
	select.multiple = on;
	select.size = on ? Math.min(12, routers.length + groupsOf(routers).size) : 0;
	for (const o of select.options)
		o.selected = keep.includes(o.value) && (on || o.value === keep[0]);
	if (!on && selectedRouters().length === 0 && select.options.length > 0)
		select.options[0].selected = true;
	fillTypes();
}

// In compare mode a click adds or removes one router, no Ctrl needed.
function toggleOption(ev) {
	const select = $('router');
	if (!select.multiple || ev.button !== 0 || !(ev.target instanceof HTMLOptionElement) ||
	    ev.ctrlKey || ev.metaKey || ev.shiftKey)
		return;
	ev.preventDefault();
	const top = select.scrollTop;
	ev.target.selected = !ev.target.selected;
	select.focus();
	select.scrollTop = top;
	select.dispatchEvent(new Event('change', { bubbles: true }));
}

function formQuery() {
	const type = $('type').value;
	return {
		routers: selectedRouters(),
		type,
		target: QUERIES[type] && QUERIES[type].noTarget ? '' : $('target').value.trim(),
		afi: $('afi-field').hidden ? '' : $('afi').value,
	};
}

function describe(q) {
	const label = QUERIES[q.type] ? QUERIES[q.type].label : q.type;
	return { label, target: q.target, where: q.routers.join(', ') };
}

function renderRecent() {
	const list = $('recent');
	const items = recentQueries();
	$('recent-empty').hidden = items.length > 0;
	$('recent-clear').hidden = items.length === 0;
	list.replaceChildren(...items.map((q) => {
		const d = describe(q);
		const li = document.createElement('li');
		const a = document.createElement('a');
		a.href = permalink(q);
		const parts = [['r-type', d.label], ['r-target', d.target], ['r-where', `on ${d.where}`]];
		for (const [cls, text] of parts) {
			if (!text)
				continue;
			const span = document.createElement('span');
			span.className = cls;
			span.textContent = text;
			a.append(span, document.createTextNode(' '));
		}
		a.addEventListener('click', (ev) => {
			ev.preventDefault();
			openQuery(q, false);
		});
		li.append(a);
		return li;
	}));
}

function showResults(q) {
	const d = describe(q);
	const title = $('results-title');
	const code = document.createElement('code');
	code.textContent = d.target;
	title.replaceChildren(document.createTextNode(`${d.label} `), code,
	    document.createTextNode(q.routers.length > 1 ?
	    ` on ${q.routers.length} routers` : ` on ${d.where}`));
	$('permalink').href = permalink(q);
	$('results-section').hidden = false;
	document.title = `${d.label} ${d.target} · ${siteTitle}`.replace('  ', ' ');
}

// The checks the page can make before asking; "" when the query may go.
function precheck(q) {
	if (q.routers.length === 0)
		return 'Choose at least one router.';
	if (!QUERIES[q.type])
		return 'Choose a query.';
	if (targetHint(q.type, q.target))
		return 'target';
	return '';
}

async function run(q) {
	showError('');
	showNotice('');
	const refusal = precheck(q);
	// A bad target is said once, under the field, where it is fixed.
	if (refusal === 'target') {
		updateHint(true);
		$('target').focus();
		return;
	}
	if (refusal) {
		showError(refusal);
		return;
	}
	if (running)
		running.abort();
	const controller = new AbortController();
	running = controller;
	// Each query is a history entry: Back returns to the previous one.
	const link = permalink(q);
	if (`${location.pathname}${location.search}` !== link)
		history.pushState(null, '', link);
	const info = q.routers.map((name) => routers.find((r) => r.name === name) || { name });
	let panes = new Map();
	let compare = null;
	const ended = new Set();
	$('submit').disabled = true;
	$('stop').hidden = false;
	try {
		// Panes appear once lgwebd has accepted the query; a refusal
		// (bad target, rate limit) is one message in the error box.
		await streamQuery({ ...q, store: storeResults }, (name, data) => {
			const pane = panes.get(data.router);
			if (name === 'begin' && pane)
				paneBegin(pane, data.command);
			else if (name === 'output' && pane)
				paneOutput(pane, data.text);
			else if (name === 'parsed' && pane)
				paneParsed(pane, data.parsed);
			else if (name === 'end' && pane) {
				paneEnd(pane, data);
				ended.add(data.router);
			}
			if (compare && pane)
				compare.update(data.router, name, data);
		}, controller.signal, () => {
			panes = createPanes($('results'), info);
			compare = createCompare($('compare-view'), q, info);
			showResults(q);
			rememberQuery(q);
			renderRecent();
		}, (working, solved) => {
			// Many queries from this address: a moment of work in
			// the background stands in for a CAPTCHA.
			showNotice(working ? 'Many queries came from your address: your browser ' +
			    'is doing a moment of work before this one runs (no CAPTCHA, no cookie).' : '');
			if (solved)
				document.body.dataset.powMs = String(Math.round(solved.ms));
		});
		for (const [name, pane] of panes)
			if (!ended.has(name)) {
				paneFail(pane, 'The answer ended early.');
				if (compare)
					compare.fail(name, 'The answer ended early.');
			}
	} catch (e) {
		const stopped = e.name === 'AbortError';
		if (stopped && !controller.byVisitor)
			return;		// replaced by a newer query
		if (!stopped)
			showError(e.message);
		else
			showNotice('');	// a proof of work stopped
		for (const [name, pane] of panes)
			if (!ended.has(name)) {
				paneFail(pane, stopped ? 'Stopped before the router finished.' : e.message);
				if (compare)
					compare.fail(name, stopped ? 'Stopped before the router finished.' : e.message);
			}
	} finally {
		if (running === controller) {
			running = null;
			$('submit').disabled = false;
			$('stop').hidden = true;
			if (controller.byVisitor)
				$('submit').focus();	// Stop had the focus
		}
	}
}

// Fills the form with a query (a permalink, a recent one).  Returns ""
// when the form now holds it, or why not: a router unknown here, or a
// query type the routers do not offer.  The form stays usable either way.
function applyQuery(q) {
	const multi = q.routers.length > 1;
	const known = new Set(routers.map((r) => r.name));
	const unknown = q.routers.filter((name) => !known.has(name));
	$('compare').checked = multi;
	setCompare(multi);
	for (const o of $('router').options)
		o.selected = q.routers.includes(o.value);
	if (selectedRouters().length === 0 && $('router').options.length > 0)
		$('router').options[0].selected = true;
	fillTypes();
	const offered = Array.from($('type').options, (o) => o.value);
	if (offered.includes(q.type))
		$('type').value = q.type;
	updateTargetField();
	$('target').value = q.target;
	$('afi').value = q.afi || '';
	updateHint(false);
	if (unknown.length > 0)
		return `No router called ${unknown.join(', ')} here; choose one from the list.`;
	if (!offered.includes(q.type)) {
		const label = QUERIES[q.type] ? QUERIES[q.type].label : 'This query';
		const lacking = routers.filter((r) => q.routers.includes(r.name) &&
		    !r.queries.includes(q.type)).map((r) => r.name);
		return `${label} is not offered on ${(lacking.length ? lacking : q.routers).join(', ')}; ` +
		    'choose another query or router.';
	}
	return '';
}

// A permalink: filled in, then run, unless it cannot be or must not be.
function openQuery(q, arrived) {
	const refusal = applyQuery(q);
	if (refusal)
		showError(refusal);
	else if (arrived && fromElsewhere(q)) {
		showNotice('This query comes from a link on another site. ' +
		    'Check it, then press Run query.');
		$('submit').focus();
	} else
		run(q);
}

async function loadSite() {
	try {
		const site = await getJSON('/api/v1/site');
		storeResults = Boolean(site.results);
		if (site.title) {
			$('title').textContent = site.title;
			if (document.title === siteTitle)
				document.title = site.title;
			siteTitle = site.title;
		}
		if (site.logo) {
			$('logo').src = site.logo;
			$('logo').hidden = false;
		}
		for (const key of ['footer', 'disclaimer']) {
			$(key).textContent = site[key] || '';
			$(key).hidden = !site[key];
		}
	} catch {
		// Branding is optional; the page works with its defaults.
	}
}

// Router states change; the list is refreshed in place, keeping the choice.
async function refreshRouters() {
	try {
		const fresh = (await getJSON('/api/v1/routers')).routers || [];
		const byName = new Map(fresh.map((r) => [r.name, r]));
		for (const r of routers)
			if (byName.has(r.name))
				r.state = byName.get(r.name).state;
		for (const o of $('router').options) {
			const r = routers.find((x) => x.name === o.value);
			if (r)
				o.textContent = routerLabel(r);
		}
		updateRouterHint();
	} catch {
		// Keep the last known states.
	}
}

function bind() {
	$('theme-toggle').addEventListener('click', () => toggleTheme($('theme-toggle')));
	window.matchMedia('(prefers-color-scheme: dark)')
	    .addEventListener('change', () => applyTheme($('theme-toggle')));
	$('compare').addEventListener('change', (e) => setCompare(e.target.checked));
	$('router').addEventListener('change', fillTypes);
	$('router').addEventListener('mousedown', toggleOption);
	$('type').addEventListener('change', updateTargetField);
	$('target').addEventListener('input', () => updateHint(false));
	window.addEventListener('popstate', () => {
		const q = queryFromURL();
		if (q)
			openQuery(q, false);
	});
	$('recent-clear').addEventListener('click', () => {
		clearRecent();
		renderRecent();
		$('recent-title').focus();
	});
	$('stop').addEventListener('click', () => {
		if (running) {
			running.byVisitor = true;
			running.abort();
		}
	});
	$('query-form').addEventListener('submit', (e) => {
		e.preventDefault();
		run(formQuery());
	});
}

// The router list and the query types, asked again every few seconds
// until lgwebd has them (it may have just started, or lost its broker).
async function loadRouters() {
	for (;;) {
		try {
			const doc = await getJSON('/api/v1/routers');
			setQueryTypes(doc.query_types);
			staff = doc.audience === 'staff';
			showError('');
			return doc.routers || [];
		} catch (e) {
			showError(`The router list could not be loaded: ${e.message.replace(/\.$/, '')}. ` +
			    `Trying again every ${RETRY_MS / 1000} s.`);
		}
		await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
	}
}

async function init() {
	applyTheme($('theme-toggle'));
	bind();
	renderRecent();
	const site = loadSite();
	$('submit').disabled = true;
	routers = await loadRouters();
	await site;
	renderRecent();		// with the query types' labels, known now
	$('submit').disabled = false;
	fillRouters();
	if ($('router').options.length > 0)
		$('router').options[0].selected = true;
	fillTypes();
	setInterval(refreshRouters, REFRESH_MS);
	const stored = storedId();
	if (stored) {
		await showStored(stored, { routers, staff, error: showError,
		    fill: (sq) => applyQuery({ routers: [sq.router], type: sq.type,
		    target: sq.target, afi: sq.afi === 'any' ? '' : sq.afi }),
		    title: (sq) => showResults({ routers: [sq.router], type: sq.type,
		    target: sq.target, afi: '' }) });
		return;
	}
	const q = queryFromURL();
	if (q)
		openQuery(q, true);
}

init();
