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
 * The audit trail: one line per query (time, client, audience, user,
 * router, type, target, status, runtime, bytes) to syslog through log_info, and, when
 * broker.audit_log is set, the same as a JSON object per line (jansson)
 * appended to that file.
 *
 * Busy answers come in floods: a client past its caps gets one for each
 * frame it sends, at the rate it can send them.  Past AUDIT_BUSY_BURST of
 * them in one second they are counted instead of written, and one line
 * says how many went unwritten when the second is over, so a flood costs
 * neither the disk nor the time to write it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "lg.h"
#include "broker.h"

#define AUDIT_BUSY_BURST	20	/* busy lines written a second */

static FILE	*audit_fp;
static struct {
	uint64_t		 second;	/* of the current window */
	unsigned int		 written;
	unsigned long long	 unwritten;
	struct ev_timer		 flush;
	int			 ready;
} audit_busy;

static void	audit_time(char *, size_t);

static void
audit_write(json_t *o)
{
	char	*line;

	if (o == NULL)
		return;
	if (audit_fp != NULL && (line = json_dumps(o, JSON_COMPACT)) != NULL) {
		fprintf(audit_fp, "%s\n", line);
		free(line);
	}
	json_decref(o);
}

/* The line for the busy answers of the last window that went unwritten. */
static void
audit_busy_flush(void *arg)
{
	char	 when[48];

	(void)arg;
	if (audit_busy.unwritten == 0)
		return;
	log_info("query status=busy: %llu more in the last second, not "
	    "written one by one", audit_busy.unwritten);
	if (audit_fp != NULL) {
		audit_time(when, sizeof(when));
		audit_write(json_pack("{s:s, s:s, s:I}", "time", when, "status",
		    "busy", "unwritten", (json_int_t)audit_busy.unwritten));
	}
	audit_busy.unwritten = 0;
}

/* Returns 1 when this busy answer is only counted. */
static int
audit_busy_counted(void)
{
	uint64_t	 second = ev_now() / 1000;

	if (!audit_busy.ready) {
		ev_timer_init(&audit_busy.flush, audit_busy_flush, NULL);
		audit_busy.ready = 1;
	}
	if (second != audit_busy.second) {
		if (ev_timer_pending(&audit_busy.flush))
			ev_timer_del(&audit_busy.flush);
		audit_busy_flush(NULL);
		audit_busy.second = second;
		audit_busy.written = 0;
	}
	if (audit_busy.written < AUDIT_BUSY_BURST) {
		audit_busy.written++;
		return 0;
	}
	if (audit_busy.unwritten++ == 0)
		ev_timer_add(&audit_busy.flush, 1000 - ev_now() % 1000);
	return 1;
}

int
audit_open(const char *path)
{
	audit_close();
	if (path == NULL || path[0] == '\0')
		return 0;
	if ((audit_fp = fopen(path, "ae")) == NULL) {
		log_warn("audit log %s", path);
		return -1;
	}
	setvbuf(audit_fp, NULL, _IOLBF, 0);
	return 0;
}

void
audit_close(void)
{
	if (audit_busy.ready && ev_timer_pending(&audit_busy.flush))
		ev_timer_del(&audit_busy.flush);
	audit_busy_flush(NULL);
	if (audit_fp != NULL)
		fclose(audit_fp);
	audit_fp = NULL;
}

static void
audit_time(char *buf, size_t len)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03ldZ", base, ts.tv_nsec / 1000000);
}

/*
 * A field as logged.  A refused query is logged with what was received,
 * so anything but printable ASCII (spaces included) becomes '?': a target
 * can then neither add key=value pairs to the syslog line nor make the
 * JSON record invalid UTF-8, which jansson refuses (the record would be
 * lost).
 */
static char *
audit_clean(const char *s, char *buf, size_t len)
{
	size_t		 i;
	unsigned char	 c;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++) {
		c = (unsigned char)s[i];
		buf[i] = (c > ' ' && c < 0x7f) ? (char)c : '?';
	}
	buf[i] = '\0';
	return buf;
}

/*
 * One query's line.  A query with a user is staff's (DESIGN.md section
 * 16): the line names the audience, and the user for staff.
 */
void
audit_query(const char *client, const char *user, const char *router,
    enum lg_query_type type, const char *target, enum lg_err err,
    uint64_t ms, uint64_t bytes)
{
	char		 when[48], ubuf[LG_USER_MAX];
	char		 cbuf[128], rbuf[LG_NAME_MAX], tbuf[LG_TARGET_MAX + 1];
	const char	*tname = query_name(type), *aud;
	json_t		*o;

	tname = tname ? tname : "?";
	if (err == LG_ERR_BUSY && audit_busy_counted())
		return;
	client = audit_clean(client, cbuf, sizeof(cbuf));
	user = audit_clean(user, ubuf, sizeof(ubuf));
	router = audit_clean(router, rbuf, sizeof(rbuf));
	target = audit_clean(target, tbuf, sizeof(tbuf));
	aud = user[0] != '\0' ? "staff" : "public";
	log_info("query client=%s audience=%s user=%s router=%s type=%s "
	    "target=%s status=%s runtime_ms=%llu bytes=%llu",
	    client[0] ? client : "-", aud, user[0] ? user : "-", router,
	    tname, target[0] ? target : "-", lg_err_name(err),
	    (unsigned long long)ms, (unsigned long long)bytes);
	if (audit_fp == NULL)
		return;
	audit_time(when, sizeof(when));
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}",
	    "time", when, "client", client, "audience", aud, "router", router,
	    "type", tname, "target", target, "status", lg_err_name(err),
	    "runtime_ms", (json_int_t)ms, "bytes", (json_int_t)bytes);
	if (o != NULL && user[0] != '\0')
		json_object_set_new(o, "user", json_string(user));
	audit_write(o);
}
