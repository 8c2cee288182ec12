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
 * One router session: the state machine of DESIGN.md section 5, above a
 * transport (struct sess_transport: SSH, telnet, or a test's fake) and
 * below its owner (struct sess_owner: the pool, or a test).
 *
 *   CONNECTING      the transport's handshake (TCP; SSH key exchange, host
 *                   key check, authentication, pty and shell)
 *   AUTHENTICATING  the login dialogue (telnet username/password prompts)
 *                   and the first prompt: a prompt-like tail is believed
 *                   only after SESS_QUIET_MS of silence and when a newline
 *                   brings back exactly the same text, so that a banner
 *                   line ending in '#' or '>' is never taken for it.  The
 *                   tail is cleared when the newline goes, so a router
 *                   that echoes nothing (line-mode devices, terminal
 *                   servers: the prompts arrive back to back, "r1> r1> ")
 *                   is recognised too, and learned as noecho
 *   PREPARING       the enable step, then the driver's setup commands,
 *                   each of which must come back to the learned prompt
 *                   without matching an error pattern; a prompt before
 *                   any echo here also means noecho
 *   IDLE, BUSY      a command runs (output.c does the text); it ends at
 *                   the learned prompt, exactly, once an empty line sent
 *                   after it brought the same prompt back and nothing
 *                   else (a prompt-like line inside the output is then
 *                   shown to be output, and the answer is not cached); no
 *                   answer within SESS_CONFIRM_MS leaves the end
 *                   unconfirmed (truncated, session recycled); any other
 *                   prompt-like end, late output while idle, a cap or a
 *                   timeout leaves the session BROKEN, never reused
 *   BROKEN          closed; the owner frees it outside of our callbacks;
 *                   err says why, LG_OK for an end as planned (HOSTKEY,
 *                   recycling)
 *
 * sess_set_state is the only way from one state to another, and checks
 * the step against the table of transitions.  Within a state, what the
 * session waits for is named too: the login dialogue (enum sess_login),
 * what runs and for whom (enum sess_run) and how the end of a command is
 * judged (enum sess_wait, in sess_cmd.c).  Each timer has one purpose:
 * t_phase bounds CONNECTING, AUTHENTICATING and PREPARING; t_quiet is the
 * login's quiet period; t_settle, t_weak and t_confirm are sess_cmd.c's
 * three waits for the end of a command, at most one armed; t_kick resumes
 * reading after a pause.
 *
 * The owner is told through its callbacks and may call session_run or
 * session_pause from them, but frees a session only from its own timer or
 * I/O handlers, never from inside one of ours.
 */

#include <sys/epoll.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "broker.h"

/*
 * The states of DESIGN.md section 5 and the transitions between them:
 * every change of state goes through sess_set_state, which checks it
 * against this table and logs it.
 */
#define SESS_TO(st)	(1U << (st))

static const struct {
	const char	*name;
	unsigned int	 next;		/* SESS_TO() of the states it enters */
} sess_states[] = {
	/* A transport of processes (local) has no login: idle at once. */
	[SESS_CONNECTING] = { "connecting",
	    SESS_TO(SESS_CONNECTING) | SESS_TO(SESS_AUTHENTICATING) |
	    SESS_TO(SESS_IDLE) | SESS_TO(SESS_BROKEN) },
	[SESS_AUTHENTICATING] = { "authenticating",
	    SESS_TO(SESS_PREPARING) | SESS_TO(SESS_BROKEN) },
	[SESS_PREPARING] = { "preparing",
	    SESS_TO(SESS_IDLE) | SESS_TO(SESS_BROKEN) },
	[SESS_IDLE] = { "idle", SESS_TO(SESS_BUSY) | SESS_TO(SESS_BROKEN) },
	[SESS_BUSY] = { "busy", SESS_TO(SESS_IDLE) | SESS_TO(SESS_BROKEN) },
	[SESS_BROKEN] = { "broken", 0 },
};

static void	sess_io(int, uint32_t, void *);
static void	sess_read(struct session *);
static void	sess_prep_next(struct session *);

const char *
session_state_name(enum sess_state st)
{
	if ((unsigned int)st > SESS_BROKEN)
		return "unknown";
	return sess_states[st].name;
}

/* Is from -> to a transition of the state machine? */
int
session_transition_valid(enum sess_state from, enum sess_state to)
{
	if ((unsigned int)from > SESS_BROKEN || (unsigned int)to > SESS_BROKEN)
		return 0;
	return (sess_states[from].next & SESS_TO(to)) != 0;
}

const struct sess_transport *
session_transport(enum lg_transport t)
{
	if (t == TRANSPORT_LOCAL)
		return &sess_local_transport;
	return t == TRANSPORT_TELNET ? &sess_telnet_transport :
	    &sess_ssh_transport;
}

/*
 * The one place a session changes state.  Entering AUTHENTICATING starts
 * the login dialogue; IDLE and BROKEN run nothing.
 */
static void
sess_set_state(struct session *s, enum sess_state st)
{
	if (!session_transition_valid(s->state, st))
		log_warnx("router %s: session %s -> %s is not a transition of "
		    "the state machine", s->router->name,
		    session_state_name(s->state), session_state_name(st));
	else if (s->state != st)
		log_debug("router %s: session %s -> %s", s->router->name,
		    session_state_name(s->state), session_state_name(st));
	s->state = st;
	s->since = ev_now();
	if (st == SESS_AUTHENTICATING)
		s->login = LOGIN_DIALOGUE;
	if (st == SESS_IDLE || st == SESS_BROKEN)
		s->run = RUN_NONE;
}

static void
sess_close_transport(struct session *s)
{
	ev_io_del(&s->io);
	ev_timer_del(&s->t_phase);
	ev_timer_del(&s->t_quiet);
	ev_timer_del(&s->t_settle);
	ev_timer_del(&s->t_weak);
	ev_timer_del(&s->t_confirm);
	sess_intr_stop(s);
	ev_timer_del(&s->t_kick);
	s->wait = WAIT_OUTPUT;
	if (s->tr_ctx != NULL)
		s->tr->close(s);
	s->tr_ctx = NULL;
}

/*
 * The session is over: closed, BROKEN, err and errstr saying why (LG_OK:
 * it ended as planned).  With notify the owner is told: a running client
 * command through done(), anything else through state().
 */
static void
sess_end(struct session *s, enum lg_err err, const char *why, int notify)
{
	enum sess_state	 prev = s->state;
	enum sess_run	 run = s->run;

	if (prev == SESS_BROKEN)
		return;
	lg_strlcpy(s->errstr, why, sizeof(s->errstr));
	s->err = err;
	sess_close_transport(s);
	sess_set_state(s, SESS_BROKEN);
	if (!notify)
		return;
	if (prev == SESS_BUSY && run == RUN_QUERY)
		s->owner->done(s, s->owner_arg, err, 0);
	else
		s->owner->state(s, s->owner_arg);
}

/* The session failed: err and a message, then as sess_end. */
void
session_fail(struct session *s, enum lg_err err, const char *fmt, ...)
{
	char		 msg[sizeof(s->errstr)];
	va_list		 ap;

	if (s->state == SESS_BROKEN)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sess_end(s, err, msg, 1);
}

void
session_discard(struct session *s, enum lg_err err, const char *why)
{
	sess_end(s, err, why, 0);
}

/* A session of a transport of processes is ready once open. */
static void
sess_exec_ready(struct session *s)
{
	output_start(&s->out, "", "");
	sess_set_state(s, SESS_IDLE);
	s->owner->state(s, s->owner_arg);
}

static void
sess_phase_timeout(void *arg)
{
	struct session	*s = arg;

	if (s->state == SESS_CONNECTING && s->tr->exec != NULL)
		sess_exec_ready(s);
	else if (s->state == SESS_CONNECTING)
		session_fail(s, LG_ERR_UNREACHABLE, "connect timed out");
	else if (s->state == SESS_AUTHENTICATING)
		session_fail(s, LG_ERR_AUTH, "no prompt after login");
	else
		session_fail(s, LG_ERR_UNREACHABLE, "session setup timed out");
}

static void	login_quiet(void *);

static void
sess_kick(void *arg)
{
	struct session	*s = arg;

	if (s->state != SESS_BROKEN && !s->paused)
		sess_read(s);
}

/* What a session takes from its generation: the router's rules. */
static void
sess_bind(struct session *s, struct gen *gen, const struct lg_router *r,
    const struct lg_driver *drv, const struct lg_credential *cred)
{
	gen_ref(gen);
	if (s->gen != NULL)
		gen_unref(s->gen);
	s->gen = gen;
	s->router = r;
	s->drv = drv;
	s->cred = cred;
	s->connect_timeout = gen->conf.broker.connect_timeout;
}

struct session *
session_new(struct gen *gen, const struct lg_router *rt,
    const struct sockaddr_storage *ss, socklen_t sslen,
    const struct sess_transport *tr, const struct sess_owner *owner,
    void *arg)
{
	struct session	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	sess_bind(s, gen, rt, drivers_find(&gen->drivers, rt->driver),
	    credentials_find(&gen->creds, rt->credential));
	if (ss != NULL && sslen <= sizeof(s->addr)) {
		memcpy(&s->addr, ss, sslen);
		s->addrlen = sslen;
	}
	s->output_cap = gen->conf.broker.output_cap;
	s->tr = tr;
	s->owner = owner;
	s->owner_arg = arg;
	s->io.fd = -1;
	ev_timer_init(&s->t_phase, sess_phase_timeout, s);
	ev_timer_init(&s->t_quiet, login_quiet, s);
	sess_cmd_init(s);
	sess_intr_init(s);
	ev_timer_init(&s->t_kick, sess_kick, s);
	output_init(&s->out, s->drv, gen->conf.filters, gen->conf.nfilters,
	    s->output_cap);
	/* A process's output starts with its answer: no echo to wait for. */
	s->out.noecho = tr->exec != NULL;
	return s;
}

/*
 * Moves an idle session to generation gen, whose rules for its router are
 * those it runs by (admin.c's router_same decides that before a reload
 * adopts the router).  A warm session could otherwise keep the generation
 * it was opened in, and with it every driver compiled then (about 1 MiB
 * for the shipped nine), for as long as it lives: a reload a minute for
 * half an hour left the broker 15% larger.
 */
void
session_rebind(struct session *s, struct gen *gen, const struct lg_router *r)
{
	const struct lg_driver		*drv;
	const struct lg_credential	*cred;

	drv = drivers_find(&gen->drivers, r->driver);
	cred = credentials_find(&gen->creds, r->credential);
	if (s->state != SESS_IDLE || s->gen == gen || drv == NULL ||
	    (cred == NULL && s->cred != NULL))
		return;
	sess_bind(s, gen, r, drv, cred);
	output_bind(&s->out, drv, gen->conf.filters, gen->conf.nfilters);
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	sess_close_transport(s);
	output_free(&s->out);
	free(s->hostkey[0]);
	free(s->hostkey[1]);
	free(s->hostkey[2]);
	gen_unref(s->gen);
	free(s);
}

/* The epoll interest follows the transport, less reading when paused. */
void
session_update_io(struct session *s)
{
	uint32_t	 ev;
	int		 fd;

	if (s->state == SESS_BROKEN || s->tr_ctx == NULL)
		return;
	fd = s->tr->fd(s);
	ev = s->tr->events(s);
	if (s->paused)
		ev &= ~(uint32_t)EPOLLIN;
	if (s->io.added && s->io.fd != fd)
		ev_io_del(&s->io);
	if (fd == -1)
		return;
	if (!s->io.added) {
		if (ev_io_add(&s->io, fd, ev, sess_io, s) == -1)
			session_fail(s, LG_ERR_INTERNAL, "epoll: cannot add");
		return;
	}
	ev_io_mod(&s->io, ev);
}

/*
 * Starts connecting.  Returns 0, or -1 (errstr set) and then the owner's
 * callbacks never fire for this session.
 */
int
session_start(struct session *s)
{
	if (s->drv == NULL || (s->cred == NULL && s->tr->exec == NULL)) {
		s->err = LG_ERR_INTERNAL;
		lg_strlcpy(s->errstr, s->drv == NULL ? "unknown driver" :
		    "unknown credential", sizeof(s->errstr));
		return -1;
	}
	sess_set_state(s, SESS_CONNECTING);
	if (s->tr->open(s, s->errstr, sizeof(s->errstr)) == -1) {
		s->err = LG_ERR_UNREACHABLE;
		sess_close_transport(s);
		sess_set_state(s, SESS_BROKEN);
		return -1;
	}
	/* A transport of processes is ready at once, outside this call. */
	ev_timer_add(&s->t_phase, s->tr->exec != NULL ? 0 :
	    (uint64_t)s->connect_timeout * 1000);
	session_update_io(s);	/* a failure here is reported through state() */
	return 0;
}

/*
 * A line and its newline go in one write: one TCP segment (one SSH
 * message) for the router to wake up to, not two.  Lines may hold a
 * secret (the password), so the copy is wiped.
 */
int
session_send(struct session *s, const char *text, int newline)
{
	const char	*nl = s->drv->newline ? s->drv->newline : "\n";
	char		 line[LG_COMMAND_MAX + 16];
	size_t		 len = strlen(text), nllen = newline ? strlen(nl) : 0;
	int		 rv;

	if (len + nllen <= sizeof(line)) {
		memcpy(line, text, len);
		memcpy(line + len, nl, nllen);
		rv = s->tr->write(s, line, len + nllen);
		explicit_bzero(line, sizeof(line));
	} else
		rv = s->tr->write(s, text, len) == -1 || (nllen > 0 &&
		    s->tr->write(s, nl, nllen) == -1) ? -1 : 0;
	if (rv == -1) {
		session_fail(s, LG_ERR_UNREACHABLE, "write to router failed");
		return -1;
	}
	session_update_io(s);
	return 0;
}

static int
sess_match(const struct lg_regex *re, const char *text, size_t len)
{
	return re->re != NULL && regex_match(re, text, len) == 1;
}

/* Login dialogue: complete lines are only checked for a refusal. */
static void
login_line(void *arg, const char *line, size_t len)
{
	struct session	*s = arg;

	s->probe_lines++;
	if (s->state == SESS_AUTHENTICATING &&
	    sess_match(&s->drv->login_failed, line, len))
		s->login = LOGIN_REFUSED;
}

/* Answers a username or password prompt; 1 if one was answered. */
static int
login_answer(struct session *s, const char *tail, size_t tlen)
{
	const struct lg_credential *c = s->cred;

	if (sess_match(&s->drv->username_prompt, tail, tlen)) {
		if (s->sent_user++ > 0 || c->username == NULL) {
			session_fail(s, LG_ERR_AUTH, "login refused");
			return 1;
		}
		term_clear_tail(&s->out.term);
		session_send(s, c->username, 1);
		return 1;
	}
	if (sess_match(&s->drv->password_prompt, tail, tlen)) {
		if (s->sent_pass++ > 0 || c->password == NULL) {
			session_fail(s, LG_ERR_AUTH, "login refused");
			return 1;
		}
		term_clear_tail(&s->out.term);
		session_send(s, c->password, 1);
		return 1;
	}
	return 0;
}

/*
 * A prompt-like tail: remembered, and the tail starts afresh, so that a
 * router without echo, whose next prompt follows on the same line, is
 * judged on that prompt alone.
 */
static void
login_candidate(struct session *s, const char *tail, size_t tlen)
{
	output_rtrim_copy(s->candidate, sizeof(s->candidate), tail, tlen);
	term_clear_tail(&s->out.term);
	s->login = LOGIN_QUIET;
	ev_timer_add(&s->t_quiet, SESS_QUIET_MS);
}

static void
login_confirmed(struct session *s)
{
	ev_timer_del(&s->t_quiet);
	lg_strlcpy(s->out.prompt, s->candidate, sizeof(s->out.prompt));
	log_debug("router %s: prompt \"%s\"", s->router->name, s->candidate);
	sess_set_state(s, SESS_PREPARING);
	ev_timer_add(&s->t_phase, (uint64_t)s->connect_timeout * 1000);
	if (s->drv->enable_command != NULL && s->cred->enable != NULL) {
		s->run = RUN_ENABLE;
		s->sent_pass = 0;
		output_start(&s->out, s->drv->enable_command, "");
		session_send(s, s->drv->enable_command, 1);
		return;
	}
	sess_prep_next(s);
}

static void
login_input(struct session *s, const char *data, size_t len)
{
	const char	*tail;
	size_t		 tlen;
	char		 cur[LG_COMMAND_MAX];

	term_feed(&s->out.term, data, len, login_line, s);
	if (s->login == LOGIN_REFUSED) {
		session_fail(s, LG_ERR_AUTH, "login failed");
		return;
	}
	tail = term_tail(&s->out.term, &tlen);
	if (sess_match(&s->drv->login_failed, tail, tlen)) {
		session_fail(s, LG_ERR_AUTH, "login failed");
		return;
	}
	if (login_answer(s, tail, tlen)) {
		s->login = LOGIN_DIALOGUE;
		ev_timer_del(&s->t_quiet);
		return;
	}
	if (!sess_match(&s->drv->prompt, tail, tlen)) {
		if (s->login == LOGIN_QUIET)
			s->login = LOGIN_DIALOGUE;
		ev_timer_del(&s->t_quiet);
		return;
	}
	/*
	 * The tail was cleared when the probe went: the same prompt again is
	 * the answer, after the echoed newline or (noecho) without it.
	 */
	output_rtrim_copy(cur, sizeof(cur), tail, tlen);
	if (s->login == LOGIN_PROBE && strcmp(cur, s->candidate) == 0) {
		s->out.noecho = s->probe_lines == 0;
		login_confirmed(s);
	} else
		login_candidate(s, tail, tlen);
}

/* Quiet after a prompt-like tail at login: probe it with a newline. */
static void
login_quiet(void *arg)
{
	struct session	*s = arg;

	if (s->state != SESS_AUTHENTICATING || s->login != LOGIN_QUIET)
		return;
	if (++s->probes > SESS_PROBES_MAX) {
		session_fail(s, LG_ERR_AUTH, "prompt never settled");
		return;
	}
	s->login = LOGIN_PROBE;
	s->probe_lines = 0;
	term_clear_tail(&s->out.term);
	session_send(s, "", 1);
}

/* The enable step: answer the secret prompt, learn the new prompt. */
static void
enable_input(struct session *s, const char *data, size_t len)
{
	const char	*tail;
	size_t		 tlen;
	enum out_event	 ev;

	ev = output_feed(&s->out, data, len);
	buf_reset(&s->out.out);
	tail = term_tail(&s->out.term, &tlen);
	if (s->out.failed) {
		session_fail(s, LG_ERR_AUTH, "enable refused");
		return;
	}
	if (sess_match(&s->drv->enable_password_prompt, tail, tlen)) {
		if (s->sent_pass++ > 0) {
			session_fail(s, LG_ERR_AUTH, "enable refused");
			return;
		}
		term_clear_tail(&s->out.term);
		session_send(s, s->cred->enable, 1);
		return;
	}
	if (ev == OUT_BARE_PROMPT) {
		/* The new prompt came without the echo: noecho. */
		s->out.noecho = s->out.echo_seen = 1;
		ev = output_tail_event(&s->out);
	}
	if (ev != OUT_OTHER_PROMPT)
		return;
	if (s->drv->enable_prompt.re != NULL &&
	    !sess_match(&s->drv->enable_prompt, tail, tlen)) {
		session_fail(s, LG_ERR_AUTH, "enable refused");
		return;
	}
	output_rtrim_copy(s->out.prompt, sizeof(s->out.prompt), tail, tlen);
	sess_prep_next(s);
}

/* The next setup command, or the session is ready. */
static void
sess_prep_next(struct session *s)
{
	if (s->setup_next < s->drv->nsetup) {
		s->setup_next++;
		session_run(s, s->drv->setup[s->setup_next - 1], 1);
		return;
	}
	ev_timer_del(&s->t_phase);
	output_start(&s->out, "", s->out.prompt);
	sess_set_state(s, SESS_IDLE);
	s->owner->state(s, s->owner_arg);
}

/*
 * Starts a command.  internal: a setup command or keepalive, whose output
 * is dropped and whose end the session handles itself.  Returns 0, or -1
 * when the session cannot run it (not idle, or the write failed; then it
 * is broken and the owner was told).
 */
int
session_run(struct session *s, const char *cmd, int internal)
{
	if (s->state != SESS_IDLE && s->state != SESS_PREPARING)
		return -1;
	if (s->state == SESS_PREPARING)
		s->run = RUN_SETUP;
	else {
		sess_set_state(s, SESS_BUSY);
		s->run = internal ? RUN_KEEPALIVE : RUN_QUERY;
	}
	sess_cmd_wait(s, WAIT_OUTPUT);
	s->idle_dirty = 0;
	s->owed = 0;
	s->tainted = 0;
	output_start(&s->out, cmd, s->out.prompt);
	if (s->tr->exec == NULL)
		return session_send(s, cmd, 1);
	if (s->tr->exec(s, cmd, s->errstr, sizeof(s->errstr)) == -1) {
		session_fail(s, LG_ERR_INTERNAL, "%s", s->errstr);
		return -1;
	}
	return 0;
}

/*
 * The command is over (sess_cmd.c judged its end): what that means for
 * the session.  keep: the session may run the next one; flags are the
 * result's LG_RESULT_*.
 */
void
session_cmd_end(struct session *s, enum lg_err err, int flags, int keep)
{
	enum sess_run	 run = s->run;

	sess_cmd_wait(s, WAIT_OUTPUT);
	sess_intr_stop(s);
	s->run = RUN_NONE;
	if (run == RUN_SETUP) {
		if (err != LG_OK || !keep)
			session_fail(s, LG_ERR_COMMAND_FAILED,
			    "setup command \"%s\" failed", s->out.command);
		else
			sess_prep_next(s);
		return;
	}
	if (run == RUN_KEEPALIVE) {
		if (err != LG_OK || !keep) {
			session_fail(s, LG_ERR_UNREACHABLE, "keepalive failed");
			return;
		}
		sess_set_state(s, SESS_IDLE);
		s->owner->state(s, s->owner_arg);
		return;
	}
	if (s->tainted && !(flags & LG_RESULT_TRUNCATED))
		flags |= LG_RESULT_NOCACHE;
	if (keep)
		sess_set_state(s, SESS_IDLE);
	else
		session_discard(s, err, "session not reusable");
	s->owner->done(s, s->owner_arg, err, flags);
}

/* While idle only blank lines and our own prompt may arrive. */
static void
idle_line(void *arg, const char *line, size_t len)
{
	struct session	*s = arg;
	char		 cur[LG_COMMAND_MAX];

	output_rtrim_copy(cur, sizeof(cur), line, len);
	if (cur[0] != '\0' && strcmp(cur, s->out.prompt) != 0)
		s->idle_dirty = 1;
}

static void
idle_input(struct session *s, const char *data, size_t len)
{
	term_feed(&s->out.term, data, len, idle_line, s);
	if (s->idle_dirty)
		session_fail(s, LG_ERR_UNREACHABLE,
		    "unexpected output while idle");
}

static void
sess_input(struct session *s, const char *data, size_t len)
{
	if (s->state == SESS_AUTHENTICATING)
		login_input(s, data, len);
	else if (s->run == RUN_ENABLE)
		enable_input(s, data, len);
	else if (sess_cmd_running(s))
		sess_cmd_input(s, data, len);
	else if (s->state == SESS_IDLE)
		idle_input(s, data, len);
}

static void
sess_read(struct session *s)
{
	char	 buf[SESS_READ_CHUNK];
	ssize_t	 n;

	while (s->state != SESS_BROKEN && s->state != SESS_CONNECTING &&
	    !(s->paused && s->state == SESS_BUSY)) {
		n = s->tr->read(s, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			session_fail(s, LG_ERR_UNREACHABLE, "%s",
			    s->errstr[0] ? s->errstr : "connection closed");
			return;
		}
		sess_input(s, buf, (size_t)n);
	}
	/* A process's end is its transport's to judge, not a prompt's. */
	if (sess_cmd_running(s) && s->state != SESS_BROKEN &&
	    s->tr->exec == NULL && !(s->paused && s->state == SESS_BUSY))
		sess_cmd_event(s);
	session_update_io(s);
}

static void
sess_handshake(struct session *s)
{
	enum lg_err	 err = LG_ERR_UNREACHABLE;
	int		 rc;

	rc = s->tr->handshake(s, &err, s->errstr, sizeof(s->errstr));
	if (rc == -1) {
		session_fail(s, err, "%s", s->errstr);
		return;
	}
	if (rc == 1) {
		session_update_io(s);
		return;
	}
	if (s->hostkey_only) {
		/* HOSTKEY: the key is read, which is all that was asked. */
		sess_end(s, LG_OK, "host key read", 1);
		return;
	}
	sess_set_state(s, SESS_AUTHENTICATING);
	ev_timer_add(&s->t_phase, (uint64_t)s->connect_timeout * 1000);
	sess_read(s);
}

static void
sess_io(int fd, uint32_t events, void *arg)
{
	struct session	*s = arg;

	(void)fd;
	(void)events;
	if (s->state == SESS_CONNECTING)
		sess_handshake(s);
	else if (s->state != SESS_BROKEN)
		sess_read(s);
}

/* Flow control: stop or resume reading while a command runs. */
void
session_pause(struct session *s, int on)
{
	if (s->paused == on || s->state == SESS_BROKEN)
		return;
	s->paused = on;
	session_update_io(s);
	if (!on)
		ev_timer_add(&s->t_kick, 0);
}
