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
 * Logging for the daemons and tools: syslog (journald) by default, stderr
 * in the foreground.  Callers log once, where the context is known; these
 * functions never see credentials or full router output.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "lg.h"

static int	 log_foreground = 1;
static int	 log_verbose;
static const char *log_ident = "lorgnette";

static void	 log_vwrite(int, int, const char *, va_list)
		    __attribute__((__format__(__printf__, 3, 0)));

void
log_init(int foreground, int verbose, const char *ident)
{
	log_foreground = foreground;
	log_verbose = verbose;
	if (ident != NULL)
		log_ident = ident;
	if (!foreground) {
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		/*
		 * syslog(3) stamps local time: the zone is read now, before
		 * a sandbox hides /etc/localtime.  On stderr nothing needs
		 * it, and lgctl, a process per query, would read it for
		 * nothing.
		 */
		tzset();
	}
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return log_verbose;
}

/*
 * Writes one line.  errnum > 0 appends its text.  Text that came from
 * peers is cleaned (text.c) so a log line stays one line: newlines become
 * spaces, controls '?', C1 controls and invalid UTF-8 go.
 */
static void
log_vwrite(int pri, int errnum, const char *fmt, va_list ap)
{
	char		 msg[1024];
	int		 n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n >= 0 && errnum > 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s",
		    strerror(errnum));
	lg_text_clean(msg, strlen(msg), 0);
	if (log_foreground) {
		fprintf(stderr, "%s: %s\n", log_ident, msg);
		fflush(stderr);
	} else
		syslog(pri, "%s", msg);
}

void
log_warn(const char *fmt, ...)
{
	va_list		 ap;
	int		 saved_errno = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, saved_errno, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_warnx(const char *fmt, ...)
{
	va_list		 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list		 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list		 ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list		 ap;
	int		 saved_errno = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, saved_errno, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list		 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
