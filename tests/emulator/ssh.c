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
 * The SSH side of the emulator, on libssh's server API in non-blocking
 * mode.  One ssh_bind holds the fleet's host keys, loaded once; the
 * listening sockets are our own (one per router, in the epoll set) and each
 * accepted fd is handed to ssh_bind_accept_fd, so a thousand routers cost a
 * thousand sockets, not a thousand key copies.  Sessions live in the one
 * ssh_event that emu.c polls; authentication, the pty, shell and exec
 * requests and channel data arrive through callbacks and are passed to the
 * session's CLI (cli.c).
 */

#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu.h"

static ssh_bind		 emu_bind;
static ssh_event	 emu_event;
static int		 emu_polling;	/* inside emu_ssh_poll() */

/* Loads the host keys into the fleet's ssh_bind. */
int
emu_ssh_init(struct emu_conf *conf, ssh_event ev, char *err, size_t errlen)
{
	ssh_key		 key;
	int		 i;

	emu_event = ev;
	if ((emu_bind = ssh_bind_new()) == NULL) {
		snprintf(err, errlen, "ssh_bind_new failed");
		return -1;
	}
	for (i = 0; i < conf->nhostkeys; i++) {
		key = NULL;
		if (ssh_pki_import_privkey_file(conf->hostkeys[i], NULL, NULL,
		    NULL, &key) != SSH_OK) {
			snprintf(err, errlen, "%s: cannot load host key",
			    conf->hostkeys[i]);
			return -1;
		}
		/* The bind owns the key from here. */
		if (ssh_bind_options_set(emu_bind, SSH_BIND_OPTIONS_IMPORT_KEY,
		    key) != SSH_OK) {
			ssh_key_free(key);
			snprintf(err, errlen, "%s: %s", conf->hostkeys[i],
			    ssh_get_error(emu_bind));
			return -1;
		}
	}
	if (conf->nhostkeys == 0) {
		snprintf(err, errlen, "no host key (-k or host_keys)");
		return -1;
	}
	return 0;
}

void
emu_ssh_shutdown(void)
{
	if (emu_bind != NULL)
		ssh_bind_free(emu_bind);
	emu_bind = NULL;
}

static int
auth_password(ssh_session session, const char *user, const char *pass,
    void *arg)
{
	struct emu_sess	*s = arg;
	char		 note[160];
	int		 ok;

	(void)session;
	ok = strcmp(user, s->r->username) == 0 &&
	    strcmp(pass, s->r->password) == 0;
	snprintf(note, sizeof(note), "%.64s <password %zu bytes, %s>", user,
	    strlen(pass), ok ? "accepted" : "rejected");
	audit_line(s, "auth", note, strlen(note));
	if (!ok)
		return SSH_AUTH_DENIED;
	lg_strlcpy(s->user, user, sizeof(s->user));
	return SSH_AUTH_SUCCESS;
}

static int
chan_pty(ssh_session session, ssh_channel chan, const char *term, int cols,
    int rows, int px, int py, void *arg)
{
	struct emu_sess	*s = arg;

	(void)session; (void)chan; (void)term; (void)rows; (void)px; (void)py;
	s->screen_width = cols;
	return 0;
}

static int
chan_winch(ssh_session session, ssh_channel chan, int cols, int rows, int px,
    int py, void *arg)
{
	(void)session; (void)chan; (void)cols; (void)rows; (void)px; (void)py;
	(void)arg;
	return 0;
}

static int
chan_shell(ssh_session session, ssh_channel chan, void *arg)
{
	struct emu_sess	*s = arg;

	(void)session; (void)chan;
	if (s->state != ST_NEW)
		return -1;
	cli_start(s);
	return 0;
}

static int
chan_exec(ssh_session session, ssh_channel chan, const char *cmd, void *arg)
{
	struct emu_sess	*s = arg;

	(void)session; (void)chan;
	if (s->state != ST_NEW)
		return -1;
	cli_exec(s, cmd);
	return 0;
}

static int
chan_data(ssh_session session, ssh_channel chan, void *data, uint32_t len,
    int is_stderr, void *arg)
{
	struct emu_sess	*s = arg;

	(void)session; (void)chan; (void)is_stderr;
	if (s->state == ST_NEW)		/* no shell yet */
		return (int)len;
	cli_input(s, data, len);
	return (int)len;
}

/* The client's EOF ends a shell; an exec command runs to its end. */
static void
chan_eof(ssh_session session, ssh_channel chan, void *arg)
{
	struct emu_sess	*s = arg;

	(void)session; (void)chan;
	if (!s->exec)
		emu_sess_kill(s);
}

static void
chan_close(ssh_session session, ssh_channel chan, void *arg)
{
	(void)session; (void)chan;
	emu_sess_kill(arg);
}

static int
chan_wontblock(ssh_session session, ssh_channel chan, uint32_t bytes,
    void *arg)
{
	struct emu_sess	*s = arg;

	(void)session; (void)chan; (void)bytes;
	emu_sess_unblock(s);
	return 0;
}

static ssh_channel
open_session(ssh_session session, void *arg)
{
	struct emu_sess	*s = arg;

	if (s->chan != NULL)
		return NULL;
	if ((s->chan = ssh_channel_new(session)) == NULL)
		return NULL;
	s->ccb.userdata = s;
	s->ccb.channel_pty_request_function = chan_pty;
	s->ccb.channel_pty_window_change_function = chan_winch;
	s->ccb.channel_shell_request_function = chan_shell;
	s->ccb.channel_exec_request_function = chan_exec;
	s->ccb.channel_data_function = chan_data;
	s->ccb.channel_eof_function = chan_eof;
	s->ccb.channel_close_function = chan_close;
	s->ccb.channel_write_wontblock_function = chan_wontblock;
	ssh_callbacks_init(&s->ccb);
	ssh_set_channel_callbacks(s->chan, &s->ccb);
	return s->chan;
}

static void
accept_one(struct emu_router *r, int fd)
{
	struct emu_sess	*s;
	int		 rc, one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s = emu_sess_new(r, T_SSH);
	if ((s->ssh = ssh_new()) == NULL) {
		close(fd);
		emu_sess_kill(s);
		return;
	}
	/*
	 * Once libssh has taken fd, ssh_free() closes it; it takes it part
	 * way through ssh_bind_accept_fd, so a failure before that point
	 * (global config, memory) leaves it ours to close.
	 */
	if (ssh_bind_accept_fd(emu_bind, s->ssh, fd) != SSH_OK) {
		log_warnx("%s: ssh accept: %s", r->name,
		    ssh_get_error(emu_bind));
		if (ssh_get_fd(s->ssh) != fd)
			close(fd);
		emu_sess_kill(s);
		return;
	}
	s->scb.userdata = s;
	s->scb.auth_password_function = auth_password;
	s->scb.channel_open_request_session_function = open_session;
	ssh_callbacks_init(&s->scb);
	ssh_set_server_callbacks(s->ssh, &s->scb);
	ssh_set_auth_methods(s->ssh, SSH_AUTH_METHOD_PASSWORD);
	ssh_set_blocking(s->ssh, 0);
	rc = ssh_handle_key_exchange(s->ssh);
	if (rc == SSH_ERROR) {
		log_warnx("%s: ssh key exchange: %s", r->name,
		    ssh_get_error(s->ssh));
		emu_sess_kill(s);
		return;
	}
	if (ssh_event_add_session(emu_event, s->ssh) != SSH_OK) {
		emu_sess_kill(s);
		return;
	}
	s->in_event = 1;
}

/* The router's SSH port is readable: accept every waiting connection. */
void
emu_ssh_accept(struct emu_ev *ev, uint32_t events)
{
	struct emu_router *r = (struct emu_router *)(void *)((char *)ev -
	    offsetof(struct emu_router, ssh_l));
	int		 fd;

	(void)events;
	while ((fd = accept4(ev->fd, NULL, NULL, SOCK_CLOEXEC)) != -1)
		accept_one(r, fd);
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		log_warn("%s: accept", r->name);
}

/*
 * libssh flushes a session's output by polling the poll context its socket
 * sits in, here the fleet's shared ssh_event: a write on one session would
 * run every other session's callbacks too, and when one of those peers has
 * just hung up, the poll returns SSH_ERROR and ssh_handle_packets() marks
 * the WRITING session as failed (SSH_CLOSED_ERROR), and check_ssh() would
 * end it with the other.  Around each call that may flush, the session is
 * therefore taken out of the event (its socket goes back to its own poll
 * context) and put back after.  Never while the event's own poll walks its
 * array (a control-socket kill runs inside it): moving a handle then would
 * corrupt that walk, so there the session stays where it is.
 */
static void
event_leave(struct emu_sess *s)
{
	if (s->in_event && !emu_polling)
		ssh_event_remove_session(emu_event, s->ssh);
}

static void
event_join(struct emu_sess *s)
{
	if (!s->in_event || emu_polling)
		return;
	if (ssh_event_add_session(emu_event, s->ssh) != SSH_OK) {
		s->in_event = 0;
		emu_sess_kill(s);
	}
}

/* The event's poll, the only one that runs every session's callbacks. */
int
emu_ssh_poll(int timeout)
{
	int		 rc;

	emu_polling = 1;
	rc = ssh_event_dopoll(emu_event, timeout);
	emu_polling = 0;
	return rc;
}

/*
 * Sends up to len bytes, no more than the channel's window so libssh never
 * has to wait; returns what was taken.  A session without an open channel
 * swallows everything.
 */
size_t
emu_ssh_send(struct emu_sess *s, const char *data, size_t len)
{
	uint32_t	 win;
	int		 n;

	if (s->chan == NULL || !ssh_channel_is_open(s->chan))
		return len;
	win = ssh_channel_window_size(s->chan);
	if (win == 0)
		return 0;
	if (len > win)
		len = win;
	if (len > 32768)
		len = 32768;
	event_leave(s);
	n = ssh_channel_write(s->chan, data, (uint32_t)len);
	event_join(s);
	if (n < 0) {
		emu_sess_kill(s);
		return len;
	}
	return (size_t)n;
}

#define SSH_LINGER_MS	2000

/*
 * Ends the session, abruptly (cut TCP) or politely: exit status, EOF and
 * channel close, then the client hangs up, as with sshd.  Returns 1 while
 * waiting for the client (the session stays until it goes or the linger
 * time runs out), 0 when the session can be freed now.
 */
int
emu_ssh_close(struct emu_sess *s, int abrupt)
{
	socket_t	 fd;

	if (s->ssh == NULL)
		return 0;
	if (s->linger != 0)
		return emu_now() < s->linger ? 1 : 0;
	event_leave(s);
	ssh_blocking_flush(s->ssh, 2000);
	if (abrupt || s->chan == NULL || !ssh_channel_is_open(s->chan)) {
		event_join(s);
		if ((fd = ssh_get_fd(s->ssh)) != SSH_INVALID_SOCKET)
			shutdown(fd, SHUT_RDWR);
		return 0;
	}
	ssh_channel_request_send_exit_status(s->chan, 0);
	ssh_channel_send_eof(s->chan);
	ssh_channel_close(s->chan);
	ssh_blocking_flush(s->ssh, 1000);
	event_join(s);
	s->linger = emu_now() + SSH_LINGER_MS;
	s->wake = s->linger;
	return 1;
}

void
emu_ssh_free(struct emu_sess *s)
{
	if (s->ssh == NULL)
		return;
	if (s->in_event)
		ssh_event_remove_session(emu_event, s->ssh);
	/* ssh_free() (like ssh_disconnect()) frees the session's channels. */
	ssh_free(s->ssh);
	s->ssh = NULL;
	s->chan = NULL;
}

/* Is the peer still there?  Key exchange errors and EOF end a session. */
int
emu_ssh_alive(struct emu_sess *s)
{
	if (s->ssh == NULL)
		return 0;
	return (ssh_get_status(s->ssh) & (SSH_CLOSED | SSH_CLOSED_ERROR)) == 0;
}
