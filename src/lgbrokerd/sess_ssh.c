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
 * The SSH transport, on libssh in non-blocking mode.  We connect the TCP
 * socket ourselves (to the address resolved at config load) and hand it
 * to libssh with SSH_OPTIONS_FD; SSH_OPTIONS_HOST keeps the router's
 * configured host name for the known_hosts lookup.  The handshake is a
 * ladder of steps, each retried on SSH_AGAIN when the socket is ready:
 * key exchange, host key check (an unknown or changed key refuses the
 * router: never blind trust), public-key or password authentication, a
 * session channel, a wide pty and a shell.  The epoll interest follows
 * libssh's own (ssh_get_poll_flags).
 */

#include <sys/epoll.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "lg.h"
#include "broker.h"

enum ssh_step {
	SSH_STEP_TCP = 0,
	SSH_STEP_KEX,
	SSH_STEP_HOSTKEY,
	SSH_STEP_AUTH_KEY,
	SSH_STEP_AUTH_PASSWORD,
	SSH_STEP_CHANNEL,
	SSH_STEP_PTY,
	SSH_STEP_SHELL,
	SSH_STEP_READY
};

struct ssh_ctx {
	enum ssh_step	 step;
	int		 fd;		/* ours, even once handed to libssh */
	int		 handed;
	int		 kex;		/* ssh_connect ran: libssh uses fd */
	ssh_session	 ssh;
	ssh_channel	 ch;
	ssh_key		 key;
};

void
sess_ssh_init(void)
{
	ssh_init();
}

void
sess_ssh_cleanup(void)
{
	ssh_finalize();
}

/*
 * Every option libssh would otherwise work out from the user's account is
 * given: user, known_hosts and the ssh directory (a home directory lookup
 * would load NSS modules after the sandbox is in place), and no
 * ~/.ssh/config is read.
 */
static int
ssh_setup_options(struct session *s, struct ssh_ctx *c)
{
	const struct lg_config	*conf = &s->gen->conf;
	unsigned int		 port = s->router->port;
	long			 timeout = (long)s->connect_timeout;
	int			 verbosity = SSH_LOG_NOLOG, no = 0;

	return ssh_options_set(c->ssh, SSH_OPTIONS_HOST, s->router->host) |
	    ssh_options_set(c->ssh, SSH_OPTIONS_PORT, &port) |
	    ssh_options_set(c->ssh, SSH_OPTIONS_USER, s->cred->username) |
	    ssh_options_set(c->ssh, SSH_OPTIONS_KNOWNHOSTS,
	    conf->broker.known_hosts[0] ? conf->broker.known_hosts :
	    "/dev/null") |
	    ssh_options_set(c->ssh, SSH_OPTIONS_GLOBAL_KNOWNHOSTS,
	    "/dev/null") |
	    ssh_options_set(c->ssh, SSH_OPTIONS_PROCESS_CONFIG, &no) |
	    ssh_options_set(c->ssh, SSH_OPTIONS_SSH_DIR, conf->dir) |
	    ssh_options_set(c->ssh, SSH_OPTIONS_TIMEOUT, &timeout) |
	    ssh_options_set(c->ssh, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
}

static int
ssh_open(struct session *s, char *errstr, size_t len)
{
	struct ssh_ctx	*c;
	int		 rc;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->fd = -1;
	s->tr_ctx = c;
	if ((c->ssh = ssh_new()) == NULL || ssh_setup_options(s, c) != 0) {
		lg_strlcpy(errstr, "ssh: cannot set up the session", len);
		return -1;
	}
	rc = sock_connect_addr_nb((struct sockaddr *)&s->addr, s->addrlen,
	    &c->fd, errstr, len);
	if (rc == -1)
		return -1;
	c->step = rc == 0 ? SSH_STEP_KEX : SSH_STEP_TCP;
	if (c->step == SSH_STEP_KEX && ssh_options_set(c->ssh, SSH_OPTIONS_FD,
	    &c->fd) == 0)
		c->handed = 1;
	ssh_set_blocking(c->ssh, 0);
	return 0;
}

/* Fills the session's hostkey strings: type, fingerprint, known_hosts. */
static int
ssh_read_hostkey(struct session *s, struct ssh_ctx *c)
{
	ssh_key		 key = NULL;
	unsigned char	*hash = NULL;
	size_t		 hlen;
	char		*fp = NULL, *entry = NULL;
	int		 rc = -1;

	if (ssh_get_server_publickey(c->ssh, &key) != SSH_OK)
		return -1;
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != 0)
		goto done;
	if ((fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash,
	    hlen)) == NULL)
		goto done;
	if (ssh_session_export_known_hosts_entry(c->ssh, &entry) != SSH_OK)
		goto done;
	entry[strcspn(entry, "\r\n")] = '\0';
	if ((s->hostkey[0] = strdup(ssh_key_type_to_char(ssh_key_type(
	    key)))) == NULL || (s->hostkey[1] = strdup(fp)) == NULL ||
	    (s->hostkey[2] = strdup(entry)) == NULL)
		goto done;
	rc = 0;
done:
	ssh_clean_pubkey_hash(&hash);
	ssh_string_free_char(fp);
	ssh_string_free_char(entry);
	ssh_key_free(key);
	return rc;
}

static int
ssh_check_hostkey(struct session *s, struct ssh_ctx *c, enum lg_err *err,
    char *errstr, size_t len)
{
	enum ssh_known_hosts_e	 st;

	*err = LG_ERR_HOSTKEY;
	if (s->hostkey_only) {
		if (ssh_read_hostkey(s, c) == -1) {
			lg_strlcpy(errstr, "cannot read the host key", len);
			return -1;
		}
		return 0;
	}
	st = ssh_session_is_known_server(c->ssh);
	switch (st) {
	case SSH_KNOWN_HOSTS_OK:
		return 0;
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER:
		snprintf(errstr, len, "host key mismatch: the key presented "
		    "differs from known_hosts; check it with lgctl hostkey %s",
		    s->router->name);
		return -1;
	case SSH_KNOWN_HOSTS_UNKNOWN:
	case SSH_KNOWN_HOSTS_NOT_FOUND:
		snprintf(errstr, len, "unknown host key; pin it with lgctl "
		    "hostkey %s", s->router->name);
		return -1;
	default:
		snprintf(errstr, len, "host key check failed: %s",
		    ssh_get_error(c->ssh));
		return -1;
	}
}

/* Maps a libssh return to ours: 0 next step, 1 again, -1 error. */
static int
ssh_rc(struct ssh_ctx *c, int rc, const char *what, char *errstr,
    size_t len)
{
	if (rc == SSH_AGAIN)
		return 1;
	if (rc == SSH_OK)
		return 0;
	snprintf(errstr, len, "ssh %s: %s", what, ssh_get_error(c->ssh));
	return -1;
}

static int
ssh_auth(struct session *s, struct ssh_ctx *c, enum lg_err *err,
    char *errstr, size_t len)
{
	const struct lg_credential *cr = s->cred;
	int			 rc;

	*err = LG_ERR_AUTH;
	if (c->step == SSH_STEP_AUTH_KEY) {
		if (cr->key == NULL) {
			c->step = SSH_STEP_AUTH_PASSWORD;
			return 0;
		}
		if (c->key == NULL && ssh_pki_import_privkey_file(cr->key,
		    cr->key_passphrase, NULL, NULL, &c->key) != SSH_OK) {
			lg_strlcpy(errstr, "cannot read the private key", len);
			return -1;
		}
		rc = ssh_userauth_publickey(c->ssh, NULL, c->key);
	} else {
		if (cr->password == NULL) {
			lg_strlcpy(errstr, "authentication refused", len);
			return -1;
		}
		rc = ssh_userauth_password(c->ssh, NULL, cr->password);
	}
	if (rc == SSH_AUTH_AGAIN)
		return 1;
	if (rc == SSH_AUTH_SUCCESS) {
		c->step = SSH_STEP_CHANNEL;
		return 0;
	}
	if (c->step == SSH_STEP_AUTH_KEY && cr->password != NULL &&
	    rc != SSH_AUTH_ERROR) {
		c->step = SSH_STEP_AUTH_PASSWORD;
		return 0;
	}
	snprintf(errstr, len, "authentication %s", rc == SSH_AUTH_ERROR ?
	    ssh_get_error(c->ssh) : "refused");
	return -1;
}

static int
ssh_step_tcp(struct ssh_ctx *c, char *errstr, size_t len)
{
	if (sock_connect_finish(c->fd, errstr, len) == -1)
		return -1;
	if (ssh_options_set(c->ssh, SSH_OPTIONS_FD, &c->fd) != 0) {
		lg_strlcpy(errstr, "ssh: cannot use the socket", len);
		return -1;
	}
	c->handed = 1;
	c->step = SSH_STEP_KEX;
	return 0;
}

/* One step of the ladder: 0 advanced, 1 wait, -1 error. */
static int
ssh_step(struct session *s, struct ssh_ctx *c, enum lg_err *err,
    char *errstr, size_t len)
{
	int	 rc;

	*err = LG_ERR_UNREACHABLE;
	switch (c->step) {
	case SSH_STEP_TCP:
		return ssh_step_tcp(c, errstr, len);
	case SSH_STEP_KEX:
		c->kex = 1;
		if ((rc = ssh_rc(c, ssh_connect(c->ssh), "connect", errstr,
		    len)) == 0)
			c->step = SSH_STEP_HOSTKEY;
		return rc;
	case SSH_STEP_HOSTKEY:
		if (ssh_check_hostkey(s, c, err, errstr, len) == -1)
			return -1;
		c->step = s->hostkey_only ? SSH_STEP_READY :
		    SSH_STEP_AUTH_KEY;
		return 0;
	case SSH_STEP_AUTH_KEY:
	case SSH_STEP_AUTH_PASSWORD:
		return ssh_auth(s, c, err, errstr, len);
	case SSH_STEP_CHANNEL:
		if (c->ch == NULL && (c->ch = ssh_channel_new(c->ssh)) == NULL)
			return ssh_rc(c, SSH_ERROR, "channel", errstr, len);
		if ((rc = ssh_rc(c, ssh_channel_open_session(c->ch),
		    "channel", errstr, len)) == 0)
			c->step = SSH_STEP_PTY;
		return rc;
	case SSH_STEP_PTY:
		if ((rc = ssh_rc(c, ssh_channel_request_pty_size(c->ch,
		    "vt100", SESS_TERM_COLS, SESS_TERM_ROWS), "pty", errstr,
		    len)) == 0)
			c->step = SSH_STEP_SHELL;
		return rc;
	case SSH_STEP_SHELL:
		if ((rc = ssh_rc(c, ssh_channel_request_shell(c->ch), "shell",
		    errstr, len)) == 0)
			c->step = SSH_STEP_READY;
		return rc;
	case SSH_STEP_READY:
		return 0;
	}
	return -1;
}

static int
ssh_handshake(struct session *s, enum lg_err *err, char *errstr,
    size_t len)
{
	struct ssh_ctx	*c = s->tr_ctx;
	int		 rc;

	while (c->step != SSH_STEP_READY) {
		if ((rc = ssh_step(s, c, err, errstr, len)) != 0)
			return rc;
	}
	ssh_key_free(c->key);
	c->key = NULL;
	return 0;
}

static ssize_t
ssh_read(struct session *s, char *buf, size_t len)
{
	struct ssh_ctx	*c = s->tr_ctx;
	int		 n;

	n = ssh_channel_read_nonblocking(c->ch, buf, (uint32_t)len, 0);
	if (n > 0)
		return n;
	if (n == 0 && !ssh_channel_is_eof(c->ch) &&
	    ssh_channel_is_open(c->ch))
		return 0;
	lg_strlcpy(s->errstr, n < 0 ? ssh_get_error(c->ssh) :
	    "channel closed", sizeof(s->errstr));
	return -1;
}

static int
ssh_write(struct session *s, const char *buf, size_t len)
{
	struct ssh_ctx	*c = s->tr_ctx;

	if (ssh_channel_write(c->ch, buf, (uint32_t)len) != (int)len)
		return -1;
	return 0;
}

static uint32_t
ssh_events(struct session *s)
{
	struct ssh_ctx	*c = s->tr_ctx;
	int		 fl;
	uint32_t	 ev = 0;

	if (c->step == SSH_STEP_TCP)
		return EPOLLOUT;
	fl = ssh_get_poll_flags(c->ssh);
	if (fl & SSH_WRITE_PENDING)
		ev |= EPOLLOUT;
	if ((fl & SSH_READ_PENDING) || ev == 0)
		ev |= EPOLLIN;
	return ev;
}

static int
ssh_fd(struct session *s)
{
	struct ssh_ctx	*c = s->tr_ctx;

	return c->fd;
}

/*
 * libssh never closes a socket given with SSH_OPTIONS_FD when it
 * disconnects; it closes it only on some errors, and then forgets it.  So
 * the socket is ours to close unless ssh_connect took it and libssh has
 * closed it since (ssh_get_fd no longer returns it).
 */
static void
ssh_close(struct session *s)
{
	struct ssh_ctx	*c = s->tr_ctx;
	int		 ours;

	if (c == NULL)
		return;
	ours = c->fd != -1 && (!c->kex || ssh_get_fd(c->ssh) == c->fd);
	if (c->ch != NULL)
		ssh_channel_free(c->ch);
	ssh_key_free(c->key);
	if (c->ssh != NULL) {
		if (c->handed)
			ssh_disconnect(c->ssh);
		ssh_free(c->ssh);
	}
	if (ours)
		close(c->fd);
	free(c);
	s->tr_ctx = NULL;
}

const struct sess_transport sess_ssh_transport = {
	.name = "ssh",
	.login = 0,
	.open = ssh_open,
	.handshake = ssh_handshake,
	.read = ssh_read,
	.write = ssh_write,
	.events = ssh_events,
	.fd = ssh_fd,
	.close = ssh_close,
};
