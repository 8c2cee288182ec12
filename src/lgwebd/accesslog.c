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
 * The access log: one JSON line per router query (cache hits included),
 * written with a single write(2) to web.access_log opened O_APPEND, so
 * concurrent threads never interleave lines; SIGHUP reopens it (log
 * rotation).  Without a file, nothing is written: the broker's audit log
 * already records every query that reached a router.  Lines are built by
 * jansson, so targets and messages are escaped.
 */

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "lg.h"
#include "web.h"

static int		 alog_fd = -1;
static pthread_rwlock_t	 alog_lock = PTHREAD_RWLOCK_INITIALIZER;

/*
 * Opens, or on a reload reopens, the log.  Writers hold the lock shared
 * around their one write(2), so the old descriptor is closed only when no
 * thread is writing to it.  A reload without the key keeps the old file.
 */
int
accesslog_open(const char *path)
{
	int	 fd, old;

	if (path == NULL || *path == '\0')
		return 0;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd == -1)
		return -1;
	pthread_rwlock_wrlock(&alog_lock);
	old = alog_fd;
	__atomic_store_n(&alog_fd, fd, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&alog_lock);
	if (old != -1)
		close(old);
	return 0;
}

void
accesslog_close(void)
{
	pthread_rwlock_wrlock(&alog_lock);
	if (alog_fd != -1)
		close(alog_fd);
	__atomic_store_n(&alog_fd, -1, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&alog_lock);
}

static void
alog_write(const char *s, size_t len)
{
	pthread_rwlock_rdlock(&alog_lock);
	if (alog_fd != -1 && write(alog_fd, s, len) == -1)
		log_debug("access log: write failed");
	pthread_rwlock_unlock(&alog_lock);
}

void
accesslog_query(const struct web_client *c, const char *router,
    enum lg_query_type q, const char *target, enum lg_err e,
    uint32_t runtime_ms, int cached)
{
	json_t	*o;
	char	*s, when[32];
	size_t	 len;

	if (__atomic_load_n(&alog_fd, __ATOMIC_RELAXED) == -1)
		return;
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:b}",
	    "time", format_time(time(NULL), when, sizeof(when)),
	    "client", c->text, "router", router, "type", query_name(q),
	    "target", target, "status", lg_err_name(e),
	    "http", lg_err_http_status(e), "runtime_ms", (json_int_t)runtime_ms,
	    "cached", cached);
	if (o == NULL)
		return;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return;
	len = strlen(s);
	s[len] = '\n';		/* json_dumps' NUL becomes the newline */
	alog_write(s, len + 1);
	free(s);
}
