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
 * SIGTERM and SIGINT stop it cleanly: no new connections, every query in
 * flight ended, the HTTP daemons stopped, everything freed.
 */

#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "web.h"

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
 * Privilege separation and the sandbox (issue 6): switch to web.user,
 * restrict the file system to web.www and the broker socket, then install
 * the seccomp filter.  Nothing is done yet: lgwebd keeps the privileges
 * it was started with.
 */
void
web_privdrop(const struct lg_config *conf)
{
	(void)conf;
}

/*
 * What -n checks beyond the configuration file itself: the files lgwebd
 * will open at start-up.  A missing www/ is a warning (the API works
 * without it); unreadable TLS files are an error.
 */
static int
web_check(const char *conffile)
{
	int	 rv = 0;

	if (web_conf.web.www[0] != '\0' && access(web_conf.web.www,
	    R_OK | X_OK) == -1)
		fprintf(stderr, "%s: warning: web.www: %s: %s\n", conffile,
		    web_conf.web.www, strerror(errno));
	if (web_conf.web.tls_certificate[0] != '\0' &&
	    access(web_conf.web.tls_certificate, R_OK) == -1) {
		fprintf(stderr, "%s: web.tls.certificate: %s: %s\n", conffile,
		    web_conf.web.tls_certificate, strerror(errno));
		rv = -1;
	}
	if (web_conf.web.tls_key[0] != '\0' &&
	    access(web_conf.web.tls_key, R_OK) == -1) {
		fprintf(stderr, "%s: web.tls.key: %s: %s\n", conffile,
		    web_conf.web.tls_key, strerror(errno));
		rv = -1;
	}
	return rv;
}

static int
web_start(void)
{
	if (static_open(web_conf.web.www) == -1)
		log_warn("web.www %s", web_conf.web.www);
	if (accesslog_open(web_conf.web.access_log) == -1) {
		log_warn("web.access_log %s", web_conf.web.access_log);
		return -1;
	}
	if (wmetrics_init(&web_conf) == -1 || api_init(&web_conf) == -1) {
		log_warnx("out of memory");
		return -1;
	}
	if (http_start(&web_conf) == -1)
		return -1;
	web_privdrop(&web_conf);
	if (brk_start(web_conf.broker.socket) == -1) {
		log_warnx("cannot start the broker client");
		return -1;
	}
	return 0;
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
	wmetrics_free();
	accesslog_close();
	static_close();
}

int
main(int argc, char *argv[])
{
	struct lg_diag	 diag;
	const char	*conffile = WEB_CONFIG;
	sigset_t	 set;
	int		 ch, debug = 0, check = 0, verbose = 0, sig, rv = 0;

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
	diag_init(&diag);
	if (config_load(conffile, &web_conf, &diag) == -1) {
		diag_print(&diag, print_diag);
		diag_free(&diag);
		exit(1);
	}
	diag_print(&diag, print_diag);
	diag_free(&diag);
	if (web_conf.log_level == LOG_LEVEL_DEBUG && verbose == 0)
		log_setverbose(1);
	if (check) {
		rv = web_check(conffile);
		if (rv == 0)
			fprintf(stderr, "configuration OK\n");
		config_free(&web_conf);
		exit(rv == 0 ? 0 : 1);
	}

	/* Signals are taken synchronously by this thread alone. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (!debug && daemon(0, 0) == -1)
		fatal("daemon");
	if (web_start() == -1)
		rv = 1;
	else {
		log_info("started");
		do {
			if (sigwait(&set, &sig) != 0)
				break;
			if (sig == SIGHUP)
				log_info("SIGHUP: restart lgwebd to reload "
				    "its configuration");
		} while (sig == SIGHUP);
		log_info("stopping");
	}
	web_stop();
	config_free(&web_conf);
	return rv;
}
