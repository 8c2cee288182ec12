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
 * Where a request comes from, by what browsers send (Sec-Fetch-Site,
 * Origin against Host): http.c refuses a cross-site caller on the routes
 * that run queries or change something, and sends a cross-site visitor's
 * permalink to the page without running it.
 */

#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "lg.h"
#include "web.h"

/* The host of "host", "host:port" or "[v6]:port", as a length. */
static size_t
http_host_len(const char *h)
{
	const char	*end;

	if (h[0] == '[')
		return (end = strchr(h, ']')) != NULL ? (size_t)(end - h) + 1 :
		    strlen(h);
	return strcspn(h, ":/");
}

/* Whether the browser says the request comes from another site's page. */
int
http_fetch_cross_site(struct MHD_Connection *c)
{
	const char	*site;

	site = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");
	return site != NULL && strcasecmp(site, "cross-site") == 0;
}

/*
 * Whether a request comes from another site's page, by what browsers
 * send: Sec-Fetch-Site "cross-site", or an Origin whose host is not the
 * Host asked for ("null" included).  Ports are not compared: a proxy may
 * drop them from Host, and another port of this host is not another site.
 * Clients that send neither (curl, scripts, RFC 8522 clients) pass.
 * Takes the three headers (NULL: absent); NULL or the reason to refuse.
 */
const char *
http_cross_site_why(const char *fetch_site, const char *origin,
    const char *host)
{
	const char	*o;
	size_t		 n;

	if (fetch_site != NULL && strcasecmp(fetch_site, "cross-site") == 0)
		return "request refused: it comes from another site's page "
		    "(Sec-Fetch-Site: cross-site); open this looking glass "
		    "itself to run queries";
	if (origin == NULL)
		return NULL;
	o = strstr(origin, "://");
	if (host != NULL && o != NULL) {
		o += 3;
		n = http_host_len(o);
		if (n > 0 && n == http_host_len(host) &&
		    strncasecmp(o, host, n) == 0)
			return NULL;
	}
	return "request refused: its Origin is not this site; open this "
	    "looking glass itself to run queries";
}

const char *
http_cross_site(struct MHD_Connection *c)
{
	return http_cross_site_why(MHD_lookup_connection_value(c,
	    MHD_HEADER_KIND, "Sec-Fetch-Site"), MHD_lookup_connection_value(c,
	    MHD_HEADER_KIND, "Origin"), MHD_lookup_connection_value(c,
	    MHD_HEADER_KIND, "Host"));
}
