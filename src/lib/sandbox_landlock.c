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
 * Landlock: the file system a daemon may still open once set up.  The
 * caller names read-only and read-write paths (files or directories); a
 * directory covers everything beneath it, which is what lets a reload
 * read a file an editor replaced (a new inode).  Every access right the
 * running kernel knows is handled, so anything not granted is refused,
 * and with ABI 6 the process can no longer reach abstract Unix sockets or
 * signal processes outside its domain.  The ruleset binds the calling
 * thread and the threads it creates later: call it before starting any
 * thread that must be confined.  Descriptors already open stay usable.
 * Kernels without Landlock get no restriction and a warning in errstr.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/landlock.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "lg_sandbox.h"

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER		(1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE		(1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV		(1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP		(1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP		(1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL			(1ULL << 1)
#endif

/* The kernel's landlock_net_port_attr (ABI 4), as older headers lack it. */
struct sandbox_ll_port {
	uint64_t	allowed_access;
	uint64_t	port;
} __attribute__((__packed__));
#define SANDBOX_LL_RULE_NET_PORT	2

/*
 * The ruleset attribute as of ABI 6; the kernel takes a prefix of it, so
 * the size passed shrinks with the ABI (older kernels reject unknown
 * trailing fields only when they are non-zero).
 */
struct sandbox_ll_attr {
	uint64_t	 handled_access_fs;
	uint64_t	 handled_access_net;
	uint64_t	 scoped;
};

/* What each ABI version can handle, cumulative. */
static const struct {
	int		 abi;
	uint64_t	 fs;
	uint64_t	 net;
	uint64_t	 scoped;
} ll_abi[] = {
	{ 1, (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1, 0, 0 },
	{ 2, LANDLOCK_ACCESS_FS_REFER, 0, 0 },
	{ 3, LANDLOCK_ACCESS_FS_TRUNCATE, 0, 0 },
	{ 4, 0, LANDLOCK_ACCESS_NET_BIND_TCP |
	    LANDLOCK_ACCESS_NET_CONNECT_TCP, 0 },
	{ 5, LANDLOCK_ACCESS_FS_IOCTL_DEV, 0, 0 },
	{ 6, 0, 0, LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
	    LANDLOCK_SCOPE_SIGNAL },
	{ 0, 0, 0, 0 }
};

#define LL_FILE_RO	(LANDLOCK_ACCESS_FS_READ_FILE)
#define LL_DIR_RO	(LL_FILE_RO | LANDLOCK_ACCESS_FS_READ_DIR)
#define LL_FILE_RW	(LL_FILE_RO | LANDLOCK_ACCESS_FS_WRITE_FILE | \
			    LANDLOCK_ACCESS_FS_TRUNCATE)
#define LL_DIR_RW	(LL_DIR_RO | LL_FILE_RW | \
			    LANDLOCK_ACCESS_FS_MAKE_REG | \
			    LANDLOCK_ACCESS_FS_REMOVE_FILE)

static int
ll_create_ruleset(const struct sandbox_ll_attr *a, size_t size,
    uint32_t flags)
{
	return (int)syscall(SYS_landlock_create_ruleset, a, size, flags);
}

/* The kernel's Landlock ABI version, 0 if it has none. */
static int
ll_abi_version(void)
{
	int	 v;

	v = ll_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return v < 0 ? 0 : v;
}

/* Grants rights (masked to what is handled) on path, if it exists. */
static int
ll_add_path(int rfd, const char *path, uint64_t dir_rights,
    uint64_t file_rights, uint64_t handled, char *errstr, size_t len)
{
	struct landlock_path_beneath_attr pb = { 0 };
	struct stat	 st;
	int		 fd, rv;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1) {
		/* A file that is not there yet cannot be opened either. */
		if (errno == ENOENT)
			return 0;
		snprintf(errstr, len, "landlock: %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(errstr, len, "landlock: %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	pb.parent_fd = fd;
	pb.allowed_access = (S_ISDIR(st.st_mode) ? dir_rights : file_rights) &
	    handled;
	rv = (int)syscall(SYS_landlock_add_rule, rfd,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	if (rv == -1)
		snprintf(errstr, len, "landlock: rule for %s: %s", path,
		    strerror(errno));
	close(fd);
	return rv;
}

static int
ll_add_paths(int rfd, const char *const *paths, uint64_t dir_rights,
    uint64_t file_rights, uint64_t handled, char *errstr, size_t len)
{
	for (; paths != NULL && *paths != NULL; paths++) {
		if ((*paths)[0] == '\0')
			continue;
		if (ll_add_path(rfd, *paths, dir_rights, file_rights, handled,
		    errstr, len) == -1)
			return -1;
	}
	return 0;
}

/*
 * The attribute handling every right the kernel's ABI knows, and the
 * size of it that ABI takes; abi is 0 when the kernel has no Landlock.
 */
static size_t
ll_attr(struct sandbox_ll_attr *a, int *abi)
{
	int	 i;

	memset(a, 0, sizeof(*a));
	if ((*abi = ll_abi_version()) == 0)
		return 0;
	for (i = 0; ll_abi[i].abi != 0 && ll_abi[i].abi <= *abi; i++) {
		a->handled_access_fs |= ll_abi[i].fs;
		a->handled_access_net |= ll_abi[i].net;
		a->scoped |= ll_abi[i].scoped;
	}
	if (*abi < 4)
		return offsetof(struct sandbox_ll_attr, handled_access_net);
	if (*abi < 6)
		return offsetof(struct sandbox_ll_attr, scoped);
	return sizeof(*a);
}

static int
ll_no_landlock(char *errstr, size_t len)
{
	snprintf(errstr, len, "Landlock not supported by this kernel (%s): "
	    "file access not restricted", strerror(errno));
	return 0;
}

/* Binds the calling thread to the ruleset rfd, and closes it. */
static int
ll_enforce(int rfd, char *errstr, size_t len)
{
	int	 rv = 0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    syscall(SYS_landlock_restrict_self, rfd, 0) == -1) {
		snprintf(errstr, len, "landlock: restrict: %s",
		    strerror(errno));
		rv = -1;
	}
	close(rfd);
	return rv;
}

/*
 * Confines file access to ro (read) and rw (read, write, create and
 * remove files beneath a directory).  flags may also take TCP bind and
 * connect away (ABI 4), but for connect to the one port that
 * SANDBOX_LL_CONNECT_PORT(port) names; SANDBOX_LL_ABSTRACT_UNIX leaves abstract Unix
 * sockets outside the domain reachable (ABI 6 scopes them).  Returns 0
 * when enforced; 0 with a warning in errstr when the kernel has no
 * Landlock; -1 with errstr on failure.
 */
int
sandbox_landlock(const char *const *ro, const char *const *rw,
    unsigned int flags, char *errstr, size_t len)
{
	return sandbox_landlock_net(ro, rw, flags, NULL, errstr, len);
}

/* TCP connect to each port of the list (0-terminated), when handled. */
static int
ll_add_ports(int rfd, const uint16_t *ports, uint64_t handled, char *errstr,
    size_t len)
{
	struct sandbox_ll_port	 np = { 0 };

	if (!(handled & LANDLOCK_ACCESS_NET_CONNECT_TCP))
		return 0;
	for (; ports != NULL && *ports != 0; ports++) {
		np.allowed_access = LANDLOCK_ACCESS_NET_CONNECT_TCP;
		np.port = *ports;
		if (syscall(SYS_landlock_add_rule, rfd, SANDBOX_LL_RULE_NET_PORT,
		    &np, 0) == -1) {
			snprintf(errstr, len, "landlock: rule for TCP port "
			    "%u: %s", (unsigned int)*ports, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * The same, and with SANDBOX_LL_NO_TCP_CONNECT the TCP ports that stay
 * reachable (web.brokers over TLS), a list ending in 0.
 */
int
sandbox_landlock_net(const char *const *ro, const char *const *rw,
    unsigned int flags, const uint16_t *ports, char *errstr, size_t len)
{
	struct sandbox_ll_attr	 a;
	size_t			 size;
	int			 abi, rfd;

	errstr[0] = '\0';
	if ((size = ll_attr(&a, &abi)) == 0)
		return ll_no_landlock(errstr, len);
	if (flags & SANDBOX_LL_ABSTRACT_UNIX)
		a.scoped &= ~(uint64_t)LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
	a.handled_access_net &=
	    ((flags & SANDBOX_LL_NO_TCP_BIND) ? LANDLOCK_ACCESS_NET_BIND_TCP :
	    0) | ((flags & SANDBOX_LL_NO_TCP_CONNECT) ?
	    LANDLOCK_ACCESS_NET_CONNECT_TCP : 0);
	if ((rfd = ll_create_ruleset(&a, size, 0)) == -1) {
		snprintf(errstr, len, "landlock: ruleset: %s", strerror(errno));
		return -1;
	}
	if (ll_add_paths(rfd, ro, LL_DIR_RO, LL_FILE_RO, a.handled_access_fs,
	    errstr, len) == -1 ||
	    ll_add_paths(rfd, rw, LL_DIR_RW, LL_FILE_RW, a.handled_access_fs,
	    errstr, len) == -1 ||
	    ll_add_ports(rfd, ports, a.handled_access_net, errstr, len) == -1) {
		close(rfd);
		return -1;
	}
	return ll_enforce(rfd, errstr, len);
}

/*
 * The prober's domain, which its children inherit: they read what they
 * like, but execute only the files in exec, write only the files in wr,
 * create, remove, rename or link nothing, bind no TCP port, and reach no
 * abstract Unix socket nor signal any process outside the domain.  The
 * return as for sandbox_landlock.
 */
int
sandbox_landlock_exec(const char *const *exec, const char *const *wr,
    char *errstr, size_t len)
{
	struct sandbox_ll_attr	 a;
	size_t			 size;
	int			 abi, rfd;

	errstr[0] = '\0';
	if ((size = ll_attr(&a, &abi)) == 0)
		return ll_no_landlock(errstr, len);
	a.handled_access_fs &= ~(uint64_t)(LANDLOCK_ACCESS_FS_READ_FILE |
	    LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_IOCTL_DEV);
	a.handled_access_net &= LANDLOCK_ACCESS_NET_BIND_TCP;
	if ((rfd = ll_create_ruleset(&a, size, 0)) == -1) {
		snprintf(errstr, len, "landlock: ruleset: %s", strerror(errno));
		return -1;
	}
	if (ll_add_paths(rfd, exec, 0, LANDLOCK_ACCESS_FS_EXECUTE,
	    a.handled_access_fs, errstr, len) == -1 ||
	    ll_add_paths(rfd, wr, 0, LANDLOCK_ACCESS_FS_WRITE_FILE |
	    LANDLOCK_ACCESS_FS_TRUNCATE, a.handled_access_fs, errstr,
	    len) == -1) {
		close(rfd);
		return -1;
	}
	return ll_enforce(rfd, errstr, len);
}
