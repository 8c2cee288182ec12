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
 * The routers list of lorgnette.conf: one group per router, checked key by
 * key against the table below.  Names must be unique and usable in URLs
 * and lgctl arguments; a router's query set is its "queries" list (by
 * default the global policy.queries) less its "disable" list, and may not
 * reach beyond policy.queries.  Whether "credential" names an entry of the
 * credentials file and "driver" a loaded driver is checked by the broker,
 * which alone reads those files.
 */

#include <sys/socket.h>

#include <arpa/inet.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"

#define CONFIG_ROUTERS_MAX	10000
#define CONFIG_QMASK_UNSET	UINT_MAX

/* A router while it is parsed: the result plus what needs a second look. */
struct config_router {
	struct lg_router	 r;
	unsigned int		 queries;	/* or CONFIG_QMASK_UNSET */
	unsigned int		 disable;
};

static CONFIG_PARSER(config_parse_rname);
static CONFIG_PARSER(config_parse_transport);
static CONFIG_PARSER(config_parse_host);
static CONFIG_PARSER(config_parse_port);
static CONFIG_PARSER(config_parse_source);
static CONFIG_PARSER(config_parse_socket);
static CONFIG_PARSER(config_parse_audience);

#define R(k, fn, m)	CONFIG_KEY(struct config_router, k, fn, m)

static const struct config_key router_keys[] = {
	{ R("name", config_parse_rname, r.name), .required = 1 },
	{ R("location", config_parse_str, r.location) },
	{ R("group", config_parse_str, r.group) },
	{ R("driver", config_parse_name, r.driver), .required = 1 },
	{ R("transport", config_parse_transport, r.transport) },
	{ R("host", config_parse_host, r.host) },	/* not local */
	{ R("port", config_parse_port, r.port), .min = 1, .max = 65535 },
	{ R("credential", config_parse_name, r.credential) },	/* not local */
	{ R("socket", config_parse_socket, r.socket) },	/* local */
	{ R("sessions", config_parse_int, r.sessions), .min = 1, .max = 16 },
	{ R("source4", config_parse_source, r.source4), .min = AF_INET },
	{ R("source6", config_parse_source, r.source6), .min = AF_INET6 },
	{ R("vrf", config_parse_name, r.vrf) },
	{ R("queries", config_parse_qmask, queries) },
	{ R("disable", config_parse_qmask, disable) },
	{ R("audience", config_parse_audience, r.audience) },
	{ .name = NULL }
};

static const struct {
	const char		*name;
	enum lg_transport	 transport;
	uint16_t		 port;
} config_transports[] = {
	{ "ssh",	TRANSPORT_SSH,		22 },
	{ "telnet",	TRANSPORT_TELNET,	23 },
	{ "local",	TRANSPORT_LOCAL,	0 },
	{ NULL,		TRANSPORT_SSH,		0 }
};

/* Sessions a router keeps open when it does not say. */
#define CONFIG_SESSIONS_DEFAULT	2

static int	 config_router_one(struct config_ctx *,
		    const config_setting_t *, int);
static void	 config_router_where(struct config_ctx *,
		    const config_setting_t *, int);
static void	 config_router_queries(struct config_ctx *,
		    const config_setting_t *, struct config_router *);
static int	 config_hostname_ok(const char *);

/*
 * Router names travel in URLs, in lgctl's comma-separated lists and in
 * the wire protocol: the rule is validate.c's, shared with both daemons.
 */
static int
config_parse_rname(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	char		*d = dst, shown[LG_TEXT_MAX];

	if (config_parse_str(ctx, k, s, dst) == -1)
		return -1;
	if (validate_router_name(d) == -1) {
		config_err(ctx, s, "\"%s\" is not a valid router name "
		    "(letters, digits, '.', '_' and '-', not starting with "
		    "'.' or '-')", config_shown(d, shown, sizeof(shown)));
		d[0] = '\0';
		return -1;
	}
	return 0;
}

/* "public" (the default) or "staff" (DESIGN.md section 16). */
static int
config_parse_audience(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	const char	*v;
	char		 shown[LG_NAME_MAX];

	(void)k;
	if (config_expect(ctx, s, CONFIG_TYPE_STRING) == -1)
		return -1;
	v = config_setting_get_string(s);
	if (strcmp(v, "public") == 0)
		*(enum lg_audience *)dst = AUD_PUBLIC;
	else if (strcmp(v, "staff") == 0)
		*(enum lg_audience *)dst = AUD_STAFF;
	else {
		config_err(ctx, s, "\"%s\" is not an audience (\"public\" or "
		    "\"staff\")", config_shown(v, shown, sizeof(shown)));
		return -1;
	}
	return 0;
}

static int
config_parse_transport(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	const char	*v;
	size_t		 i;

	(void)k;
	if (config_expect(ctx, s, CONFIG_TYPE_STRING) == -1)
		return -1;
	v = config_setting_get_string(s);
	for (i = 0; config_transports[i].name != NULL; i++)
		if (strcmp(v, config_transports[i].name) == 0) {
			*(enum lg_transport *)dst =
			    config_transports[i].transport;
			return 0;
		}
	config_err(ctx, s, "expected \"ssh\", \"telnet\" or \"local\"");
	return -1;
}

/* RFC 1123 host name: dot-separated labels of letters, digits and '-'. */
static int
config_hostname_ok(const char *v)
{
	size_t		 len, n;

	if ((len = strlen(v)) == 0 || len > LG_HOSTNAME_MAX)
		return 0;
	while (*v != '\0') {
		n = strspn(v, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
		if (n == 0 || n > 63 || v[0] == '-' || v[n - 1] == '-')
			return 0;
		v += n;
		if (*v == '.' && v[1] != '\0')
			v++;
		else if (*v != '\0')
			return 0;
	}
	return 1;
}

static int
config_parse_host(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	char		*d = dst, shown[LG_TEXT_MAX];
	uint8_t		 buf[16];

	if (config_parse_str(ctx, k, s, dst) == -1)
		return -1;
	if (inet_pton(AF_INET, d, buf) == 1 ||
	    inet_pton(AF_INET6, d, buf) == 1 || config_hostname_ok(d))
		return 0;
	config_err(ctx, s, "\"%s\" is neither an IP address nor a host "
	    "name", config_shown(d, shown, sizeof(shown)));
	d[0] = '\0';
	return -1;
}

static int
config_parse_port(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	long long	 v;

	if (config_long_long(ctx, s, k->min, k->max, &v) == -1)
		return -1;
	*(uint16_t *)dst = (uint16_t)v;
	return 0;
}

/* source4 and source6: an address of the family in key->min. */
static int
config_parse_source(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	char		*d = dst, shown[LG_TEXT_MAX];
	uint8_t		 buf[16];

	if (config_parse_str(ctx, k, s, dst) == -1)
		return -1;
	if (inet_pton((int)k->min, d, buf) == 1) {
		/* Canonical form: that is what templates receive. */
		inet_ntop((int)k->min, buf, d, (socklen_t)k->size);
		return 0;
	}
	config_err(ctx, s, "\"%s\" is not an %s address",
	    config_shown(d, shown, sizeof(shown)),
	    k->min == AF_INET ? "IPv4" : "IPv6");
	d[0] = '\0';
	return -1;
}

/* Messages about a router name it, or its position when it has no name. */
static void
config_router_where(struct config_ctx *ctx, const config_setting_t *s,
    int i)
{
	const config_setting_t	*n;
	const char		*v;

	n = config_setting_type(s) == CONFIG_TYPE_GROUP ?
	    config_setting_get_member(s, "name") : NULL;
	if (n != NULL && config_setting_type(n) == CONFIG_TYPE_STRING &&
	    validate_router_name(v = config_setting_get_string(n)) == 0)
		snprintf(ctx->where, sizeof(ctx->where), "router \"%s\"", v);
	else
		snprintf(ctx->where, sizeof(ctx->where), "routers[%d]", i);
	ctx->sep = ": ";
}

static void
config_router_queries(struct config_ctx *ctx, const config_setting_t *s,
    struct config_router *cr)
{
	unsigned int	 global = ctx->conf->policy.queries, extra, q;

	if (cr->queries == CONFIG_QMASK_UNSET)
		cr->queries = global;
	if ((extra = cr->queries & ~global) != 0) {
		for (q = 0; q < Q_COUNT; q++)
			if (extra & Q_MASK(q))
				break;
		config_err(ctx, config_setting_get_member(s, "queries"),
		    "%s is not enabled in policy.queries",
		    query_name((enum lg_query_type)q));
	}
	cr->r.queries = cr->queries & global & ~cr->disable;
}

/* The well-known port of a transport. */
static uint16_t
config_transport_port(enum lg_transport transport)
{
	size_t	 t;

	for (t = 0; config_transports[t].name != NULL; t++)
		if (config_transports[t].transport == transport)
			break;
	return config_transports[t].port;
}

/*
 * A router's defaults over the given transport: the values the loader
 * starts from, and what tests that build a router in C start from.
 */
void
config_router_defaults(struct lg_router *r, enum lg_transport transport)
{
	r->transport = transport;
	r->sessions = CONFIG_SESSIONS_DEFAULT;
	r->port = config_transport_port(transport);
}

/*
 * socket: the control socket of a daemon on this host (BIRD, FRR), for
 * transport local; relative to the config file's directory.
 */
static int
config_parse_socket(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct config_key kk = *k;
	char		 path[LG_PATH_MAX];

	kk.size = sizeof(path);
	if (config_parse_path(ctx, &kk, s, path) == -1)
		return -1;
	if (lg_strlcpy(dst, path, LG_SOCKET_PATH_MAX) >= LG_SOCKET_PATH_MAX) {
		config_err(ctx, s, "longer than %d bytes, the most a Unix "
		    "socket path may be", LG_SOCKET_PATH_MAX - 1);
		((char *)dst)[0] = '\0';
		return -1;
	}
	return 0;
}

/*
 * host and credential: required to reach a router over the network, and
 * meaningless on this host (transport local), as port is; socket is the
 * other way round.
 */
static void
config_router_access(struct config_ctx *ctx, const config_setting_t *s,
    const struct config_router *cr)
{
	static const char *const remote[] = { "host", "credential", NULL };
	static const char *const local[] = { "host", "port", "credential",
	    NULL };
	const char *const	*k;
	int			 here = cr->r.transport == TRANSPORT_LOCAL;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return;		/* config_group said so */
	for (k = here ? local : remote; *k != NULL; k++) {
		if (!here && config_setting_get_member(s, *k) == NULL)
			diag_error(ctx->diag, ctx->file, cr->r.line,
			    "%s: missing required key \"%s\"", ctx->where, *k);
		else if (here && config_setting_get_member(s, *k) != NULL)
			config_err(ctx, config_setting_get_member(s, *k),
			    "has no use with transport \"local\"");
	}
	if (!here && config_setting_get_member(s, "socket") != NULL)
		config_err(ctx, config_setting_get_member(s, "socket"),
		    "is for transport \"local\" only");
}

/* Parses element i of the list into the routers array; 0 or -1. */
static int
config_router_one(struct config_ctx *ctx, const config_setting_t *s, int i)
{
	struct lg_config	*conf = ctx->conf;
	struct config_router	 cr = { 0 };
	const struct lg_router	*dup;
	size_t			 before = ctx->diag->nerrors;

	config_router_where(ctx, s, i);
	config_router_defaults(&cr.r, TRANSPORT_SSH);
	cr.r.port = 0;		/* the transport's, unless given */
	cr.r.line = config_setting_source_line(s);
	cr.queries = CONFIG_QMASK_UNSET;
	config_group(ctx, s, router_keys, &cr);
	config_router_access(ctx, s, &cr);
	if (cr.r.port == 0)
		cr.r.port = config_transport_port(cr.r.transport);
	config_router_queries(ctx, s, &cr);
	if ((dup = config_router(conf, cr.r.name)) != NULL)
		diag_error(ctx->diag, ctx->file, cr.r.line,
		    "duplicate router name \"%s\" (first defined at line %d)",
		    cr.r.name, dup->line);
	/*
	 * A broken router is kept too, so that a later duplicate of its name
	 * is still reported; any error discards the whole list anyway.
	 */
	if (cr.r.name[0] != '\0') {
		conf->routers = xreallocarray(conf->routers,
		    conf->nrouters + 1, sizeof(*conf->routers));
		conf->routers[conf->nrouters++] = cr.r;
	}
	return ctx->diag->nerrors == before ? 0 : -1;
}

int
config_section_routers(struct config_ctx *ctx, const config_setting_t *s)
{
	int		 i, len, bad = 0;

	if (config_setting_type(s) != CONFIG_TYPE_LIST) {
		config_err(ctx, s, "expected a list of groups, "
		    "routers = ( { ... }, { ... } ), got %s",
		    config_type_name(config_setting_type(s)));
		return -1;
	}
	if ((len = config_setting_length(s)) > CONFIG_ROUTERS_MAX) {
		config_err(ctx, s, "too many routers (%d, at most %d)", len,
		    CONFIG_ROUTERS_MAX);
		return -1;
	}
	if (len == 0) {
		config_err(ctx, s, "no routers defined");
		return -1;
	}
	for (i = 0; i < len; i++)
		if (config_router_one(ctx, config_setting_get_elem(s,
		    (unsigned int)i), i) == -1)
			bad = 1;
	return bad ? -1 : 0;
}
