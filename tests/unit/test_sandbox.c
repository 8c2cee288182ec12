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
 * sandbox: every restriction is entered in a forked child, which reports
 * through its exit status (0, or the number of the step that went wrong)
 * or dies of the filter; the parent checks which.  The child never
 * returns into cmocka: it leaves with _exit.
 */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netlink.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lg.h"
#include "lg_sandbox.h"

struct child {
	int		 status;
	char		 err[1024];	/* the child's stderr */
};

/* Runs fn in a child with stderr captured; fn must _exit. */
static void
run_child(void (*fn)(void *), void *arg, struct child *c)
{
	ssize_t	 n;
	size_t	 off = 0;
	pid_t	 pid;
	int	 p[2];

	memset(c, 0, sizeof(*c));
	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		close(p[0]);
		if (dup2(p[1], STDERR_FILENO) == -1)
			_exit(100);
		fn(arg);
		_exit(101);
	}
	close(p[1]);
	while (off + 1 < sizeof(c->err) &&
	    (n = read(p[0], c->err + off, sizeof(c->err) - 1 - off)) > 0)
		off += (size_t)n;
	close(p[0]);
	assert_int_equal(waitpid(pid, &c->status, 0), pid);
}

static void
assert_exited(const struct child *c, int code)
{
	if (!WIFEXITED(c->status) || WEXITSTATUS(c->status) != code)
		fail_msg("child status %#x (want exit %d); stderr: %s",
		    c->status, code, c->err);
}

static void
assert_killed_by_filter(const struct child *c)
{
	if (!WIFSIGNALED(c->status) || WTERMSIG(c->status) != SIGSYS)
		fail_msg("child status %#x (want SIGSYS); stderr: %s",
		    c->status, c->err);
}

static void
enter_seccomp(enum sandbox_role role, int debug)
{
	char	 err[LG_ERRSTR_MAX];

	if (sandbox_seccomp(role, debug, err, sizeof(err)) == -1) {
		dprintf(STDERR_FILENO, "%s\n", err);
		_exit(102);
	}
}

static void *
thread_main(void *arg)
{
	return arg;
}

/* What a daemon does all day must keep working under the filter. */
static void
child_everyday(void *arg)
{
	enum sandbox_role	 role = *(enum sandbox_role *)arg;
	struct timespec		 ts = { 0, 1000 };
	pthread_t		 t;
	void			*big, *rv;
	char			 buf[16];
	int			 p[2], fd, ep;

	enter_seccomp(role, 0);
	if ((big = malloc(8 << 20)) == NULL)
		_exit(1);
	memset(big, 1, 8 << 20);
	free(big);
	if (pipe2(p, O_CLOEXEC) == -1 || write(p[1], "x", 1) != 1 ||
	    read(p[0], buf, 1) != 1)
		_exit(2);
	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1 ||
	    nanosleep(&(struct timespec){ 0, 1000 }, NULL) == -1)
		_exit(3);
	if (pthread_create(&t, NULL, thread_main, buf) != 0 ||
	    pthread_join(t, &rv) != 0 || rv != buf)
		_exit(4);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		_exit(5);
	close(fd);
	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		_exit(6);
	close(fd);
	/* A log is appended to, created if need be, never truncated. */
	if ((fd = open("/dev/null", O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0600)) == -1)
		_exit(10);
	close(fd);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		_exit(7);
	close(ep);
	if (getrandom(buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		_exit(8);
	/* Threads name themselves whenever they get to run. */
	if (pthread_setname_np(pthread_self(), "lg-test") != 0)
		_exit(9);
	_exit(0);
}

static void
test_web_everyday(void **state)
{
	enum sandbox_role	 role = SANDBOX_WEB;
	struct child		 c;

	(void)state;
	run_child(child_everyday, &role, &c);
	assert_exited(&c, 0);
}

static void
test_broker_everyday(void **state)
{
	enum sandbox_role	 role = SANDBOX_BROKER;
	struct child		 c;

	(void)state;
	run_child(child_everyday, &role, &c);
	assert_exited(&c, 0);
}

static void
child_web_inet(void *arg)
{
	(void)arg;
	enter_seccomp(SANDBOX_WEB, 0);
	(void)socket(AF_INET, SOCK_STREAM, 0);
	_exit(0);
}

static void
child_web_open_write(void *arg)
{
	(void)arg;
	enter_seccomp(SANDBOX_WEB, 0);
	(void)open("/dev/null", O_WRONLY);
	_exit(0);
}

static void
child_fork(void *arg)
{
	enter_seccomp(*(enum sandbox_role *)arg, 0);
	if (fork() == 0)
		_exit(0);
	_exit(0);
}

static void
child_exec(void *arg)
{
	char		 name[] = "true";
	char *const	 argv[] = { name, NULL };

	enter_seccomp(*(enum sandbox_role *)arg, 0);
	execv("/bin/true", argv);
	_exit(0);
}

static void
child_broker_packet(void *arg)
{
	(void)arg;
	enter_seccomp(SANDBOX_BROKER, 0);
	(void)socket(AF_PACKET, SOCK_RAW, 0);
	_exit(0);
}

/* The front has no business with TCP, writes, processes or programs. */
static void
test_web_forbidden(void **state)
{
	enum sandbox_role	 role = SANDBOX_WEB;
	struct child		 c;

	(void)state;
	run_child(child_web_inet, NULL, &c);
	assert_killed_by_filter(&c);
	run_child(child_web_open_write, NULL, &c);
	assert_killed_by_filter(&c);
	run_child(child_fork, &role, &c);
	assert_killed_by_filter(&c);
	run_child(child_exec, &role, &c);
	assert_killed_by_filter(&c);
}

/* web.store over TCP: TCP stream sockets, and nothing else of IP. */
static void
child_web_tcp_stream(void *arg)
{
	int	 fd;

	(void)arg;
	enter_seccomp(SANDBOX_WEB_TCP, 0);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    close(fd) == -1 ||
	    (fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		_exit(1);
	close(fd);
	_exit(0);
}

static void
child_web_tcp_dgram(void *arg)
{
	(void)arg;
	enter_seccomp(SANDBOX_WEB_TCP, 0);
	(void)socket(AF_INET, SOCK_DGRAM, 0);
	_exit(0);
}

static void
test_web_tcp_store(void **state)
{
	enum sandbox_role	 role = SANDBOX_WEB_TCP;
	struct child		 c;

	(void)state;
	run_child(child_web_tcp_stream, NULL, &c);
	assert_exited(&c, 0);
	run_child(child_web_tcp_dgram, NULL, &c);
	assert_killed_by_filter(&c);
	run_child(child_everyday, &role, &c);
	assert_exited(&c, 0);
	run_child(child_fork, &role, &c);
	assert_killed_by_filter(&c);
}

static void
test_broker_forbidden(void **state)
{
	enum sandbox_role	 role = SANDBOX_BROKER;
	struct child		 c;

	(void)state;
	run_child(child_fork, &role, &c);
	assert_killed_by_filter(&c);
	run_child(child_exec, &role, &c);
	assert_killed_by_filter(&c);
	run_child(child_broker_packet, NULL, &c);
	assert_killed_by_filter(&c);
}

/* The broker reaches routers over TCP and asks netlink for addresses. */
static void
child_broker_tcp(void *arg)
{
	struct sockaddr_in	*sin = arg;
	int			 fd;

	enter_seccomp(SANDBOX_BROKER, 0);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		_exit(1);
	if (connect(fd, (struct sockaddr *)sin, sizeof(*sin)) == -1)
		_exit(2);
	if (write(fd, "hi", 2) != 2)
		_exit(3);
	close(fd);
	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1)
		_exit(4);
	close(fd);
	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		_exit(5);
	close(fd);
	_exit(0);
}

static void
test_broker_tcp(void **state)
{
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	socklen_t		 slen = sizeof(sin);
	struct child		 c;
	char			 buf[2];
	int			 lfd, fd;

	(void)state;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((lfd = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &slen), 0);
	run_child(child_broker_tcp, &sin, &c);
	assert_exited(&c, 0);
	assert_true((fd = accept(lfd, NULL, NULL)) != -1);
	assert_int_equal(read(fd, buf, 2), 2);
	assert_memory_equal(buf, "hi", 2);
	close(fd);
	close(lfd);
}

static void
child_debug_mkdir(void *arg)
{
	(void)arg;
	enter_seccomp(SANDBOX_WEB, 1);
	(void)syscall(SYS_mkdir, "/nonexistent-lg-sandbox", 0700);
	_exit(0);
}

static void
child_debug_socket(void *arg)
{
	(void)arg;
	enter_seccomp(SANDBOX_WEB, 1);
	(void)socket(AF_INET6, SOCK_STREAM, 0);
	_exit(0);
}

static void
assert_named(const struct child *c, const char *call)
{
	char	 want[128];

	assert_exited(c, SANDBOX_EXIT_DEBUG);
	snprintf(want, sizeof(want), "%s: sandbox: forbidden system call "
	    "%s (%d)\n", program_invocation_short_name, call,
	    seccomp_syscall_resolve_name(call));
	if (strstr(c->err, want) == NULL)
		fail_msg("stderr \"%s\" lacks \"%s\"", c->err, want);
}

/* Debug mode names the call instead of dying silently. */
static void
test_debug_names_call(void **state)
{
	struct child	 c;

	(void)state;
	run_child(child_debug_mkdir, NULL, &c);
	assert_named(&c, "mkdir");
	run_child(child_debug_socket, NULL, &c);
	assert_named(&c, "socket");
}

static void
test_debug_env(void **state)
{
	(void)state;
	unsetenv("LG_SANDBOX_DEBUG");
	assert_false(sandbox_debug_env());
	setenv("LG_SANDBOX_DEBUG", "0", 1);
	assert_false(sandbox_debug_env());
	setenv("LG_SANDBOX_DEBUG", "", 1);
	assert_false(sandbox_debug_env());
	setenv("LG_SANDBOX_DEBUG", "1", 1);
	assert_true(sandbox_debug_env());
	unsetenv("LG_SANDBOX_DEBUG");
}

struct ll_case {
	char	 top[64];
	char	 ro[96];
	char	 rw[96];
	int	 abi;
};

static int
ll_abi(void)
{
	long	 v;

	v = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U << 0);
	return v < 0 ? 0 : (int)v;
}

static int
open_errno(const char *path, int flags)
{
	int	 fd;

	if ((fd = open(path, flags | O_CLOEXEC, 0600)) == -1)
		return errno;
	close(fd);
	return 0;
}

static void
child_landlock(void *arg)
{
	struct ll_case		*lc = arg;
	const char *const	 ro[] = { lc->ro, "/nonexistent-lg", NULL };
	const char *const	 rw[] = { lc->rw, NULL };
	char			 path[160], err[LG_ERRSTR_MAX];

	if (sandbox_landlock(ro, rw, SANDBOX_LL_NO_TCP_CONNECT, err,
	    sizeof(err)) == -1 || err[0] != '\0') {
		dprintf(STDERR_FILENO, "%s\n", err);
		_exit(1);
	}
	snprintf(path, sizeof(path), "%s/in.txt", lc->ro);
	if (open_errno(path, O_RDONLY) != 0)
		_exit(2);
	if (open_errno(path, O_WRONLY) != EACCES)
		_exit(3);
	snprintf(path, sizeof(path), "%s/new.txt", lc->ro);
	if (open_errno(path, O_WRONLY | O_CREAT) != EACCES)
		_exit(4);
	snprintf(path, sizeof(path), "%s/new.txt", lc->rw);
	if (open_errno(path, O_WRONLY | O_CREAT) != 0 || unlink(path) != 0)
		_exit(5);
	snprintf(path, sizeof(path), "%s/outside.txt", lc->top);
	if (open_errno(path, O_RDONLY) != EACCES)
		_exit(6);
	if (open_errno("/etc/passwd", O_RDONLY) != EACCES)
		_exit(7);
	_exit(0);
}

static void
ll_make(struct ll_case *lc)
{
	char	 path[160];
	int	 fd;

	snprintf(lc->top, sizeof(lc->top), "/tmp/lg-sandbox-XXXXXX");
	assert_non_null(mkdtemp(lc->top));
	snprintf(lc->ro, sizeof(lc->ro), "%s/ro", lc->top);
	snprintf(lc->rw, sizeof(lc->rw), "%s/rw", lc->top);
	assert_int_equal(mkdir(lc->ro, 0700), 0);
	assert_int_equal(mkdir(lc->rw, 0700), 0);
	snprintf(path, sizeof(path), "%s/in.txt", lc->ro);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0600)) != -1);
	close(fd);
	snprintf(path, sizeof(path), "%s/outside.txt", lc->top);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0600)) != -1);
	close(fd);
}

static void
ll_remove(struct ll_case *lc)
{
	char	 path[160];

	snprintf(path, sizeof(path), "%s/in.txt", lc->ro);
	unlink(path);
	snprintf(path, sizeof(path), "%s/outside.txt", lc->top);
	unlink(path);
	rmdir(lc->ro);
	rmdir(lc->rw);
	rmdir(lc->top);
}

/* Read-only, read-write and outside: each gets what it should. */
static void
test_landlock_paths(void **state)
{
	struct ll_case	 lc;
	struct child	 c;

	(void)state;
	if (ll_abi() == 0)
		skip();
	ll_make(&lc);
	run_child(child_landlock, &lc, &c);
	ll_remove(&lc);
	assert_exited(&c, 0);
}

static void
child_landlock_tcp(void *arg)
{
	struct sockaddr_in	*sin = arg;
	const char *const	 none[] = { NULL };
	char			 err[LG_ERRSTR_MAX];
	int			 fd;

	if (sandbox_landlock(none, none, SANDBOX_LL_NO_TCP_CONNECT |
	    SANDBOX_LL_NO_TCP_BIND, err, sizeof(err)) == -1)
		_exit(1);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		_exit(2);
	if (connect(fd, (struct sockaddr *)sin, sizeof(*sin)) != -1 ||
	    errno != EACCES)
		_exit(3);
	_exit(0);
}

static void
test_landlock_tcp(void **state)
{
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	socklen_t		 slen = sizeof(sin);
	struct child		 c;
	int			 lfd;

	(void)state;
	if (ll_abi() < 4)
		skip();
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((lfd = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &slen), 0);
	run_child(child_landlock_tcp, &sin, &c);
	close(lfd);
	assert_exited(&c, 0);
}

/* sandbox_landlock_net: connect to the ports listed, no other. */
static void
child_landlock_port(void *arg)
{
	struct sockaddr_in	*sin = arg;	/* [0] allowed, [1] not */
	const char *const	 none[] = { NULL };
	uint16_t		 ports[2] = { ntohs(sin[0].sin_port), 0 };
	char			 err[LG_ERRSTR_MAX];
	int			 fd;

	if (sandbox_landlock_net(none, none, SANDBOX_LL_NO_TCP_CONNECT, ports,
	    err, sizeof(err)) == -1)
		_exit(1);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin[0], sizeof(sin[0])) == -1)
		_exit(2);
	close(fd);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		_exit(3);
	if (connect(fd, (struct sockaddr *)&sin[1], sizeof(sin[1])) != -1 ||
	    errno != EACCES)
		_exit(4);
	_exit(0);
}

static void
test_landlock_port(void **state)
{
	struct sockaddr_in	 sin[2];
	socklen_t		 slen;
	struct child		 c;
	int			 lfd[2], i;

	(void)state;
	if (ll_abi() < 4)
		skip();
	for (i = 0; i < 2; i++) {
		memset(&sin[i], 0, sizeof(sin[i]));
		sin[i].sin_family = AF_INET;
		sin[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		slen = sizeof(sin[i]);
		assert_true((lfd[i] = socket(AF_INET, SOCK_STREAM, 0)) != -1);
		assert_int_equal(bind(lfd[i], (struct sockaddr *)&sin[i],
		    sizeof(sin[i])), 0);
		assert_int_equal(listen(lfd[i], 1), 0);
		assert_int_equal(getsockname(lfd[i], (struct sockaddr *)&sin[i],
		    &slen), 0);
	}
	run_child(child_landlock_port, sin, &c);
	close(lfd[0]);
	close(lfd[1]);
	assert_exited(&c, 0);
}

/* Limits are hard, a too-long write fails instead of killing. */
static void
child_limits(void *arg)
{
	const struct sandbox_limits	 l = { 64, 4000, 4096 };
	const char			*path = arg;
	struct rlimit			 rl;
	char				 buf[8192], err[LG_ERRSTR_MAX];
	int				 fd;

	if (sandbox_limits(&l, err, sizeof(err)) == -1) {
		dprintf(STDERR_FILENO, "%s\n", err);
		_exit(1);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur != 64 ||
	    rl.rlim_max != 64)
		_exit(2);
	if (getrlimit(RLIMIT_FSIZE, &rl) == -1 || rl.rlim_max != 4096)
		_exit(3);
	if (getrlimit(RLIMIT_CORE, &rl) == -1 || rl.rlim_max != 0)
		_exit(4);
	if (getrlimit(RLIMIT_NPROC, &rl) == -1 || rl.rlim_max != 4000)
		_exit(5);
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		_exit(6);
	memset(buf, 'a', sizeof(buf));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		_exit(7);
	if (write(fd, buf, sizeof(buf)) != 4096)
		_exit(8);
	if (write(fd, buf, 1) != -1 || errno != EFBIG)
		_exit(9);
	close(fd);
	_exit(0);
}

static void
test_limits(void **state)
{
	char		 path[] = "/tmp/lg-sandbox-fsize-XXXXXX";
	struct child	 c;
	struct stat	 st;
	int		 fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	run_child(child_limits, path, &c);
	assert_int_equal(stat(path, &st), 0);
	unlink(path);
	assert_exited(&c, 0);
	assert_int_equal(st.st_size, 4096);
}

static void
test_user_lookup(void **state)
{
	struct sandbox_user	 u;
	struct passwd		*pw;
	char			 err[LG_ERRSTR_MAX];

	(void)state;
	assert_int_equal(sandbox_user_lookup("", &u, err, sizeof(err)), 0);
	assert_string_equal(u.name, "");
	assert_int_equal(sandbox_user_lookup("lg-no-such-user", &u, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "lg-no-such-user"));
	assert_int_equal(sandbox_user_lookup("root", &u, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "uid 0"));
	assert_non_null(pw = getpwnam("nobody"));
	assert_int_equal(sandbox_user_lookup("nobody", &u, err,
	    sizeof(err)), 0);
	assert_int_equal(u.uid, pw->pw_uid);
	assert_int_equal(u.gid, pw->pw_gid);
	assert_true(u.ngroups >= 1);
}

static void
child_drop(void *arg)
{
	const struct sandbox_user	*u = arg;
	uid_t				 r, e, s;
	gid_t				 groups[8];
	char				 err[LG_ERRSTR_MAX];

	if (sandbox_drop_privileges(u, err, sizeof(err)) == -1 ||
	    err[0] != '\0') {
		dprintf(STDERR_FILENO, "%s\n", err);
		_exit(1);
	}
	if (getresuid(&r, &e, &s) == -1 || r != u->uid || e != u->uid ||
	    s != u->uid)
		_exit(2);
	if (setuid(0) != -1 || setgid(0) != -1)
		_exit(3);
	if (getgroups(8, groups) != u->ngroups || groups[0] != u->groups[0])
		_exit(4);
	if (open_errno("/etc/shadow", O_RDONLY) != EACCES)
		_exit(5);
	_exit(0);
}

/* Root becomes the user for good: no way back, no root files. */
static void
test_drop_privileges(void **state)
{
	struct sandbox_user	 u;
	struct child		 c;
	char			 err[LG_ERRSTR_MAX];

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(sandbox_user_lookup("nobody", &u, err,
	    sizeof(err)), 0);
	run_child(child_drop, &u, &c);
	assert_exited(&c, 0);
}

static void
test_drop_without_user(void **state)
{
	struct sandbox_user	 u = { .name = "" };
	char			 err[LG_ERRSTR_MAX];

	(void)state;
	assert_int_equal(sandbox_drop_privileges(&u, err, sizeof(err)), 0);
	if (geteuid() == 0)
		assert_non_null(strstr(err, "running as root"));
	else
		assert_string_equal(err, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_web_everyday),
		cmocka_unit_test(test_broker_everyday),
		cmocka_unit_test(test_web_forbidden),
		cmocka_unit_test(test_broker_forbidden),
		cmocka_unit_test(test_web_tcp_store),
		cmocka_unit_test(test_broker_tcp),
		cmocka_unit_test(test_debug_names_call),
		cmocka_unit_test(test_debug_env),
		cmocka_unit_test(test_landlock_paths),
		cmocka_unit_test(test_landlock_tcp),
		cmocka_unit_test(test_landlock_port),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_user_lookup),
		cmocka_unit_test(test_drop_privileges),
		cmocka_unit_test(test_drop_without_user),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
