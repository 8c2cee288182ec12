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
 * Audiences (DESIGN.md section 16): who a request comes from, and what
 * that audience may see.  This is the one place that decides it; every
 * entry point (the router list, the JSON API and its stream, RFC 8522,
 * /metrics, stored results) asks aud_router, aud_type or aud_router_at.
 *
 * A request is staff when, from a TCP peer in web.trusted_proxies, it
 * carries a user name in web.auth.user_header, or when it carries a valid
 * API token (Authorization: Bearer, web.auth.tokens); anything else is
 * the public.  A
 * bad, expired or revoked token is refused (401), never taken for the
 * public.  To the public a staff router or query type does not exist:
 * the lists skip it, RFC 8522 numbers only what the public sees, and
 * asking for it gets the answer a name that exists nowhere gets.
 *
 * The tokens file is re-read when it changes (checked at each use, by
 * its inode, size and time), so a revocation takes effect at once, and on
 * reload; the last uses go to PATH.used at most once a minute (tokens.c).
 * A table that cannot be read holds no token: bearer requests are then
 * refused, never let through.  The token table is shared
 * by libmicrohttpd's threads under aud_lock.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "lg.h"
#include "lg_tokens.h"
#include "web.h"

#define AUD_USED_EVERY		60	/* s between writes of PATH.used */
#define AUD_BEARER		"Bearer "

static pthread_mutex_t	 aud_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char		 path[LG_PATH_MAX];	/* "" = no tokens */
	struct lg_tokens t;
	int		 loaded;
	struct stat	 st;			/* of the file read */
	int		 used_fd;		/* PATH.used, or -1 */
	time_t		 written;		/* PATH.used last written */
	int		 dirty;
} aud = { .used_fd = -1 };

/* Whether a TCP peer (or a client address) is in web.trusted_proxies. */
int
aud_trusted(const struct lg_config *conf, enum lg_afi family,
    const uint8_t *addr)
{
	size_t	 i;

	for (i = 0; i < conf->web.ntrusted_proxies; i++)
		if (prefix_contains(&conf->web.trusted_proxies[i], family,
		    addr))
			return 1;
	return 0;
}

static int
aud_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/*
 * (Re)reads the tokens file when it is new or changed (aud_lock held),
 * keeping the last-use times already known.  A file that cannot be read
 * holds no token: every bearer request is refused until it can be.
 */
static void
aud_tokens_fresh(void)
{
	struct lg_tokens	 t;
	struct lg_token		*old;
	struct stat		 st;
	char			 err[LG_ERRSTR_MAX + LG_PATH_MAX];
	size_t			 i;

	if (stat(aud.path, &st) == -1) {
		if (aud.loaded)
			log_warn("web.auth.tokens %s", aud.path);
		tokens_free(&aud.t);
		aud.loaded = 0;
		return;
	}
	if (aud.loaded && aud_same_file(&st, &aud.st))
		return;
	if (tokens_load(aud.path, &t, err, sizeof(err)) == -1) {
		log_warnx("web.auth.tokens: %s", err);
		tokens_free(&aud.t);
		aud.loaded = 0;
		return;
	}
	tokens_used_load(aud.path, &t);
	for (i = 0; i < t.n; i++)
		if ((old = tokens_by_id(&aud.t, t.v[i].id)) != NULL &&
		    old->used > t.v[i].used)
			t.v[i].used = old->used;
	tokens_free(&aud.t);
	aud.t = t;
	aud.st = st;
	aud.loaded = 1;
	log_info("web.auth.tokens: %zu tokens from %s", t.n, aud.path);
}

/*
 * Takes web.auth.tokens from a configuration: at start (before the
 * sandbox: PATH.used is opened for writing then) and on reload, which
 * re-reads the file.  A new path needs a restart, as the sandbox allows
 * only the directory it was started with.
 */
void
aud_reload(const struct lg_config *conf)
{
	char	 err[LG_ERRSTR_MAX + LG_PATH_MAX];

	pthread_mutex_lock(&aud_lock);
	if (aud.used_fd == -1 && aud.path[0] == '\0' &&
	    conf->web.auth.tokens[0] != '\0') {
		lg_strlcpy(aud.path, conf->web.auth.tokens, sizeof(aud.path));
		if ((aud.used_fd = tokens_used_open(aud.path, err,
		    sizeof(err))) == -1)
			log_warnx("web.auth.tokens: last use not recorded: %s",
			    err);
	} else if (strcmp(aud.path, conf->web.auth.tokens) != 0)
		log_warnx("reload: web.auth.tokens changed; restart lgwebd "
		    "for it");
	aud.loaded = 0;		/* a reload re-reads the file */
	if (aud.path[0] != '\0')
		aud_tokens_fresh();
	pthread_mutex_unlock(&aud_lock);
}

/* Writes PATH.used if a use is pending (aud_lock held). */
static void
aud_used_flush(time_t now, int force)
{
	char	 err[LG_ERRSTR_MAX + LG_PATH_MAX];

	if (!aud.dirty || (!force && now - aud.written < AUD_USED_EVERY))
		return;
	aud.written = now;
	aud.dirty = 0;
	if (aud.used_fd != -1 &&
	    tokens_used_write(aud.used_fd, &aud.t, err, sizeof(err)) == -1)
		log_warnx("web.auth.tokens: last use: %s", err);
}

void
aud_shutdown(void)
{
	pthread_mutex_lock(&aud_lock);
	if (aud.path[0] != '\0')
		aud_used_flush(time(NULL), 1);
	tokens_free(&aud.t);
	aud.loaded = 0;
	aud.path[0] = '\0';
	if (aud.used_fd != -1)
		close(aud.used_fd);
	aud.used_fd = -1;
	pthread_mutex_unlock(&aud_lock);
}

/*
 * A bearer token: 0 with who filled, or -1 with the 401's message.  The
 * message names the token by its id once it is known, never by itself.
 */
static int
aud_token(const char *token, struct aud_who *who, char *err, size_t errlen)
{
	struct lg_token	*tk;
	time_t		 now = time(NULL);
	int		 rv = -1;

	pthread_mutex_lock(&aud_lock);
	if (aud.path[0] == '\0')
		snprintf(err, errlen, "Authorization: this looking glass "
		    "takes no API tokens (web.auth.tokens)");
	else {
		aud_tokens_fresh();
		if ((tk = tokens_find(&aud.t, token)) == NULL)
			snprintf(err, errlen, "Authorization: unknown API "
			    "token");
		else if (tk->revoked != 0)
			snprintf(err, errlen, "Authorization: API token %s "
			    "was revoked", tk->id);
		else if (tk->expires != 0 && tk->expires <= now)
			snprintf(err, errlen, "Authorization: API token %s "
			    "has expired", tk->id);
		else {
			who->audience = AUD_STAFF;
			lg_strlcpy(who->user, tk->user, sizeof(who->user));
			if (tk->used / AUD_USED_EVERY != now / AUD_USED_EVERY)
				aud.dirty = 1;
			tk->used = now;
			aud_used_flush(now, 0);
			rv = 0;
		}
	}
	pthread_mutex_unlock(&aud_lock);
	return rv;
}

/* The connection's TCP peer as an address family and bytes; 0 or -1. */
static int
aud_peer(struct MHD_Connection *c, enum lg_afi *family, uint8_t addr[16])
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;
	const struct sockaddr_in6	*s6;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return -1;
	memset(addr, 0, 16);
	if (sa->sa_family == AF_INET) {
		*family = AFI_IPV4;
		memcpy(addr, &((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	s6 = (const struct sockaddr_in6 *)(const void *)sa;
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		*family = AFI_IPV4;
		memcpy(addr, &s6->sin6_addr.s6_addr[12], 4);
	} else {
		*family = AFI_IPV6;
		memcpy(addr, &s6->sin6_addr, 16);
	}
	return 0;
}

/*
 * Who a request comes from.  The trusted proxy's word comes first: from a
 * TCP peer in web.trusted_proxies, a user in web.auth.user_header signs
 * the request in (the proxy may pass its own Authorization along, which
 * is then not ours).  Otherwise "Authorization: Bearer" must hold a valid
 * token; another scheme is not ours and is ignored.  0 with who filled
 * (the public when nobody signed in), or -1 with the message of a 401 (a
 * bad, expired or revoked token) or, with *e set to LG_ERR_BAD_QUERY, of
 * a 400 (a user header that holds no valid user name).
 */
int
aud_identify(struct MHD_Connection *c, const struct lg_config *conf,
    struct aud_who *who, enum lg_err *e, char *err, size_t errlen)
{
	const char	*v = NULL;
	enum lg_afi	 family;
	uint8_t		 addr[16];

	memset(who, 0, sizeof(*who));
	who->audience = AUD_PUBLIC;
	*e = LG_ERR_UNAUTHORIZED;
	if (conf->web.auth.user_header[0] != '\0' &&
	    aud_peer(c, &family, addr) == 0 &&
	    aud_trusted(conf, family, addr))
		v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    conf->web.auth.user_header);
	if (v != NULL && v[0] != '\0') {
		if (!validate_user_name(v)) {
			*e = LG_ERR_BAD_QUERY;
			snprintf(err, errlen, "%s: not a valid user name "
			    "(letters, digits and \"._@+-\", at most %d)",
			    conf->web.auth.user_header, LG_USER_MAX - 1);
			return -1;
		}
		who->audience = AUD_STAFF;
		lg_strlcpy(who->user, v, sizeof(who->user));
		return 0;
	}
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (v == NULL || strncasecmp(v, AUD_BEARER, strlen(AUD_BEARER)) != 0)
		return 0;
	v += strlen(AUD_BEARER);
	v += strspn(v, " ");
	who->token = 1;
	return aud_token(v, who, err, errlen);
}

/* The refusal of aud_identify, in JSON ({"error"}) with its status. */
int
aud_refuse(struct MHD_Connection *c, enum lg_err e, const char *msg,
    enum wmetrics_endpoint ep)
{
	struct MHD_Response	*resp;

	if ((resp = http_error_response(e, msg)) == NULL)
		return MHD_NO;
	if (e == LG_ERR_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		    "Bearer realm=\"lorgnette\"");
	return http_queue(c, (unsigned int)lg_err_http_status(e), resp, ep);
}

/* A router this audience may see, or NULL (unknown, or staff only). */
const struct lg_router *
aud_router(const struct lg_config *conf, enum lg_audience a,
    const char *name)
{
	const struct lg_router	*r;

	if ((r = config_router(conf, name)) == NULL ||
	    (r->audience == AUD_STAFF && a != AUD_STAFF))
		return NULL;
	return r;
}

/* Whether a query type is offered (policy.queries) to this audience. */
int
aud_type(const struct lg_config *conf, enum lg_audience a,
    enum lg_query_type q)
{
	if ((unsigned int)q >= Q_COUNT ||
	    !(conf->policy.queries & Q_MASK(q)))
		return 0;
	return a == AUD_STAFF || !(conf->web.staff_queries & Q_MASK(q));
}

/* The subset of a Q_MASK this audience may see. */
unsigned int
aud_queries(const struct lg_config *conf, enum lg_audience a,
    unsigned int mask)
{
	unsigned int	 q, out = 0;

	for (q = 0; q < Q_COUNT; q++)
		if ((mask & Q_MASK(q)) &&
		    aud_type(conf, a, (enum lg_query_type)q))
			out |= Q_MASK(q);
	return out;
}

/*
 * The index-th router this audience sees, in configuration order (RFC
 * 8522's routerindex: the public's numbers have no gap where a staff
 * router is), or NULL past the end.
 */
const struct lg_router *
aud_router_at(const struct lg_config *conf, enum lg_audience a, long index)
{
	size_t	 i;
	long	 n = 0;

	if (index < 0)
		return NULL;
	for (i = 0; i < conf->nrouters; i++)
		if (aud_router(conf, a, conf->routers[i].name) != NULL &&
		    n++ == index)
			return &conf->routers[i];
	return NULL;
}
