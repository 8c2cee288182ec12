// One result pane per router.  Router output is inserted as text, never
// as HTML: a PTR name or an interface description cannot become markup.

import { sentence } from './api.js';

const template = () => document.getElementById('pane-template');
let ticker = null;

// While a pane waits for its router, its footer counts the seconds.
function tick(container) {
	const running = container.querySelectorAll('.pane[data-state="running"]');
	for (const pane of running) {
		const s = (performance.now() - Number(pane.dataset.started)) / 1000;
		pane.querySelector('.pane-runtime').textContent = `running for ${s.toFixed(1)} s`;
	}
	if (running.length === 0) {
		clearInterval(ticker);
		ticker = null;
	}
}

export function createPanes(container, routers) {
	container.replaceChildren();
	const panes = new Map();
	const started = String(performance.now());
	for (const r of routers) {
		const node = template().content.firstElementChild.cloneNode(true);
		node.dataset.router = r.name;
		node.dataset.started = started;
		node.querySelector('.pane-name').textContent = r.name;
		node.querySelector('.pane-where').textContent =
		    [r.location, r.vendor].filter(Boolean).join(' · ');
		node.querySelector('.pane-output').setAttribute('aria-label', `Output of ${r.name}`);
		node.querySelector('.copy').addEventListener('click', () => copyOutput(node));
		container.append(node);
		panes.set(r.name, node);
	}
	if (ticker === null)
		ticker = setInterval(() => tick(container), 100);
	return panes;
}

async function copyOutput(node) {
	const button = node.querySelector('.copy');
	const text = node.querySelector('.pane-output').textContent;
	try {
		await navigator.clipboard.writeText(text);
		button.textContent = 'Copied';
	} catch {
		// Clipboard refused (no secure context): select the text instead.
		const range = document.createRange();
		range.selectNodeContents(node.querySelector('.pane-output'));
		const sel = window.getSelection();
		sel.removeAllRanges();
		sel.addRange(range);
		button.textContent = 'Selected: press Ctrl+C';
	}
	setTimeout(() => { button.textContent = 'Copy output'; }, 2000);
}

export function paneBegin(pane, command) {
	pane.querySelector('.pane-command code').textContent = command || '';
}

// Output is appended as it streams in.  The view follows the tail only
// when the reader has scrolled to the bottom; otherwise the first lines
// (the answer's head) stay in view.
export function paneOutput(pane, text) {
	const pre = pane.querySelector('.pane-output');
	const follow = pre.scrollTop > 0 &&
	    pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
	pre.append(document.createTextNode(text));
	if (follow)
		pre.scrollTop = pre.scrollHeight;
}

// The parsed answer (DESIGN.md section 12) under the router's text.  A
// route answer becomes a table, one row per path, a ping one row of
// statistics, a traceroute a row per responder of each hop; the text
// above stays what the router said.  Everything goes in as text, never
// as markup.
const ROUTE_COLUMNS = [
	['Prefix', null],
	['Best', (p) => (p.best ? 'best' : '')],
	['AS path', (p) => (Array.isArray(p.as_path) ? p.as_path.join(' ') : '')],
	['Next hop', (p) => p.next_hop ?? ''],
	['Local pref', (p) => p.local_pref ?? ''],
	['MED', (p) => p.med ?? ''],
	['Origin', (p) => p.origin ?? ''],
	['Communities', (p) => [...(p.communities || []), ...(p.large_communities || [])].join(' ')],
];

export function el(tag, text, cls) {
	const node = document.createElement(tag);
	if (text !== undefined && text !== null)
		node.textContent = String(text);
	if (cls)
		node.className = cls;
	return node;
}

function routeRows(tbody, prefix) {
	const paths = Array.isArray(prefix.paths) && prefix.paths.length ? prefix.paths : [{}];
	paths.forEach((path, i) => {
		const tr = el('tr');
		if (path.best)
			tr.className = 'best';
		if (i === 0) {
			const th = el('th', prefix.prefix ?? '');
			th.scope = 'rowgroup';
			th.rowSpan = paths.length;
			tr.append(th);
		}
		for (const [, cell] of ROUTE_COLUMNS.slice(1))
			tr.append(el('td', cell(path)));
		tbody.append(tr);
	});
}

function routeTable(parsed, router) {
	const prefixes = Array.isArray(parsed.prefixes) ? parsed.prefixes : [];
	const wrap = el('div', null, 'parsed-scroll');
	wrap.tabIndex = 0;
	wrap.setAttribute('role', 'region');
	wrap.setAttribute('aria-label', `Routes of ${router} as a table`);
	const table = el('table', null, 'parsed-routes');
	const n = prefixes.length;
	table.append(el('caption', `${n} ${n === 1 ? 'prefix' : 'prefixes'}` +
	    (parsed.truncated ? ', more in the text above' : '')));
	const head = el('tr');
	for (const [name] of ROUTE_COLUMNS) {
		const th = el('th', name);
		th.scope = 'col';
		head.append(th);
	}
	table.append(el('thead'));
	table.tHead.append(head);
	for (const prefix of prefixes) {
		const tbody = el('tbody');
		routeRows(tbody, prefix);
		table.append(tbody);
	}
	wrap.append(table);
	return wrap;
}

// A table in its scrolling region, with a caption and column heads.
function parsedTable(label, caption, columns, cls) {
	const wrap = el('div', null, 'parsed-scroll');
	wrap.tabIndex = 0;
	wrap.setAttribute('role', 'region');
	wrap.setAttribute('aria-label', label);
	const table = el('table', null, `parsed-routes ${cls}`);
	table.append(el('caption', caption));
	const head = el('tr');
	for (const name of columns) {
		const th = el('th', name);
		th.scope = 'col';
		head.append(th);
	}
	table.append(el('thead'));
	table.tHead.append(head);
	wrap.append(table);
	return [wrap, table];
}

// A number of milliseconds or a percentage as the router gave it.
function num(v, unit) {
	return typeof v === 'number' ? `${v}${unit}` : '';
}

// A ping: one row, the counts, the loss and the round trips.
function pingTable(parsed, router) {
	const rtt = parsed.rtt_ms || {};
	const [wrap, table] = parsedTable(`Ping from ${router} as a table`,
	    'Ping statistics', ['Sent', 'Received', 'Loss', 'RTT min', 'RTT avg',
	    'RTT max', 'RTT stddev'], 'parsed-ping');
	const tr = el('tr');
	for (const v of [parsed.sent ?? '', parsed.received ?? '',
	    num(parsed.loss_pct, ' %'), num(rtt.min, ' ms'), num(rtt.avg, ' ms'),
	    num(rtt.max, ' ms'), num(rtt.stddev, ' ms')])
		tr.append(el('td', v));
	const tbody = el('tbody');
	tbody.append(tr);
	table.append(tbody);
	return wrap;
}

// The responders of a hop in the order they answered, each with the
// times of its probes; timeouts are one "*" row.
function hopResponders(hop) {
	const rows = [];
	let timeouts = 0;
	for (const probe of Array.isArray(hop.probes) ? hop.probes : []) {
		if (!probe.address) {
			timeouts++;
			continue;
		}
		let row = rows.find((r) => r.address === probe.address);
		if (!row) {
			row = { address: probe.address, name: probe.name, times: [] };
			rows.push(row);
		}
		row.times.push(typeof probe.rtt_ms === 'number' ? `${probe.rtt_ms} ms` : '!');
	}
	if (timeouts || !rows.length)
		rows.push({ address: '*', name: '', times: Array(timeouts).fill('*') });
	return rows;
}

// A traceroute: a row group per hop, a row per responder.
function traceTable(parsed, router) {
	const hops = Array.isArray(parsed.hops) ? parsed.hops : [];
	const n = hops.length;
	const what = parsed.kind === 'mtr' ? 'MTR report' : 'Traceroute';
	const [wrap, table] = parsedTable(`${what} from ${router} as a table`,
	    `${n} ${n === 1 ? 'hop' : 'hops'}, ` +
	    (parsed.complete ? 'the target answered' : 'the target did not answer') +
	    (parsed.truncated ? ', more in the text above' : ''),
	    ['Hop', 'Address', 'Name', 'Times', 'MPLS labels'], 'parsed-trace');
	for (const hop of hops) {
		const tbody = el('tbody');
		const rows = hopResponders(hop);
		rows.forEach((r, i) => {
			const tr = el('tr');
			if (i === 0) {
				const th = el('th', hop.hop ?? '');
				th.scope = 'rowgroup';
				th.rowSpan = rows.length;
				tr.append(th);
			}
			tr.append(el('td', r.address), el('td', r.name ?? ''),
			    el('td', r.times.join('  ')));
			if (i === 0) {
				const td = el('td', Array.isArray(hop.mpls) ? hop.mpls.join(' ') : '');
				td.rowSpan = rows.length;
				tr.append(td);
			}
			tbody.append(tr);
		});
		table.append(tbody);
	}
	return wrap;
}

export function paneParsed(pane, parsed) {
	const box = pane.querySelector('.pane-parsed');
	box.replaceChildren();
	box.hidden = true;
	if (!parsed || typeof parsed !== 'object')
		return;
	const router = pane.dataset.router;
	if (parsed.error)
		box.append(el('p', 'The answer could not be read as data' +
		    (parsed.line ? ` (line ${parsed.line})` : '') + '; the text above is complete.',
		    'parsed-note'));
	else if (parsed.kind === 'ping')
		box.append(pingTable(parsed, router));
	else if (parsed.kind === 'traceroute' || parsed.kind === 'mtr')
		box.append(traceTable(parsed, router));
	else if (parsed.kind !== 'bgp_routes')
		return;
	else if (parsed.not_found)
		box.append(el('p', 'The router has no route for this query.', 'parsed-note'));
	else
		box.append(routeTable(parsed, router));
	box.hidden = false;
}

// "18:22:01 UTC" from an RFC 3339 UTC time, "" when there is none.
function clock(when) {
	const m = /T(\d\d:\d\d:\d\d)/.exec(when || '');
	return m ? `${m[1]} UTC` : '';
}

// The link of a stored answer (store=1): a Share button that copies it
// and shows it, so it can be read out or copied by hand.
function paneShare(pane, share) {
	const footer = pane.querySelector('footer');
	let button = footer.querySelector('.share');
	if (!share) {
		if (button)
			button.hidden = true;
		return;
	}
	const url = new URL(share, location.origin).href;
	if (!button) {
		button = el('button', 'Share', 'ghost share');
		button.type = 'button';
		footer.append(button);
	}
	button.hidden = false;
	button.dataset.link = url;
	button.onclick = async () => {
		let link = footer.querySelector('.share-link');
		if (!link) {
			link = el('input', null, 'share-link');
			link.readOnly = true;
			link.setAttribute('aria-label', `Link to this answer of ${pane.dataset.router}`);
			footer.append(link);
		}
		link.value = url;
		try {
			await navigator.clipboard.writeText(url);
			button.textContent = 'Link copied';
		} catch {
			link.select();
			button.textContent = 'Link selected: press Ctrl+C';
		}
		setTimeout(() => { button.textContent = 'Share'; }, 2000);
	};
}

export function paneEnd(pane, end) {
	const ok = end.status === 'ok';
	pane.dataset.state = ok ? 'ok' : 'error';
	pane.querySelector('.state-badge').textContent = ok ? 'ok' : 'error';
	const cached = pane.querySelector('.cached-badge');
	cached.hidden = !end.cached;
	if (end.cached)
		cached.textContent = typeof end.age !== 'number' ? 'cached' :
		    end.age < 1 ? 'cached just now' : `cached ${end.age} s ago`;
	const parts = [];
	if (typeof end.runtime_ms === 'number')
		parts.push(`${end.runtime_ms} ms`);
	if (clock(end.performed_at))
		parts.push(clock(end.performed_at));
	if (end.truncated)
		parts.push('output truncated');
	pane.querySelector('.pane-runtime').textContent = parts.join(' · ');
	paneShare(pane, end.share);
	const err = pane.querySelector('.pane-error');
	if (!ok && end.error) {
		err.textContent = sentence(end.error.message || end.error.code);
		err.hidden = false;
	} else if (ok && pane.querySelector('.pane-output').textContent.trim() === '') {
		// Some routers (Junos) print nothing when no route matches:
		// say so rather than show an empty pane.
		err.classList.add('empty-answer');
		err.textContent = 'The router printed nothing: no entry matches ' +
		    'this query (not in table).';
		err.hidden = false;
	}
}

export function paneFail(pane, message) {
	paneEnd(pane, { status: 'error', error: { message } });
}
