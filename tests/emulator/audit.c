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
 * The audit log: every line an emulated router receives, one file per
 * router (<auditdir>/<router>.log), so a test can prove exactly what the
 * looking glass sent.  One write(2) per record on an O_APPEND descriptor:
 * records are never interleaved and are on disk when the call returns.
 *
 * Record: ISO time, router, transport, session id, kind, data, tab
 * separated.  Kinds: connect, disconnect, user, pass, auth, enable (secrets
 * are never written, only their length and the verdict), line (a command
 * line as received, editing keys included), key (a pager key).  Bytes
 * outside printable ASCII, and the backslash, are written as \xNN.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

int
audit_open(const char *dir, struct emu_router *r)
{
	char		 path[1024];

	r->audit_fd = -1;
	if (dir == NULL)
		return 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.log", dir, r->name) >=
	    sizeof(path))
		return -1;
	r->audit_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0640);
	return r->audit_fd == -1 ? -1 : 0;
}

void
audit_close(struct emu_router *r)
{
	if (r->audit_fd != -1)
		close(r->audit_fd);
	r->audit_fd = -1;
}

static size_t
escape(char *dst, size_t dlen, const char *src, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 c;
	size_t		 i, n = 0;

	for (i = 0; i < len && n + 5 < dlen; i++) {
		c = (unsigned char)src[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			dst[n++] = (char)c;
			continue;
		}
		dst[n++] = '\\';
		dst[n++] = 'x';
		dst[n++] = hex[c >> 4];
		dst[n++] = hex[c & 0xf];
	}
	return n;
}

void
audit_line(struct emu_sess *s, const char *kind, const char *data,
    size_t len)
{
	char		 rec[EMU_MAX_LINE * 4 + 256], ts[32];
	struct timespec	 now;
	struct tm	 tm;
	int		 n;
	size_t		 l;

	if (s->r->audit_fd == -1)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(rec, sizeof(rec), "%s.%03ldZ\t%s\t%s\t%u\t%s\t", ts,
	    now.tv_nsec / 1000000, s->r->name, s->t == T_SSH ? "ssh" :
	    "telnet", s->id, kind);
	if (n < 0 || (size_t)n >= sizeof(rec))
		return;
	l = (size_t)n;
	l += escape(rec + l, sizeof(rec) - l - 1, data, len);
	rec[l++] = '\n';
	if (write(s->r->audit_fd, rec, l) != (ssize_t)l)
		log_warn("%s: audit write", s->r->name);
}
