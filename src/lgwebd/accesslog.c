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
 * concurrent threads never interleave lines and logrotate's copytruncate
 * works.  Without a file, nothing is written: the broker's audit log
 * already records every query that reached a router.  Lines are built by
 * jansson, so targets and messages are escaped.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "lg.h"
#include "web.h"

static int	 alog_fd = -1;

/*
 * Opens, or on a reload reopens, the log.  A reopen replaces the
 * descriptor in place with dup3, so a thread writing meanwhile writes to
 * the old file or the new one, never to a closed descriptor.  The
 * descriptor stays once opened: a reload without the key keeps it.
 */
int
accesslog_open(const char *path)
{
	int	 fd;

	if (path == NULL || *path == '\0')
		return 0;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd == -1)
		return -1;
	if (alog_fd == -1) {
		alog_fd = fd;
		return 0;
	}
	if (dup3(fd, alog_fd, O_CLOEXEC) == -1) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

void
accesslog_close(void)
{
	if (alog_fd != -1)
		close(alog_fd);
	alog_fd = -1;
}

void
accesslog_query(const struct web_client *c, const char *router,
    enum lg_query_type q, const char *target, enum lg_err e,
    uint32_t runtime_ms, int cached)
{
	json_t	*o;
	char	*s, when[32];
	size_t	 len;

	if (alog_fd == -1)
		return;
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:b}",
	    "time", api_time(time(NULL), when, sizeof(when)),
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
	if (write(alog_fd, s, len + 1) == -1)
		log_debug("access log: write failed");
	free(s);
}
