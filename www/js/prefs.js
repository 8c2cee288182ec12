// What the page keeps in the browser: the theme and the last few queries.
// Nothing here is sent anywhere.

const THEME_KEY = 'lorgnette.theme';
const RECENT_KEY = 'lorgnette.recent';
const RECENT_MAX = 10;

function load(key, fallback) {
	try {
		const v = localStorage.getItem(key);
		return v === null ? fallback : JSON.parse(v);
	} catch {
		return fallback;
	}
}

function store(key, value) {
	try {
		localStorage.setItem(key, JSON.stringify(value));
	} catch {
		// Storage disabled or full: the page works without it.
	}
}

function systemDark() {
	return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export function applyTheme(button) {
	const saved = load(THEME_KEY, null);
	const dark = saved ? saved === 'dark' : systemDark();
	if (saved)
		document.documentElement.dataset.theme = saved;
	else
		delete document.documentElement.dataset.theme;
	button.setAttribute('aria-pressed', String(dark));
	button.textContent = dark ? 'Light theme' : 'Dark theme';
}

export function toggleTheme(button) {
	const dark = button.getAttribute('aria-pressed') === 'true';
	store(THEME_KEY, dark ? 'light' : 'dark');
	applyTheme(button);
}

export function recentQueries() {
	const list = load(RECENT_KEY, []);
	return Array.isArray(list) ? list.filter((q) => q && Array.isArray(q.routers)) : [];
}

export function rememberQuery(q) {
	const key = (x) => JSON.stringify([x.routers, x.type, x.target, x.afi]);
	const list = recentQueries().filter((x) => key(x) !== key(q));
	list.unshift(q);
	store(RECENT_KEY, list.slice(0, RECENT_MAX));
}

export function clearRecent() {
	try {
		localStorage.removeItem(RECENT_KEY);
	} catch {
		// Storage disabled: there was nothing kept.
	}
}

// The permalink of a query: the page's URL with router, type, target, afi.
export function permalink(q) {
	const p = new URLSearchParams();
	p.set('router', q.routers.join(','));
	p.set('type', q.type);
	if (q.target)
		p.set('target', q.target);
	if (q.afi)
		p.set('afi', q.afi);
	return `${location.pathname}?${p}`;
}

// The query in the page's URL, or null.  confirm is lgwebd's mark on a
// permalink that arrived from another site: fill it in, do not run it.
export function queryFromURL() {
	const p = new URLSearchParams(location.search);
	if (!p.get('router') || !p.get('type'))
		return null;
	return {
		routers: p.get('router').split(',').filter(Boolean),
		type: p.get('type'),
		target: p.get('target') || '',
		afi: p.get('afi') || '',
		confirm: p.get('confirm') === '1',
	};
}
