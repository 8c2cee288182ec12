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
 * The endpoints that never query a router: /api/v1/routers (the broker's
 * latest router list, and query.c's table of query types so that the page
 * knows them without a list of its own, both as the asking audience may
 * see them), /api/v1/site (the operator's branding), /healthz and
 * /metrics.
 */

#include <stdlib.h>

#include <jansson.h>
#include <microhttpd.h>

#include "lg.h"
#include "lg_proto.h"
#include "web.h"

static json_t *
router_json(const struct lg_msg_router *m, unsigned int queries)
{
	json_t	*q = json_array();
	size_t	 i;

	for (i = 0; i < Q_COUNT; i++)
		if (queries & Q_MASK(i))
			json_array_append_new(q,
			    json_string(query_name((enum lg_query_type)i)));
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}", "name", m->name,
	    "location", m->location, "group", m->group, "vendor", m->vendor,
	    "queries", q, "state", proto_router_state_name(m->state));
}

/* One row of query.c's table: name, label, what it takes, afi choice. */
static json_t *
query_type_json(const struct lg_query_info *qi)
{
	json_t		*t = json_array();
	unsigned int	 k;

	for (k = 0; (qi->targets >> k) != 0; k++)
		if (qi->targets & TGT_MASK(k))
			json_array_append_new(t, json_string(
			    query_target_name((enum lg_target_kind)k)));
	return json_pack("{s:s, s:s, s:s, s:o, s:b}", "name", qi->name,
	    "label", qi->label, "description", qi->description, "targets", t,
	    "afi", qi->afi_both != 0);
}

/* Every type of the table but those kept for staff from the public. */
static json_t *
query_types_json(const struct lg_config *conf, enum lg_audience a)
{
	json_t		*arr = json_array();
	unsigned int	 q;

	for (q = 0; q < Q_COUNT; q++)
		if (a == AUD_STAFF || !(conf->web.staff_queries & Q_MASK(q)))
			json_array_append_new(arr,
			    query_type_json(query_info((enum lg_query_type)q)));
	return arr;
}

/*
 * The broker's routers that this audience may see, each with the query
 * types it may run there, and "audience":"staff" on the page's lists.
 */
static json_t *
routers_json(const struct lg_config *conf, const struct aud_who *who,
    const struct lg_msg_router *rs, size_t n)
{
	json_t	*arr = json_array(), *one;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (aud_router(conf, who->audience, rs[i].name) == NULL)
			continue;
		one = router_json(&rs[i], aud_queries(conf, who->audience,
		    rs[i].queries));
		json_array_append_new(arr, one);
	}
	return json_pack("{s:o, s:o, s:s, s:s*}", "routers", arr,
	    "query_types", query_types_json(conf, who->audience), "audience",
	    who->audience == AUD_STAFF ? "staff" : "public", "user",
	    who->audience == AUD_STAFF ? who->user : NULL);
}

int
info_routers(struct MHD_Connection *conn)
{
	const struct lg_config	*conf;
	struct lg_msg_router	*rs;
	struct aud_who		 who;
	enum lg_err		 e;
	char			 err[LG_ERRSTR_MAX];
	size_t			 n;
	json_t			*j;

	if ((conf = webconf_get()) == NULL)
		return MHD_NO;
	if (aud_identify(conn, conf, &who, &e, err, sizeof(err)) == -1) {
		webconf_put(conf);
		return aud_refuse(conn, e, err, EP_ROUTERS);
	}
	if (brk_routers(&rs, &n) == -1) {
		webconf_put(conf);
		return http_queue_error(conn, LG_ERR_BROKER_UNAVAILABLE,
		    "the router list is not available yet", EP_ROUTERS);
	}
	j = routers_json(conf, &who, rs, n);
	free(rs);
	webconf_put(conf);
	return http_queue_json(conn, 200, j, EP_ROUTERS);
}

/* The operator's branding for the page (web.title, logo, footer...). */
int
info_site(struct MHD_Connection *conn)
{
	const struct lg_config	*c = webconf_get();
	json_t			*j;

	j = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "title", c->web.title,
	    "logo", c->web.logo, "footer", c->web.footer, "disclaimer",
	    c->web.disclaimer, "rfc8522", c->web.rfc8522 != 0, "results",
	    share_enabled());
	webconf_put(c);
	return http_queue_json(conn, 200, j, EP_ROUTERS);
}

int
info_healthz(struct MHD_Connection *conn)
{
	int	 up = brk_connected();

	return http_queue_json(conn, up ? 200 : 503, json_pack("{s:s, s:s}",
	    "status", up ? "ok" : "degraded", "broker",
	    up ? "connected" : "disconnected"), EP_HEALTHZ);
}

/* /metrics: series of staff routers and types only for staff. */
int
info_metrics(struct MHD_Connection *conn)
{
	const struct lg_config	*conf;
	struct MHD_Response	*resp;
	struct aud_who		 who;
	enum lg_err		 e;
	char			*text, err[LG_ERRSTR_MAX];
	size_t			 len;

	if ((conf = webconf_get()) == NULL)
		return MHD_NO;
	if (aud_identify(conn, conf, &who, &e, err, sizeof(err)) == -1) {
		webconf_put(conf);
		return aud_refuse(conn, e, err, EP_METRICS);
	}
	text = wmetrics_render(conf, who.audience, &len);
	webconf_put(conf);
	if (text == NULL)
		return http_queue_error(conn, LG_ERR_INTERNAL,
		    "out of memory", EP_METRICS);
	resp = MHD_create_response_from_buffer(len, text,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type",
	    "text/plain; version=0.0.4; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return http_queue(conn, 200, resp, EP_METRICS);
}
