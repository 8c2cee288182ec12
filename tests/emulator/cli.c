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
 * The router CLI of one session: login, banner, line editing with echo,
 * command dispatch through the platform's table (platform.c, match.c),
 * output jobs with the pager, the pacing of ping and traceroute, and every
 * fault that changes what the session says or when.  It only reads
 * s->in and writes s->out; emu.c runs it, ssh.c and telnet.c move bytes.
 * Every received line goes to the audit log (audit.c) before it acts.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"

#define CLI_TABLE_ROWS		60	/* full table without the flood fault */
#define CLI_RUN_BUDGET		256	/* steps per call, then yield */
#define CLI_OUT_CAP		(1024 * 1024)
#define CLI_IN_CAP		(64 * 1024)
#define CLI_RETRY_MS		50

static void	 cli_prompt(struct emu_sess *);
static int	 flush(struct emu_sess *, uint64_t);

static void
out_raw(struct emu_sess *s, const char *data, size_t len)
{
	if (buf_append(&s->out, data, len) == -1)
		log_warnx("%s: session %u output overflow", s->r->name, s->id);
}

/* Appends text with each "\n" sent as the terminal's "\r\n". */
static void
out_str(struct emu_sess *s, const char *text)
{
	const char	*nl;

	while ((nl = strchr(text, '\n')) != NULL) {
		out_raw(s, text, (size_t)(nl - text));
		out_raw(s, s->r->faults.stray_cr ? "\r\r\n" : "\r\n",
		    s->r->faults.stray_cr ? 3 : 2);
		text = nl + 1;
	}
	out_raw(s, text, strlen(text));
}

/* One output line, dressed by the ANSI and stray-CR faults. */
static void
out_line(struct emu_sess *s, const char *line, size_t len, unsigned int n)
{
	const struct emu_faults *f = &s->r->faults;

	if (f->ansi_noise && n % 4 == 0)
		out_raw(s, "\033[1;32m", 7);
	out_raw(s, line, len);
	if (f->ansi_noise)
		out_raw(s, n % 4 == 0 ? "\033[0m\033[K" : "\033[K",
		    n % 4 == 0 ? 7 : 3);
	out_raw(s, f->stray_cr ? "\r\r\n" : "\r\n", f->stray_cr ? 3 : 2);
}

static void
cli_prompt(struct emu_sess *s)
{
	char		 prompt[256];

	switch (s->state) {
	case ST_USER:
		if (strstr(s->r->plat->login_user, "{host}") != NULL) {
			out_str(s, s->r->hostname);
			out_str(s, strstr(s->r->plat->login_user, "}") + 1);
		} else
			out_str(s, s->r->plat->login_user);
		return;
	case ST_PASS:
	case ST_ENABLE:
		out_str(s, s->state == ST_PASS ? s->r->plat->login_pass :
		    "Password: ");
		return;
	default:
		break;
	}
	if (platform_prompt(s, prompt, sizeof(prompt)) == -1)
		return;
	if (s->r->faults.stray_cr)
		out_raw(s, "\r", 1);
	if (s->r->faults.ansi_noise)
		out_raw(s, "\033[?7h\033[0m", 9);
	out_str(s, prompt);
}

static void
job_free(struct emu_sess *s)
{
	if (s->job == NULL)
		return;
	free(s->job->text);
	free(s->job);
	s->job = NULL;
}

/*
 * Starts an output job on text (taken over; may be NULL for none), which
 * ends by going to state next and printing its prompt.
 */
static struct emu_job *
job_start(struct emu_sess *s, char *text, size_t len, enum emu_state next,
    int delay_ms)
{
	struct emu_job	*j;

	job_free(s);
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		free(text);
		emu_sess_kill(s);
		return NULL;
	}
	j->text = text;
	j->len = text != NULL ? len : 0;
	j->next = next;
	s->job = j;
	s->state = ST_JOB;
	s->page_lines = 0;
	if (delay_ms > 0)
		s->wake = emu_now() + (uint64_t)delay_ms;
	return j;
}

static void
job_done(struct emu_sess *s)
{
	struct emu_job	*j = s->job;
	enum emu_state	 next = j->next;
	int		 exit_after = j->exit_after;

	job_free(s);
	if (exit_after || s->exec) {
		s->state = ST_CLOSING;
		return;
	}
	s->state = next;
	if (next == ST_CLI && s->r->plat->blank_before_prompt)
		out_str(s, "\n");
	cli_prompt(s);
}

/*
 * The prompt_in_output fault: after the first line of an answer, a line
 * holding exactly the prompt, which stops for the fault's time before its
 * line ends and the rest follows.  Takes text over; NULL on no memory.
 */
static char *
fake_prompt(struct emu_sess *s, char *text, size_t *len)
{
	const char	*nl = memchr(text, '\n', *len);
	char		 prompt[256];
	struct lg_buf	 b;
	size_t		 head;

	if (s->r->faults.prompt_in_output <= 0 || nl == NULL ||
	    (size_t)(nl - text) + 1 >= *len ||
	    platform_prompt(s, prompt, sizeof(prompt)) == -1)
		return text;
	head = (size_t)(nl - text) + 1;
	buf_init(&b, *len + sizeof(prompt) + 4);
	if (buf_append(&b, text, head) == -1 ||
	    buf_printf(&b, "%s\002\n", prompt) == -1 ||
	    buf_append(&b, text + head, *len - head) == -1) {
		buf_free(&b);
		free(text);
		return NULL;
	}
	free(text);
	*len = b.len;
	return b.data;
}

/* Starts a job printing fixture name (expanded with arg). */
static int
job_fixture(struct emu_sess *s, const char *name, const char *arg, int delay)
{
	const char	*tpl;
	char		*text;
	size_t		 len;

	if ((tpl = fixture_get(s->r->plat, name)) == NULL) {
		log_warnx("%s: no fixture %s/%s", s->r->name,
		    s->r->plat->key, name);
		tpl = "";
	}
	if ((text = fixture_expand(s, tpl, arg, &len)) == NULL ||
	    (text = fake_prompt(s, text, &len)) == NULL) {
		emu_sess_kill(s);
		return -1;
	}
	if (job_start(s, text, len, ST_CLI, delay) == NULL)
		return -1;
	if (s->r->faults.drop_mid_output && len > 0)
		s->job->drop_at = len / 2 > 0 ? len / 2 : 1;
	return 0;
}

/*
 * Refills the job's text with the next batch of generated full-table routes.
 * Returns 0 when the generator is finished.
 */
static int
job_refill(struct emu_sess *s)
{
	struct emu_job	*j = s->job;
	struct lg_buf	 b;
	char		 row[2048];
	int		 n;

	if (j->gen_left == 0)
		return 0;
	buf_init(&b, 64 * 1024);
	while (j->gen_left > 0 && b.len < 32 * 1024) {
		n = fixture_table_line(s->r->plat, j->gen_row, j->gen_v6,
		    j->gen_i++, row, sizeof(row));
		if (n <= 0 || buf_append(&b, row, (size_t)n) == -1) {
			j->gen_left = 0;
			break;
		}
		j->gen_left = (uint64_t)n >= j->gen_left ? 0 :
		    j->gen_left - (uint64_t)n;
	}
	free(j->text);
	j->text = b.data;
	j->len = b.len;
	j->off = 0;
	return b.len > 0;
}

/*
 * The job's next line (without its newline) into line.  *pause is 1 when
 * the line ends in a {pause} rather than a newline, 2 when it is the last
 * piece of text without a newline, 3 when it ends in the pause after a
 * fake prompt (prompt_in_output).  Returns 0 when the job is finished.
 */
static int
job_next_line(struct emu_sess *s, char *line, size_t size, size_t *len,
    int *pause)
{
	struct emu_job	*j = s->job;
	const char	*p, *end;

	*pause = 0;
	if (j->off >= j->len && !job_refill(s))
		return 0;
	p = j->text + j->off;
	end = p + strcspn(p, "\n\001\002");
	*len = (size_t)(end - p);
	if (*len >= size)
		*len = size - 1;
	memcpy(line, p, *len);
	j->off += (size_t)(end - p) + (*end != '\0' ? 1 : 0);
	if (*end == '\001')
		*pause = 1;
	else if (*end == '\0')
		*pause = 2;
	else if (*end == '\002')
		*pause = 3;
	return 1;
}

/*
 * Produces job output until the output queue is full, a pause or the pager
 * stops it, or the job ends (which prints the prompt).
 */
static void
job_step(struct emu_sess *s, uint64_t now)
{
	struct emu_job	*j = s->job;
	char		 line[2048];
	size_t		 len;
	int		 pause;

	while (s->out.len < EMU_OUT_HIGH) {
		if (j->drop_at > 0 && j->sent >= j->drop_at) {
			log_info("%s: session %u dropped mid-output",
			    s->r->name, s->id);
			s->state = ST_CLOSING;
			s->abrupt = 1;
			return;
		}
		if (s->screen_len > 0 && !j->no_pager &&
		    s->page_lines >= s->screen_len - 1) {
			out_raw(s, s->r->plat->pager,
			    strlen(s->r->plat->pager));
			s->state = ST_PAGER;
			return;
		}
		if (!job_next_line(s, line, sizeof(line), &len, &pause)) {
			job_done(s);
			return;
		}
		j->sent += len + 1;
		if (pause == 1) {
			out_raw(s, line, len);
			s->wake = now + (uint64_t)s->r->faults.pause_ms;
			return;
		}
		if (pause == 3) {
			/* The fake prompt leaves before the pause. */
			out_raw(s, line, len);
			flush(s, now);
			s->wake = now + (uint64_t)s->r->faults.prompt_in_output;
			return;
		}
		if (pause == 2) {
			out_raw(s, line, len);
			continue;
		}
		out_line(s, line, len, j->nlines++);
		s->page_lines++;
	}
}

static void
pager_key(struct emu_sess *s, char c)
{
	const struct emu_platform *p = s->r->plat;

	out_raw(s, p->pager_erase, strlen(p->pager_erase));
	s->state = ST_JOB;
	if (c == ' ') {
		s->page_lines = 0;
	} else if (c == '\r' || c == '\n') {
		s->page_lines = s->screen_len - 2;
	} else if (c == 'q' || c == 'Q' || c == 3 || p->pager_any_key_quits) {
		job_done(s);
	} else {
		out_raw(s, p->pager, strlen(p->pager));
		s->state = ST_PAGER;
	}
}

static void
banner_job(struct emu_sess *s, const char *name, enum emu_state next,
    int first)
{
	const char	*tpl;
	char		*text, prompt[256];
	struct lg_buf	 b;
	size_t		 len;
	int		 priv;

	tpl = fixture_get(s->r->plat, name);
	buf_init(&b, 64 * 1024);
	if (tpl != NULL)
		buf_append(&b, tpl, strlen(tpl));
	if (first && s->r->faults.prompt_in_banner) {
		/* A line that looks like the '#' prompt, then a pause. */
		priv = s->priv;
		s->priv = 1;
		if (platform_prompt(s, prompt, sizeof(prompt)) != -1)
			buf_printf(&b, "%s{pause}\nThis is not the prompt.\n",
			    prompt);
		s->priv = priv;
	}
	text = fixture_expand(s, b.data != NULL ? b.data : "", "", &len);
	buf_free(&b);
	if (text == NULL) {
		emu_sess_kill(s);
		return;
	}
	if (job_start(s, text, len, next, 0) != NULL)
		s->job->no_pager = 1;
}

/* Login done (telnet password accepted or SSH shell opened). */
static void
logged_in(struct emu_sess *s, int first)
{
	s->echo = 1;
	s->priv = s->r->plat->prompt_priv == NULL || s->r->privileged;
	banner_job(s, "motd", ST_CLI, first);
}

static void
audit_secret(struct emu_sess *s, const char *kind, int ok)
{
	char		 note[64];

	snprintf(note, sizeof(note), "<%zu bytes, %s>", s->linelen,
	    ok ? "accepted" : "rejected");
	audit_line(s, kind, note, strlen(note));
}

static void
line_user(struct emu_sess *s)
{
	audit_line(s, "user", s->line, s->linelen);
	lg_strlcpy(s->user, s->line, sizeof(s->user));
	s->state = ST_PASS;
	s->echo = 0;
	cli_prompt(s);
}

static void
line_pass(struct emu_sess *s)
{
	int		 ok;

	ok = strcmp(s->user, s->r->username) == 0 &&
	    strcmp(s->line, s->r->password) == 0;
	audit_secret(s, "pass", ok);
	if (ok) {
		logged_in(s, 0);
		return;
	}
	s->user[0] = '\0';
	out_str(s, "\n");
	out_str(s, s->r->plat->login_failed);
	if (++s->tries >= EMU_LOGIN_TRIES) {
		s->state = ST_CLOSING;
		return;
	}
	out_str(s, "\n");
	s->state = ST_USER;
	s->echo = 1;
	cli_prompt(s);
}

static void
line_enable(struct emu_sess *s)
{
	int		 ok;

	ok = strcmp(s->line, s->r->enable_password) == 0;
	audit_secret(s, "enable", ok);
	s->echo = 1;
	s->state = ST_CLI;
	if (ok)
		s->priv = 1;
	else
		out_str(s, s->r->plat->enable_failed);
	cli_prompt(s);
}

/* Prints the caret line under the bad word and the platform's message. */
static void
cmd_error(struct emu_sess *s, enum match_res res, const struct match *m)
{
	const struct emu_platform *p = s->r->plat;
	const char	*msg, *tok;
	char		 prompt[256], *text;
	struct lg_buf	 b;
	size_t		 col, i, len;
	int		 caret, plen;

	plen = platform_prompt(s, prompt, sizeof(prompt));
	switch (res) {
	case MATCH_AMBIGUOUS:
		msg = p->err_ambiguous;
		caret = strstr(msg, "'^'") != NULL;
		break;
	case MATCH_INCOMPLETE:
		msg = p->err_incomplete;
		caret = p->caret_incomplete;
		break;
	default:
		msg = m->errtoken == 1 ? p->err_unknown : p->err_invalid;
		caret = !p->eos_token_err;
		break;
	}
	buf_init(&b, 8192);
	if (caret) {
		col = (plen > 0 ? (size_t)plen : 0) + m->errpos;
		for (i = 0; i < col && i < 4096; i++)
			buf_append(&b, " ", 1);
		buf_append(&b, "^\n", 2);
	}
	/* "{tok}" is the word's index; "{arg}" the word, expanded below. */
	if ((tok = strstr(msg, "{tok}")) != NULL) {
		buf_append(&b, msg, (size_t)(tok - msg));
		/* EOS counts tokens from 0. */
		buf_printf(&b, "%d%s", m->errtoken - 1, tok + 5);
	} else
		buf_append(&b, msg, strlen(msg));
	text = fixture_expand(s, b.data, m->errword, &len);
	buf_free(&b);
	if (text == NULL) {
		emu_sess_kill(s);
		return;
	}
	(void)job_start(s, text, len, ST_CLI, 0);
}

static int
starts_with_cmd(const char *line, const char *prefix)
{
	while (*line == ' ')
		line++;
	return prefix != NULL && prefix[0] != '\0' &&
	    strncmp(line, prefix, strlen(prefix)) == 0;
}

/* The fixture name for a family-specific answer: base_v4 or base_v6. */
static void
family_name(char *buf, size_t len, const char *base, const char *arg)
{
	snprintf(buf, len, "%s_%s", base,
	    strchr(arg, ':') != NULL ? "v6" : "v4");
}

/*
 * A table: the header fixture ("bgp_table_v4"), then rows generated from
 * the row fixture named after it ("bgp_table_row_v4").
 */
static void
cmd_table(struct emu_sess *s, const char *header, const char *arg, int huge)
{
	int		 v6 = strstr(header, "_v6") != NULL;
	size_t		 n = strlen(header);
	struct emu_job	*j;

	if (job_fixture(s, header, arg, s->r->faults.response_delay_ms) == -1)
		return;
	j = s->job;
	j->gen_v6 = v6;
	if (n > 3 && header[n - 3] == '_')
		n -= 3;
	snprintf(j->gen_row, sizeof(j->gen_row), "%.*s_row", (int)n, header);
	j->gen_left = huge ? (uint64_t)s->r->faults.huge_mb * 1024 * 1024 :
	    CLI_TABLE_ROWS * 80;
	if (s->r->faults.drop_mid_output)
		j->drop_at = huge ? (size_t)j->gen_left / 2 : 2048;
}

/* A short reply from the table (terminal commands), arg substituted. */
static void
cmd_reply(struct emu_sess *s, const char *reply, const char *arg)
{
	char		*text;
	size_t		 len;

	if ((text = fixture_expand(s, reply != NULL ? reply : "", arg,
	    &len)) == NULL) {
		emu_sess_kill(s);
		return;
	}
	(void)job_start(s, text, len, ST_CLI, 0);
}

static void
cmd_enable(struct emu_sess *s)
{
	const char	*pw = s->r->enable_password;

	if (s->r->plat->prompt_priv == NULL || pw == NULL || pw[0] == '\0') {
		s->priv = 1;
		cli_prompt(s);
		return;
	}
	s->state = ST_ENABLE;
	s->echo = 0;
	cli_prompt(s);
}

static void
cmd_term(struct emu_sess *s, const struct match *m)
{
	if (m->cmd->action == ACT_TERMLEN)
		s->screen_len = atoi(m->arg);
	else
		s->screen_width = atoi(m->arg);
	cmd_reply(s, m->cmd->reply, m->arg);
}

/* Runs a matched command.  Every path starts a job or changes state. */
static void
cmd_run(struct emu_sess *s, const struct match *m)
{
	const struct emu_cmd *c = m->cmd;
	char		 name[128];
	int		 delay = s->r->faults.response_delay_ms;

	switch (c->action) {
	case ACT_ROUTE:
		family_name(name, sizeof(name), fixture_known(m->arg) != -1 ?
		    c->fixture : c->missing, m->arg);
		if (fixture_get(s->r->plat, name) == NULL)
			lg_strlcpy(name, c->missing, sizeof(name));
		job_fixture(s, name, m->arg, delay);
		break;
	case ACT_PACED:
		family_name(name, sizeof(name), c->fixture, m->arg);
		job_fixture(s, name, m->arg, delay);
		break;
	case ACT_TEXT:
		job_fixture(s, c->fixture, m->arg, delay);
		break;
	case ACT_FIXTURE:
		if (c->fixture != NULL)
			job_fixture(s, c->fixture, m->arg, delay);
		else
			cmd_reply(s, c->reply, m->arg);
		break;
	case ACT_CLOCK:
		job_fixture(s, "clock", m->arg, 0);
		break;
	case ACT_TABLE:
		cmd_table(s, c->fixture, m->arg, s->r->faults.huge_mb > 0 &&
		    s->r->faults.huge_on == NULL);
		break;
	case ACT_TERMLEN:
	case ACT_TERMWIDTH:
		cmd_term(s, m);
		break;
	case ACT_ENABLE:
		cmd_enable(s);
		break;
	case ACT_DISABLE:
		s->priv = 0;
		cli_prompt(s);
		break;
	case ACT_EXIT:
		s->state = ST_CLOSING;
		break;
	case ACT_NOTIMESTAMP:
	case ACT_TIMESTAMP:
		s->no_timestamp = c->action == ACT_NOTIMESTAMP;
		cmd_reply(s, c->reply, m->arg);
		break;
	case ACT_NONE:
		cli_prompt(s);
		break;
	}
}

/*
 * One command line at the CLI prompt: audit, count, faults that act on
 * the line itself, then the table.
 */
static void
line_cli(struct emu_sess *s)
{
	const struct emu_faults *f = &s->r->faults;
	struct match	 m;
	enum match_res	 res;
	const char	*p = s->line;

	audit_line(s, "line", s->rawline, s->rawlen);
	while (*p == ' ')
		p++;
	if (*p == '\0') {
		if (s->r->plat->blank_before_prompt)
			out_str(s, "\n");
		cli_prompt(s);
		return;
	}
	s->ncmds++;
	if (f->drop_after > 0 && s->ncmds > (unsigned int)f->drop_after) {
		log_info("%s: session %u dropped after %d commands",
		    s->r->name, s->id, f->drop_after);
		s->state = ST_CLOSING;
		s->abrupt = 1;
		return;
	}
	if (starts_with_cmd(p, f->hang_on)) {
		s->state = ST_HUNG;
		return;
	}
	if (f->huge_mb > 0 && starts_with_cmd(p, f->huge_on)) {
		/* A table command keeps its own format, huge. */
		if (match_line(s->r->plat->cmds, p, &m) == MATCH_OK &&
		    m.cmd->action == ACT_TABLE)
			cmd_table(s, m.cmd->fixture, m.arg, 1);
		else
			cmd_table(s, "bgp_table_v4", "", 1);
		return;
	}
	if ((res = match_line(s->r->plat->cmds, p, &m)) != MATCH_OK) {
		m.errpos += (size_t)(p - s->line);
		cmd_error(s, res, &m);
		return;
	}
	cmd_run(s, &m);
}

static void
line_done(struct emu_sess *s)
{
	s->line[s->linelen] = '\0';
	switch (s->state) {
	case ST_USER:
		line_user(s);
		break;
	case ST_PASS:
		line_pass(s);
		break;
	case ST_ENABLE:
		line_enable(s);
		break;
	case ST_CLI:
		line_cli(s);
		break;
	case ST_HUNG:
		audit_line(s, "line", s->rawline, s->rawlen);
		break;
	default:
		break;
	}
	s->linelen = 0;
	s->rawlen = 0;
}

/* Does the CLI echo what is typed now (the echo_off fault: never)? */
static int
echoes(const struct emu_sess *s)
{
	return s->echo && !s->r->faults.echo_off;
}

/* One typed byte: line end, editing key or character. */
static void
input_byte(struct emu_sess *s, char c)
{
	if (c == '\r' || c == '\n') {
		if (s->state != ST_HUNG && !s->r->faults.echo_off)
			out_raw(s, "\r\n", 2);
		line_done(s);
		return;
	}
	if (s->rawlen < sizeof(s->rawline))
		s->rawline[s->rawlen++] = c;
	if (s->state == ST_HUNG)
		return;
	if (c == 0x7f || c == 0x08) {
		if (s->linelen > 0) {
			s->linelen--;
			if (echoes(s))
				out_raw(s, "\b \b", 3);
		}
		return;
	}
	if (c == 0x03 && s->state == ST_CLI) {
		out_raw(s, "^C\r\n", 4);
		s->linelen = s->rawlen = 0;
		cli_prompt(s);
		return;
	}
	if ((unsigned char)c < 0x20 && c != '\t')
		return;
	if (s->linelen + 1 >= sizeof(s->line))
		return;
	s->line[s->linelen++] = c;
	if (echoes(s))
		out_raw(s, &c, 1);
}

/* Takes one queued input byte in a state that reads input. */
static int
input_step(struct emu_sess *s)
{
	char		 c;

	if (s->in.len == 0)
		return 0;
	c = s->in.data[0];
	buf_consume(&s->in, 1);
	/* CR LF and CR NUL are one key, as terminals send them. */
	if ((c == '\n' || c == '\0') && s->last_cr) {
		s->last_cr = 0;
		return 1;
	}
	s->last_cr = c == '\r';
	if (s->state == ST_PAGER) {
		audit_line(s, "key", &c, 1);
		pager_key(s, c);
	} else
		input_byte(s, c);
	return 1;
}

void
cli_input(struct emu_sess *s, const char *data, size_t len)
{
	if (buf_append(&s->in, data, len) == -1)
		log_warnx("%s: session %u input overflow, dropped",
		    s->r->name, s->id);
	emu_sess_activate(s);
}

/*
 * Hands queued output to the transport, honouring the slow-output fault.
 * Returns 1 when the transport or the fault holds the rest back.
 */
static int
flush(struct emu_sess *s, uint64_t now)
{
	const struct emu_faults *f = &s->r->faults;
	size_t		 want, n;

	s->blocked = 0;
	if (s->out.len == 0)
		return 0;
	want = s->out.len;
	if (f->slow_bytes > 0 && want > (size_t)f->slow_bytes)
		want = (size_t)f->slow_bytes;
	n = s->t == T_SSH ? emu_ssh_send(s, s->out.data, want) :
	    emu_tel_send(s, s->out.data, want);
	buf_consume(&s->out, n);
	if (f->slow_bytes > 0 && n > 0) {
		s->wake = now + (uint64_t)f->slow_ms;
		return 1;
	}
	if (s->out.len > 0) {
		/* The transport's ready callback ends this wait early. */
		s->blocked = 1;
		s->wake = now + CLI_RETRY_MS;
		return 1;
	}
	return 0;
}

static int
reads_input(const struct emu_sess *s)
{
	return s->state == ST_USER || s->state == ST_PASS ||
	    s->state == ST_CLI || s->state == ST_ENABLE ||
	    s->state == ST_HUNG;
}

/* Does the session have anything to do (stay on the active list)? */
int
cli_busy(const struct emu_sess *s)
{
	return s->out.len > 0 || s->state == ST_START ||
	    s->state == ST_JOB || s->state == ST_CLOSING ||
	    (s->in.len > 0 && s->state != ST_JOB);
}

/* Runs the session until it waits for time, input or the transport. */
void
cli_run(struct emu_sess *s, uint64_t now)
{
	int		 budget;

	for (budget = 0; budget < CLI_RUN_BUDGET && !s->dead; budget++) {
		if (now < s->wake)
			return;
		if (flush(s, now) || s->out.len >= EMU_OUT_HIGH)
			return;
		switch (s->state) {
		case ST_NEW:
			return;
		case ST_START:
			if (s->t == T_TELNET) {
				banner_job(s, "banner", ST_USER, 1);
			} else
				logged_in(s, 1);
			break;
		case ST_JOB:
			job_step(s, now);
			break;
		case ST_CLOSING:
			emu_sess_close(s, s->abrupt);
			return;
		default:
			/* All queued keys first, so echoes leave in one write. */
			if (!input_step(s))
				return;
			while (reads_input(s) && s->out.len < EMU_OUT_HIGH &&
			    input_step(s))
				continue;
			break;
		}
	}
	/* Budget spent: come back on the next turn of the loop. */
}

/* The session's transport is ready: begin with banner and login. */
void
cli_start(struct emu_sess *s)
{
	buf_init(&s->in, CLI_IN_CAP);
	buf_init(&s->out, CLI_OUT_CAP);
	s->screen_len = 24;
	s->screen_width = 80;
	s->echo = 1;
	s->state = ST_START;
	s->wake = emu_now() + (uint64_t)s->r->faults.slow_login_ms;
	emu_sess_activate(s);
}

/* SSH exec request: one command, its output, then the channel closes. */
void
cli_exec(struct emu_sess *s, const char *cmd)
{
	buf_init(&s->in, CLI_IN_CAP);
	buf_init(&s->out, CLI_OUT_CAP);
	s->exec = 1;
	s->echo = 0;
	s->priv = 1;
	s->state = ST_CLI;
	lg_strlcpy(s->line, cmd, sizeof(s->line));
	s->linelen = strlen(s->line);
	lg_strlcpy(s->rawline, cmd, sizeof(s->rawline));
	s->rawlen = s->linelen;
	line_done(s);
	if (s->state == ST_CLI)
		s->state = ST_CLOSING;
	emu_sess_activate(s);
}

void
cli_free(struct emu_sess *s)
{
	job_free(s);
	buf_free(&s->in);
	buf_free(&s->out);
}
