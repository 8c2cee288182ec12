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

// "18:22:01 UTC" from an RFC 3339 UTC time, "" when there is none.
function clock(when) {
	const m = /T(\d\d:\d\d:\d\d)/.exec(when || '');
	return m ? `${m[1]} UTC` : '';
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
