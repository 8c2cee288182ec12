// The looking glass page: loads the site branding and the router list,
// keeps the form consistent (only queries every chosen router offers),
// runs a query on one or several routers and streams each answer into its
// own pane.  The URL always holds the current query (a permalink), and a
// page opened with one runs it.

import { getJSON, streamQuery } from './api.js';
import { QUERIES, targetHint } from './queries.js';
import { createPanes, paneBegin, paneOutput, paneEnd, paneFail } from './panes.js';
import { applyTheme, toggleTheme, recentQueries, rememberQuery, permalink, queryFromURL }
    from './prefs.js';

const $ = (id) => document.getElementById(id);
const STATE_LABEL = { up: '', connecting: ' (connecting)', down: ' (down)', unknown: '' };

let routers = [];
let running = null;

function showError(message) {
	const box = $('error');
	box.textContent = message;
	box.hidden = !message;
}

function selectedRouters() {
	return Array.from($('router').selectedOptions, (o) => o.value);
}

function fillRouters() {
	const select = $('router');
	const groups = new Map();
	for (const r of routers) {
		const label = r.group || r.location || 'Routers';
		if (!groups.has(label))
			groups.set(label, []);
		groups.get(label).push(r);
	}
	select.replaceChildren();
	for (const [label, members] of groups) {
		const group = document.createElement('optgroup');
		group.label = label;
		for (const r of members) {
			const option = document.createElement('option');
			option.value = r.name;
			const where = r.location ? ` · ${r.location}` : '';
			option.textContent = `${r.name}${where}${STATE_LABEL[r.state] || ''}`;
			group.append(option);
		}
		select.append(group);
	}
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
	updateTargetField();
}

function updateTargetField() {
	const q = QUERIES[$('type').value];
	$('target-field').hidden = !q || Boolean(q.noTarget);
	$('afi-field').hidden = !q || !q.afi;
	$('target').placeholder = q && q.placeholder ? q.placeholder : '';
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
	select.size = on ? Math.min(10, routers.length + 2) : 0;
	$('router-hint').textContent = on ?
	    'Select several routers (Ctrl or Shift) to compare their answers side by side.' :
	    'Choose the point of presence to ask.';
	for (const o of select.options)
		o.selected = keep.includes(o.value) && (on || o.value === keep[0]);
	fillTypes();
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

function renderRecent() {
	const list = $('recent');
	const items = recentQueries();
	$('recent-empty').hidden = items.length > 0;
	list.replaceChildren(...items.map((q) => {
		const li = document.createElement('li');
		const a = document.createElement('a');
		a.href = permalink(q);
		const label = QUERIES[q.type] ? QUERIES[q.type].label : q.type;
		a.textContent = `${label} ${q.target} on ${q.routers.join(', ')}`;
		a.addEventListener('click', (ev) => {
			ev.preventDefault();
			applyQuery(q);
			run(q);
		});
		li.append(a);
		return li;
	}));
}

async function run(q) {
	showError('');
	if (q.routers.length === 0) {
		showError('Choose at least one router.');
		return;
	}
	if (!QUERIES[q.type]) {
		showError('Choose a query.');
		return;
	}
	const hint = targetHint(q.type, q.target);
	if (hint) {
		updateHint(true);
		showError(`Target: ${hint}`);
		$('target').focus();
		return;
	}
	if (running)
		running.abort();
	const controller = new AbortController();
	running = controller;
	history.replaceState(null, '', permalink(q));
	rememberQuery(q);
	renderRecent();

	const info = q.routers.map((name) => routers.find((r) => r.name === name) || { name });
	const panes = createPanes($('results'), info);
	const ended = new Set();
	$('submit').disabled = true;
	try {
		await streamQuery(q, (name, data) => {
			const pane = panes.get(data.router);
			if (name === 'begin' && pane)
				paneBegin(pane, data.command);
			else if (name === 'output' && pane)
				paneOutput(pane, data.text);
			else if (name === 'end' && pane) {
				paneEnd(pane, data);
				ended.add(data.router);
			}
		}, controller.signal);
		for (const [name, pane] of panes)
			if (!ended.has(name))
				paneFail(pane, 'The answer ended early.');
	} catch (e) {
		if (e.name === 'AbortError')
			return;
		showError(e.message);
		for (const [name, pane] of panes)
			if (!ended.has(name))
				paneFail(pane, e.message);
	} finally {
		if (running === controller) {
			running = null;
			$('submit').disabled = false;
		}
	}
}

function applyQuery(q) {
	const multi = q.routers.length > 1;
	$('compare').checked = multi;
	setCompare(multi);
	for (const o of $('router').options)
		o.selected = q.routers.includes(o.value);
	fillTypes();
	if (QUERIES[q.type])
		$('type').value = q.type;
	updateTargetField();
	$('target').value = q.target;
	$('afi').value = q.afi || '';
	updateHint(false);
}

async function loadSite() {
	try {
		const site = await getJSON('/api/v1/site');
		if (site.title) {
			$('title').textContent = site.title;
			document.title = site.title;
		}
		if (site.logo) {
			$('logo').src = site.logo;
			$('logo').alt = site.title || '';
			$('logo').hidden = false;
		}
		$('footer').textContent = site.footer || '';
		$('disclaimer').textContent = site.disclaimer || '';
	} catch {
		// Branding is optional; the page works with its defaults.
	}
}

async function init() {
	applyTheme($('theme-toggle'));
	$('theme-toggle').addEventListener('click', () => toggleTheme($('theme-toggle')));
	window.matchMedia('(prefers-color-scheme: dark)')
	    .addEventListener('change', () => applyTheme($('theme-toggle')));
	$('compare').addEventListener('change', (e) => setCompare(e.target.checked));
	$('router').addEventListener('change', fillTypes);
	$('type').addEventListener('change', updateTargetField);
	$('target').addEventListener('input', () => updateHint(false));
	$('query-form').addEventListener('submit', (e) => {
		e.preventDefault();
		run(formQuery());
	});
	renderRecent();
	loadSite();
	try {
		routers = (await getJSON('/api/v1/routers')).routers || [];
	} catch (e) {
		showError(`The router list could not be loaded: ${e.message}`);
		return;
	}
	fillRouters();
	if ($('router').options.length > 0)
		$('router').options[0].selected = true;
	fillTypes();
	const q = queryFromURL();
	if (q) {
		applyQuery(q);
		run(q);
	}
}

init();
