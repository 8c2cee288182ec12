// What each query type asks for, and inline hints for the target field.
// These hints only help the visitor: lgwebd and lgbrokerd validate every
// target again and are the only judges.

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

export const QUERIES = {
	bgp_route: {
		label: 'BGP route', placeholder: '1.0.4.0/24 or 2a00:1450::/32',
		describe: 'The BGP paths to an address or prefix.',
		check: (s) => isAddress(s) || isPrefix(s),
		explain: 'an IPv4 or IPv6 address or prefix',
	},
	route: {
		label: 'Route (RIB)', placeholder: '1.0.4.1',
		describe: 'The routing table entry used for an address.',
		check: (s) => isAddress(s) || isPrefix(s),
		explain: 'an IPv4 or IPv6 address or prefix',
	},
	bgp_community: {
		label: 'BGP community', placeholder: '65000:100, 65000:1:2 or no-export', afi: true,
		describe: 'Routes carrying a standard or large community.',
		check: (s) => COMMUNITY.test(s) || WELL_KNOWN.includes(s.toLowerCase()),
		explain: 'a community (65000:100), a large community (65000:1:2) or a well-known name',
	},
	bgp_aspath: {
		label: 'BGP AS path', placeholder: '_65010_ or ^64500_', afi: true,
		describe: 'Routes whose AS path matches a regular expression.',
		check: (s) => ASPATH.test(s) && /\d/.test(s),
		explain: 'an AS-path regular expression of digits, spaces and _ ^ $ . * + ? ( ) [ ] | -',
	},
	bgp_summary: {
		label: 'BGP summary', noTarget: true, afi: true,
		describe: 'The BGP sessions and their state.',
		check: (s) => s === '', explain: 'no target',
	},
	ping: {
		label: 'Ping', placeholder: '1.0.4.1 or a host name',
		describe: 'Round-trip times from the router.',
		check: (s) => isAddress(s) || HOSTNAME.test(s),
		explain: 'an IPv4 or IPv6 address or a host name',
	},
	traceroute: {
		label: 'Traceroute', placeholder: '1.0.4.1 or a host name',
		describe: 'The path from the router, hop by hop, as it is found.',
		check: (s) => isAddress(s) || HOSTNAME.test(s),
		explain: 'an IPv4 or IPv6 address or a host name',
	},
	bgp_neighbors: {
		label: 'BGP neighbor', placeholder: 'neighbor address',
		describe: 'One BGP session in detail.',
		check: (s) => isAddress(s), explain: 'an IPv4 or IPv6 address',
	},
};

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
