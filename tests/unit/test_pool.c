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
 * Unit tests of the per-router pool (src/lgbrokerd/pool.c, job.c and
 * pool_resolve.c) over the session state machine and a fake transport
 * (one socket pair per session, the test playing every router), with the
 * event loop's fake clock: coalescing of identical queries, the bounded
 * FIFO and busy, deadlines and session recycling, flow control pausing
 * the session, cancel and drain, the circuit breaker and its probe, and
 * routers given by name.
 */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <libconfig.h>

#include "lg.h"
#include "lg_parse.h"
#include "lgbrokerd/broker.h"

#define MAXF	64

/* One fake session: the broker's end, the router's end, what was sent. */
struct fake {
	int		 fd;
	int		 peer;
	int		 open;
	struct sockaddr_storage addr;	/* the session was given */
	socklen_t	 addrlen;
	struct lg_buf	 sent;
	size_t		 seen;		/* bytes of sent already answered */
};

static struct fake	 fakes[MAXF];
static int		 nfakes;
static enum lg_err	 hs_err;	/* handshakes fail with this */
static int		 hs_unreachable;	/* the next n fail, unreachable */
static const char	*hold;		/* commands left unanswered */
static const char	*big_reply;	/* the answer to show, when set */

static int
fake_open(struct session *s, char *err, size_t len)
{
	struct fake	*f;
	int		 sv[2];

	(void)err;
	(void)len;
	assert_true(nfakes < MAXF);
	f = &fakes[nfakes++];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	f->fd = sv[0];
	f->peer = sv[1];
	f->open = 1;
	f->addr = s->addr;
	f->addrlen = s->addrlen;
	buf_init(&f->sent, 1 << 20);
	buf_append(&f->sent, "", 0);
	f->seen = 0;
	s->tr_ctx = f;
	return 0;
}

static int
fake_handshake(struct session *s, enum lg_err *err, char *errstr, size_t len)
{
	struct fake	*f = s->tr_ctx;

	if (hs_err != LG_OK) {
		*err = hs_err;
		snprintf(errstr, len, "scripted refusal");
		return -1;
	}
	if (hs_unreachable > 0) {
		hs_unreachable--;
		*err = LG_ERR_UNREACHABLE;
		snprintf(errstr, len, "connect: Connection refused");
		return -1;
	}
	/* The router greets with its prompt. */
	assert_int_equal(write(f->peer, "R1#", 3), 3);
	return 0;
}

static ssize_t
fake_read(struct session *s, char *buf, size_t len)
{
	struct fake	*f = s->tr_ctx;
	ssize_t		 n;

	n = recv(f->fd, buf, len, MSG_DONTWAIT);
	if (n > 0)
		return n;
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return -1;
}

static int
fake_write(struct session *s, const char *buf, size_t len)
{
	struct fake	*f = s->tr_ctx;

	return buf_append(&f->sent, buf, len);
}

static uint32_t
fake_events(struct session *s)
{
	return s->state == SESS_CONNECTING ? EPOLLOUT : EPOLLIN;
}

static int
fake_fd(struct session *s)
{
	return ((struct fake *)s->tr_ctx)->fd;
}

static void
fake_close(struct session *s)
{
	struct fake	*f = s->tr_ctx;

	close(f->fd);
	close(f->peer);
	buf_free(&f->sent);
	f->open = 0;
}

static const struct sess_transport fake_transport = {
	.name = "fake", .login = 0, .open = fake_open,
	.handshake = fake_handshake, .read = fake_read, .write = fake_write,
	.events = fake_events, .fd = fake_fd, .close = fake_close,
};

/* The echo of line, big_reply and the prompt. */
static void
answer_big(struct fake *f, const char *line)
{
	struct lg_buf	 b;

	buf_init(&b, 1 << 20);
	buf_printf(&b, "%s\r\n%sR1#", line, big_reply);
	assert_int_equal(write(f->peer, b.data, b.len), (ssize_t)b.len);
	buf_free(&b);
}

/* The routers: answer every complete line the broker sent. */
static int
answer(struct fake *f)
{
	char		 line[LG_COMMAND_MAX], reply[2048];
	const char	*nl;
	size_t		 len;
	int		 n = 0;

	while ((nl = memchr(f->sent.data + f->seen, '\n', f->sent.len -
	    f->seen)) != NULL) {
		len = (size_t)(nl - (f->sent.data + f->seen));
		snprintf(line, sizeof(line), "%.*s", (int)len,
		    f->sent.data + f->seen);
		if (hold != NULL && strncmp(line, hold, strlen(hold)) == 0)
			return n;	/* left hanging */
		f->seen += len + 1;
		if (big_reply != NULL && strncmp(line, "show", 4) == 0) {
			answer_big(f, line);
			n++;
			continue;
		}
		if (line[0] == '\0')
			snprintf(reply, sizeof(reply), "\r\nR1#");
		else if (strncmp(line, "show", 4) == 0)
			snprintf(reply, sizeof(reply), "%s\r\nanswer to %s\r\n"
			    "R1#", line, line);
		else
			snprintf(reply, sizeof(reply), "%s\r\nR1#", line);
		assert_int_equal(write(f->peer, reply, strlen(reply)),
		    (ssize_t)strlen(reply));
		n++;
	}
	return n;
}

/* Runs the loop and the routers until nothing moves. */
static void
pump(void)
{
	int	 i, moved, rounds = 0;

	do {
		moved = 0;
		for (i = 0; i < 4; i++)
			assert_int_equal(ev_loop_once(0), 0);
		ev_timers_run();
		for (i = 0; i < nfakes; i++)
			if (fakes[i].open)
				moved += answer(&fakes[i]);
	} while (moved && ++rounds < 100);
}

/* Time passes for the login's quiet periods. */
static void
settle(void)
{
	int	 i;

	for (i = 0; i < 6; i++) {
		pump();
		ev_advance(SESS_QUIET_MS);
		pump();
	}
}

/* A waiter that records its frames. */
struct rec {
	struct waiter	 w;
	size_t		 room;
	int		 begins;
	int		 ends;
	enum lg_err	 err;
	int		 flags;
	char		 cmd[2 * LG_COMMAND_MAX];
	struct lg_buf	 data;
	struct lg_buf	 parsed;
	int		 parsed_after_end;
};

#define REC(wp)	((struct rec *)(void *)(wp))

static size_t
rec_room(struct waiter *w)
{
	return REC(w)->room;
}

static void
rec_begin(struct waiter *w, const char *router, const char *cmd)
{
	(void)router;
	REC(w)->begins++;
	lg_strlcpy(REC(w)->cmd, cmd, sizeof(REC(w)->cmd));
}

static void
rec_data(struct waiter *w, const char *d, size_t len)
{
	assert_true(len <= REC(w)->room);
	REC(w)->room -= len;
	buf_append(&REC(w)->data, d, len);
}

static void
rec_end(struct waiter *w, enum lg_err err, int flags, uint64_t bytes,
    const char *msg)
{
	(void)bytes;
	(void)msg;
	REC(w)->ends++;
	REC(w)->err = err;
	REC(w)->flags = flags;
}

static void
rec_parsed(struct waiter *w, const char *d, size_t len)
{
	assert_true(len <= REC(w)->room);
	REC(w)->room -= len;
	if (REC(w)->ends > 0)
		REC(w)->parsed_after_end = 1;
	buf_append(&REC(w)->parsed, d, len);
}

static const struct waiter_ops rec_ops = {
	rec_room, rec_begin, rec_data, rec_end, rec_parsed
};

static void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	r->w.ops = &rec_ops;
	r->room = 1 << 20;
	buf_init(&r->data, 1 << 20);
	buf_append(&r->data, "", 0);
	buf_init(&r->parsed, 1 << 20);
}

/* The generation: one router, one credential, a tiny driver. */
static struct gen		 gen;
static struct lg_router		 rconf;
static struct lg_credential	 cred;
static struct lg_driver		 drv;
static struct broker		 bk;

/*
 * The generation's configuration as the loader starts it, from the one
 * defaults function, with rconf as its router: every test that changes a
 * key puts the defaults back with this.
 */
static void
conf_reset(void)
{
	gen.conf.routers = NULL;
	gen.conf.nrouters = 0;
	config_free(&gen.conf);
	memset(&gen.conf, 0, sizeof(gen.conf));
	config_defaults(&gen.conf);
	gen.conf.routers = &rconf;
	gen.conf.nrouters = 1;
}

static int
group_setup(void **state)
{
	char	 err[128];

	(void)state;
	config_router_defaults(&rconf, TRANSPORT_SSH);
	lg_strlcpy(rconf.name, "r1", sizeof(rconf.name));
	lg_strlcpy(rconf.driver, "tiny", sizeof(rconf.driver));
	lg_strlcpy(rconf.credential, "c", sizeof(rconf.credential));
	lg_strlcpy(rconf.host, "127.0.0.1", sizeof(rconf.host));
	rconf.queries = Q_MASK(Q_BGP_ROUTE) | Q_MASK(Q_BGP_SUMMARY);
	lg_strlcpy(cred.name, "c", sizeof(cred.name));
	cred.username = xstrdup("lg");
	cred.password = xstrdup("pw");
	lg_strlcpy(drv.name, "tiny", sizeof(drv.name));
	assert_int_equal(regex_compile(&drv.prompt, "[\\w.-]+[#>] ?\\z", err,
	    sizeof(err)), 0);
	drv.newline = "\n";
	drv.queries[Q_BGP_ROUTE].tmpl[AFI_IPV4] =
	    xstrdup("show bgp ipv4 unicast {target}");
	drv.queries[Q_BGP_SUMMARY].tmpl[AFI_IPV4] =
	    xstrdup("show bgp ipv4 unicast summary");
	drv.queries[Q_BGP_SUMMARY].tmpl[AFI_IPV6] =
	    xstrdup("show bgp ipv6 unicast summary");
	drv.supported = rconf.queries;
	gen.refs = 1;
	conf_reset();
	gen.creds.creds = &cred;
	gen.creds.ncreds = 1;
	gen.drivers.drivers = &drv;
	gen.drivers.ndrivers = 1;
	TAILQ_INIT(&bk.routers);
	TAILQ_INIT(&bk.draining);
	broker = &bk;
	ev_fake_clock(1);
	assert_int_equal(ev_init(), 0);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	assert_int_equal(gen.refs, 1);
	gen.conf.routers = NULL;
	config_free(&gen.conf);
	regex_free(&drv.prompt);
	free(drv.queries[Q_BGP_ROUTE].tmpl[AFI_IPV4]);
	free(drv.queries[Q_BGP_SUMMARY].tmpl[AFI_IPV4]);
	free(drv.queries[Q_BGP_SUMMARY].tmpl[AFI_IPV6]);
	free(cred.username);
	free(cred.password);
	ev_free();
	return 0;
}

/*
 * A router of rconf with n sessions on the fake transport, started, with
 * the fakes reset: no session yet, handshakes that succeed.
 */
static struct router *
fresh(int n)
{
	struct router	*rt;
	char		 err[LG_ERRSTR_MAX];

	nfakes = 0;
	hs_err = LG_OK;
	hs_unreachable = 0;
	hold = NULL;
	rconf.sessions = n;
	rt = pool_router_new(&gen, &rconf, err, sizeof(err));
	assert_non_null(rt);
	rt->tr_override = &fake_transport;
	return rt;
}

/* A router with n sessions, warm. */
static struct router *
up(int n)
{
	struct router	*rt = fresh(n);

	pool_router_start(rt);
	settle();
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_UP);
	return rt;
}

static void
target(struct lg_target *t, enum lg_query_type type, const char *pfx)
{
	char	 err[LG_ERRSTR_MAX];

	assert_int_equal(validate_query(&gen.conf.policy, type, AFI_ANY, pfx,
	    t, err, sizeof(err)), LG_OK);
}

static enum lg_err
submit(struct router *rt, struct rec *r, enum lg_query_type type,
    const char *pfx)
{
	struct lg_target t;
	char		 err[LG_ERRSTR_MAX];

	target(&t, type, pfx);
	return job_submit(rt, type, AFI_ANY, &t, "", &r->w, err,
	    sizeof(err));
}

static int
count_sent(const char *cmd)
{
	int		 i, n = 0;
	const char	*p;

	for (i = 0; i < nfakes; i++) {
		if (!fakes[i].open)
			continue;
		for (p = fakes[i].sent.data; (p = strstr(p, cmd)) != NULL;
		    p++)
			n++;
	}
	return n;
}

static void
down(struct router *rt, struct rec *recs, int n)
{
	int	 i;

	pool_router_free(rt);
	for (i = 0; i < n; i++) {
		buf_free(&recs[i].data);
		buf_free(&recs[i].parsed);
	}
}

/*
 * Parse rules for the tiny driver's bgp_route: the fake router's answer
 * names the prefix and gets one path; the answer for 1.0.9.0/24 is a
 * parse error.
 */
static const char tiny_rules[] =
    "parse = { bgp_route = { start = ("
    "  { match = \"^answer to show bgp ipv4 unicast 1\\\\.0\\\\.9\\\\.\";"
    "    action = \"error\"; message = \"unreadable\"; },"
    "  { match = \"^answer to show bgp ipv4 unicast (?<prefix>\\\\S+)$\";"
    "    action = \"prefix\"; continue = true; },"
    "  { match = \"^answer to \"; action = \"path\";"
    "    set = { as_path = \"65010 65020\"; best = \"true\"; }; }"
    "); }; };";

static void
tiny_parse(int on)
{
	struct lg_diag	 diag;
	config_t	 cf;

	if (!on) {
		parse_rules_free(drv.parse[Q_BGP_ROUTE]);
		drv.parse[Q_BGP_ROUTE] = NULL;
		return;
	}
	config_init(&cf);
	diag_init(&diag);
	assert_int_equal(config_read_string(&cf, tiny_rules), CONFIG_TRUE);
	assert_int_equal(parse_rules_load(config_lookup(&cf, "parse"), &drv,
	    "tiny", &diag), 0);
	config_destroy(&cf);
	diag_free(&diag);
}

/* The parsed answer a waiter received, as an object. */
static json_t *
rec_parsed_json(struct rec *r)
{
	json_t	*j;

	assert_true(r->parsed.len > 0);
	j = json_loadb(r->parsed.data, r->parsed.len, 0, NULL);
	assert_non_null(j);
	return j;
}

/*
 * Coalesced waiters share one parse; each gets the parsed answer after
 * its last output and before its end, in pieces its room allows; a type
 * without rules, an error and a parse failure give what they should.
 */
static void
test_parsed(void **state)
{
	struct router	*rt;
	struct rec	 r[3];
	json_t		*j;
	int		 i;

	(void)state;
	tiny_parse(1);
	rt = up(1);
	hold = "show bgp ipv4 unicast 1.0.4.0/24";
	for (i = 0; i < 3; i++) {
		rec_init(&r[i]);
		assert_int_equal(submit(rt, &r[i], Q_BGP_ROUTE, "1.0.4.0/24"),
		    LG_OK);
	}
	r[2].room = 50;		/* the output, then the parse a bit at a time */
	hold = NULL;
	pump();
	assert_int_equal(count_sent("1.0.4.0/24"), 1);
	for (i = 0; i < 2; i++) {
		assert_int_equal(r[i].ends, 1);
		assert_int_equal(r[i].err, LG_OK);
		assert_int_equal(r[i].parsed_after_end, 0);
		assert_string_equal(r[i].data.data,
		    "answer to show bgp ipv4 unicast 1.0.4.0/24\n");
	}
	assert_memory_equal(r[0].parsed.data, r[1].parsed.data,
	    r[0].parsed.len);
	j = rec_parsed_json(&r[0]);
	assert_string_equal(json_string_value(json_object_get(j, "kind")),
	    "bgp_routes");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(j, "prefixes"), 0), "prefix")), "1.0.4.0/24");
	json_decref(j);
	/* The slow one: its output, then no end until the parse is all in. */
	assert_int_equal(r[2].ends, 0);
	assert_true(r[2].parsed.len < r[0].parsed.len);
	while (r[2].ends == 0) {
		r[2].room = 50;
		job_waiter_kick(&r[2].w);
	}
	assert_int_equal(r[2].parsed_after_end, 0);
	assert_int_equal(r[2].parsed.len, r[0].parsed.len);
	assert_memory_equal(r[2].parsed.data, r[0].parsed.data,
	    r[0].parsed.len);
	down(rt, r, 3);

	/* A parse failure costs the parse, never the answer. */
	rt = up(1);
	rec_init(&r[0]);
	submit(rt, &r[0], Q_BGP_ROUTE, "1.0.9.0/24");
	pump();
	assert_int_equal(r[0].err, LG_OK);
	assert_string_equal(r[0].data.data,
	    "answer to show bgp ipv4 unicast 1.0.9.0/24\n");
	j = rec_parsed_json(&r[0]);
	assert_string_equal(json_string_value(json_object_get(j, "error")),
	    "unreadable");
	assert_int_equal(json_integer_value(json_object_get(j, "line")), 1);
	json_decref(j);
	/* No rules for the type: no parsed answer at all. */
	buf_free(&r[0].data);
	buf_free(&r[0].parsed);
	rec_init(&r[0]);
	submit(rt, &r[0], Q_BGP_SUMMARY, "");
	pump();
	assert_int_equal(r[0].ends, 1);
	assert_int_equal(r[0].parsed.len, 0);
	/* A query that fails has none either. */
	buf_free(&r[0].data);
	rec_init(&r[0]);
	hold = "show";
	submit(rt, &r[0], Q_BGP_ROUTE, "1.0.5.0/24");
	pump();
	ev_advance(60000);
	pump();
	assert_int_equal(r[0].ends, 1);
	assert_int_equal(r[0].err, LG_ERR_TIMEOUT);
	assert_int_equal(r[0].parsed.len, 0);
	hold = NULL;
	down(rt, r, 1);
	tiny_parse(0);
}

/* AS names from a file written for the test, into t. */
static void
names_load(const char *csv, struct lg_asnames *t, char *path, size_t len)
{
	struct lg_diag	 d;
	FILE		*fp;
	int		 fd;

	lg_strlcpy(path, "/tmp/lg-test-pool-names.XXXXXX", len);
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(fp = fdopen(fd, "w"));
	assert_true(fputs(csv, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	diag_init(&d);
	asnames_load(path, t, &d);
	assert_int_equal(d.nmsgs, 0);
	diag_free(&d);
	unlink(path);
}

/* Runs the loop (30 s at most) until the waiter has ended. */
static void
wait_end(struct rec *r)
{
	int	 i;

	for (i = 0; i < 300 && r->ends == 0; i++)
		assert_int_equal(ev_loop_once(100), 0);
}

/*
 * A route answer of more prefixes than a batch gets its facts on the
 * facts thread: the parsed answer comes after the output and before the
 * end, with the AS names of the job's generation even when a reload
 * gives the router another one meanwhile; a waiter that leaves when the
 * output is in frees the job and its work, and gets no end.
 */
static void
test_parsed_facts_thread(void **state)
{
	struct router	*rt;
	struct rec	 r[2];
	struct gen	*other;
	struct lg_buf	 big;
	json_t		*j, *pfxs, *path;
	char		 file[64];
	int		 i;

	(void)state;
	tiny_parse(1);
	names_load("65010,FIRST-AS\n", &gen.asnames, file, sizeof(file));
	lg_strlcpy(gen.conf.asn_names, file, sizeof(gen.conf.asn_names));
	assert_int_equal(facts_worker_init(), 0);
	buf_init(&big, 1 << 20);
	for (i = 0; i < 300; i++)
		buf_printf(&big, "answer to show bgp ipv4 unicast 1.%d.%d.0/24"
		    "\r\n", 1 + i / 256, i % 256);
	buf_append(&big, "", 0);
	big_reply = big.data;
	rt = up(1);
	rec_init(&r[0]);
	hold = "show";
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24"), LG_OK);
	pump();

	/* A reload before the answer: the router has another generation. */
	assert_non_null(other = calloc(1, sizeof(*other)));
	other->refs = 1;
	config_defaults(&other->conf);
	names_load("65010,SECOND-AS\n", &other->asnames, file, sizeof(file));
	lg_strlcpy(other->conf.asn_names, file, sizeof(other->conf.asn_names));
	gen_ref(other);
	rt->gen = other;
	gen_unref(&gen);
	hold = NULL;
	pump();

	wait_end(&r[0]);
	assert_int_equal(r[0].ends, 1);
	assert_int_equal(r[0].err, LG_OK);
	assert_int_equal(r[0].parsed_after_end, 0);
	j = rec_parsed_json(&r[0]);
	pfxs = json_object_get(j, "prefixes");
	assert_int_equal(json_array_size(pfxs), 300);
	for (i = 0; i < 300; i++) {
		path = json_array_get(json_object_get(json_array_get(pfxs,
		    (size_t)i), "paths"), 0);
		assert_string_equal(json_string_value(json_object_get(
		    json_object_get(path, "as_names"), "65010")), "FIRST-AS");
	}
	json_decref(j);

	/* The waiter leaves once the output is in. */
	rec_init(&r[1]);
	assert_int_equal(submit(rt, &r[1], Q_BGP_ROUTE, "1.0.5.0/24"), LG_OK);
	pump();
	assert_true(r[1].data.len > 0);
	if (r[1].ends == 0)
		job_waiter_cancel(&r[1].w);
	for (i = 0; i < 5; i++)
		assert_int_equal(ev_loop_once(100), 0);
	assert_true(r[1].ends == 0 || r[1].parsed.len > 0);

	gen_ref(&gen);
	rt->gen = &gen;
	gen_unref(other);
	gen_unref(other);
	big_reply = NULL;
	buf_free(&big);
	down(rt, r, 2);
	facts_worker_shutdown();
	tiny_parse(0);
	asnames_free(&gen.asnames);
	gen.conf.asn_names[0] = '\0';
}

/* A generation of the same rules as gen, sharing its driver and credential. */
static struct gen *
gen_same(void)
{
	struct gen	*g;

	assert_non_null(g = calloc(1, sizeof(*g)));
	g->refs = 1;
	config_defaults(&g->conf);
	g->conf.routers = &rconf;
	g->conf.nrouters = 1;
	g->creds = gen.creds;
	g->drivers = gen.drivers;
	return g;
}

/* Drops the test's reference to g, which must be the last one. */
static void
gen_same_free(struct gen *g)
{
	assert_int_equal(g->refs, 1);
	g->conf.routers = NULL;
	memset(&g->creds, 0, sizeof(g->creds));
	memset(&g->drivers, 0, sizeof(g->drivers));
	gen_unref(g);
}

/*
 * A reload that keeps a router moves its idle sessions to the new
 * generation at once, and a busy one when its command is done, so no
 * warm session keeps an old generation (and its compiled drivers) alive.
 */
static void
test_reload_moves_sessions(void **state)
{
	struct router	*rt;
	struct rec	 r[1];
	struct gen	*g1, *g2;

	(void)state;
	rt = up(2);
	assert_int_equal(gen.refs, 4);	/* ours, the router's, 2 sessions */
	g1 = gen_same();
	pool_router_adopt(rt, g1, &rconf);
	assert_int_equal(gen.refs, 1);
	assert_ptr_equal(rt->slots[0].sess->gen, g1);
	assert_ptr_equal(rt->slots[1].sess->gen, g1);
	assert_int_equal(g1->refs, 4);

	/* A session busy at the reload follows when its command is done. */
	rec_init(&r[0]);
	hold = "show";
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24"), LG_OK);
	pump();
	g2 = gen_same();
	pool_router_adopt(rt, g2, &rconf);
	assert_int_equal(g1->refs, 3);	/* the busy session, the job */
	hold = NULL;
	pump();
	ev_advance(1000);
	pump();
	assert_int_equal(r[0].ends, 1);
	assert_int_equal(r[0].err, LG_OK);
	assert_int_equal(g1->refs, 1);
	assert_int_equal(g2->refs, 4);
	/* The moved session answers as before. */
	buf_free(&r[0].data);
	rec_init(&r[0]);
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.5.0/24"), LG_OK);
	pump();
	assert_int_equal(r[0].err, LG_OK);
	assert_string_equal(r[0].data.data,
	    "answer to show bgp ipv4 unicast 1.0.5.0/24\n");

	pool_router_adopt(rt, &gen, &rconf);
	assert_int_equal(g2->refs, 1);
	down(rt, r, 1);
	gen_same_free(g1);
	gen_same_free(g2);
}

static void
test_query(void **state)
{
	struct router	*rt;
	struct rec	 r[1];

	(void)state;
	rt = up(1);
	rec_init(&r[0]);
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24"), LG_OK);
	assert_string_equal(r[0].cmd, "show bgp ipv4 unicast 1.0.4.0/24");
	pump();
	assert_int_equal(r[0].begins, 1);
	assert_int_equal(r[0].ends, 1);
	assert_int_equal(r[0].err, LG_OK);
	assert_string_equal(r[0].data.data,
	    "answer to show bgp ipv4 unicast 1.0.4.0/24\n");
	/* Both families: two commands, one result. */
	buf_free(&r[0].data);
	rec_init(&r[0]);
	assert_int_equal(submit(rt, &r[0], Q_BGP_SUMMARY, ""), LG_OK);
	pump();
	assert_string_equal(r[0].cmd, "show bgp ipv4 unicast summary\n"
	    "show bgp ipv6 unicast summary");
	assert_string_equal(r[0].data.data,
	    "answer to show bgp ipv4 unicast summary\n"
	    "answer to show bgp ipv6 unicast summary\n");
	assert_int_equal(r[0].ends, 1);
	assert_int_equal(rt->queries, 2);
	down(rt, r, 1);
}

static void
test_coalesce(void **state)
{
	struct router	*rt;
	struct rec	 r[3];
	int		 i;

	(void)state;
	rt = up(2);
	hold = "show bgp ipv4 unicast 1.0.4.0/24";
	for (i = 0; i < 3; i++) {
		rec_init(&r[i]);
		assert_int_equal(submit(rt, &r[i], Q_BGP_ROUTE, "1.0.4.0/24"),
		    LG_OK);
		pump();
	}
	assert_int_equal(count_sent("1.0.4.0/24"), 1);
	hold = NULL;
	pump();
	for (i = 0; i < 3; i++) {
		assert_int_equal(r[i].begins, 1);
		assert_int_equal(r[i].ends, 1);
		assert_string_equal(r[i].data.data,
		    "answer to show bgp ipv4 unicast 1.0.4.0/24\n");
	}
	/* Different targets are different commands. */
	buf_free(&r[0].data);
	buf_free(&r[1].data);
	rec_init(&r[0]);
	rec_init(&r[1]);
	submit(rt, &r[0], Q_BGP_ROUTE, "1.0.8.0/24");
	submit(rt, &r[1], Q_BGP_ROUTE, "1.0.9.0/24");
	pump();
	assert_int_equal(count_sent("1.0.8.0/24") + count_sent("1.0.9.0/24"),
	    2);
	down(rt, r, 3);
}

static void
test_queue_busy(void **state)
{
	struct router	*rt;
	struct rec	 r[4];
	int		 i;

	(void)state;
	gen.conf.broker.queue = 2;
	rt = up(1);
	hold = "show bgp ipv4 unicast 1.0.1";
	for (i = 0; i < 4; i++)
		rec_init(&r[i]);
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.1.0/24"), LG_OK);
	pump();
	assert_int_equal(submit(rt, &r[1], Q_BGP_ROUTE, "1.0.2.0/24"), LG_OK);
	assert_int_equal(submit(rt, &r[2], Q_BGP_ROUTE, "1.0.3.0/24"), LG_OK);
	assert_int_equal(submit(rt, &r[3], Q_BGP_ROUTE, "1.0.5.0/24"),
	    LG_ERR_BUSY);
	assert_int_equal(r[3].begins, 0);
	assert_int_equal(rt->queued, 2);
	hold = NULL;
	pump();
	for (i = 0; i < 3; i++)
		assert_int_equal(r[i].err, LG_OK);
	/* FIFO: the queued ones ran in order after the first. */
	assert_true(strstr(fakes[0].sent.data, "1.0.2.0") <
	    strstr(fakes[0].sent.data, "1.0.3.0"));
	conf_reset();
	down(rt, r, 4);
}

/*
 * Issue 11: broker.queue = 0 was taken for the default of 16.  Now no
 * query waits: one that finds an idle session runs, the next is busy at
 * once.
 */
static void
test_queue_zero_busy(void **state)
{
	struct router	*rt;
	struct rec	 r[2];

	(void)state;
	gen.conf.broker.queue = 0;
	rt = up(1);
	hold = "show bgp ipv4 unicast 1.0.1";
	rec_init(&r[0]);
	rec_init(&r[1]);
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.1.0/24"), LG_OK);
	pump();
	assert_int_equal(r[0].begins, 1);
	assert_int_equal(submit(rt, &r[1], Q_BGP_ROUTE, "1.0.2.0/24"),
	    LG_ERR_BUSY);
	assert_int_equal(r[1].begins, 0);
	assert_int_equal(rt->queued, 0);
	hold = NULL;
	pump();
	assert_int_equal(r[0].err, LG_OK);
	conf_reset();
	down(rt, r, 2);
}

static void
test_deadline(void **state)
{
	struct router	*rt;
	struct rec	 r[2];
	int		 before;

	(void)state;
	gen.conf.broker.deadline_ms[Q_BGP_ROUTE] = 2000;
	rt = up(1);
	hold = "show";
	rec_init(&r[0]);
	rec_init(&r[1]);
	submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24");
	pump();
	ev_advance(1000);
	submit(rt, &r[1], Q_BGP_ROUTE, "1.0.5.0/24");
	before = nfakes;
	ev_advance(1000);
	assert_int_equal(r[0].ends, 1);
	assert_int_equal(r[0].err, LG_ERR_TIMEOUT);
	/* The session that ran it is not reused: a new one is opened. */
	hold = NULL;
	settle();
	assert_true(nfakes > before);
	assert_int_equal(r[1].ends, 1);
	assert_int_equal(r[1].err, LG_OK);
	conf_reset();
	down(rt, r, 2);
}

static void
test_flow_control(void **state)
{
	struct router	*rt;
	struct rec	 r[2];

	(void)state;
	rt = up(1);
	rec_init(&r[0]);
	rec_init(&r[1]);
	r[0].room = 10;
	submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24");
	submit(rt, &r[1], Q_BGP_ROUTE, "1.0.4.0/24");
	pump();
	/* The slow waiter has 10 bytes; the other got everything. */
	assert_int_equal(r[0].data.len, 10);
	assert_int_equal(r[0].ends, 0);
	assert_int_equal(r[1].ends, 1);
	r[0].room = 1000;
	job_waiter_kick(&r[0].w);
	assert_int_equal(r[0].ends, 1);
	assert_string_equal(r[0].data.data, r[1].data.data);
	down(rt, r, 2);
}

static void
test_cancel_drains(void **state)
{
	struct router	*rt;
	struct rec	 r[2];

	(void)state;
	rt = up(1);
	hold = "show";
	rec_init(&r[0]);
	rec_init(&r[1]);
	submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24");
	pump();
	job_waiter_cancel(&r[0].w);
	assert_int_equal(r[0].ends, 0);
	/* The command still runs to its prompt, then the session serves. */
	submit(rt, &r[1], Q_BGP_ROUTE, "1.0.6.0/24");
	hold = NULL;
	pump();
	assert_int_equal(r[1].ends, 1);
	assert_int_equal(r[1].err, LG_OK);
	assert_int_equal(nfakes, 1);
	down(rt, r, 2);
}

static void
test_breaker(void **state)
{
	struct router	*rt;
	struct rec	 r[1];
	char		 err[LG_ERRSTR_MAX];

	(void)state;
	gen.conf.broker.breaker_failures = 3;
	gen.conf.broker.breaker_probe = 10;
	nfakes = 0;
	hs_err = LG_ERR_HOSTKEY;
	rconf.sessions = 1;
	rt = pool_router_new(&gen, &rconf, err, sizeof(err));
	rt->tr_override = &fake_transport;
	pool_router_start(rt);
	pump();
	ev_advance(BACKOFF_MAX_MS);
	pump();
	ev_advance(BACKOFF_MAX_MS);
	pump();
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_DOWN);
	assert_int_equal(rt->failures, 3);
	assert_string_equal(rt->last_error, "scripted refusal");
	rec_init(&r[0]);
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24"),
	    LG_ERR_ROUTER_DOWN);
	/* No reconnect storm while down; the probe brings it back. */
	ev_advance(5000);
	pump();
	assert_int_equal(nfakes, 3);
	hs_err = LG_OK;
	ev_advance(5000);
	settle();
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_UP);
	assert_int_equal(rt->failures, 0);
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24"), LG_OK);
	pump();
	assert_int_equal(r[0].err, LG_OK);
	conf_reset();
	down(rt, r, 1);
}

static void
test_keepalive_and_recycle(void **state)
{
	struct router	*rt;
	struct rec	 r[1];
	char		 ka[] = "show clock";

	(void)state;
	drv.keepalive = ka;
	gen.conf.broker.keepalive = 2;
	gen.conf.broker.idle_timeout = 9;
	rt = up(1);
	assert_int_equal(count_sent("show clock"), 0);
	ev_advance(2000);
	pump();
	assert_int_equal(count_sent("show clock"), 1);
	assert_int_equal(rt->slots[0].sess->state, SESS_IDLE);
	ev_advance(2000);
	pump();
	assert_int_equal(count_sent("show clock"), 2);
	/* Past idle_timeout the session is replaced by a fresh one. */
	ev_advance(5000);
	settle();
	assert_int_equal(nfakes, 2);
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_UP);
	rec_init(&r[0]);
	submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24");
	pump();
	assert_int_equal(r[0].err, LG_OK);
	drv.keepalive = NULL;
	conf_reset();
	down(rt, r, 1);
}

/*
 * A keepalive and the idle timeout due at the same moment: the session
 * is recycled, and no keepalive goes to a session on its way out.
 */
static void
test_keepalive_recycle_tie(void **state)
{
	struct router	*rt;
	char		 ka[] = "show clock";

	(void)state;
	drv.keepalive = ka;
	gen.conf.broker.keepalive = 3;
	gen.conf.broker.idle_timeout = 9;
	rt = up(1);
	ev_advance(3000);
	pump();
	ev_advance(3000);
	pump();
	assert_int_equal(count_sent("show clock"), 2);
	/* Recycled at once: a keepalive would have kept it open, busy. */
	ev_advance(3000);
	assert_false(fakes[0].open);
	settle();
	assert_int_equal(nfakes, 2);
	assert_int_equal(count_sent("show clock"), 0);
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_UP);
	drv.keepalive = NULL;
	gen.conf.broker.keepalive = 0;
	gen.conf.broker.idle_timeout = 0;
	down(rt, NULL, 0);
}

/* A removed router finishes what runs, then closes by itself. */
static void
test_drain(void **state)
{
	struct router	*rt;
	struct rec	 r[1];

	(void)state;
	gen.conf.broker.breaker_probe = 1;
	rt = up(2);
	hold = "show";
	rec_init(&r[0]);
	submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24");
	pump();
	TAILQ_INSERT_TAIL(&bk.draining, rt, entry);
	pool_router_drain(rt);
	ev_advance(5000);
	pump();
	assert_false(TAILQ_EMPTY(&bk.draining));
	assert_int_equal(r[0].ends, 0);
	hold = NULL;
	pump();
	assert_int_equal(r[0].ends, 1);
	assert_int_equal(r[0].err, LG_OK);
	ev_advance(0);
	assert_true(TAILQ_EMPTY(&bk.draining));
	assert_int_equal(gen.refs, 1);
	conf_reset();
	buf_free(&r[0].data);
}

/*
 * A fake resolver for router names: it records each lookup, and the test
 * answers it with fres_answer.
 */
static struct {
	int		 starts;
	int		 cancels;
	char		 name[LG_HOSTNAME_MAX + 1];
	void		(*cb)(void *, int, const struct sockaddr_storage *,
			    size_t);
	void		*arg;
} fres;
static char		 fres_token;

static struct resolve_req *
fres_start(const char *name, void (*cb)(void *, int,
    const struct sockaddr_storage *, size_t), void *arg)
{
	assert_null(fres.cb);		/* one lookup per router at a time */
	fres.starts++;
	lg_strlcpy(fres.name, name, sizeof(fres.name));
	fres.cb = cb;
	fres.arg = arg;
	return (struct resolve_req *)(void *)&fres_token;
}

static void
fres_cancel(struct resolve_req *r)
{
	assert_ptr_equal(r, (void *)&fres_token);
	fres.cancels++;
	fres.cb = NULL;
}

static const struct resolve_ops fres_ops = { fres_start, fres_cancel };

/* Answers the pending lookup with gai, or with the addresses listed. */
static void
fres_answer(int gai, const char *a1, const char *a2)
{
	struct sockaddr_storage	 ss[2];
	const char		*v[2] = { a1, a2 };
	void			(*cb)(void *, int,
				    const struct sockaddr_storage *, size_t);
	size_t			 n = 0, i;

	memset(ss, 0, sizeof(ss));
	for (i = 0; i < 2 && v[i] != NULL; i++, n++) {
		struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss[i];
		struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss[i];

		if (inet_pton(AF_INET, v[i], &s4->sin_addr) == 1)
			s4->sin_family = AF_INET;
		else {
			assert_int_equal(inet_pton(AF_INET6, v[i],
			    &s6->sin6_addr), 1);
			s6->sin6_family = AF_INET6;
		}
	}
	assert_non_null(fres.cb);
	cb = fres.cb;
	fres.cb = NULL;
	cb(fres.arg, gai, ss, n);
}

/* The address and port a fake session was given, as "addr port". */
static const char *
fake_addr(int i)
{
	static char	 out[INET6_ADDRSTRLEN + 8];
	char		 a[INET6_ADDRSTRLEN];
	const struct sockaddr_storage *ss = &fakes[i].addr;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		assert_int_equal(fakes[i].addrlen, sizeof(*s4));
		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(out, sizeof(out), "%s %u", a, ntohs(s4->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		assert_int_equal(fakes[i].addrlen, sizeof(*s6));
		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(out, sizeof(out), "%s %u", a, ntohs(s6->sin6_port));
	} else
		snprintf(out, sizeof(out), "no address");
	return out;
}

/* A router given by name, started but not resolved yet. */
static struct router *
named(int sessions)
{
	struct router	*rt;

	memset(&fres, 0, sizeof(fres));
	lg_strlcpy(rconf.host, "r1.example.net", sizeof(rconf.host));
	rconf.port = 2323;
	rt = fresh(sessions);
	rt->res_override = &fres_ops;
	pool_router_start(rt);
	pump();
	return rt;
}

static void
named_done(struct router *rt)
{
	pool_router_free(rt);
	lg_strlcpy(rconf.host, "127.0.0.1", sizeof(rconf.host));
	config_router_defaults(&rconf, TRANSPORT_SSH);
}

/*
 * Issue 12: a name that does not resolve left a zeroed address, and the
 * session asked for a socket of family 0.  Now no session starts without
 * an address, the router is down with the reason, and the name is looked
 * up again until it resolves.
 */
static void
test_name_unresolved(void **state)
{
	struct router	*rt;
	struct rec	 r[1];

	(void)state;
	rt = named(2);
	/* One lookup for both sessions, and no session before it answers. */
	assert_int_equal(fres.starts, 1);
	assert_string_equal(fres.name, "r1.example.net");
	assert_int_equal(nfakes, 0);
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_CONNECTING);
	assert_int_equal(rt->slots[0].state, SLOT_RESOLVING);
	assert_int_equal(rt->slots[1].state, SLOT_RESOLVING);
	fres_answer(EAI_NONAME, NULL, NULL);
	pump();
	assert_int_equal(nfakes, 0);
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_DOWN);
	assert_int_equal(rt->breaker, BREAKER_OPEN);
	assert_int_equal(rt->slots[0].state, SLOT_EMPTY);
	assert_int_equal(rt->slots[1].state, SLOT_EMPTY);
	assert_string_equal(rt->last_error, "cannot resolve r1.example.net: "
	    "Name or service not known");
	rec_init(&r[0]);
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24"),
	    LG_ERR_ROUTER_DOWN);
	/* Looked up again after a backoff, not at once. */
	assert_int_equal(fres.starts, 1);
	ev_advance(BACKOFF_BASE_MS);
	pump();
	assert_int_equal(fres.starts, 2);
	fres_answer(EAI_AGAIN, NULL, NULL);
	assert_string_equal(rt->last_error, "cannot resolve r1.example.net: "
	    "Temporary failure in name resolution");
	/* The backoff grows: between BACKOFF_BASE_MS and twice that. */
	ev_advance(BACKOFF_BASE_MS - 1);
	pump();
	assert_int_equal(fres.starts, 2);
	ev_advance(BACKOFF_BASE_MS + 1);
	pump();
	assert_int_equal(fres.starts, 3);
	/* An answer with no address at all is no better. */
	fres_answer(0, NULL, NULL);
	assert_int_equal(nfakes, 0);
	assert_string_equal(rt->last_error, "cannot resolve r1.example.net: "
	    "no IPv4 or IPv6 address");
	/* The name appears: the router comes up, on that address and port. */
	ev_advance(4 * BACKOFF_BASE_MS);
	pump();
	assert_int_equal(fres.starts, 4);
	fres_answer(0, "192.0.2.7", NULL);
	settle();
	assert_true(nfakes >= 1);
	assert_string_equal(fake_addr(0), "192.0.2.7 2323");
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_UP);
	/* The second session looked the name up again, then opened too. */
	if (fres.cb != NULL)
		fres_answer(0, "192.0.2.7", NULL);
	settle();
	assert_int_equal(nfakes, 2);
	assert_string_equal(fake_addr(1), "192.0.2.7 2323");
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24"), LG_OK);
	pump();
	assert_int_equal(r[0].err, LG_OK);
	assert_int_equal(rt->breaker, BREAKER_CLOSED);
	assert_int_equal(rt->slots[0].state, SLOT_READY);
	assert_int_equal(rt->slots[1].state, SLOT_READY);
	named_done(rt);
	buf_free(&r[0].data);
}

/* Every address of the name in turn before the attempt counts. */
static void
test_name_next_address(void **state)
{
	struct router	*rt;

	(void)state;
	rt = named(1);
	hs_unreachable = 1;
	fres_answer(0, "2001:db8::1", "192.0.2.8");
	settle();
	assert_int_equal(nfakes, 2);
	assert_string_equal(fake_addr(0), "2001:db8::1 2323");
	assert_string_equal(fake_addr(1), "192.0.2.8 2323");
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_UP);
	assert_int_equal(rt->failures, 0);
	/* Moving to the next address needs no new lookup. */
	assert_int_equal(fres.starts, 1);
	named_done(rt);
}

/* A session that breaks is replaced after a new lookup: DNS is followed. */
static void
test_name_follows_dns(void **state)
{
	struct router	*rt;

	(void)state;
	rt = named(1);
	fres_answer(0, "192.0.2.7", NULL);
	settle();
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_UP);
	assert_string_equal(fake_addr(0), "192.0.2.7 2323");
	/* The router goes away; the name now points elsewhere. */
	close(fakes[0].peer);
	fakes[0].peer = -1;
	pump();
	ev_advance(0);
	pump();
	assert_int_equal(fres.starts, 2);
	fres_answer(0, "192.0.2.99", NULL);
	settle();
	assert_int_equal(nfakes, 2);
	assert_string_equal(fake_addr(1), "192.0.2.99 2323");
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_UP);
	/* A router freed while its name is looked up cancels the lookup. */
	close(fakes[1].peer);
	fakes[1].peer = -1;
	pump();
	ev_advance(0);
	pump();
	assert_non_null(fres.cb);
	named_done(rt);
	assert_int_equal(fres.cancels, 1);
}

/* A lookup that fails while a session is open does not take it down. */
static void
test_name_hiccup(void **state)
{
	struct router	*rt;
	struct rec	 r[1];

	(void)state;
	rt = named(2);
	/* One lookup opens both sessions. */
	fres_answer(0, "192.0.2.7", NULL);
	settle();
	assert_int_equal(fres.starts, 1);
	assert_int_equal(nfakes, 2);
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_UP);
	/* One session goes; its replacement's lookup fails. */
	close(fakes[0].peer);
	fakes[0].peer = -1;
	pump();
	ev_advance(0);
	pump();
	assert_int_equal(fres.starts, 2);
	fres_answer(EAI_AGAIN, NULL, NULL);
	pump();
	assert_int_equal(pool_router_state(rt), ROUTER_STATE_UP);
	assert_int_equal(rt->failures, 0);
	assert_string_equal(rt->last_error, "cannot resolve r1.example.net: "
	    "Temporary failure in name resolution");
	rec_init(&r[0]);
	assert_int_equal(submit(rt, &r[0], Q_BGP_ROUTE, "1.0.4.0/24"), LG_OK);
	pump();
	assert_int_equal(r[0].ends, 1);
	assert_int_equal(r[0].err, LG_OK);
	/* The slot looks the name up again later, and reopens. */
	ev_advance(BACKOFF_BASE_MS);
	pump();
	assert_int_equal(fres.starts, 3);
	fres_answer(0, "192.0.2.8", NULL);
	settle();
	assert_int_equal(nfakes, 3);
	assert_string_equal(fake_addr(2), "192.0.2.8 2323");
	named_done(rt);
	buf_free(&r[0].data);
}

static void
test_backoff(void **state)
{
	(void)state;
	assert_int_equal(pool_backoff_ms(0, 0), BACKOFF_BASE_MS / 2);
	assert_int_equal(pool_backoff_ms(0, UINT32_MAX),
	    BACKOFF_BASE_MS / 2 + (int)(UINT32_MAX % (BACKOFF_BASE_MS / 2 + 1)));
	assert_true(pool_backoff_ms(3, 12345) >= 4 * BACKOFF_BASE_MS &&
	    pool_backoff_ms(3, 12345) <= 8 * BACKOFF_BASE_MS);
	assert_true(pool_backoff_ms(40, 7) <= BACKOFF_MAX_MS);
	assert_true(pool_backoff_ms(40, 7) >= BACKOFF_MAX_MS / 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_reload_moves_sessions),
		cmocka_unit_test(test_coalesce),
		cmocka_unit_test(test_queue_busy),
		cmocka_unit_test(test_queue_zero_busy),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_flow_control),
		cmocka_unit_test(test_parsed),
		cmocka_unit_test(test_parsed_facts_thread),
		cmocka_unit_test(test_cancel_drains),
		cmocka_unit_test(test_breaker),
		cmocka_unit_test(test_keepalive_and_recycle),
		cmocka_unit_test(test_keepalive_recycle_tie),
		cmocka_unit_test(test_drain),
		cmocka_unit_test(test_name_unresolved),
		cmocka_unit_test(test_name_next_address),
		cmocka_unit_test(test_name_follows_dns),
		cmocka_unit_test(test_name_hiccup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
