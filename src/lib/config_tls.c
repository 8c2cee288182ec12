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
 * The keys of several machines (DESIGN.md section 17): the broker's
 * broker.listen_tls = { listen; ca; cert; key; } and the front's
 * web.brokers = ( { name; socket; } | { name; connect; ca; cert; key; } ).
 * Addresses are literal "ADDRESS:PORT" (sock_parse_addr): a front never
 * waits for a resolver to reach a broker.  Called from the key tables of
 * config_sections.c; the files themselves are read when the daemons
 * start and on reload (tls.c), so a bad certificate is named then.
 */

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"

#define T(k, fn, m)	CONFIG_KEY(struct lg_tls_conf, k, fn, m)
#define L(k, fn, m)	CONFIG_KEY(struct lg_broker_link, k, fn, m)

static CONFIG_PARSER(config_parse_addr);

static const struct config_key listen_tls_keys[] = {
	{ T("listen", config_parse_addr, addr), .required = 1 },
	{ T("ca", config_parse_path, ca), .required = 1 },
	{ T("cert", config_parse_path, cert), .required = 1 },
	{ T("key", config_parse_path, key), .required = 1 },
	{ .name = NULL }
};

static const struct config_key link_keys[] = {
	{ L("name", config_parse_name, name), .required = 1 },
	{ L("socket", config_parse_path, socket) },
	{ L("connect", config_parse_addr, tls.addr) },
	{ L("ca", config_parse_path, tls.ca) },
	{ L("cert", config_parse_path, tls.cert) },
	{ L("key", config_parse_path, tls.key) },
	{ .name = NULL }
};

static int
config_parse_addr(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	const char		*v;
	char			 shown[LG_TEXT_MAX];

	if (config_expect(ctx, s, CONFIG_TYPE_STRING) == -1)
		return -1;
	v = config_setting_get_string(s);
	if (strlen(v) >= k->size || sock_parse_addr(v, &ss, &len) == -1) {
		config_err(ctx, s, "bad address \"%s\" (expected "
		    "\"ADDRESS:PORT\" or \"[IPV6-ADDRESS]:PORT\", a literal "
		    "address)", config_shown(v, shown, sizeof(shown)));
		return -1;
	}
	lg_strlcpy(dst, v, k->size);
	return 0;
}

int
config_parse_listen_tls(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct lg_tls_conf	 t = { 0 };
	char			 saved[sizeof(ctx->where)];
	int			 rc;

	(void)k;
	memcpy(saved, ctx->where, sizeof(saved));
	lg_strlcat(ctx->where, ".listen_tls", sizeof(ctx->where));
	if ((rc = config_group(ctx, s, listen_tls_keys, &t)) == 0)
		memcpy(dst, &t, sizeof(t));
	memcpy(ctx->where, saved, sizeof(saved));
	return rc;
}

/* One entry: a name, and either a socket or connect with ca, cert, key. */
static int
config_link_one(struct config_ctx *ctx, const config_setting_t *e,
    struct lg_broker_link *l, const struct lg_broker_link *prev, size_t n)
{
	size_t	 i;

	if (config_group(ctx, e, link_keys, l) == -1)
		return -1;
	if ((l->socket[0] != '\0') == (l->tls.addr[0] != '\0')) {
		config_err(ctx, e, "broker \"%s\": needs either socket or "
		    "connect", l->name);
		return -1;
	}
	if (l->tls.addr[0] != '\0' && (l->tls.ca[0] == '\0' ||
	    l->tls.cert[0] == '\0' || l->tls.key[0] == '\0')) {
		config_err(ctx, e, "broker \"%s\": connect needs ca, cert and "
		    "key", l->name);
		return -1;
	}
	if (l->socket[0] != '\0' && (l->tls.ca[0] != '\0' ||
	    l->tls.cert[0] != '\0' || l->tls.key[0] != '\0')) {
		config_err(ctx, e, "broker \"%s\": ca, cert and key go with "
		    "connect, not socket", l->name);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (strcmp(prev[i].name, l->name) == 0) {
			config_err(ctx, e, "broker \"%s\" named twice",
			    l->name);
			return -1;
		}
	return 0;
}

int
config_parse_brokers(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct lg_broker_link	*v;
	char			 saved[sizeof(ctx->where)];
	int			 i, len, bad = 0;

	(void)k;
	(void)dst;
	if (config_setting_type(s) != CONFIG_TYPE_LIST) {
		config_err(ctx, s, "expected a list of groups, brokers = "
		    "( { ... }, { ... } ), got %s",
		    config_type_name(config_setting_type(s)));
		return -1;
	}
	len = config_setting_length(s);
	if (len == 0 || len > LG_BROKERS_MAX) {
		config_err(ctx, s, "needs 1 to %d brokers, not %d",
		    LG_BROKERS_MAX, len);
		return -1;
	}
	v = xcalloc((size_t)len, sizeof(*v));
	memcpy(saved, ctx->where, sizeof(saved));
	lg_strlcat(ctx->where, ".brokers", sizeof(ctx->where));
	for (i = 0; i < len; i++)
		if (config_link_one(ctx, config_setting_get_elem(s,
		    (unsigned int)i), &v[i], v, (size_t)i) == -1)
			bad = 1;
	memcpy(ctx->where, saved, sizeof(saved));
	if (bad) {
		free(v);
		return -1;
	}
	free(ctx->conf->web.brokers);
	ctx->conf->web.brokers = v;
	ctx->conf->web.nbrokers = (size_t)len;
	return 0;
}

void
config_tls_free(struct lg_config *conf)
{
	free(conf->web.brokers);
	conf->web.brokers = NULL;
	conf->web.nbrokers = 0;
}
