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
 * Unit tests of the session state machine (src/lgbrokerd/session.c)
 * through its transport seam: a fake transport whose descriptor is one
 * end of a socket pair.  The test plays the router on the other end and
 * reads what the session wrote from the fake's record; the clock is the
 * event loop's fake clock, so quiet periods and timeouts are exact.
 */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lg.h"
#include "lgbrokerd/broker.h"

/* The fake transport. */
static struct {
	int		 fd;		/* the session's end */
	int		 peer;		/* the router's end */
	enum lg_err	 hs_err;	/* handshake fails with this */
	int		 hs_again;	/* handshake rounds before done */
	struct lg_buf	 sent;
} fk;

static int
fake_open(struct session *s, char *err, size_t len)
{
	(void)err;
	(void)len;
	s->tr_ctx = &fk;
	return 0;
}

static int
fake_handshake(struct session *s, enum lg_err *err, char *errstr, size_t len)
{
	(void)s;
	if (fk.hs_err != LG_OK) {
		*err = fk.hs_err;
		snprintf(errstr, len, "scripted failure");
		return -1;
	}
	return fk.hs_again-- > 0 ? 1 : 0;
}

static ssize_t
fake_read(struct session *s, char *buf, size_t len)
{
	ssize_t	 n;

	(void)s;
	n = recv(fk.fd, buf, len, MSG_DONTWAIT);
	if (n > 0)
		return n;
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return -1;
}

static int
fake_write(struct session *s, const char *buf, size_t len)
{
	(void)s;
	return buf_append(&fk.sent, buf, len);
}

static uint32_t
fake_events(struct session *s)
{
	return s->state == SESS_CONNECTING ? EPOLLOUT : EPOLLIN;
}

static int
fake_fd(struct session *s)
{
	(void)s;
	return fk.fd;
}

static void
fake_close(struct session *s)
{
	(void)s;
	if (fk.fd != -1)
		close(fk.fd);
	fk.fd = -1;
}

static const struct sess_transport fake_transport = {
	.name = "fake", .login = 1, .open = fake_open,
	.handshake = fake_handshake, .read = fake_read, .write = fake_write,
	.events = fake_events, .fd = fake_fd, .close = fake_close,
};

/* What the owner saw. */
static struct {
	int		 states;	/* state() calls */
	int		 dones;
	enum lg_err	 done_err;
	int		 done_flags;
	struct lg_buf	 output;
	int		 pause_after;	/* pause when output passes this */
} own;

static void
own_state(struct session *s, void *arg)
{
	(void)s;
	(void)arg;
	own.states++;
}

static void
own_output(struct session *s, void *arg, const char *data, size_t len)
{
	(void)arg;
	assert_int_equal(buf_append(&own.output, data, len), 0);
	if (own.pause_after && own.output.len >= (size_t)own.pause_after)
		session_pause(s, 1);
}

static void
own_done(struct session *s, void *arg, enum lg_err err, int flags)
{
	(void)s;
	(void)arg;
	own.dones++;
	own.done_err = err;
	own.done_flags = flags;
}

static const struct sess_owner owner = {
	own_state, own_output, own_done
};

/* A hand-built generation: one router, one credential, one driver. */
static struct gen	 gen;
static struct lg_router	 router;
static struct lg_credential cred;
static struct lg_driver	 drv;
static struct lg_regex	 errs[1];
static char		*setup[1];

static void
compile(struct lg_regex *re, const char *src)
{
	char	 err[128];

	assert_int_equal(regex_compile(re, src, err, sizeof(err)), 0);
}

static int
group_setup(void **state)
{
	(void)state;
	config_router_defaults(&router, TRANSPORT_SSH);
	lg_strlcpy(router.name, "r1", sizeof(router.name));
	lg_strlcpy(router.driver, "fake-ios", sizeof(router.driver));
	lg_strlcpy(router.credential, "c", sizeof(router.credential));
	lg_strlcpy(cred.name, "c", sizeof(cred.name));
	cred.username = xstrdup("lg");
	cred.password = xstrdup("pw");
	lg_strlcpy(drv.name, "fake-ios", sizeof(drv.name));
	compile(&drv.prompt, "[A-Za-z0-9_.()-]+[#>]\\s*\\z");
	compile(&drv.username_prompt, "Username:\\s*\\z");
	compile(&drv.password_prompt, "Password:\\s*\\z");
	compile(&drv.login_failed, "% (Login invalid|Authentication failed)");
	compile(&drv.pager, " --More-- \\z");
	compile(&errs[0], "^% Invalid input");
	drv.errors = errs;
	drv.nerrors = 1;
	setup[0] = xstrdup("terminal length 0");
	drv.setup = setup;
	drv.nsetup = 1;
	drv.newline = "\n";
	gen.refs = 1;
	config_defaults(&gen.conf);
	gen.conf.routers = &router;
	gen.conf.nrouters = 1;
	gen.conf.broker.connect_timeout = 5;
	gen.creds.creds = &cred;
	gen.creds.ncreds = 1;
	gen.drivers.drivers = &drv;
	gen.drivers.ndrivers = 1;
	ev_fake_clock(1);
	assert_int_equal(ev_init(), 0);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	assert_int_equal(gen.refs, 1);
	gen.conf.routers = NULL;
	config_free(&gen.conf);
	regex_free(&drv.prompt);
	regex_free(&drv.username_prompt);
	regex_free(&drv.password_prompt);
	regex_free(&drv.login_failed);
	regex_free(&drv.pager);
	regex_free(&errs[0]);
	free(setup[0]);
	free(cred.username);
	free(cred.password);
	ev_free();
	return 0;
}

static struct session *
start(void)
{
	struct session	*s;
	int		 sv[2];

	memset(&own, 0, sizeof(own));
	buf_init(&own.output, 1 << 20);
	buf_append(&own.output, "", 0);
	buf_init(&fk.sent, 1 << 20);
	buf_append(&fk.sent, "", 0);
	fk.hs_err = LG_OK;
	fk.hs_again = 1;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fk.fd = sv[0];
	fk.peer = sv[1];
	s = session_new(&gen, &router, NULL, 0, &fake_transport, &owner,
	    NULL);
	assert_non_null(s);
	assert_int_equal(session_start(s), 0);
	assert_int_equal(s->state, SESS_CONNECTING);
	return s;
}

static void
finish(struct session *s)
{
	session_free(s);
	close(fk.peer);
	buf_free(&fk.sent);
	buf_free(&own.output);
}

/* Lets the loop handle whatever is readable now. */
static void
spin(void)
{
	int	 i;

	for (i = 0; i < 4; i++)
		assert_int_equal(ev_loop_once(0), 0);
}

static void
say(const char *text)
{
	assert_int_equal(write(fk.peer, text, strlen(text)),
	    (ssize_t)strlen(text));
	spin();
}

/* Checks and forgets what the session wrote. */
static void
sent(const char *expect)
{
	assert_string_equal(fk.sent.len ? fk.sent.data : "", expect);
	buf_reset(&fk.sent);
}

/* The router answers the empty line sent to confirm an end. */
static void
prompt_again(void)
{
	sent("\n");
	say("\r\nR1#");
}

/* The full login of a telnet-like router, up to idle. */
static struct session *
login(void)
{
	struct session	*s = start();

	spin();
	spin();
	assert_int_equal(s->state, SESS_AUTHENTICATING);
	say("\r\nUser Access Verification\r\n\r\nUsername: ");
	sent("lg\n");
	say("lg\r\nPassword: ");
	sent("pw\n");
	say("\r\n\r\nR1#");
	sent("");
	ev_advance(SESS_QUIET_MS);
	sent("\n");
	say("\r\nR1#");
	assert_int_equal(s->state, SESS_PREPARING);
	assert_string_equal(s->out.prompt, "R1#");
	sent("terminal length 0\n");
	say("terminal length 0\r\nR1#");
	assert_int_equal(s->state, SESS_PREPARING);
	prompt_again();
	assert_int_equal(s->state, SESS_IDLE);
	assert_int_equal(own.states, 1);
	return s;
}

static void
test_login_and_command(void **state)
{
	struct session	*s;

	(void)state;
	s = login();
	assert_int_equal(session_run(s, "show ip bgp 1.0.0.0/24", 0), 0);
	assert_int_equal(s->state, SESS_BUSY);
	sent("show ip bgp 1.0.0.0/24\n");
	say("show ip bgp 1.0.0.0/24\r\nBGP routing table entry\r\n");
	say("  Paths: (1 available)\r\n --More-- ");
	sent(" ");
	say("\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b  65000\r\nR1#");
	assert_int_equal(own.dones, 0);
	prompt_again();
	assert_int_equal(own.dones, 1);
	assert_int_equal(own.done_err, LG_OK);
	assert_string_equal(own.output.data, "BGP routing table entry\n"
	    "  Paths: (1 available)\n  65000\n");
	assert_int_equal(s->state, SESS_IDLE);
	/* The session is reusable: a second command. */
	assert_int_equal(session_run(s, "show x", 0), 0);
	sent("show x\n");
	say("show x\r\n% Invalid input detected\r\nR1#");
	prompt_again();
	assert_int_equal(own.dones, 2);
	assert_int_equal(own.done_err, LG_ERR_COMMAND_FAILED);
	assert_int_equal(s->state, SESS_IDLE);
	finish(s);
}

/*
 * A command that never ends by itself (vtysh's ping): once the count of
 * reply lines came, the session writes Ctrl-C once, and the statistics
 * the program prints then end at the prompt as usual; another command
 * whose replies never come is interrupted at the time bound, and a
 * command that ends first leaves nothing armed.
 */
static void
test_interrupt(void **state)
{
	struct lg_regex	 re;
	struct session	*s;

	(void)state;
	compile(&re, "^\\d+ bytes from ");
	s = login();
	assert_int_equal(session_run(s, "ping 192.0.2.1", 0), 0);
	sess_intr_arm(s, &re, 2, 10000);
	sent("ping 192.0.2.1\n");
	say("ping 192.0.2.1\r\nPING 192.0.2.1 56(84) bytes of data.\r\n"
	    "64 bytes from 192.0.2.1: icmp_seq=1\r\n");
	sent("");
	say("64 bytes from 192.0.2.1: icmp_seq=2\r\n");
	sent("");		/* the grace */
	ev_advance(SESS_INTR_GRACE_MS - 1);
	sent("");
	ev_advance(1);
	sent("\003");
	say("64 bytes from 192.0.2.1: icmp_seq=3\r\n");
	sent("");		/* once only */
	say("^C\r\n--- 192.0.2.1 ping statistics ---\r\n"
	    "3 packets transmitted, 3 received\r\nR1#");
	prompt_again();
	assert_int_equal(own.dones, 1);
	assert_int_equal(own.done_err, LG_OK);
	assert_non_null(strstr(own.output.data, "3 packets transmitted"));
	assert_int_equal(s->state, SESS_IDLE);

	/* No reply: the bound. */
	assert_int_equal(session_run(s, "ping 192.0.2.9", 0), 0);
	sess_intr_arm(s, &re, 2, 10000);
	sent("ping 192.0.2.9\n");
	say("ping 192.0.2.9\r\nPING 192.0.2.9 56(84) bytes of data.\r\n");
	ev_advance(9999);
	sent("");
	ev_advance(1);
	sent("\003");
	say("^C\r\n2 packets transmitted, 0 received\r\nR1#");
	prompt_again();
	assert_int_equal(own.dones, 2);
	assert_false(ev_timer_pending(&s->t_intr));

	/* Ended by itself before its replies: nothing is sent later. */
	assert_int_equal(session_run(s, "ping 192.0.2.3", 0), 0);
	sess_intr_arm(s, &re, 5, 10000);
	sent("ping 192.0.2.3\n");
	say("ping 192.0.2.3\r\nping: unknown host\r\nR1#");
	prompt_again();
	assert_int_equal(own.dones, 3);
	assert_false(ev_timer_pending(&s->t_intr));
	assert_null(s->out.intr_re);
	ev_advance(20000);
	sent("");

	/*
	 * A ping with a count of its own ends with its last reply, the
	 * prompt in the same read: no interrupt, which would reach the
	 * prompt and draw another.
	 */
	assert_int_equal(session_run(s, "ping 192.0.2.4", 0), 0);
	sess_intr_arm(s, &re, 2, 10000);
	sent("ping 192.0.2.4\n");
	say("ping 192.0.2.4\r\n64 bytes from 192.0.2.4: icmp_seq=1\r\n"
	    "64 bytes from 192.0.2.4: icmp_seq=2\r\n"
	    "2 packets transmitted, 2 received\r\nR1#");
	prompt_again();
	assert_int_equal(own.dones, 4);
	assert_false(ev_timer_pending(&s->t_intr));

	/*
	 * Its last reply in one read, its statistics and the prompt in the
	 * next, within the grace: no interrupt either.
	 */
	assert_int_equal(session_run(s, "ping 192.0.2.6", 0), 0);
	sess_intr_arm(s, &re, 2, 10000);
	sent("ping 192.0.2.6\n");
	say("ping 192.0.2.6\r\n64 bytes from 192.0.2.6: icmp_seq=1\r\n"
	    "64 bytes from 192.0.2.6: icmp_seq=2\r\n");
	ev_advance(SESS_INTR_GRACE_MS / 2);
	sent("");
	say("--- 192.0.2.6 ping statistics ---\r\n"
	    "2 packets transmitted, 2 received\r\nR1#");
	prompt_again();
	assert_int_equal(own.dones, 5);
	assert_false(ev_timer_pending(&s->t_intr));
	ev_advance(SESS_INTR_GRACE_MS);
	sent("");

	/* Its end being confirmed when the bound passes: no interrupt. */
	assert_int_equal(session_run(s, "ping 192.0.2.5", 0), 0);
	sess_intr_arm(s, &re, 5, 10000);
	sent("ping 192.0.2.5\n");
	ev_advance(9999);
	say("ping 192.0.2.5\r\n2 packets transmitted, 0 received\r\nR1#");
	sent("\n");
	ev_advance(1);
	sent("");
	say("\r\nR1#");
	assert_int_equal(own.dones, 6);
	assert_false(ev_timer_pending(&s->t_intr));
	ev_advance(20000);
	sent("");
	finish(s);
	regex_free(&re);
}

/*
 * A command typed ahead while the router's line editor was not reading
 * (an interrupt reached its prompt and drew another) comes back twice:
 * from the terminal, then behind the prompt from the line editor.  The
 * second echo is not the answer.
 */
static void
test_echo_twice(void **state)
{
	struct session	*s;

	(void)state;
	s = login();
	assert_int_equal(session_run(s, "traceroute ip 192.0.2.1", 0), 0);
	sent("traceroute ip 192.0.2.1\n");
	say("\r\nR1#traceroute ip 192.0.2.1\r\n");
	say("R1# traceroute ip 192.0.2.1\r\n"
	    "traceroute to 192.0.2.1 (192.0.2.1), 15 hops max\r\n"
	    " 1  192.0.2.1  0.1 ms\r\nR1#");
	prompt_again();
	assert_int_equal(own.dones, 1);
	assert_string_equal(own.output.data,
	    "traceroute to 192.0.2.1 (192.0.2.1), 15 hops max\n"
	    " 1  192.0.2.1  0.1 ms\n");
	/* Only right behind the echo: later, it is the router's text. */
	buf_reset(&own.output);
	assert_int_equal(session_run(s, "show x", 0), 0);
	sent("show x\n");
	say("show x\r\nfirst\r\nR1#show x\r\nR1#");
	prompt_again();
	assert_string_equal(own.output.data, "first\nR1#show x\n");
	finish(s);
}

/* A banner whose last line looks like a prompt is not taken for one. */
static void
test_banner_prompt_like(void **state)
{
	struct session	*s;

	(void)state;
	s = start();
	spin();
	spin();
	fk.hs_again = 0;
	say("##########\r\n# Authorised use only #\r\nmotd>");
	ev_advance(SESS_QUIET_MS);
	sent("\n");
	/* The real prompt comes, then the answer to our newline. */
	say(" more banner text\r\nR1#");
	assert_int_equal(s->state, SESS_AUTHENTICATING);
	say("\r\nR1#");
	ev_advance(SESS_QUIET_MS);
	sent("\n");
	say("\r\nR1#");
	assert_int_equal(s->state, SESS_PREPARING);
	assert_string_equal(s->out.prompt, "R1#");
	finish(s);
}

/* The prompt is believed only after silence: more banner resets it. */
static void
test_prompt_needs_quiet(void **state)
{
	struct session	*s;

	(void)state;
	s = start();
	spin();
	spin();
	say("Welcome to router#");
	ev_advance(SESS_QUIET_MS - 1);
	say("\r\nthe end of the banner\r\nR1#");
	ev_advance(SESS_QUIET_MS - 1);
	sent("");
	ev_advance(1);
	sent("\n");
	say("\r\nR1#");
	assert_string_equal(s->out.prompt, "R1#");
	finish(s);
}

static void
test_login_failed(void **state)
{
	struct session	*s;

	(void)state;
	s = start();
	spin();
	spin();
	say("Username: ");
	say("lg\r\nPassword: ");
	say("\r\n% Login invalid\r\n\r\nUsername: ");
	assert_int_equal(s->state, SESS_BROKEN);
	assert_int_equal(s->err, LG_ERR_AUTH);
	assert_string_equal(s->errstr, "login failed");
	assert_int_equal(own.states, 1);
	finish(s);
}

static void
test_handshake_error(void **state)
{
	struct session	*s;

	(void)state;
	s = start();
	fk.hs_err = LG_ERR_HOSTKEY;
	spin();
	assert_int_equal(s->state, SESS_BROKEN);
	assert_int_equal(s->err, LG_ERR_HOSTKEY);
	assert_int_equal(own.states, 1);
	finish(s);
}

/* HOSTKEY reads the key and stops: an end as planned, not a failure. */
static void
test_hostkey_only(void **state)
{
	struct session	*s;

	(void)state;
	s = start();
	s->hostkey_only = 1;
	spin();
	assert_int_equal(s->state, SESS_BROKEN);
	assert_int_equal(s->err, LG_OK);
	assert_string_equal(s->errstr, "host key read");
	assert_int_equal(own.states, 1);
	assert_int_equal(own.dones, 0);
	finish(s);
}

/* The transitions of DESIGN.md section 5, and no others. */
static void
test_transitions(void **state)
{
	static const char *const graph[] = {
		"connecting connecting", "connecting authenticating",
		"connecting broken", "authenticating preparing",
		"authenticating broken", "preparing idle", "preparing broken",
		"idle busy", "idle broken", "busy idle", "busy broken",
		"connecting idle",	/* a transport of processes */
		NULL
	};
	char		 pair[64];
	int		 from, to, want;
	size_t		 i;

	(void)state;
	for (from = SESS_CONNECTING; from <= SESS_BROKEN + 1; from++)
		for (to = SESS_CONNECTING; to <= SESS_BROKEN + 1; to++) {
			snprintf(pair, sizeof(pair), "%s %s",
			    session_state_name(from), session_state_name(to));
			for (want = 0, i = 0; graph[i] != NULL; i++)
				if (strcmp(graph[i], pair) == 0)
					want = 1;
			if (session_transition_valid(from, to) != want)
				fail_msg("%s: expected %svalid", pair,
				    want ? "" : "in");
		}
}

static void
test_connect_timeout(void **state)
{
	struct session	*s;

	(void)state;
	s = start();
	fk.hs_again = 1000000;
	spin();
	assert_int_equal(s->state, SESS_CONNECTING);
	ev_advance(5000);
	assert_int_equal(s->state, SESS_BROKEN);
	assert_int_equal(s->err, LG_ERR_UNREACHABLE);
	finish(s);
}

static void
test_setup_fails(void **state)
{
	struct session	*s;

	(void)state;
	s = start();
	spin();
	spin();
	say("R1#");
	ev_advance(SESS_QUIET_MS);
	say("\r\nR1#");
	sent("\nterminal length 0\n");
	say("terminal length 0\r\n% Invalid input detected\r\nR1#");
	prompt_again();
	assert_int_equal(s->state, SESS_BROKEN);
	assert_int_equal(s->err, LG_ERR_COMMAND_FAILED);
	assert_int_equal(own.states, 1);
	assert_int_equal(own.dones, 0);
	finish(s);
}

/* A command ending at another prompt leaves the session broken. */
static void
test_other_prompt(void **state)
{
	struct session	*s;

	(void)state;
	s = login();
	session_run(s, "show x", 0);
	say("show x\r\nout\r\nR1(config)#");
	assert_int_equal(own.dones, 0);
	ev_advance(SESS_SETTLE_MS);
	assert_int_equal(own.dones, 1);
	assert_int_equal(own.done_err, LG_ERR_COMMAND_FAILED);
	assert_int_equal(s->state, SESS_BROKEN);
	finish(s);
}

/* Output while idle means the session is not in a known state. */
static void
test_idle_output(void **state)
{
	struct session	*s;

	(void)state;
	s = login();
	say("\r\nR1#");
	assert_int_equal(s->state, SESS_IDLE);
	say("\r\n%SYS-5-CONFIG_I: Configured from console\r\n");
	assert_int_equal(s->state, SESS_BROKEN);
	assert_int_equal(own.states, 2);
	finish(s);
}

static void
test_peer_closes(void **state)
{
	struct session	*s;

	(void)state;
	s = login();
	session_run(s, "show x", 0);
	say("show x\r\npartial");
	shutdown(fk.peer, SHUT_WR);
	spin();
	assert_int_equal(own.dones, 1);
	assert_int_equal(own.done_err, LG_ERR_UNREACHABLE);
	assert_int_equal(s->state, SESS_BROKEN);
	finish(s);
}

static void
test_pause(void **state)
{
	struct session	*s;

	(void)state;
	s = login();
	own.pause_after = 1;
	session_run(s, "show x", 0);
	sent("show x\n");
	say("show x\r\nline 1\r\n");
	assert_true(s->paused);
	say("line 2\r\nR1#");
	assert_string_equal(own.output.data, "line 1\n");
	assert_int_equal(own.dones, 0);
	own.pause_after = 0;
	session_pause(s, 0);
	spin();
	prompt_again();
	assert_string_equal(own.output.data, "line 1\nline 2\n");
	assert_int_equal(own.dones, 1);
	assert_int_equal(s->state, SESS_IDLE);
	finish(s);
}

/*
 * Conversations as tables: each script is what the router says, what the
 * session must write and what the owner must have seen by then, step by
 * step from an idle session (login()) or from a fresh one (start()).
 */
enum step_op {
	S_END,
	S_SPIN,		/* let the loop run */
	S_RUN,		/* session_run(text, n = keepalive) returns 0 */
	S_SAY,		/* the router prints text */
	S_SENT,		/* the session wrote text since the last check */
	S_WAIT,		/* n milliseconds pass */
	S_AGAIN,	/* prompt_again() */
	S_SET_NOECHO,	/* the session takes the router for one without echo */
	S_DONES,	/* own.dones == n */
	S_STATES,	/* own.states == n */
	S_ERR,		/* own.done_err == n */
	S_FLAGS,	/* own.done_flags == n */
	S_OUTPUT,	/* the owner's output is text */
	S_STATE,	/* s->state == n */
	S_PROMPT,	/* the prompt learnt is text */
	S_NOECHO,	/* s->out.noecho == n */
	S_LOGIN,	/* s->login == n */
	S_RUNNING,	/* s->run == n */
	S_WAITING	/* s->wait == n */
};

struct step {
	enum step_op	 op;
	const char	*text;
	long		 n;
};

struct script {
	int		 from_login;	/* else from start() */
	size_t		 output_cap;	/* broker.output_cap during login */
	const struct step *steps;
};

#define RUN(c)		{ S_RUN, (c), 0 }
#define SAY(t)		{ S_SAY, (t), 0 }
#define SENT(t)		{ S_SENT, (t), 0 }
#define WAIT(ms)	{ S_WAIT, NULL, (ms) }
#define IS(op, v)	{ (op), NULL, (v) }
#define OUTPUT(t)	{ S_OUTPUT, (t), 0 }
#define STEP(op)	{ (op), NULL, 0 }

static void
step_do(struct session *s, const struct step *st)
{
	switch (st->op) {
	case S_SPIN:
		spin();
		break;
	case S_RUN:
		assert_int_equal(session_run(s, st->text, (int)st->n), 0);
		break;
	case S_SAY:
		say(st->text);
		break;
	case S_SENT:
		sent(st->text);
		break;
	case S_WAIT:
		ev_advance(st->n);
		break;
	case S_AGAIN:
		prompt_again();
		break;
	case S_SET_NOECHO:
		s->out.noecho = 1;
		break;
	case S_DONES:
		assert_int_equal(own.dones, st->n);
		break;
	case S_STATES:
		assert_int_equal(own.states, st->n);
		break;
	case S_ERR:
		assert_int_equal(own.done_err, st->n);
		break;
	case S_FLAGS:
		assert_int_equal(own.done_flags, st->n);
		break;
	case S_OUTPUT:
		assert_string_equal(own.output.data, st->text);
		break;
	case S_STATE:
		assert_int_equal(s->state, st->n);
		break;
	case S_PROMPT:
		assert_string_equal(s->out.prompt, st->text);
		break;
	case S_NOECHO:
		assert_int_equal(s->out.noecho, st->n);
		break;
	case S_LOGIN:
		assert_int_equal(s->login, st->n);
		break;
	case S_RUNNING:
		assert_int_equal(s->run, st->n);
		break;
	case S_WAITING:
		assert_int_equal(s->wait, st->n);
		break;
	case S_END:
		fail_msg("a step after the end");
	}
}

/* Plays the script in *state from its start to S_END. */
static void
test_script(void **state)
{
	const struct script	*sc = *state;
	const struct step	*st;
	struct session		*s;
	size_t			 cap = gen.conf.broker.output_cap;

	gen.conf.broker.output_cap = sc->output_cap;
	s = sc->from_login ? login() : start();
	gen.conf.broker.output_cap = cap;
	for (st = sc->steps; st->op != S_END; st++)
		step_do(s, st);
	finish(s);
}

/* The answer is cut at the output cap and the session recycled. */
static const struct step steps_truncated[] = {
	RUN("show x"),
	SAY("show x\r\n12345\r\n67890\r\nabc\r\n"), IS(S_DONES, 1),
	IS(S_FLAGS, LG_RESULT_TRUNCATED), OUTPUT("12345\n"),
	IS(S_STATE, SESS_BROKEN),
	STEP(S_END)
};

/* A keepalive: no output and no done reach the owner, only a state. */
static const struct step steps_keepalive[] = {
	{ S_RUN, "show clock", 1 }, SENT("show clock\n"),
	IS(S_STATE, SESS_BUSY), IS(S_RUNNING, RUN_KEEPALIVE),
	SAY("show clock\r\n12:00:00.000 UTC\r\nR1#"),
	IS(S_WAITING, WAIT_CONFIRM), STEP(S_AGAIN),
	IS(S_STATE, SESS_IDLE), IS(S_STATES, 2), IS(S_DONES, 0), OUTPUT(""),
	IS(S_RUNNING, RUN_NONE), IS(S_WAITING, WAIT_OUTPUT),
	STEP(S_END)
};

/* A prompt redrawn on a CR-started line ends a command only after quiet. */
static const struct step steps_weak_prompt[] = {
	RUN("show x"), SENT("show x\n"), IS(S_RUNNING, RUN_QUERY),
	SAY("show x\r\n\rR1#"), IS(S_WAITING, WAIT_WEAK),
	WAIT(SESS_WEAK_MS - 1), IS(S_DONES, 0),
	SAY("\r\x1b[Kanswer\r\nR1#"), IS(S_WAITING, WAIT_CONFIRM),
	STEP(S_AGAIN), IS(S_DONES, 1),
	OUTPUT("answer\n"), IS(S_STATE, SESS_IDLE),
	RUN("show y"),
	SAY("show y\r\n\rR1#"),
	WAIT(SESS_WEAK_MS), IS(S_DONES, 2), IS(S_ERR, LG_OK),
	IS(S_STATE, SESS_IDLE),
	STEP(S_END)
};

/*
 * A prompt-like line at a chunk boundary ("line1\r\nR1#", a pause, then
 * more) is not the end: the empty line sent to confirm it does not bring
 * the prompt back first, so the line is output and the command goes on
 * until its real end and the answer to that newline.  The newline is
 * still owed then: no second one is sent.  The session is clean
 * afterwards: the next command is answered as usual.
 */
static const struct step steps_fake_prompt_boundary[] = {
	RUN("show x"), SENT("show x\n"),
	SAY("show x\r\nline1\r\nR1#"), IS(S_DONES, 0), SENT("\n"),
	IS(S_WAITING, WAIT_CONFIRM),
	SAY("\r\nmore\r\nR1#"), IS(S_DONES, 0), IS(S_WAITING, WAIT_CONFIRM),
	OUTPUT("line1\nR1#\nmore\n"), SENT(""),
	SAY("\r\nR1#"), IS(S_DONES, 1), IS(S_ERR, LG_OK),
	IS(S_FLAGS, LG_RESULT_NOCACHE), OUTPUT("line1\nR1#\nmore\n"),
	IS(S_STATE, SESS_IDLE),
	RUN("show y"), SENT("show y\n"),
	SAY("show y\r\nok\r\nR1#"), STEP(S_AGAIN), IS(S_DONES, 2),
	IS(S_FLAGS, 0), OUTPUT("line1\nR1#\nmore\nok\n"),
	STEP(S_END)
};

/*
 * The same, when the real end and the answer to the owed newline arrive
 * in one batch, with echo and without.
 */
static const struct step steps_fake_prompt_same_batch[] = {
	RUN("show x"), SENT("show x\n"),
	SAY("show x\r\nline1\r\nR1#"), SENT("\n"),
	SAY("\r\nmore\r\nR1#\r\nR1#"), IS(S_DONES, 1), IS(S_ERR, LG_OK),
	IS(S_FLAGS, LG_RESULT_NOCACHE), OUTPUT("line1\nR1#\nmore\n"),
	IS(S_STATE, SESS_IDLE),
	STEP(S_SET_NOECHO),
	RUN("show y"), SENT("show y\n"),
	SAY("y1\r\nR1#"), SENT("\n"),
	SAY("y2\r\nR1#R1#"), IS(S_DONES, 2), IS(S_FLAGS, LG_RESULT_NOCACHE),
	OUTPUT("line1\nR1#\nmore\ny1\nR1#y2\n"), IS(S_STATE, SESS_IDLE),
	STEP(S_END)
};

/* A prompt-like line inside one batch of output is output. */
static const struct step steps_prompt_line_inside[] = {
	RUN("show x"), SENT("show x\n"),
	SAY("show x\r\nline1\r\nR1#\r\nR1# line2\r\nR1#"), IS(S_DONES, 0),
	STEP(S_AGAIN), IS(S_DONES, 1), IS(S_FLAGS, 0),
	OUTPUT("line1\nR1#\nR1# line2\n"), IS(S_STATE, SESS_IDLE),
	STEP(S_END)
};

/*
 * No answer to the confirming newline: the end is not believed, the
 * answer is marked truncated (never cached) and the session is recycled.
 */
static const struct step steps_confirm_timeout[] = {
	RUN("show x"), SENT("show x\n"),
	SAY("show x\r\nline1\r\nR1#"), SENT("\n"),
	WAIT(SESS_CONFIRM_MS - 1), IS(S_DONES, 0),
	WAIT(1), IS(S_DONES, 1), IS(S_FLAGS, LG_RESULT_TRUNCATED),
	OUTPUT("line1\n"), IS(S_STATE, SESS_BROKEN),
	STEP(S_END)
};

/*
 * A router that echoes nothing, neither the command nor its newline: the
 * login's newline brings the prompt back on the same line ("R1#R1#").
 * An empty answer is the prompt alone.
 */
static const struct step steps_noecho[] = {
	STEP(S_SPIN),
	STEP(S_SPIN),
	SAY("\r\nUser Access Verification\r\n\r\nUsername: "), SENT("lg\n"),
	SAY("Password: "), SENT("pw\n"),
	SAY("\r\nR1#"), IS(S_LOGIN, LOGIN_QUIET),
	WAIT(SESS_QUIET_MS), SENT("\n"), IS(S_LOGIN, LOGIN_PROBE),
	SAY("R1#"), IS(S_STATE, SESS_PREPARING), { S_PROMPT, "R1#", 0 },
	IS(S_RUNNING, RUN_SETUP),
	IS(S_NOECHO, 1), SENT("terminal length 0\n"),
	SAY("R1#"), SENT("\n"),
	SAY("R1#"), IS(S_STATE, SESS_IDLE),
	RUN("show x"), SENT("show x\n"),
	SAY("line1\r\n\r\nline2\r\nR1#"), SENT("\n"), IS(S_DONES, 0),
	SAY("R1#"), IS(S_DONES, 1), IS(S_FLAGS, 0),
	OUTPUT("line1\n\nline2\n"),
	RUN("show y"), SENT("show y\n"),
	SAY("R1#"), SENT("\n"),
	SAY("R1#"), IS(S_DONES, 2), OUTPUT("line1\n\nline2\n"),
	IS(S_STATE, SESS_IDLE),
	STEP(S_END)
};

/*
 * A router that echoes the command but not its newline: the answer's
 * first line follows the echo on the same line.
 */
static const struct step steps_echo_without_newline[] = {
	RUN("show x"), SENT("show x\n"),
	SAY("show xline1\r\nline2\r\nR1#"), STEP(S_AGAIN), IS(S_DONES, 1),
	OUTPUT("line1\nline2\n"),
	STEP(S_SET_NOECHO),
	RUN("show y"), SENT("show y\n"),
	SAY("show yline3\r\nR1#"), SENT("\n"),
	SAY("R1#"), IS(S_DONES, 2), OUTPUT("line1\nline2\nline3\n"),
	STEP(S_END)
};

/*
 * A router that echoes nothing but prints a blank line before each
 * prompt looks like an echoing one at login; its first setup command
 * coming back without an echo tells.
 */
static const struct step steps_noecho_blank_line[] = {
	STEP(S_SPIN),
	STEP(S_SPIN),
	SAY("Username: "),
	SAY("Password: "),
	SAY("\r\n\r\nR1#"),
	WAIT(SESS_QUIET_MS), SENT("lg\npw\n\n"),
	SAY("\r\nR1#"), IS(S_STATE, SESS_PREPARING), IS(S_NOECHO, 0),
	SENT("terminal length 0\n"),
	SAY("\r\nR1#"), IS(S_NOECHO, 1), STEP(S_AGAIN),
	IS(S_STATE, SESS_IDLE),
	RUN("show x"), SENT("show x\n"),
	SAY("out\r\n\r\nR1#"), STEP(S_AGAIN), IS(S_DONES, 1),
	OUTPUT("out\n\n"),
	STEP(S_END)
};

/* The scripts and how each starts; main() names the tests after them. */
static struct script script_truncated = { 1, 10, steps_truncated };
static struct script script_keepalive = { 1, 0, steps_keepalive };
static struct script script_weak_prompt = { 1, 0, steps_weak_prompt };
static struct script script_fake_prompt_boundary =
    { 1, 0, steps_fake_prompt_boundary };
static struct script script_fake_prompt_same_batch =
    { 1, 0, steps_fake_prompt_same_batch };
static struct script script_prompt_line_inside =
    { 1, 0, steps_prompt_line_inside };
static struct script script_confirm_timeout = { 1, 0, steps_confirm_timeout };
static struct script script_noecho = { 0, 0, steps_noecho };
static struct script script_echo_without_newline =
    { 1, 0, steps_echo_without_newline };
static struct script script_noecho_blank_line =
    { 0, 0, steps_noecho_blank_line };

/* A prompt of each shipped platform; others try the generic ones. */
static const struct {
	const char	*driver;
	const char	*prompt;
} sample_prompts[] = {
	{ "cisco-ios",		"r1#" },
	{ "cisco-iosxr",	"RP/0/RSP0/CPU0:r1#" },
	{ "cisco-nxos",		"r1#" },
	{ "juniper-junos",	"lg@r1> " },
	{ "arista-eos",		"r1>" },
	{ "frr",		"r1# " },
	{ "bird",		"bird> " },
	{ NULL,			"r1#" },
	{ NULL,			"r1> " },
	{ NULL,			"lg@r1> " },
	{ NULL,			NULL }
};

static int
drv_matches(const struct lg_regex *re, const char *text)
{
	return re->re != NULL && regex_match(re, text, strlen(text)) == 1;
}

static const char *
sample_prompt(const struct lg_driver *d)
{
	size_t	 i;

	for (i = 0; sample_prompts[i].prompt != NULL; i++)
		if ((sample_prompts[i].driver == NULL ||
		    strcmp(sample_prompts[i].driver, d->name) == 0) &&
		    drv_matches(&d->prompt, sample_prompts[i].prompt))
			return sample_prompts[i].prompt;
	return NULL;
}

/* Checks what the session wrote: text and the driver's newline. */
static void
sent_line(const struct lg_driver *d, const char *text)
{
	char	 want[512];

	snprintf(want, sizeof(want), "%s%s", text,
	    d->newline != NULL ? d->newline : "\n");
	sent(want);
}

static void
say2(const char *a, const char *b)
{
	char	 text[512];

	snprintf(text, sizeof(text), "%s%s", a, b);
	say(text);
}

/*
 * One driver over a router that echoes nothing: login with a prompt-like
 * line ending the banner, setup, a command with output.
 */
static void
noecho_driver(const struct lg_driver *d)
{
	struct session	*s;
	const char	*p = sample_prompt(d);
	char		 fake[128];
	size_t		 i;

	print_message("# %s: prompt \"%s\"\n", d->name, p ? p : "");
	assert_non_null(p);
	lg_strlcpy(router.driver, d->name, sizeof(router.driver));
	s = start();
	spin();
	spin();
	if (d->username_prompt.re != NULL) {
		say(drv_matches(&d->username_prompt, "Username: ") ?
		    "Username: " : "login: ");
		sent_line(d, "lg");
	}
	if (d->password_prompt.re != NULL) {
		say("Password: ");
		sent_line(d, "pw");
	}
	snprintf(fake, sizeof(fake), "x%s", p);
	say2("\r\nWelcome\r\n", fake);
	ev_advance(SESS_QUIET_MS);
	if (drv_matches(&d->prompt, fake)) {
		/* The probe went after the banner; it is answered late. */
		sent_line(d, "");
		say2("\r\n", p);
		say(p);
	} else
		say2("\r\n", p);
	ev_advance(SESS_QUIET_MS);
	sent_line(d, "");
	say(p);
	assert_int_equal(s->state, d->nsetup > 0 ? SESS_PREPARING : SESS_IDLE);
	assert_true(s->out.noecho);
	for (i = 0; i < d->nsetup; i++) {
		sent_line(d, d->setup[i]);
		say(p);
		sent_line(d, "");
		say(p);
	}
	assert_int_equal(s->state, SESS_IDLE);
	assert_int_equal(session_run(s, "show version", 0), 0);
	sent_line(d, "show version");
	say2("version 1\r\n", p);
	assert_int_equal(own.dones, 0);
	sent_line(d, "");
	say(p);
	assert_int_equal(own.dones, 1);
	assert_int_equal(own.done_err, LG_OK);
	assert_string_equal(own.output.data, "version 1\n");
	assert_int_equal(s->state, SESS_IDLE);
	finish(s);
}

/* The shipped drivers (drivers/ under LG_TOP) stand in for the fake. */
static struct lg_drivers	 shipped, saved_drivers;

static void
shipped_load(void)
{
	struct lg_diag		 diag;
	const char		*top = getenv("LG_TOP");
	char			 dir[LG_PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/drivers", top != NULL ? top : ".");
	diag_init(&diag);
	assert_int_equal(driver_load_dir(dir, &shipped, &diag), 0);
	diag_free(&diag);
	assert_true(shipped.ndrivers >= 7);
	saved_drivers = gen.drivers;
	gen.drivers = shipped;
}

static void
shipped_free(void)
{
	gen.drivers = saved_drivers;
	lg_strlcpy(router.driver, "fake-ios", sizeof(router.driver));
	drivers_free(&shipped);
}

/* Every driver in drivers/ logs in and answers without echo. */
static void
test_noecho_every_driver(void **state)
{
	size_t	 i;

	(void)state;
	shipped_load();
	for (i = 0; i < shipped.ndrivers; i++)
		if (!shipped.drivers[i].argv)	/* no CLI to log in to */
			noecho_driver(&shipped.drivers[i]);
	shipped_free();
}

/*
 * A Junos virtual chassis prints "{master:0}" above every prompt, the
 * answer to an empty line included: that line is part of the answer.
 */
static void
test_junos_master_line(void **state)
{
	const char	*p = "\r\n\r\n{master:0}\r\nlg@r1> ";
	const char	*const setups[] = { "set cli screen-length 0",
	    "set cli screen-width 511", "set cli complete-on-space off" };
	struct session	*s;
	size_t		 i;

	(void)state;
	shipped_load();
	lg_strlcpy(router.driver, "juniper-junos", sizeof(router.driver));
	s = start();
	spin();
	spin();
	say("login: ");
	sent("lg\n");
	say("lg\r\nPassword: ");
	sent("pw\n");
	say(p);
	ev_advance(SESS_QUIET_MS);
	sent("\n");
	say(p);
	assert_int_equal(s->state, SESS_PREPARING);
	assert_int_equal(s->drv->nsetup, 3);
	for (i = 0; i < 3; i++) {
		sent_line(s->drv, setups[i]);
		say2(setups[i], p);
		sent("\n");
		say(p);
	}
	assert_int_equal(s->state, SESS_IDLE);
	session_run(s, "show version", 0);
	sent("show version\n");
	say2("show version\r\nJunos: 23.4R1", p);
	sent("\n");
	say(p);
	assert_int_equal(own.dones, 1);
	assert_int_equal(own.done_flags, 0);
	assert_string_equal(own.output.data, "Junos: 23.4R1\n\n{master:0}\n");
	assert_int_equal(s->state, SESS_IDLE);
	finish(s);
	shipped_free();
}

/* A cmocka test named test_NAME that plays script_NAME. */
#define SCRIPT_TEST(name)						\
	{ "test_" #name, test_script, NULL, NULL, &script_##name }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_and_command),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_echo_twice),
		cmocka_unit_test(test_banner_prompt_like),
		cmocka_unit_test(test_prompt_needs_quiet),
		cmocka_unit_test(test_login_failed),
		cmocka_unit_test(test_handshake_error),
		cmocka_unit_test(test_hostkey_only),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_setup_fails),
		cmocka_unit_test(test_other_prompt),
		cmocka_unit_test(test_idle_output),
		cmocka_unit_test(test_peer_closes),
		cmocka_unit_test(test_pause),
		SCRIPT_TEST(truncated),
		SCRIPT_TEST(keepalive),
		SCRIPT_TEST(weak_prompt),
		SCRIPT_TEST(fake_prompt_boundary),
		SCRIPT_TEST(fake_prompt_same_batch),
		SCRIPT_TEST(prompt_line_inside),
		SCRIPT_TEST(confirm_timeout),
		SCRIPT_TEST(noecho),
		SCRIPT_TEST(noecho_blank_line),
		SCRIPT_TEST(echo_without_newline),
		cmocka_unit_test(test_noecho_every_driver),
		cmocka_unit_test(test_junos_master_line),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
