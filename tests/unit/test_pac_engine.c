/*
 * Unit tests of the PAC evaluator (programs/winhttp-pac/pac_engine.c),
 * written against Netscape's PAC function descriptions and Microsoft's
 * "IPv6 extensions to navigator auto-config file format" pages.
 *
 * The world is fixed: a resolver and interface list of our own, a clock
 * stopped at known instants, and TZ=EST5 (UTC-5, no daylight saving) so that
 * local time and GMT differ by a known amount.
 */
// unit-sources: programs/winhttp-pac/pac_engine.c
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pac_engine.h"
#include "unit.h"

/* Friday 15 March 2024, 14:30:45 UTC = 09:30:45 in EST5. */
#define T_FRIDAY   1710513045LL
/* Saturday 16 March 2024, 02:00:00 UTC = Friday 15 March, 21:00:00 EST5. */
#define T_SAT_UTC  1710554400LL

static int resolver_calls;
static int only_loopback;

static void set_addr(struct pac_addr *a, const char *text, unsigned int scope)
{
    memset(a, 0, sizeof(*a));
    if (inet_pton(AF_INET, text, a->bytes) == 1) a->family = 4;
    else if (inet_pton(AF_INET6, text, a->bytes) == 1) a->family = 6;
    a->scope = scope;
}

static int fake_resolve(void *ctx, const char *host, struct pac_addr *addrs, int max)
{
    (void)ctx;
    resolver_calls++;
    if (max < 2) return 0;
    if (!strcmp(host, "host.example")) { set_addr(&addrs[0], "10.1.2.3", 0); return 1; }
    /* Given IPv4 first: the engine must put IPv6 first itself. */
    if (!strcmp(host, "dual.example"))
    {
        set_addr(&addrs[0], "192.0.2.7", 0);
        set_addr(&addrs[1], "2001:db8::1", 0);
        return 2;
    }
    if (!strcmp(host, "v6only.example")) { set_addr(&addrs[0], "2001:db8::2", 0); return 1; }
    if (!strcmp(host, "link.example")) { set_addr(&addrs[0], "fe80::1", 3); return 1; }
    if (!strcmp(host, "twice.example"))
    {
        set_addr(&addrs[0], "192.0.2.9", 0);
        set_addr(&addrs[1], "192.0.2.9", 0);
        return 2;
    }
    return 0;
}

static int fake_local(void *ctx, struct pac_addr *addrs, int max)
{
    (void)ctx;
    if (max < 5) return 0;
    set_addr(&addrs[0], "127.0.0.1", 0);
    set_addr(&addrs[1], "::1", 0);
    if (only_loopback) return 2;
    set_addr(&addrs[2], "fe80::5", 2);
    set_addr(&addrs[3], "192.0.2.50", 0);
    set_addr(&addrs[4], "2001:db8::50", 0);
    return 5;
}

static struct pac_env env = {1, T_FRIDAY, fake_resolve, fake_local, NULL};

/* Runs a script, returns the status and (on PAC_OK) the result in out. */
static enum pac_status run_script(const char *script, size_t limit, char *out, size_t out_size)
{
    char *result = (char *)0x1;
    enum pac_status status = pac_evaluate_env(script, strlen(script), "http://www.example.com/path",
                                              "www.example.com", limit, &env, &result);
    *out = 0;
    if (status == PAC_OK)
    {
        snprintf(out, out_size, "%s", result);
        free(result);
    }
    else if (result) snprintf(out, out_size, "(result %p on failure)", (void *)result);
    return status;
}

/* The value of one JavaScript expression as a string, "(status NAME)" when
 * it does not evaluate. */
static const char *eval(const char *expr)
{
    static char out[4096];
    char script[4096];
    enum pac_status status;

    snprintf(script, sizeof(script), "function FindProxyForURL(url, host) { return String(%s); }", expr);
    status = run_script(script, 0, out, sizeof(out));
    if (status != PAC_OK) snprintf(out, sizeof(out), "(status %s)", pac_status_name(status));
    return out;
}

#define ok_eval(expr, expect) do { const char *got_ = eval(expr); \
    ok(!strcmp(got_, expect), "%s: expected \"%s\", got \"%s\"", expr, expect, got_); } while (0)

static void test_host_names(void)
{
    ok_eval("isPlainHostName('www')", "true");
    ok_eval("isPlainHostName('www.example.com')", "false");
    ok_eval("isPlainHostName('')", "true");
    ok_eval("isPlainHostName(host)", "false");

    ok_eval("dnsDomainIs('www.example.com', '.example.com')", "true");
    ok_eval("dnsDomainIs('www.EXAMPLE.com', '.example.com')", "true");
    ok_eval("dnsDomainIs('www', '.example.com')", "false");
    ok_eval("dnsDomainIs('example.com', '.example.com')", "false");
    ok_eval("dnsDomainIs('www.example.org', '.example.com')", "false");
    ok_eval("dnsDomainIs('anything', '')", "true");

    ok_eval("localHostOrDomainIs('www.example.com', 'www.example.com')", "true");
    ok_eval("localHostOrDomainIs('www', 'www.example.com')", "true");
    ok_eval("localHostOrDomainIs('WWW', 'www.example.com')", "true");
    ok_eval("localHostOrDomainIs('www.other.com', 'www.example.com')", "false");
    ok_eval("localHostOrDomainIs('home', 'www.example.com')", "false");
    ok_eval("localHostOrDomainIs('ww', 'www.example.com')", "false");
    ok_eval("localHostOrDomainIs('www.example', 'www.example.com')", "false");
    ok_eval("localHostOrDomainIs('', 'www.example.com')", "false");

    ok_eval("dnsDomainLevels('www')", "0");
    ok_eval("dnsDomainLevels('www.example.com')", "2");
    ok_eval("dnsDomainLevels('')", "0");
    ok_eval("dnsDomainLevels('a.b.c.d.')", "4");
    ok_eval("typeof dnsDomainLevels('a.b')", "number");
}

static void test_shexpmatch(void)
{
    char expr[8192], *p;
    int i;

    ok_eval("shExpMatch(url, '*/path')", "true");
    ok_eval("shExpMatch(url, '*/pat')", "false");
    ok_eval("shExpMatch('http://home.example.com/a/b', '*/a/*')", "true");
    ok_eval("shExpMatch('abc', 'a?c')", "true");
    ok_eval("shExpMatch('abbc', 'a?c')", "false");
    ok_eval("shExpMatch('ac', 'a?c')", "false");
    ok_eval("shExpMatch('abc', '*')", "true");
    ok_eval("shExpMatch('', '*')", "true");
    ok_eval("shExpMatch('', '')", "true");
    ok_eval("shExpMatch('a', '')", "false");
    ok_eval("shExpMatch('', '?')", "false");
    ok_eval("shExpMatch('abc', 'abc*')", "true");
    ok_eval("shExpMatch('abcd', '*c')", "false");
    ok_eval("shExpMatch('a.b', 'a.b')", "true");
    /* '.' is a dot, not a regular expression's any character. */
    ok_eval("shExpMatch('axb', 'a.b')", "false");
    ok_eval("shExpMatch('a+b', 'a+b')", "true");
    ok_eval("shExpMatch('aaa', 'a*a*a')", "true");
    ok_eval("shExpMatch('aa', 'a*a*a')", "false");
    ok_eval("shExpMatch('abcabd', '*ab?')", "true");
    ok_eval("shExpMatch('ABC', 'abc')", "false");
    ok_eval("shExpMatch('www.example.com', '*.example.com')", "true");
    ok_eval("shExpMatch('example.com', '*.example.com')", "false");
    /* '[' is not special either. */
    ok_eval("shExpMatch('[a]', '[a]')", "true");
    ok_eval("shExpMatch('a', '[a]')", "false");
    /* '?' is one character, not one byte. */
    ok_eval("shExpMatch('\\u00e9', '?')", "true");
    ok_eval("shExpMatch('x\\u20acy', 'x?y')", "true");
    ok_eval("shExpMatch('\\u20ac', '?' + '?')", "false");

    /* A pattern that would take exponential time with naive backtracking. */
    p = expr + sprintf(expr, "shExpMatch('");
    for (i = 0; i < 2000; i++) *p++ = 'a';
    p += sprintf(p, "', '");
    for (i = 0; i < 30; i++) p += sprintf(p, "*a");
    sprintf(p, "*b')");
    ok_eval(expr, "false");
}

static void test_dns(void)
{
    resolver_calls = 0;
    ok_eval("isResolvable('host.example')", "true");
    ok_eval("isResolvable('v6only.example')", "false");
    ok_eval("isResolvable('nowhere.example')", "false");
    ok_eval("isResolvable('')", "false");
    ok_int(resolver_calls, 3);   /* '' is not even asked */
    resolver_calls = 0;
    ok_eval("isResolvable('10.0.0.1')", "true");
    ok_eval("dnsResolve('192.0.2.1')", "192.0.2.1");
    ok_int(resolver_calls, 0);   /* a literal is its own answer */

    ok_eval("isResolvableEx('v6only.example')", "true");
    ok_eval("isResolvableEx('dual.example')", "true");
    ok_eval("isResolvableEx('nowhere.example')", "false");
    ok_eval("isResolvableEx('2001:db8::9')", "true");

    ok_eval("dnsResolve('host.example')", "10.1.2.3");
    ok_eval("dnsResolve('dual.example')", "192.0.2.7");
    ok_eval("dnsResolve('v6only.example')", "null");
    ok_eval("dnsResolve('nowhere.example')", "null");
    ok_eval("typeof dnsResolve('host.example')", "string");

    ok_eval("dnsResolveEx('dual.example')", "2001:db8::1;192.0.2.7");
    ok_eval("dnsResolveEx('link.example')", "fe80::1%3");
    ok_eval("dnsResolveEx('twice.example')", "192.0.2.9");
    ok_eval("dnsResolveEx('nowhere.example')", "");
    ok_eval("dnsResolveEx('::ffff:10.0.0.1')", "::ffff:10.0.0.1");

    ok_eval("myIpAddress()", "192.0.2.50");
    ok_eval("myIpAddressEx()", "fe80::5%2;2001:db8::50;192.0.2.50");
    only_loopback = 1;
    ok_eval("myIpAddress()", "127.0.0.1");
    ok_eval("myIpAddressEx()", "::1;127.0.0.1");
    only_loopback = 0;
}

static void test_isinnet(void)
{
    ok_eval("isInNet('host.example', '10.0.0.0', '255.0.0.0')", "true");
    ok_eval("isInNet('host.example', '10.1.2.0', '255.255.255.0')", "true");
    ok_eval("isInNet('host.example', '10.1.3.0', '255.255.255.0')", "false");
    ok_eval("isInNet('10.1.2.3', '10.1.2.3', '255.255.255.255')", "true");
    ok_eval("isInNet('10.1.2.4', '10.1.2.3', '255.255.255.255')", "false");
    ok_eval("isInNet('host.example', '0.0.0.0', '0.0.0.0')", "true");
    ok_eval("isInNet('nowhere.example', '0.0.0.0', '0.0.0.0')", "false");
    ok_eval("isInNet('v6only.example', '0.0.0.0', '0.0.0.0')", "false");
    ok_eval("isInNet('dual.example', '192.0.2.0', '255.255.255.0')", "true");
    /* A mask need not be contiguous: it selects bits. */
    ok_eval("isInNet('10.1.2.3', '0.0.2.0', '0.0.255.0')", "true");
    ok_eval("isInNet('10.1.2.3', '99.99.2.99', '0.0.255.0')", "true");
    /* Malformed patterns and masks match nothing. */
    ok_eval("isInNet('10.1.2.3', '10.1.2', '255.255.255.0')", "false");
    ok_eval("isInNet('10.1.2.3', '10.1.2.0', '255.255.255')", "false");
    ok_eval("isInNet('10.1.2.3', '10.1.2.0', 'bogus')", "false");
    ok_eval("isInNet('10.1.2.3', '10.1.2.0')", "false");
    ok_eval("isInNet('10.1.2.3', '::', '::')", "false");

    ok_eval("isInNetEx('198.95.249.79', '198.95.249.79/32')", "true");
    ok_eval("isInNetEx('198.95.249.78', '198.95.249.79/32')", "false");
    ok_eval("isInNetEx('198.95.1.2', '198.95.0.0/16')", "true");
    ok_eval("isInNetEx('198.96.1.2', '198.95.0.0/16')", "false");
    ok_eval("isInNetEx('10.0.0.129', '10.0.0.128/25')", "true");
    ok_eval("isInNetEx('10.0.0.127', '10.0.0.128/25')", "false");
    ok_eval("isInNetEx('10.9.9.9', '0.0.0.0/0')", "true");
    ok_eval("isInNetEx('3ffe:8311:ffff:1::1', '3ffe:8311:ffff::/48')", "true");
    ok_eval("isInNetEx('3ffe:8311:fffe::1', '3ffe:8311:ffff::/48')", "false");
    ok_eval("isInNetEx('2001:db8::1', '2001:db8::1/128')", "true");
    ok_eval("isInNetEx('2001:db8::1', '2001:db8::/127')", "true");
    ok_eval("isInNetEx('2001:db8::2', '2001:db8::/127')", "false");
    ok_eval("isInNetEx('fe80::1%3', 'fe80::/10')", "true");
    /* Another IP version never matches, not even /0. */
    ok_eval("isInNetEx('198.95.1.2', '::/0')", "false");
    ok_eval("isInNetEx('2001:db8::1', '0.0.0.0/0')", "false");
    /* Malformed prefixes. */
    ok_eval("isInNetEx('10.0.0.1', '10.0.0.0')", "false");
    ok_eval("isInNetEx('10.0.0.1', '10.0.0.0/')", "false");
    ok_eval("isInNetEx('10.0.0.1', '10.0.0.0/33')", "false");
    ok_eval("isInNetEx('2001:db8::1', '2001:db8::/129')", "false");
    ok_eval("isInNetEx('10.0.0.1', '10.0.0.0/8x')", "false");
    ok_eval("isInNetEx('10.0.0.1', '10.0.0/8')", "false");
    /* Host names are resolved (every address counts), and lists are read. */
    ok_eval("isInNetEx('dual.example', '2001:db8::/32')", "true");
    ok_eval("isInNetEx('dual.example', '192.0.2.0/24')", "true");
    ok_eval("isInNetEx('nowhere.example', '0.0.0.0/0')", "false");
    ok_eval("isInNetEx(dnsResolveEx('dual.example'), '192.0.2.0/24')", "true");
    ok_eval("isInNetEx('2001:db8::1; 192.0.2.7', '192.0.2.0/24')", "true");
    ok_eval("isInNetEx('2001:db8::1;10.0.0.1', '192.0.2.0/24')", "false");
    ok_eval("isInNetEx(myIpAddressEx(), '192.0.2.0/24')", "true");
}

static void test_ex_utilities(void)
{
    /* Microsoft's example: IPv6 (link-local first) before IPv4, as written. */
    ok_eval("sortIpAddressList('2001:4898:28:3:201:2ff:feea:fc14; 157.59.139.22; fe80::5efe:157.59.139.22')",
            "fe80::5efe:157.59.139.22;2001:4898:28:3:201:2ff:feea:fc14;157.59.139.22");
    ok_eval("sortIpAddressList('10.0.0.2;10.0.0.10;10.0.0.1')", "10.0.0.1;10.0.0.2;10.0.0.10");
    ok_eval("sortIpAddressList('2001:db8::1;::1;fe80::1')", "::1;fe80::1;2001:db8::1");
    ok_eval("sortIpAddressList('192.0.2.1')", "192.0.2.1");
    ok_eval("sortIpAddressList('10.0.0.1;bogus')", "");
    ok_eval("sortIpAddressList('')", "");
    ok_eval("sortIpAddressList(';;')", "");
    ok_eval("sortIpAddressList('10.0.0.1;')", "10.0.0.1");

    ok_eval("getClientVersion()", "1.0");
    ok_eval("typeof getClientVersion()", "string");
    ok_eval("alert('hello')", "undefined");
}

static void set_time(long long t)
{
    env.fixed_time = t;
}

static void test_weekday_range(void)
{
    set_time(T_FRIDAY);
    ok_eval("weekdayRange('FRI')", "true");
    ok_eval("weekdayRange('THU')", "false");
    ok_eval("weekdayRange('MON', 'FRI')", "true");
    ok_eval("weekdayRange('MON', 'THU')", "false");
    ok_eval("weekdayRange('SAT', 'SUN')", "false");
    ok_eval("weekdayRange('FRI', 'MON')", "true");
    ok_eval("weekdayRange('SAT', 'THU')", "false");
    ok_eval("weekdayRange('THU', 'SAT')", "true");
    ok_eval("weekdayRange('FRI', 'GMT')", "true");
    ok_eval("weekdayRange('XYZ')", "false");
    ok_eval("weekdayRange('MON', 'XYZ')", "false");
    ok_eval("weekdayRange()", "false");
    ok_eval("weekdayRange('MON', 'TUE', 'WED')", "false");

    /* Friday evening here, Saturday already in GMT. */
    set_time(T_SAT_UTC);
    ok_eval("weekdayRange('FRI')", "true");
    ok_eval("weekdayRange('FRI', 'GMT')", "false");
    ok_eval("weekdayRange('SAT', 'GMT')", "true");
    ok_eval("weekdayRange('SAT', 'SUN', 'GMT')", "true");
    ok_eval("weekdayRange('SAT', 'SUN')", "false");
    set_time(T_FRIDAY);
}

static void test_date_range(void)
{
    set_time(T_FRIDAY);   /* 15 March 2024 */
    ok_eval("dateRange(15)", "true");
    ok_eval("dateRange(14)", "false");
    ok_eval("dateRange('15')", "true");
    ok_eval("dateRange(1, 15)", "true");
    ok_eval("dateRange(10, 20)", "true");
    ok_eval("dateRange(16, 31)", "false");
    ok_eval("dateRange(25, 5)", "false");
    ok_eval("dateRange(25, 15)", "true");
    ok_eval("dateRange('MAR')", "true");
    ok_eval("dateRange('FEB')", "false");
    ok_eval("dateRange('JAN', 'MAR')", "true");
    ok_eval("dateRange('APR', 'FEB')", "false");
    ok_eval("dateRange('NOV', 'MAR')", "true");
    ok_eval("dateRange(2024)", "true");
    ok_eval("dateRange(2023)", "false");
    ok_eval("dateRange(2020, 2030)", "true");
    ok_eval("dateRange(2025, 2030)", "false");
    ok_eval("dateRange(15, 'MAR')", "true");
    ok_eval("dateRange(15, 'APR')", "false");
    ok_eval("dateRange(15, 'MAR', 2024)", "true");
    ok_eval("dateRange(16, 'MAR', 2024)", "false");
    ok_eval("dateRange('MAR', 2024)", "true");
    ok_eval("dateRange('MAR', 2023)", "false");
    ok_eval("dateRange(1, 'MAR', 31, 'MAR')", "true");
    ok_eval("dateRange(1, 'JAN', 14, 'MAR')", "false");
    ok_eval("dateRange(15, 'MAR', 15, 'MAR')", "true");
    /* Every day but this one, wrapping over the new year. */
    ok_eval("dateRange(16, 'MAR', 14, 'MAR')", "false");
    ok_eval("dateRange(1, 'DEC', 31, 'MAR')", "true");
    ok_eval("dateRange('MAR', 2024, 'MAR', 2024)", "true");
    ok_eval("dateRange('JAN', 2024, 'FEB', 2024)", "false");
    ok_eval("dateRange('DEC', 2023, 'APR', 2024)", "true");
    ok_eval("dateRange(1, 'JAN', 2024, 31, 'DEC', 2024)", "true");
    ok_eval("dateRange(16, 'MAR', 2024, 31, 'DEC', 2024)", "false");
    ok_eval("dateRange(1, 'JAN', 2024, 15, 'MAR', 2024)", "true");
    /* A range with a year does not wrap. */
    ok_eval("dateRange(1, 'JAN', 2025, 31, 'DEC', 2023)", "false");
    /* Malformed. */
    ok_eval("dateRange(0)", "false");
    ok_eval("dateRange('FOO')", "false");
    ok_eval("dateRange(2024, 'MAR')", "false");
    ok_eval("dateRange(15, 2024)", "false");
    ok_eval("dateRange(1, 'MAR', 31)", "false");
    ok_eval("dateRange(1, 2, 3, 4, 5)", "false");
    ok_eval("dateRange(1.5)", "false");
    ok_eval("dateRange()", "false");
    ok_eval("dateRange(1, 'MAR', 2024, 1, 'APR')", "false");

    /* 15 March here, 16 March in GMT. */
    set_time(T_SAT_UTC);
    ok_eval("dateRange(15)", "true");
    ok_eval("dateRange(16)", "false");
    ok_eval("dateRange(16, 'GMT')", "true");
    ok_eval("dateRange(16, 'MAR', 2024, 'GMT')", "true");
    ok_eval("dateRange(1, 15, 'GMT')", "false");
    set_time(T_FRIDAY);
}

static void test_time_range(void)
{
    set_time(T_FRIDAY);   /* 09:30:45 here, 14:30:45 GMT */
    ok_eval("timeRange(9)", "true");
    ok_eval("timeRange(10)", "false");
    ok_eval("timeRange('9')", "true");
    ok_eval("timeRange(14, 'GMT')", "true");
    ok_eval("timeRange(9, 'GMT')", "false");
    ok_eval("timeRange(9, 17)", "true");
    ok_eval("timeRange(10, 17)", "false");
    ok_eval("timeRange(8, 9)", "false");     /* whole hours: 8:00:00 to 8:59:59 */
    ok_eval("timeRange(9, 10)", "true");
    ok_eval("timeRange(9, 9)", "true");
    ok_eval("timeRange(22, 10)", "true");
    ok_eval("timeRange(22, 9)", "false");
    ok_eval("timeRange(0, 24)", "true");
    ok_eval("timeRange(14, 15, 'GMT')", "true");
    ok_eval("timeRange(9, 30, 9, 30)", "true");
    ok_eval("timeRange(9, 0, 9, 30)", "true");
    ok_eval("timeRange(9, 31, 17, 0)", "false");
    ok_eval("timeRange(8, 0, 9, 29)", "false");
    ok_eval("timeRange(22, 0, 9, 30)", "true");
    ok_eval("timeRange(14, 0, 15, 0, 'GMT')", "true");
    ok_eval("timeRange(8, 0, 0, 9, 30, 45)", "true");
    ok_eval("timeRange(8, 0, 0, 9, 30, 44)", "false");
    ok_eval("timeRange(9, 30, 45, 9, 30, 45)", "true");
    ok_eval("timeRange(9, 30, 46, 10, 0, 0)", "false");
    ok_eval("timeRange(23, 0, 0, 9, 30, 45)", "true");
    ok_eval("timeRange(14, 30, 45, 14, 30, 45, 'GMT')", "true");
    /* Malformed. */
    ok_eval("timeRange()", "false");
    ok_eval("timeRange(25)", "false");
    ok_eval("timeRange(24)", "false");
    ok_eval("timeRange(-1)", "false");
    ok_eval("timeRange('x')", "false");
    ok_eval("timeRange(9, 0, 10)", "false");
    ok_eval("timeRange(9, 60, 10, 0)", "false");
    ok_eval("timeRange(9.5)", "false");
    ok_eval("timeRange(1, 2, 3, 4, 5)", "false");
}

static void test_entry_points(void)
{
    char out[256];

    ok_int(run_script("function FindProxyForURL(u, h) { return u + '|' + h; }", 0, out, sizeof(out)), PAC_OK);
    ok(!strcmp(out, "http://www.example.com/path|www.example.com"), "got \"%s\"", out);

    /* FindProxyForURLEx wins when the script defines it. */
    ok_int(run_script("function FindProxyForURL() { return 'LEGACY'; }\n"
                      "function FindProxyForURLEx(u, h) { return 'EX ' + h; }", 0, out, sizeof(out)), PAC_OK);
    ok(!strcmp(out, "EX www.example.com"), "got \"%s\"", out);
    ok_int(run_script("function FindProxyForURLEx() { return 'EX'; }", 0, out, sizeof(out)), PAC_OK);
    ok(!strcmp(out, "EX"), "got \"%s\"", out);
    /* ... when it is a function: anything else is not called. */
    ok_int(run_script("var FindProxyForURLEx = 'x'; function FindProxyForURL() { return 'LEGACY'; }", 0,
                      out, sizeof(out)), PAC_OK);
    ok(!strcmp(out, "LEGACY"), "got \"%s\"", out);
    ok_int(run_script("FindProxyForURL = function () { return 'ASSIGNED'; };", 0, out, sizeof(out)), PAC_OK);
    ok(!strcmp(out, "ASSIGNED"), "got \"%s\"", out);

    ok_int(run_script("", 0, out, sizeof(out)), PAC_NO_FUNCTION);
    ok_int(run_script("var x = 1;", 0, out, sizeof(out)), PAC_NO_FUNCTION);
    ok_int(run_script("var FindProxyForURL = 'DIRECT';", 0, out, sizeof(out)), PAC_NO_FUNCTION);
    ok_int(run_script("function findproxyforurl() { return 'DIRECT'; }", 0, out, sizeof(out)), PAC_NO_FUNCTION);

    ok_int(run_script("function FindProxyForURL(u, h) { return ", 0, out, sizeof(out)), PAC_SYNTAX);
    ok_int(run_script("function FindProxyForURL(u, h) { return 'DIRECT' }}", 0, out, sizeof(out)), PAC_SYNTAX);
    ok_int(run_script("let x = 1; function FindProxyForURL() { return 'DIRECT'; }", 0, out, sizeof(out)), PAC_SYNTAX);
    ok_int(run_script("\xff\xfe", 0, out, sizeof(out)), PAC_SYNTAX);

    ok_int(run_script("throw new Error('top');", 0, out, sizeof(out)), PAC_RUNTIME);
    ok_int(run_script("function FindProxyForURL() { throw 'no'; }", 0, out, sizeof(out)), PAC_RUNTIME);
    ok_int(run_script("function FindProxyForURL() { return undefinedFunction(); }", 0, out, sizeof(out)), PAC_RUNTIME);
    ok_int(run_script("function f(n) { return 1 + f(n + 1); }\n"
                      "function FindProxyForURL() { return String(f(0)); }", 0, out, sizeof(out)), PAC_RUNTIME);

    /* The result must be a string. */
    ok_int(run_script("function FindProxyForURL() { return 5; }", 0, out, sizeof(out)), PAC_BAD_RESULT);
    ok_int(run_script("function FindProxyForURL() { return null; }", 0, out, sizeof(out)), PAC_BAD_RESULT);
    ok_int(run_script("function FindProxyForURL() { }", 0, out, sizeof(out)), PAC_BAD_RESULT);
    ok_int(run_script("function FindProxyForURL() { return new String('DIRECT'); }", 0, out, sizeof(out)),
           PAC_BAD_RESULT);
    ok_int(run_script("function FindProxyForURL() { return ['DIRECT']; }", 0, out, sizeof(out)), PAC_BAD_RESULT);
    ok_int(run_script("function FindProxyForURL() { return 'a\\u0000b'; }", 0, out, sizeof(out)), PAC_BAD_RESULT);
    ok_int(run_script("function FindProxyForURL() { return ''; }", 0, out, sizeof(out)), PAC_OK);
    ok(!strcmp(out, ""), "got \"%s\"", out);

    /* UTF-8 out: a character outside the BMP, a lone surrogate. */
    ok_int(run_script("function FindProxyForURL() { return 'PROXY \\ud83d\\ude00:1 \\u00e9'; }", 0, out, sizeof(out)),
           PAC_OK);
    ok(!strcmp(out, "PROXY \xf0\x9f\x98\x80:1 \xc3\xa9"), "got \"%s\"", out);
    ok_int(run_script("function FindProxyForURL() { return 'x\\ud800y'; }", 0, out, sizeof(out)), PAC_OK);
    ok(!strcmp(out, "x\xef\xbf\xbdy"), "got \"%s\"", out);

    /* URL and host bytes that are not UTF-8 reach the script as U+FFFD;
     * UTF-8 outside the BMP as one character (a surrogate pair). */
    {
        char *result = NULL;
        const char *s = "function FindProxyForURL(u, h) { return u.length + ' ' + escape(u) + ' ' + escape(h); }";
        ok_int(pac_evaluate(s, strlen(s), "a\xf0\x9f\x98\x80", "\xfc\x86x\xc0\xaf", 0, &result), PAC_OK);
        ok(result && !strcmp(result, "3 a%uD83D%uDE00 %uFFFD%uFFFDx%uFFFD%uFFFD"),
           "got \"%s\"", result ? result : "(null)");
        free(result);
        /* An encoded surrogate is not UTF-8 either; a truncated sequence at the end. */
        ok_int(pac_evaluate(s, strlen(s), "ab\xe2\x82", "\xed\xa0\x80z", 0, &result), PAC_OK);
        ok(result && !strcmp(result, "4 ab%uFFFD%uFFFD %uFFFD%uFFFD%uFFFDz"), "got \"%s\"", result ? result : "(null)");
        free(result);
    }

    /* Nothing of the host system is reachable from a script. */
    ok_eval("typeof require + typeof print + typeof process + typeof load + typeof readFile",
            "undefinedundefinedundefinedundefinedundefined");

    /* NULL URL and host are empty strings. */
    {
        char *result = NULL;
        const char *s = "function FindProxyForURL(u, h) { return '[' + u + '][' + h + ']'; }";
        ok_int(pac_evaluate(s, strlen(s), NULL, NULL, 0, &result), PAC_OK);
        ok(result && !strcmp(result, "[][]"), "got \"%s\"", result ? result : "(null)");
        free(result);
        ok_int(pac_evaluate(NULL, 5, "u", "h", 0, &result), PAC_SYNTAX);
        ok(!result, "result %p on failure\n", (void *)result);
    }
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_memory_cap(void)
{
    char out[256];
    double start = now_seconds();

    ok_int(run_script("var a = []; while (true) a.push('some text ' + a.length);", 8 << 20, out, sizeof(out)),
           PAC_MEMORY);
    ok_int(run_script("function FindProxyForURL() { var s = 'x'; while (true) s = s + s; }", 8 << 20, out,
                      sizeof(out)), PAC_MEMORY);
    ok_int(run_script("function FindProxyForURL() { return String(new Uint8Array(100000000).length); }", 8 << 20, out,
                      sizeof(out)), PAC_MEMORY);
    ok(now_seconds() - start < 10, "the capped scripts took %.1f s\n", now_seconds() - start);
    /* A cap too small for the heap itself. */
    ok_int(run_script("function FindProxyForURL() { return 'DIRECT'; }", 1000, out, sizeof(out)), PAC_MEMORY);
    /* A script that survives a refused allocation and answers is answered. */
    ok_int(run_script("function FindProxyForURL() { try { var s = 'x'; while (true) s = s + s; }"
                      " catch (e) { return 'CAUGHT ' + (e instanceof Error); } }", 8 << 20, out, sizeof(out)),
           PAC_OK);
    ok(!strcmp(out, "CAUGHT true"), "got \"%s\"", out);
    /* The same script under a generous cap is fine. */
    ok_int(run_script("function FindProxyForURL() { var a = []; for (var i = 0; i < 10000; i++) a.push(i);"
                      " return 'N ' + a.length; }", 8 << 20, out, sizeof(out)), PAC_OK);
    ok(!strcmp(out, "N 10000"), "got \"%s\"", out);
}

/* Every cap, however tight, ends in an answer or PAC_MEMORY: never in a
 * crash (duktape cannot survive running out of memory while it builds its
 * built-in objects, so the engine must never let it), never in a leak. */
static void test_memory_sweep(void)
{
    const char *s = "function g(x) { try { throw new Error('e' + x); } catch (e) { return e.message; } }\n"
                    "function FindProxyForURL(u, h) { var r = []; for (var i = 0; i < 20; i++)"
                    " r.push(g(i) + /^(a+)+b?$/.test('aaaa') + shExpMatch(u, '*x*')); return 'N ' + r.length; }";
    size_t limit;
    int answered = 0, refused = 0, other = 0;

    for (limit = 1000; limit < 400000; limit += 1999)
    {
        char *result = NULL;
        enum pac_status status = pac_evaluate_env(s, strlen(s), "http://x/", "x", limit, &env, &result);
        if (status == PAC_OK && result && !strcmp(result, "N 20")) answered++;
        else if (status == PAC_MEMORY && !result) refused++;
        else other++;
        free(result);
        status = pac_compile_check(s, strlen(s), limit);
        if (status != PAC_OK && status != PAC_MEMORY) other++;
    }
    ok(answered > 50 && refused > 10 && !other, "answered %d, refused %d, other %d\n", answered, refused, other);
}

static void test_compile_check(void)
{
    const char *good = "function FindProxyForURL() { while (true) {} }";
    const char *bad = "function (";
    ok_int(pac_compile_check(good, strlen(good), 0), PAC_OK);
    ok_int(pac_compile_check(bad, strlen(bad), 0), PAC_SYNTAX);
    ok_int(pac_compile_check(good, strlen(good), 1000), PAC_MEMORY);
    ok_int(pac_compile_check("", 0, 0), PAC_OK);
}

static void test_status_names(void)
{
    ok(!strcmp(pac_status_name(PAC_OK), "OK"), "OK\n");
    ok(!strcmp(pac_status_name(PAC_SYNTAX), "SYNTAX"), "SYNTAX\n");
    ok(!strcmp(pac_status_name(PAC_NO_FUNCTION), "NO_FUNCTION"), "NO_FUNCTION\n");
    ok(!strcmp(pac_status_name(PAC_RUNTIME), "RUNTIME"), "RUNTIME\n");
    ok(!strcmp(pac_status_name(PAC_MEMORY), "MEMORY"), "MEMORY\n");
    ok(!strcmp(pac_status_name(PAC_BAD_RESULT), "BAD_RESULT"), "BAD_RESULT\n");
}

/* The system's resolver and interfaces (no pac_env): only what cannot leave
 * the machine. */
static void test_system_world(void)
{
    const char *s = "function FindProxyForURL() { return [dnsResolve('127.0.0.1'), isResolvable('localhost'),"
                    " dnsResolveEx('::1'), myIpAddress(), getClientVersion()].join(' '); }";
    char *result = NULL, ip[64] = "", rest[256] = "";
    unsigned char bytes[4];

    ok_int(pac_evaluate(s, strlen(s), "http://x/", "x", 0, &result), PAC_OK);
    ok(result && !strncmp(result, "127.0.0.1 true ::1 ", 19), "got \"%s\"", result ? result : "(null)");
    if (result && sscanf(result + 19, "%63s %255s", ip, rest) == 2)
    {
        ok(inet_pton(AF_INET, ip, bytes) == 1, "myIpAddress() gave \"%s\"\n", ip);
        ok(!strcmp(rest, "1.0"), "got \"%s\"", rest);
    }
    else ok(0, "got \"%s\"", result ? result : "(null)");
    free(result);

    /* A name that must not resolve, only where lookups stay on this machine
     * (tools/run-tests' private resolv.conf). */
    if (getenv("WINHTTP_TEST_DNS_ISOLATED"))
    {
        s = "function FindProxyForURL() { return isResolvable('pac-test.invalid') + ' ' + dnsResolveEx('pac-test.invalid'); }";
        ok_int(pac_evaluate(s, strlen(s), "http://x/", "x", 0, &result), PAC_OK);
        ok(result && !strcmp(result, "false "), "got \"%s\"", result ? result : "(null)");
        free(result);
    }
}

/* Scripts that drive duktape's C recursion to its limits, from a thread
 * with a small stack (a Windows thread has 1 MiB; this one 256 KiB): the
 * evaluation runs on its own big stack, so each is a runtime error, not a
 * crash. */
static const char *const deep_scripts[] =
{
    "function FindProxyForURL() { var a = []; for (var i = 0; i < 100000; i++) a = [a]; return String(a); }",
    "function FindProxyForURL() { var a = {}; for (var i = 0; i < 100000; i++) a = {x: a}; return JSON.stringify(a); }",
    "function FindProxyForURL() { var s = new Array(20001).join('(') + new Array(20001).join(')');"
    " return String(new RegExp(s).test('')); }",
    "function FindProxyForURL() { return String(eval(new Array(20001).join('(') + '1' + new Array(20001).join(')'))); }",
    "function FindProxyForURL() { return String(/(a|b)*c/.test(new Array(100000).join('a'))); }",
    "function FindProxyForURL() { var o = {}; o.toString = function () { return String(o) + 'x'; }; return String(o); }",
    "function FindProxyForURL() { function f() { return [0].map(f); } return String(f()); }",
};

static void *deep_thread(void *arg)
{
    long bad = 0;
    size_t i;

    (void)arg;
    for (i = 0; i < sizeof(deep_scripts) / sizeof(deep_scripts[0]); i++)
    {
        char *result = NULL;
        enum pac_status status = pac_evaluate(deep_scripts[i], strlen(deep_scripts[i]), "u", "h", 64 << 20, &result);
        if (status != PAC_RUNTIME || result)
        {
            printf("deep script %zu: %s\n", i, pac_status_name(status));
            bad++;
        }
        free(result);
    }
    /* A regular expression literal nested as deep is compiled with the script. */
    {
        size_t depth = 20000, j;
        char *script = malloc(2 * depth + 64), *p = script;
        p += sprintf(p, "var r = /");
        for (j = 0; j < depth; j++) *p++ = '(';
        for (j = 0; j < depth; j++) *p++ = ')';
        strcpy(p, "/;");
        if (pac_compile_check(script, strlen(script), 0) != PAC_SYNTAX) bad++;
        free(script);
    }
    return (void *)bad;
}

static void test_small_stack(void)
{
    pthread_attr_t attr;
    pthread_t thread;
    void *bad = (void *)1;

    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 << 10);
    ok(!pthread_create(&thread, &attr, deep_thread, NULL), "pthread_create\n");
    pthread_join(thread, &bad);
    pthread_attr_destroy(&attr);
    ok_int((long)bad, 0);
}

/* One heap per call: calls on several threads at once do not meet. */
static void *thread_main(void *arg)
{
    long id = (long)arg, i, bad = 0;
    char script[256], expect[64];

    snprintf(script, sizeof(script), "function FindProxyForURL(u, h) { var s = ''; for (var i = 0; i < 200; i++)"
             " s = shExpMatch(h, '*.example') + ''; return 'T%ld ' + h + ' ' + s; }", id);
    snprintf(expect, sizeof(expect), "T%ld h%ld.example true", id, id);
    for (i = 0; i < 40; i++)
    {
        char host[32], *result = NULL;
        snprintf(host, sizeof(host), "h%ld.example", id);
        if (pac_evaluate_env(script, strlen(script), "u", host, 4 << 20, &env, &result) != PAC_OK
            || strcmp(result, expect))
            bad++;
        free(result);
    }
    return (void *)bad;
}

static void test_threads(void)
{
    pthread_t threads[4];
    long i;
    void *bad;

    for (i = 0; i < 4; i++) pthread_create(&threads[i], NULL, thread_main, (void *)i);
    for (i = 0; i < 4; i++)
    {
        pthread_join(threads[i], &bad);
        ok_int((long)bad, 0);
    }
}

int main(void)
{
    setenv("TZ", "EST5", 1);
    tzset();
    run_test(test_host_names);
    run_test(test_shexpmatch);
    run_test(test_dns);
    run_test(test_isinnet);
    run_test(test_ex_utilities);
    run_test(test_weekday_range);
    run_test(test_date_range);
    run_test(test_time_range);
    run_test(test_entry_points);
    run_test(test_memory_cap);
    run_test(test_memory_sweep);
    run_test(test_compile_check);
    run_test(test_status_names);
    run_test(test_system_world);
    run_test(test_threads);
    run_test(test_small_stack);
    return unit_summary();
}
