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
 * The address lists of lorgnette.conf: web.listen (ADDRESS:PORT),
 * web.trusted_proxies and policy.forbidden (prefixes).  Their rows are in
 * config_sections.c's key tables.
 */

#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"

#define CONFIG_LISTEN_MAX	16
#define CONFIG_PROXIES_MAX	1024
#define CONFIG_FORBIDDEN_MAX	4096

/* A decimal port, 1-65535, and nothing after it. */
int
config_port_ok(const char *p)
{
	unsigned long	 v = 0;
	size_t		 n;

	if ((n = strspn(p, "0123456789")) == 0 || n > 5 || p[n] != '\0' ||
	    p[0] == '0')
		return 0;
	for (; *p != '\0'; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	return v >= 1 && v <= 65535;
}

/* "a.b.c.d:port" or "[v6]:port", literal addresses only. */
static int
config_listen_ok(const char *v)
{
	char		 addr[INET6_ADDRSTRLEN];
	uint8_t		 buf[16];
	const char	*end;
	size_t		 len;
	int		 af = AF_INET;

	if (*v == '[') {
		if ((end = strstr(v, "]:")) == NULL)
			return 0;
		v++;
		af = AF_INET6;
	} else if ((end = strrchr(v, ':')) == NULL)
		return 0;
	if ((len = (size_t)(end - v)) >= sizeof(addr))
		return 0;
	memcpy(addr, v, len);
	addr[len] = '\0';
	if (inet_pton(af, addr, buf) != 1)
		return 0;
	return config_port_ok(end + (af == AF_INET6 ? 2 : 1));
}

static int
config_listen_one(struct config_ctx *ctx, const config_setting_t *e,
    const char *v, int i, void *arg)
{
	char		**out = arg, shown[LG_TEXT_MAX];

	if (!config_listen_ok(v)) {
		config_err(ctx, e, "bad address \"%s\" (expected "
		    "\"ADDRESS:PORT\" or \"[IPV6-ADDRESS]:PORT\")",
		    config_shown(v, shown, sizeof(shown)));
		return -1;
	}
	out[i] = xstrdup(v);
	return 0;
}

int
config_parse_listen(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)k;
	(void)dst;
	if (config_is_list(s) && config_setting_length(s) == 0) {
		config_err(ctx, s, "needs at least one address");
		return -1;
	}
	return config_strings(ctx, s, CONFIG_LISTEN_MAX, config_listen_one,
	    &ctx->conf->web.listen, &ctx->conf->web.nlisten);
}

static int
config_prefix_one(struct config_ctx *ctx, const config_setting_t *e,
    const char *v, int i, void *arg)
{
	struct lg_prefix	*out = arg;
	char			 err[LG_ERRSTR_MAX];

	if (prefix_parse(v, &out[i], err, sizeof(err)) == -1) {
		config_err(ctx, e, "%s", err);
		return -1;
	}
	return 0;
}

/*
 * A list of at most max prefixes that replaces *list and *nlist.  Returns
 * 0, or -1 leaving them as they were.
 */
static int
config_prefixes(struct config_ctx *ctx, const config_setting_t *s, int max,
    struct lg_prefix **list, size_t *nlist)
{
	struct lg_prefix	*p;
	int			 n;

	if (config_is_list(s) && config_setting_length(s) > max) {
		config_err(ctx, s, "too many entries (%d, at most %d)",
		    config_setting_length(s), max);
		return -1;
	}
	p = xcalloc((size_t)(config_is_list(s) ?
	    config_setting_length(s) : 0) + 1, sizeof(*p));
	if ((n = config_strlist(ctx, s, max, config_prefix_one, p)) == -1) {
		free(p);
		return -1;
	}
	free(*list);
	*list = p;
	*nlist = (size_t)n;
	return 0;
}

int
config_parse_proxies(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)k;
	(void)dst;
	return config_prefixes(ctx, s, CONFIG_PROXIES_MAX,
	    &ctx->conf->web.trusted_proxies, &ctx->conf->web.ntrusted_proxies);
}

/* When present, the list replaces the built-in one entirely. */
int
config_parse_forbidden(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)k;
	(void)dst;
	return config_prefixes(ctx, s, CONFIG_FORBIDDEN_MAX,
	    &ctx->conf->policy.forbidden, &ctx->conf->policy.nforbidden);
}
