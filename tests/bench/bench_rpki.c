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
 * What RPKI origin validation costs the broker (tests/bench/bench.sh,
 * measurement "rpki"):
 *
 *   - memory and time to hold VRPS generated VRPs (default 800,000, the
 *     size of today's global set: 4/5 IPv4, 1/5 IPv6) in RTRlib's prefix
 *     table, as the broker holds them (RSS before and after);
 *   - the CPU time (CLOCK_PROCESS_CPUTIME_ID, this process alone) of
 *     parsing a ROUTES-route answer (default 100,000; FRR's "show bgp
 *     ipv4 unicast" table, one path per route, every prefix distinct)
 *     with drivers/frr.conf, as the broker does, and of the same parse
 *     followed by the route facts with validation (parse_facts_annotate
 *     with rpki_validate, rpki_vrps included): their ratio is what
 *     validation adds.  Half the routes are covered by a VRP (valid,
 *     invalid by origin, invalid by max length), half are not;
 *   - of that, what RTRlib's own lookups cost (pfx_table_validate_r for
 *     every route, nothing else): the floor of the ratio while every
 *     route costs one lookup;
 *   - the wall time of parse_facts_annotate alone: how long the broker's
 *     event loop served no other session when it ran the facts there;
 *   - then, on every core (two threads), the wall time of the answer as
 *     the broker streams it, 16 KiB at a time, until its parsed JSON text
 *     is ready: parse and dump alone ("plain"), parse then facts and dump
 *     on one thread (the loop's former way, "serial"), and the parse with
 *     the facts on the facts thread, batch by batch as the job hands
 *     them, the thread dumping at the end ("pipelined", facts_worker.c),
 *     and the same without validation (what validation adds to it);
 *     and the loop's own work after the answer's last chunk: the facts
 *     and the dump (serial) against the parser's end, the hand-off and
 *     the callback (pipelined; while the thread finishes, the loop
 *     serves the other sessions); and CPU time by thread, which the
 *     load of the machine moves less than wall time: the loop's for the
 *     parse alone against its whole share of the pipelined answer (the
 *     parse, the hand-offs, the callback), and the facts thread's.
 *
 * Prints one JSON object.  Runs alternate (parse alone, parse and
 * validate; the four wall-time modes, the order turning) RUNS times; the
 * medians are compared.
 *
 *	bench_rpki DRIVERS-DIR [ROUTES [VRPS [RUNS]]]
 */

#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <rtrlib/rtrlib.h>

#include "lg.h"
#include "lg_parse.h"
#include "lgbrokerd/broker.h"
#include "../lib/frr_table.h"

#define CHUNK	(16 * 1024)
#define RUNS_MAX	31

static double
clock_s(clockid_t c)
{
	struct timespec	 ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_now(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static double
wall_now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static long
rss_kib(void)
{
	FILE	*f;
	char	 line[256];
	long	 kib = -1;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	fclose(f);
	return kib;
}

/* Route i: a distinct /24 (IPv4) and its origin AS. */
static void
route(size_t i, char *pfx, size_t len, uint32_t *origin)
{
	uint32_t	 a = 0x01000000U + (uint32_t)i * 256U;

	snprintf(pfx, len, "%u.%u.%u.0", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff);
	*origin = 64512U + (uint32_t)(i % 1000);
}

/* A parser for the answer, as the broker makes one for bgp_community. */
static struct parser *
table_parser(const struct lg_driver *d, size_t nroutes)
{
	struct parser	*p;
	char		 err[128];

	if ((p = parser_new(d, Q_BGP_COMMUNITY, AFI_IPV4, nroutes, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "no parser: %s\n", err);
		exit(1);
	}
	return p;
}

/* The answer: FRR's "show bgp ipv4 unicast" table, n routes. */
static char *
answer(size_t n, size_t *len)
{
	struct lg_buf	 b;
	char		 pfx[32];
	uint32_t	 origin;
	size_t		 i;

	buf_init(&b, (size_t)1 << 31);
	buf_printf(&b, "%s", frr_table_head);
	for (i = 0; i < n; i++) {
		route(i, pfx, sizeof(pfx), &origin);
		lg_strlcat(pfx, "/24", sizeof(pfx));
		buf_printf(&b, "*> %-16s 198.19.1.1                       "
		    "      0 64500 3356 %u i\n", pfx, origin);
	}
	buf_printf(&b, "\nDisplayed  %zu routes and %zu total paths\n", n, n);
	*len = b.len;
	return b.data;
}

/*
 * VRPs: for half the routes one that covers it (valid, wrong origin, or
 * a /16 of its origin, too short), then random ones to reach n.
 */
static double
fill(struct pfx_table *t, size_t nroutes, size_t n)
{
	struct pfx_record	 r;
	char			 pfx[64];
	uint32_t		 origin;
	size_t			 i, k = 0;
	double			 t0 = cpu_now();

	srandom(17);
	for (i = 0; i < nroutes && k < n; i += 2, k++) {
		memset(&r, 0, sizeof(r));
		route(i, pfx, sizeof(pfx), &origin);
		lrtr_ip_str_to_addr(pfx, &r.prefix);
		r.min_len = r.max_len = 24;
		r.asn = (i / 2) % 3 == 1 ? 64496 : origin;
		if ((i / 2) % 3 == 2)
			r.min_len = r.max_len = 16;
		pfx_table_add(t, &r);
	}
	for (; k < n; k++) {
		memset(&r, 0, sizeof(r));
		if (k % 5 == 0)
			snprintf(pfx, sizeof(pfx), "2a%02lx:%lx:%lx::",
			    random() % 256, random() % 65536,
			    random() % 65536);
		else
			snprintf(pfx, sizeof(pfx), "%ld.%ld.%ld.0",
			    100 + random() % 120, random() % 256,
			    random() % 256);
		lrtr_ip_str_to_addr(pfx, &r.prefix);
		r.min_len = k % 5 == 0 ? 48 : 24;
		r.max_len = r.min_len;
		r.asn = 1 + (uint32_t)(random() % 400000);
		pfx_table_add(t, &r);
	}
	return cpu_now() - t0;
}

/*
 * One parse of the answer, and the facts if f is set; CPU seconds, and
 * the wall seconds of the facts alone in *facts_wall.
 */
static double
run(const struct lg_driver *d, const char *text, size_t len,
    const struct facts *f, size_t nroutes, size_t *valid, double *facts_wall)
{
	struct parser	*p;
	json_t		*j, *path;
	size_t		 off, n;
	double		 t0 = cpu_now(), dt, w0;

	p = table_parser(d, nroutes);
	for (off = 0; off < len; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		parser_feed_text(p, text + off, n);
	}
	j = parser_finish(p);
	parser_free(p);
	w0 = wall_now();
	if (f != NULL && parse_facts_annotate(j, f) == -1) {
		fprintf(stderr, "annotate: out of memory\n");
		exit(1);
	}
	if (facts_wall != NULL)
		*facts_wall = wall_now() - w0;
	dt = cpu_now() - t0;
	if (json_object_get(j, "error") != NULL ||
	    json_array_size(json_object_get(j, "prefixes")) != nroutes) {
		fprintf(stderr, "parse: %s, %zu prefixes\n",
		    json_string_value(json_object_get(j, "error")),
		    json_array_size(json_object_get(j, "prefixes")));
		exit(1);
	}
	if (f != NULL && valid != NULL) {
		valid[0] = valid[1] = 0;
		for (n = 0; n < nroutes; n++) {
			path = json_array_get(json_object_get(json_array_get(
			    json_object_get(j, "prefixes"), n), "paths"), 0);
			valid[0] += strcmp(json_string_value(json_object_get(
			    path, "rpki")), "valid") == 0;
			valid[1] += json_object_get(path, "rpki_vrps") != NULL;
		}
	}
	json_decref(j);
	return dt;
}

/*
 * RTRlib's part: one pfx_table_validate_r per route, as rpki_validate
 * asks it, and nothing else.  CPU seconds.
 */
static double
lookups(struct pfx_table *t, size_t nroutes)
{
	struct lrtr_ip_addr	*a;
	struct pfx_record	*r;
	enum pfxv_state		 v;
	char			 pfx[32];
	uint32_t		*origin;
	unsigned int		 n;
	size_t			 i;
	double			 t0;

	a = xcalloc(nroutes, sizeof(*a));
	origin = xcalloc(nroutes, sizeof(*origin));
	for (i = 0; i < nroutes; i++) {
		route(i, pfx, sizeof(pfx), &origin[i]);
		lrtr_ip_str_to_addr(pfx, &a[i]);
	}
	t0 = cpu_now();
	for (i = 0; i < nroutes; i++) {
		r = NULL;
		pfx_table_validate_r(t, &r, &n, origin[i], &a[i], 24, &v);
		free(r);
	}
	t0 = cpu_now() - t0;
	free(a);
	free(origin);
	return t0;
}

/* The pipelined run's end: the text from the facts thread. */
struct pipe_end {
	int	 done;
	char	*text;
};

static void
pipe_done(void *arg, char *text)
{
	struct pipe_end	*e = arg;

	e->done = 1;
	e->text = text;
}

/* The facts thread hands the text back: dispatch, as the loop does. */
static double
pipe_wait(struct pipe_end *e)
{
	struct pollfd	 pfd = { .fd = facts_worker_fd(), .events = POLLIN };
	double		 busy = 0, t0;

	while (!e->done) {
		if (poll(&pfd, 1, 60000) <= 0) {
			fprintf(stderr, "facts thread: no answer\n");
			exit(1);
		}
		t0 = wall_now();
		facts_worker_dispatch();
		busy += wall_now() - t0;
	}
	return busy;
}

enum wall_mode {
	W_PLAIN,	/* parse and dump */
	W_SERIAL,	/* parse, facts, dump on one thread */
	W_PIPE,		/* facts on the facts thread */
	W_PIPE_NOV,	/* the same without validation */
	W_MODES
};

/*
 * One answer streamed as the broker does, 16 KiB at a time, until its
 * text is ready and, on the loop, its tree freed.  Wall seconds; in *tail
 * what the loop itself spent after the last chunk (the finish, the facts,
 * the dump and the tree's free, or the hand-off and the callback).
 */
/* CPU seconds of the runs' threads: the loop's, the facts thread's. */
struct wall_cpu {
	double	 loop_parse;	/* the loop until the parser's end */
	double	 loop;		/* the loop, the whole answer */
	double	 thread;	/* the facts thread (the process but the loop) */
};

static double
thread_cpu_now(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

static double
run_wall(const struct lg_driver *d, const char *text, size_t len,
    const struct facts *f, size_t nroutes, enum wall_mode mode, double *tail,
    struct wall_cpu *cpu)
{
	double			 c0 = thread_cpu_now(), p0 = cpu_now();
	struct parser		*p;
	struct facts_work	*w = NULL;
	struct pipe_end		 e = { 0 };
	json_t			*j, *items;
	char			*out;
	size_t			 off, n, done;
	double			 t0 = wall_now(), t1;

	p = table_parser(d, nroutes);
	for (off = 0; off < len; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		parser_feed_text(p, text + off, n);
		if ((mode != W_PIPE && mode != W_PIPE_NOV) ||
		    (items = parser_routes(p, &done)) == NULL)
			continue;
		/* As job_facts_feed: batches of 64 closed items at least. */
		if (w == NULL && done >= 64 && (w = facts_worker_start(f,
		    items, pipe_done, &e, NULL, NULL)) == NULL) {
			fprintf(stderr, "facts thread: cannot start\n");
			exit(1);
		}
		if (w != NULL && done - facts_worker_handed(w) >= 64)
			facts_worker_feed(w, done);
	}
	t1 = wall_now();
	j = parser_finish(p);
	parser_free(p);
	cpu->loop_parse = thread_cpu_now() - c0;
	if (mode == W_PIPE || mode == W_PIPE_NOV) {
		if (w == NULL || facts_worker_finish(w, j) == -1) {
			fprintf(stderr, "facts thread: no work\n");
			exit(1);
		}
		*tail = wall_now() - t1;
		*tail += pipe_wait(&e);
		out = e.text;
	} else {
		if (mode == W_SERIAL)
			parse_facts_annotate(j, f);
		out = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
		    PARSE_JSON_REAL);
		/* The tree goes on the loop too (job_parse_finish). */
		json_decref(j);
		*tail = wall_now() - t1;
	}
	t1 = wall_now() - t0;
	cpu->loop = thread_cpu_now() - c0;
	cpu->thread = cpu_now() - p0 - cpu->loop;
	if (out == NULL) {
		fprintf(stderr, "dump: out of memory\n");
		exit(1);
	}
	free(out);
	return t1;
}

/* Every online CPU: the pipelined runs want two. */
static int
all_cpus(void)
{
	cpu_set_t	 set;
	long		 i, n = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	for (i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET((int)i, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == -1)
		return -1;
	return (int)n;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char *argv[])
{
	struct lg_drivers	 ds = { 0 };
	struct lg_diag		 diag;
	const struct lg_driver	*d;
	struct pfx_table	 t;
	struct facts		 f = { 0 }, nov;
	double			 plain[RUNS_MAX], facts[RUNS_MAX], wall[RUNS_MAX];
	double			 look[RUNS_MAX], fill_s, p_s, f_s;
	double			 wp[RUNS_MAX], ws[RUNS_MAX], wq[RUNS_MAX];
	double			 tp[RUNS_MAX], ts[RUNS_MAX], tq[RUNS_MAX];
	double			 wn[RUNS_MAX], tn[RUNS_MAX];
	double			 lp[RUNS_MAX], lq[RUNS_MAX], th[RUNS_MAX];
	struct wall_cpu		 cp[RUNS_MAX], cq[RUNS_MAX], cs;
	int			 ncpu, k;
	char			*text;
	size_t			 len, nroutes, nvrps, valid[2] = { 0, 0 };
	long			 rss0, rss1;
	int			 runs, i;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_rpki DRIVERS-DIR [ROUTES [VRPS "
		    "[RUNS]]]\n");
		return 2;
	}
	nroutes = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
	nvrps = argc > 3 ? strtoul(argv[3], NULL, 10) : 800000;
	runs = argc > 4 ? atoi(argv[4]) : 5;
	if (runs < 1 || runs > RUNS_MAX || nroutes == 0 ||
	    nroutes > 4000000) {
		fprintf(stderr, "bench_rpki: bad arguments\n");
		return 2;
	}
	diag_init(&diag);
	driver_load_dir(argv[1], &ds, &diag);
	if ((d = drivers_find(&ds, "frr")) == NULL) {
		fprintf(stderr, "no frr driver in %s\n", argv[1]);
		return 1;
	}
	diag_free(&diag);
	text = answer(nroutes, &len);

	rss0 = rss_kib();
	pfx_table_init(&t, NULL);
	fill_s = fill(&t, nroutes, nvrps);
	rss1 = rss_kib();
	rpki_use_table(&t);
	f.rpki = rpki_validate;

	for (i = 0; i < runs; i++) {
		plain[i] = run(d, text, len, NULL, nroutes, NULL, NULL);
		facts[i] = run(d, text, len, &f, nroutes, valid, &wall[i]);
		look[i] = lookups(&t, nroutes);
	}
	/* Wall time, two threads: the order turns each run. */
	if ((ncpu = all_cpus()) == -1 || ev_init() == -1 ||
	    facts_worker_init() == -1) {
		fprintf(stderr, "bench_rpki: no facts thread\n");
		return 1;
	}
	nov = f;
	nov.rpki = NULL;
	for (i = 0; i < runs; i++)
		for (k = 0; k < W_MODES; k++)
			switch ((i + k) % W_MODES) {
			case W_PLAIN:
				wp[i] = run_wall(d, text, len, &f, nroutes,
				    W_PLAIN, &tp[i], &cp[i]);
				break;
			case W_SERIAL:
				ws[i] = run_wall(d, text, len, &f, nroutes,
				    W_SERIAL, &ts[i], &cs);
				break;
			case W_PIPE:
				wq[i] = run_wall(d, text, len, &f, nroutes,
				    W_PIPE, &tq[i], &cq[i]);
				break;
			default:
				wn[i] = run_wall(d, text, len, &nov, nroutes,
				    W_PIPE_NOV, &tn[i], &cs);
				break;
			}
	facts_worker_shutdown();
	for (i = 0; i < runs; i++) {
		lp[i] = cp[i].loop_parse;
		lq[i] = cq[i].loop;
		th[i] = cq[i].thread;
	}
	qsort(lp, (size_t)runs, sizeof(double), cmp_double);
	qsort(lq, (size_t)runs, sizeof(double), cmp_double);
	qsort(th, (size_t)runs, sizeof(double), cmp_double);
	qsort(wp, (size_t)runs, sizeof(double), cmp_double);
	qsort(ws, (size_t)runs, sizeof(double), cmp_double);
	qsort(wq, (size_t)runs, sizeof(double), cmp_double);
	qsort(tp, (size_t)runs, sizeof(double), cmp_double);
	qsort(ts, (size_t)runs, sizeof(double), cmp_double);
	qsort(tq, (size_t)runs, sizeof(double), cmp_double);
	qsort(wn, (size_t)runs, sizeof(double), cmp_double);
	qsort(tn, (size_t)runs, sizeof(double), cmp_double);
	qsort(plain, (size_t)runs, sizeof(double), cmp_double);
	qsort(facts, (size_t)runs, sizeof(double), cmp_double);
	qsort(wall, (size_t)runs, sizeof(double), cmp_double);
	qsort(look, (size_t)runs, sizeof(double), cmp_double);
	p_s = plain[runs / 2];
	f_s = facts[runs / 2];
	printf("{\"measured\": \"CPU time of this process, medians of %d "
	    "interleaved runs; facts_wall_ms: wall time of the validation "
	    "pass alone (the event loop's stall)\", \"answer\": \"FRR show "
	    "bgp ipv4 unicast, %zu routes, 1 path each\", \"routes\": %zu, "
	    "\"answer_bytes\": %zu, \"vrps\": %zu, \"vrps_generated\": "
	    "true, \"vrps_rss_kib\": %ld, \"vrps_load_cpu_s\": %.3f, "
	    "\"parse_cpu_s\": %.4f, \"parse_validate_cpu_s\": %.4f, "
	    "\"ratio\": %.3f, \"goal\": 1.10, \"rtrlib_lookups_cpu_s\": "
	    "%.4f, \"ratio_floor_rtrlib\": %.3f, \"ours_cpu_s\": %.4f, "
	    "\"facts_wall_ms\": %.1f, \"valid_routes\": %zu, "
	    "\"routes_listing_vrps\": %zu, \"wall_cpus\": %d, "
	    "\"wall_plain_ms\": %.1f, \"wall_serial_ms\": %.1f, "
	    "\"wall_pipelined_ms\": %.1f, \"wall_ratio_serial\": %.3f, "
	    "\"wall_ratio_pipelined\": %.3f, \"wall_pipelined_novalid_ms\": "
	    "%.1f, \"wall_ratio_validation_pipelined\": %.3f, "
	    "\"loop_tail_plain_ms\": %.1f, "
	    "\"loop_tail_serial_ms\": %.1f, \"loop_tail_pipelined_ms\": "
	    "%.1f, \"loop_cpu_parse_ms\": %.1f, \"loop_cpu_pipelined_ms\": "
	    "%.1f, \"loop_cpu_ratio_pipelined\": %.3f, "
	    "\"facts_thread_cpu_ms\": %.1f}\n", runs, nroutes, nroutes, len,
	    nvrps, rss1 - rss0, fill_s, p_s, f_s, f_s / p_s, look[runs / 2],
	    (p_s + look[runs / 2]) / p_s, f_s - p_s - look[runs / 2],
	    wall[runs / 2] * 1e3, valid[0], valid[1], ncpu,
	    wp[runs / 2] * 1e3, ws[runs / 2] * 1e3, wq[runs / 2] * 1e3,
	    ws[runs / 2] / wp[runs / 2], wq[runs / 2] / wp[runs / 2],
	    wn[runs / 2] * 1e3, wq[runs / 2] / wn[runs / 2],
	    tp[runs / 2] * 1e3, ts[runs / 2] * 1e3, tq[runs / 2] * 1e3,
	    lp[runs / 2] * 1e3, lq[runs / 2] * 1e3, lq[runs / 2] / lp[runs / 2],
	    th[runs / 2] * 1e3);
	rpki_use_table(NULL);
	pfx_table_free(&t);
	rpki_shutdown();
	free(text);
	drivers_free(&ds);
	return 0;
}
