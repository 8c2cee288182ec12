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
 * Transport local (DESIGN.md section 15): the "router" is the looking-glass
 * host itself, and each command is one process, run by the prober
 * (prober.c) from an argv, never through a shell.  A session of this
 * transport has nothing to connect or log in to: it is idle at once
 * (session.c), and session_run hands the command to exec() here, which
 * builds the argv and asks the prober to run it.  The prober passes back
 * the read end of the child's output pipe; its bytes go through the
 * session's output machinery (terminal clean-up, filters, error patterns,
 * cap) as a router's would, streamed as they come.  The command is over
 * when the pipe is at its end and the prober has reaped the child; the
 * session is then idle again for the next one.  Closing the session
 * (deadline, cancel, cap, shutdown) has the prober kill the child's whole
 * process group.
 *
 * The argv: an argv driver's template is the argv, its elements joined by
 * LG_ARGV_SEP (render.c filled it); a CLI driver's rendered command is one
 * element of its local argv, beside the router's socket.
 */

#include <sys/epoll.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "broker.h"

struct local_ctx {
	LIST_ENTRY(local_ctx)	 entry;
	struct session		*s;
	uint32_t		 id;		/* of the running command */
	int			 fd;		/* its output, -1 */
	int			 running;	/* RUN sent, no EXIT yet */
	int			 started;	/* STARTED came */
	int			 eof;
	int			 status;	/* waitpid's, or -1 */
	int			 start_err;	/* errno of a refused RUN */
	int			 killed;	/* by us: the cap */
	struct ev_timer		 t_end;
};

static struct {
	int			 fd;		/* to the prober, -1 */
	struct ev_io		 io;
	uint32_t		 next_id;
	LIST_HEAD(, local_ctx)	 ctxs;
} local = { .fd = -1 };

static void	local_end(void *);

static struct local_ctx *
local_find(uint32_t id)
{
	struct local_ctx	*c;

	LIST_FOREACH(c, &local.ctxs, entry)
		if (c->running && c->id == id)
			return c;
	return NULL;
}

static void
local_send(uint32_t type, uint32_t id, const char *argv, size_t len)
{
	struct prober_msg	 m = { .type = type, .id = id,
				    .len = (uint32_t)len };
	struct iovec		 iov[2] = { { &m, sizeof(m) },
				    { (void *)(uintptr_t)argv, len } };
	struct msghdr		 mh = { .msg_iov = iov, .msg_iovlen = 2 };

	if (local.fd != -1 && sendmsg(local.fd, &mh, MSG_NOSIGNAL) == -1)
		log_warn("prober: send");
}

/* Both ends seen: the command is over, from a timer of its own. */
static void
local_maybe_end(struct local_ctx *c)
{
	if (c->eof && !c->running && !ev_timer_pending(&c->t_end))
		ev_timer_add(&c->t_end, 0);
}

/*
 * How the command ended, for the answer.  The probes of an argv driver
 * exit 1 when no reply came (ping), which is an answer like any other; a
 * CLI (birdc, vtysh) exits 0 or failed.  A program that could not run
 * exits 127, and any failure or a signal fails the query with the
 * program's own words kept in the output.
 */
static enum lg_err
local_err(const struct local_ctx *c)
{
	if (c->start_err != 0)
		return LG_ERR_INTERNAL;
	if (c->s->out.failed)
		return LG_ERR_COMMAND_FAILED;
	if (WIFEXITED(c->status) &&
	    WEXITSTATUS(c->status) <= (c->s->drv->argv ? 1 : 0))
		return LG_OK;
	return LG_ERR_COMMAND_FAILED;
}

static void
local_end(void *arg)
{
	struct local_ctx	*c = arg;
	struct session		*s = c->s;
	size_t			 tlen;
	enum lg_err		 err = local_err(c);
	int			 flags = 0;

	if (c->start_err != 0)
		log_warnx("router %s: the prober did not run \"%s\": %s",
		    s->router->name, s->out.command, strerror(c->start_err));
	else if (err != LG_OK && !s->out.failed)
		log_info("router %s: local command exited with status %d%s",
		    s->router->name, WIFEXITED(c->status) ?
		    WEXITSTATUS(c->status) : 128 + WTERMSIG(c->status),
		    WIFEXITED(c->status) ? "" : " (signal)");
	(void)term_tail(&s->out.term, &tlen);
	if (tlen > 0)
		sess_cmd_input(s, "\n", 1);
	if (s->out.truncated || c->killed) {
		flags |= LG_RESULT_TRUNCATED;
		err = LG_OK;
	}
	c->started = c->eof = c->killed = 0;
	c->start_err = 0;
	session_cmd_end(s, err, flags, 1);
}

/* ---- the prober's messages ---- */

static int
local_recv(struct prober_msg *m, int *fd)
{
	char		 cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec	 iov = { m, sizeof(*m) };
	struct msghdr	 mh = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr	*cm;
	ssize_t		 n;

	*fd = -1;
	if ((n = recvmsg(local.fd, &mh, MSG_CMSG_CLOEXEC)) == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(cm), sizeof(int));
	if (n != (ssize_t)sizeof(*m) || (mh.msg_flags & MSG_CTRUNC)) {
		if (*fd != -1)
			close(*fd);
		return -1;
	}
	return 1;
}

static void
local_started(struct local_ctx *c, const struct prober_msg *m, int fd)
{
	if (m->status != 0 || fd == -1) {
		if (fd != -1)
			close(fd);
		c->start_err = m->status != 0 ? m->status : EPROTO;
		c->running = 0;
		c->eof = 1;
		local_maybe_end(c);
		return;
	}
	c->started = 1;
	c->fd = fd;
	if (sock_set_nonblock(fd, 1) == -1)
		log_warn("router %s: output pipe", c->s->router->name);
	session_update_io(c->s);
}

/* The prober is gone: no local command can run any more. */
static void
local_lost(void)
{
	struct local_ctx	*c, *n;

	log_warnx("prober: gone; local commands fail from now on");
	ev_io_del(&local.io);
	close(local.fd);
	local.fd = -1;
	for (c = LIST_FIRST(&local.ctxs); c != NULL; c = n) {
		n = LIST_NEXT(c, entry);
		if (c->running)
			session_fail(c->s, LG_ERR_INTERNAL, "the prober is gone");
	}
}

static void
local_io(int fd, uint32_t events, void *arg)
{
	struct prober_msg	 m;
	struct local_ctx	*c;
	int			 rc, pass;

	(void)fd;
	(void)events;
	(void)arg;
	while ((rc = local_recv(&m, &pass)) == 1) {
		if ((c = local_find(m.id)) == NULL) {
			if (pass != -1)
				close(pass);	/* its session is gone */
			continue;
		}
		if (m.type == PROBER_STARTED && !c->started)
			local_started(c, &m, pass);
		else if (m.type == PROBER_EXIT) {
			if (pass != -1)
				close(pass);
			c->running = 0;
			c->status = m.status;
			local_maybe_end(c);
		} else if (pass != -1)
			close(pass);
	}
	if (rc == -1)
		local_lost();
}

int
sess_local_init(int fd, char *err, size_t errlen)
{
	LIST_INIT(&local.ctxs);
	local.fd = fd;
	if (fd == -1)
		return 0;
	if (sock_set_nonblock(fd, 1) == -1 ||
	    ev_io_add(&local.io, fd, EPOLLIN, local_io, NULL) == -1) {
		snprintf(err, errlen, "prober socket: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void
sess_local_cleanup(void)
{
	if (local.fd == -1)
		return;
	ev_io_del(&local.io);
	close(local.fd);
	local.fd = -1;
}

void
sess_local_reload(void)
{
	local_send(PROBER_RELOAD, 0, NULL, 0);
}

/* ---- the transport ---- */

static int
local_open(struct session *s, char *err, size_t errlen)
{
	struct local_ctx	*c;

	if (local.fd == -1) {
		snprintf(err, errlen, "no prober to run local commands");
		return -1;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->s = s;
	c->fd = -1;
	ev_timer_init(&c->t_end, local_end, c);
	LIST_INSERT_HEAD(&local.ctxs, c, entry);
	s->tr_ctx = c;
	return 0;
}

static int
local_handshake(struct session *s, enum lg_err *e, char *err, size_t errlen)
{
	(void)s;
	(void)e;
	(void)err;
	(void)errlen;
	return 0;
}

/*
 * The argv of a command, joined by LG_ARGV_SEP into buf: the command
 * itself for an argv driver, else the driver's local argv around it.
 * The length, or -1 with err set.
 */
static int
local_argv(const struct session *s, const char *cmd, char *buf, size_t size,
    char *err, size_t errlen)
{
	const struct lg_driver	*d = s->drv;
	const char		*v;
	size_t			 i;

	if (d->argv)
		return lg_strlcpy(buf, cmd, size) >= size ? -1 : (int)strlen(buf);
	buf[0] = '\0';
	for (i = 0; i < d->nlocal; i++) {
		v = d->local[i];
		if (strcmp(v, "{command}") == 0)
			v = cmd;
		else if (strcmp(v, "{socket}") == 0 &&
		    (v = s->router->socket)[0] == '\0') {
			snprintf(err, errlen, "driver %s needs the router's "
			    "socket", d->name);
			return -1;
		}
		if ((i > 0 && lg_strlcat(buf, (char []){ LG_ARGV_SEP, '\0' },
		    size) >= size) || lg_strlcat(buf, v, size) >= size) {
			snprintf(err, errlen, "command too long");
			return -1;
		}
	}
	return (int)strlen(buf);
}

static int
local_exec(struct session *s, const char *cmd, char *err, size_t errlen)
{
	struct local_ctx	*c = s->tr_ctx;
	char			 argv[PROBER_ARGV_MAX];
	int			 n;

	if (local.fd == -1) {
		snprintf(err, errlen, "no prober to run local commands");
		return -1;
	}
	if ((n = local_argv(s, cmd, argv, sizeof(argv), err, errlen)) == -1)
		return -1;
	c->id = ++local.next_id;
	c->running = 1;
	c->started = c->eof = c->killed = 0;
	c->status = -1;
	c->start_err = 0;
	local_send(PROBER_RUN, c->id, argv, (size_t)n);
	return 0;
}

static ssize_t
local_read(struct session *s, char *buf, size_t len)
{
	struct local_ctx	*c = s->tr_ctx;
	ssize_t			 n;

	if (c->fd == -1)
		return 0;
	if (s->out.truncated && !c->killed) {
		/* The cap: the rest is not wanted. */
		c->killed = 1;
		local_send(PROBER_KILL, c->id, NULL, 0);
	}
	n = read(c->fd, buf, len);
	if (n > 0)
		return n;
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	ev_io_del(&s->io);
	close(c->fd);
	c->fd = -1;
	c->eof = 1;
	local_maybe_end(c);
	return 0;
}

/* SIGINT to the command's process group, as a terminal's Ctrl-C. */
static int
local_interrupt(struct session *s)
{
	const struct local_ctx	*c = s->tr_ctx;

	if (!c->running || local.fd == -1)
		return -1;
	local_send(PROBER_INTERRUPT, c->id, NULL, 0);
	return 0;
}

static int
local_write(struct session *s, const char *data, size_t len)
{
	(void)s;
	(void)data;
	(void)len;
	return -1;	/* nothing reads a local command's input */
}

static uint32_t
local_events(struct session *s)
{
	const struct local_ctx	*c = s->tr_ctx;

	return c->fd != -1 ? EPOLLIN : 0;
}

static int
local_fd(struct session *s)
{
	const struct local_ctx	*c = s->tr_ctx;

	return c->fd;
}

static void
local_close(struct session *s)
{
	struct local_ctx	*c = s->tr_ctx;

	if (c->running)
		local_send(PROBER_KILL, c->id, NULL, 0);
	if (c->fd != -1)
		close(c->fd);
	ev_timer_del(&c->t_end);
	LIST_REMOVE(c, entry);
	free(c);
}

const struct sess_transport sess_local_transport = {
	.name = "local",
	.login = 0,
	.open = local_open,
	.handshake = local_handshake,
	.read = local_read,
	.write = local_write,
	.events = local_events,
	.fd = local_fd,
	.close = local_close,
	.exec = local_exec,
	.interrupt = local_interrupt,
};
