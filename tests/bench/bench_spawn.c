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
 * The cost of a command run as a process, as a shell or a script written
 * in C would pay it: posix_spawn(3) with stdin from /dev/null and stdout
 * and stderr into one pipe, the pipe drained to its end, waitpid(2).
 * Prints the wall time of each run in nanoseconds, one a line, from just
 * before the spawn to just after the wait.  Used by tests/bench/bench.py
 * (measurement warm) for lgctl and /bin/true, beside the same timed from
 * Python's subprocess, whose pipes, selector and fork add their own cost
 * to every start.
 *
 *	bench_spawn [-n COUNT] COMMAND [ARG ...]
 *
 * Exits 0 when every run exited 0; otherwise 1, with the failing run's
 * status and the end of its output on stderr.
 */

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SPAWN_MAX_COUNT	100000
#define SPAWN_TAIL	2048		/* output kept for an error report */

extern char	**environ;

struct spawn_run {
	char		 tail[SPAWN_TAIL + 1];
	size_t		 taillen;
	int		 status;
};

static long long
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Keeps the last SPAWN_TAIL bytes the command wrote. */
static void
keep_tail(struct spawn_run *r, const char *p, size_t n)
{
	size_t		 drop;

	if (n >= SPAWN_TAIL) {
		memcpy(r->tail, p + n - SPAWN_TAIL, SPAWN_TAIL);
		r->taillen = SPAWN_TAIL;
		return;
	}
	if (r->taillen + n > SPAWN_TAIL) {
		drop = r->taillen + n - SPAWN_TAIL;
		memmove(r->tail, r->tail + drop, r->taillen - drop);
		r->taillen -= drop;
	}
	memcpy(r->tail + r->taillen, p, n);
	r->taillen += n;
}

/* Reads the pipe to its end; 0, or -1 with errno. */
static int
drain(int fd, struct spawn_run *r)
{
	char		 buf[65536];
	ssize_t		 n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			return 0;
		keep_tail(r, buf, (size_t)n);
	}
}

static int
spawn_actions(posix_spawn_file_actions_t *fa, const int pfd[2])
{
	return posix_spawn_file_actions_init(fa) != 0 ||
	    posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0)
	    != 0 ||
	    posix_spawn_file_actions_adddup2(fa, pfd[1], 1) != 0 ||
	    posix_spawn_file_actions_adddup2(fa, pfd[1], 2) != 0 ||
	    posix_spawn_file_actions_addclose(fa, pfd[0]) != 0 ||
	    posix_spawn_file_actions_addclose(fa, pfd[1]) != 0 ? -1 : 0;
}

/*
 * Runs argv once; returns its wall time in nanoseconds, or -1 after
 * saying why on stderr (the command could not start, or the pipe broke).
 */
static long long
spawn_once(char **argv, struct spawn_run *r)
{
	posix_spawn_file_actions_t	 fa;
	long long			 t0, t1 = 0;
	pid_t				 pid;
	int				 pfd[2], err, rc = -1;

	r->taillen = 0;
	if (pipe2(pfd, O_CLOEXEC) == -1) {
		perror("bench_spawn: pipe2");
		return -1;
	}
	if (spawn_actions(&fa, pfd) == -1) {
		fprintf(stderr, "bench_spawn: posix_spawn_file_actions\n");
		goto fail;
	}
	t0 = now_ns();
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err != 0) {
		fprintf(stderr, "bench_spawn: %s: %s\n", argv[0],
		    strerror(err));
		goto fail;
	}
	close(pfd[1]);
	pfd[1] = -1;
	if (drain(pfd[0], r) == -1)
		perror("bench_spawn: read");
	else
		rc = 0;
	while (waitpid(pid, &r->status, 0) == -1)
		if (errno != EINTR) {
			perror("bench_spawn: waitpid");
			rc = -1;
			break;
		}
	t1 = now_ns();
fail:
	close(pfd[0]);
	if (pfd[1] != -1)
		close(pfd[1]);
	return rc == 0 ? t1 - t0 : -1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_spawn [-n COUNT] COMMAND [ARG ...]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	static struct spawn_run	 r;
	long long		 ns;
	char			*end;
	long			 count = 1, i;
	int			 ch;

	while ((ch = getopt(argc, argv, "+n:")) != -1) {
		switch (ch) {
		case 'n':
			errno = 0;
			count = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || count < 1 ||
			    count > SPAWN_MAX_COUNT) {
				fprintf(stderr, "bench_spawn: -n: not a count "
				    "from 1 to %d: %s\n", SPAWN_MAX_COUNT,
				    optarg);
				return 2;
			}
			break;
		default:
			usage();
		}
	}
	argv += optind;
	if (argc - optind < 1)
		usage();
	for (i = 0; i < count; i++) {
		if ((ns = spawn_once(argv, &r)) == -1)
			return 1;
		if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0) {
			fprintf(stderr, "bench_spawn: %s: %s %d; its output "
			    "ended:\n%.*s\n", argv[0], WIFEXITED(r.status) ?
			    "exit" : "signal", WIFEXITED(r.status) ?
			    WEXITSTATUS(r.status) : WTERMSIG(r.status),
			    (int)r.taillen, r.tail);
			return 1;
		}
		printf("%lld\n", ns);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
