// What each query type asks for, and inline hints for the target field.
// The query types, their labels and the target kinds each accepts come
// from lgwebd (/api/v1/routers, "query_types", from src/lib/query.c); this
// file knows only the target kinds.  These hints only help the visitor:
// lgwebd and lgbrokerd validate every target again and are the only judges.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const COMMUNITY = /^\d{1,10}:\d{1,10}(:\d{1,10})?$/;
const WELL_KNOWN = ['no-export', 'no-advertise', 'no-export-subconfed', 'local-as',
	'no-peer', 'blackhole', 'graceful-shutdown', 'accept-own'];
const ASPATH = /^[0-9 _^$.*+?()[\]|-]{1,64}$/;
const HOSTNAME = /^(?=.{1,253}\.?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?\.?$/i;

function isIPv6(s) {
	if (!/^[0-9a-f:.]+$/i.test(s) || !s.includes(':'))
		return false;
	try {
		new URL(`http://[${s}]/`);
		return true;
	} catch {
		return false;
	}
}

function isAddress(s) {
	return IPV4.test(s) || isIPv6(s);
}

function isPrefix(s) {
	const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
	if (!m)
		return false;
	const len = Number(m[2]);
	if (IPV4.test(m[1]))
		return len <= 32;
	return isIPv6(m[1]) && len <= 128;
}

// Each target kind: how it looks, how to ask for it, an example.
const KINDS = {
	address: {
		check: isAddress, explain: 'an IPv4 or IPv6 address', example: '1.0.4.1',
	},
	prefix: {
		check: isPrefix, explain: 'a prefix', example: '1.0.4.0/24',
	},
	hostname: {
		check: (s) => HOSTNAME.test(s), explain: 'a host name', example: 'a host name',
	},
	community: {
		check: (s) => COMMUNITY.test(s) || WELL_KNOWN.includes(s.toLowerCase()),
		explain: 'a community (65000:100), a large community (65000:1:2) or a well-known name',
		example: '65000:100, 65000:1:2 or no-export',
	},
	aspath: {
		check: (s) => ASPATH.test(s) && /\d/.test(s),
		explain: 'an AS-path regular expression of digits, spaces and _ ^ $ . * + ? ( ) [ ] | -',
		example: '_65010_ or ^64500_',
	},
};

// The query types lgwebd offers, by name; filled by setQueryTypes.
export const QUERIES = {};

function fromServer(t) {
	const kinds = (t.targets || []).map((k) => KINDS[k]).filter((k) => k);
	return {
		label: t.label || t.name,
		describe: t.description ? `${t.description}.` : '',
		afi: Boolean(t.afi),
		noTarget: kinds.length === 0,
		placeholder: kinds.map((k) => k.example).join(' or '),
		check: (s) => kinds.some((k) => k.check(s)),
		explain: kinds.length === 0 ? 'no target' :
		    kinds.map((k) => k.explain).join(' or '),
	};
}

// Takes the "query_types" rows of /api/v1/routers, in their order.
export function setQueryTypes(list) {
	for (const name of Object.keys(QUERIES))
		delete QUERIES[name];
	for (const t of list || [])
		if (t && typeof t.name === 'string')
			QUERIES[t.name] = fromServer(t);
}

// Returns "" when the target looks right, else a sentence saying why not.
export function targetHint(type, raw) {
	const q = QUERIES[type];
	const s = raw.trim();
	if (!q)
		return 'Choose a query.';
	if (q.noTarget)
		return '';
	if (s === '')
		return `Enter ${q.explain}.`;
	if (/[\u0000-\u001f\u007f;|`$&<>\\"']/.test(s) && type !== 'bgp_aspath')
		return 'The target contains characters that are never valid here.';
	if (!q.check(s))
		return `This does not look like ${q.explain}.`;
	return '';
}
