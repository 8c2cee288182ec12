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
 * lgbrokerd: the broker.  Start-up loads the configuration generation
 * (config, credentials, drivers), opens the control sockets, drops
 * privileges and enters its sandbox (broker_sandbox), starts the resolver
 * thread, opens every router's warm sessions, and then runs the one event
 * loop until SIGTERM or SIGINT.  SIGHUP reloads.  Signals
 * arrive through a signalfd, so they are events like any other.
 */

#include <sys/types.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/epoll.h>

#include <err.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "lg_tls.h"
#include "lg_sandbox.h"
#include "lg_proto.h"
#include "broker.h"

#define LG_CONF_DEFAULT		LG_SYSCONFDIR "/lorgnette/lorgnette.conf"

static struct ev_io	 sig_io;
static int		 sig_fd = -1;
static int		 sandbox_off;
static struct ev_timer	 wd_timer;

static __dead void
usage(void)
{
	fprintf(stderr, "usage: lgbrokerd [-dnv] [-f file] [-S off]\n");
	exit(1);
}

static void
print_problem(const char *msg)
{
	fprintf(stderr, "%s\n", msg);
}

/* How long -n waits for router names to resolve, all at once. */
#define CHECK_RESOLVE_MS	5000

struct check_name {
	const struct lg_router	*r;
	const char		*path;
	struct lg_diag		*diag;
	int			 done;
};

static int	check_pending;

static void
check_resolved(void *arg, int gai, const struct sockaddr_storage *ss,
    size_t n)
{
	struct check_name	*cn = arg;

	(void)ss;
	cn->done = 1;
	check_pending--;
	if (gai != 0 || n == 0)
		diag_warning(cn->diag, cn->path, cn->r->line, "router %s: "
		    "cannot resolve %s: %s; the broker starts anyway and keeps "
		    "it down until the name resolves", cn->r->name, cn->r->host,
		    gai != 0 ? gai_strerror(gai) : "no IPv4 or IPv6 address");
}

/*
 * Router names are looked up as the broker would, on its resolver
 * threads, for CHECK_RESOLVE_MS in all.  A name that does not resolve is
 * a warning, not an error: DNS may be down while the check runs, and the
 * broker copes with it (the router is down until its name resolves).
 */
static void
broker_check_names(const struct gen *g, struct lg_diag *diag)
{
	struct check_name	*cn;
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	uint64_t		 end;
	size_t			 i;

	for (i = 0; i < g->conf.nrouters; i++)
		if (g->conf.routers[i].transport != TRANSPORT_LOCAL &&
		    sock_addr_numeric(g->conf.routers[i].host, 0, &ss,
		    &len) == -1)
			break;
	if (i == g->conf.nrouters)
		return;		/* addresses only */
	cn = xcalloc(g->conf.nrouters + 1, sizeof(*cn));
	if (ev_init() == -1 || resolve_init() == -1) {
		diag_warning(diag, g->conf.path, 0, "router names not checked: "
		    "cannot start the resolver");
		goto done;
	}
	for (i = 0; i < g->conf.nrouters; i++) {
		cn[i].r = &g->conf.routers[i];
		cn[i].path = g->conf.path;
		cn[i].diag = diag;
		/* This host (transport local) has no name to look up. */
		if (cn[i].r->transport == TRANSPORT_LOCAL ||
		    sock_addr_numeric(cn[i].r->host, 0, &ss, &len) == 0 ||
		    resolve_start_router(cn[i].r->host, check_resolved,
		    &cn[i]) == NULL)
			cn[i].done = 1;
		else
			check_pending++;
	}
	end = ev_now() + CHECK_RESOLVE_MS;
	while (check_pending > 0 && ev_now() < end)
		ev_loop_once((int)(end - ev_now()));
	for (i = 0; i < g->conf.nrouters; i++)
		if (!cn[i].done)
			diag_warning(diag, g->conf.path, cn[i].r->line, "router "
			    "%s: %s did not resolve within %d s; the broker "
			    "starts anyway and keeps it down until it does",
			    cn[i].r->name, cn[i].r->host, CHECK_RESOLVE_MS / 1000);
done:
	resolve_shutdown();
	ev_free();
	free(cn);
}

/* -n: every file is loaded and cross-checked; nothing is connected. */
static int
broker_check(const char *path)
{
	struct lg_diag	 diag;
	struct gen	*g;
	size_t		 i;
	int		 ssh = 0, bad = 0;
	char		 err[LG_ERRSTR_MAX];

	diag_init(&diag);
	g = gen_load(path, &diag);
	if (g != NULL) {
		for (i = 0; i < g->conf.nrouters; i++)
			ssh |= g->conf.routers[i].transport == TRANSPORT_SSH;
		if (ssh && (g->conf.broker.known_hosts[0] == '\0' ||
		    access(g->conf.broker.known_hosts, R_OK) == -1))
			diag_warning(&diag, g->conf.path, 0, "broker.known_hosts"
			    " \"%s\" cannot be read: every SSH router will be "
			    "refused", g->conf.broker.known_hosts);
		broker_check_names(g, &diag);
		if (g->conf.broker.listen_tls.addr[0] != '\0' &&
		    tls_check(&g->conf.broker.listen_tls, err,
		    sizeof(err)) == -1) {
			diag_error(&diag, g->conf.path, 0,
			    "broker.listen_tls: %s", err);
			bad = 1;
		}
	}
	diag_print(&diag, print_problem);
	diag_free(&diag);
	if (g != NULL && bad) {
		gen_unref(g);
		return 1;
	}
	if (g == NULL)
		return 1;
	gen_unref(g);
	printf("configuration OK\n");
	return 0;
}

static void
log_problem(const char *msg)
{
	log_warnx("%s", msg);
}

/*
 * The prober (prober.c) is forked before the credentials are read, when
 * the configuration has a router on this host (transport local); its
 * socket, or -1 when there is none.  Either way the broker keeps no
 * capability it may have been given for the prober's sake.
 */
static int
broker_prober(const char *path)
{
	struct lg_config	 conf;
	struct lg_diag		 diag;
	char			 err[LG_ERRSTR_MAX];
	size_t			 i;
	int			 fd = -1, here = 0;

	diag_init(&diag);
	if (config_load(path, &conf, &diag) == 0) {
		for (i = 0; i < conf.nrouters; i++)
			here |= conf.routers[i].transport == TRANSPORT_LOCAL;
		config_free(&conf);
	}
	diag_free(&diag);
	if (here && (fd = prober_start(path, err, sizeof(err))) == -1)
		fatalx("prober: %s", err);
	if (prober_forget_caps(err, sizeof(err)) == -1)
		fatalx("%s", err);
	return fd;
}

static void
signal_io(int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo	 si;
	char			 msg[LG_ERRSTR_MAX];

	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("signal %u: shutting down", si.ssi_signo);
			ev_break();
			break;
		case SIGHUP:
			admin_reload(msg, sizeof(msg));
			break;
		}
	}
}

static void
signals_init(void)
{
	sigset_t	 set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		fatal("sigprocmask");
	if ((sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	if (ev_io_add(&sig_io, sig_fd, EPOLLIN, signal_io, NULL) == -1)
		fatal("epoll");
}

/*
 * The broker gives up what it no longer needs once the sockets are bound
 * and every file is read, before the resolver thread exists and before
 * any router or client byte is handled: the user switch (broker.user),
 * resource limits, Landlock and seccomp (sandbox_policy.c).  -S off skips
 * all of it, for memory checkers such as valgrind, which cannot run under
 * the filter or the descriptor limit; it is never the default.
 */
static void
broker_sandbox(const struct gen *g)
{
	if (sandbox_off) {
		log_warnx("sandbox: disabled (-S off): no user switch, limits, "
		    "Landlock or seccomp");
		return;
	}
	if (sandbox_broker_enter(&g->conf, &g->creds) == -1)
		fatalx("cannot enter the sandbox");
}

static void
broker_start_routers(void)
{
	struct router	*rt;
	char		 err[LG_ERRSTR_MAX];
	size_t		 i;

	for (i = 0; i < broker->gen->conf.nrouters; i++) {
		rt = pool_router_new(broker->gen, &broker->gen->conf.routers[i],
		    err, sizeof(err));
		if (rt == NULL) {
			log_warnx("%s", err);
			continue;
		}
		TAILQ_INSERT_TAIL(&broker->routers, rt, entry);
		pool_router_start(rt);
	}
	log_info("lgbrokerd %s started: %zu routers", LG_VERSION,
	    broker->gen->conf.nrouters);
}

/* WATCHDOG=1 from the event loop: it proves the loop still turns. */
static void
broker_watchdog(void *arg)
{
	(void)arg;
	notify_send(NOTIFY_WATCHDOG, NULL);
	ev_timer_add(&wd_timer, notify_watchdog_ms());
}

/* Serving: tell the service manager, start the watchdog if asked. */
static void
broker_ready(void)
{
	notify_send(NOTIFY_READY, NULL);
	ev_timer_init(&wd_timer, broker_watchdog, NULL);
	if (notify_watchdog_ms() > 0)
		broker_watchdog(NULL);
}

static void
broker_shutdown(void)
{
	notify_send(NOTIFY_STOPPING, NULL);
	ev_timer_del(&wd_timer);
	control_shutdown();
	admin_shutdown();
	pool_shutdown();
	facts_worker_shutdown();
	resolve_shutdown();
	rpki_shutdown();
	audit_close();
	gen_unref(broker->gen);
	sess_ssh_cleanup();
	sess_local_cleanup();
	if (sig_fd != -1) {
		ev_io_del(&sig_io);
		close(sig_fd);
	}
	ev_free();
	free(broker);
	broker = NULL;
	log_info("stopped");
}

int
main(int argc, char *argv[])
{
	struct lg_diag	 diag;
	const char	*path = LG_CONF_DEFAULT;
	char		 err[LG_ERRSTR_MAX];
	int		 ch, debug = 0, check = 0, verbose = 0, prober_fd;

	lg_malloc_map_large();
	while ((ch = getopt(argc, argv, "df:nS:v")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'S':
			if (strcmp(optarg, "off") != 0)
				usage();
			sandbox_off = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();
	if (check)
		return broker_check(path);
	log_init(debug, verbose, "lgbrokerd");

	broker = xcalloc(1, sizeof(*broker));
	TAILQ_INIT(&broker->routers);
	TAILQ_INIT(&broker->draining);
	if (config_abspath(path, broker->conf_path,
	    sizeof(broker->conf_path)) == -1)
		fatalx("%s: path too long or working directory unknown", path);
	path = broker->conf_path;
	prober_fd = broker_prober(path);
	diag_init(&diag);
	if ((broker->gen = gen_load(path, &diag)) == NULL) {
		diag_print(&diag, log_problem);
		fatalx("%s: configuration not loaded", path);
	}
	diag_print(&diag, log_problem);
	diag_free(&diag);
	if (verbose == 0 && broker->gen->conf.log_level == LOG_LEVEL_DEBUG)
		log_setverbose(2);

	if (ev_init() == -1)
		fatal("epoll");
	if (sess_local_init(prober_fd, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (control_init(&broker->gen->conf) == -1)
		fatalx("cannot open the control sockets");
	/*
	 * Detach before any thread exists: fork keeps only the caller.  A
	 * service manager listening on NOTIFY_SOCKET wants us in front.
	 */
	if (!debug && !notify_supervised() && daemon(1, 0) == -1)
		fatal("daemon");
	sess_ssh_init();
	signals_init();
	audit_open(broker->gen->conf.broker.audit_log);
	broker_sandbox(broker->gen);
	if (resolve_init() == -1)
		fatal("resolver");
	if (facts_worker_init() == -1)
		fatal("route facts thread");
	rpki_configure(&broker->gen->conf);
	broker_start_routers();
	broker_ready();

	ev_loop();
	broker_shutdown();
	return 0;
}
