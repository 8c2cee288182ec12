/*
 * Copyright (c) 2026 The Lorgnette authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * validate.c: addresses, prefixes, hostnames, query types and afi, and
 * hostile input of every shape, against the built-in policy.  Tables of
 * rows run by validate_table.h; communities and AS paths have their own
 * files.  The policy rows for every special-purpose network (first, last
 * and neighbouring addresses, and each IPv6 form embedding an address of
 * it) were computed with an independent implementation (Python's
 * ipaddress module, whose teredo/sixtofour/ipv4_mapped properties decode
 * them) and are kept here as data.
 */

#include "validate_table.h"

#include <arpa/inet.h>
#include <stdlib.h>

/* Valid and invalid IPv4 addresses. */
static const struct vcase ipv4_cases[] = {
	OK(BGP_ROUTE, ANY, "8.8.8.8", "8.8.8.8"),
	OK(BGP_ROUTE, IPV4, "8.8.8.8", "8.8.8.8"),
	OK(ROUTE, ANY, "8.8.4.4", "8.8.4.4"),
	OK(ROUTE, IPV4, "1.1.1.1", "1.1.1.1"),
	OK(PING, ANY, "9.9.9.9", "9.9.9.9"),
	OK(PING, IPV4, "1.0.0.1", "1.0.0.1"),
	OK(TRACEROUTE, ANY, "193.0.14.129", "193.0.14.129"),
	OK(TRACEROUTE, IPV4, "223.255.255.254", "223.255.255.254"),
	OK(BGP_ROUTE, ANY, "1.2.3.4", "1.2.3.4"),
	OK(BGP_ROUTE, ANY, "11.22.33.44", "11.22.33.44"),
	OK(BGP_ROUTE, ANY, "100.200.100.100", "100.200.100.100"),
	DENY(BGP_ROUTE, ANY, "100.100.100.100", "target: 100.100.100.100 is in a forbidden network (100.64.0.0/10)"),
	OK(BGP_ROUTE, ANY, "199.7.83.42", "199.7.83.42"),
	OK(BGP_ROUTE, ANY, "1.0.0.0", "1.0.0.0"),
	OK(BGP_ROUTE, ANY, "45.0.0.255", "45.0.0.255"),
	BAD(BGP_ROUTE, ANY, "010.0.0.1", "'010.0.0.1': not a valid IPv4"),
	BAD(BGP_ROUTE, ANY, "01.2.3.4", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.2.3.04", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "8.8.8.08", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "00.0.0.0", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.1", "'1.1': not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.2.3", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "127.1", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.2.3.4.5", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "256.1.1.1", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.256.1.1", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.1.256.1", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.1.1.256", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "999.1.1.1", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.1.1.1000", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1..2.3", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, ".1.2.3.4", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.2.3.4.", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "...", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, ".", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "2130706433", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "017700000001", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "0x7f.0.0.1", "'x' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "0x7f000001", "'x' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "0X7F.0.0.1", "'X' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "1.2.3.4e0", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.2.3.a", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "1.2.3.-4", "'-' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "+1.2.3.4", "'+' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "1,2,3,4", "',' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, " 1.2.3.4", "a space is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "1.2.3.4 ", "a space is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "1.2. 3.4", "a space is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "1.2.3.4:80", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "[1.2.3.4]", "'[' is not allowed in an address"),
	BAD(BGP_ROUTE, IPV6, "8.8.8.8", "afi: ipv6 was asked for but the target is an IPv4 address"),
	BAD(ROUTE, IPV6, "8.8.8.8", "afi: ipv6 was asked for"),
	BAD(PING, IPV6, "8.8.8.8", "afi: ipv6 was asked for"),
	BAD(TRACEROUTE, IPV6, "1.1.1.1", "target is an IPv4 address"),
	BAD(PING, ANY, "1.2.3.4.5", "not a valid IPv4 address"),
	BAD(PING, ANY, "10.1", "not a valid IPv4 address"),
	BAD(PING, ANY, "127.1", "not a valid IPv4 address"),
	BAD(TRACEROUTE, ANY, "010.010.010.010", "not a valid IPv4 address"),
	BAD(PING, ANY, "2130706433", "not a valid IPv4 address"),
	BAD(PING, ANY, "0x7f.0.0.1", "all-numeric label"),
	BAD(PING, ANY, "0x7f000001", "IPv4 address in a non-standard form"),
	BAD(PING, ANY, "0xdeadbeef", "IPv4 address in a non-standard form"),
	BAD(TRACEROUTE, ANY, "0x7f.1", "all-numeric label"),
	BAD(PING, ANY, "0x7F000001", "non-standard form"),
};

/* IPv6 addresses: canonical text is inet_ntop's, whatever the input. */
static const struct vcase ipv6_cases[] = {
	OK(BGP_ROUTE, ANY, "2001:4860:4860::8888", "2001:4860:4860::8888"),
	OK(BGP_ROUTE, IPV6, "2001:4860:4860::8844", "2001:4860:4860::8844"),
	OK(BGP_ROUTE, ANY, "2001:4860:4860:0:0:0:0:8888", "2001:4860:4860::8888"),
	OK(BGP_ROUTE, ANY, "2001:4860:4860:0000:0000:0000:0000:8888", "2001:4860:4860::8888"),
	OK(BGP_ROUTE, ANY, "2001:4860:4860::0:8888", "2001:4860:4860::8888"),
	OK(BGP_ROUTE, ANY, "2001:4860:4860:0::8888", "2001:4860:4860::8888"),
	OK(BGP_ROUTE, ANY, "2001:4860:4860:0000::0000:8888", "2001:4860:4860::8888"),
	OK(BGP_ROUTE, ANY, "2001:4860:4860::8888", "2001:4860:4860::8888"),
	OK(BGP_ROUTE, ANY, "2001:4860:4860::88:8888", "2001:4860:4860::88:8888"),
	OK(ROUTE, ANY, "2A00:1450:4001:0829:0000:0000:0000:200E", "2a00:1450:4001:829::200e"),
	OK(ROUTE, IPV6, "2a00:1450:4001:829::200e", "2a00:1450:4001:829::200e"),
	OK(ROUTE, ANY, "2606:4700:4700::1111", "2606:4700:4700::1111"),
	OK(ROUTE, ANY, "2606:4700:4700:0:0:0:0:1001", "2606:4700:4700::1001"),
	OK(BGP_ROUTE, ANY, "2a03:2880:f10d:83:face:b00c:0:25de", "2a03:2880:f10d:83:face:b00c:0:25de"),
	OK(BGP_ROUTE, ANY, "2A03:2880:F10D:0083:FACE:B00C:0000:25DE", "2a03:2880:f10d:83:face:b00c:0:25de"),
	OK(BGP_ROUTE, ANY, "2001:500:2f::f", "2001:500:2f::f"),
	OK(BGP_ROUTE, ANY, "2001:7fe::53", "2001:7fe::53"),
	OK(BGP_ROUTE, ANY, "2620:fe::fe", "2620:fe::fe"),
	OK(BGP_ROUTE, ANY, "2620:0:ccc::2", "2620:0:ccc::2"),
	OK(BGP_ROUTE, ANY, "2a01:4f8:0:0:0:0:0:1", "2a01:4f8::1"),
	OK(BGP_ROUTE, ANY, "2a01:4f8:0:0:1:0:0:1", "2a01:4f8::1:0:0:1"),
	OK(BGP_ROUTE, ANY, "2a01:0:0:1:0:0:0:1", "2a01:0:0:1::1"),
	OK(BGP_ROUTE, ANY, "2a01:1:2:3:4:5:6:7", "2a01:1:2:3:4:5:6:7"),
	OK(BGP_ROUTE, ANY, "2a01:1:2:3:4:5:6::", "2a01:1:2:3:4:5:6:0"),
	OK(BGP_ROUTE, ANY, "2a01::", "2a01::"),
	OK(BGP_ROUTE, ANY, "2a0f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2a0f:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
	OK(PING, ANY, "2001:4860:4860::8888", "2001:4860:4860::8888"),
	OK(PING, IPV6, "2606:4700:4700::1111", "2606:4700:4700::1111"),
	OK(TRACEROUTE, ANY, "2001:0500:002f:0000:0000:0000:0000:000f", "2001:500:2f::f"),
	OK(TRACEROUTE, IPV6, "2620:FE::9", "2620:fe::9"),
	DENY(BGP_NEIGHBORS, ANY, "2001:7fe::53", "type: bgp_neighbors is not offered here"),
	OK(BGP_ROUTE, ANY, "::ffff:8.8.8.8", "::ffff:8.8.8.8"),
	OK(BGP_ROUTE, ANY, "::FFFF:808:808", "::ffff:8.8.8.8"),
	OK(BGP_ROUTE, ANY, "0:0:0:0:0:ffff:8.8.4.4", "::ffff:8.8.4.4"),
	OK(BGP_ROUTE, ANY, "64:ff9b::8.8.8.8", "64:ff9b::808:808"),
	OK(BGP_ROUTE, ANY, "64:ff9b::1.1.1.1", "64:ff9b::101:101"),
	OK(BGP_ROUTE, ANY, "2002:808:808::1", "2002:808:808::1"),
	OK(BGP_ROUTE, ANY, "2002:0808:0404:0000:0000:0000:0000:0001", "2002:808:404::1"),
	BAD(BGP_ROUTE, ANY, "2001:db8::1::1", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "2001:4860:4860:0:0:0:0:0:8888", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "2001:4860:4860::88888", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "2001:4860:4860:8888", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, ":2001:4860::1", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "2001:4860::1:", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "2001:4860:::1", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, ":::", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, ":", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "2001:486g::1", "'g' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "2001:4860::8888 ", "a space is not allowed"),
	BAD(BGP_ROUTE, ANY, "[2001:4860::8888]", "'[' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "::ffff:8.8.8", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "::ffff:08.8.8.8", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "::ffff:256.8.8.8", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "::ffff:8.8.8.8.8", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "2001:4860::8888.0", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "1:2:3:4:5:6:7:8:9", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "12345::1", "not a valid IPv6 address"),
	BAD(BGP_ROUTE, ANY, "fe80::1%eth0", "zone ids"),
	BAD(BGP_ROUTE, ANY, "fe80::1%25eth0", "zone ids"),
	BAD(PING, ANY, "fe80::1%1", "target: IPv6 zone ids"),
	BAD(TRACEROUTE, ANY, "2001:4860::8888%lo", "zone ids"),
	BAD(BGP_ROUTE, IPV4, "2001:4860::8888", "afi: ipv4 was asked for but the target is an IPv6 address"),
	BAD(PING, IPV4, "2606:4700:4700::1111", "afi: ipv4 was asked for"),
	BAD(BGP_ROUTE, IPV4, "2001:4860::/32", "target is an IPv6 prefix"),
	BAD(BGP_ROUTE, ANY, "http://[2001:4860::8888]/", "'h' is not allowed"),
	BAD(PING, ANY, "example.com:80", "'x' is not allowed in an address"),
	BAD(PING, ANY, "fe80::1:80:", "not a valid IPv6 address"),
};

/* Prefixes: host bits, lengths, the minimum, overlap with the policy. */
static const struct vcase prefix_cases[] = {
	OK(BGP_ROUTE, ANY, "8.8.8.0/24", "8.8.8.0/24"),
	OK(BGP_ROUTE, IPV4, "8.8.8.0/24", "8.8.8.0/24"),
	OK(ROUTE, ANY, "1.1.1.0/24", "1.1.1.0/24"),
	OK(BGP_ROUTE, ANY, "1.0.0.0/8", "1.0.0.0/8"),
	OK(BGP_ROUTE, ANY, "8.8.8.8/32", "8.8.8.8/32"),
	OK(BGP_ROUTE, ANY, "193.0.0.0/21", "193.0.0.0/21"),
	OK(BGP_ROUTE, ANY, "45.0.0.0/9", "45.0.0.0/9"),
	OK(BGP_ROUTE, ANY, "128.0.0.0/8", "128.0.0.0/8"),
	OK(BGP_ROUTE, ANY, "172.32.0.0/11", "172.32.0.0/11"),
	OK(BGP_ROUTE, ANY, "2001:4860::/32", "2001:4860::/32"),
	OK(BGP_ROUTE, IPV6, "2001:4860:4860::8888/128", "2001:4860:4860::8888/128"),
	OK(BGP_ROUTE, ANY, "2a00::/16", "2a00::/16"),
	OK(BGP_ROUTE, ANY, "2a00:1450::/29", "2a00:1450::/29"),
	OK(ROUTE, ANY, "2606:4700::/32", "2606:4700::/32"),
	OK(ROUTE, ANY, "2001:4860:0:0::/32", "2001:4860::/32"),
	OK(ROUTE, ANY, "2A00:1450:0000::/32", "2a00:1450::/32"),
	OK(BGP_ROUTE, ANY, "2002:808:800::/40", "2002:808:800::/40"),
	OK(BGP_ROUTE, ANY, "64:ff9b::808:800/120", "64:ff9b::808:800/120"),
	OK(BGP_ROUTE, ANY, "::ffff:808:800/120", "::ffff:8.8.8.0/120"),
	OK(BGP_ROUTE, ANY, "2001:200::/23", "2001:200::/23"),
	OK(BGP_ROUTE, ANY, "3001::/16", "3001::/16"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8/24", "target: 8.8.8.8/24 has host bits set; did you mean 8.8.8.0/24?"),
	BAD(BGP_ROUTE, ANY, "192.0.2.1/24", "did you mean 192.0.2.0/24?"),
	BAD(BGP_ROUTE, ANY, "1.2.3.4/8", "did you mean 1.0.0.0/8?"),
	BAD(ROUTE, ANY, "8.8.8.1/31", "did you mean 8.8.8.0/31?"),
	BAD(BGP_ROUTE, ANY, "2001:4860::1/32", "did you mean 2001:4860::/32?"),
	BAD(BGP_ROUTE, ANY, "2001:4860:4860::8888/64", "did you mean 2001:4860:4860::/64?"),
	BAD(ROUTE, ANY, "2a00:1451::/29", "did you mean 2a00:1450::/29?"),
	BAD(BGP_ROUTE, ANY, "8.0.0.0/7", "target: prefix length /7 is shorter than the minimum /8 for IPv4"),
	BAD(BGP_ROUTE, ANY, "0.0.0.0/0", "prefix length /0 is shorter than the minimum /8 for IPv4"),
	BAD(ROUTE, ANY, "0.0.0.0/1", "/1 is shorter than the minimum /8"),
	BAD(ROUTE, ANY, "128.0.0.0/1", "/1 is shorter than the minimum /8"),
	BAD(BGP_ROUTE, ANY, "::/0", "prefix length /0 is shorter than the minimum /16 for IPv6"),
	BAD(BGP_ROUTE, ANY, "2000::/3", "/3 is shorter than the minimum /16 for IPv6"),
	BAD(BGP_ROUTE, ANY, "2a00::/15", "/15 is shorter than the minimum /16"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/33", "prefix length /33 is out of range for IPv4 (0-32)"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/99", "out of range for IPv4"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/999", "out of range for IPv4"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/1000", "prefix length must be a decimal number"),
	BAD(BGP_ROUTE, ANY, "2001:4860::/129", "prefix length /129 is out of range for IPv6 (0-128)"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/", "prefix length must be"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/024", "without leading zeros"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/00", "without leading zeros"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/24/24", "prefix length must be a decimal number"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/2a", "prefix length must be a decimal number"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/-1", "'-' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/+24", "'+' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/ 24", "a space is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0 /24", "a space is not allowed"),
	BAD(BGP_ROUTE, ANY, "/24", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "8.8.8/24", "not a valid IPv4 address"),
	BAD(BGP_ROUTE, ANY, "8.8.8.0/255.255.255.0", "prefix length must be a decimal number"),
	BAD(BGP_ROUTE, ANY, "2001:4860::/0x20", "'x' is not allowed"),
	BAD(PING, ANY, "8.8.8.0/24", "target: ping takes an address or a hostname, not a prefix"),
	BAD(TRACEROUTE, ANY, "2001:4860::/32", "traceroute takes an address or a hostname, not a prefix"),
	DENY(BGP_NEIGHBORS, ANY, "8.8.8.0/24", "bgp_neighbors is not offered here"),
	BAD(PING, ANY, "8.8.8.8/32", "not a prefix"),
	DENY(BGP_ROUTE, ANY, "10.1.0.0/16", "target: 10.1.0.0/16 is in a forbidden network (10.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "10.0.0.0/8", "target: 10.0.0.0/8 is in a forbidden network (10.0.0.0/8)"),
	DENY(ROUTE, ANY, "192.168.1.0/24", "is in a forbidden network (192.168.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "172.20.0.0/14", "is in a forbidden network (172.16.0.0/12)"),
	DENY(BGP_ROUTE, ANY, "224.0.0.0/8", "is in a forbidden network (224.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "172.0.0.0/8", "target: 172.0.0.0/8 covers a forbidden network (172.16.0.0/12)"),
	DENY(BGP_ROUTE, ANY, "192.0.0.0/8", "192.0.0.0/8 covers a forbidden network (192.0.0.0/24)"),
	DENY(BGP_ROUTE, ANY, "198.0.0.0/8", "covers a forbidden network (198.18.0.0/15)"),
	DENY(ROUTE, ANY, "100.0.0.0/8", "covers a forbidden network (100.64.0.0/10)"),
	DENY(ROUTE, ANY, "169.0.0.0/8", "covers a forbidden network (169.254.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "203.0.0.0/16", "covers a forbidden network (203.0.113.0/24)"),
	DENY(BGP_ROUTE, ANY, "192.88.0.0/16", "covers a forbidden network (192.88.99.0/24)"),
	DENY(BGP_ROUTE, ANY, "255.0.0.0/8", "covers a forbidden network (255.255.255.255/32)"),
	DENY(BGP_ROUTE, ANY, "241.0.0.0/8", "is in a forbidden network (240.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "2001:db8:1::/48", "is in a forbidden network (2001:db8::/32)"),
	DENY(BGP_ROUTE, ANY, "2001:c00::/22", "target: 2001:c00::/22 covers a forbidden network (2001:db8::/32)"),
	BAD(BGP_ROUTE, ANY, "2001:d00::/20", "did you mean 2001::/20?"),
	DENY(BGP_ROUTE, ANY, "2001::/16", "(Teredo server), covering a forbidden network"),
	DENY(BGP_ROUTE, ANY, "2001:100::/24", "is in a forbidden network (2001::/23)"),
	DENY(BGP_ROUTE, ANY, "fc00::/16", "is in a forbidden network (fc00::/7)"),
	BAD(BGP_ROUTE, ANY, "fd00::/8", "target: prefix length /8 is shorter than the minimum /16"),
	DENY(BGP_ROUTE, ANY, "fe80::/64", "is in a forbidden network (fe80::/10)"),
	DENY(BGP_ROUTE, ANY, "ff02::/16", "is in a forbidden network (ff00::/8)"),
	DENY(ROUTE, ANY, "3fff:100::/24", "is in a forbidden network (3fff::/20)"),
	DENY(ROUTE, ANY, "2002::/16", "2002::/16 embeds 0.0.0.0/0 (6to4), covering a forbidden network (0.0.0.0/8)"),
	DENY(ROUTE, ANY, "2002:a00::/24", "embeds 10.0.0.0/8 (6to4), in a forbidden network (10.0.0.0/8)"),
	DENY(ROUTE, ANY, "2002:800::/21", "embeds 8.0.0.0/5 (6to4), covering a forbidden network (10.0.0.0/8)"),
	DENY(ROUTE, ANY, "2002:c0a8:100::/40", "embeds 192.168.1.0/24 (6to4), in a forbidden network (192.168.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::/96", "embeds 0.0.0.0/0 (NAT64), covering"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::a00:0/104", "embeds 10.0.0.0/8 (NAT64), in a forbidden network (10.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "::ffff:0:0/96", "(IPv4-mapped), covering a forbidden network"),
	DENY(BGP_ROUTE, ANY, "::ffff:a9fe:0/112", "embeds 169.254.0.0/16 (IPv4-mapped), in a forbidden network (169.254.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "::/16", "covering a forbidden network"),
	DENY(BGP_ROUTE, ANY, "2001::/32", "(Teredo server), covering a forbidden network"),
	DENY(BGP_ROUTE, ANY, "2001:0:808:808::/64", "(Teredo client), covering a forbidden network"),
};

/* Every special-purpose network: edges, neighbours, embedded forms. */
static const struct vcase policy_cases[] = {
	DENY(BGP_ROUTE, ANY, "0.0.0.0", "target: 0.0.0.0 is in a forbidden network (0.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "0.255.255.255", "target: 0.255.255.255 is in a forbidden network (0.0.0.0/8)"),
	OK(BGP_ROUTE, ANY, "1.0.0.0", "1.0.0.0"),
	DENY(BGP_ROUTE, ANY, "10.0.0.0", "target: 10.0.0.0 is in a forbidden network (10.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "10.255.255.255", "target: 10.255.255.255 is in a forbidden network (10.0.0.0/8)"),
	OK(BGP_ROUTE, ANY, "9.255.255.255", "9.255.255.255"),
	OK(BGP_ROUTE, ANY, "11.0.0.0", "11.0.0.0"),
	DENY(BGP_ROUTE, ANY, "100.64.0.0", "target: 100.64.0.0 is in a forbidden network (100.64.0.0/10)"),
	DENY(BGP_ROUTE, ANY, "100.127.255.255", "target: 100.127.255.255 is in a forbidden network (100.64.0.0/10)"),
	OK(BGP_ROUTE, ANY, "100.63.255.255", "100.63.255.255"),
	OK(BGP_ROUTE, ANY, "100.128.0.0", "100.128.0.0"),
	DENY(BGP_ROUTE, ANY, "127.0.0.0", "target: 127.0.0.0 is in a forbidden network (127.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "127.255.255.255", "target: 127.255.255.255 is in a forbidden network (127.0.0.0/8)"),
	OK(BGP_ROUTE, ANY, "126.255.255.255", "126.255.255.255"),
	OK(BGP_ROUTE, ANY, "128.0.0.0", "128.0.0.0"),
	DENY(BGP_ROUTE, ANY, "169.254.0.0", "target: 169.254.0.0 is in a forbidden network (169.254.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "169.254.255.255", "target: 169.254.255.255 is in a forbidden network (169.254.0.0/16)"),
	OK(BGP_ROUTE, ANY, "169.253.255.255", "169.253.255.255"),
	OK(BGP_ROUTE, ANY, "169.255.0.0", "169.255.0.0"),
	DENY(BGP_ROUTE, ANY, "172.16.0.0", "target: 172.16.0.0 is in a forbidden network (172.16.0.0/12)"),
	DENY(BGP_ROUTE, ANY, "172.31.255.255", "target: 172.31.255.255 is in a forbidden network (172.16.0.0/12)"),
	OK(BGP_ROUTE, ANY, "172.15.255.255", "172.15.255.255"),
	OK(BGP_ROUTE, ANY, "172.32.0.0", "172.32.0.0"),
	DENY(BGP_ROUTE, ANY, "192.0.0.0", "target: 192.0.0.0 is in a forbidden network (192.0.0.0/24)"),
	DENY(BGP_ROUTE, ANY, "192.0.0.255", "target: 192.0.0.255 is in a forbidden network (192.0.0.0/24)"),
	OK(BGP_ROUTE, ANY, "191.255.255.255", "191.255.255.255"),
	OK(BGP_ROUTE, ANY, "192.0.1.0", "192.0.1.0"),
	DENY(BGP_ROUTE, ANY, "192.0.2.0", "target: 192.0.2.0 is in a forbidden network (192.0.2.0/24)"),
	DENY(BGP_ROUTE, ANY, "192.0.2.255", "target: 192.0.2.255 is in a forbidden network (192.0.2.0/24)"),
	OK(BGP_ROUTE, ANY, "192.0.1.255", "192.0.1.255"),
	OK(BGP_ROUTE, ANY, "192.0.3.0", "192.0.3.0"),
	DENY(BGP_ROUTE, ANY, "192.88.99.0", "target: 192.88.99.0 is in a forbidden network (192.88.99.0/24)"),
	DENY(BGP_ROUTE, ANY, "192.88.99.255", "target: 192.88.99.255 is in a forbidden network (192.88.99.0/24)"),
	OK(BGP_ROUTE, ANY, "192.88.98.255", "192.88.98.255"),
	OK(BGP_ROUTE, ANY, "192.88.100.0", "192.88.100.0"),
	DENY(BGP_ROUTE, ANY, "192.168.0.0", "target: 192.168.0.0 is in a forbidden network (192.168.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "192.168.255.255", "target: 192.168.255.255 is in a forbidden network (192.168.0.0/16)"),
	OK(BGP_ROUTE, ANY, "192.167.255.255", "192.167.255.255"),
	OK(BGP_ROUTE, ANY, "192.169.0.0", "192.169.0.0"),
	DENY(BGP_ROUTE, ANY, "198.18.0.0", "target: 198.18.0.0 is in a forbidden network (198.18.0.0/15)"),
	DENY(BGP_ROUTE, ANY, "198.19.255.255", "target: 198.19.255.255 is in a forbidden network (198.18.0.0/15)"),
	OK(BGP_ROUTE, ANY, "198.17.255.255", "198.17.255.255"),
	OK(BGP_ROUTE, ANY, "198.20.0.0", "198.20.0.0"),
	DENY(BGP_ROUTE, ANY, "198.51.100.0", "target: 198.51.100.0 is in a forbidden network (198.51.100.0/24)"),
	DENY(BGP_ROUTE, ANY, "198.51.100.255", "target: 198.51.100.255 is in a forbidden network (198.51.100.0/24)"),
	OK(BGP_ROUTE, ANY, "198.51.99.255", "198.51.99.255"),
	OK(BGP_ROUTE, ANY, "198.51.101.0", "198.51.101.0"),
	DENY(BGP_ROUTE, ANY, "203.0.113.0", "target: 203.0.113.0 is in a forbidden network (203.0.113.0/24)"),
	DENY(BGP_ROUTE, ANY, "203.0.113.255", "target: 203.0.113.255 is in a forbidden network (203.0.113.0/24)"),
	OK(BGP_ROUTE, ANY, "203.0.112.255", "203.0.112.255"),
	OK(BGP_ROUTE, ANY, "203.0.114.0", "203.0.114.0"),
	DENY(BGP_ROUTE, ANY, "224.0.0.0", "target: 224.0.0.0 is in a forbidden network (224.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "239.255.255.255", "target: 239.255.255.255 is in a forbidden network (224.0.0.0/4)"),
	OK(BGP_ROUTE, ANY, "223.255.255.255", "223.255.255.255"),
	DENY(BGP_ROUTE, ANY, "255.255.255.255", "target: 255.255.255.255 is in a forbidden network (255.255.255.255/32)"),
	DENY(BGP_ROUTE, ANY, "240.0.0.0", "target: 240.0.0.0 is in a forbidden network (240.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "::", "target: :: is in a forbidden network (::/128)"),
	DENY(BGP_ROUTE, ANY, "::1", "target: ::1 is in a forbidden network (::1/128)"),
	DENY(BGP_ROUTE, ANY, "100::", "target: 100:: is in a forbidden network (100::/64)"),
	DENY(BGP_ROUTE, ANY, "100::ffff:ffff:ffff:ffff", "target: 100::ffff:ffff:ffff:ffff is in a forbidden network (100::/64)"),
	DENY(BGP_ROUTE, ANY, "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "target: 2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff is in a forbidden network (2001::/23)"),
	DENY(BGP_ROUTE, ANY, "2001:db8::", "target: 2001:db8:: is in a forbidden network (2001:db8::/32)"),
	DENY(BGP_ROUTE, ANY, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "target: 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff is in a forbidden network (2001:db8::/32)"),
	DENY(BGP_ROUTE, ANY, "3fff::", "target: 3fff:: is in a forbidden network (3fff::/20)"),
	DENY(BGP_ROUTE, ANY, "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "target: 3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff is in a forbidden network (3fff::/20)"),
	DENY(BGP_ROUTE, ANY, "fc00::", "target: fc00:: is in a forbidden network (fc00::/7)"),
	DENY(BGP_ROUTE, ANY, "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "target: fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff is in a forbidden network (fc00::/7)"),
	DENY(BGP_ROUTE, ANY, "fe80::", "target: fe80:: is in a forbidden network (fe80::/10)"),
	DENY(BGP_ROUTE, ANY, "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "target: febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff is in a forbidden network (fe80::/10)"),
	DENY(BGP_ROUTE, ANY, "fec0::", "target: fec0:: is in a forbidden network (fec0::/10)"),
	DENY(BGP_ROUTE, ANY, "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "target: feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff is in a forbidden network (fec0::/10)"),
	DENY(BGP_ROUTE, ANY, "ff00::", "target: ff00:: is in a forbidden network (ff00::/8)"),
	DENY(BGP_ROUTE, ANY, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "target: ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff is in a forbidden network (ff00::/8)"),
	DENY(BGP_ROUTE, ANY, "::ffff:0:5", "embeds 0.0.0.5 (IPv4-mapped), in a forbidden network (0.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "::5", "embeds 0.0.0.5 (IPv4-compatible), in a forbidden network (0.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::5", "embeds 0.0.0.5 (NAT64), in a forbidden network (0.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "2002:0:5::1", "embeds 0.0.0.5 (6to4), in a forbidden network (0.0.0.0/8)"),
	DENY(PING, ANY, "2001:0000:0000:0005:8000:ffff:bec9:1c87", "embeds 0.0.0.5 (Teredo server), in a forbidden network (0.0.0.0/8)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:ffff:fffa", "embeds 0.0.0.5 (Teredo client), in a forbidden network (0.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "::ffff:a00:5", "embeds 10.0.0.5 (IPv4-mapped), in a forbidden network (10.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "::a00:5", "embeds 10.0.0.5 (IPv4-compatible), in a forbidden network (10.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::a00:5", "embeds 10.0.0.5 (NAT64), in a forbidden network (10.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "2002:a00:5::1", "embeds 10.0.0.5 (6to4), in a forbidden network (10.0.0.0/8)"),
	DENY(PING, ANY, "2001:0000:0a00:0005:8000:ffff:bec9:1c87", "embeds 10.0.0.5 (Teredo server), in a forbidden network (10.0.0.0/8)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:f5ff:fffa", "embeds 10.0.0.5 (Teredo client), in a forbidden network (10.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "::ffff:6440:5", "embeds 100.64.0.5 (IPv4-mapped), in a forbidden network (100.64.0.0/10)"),
	DENY(BGP_ROUTE, ANY, "::6440:5", "embeds 100.64.0.5 (IPv4-compatible), in a forbidden network (100.64.0.0/10)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::6440:5", "embeds 100.64.0.5 (NAT64), in a forbidden network (100.64.0.0/10)"),
	DENY(BGP_ROUTE, ANY, "2002:6440:5::1", "embeds 100.64.0.5 (6to4), in a forbidden network (100.64.0.0/10)"),
	DENY(PING, ANY, "2001:0000:6440:0005:8000:ffff:bec9:1c87", "embeds 100.64.0.5 (Teredo server), in a forbidden network (100.64.0.0/10)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:9bbf:fffa", "embeds 100.64.0.5 (Teredo client), in a forbidden network (100.64.0.0/10)"),
	DENY(BGP_ROUTE, ANY, "::ffff:7f00:5", "embeds 127.0.0.5 (IPv4-mapped), in a forbidden network (127.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "::7f00:5", "embeds 127.0.0.5 (IPv4-compatible), in a forbidden network (127.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::7f00:5", "embeds 127.0.0.5 (NAT64), in a forbidden network (127.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "2002:7f00:5::1", "embeds 127.0.0.5 (6to4), in a forbidden network (127.0.0.0/8)"),
	DENY(PING, ANY, "2001:0000:7f00:0005:8000:ffff:bec9:1c87", "embeds 127.0.0.5 (Teredo server), in a forbidden network (127.0.0.0/8)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:80ff:fffa", "embeds 127.0.0.5 (Teredo client), in a forbidden network (127.0.0.0/8)"),
	DENY(BGP_ROUTE, ANY, "::ffff:a9fe:5", "embeds 169.254.0.5 (IPv4-mapped), in a forbidden network (169.254.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "::a9fe:5", "embeds 169.254.0.5 (IPv4-compatible), in a forbidden network (169.254.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::a9fe:5", "embeds 169.254.0.5 (NAT64), in a forbidden network (169.254.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "2002:a9fe:5::1", "embeds 169.254.0.5 (6to4), in a forbidden network (169.254.0.0/16)"),
	DENY(PING, ANY, "2001:0000:a9fe:0005:8000:ffff:bec9:1c87", "embeds 169.254.0.5 (Teredo server), in a forbidden network (169.254.0.0/16)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:5601:fffa", "embeds 169.254.0.5 (Teredo client), in a forbidden network (169.254.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "::ffff:ac10:5", "embeds 172.16.0.5 (IPv4-mapped), in a forbidden network (172.16.0.0/12)"),
	DENY(BGP_ROUTE, ANY, "::ac10:5", "embeds 172.16.0.5 (IPv4-compatible), in a forbidden network (172.16.0.0/12)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::ac10:5", "embeds 172.16.0.5 (NAT64), in a forbidden network (172.16.0.0/12)"),
	DENY(BGP_ROUTE, ANY, "2002:ac10:5::1", "embeds 172.16.0.5 (6to4), in a forbidden network (172.16.0.0/12)"),
	DENY(PING, ANY, "2001:0000:ac10:0005:8000:ffff:bec9:1c87", "embeds 172.16.0.5 (Teredo server), in a forbidden network (172.16.0.0/12)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:53ef:fffa", "embeds 172.16.0.5 (Teredo client), in a forbidden network (172.16.0.0/12)"),
	DENY(BGP_ROUTE, ANY, "::ffff:c000:5", "embeds 192.0.0.5 (IPv4-mapped), in a forbidden network (192.0.0.0/24)"),
	DENY(BGP_ROUTE, ANY, "::c000:5", "embeds 192.0.0.5 (IPv4-compatible), in a forbidden network (192.0.0.0/24)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::c000:5", "embeds 192.0.0.5 (NAT64), in a forbidden network (192.0.0.0/24)"),
	DENY(BGP_ROUTE, ANY, "2002:c000:5::1", "embeds 192.0.0.5 (6to4), in a forbidden network (192.0.0.0/24)"),
	DENY(PING, ANY, "2001:0000:c000:0005:8000:ffff:bec9:1c87", "embeds 192.0.0.5 (Teredo server), in a forbidden network (192.0.0.0/24)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:3fff:fffa", "embeds 192.0.0.5 (Teredo client), in a forbidden network (192.0.0.0/24)"),
	DENY(BGP_ROUTE, ANY, "::ffff:c000:205", "embeds 192.0.2.5 (IPv4-mapped), in a forbidden network (192.0.2.0/24)"),
	DENY(BGP_ROUTE, ANY, "::c000:205", "embeds 192.0.2.5 (IPv4-compatible), in a forbidden network (192.0.2.0/24)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::c000:205", "embeds 192.0.2.5 (NAT64), in a forbidden network (192.0.2.0/24)"),
	DENY(BGP_ROUTE, ANY, "2002:c000:205::1", "embeds 192.0.2.5 (6to4), in a forbidden network (192.0.2.0/24)"),
	DENY(PING, ANY, "2001:0000:c000:0205:8000:ffff:bec9:1c87", "embeds 192.0.2.5 (Teredo server), in a forbidden network (192.0.2.0/24)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:3fff:fdfa", "embeds 192.0.2.5 (Teredo client), in a forbidden network (192.0.2.0/24)"),
	DENY(BGP_ROUTE, ANY, "::ffff:c058:6305", "embeds 192.88.99.5 (IPv4-mapped), in a forbidden network (192.88.99.0/24)"),
	DENY(BGP_ROUTE, ANY, "::c058:6305", "embeds 192.88.99.5 (IPv4-compatible), in a forbidden network (192.88.99.0/24)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::c058:6305", "embeds 192.88.99.5 (NAT64), in a forbidden network (192.88.99.0/24)"),
	DENY(BGP_ROUTE, ANY, "2002:c058:6305::1", "embeds 192.88.99.5 (6to4), in a forbidden network (192.88.99.0/24)"),
	DENY(PING, ANY, "2001:0000:c058:6305:8000:ffff:bec9:1c87", "embeds 192.88.99.5 (Teredo server), in a forbidden network (192.88.99.0/24)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:3fa7:9cfa", "embeds 192.88.99.5 (Teredo client), in a forbidden network (192.88.99.0/24)"),
	DENY(BGP_ROUTE, ANY, "::ffff:c0a8:5", "embeds 192.168.0.5 (IPv4-mapped), in a forbidden network (192.168.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "::c0a8:5", "embeds 192.168.0.5 (IPv4-compatible), in a forbidden network (192.168.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::c0a8:5", "embeds 192.168.0.5 (NAT64), in a forbidden network (192.168.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "2002:c0a8:5::1", "embeds 192.168.0.5 (6to4), in a forbidden network (192.168.0.0/16)"),
	DENY(PING, ANY, "2001:0000:c0a8:0005:8000:ffff:bec9:1c87", "embeds 192.168.0.5 (Teredo server), in a forbidden network (192.168.0.0/16)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:3f57:fffa", "embeds 192.168.0.5 (Teredo client), in a forbidden network (192.168.0.0/16)"),
	DENY(BGP_ROUTE, ANY, "::ffff:c612:5", "embeds 198.18.0.5 (IPv4-mapped), in a forbidden network (198.18.0.0/15)"),
	DENY(BGP_ROUTE, ANY, "::c612:5", "embeds 198.18.0.5 (IPv4-compatible), in a forbidden network (198.18.0.0/15)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::c612:5", "embeds 198.18.0.5 (NAT64), in a forbidden network (198.18.0.0/15)"),
	DENY(BGP_ROUTE, ANY, "2002:c612:5::1", "embeds 198.18.0.5 (6to4), in a forbidden network (198.18.0.0/15)"),
	DENY(PING, ANY, "2001:0000:c612:0005:8000:ffff:bec9:1c87", "embeds 198.18.0.5 (Teredo server), in a forbidden network (198.18.0.0/15)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:39ed:fffa", "embeds 198.18.0.5 (Teredo client), in a forbidden network (198.18.0.0/15)"),
	DENY(BGP_ROUTE, ANY, "::ffff:c633:6405", "embeds 198.51.100.5 (IPv4-mapped), in a forbidden network (198.51.100.0/24)"),
	DENY(BGP_ROUTE, ANY, "::c633:6405", "embeds 198.51.100.5 (IPv4-compatible), in a forbidden network (198.51.100.0/24)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::c633:6405", "embeds 198.51.100.5 (NAT64), in a forbidden network (198.51.100.0/24)"),
	DENY(BGP_ROUTE, ANY, "2002:c633:6405::1", "embeds 198.51.100.5 (6to4), in a forbidden network (198.51.100.0/24)"),
	DENY(PING, ANY, "2001:0000:c633:6405:8000:ffff:bec9:1c87", "embeds 198.51.100.5 (Teredo server), in a forbidden network (198.51.100.0/24)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:39cc:9bfa", "embeds 198.51.100.5 (Teredo client), in a forbidden network (198.51.100.0/24)"),
	DENY(BGP_ROUTE, ANY, "::ffff:cb00:7105", "embeds 203.0.113.5 (IPv4-mapped), in a forbidden network (203.0.113.0/24)"),
	DENY(BGP_ROUTE, ANY, "::cb00:7105", "embeds 203.0.113.5 (IPv4-compatible), in a forbidden network (203.0.113.0/24)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::cb00:7105", "embeds 203.0.113.5 (NAT64), in a forbidden network (203.0.113.0/24)"),
	DENY(BGP_ROUTE, ANY, "2002:cb00:7105::1", "embeds 203.0.113.5 (6to4), in a forbidden network (203.0.113.0/24)"),
	DENY(PING, ANY, "2001:0000:cb00:7105:8000:ffff:bec9:1c87", "embeds 203.0.113.5 (Teredo server), in a forbidden network (203.0.113.0/24)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:34ff:8efa", "embeds 203.0.113.5 (Teredo client), in a forbidden network (203.0.113.0/24)"),
	DENY(BGP_ROUTE, ANY, "::ffff:e000:5", "embeds 224.0.0.5 (IPv4-mapped), in a forbidden network (224.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "::e000:5", "embeds 224.0.0.5 (IPv4-compatible), in a forbidden network (224.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::e000:5", "embeds 224.0.0.5 (NAT64), in a forbidden network (224.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "2002:e000:5::1", "embeds 224.0.0.5 (6to4), in a forbidden network (224.0.0.0/4)"),
	DENY(PING, ANY, "2001:0000:e000:0005:8000:ffff:bec9:1c87", "embeds 224.0.0.5 (Teredo server), in a forbidden network (224.0.0.0/4)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:1fff:fffa", "embeds 224.0.0.5 (Teredo client), in a forbidden network (224.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "::ffff:ffff:ffff", "embeds 255.255.255.255 (IPv4-mapped), in a forbidden network (255.255.255.255/32)"),
	DENY(BGP_ROUTE, ANY, "::ffff:ffff", "embeds 255.255.255.255 (IPv4-compatible), in a forbidden network (255.255.255.255/32)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::ffff:ffff", "embeds 255.255.255.255 (NAT64), in a forbidden network (255.255.255.255/32)"),
	DENY(BGP_ROUTE, ANY, "2002:ffff:ffff::1", "embeds 255.255.255.255 (6to4), in a forbidden network (255.255.255.255/32)"),
	DENY(PING, ANY, "2001:0000:ffff:ffff:8000:ffff:bec9:1c87", "embeds 255.255.255.255 (Teredo server), in a forbidden network (255.255.255.255/32)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:0000:0000", "embeds 255.255.255.255 (Teredo client), in a forbidden network (255.255.255.255/32)"),
	DENY(BGP_ROUTE, ANY, "::ffff:f000:5", "embeds 240.0.0.5 (IPv4-mapped), in a forbidden network (240.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "::f000:5", "embeds 240.0.0.5 (IPv4-compatible), in a forbidden network (240.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b::f000:5", "embeds 240.0.0.5 (NAT64), in a forbidden network (240.0.0.0/4)"),
	DENY(BGP_ROUTE, ANY, "2002:f000:5::1", "embeds 240.0.0.5 (6to4), in a forbidden network (240.0.0.0/4)"),
	DENY(PING, ANY, "2001:0000:f000:0005:8000:ffff:bec9:1c87", "embeds 240.0.0.5 (Teredo server), in a forbidden network (240.0.0.0/4)"),
	DENY(PING, ANY, "2001:0000:4136:e378:0000:0000:0fff:fffa", "embeds 240.0.0.5 (Teredo client), in a forbidden network (240.0.0.0/4)"),
	OK(BGP_ROUTE, ANY, "::ffff:8.8.8.8", "::ffff:8.8.8.8"),
	OK(BGP_ROUTE, ANY, "64:ff9b::8.8.8.8", "64:ff9b::808:808"),
	OK(BGP_ROUTE, ANY, "2002:808:808::1", "2002:808:808::1"),
	DENY(BGP_ROUTE, ANY, "::8.8.8.8", "target: ::8.8.8.8 is in a forbidden network (::/96)"),
	DENY(BGP_ROUTE, ANY, "2001:0:4136:e378::f7f7:f7f7", "is in a forbidden network (2001::/23)"),
	DENY(BGP_ROUTE, ANY, "64:ff9b:1:ffff::808:808", "target: 64:ff9b:1:ffff::808:808 is in a forbidden network (64:ff9b:1::/48)"),
	DENY(BGP_ROUTE, ANY, "2001:0:808:808::f7f7:f7f7", "target: 2001:0:808:808::f7f7:f7f7 is in a forbidden network (2001::/23)"),
	OK(BGP_ROUTE, ANY, "2001:200::1", "2001:200::1"),
	OK(BGP_ROUTE, ANY, "2001:db7:ffff::1", "2001:db7:ffff::1"),
	OK(BGP_ROUTE, ANY, "2001:db9::1", "2001:db9::1"),
	OK(BGP_ROUTE, ANY, "fbff:ffff::1", "fbff:ffff::1"),
	OK(BGP_ROUTE, ANY, "fe00::1", "fe00::1"),
	OK(BGP_ROUTE, ANY, "3ffe::1", "3ffe::1"),
	OK(BGP_ROUTE, ANY, "4000::1", "4000::1"),
	OK(BGP_ROUTE, ANY, "64:ff9b:2::1", "64:ff9b:2::1"),
	OK(BGP_ROUTE, ANY, "100:0:0:1::1", "100:0:0:1::1"),
	OK(BGP_ROUTE, ANY, "::2:0:0", "::2:0:0"),
	OK(BGP_ROUTE, ANY, "::fffe:808:808", "::fffe:808:808"),
	DENY(BGP_ROUTE, ANY, "::ffff:10.0.0.1", "target: ::ffff:10.0.0.1 embeds 10.0.0.1 (IPv4-mapped), in a forbidden network (10.0.0.0/8)"),
	DENY(PING, ANY, "::ffff:127.0.0.1", "embeds 127.0.0.1 (IPv4-mapped), in a forbidden network (127.0.0.0/8)"),
	DENY(TRACEROUTE, ANY, "::ffff:192.168.1.1", "embeds 192.168.1.1 (IPv4-mapped)"),
	DENY(PING, IPV6, "::ffff:169.254.169.254", "embeds 169.254.169.254 (IPv4-mapped), in a forbidden network (169.254.0.0/16)"),
	DENY(PING, ANY, "0:0:0:0:0:ffff:7f00:1", "target: ::ffff:127.0.0.1 embeds 127.0.0.1"),
	DENY(PING, ANY, "64:ff9b::127.0.0.1", "target: 64:ff9b::7f00:1 embeds 127.0.0.1 (NAT64)"),
	DENY(PING, ANY, "64:ff9b::10.1.2.3", "embeds 10.1.2.3 (NAT64), in a forbidden network (10.0.0.0/8)"),
	DENY(PING, ANY, "64:ff9b:1::a00:1", "embeds 10.0.0.1 (local-use NAT64), in a forbidden network (10.0.0.0/8)"),
	DENY(PING, ANY, "64:ff9b:1::808:808", "is in a forbidden network (64:ff9b:1::/48)"),
	DENY(PING, ANY, "2002:7f00:1::", "embeds 127.0.0.1 (6to4)"),
	DENY(PING, ANY, "2002:c0a8:0101:1:2:3:4:5", "embeds 192.168.1.1 (6to4)"),
	DENY(PING, ANY, "::127.0.0.1", "embeds 127.0.0.1 (IPv4-compatible)"),
	DENY(PING, ANY, "::0.0.0.1", "target: ::1 is in a forbidden network (::1/128)"),
	DENY(PING, ANY, "::0.0.0.0", "target: :: is in a forbidden network (::/128)"),
	DENY(PING, ANY, "::0.0.0.2", "embeds 0.0.0.2 (IPv4-compatible), in a forbidden network (0.0.0.0/8)"),
	DENY(PING, ANY, "2001:0:4136:e378:8000:63bf:f5ff:fffe", "embeds 10.0.0.1 (Teredo client), in a forbidden network (10.0.0.0/8)"),
	DENY(PING, ANY, "2001:0:c0a8:0101:8000:63bf:bec9:1c87", "embeds 192.168.1.1 (Teredo server)"),
	DENY(PING, ANY, "2001:0:4136:e378:8000:63bf:f7f7:f7f7", "is in a forbidden network (2001::/23)"),
};

/*
 * Hostile input: command separators, pipes, option injection, quotes,
 * percent-encoded leftovers, non-ASCII look-alikes.  None may pass, and
 * no message may carry the raw bytes.
 */
static const struct vcase hostile_cases[] = {
	BAD(BGP_ROUTE, ANY, "8.8.8.8;reboot", "target: ';' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8; reload", "';' is not allowed"),
	BAD(BGP_ROUTE, ANY, ";8.8.8.8", "';' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8|include", "'|' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8 | save flash:x", "a space is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8|save", "'|' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8|redirect tftp://1.2.3.4/x", "'|' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8&&ls", "'&' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8&", "'&' is not allowed"),
	BAD(BGP_ROUTE, ANY, "$(reboot)", "'$' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8$(id)", "'$' is not allowed"),
	BAD(BGP_ROUTE, ANY, "`reboot`", "a backquote is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8`id`", "a backquote is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\nshow running-config", "target: contains a newline"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\r\nreload", "target: contains a carriage return"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\rshow users", "contains a carriage return"),
	BAD(BGP_ROUTE, ANY, "\n", "contains a newline"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\t", "contains a tab"),
	BAD(BGP_ROUTE, ANY, "-w 60", "target: must not start with '-'"),
	BAD(BGP_ROUTE, ANY, "--help", "must not start with '-'"),
	BAD(BGP_ROUTE, ANY, "-8.8.8.8", "must not start with '-'"),
	BAD(PING, ANY, "-c 100000 8.8.8.8", "must not start with '-'"),
	BAD(PING, ANY, "-f", "must not start with '-'"),
	BAD(TRACEROUTE, ANY, "--port=53", "must not start with '-'"),
	BAD(PING, ANY, "repeat 100000", "a space is not allowed in a hostname"),
	BAD(PING, ANY, "8.8.8.8 repeat 100000", "a space is not allowed"),
	BAD(PING, ANY, "8.8.8.8 source 1.1.1.1", "a space is not allowed"),
	BAD(PING, ANY, "8.8.8.8 size 65000", "a space is not allowed"),
	BAD(PING, ANY, "8.8.8.8 count 10000", "a space is not allowed"),
	BAD(TRACEROUTE, ANY, "8.8.8.8 timeout 3600", "a space is not allowed"),
	BAD(TRACEROUTE, ANY, "8.8.8.8 vrf mgmt", "a space is not allowed"),
	BAD(PING, ANY, "example.com -c 5", "a space is not allowed"),
	BAD(PING, ANY, "example.com;reboot", "';' is not allowed in a hostname"),
	BAD(PING, ANY, "example.com|include", "'|' is not allowed in a hostname"),
	BAD(PING, ANY, "example.com&&id", "'&' is not allowed"),
	BAD(PING, ANY, "$(id).example.com", "'$' is not allowed"),
	BAD(PING, ANY, "`id`.example.com", "a backquote is not allowed"),
	BAD(PING, ANY, "example.com\nreload", "contains a newline"),
	BAD(PING, ANY, "example.com\r", "contains a carriage return"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8'", "a single quote is not allowed"),
	BAD(BGP_ROUTE, ANY, "'8.8.8.8'", "a single quote is not allowed"),
	BAD(BGP_ROUTE, ANY, "\"8.8.8.8\"", "a double quote is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\\", "a backslash is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\\n", "a backslash is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8?", "'?' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8 ?", "a space is not allowed"),
	BAD(BGP_ROUTE, ANY, "?", "'?' is not allowed"),
	BAD(PING, ANY, "?", "'?' is not allowed in a hostname"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8#", "'#' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8!", "'!' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8>x", "'>' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8<x", "'<' is not allowed"),
	BAD(BGP_ROUTE, ANY, "{8.8.8.8}", "'{' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8*", "'*' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8,8.8.4.4", "',' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8 8.8.4.4", "a space is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8=", "'=' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8@", "'@' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8~", "'~' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8^", "'^' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8%0a", "'%' is not allowed in an address"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8%0d%0areload", "'%' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8%3Breload", "'%' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8%7Cinclude", "'%' is not allowed"),
	BAD(PING, ANY, "%0a", "'%' is not allowed in a hostname"),
	BAD(PING, ANY, "example.com%0ashow", "'%' is not allowed"),
	BAD(PING, ANY, "8.8.8.8+", "'+' is not allowed"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\x1b[2J", "contains a control character (0x1b)"),
	BAD(BGP_ROUTE, ANY, "\x1b]0;x\x07", "contains a control character (0x1b)"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\x7f", "contains a control character (0x7f)"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\x08\x08\x08", "contains a control character (0x08)"),
	BAD(BGP_ROUTE, ANY, "\xef\xbc\x98.\xef\xbc\x98.\xef\xbc\x98.\xef\xbc\x98", "contains a non-ASCII byte (0xef)"),
	BAD(BGP_ROUTE, ANY, "\xd9\xa8.\xd9\xa8.\xd9\xa8.\xd9\xa8", "non-ASCII byte (0xd9)"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\xc2\xa0", "non-ASCII byte (0xc2)"),
	BAD(BGP_ROUTE, ANY, "8\xe2\x80\xa4" "8\xe2\x80\xa4" "8\xe2\x80\xa4" "8", "non-ASCII byte (0xe2)"),
	BAD(BGP_ROUTE, ANY, "\xff", "non-ASCII byte (0xff)"),
	BAD(BGP_ROUTE, ANY, "8.8.8.8\xc0\xae", "non-ASCII byte (0xc0)"),
	BAD(PING, ANY, "g\xd0\xbe\xd0\xbegle.com", "non-ASCII byte (0xd0)"),
	BAD(PING, ANY, "m\xc3\xbcnchen.de", "only ASCII is accepted"),
	BAD(PING, ANY, "\xe2\x80\xae" "moc.elgoog", "non-ASCII byte (0xe2)"),
	BAD(PING, ANY, "example.com\xe3\x80\x82", "non-ASCII"),
	BAD(BGP_COMMUNITY, ANY, "65000:100;reload", "';' is not allowed in a community"),
	BAD(BGP_COMMUNITY, ANY, "65000:100 | include x", "a space is not allowed in a community"),
	BAD(BGP_COMMUNITY, ANY, "65000:100|save", "'|' is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "no-export\n", "contains a newline"),
	BAD(BGP_COMMUNITY, ANY, "-1:1", "must not start with '-'"),
	BAD(BGP_COMMUNITY, ANY, "65000:100?", "'?' is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "$(id)", "'$' is not allowed"),
	BAD(BGP_ASPATH, ANY, "_65000_;reload", "';' is not allowed in an AS-path regex"),
	BAD(BGP_ASPATH, ANY, "_65000_\nreload", "contains a newline"),
	BAD(BGP_ASPATH, ANY, "_65000_ | include Foo", "'i' is not allowed"),
	BAD(BGP_ASPATH, ANY, "_65000_|save", "'s' is not allowed"),
	BAD(BGP_ASPATH, ANY, "`_1_`", "a backquote is not allowed"),
	BAD(BGP_ASPATH, ANY, "\"_1_\"", "a double quote is not allowed"),
	BAD(BGP_ASPATH, ANY, "_1_'", "a single quote is not allowed"),
	BAD(BGP_ASPATH, ANY, "_1_\\", "a backslash is not allowed"),
	BAD(BGP_ASPATH, ANY, "-1", "must not start with '-'"),
	BAD(BGP_ASPATH, ANY, "_1_&", "'&' is not allowed"),
	BAD(BGP_ASPATH, ANY, "_1_%0a", "'%' is not allowed"),
	BAD(BGP_SUMMARY, ANY, "| include Estab", "type: bgp_summary takes no target"),
	BAD(BGP_SUMMARY, ANY, ";reload", "takes no target"),
	BAD(BGP_SUMMARY, ANY, "\n", "takes no target"),
	BAD(BGP_SUMMARY, ANY, " ", "takes no target"),
};

/* RFC 1123 hostnames for ping and traceroute. */
static const struct vcase hostname_cases[] = {
	OK(PING, ANY, "example.com", "example.com"),
	OK(PING, IPV4, "example.com", "example.com"),
	OK(PING, IPV6, "example.com", "example.com"),
	OK(TRACEROUTE, ANY, "www.example.com", "www.example.com"),
	OK(PING, ANY, "EXAMPLE.COM", "example.com"),
	OK(PING, ANY, "Example.Com.", "example.com"),
	OK(PING, ANY, "example.com.", "example.com"),
	OK(PING, ANY, "a.b", "a.b"),
	OK(PING, ANY, "x", "x"),
	OK(PING, ANY, "localhost", "localhost"),
	OK(PING, ANY, "LOCALHOST.", "localhost"),
	OK(PING, ANY, "xn--bcher-kva.example", "xn--bcher-kva.example"),
	OK(PING, ANY, "1password.com", "1password.com"),
	OK(PING, ANY, "123.example", "123.example"),
	OK(PING, ANY, "a-b.c-d.example", "a-b.c-d.example"),
	OK(PING, ANY, "ns1.example.net", "ns1.example.net"),
	OK(TRACEROUTE, ANY, "k.root-servers.net", "k.root-servers.net"),
	OK(TRACEROUTE, ANY, "a1.b2.c3", "a1.b2.c3"),
	OK(PING, ANY, "host-1.example.", "host-1.example"),
	OK(PING, ANY, "deadbeef", "deadbeef"),
	OK(PING, ANY, "cafe.babe", "cafe.babe"),
	OK(PING, ANY, "1.2.3.example", "1.2.3.example"),
	OK(PING, ANY, "8.8.8.8.in-addr.arpa", "8.8.8.8.in-addr.arpa"),
	OK(PING, ANY, "a--b.example", "a--b.example"),
	OK(PING, ANY, "e", "e"),
	OK(PING, ANY, "1e100.net", "1e100.net"),
	OK(PING, ANY, "x.0a", "x.0a"),
	BAD(PING, ANY, "a_b.example.com", "target: '_' is not allowed in a hostname"),
	BAD(PING, ANY, "_dmarc.example.com", "'_' is not allowed in a hostname"),
	BAD(PING, ANY, "a-.example", "target: hostname label starts or ends with '-'"),
	BAD(PING, ANY, "a.-b.example", "starts or ends with '-'"),
	BAD(PING, ANY, "a..b", "target: hostname has an empty label"),
	BAD(PING, ANY, ".example.com", "has an empty label"),
	BAD(PING, ANY, "example.com..", "has an empty label"),
	BAD(PING, ANY, "..", "not a valid IPv4 address"),
		BAD(PING, ANY, "example.123", "target: hostname ends in an all-numeric label"),
	BAD(PING, ANY, "example.1", "all-numeric label"),
	BAD(PING, ANY, "a.b.c.0", "all-numeric label"),
	BAD(PING, ANY, "0x7f.0x0.0x0.0x1", "IPv4 address in a non-standard form"),
	BAD(PING, ANY, "user@example.com", "'@' is not allowed in a hostname"),
	BAD(PING, ANY, "exa mple.com", "a space is not allowed in a hostname"),
	BAD(PING, ANY, "ex*ample.com", "'*' is not allowed"),
	BAD(PING, ANY, "*.example.com", "'*' is not allowed"),
	BAD(PING, ANY, "example.com/24", "'x' is not allowed in an address"),
	BAD(PING, ANY, "example!.com", "'!' is not allowed"),
	BAD(PING, ANY, "example,com", "',' is not allowed"),
	BAD(PING, ANY, "ex=ample", "'=' is not allowed"),
	BAD(PING, ANY, "exa(mple)", "'(' is not allowed"),
	BAD(PING, ANY, "~root", "'~' is not allowed"),
	BAD(BGP_ROUTE, ANY, "example.com", "'x' is not allowed in an address"),
	BAD(ROUTE, ANY, "localhost", "'l' is not allowed in an address"),
	DENY(BGP_NEIGHBORS, ANY, "peer.example", "not offered here"),
};

/* Query types, targets they take, afi values and policy switches. */
static const struct vcase type_cases[] = {
	OK(BGP_SUMMARY, ANY, NULL, ""),
	OK(BGP_SUMMARY, ANY, "", ""),
	OK(BGP_SUMMARY, IPV4, "", ""),
	OK(BGP_SUMMARY, IPV6, NULL, ""),
	BAD(BGP_SUMMARY, ANY, "8.8.8.8", "type: bgp_summary takes no target"),
	BAD(BGP_SUMMARY, IPV4, "x", "type: bgp_summary takes no target"),
	BAD(BGP_ROUTE, ANY, NULL, "target: missing; bgp_route takes an address or a prefix"),
	BAD(BGP_ROUTE, ANY, "", "target: missing; bgp_route takes"),
	BAD(ROUTE, IPV4, "", "target: missing; route takes an address or a prefix"),
	BAD(PING, ANY, "", "target: missing; ping takes an address or a hostname"),
	BAD(TRACEROUTE, ANY, NULL, "traceroute takes an address or a hostname"),
	BAD(BGP_COMMUNITY, ANY, "", "bgp_community takes a community"),
	BAD(BGP_ASPATH, ANY, NULL, "bgp_aspath takes an AS-path regular expression"),
	DENY(BGP_NEIGHBORS, ANY, "8.8.8.8", "type: bgp_neighbors is not offered here"),
	DENY(BGP_NEIGHBORS, ANY, "", "type: bgp_neighbors is not offered here"),
	{ Q_COUNT, AFI_ANY, "8.8.8.8", LG_ERR_BAD_QUERY, "type: unknown query type" },
	{ (enum lg_query_type)99, AFI_ANY, "", LG_ERR_BAD_QUERY, "type: unknown" },
	{ Q_BGP_ROUTE, (enum lg_afi)3, "8.8.8.8", LG_ERR_BAD_QUERY, "afi: unknown address family" },
	{ Q_BGP_SUMMARY, (enum lg_afi)-1, "", LG_ERR_BAD_QUERY, "afi: unknown address family" },
	OK(BGP_COMMUNITY, IPV4, "65000:100", "65000:100"),
	OK(BGP_COMMUNITY, IPV6, "65000:1:2", "65000:1:2"),
	OK(BGP_ASPATH, IPV4, "_65000_", "_65000_"),
	OK(BGP_ASPATH, IPV6, "^65000$", "^65000$"),
};

static void
test_ipv4(void **state)
{
	(void)state;
	vtable_run(ipv4_cases, NCASES(ipv4_cases));
}

static void
test_ipv6(void **state)
{
	(void)state;
	vtable_run(ipv6_cases, NCASES(ipv6_cases));
}

static void
test_prefixes(void **state)
{
	(void)state;
	vtable_run(prefix_cases, NCASES(prefix_cases));
}

static void
test_policy_networks(void **state)
{
	(void)state;
	vtable_run(policy_cases, NCASES(policy_cases));
}

static void
test_hostile(void **state)
{
	(void)state;
	vtable_run(hostile_cases, NCASES(hostile_cases));
}

static void
test_hostnames(void **state)
{
	(void)state;
	vtable_run(hostname_cases, NCASES(hostname_cases));
}

static void
test_types(void **state)
{
	(void)state;
	vtable_run(type_cases, NCASES(type_cases));
}

/* Types that take a target, with a valid one to corrupt. */
static const struct {
	enum lg_query_type	 type;
	const char		*valid;
} corruptible[] = {
	{ Q_BGP_ROUTE, "8.8.8.8" },
	{ Q_ROUTE, "2001:4860::/32" },
	{ Q_PING, "example.com" },
	{ Q_TRACEROUTE, "9.9.9.9" },
	{ Q_BGP_COMMUNITY, "65000:100" },
	{ Q_BGP_ASPATH, "_65000_" },
};

/*
 * Every control byte and every byte of 0x80-0xff, before, inside and
 * after a valid target of each kind: always refused, and the message
 * describes the byte instead of carrying it.
 */
static void
test_every_bad_byte(void **state)
{
	struct lg_target	 t;
	char			 in[64], err[LG_ERRSTR_MAX];
	size_t			 k, pos, n;
	unsigned int		 c;
	enum lg_err		 rc;

	(void)state;
	for (k = 0; k < NCASES(corruptible); k++)
		for (c = 1; c <= 0xff; c++) {
			if (c >= 0x20 && c < 0x7f)
				continue;
			for (pos = 0; pos < 3; pos++) {
				n = strlen(corruptible[k].valid);
				snprintf(in, sizeof(in), "%.*s%c%s",
				    (int)(pos == 0 ? 0 : pos == 1 ? n / 2 : n),
				    corruptible[k].valid, (char)c,
				    corruptible[k].valid + (pos == 0 ? 0 :
				    pos == 1 ? n / 2 : n));
				rc = validate_query(&vpol, corruptible[k].type,
				    AFI_ANY, in, &t, err, sizeof(err));
				vcases_run++;
				if (rc != LG_ERR_BAD_QUERY || strncmp(err,
				    "target: contains a", 18) != 0 ||
				    !vprintable(err))
					fail_msg("type %d byte 0x%02x pos %zu: "
					    "%s", corruptible[k].type, c, pos,
					    lg_err_name(rc));
			}
		}
}

/* Every printable byte outside each grammar, inside a valid target. */
static void
test_every_foreign_char(void **state)
{
	static const struct {
		enum lg_query_type	 type;
		const char		*grammar;	/* may appear */
	} kinds[] = {
		{ Q_BGP_ROUTE, "0123456789abcdefABCDEF.:/" },
		{ Q_BGP_COMMUNITY, "0123456789:-abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ" },
		{ Q_BGP_ASPATH, "0123456789 _^$.*+?()[]|-" },
	};
	char			 in[32], err[LG_ERRSTR_MAX];
	size_t			 k;
	int			 c;

	(void)state;
	for (k = 0; k < NCASES(kinds); k++)
		for (c = 0x20; c < 0x7f; c++) {
			if (strchr(kinds[k].grammar, c) != NULL)
				continue;
			snprintf(in, sizeof(in), "%s%c1", k == 0 ? "8.8.8." :
			    k == 1 ? "65000:" : "_65000_", c);
			vcases_run++;
			if (validate_query(&vpol, kinds[k].type, AFI_ANY, in,
			    NULL, err, sizeof(err)) != LG_ERR_BAD_QUERY ||
			    strstr(err, "is not allowed") == NULL)
				fail_msg("type %d char 0x%02x: %s", kinds[k].type,
				    c, err);
		}
}

/* Types the operator has to enable (Q_MASK_DEFAULT). */
static int
off_by_default(size_t k)
{
	return (Q_MASK_DEFAULT & Q_MASK(k)) == 0;
}

/*
 * Inputs are bounded before anything else looks at them: past
 * LG_TARGET_MAX every type says "too long" without looking further, and
 * each kind has its own limit below that.
 */
static void
test_lengths(void **state)
{
	static const size_t	 over[] = { 257, 258, 300, 1024, 4096 };
	static const struct {
		enum lg_query_type	 type;
		char			 fill;
		size_t			 len;
		enum lg_err		 code;
		const char		*expect;
	} kinds[] = {
		{ Q_BGP_ASPATH, '1', 64, LG_OK, NULL },
		{ Q_BGP_ASPATH, '1', 65, LG_ERR_BAD_QUERY, "longer than 64" },
		{ Q_BGP_ASPATH, '1', 256, LG_ERR_BAD_QUERY, "longer than 64" },
		{ Q_BGP_ASPATH, ' ', 65, LG_ERR_BAD_QUERY, "longer than 64" },
		{ Q_BGP_COMMUNITY, '1', 33, LG_ERR_BAD_QUERY, "too long" },
		{ Q_BGP_COMMUNITY, '1', 255, LG_ERR_BAD_QUERY, "too long" },
		{ Q_BGP_ROUTE, '1', 46, LG_ERR_BAD_QUERY, "address too long" },
		{ Q_BGP_ROUTE, 'a', 255, LG_ERR_BAD_QUERY, "address too long" },
		{ Q_BGP_ROUTE, ':', 256, LG_ERR_BAD_QUERY, "address too long" },
		{ Q_PING, 'a', 63, LG_OK, NULL },
		{ Q_PING, 'a', 64, LG_ERR_BAD_QUERY, "longer than 63" },
		{ Q_PING, 'a', 254, LG_ERR_BAD_QUERY, "longer than 253" },
		{ Q_TRACEROUTE, 'a', 255, LG_ERR_BAD_QUERY, "longer than 253" },
		{ Q_PING, 'a', 256, LG_ERR_BAD_QUERY, "longer than 253" },
		{ Q_BGP_SUMMARY, 'a', 256, LG_ERR_BAD_QUERY, "takes no target" },
	};
	static char		 in[4097];
	char			 err[LG_ERRSTR_MAX];
	size_t			 i, k;
	enum lg_err		 rc;

	(void)state;
	for (k = 0; k < Q_COUNT; k++)
		for (i = 0; i < NCASES(over); i++) {
			memset(in, k == Q_BGP_ASPATH ? '1' : 'a', over[i]);
			in[over[i]] = '\0';
			rc = validate_query(&vpol, (enum lg_query_type)k,
			    AFI_ANY, in, NULL, err, sizeof(err));
			vcases_run++;
			assert_int_equal(rc, off_by_default(k) ?
			    LG_ERR_DENIED : LG_ERR_BAD_QUERY);
			if (!off_by_default(k))
				assert_string_equal(err,
				    "target: too long (more than 256 bytes)");
		}
	for (k = 0; k < NCASES(kinds); k++) {
		memset(in, kinds[k].fill, kinds[k].len);
		in[kinds[k].len] = '\0';
		if (kinds[k].fill == ' ')
			in[0] = '1';
		rc = validate_query(&vpol, kinds[k].type, AFI_ANY, in, NULL,
		    err, sizeof(err));
		vcases_run++;
		if (rc != kinds[k].code || (kinds[k].expect != NULL &&
		    strstr(err, kinds[k].expect) == NULL))
			fail_msg("length row %zu: %s: %s", k, lg_err_name(rc),
			    err);
		if (rc != LG_OK && kinds[k].len > 64) {
			assert_null(strstr(err, "aaaaaaaa"));
			assert_null(strstr(err, "11111111"));
		}
	}
}

/* A name of exactly the limits, and one byte over. */
static void
test_hostname_limits(void **state)
{
	struct lg_target	 t;
	char			 name[LG_TARGET_MAX + 1], err[LG_ERRSTR_MAX];
	size_t			 i;

	(void)state;
	/* One label of 63, then 64. */
	memset(name, 'a', 63);
	lg_strlcpy(name + 63, ".example", sizeof(name) - 63);
	assert_int_equal(validate_query(&vpol, Q_PING, AFI_ANY, name, &t, err,
	    sizeof(err)), LG_OK);
	assert_string_equal(t.canon, name);
	memset(name, 'a', 64);
	lg_strlcpy(name + 64, ".example", sizeof(name) - 64);
	assert_int_equal(validate_query(&vpol, Q_PING, AFI_ANY, name, &t, err,
	    sizeof(err)), LG_ERR_BAD_QUERY);
	assert_non_null(strstr(err, "label longer than 63"));
	/* 253 bytes: four labels of 63 and one of 1, with dots. */
	for (i = 0; i < 253; i++)
		name[i] = i % 64 == 63 ? '.' : 'b';
	name[253] = '\0';
	assert_int_equal(validate_query(&vpol, Q_TRACEROUTE, AFI_ANY, name,
	    &t, err, sizeof(err)), LG_OK);
	assert_int_equal(strlen(t.canon), 253);
	name[253] = '.';	/* a final dot does not count */
	name[254] = '\0';
	assert_int_equal(validate_query(&vpol, Q_TRACEROUTE, AFI_ANY, name,
	    &t, err, sizeof(err)), LG_OK);
	assert_int_equal(strlen(t.canon), 253);
	name[253] = 'c';
	assert_int_equal(validate_query(&vpol, Q_TRACEROUTE, AFI_ANY, name,
	    &t, err, sizeof(err)), LG_ERR_BAD_QUERY);
	assert_non_null(strstr(err, "hostname longer than 253"));
	vcases_run += 5;
}

/* The target fields behind the canonical text. */
static void
test_target_fields(void **state)
{
	struct lg_target	 t;
	char			 err[LG_ERRSTR_MAX];
	const uint8_t		 v4[4] = { 8, 8, 8, 0 };
	const uint8_t		 v6[4] = { 0x20, 0x01, 0x48, 0x60 };

	(void)state;
	assert_int_equal(validate_query(&vpol, Q_BGP_ROUTE, AFI_ANY,
	    "8.8.8.0/24", &t, err, sizeof(err)), LG_OK);
	assert_int_equal(t.kind, TGT_PREFIX);
	assert_int_equal(t.family, AFI_IPV4);
	assert_int_equal(t.prefixlen, 24);
	assert_memory_equal(t.addr, v4, 4);
	assert_int_equal(validate_query(&vpol, Q_ROUTE, AFI_ANY,
	    "2001:4860::1", &t, err, sizeof(err)), LG_OK);
	assert_int_equal(t.kind, TGT_ADDRESS);
	assert_int_equal(t.family, AFI_IPV6);
	assert_int_equal(t.prefixlen, 128);
	assert_memory_equal(t.addr, v6, 4);
	assert_int_equal(t.addr[15], 1);
	assert_int_equal(validate_query(&vpol, Q_PING, AFI_IPV6,
	    "Example.COM", &t, err, sizeof(err)), LG_OK);
	assert_int_equal(t.kind, TGT_HOSTNAME);
	assert_int_equal(t.family, AFI_IPV6);
	assert_int_equal(validate_query(&vpol, Q_BGP_COMMUNITY, AFI_IPV4,
	    "65000:1", &t, err, sizeof(err)), LG_OK);
	assert_int_equal(t.kind, TGT_COMMUNITY);
	assert_int_equal(t.family, AFI_IPV4);
	assert_int_equal(validate_query(&vpol, Q_BGP_SUMMARY, AFI_IPV6, NULL,
	    &t, err, sizeof(err)), LG_OK);
	assert_int_equal(t.kind, TGT_NONE);
	assert_int_equal(t.family, AFI_IPV6);
	/* Without a target structure, and without room for a message. */
	assert_int_equal(validate_query(&vpol, Q_BGP_ROUTE, AFI_ANY,
	    "8.8.8.8", NULL, err, sizeof(err)), LG_OK);
	assert_int_equal(validate_query(&vpol, Q_BGP_ROUTE, AFI_ANY,
	    "10.0.0.1", NULL, NULL, 0), LG_ERR_DENIED);
	/* No policy is a programming error, never a pass. */
	assert_int_equal(validate_query(NULL, Q_BGP_ROUTE, AFI_ANY,
	    "8.8.8.8", &t, err, sizeof(err)), LG_ERR_INTERNAL);
	assert_int_equal(validate_resolved(NULL, AFI_IPV4, v4, &t, err,
	    sizeof(err)), LG_ERR_INTERNAL);
	vcases_run += 9;
}

/* A configured policy: its own list, lengths and query types. */
static void
test_custom_policy(void **state)
{
	static const struct vcase cases[] = {
		DENY(BGP_ROUTE, ANY, "10.0.0.0/7", "target: 10.0.0.0/7 covers a forbidden network (10.0.0.0/8)"),
		OK(BGP_ROUTE, ANY, "8.0.0.0/7", "8.0.0.0/7"),
		OK(BGP_ROUTE, ANY, "128.0.0.0/1", "128.0.0.0/1"),
		DENY(BGP_ROUTE, ANY, "0.0.0.0/1", "0.0.0.0/1 covers a forbidden network (10.0.0.0/8)"),
		BAD(BGP_NEIGHBORS, ANY, "8.8.8.0/24", "bgp_neighbors takes an address, not a prefix"),
		OK(BGP_NEIGHBORS, ANY, "2001:7fe::53", "2001:7fe::53"),
		DENY(BGP_ROUTE, ANY, "0.0.0.0/0", "covers a forbidden network (10.0.0.0/8)"),
		OK(BGP_ROUTE, ANY, "192.168.1.1", "192.168.1.1"),
		OK(BGP_ROUTE, ANY, "fc00::1", "fc00::1"),
		DENY(BGP_ROUTE, ANY, "2001:db8::1", "(2001:db8::/32)"),
		DENY(BGP_ROUTE, ANY, "::ffff:10.1.1.1", "embeds 10.1.1.1 (IPv4-mapped)"),
		DENY(BGP_ROUTE, ANY, "2001:0:4136:e378:8000:63bf:f5ff:fffe", "embeds 10.0.0.1 (Teredo client)"),
		OK(BGP_ROUTE, ANY, "2001:0:4136:e378:8000:63bf:f7f7:f7f7", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"),
		OK(BGP_ROUTE, ANY, "::1", "::1"),
		BAD(BGP_ROUTE, ANY, "2001:4860::/47", "shorter than the minimum /48 for IPv6"),
		OK(BGP_ROUTE, ANY, "2001:4860::/48", "2001:4860::/48"),
		DENY(ROUTE, ANY, "8.8.8.8", "type: route is not offered here"),
		DENY(BGP_SUMMARY, ANY, NULL, "type: bgp_summary is not offered here"),
		OK(BGP_NEIGHBORS, ANY, "8.8.8.8", "8.8.8.8"),
		DENY(PING, ANY, "example.com", "target: hostnames are not resolved here; give an IP address"),
		DENY(TRACEROUTE, IPV6, "localhost", "hostnames are not resolved here"),
		BAD(PING, ANY, "exa_mple.com", "'_' is not allowed in a hostname"),
		OK(PING, ANY, "8.8.8.8", "8.8.8.8"),
		OK(TRACEROUTE, ANY, "2001:4860::8888", "2001:4860::8888"),
		/* A neighbor's routes: the neighbor's address, as strictly. */
		OK(BGP_NEIGHBOR_RECEIVED, ANY, "80.249.208.41", "80.249.208.41"),
		OK(BGP_NEIGHBOR_ADVERTISED, IPV6, "2001:7F8::1", "2001:7f8::1"),
		BAD(BGP_NEIGHBOR_RECEIVED, ANY, "8.8.8.0/24", "bgp_neighbor_received takes an address, not a prefix"),
		BAD(BGP_NEIGHBOR_ADVERTISED, ANY, "8.8.8.8/32", "bgp_neighbor_advertised takes an address, not a prefix"),
		DENY(BGP_NEIGHBOR_RECEIVED, ANY, "10.1.2.3", "target: 10.1.2.3 is in a forbidden network (10.0.0.0/8)"),
		DENY(BGP_NEIGHBOR_ADVERTISED, ANY, "2001:db8::1", "(2001:db8::/32)"),
		BAD(BGP_NEIGHBOR_RECEIVED, IPV6, "8.8.8.8", "afi: ipv6 was asked for but the target is an"),
		BAD(BGP_NEIGHBOR_RECEIVED, ANY, "fe80::1%eth0", "zone"),
		BAD(BGP_NEIGHBOR_ADVERTISED, ANY, "", "target"),
		BAD(BGP_NEIGHBOR_RECEIVED, ANY, "8.8.8.8; show run", "target"),
		BAD(BGP_NEIGHBOR_ADVERTISED, ANY, "8.8.8.8 | include x", "target"),
		BAD(BGP_NEIGHBOR_RECEIVED, ANY, "peer.example.com", "target"),
	};
	struct lg_prefix	 nets[2];
	struct lg_policy	 cpol = { .forbidden = nets, .nforbidden = 2,
				    .min_prefix4 = 0, .min_prefix6 = 48 };
	char			 err[LG_ERRSTR_MAX];
	size_t			 i, failed = 0;

	(void)state;
	cpol.queries = Q_MASK_ALL & ~Q_MASK(Q_ROUTE) & ~Q_MASK(Q_BGP_SUMMARY);
	assert_int_equal(prefix_parse("10.0.0.0/8", &nets[0], err,
	    sizeof(err)), 0);
	assert_int_equal(prefix_parse("2001:db8::/32", &nets[1], err,
	    sizeof(err)), 0);
	for (i = 0; i < NCASES(cases); i++)
		if (vcase_run(&cpol, &cases[i], i) == -1)
			failed++;
	assert_int_equal(failed, 0);
}

/* The broker's check of resolved addresses. */
static void
test_resolved(void **state)
{
	static const struct {
		const char	*addr;
		enum lg_err	 code;
		const char	*expect;
	} cases[] = {
		{ "8.8.8.8", LG_OK, "8.8.8.8" },
		{ "1.1.1.1", LG_OK, "1.1.1.1" },
		{ "2001:4860:4860::8888", LG_OK, "2001:4860:4860::8888" },
		{ "127.0.0.1", LG_ERR_DENIED, "target: resolved address "
		    "127.0.0.1 is in a forbidden network (127.0.0.0/8)" },
		{ "10.20.30.40", LG_ERR_DENIED, "(10.0.0.0/8)" },
		{ "169.254.169.254", LG_ERR_DENIED, "(169.254.0.0/16)" },
		{ "0.0.0.0", LG_ERR_DENIED, "(0.0.0.0/8)" },
		{ "::1", LG_ERR_DENIED, "resolved address ::1 is in a "
		    "forbidden network (::1/128)" },
		{ "fe80::1", LG_ERR_DENIED, "(fe80::/10)" },
		{ "fd12:3456::1", LG_ERR_DENIED, "(fc00::/7)" },
		{ "::ffff:127.0.0.1", LG_ERR_DENIED, "resolved address "
		    "::ffff:127.0.0.1 embeds 127.0.0.1 (IPv4-mapped)" },
		{ "64:ff9b::a00:1", LG_ERR_DENIED, "embeds 10.0.0.1 (NAT64)" },
		{ "2002:c0a8:101::1", LG_ERR_DENIED, "(6to4)" },
	};
	struct lg_target	 t, q;
	uint8_t			 a[16];
	char			 err[LG_ERRSTR_MAX];
	enum lg_afi		 afi;
	size_t			 i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		afi = strchr(cases[i].addr, ':') ? AFI_IPV6 : AFI_IPV4;
		assert_int_equal(inet_pton(afi == AFI_IPV4 ? AF_INET :
		    AF_INET6, cases[i].addr, a), 1);
		err[0] = '\0';
		assert_int_equal(validate_resolved(&vpol, afi, a, &t, err,
		    sizeof(err)), cases[i].code);
		if (cases[i].code == LG_OK) {
			assert_string_equal(t.canon, cases[i].expect);
			assert_int_equal(t.kind, TGT_ADDRESS);
			assert_int_equal(t.family, afi);
		} else
			assert_non_null(strstr(err, cases[i].expect));
		vcases_run++;
	}
	/* A name that passes validation and resolves where it must not. */
	assert_int_equal(validate_query(&vpol, Q_PING, AFI_ANY, "localhost",
	    &q, err, sizeof(err)), LG_OK);
	assert_int_equal(q.kind, TGT_HOSTNAME);
	assert_int_equal(inet_pton(AF_INET, "127.0.0.1", a), 1);
	assert_int_equal(validate_resolved(&vpol, AFI_IPV4, a, &t, err,
	    sizeof(err)), LG_ERR_DENIED);
	assert_int_equal(validate_resolved(&vpol, AFI_ANY, a, &t, err,
	    sizeof(err)), LG_ERR_BAD_QUERY);
	assert_non_null(strstr(err, "target: "));
	vcases_run += 3;
}

static void
test_router_names(void **state)
{
	static const char *const good[] = { "fra1", "ams-1", "lon.core_2",
	    "A", "R1", "edge-01.example", "a.b-c_d", "0", "x-", "_x" };
	static const char *const bad[] = { "", "-fra1", ".fra1", "fra 1",
	    "fra1;", "fra1\n", "fra/1", "fra1|x", "fr\xc3\xa4", "a:b",
	    "$(id)", "fra1\t", "a,b", "..", "r@1" };
	char			 name[LG_NAME_MAX + 1];
	size_t			 i;

	(void)state;
	for (i = 0; i < NCASES(good); i++)
		assert_int_equal(validate_router_name(good[i]), 0);
	for (i = 0; i < NCASES(bad); i++)
		if (validate_router_name(bad[i]) != -1)
			fail_msg("router name %zu accepted", i);
	assert_int_equal(validate_router_name(NULL), -1);
	memset(name, 'r', LG_NAME_MAX - 1);
	name[LG_NAME_MAX - 1] = '\0';
	assert_int_equal(validate_router_name(name), 0);
	name[LG_NAME_MAX - 1] = 'r';
	name[LG_NAME_MAX] = '\0';
	assert_int_equal(validate_router_name(name), -1);
	vcases_run += NCASES(good) + NCASES(bad) + 3;
}

static void
test_afi_param(void **state)
{
	static const struct {
		const char	*in;
		int		 rc;
		enum lg_afi	 afi;
	} cases[] = {
		{ NULL, 0, AFI_ANY }, { "", 0, AFI_ANY }, { "any", 0, AFI_ANY },
		{ "both", 0, AFI_ANY }, { "ipv4", 0, AFI_IPV4 },
		{ "ipv6", 0, AFI_IPV6 }, { "IPv4", 0, AFI_IPV4 },
		{ "IPV6", 0, AFI_IPV6 }, { "ANY", 0, AFI_ANY },
		{ "4", -1, AFI_ANY }, { "ip", -1, AFI_ANY },
		{ "ipv5", -1, AFI_ANY }, { "ipv4 ", -1, AFI_ANY },
		{ " ipv4", -1, AFI_ANY }, { "ipv4;", -1, AFI_ANY },
		{ "ipv4ipv6", -1, AFI_ANY }, { "inet", -1, AFI_ANY },
		{ "ipv4\n", -1, AFI_ANY }, { "i\xc3\xa4", -1, AFI_ANY },
	};
	char			 err[LG_ERRSTR_MAX];
	enum lg_afi		 afi;
	size_t			 i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		err[0] = '\0';
		assert_int_equal(validate_afi_param(cases[i].in, &afi, err,
		    sizeof(err)), cases[i].rc);
		if (cases[i].rc == 0)
			assert_int_equal(afi, cases[i].afi);
		else
			assert_string_equal(err,
			    "afi: must be ipv4, ipv6 or any");
		vcases_run++;
	}
}

static void
test_byte_desc(void **state)
{
	char		 b[48];

	(void)state;
	assert_string_equal(validate_byte_desc(';', b, sizeof(b)), "';'");
	assert_string_equal(validate_byte_desc('\n', b, sizeof(b)),
	    "a newline");
	assert_string_equal(validate_byte_desc(0x01, b, sizeof(b)),
	    "a control character (0x01)");
	assert_string_equal(validate_byte_desc(0xfe, b, sizeof(b)),
	    "a non-ASCII byte (0xfe)");
	assert_string_equal(validate_byte_desc('"', b, sizeof(b)),
	    "a double quote");
	vcases_run += 5;
}

/* Refusals that name no input keep long or odd input out of messages. */
static void
test_no_echo(void **state)
{
	char			 in[200], err[LG_ERRSTR_MAX];

	(void)state;
	memset(in, '9', 150);
	in[150] = '\0';
	assert_int_equal(validate_query(&vpol, Q_BGP_ROUTE, AFI_ANY, in, NULL,
	    err, sizeof(err)), LG_ERR_BAD_QUERY);
	assert_null(strstr(err, "9999"));
	assert_string_equal(err, "target: address too long");
	memset(in, 'h', 150);
	in[100] = '!';
	assert_int_equal(validate_query(&vpol, Q_PING, AFI_ANY, in, NULL,
	    err, sizeof(err)), LG_ERR_BAD_QUERY);
	assert_string_equal(err, "target: '!' is not allowed in a hostname "
	    "(letters, digits, '-' and '.')");
	assert_int_equal(validate_query(&vpol, Q_BGP_ROUTE, AFI_ANY,
	    "1.2.3.4.5", NULL, err, sizeof(err)), LG_ERR_BAD_QUERY);
	assert_non_null(strstr(err, "'1.2.3.4.5'"));
	vcases_run += 2;
}

static void
test_count(void **state)
{
	(void)state;
	print_message("# %zu validation cases\n", vcases_run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_policy_networks),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_hostnames),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_every_bad_byte),
		cmocka_unit_test(test_every_foreign_char),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_hostname_limits),
		cmocka_unit_test(test_target_fields),
		cmocka_unit_test(test_custom_policy),
		cmocka_unit_test(test_resolved),
		cmocka_unit_test(test_router_names),
		cmocka_unit_test(test_afi_param),
		cmocka_unit_test(test_byte_desc),
		cmocka_unit_test(test_no_echo),
		cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, vgroup_setup, vgroup_teardown);
}
