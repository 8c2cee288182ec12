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
 * The control socket (-c PATH, a Unix stream socket): tests switch faults
 * and read counters while the fleet runs.  One command per line, one reply
 * line ("ok ..." or "error: ..."):
 *
 *   fault ROUTER|* NAME VALUE   set a fault (names as in the config file)
 *   clear ROUTER|*              all faults off
 *   show ROUTER                 the faults that are on
 *   kill ROUTER|*               drop the router's sessions now
 *   stats                       routers, sessions, RSS in KiB
 *
 * ctl_client() is the other end, for `lgemu -C PATH command...`.
 */

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu.h"

#define CTL_LINE_MAX	1024

struct ctl_conn {
	struct emu_ev	 ev;
	char		 buf[CTL_LINE_MAX];
	size_t		 len;
	LIST_ENTRY(ctl_conn) entry;
};

static struct emu_ev	 ctl_listen = { NULL, -1 };
static char		*ctl_path;
static LIST_HEAD(, ctl_conn) ctl_conns = LIST_HEAD_INITIALIZER(ctl_conns);

static void
ctl_close(struct ctl_conn *c)
{
	emu_epoll_del(&c->ev);
	close(c->ev.fd);
	LIST_REMOVE(c, entry);
	free(c);
}

/* Applies fn to ROUTER, or to every router for "*"; counts them. */
static int
for_routers(const char *name, int (*fn)(struct emu_router *, void *),
    void *arg)
{
	struct emu_router *r;
	size_t		 i;
	int		 n = 0;

	if (strcmp(name, "*") == 0) {
		for (i = 0; i < emu_conf->nrouters; i++)
			if (fn(&emu_conf->routers[i], arg) == 0)
				n++;
		return n;
	}
	if ((r = conf_router(emu_conf, name)) == NULL)
		return -1;
	return fn(r, arg) == 0 ? 1 : -1;
}

struct fault_arg {
	const char	*name;
	const char	*value;
	char		 err[256];
};

static int
do_fault(struct emu_router *r, void *arg)
{
	struct fault_arg *a = arg;

	return conf_fault_set(&r->faults, a->name, a->value, a->err,
	    sizeof(a->err));
}

static int
do_clear(struct emu_router *r, void *arg)
{
	(void)arg;
	conf_faults_clear(&r->faults);
	return 0;
}

static int
do_kill(struct emu_router *r, void *arg)
{
	(void)arg;
	emu_kill_router(r);
	return 0;
}

/* Splits "a b rest of line" into up to n words, the last taking the rest. */
static int
split(char *line, char **w, int n)
{
	int		 i = 0;

	while (i < n) {
		while (*line == ' ')
			line++;
		if (*line == '\0')
			break;
		w[i++] = line;
		if (i == n)
			break;
		line += strcspn(line, " ");
		if (*line != '\0')
			*line++ = '\0';
	}
	return i;
}

static void
ctl_command(char *line, struct lg_buf *out)
{
	char		*w[4];
	struct fault_arg fa = { 0 };
	struct emu_router *r;
	int		 n, rc;

	n = split(line, w, 4);
	if (n == 4 && strcmp(w[0], "fault") == 0) {
		fa.name = w[2];
		fa.value = w[3];
		if ((rc = for_routers(w[1], do_fault, &fa)) <= 0)
			buf_printf(out, "error: %s\n", fa.err[0] != '\0' ?
			    fa.err : "no such router");
		else
			buf_printf(out, "ok %d\n", rc);
	} else if (n == 2 && strcmp(w[0], "clear") == 0) {
		rc = for_routers(w[1], do_clear, NULL);
		buf_printf(out, rc < 0 ? "error: no such router\n" : "ok\n");
	} else if (n == 2 && strcmp(w[0], "kill") == 0) {
		rc = for_routers(w[1], do_kill, NULL);
		buf_printf(out, rc < 0 ? "error: no such router\n" : "ok\n");
	} else if (n == 2 && strcmp(w[0], "show") == 0) {
		if ((r = conf_router(emu_conf, w[1])) == NULL) {
			buf_printf(out, "error: no such router\n");
			return;
		}
		buf_printf(out, "ok %s sessions=%u", r->name, r->nsess);
		conf_fault_show(&r->faults, out);
		buf_printf(out, "\n");
	} else if (n == 1 && strcmp(w[0], "stats") == 0) {
		buf_printf(out, "ok routers=%zu sessions=%zu rss_kb=%zu\n",
		    emu_conf->nrouters, emu_nsessions(), emu_rss_kb());
	} else
		buf_printf(out, "error: unknown command\n");
}

static void
ctl_read(struct emu_ev *ev, uint32_t events)
{
	struct ctl_conn	*c = (struct ctl_conn *)(void *)ev;
	struct lg_buf	 out;
	ssize_t		 n;
	char		*nl;

	(void)events;
	n = read(ev->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			ctl_close(c);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	buf_init(&out, 64 * 1024);
	while ((nl = strchr(c->buf, '\n')) != NULL) {
		*nl = '\0';
		if (nl > c->buf && nl[-1] == '\r')
			nl[-1] = '\0';
		ctl_command(c->buf, &out);
		c->len -= (size_t)(nl + 1 - c->buf);
		memmove(c->buf, nl + 1, c->len + 1);
	}
	/* Replies are short; a blocking-ish best effort is enough here. */
	if (out.len > 0 && write(ev->fd, out.data, out.len) < 0)
		log_warn("control reply");
	buf_free(&out);
	if (c->len == sizeof(c->buf) - 1)
		ctl_close(c);
}

static void
ctl_accept(struct emu_ev *ev, uint32_t events)
{
	struct ctl_conn	*c;
	int		 fd;

	(void)events;
	while ((fd = accept4(ev->fd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			close(fd);
			continue;
		}
		c->ev.fd = fd;
		c->ev.cb = ctl_read;
		LIST_INSERT_HEAD(&ctl_conns, c, entry);
		if (emu_epoll_add(&c->ev, EPOLLIN) == -1)
			ctl_close(c);
	}
}

int
ctl_init(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int		 fd;

	if (path == NULL)
		return 0;
	if (lg_strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 16) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	ctl_listen.fd = fd;
	ctl_listen.cb = ctl_accept;
	ctl_path = xstrdup(path);
	return emu_epoll_add(&ctl_listen, EPOLLIN);
}

void
ctl_shutdown(void)
{
	while (!LIST_EMPTY(&ctl_conns))
		ctl_close(LIST_FIRST(&ctl_conns));
	if (ctl_listen.fd != -1) {
		emu_epoll_del(&ctl_listen);
		close(ctl_listen.fd);
		ctl_listen.fd = -1;
	}
	if (ctl_path != NULL)
		unlink(ctl_path);
	free(ctl_path);
	ctl_path = NULL;
}

/* lgemu -C PATH word...: sends one command, prints the reply line. */
int
ctl_client(const char *path, int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char		 buf[CTL_LINE_MAX], reply[65536];
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, i;

	for (i = 0; i < argc; i++) {
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    i > 0 ? " " : "", argv[i]);
		if (len >= sizeof(buf) - 1)
			return 2;
	}
	buf[len++] = '\n';
	if (lg_strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path) ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 2;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    write(fd, buf, len) != (ssize_t)len) {
		fprintf(stderr, "lgemu: %s: %s\n", path, strerror(errno));
		close(fd);
		return 2;
	}
	len = 0;
	while (len < sizeof(reply) - 1 &&
	    (n = read(fd, reply + len, sizeof(reply) - 1 - len)) > 0) {
		len += (size_t)n;
		if (reply[len - 1] == '\n')
			break;
	}
	close(fd);
	reply[len] = '\0';
	fputs(reply, stdout);
	return strncmp(reply, "ok", 2) == 0 ? 0 : 1;
}
