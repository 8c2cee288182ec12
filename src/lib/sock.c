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
 * Socket plumbing shared by the three programs: the broker's listening
 * Unix sockets (public and admin), the front's and lgctl's connection to
 * them, peer credentials for the admin socket, and the non-blocking TCP
 * connect the broker starts towards a router.  Like every leaf module it
 * reports through an errstr buffer and leaves logging to its caller.
 *
 * Nothing here looks a name up: the broker takes a literal router
 * address with sock_addr_numeric, looks names up on its resolver threads
 * (resolve.c), and connects with sock_connect_addr_nb from the event loop.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"

#define SOCK_GRBUF_SIZE		16384

static int	 sock_error(char *, size_t, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

/* Fills errstr (which may be NULL) and returns -1, for one-line exits. */
static int
sock_error(char *errstr, size_t errlen, const char *fmt, ...)
{
	va_list		 ap;

	if (errstr != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(errstr, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int
sock_set_nonblock(int fd, int on)
{
	int		 flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		return -1;
	flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, flags) == -1 ? -1 : 0;
}

int
sock_peer_cred(int fd, uid_t *uid, gid_t *gid, pid_t *pid)
{
	struct ucred	 uc;
	socklen_t	 len = sizeof(uc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
		return -1;
	if (uid != NULL)
		*uid = uc.uid;
	if (gid != NULL)
		*gid = uc.gid;
	if (pid != NULL)
		*pid = uc.pid;
	return 0;
}

/* A path that does not fit sun_path would be silently cut by the kernel. */
static int
sock_unix_addr(const char *path, struct sockaddr_un *sun, char *errstr,
    size_t errlen)
{
	size_t		 len;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	len = strlen(path);
	if (len == 0)
		return sock_error(errstr, errlen, "empty socket path");
	if (len >= sizeof(sun->sun_path))
		return sock_error(errstr, errlen, "socket path %s is too long "
		    "(%zu bytes, at most %zu)", path, len,
		    sizeof(sun->sun_path) - 1);
	memcpy(sun->sun_path, path, len + 1);
	return 0;
}

/* A group by name, or by number when no group has that name. */
static int
sock_group(const char *name, gid_t *gid, char *errstr, size_t errlen)
{
	struct group	 gr, *res = NULL;
	char		 buf[SOCK_GRBUF_SIZE], *end;
	unsigned long	 n;
	int		 rv;

	rv = getgrnam_r(name, &gr, buf, sizeof(buf), &res);
	if (rv == 0 && res != NULL) {
		*gid = res->gr_gid;
		return 0;
	}
	errno = 0;
	n = strtoul(name, &end, 10);
	if (*name != '\0' && *end == '\0' && errno == 0 && n < UINT_MAX) {
		*gid = (gid_t)n;
		return 0;
	}
	return sock_error(errstr, errlen, "socket group %s: %s", name,
	    rv != 0 ? strerror(rv) : "no such group");
}

/*
 * Removes a socket left by a process that died, and nothing else: a file
 * that is not a socket, or a socket something still answers on, is an
 * error.  Only a refused connection proves the socket is stale.
 */
static int
sock_clear_stale(const struct sockaddr_un *sun, char *errstr, size_t errlen)
{
	struct stat	 st;
	int		 fd, rv, saved;

	if (lstat(sun->sun_path, &st) == -1)
		return errno == ENOENT ? 0 : sock_error(errstr, errlen,
		    "%s: %s", sun->sun_path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return sock_error(errstr, errlen, "%s exists and is not a "
		    "socket; not removing it", sun->sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return sock_error(errstr, errlen, "socket: %s",
		    strerror(errno));
	rv = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	saved = errno;
	close(fd);
	if (rv == 0 || saved == EAGAIN || saved == EINPROGRESS)
		return sock_error(errstr, errlen, "%s is in use by a running "
		    "process", sun->sun_path);
	if (saved != ECONNREFUSED && saved != ENOENT)
		return sock_error(errstr, errlen, "%s: %s", sun->sun_path,
		    strerror(saved));
	if (unlink(sun->sun_path) == -1 && errno != ENOENT)
		return sock_error(errstr, errlen, "unlink %s: %s",
		    sun->sun_path, strerror(errno));
	return 0;
}

/*
 * Binds under a umask that leaves the socket owner-only, so it is never
 * reachable with looser permissions than asked, then sets the group and
 * the mode.  The umask is process-wide: call this before starting threads.
 */
static int
sock_bind_unix(int fd, const struct sockaddr_un *sun, mode_t mode,
    const gid_t *gid, char *errstr, size_t errlen)
{
	mode_t		 old;
	int		 rv;

	old = umask(S_IXUSR | S_IRWXG | S_IRWXO);
	rv = bind(fd, (const struct sockaddr *)sun, sizeof(*sun));
	umask(old);
	if (rv == -1)
		return sock_error(errstr, errlen, "bind %s: %s",
		    sun->sun_path, strerror(errno));
	if (gid != NULL && chown(sun->sun_path, (uid_t)-1, *gid) == -1)
		goto fail;
	if (chmod(sun->sun_path, mode) == -1)
		goto fail;
	return 0;
fail:
	sock_error(errstr, errlen, "%s %s: %s", gid != NULL ? "chown/chmod" :
	    "chmod", sun->sun_path, strerror(errno));
	unlink(sun->sun_path);
	return -1;
}

int
sock_listen_unix(const char *path, mode_t mode, const char *group,
    char *errstr, size_t errlen)
{
	struct sockaddr_un	 sun;
	gid_t			 gid;
	int			 fd;

	if (sock_unix_addr(path, &sun, errstr, errlen) == -1)
		return -1;
	if (group != NULL && sock_group(group, &gid, errstr, errlen) == -1)
		return -1;
	if (sock_clear_stale(&sun, errstr, errlen) == -1)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return sock_error(errstr, errlen, "socket: %s",
		    strerror(errno));
	if (sock_bind_unix(fd, &sun, mode, group != NULL ? &gid : NULL,
	    errstr, errlen) == -1) {
		close(fd);
		return -1;
	}
	if (listen(fd, SOMAXCONN) == -1) {
		sock_error(errstr, errlen, "listen %s: %s", path,
		    strerror(errno));
		unlink(path);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A Unix stream connect blocks only while the listener's backlog is full;
 * SO_SNDTIMEO bounds that wait (Linux applies it to connect) and is
 * cleared afterwards so later writes are not cut short.
 */
int
sock_connect_unix(const char *path, int timeout_ms, char *errstr,
    size_t errlen)
{
	struct sockaddr_un	 sun;
	struct timeval		 tv = { 0 };
	int			 fd;

	if (sock_unix_addr(path, &sun, errstr, errlen) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return sock_error(errstr, errlen, "socket: %s",
		    strerror(errno));
	if (timeout_ms >= 0) {
		tv.tv_sec = timeout_ms / 1000;
		tv.tv_usec = (timeout_ms % 1000) * 1000;
		if (timeout_ms == 0)
			tv.tv_usec = 1;
	}
	if (timeout_ms >= 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1)
		goto fail;
	if (connect(fd, (const struct sockaddr *)&sun, sizeof(sun)) == -1)
		goto fail;
	tv.tv_sec = tv.tv_usec = 0;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1)
		goto fail;
	return fd;
fail:
	sock_error(errstr, errlen, "connect %s: %s", path,
	    errno == EAGAIN ? "timed out" : strerror(errno));
	close(fd);
	return -1;
}

/*
 * A literal IPv4 or IPv6 address and a port, without any lookup (so it
 * never blocks).  Returns 0, or -1 when host is not an address.
 */
int
sock_addr_numeric(const char *host, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *sslen)
{
	struct addrinfo		 hints = { 0 }, *res;
	char			 serv[8];

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(serv, sizeof(serv), "%u", (unsigned int)port);
	if (getaddrinfo(host, serv, &hints, &res) != 0)
		return -1;
	if (res->ai_addrlen > sizeof(*ss)) {
		freeaddrinfo(res);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* "198.18.0.1 port 22", for messages. */
static void
sock_addr_str(const struct sockaddr *sa, socklen_t salen, char *out,
    size_t outlen)
{
	char		 host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo(sa, salen, host, sizeof(host), serv, sizeof(serv),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		lg_strlcpy(out, "(unprintable address)", outlen);
	else
		snprintf(out, outlen, "%s port %s", host, serv);
}

/*
 * Starts a connect without waiting.  Router sessions carry short
 * interactive writes, a command line at a time, so Nagle is turned off:
 * it would hold each command back for the previous answer's ACK.
 */
int
sock_connect_addr_nb(const struct sockaddr *sa, socklen_t salen, int *fdp,
    char *errstr, size_t errlen)
{
	char		 addr[NI_MAXHOST + NI_MAXSERV + 8];
	int		 fd, one = 1, saved;

	*fdp = -1;
	/* No address at all (a zeroed one) is a caller's bug, not a socket. */
	if (salen == 0 || (sa->sa_family != AF_INET &&
	    sa->sa_family != AF_INET6 && sa->sa_family != AF_UNIX))
		return sock_error(errstr, errlen, "connect: no address to "
		    "connect to");
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1)
		return sock_error(errstr, errlen, "socket: %s",
		    strerror(errno));
	if ((sa->sa_family == AF_INET || sa->sa_family == AF_INET6) &&
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		goto fail;
	if (connect(fd, sa, salen) == 0) {
		*fdp = fd;
		return 0;
	}
	if (errno == EINPROGRESS) {
		*fdp = fd;
		return 1;
	}
fail:
	saved = errno;
	sock_addr_str(sa, salen, addr, sizeof(addr));
	sock_error(errstr, errlen, "connect %s: %s", addr, strerror(saved));
	close(fd);
	return -1;
}

/* After POLLOUT on a connect in progress: 0 connected, -1 with reason. */
int
sock_connect_finish(int fd, char *errstr, size_t errlen)
{
	int		 err = 0;
	socklen_t	 len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		return sock_error(errstr, errlen, "getsockopt: %s",
		    strerror(errno));
	if (err != 0)
		return sock_error(errstr, errlen, "connect: %s",
		    strerror(err));
	return 0;
}

int
sock_parse_addr(const char *v, struct sockaddr_storage *ss, socklen_t *sslen)
{
	char		 host[INET6_ADDRSTRLEN];
	const char	*colon, *end;
	char		*ep;
	unsigned long	 port;
	size_t		 len;

	if ((colon = strrchr(v, ':')) == NULL)
		return -1;
	end = colon;
	if (v[0] == '[') {
		if (colon == v || colon[-1] != ']')
			return -1;
		v++;
		end = colon - 1;
	}
	if (end <= v || (len = (size_t)(end - v)) >= sizeof(host))
		return -1;
	memcpy(host, v, len);
	host[len] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &ep, 10);
	if (colon[1] < '0' || colon[1] > '9' || *ep != '\0' || errno != 0 ||
	    port == 0 || port > 65535)
		return -1;
	return sock_addr_numeric(host, (uint16_t)port, ss, sslen);
}

int
sock_listen_tcp(const char *v, char *errstr, size_t errlen)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 fd, one = 1;

	if (sock_parse_addr(v, &ss, &len) == -1)
		return sock_error(errstr, errlen, "%s: not ADDRESS:PORT", v);
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return sock_error(errstr, errlen, "socket: %s",
		    strerror(errno));
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, SOMAXCONN) == -1) {
		sock_error(errstr, errlen, "listen %s: %s", v,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
