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
 * Admin operations behind the admin socket (and SIGHUP for reload).
 *
 * RELOAD loads a whole new generation; on any problem the old one stays
 * and the caller gets the "file:line: problem" list.  Otherwise routers
 * are matched by name: unchanged ones (same transport, address, port,
 * credential, sessions, driver session rules, and the same output rules:
 * global and driver filters, driver error patterns, output cap) keep
 * their warm sessions and move to the new generation; changed ones are
 * drained and recreated, since a session binds its output rules when it
 * is opened; removed ones are drained and closed; new ones are opened.
 *
 * HOSTKEY opens an SSH connection that stops after the key exchange and
 * reports the key the router presents, without authenticating.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_proto.h"
#include "broker.h"

struct hostkey_op {
	TAILQ_ENTRY(hostkey_op)	 entry;
	struct conn		*c;
	uint32_t		 id;
	struct session		*s;
	struct ev_timer		 reap;
	int			 done;
};

static TAILQ_HEAD(, hostkey_op) hostkey_ops =
    TAILQ_HEAD_INITIALIZER(hostkey_ops);

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
regex_eq(const struct lg_regex *a, const struct lg_regex *b)
{
	return str_eq(a->src, b->src);
}

static int
filters_eq(const struct lg_filter *a, size_t na, const struct lg_filter *b,
    size_t nb)
{
	size_t	 i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (a[i].action != b[i].action ||
		    !regex_eq(&a[i].match, &b[i].match) ||
		    !str_eq(a[i].replacement, b[i].replacement))
			return 0;
	return 1;
}

/* What a session applies to a command's output, fixed at its start. */
static int
output_same(const struct router *rt, const struct gen *g,
    const struct lg_driver *nd)
{
	const struct lg_config	*oc = &rt->gen->conf;
	const struct lg_driver	*od = rt->drv;
	size_t			 i;

	if (!filters_eq(oc->filters, oc->nfilters, g->conf.filters,
	    g->conf.nfilters) || !filters_eq(od->filters, od->nfilters,
	    nd->filters, nd->nfilters) || od->nerrors != nd->nerrors ||
	    oc->broker.output_cap != g->conf.broker.output_cap)
		return 0;
	for (i = 0; i < od->nerrors; i++)
		if (!regex_eq(&od->errors[i], &nd->errors[i]))
			return 0;
	return 1;
}

/* Would a session opened under the new rules behave as the old one? */
static int
router_same(const struct router *rt, const struct gen *g,
    const struct lg_router *r)
{
	const struct lg_router		*o = rt->conf;
	const struct lg_driver		*od = rt->drv, *nd;
	const struct lg_credential	*oc = rt->cred, *nc;
	size_t				 i;

	nd = drivers_find(&g->drivers, r->driver);
	nc = credentials_find(&g->creds, r->credential);
	if (nd == NULL || nc == NULL || o->transport != r->transport ||
	    strcmp(o->host, r->host) != 0 || o->port != r->port ||
	    o->sessions != r->sessions || strcmp(o->driver, r->driver) != 0)
		return 0;
	if (!str_eq(oc->username, nc->username) ||
	    !str_eq(oc->password, nc->password) || !str_eq(oc->key, nc->key) ||
	    !str_eq(oc->enable, nc->enable) ||
	    strcmp(g->conf.broker.known_hosts,
	    rt->gen->conf.broker.known_hosts) != 0)
		return 0;
	if (!regex_eq(&od->prompt, &nd->prompt) ||
	    !regex_eq(&od->pager, &nd->pager) ||
	    !str_eq(od->enable_command, nd->enable_command) ||
	    od->nsetup != nd->nsetup)
		return 0;
	for (i = 0; i < od->nsetup; i++)
		if (!str_eq(od->setup[i], nd->setup[i]))
			return 0;
	return output_same(rt, g, nd);
}

static void
diag_join(const struct lg_diag *diag, char *msg, size_t len)
{
	size_t	 i;

	msg[0] = '\0';
	for (i = 0; i < diag->nmsgs; i++) {
		if (i > 0)
			lg_strlcat(msg, "; ", len);
		lg_strlcat(msg, diag->msgs[i], len);
	}
	if (msg[0] == '\0')
		lg_strlcpy(msg, "configuration not loaded", len);
}

static void
reload_swap(struct gen *g, unsigned int *added, unsigned int *removed,
    unsigned int *changed)
{
	struct routerq	 next = TAILQ_HEAD_INITIALIZER(next);
	struct router	*rt;
	char		 err[LG_ERRSTR_MAX];
	size_t		 i;

	for (i = 0; i < g->conf.nrouters; i++) {
		const struct lg_router *r = &g->conf.routers[i];

		if ((rt = pool_find(r->name)) != NULL) {
			TAILQ_REMOVE(&broker->routers, rt, entry);
			if (router_same(rt, g, r)) {
				pool_router_adopt(rt, g, r);
				TAILQ_INSERT_TAIL(&next, rt, entry);
				continue;
			}
			(*changed)++;
			TAILQ_INSERT_TAIL(&broker->draining, rt, entry);
			pool_router_drain(rt);
		} else
			(*added)++;
		if ((rt = pool_router_new(g, r, err, sizeof(err))) == NULL) {
			log_warnx("%s", err);
			continue;
		}
		TAILQ_INSERT_TAIL(&next, rt, entry);
		pool_router_start(rt);
	}
	while ((rt = TAILQ_FIRST(&broker->routers)) != NULL) {
		(*removed)++;
		TAILQ_REMOVE(&broker->routers, rt, entry);
		TAILQ_INSERT_TAIL(&broker->draining, rt, entry);
		pool_router_drain(rt);
	}
	TAILQ_CONCAT(&broker->routers, &next, entry);
}

static void
admin_log_problem(const char *msg)
{
	log_warnx("reload: %s", msg);
}

/*
 * Loads the configuration again.  Returns 0 with a summary in msg, or -1
 * with the problems in msg and the old configuration still in force.
 */
int
admin_reload(char *msg, size_t len)
{
	struct lg_diag	 diag;
	struct gen	*g;
	unsigned int	 added = 0, removed = 0, changed = 0;
	size_t		 warnings;

	notify_send(NOTIFY_RELOADING, NULL);
	diag_init(&diag);
	if ((g = gen_load(broker->conf_path, &diag)) == NULL ||
	    control_tls_reload(&g->conf, msg, len) == -1) {
		if (g != NULL)
			gen_unref(g);
		else
			diag_join(&diag, msg, len);
		log_warnx("reload failed, keeping the old configuration: %s",
		    msg);
		diag_free(&diag);
		notify_send(NOTIFY_READY, "reload failed, old configuration "
		    "in force");
		return -1;
	}
	diag_print(&diag, admin_log_problem);
	warnings = diag.nmsgs;
	diag_free(&diag);
	reload_swap(g, &added, &removed, &changed);
	gen_unref(broker->gen);
	broker->gen = g;
	audit_open(g->conf.broker.audit_log);
	rpki_configure(&g->conf);
	sess_local_reload();
	log_setverbose(g->conf.log_level == LOG_LEVEL_DEBUG ? 2 :
	    log_getverbose());
	snprintf(msg, len, "reloaded: %zu routers (%u added, %u removed, %u "
	    "changed)%s", g->conf.nrouters, added, removed, changed,
	    warnings > 0 ? ", with warnings in the log" : "");
	log_info("%s", msg);
	notify_send(NOTIFY_READY, msg);
	return 0;
}

/* ---- HOSTKEY ---- */

static void
hostkey_reap(void *arg)
{
	struct hostkey_op	*op = arg;

	TAILQ_REMOVE(&hostkey_ops, op, entry);
	session_free(op->s);
	free(op);
}

static void
hostkey_state(struct session *s, void *arg)
{
	struct hostkey_op	*op = arg;
	uint8_t			*f;
	char			 msg[LG_ERRSTR_MAX];

	if (s->state != SESS_BROKEN || op->done)
		return;
	op->done = 1;
	ev_timer_add(&op->reap, 0);
	if (op->c == NULL)
		return;
	if (s->err != LG_OK) {
		snprintf(msg, sizeof(msg), "cannot read the host key: %.200s",
		    s->errstr);
		control_send_end(op->c, op->id, s->err, msg);
		return;
	}
	/* An RSA key's known_hosts line is long: a whole frame of room. */
	if ((f = malloc(LG_FRAME_MAX)) == NULL) {
		control_send_end(op->c, op->id, LG_ERR_INTERNAL,
		    "out of memory");
		return;
	}
	if (control_send(op->c, f, proto_encode_hostkey_info(f, LG_FRAME_MAX,
	    op->id, s->router->name, s->hostkey[0], s->hostkey[1],
	    s->hostkey[2])) == 0)
		control_send_end(op->c, op->id, LG_OK, "");
	free(f);
}

static void
hostkey_unused(struct session *s, void *arg, const char *data, size_t len)
{
	(void)s;
	(void)arg;
	(void)data;
	(void)len;
}

static void
hostkey_done(struct session *s, void *arg, enum lg_err err, int flags)
{
	(void)err;
	(void)flags;
	hostkey_state(s, arg);
}

static const struct sess_owner hostkey_owner = {
	hostkey_state, hostkey_unused, hostkey_done
};

/*
 * Starts reading a router's host key.  Returns LG_OK, or the error code
 * of the refusal with err saying why (an unknown router, a telnet router,
 * a router without an address yet, a connect that failed at once).
 */
enum lg_err
admin_hostkey(struct conn *c, uint32_t id, const char *name, char *err,
    size_t errlen)
{
	struct hostkey_op	*op;
	struct router		*rt;
	enum lg_err		 rc;

	if ((rt = pool_find(name)) == NULL) {
		snprintf(err, errlen, "unknown router");
		return LG_ERR_UNKNOWN_ROUTER;
	}
	if (rt->conf->transport != TRANSPORT_SSH) {
		snprintf(err, errlen, "router %s is reached by telnet: it has "
		    "no host key", rt->conf->name);
		return LG_ERR_UNSUPPORTED;
	}
	if (rt->naddrs == 0) {
		snprintf(err, errlen, "router %s has no address yet: %.200s",
		    rt->conf->name, rt->last_error[0] ? rt->last_error :
		    "its name is being resolved");
		return LG_ERR_UNREACHABLE;
	}
	op = xcalloc(1, sizeof(*op));
	op->c = c;
	op->id = id;
	ev_timer_init(&op->reap, hostkey_reap, op);
	TAILQ_INSERT_TAIL(&hostkey_ops, op, entry);
	op->s = session_new(rt->gen, rt->conf, &rt->addrs[0], rt->addrlens[0],
	    &sess_ssh_transport, &hostkey_owner, op);
	if (op->s == NULL) {
		snprintf(err, errlen, "out of memory");
		ev_timer_add(&op->reap, 0);
		op->done = 1;
		return LG_ERR_INTERNAL;
	}
	op->s->hostkey_only = 1;
	if (session_start(op->s) == -1) {
		snprintf(err, errlen, "cannot connect: %.200s", op->s->errstr);
		rc = op->s->err != LG_OK ? op->s->err : LG_ERR_UNREACHABLE;
		op->done = 1;
		ev_timer_add(&op->reap, 0);
		return rc;
	}
	return LG_OK;
}

/* The admin connection went away: its operations answer nobody. */
void
admin_hostkey_cancel(struct conn *c)
{
	struct hostkey_op	*op;

	TAILQ_FOREACH(op, &hostkey_ops, entry)
		if (op->c == c)
			op->c = NULL;
}

void
admin_shutdown(void)
{
	struct hostkey_op	*op;

	while ((op = TAILQ_FIRST(&hostkey_ops)) != NULL) {
		ev_timer_del(&op->reap);
		hostkey_reap(op);
	}
}
