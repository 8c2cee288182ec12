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
 * systemd's notify protocol (sd_notify(3)) for both daemons, through
 * libsystemd: READY=1 once a daemon serves, RELOADING=1 then READY=1
 * around a reload, STOPPING=1 when it starts to shut down, and WATCHDOG=1
 * every half WatchdogSec= when the service manager asked for it
 * (sd_watchdog_enabled).  Without NOTIFY_SOCKET in the environment every
 * call does nothing.  A daemon started with NOTIFY_SOCKET stays in the
 * foreground (notify_supervised), as Type=notify expects of the main
 * process.  libsystemd opens a datagram socket for each message, so the
 * sandbox must allow AF_UNIX datagrams to the socket (sandbox_policy.c
 * asks notify_abstract whether Landlock must let an abstract one
 * through).  A message that cannot be sent is logged once per kind and
 * never stops a daemon.
 */

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "lg.h"

static const struct {
	enum notify_state	 state;
	const char		*text;
} notify_msgs[] = {
	{ NOTIFY_READY, "READY=1" },
	{ NOTIFY_RELOADING, "RELOADING=1" },
	{ NOTIFY_STOPPING, "STOPPING=1" },
	{ NOTIFY_WATCHDOG, "WATCHDOG=1" },
	{ NOTIFY_NONE, NULL }
};

static unsigned int	 notify_failed;		/* bit per state, logged */

/* The socket systemd (or a test) listens on; NULL when not supervised. */
static const char *
notify_socket(void)
{
	const char	*s = getenv("NOTIFY_SOCKET");

	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* 1 when a service manager waits for our messages. */
int
notify_supervised(void)
{
	return notify_socket() != NULL;
}

/* 1 when the notify socket is in the abstract namespace ('@'). */
int
notify_abstract(void)
{
	const char	*s = notify_socket();

	return s != NULL && s[0] == '@';
}

static uint64_t
notify_monotonic_usec(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * Sends state, with status as STATUS= when not NULL.  RELOADING=1 carries
 * MONOTONIC_USEC=, which Type=notify-reload managers want.  Returns 0
 * when sent or not supervised, -1 when the message was lost (logged).
 */
int
notify_send(enum notify_state state, const char *status)
{
	char	 msg[LG_ERRSTR_MAX + 64], extra[40] = "";
	int	 i, rv;

	if (!notify_supervised())
		return 0;
	for (i = 0; notify_msgs[i].text != NULL; i++)
		if (notify_msgs[i].state == state)
			break;
	if (notify_msgs[i].text == NULL)
		return -1;
	if (state == NOTIFY_RELOADING)
		snprintf(extra, sizeof(extra), "\nMONOTONIC_USEC=%llu",
		    (unsigned long long)notify_monotonic_usec());
	snprintf(msg, sizeof(msg), "%s%s%s%.*s", notify_msgs[i].text, extra,
	    status != NULL ? "\nSTATUS=" : "", LG_ERRSTR_MAX,
	    status != NULL ? status : "");
	if ((rv = sd_notify(0, msg)) > 0)
		return 0;
	if ((notify_failed & (1U << state)) == 0)
		log_warnx("notify: %s to %s: %s", notify_msgs[i].text,
		    notify_socket(), rv < 0 ? strerror(-rv) : "not sent");
	notify_failed |= 1U << state;
	return -1;
}

/*
 * How often to send WATCHDOG=1, in milliseconds: half the interval the
 * service manager set (WATCHDOG_USEC, for this very process), or 0 when
 * no watchdog is asked for.
 */
uint64_t
notify_watchdog_ms(void)
{
	uint64_t	 usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return 0;
	usec /= 2000;
	return usec > 0 ? usec : 1;
}
