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

#ifndef LG_SANDBOX_H
#define LG_SANDBOX_H

#include "lg.h"

/*
 * sandbox.c, sandbox_landlock.c, sandbox_seccomp.c: privilege separation
 * and confinement for the daemons, in this order once sockets are bound:
 * sandbox_user_lookup (needs /etc/passwd), sandbox_landlock (before any
 * thread that must be confined is created: Landlock binds one thread and
 * its future children), sandbox_drop_privileges, sandbox_limits and last
 * sandbox_seccomp (synchronised to every thread).  All fill errstr and
 * never log.  LG_SANDBOX_DEBUG=1 in the environment makes a forbidden
 * system call print its name and exit instead of killing silently.
 */
#define SANDBOX_GROUPS_MAX	64
#define SANDBOX_EXIT_DEBUG	159	/* 128 + SIGSYS, debug mode only */
enum sandbox_role {
	SANDBOX_WEB = 0,	/* lgwebd: Unix sockets, read-only files */
	SANDBOX_BROKER,		/* lgbrokerd: plus TCP, DNS, file writes */
	SANDBOX_WEB_TCP		/* lgwebd: plus TCP to web.store, TLS brokers */
};
struct sandbox_user {
	char			 name[LG_NAME_MAX];	/* "" = stay */
	uid_t			 uid;
	gid_t			 gid;
	gid_t			 groups[SANDBOX_GROUPS_MAX];
	int			 ngroups;
};
struct sandbox_limits {
	uint64_t		 nofile;	/* descriptors */
	uint64_t		 nproc;		/* tasks of the user (threads) */
	uint64_t		 fsize;		/* largest file written, bytes */
};
#define SANDBOX_LL_NO_TCP_BIND		0x01
#define SANDBOX_LL_NO_TCP_CONNECT	0x02
#define SANDBOX_LL_ABSTRACT_UNIX	0x04	/* e.g. NOTIFY_SOCKET=@... */
/* With SANDBOX_LL_NO_TCP_CONNECT: but for this port (web.store). */
int	 sandbox_user_lookup(const char *, struct sandbox_user *, char *,
	    size_t);
int	 sandbox_drop_privileges(const struct sandbox_user *, char *, size_t);
int	 sandbox_limits(const struct sandbox_limits *, char *, size_t);
int	 sandbox_threads(void);		/* this process's, or -1 */
int	 sandbox_debug_env(void);	/* LG_SANDBOX_DEBUG set and not "0" */
/* 0 enforced, or 0 with errstr set: unsupported, the warning to log. */
int	 sandbox_landlock(const char *const *, const char *const *,
	    unsigned int, char *, size_t);
/* The same, keeping TCP connect to a 0-terminated list of ports. */
int	 sandbox_landlock_net(const char *const *, const char *const *,
	    unsigned int, const uint16_t *, char *, size_t);
int	 sandbox_seccomp(enum sandbox_role, int, char *, size_t);
/* The prober's (lgbrokerd/prober.c), which the programs it runs inherit. */
int	 sandbox_landlock_exec(const char *const *, const char *const *,
	    char *, size_t);
int	 sandbox_seccomp_prober(char *, size_t);
/*
 * sandbox_policy.c: each daemon's paths, limits, user and filter from its
 * configuration; these log, and -1 means the daemon must stop.
 * lgwebd: _files before libmicrohttpd's threads, _enter once bound.
 */
struct lg_credentials;
int	 sandbox_web_files(const struct lg_config *);
int	 sandbox_web_enter(const struct lg_config *);
int	 sandbox_broker_enter(const struct lg_config *,
	    const struct lg_credentials *);

#endif /* LG_SANDBOX_H */
