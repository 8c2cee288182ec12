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
 * The five emulated platforms as data: prompts, login texts, pager, error
 * texts and the command table each one answers.  cli.c reads these rows
 * and never branches on a platform name; adding a command is adding a row
 * and, when it prints something, a fixture file under fixtures/<key>/.
 *
 * Patterns are words.  A literal word may be abbreviated by the user as on
 * the real CLIs; <v4>, <v6>, <ip> take an address or prefix, <n> a number,
 * <re> the rest of the line (a regular expression or community list) and a
 * trailing "..." accepts any further options.  Rows are tried in order, so
 * the first complete row wins.
 */

#include <stdio.h>
#include <string.h>

#include "emu.h"

#define SHOW_CLOCK	{ "show clock", ACT_CLOCK, NULL, NULL, NULL }
#define SHOW_VERSION	{ "show version", ACT_FIXTURE, "version", NULL, NULL }
#define END_ROW		{ NULL, ACT_NONE, NULL, NULL, NULL }

static const struct emu_cmd ios_cmds[] = {
	{ "show bgp ipv4 unicast neighbors <v4> received-routes", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show bgp ipv4 unicast neighbors <v4> advertised-routes", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show bgp ipv6 unicast neighbors <v6> received-routes", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show bgp ipv6 unicast neighbors <v6> advertised-routes", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show bgp ipv4 unicast neighbors <v4> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show bgp ipv6 unicast neighbors <v6> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show ip bgp neighbors <v4> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show bgp vpnv4 unicast vrf <w> <v4> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp vpnv6 unicast vrf <w> <v6> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show ip route vrf <w> <v4> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show ipv6 route vrf <w> <v6> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "ping vrf <w> ipv6 <v6> ...", ACT_PACED, "ping", NULL, NULL },
	{ "ping vrf <w> <ip> ...", ACT_PACED, "ping", NULL, NULL },
	{ "traceroute vrf <w> ipv6 <v6> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "traceroute vrf <w> <ip> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "show bgp ipv4 unicast summary", ACT_FIXTURE, "bgp_summary_v4", NULL, NULL },
	{ "show bgp ipv6 unicast summary", ACT_FIXTURE, "bgp_summary_v6", NULL, NULL },
	{ "show ip bgp summary", ACT_FIXTURE, "bgp_summary_v4", NULL, NULL },
	{ "show bgp ipv4 unicast community <re>", ACT_TEXT, "bgp_community_v4", NULL, NULL },
	{ "show bgp ipv6 unicast community <re>", ACT_TEXT, "bgp_community_v6", NULL, NULL },
	{ "show ip bgp community <re>", ACT_TEXT, "bgp_community_v4", NULL, NULL },
	{ "show bgp ipv4 unicast regexp <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show bgp ipv4 unicast quote-regexp <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show bgp ipv6 unicast regexp <re>", ACT_TEXT, "bgp_aspath_v6", NULL, NULL },
	{ "show bgp ipv6 unicast quote-regexp <re>", ACT_TEXT, "bgp_aspath_v6", NULL, NULL },
	{ "show ip bgp regexp <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show ip bgp quote-regexp <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show bgp ipv4 unicast <v4> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp ipv6 unicast <v6> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show ip bgp <v4> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp ipv4 unicast", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show bgp ipv6 unicast", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show ip bgp", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show ip route <v4> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show ipv6 route <v6> ...", ACT_ROUTE, "route", "route_missing", NULL },
	SHOW_CLOCK,
	SHOW_VERSION,
	{ "ping ipv6 <v6> ...", ACT_PACED, "ping", NULL, NULL },
	{ "ping <ip> ...", ACT_PACED, "ping", NULL, NULL },
	{ "traceroute ipv6 <v6> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "traceroute <ip> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "terminal length <n>", ACT_TERMLEN, NULL, NULL, "" },
	{ "terminal width <n>", ACT_TERMWIDTH, NULL, NULL, "" },
	{ "enable", ACT_ENABLE, NULL, NULL, NULL },
	{ "disable", ACT_DISABLE, NULL, NULL, NULL },
	{ "exit", ACT_EXIT, NULL, NULL, NULL },
	{ "quit", ACT_EXIT, NULL, NULL, NULL },
	{ "logout", ACT_EXIT, NULL, NULL, NULL },
	END_ROW
};

static const struct emu_cmd iosxr_cmds[] = {
	{ "show bgp ipv4 unicast neighbor <v4> received routes", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show bgp ipv4 unicast neighbor <v4> advertised-routes", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show bgp ipv6 unicast neighbor <v6> received routes", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show bgp ipv6 unicast neighbor <v6> advertised-routes", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show bgp ipv4 unicast neighbors <v4> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show bgp ipv6 unicast neighbors <v6> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show bgp neighbor <ip> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show bgp vrf <w> ipv4 unicast <v4> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp vrf <w> ipv6 unicast <v6> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show route vrf <w> ipv4 <v4> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show route vrf <w> ipv6 <v6> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "ping vrf <w> <ip> ...", ACT_PACED, "ping", NULL, NULL },
	{ "traceroute vrf <w> <ip> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "terminal exec prompt no-timestamp", ACT_NOTIMESTAMP, NULL, NULL, "" },
	{ "terminal exec prompt timestamp", ACT_TIMESTAMP, NULL, NULL, "" },
	{ "show bgp ipv4 unicast summary", ACT_FIXTURE, "bgp_summary_v4", NULL, NULL },
	{ "show bgp ipv6 unicast summary", ACT_FIXTURE, "bgp_summary_v6", NULL, NULL },
	{ "show bgp summary", ACT_FIXTURE, "bgp_summary_v4", NULL, NULL },
	{ "show bgp ipv4 unicast community <re>", ACT_TEXT, "bgp_community_v4", NULL, NULL },
	{ "show bgp ipv6 unicast community <re>", ACT_TEXT, "bgp_community_v6", NULL, NULL },
	{ "show bgp ipv4 unicast regexp <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show bgp ipv6 unicast regexp <re>", ACT_TEXT, "bgp_aspath_v6", NULL, NULL },
	{ "show bgp ipv4 unicast <v4> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp ipv6 unicast <v6> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp <ip> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp ipv4 unicast", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show bgp ipv6 unicast", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show route ipv4 <v4> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show route ipv6 <v6> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show route <ip> ...", ACT_ROUTE, "route", "route_missing", NULL },
	SHOW_CLOCK,
	SHOW_VERSION,
	{ "ping ipv4 <v4> ...", ACT_PACED, "ping", NULL, NULL },
	{ "ping ipv6 <v6> ...", ACT_PACED, "ping", NULL, NULL },
	{ "ping <ip> ...", ACT_PACED, "ping", NULL, NULL },
	{ "traceroute ipv4 <v4> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "traceroute ipv6 <v6> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "traceroute <ip> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "terminal length <n>", ACT_TERMLEN, NULL, NULL, "" },
	{ "terminal width <n>", ACT_TERMWIDTH, NULL, NULL, "" },
	{ "exit", ACT_EXIT, NULL, NULL, NULL },
	{ "logout", ACT_EXIT, NULL, NULL, NULL },
	END_ROW
};

static const struct emu_cmd nxos_cmds[] = {
	{ "show bgp ipv4 unicast neighbors <v4> received-routes", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show bgp ipv4 unicast neighbors <v4> advertised-routes", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show bgp ipv6 unicast neighbors <v6> received-routes", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show bgp ipv6 unicast neighbors <v6> advertised-routes", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show bgp ipv4 unicast neighbors <v4> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show bgp ipv6 unicast neighbors <v6> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show ip bgp neighbors <v4> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show bgp vrf <w> ipv4 unicast <v4> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp vrf <w> ipv6 unicast <v6> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "enable", ACT_ENABLE, NULL, NULL, NULL },
	{ "show bgp ipv4 unicast summary", ACT_FIXTURE, "bgp_summary_v4", NULL, NULL },
	{ "show bgp ipv6 unicast summary", ACT_FIXTURE, "bgp_summary_v6", NULL, NULL },
	{ "show ip bgp summary", ACT_FIXTURE, "bgp_summary_v4", NULL, NULL },
	{ "show ipv6 bgp summary", ACT_FIXTURE, "bgp_summary_v6", NULL, NULL },
	{ "show bgp ipv4 unicast community <re>", ACT_TEXT, "bgp_community_v4", NULL, NULL },
	{ "show bgp ipv6 unicast community <re>", ACT_TEXT, "bgp_community_v6", NULL, NULL },
	{ "show ip bgp community <re>", ACT_TEXT, "bgp_community_v4", NULL, NULL },
	{ "show bgp ipv4 unicast regexp <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show bgp ipv6 unicast regexp <re>", ACT_TEXT, "bgp_aspath_v6", NULL, NULL },
	{ "show ip bgp regexp <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show bgp ipv4 unicast <v4> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp ipv6 unicast <v6> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show ip bgp <v4> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show ipv6 bgp <v6> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp ipv4 unicast", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show bgp ipv6 unicast", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show ip bgp", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show ip route <v4> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show ipv6 route <v6> ...", ACT_ROUTE, "route", "route_missing", NULL },
	SHOW_CLOCK,
	SHOW_VERSION,
	{ "ping6 <v6> ...", ACT_PACED, "ping", NULL, NULL },
	{ "ping <ip> ...", ACT_PACED, "ping", NULL, NULL },
	{ "traceroute6 <v6> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "traceroute <ip> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "terminal length <n>", ACT_TERMLEN, NULL, NULL, "" },
	{ "terminal width <n>", ACT_TERMWIDTH, NULL, NULL, "" },
	{ "exit", ACT_EXIT, NULL, NULL, NULL },
	END_ROW
};

static const struct emu_cmd junos_cmds[] = {
	{ "show route receive-protocol bgp <v4>", ACT_TABLE, "bgp_received_v4", NULL, NULL },
	{ "show route receive-protocol bgp <v6>", ACT_TABLE, "bgp_received_v6", NULL, NULL },
	{ "show route advertising-protocol bgp <v4>", ACT_TABLE, "bgp_advertised_v4", NULL, NULL },
	{ "show route advertising-protocol bgp <v6>", ACT_TABLE, "bgp_advertised_v6", NULL, NULL },
	{ "show bgp neighbor <ip> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show route protocol bgp table inet.0 community <re>", ACT_TEXT, "bgp_community_v4", NULL, NULL },
	{ "show route protocol bgp table inet6.0 community <re>", ACT_TEXT, "bgp_community_v6", NULL, NULL },
	{ "show route protocol bgp table <w> community <re>", ACT_TEXT, "bgp_community_v4", NULL, NULL },
	{ "show route protocol bgp table inet.0 aspath-regex <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show route protocol bgp table inet6.0 aspath-regex <re>", ACT_TEXT, "bgp_aspath_v6", NULL, NULL },
	{ "show route protocol bgp table <w> aspath-regex <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show route protocol bgp table <w> <ip> detail ...", ACT_ROUTE, "bgp_route_detail", "bgp_route_missing", NULL },
	{ "show route protocol bgp table <w> <ip> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show route table <w> <ip> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show bgp summary ...", ACT_FIXTURE, "bgp_summary_v4", NULL, NULL },
	{ "show route community <re>", ACT_TEXT, "bgp_community_v4", NULL, NULL },
	{ "show route table inet.0 community <re>", ACT_TEXT, "bgp_community_v4", NULL, NULL },
	{ "show route table inet6.0 community <re>", ACT_TEXT, "bgp_community_v6", NULL, NULL },
	{ "show route aspath-regex <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show route table inet.0 aspath-regex <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show route table inet6.0 aspath-regex <re>", ACT_TEXT, "bgp_aspath_v6", NULL, NULL },
	{ "show route protocol bgp <ip> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show route <ip> protocol bgp ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show route table inet.0 <v4> protocol bgp ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show route table inet6.0 <v6> protocol bgp ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show route protocol bgp ...", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show route table inet.0 <v4> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show route table inet6.0 <v6> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show route <ip> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show system uptime", ACT_CLOCK, NULL, NULL, NULL },
	SHOW_VERSION,
	{ "ping inet <v4> count <n> rapid ...", ACT_PACED, "ping_rapid", NULL, NULL },
	{ "ping inet6 <v6> count <n> rapid ...", ACT_PACED, "ping_rapid", NULL, NULL },
	{ "ping inet <v4> ...", ACT_PACED, "ping", NULL, NULL },
	{ "ping inet6 <v6> ...", ACT_PACED, "ping", NULL, NULL },
	{ "ping <ip> ...", ACT_PACED, "ping", NULL, NULL },
	{ "traceroute inet <v4> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "traceroute inet6 <v6> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "traceroute <ip> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "set cli screen-length <n>", ACT_TERMLEN, NULL, NULL, "Screen length set to {arg}\n" },
	{ "set cli screen-width <n>", ACT_TERMWIDTH, NULL, NULL, "Screen width set to {arg}\n" },
	{ "set cli complete-on-space off", ACT_FIXTURE, NULL, NULL, "Disabling complete-on-space\n" },
	{ "exit", ACT_EXIT, NULL, NULL, NULL },
	{ "quit", ACT_EXIT, NULL, NULL, NULL },
	END_ROW
};

static const struct emu_cmd eos_cmds[] = {
	{ "show ip bgp neighbors <v4> received-routes", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show ip bgp neighbors <v4> advertised-routes", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show ipv6 bgp neighbors <v6> received-routes", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show ipv6 bgp neighbors <v6> advertised-routes", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show ip bgp neighbors <v4> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show ipv6 bgp neighbors <v6> ...", ACT_PACED, "bgp_neighbor", NULL, NULL },
	{ "show ip route vrf <w> <v4> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show ipv6 route vrf <w> <v6> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "ping vrf <w> ip <v4> ...", ACT_PACED, "ping", NULL, NULL },
	{ "ping vrf <w> ipv6 <v6> ...", ACT_PACED, "ping", NULL, NULL },
	{ "ping ip <v4> ...", ACT_PACED, "ping", NULL, NULL },
	{ "traceroute vrf <w> ip <v4> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "traceroute vrf <w> ipv6 <v6> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "traceroute ip <v4> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "show ip bgp summary", ACT_FIXTURE, "bgp_summary_v4", NULL, NULL },
	{ "show ipv6 bgp summary", ACT_FIXTURE, "bgp_summary_v6", NULL, NULL },
	{ "show bgp ipv4 unicast summary", ACT_FIXTURE, "bgp_summary_v4", NULL, NULL },
	{ "show bgp ipv6 unicast summary", ACT_FIXTURE, "bgp_summary_v6", NULL, NULL },
	{ "show ip bgp community <re>", ACT_TEXT, "bgp_community_v4", NULL, NULL },
	{ "show ipv6 bgp community <re>", ACT_TEXT, "bgp_community_v6", NULL, NULL },
	{ "show ip bgp regexp <re>", ACT_TEXT, "bgp_aspath_v4", NULL, NULL },
	{ "show ipv6 bgp regexp <re>", ACT_TEXT, "bgp_aspath_v6", NULL, NULL },
	{ "show ip bgp <v4> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show ipv6 bgp <v6> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp ipv4 unicast <v4> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show bgp ipv6 unicast <v6> ...", ACT_ROUTE, "bgp_route", "bgp_route_missing", NULL },
	{ "show ip bgp", ACT_TABLE, "bgp_table_v4", NULL, NULL },
	{ "show ipv6 bgp", ACT_TABLE, "bgp_table_v6", NULL, NULL },
	{ "show ip route <v4> ...", ACT_ROUTE, "route", "route_missing", NULL },
	{ "show ipv6 route <v6> ...", ACT_ROUTE, "route", "route_missing", NULL },
	SHOW_CLOCK,
	SHOW_VERSION,
	{ "ping ipv6 <v6> ...", ACT_PACED, "ping", NULL, NULL },
	{ "ping <ip> ...", ACT_PACED, "ping", NULL, NULL },
	{ "traceroute ipv6 <v6> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "traceroute <ip> ...", ACT_PACED, "traceroute", NULL, NULL },
	{ "terminal length 0", ACT_TERMLEN, NULL, NULL, "Pagination disabled.\n" },
	{ "terminal length <n>", ACT_TERMLEN, NULL, NULL, "" },
	{ "terminal width <n>", ACT_TERMWIDTH, NULL, NULL, "Width set to {arg} columns.\n" },
	{ "enable", ACT_ENABLE, NULL, NULL, NULL },
	{ "disable", ACT_DISABLE, NULL, NULL, NULL },
	{ "exit", ACT_EXIT, NULL, NULL, NULL },
	{ "logout", ACT_EXIT, NULL, NULL, NULL },
	END_ROW
};

/*
 * Prompts are built by platform_prompt(): "{host}" and "{user}" are the
 * only substitutions, so no format string ever comes from a table.
 */
static const struct emu_platform platforms[PLAT_MAX] = {
	[PLAT_IOS] = {
		.id = PLAT_IOS,
		.key = "ios",
		.prompt_user = "{host}>",
		.prompt_priv = "{host}#",
		.login_user = "Username: ",
		.login_pass = "Password: ",
		.login_failed = "% Login invalid\n",
		.enable_failed = "% Access denied\n",
		.pager = " --More-- ",
		.pager_erase = "\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b",
		.pager_any_key_quits = 1,
		.err_invalid = "% Invalid input detected at '^' marker.\n",
		.err_unknown = "% Invalid input detected at '^' marker.\n",
		.err_incomplete = "% Incomplete command.\n",
		.err_ambiguous = "% Ambiguous command:  \"{arg}\"\n",
		.cmds = ios_cmds,
	},
	[PLAT_IOSXR] = {
		.id = PLAT_IOSXR,
		.key = "iosxr",
		.prompt_user = "RP/0/RSP0/CPU0:{host}#",
		.login_user = "Username: ",
		.login_pass = "Password: ",
		.login_failed = "% Authentication failed\n",
		.pager = " --More-- ",
		.pager_erase = "\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b",
		.pager_any_key_quits = 1,
		.err_invalid = "% Invalid input detected at '^' marker.\n",
		.err_unknown = "% Invalid input detected at '^' marker.\n",
		.err_incomplete = "% Incomplete command.\n",
		.err_ambiguous = "% Ambiguous command at '^' marker.\n",
		.cmds = iosxr_cmds,
	},
	[PLAT_NXOS] = {
		.id = PLAT_NXOS,
		.key = "nxos",
		.prompt_user = "{host}#",
		.login_user = "{host} login: ",
		.login_pass = "Password: ",
		.login_failed = "Login incorrect\n",
		.pager = "--More--",
		.pager_erase = "\r        \r",
		.pager_any_key_quits = 1,
		.err_invalid = "% Invalid command at '^' marker.\n",
		.err_unknown = "% Invalid command at '^' marker.\n",
		.err_incomplete = "% Incomplete command at '^' marker.\n",
		.err_ambiguous = "% Ambiguous command at '^' marker.\n",
		.caret_incomplete = 1,
		.cmds = nxos_cmds,
	},
	[PLAT_JUNOS] = {
		.id = PLAT_JUNOS,
		.key = "junos",
		.prompt_user = "{user}@{host}> ",
		.user_at_host = 1,
		.login_user = "login: ",
		.login_pass = "Password:",
		.login_failed = "Login incorrect\n",
		.pager = "---(more)---",
		.pager_erase = "\r                                        \r",
		.err_invalid = "syntax error, expecting <command>.\n",
		.err_unknown = "unknown command.\n",
		.err_incomplete = "syntax error, expecting <command>.\n",
		.err_ambiguous = "'{arg}' is ambiguous.\n",
		.caret_incomplete = 1,
		.blank_before_prompt = 1,
		.cmds = junos_cmds,
	},
	[PLAT_EOS] = {
		.id = PLAT_EOS,
		.key = "eos",
		.prompt_user = "{host}>",
		.prompt_priv = "{host}#",
		.login_user = "Username: ",
		.login_pass = "Password: ",
		.login_failed = "% Authentication failed\n",
		.enable_failed = "% Access denied\n",
		.pager = " --More-- ",
		.pager_erase = "\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b",
		.pager_any_key_quits = 1,
		.err_invalid = "% Invalid input (at token {tok}: '{arg}')\n",
		.err_unknown = "% Invalid input (at token {tok}: '{arg}')\n",
		.err_incomplete = "% Incomplete command\n",
		.err_ambiguous = "% Ambiguous command\n",
		.eos_token_err = 1,
		.cmds = eos_cmds,
	},
};

static const struct {
	const char		*name;
	enum emu_plat_id	 id;
} plat_names[] = {
	{ "ios", PLAT_IOS },
	{ "iosxe", PLAT_IOS },
	{ "cisco-ios", PLAT_IOS },
	{ "iosxr", PLAT_IOSXR },
	{ "cisco-iosxr", PLAT_IOSXR },
	{ "nxos", PLAT_NXOS },
	{ "cisco-nxos", PLAT_NXOS },
	{ "junos", PLAT_JUNOS },
	{ "juniper-junos", PLAT_JUNOS },
	{ "eos", PLAT_EOS },
	{ "arista-eos", PLAT_EOS },
	{ NULL, PLAT_MAX }
};

const struct emu_platform *
platform_find(const char *name)
{
	size_t		 i;

	for (i = 0; plat_names[i].name != NULL; i++)
		if (strcmp(plat_names[i].name, name) == 0)
			return &platforms[plat_names[i].id];
	return NULL;
}

/*
 * The matcher keeps one bit per row: every table must fit.  Returns -1
 * (naming the platform in err) when one does not.
 */
int
platform_check(char *err, size_t errlen)
{
	size_t		 i, n;

	for (i = 0; i < PLAT_MAX; i++) {
		for (n = 0; platforms[i].cmds[n].pattern != NULL; n++)
			continue;
		if (n > EMU_MAX_CMDS) {
			snprintf(err, errlen, "%s: %zu commands, at most %d",
			    platforms[i].key, n, EMU_MAX_CMDS);
			return -1;
		}
	}
	return 0;
}

const struct emu_platform *
platform_get(enum emu_plat_id id)
{
	return &platforms[id];
}

/*
 * Writes the session's current prompt into buf.  Returns its length, or -1
 * when it does not fit.
 */
int
platform_prompt(const struct emu_sess *s, char *buf, size_t len)
{
	const struct emu_platform *p = s->r->plat;
	const char	*tpl, *c;
	size_t		 n = 0, l;
	const char	*val;

	tpl = (s->priv && p->prompt_priv != NULL) ? p->prompt_priv :
	    p->prompt_user;
	for (c = tpl; *c != '\0'; c++) {
		val = NULL;
		if (strncmp(c, "{host}", 6) == 0) {
			val = s->r->hostname;
			c += 5;
		} else if (strncmp(c, "{user}", 6) == 0) {
			val = s->user[0] != '\0' ? s->user : s->r->username;
			c += 5;
		}
		l = val != NULL ? strlen(val) : 1;
		if (n + l + 1 > len)
			return -1;
		memcpy(buf + n, val != NULL ? val : c, l);
		n += l;
	}
	buf[n] = '\0';
	return (int)n;
}
