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
 * A client of lgwebd for the tests of its per-client state (test_ratelimit.c,
 * test_challenge.c): an IPv4 or IPv6 address as text.  Include after
 * cmocka.h, <arpa/inet.h> and lgwebd/web.h.
 */

#ifndef WEB_CLIENT_H
#define WEB_CLIENT_H

#include <string.h>

static void
client(struct web_client *c, const char *s)
{
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, s, c->addr) == 1)
		c->family = AFI_IPV4;
	else {
		assert_int_equal(inet_pton(AF_INET6, s, c->addr), 1);
		c->family = AFI_IPV6;
	}
}

#endif
