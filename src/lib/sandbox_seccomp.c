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
 * The system call allow-list of each daemon, built with libseccomp and
 * loaded last, when the process has everything it will ever open or
 * bind.  Default deny: anything not listed kills the whole process
 * (SECCOMP_RET_KILL_PROCESS), and a foreign architecture too.  The
 * filter is synchronised to every thread already running (libmicrohttpd's
 * pool, the broker's resolver) and inherited by those created later.
 *
 * sc_rules[] is the list, one row a system call and the roles allowed
 * it; rows with a check narrow a call by its arguments: sockets by
 * family, clone to threads, ioctl to a few requests, the front's opens to
 * reading or appending (its access log, reopened on reload).  Paths are
 * Landlock's business (sandbox_landlock.c).
 *
 * Debug mode (LG_SANDBOX_DEBUG) traps instead: a SIGSYS handler writes
 * "PROG: sandbox: forbidden system call NAME (NR)" to stderr and to
 * syslog, then exits with SANDBOX_EXIT_DEBUG.  Names are resolved when
 * the filter is built, since libseccomp's resolver is not
 * async-signal-safe.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <linux/netlink.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "lg.h"
#include "lg_sandbox.h"

/* Sanitized builds: LeakSanitizer stops the world with ptrace at exit. */
#if defined(__SANITIZE_ADDRESS__)
#define SC_SANITIZER	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SC_SANITIZER	1
#endif
#endif

/* A front with a TCP web.store or TLS brokers may open TCP streams. */
#define R_WEB_TCP	(1U << SANDBOX_WEB_TCP)
#define R_WEB		((1U << SANDBOX_WEB) | R_WEB_TCP)
#define R_BROKER	(1U << SANDBOX_BROKER)
#define R_ALL		(R_WEB | R_BROKER)

enum sc_check {
	SC_ANY = 0,		/* any arguments */
	SC_SOCKET,		/* family by role, see sc_socket */
	SC_THREAD,		/* clone: CLONE_THREAD only */
	SC_ENOSYS,		/* fails with ENOSYS (clone3: glibc falls back) */
	SC_IOCTL,		/* see sc_ioctls */
	SC_OPEN_RO,		/* read, or append (a log): never truncate */
	SC_GETONLY,		/* prlimit64 without a new limit */
	SC_SELF,		/* tgkill/kill of this process only */
	SC_NAME			/* prctl: a thread's name only */
};

struct sc_rule {
	const char	*name;
	unsigned int	 roles;
	enum sc_check	 check;
};

/*
 * The front needs memory, threads, time, epoll and its sockets; the
 * broker adds TCP and UDP (routers, DNS), netlink (getaddrinfo's
 * AI_ADDRCONFIG), and file writes (audit log, known_hosts).
 */
static const struct sc_rule sc_rules[] = {
	/* I/O on descriptors already open or opened under Landlock. */
	{ "read", R_ALL, SC_ANY },
	{ "readv", R_ALL, SC_ANY },
	{ "pread64", R_ALL, SC_ANY },
	{ "write", R_ALL, SC_ANY },
	{ "writev", R_ALL, SC_ANY },
	{ "close", R_ALL, SC_ANY },
	{ "lseek", R_ALL, SC_ANY },
	{ "fcntl", R_ALL, SC_ANY },
	{ "dup", R_ALL, SC_ANY },
	{ "dup2", R_ALL, SC_ANY },
	{ "dup3", R_ALL, SC_ANY },		/* a reopened log replaces its fd */
	{ "fstat", R_ALL, SC_ANY },
	{ "newfstatat", R_ALL, SC_ANY },
	{ "statx", R_ALL, SC_ANY },
	{ "getdents64", R_ALL, SC_ANY },
	{ "readlink", R_ALL, SC_ANY },		/* NSS modules, realpath */
	{ "readlinkat", R_ALL, SC_ANY },
	{ "openat", R_WEB, SC_OPEN_RO },
	{ "open", R_WEB, SC_OPEN_RO },
	{ "openat", R_BROKER, SC_ANY },
	{ "open", R_BROKER, SC_ANY },
	{ "unlink", R_BROKER, SC_ANY },		/* sockets at shutdown */
	{ "unlinkat", R_BROKER, SC_ANY },
	{ "fsync", R_ALL, SC_ANY },		/* front: web.results */
	{ "fdatasync", R_ALL, SC_ANY },
	{ "pwrite64", R_WEB, SC_ANY },		/* SQLite */
	{ "ftruncate", R_WEB, SC_ANY },
	{ "sendfile", R_WEB, SC_ANY },		/* static files */
	{ "ioctl", R_ALL, SC_IOCTL },

	/* Memory, threads and signals. */
	{ "brk", R_ALL, SC_ANY },
	{ "mmap", R_ALL, SC_ANY },
	{ "munmap", R_ALL, SC_ANY },
	{ "mremap", R_ALL, SC_ANY },
	{ "mprotect", R_ALL, SC_ANY },
	{ "madvise", R_ALL, SC_ANY },
	{ "futex", R_ALL, SC_ANY },
	{ "set_robust_list", R_ALL, SC_ANY },
	{ "rseq", R_ALL, SC_ANY },
	{ "clone", R_ALL, SC_THREAD },
	{ "clone3", R_ALL, SC_ENOSYS },
	{ "exit", R_ALL, SC_ANY },
	{ "exit_group", R_ALL, SC_ANY },
	{ "rt_sigreturn", R_ALL, SC_ANY },
	{ "rt_sigprocmask", R_ALL, SC_ANY },
	{ "rt_sigaction", R_ALL, SC_ANY },
	{ "rt_sigtimedwait", R_ALL, SC_ANY },	/* lgwebd's sigwait */
	{ "sigaltstack", R_ALL, SC_ANY },
	{ "restart_syscall", R_ALL, SC_ANY },
	{ "tgkill", R_ALL, SC_SELF },		/* raise, abort */
#ifndef SC_SANITIZER
	/* libmicrohttpd's workers name themselves once they run. */
	{ "prctl", R_ALL, SC_NAME },
#endif
	{ "getpid", R_ALL, SC_ANY },
	{ "gettid", R_ALL, SC_ANY },
	{ "getuid", R_ALL, SC_ANY },
	{ "geteuid", R_ALL, SC_ANY },
	{ "getgid", R_ALL, SC_ANY },
	{ "getegid", R_ALL, SC_ANY },
	{ "prlimit64", R_ALL, SC_GETONLY },
	{ "sched_yield", R_ALL, SC_ANY },
	{ "sched_getaffinity", R_ALL, SC_ANY },	/* malloc arenas */
	{ "uname", R_ALL, SC_ANY },
	{ "getrandom", R_ALL, SC_ANY },

	/* Time. */
	{ "clock_gettime", R_ALL, SC_ANY },
	{ "clock_getres", R_ALL, SC_ANY },
	{ "gettimeofday", R_ALL, SC_ANY },
	{ "time", R_ALL, SC_ANY },
	{ "nanosleep", R_ALL, SC_ANY },
	{ "clock_nanosleep", R_ALL, SC_ANY },

	/* Event loops. */
	{ "epoll_create1", R_ALL, SC_ANY },
	{ "epoll_ctl", R_ALL, SC_ANY },
	{ "epoll_wait", R_ALL, SC_ANY },
	{ "epoll_pwait", R_ALL, SC_ANY },
	{ "epoll_pwait2", R_ALL, SC_ANY },
	{ "poll", R_ALL, SC_ANY },
	{ "ppoll", R_ALL, SC_ANY },
	{ "select", R_ALL, SC_ANY },
	{ "pselect6", R_ALL, SC_ANY },
	{ "eventfd2", R_ALL, SC_ANY },
	{ "pipe2", R_ALL, SC_ANY },

	/* Sockets. */
	{ "socket", R_ALL, SC_SOCKET },
	{ "connect", R_ALL, SC_ANY },
	{ "bind", R_BROKER, SC_ANY },		/* getaddrinfo's netlink */
	{ "accept", R_ALL, SC_ANY },
	{ "accept4", R_ALL, SC_ANY },
	{ "shutdown", R_ALL, SC_ANY },
	{ "recvfrom", R_ALL, SC_ANY },
	{ "recvmsg", R_ALL, SC_ANY },
	{ "recvmmsg", R_BROKER, SC_ANY },
	{ "sendto", R_ALL, SC_ANY },
	{ "sendmsg", R_ALL, SC_ANY },
	{ "sendmmsg", R_ALL, SC_ANY },		/* the DNS stub resolver */
	{ "getsockopt", R_ALL, SC_ANY },
	{ "setsockopt", R_ALL, SC_ANY },
	{ "getsockname", R_ALL, SC_ANY },
	{ "getpeername", R_ALL, SC_ANY },

#ifdef SC_SANITIZER
	/* LeakSanitizer's tracer: a non-thread clone that ptraces us. */
	{ "ptrace", R_ALL, SC_ANY },
	{ "prctl", R_ALL, SC_ANY },
	{ "wait4", R_ALL, SC_ANY },
	{ "getdents", R_ALL, SC_ANY },		/* its thread lister */
	{ "getppid", R_ALL, SC_ANY },
#endif
	{ NULL, 0, SC_ANY }
};

/*
 * socket(2) families by role: the front speaks only Unix sockets, and
 * TCP (stream sockets) when its web.store or a broker of web.brokers is
 * reached over TCP.
 */
static const struct {
	int		 family;
	int		 protocol;	/* -1 = any */
	unsigned int	 roles;
	int		 stream;	/* SOCK_STREAM only */
} sc_socket[] = {
	{ AF_UNIX, -1, R_ALL, 0 },
	{ AF_INET, -1, R_BROKER, 0 },
	{ AF_INET6, -1, R_BROKER, 0 },
	{ AF_NETLINK, NETLINK_ROUTE, R_BROKER, 0 },
	{ AF_INET, -1, R_WEB_TCP, 1 },
	{ AF_INET6, -1, R_WEB_TCP, 1 },
	{ 0, 0, 0, 0 }
};

/* Terminal queries from stdio, and socket bytes pending. */
static const unsigned long sc_ioctls[] = {
	FIONREAD, FIONBIO, TCGETS, TIOCGWINSZ, 0
};

#define SC_NR_MAX	512
#define SC_NAME_MAX	28
static char	 sc_names[SC_NR_MAX][SC_NAME_MAX];
static int	 sc_log_fd = -1;

static int
sc_add(scmp_filter_ctx ctx, int nr, const struct sc_rule *r,
    unsigned int role)
{
	struct scmp_arg_cmp	 cmp[2];
	int			 i, rv;

	switch (r->check) {
	case SC_ANY:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	case SC_ENOSYS:
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
	case SC_THREAD:
		cmp[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD,
		    CLONE_THREAD);
#ifdef SC_SANITIZER
		/* LeakSanitizer's tracer shares memory, untraced; fork does not. */
		cmp[1] = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_VM | CLONE_UNTRACED,
		    CLONE_VM | CLONE_UNTRACED);
		if ((rv = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1,
		    &cmp[1])) != 0)
			return rv;
#endif
		return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, cmp);
	case SC_OPEN_RO:
		/* openat's flags are its third argument, open's its second. */
		cmp[0] = SCMP_A0(SCMP_CMP_MASKED_EQ,
		    O_WRONLY | O_RDWR | O_CREAT | O_TRUNC, 0);
		cmp[1] = SCMP_A0(SCMP_CMP_MASKED_EQ,
		    O_WRONLY | O_RDWR | O_APPEND | O_TRUNC, O_WRONLY | O_APPEND);
		cmp[0].arg = cmp[1].arg = strcmp(r->name, "openat") == 0 ? 2 : 1;
		if ((rv = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1,
		    &cmp[1])) != 0)
			return rv;
		return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, cmp);
	case SC_GETONLY:
		cmp[0] = SCMP_A2(SCMP_CMP_EQ, 0);
		return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, cmp);
	case SC_SELF:
		cmp[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid());
		return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, cmp);
	case SC_NAME:
		cmp[0] = SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME);
		if ((rv = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1,
		    cmp)) != 0)
			return rv;
		cmp[0] = SCMP_A0(SCMP_CMP_EQ, PR_GET_NAME);
		return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, cmp);
	case SC_IOCTL:
		for (i = 0; sc_ioctls[i] != 0; i++) {
			cmp[0] = SCMP_A1(SCMP_CMP_EQ, sc_ioctls[i]);
			if ((rv = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW,
			    nr, 1, cmp)) != 0)
				return rv;
		}
		return 0;
	case SC_SOCKET:
		for (i = 0; sc_socket[i].family != 0; i++) {
			if ((sc_socket[i].roles & role) == 0)
				continue;
			cmp[0] = SCMP_A0(SCMP_CMP_EQ,
			    (scmp_datum_t)sc_socket[i].family);
			cmp[1] = SCMP_A2(SCMP_CMP_EQ,
			    (scmp_datum_t)sc_socket[i].protocol);
			if (sc_socket[i].stream)
				cmp[1] = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf,
				    SOCK_STREAM);
			if ((rv = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW,
			    nr, sc_socket[i].protocol == -1 &&
			    !sc_socket[i].stream ? 1 : 2, cmp)) != 0)
				return rv;
		}
		return 0;
	}
	return -EINVAL;
}

static int
sc_build(scmp_filter_ctx ctx, enum sandbox_role role, char *errstr,
    size_t len)
{
	const struct sc_rule	*r;
	unsigned int		 bit = 1U << role;
	int			 nr, rv;

	for (r = sc_rules; r->name != NULL; r++) {
		if ((r->roles & bit) == 0)
			continue;
		/* A call this architecture lacks needs no rule. */
		if ((nr = seccomp_syscall_resolve_name(r->name)) ==
		    __NR_SCMP_ERROR)
			continue;
		if ((rv = sc_add(ctx, nr, r, bit)) != 0) {
			snprintf(errstr, len, "seccomp: rule for %s: %s",
			    r->name, strerror(-rv));
			return -1;
		}
	}
	return 0;
}

/* Async-signal-safe appends for the SIGSYS report. */
static size_t
sc_put(char *buf, size_t off, size_t size, const char *s)
{
	while (*s != '\0' && off + 1 < size)
		buf[off++] = *s++;
	return off;
}

static size_t
sc_put_num(char *buf, size_t off, size_t size, unsigned int n)
{
	char	 tmp[12];
	size_t	 i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0 && i > 0);
	return sc_put(buf, off, size, tmp + i);
}

static void
sc_sigsys(int sig, siginfo_t *si, void *ctx)
{
	char		 msg[192];
	const char	*name = "unknown";
	unsigned int	 nr = (unsigned int)si->si_syscall;
	size_t		 n, start;

	(void)sig;
	(void)ctx;
	if (nr < SC_NR_MAX && sc_names[nr][0] != '\0')
		name = sc_names[nr];
	n = start = sc_put(msg, 0, sizeof(msg), "<27>");	/* daemon.err */
	n = sc_put(msg, n, sizeof(msg), program_invocation_short_name);
	n = sc_put(msg, n, sizeof(msg), ": sandbox: forbidden system call ");
	n = sc_put(msg, n, sizeof(msg), name);
	n = sc_put(msg, n, sizeof(msg), " (");
	n = sc_put_num(msg, n, sizeof(msg), nr);
	n = sc_put(msg, n, sizeof(msg), ")\n");
	(void)!write(STDERR_FILENO, msg + start, n - start);
	if (sc_log_fd != -1)
		(void)!send(sc_log_fd, msg, n - 1, MSG_DONTWAIT);
	_exit(SANDBOX_EXIT_DEBUG);
}

/* Debug mode: names for the handler, a syslog socket, the handler. */
static int
sc_debug_init(char *errstr, size_t len)
{
	struct sigaction	 sa = { 0 };
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	char			*name;
	int			 nr;

	for (nr = 0; nr < SC_NR_MAX; nr++) {
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (name != NULL)
			lg_strlcpy(sc_names[nr], name, SC_NAME_MAX);
		free(name);
	}
	if (sc_log_fd == -1 && (sc_log_fd = socket(AF_UNIX,
	    SOCK_DGRAM | SOCK_CLOEXEC, 0)) != -1) {
		lg_strlcpy(sun.sun_path, "/dev/log", sizeof(sun.sun_path));
		if (connect(sc_log_fd, (struct sockaddr *)&sun,
		    sizeof(sun)) == -1) {
			close(sc_log_fd);
			sc_log_fd = -1;
		}
	}
	sa.sa_sigaction = sc_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) == -1) {
		snprintf(errstr, len, "seccomp: SIGSYS: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Loads role's filter into every thread of the process, with
 * no_new_privs set.  debug traps and names a forbidden call instead of
 * killing.  Returns 0, or -1 with errstr (nothing loaded).
 */
int
sandbox_seccomp(enum sandbox_role role, int debug, char *errstr, size_t len)
{
	scmp_filter_ctx	 ctx;
	int		 rv;

	if (debug && sc_debug_init(errstr, len) == -1)
		return -1;
	if ((ctx = seccomp_init(debug ? SCMP_ACT_TRAP :
	    SCMP_ACT_KILL_PROCESS)) == NULL) {
		snprintf(errstr, len, "seccomp: cannot initialise");
		return -1;
	}
	if ((rv = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) != 0 ||
	    (rv = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) != 0) {
		snprintf(errstr, len, "seccomp: attributes: %s",
		    strerror(-rv));
		goto fail;
	}
	if (sc_build(ctx, role, errstr, len) == -1)
		goto fail;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(errstr, len, "seccomp: no_new_privs: %s",
		    strerror(errno));
		goto fail;
	}
	if ((rv = seccomp_load(ctx)) != 0) {
		snprintf(errstr, len, "seccomp: load: %s", strerror(-rv));
		goto fail;
	}
	seccomp_release(ctx);
	return 0;
 fail:
	seccomp_release(ctx);
	return -1;
}

/*
 * The prober's filter, inherited by every program it runs (ping, mtr,
 * birdc...), whose needs differ too much for an allow-list: default
 * allow, and EPERM for the kernel's administration and attack surface
 * that none of them needs: tracing other processes, mounts and
 * namespaces, BPF, keyrings, modules, io_uring, userfaultfd, the clock.
 */
static const char *const sc_child_denied[] = {
#ifndef SC_SANITIZER
	"ptrace",
#endif
	"process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
	"mount", "umount2", "pivot_root", "chroot", "mount_setattr",
	"move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick",
	"unshare", "setns", "bpf", "perf_event_open", "userfaultfd",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"add_key", "request_key", "keyctl",
	"init_module", "finit_module", "delete_module", "kexec_load",
	"kexec_file_load", "reboot", "swapon", "swapoff", "acct", "quotactl",
	"settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
	"open_by_handle_at", "name_to_handle_at", "syslog", "vhangup",
	"iopl", "ioperm", "uselib", "personality",
	NULL
};

/* clone's flags that would make a namespace: one rule each. */
static const uint64_t sc_child_clone_ns[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, 0
};

static int
sc_child_build(scmp_filter_ctx ctx, char *errstr, size_t len)
{
	const char *const	*n;
	const uint64_t		*f;
	int			 nr, rv;

	for (n = sc_child_denied; *n != NULL; n++) {
		if ((nr = seccomp_syscall_resolve_name(*n)) == __NR_SCMP_ERROR)
			continue;
		if ((rv = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr,
		    0)) != 0)
			goto fail;
	}
	nr = SCMP_SYS(clone);
	for (f = sc_child_clone_ns; *f != 0; f++)
		if ((rv = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1,
		    SCMP_A0(SCMP_CMP_MASKED_EQ, *f, *f))) != 0)
			goto fail;
	/* clone3's flags are out of a filter's reach: glibc falls back. */
	if ((rv = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(clone3), 0)) != 0)
		goto fail;
	return 0;
 fail:
	snprintf(errstr, len, "seccomp: prober rule %s: %s",
	    *n != NULL ? *n : "clone", strerror(-rv));
	return -1;
}

/* Loads the prober's filter; 0, or -1 with errstr (nothing loaded). */
int
sandbox_seccomp_prober(char *errstr, size_t len)
{
	scmp_filter_ctx	 ctx;
	int		 rv;

	errstr[0] = '\0';
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL) {
		snprintf(errstr, len, "seccomp: cannot initialise");
		return -1;
	}
	if ((rv = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) != 0)
		snprintf(errstr, len, "seccomp: attributes: %s",
		    strerror(-rv));
	else if (sc_child_build(ctx, errstr, len) == 0 &&
	    (rv = seccomp_load(ctx)) != 0)
		snprintf(errstr, len, "seccomp: load: %s", strerror(-rv));
	seccomp_release(ctx);
	return errstr[0] == '\0' ? 0 : -1;
}
