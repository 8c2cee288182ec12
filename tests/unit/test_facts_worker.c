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
 * Unit tests of the facts thread (src/lgbrokerd/facts_worker.c) with the
 * shipped FRR driver's parser and a validation hook the test controls:
 * route items are annotated while the answer is still being fed, and the
 * dump equals the facts made on the loop; a work cancelled while the
 * thread is in one of its batches, and one cancelled while queued, free
 * everything once and never call back; a reload dropping the broker's
 * generation during an answer leaves the work's own reference, so the
 * names come from the generation the answer started with and nothing is
 * freed under the thread (AddressSanitizer watches).
 */

#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "lg.h"
#include "lg_parse.h"
#include "lgbrokerd/broker.h"
#include "../lib/frr_table.h"

#define ROUTES		3000
#define CHUNK		4096
#define WAIT_MS		30000	/* generous: a loaded machine */

static struct lg_drivers	 ds;
static const struct lg_driver	*frr;
static char			*text;
static size_t			 textlen;
static char			 dir[64];

/* The hook: counts its calls; holds while hold is set. */
static pthread_mutex_t	 hook_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 hook_cv = PTHREAD_COND_INITIALIZER;
static int		 hook_hold, hook_inside;
static size_t		 hook_calls;

static void
fake_rpki(void *arg, const struct lg_prefix *p, uint32_t asn,
    struct rpki_result *res)
{
	(void)arg;
	pthread_mutex_lock(&hook_mtx);
	hook_calls++;
	hook_inside = 1;
	pthread_cond_broadcast(&hook_cv);
	while (hook_hold)
		pthread_cond_wait(&hook_cv, &hook_mtx);
	hook_inside = 0;
	pthread_mutex_unlock(&hook_mtx);
	memset(res, 0, sizeof(*res));
	res->state = (enum rpki_state)(RPKI_VALID + asn % 3);
	if (res->state == RPKI_INVALID)
		res->reason = RPKI_REASON_ORIGIN;
	if (res->state == RPKI_VALID) {
		res->nvrps = 1;
		res->vrps[0].prefix = *p;
		res->vrps[0].max_length = p->len;
		res->vrps[0].asn = asn;
	}
}

static void
hook_set_hold(int on)
{
	pthread_mutex_lock(&hook_mtx);
	hook_hold = on;
	pthread_cond_broadcast(&hook_cv);
	pthread_mutex_unlock(&hook_mtx);
}

static size_t
hook_count(void)
{
	size_t	 n;

	pthread_mutex_lock(&hook_mtx);
	n = hook_calls;
	pthread_mutex_unlock(&hook_mtx);
	return n;
}

/* Waits (WAIT_MS at most) until the thread is inside the hook. */
static int
hook_wait_inside(void)
{
	struct timespec	 ts;
	int		 rc = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += WAIT_MS / 1000;
	pthread_mutex_lock(&hook_mtx);
	while (!hook_inside && rc == 0)
		rc = pthread_cond_timedwait(&hook_cv, &hook_mtx, &ts);
	pthread_mutex_unlock(&hook_mtx);
	return hook_inside;
}

/* What the callbacks saw. */
struct outcome {
	int	 done;
	char	*text;
	int	 released;
};

static void
on_done(void *arg, char *t)
{
	struct outcome	*o = arg;

	o->done++;
	o->text = t;
}

static void
on_release(void *arg)
{
	struct outcome	*o = arg;

	o->released++;
}

static void
on_release_gen(void *arg)
{
	gen_unref(arg);
}

/* Runs the dispatch until *flag is set (WAIT_MS at most). */
static void
dispatch_until(const int *flag)
{
	struct pollfd	 pfd = { .fd = facts_worker_fd(), .events = POLLIN };
	int		 waited = 0;

	while (!*flag && waited < WAIT_MS) {
		if (poll(&pfd, 1, 100) > 0)
			facts_worker_dispatch();
		else
			waited += 100;
	}
	assert_true(*flag);
}

/* FRR's "show bgp ipv4 unicast" table of n routes, as bench_rpki makes. */
static char *
table(size_t n, size_t *len)
{
	struct lg_buf	 b;
	char		 pfx[32];
	uint32_t	 a;
	size_t		 i;

	buf_init(&b, (size_t)1 << 28);
	buf_printf(&b, "%s", frr_table_head);
	for (i = 0; i < n; i++) {
		a = 0x01000000U + (uint32_t)i * 256U;
		snprintf(pfx, sizeof(pfx), "%u.%u.%u.0/24", a >> 24,
		    (a >> 16) & 0xff, (a >> 8) & 0xff);
		buf_printf(&b, "*> %-16s 198.19.1.1                       "
		    "      0 64500 3356 %u i\n", pfx,
		    64512U + (uint32_t)(i % 1000));
	}
	buf_printf(&b, "\nDisplayed  %zu routes and %zu total paths\n", n, n);
	*len = b.len;
	return b.data;
}

static struct parser *
new_parser(void)
{
	struct parser	*p;
	char		 err[128];

	p = parser_new(frr, Q_BGP_COMMUNITY, AFI_IPV4, ROUTES, err,
	    sizeof(err));
	assert_non_null(p);
	return p;
}

/*
 * Feeds text[*off, upto) chunk by chunk as the job does, starting the
 * work with the first 64 closed items and handing what closes after.
 */
static void
feed(struct parser *p, size_t *off, size_t upto, struct facts_work **w,
    const struct facts *f, struct outcome *o, void (*release)(void *),
    void *rarg)
{
	json_t		*items;
	size_t		 n, done;

	for (; *off < upto; *off += n) {
		n = upto - *off < CHUNK ? upto - *off : CHUNK;
		assert_int_equal(parser_feed_text(p, text + *off, n), 0);
		assert_non_null(items = parser_routes(p, &done));
		if (*w == NULL && done >= 64)
			assert_non_null(*w = facts_worker_start(f, items,
			    on_done, o, release, rarg));
		if (*w != NULL)
			assert_int_equal(facts_worker_feed(*w, done), 0);
	}
}

/* The same answer with its facts made on the loop, as compact text. */
static char *
reference(const struct facts *f)
{
	struct parser	*p = new_parser();
	json_t		*j;
	char		*s;

	assert_int_equal(parser_feed_text(p, text, textlen), 0);
	j = parser_finish(p);
	parser_free(p);
	assert_int_equal(parse_facts_annotate(j, f), 0);
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    PARSE_JSON_REAL);
	json_decref(j);
	return s;
}

static void
write_names(const char *name, const char *csv, struct lg_asnames *t)
{
	struct lg_diag	 d;
	char		 path[128];
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(fp = fopen(path, "w"));
	assert_true(fputs(csv, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	diag_init(&d);
	asnames_load(path, t, &d);
	assert_int_equal(d.nmsgs, 0);
	diag_free(&d);
}

static void
test_annotated_while_feeding(void **state)
{
	struct lg_asnames	 names = { 0 };
	struct lg_commdesc	 comms = { 0 };
	struct facts		 f = { 0 };
	struct facts_work	*w = NULL;
	struct outcome		 o = { 0 };
	struct parser		*p = new_parser();
	char			*ref;
	size_t			 off = 0, before;
	int			 waited = 0;

	(void)state;
	write_names("a.csv", "64500,EXAMPLE-A\n3356,LEVEL3\n", &names);
	f.asnames = &names;
	f.commdesc = &comms;
	f.rpki = fake_rpki;
	ref = reference(&f);
	before = hook_count();

	/* Half the answer: the thread validates before its end. */
	feed(p, &off, textlen / 2, &w, &f, &o, on_release, &o);
	assert_non_null(w);
	while (hook_count() - before < 64 && waited < WAIT_MS) {
		usleep(1000);
		waited++;
	}
	assert_true(hook_count() - before >= 64);
	assert_int_equal(o.done, 0);

	feed(p, &off, textlen, &w, &f, &o, on_release, &o);
	assert_int_equal(facts_worker_finish(w, parser_finish(p)), 0);
	parser_free(p);
	dispatch_until(&o.done);
	assert_int_equal(o.done, 1);
	assert_int_equal(o.released, 1);
	assert_non_null(o.text);
	assert_string_equal(o.text, ref);
	assert_int_equal(hook_count() - before, ROUTES);
	free(o.text);
	free(ref);
	asnames_free(&names);
}

static void
test_cancel(void **state)
{
	struct lg_commdesc	 comms = { 0 };
	struct facts		 f = { 0 };
	struct facts_work	*busy = NULL, *queued = NULL;
	struct outcome		 ob = { 0 }, oq = { 0 };
	struct parser		*pb = new_parser(), *pq = new_parser();
	size_t			 offb = 0, offq = 0;

	(void)state;
	f.commdesc = &comms;
	f.rpki = fake_rpki;
	hook_set_hold(1);
	feed(pb, &offb, textlen / 2, &busy, &f, &ob, on_release, &ob);
	assert_true(hook_wait_inside());
	feed(pq, &offq, textlen / 2, &queued, &f, &oq, on_release, &oq);

	/* Queued: freed at once. */
	facts_worker_cancel(queued);
	assert_int_equal(oq.released, 1);
	parser_free(pq);

	/* In the thread's hands: let go after its batch. */
	facts_worker_cancel(busy);
	assert_int_equal(ob.released, 0);
	parser_free(pb);		/* the job's answer goes first */
	hook_set_hold(0);
	dispatch_until(&ob.released);
	assert_int_equal(ob.released, 1);
	assert_int_equal(ob.done, 0);
	assert_int_equal(oq.done, 0);
}

/* A generation as gen_load makes one, with AS names from csv. */
static struct gen *
new_gen(const char *name, const char *csv)
{
	struct gen	*g;

	assert_non_null(g = calloc(1, sizeof(*g)));
	g->refs = 1;
	config_defaults(&g->conf);
	write_names(name, csv, &g->asnames);
	return g;
}

static void
test_reload_during_answer(void **state)
{
	struct gen		*g1, *g2, *broker_gen;
	struct facts		 f = { 0 };
	struct facts_work	*w = NULL;
	struct outcome		 o = { 0 };
	struct parser		*p = new_parser();
	json_t			*j, *names;
	size_t			 off = 0;

	(void)state;
	broker_gen = g1 = new_gen("old.csv", "64500,OLD-NAME\n");
	f.asnames = &g1->asnames;
	f.commdesc = &g1->commdesc;
	f.rpki = fake_rpki;
	gen_ref(g1);			/* the job's, held by the work */
	feed(p, &off, textlen / 2, &w, &f, &o, on_release_gen, g1);

	/* A reload: the broker's generation changes, the old one is let go. */
	g2 = new_gen("new.csv", "64500,NEW-NAME\n");
	gen_unref(broker_gen);
	broker_gen = g2;

	feed(p, &off, textlen, &w, &f, &o, on_release_gen, g1);
	assert_int_equal(facts_worker_finish(w, parser_finish(p)), 0);
	parser_free(p);
	dispatch_until(&o.done);
	assert_non_null(j = json_loads(o.text, 0, NULL));
	names = json_object_get(json_array_get(json_object_get(json_array_get(
	    json_object_get(j, "prefixes"), ROUTES - 1), "paths"), 0),
	    "as_names");
	assert_string_equal(json_string_value(json_object_get(names, "64500")),
	    "OLD-NAME");
	json_decref(j);
	free(o.text);
	gen_unref(broker_gen);
}

static int
setup(void **state)
{
	struct lg_diag	 d;
	char		 top[LG_PATH_MAX], ddir[LG_PATH_MAX + 16];

	(void)state;
	lg_strlcpy(top, getenv("LG_TOP") != NULL ? getenv("LG_TOP") : ".",
	    sizeof(top));
	snprintf(ddir, sizeof(ddir), "%s/drivers", top);
	diag_init(&d);
	driver_load_dir(ddir, &ds, &d);
	diag_free(&d);
	if ((frr = drivers_find(&ds, "frr")) == NULL)
		return -1;
	lg_strlcpy(dir, "/tmp/lg-test-fw.XXXXXX", sizeof(dir));
	if (mkdtemp(dir) == NULL)
		return -1;
	text = table(ROUTES, &textlen);
	if (ev_init() == -1 || facts_worker_init() == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[128];

	(void)state;
	facts_worker_shutdown();
	ev_free();
	free(text);
	drivers_free(&ds);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_annotated_while_feeding),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_reload_during_answer),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
