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
 * Unit tests of src/lib/sock.c on real sockets in a private temporary
 * directory: listen, connect and peer credentials over a Unix socket, the
 * mode and group applied, a stale socket replaced, a live one, a plain file
 * and an over-long path refused with a message, the connect timeout, and
 * the non-blocking TCP connect on loopback.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <setjmp.h>
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

static char	 dir[64];
static char	 path[LG_PATH_MAX];
static char	 err[256];

static int
setup(void **state)
{
	(void)state;
	lg_strlcpy(dir, "/tmp/lg-test-sock.XXXXXX", sizeof(dir));
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/lg.sock", dir);
	err[0] = '\0';
	return 0;
}

static int
teardown(void **state)
{
	char	 p[LG_PATH_MAX];

	(void)state;
	unlink(path);
	snprintf(p, sizeof(p), "%s/%s", dir, "dir");
	rmdir(p);
	return rmdir(dir);
}

static int
accept_one(int lfd)
{
	struct pollfd	 pfd = { .fd = lfd, .events = POLLIN };

	assert_int_equal(poll(&pfd, 1, 2000), 1);
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

static void
assert_flags(int fd, int nonblock)
{
	int	 fl = fcntl(fd, F_GETFL), fd_fl = fcntl(fd, F_GETFD);

	assert_true(fl != -1 && fd_fl != -1);
	assert_int_equal((fl & O_NONBLOCK) != 0, nonblock);
	assert_true(fd_fl & FD_CLOEXEC);
}

static void
test_listen_connect_cred(void **state)
{
	struct stat	 st;
	uid_t		 uid;
	gid_t		 gid;
	pid_t		 pid;
	mode_t		 mask;
	char		 c;
	int		 lfd, cfd, afd;

	(void)state;
	mask = umask(022);
	lfd = sock_listen_unix(path, 0660, NULL, err, sizeof(err));
	assert_true(lfd >= 0);
	assert_int_equal(umask(mask), 022);	/* restored after bind */
	assert_flags(lfd, 1);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0660);

	cfd = sock_connect_unix(path, 1000, err, sizeof(err));
	assert_true(cfd >= 0);
	assert_flags(cfd, 0);
	afd = accept_one(lfd);
	assert_true(afd >= 0);
	assert_int_equal(sock_peer_cred(afd, &uid, &gid, &pid), 0);
	assert_int_equal(uid, getuid());
	assert_int_equal(gid, getgid());
	assert_int_equal(pid, getpid());
	assert_int_equal(sock_peer_cred(afd, NULL, NULL, NULL), 0);
	assert_int_equal(write(cfd, "x", 1), 1);
	assert_int_equal(read(afd, &c, 1), 1);
	assert_int_equal(c, 'x');
	close(afd);
	close(cfd);
	close(lfd);
	assert_int_equal(sock_peer_cred(-1, &uid, &gid, &pid), -1);
}

static void
test_mode_and_group(void **state)
{
	struct stat	 st;
	struct group	*gr;
	char		 name[64];
	int		 lfd;

	(void)state;
	assert_non_null(gr = getgrgid(getegid()));
	lg_strlcpy(name, gr->gr_name, sizeof(name));
	lfd = sock_listen_unix(path, 0600, name, err, sizeof(err));
	assert_true(lfd >= 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_gid, getegid());
	close(lfd);

	/* A number names a group that has no entry; only root may chown. */
	if (geteuid() == 0 && getgrgid(54321) == NULL) {
		lfd = sock_listen_unix(path, 0666, "54321", err, sizeof(err));
		assert_true(lfd >= 0);
		assert_int_equal(lstat(path, &st), 0);
		assert_int_equal(st.st_gid, 54321);
		assert_int_equal(st.st_mode & 07777, 0666);
		close(lfd);
	}

	assert_int_equal(sock_listen_unix(path, 0660, "no-such-group-lg",
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no-such-group-lg"));
	assert_non_null(strstr(err, "no such group"));
}

/* A socket whose listener died is replaced; one in use is not. */
static void
test_stale_and_in_use(void **state)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	int			 fd, lfd, cfd;

	(void)state;
	lg_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	assert_true((fd = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, 1), 0);
	close(fd);		/* the file stays behind */

	lfd = sock_listen_unix(path, 0600, NULL, err, sizeof(err));
	assert_true(lfd >= 0);
	assert_int_equal(sock_listen_unix(path, 0600, NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "in use"));
	assert_non_null(strstr(err, path));

	/* The first listener still owns the path. */
	cfd = sock_connect_unix(path, 1000, err, sizeof(err));
	assert_true(cfd >= 0);
	fd = accept_one(lfd);
	assert_true(fd >= 0);
	close(fd);
	close(cfd);
	close(lfd);
}

static void
test_not_a_socket(void **state)
{
	char		 buf[16], sub[LG_PATH_MAX];
	int		 fd;
	struct stat	 st;

	(void)state;
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
	assert_int_equal(write(fd, "precious", 8), 8);
	close(fd);
	assert_int_equal(sock_listen_unix(path, 0600, NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "not a socket"));
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "precious", 8);
	close(fd);
	unlink(path);

	/* A symbolic link is not followed, even to a socket. */
	snprintf(sub, sizeof(sub), "%s/dir", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(symlink(sub, path), 0);
	assert_int_equal(sock_listen_unix(path, 0600, NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "not a socket"));
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
}

/* sun_path holds 107 bytes and a NUL: 107 works, 108 is refused. */
static void
test_path_length(void **state)
{
	struct sockaddr_un	 sun;
	char			 p[512];
	size_t			 max = sizeof(sun.sun_path) - 1, n;
	int			 fd;

	(void)state;
	n = (size_t)snprintf(p, sizeof(p), "%s/", dir);
	memset(p + n, 's', max - n);
	p[max] = '\0';
	fd = sock_listen_unix(p, 0600, NULL, err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(unlink(p), 0);

	memset(p + n, 's', max + 1 - n);
	p[max + 1] = '\0';
	assert_int_equal(sock_listen_unix(p, 0600, NULL, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "too long"));
	assert_non_null(strstr(err, "at most 107"));
	assert_int_equal(access(p, F_OK), -1);
	err[0] = '\0';
	assert_int_equal(sock_connect_unix(p, 100, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too long"));
	assert_int_equal(sock_listen_unix("", 0600, NULL, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "empty"));
	/* No errstr at all is allowed. */
	assert_int_equal(sock_listen_unix(p, 0600, NULL, NULL, 0), -1);
}

static void
test_connect_errors(void **state)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	int			 fd;

	(void)state;
	assert_int_equal(sock_connect_unix(path, 100, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, strerror(ENOENT)));

	lg_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	assert_true((fd = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	assert_int_equal(sock_connect_unix(path, -1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, strerror(ECONNREFUSED)));
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A listener that never accepts: once its backlog is full, the timeout. */
static void
test_connect_timeout(void **state)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	struct timespec		 t0;
	int			 lfd, fds[64], n = 0, fd;
	long			 ms;

	(void)state;
	lg_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	assert_true((lfd = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(lfd, 0), 0);
	for (;;) {
		assert_true(n < 64);
		fds[n] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(fds[n] >= 0);
		if (connect(fds[n], (struct sockaddr *)&sun,
		    sizeof(sun)) == -1) {
			assert_int_equal(errno, EAGAIN);
			close(fds[n]);
			break;
		}
		n++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = sock_connect_unix(path, 200, err, sizeof(err));
	ms = ms_since(&t0);
	assert_int_equal(fd, -1);
	assert_non_null(strstr(err, "timed out"));
	assert_true(ms >= 150 && ms < 3000);
	while (n > 0)
		close(fds[--n]);
	close(lfd);
}

static void
test_nonblock(void **state)
{
	int	 sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(sock_set_nonblock(sv[0], 1), 0);
	assert_flags(sv[0], 1);
	assert_int_equal(sock_set_nonblock(sv[0], 0), 0);
	assert_flags(sv[0], 0);
	close(sv[0]);
	close(sv[1]);
	assert_int_equal(sock_set_nonblock(sv[0], 1), -1);
}

/* A loopback listener of the given family; its port in *port. */
static int
tcp_listener(int family, uint16_t *port)
{
	struct sockaddr_storage	 ss = { 0 };
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len = sizeof(ss);
	int			 fd;

	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else
		sin6->sin6_addr = in6addr_loopback;
	if ((fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
	    sizeof(*sin) : sizeof(*sin6)) == -1 || listen(fd, 8) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
		close(fd);
		return -1;
	}
	*port = ntohs(family == AF_INET ? sin->sin_port : sin6->sin6_port);
	return fd;
}

/* Connects without blocking and waits for the outcome: 0 or -1. */
static int
tcp_connect(const char *host, uint16_t port, int *fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	struct pollfd		 pfd;
	int			 rv;

	assert_int_equal(sock_addr_numeric(host, port, &ss, &len), 0);
	rv = sock_connect_addr_nb((struct sockaddr *)&ss, len, fd, err,
	    sizeof(err));
	if (rv == -1)
		return -1;
	assert_true(*fd >= 0);
	assert_flags(*fd, 1);
	if (rv == 0)
		return 0;
	pfd = (struct pollfd){ .fd = *fd, .events = POLLOUT };
	assert_int_equal(poll(&pfd, 1, 2000), 1);
	return sock_connect_finish(*fd, err, sizeof(err));
}

static void
test_tcp_connect(void **state)
{
	static const struct {
		int		 family;
		const char	*host;
	} loops[] = { { AF_INET, "127.0.0.1" }, { AF_INET6, "::1" } };
	uint16_t	 port;
	socklen_t	 len;
	size_t		 i;
	int		 lfd, fd, afd, one;

	(void)state;
	for (i = 0; i < 2; i++) {
		if ((lfd = tcp_listener(loops[i].family, &port)) == -1) {
			assert_int_equal(loops[i].family, AF_INET6);
			continue;	/* no IPv6 loopback here */
		}
		assert_int_equal(tcp_connect(loops[i].host, port, &fd), 0);
		one = 0;
		len = sizeof(one);
		assert_int_equal(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY,
		    &one, &len), 0);
		assert_int_equal(one, 1);
		afd = accept_one(lfd);
		assert_true(afd >= 0);
		close(afd);
		close(fd);
		close(lfd);

		/* Nothing listens there any more. */
		fd = -1;
		assert_int_equal(tcp_connect(loops[i].host, port, &fd), -1);
		assert_non_null(strstr(err, strerror(ECONNREFUSED)));
		if (fd != -1)
			close(fd);
	}
}

/* A literal address only: a name is refused without being looked up. */
static void
test_addr_numeric(void **state)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	socklen_t		 len;

	(void)state;
	assert_int_equal(sock_addr_numeric("198.18.0.1", 2323, &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(len, sizeof(*sin));
	assert_int_equal(ntohs(sin->sin_port), 2323);
	assert_int_equal(sock_addr_numeric("2001:2::7", 22, &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(sock_addr_numeric("localhost", 22, &ss, &len), -1);
	assert_int_equal(sock_addr_numeric("router1.nonexistent.invalid", 22,
	    &ss, &len), -1);
	assert_int_equal(sock_addr_numeric("", 22, &ss, &len), -1);
}

/*
 * Issue 12: a router whose name did not resolve kept a zeroed address,
 * and the connect asked for a socket of family 0, which the broker's
 * seccomp filter kills.  No address is an error before any socket.
 */
static void
test_connect_no_address(void **state)
{
	struct sockaddr_storage	 ss;
	int			 fd = 123;

	(void)state;
	memset(&ss, 0, sizeof(ss));
	assert_int_equal(sock_connect_addr_nb((struct sockaddr *)&ss, 0, &fd,
	    err, sizeof(err)), -1);
	assert_int_equal(fd, -1);
	assert_string_equal(err, "connect: no address to connect to");
	assert_int_equal(sock_connect_addr_nb((struct sockaddr *)&ss,
	    sizeof(ss), &fd, err, sizeof(err)), -1);
	assert_string_equal(err, "connect: no address to connect to");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_listen_connect_cred,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode_and_group, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stale_and_in_use, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_a_socket, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_path_length, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_connect_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_connect_timeout, setup,
		    teardown),
		cmocka_unit_test(test_nonblock),
		cmocka_unit_test(test_tcp_connect),
		cmocka_unit_test(test_addr_numeric),
		cmocka_unit_test(test_connect_no_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
