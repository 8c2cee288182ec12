// A stored result (/r/<id>): the answer exactly as it was stored, shown in
// a pane with the time it was made, and "Compare with now", which runs the
// same query again and shows what changed: a line diff of the router's
// text and, for route answers, the paths that appeared or disappeared,
// best paths and attributes that changed (diff.js).  Nothing here re-runs
// on load: the stored document comes from /api/v1/results/<id>.  Staff
// also get "Delete", which takes the result down for everyone.

import { getJSON, deleteJSON, streamQuery, sentence } from './api.js';
import { createPanes, paneBegin, paneOutput, paneParsed, paneEnd, el } from './panes.js';
import { textDiff, routeDiff, pathLabel } from './diff.js';

const LINK = /^\/r\/([A-Za-z0-9_-]{24})$/;

// The id of the stored result this page shows, or null.
export function storedId() {
	const m = LINK.exec(location.pathname);
	return m ? m[1] : null;
}

// "2026-12-07 07:13:02 UTC" from an RFC 3339 UTC time.
function when(t) {
	const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(t || '');
	return m ? `${m[1]} ${m[2]} UTC` : (t || 'an unknown time');
}

function value(v) {
	if (v === null || v === undefined)
		return 'none';
	return Array.isArray(v) ? (v.length ? v.join(' ') : '(empty)') : String(v);
}

function changeText(c) {
	switch (c.kind) {
	case 'appeared':
		return `Appeared: ${c.prefix}, ${pathLabel(c.path)}`;
	case 'disappeared':
		return `Disappeared: ${c.prefix}, ${pathLabel(c.path)}`;
	case 'best':
		return `Best path for ${c.prefix} changed: ` +
		    `${c.from ? pathLabel(c.from) : 'none'} → ${c.to ? pathLabel(c.to) : 'none'}`;
	default:
		return `Changed on ${c.prefix}, ${pathLabel(c.path)}: ` +
		    c.attrs.map((a) => `${a.name} ${value(a.from)} → ${value(a.to)}`).join('; ');
	}
}

function structuredBox(changes) {
	const box = el('div', null, 'route-diff');
	box.append(el('h4', 'Routes'));
	if (changes.length === 0) {
		box.append(el('p', 'No path appeared or disappeared, the best paths ' +
		    'and their attributes are the same.', 'diff-none'));
		return box;
	}
	const list = el('ul');
	for (const c of changes) {
		const li = el('li', changeText(c));
		li.dataset.kind = c.kind;
		li.dataset.prefix = c.prefix;
		list.append(li);
	}
	box.append(list);
	return box;
}

function textBox(before, after) {
	const box = el('div', null, 'text-diff-box');
	box.append(el('h4', 'Text'));
	const pre = el('pre', null, 'text-diff');
	pre.tabIndex = 0;
	for (const { op, line } of textDiff(before, after)) {
		const span = el('span', `${op === ' ' ? ' ' : op} ${line}\n`,
		    op === '+' ? 'diff-add' : op === '-' ? 'diff-del' : 'diff-same');
		pre.append(span);
	}
	box.append(pre);
	return box;
}

// Runs the stored query now, on the stored router; resolves to
// {output, parsed, end}.
async function runNow(doc) {
	const q = doc.query;
	const now = { output: '', parsed: null, end: null };
	await streamQuery({ routers: [q.router], type: q.type, target: q.target,
	    afi: q.afi === 'any' ? '' : q.afi }, (name, data) => {
		if (name === 'output')
			now.output += data.text;
		else if (name === 'parsed')
			now.parsed = data.parsed;
		else if (name === 'end')
			now.end = data;
	});
	return now;
}

async function compare(doc, box, button) {
	const then = doc.results[0];
	button.disabled = true;
	box.replaceChildren(el('p', 'Running the query again…', 'hint'));
	box.hidden = false;
	try {
		const now = await runNow(doc);
		if (!now.end || now.end.status !== 'ok')
			throw new Error(now.end && now.end.error ? now.end.error.message :
			    'the answer ended early');
		box.replaceChildren(el('h3', `Compared with now (${when(now.end.performed_at)})`));
		box.dataset.same = String(now.output === then.output);
		if (now.output === then.output)
			box.append(el('p', 'The router says exactly what it said then.', 'diff-none'));
		const changes = routeDiff(then.parsed, now.parsed);
		if (changes)
			box.append(structuredBox(changes));
		if (now.output !== then.output)
			box.append(textBox(then.output, now.output));
	} catch (e) {
		box.replaceChildren(el('p', sentence(`The query could not run now: ${e.message}`),
		    'pane-error'));
	} finally {
		button.disabled = false;
	}
}

// Staff only: takes the stored result down for everyone, once confirmed.
function deleteButton(id, box, page) {
	const button = el('button', 'Delete', 'secondary');
	button.type = 'button';
	button.id = 'delete-stored';
	button.addEventListener('click', async () => {
		if (!window.confirm('Delete this stored result for everyone who has the link?'))
			return;
		button.disabled = true;
		try {
			await deleteJSON(`/api/v1/results/${id}`);
			box.replaceChildren(el('p', 'This stored result was deleted: its link now finds nothing.'));
		} catch (e) {
			page.error(e.message);
			button.disabled = false;
		}
	});
	return button;
}

function banner(doc, onCompare) {
	const r = doc.results[0];
	const box = el('section', null, 'stored card');
	box.id = 'stored';
	box.setAttribute('aria-label', 'Stored result');
	box.append(el('p', `Stored result: what ${r.router} answered on ${when(r.performed_at)}, ` +
	    'kept as it was. It is not run again unless you compare it with now.'));
	const button = el('button', 'Compare with now', 'secondary');
	button.type = 'button';
	button.id = 'compare-now';
	box.append(button);
	button.addEventListener('click', () => onCompare(button));
	return box;
}

// Shows stored result id in the page: the form filled in with its query
// (page.fill), one pane with the stored answer, the banner and the
// comparison box.  Returns false after page.error when it cannot.
export async function showStored(id, page) {
	let doc;
	try {
		doc = await getJSON(`/api/v1/results/${id}`);
	} catch (e) {
		page.error(e.message);
		return false;
	}
	const r = doc.results[0];
	page.fill(doc.query);
	const info = page.routers.find((x) => x.name === r.router) || { name: r.router };
	const panes = createPanes(document.getElementById('results'), [info]);
	const pane = panes.get(r.router);
	paneBegin(pane, r.command);
	paneOutput(pane, r.output || '');
	paneParsed(pane, r.parsed);
	paneEnd(pane, r);
	page.title(doc.query);
	const cmp = el('section', null, 'compare-now');
	cmp.id = 'compare-result';
	cmp.hidden = true;
	const section = document.getElementById('results-section');
	const box = banner(doc, (button) => compare(doc, cmp, button));
	if (page.staff)
		box.append(deleteButton(id, box, page));
	section.before(box);
	section.append(cmp);
	return true;
}
