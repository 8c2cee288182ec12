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
 * The top-level keys of route facts (DESIGN.md section 13): asn_names
 * (a CSV file of AS names), communities (a directory of community
 * descriptions) and the rpki group (the RTR caches to validate against).
 * Only the keys are read here; the files are loaded by facts.c and the
 * caches are reached by the broker's rpki.c.
 */

#include <arpa/inet.h>

#include <string.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"

#define RPKI_CACHES_MAX		8
#define RPKI_HOST_MAX		255

#define C(k, fn, m)	CONFIG_KEY(struct lg_config, k, fn, m)

static CONFIG_PARSER(config_parse_caches);

/* RTRlib's own bounds for the three intervals. */
static const struct config_key rpki_keys[] = {
	{ C("caches", config_parse_caches, rpki.caches), .required = 1 },
	{ C("refresh", config_parse_uint, rpki.refresh),
	    .min = 1, .max = 86400 },
	{ C("retry", config_parse_uint, rpki.retry), .min = 1, .max = 7200 },
	{ C("expire", config_parse_uint, rpki.expire),
	    .min = 600, .max = 172800 },
	{ .name = NULL }
};

static const struct config_key asn_names_key = {
	C("asn_names", config_parse_path, asn_names)
};
static const struct config_key communities_key = {
	C("communities", config_parse_path, communities)
};

void
config_facts_defaults(struct lg_config *conf)
{
	conf->rpki.refresh = 300;
	conf->rpki.retry = 60;
	conf->rpki.expire = 7200;
}

void
config_facts_free(struct lg_config *conf)
{
	config_strv_free(conf->rpki.caches, conf->rpki.ncaches);
	conf->rpki.caches = NULL;
	conf->rpki.ncaches = 0;
}

int
config_section_asn_names(struct config_ctx *ctx, const config_setting_t *s)
{
	return config_parse_path(ctx, &asn_names_key, s,
	    ctx->conf->asn_names);
}

int
config_section_communities(struct config_ctx *ctx, const config_setting_t *s)
{
	return config_parse_path(ctx, &communities_key, s,
	    ctx->conf->communities);
}

int
config_section_rpki(struct config_ctx *ctx, const config_setting_t *s)
{
	if (config_expect(ctx, s, CONFIG_TYPE_GROUP) == -1)
		return -1;
	return config_group(ctx, s, rpki_keys, ctx->conf);
}

/* A host name of letters, digits, '-' and '.', or an IPv4 address. */
static int
config_cache_host_ok(const char *h, size_t len)
{
	size_t		 i;

	if (len == 0 || len > RPKI_HOST_MAX || h[0] == '-' || h[0] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.", h[i]) == NULL)
			return 0;
	return 1;
}

/* "host:port", "a.b.c.d:port" or "[v6]:port". */
static int
config_cache_ok(const char *v)
{
	char		 addr[INET6_ADDRSTRLEN];
	uint8_t		 buf[16];
	const char	*end;
	size_t		 len;

	if (*v == '[') {
		if ((end = strstr(v, "]:")) == NULL ||
		    (len = (size_t)(end - v - 1)) >= sizeof(addr))
			return 0;
		memcpy(addr, v + 1, len);
		addr[len] = '\0';
		return inet_pton(AF_INET6, addr, buf) == 1 &&
		    config_port_ok(end + 2);
	}
	if ((end = strrchr(v, ':')) == NULL)
		return 0;
	return config_cache_host_ok(v, (size_t)(end - v)) &&
	    config_port_ok(end + 1);
}

static int
config_cache_one(struct config_ctx *ctx, const config_setting_t *e,
    const char *v, int i, char **out)
{
	char		 shown[LG_TEXT_MAX];
	int		 j;

	if (!config_cache_ok(v)) {
		config_err(ctx, e, "bad cache \"%s\" (expected \"HOST:PORT\" "
		    "or \"[IPV6-ADDRESS]:PORT\")",
		    config_shown(v, shown, sizeof(shown)));
		return -1;
	}
	for (j = 0; j < i; j++)
		if (out[j] != NULL && strcmp(out[j], v) == 0) {
			config_err(ctx, e, "cache \"%s\" is listed twice", v);
			return -1;
		}
	out[i] = xstrdup(v);
	return 0;
}

/* The caches, most preferred first; at least one, at most a few. */
static int
config_parse_caches(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	const config_setting_t	*e;
	char			**v;
	int			  i, len, bad = 0;

	(void)k;
	(void)dst;
	if (config_expect(ctx, s, CONFIG_TYPE_LIST) == -1)
		return -1;
	if ((len = config_setting_length(s)) == 0 || len > RPKI_CACHES_MAX) {
		config_err(ctx, s, "needs 1 to %d caches, got %d",
		    RPKI_CACHES_MAX, len);
		return -1;
	}
	v = xcalloc((size_t)len, sizeof(*v));
	for (i = 0; i < len; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if (config_expect(ctx, e, CONFIG_TYPE_STRING) == -1 ||
		    config_cache_one(ctx, e, config_setting_get_string(e), i,
		    v) == -1)
			bad = 1;
	}
	if (bad) {
		config_strv_free(v, (size_t)len);
		return -1;
	}
	config_strv_free(ctx->conf->rpki.caches, ctx->conf->rpki.ncaches);
	ctx->conf->rpki.caches = v;
	ctx->conf->rpki.ncaches = (size_t)len;
	return 0;
}
