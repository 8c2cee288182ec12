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
 * Stored results in lgwebd (DESIGN.md section 16).  A query with store=1
 * keeps each router's whole answer beside the stream (slot.c fills
 * slot->saved, or the cache entry already holds it); once the slot has
 * settled, the output format calls share_slot before writing the
 * router's last piece (results[].share, the SSE end event), which stores
 * one document per router through lg_results.h and leaves the link in
 * the slot.  The document is the answer as the client got it, in the
 * shape of /api/v1/query:
 *
 *	{"id","share","stored_at","query":{"router","type","target","afi"},
 *	 "results":[{...as in the query's results[], with "share"...}]}
 *
 * and GET /api/v1/results/<id> returns it byte for byte: nothing re-runs.
 * The store is opened at start, before the sandbox closes the file
 * system; as root with web.user set, a new database file is made for
 * that user first, and SQLite gives its WAL files the same owner.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "lg.h"
#include "lg_sandbox.h"
#include "lg_proto.h"
#include "lg_results.h"
#include "web.h"

/* One answer kept for storing, at most (and never more than the cap). */
#define SHARE_ENTRY_MAX		(16 * 1024 * 1024)

static struct results	*share_store;

/* As root, the new database file belongs to web.user. */
static int
share_owner(const struct lg_config *c, char *err, size_t errlen)
{
	struct sandbox_user	 u;
	int			 fd, rv = 0;

	if (geteuid() != 0 || c->web.user[0] == '\0')
		return 0;
	if (sandbox_user_lookup(c->web.user, &u, err, errlen) == -1)
		return -1;
	fd = open(c->web.results.path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0640);
	if (fd == -1)
		return errno == EEXIST ? 0 : -1;
	if (fchown(fd, u.uid, u.gid) == -1) {
		snprintf(err, errlen, "chown to %s: %s", u.name,
		    strerror(errno));
		rv = -1;
	}
	close(fd);
	return rv;
}

/* 0, or -1 (logged): lgwebd does not start without the store it names. */
int
share_open(const struct lg_config *c)
{
	struct results_conf	 rc;
	char			 err[LG_ERRSTR_MAX] = "";

	if (!c->web.results.enabled)
		return 0;
	rc.path = c->web.results.path;
	rc.retention = c->web.results.retention;
	rc.max_bytes = (size_t)c->web.results.max_mb * 1024 * 1024;
	if (share_owner(c, err, sizeof(err)) == -1 ||
	    (share_store = results_open_backend(store_active() ?
	    &results_store : &results_sqlite, &rc, err, sizeof(err))) ==
	    NULL) {
		log_warnx("web.results.path %s: %s", rc.path,
		    err[0] ? err : strerror(errno));
		return -1;
	}
	if (results_expire(share_store, time(NULL)) == -1)
		log_warnx("web.results: expiry failed at start");
	return 0;
}

void
share_close(void)
{
	results_close(share_store);
	share_store = NULL;
}

int
share_enabled(void)
{
	return share_store != NULL;
}

size_t
share_entry_max(void)
{
	size_t	 cap = share_store != NULL ? results_max_bytes(share_store) : 0;

	return cap < SHARE_ENTRY_MAX ? cap : SHARE_ENTRY_MAX;
}

/* The output as the client got it: cleaned to UTF-8; NULL on failure. */
static json_t *
share_output(const struct api_slot *s)
{
	const char	*p;
	char		*copy;
	size_t		 len;
	json_t		*j;

	if (s->hit != NULL) {
		p = s->hit->output;
		len = s->hit->len;
	} else {
		p = s->saved.data;
		len = s->saved.len;
	}
	if ((copy = malloc(len + 1)) == NULL)
		return NULL;
	if (len > 0)
		memcpy(copy, p, len);
	len = format_utf8(copy, len, 1);
	j = json_stringn(copy, len);
	free(copy);
	return j;
}

static json_t *
share_parsed(const struct api_slot *s)
{
	const char	*p;
	size_t		 len;
	json_t		*j;

	if ((p = slot_parsed_text(s, &len)) == NULL ||
	    (j = json_loadb(p, len, 0, NULL)) == NULL)
		return json_null();
	return j;
}

/* The stored document of one slot; NULL when out of memory. */
static json_t *
share_doc(const struct api_req *r, const struct api_slot *s, const char *id)
{
	json_t	*res, *tail, *doc;
	char	 when[32];

	res = json_pack("{s:s, s:s, s:s, s:s, s:o*, s:o}", "router",
	    s->router, "type", query_name(r->type), "target", r->target.canon,
	    "command", s->command ? s->command : "", "output",
	    share_output(s), "parsed", share_parsed(s));
	if (res == NULL || json_object_size(res) < 6 ||
	    (tail = format_tail(s, 0)) == NULL) {
		json_decref(res);
		return NULL;
	}
	json_object_update(res, tail);
	json_decref(tail);
	json_object_set_new(res, "share", json_string(s->share));
	doc = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:[o]}",
	    "id", id, "share", s->share, "stored_at", format_time(time(NULL),
	    when, sizeof(when)), "query", "router", s->router, "type",
	    query_name(r->type), "target", r->target.canon, "afi",
	    afi_name(r->afi), "results", res);
	/*
	 * An answer the public could not have asked for (a staff router or
	 * type) is staff's to read (share_visible); one staff stored from a
	 * public router and type is a link for anyone, a customer included.
	 */
	if (doc != NULL && (aud_router(r->conf, AUD_PUBLIC, s->router) ==
	    NULL || !aud_type(r->conf, AUD_PUBLIC, r->type)))
		json_object_set_new(doc, "audience", json_string("staff"));
	return doc;
}

/*
 * Stores a settled slot's answer, once: s->share is the link, or
 * s->share_err says why there is none.  Request lock held.
 */
void
share_slot(struct api_req *r, struct api_slot *s)
{
	char	 id[RESULTS_ID_LEN + 1], err[LG_ERRSTR_MAX], *text = NULL;
	json_t	*doc = NULL;

	if (s->shared || !r->store)
		return;
	s->shared = 1;
	if (share_store == NULL || (s->hit == NULL && !s->save_ok)) {
		snprintf(s->share_err, sizeof(s->share_err), "the answer is "
		    "too large to store (%zu bytes at most)",
		    share_entry_max());
		return;
	}
	if (results_new_id(id) == -1) {
		lg_strlcpy(s->share_err, "no id could be made",
		    sizeof(s->share_err));
		return;
	}
	snprintf(s->share, sizeof(s->share), RESULTS_PREFIX "%s", id);
	if ((doc = share_doc(r, s, id)) == NULL ||
	    (text = http_json_text(doc)) == NULL)
		lg_strlcpy(err, "out of memory", sizeof(err));
	else if (results_put(share_store, id, time(NULL), text, strlen(text),
	    err, sizeof(err)) == 0)
		err[0] = '\0';
	if (err[0] != '\0') {
		log_warnx("%s: router %s: %s", __func__, s->router, err);
		s->share[0] = '\0';
		snprintf(s->share_err, sizeof(s->share_err),
		    "the answer could not be stored: %s", err);
	}
	free(text);
	json_decref(doc);
}

/*
 * Whether the asking audience may read a stored document: one stored by
 * a staff query ("audience":"staff") is staff's; to the public it does
 * not exist.
 */
static int
share_visible(struct MHD_Connection *c, const char *doc, size_t len)
{
	const struct lg_config	*conf;
	struct aud_who		 who;
	enum lg_err		 e;
	char			 err[LG_ERRSTR_MAX];
	json_t			*j, *a;
	int			 staff_only, rv;

	/*
	 * Inside a JSON string a quote is escaped, so the bytes "audience":
	 * only occur as a key: a document without them is the public's,
	 * read without parsing it (it may be megabytes).
	 */
	if (memmem(doc, len, "\"audience\":", 11) == NULL)
		return 1;
	if ((j = json_loadb(doc, len, 0, NULL)) == NULL)
		return 0;
	a = json_object_get(j, "audience");
	staff_only = a != NULL && (!json_is_string(a) ||
	    strcmp(json_string_value(a), "public") != 0);
	json_decref(j);
	if (!staff_only)
		return 1;
	if ((conf = webconf_get()) == NULL)
		return 0;
	rv = aud_identify(c, conf, &who, &e, err, sizeof(err)) == 0 &&
	    who.audience == AUD_STAFF;
	webconf_put(conf);
	return rv;
}

/* The one answer for an id that finds nothing, whatever the reason. */
static int
share_unknown(struct MHD_Connection *c)
{
	return http_queue_error(c, LG_ERR_UNKNOWN_TYPE, "id: no stored "
	    "result has this id (it may have expired or been deleted)",
	    EP_RESULTS);
}

/*
 * DELETE /api/v1/results/<id>: staff take a stored result down, on every
 * front that shares the store.  The public may not (403): deleting is
 * not hidden, only staff's results are.
 */
static int
share_delete(struct MHD_Connection *c, const char *id)
{
	const struct lg_config	*conf;
	struct aud_who		 who;
	enum lg_err		 e;
	char			 err[LG_ERRSTR_MAX];
	int			 staff, rv;

	if ((conf = webconf_get()) == NULL)
		return MHD_NO;
	staff = aud_identify(c, conf, &who, &e, err, sizeof(err)) == 0 &&
	    who.audience == AUD_STAFF;
	webconf_put(conf);
	if (!staff)
		return http_queue_error(c, LG_ERR_DENIED, "results: only "
		    "staff may delete a stored result (sign in, or use an "
		    "API token)", EP_RESULTS);
	if ((rv = results_delete(share_store, id)) == 0)
		return share_unknown(c);
	if (rv == -1)
		return http_queue_error(c, LG_ERR_INTERNAL, "results: the "
		    "store cannot be written", EP_RESULTS);
	log_info("result %s deleted by %s", id, who.user[0] != '\0' ?
	    who.user : "staff");
	return http_queue_json(c, 200, json_pack("{s:s}", "deleted", id),
	    EP_RESULTS);
}

/* GET /api/v1/results/<id>: the stored document as it was stored. */
int
share_handle(struct MHD_Connection *c, const char *url, const char *method,
    const char *up, size_t *upsize, void **ctx)
{
	struct MHD_Response	*resp;
	const char		*id = url + strlen(RESULTS_API);
	char			*doc;
	size_t			 len;
	int64_t			 created;
	int			 rv;

	(void)up;
	(void)upsize;
	(void)ctx;
	if (share_store == NULL)
		return http_queue_error(c, LG_ERR_UNSUPPORTED, "results: "
		    "this looking glass stores no results (web.results)",
		    EP_RESULTS);
	if (results_id_ok(id, strlen(id)) == -1)
		return http_queue_error(c, LG_ERR_BAD_QUERY, "id: not a "
		    "result id (" WEB_STR(RESULTS_ID_LEN) " characters of "
		    "A-Z, a-z, 0-9, - and _)", EP_RESULTS);
	if (strcmp(method, "DELETE") == 0)
		return share_delete(c, id);
	rv = results_get(share_store, id, time(NULL), &doc, &len, &created);
	if (rv == 1 && !share_visible(c, doc, len)) {
		free(doc);
		rv = 0;
	}
	if (rv == 0)
		return share_unknown(c);
	if (rv == -1)
		return http_queue_error(c, LG_ERR_INTERNAL, "results: the "
		    "store cannot be read", EP_RESULTS);
	if ((resp = MHD_create_response_from_buffer(len, doc,
	    MHD_RESPMEM_MUST_FREE)) == NULL) {
		free(doc);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "application/json");
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	return http_queue(c, 200, resp, EP_RESULTS);
}
