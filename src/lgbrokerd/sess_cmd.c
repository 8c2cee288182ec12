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
 * A command on an open session (session.c starts it with session_run):
 * its output, passed to the owner as it comes, and the judging of its
 * end.  output.c says what the tail of each batch of bytes looks like;
 * this file decides what that means, with one timer per wait (enum
 * sess_wait, at most one armed):
 *
 *   WAIT_OUTPUT   reading; no prompt ends the output yet
 *   WAIT_CONFIRM  the learned prompt ended a batch: an empty line went to
 *                 the router, and only its answer, the same prompt again,
 *                 confirms the end (t_confirm, SESS_CONFIRM_MS; no answer:
 *                 the end is unconfirmed, the answer truncated)
 *   WAIT_WEAK     the learned prompt on a redrawn line: the end once it
 *                 stays SESS_WEAK_MS (t_weak)
 *   WAIT_SETTLE   a prompt that is not the learned one: the session is
 *                 broken once it stays SESS_SETTLE_MS (t_settle)
 *
 * What an end means for the session (next setup command, idle, broken)
 * is session.c's, through session_cmd_end.
 */

#include "lg.h"
#include "broker.h"

static void	wait_settled(void *);
static void	wait_weak(void *);
static void	wait_unconfirmed(void *);

void
sess_cmd_init(struct session *s)
{
	ev_timer_init(&s->t_settle, wait_settled, s);
	ev_timer_init(&s->t_weak, wait_weak, s);
	ev_timer_init(&s->t_confirm, wait_unconfirmed, s);
}

/* Is a command (setup, keepalive or a client's) running? */
int
sess_cmd_running(const struct session *s)
{
	return s->run >= RUN_SETUP;
}

/*
 * How the end of the running command is judged from now on: the timer of
 * the wait is armed and the others are stopped.
 */
void
sess_cmd_wait(struct session *s, enum sess_wait w)
{
	ev_timer_del(&s->t_settle);
	ev_timer_del(&s->t_weak);
	ev_timer_del(&s->t_confirm);
	s->wait = w;
	switch (w) {
	case WAIT_SETTLE:
		ev_timer_add(&s->t_settle, SESS_SETTLE_MS);
		break;
	case WAIT_WEAK:
		ev_timer_add(&s->t_weak, SESS_WEAK_MS);
		break;
	case WAIT_CONFIRM:
		ev_timer_add(&s->t_confirm, SESS_CONFIRM_MS);
		break;
	case WAIT_OUTPUT:
		break;
	}
}

/* The end as the output says: failed if an errors pattern matched. */
static enum lg_err
command_err(const struct session *s)
{
	return s->out.failed ? LG_ERR_COMMAND_FAILED : LG_OK;
}

static void
command_deliver(struct session *s)
{
	if (s->out.out.len > 0 && s->run == RUN_QUERY)
		s->owner->output(s, s->owner_arg, s->out.out.data,
		    s->out.out.len);
	buf_reset(&s->out.out);
}

/*
 * Output of a command.  Lines go to the owner at once; what the tail means
 * is decided by sess_cmd_event once every byte available now was read, so
 * a prompt-like text split across two reads is not taken for the end.
 */
void
sess_cmd_input(struct session *s, const char *data, size_t len)
{
	s->last_ev = output_feed(&s->out, data, len);
	command_deliver(s);
	sess_intr_check(s);
}

/*
 * The learned prompt ended a batch: send an empty line (unless one is
 * still unanswered) and hold blank and prompt lines until its answer
 * shows whether that prompt was the end.
 */
static void
command_probe(struct session *s)
{
	if (!s->owed) {
		if (session_send(s, "", 1) == -1)
			return;
		s->owed = 1;
	}
	output_hold(&s->out);
	sess_cmd_wait(s, WAIT_CONFIRM);
}

/* A prompt other than the learned one stayed: the session is lost. */
static void
wait_settled(void *arg)
{
	struct session	*s = arg;

	s->wait = WAIT_OUTPUT;
	session_fail(s, LG_ERR_COMMAND_FAILED,
	    "unexpected prompt after command");
}

/* The redrawn prompt stayed: it was the end after all. */
static void
wait_weak(void *arg)
{
	struct session	*s = arg;

	s->wait = WAIT_OUTPUT;
	session_cmd_end(s, command_err(s), 0, 1);
}

/* The empty line went unanswered: an end that is not confirmed. */
static void
wait_unconfirmed(void *arg)
{
	struct session	*s = arg;

	log_warnx("router %s: no prompt in answer to a newline after "
	    "\"%s\"; its end is not confirmed", s->router->name,
	    s->out.command);
	s->wait = WAIT_OUTPUT;
	output_unhold(&s->out);
	session_cmd_end(s, command_err(s), LG_RESULT_TRUNCATED, 0);
}

/*
 * While an empty line is unanswered: its answer ends the command (what is
 * held is dropped).  Output instead means the prompt-like text was part
 * of the answer: the held lines went back to the output, the command goes
 * on, the empty line stays owed (its answer comes after the real end, or
 * with it), and the answer is not to be cached.  Returns 1 when the tail
 * is to be judged as usual, 0 when it was handled.
 */
static int
command_confirm(struct session *s)
{
	if (output_confirm(&s->out)) {
		if (s->out.held_bad)
			s->tainted = 1;
		s->owed = 0;
		output_unhold(&s->out);
		session_cmd_end(s, command_err(s), 0, 1);
		return 0;
	}
	if (s->out.held_bad) {
		if (!s->tainted)
			log_debug("router %s: a prompt-like line inside the "
			    "output of \"%s\"", s->router->name,
			    s->out.command);
		s->tainted = 1;
		s->out.held_bad = 0;
		sess_cmd_wait(s, WAIT_OUTPUT);
		return 1;
	}
	return s->wait != WAIT_CONFIRM;
}

/* What the tail at the end of a batch means for the running command. */
void
sess_cmd_event(struct session *s)
{
	enum out_event	 ev = s->last_ev;

	s->last_ev = OUT_MORE;
	if (s->out.truncated) {
		session_cmd_end(s, LG_OK, LG_RESULT_TRUNCATED, 0);
		return;
	}
	if (s->out.hold && !command_confirm(s))
		return;
	if (ev == OUT_BARE_PROMPT && s->state == SESS_PREPARING) {
		/* A setup command's prompt came without its echo. */
		s->out.noecho = s->out.echo_seen = 1;
		ev = output_tail_event(&s->out);
	}
	switch (ev) {
	case OUT_PAGER:
		session_send(s, s->drv->pager_key ? s->drv->pager_key : " ", 0);
		break;
	case OUT_DONE:
		command_probe(s);
		break;
	case OUT_OTHER_PROMPT:
		sess_cmd_wait(s, WAIT_SETTLE);
		break;
	case OUT_WEAK_PROMPT:
		sess_cmd_wait(s, WAIT_WEAK);
		break;
	case OUT_MORE:
	case OUT_BARE_PROMPT:
		sess_cmd_wait(s, WAIT_OUTPUT);
		break;
	}
}
