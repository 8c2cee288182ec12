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
 * RFC 8522, the looking glass command set, under
 * /.well-known/looking-glass/v1/.  The commands are the query types with
 * an rfc8522 path in query.c's table; the query engine is api.c's,
 * reached through api_jsend with a single router.
 *
 * Where the RFC leaves room, we decided:
 * - Answers are JSend (RFC 8522 section 2.3).  "success" (HTTP 200): the
 *   router ran the command and answered, whatever it says ("% Network not
 *   in table" included), with output as an array of lines, format
 *   "text/plain", runtime in seconds rounded to the millisecond,
 *   performed_at in RFC 3339 UTC and, as extensions, command, cached and
 *   truncated.
 * - "fail" (HTTP 200) is what section 2.3.2 says: the command was executed
 *   on the router but failed to succeed.  The broker says so with
 *   command_failed (the driver's error patterns matched the answer), and
 *   a ping whose parsed answer has none of its probes answered is one
 *   too (format_jsend); data is shaped like a success, so the router's
 *   words are there, plus message and code.
 * - "error" (section 2.3.3) is every other failure, of the request or of
 *   the service: bad parameters or target 400, a refusal by policy or a
 *   cross-site request 403, unknown router or command 404, an unsupported
 *   query 501, the rate limit 429 with Retry-After, the router or the
 *   broker 5xx.  message says what; data.code is our error name.
 * - The HTTP status is the one our error registry gives.
 * - router and routerindex (0-based, in configuration order, the order of
 *   the routers list) may both be given only if they name the same
 *   router; otherwise fail.  Neither: the first router.  Routers and
 *   commands are those the asking audience sees (audience.c): the
 *   public's indexes skip staff routers, with no gap.
 * - protocol is AFI[,SAFI] with IANA numbers: 1 IPv4, 2 IPv6, SAFI 1
 *   (unicast) only.  runtime is capped by web.runtime_max (staff's:
 *   web.staff.runtime_max), and 0 means
 *   "no preference", never "no limit".  format is text/plain (the
 *   default) or application/json: the parsed answer in output, when the
 *   router's driver parses this answer (format in the answer says which).
 *   vrf must be one of web.vrfs.  random is accepted and ignored.
 *   Parameter names are case-insensitive; each may be given once.
 * - Only GET and HEAD; anything else is 405 with Allow.
 * - show/bgp/neighbors/{addr} exists only when bgp_neighbors is enabled;
 *   our extensions are show/bgp/community/{community} and
 *   show/bgp/aspath/{regex}, listed in cmd.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <microhttpd.h>

#include "lg.h"
#include "web.h"

/*
 * The commands are the query types with an rfc8522 path in query.c's
 * table; these are the ones the RFC itself defines (section 4), every
 * other one is listed in cmd as an extension.
 */
static const char *const rfc_defined[] = { "show/route", "show/bgp",
    "show/bgp/summary", "show/bgp/neighbors", "ping", "traceroute", NULL };

/* The argument a command takes, from the target kinds it accepts. */
static const char *
cmd_args(const struct lg_query_info *qi)
{
	if (qi->targets & TGT_MASK(TGT_HOSTNAME))
		return "{host}";
	if (qi->targets & (TGT_MASK(TGT_ADDRESS) | TGT_MASK(TGT_PREFIX)))
		return "{addr}";
	if (qi->targets & TGT_MASK(TGT_COMMUNITY))
		return "{community}";
	if (qi->targets & TGT_MASK(TGT_ASPATH))
		return "{regex}";
	return NULL;
}

static int
cmd_extension(const struct lg_query_info *qi)
{
	size_t	 i;

	for (i = 0; rfc_defined[i] != NULL; i++)
		if (strcmp(rfc_defined[i], qi->rfc8522) == 0)
			return 0;
	return 1;
}

/*
 * The command a path after the base names, the longest that matches
 * (show/bgp/summary is not show/bgp/{addr}); NULL if none.  *argp is set
 * to its argument, or NULL.
 */
static const struct lg_query_info *
cmd_match(const char *rest, const char **argp)
{
	const struct lg_query_info	*qi, *best = NULL;
	size_t				 n, bestn = 0;
	unsigned int			 q;

	*argp = NULL;
	for (q = 0; q < Q_COUNT; q++) {
		qi = query_info((enum lg_query_type)q);
		if (qi->rfc8522 == NULL || (n = strlen(qi->rfc8522)) <= bestn ||
		    strncmp(rest, qi->rfc8522, n) != 0)
			continue;
		if (cmd_args(qi) == NULL ? rest[n] != '\0' :
		    rest[n] != '/' || rest[n + 1] == '\0')
			continue;
		best = qi;
		bestn = n;
		*argp = cmd_args(qi) != NULL ? rest + n + 1 : NULL;
	}
	return best;
}

static int
path_fail(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

static int
parse_index(const char *s, long *out)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > 6)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	*out = strtol(s, NULL, 10);
	return 0;
}

/*
 * Splits a path below the base into what is asked.  Returns 0, or -1
 * with a message (never quoting the path) when nothing matches.
 */
int
rfc8522_parse_path(const char *url, struct rfc8522_req *req, char *err,
    size_t errlen)
{
	const struct lg_query_info	*qi;
	const char			*rest, *arg;

	memset(req, 0, sizeof(*req));
	if (strncmp(url, RFC8522_BASE, strlen(RFC8522_BASE)) != 0)
		return path_fail(err, errlen, "not a looking glass path");
	rest = url + strlen(RFC8522_BASE);
	if (params_value_ok(rest, strlen(rest)) == -1)
		return path_fail(err, errlen,
		    "path: too long, bad escape or control characters");
	if (strcmp(rest, "routers") == 0) {
		req->what = RFC_ROUTERS;
		return 0;
	}
	if (strcmp(rest, "cmd") == 0) {
		req->what = RFC_CMD;
		return 0;
	}
	if (strncmp(rest, "routers/", 8) == 0) {
		req->what = RFC_ROUTER;
		if (parse_index(rest + 8, &req->index) == -1)
			return path_fail(err, errlen,
			    "routers: the index must be a number");
		return 0;
	}
	if ((qi = cmd_match(rest, &arg)) == NULL)
		return path_fail(err, errlen, "no such command");
	req->what = RFC_QUERY;
	req->type = qi->type;
	if (arg != NULL && lg_strlcpy(req->arg, arg, sizeof(req->arg)) >=
	    sizeof(req->arg))
		return path_fail(err, errlen, "target: too long");
	return 0;
}

void
rfc8522_params_init(struct rfc8522_params *p, const struct lg_config *conf)
{
	memset(p, 0, sizeof(*p));
	p->conf = conf;
	p->routerindex = -1;
	p->afi = AFI_ANY;
}

static int
param_fail(struct rfc8522_params *p, const char *field, const char *why)
{
	if (p->error == LG_OK) {
		p->error = LG_ERR_BAD_QUERY;
		snprintf(p->errstr, sizeof(p->errstr), "%s: %s", field, why);
	}
	return -1;
}

static int
rp_protocol(struct rfc8522_params *p, const char *v)
{
	if (strcmp(v, "1") == 0 || strcmp(v, "1,1") == 0)
		p->afi = AFI_IPV4;
	else if (strcmp(v, "2") == 0 || strcmp(v, "2,1") == 0)
		p->afi = AFI_IPV6;
	else
		return param_fail(p, "protocol",
		    "supported: 1 or 1,1 (IPv4), 2 or 2,1 (IPv6)");
	return 0;
}

static int
rp_router(struct rfc8522_params *p, const char *v)
{
	if (validate_router_name(v) != 0)
		return param_fail(p, "router", "invalid router name");
	lg_strlcpy(p->router, v, sizeof(p->router));
	return 0;
}

static int
rp_routerindex(struct rfc8522_params *p, const char *v)
{
	if (parse_index(v, &p->routerindex) == -1)
		return param_fail(p, "routerindex", "must be a number");
	return 0;
}

static int
rp_runtime(struct rfc8522_params *p, const char *v)
{
	long	 n;

	if (parse_index(v, &n) == -1)
		return param_fail(p, "runtime", "must be a number of seconds");
	p->runtime = (unsigned int)n;
	return 0;
}

/* The formats offered, in the order cmd lists them. */
static const char *const rfc_formats[] = { "text/plain", "application/json",
    NULL };

static int
rp_format(struct rfc8522_params *p, const char *v)
{
	size_t	 i;

	for (i = 0; rfc_formats[i] != NULL; i++)
		if (strcasecmp(v, rfc_formats[i]) == 0) {
			p->json = i == 1;
			return 0;
		}
	return param_fail(p, "format",
	    "only text/plain and application/json are offered");
}

static int
rp_vrf(struct rfc8522_params *p, const char *v)
{
	size_t	 i;

	for (i = 0; i < p->conf->web.nvrfs; i++)
		if (strcmp(p->conf->web.vrfs[i], v) == 0) {
			lg_strlcpy(p->vrf, v, sizeof(p->vrf));
			return 0;
		}
	return param_fail(p, "vrf", "not one of the offered VRFs");
}

static int
rp_random(struct rfc8522_params *p, const char *v)
{
	(void)p;
	(void)v;
	return 0;
}

static const struct {
	const char	*name;
	int		(*set)(struct rfc8522_params *, const char *);
} rparams[] = {
	{ "protocol",	rp_protocol },
	{ "router",	rp_router },
	{ "routerindex", rp_routerindex },
	{ "runtime",	rp_runtime },
	{ "format",	rp_format },
	{ "vrf",	rp_vrf },
	{ "random",	rp_random },
	{ NULL,		NULL }
};

/* One query parameter; 0, or -1 with the problem kept in p. */
int
rfc8522_param(struct rfc8522_params *p, const char *key, const char *value)
{
	size_t	 i;

	if (value == NULL)
		value = "";
	for (i = 0; rparams[i].name != NULL; i++)
		if (strcasecmp(rparams[i].name, key) == 0)
			break;
	if (rparams[i].name == NULL)
		return 0;
	if (strchr(value, WEB_BADESC) != NULL ||
	    params_value_ok(value, strlen(value)) == -1)
		return param_fail(p, rparams[i].name,
		    "too long, bad escape or control characters");
	if (p->seen & (1U << i))
		return param_fail(p, rparams[i].name, "given more than once");
	p->seen |= 1U << i;
	return rparams[i].set(p, value);
}

/* {"status":"error","message":...,"data":{"code":...}} */
json_t *
rfc8522_error_doc(enum lg_err e, const char *msg)
{
	return json_pack("{s:s, s:s, s:{s:s}}", "status", "error",
	    "message", msg, "data", "code", lg_err_name(e));
}

/*
 * Turns a success document into "fail": the router ran the command and
 * said it failed (section 2.3.2).  Takes doc; NULL on allocation failure.
 */
json_t *
rfc8522_failed(json_t *doc, const char *msg)
{
	json_t	*data;

	if (doc == NULL || (data = json_object_get(doc, "data")) == NULL) {
		json_decref(doc);
		return NULL;
	}
	if (json_object_set_new(doc, "status", json_string("fail")) == -1 ||
	    json_object_set_new(data, "message", json_string(msg)) == -1 ||
	    json_object_set_new(data, "code",
	    json_string(lg_err_name(LG_ERR_COMMAND_FAILED))) == -1) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* An "error" with its registry status. */
int
rfc8522_error(struct MHD_Connection *conn, enum lg_err e, const char *msg)
{
	return http_queue_json(conn, (unsigned int)lg_err_http_status(e),
	    rfc8522_error_doc(e, msg), EP_RFC8522);
}

/* The success document; output is clean UTF-8 of len bytes. */
json_t *
rfc8522_success(const char *router, const char *command, time_t when,
    uint32_t runtime_ms, const char *out, size_t len, int cached,
    int truncated)
{
	json_t		*lines = json_array();
	const char	*p = out, *nl, *end = out + len;
	size_t		 n;
	char		 ts[32];

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		json_array_append_new(lines, json_stringn(p, n));
		p = nl + 1;
	}
	/* Milliseconds, printed without float noise (http_json_response). */
	return json_pack("{s:s, s:{s:s, s:s, s:f, s:o, s:s, s:s, s:b, s:b}}",
	    "status", "success", "data", "router", router, "performed_at",
	    format_time(when, ts, sizeof(ts)), "runtime",
	    (double)runtime_ms / 1000.0, "output", lines, "format",
	    "text/plain", "command", command, "cached", cached, "truncated",
	    truncated);
}

/*
 * format=application/json: output becomes the parsed answer (DESIGN.md
 * section 12) and format says so.  Without one (the router's driver has
 * no parse rules for this answer) the text stays, format "text/plain".
 */
void
rfc8522_set_parsed(json_t *doc, json_t *parsed)
{
	json_t	*data = json_object_get(doc, "data");

	if (parsed == NULL || data == NULL) {
		json_decref(parsed);
		return;
	}
	json_object_set_new(data, "output", parsed);
	json_object_set_new(data, "format", json_string(rfc_formats[1]));
}

/* The routers the audience sees; their positions are the routerindex. */
static int
rfc_routers(struct MHD_Connection *conn, const struct lg_config *conf,
    enum lg_audience a)
{
	const struct lg_router	*r;
	json_t			*arr = json_array();
	long			 i;

	for (i = 0; (r = aud_router_at(conf, a, i)) != NULL; i++)
		json_array_append_new(arr, json_string(r->name));
	return http_queue_json(conn, 200, json_pack("{s:s, s:{s:o}}",
	    "status", "success", "data", "routers", arr), EP_RFC8522);
}

static int
rfc_router(struct MHD_Connection *conn, const struct lg_config *conf,
    enum lg_audience a, long index)
{
	const struct lg_router	*r;

	if ((r = aud_router_at(conf, a, index)) == NULL)
		return rfc8522_error(conn, LG_ERR_UNKNOWN_ROUTER,
		    "routers: no router with this index");
	return http_queue_json(conn, 200, json_pack("{s:s, s:{s:i, s:s, "
	    "s:s, s:s}}", "status", "success", "data", "id", (int)index,
	    "name", r->name, "location", r->location, "group", r->group),
	    EP_RFC8522);
}

static json_t *
cmd_json(const struct lg_query_info *qi)
{
	json_t	*fmts = json_array();
	char	 href[128], command[64], desc[160];
	size_t	 i;

	snprintf(href, sizeof(href), "%s%s", RFC8522_BASE, qi->rfc8522);
	lg_strlcpy(command, qi->rfc8522, sizeof(command));
	for (i = 0; command[i] != '\0'; i++)
		if (command[i] == '/')
			command[i] = ' ';
	snprintf(desc, sizeof(desc), "%s%s", qi->description,
	    cmd_extension(qi) ? " (extension)" : "");
	for (i = 0; rfc_formats[i] != NULL; i++)
		json_array_append_new(fmts, json_string(rfc_formats[i]));
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "href", href,
	    "arguments", cmd_args(qi) ? cmd_args(qi) : "", "description", desc,
	    "command", command, "formats", fmts);
}

static int
rfc_cmd(struct MHD_Connection *conn, const struct lg_config *conf,
    enum lg_audience a)
{
	const struct lg_query_info	*qi;
	json_t				*arr = json_array();
	unsigned int			 q;

	for (q = 0; q < Q_COUNT; q++) {
		qi = query_info((enum lg_query_type)q);
		if (qi->rfc8522 != NULL &&
		    aud_type(conf, a, (enum lg_query_type)q))
			json_array_append_new(arr, cmd_json(qi));
	}
	return http_queue_json(conn, 200, json_pack("{s:s, s:{s:o}}",
	    "status", "success", "data", "commands", arr), EP_RFC8522);
}

static enum MHD_Result
rparam_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	rfc8522_param(cls, key, value);
	return MHD_YES;
}

/*
 * Which router: router, routerindex, both if they agree, or the first,
 * counted among those the audience sees.  A router name is checked later
 * (api.c), as the JSON API checks it.
 */
static int
pick_router(struct rfc8522_params *rp, enum lg_audience a, char *name,
    size_t len)
{
	const struct lg_router	*r;
	const char		*byindex = NULL;

	if (rp->routerindex >= 0) {
		if ((r = aud_router_at(rp->conf, a, rp->routerindex)) == NULL)
			return param_fail(rp, "routerindex", "out of range");
		byindex = r->name;
	}
	if (byindex != NULL && rp->router[0] != '\0' &&
	    strcmp(byindex, rp->router) != 0)
		return param_fail(rp, "router",
		    "router and routerindex name different routers");
	if (rp->router[0] != '\0')
		lg_strlcpy(name, rp->router, len);
	else if (byindex != NULL)
		lg_strlcpy(name, byindex, len);
	else if ((r = aud_router_at(rp->conf, a, 0)) != NULL)
		lg_strlcpy(name, r->name, len);
	else
		return param_fail(rp, "router", "no router is configured");
	return 0;
}

static int
rfc_query(struct MHD_Connection *conn, const struct lg_config *conf,
    enum lg_audience a, const struct rfc8522_req *req, void **ctx)
{
	struct rfc8522_params	 rp;
	struct web_params	 p;

	rfc8522_params_init(&rp, conf);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, rparam_iter,
	    &rp);
	params_init(&p);
	if (rp.error == LG_OK)
		pick_router(&rp, a, p.routers[0], sizeof(p.routers[0]));
	if (rp.error != LG_OK)
		return rfc8522_error(conn, rp.error, rp.errstr);
	p.nrouters = 1;
	p.type = (int)req->type;
	p.afi = rp.afi;
	lg_strlcpy(p.target, req->arg, sizeof(p.target));
	p.has_target = req->arg[0] != '\0';
	if (params_check(&p) == -1)
		return rfc8522_error(conn, p.error, p.errstr);
	return api_jsend(conn, ctx, &p, rp.vrf, rp.runtime, rp.json);
}

static int
rfc_dispatch(struct MHD_Connection *conn, const struct lg_config *conf,
    const char *url, const char *method, void **ctx)
{
	struct MHD_Response	*resp;
	struct rfc8522_req	 req;
	struct aud_who		 who;
	enum lg_err		 e;
	char			 err[LG_ERRSTR_MAX];

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		if ((resp = http_json_response(rfc8522_error_doc(
		    LG_ERR_BAD_QUERY, "method not allowed"))) == NULL)
			return MHD_NO;
		MHD_add_response_header(resp, "Allow", "GET, HEAD");
		return http_queue(conn, 405, resp, EP_RFC8522);
	}
	if (!conf->web.rfc8522 ||
	    rfc8522_parse_path(url, &req, err, sizeof(err)) == -1)
		return rfc8522_error(conn, LG_ERR_UNKNOWN_TYPE,
		    conf->web.rfc8522 ? err : "not offered here");
	if (aud_identify(conn, conf, &who, &e, err, sizeof(err)) == -1)
		return rfc8522_error(conn, e, err);
	switch (req.what) {
	case RFC_ROUTERS:
		return rfc_routers(conn, conf, who.audience);
	case RFC_ROUTER:
		return rfc_router(conn, conf, who.audience, req.index);
	case RFC_CMD:
		return rfc_cmd(conn, conf, who.audience);
	case RFC_QUERY:
		break;
	}
	if (!aud_type(conf, who.audience, req.type))
		return rfc8522_error(conn, LG_ERR_UNKNOWN_TYPE,
		    "this command is not offered here");
	return rfc_query(conn, conf, who.audience, &req, ctx);
}

int
rfc8522_handle(struct MHD_Connection *conn, const char *url,
    const char *method, void **ctx)
{
	const struct lg_config	*conf;
	int			 rv;

	if (*ctx != NULL)	/* resumed: the answer is ready */
		return api_jsend(conn, ctx, NULL, NULL, 0, 0);
	if ((conf = webconf_get()) == NULL)
		return MHD_NO;
	rv = rfc_dispatch(conn, conf, url, method, ctx);
	webconf_put(conf);
	return rv;
}
