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
 * Commands the broker ends itself, as a terminal user would: vtysh's
 * "ping WORD" runs the system ping without a count, so it never ends on
 * its own.  The driver's interrupt key (lorgnette-drivers(5)) names the
 * query types, a pattern for a reply line, how many replies make an
 * answer and a time bound.  The owner arms the interrupt right after
 * session_run; output.c counts the reply lines of the answer; a short
 * grace after they are counted (SESS_INTR_GRACE_MS), or when the bound
 * passes, the session's transport interrupts the command once: Ctrl-C (0x03) on a terminal, where the pty's line
 * discipline sends SIGINT to the foreground process group, or SIGINT to
 * the command's process group for transport local.  The program then
 * prints what it prints on SIGINT (ping its statistics) and the command
 * ends as every command does, at the prompt or the end of the pipe
 * (sess_cmd.c, sess_local.c).
 */

#include "lg.h"
#include "broker.h"

/* The control character a terminal sends for an interrupt (Ctrl-C). */
#define SESS_INTR_CHAR	"\003"

static void	intr_fire(void *);

void
sess_intr_init(struct session *s)
{
	ev_timer_init(&s->t_intr, intr_fire, s);
}

/*
 * The running command is to be interrupted after count reply lines
 * (lines matching re), or after ms at the latest.
 */
void
sess_intr_arm(struct session *s, const struct lg_regex *re,
    unsigned int count, uint64_t ms)
{
	if (!sess_cmd_running(s))
		return;
	s->intr_armed = 1;
	s->intr_counted = 0;
	s->intr_count = count;
	s->out.intr_re = re;
	s->out.intr_seen = 0;
	ev_timer_add(&s->t_intr, ms);
}

/* Disarms; the command ended or the session closes. */
void
sess_intr_stop(struct session *s)
{
	s->intr_armed = 0;
	s->out.intr_re = NULL;
	ev_timer_del(&s->t_intr);
}

static void
intr_send(struct session *s)
{
	int	 rc;

	sess_intr_stop(s);
	log_debug("router %s: interrupting \"%s\" after %u replies",
	    s->router->name, s->out.command, s->out.intr_seen);
	if (s->tr->interrupt != NULL)
		rc = s->tr->interrupt(s);
	else
		rc = session_send(s, SESS_INTR_CHAR, 0);
	if (rc == -1)
		log_warnx("router %s: could not interrupt \"%s\"",
		    s->router->name, s->out.command);
}

/*
 * The time bound or the grace passed.  While the session confirms an end, the command
 * has likely ended by itself: an interrupt now would reach the router's
 * prompt and draw another one.  The confirmation decides; if the prompt
 * was part of the output after all, the bound is tried again.
 */
static void
intr_fire(void *arg)
{
	struct session	*s = arg;

	if (!s->intr_armed || !sess_cmd_running(s))
		return;
	if (s->wait == WAIT_CONFIRM)
		ev_timer_add(&s->t_intr, SESS_CONFIRM_MS);
	else
		intr_send(s);
}

/*
 * After output was read: are the replies counted?  Then the interrupt
 * waits SESS_INTR_GRACE_MS: a program with a count of its own (ping -c)
 * ends with its last reply, its statistics and prompt often in the next
 * read, and its end then disarms the interrupt.  Nothing is armed when
 * this read ended at the learned prompt already.
 */
void
sess_intr_check(struct session *s)
{
	if (s->intr_armed && !s->intr_counted && sess_cmd_running(s) &&
	    s->out.intr_seen >= s->intr_count && s->last_ev != OUT_DONE &&
	    s->last_ev != OUT_WEAK_PROMPT) {
		s->intr_counted = 1;
		ev_timer_add(&s->t_intr, SESS_INTR_GRACE_MS);
	}
}
