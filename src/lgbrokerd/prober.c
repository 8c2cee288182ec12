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
 * The prober: the process that runs the commands of transport local
 * (sess_local.c) on the broker's behalf.  The broker forks it first
 * thing, before it reads its configuration and the credentials, and long
 * before it sandboxes itself (its seccomp filter allows no fork and no
 * exec, and it keeps no capability: prober_forget_caps).
 * The prober keeps CAP_NET_RAW alone, when it was given that, and passes
 * it to its children as an ambient capability, so ping, traceroute -I and
 * mtr-packet open raw sockets although no_new_privs forbids file
 * capabilities to be gained.  It never sees a credential: it loads the
 * configuration and the drivers itself, only to learn which programs it
 * may run (argv[0] of the argv drivers' templates and of the local argv of
 * CLI drivers, for routers with transport local), and runs nothing else.
 *
 * The two talk over a SOCK_SEQPACKET pair, one struct prober_msg a packet:
 * RUN (id, the argv joined by LG_ARGV_SEP) is answered by STARTED with the
 * read end of the child's output pipe passed as SCM_RIGHTS, or by STARTED
 * with an errno; KILL ends a child's process group; INTERRUPT sends it
 * SIGINT, as Ctrl-C on a terminal (sess_intr.c); EXIT reports the wait
 * status once the child is reaped, after its whole process group was
 * killed (mtr leaves mtr-packet behind otherwise); RELOAD reads the
 * allow-list again.  When the broker goes away the prober kills every
 * group it started and exits.  Each child is a process group leader with a
 * fixed environment, its standard input /dev/null, its output and errors
 * on the pipe, and no other descriptor.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/auxv.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include <errno.h>
#include <link.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "lg_sandbox.h"
#include "broker.h"

#define PROBER_CHILDREN_MAX	256

/* The environment of every child: nothing of the broker's. */
static char prober_path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
static char prober_lang[] = "LC_ALL=C";
static char *const prober_env[] = { prober_path, prober_lang, NULL };

struct prober_child {
	uint32_t	 id;
	pid_t		 pid;		/* 0: free */
};

/* A list of program paths. */
struct prober_list {
	char		**v;
	size_t		  n;
};

struct prober {
	int			 fd;		/* to the broker */
	int			 sig;		/* signalfd, SIGCHLD */
	char			 conf[LG_PATH_MAX];
	struct prober_list	 allow;		/* programs it may run */
	struct prober_list	 exec;		/* and helpers, the loader */
	int			 confined;	/* fixed once confined */
	struct prober_child	 kids[PROBER_CHILDREN_MAX];
};

/* ---- the allow-list ---- */

static void
prober_list_free(struct prober_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
prober_list_has(const struct prober_list *l, const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == len && strncmp(l->v[i], s, len) == 0)
			return 1;
	return 0;
}

/* Keeps one copy of s[0..len); the list stays NULL-terminated. */
static void
prober_list_add(struct prober_list *l, const char *s, size_t len)
{
	if (prober_list_has(l, s, len))
		return;
	l->v = xreallocarray(l->v, l->n + 2, sizeof(char *));
	l->v[l->n] = xmalloc(len + 1);
	memcpy(l->v[l->n], s, len);
	l->v[l->n++][len] = '\0';
	l->v[l->n] = NULL;
}

/*
 * A program for list l.  Once confined, Landlock lets only the programs
 * known at start be executed: a later one is refused here, and said so.
 */
static void
prober_allow_add(struct prober *p, struct prober_list *l, const char *prog,
    size_t len)
{
	if (p->confined && !prober_list_has(&p->exec, prog, len)) {
		log_warnx("prober: %.*s was not in the configuration at start: "
		    "restart lgbrokerd to run it", (int)len, prog);
		return;
	}
	prober_list_add(l, prog, len);
}

/*
 * The program of every template of a driver used with transport local
 * into allow, its helpers into exec.
 */
static void
prober_allow_driver(struct prober *p, const struct lg_driver *d,
    struct prober_list *allow, struct prober_list *exec)
{
	const struct lg_driver_query	*dq;
	const char			*t;
	size_t				 q, a, k;

	for (k = 0; k < d->nhelpers; k++)
		prober_allow_add(p, exec, d->helpers[k],
		    strlen(d->helpers[k]));
	if (d->nlocal > 0) {
		prober_allow_add(p, allow, d->local[0], strlen(d->local[0]));
		return;
	}
	for (q = 0; q < Q_COUNT; q++) {
		dq = &d->queries[q];
		for (a = 0; a < 3; a++)
			for (k = 0; k < LG_TMPL_ALTS; k++) {
				t = k == 0 ? dq->tmpl[a] : dq->alt[a][k - 1];
				if (t != NULL)
					prober_allow_add(p, allow, t,
					    strcspn(t, (char []){ LG_ARGV_SEP,
					    '\0' }));
			}
	}
}

/*
 * Reads the configuration and the drivers (never the credentials) into a
 * new allow-list; the old one stays when they do not load.  Before the
 * prober is confined, exec gathers the helpers too.
 */
static int
prober_allow_load(struct prober *p)
{
	struct lg_config	 conf;
	struct lg_drivers	 drv = { 0 };
	struct lg_diag		 diag;
	struct prober_list	 allow = { 0 }, helpers = { 0 };
	const struct lg_driver	*d;
	size_t			 i;
	int			 rc = -1;

	diag_init(&diag);
	if (config_load(p->conf, &conf, &diag) == -1)
		goto out;
	if (driver_load_dir(conf.broker.drivers, &drv, &diag) == 0) {
		for (i = 0; i < conf.nrouters; i++)
			if (conf.routers[i].transport == TRANSPORT_LOCAL &&
			    (d = drivers_find(&drv, conf.routers[i].driver)) !=
			    NULL)
				prober_allow_driver(p, d, &allow, &helpers);
		prober_list_free(&p->allow);
		p->allow = allow;
		for (i = 0; !p->confined && i < helpers.n; i++)
			prober_list_add(&p->exec, helpers.v[i],
			    strlen(helpers.v[i]));
		prober_list_free(&helpers);
		rc = 0;
	}
	drivers_free(&drv);
	config_free(&conf);
out:
	if (rc == -1)
		log_warnx("prober: configuration not loaded, the programs "
		    "allowed stay as they were");
	diag_free(&diag);
	return rc;
}

static int
prober_allowed(const struct prober *p, const char *prog)
{
	return prober_list_has(&p->allow, prog, strlen(prog));
}

/* ---- confinement ---- */

static int
prober_interp_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	char	*path = arg;

	(void)size;
	if (info->dlpi_addr != getauxval(AT_BASE) || info->dlpi_name == NULL)
		return 0;
	lg_strlcpy(path, info->dlpi_name, LG_PATH_MAX);
	return 1;
}

/*
 * Landlock, then seccomp, for the prober and all it will run: they may
 * execute the programs allowed at start, their helpers and the dynamic
 * loader, nothing else (sandbox_landlock_exec); the loader could still
 * map another program, which is why the seccomp filter denies what an
 * escaped child would want next (sandbox_seccomp_prober).
 */
static void
prober_confine(struct prober *p)
{
	static const char *const wr[] = { "/dev/null", NULL };
	char			 interp[LG_PATH_MAX] = "", err[256];
	size_t			 i;

	for (i = 0; i < p->allow.n; i++)
		prober_list_add(&p->exec, p->allow.v[i], strlen(p->allow.v[i]));
	if (dl_iterate_phdr(prober_interp_cb, interp) == 1)
		prober_list_add(&p->exec, interp, strlen(interp));
	p->confined = 1;
	if (sandbox_landlock_exec((const char *const *)p->exec.v, wr, err,
	    sizeof(err)) == -1)
		fatalx("prober: %s", err);
	if (err[0] != '\0')
		log_warnx("prober: %s", err);
	if (sandbox_seccomp_prober(err, sizeof(err)) == -1)
		fatalx("prober: %s", err);
}

/* ---- privileges ---- */

/*
 * Keeps CAP_NET_RAW alone, if this process has it, and makes it ambient
 * so that children inherit it; then no_new_privs.  As root the prober
 * first becomes the broker's user (broker.user), as the broker will.
 */
static int
prober_privileges(const char *path, char *err, size_t errlen)
{
	struct lg_config		 conf;
	struct lg_diag			 diag;
	struct __user_cap_header_struct	 h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct	 d[2] = { { 0 } };
	struct sandbox_user		 u;
	uint32_t			 raw = 1U << CAP_NET_RAW;
	int				 had, c;

	if (syscall(SYS_capget, &h, d) == -1)
		return snprintf(err, errlen, "capget: %s", strerror(errno)), -1;
	had = (d[0].permitted & raw) != 0;
	for (c = 0; c <= CAP_LAST_CAP; c++)
		if (c != CAP_NET_RAW)
			(void)prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	diag_init(&diag);
	if (config_load(path, &conf, &diag) == -1) {
		diag_free(&diag);
		return snprintf(err, errlen, "%s: configuration not loaded",
		    path), -1;
	}
	diag_free(&diag);
	u.name[0] = '\0';
	if (conf.broker.user[0] != '\0' && geteuid() == 0 &&
	    (sandbox_user_lookup(conf.broker.user, &u, err, errlen) == -1 ||
	    prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1 ||
	    sandbox_drop_privileges(&u, err, errlen) == -1)) {
		config_free(&conf);
		return -1;
	}
	config_free(&conf);
	memset(d, 0, sizeof(d));
	if (had)
		d[0].permitted = d[0].effective = d[0].inheritable = raw;
	if (syscall(SYS_capset, &h, d) == -1)
		return snprintf(err, errlen, "capset: %s", strerror(errno)), -1;
	if (had && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0,
	    0) == -1)
		return snprintf(err, errlen, "ambient CAP_NET_RAW: %s",
		    strerror(errno)), -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return snprintf(err, errlen, "no_new_privs: %s",
		    strerror(errno)), -1;
	return 0;
}

/* ---- children ---- */

static int
prober_send(int fd, const struct prober_msg *m, int pass)
{
	char		 cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec	 iov = { (void *)(uintptr_t)m, sizeof(*m) };
	struct msghdr	 mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr	*cm;

	if (pass != -1) {
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass, sizeof(int));
	}
	return sendmsg(fd, &mh, MSG_NOSIGNAL) == -1 ? -1 : 0;
}

/* In the child: becomes the program, or exits 127. */
static __dead void
prober_exec(char **argv, int out)
{
	sigset_t	 none;
	int		 null;

	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)signal(SIGPIPE, SIG_DFL);
	(void)setpgid(0, 0);
	if ((null = open("/dev/null", O_RDONLY)) == -1 ||
	    dup2(null, 0) == -1 || dup2(out, 1) == -1 || dup2(out, 2) == -1)
		_exit(127);
	(void)syscall(SYS_close_range, 3U, ~0U, 0U);
	execve(argv[0], argv, prober_env);
	dprintf(2, "%s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Splits the argv of a RUN; the count, or -1. */
static int
prober_split(char *s, char **argv)
{
	int	 n = 0;
	char	*e;

	for (;;) {
		if (n == LG_ARGV_MAX)
			return -1;
		argv[n++] = s;
		if ((e = strchr(s, LG_ARGV_SEP)) == NULL)
			break;
		*e = '\0';
		s = e + 1;
	}
	argv[n] = NULL;
	return n;
}

static struct prober_child *
prober_slot(struct prober *p, pid_t pid)
{
	size_t	 i;

	for (i = 0; i < PROBER_CHILDREN_MAX; i++)
		if (p->kids[i].pid == pid)
			return &p->kids[i];
	return NULL;
}

static void
prober_run(struct prober *p, uint32_t id, char *text)
{
	struct prober_msg	 m = { .type = PROBER_STARTED, .id = id };
	struct prober_child	*k;
	char			*argv[LG_ARGV_MAX + 1];
	int			 pfd[2];
	pid_t			 pid;

	if (prober_split(text, argv) == -1 || !prober_allowed(p, argv[0]))
		m.status = EPERM;
	else if ((k = prober_slot(p, 0)) == NULL)
		m.status = EAGAIN;
	else if (pipe2(pfd, O_CLOEXEC) == -1)
		m.status = errno;
	else if ((pid = fork()) == -1) {
		m.status = errno;
		close(pfd[0]);
		close(pfd[1]);
	} else if (pid == 0)
		prober_exec(argv, pfd[1]);
	else {
		/* Both sides, so neither races the other to the group. */
		(void)setpgid(pid, pid);
		close(pfd[1]);
		k->id = id;
		k->pid = pid;
		(void)prober_send(p->fd, &m, pfd[0]);
		close(pfd[0]);
		return;
	}
	(void)prober_send(p->fd, &m, -1);
}

/* SIGKILL (KILL) or SIGINT (INTERRUPT) to a child's process group. */
static void
prober_kill(struct prober *p, uint32_t id, int sig)
{
	size_t	 i;

	for (i = 0; i < PROBER_CHILDREN_MAX; i++)
		if (p->kids[i].pid != 0 && p->kids[i].id == id)
			(void)kill(-p->kids[i].pid, sig);
}

/* Reaps every child that ended, and what its group left behind. */
static void
prober_reap(struct prober *p)
{
	struct signalfd_siginfo	 si;
	struct prober_msg	 m = { .type = PROBER_EXIT };
	struct prober_child	*k;
	pid_t			 pid;
	int			 st;

	while (read(p->sig, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if ((k = prober_slot(p, pid)) == NULL)
			continue;	/* a grandchild, adopted */
		(void)kill(-pid, SIGKILL);
		m.id = k->id;
		m.status = st;
		k->pid = 0;
		(void)prober_send(p->fd, &m, -1);
	}
}

/* One packet from the broker; -1 when it is gone. */
static int
prober_input(struct prober *p)
{
	char			 buf[sizeof(struct prober_msg) + PROBER_ARGV_MAX
				    + 1];
	struct prober_msg	 m;
	ssize_t			 n;

	n = recv(p->fd, buf, sizeof(buf) - 1, 0);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n < (ssize_t)sizeof(m))
		return -1;
	memcpy(&m, buf, sizeof(m));
	buf[n] = '\0';
	if (m.type == PROBER_RUN && m.len == (size_t)n - sizeof(m) &&
	    m.len > 0 && memchr(buf + sizeof(m), '\0', m.len) == NULL)
		prober_run(p, m.id, buf + sizeof(m));
	else if (m.type == PROBER_KILL)
		prober_kill(p, m.id, SIGKILL);
	else if (m.type == PROBER_INTERRUPT)
		prober_kill(p, m.id, SIGINT);
	else if (m.type == PROBER_RELOAD)
		(void)prober_allow_load(p);
	else
		return -1;
	return 0;
}

static __dead void
prober_main(struct prober *p)
{
	struct pollfd	 pf[2];
	size_t		 i;

	pf[0].fd = p->fd;
	pf[0].events = POLLIN;
	pf[1].fd = p->sig;
	pf[1].events = POLLIN;
	for (;;) {
		if (poll(pf, 2, -1) == -1 && errno != EINTR)
			break;
		if (pf[1].revents)
			prober_reap(p);
		if (pf[0].revents && prober_input(p) == -1)
			break;
	}
	for (i = 0; i < PROBER_CHILDREN_MAX; i++)
		if (p->kids[i].pid != 0)
			(void)kill(-p->kids[i].pid, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	_exit(0);
}

/*
 * The broker's side: whatever capability it was started with (the unit
 * gives CAP_NET_RAW, for the prober) is given up once the prober has it.
 * A broker started as root loses them when it becomes broker.user.
 */
int
prober_forget_caps(char *err, size_t errlen)
{
	struct __user_cap_header_struct	 h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct	 d[2] = { { 0 } };

	if (geteuid() == 0)
		return 0;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 ||
	    syscall(SYS_capset, &h, d) == -1)
		return snprintf(err, errlen, "dropping capabilities: %s",
		    strerror(errno)), -1;
	return 0;
}

/*
 * Forks the prober; returns the broker's end of the socket, or -1 with
 * err set.  conf is the configuration's path: the prober reads it itself.
 */
int
prober_start(const char *conf, char *err, size_t errlen)
{
	struct prober	*p;
	sigset_t	 set;
	int		 sv[2];
	pid_t		 pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return snprintf(err, errlen, "socketpair: %s",
		    strerror(errno)), -1;
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return snprintf(err, errlen, "fork: %s", strerror(errno)), -1;
	}
	if (pid > 0) {
		close(sv[1]);
		return sv[0];
	}
	close(sv[0]);
	p = xcalloc(1, sizeof(*p));
	p->fd = sv[1];
	lg_strlcpy(p->conf, conf, sizeof(p->conf));
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	(void)prctl(PR_SET_NAME, "lgbrokerd-probe", 0, 0, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1 ||
	    (p->sig = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("prober: signalfd");
	if (prober_privileges(p->conf, err, errlen) == -1)
		fatalx("prober: %s", err);
	(void)prober_allow_load(p);
	prober_confine(p);
	prober_main(p);
}
