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
 * libmicrohttpd: one daemon per web.listen address, each with a pool of
 * two epoll threads and suspend/resume enabled, so a streaming answer
 * waits for the broker without holding a thread.  Requests are dispatched
 * through routes[]; every response leaves through http_queue, which adds
 * the security headers and counts it.  Query strings are split and
 * decoded by libmicrohttpd, with params_unescape as the decoder.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

#include "lg.h"
#include "web.h"

#define HTTP_MAX_DAEMONS	16
#define HTTP_POOL		2
/* Connections one address may hold, at least (or a quarter of all). */
#define HTTP_PER_IP_MIN		16
#define M_GET			0x01	/* GET and HEAD */
#define M_POST			0x02
#define R_SAMESITE		0x04	/* runs queries: no cross-site caller */
#define M_DELETE		0x08	/* staff delete what it names */

/*
 * A route has one of two handlers: fn sees the whole request (body, method,
 * context across calls); answer only needs the connection.
 */
struct route {
	const char		*path;
	int			 prefix;	/* path is a prefix */
	unsigned int		 methods;	/* none: the handler checks */
	enum wmetrics_endpoint	 ep;
	int			(*fn)(struct MHD_Connection *, const char *,
				    const char *, const char *, size_t *,
				    void **);
	int			(*answer)(struct MHD_Connection *);
};

static int	h_query(struct MHD_Connection *, const char *, const char *,
		    const char *, size_t *, void **);
static int	h_stream(struct MHD_Connection *, const char *, const char *,
		    const char *, size_t *, void **);
static int	h_rfc8522(struct MHD_Connection *, const char *, const char *,
		    const char *, size_t *, void **);
static int	h_openapi(struct MHD_Connection *, const char *, const char *,
		    const char *, size_t *, void **);
static int	h_static(struct MHD_Connection *, const char *, const char *,
		    const char *, size_t *, void **);

static const struct route routes[] = {
	{ "/api/v1/routers",	  0, M_GET,	     EP_ROUTERS, NULL, info_routers },
	{ "/api/v1/site",	  0, M_GET,	     EP_ROUTERS, NULL, info_site },
	{ "/api/v1/query/stream", 0, M_GET | M_POST | R_SAMESITE, EP_STREAM,
	    h_stream, NULL },
	{ "/api/v1/query",	  0, M_GET | M_POST | R_SAMESITE, EP_QUERY,
	    h_query, NULL },
	{ "/api/v1/openapi.json", 0, M_GET,	     EP_STATIC,	 h_openapi, NULL },
	{ RESULTS_API,		  1, M_GET | M_DELETE, EP_RESULTS, share_handle,
	    NULL },
	{ "/healthz",		  0, M_GET,	     EP_HEALTHZ, NULL, info_healthz },
	{ "/metrics",		  0, M_GET,	     EP_METRICS, NULL, info_metrics },
	{ RFC8522_BASE,		  1, R_SAMESITE,     EP_RFC8522, h_rfc8522, NULL },
	{ "/",			  1, M_GET,	     EP_STATIC,	 h_static, NULL },
	{ NULL,			  0, 0,		     EP_OTHER,	 NULL, NULL }
};

static const char *const security_headers[][2] = {
	{ "Content-Security-Policy", "default-src 'self'; script-src 'self'; "
	    "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
	    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "no-referrer" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Permissions-Policy", "geolocation=(), camera=(), microphone=()" },
	{ NULL, NULL }
};

static struct MHD_Daemon	*daemons[HTTP_MAX_DAEMONS];
static size_t			 ndaemons;
static char			*tls_key, *tls_cert;
static char			 http_pending;	/* *ctx before the handler */
static char			 http_many;	/* *ctx: too many parameters */

static void
http_security_headers(struct MHD_Response *resp)
{
	size_t	 i;

	for (i = 0; security_headers[i][0] != NULL; i++)
		MHD_add_response_header(resp, security_headers[i][0],
		    security_headers[i][1]);
}

/*
 * Queues and releases resp; the result is libmicrohttpd's.  A 503 (the
 * broker is away, or busy) says when to try again unless it already does.
 */
int
http_queue(struct MHD_Connection *conn, unsigned int status,
    struct MHD_Response *resp, enum wmetrics_endpoint ep)
{
	enum MHD_Result	 rv;

	if (resp == NULL)
		return MHD_NO;
	http_security_headers(resp);
	if (status == 503 && MHD_get_response_header(resp, "Retry-After") ==
	    NULL)
		MHD_add_response_header(resp, "Retry-After", WEB_RETRY_AFTER);
	rv = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	wmetrics_http(ep, status);
	return rv;
}

/*
 * The compact text of a JSON document, malloc'd, or NULL.  Reals (RFC
 * 8522's runtime, milliseconds in seconds) print with 12 significant
 * digits: 0.601, not 0.60099999999999998.
 */
char *
http_json_text(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(12));
}

/* A JSON document as a response; takes j. */
struct MHD_Response *
http_json_response(json_t *j)
{
	struct MHD_Response	*resp;
	char			*s;

	if (j == NULL)
		return NULL;
	s = http_json_text(j);
	json_decref(j);
	if (s == NULL)
		return NULL;
	resp = MHD_create_response_from_buffer(strlen(s), s,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(s);
		return NULL;
	}
	MHD_add_response_header(resp, "Content-Type", "application/json");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return resp;
}

int
http_queue_json(struct MHD_Connection *conn, unsigned int status, json_t *j,
    enum wmetrics_endpoint ep)
{
	return http_queue_json_retry(conn, status, j, ep, 0);
}

/* As http_queue_json; retry > 0 adds Retry-After (a 429). */
int
http_queue_json_retry(struct MHD_Connection *conn, unsigned int status,
    json_t *j, enum wmetrics_endpoint ep, unsigned int retry)
{
	struct MHD_Response	*resp;
	char			 s[16];

	if ((resp = http_json_response(j)) == NULL)
		return MHD_NO;
	if (retry > 0) {
		snprintf(s, sizeof(s), "%u", retry);
		MHD_add_response_header(resp, "Retry-After", s);
	}
	return http_queue(conn, status, resp, ep);
}

/* {"error":{"code","message"}}; the message is JSON-escaped. */
json_t *
http_error_doc(enum lg_err e, const char *msg)
{
	return json_pack("{s:{s:s, s:s}}", "error", "code", lg_err_name(e),
	    "message", msg);
}

struct MHD_Response *
http_error_response(enum lg_err e, const char *msg)
{
	return http_json_response(http_error_doc(e, msg));
}

/* The error document with the registry's status. */
int
http_queue_error(struct MHD_Connection *conn, enum lg_err e, const char *msg,
    enum wmetrics_endpoint ep)
{
	return http_queue_json_retry(conn, (unsigned int)lg_err_http_status(e),
	    http_error_doc(e, msg), ep, 0);
}

static int
http_status_error(struct MHD_Connection *conn, unsigned int status,
    enum lg_err e, const char *msg, enum wmetrics_endpoint ep,
    const char *allow)
{
	struct MHD_Response	*resp;

	if ((resp = http_error_response(e, msg)) == NULL)
		return MHD_NO;
	if (allow != NULL)
		MHD_add_response_header(resp, "Allow", allow);
	return http_queue(conn, status, resp, ep);
}

/*
 * A body announced as too large is refused before it is read, from the
 * first call: libmicrohttpd accepts no response while a body is coming.
 */
static int
body_too_large(struct MHD_Connection *c, const char *method)
{
	const char	*cl;

	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return 0;
	cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	return cl != NULL && strtoull(cl, NULL, 10) > WEB_BODY_MAX;
}

/* A DELETE changes what others see: same-site and signed-in rules. */
static int
http_deletes(const char *method)
{
	return strcmp(method, "DELETE") == 0;
}

static int
h_query(struct MHD_Connection *c, const char *url, const char *method,
    const char *up, size_t *upsize, void **ctx)
{
	(void)url;
	return api_query(c, method, up, upsize, ctx, FMT_JSON);
}

static int
h_stream(struct MHD_Connection *c, const char *url, const char *method,
    const char *up, size_t *upsize, void **ctx)
{
	(void)url;
	return api_query(c, method, up, upsize, ctx, FMT_SSE);
}

static int
h_rfc8522(struct MHD_Connection *c, const char *url, const char *method,
    const char *up, size_t *upsize, void **ctx)
{
	(void)up;
	*upsize = 0;
	return rfc8522_handle(c, url, method, ctx);
}

static int
h_openapi(struct MHD_Connection *c, const char *url, const char *method,
    const char *up, size_t *upsize, void **ctx)
{
	(void)url;
	(void)method;
	(void)up;
	(void)upsize;
	(void)ctx;
	return static_serve(c, "/api/openapi.json");
}

/* Appends s %-encoded (RFC 3986 unreserved bytes as they are). */
static void
http_urlencode(struct lg_buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*u;
	char			 e[3] = { '%', 0, 0 };

	for (u = (const unsigned char *)s; *u != '\0'; u++) {
		if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') ||
		    (*u >= '0' && *u <= '9') || strchr("-._~", *u) != NULL) {
			buf_append(b, u, 1);
			continue;
		}
		e[1] = hex[*u >> 4];
		e[2] = hex[*u & 0x0f];
		buf_append(b, e, 3);
	}
}

static enum MHD_Result
http_arg_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct lg_buf	*b = cls;

	(void)kind;
	if (strcmp(key, WEB_CONFIRM) == 0)
		return MHD_YES;
	buf_append(b, "&", 1);
	http_urlencode(b, key);
	if (value != NULL) {
		buf_append(b, "=", 1);
		http_urlencode(b, value);
	}
	return MHD_YES;
}

/*
 * A page load with a permalink (a query string) from another site's page
 * (Sec-Fetch-Site: cross-site) goes to the same permalink marked
 * confirm=1, which the page fills in without running: another site
 * cannot make a visitor's browser spend the visitor's rate limit.  The
 * browser keeps the cross-site mark across the redirect.
 */
static int
http_page_from_elsewhere(struct MHD_Connection *c, const char *url)
{
	struct MHD_Response	*resp;
	struct lg_buf		 loc;

	if (strcmp(url, "/") != 0 || !http_fetch_cross_site(c) ||
	    MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
	    WEB_CONFIRM) != NULL ||
	    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, NULL,
	    NULL) == 0)
		return -1;
	buf_init(&loc, 16 * 1024);
	buf_printf(&loc, "/?%s=1", WEB_CONFIRM);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, http_arg_iter,
	    &loc);
	if (buf_append(&loc, "", 1) == -1 ||
	    (resp = MHD_create_response_from_buffer(0, NULL,
	    MHD_RESPMEM_PERSISTENT)) == NULL) {
		buf_free(&loc);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Location", loc.data);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	buf_free(&loc);
	return http_queue(c, 303, resp, EP_STATIC);
}

static int
h_static(struct MHD_Connection *c, const char *url, const char *method,
    const char *up, size_t *upsize, void **ctx)
{
	int	 rv;

	(void)method;
	(void)up;
	(void)upsize;
	(void)ctx;
	if ((rv = http_page_from_elsewhere(c, url)) != -1)
		return rv;
	/* A stored result's link is the page, which loads it. */
	if (strncmp(url, RESULTS_PREFIX, strlen(RESULTS_PREFIX)) == 0 &&
	    results_id_ok(url + strlen(RESULTS_PREFIX),
	    strlen(url + strlen(RESULTS_PREFIX))) == 0)
		return static_serve(c, "/");
	return static_serve(c, url);
}

/*
 * Who is asking (audience.c), from the first call (the headers), before
 * any handler runs: a bad, expired or revoked API token is refused here,
 * on every route (401), never taken for the public.  A POST that runs
 * queries, or a DELETE, on the strength of a user
 * header (the SSO proxy's, which a browser earns with a cookie or basic
 * auth it sends by itself) must also show where it comes from: Origin or
 * Sec-Fetch-Site, which every browser sends with a POST and
 * http_cross_site has checked.  A script shows neither: it signs in with
 * an API token, which no other site's page can make a browser send.
 * Returns -1 to go on, or libmicrohttpd's result of the refusal.
 */
static int
http_signed_in(struct MHD_Connection *c, const struct route *r,
    const char *method)
{
	const struct lg_config	*conf;
	struct aud_who		 who;
	enum lg_err		 e;
	char			 err[LG_ERRSTR_MAX];
	int			 bad;

	if ((conf = webconf_get()) == NULL)
		return MHD_NO;
	bad = aud_identify(c, conf, &who, &e, err, sizeof(err));
	webconf_put(conf);
	if (bad == -1)
		return r->ep == EP_RFC8522 ? rfc8522_error(c, e, err) :
		    aud_refuse(c, e, err, r->ep);
	if (who.audience != AUD_STAFF || who.token ||
	    !(((r->methods & R_SAMESITE) && strcmp(method, "POST") == 0) ||
	    http_deletes(method)) ||
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin") != NULL ||
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Sec-Fetch-Site") != NULL)
		return -1;
	return http_queue_error(c, LG_ERR_DENIED, "request refused: a "
	    "signed-in POST or DELETE must come from this looking glass's "
	    "page (it sends Origin); scripts sign in with an API token "
	    "(Authorization: Bearer)", r->ep);
}

static const struct route *
route_find(const char *url)
{
	const struct route	*r;

	for (r = routes; r->path != NULL; r++)
		if (r->prefix ? strncmp(url, r->path, strlen(r->path)) == 0 :
		    strcmp(url, r->path) == 0)
			return r;
	return NULL;
}

static int
method_ok(const struct route *r, const char *method)
{
	if ((r->methods & (M_GET | M_POST | M_DELETE)) == 0)
		return 1;
	if ((r->methods & M_GET) && (strcmp(method, "GET") == 0 ||
	    strcmp(method, "HEAD") == 0))
		return 1;
	if ((r->methods & M_DELETE) && http_deletes(method))
		return 1;
	return (r->methods & M_POST) && strcmp(method, "POST") == 0;
}

/* The Allow header of a 405. */
static const char *
method_allow(const struct route *r)
{
	if (r->methods & M_POST)
		return "GET, HEAD, POST";
	if (r->methods & M_DELETE)
		return "GET, HEAD, DELETE";
	return "GET, HEAD";
}

/* Only a POST to the query routes reads its body. */
static int
body_wanted(const char *url, const char *method)
{
	const struct route	*r;

	return (r = route_find(url)) != NULL && (r->methods & M_POST) &&
	    strcmp(method, "POST") == 0;
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *up,
    size_t *upsize, void **ctx)
{
	const struct route	*r;
	const char		*why;
	int			 rv;

	(void)cls;
	(void)version;
	/*
	 * libmicrohttpd closes the connection after a response queued in
	 * the first call, which only announces the headers; answering from
	 * the second call keeps connections alive.
	 */
	if (*ctx == &http_many)
		return (enum MHD_Result)http_status_error(c, 414,
		    LG_ERR_BAD_QUERY, "query: too many parameters (more than "
		    WEB_STR(WEB_PARAMS_MAX) ")", EP_OTHER, NULL);
	if (*ctx == NULL) {
		if (body_too_large(c, method))
			return (enum MHD_Result)http_status_error(c, 413,
			    LG_ERR_BAD_QUERY, "body: too large", EP_OTHER,
			    NULL);
		if ((r = route_find(url)) != NULL &&
		    ((r->methods & R_SAMESITE) || http_deletes(method)) &&
		    (why = http_cross_site(c)))
			return (enum MHD_Result)(r->ep == EP_RFC8522 ?
			    rfc8522_error(c, LG_ERR_DENIED, why) :
			    http_queue_error(c, LG_ERR_DENIED, why, r->ep));
		if (r != NULL && (rv = http_signed_in(c, r, method)) != -1)
			return (enum MHD_Result)rv;
		*ctx = &http_pending;
		return MHD_YES;
	}
	if (*ctx == &http_pending) {
		/*
		 * libmicrohttpd refuses a response queued while upload data
		 * is pending and drops the connection: a body nobody reads
		 * is discarded first, and the answer (405, 404) comes with
		 * the final call.
		 */
		if (*upsize != 0 && !body_wanted(url, method)) {
			*upsize = 0;
			return MHD_YES;
		}
		*ctx = NULL;
	}
	if ((r = route_find(url)) == NULL)
		return (enum MHD_Result)http_queue_error(c,
		    LG_ERR_UNKNOWN_TYPE, "no such resource", EP_OTHER);
	if (!method_ok(r, method))
		return (enum MHD_Result)http_status_error(c, 405,
		    LG_ERR_BAD_QUERY, "method not allowed", r->ep,
		    method_allow(r));
	if (r->answer != NULL)
		return (enum MHD_Result)r->answer(c);
	return (enum MHD_Result)r->fn(c, url, method, up, upsize, ctx);
}

static void
http_completed(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	if (*ctx != NULL && *ctx != &http_pending && *ctx != &http_many)
		api_completed(*ctx, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	*ctx = NULL;
}

/*
 * Sees the request line's URI before libmicrohttpd splits the query
 * string.  libmicrohttpd 0.9.75 gives every parameter a record in the
 * connection's memory pool; when the pool runs out it queues a 431 that
 * it never sends, and the client waits for connection_timeout.  So a
 * query string of more than WEB_PARAMS_MAX parameters is cut here, before
 * it is split (uri is the connection's own read buffer), and the request
 * gets a 414 from http_access.  The returned pointer becomes *ctx.
 */
static void *
http_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	char	*q;
	size_t	 n = 1;

	(void)cls;
	(void)c;
	if (uri == NULL || (q = strchr(uri, '?')) == NULL)
		return NULL;
	for (q++; *q != '\0' && *q != ' '; q++)
		if (*q == '&' && ++n > WEB_PARAMS_MAX) {
			q = strchr(uri, '?');
			q[1] = '\0';
			return &http_many;
		}
	return NULL;
}

static size_t
http_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return params_unescape(s);
}

static void	 http_log(void *, const char *, va_list)
		    __attribute__((__format__(__printf__, 2, 0)));

static void
http_log(void *cls, const char *fmt, va_list ap)
{
	char	 msg[512];
	size_t	 n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_warnx("libmicrohttpd: %s", msg);
}

/* "addr:port" or "[v6addr]:port" to a socket address. */
static int
http_parse_listen(const char *s, struct sockaddr_storage *ss)
{
	struct addrinfo		 hints = { 0 }, *res;
	char			 host[INET6_ADDRSTRLEN + 2];
	const char		*colon, *port;
	size_t			 len;

	if ((colon = strrchr(s, ':')) == NULL)
		return -1;
	port = colon + 1;
	len = (size_t)(colon - s);
	if (s[0] == '[') {
		if (len < 2 || s[len - 1] != ']')
			return -1;
		s++;
		len -= 2;
	}
	if (len >= sizeof(host))
		return -1;
	memcpy(host, s, len);
	host[len] = '\0';
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(len ? host : NULL, port, &hints, &res) != 0)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

static char *
http_slurp(const char *path)
{
	FILE	*f;
	char	*s;
	long	 n;

	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    n > 1024 * 1024 || fseek(f, 0, SEEK_SET) == -1 ||
	    (s = calloc(1, (size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

static struct MHD_Daemon *
http_daemon(const struct lg_config *conf, const struct sockaddr_storage *ss)
{
	unsigned int	 flags = MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	unsigned int	 maxconn = conf->web.max_connections;
	unsigned int	 perip = maxconn / 4 < HTTP_PER_IP_MIN ? HTTP_PER_IP_MIN :
	    maxconn / 4;
	unsigned int	 timeout = conf->web.connection_timeout;

	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (tls_key != NULL)
		flags |= MHD_USE_TLS;
	return MHD_start_daemon(flags, 0, NULL, NULL, http_access, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, http_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)HTTP_POOL,
	    MHD_OPTION_CONNECTION_LIMIT, maxconn,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, perip,
	    MHD_OPTION_CONNECTION_TIMEOUT, timeout,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, NULL,
	    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, NULL,
	    MHD_OPTION_URI_LOG_CALLBACK, http_uri, NULL,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
	    tls_key != NULL ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END,
	    tls_key, MHD_OPTION_HTTPS_MEM_CERT, tls_cert, MHD_OPTION_END);
}

/*
 * Binds every web.listen address (before privileges are dropped).
 * Returns 0, or -1 after logging which address failed.
 */
int
http_start(const struct lg_config *conf)
{
	struct sockaddr_storage	 ss;
	size_t			 i;

	if (conf->web.tls_certificate[0] != '\0') {
		tls_cert = http_slurp(conf->web.tls_certificate);
		tls_key = http_slurp(conf->web.tls_key);
		if (tls_cert == NULL || tls_key == NULL) {
			log_warnx("web.tls: cannot read the certificate or "
			    "the key");
			return -1;
		}
	}
	for (i = 0; i < conf->web.nlisten && ndaemons < HTTP_MAX_DAEMONS;
	    i++) {
		if (http_parse_listen(conf->web.listen[i], &ss) == -1) {
			log_warnx("web.listen: bad address %s",
			    conf->web.listen[i]);
			return -1;
		}
		if ((daemons[ndaemons] = http_daemon(conf, &ss)) == NULL) {
			log_warnx("web.listen: cannot listen on %s",
			    conf->web.listen[i]);
			return -1;
		}
		log_info("listening on %s", conf->web.listen[i]);
		ndaemons++;
	}
	return ndaemons > 0 ? 0 : -1;
}

void
http_quiesce(void)
{
	size_t	 i;

	for (i = 0; i < ndaemons; i++)
		MHD_quiesce_daemon(daemons[i]);
}

void
http_stop(void)
{
	size_t	 i;

	for (i = 0; i < ndaemons; i++)
		MHD_stop_daemon(daemons[i]);
	ndaemons = 0;
	free(tls_key);
	free(tls_cert);
	tls_key = tls_cert = NULL;
}
