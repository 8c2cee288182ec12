// One result pane per router.  Router output is inserted as text, never
// as HTML: a PTR name or an interface description cannot become markup.

const template = () => document.getElementById('pane-template');

export function createPanes(container, routers) {
	container.replaceChildren();
	const panes = new Map();
	for (const r of routers) {
		const node = template().content.firstElementChild.cloneNode(true);
		node.dataset.router = r.name;
		node.querySelector('.pane-router').textContent =
		    r.location ? `${r.name} (${r.location})` : r.name;
		node.querySelector('.copy').addEventListener('click', () => copyOutput(node));
		container.append(node);
		panes.set(r.name, node);
	}
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

export function paneOutput(pane, text) {
	const pre = pane.querySelector('.pane-output');
	const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
	pre.append(document.createTextNode(text));
	if (stick)
		pre.scrollTop = pre.scrollHeight;
}

export function paneEnd(pane, end) {
	const ok = end.status === 'ok';
	pane.dataset.state = ok ? 'ok' : 'error';
	pane.querySelector('.state-badge').textContent = ok ? 'ok' : 'error';
	pane.querySelector('.cached-badge').hidden = !end.cached;
	if (end.cached && typeof end.age === 'number')
		pane.querySelector('.cached-badge').textContent = `cached ${end.age} s ago`;
	const parts = [];
	if (typeof end.runtime_ms === 'number')
		parts.push(`${end.runtime_ms} ms`);
	if (end.truncated)
		parts.push('output truncated');
	pane.querySelector('.pane-runtime').textContent = parts.join(' · ');
	const err = pane.querySelector('.pane-error');
	if (!ok && end.error) {
		err.textContent = end.error.message || end.error.code;
		err.hidden = false;
	}
}

export function paneFail(pane, message) {
	paneEnd(pane, { status: 'error', error: { message } });
}
