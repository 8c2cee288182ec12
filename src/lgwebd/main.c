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
 * lgwebd: the internet-facing HTTP front.  main loads lorgnette.conf
 * (never the credentials file, never the drivers), binds the listeners,
 * gives up privileges, starts the broker client and waits for a signal.
 * SIGHUP reloads the configuration (webconf.c keeps generations); SIGTERM
 * and SIGINT stop it cleanly: no new connections, every query in flight
 * ended, the HTTP daemons stopped, everything freed.
 */

#include <sys/types.h>

#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lg.h"
#include "lg_tls.h"
#include "lg_sandbox.h"
#include "lg_tokens.h"
#include "web.h"

#ifdef __SANITIZE_ADDRESS__
/*
 * The sanitizer's allocator ignores mallopt(M_PERTURB), which config_load
 * uses so that router addresses do not outlive a load in freed memory;
 * its own free fill does the same in sanitized builds.
 */
const char	*__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "max_free_fill_size=1048576";
}
#endif

#ifndef LG_SYSCONFDIR
#define LG_SYSCONFDIR	"/etc"
#endif
#define WEB_CONFIG	LG_SYSCONFDIR "/lorgnette/lorgnette.conf"

static __dead void
usage(void)
{
	fprintf(stderr, "usage: lgwebd [-dnv] [-f file]\n");
	exit(1);
}

static void
print_diag(const char *line)
{
	fprintf(stderr, "%s\n", line);
}

/*
 * Privilege separation and the sandbox, in two steps (sandbox_policy.c):
 * the file system is confined before libmicrohttpd starts its threads
 * (Landlock binds a thread and its future children), and once the
 * listeners are bound lgwebd becomes web.user, takes its resource limits
 * and installs the seccomp filter on every thread.  -1: do not run.
 */
static int
web_confine(const struct lg_config *conf)
{
	return sandbox_web_files(conf);
}

int
web_privdrop(const struct lg_config *conf)
{
	return sandbox_web_enter(conf);
}

/* Loads web.challenge's key when the challenge is on; -1 if it cannot. */
static int
web_challenge_key(const struct lg_config *c, const char *conffile)
{
	char	 err[LG_ERRSTR_MAX];

	if (!c->web.challenge.enabled)
		return 0;
	if (challenge_load(c->web.challenge.key_file, err, sizeof(err)) == 0)
		return 0;
	log_warnx("%s: web.challenge.key_file: %s: %s", conffile,
	    c->web.challenge.key_file, err);
	return -1;
}

/* web.results: the store's directory must take its files. */
static int
web_check_results(const struct lg_config *c, const char *conffile)
{
	char	 dir[LG_PATH_MAX];

	if (!c->web.results.enabled)
		return 0;
	lg_strlcpy(dir, c->web.results.path, sizeof(dir));
	if (access(dirname(dir), W_OK | X_OK) == -1) {
		fprintf(stderr, "%s: web.results.path: %s: %s\n", conffile,
		    dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* web.brokers: each TLS broker's CA, certificate and key load together. */
static int
web_check_brokers(const struct lg_config *c, const char *conffile)
{
	char	 err[LG_ERRSTR_MAX];
	size_t	 i;
	int	 rv = 0;

	for (i = 0; i < c->web.nbrokers; i++) {
		if (c->web.brokers[i].tls.addr[0] == '\0' ||
		    tls_check(&c->web.brokers[i].tls, err, sizeof(err)) == 0)
			continue;
		fprintf(stderr, "%s: web.brokers: %s: %s\n", conffile,
		    c->web.brokers[i].name, err);
		rv = -1;
	}
	return rv;
}

/*
 * web.auth.tokens: a file that is there must read as tokens; one that is
 * not yet (lgctl token add makes it) is a warning, as every bearer
 * request is refused until it is.
 */
static int
web_check_tokens(const struct lg_config *c, const char *conffile)
{
	struct lg_tokens	 t;
	char			 err[LG_ERRSTR_MAX + LG_PATH_MAX];

	if (c->web.auth.tokens[0] == '\0')
		return 0;
	errno = 0;
	if (tokens_load(c->web.auth.tokens, &t, err, sizeof(err)) == 0) {
		tokens_free(&t);
		return 0;
	}
	if (errno == ENOENT) {
		fprintf(stderr, "%s: warning: web.auth.tokens: %s (no token "
		    "is accepted until lgctl token add makes it)\n", conffile,
		    err);
		return 0;
	}
	fprintf(stderr, "%s: web.auth.tokens: %s\n", conffile, err);
	return -1;
}

/*
 * What -n checks beyond the configuration file itself: the files lgwebd
 * will open at start-up.  A missing www/ or tokens file is a warning
 * (the API works without them); unreadable TLS files, a tokens file that
 * does not read and a results directory lgwebd cannot write in are errors.
 */
static int
web_check(const struct lg_config *c, const char *conffile)
{
	int	 rv = 0;

	if (c->web.www[0] != '\0' && access(c->web.www, R_OK | X_OK) == -1)
		fprintf(stderr, "%s: warning: web.www: %s: %s\n", conffile,
		    c->web.www, strerror(errno));
	if (c->web.tls_certificate[0] != '\0' &&
	    access(c->web.tls_certificate, R_OK) == -1) {
		fprintf(stderr, "%s: web.tls.certificate: %s: %s\n", conffile,
		    c->web.tls_certificate, strerror(errno));
		rv = -1;
	}
	if (c->web.tls_key[0] != '\0' && access(c->web.tls_key, R_OK) == -1) {
		fprintf(stderr, "%s: web.tls.key: %s: %s\n", conffile,
		    c->web.tls_key, strerror(errno));
		rv = -1;
	}
	if (web_challenge_key(c, conffile) == -1)
		rv = -1;
	if (web_check_results(c, conffile) == -1)
		rv = -1;
	if (web_check_brokers(c, conffile) == -1)
		rv = -1;
	if (web_check_tokens(c, conffile) == -1)
		rv = -1;
	return rv;
}

static int
web_start(const struct lg_config *c)
{
	if (static_open(c->web.www) == -1)
		log_warn("web.www %s", c->web.www);
	if (accesslog_open(c->web.access_log) == -1) {
		log_warn("web.access_log %s", c->web.access_log);
		return -1;
	}
	if (web_challenge_key(c, c->path) == -1)
		return -1;
	if (wmetrics_init(c) == -1 || api_init(c) == -1) {
		log_warnx("out of memory");
		return -1;
	}
	if (store_open(c) == -1 || share_open(c) == -1)
		return -1;
	if (web_confine(c) == -1 || http_start(c) == -1 ||
	    web_privdrop(c) == -1 || store_start() == -1)
		return -1;
	if (brk_start(c) == -1) {
		log_warnx("cannot start the broker client");
		return -1;
	}
	return 0;
}

static void
log_diag(const char *line)
{
	log_warnx("%s", line);
}

/* Settings read only at start: a reload says so when they change. */
static void
web_reload_fixed(const struct lg_config *o, const struct lg_config *n)
{
	size_t	 i;
	int	 listen = o->web.nlisten != n->web.nlisten;

	for (i = 0; !listen && i < n->web.nlisten; i++)
		listen = strcmp(o->web.listen[i], n->web.listen[i]) != 0;
	if (listen)
		log_warnx("reload: web.listen changed; restart lgwebd for it");
	if (strcmp(o->web.tls_certificate, n->web.tls_certificate) != 0 ||
	    strcmp(o->web.tls_key, n->web.tls_key) != 0)
		log_warnx("reload: web.tls changed; restart lgwebd for it");
	if (strcmp(o->broker.socket, n->broker.socket) != 0)
		log_warnx("reload: broker.socket changed; restart lgwebd "
		    "for it");
	if (strcmp(o->web.www, n->web.www) != 0)
		log_warnx("reload: web.www changed; restart lgwebd for it");
	if (o->web.max_inflight != n->web.max_inflight ||
	    o->web.max_connections != n->web.max_connections ||
	    o->web.cache_entries != n->web.cache_entries ||
	    o->web.cache_bytes != n->web.cache_bytes)
		log_warnx("reload: web limits and cache sizes are read at "
		    "start; restart lgwebd for them");
	if (memcmp(&o->web.store, &n->web.store, sizeof(n->web.store)) != 0)
		log_warnx("reload: web.store changed; restart lgwebd for it");
	if (o->web.results.enabled != n->web.results.enabled ||
	    strcmp(o->web.results.path, n->web.results.path) != 0 ||
	    o->web.results.retention != n->web.results.retention ||
	    o->web.results.max_mb != n->web.results.max_mb)
		log_warnx("reload: web.results changed; restart lgwebd for "
		    "it");
}

/*
 * SIGHUP: the new configuration serves new requests; requests in
 * progress keep the generation they started with.  A configuration with
 * errors changes nothing.
 */
static void
web_reload(const char *conffile)
{
	struct lg_config	 conf;
	struct lg_diag		 diag;
	const struct lg_config	*old;

	diag_init(&diag);
	if (config_load(conffile, &conf, &diag) == -1) {
		diag_print(&diag, log_diag);
		diag_free(&diag);
		log_warnx("reload: %s has errors; the configuration in force "
		    "stays", conffile);
		return;
	}
	config_forget_router_access(&conf);
	diag_print(&diag, log_diag);
	diag_free(&diag);
	if (web_challenge_key(&conf, conffile) == -1) {
		log_warnx("reload: the configuration in force stays");
		config_free(&conf);
		return;
	}
	old = webconf_get();
	web_reload_fixed(old, &conf);
	webconf_put(old);
	brk_reload(&conf);
	if (accesslog_open(conf.web.access_log) == -1)
		log_warn("reload: web.access_log %s", conf.web.access_log);
	wmetrics_routers(&conf);
	api_reload(&conf);
	if (webconf_set(&conf) == -1) {
		log_warnx("reload: out of memory");
		config_free(&conf);
		return;
	}
	log_info("configuration reloaded from %s", conffile);
}

/*
 * The next signal of set, or -1.  Under a service manager's watchdog the
 * wait is cut in slices of half WatchdogSec=, each ended by WATCHDOG=1.
 */
static int
web_wait(const sigset_t *set)
{
	struct timespec	 ts;
	uint64_t	 ms = notify_watchdog_ms();
	int		 sig;

	if (ms == 0)
		return sigwait(set, &sig) == 0 ? sig : -1;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	for (;;) {
		if ((sig = sigtimedwait(set, NULL, &ts)) != -1)
			return sig;
		if (errno == EAGAIN)
			notify_send(NOTIFY_WATCHDOG, NULL);
		else if (errno != EINTR)
			return -1;
	}
}

/*
 * Order matters: stop accepting, end every query (which resumes every
 * suspended connection), give the HTTP threads a moment to finish those
 * answers, then stop them: libmicrohttpd must not be stopped with a
 * connection still suspended.
 */
static void
web_stop(void)
{
	http_quiesce();
	brk_stop();
	usleep(200 * 1000);
	http_stop();
	api_shutdown();
	share_close();
	store_close();
	wmetrics_free();
	accesslog_close();
	static_close();
	challenge_key_clear();
	webconf_set(NULL);
}

int
main(int argc, char *argv[])
{
	struct lg_config	 conf;
	const struct lg_config	*start;
	struct lg_diag		 diag;
	const char		*conffile = WEB_CONFIG;
	char			 abspath[LG_PATH_MAX];
	sigset_t		 set;
	int			 ch, debug = 0, check = 0, verbose = 0, sig;
	int			 rv = 0;

	lg_malloc_map_large();
	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			conffile = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	log_init(debug || check, verbose, "lgwebd");
	/* Reloads happen after daemon(3) moved to "/", in the sandbox. */
	if (!check && config_abspath(conffile, abspath, sizeof(abspath)) == -1)
		fatalx("%s: path too long or working directory unknown",
		    conffile);
	if (!check)
		conffile = abspath;
	diag_init(&diag);
	if (config_load(conffile, &conf, &diag) == -1) {
		diag_print(&diag, print_diag);
		diag_free(&diag);
		exit(1);
	}
	/* The front knows routers by name only (DESIGN.md section 1). */
	config_forget_router_access(&conf);
	diag_print(&diag, print_diag);
	diag_free(&diag);
	if (conf.log_level == LOG_LEVEL_DEBUG && verbose == 0)
		log_setverbose(1);
	if (check) {
		rv = web_check(&conf, conffile);
		if (rv == 0)
			fprintf(stderr, "configuration OK\n");
		config_free(&conf);
		exit(rv == 0 ? 0 : 1);
	}
	if (webconf_set(&conf) == -1)
		fatalx("out of memory");
	start = webconf_get();

	/* Signals are taken synchronously by this thread alone. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Type=notify: the process systemd started is the daemon. */
	if (!debug && !notify_supervised() && daemon(0, 0) == -1)
		fatal("daemon");
	if (web_start(start) == -1)
		rv = 1;
	else {
		log_info("started");
		notify_send(NOTIFY_READY, NULL);
		while ((sig = web_wait(&set)) == SIGHUP) {
			notify_send(NOTIFY_RELOADING, NULL);
			web_reload(conffile);
			notify_send(NOTIFY_READY, NULL);
		}
		notify_send(NOTIFY_STOPPING, NULL);
		log_info("stopping");
	}
	webconf_put(start);
	web_stop();
	return rv;
}
