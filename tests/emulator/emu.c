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
 * lgemu: serves a fleet of emulated routers (IOS/IOS-XE, IOS-XR, NX-OS,
 * Junos, EOS) over SSH and telnet for the tests and benches.
 *
 *   lgemu -f fleet.conf [-a auditdir] [-F fixtures] [-k hostkey]... [-c ctl]
 *         [-p pidfile] [-d] [-v] [-n]
 *   lgemu --scale N --platform P --base-port B [--telnet] [--listen ADDR]
 *         -k hostkey [-F fixtures] [-c ctl]
 *   lgemu -C ctl command...           talk to a running emulator (ctl.c)
 *
 * One thread, one loop: ssh_event_dopoll() waits on the SSH sessions and on
 * an epoll descriptor holding everything else (listening sockets, telnet
 * connections, the control socket, a signalfd).  Sessions with work (output
 * to produce, input to read, a timer) sit on the active list and are run by
 * cli_run() after each poll; the poll timeout is the nearest session timer.
 * Sessions are freed only here, after the poll, never inside a callback.
 */

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

#define EMU_POLL_MAX_MS		1000
#define EMU_EPOLL_BATCH		256
#define EMU_LISTEN_BACKLOG	64

struct emu_sess_list	 emu_sessions = TAILQ_HEAD_INITIALIZER(emu_sessions);
static struct emu_sess_list active = TAILQ_HEAD_INITIALIZER(active);
struct emu_conf		*emu_conf;
static int		 epfd = -1;
static int		 quit;
static unsigned int	 next_id;
static size_t		 nsessions;
static struct emu_ev	 sig_ev = { NULL, -1 };

uint64_t
emu_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
emu_epoll_add(struct emu_ev *ev, uint32_t events)
{
	struct epoll_event e = { .events = events, .data.ptr = ev };

	if (epoll_ctl(epfd, EPOLL_CTL_ADD, ev->fd, &e) == -1) {
		log_warn("epoll add");
		return -1;
	}
	return 0;
}

int
emu_epoll_mod(struct emu_ev *ev, uint32_t events)
{
	struct epoll_event e = { .events = events, .data.ptr = ev };

	return epoll_ctl(epfd, EPOLL_CTL_MOD, ev->fd, &e);
}

void
emu_epoll_del(struct emu_ev *ev)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, ev->fd, NULL);
}

size_t
emu_nsessions(void)
{
	return nsessions;
}

/* Resident set size of this process in KiB, from /proc. */
size_t
emu_rss_kb(void)
{
	FILE		*f;
	char		 line[256];
	size_t		 kb = 0;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %zu kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

struct emu_sess *
emu_sess_new(struct emu_router *r, enum emu_transport t)
{
	struct emu_sess	*s;

	s = xcalloc(1, sizeof(*s));
	s->r = r;
	s->t = t;
	s->id = ++next_id;
	s->ev.fd = -1;
	s->state = ST_NEW;
	TAILQ_INSERT_TAIL(&emu_sessions, s, entry);
	r->nsess++;
	r->nconn++;
	nsessions++;
	audit_line(s, "connect", "", 0);
	return s;
}

void
emu_sess_activate(struct emu_sess *s)
{
	if (s->active)
		return;
	s->active = 1;
	TAILQ_INSERT_TAIL(&active, s, aentry);
}

/*
 * The transport can take output again: end a wait for it, but never a
 * timer (pause, slow output, delays).
 */
void
emu_sess_unblock(struct emu_sess *s)
{
	if (!s->blocked)
		return;
	s->blocked = 0;
	s->wake = 0;
	emu_sess_activate(s);
}

/* Marks the session for freeing after this turn of the loop. */
void
emu_sess_kill(struct emu_sess *s)
{
	s->dead = 1;
	emu_sess_activate(s);
}

void
emu_sess_close(struct emu_sess *s, int abrupt)
{
	if (s->dead)
		return;
	if (s->t == T_SSH) {
		/* A polite SSH close waits for the client to hang up. */
		if (emu_ssh_close(s, abrupt) == 1)
			return;
	} else
		emu_tel_close(s, abrupt);
	emu_sess_kill(s);
}

void
emu_kill_router(struct emu_router *r)
{
	struct emu_sess	*s;

	TAILQ_FOREACH(s, &emu_sessions, entry)
		if (s->r == r)
			emu_sess_close(s, 1);
}

static void
sess_reap(struct emu_sess *s)
{
	audit_line(s, "disconnect", "", 0);
	if (s->t == T_SSH)
		emu_ssh_free(s);
	else
		emu_tel_free(s);
	cli_free(s);
	if (s->active)
		TAILQ_REMOVE(&active, s, aentry);
	TAILQ_REMOVE(&emu_sessions, s, entry);
	s->r->nsess--;
	nsessions--;
	free(s);
}

/* Runs the active sessions; returns the poll timeout for the next turn. */
static int
run_active(void)
{
	struct emu_sess	*s, *tmp;
	uint64_t	 now = emu_now(), next = now + EMU_POLL_MAX_MS;

	for (s = TAILQ_FIRST(&active); s != NULL; s = tmp) {
		tmp = TAILQ_NEXT(s, aentry);
		if (!s->dead)
			cli_run(s, now);
		if (s->dead) {
			sess_reap(s);
			continue;
		}
		if (!cli_busy(s)) {
			TAILQ_REMOVE(&active, s, aentry);
			s->active = 0;
		} else if (s->wake < next)
			next = s->wake;
	}
	return next <= now ? 0 : (int)(next - now);
}

/* SSH peers that went away during the poll. */
static void
check_ssh(void)
{
	struct emu_sess	*s;

	TAILQ_FOREACH(s, &emu_sessions, entry)
		if (s->t == T_SSH && !s->dead && !emu_ssh_alive(s))
			emu_sess_kill(s);
}

static int
epoll_dispatch(socket_t fd, int revents, void *arg)
{
	struct epoll_event evs[EMU_EPOLL_BATCH];
	struct emu_ev	*ev;
	int		 i, n;

	(void)fd; (void)revents; (void)arg;
	n = epoll_wait(epfd, evs, EMU_EPOLL_BATCH, 0);
	for (i = 0; i < n; i++) {
		ev = evs[i].data.ptr;
		ev->cb(ev, evs[i].events);
	}
	return 0;
}

static void
on_signal(struct emu_ev *ev, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)events;
	if (read(ev->fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	/* Faults change through the control socket, not by re-reading. */
	if (si.ssi_signo == SIGHUP)
		log_info("SIGHUP ignored: use the control socket");
	else
		quit = 1;
}

static int
listen_on(const char *addr, int port, struct emu_ev *ev,
    void (*cb)(struct emu_ev *, uint32_t))
{
	struct addrinfo	 hints = { .ai_flags = AI_NUMERICHOST | AI_PASSIVE,
	    .ai_socktype = SOCK_STREAM }, *ai;
	char		 ps[16];
	int		 fd, one = 1;

	snprintf(ps, sizeof(ps), "%d", port);
	if (getaddrinfo(addr, ps, &hints, &ai) != 0) {
		log_warnx("%s: bad listen address", addr);
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 || bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, EMU_LISTEN_BACKLOG) == -1) {
		log_warn("listen %s port %d", addr, port);
		if (fd != -1)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	ev->fd = fd;
	ev->cb = cb;
	return emu_epoll_add(ev, EPOLLIN);
}

static int
fleet_listen(struct emu_conf *c)
{
	struct emu_router *r;
	size_t		 i;

	for (i = 0; i < c->nrouters; i++) {
		r = &c->routers[i];
		if (audit_open(c->audit, r) == -1) {
			log_warn("%s: audit log in %s", r->name, c->audit);
			return -1;
		}
		if (r->ssh_port > 0 && listen_on(r->listen, r->ssh_port,
		    &r->ssh_l, emu_ssh_accept) == -1)
			return -1;
		if (r->telnet_port > 0 && listen_on(r->listen, r->telnet_port,
		    &r->tel_l, emu_tel_accept) == -1)
			return -1;
	}
	return 0;
}

static void
fleet_close(struct emu_conf *c)
{
	struct emu_router *r;
	size_t		 i;

	for (i = 0; i < c->nrouters; i++) {
		r = &c->routers[i];
		if (r->ssh_l.fd != -1)
			close(r->ssh_l.fd);
		if (r->tel_l.fd != -1)
			close(r->tel_l.fd);
		r->ssh_l.fd = r->tel_l.fd = -1;
		audit_close(r);
	}
}

/* Two sockets per router plus sessions: lift the descriptor limit. */
static void
raise_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_warn("setrlimit");
	}
}

static int
setup_signals(void)
{
	sigset_t	 set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((sig_ev.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		return -1;
	sig_ev.cb = on_signal;
	return emu_epoll_add(&sig_ev, EPOLLIN);
}

static void
loop(void)
{
	int		 timeout = 0;

	while (!quit) {
		if (emu_ssh_poll(timeout) == SSH_ERROR &&
		    errno != EINTR && errno != 0)
			log_debug("ssh_event_dopoll: %s", strerror(errno));
		check_ssh();
		timeout = run_active();
	}
}

static void
shutdown_all(void)
{
	struct emu_sess	*s;

	while ((s = TAILQ_FIRST(&emu_sessions)) != NULL)
		sess_reap(s);
}

static __dead void
usage(void)
{
	fprintf(stderr,
	    "usage: lgemu -f fleet.conf [-dnv] [-a auditdir] [-c ctl] "
	    "[-F fixtures] [-k hostkey]... [-p pidfile]\n"
	    "       lgemu --scale N --platform P --base-port PORT [--telnet] "
	    "[--listen ADDR] -k hostkey ...\n"
	    "       lgemu -C ctl command ...\n");
	exit(2);
}

enum {
	OPT_SCALE = 256,
	OPT_PLATFORM,
	OPT_BASE_PORT,
	OPT_TELNET,
	OPT_LISTEN
};

static const struct option longopts[] = {
	{ "scale", required_argument, NULL, OPT_SCALE },
	{ "platform", required_argument, NULL, OPT_PLATFORM },
	{ "base-port", required_argument, NULL, OPT_BASE_PORT },
	{ "telnet", no_argument, NULL, OPT_TELNET },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	const char	*file;
	const char	*pidfile;
	const char	*platform;
	const char	*listen;
	int		 scale;
	int		 base_port;
	int		 telnet;
	int		 foreground;
	int		 verbose;
	int		 check;
};

static void
parse_opts(int argc, char **argv, struct opts *o, struct emu_conf *c)
{
	int		 ch;

	while ((ch = getopt_long(argc, argv, "a:c:C:df:F:k:np:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a': c->audit = xstrdup(optarg); break;
		case 'c': c->control = xstrdup(optarg); break;
		case 'C': exit(ctl_client(optarg, argc - optind,
		    argv + optind));
		case 'd': o->foreground = 1; break;
		case 'f': o->file = optarg; break;
		case 'F': c->fixtures = xstrdup(optarg); break;
		case 'k':
			if (c->nhostkeys == 4)
				usage();
			c->hostkeys[c->nhostkeys++] = xstrdup(optarg);
			break;
		case 'n': o->check = 1; break;
		case 'p': o->pidfile = optarg; break;
		case 'v': o->verbose++; break;
		case OPT_SCALE: o->scale = atoi(optarg); break;
		case OPT_PLATFORM: o->platform = optarg; break;
		case OPT_BASE_PORT: o->base_port = atoi(optarg); break;
		case OPT_TELNET: o->telnet = 1; break;
		case OPT_LISTEN: o->listen = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || (o->file == NULL) == (o->scale == 0))
		usage();
}

static void
write_pidfile(const char *path)
{
	FILE		*f;

	if (path == NULL)
		return;
	if ((f = fopen(path, "w")) == NULL)
		fatal("%s", path);
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

int
main(int argc, char **argv)
{
	struct emu_conf	 conf = { 0 };
	struct opts	 o = { .platform = "ios", .listen = "127.0.0.1",
	    .base_port = 20000 };
	ssh_event	 event;
	char		 err[512];
	int		 rc;

	parse_opts(argc, argv, &o, &conf);
	log_init(1, o.verbose, "lgemu");
	emu_conf = &conf;
	rc = o.file != NULL ? conf_load(&conf, o.file, err, sizeof(err)) :
	    conf_scale(&conf, o.scale, o.platform, o.base_port, o.telnet,
	    o.listen, err, sizeof(err));
	if (rc == -1)
		fatalx("%s", err);
	if (conf.fixtures == NULL)
		conf.fixtures = xstrdup("tests/emulator/fixtures");
	if (platform_check(err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (fixture_load_all(conf.fixtures, err, sizeof(err)) == -1)
		fatalx("fixtures: %s", err);
	if (o.check) {
		fixture_free_all();
		conf_free(&conf);
		return 0;
	}
	raise_nofile();
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		fatal("epoll_create1");
	ssh_init();
	if ((event = ssh_event_new()) == NULL ||
	    ssh_event_add_fd(event, epfd, POLLIN, epoll_dispatch, NULL) !=
	    SSH_OK)
		fatalx("ssh_event");
	if (emu_ssh_init(&conf, event, err, sizeof(err)) == -1)
		fatalx("ssh: %s", err);
	if (setup_signals() == -1 || fleet_listen(&conf) == -1 ||
	    ctl_init(conf.control, err, sizeof(err)) == -1)
		fatalx("setup failed %s", err);
	write_pidfile(o.pidfile);
	log_info("serving %zu routers", conf.nrouters);
	loop();
	log_info("shutting down");
	shutdown_all();
	ctl_shutdown();
	fleet_close(&conf);
	ssh_event_remove_fd(event, epfd);
	ssh_event_free(event);
	emu_ssh_shutdown();
	ssh_finalize();
	close(sig_ev.fd);
	close(epfd);
	fixture_free_all();
	conf_free(&conf);
	if (o.pidfile != NULL)
		unlink(o.pidfile);
	return 0;
}
