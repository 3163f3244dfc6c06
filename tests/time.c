/*
 * WinHttpTimeFromSystemTime and WinHttpTimeToSystemTime.
 *
 * The documented contract: RFC 1123 output into WINHTTP_TIME_FORMAT_BUFSIZE
 * bytes, and input "in the format defined in section 3.3 of RFC 2616" (RFC
 * 1123, RFC 850 and asctime dates).  What the documentation leaves open --
 * partial dates, unknown names, odd numbers -- follows black-box
 * observation of Wine's builtin: fields the string does not supply keep the
 * current time, and the call still succeeds.  Where the two disagree the
 * documentation wins (asctime dates and RFC 850 two-digit years, which the
 * builtin leaves as the current time and as year 94); those checks say so.
 */
#include "test.h"
#include <winhttp.h>

#define NOW   -1      /* field expected to keep the current time's value */

/* ------------------------------------------------------------------ */
/* WinHttpTimeFromSystemTime                                           */

static SYSTEMTIME make_time(WORD year, WORD month, WORD dow, WORD day, WORD hour, WORD minute, WORD second, WORD ms)
{
    SYSTEMTIME st;
    st.wYear = year;
    st.wMonth = month;
    st.wDayOfWeek = dow;
    st.wDay = day;
    st.wHour = hour;
    st.wMinute = minute;
    st.wSecond = second;
    st.wMilliseconds = ms;
    return st;
}

#define BUF_CHARS (WINHTTP_TIME_FORMAT_BUFSIZE / sizeof(WCHAR))

/* Formats st into a guarded buffer: checks success, the last error and that
 * nothing beyond WINHTTP_TIME_FORMAT_BUFSIZE bytes was written. */
#define check_format(st, expect) check_format_(__LINE__, st, expect)
static void check_format_(int line, SYSTEMTIME st, const WCHAR *expect)
{
    WCHAR buf[BUF_CHARS + 16];
    unsigned int i;
    BOOL ret;

    for (i = 0; i < ARRAYSIZE(buf); i++) buf[i] = 0x2a2a;
    SetLastError(0xdeadbeef);
    ret = WinHttpTimeFromSystemTime(&st, buf);
    test_report(ret, __FILE__, line, "WinHttpTimeFromSystemTime failed, error %lu", GetLastError());
    test_report(GetLastError() == ERROR_SUCCESS, __FILE__, line, "expected last error 0, got %lu", GetLastError());
    test_report(!lstrcmpW(buf, expect), __FILE__, line, "expected \"%ls\", got \"%ls\"", expect, buf);
    for (i = BUF_CHARS; i < ARRAYSIZE(buf); i++)
        if (buf[i] != 0x2a2a) break;
    test_report(i == ARRAYSIZE(buf), __FILE__, line, "wrote past WINHTTP_TIME_FORMAT_BUFSIZE (char %u)", i);
}

static void test_format_rfc1123(void)
{
    check_format(make_time(1994, 11, 0, 6, 8, 49, 37, 0), L"Sun, 06 Nov 1994 08:49:37 GMT");
    check_format(make_time(2000, 11, 2, 21, 1, 6, 53, 0), L"Tue, 21 Nov 2000 01:06:53 GMT");
    check_format(make_time(2024, 6, 6, 15, 12, 0, 5, 0), L"Sat, 15 Jun 2024 12:00:05 GMT");
    check_format(make_time(1970, 1, 4, 1, 0, 0, 0, 0), L"Thu, 01 Jan 1970 00:00:00 GMT");
    check_format(make_time(2000, 2, 2, 29, 23, 59, 59, 0), L"Tue, 29 Feb 2000 23:59:59 GMT");
}

static void test_format_all_names(void)
{
    static const WCHAR *const expect_days[7] =
    {
        L"Sun, 01 Jan 2023 00:00:00 GMT", L"Mon, 01 Jan 2023 00:00:00 GMT", L"Tue, 01 Jan 2023 00:00:00 GMT",
        L"Wed, 01 Jan 2023 00:00:00 GMT", L"Thu, 01 Jan 2023 00:00:00 GMT", L"Fri, 01 Jan 2023 00:00:00 GMT",
        L"Sat, 01 Jan 2023 00:00:00 GMT",
    };
    static const WCHAR *const month_names[12] =
        { L"Jan", L"Feb", L"Mar", L"Apr", L"May", L"Jun", L"Jul", L"Aug", L"Sep", L"Oct", L"Nov", L"Dec" };
    WCHAR expect[64];
    WORD i;

    for (i = 0; i < 7; i++) check_format(make_time(2023, 1, i, 1, 0, 0, 0, 0), expect_days[i]);
    for (i = 0; i < 12; i++)
    {
        wsprintfW(expect, L"Sun, 01 %s 2023 00:00:00 GMT", month_names[i]);
        check_format(make_time(2023, i + 1, 0, 1, 0, 0, 0, 0), expect);
    }
}

static void test_format_weekday_as_given(void)
{
    /* 6 Nov 1994 was a Sunday: the weekday is printed from the structure,
     * not computed from the date. */
    check_format(make_time(1994, 11, 3, 6, 8, 49, 37, 0), L"Wed, 06 Nov 1994 08:49:37 GMT");
    /* nor is the date checked */
    check_format(make_time(1994, 2, 0, 30, 8, 49, 37, 0), L"Sun, 30 Feb 1994 08:49:37 GMT");
    check_format(make_time(1994, 2, 0, 0, 8, 49, 37, 0), L"Sun, 00 Feb 1994 08:49:37 GMT");
}

static void test_format_ignores_milliseconds(void)
{
    check_format(make_time(1994, 11, 0, 6, 8, 49, 37, 999), L"Sun, 06 Nov 1994 08:49:37 GMT");
    check_format(make_time(1994, 11, 0, 6, 8, 49, 37, 65535), L"Sun, 06 Nov 1994 08:49:37 GMT");
}

static void test_format_year_width(void)
{
    /* the year is right-aligned in four columns */
    check_format(make_time(0, 1, 0, 1, 0, 0, 0, 0), L"Sun, 01 Jan    0 00:00:00 GMT");
    check_format(make_time(1, 1, 0, 1, 0, 0, 0, 0), L"Sun, 01 Jan    1 00:00:00 GMT");
    check_format(make_time(99, 3, 1, 15, 0, 0, 0, 0), L"Mon, 15 Mar   99 00:00:00 GMT");
    check_format(make_time(999, 3, 1, 15, 0, 0, 0, 0), L"Mon, 15 Mar  999 00:00:00 GMT");
    check_format(make_time(1601, 1, 1, 1, 0, 0, 0, 0), L"Mon, 01 Jan 1601 00:00:00 GMT");
    check_format(make_time(9999, 12, 5, 31, 23, 59, 59, 999), L"Fri, 31 Dec 9999 23:59:59 GMT");
    check_format(make_time(10000, 1, 0, 1, 0, 0, 0, 0), L"Sun, 01 Jan 10000 00:00:00 GMT");
    check_format(make_time(30827, 12, 6, 31, 23, 59, 59, 999), L"Sat, 31 Dec 30827 23:59:59 GMT");
}

static void test_format_out_of_range_fields(void)
{
    /* Numbers are printed as they are. */
    check_format(make_time(1994, 2, 0, 99, 99, 99, 99, 0), L"Sun, 99 Feb 1994 99:99:99 GMT");
    check_format(make_time(1999, 3, 1, 15, 0, 0, 100, 0), L"Mon, 15 Mar 1999 00:00:100 GMT");
    /* A weekday or month outside the tables is an empty name (observed for
     * weekday 7 and month 0; Wine's builtin reads past its tables beyond). */
    check_format(make_time(1994, 11, 7, 6, 8, 49, 37, 0), L", 06 Nov 1994 08:49:37 GMT");
    check_format(make_time(1994, 11, 100, 6, 8, 49, 37, 0), L", 06 Nov 1994 08:49:37 GMT");
    check_format(make_time(1994, 0, 0, 6, 8, 49, 37, 0), L"Sun, 06  1994 08:49:37 GMT");
    check_format(make_time(1994, 13, 0, 6, 8, 49, 37, 0), L"Sun, 06  1994 08:49:37 GMT");
}

static void test_format_truncates_to_buffer(void)
{
    /* What does not fit in 31 characters is cut, never written past. */
    check_format(make_time(10000, 1, 0, 100, 0, 0, 0, 0), L"Sun, 100 Jan 10000 00:00:00 GM");
    check_format(make_time(10000, 1, 0, 100, 100, 0, 0, 0), L"Sun, 100 Jan 10000 100:00:00 G");
    check_format(make_time(65535, 1, 0, 65535, 65535, 65535, 65535, 0), L"Sun, 65535 Jan 65535 65535:655");
    check_format(make_time(1999, 3, 1, 15, 65535, 0, 0, 0), L"Mon, 15 Mar 1999 65535:00:00 G");
    check_format(make_time(65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535), L", 65535  65535 65535:65535:655");
}

static void test_format_null_arguments(void)
{
    SYSTEMTIME st = make_time(2000, 1, 6, 1, 0, 0, 0, 0);
    WCHAR buf[BUF_CHARS];

    ok_err(WinHttpTimeFromSystemTime(NULL, buf), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpTimeFromSystemTime(&st, NULL), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpTimeFromSystemTime(NULL, NULL), ERROR_INVALID_PARAMETER);
}

static void test_format_current_time(void)
{
    SYSTEMTIME now, back;
    WCHAR buf[BUF_CHARS];

    GetSystemTime(&now);
    ok(WinHttpTimeFromSystemTime(&now, buf), "formatting the current time failed: %lu\n", GetLastError());
    ok_u(lstrlenW(buf), 29);
    ok(WinHttpTimeToSystemTime(buf, &back), "parsing it back failed: %lu\n", GetLastError());
    ok(back.wYear == now.wYear && back.wMonth == now.wMonth && back.wDay == now.wDay &&
       back.wDayOfWeek == now.wDayOfWeek && back.wHour == now.wHour && back.wMinute == now.wMinute &&
       back.wSecond == now.wSecond && back.wMilliseconds == 0, "round trip of %ls differs\n", buf);
}

/* ------------------------------------------------------------------ */
/* WinHttpTimeToSystemTime                                             */

struct parse_case
{
    const WCHAR *in;
    int year, month, dow, day, hour, minute, second, ms;   /* NOW: current time's */
};

static int field_ok(WORD got, int expect, WORD before, WORD after)
{
    if (expect == NOW) return got == before || got == after;
    return got == expect;
}

#define check_parse(c) check_parse_(__LINE__, c)
static void check_parse_(int line, const struct parse_case *c)
{
    SYSTEMTIME st, before, after;
    BOOL ret;
    int ms_ok;

    memset(&st, 0xcc, sizeof(st));
    GetSystemTime(&before);
    SetLastError(0xdeadbeef);
    ret = WinHttpTimeToSystemTime(c->in, &st);
    GetSystemTime(&after);
    test_report(ret, __FILE__, line, "\"%ls\": failed, error %lu", c->in, GetLastError());
    test_report(GetLastError() == ERROR_SUCCESS, __FILE__, line, "\"%ls\": expected last error 0, got %lu", c->in, GetLastError());
    /* The current milliseconds are anything the clock passed during the call. */
    if (c->ms != NOW) ms_ok = st.wMilliseconds == c->ms;
    else if (before.wSecond == after.wSecond) ms_ok = st.wMilliseconds >= before.wMilliseconds && st.wMilliseconds <= after.wMilliseconds;
    else ms_ok = st.wMilliseconds < 1000;
    test_report(field_ok(st.wYear, c->year, before.wYear, after.wYear) &&
                field_ok(st.wMonth, c->month, before.wMonth, after.wMonth) &&
                field_ok(st.wDayOfWeek, c->dow, before.wDayOfWeek, after.wDayOfWeek) &&
                field_ok(st.wDay, c->day, before.wDay, after.wDay) &&
                field_ok(st.wHour, c->hour, before.wHour, after.wHour) &&
                field_ok(st.wMinute, c->minute, before.wMinute, after.wMinute) &&
                field_ok(st.wSecond, c->second, before.wSecond, after.wSecond) && ms_ok,
                __FILE__, line, "\"%ls\": expected %d-%d-%d (weekday %d) %d:%d:%d.%d, got %u-%u-%u (weekday %u) %u:%u:%u.%u "
                "(-1: the current time's %u-%u-%u (weekday %u) %u:%u:%u.%u)", c->in,
                c->year, c->month, c->day, c->dow, c->hour, c->minute, c->second, c->ms,
                st.wYear, st.wMonth, st.wDay, st.wDayOfWeek, st.wHour, st.wMinute, st.wSecond, st.wMilliseconds,
                before.wYear, before.wMonth, before.wDay, before.wDayOfWeek, before.wHour, before.wMinute,
                before.wSecond, before.wMilliseconds);
}

static void check_parse_table(const struct parse_case *cases, unsigned int count, int line)
{
    unsigned int i;
    for (i = 0; i < count; i++) check_parse_(line, &cases[i]);
}
#define check_parse_cases(cases) check_parse_table(cases, ARRAYSIZE(cases), __LINE__)

static void test_parse_null_arguments(void)
{
    SYSTEMTIME st;

    ok_err(WinHttpTimeToSystemTime(NULL, &st), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpTimeToSystemTime(L"Sun, 06 Nov 1994 08:49:37 GMT", NULL), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpTimeToSystemTime(NULL, NULL), ERROR_INVALID_PARAMETER);
}

static void test_parse_rfc1123(void)
{
    static const struct parse_case cases[] =
    {
        { L"Sun, 06 Nov 1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Tue, 21 Nov 2000 01:06:53 GMT", 2000, 11, 2, 21, 1, 6, 53, 0 },   /* the documentation's example */
        { L"Thu, 01 Jan 1970 00:00:00 GMT", 1970, 1, 4, 1, 0, 0, 0, 0 },
        { L"Mon, 01 Jan 1601 00:00:00 GMT", 1601, 1, 1, 1, 0, 0, 0, 0 },
        { L"Fri, 31 Dec 9999 23:59:59 GMT", 9999, 12, 5, 31, 23, 59, 59, 0 },
        { L"Tue, 29 Feb 2000 12:00:00 GMT", 2000, 2, 2, 29, 12, 0, 0, 0 },
        { L"Sun, 06 Nov 1994 08:49:37", 1994, 11, 0, 6, 8, 49, 37, 0 },       /* no zone */
    };
    check_parse_cases(cases);
}

static void test_parse_all_names(void)
{
    static const struct parse_case cases[] =
    {
        { L"Mon, 15 Jan 1999 10:20:30 GMT", 1999, 1, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 Feb 1999 10:20:30 GMT", 1999, 2, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 Mar 1999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 Apr 1999 10:20:30 GMT", 1999, 4, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 May 1999 10:20:30 GMT", 1999, 5, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 Jun 1999 10:20:30 GMT", 1999, 6, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 Jul 1999 10:20:30 GMT", 1999, 7, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 Aug 1999 10:20:30 GMT", 1999, 8, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 Sep 1999 10:20:30 GMT", 1999, 9, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 Oct 1999 10:20:30 GMT", 1999, 10, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 Nov 1999 10:20:30 GMT", 1999, 11, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 Dec 1999 10:20:30 GMT", 1999, 12, 1, 15, 10, 20, 30, 0 },
        { L"Sun, 15 Mar 1999 10:20:30 GMT", 1999, 3, 0, 15, 10, 20, 30, 0 },
        { L"Tue, 15 Mar 1999 10:20:30 GMT", 1999, 3, 2, 15, 10, 20, 30, 0 },
        { L"Wed, 15 Mar 1999 10:20:30 GMT", 1999, 3, 3, 15, 10, 20, 30, 0 },
        { L"Thu, 15 Mar 1999 10:20:30 GMT", 1999, 3, 4, 15, 10, 20, 30, 0 },
        { L"Fri, 15 Mar 1999 10:20:30 GMT", 1999, 3, 5, 15, 10, 20, 30, 0 },
        { L"Sat, 15 Mar 1999 10:20:30 GMT", 1999, 3, 6, 15, 10, 20, 30, 0 },
    };
    check_parse_cases(cases);
}

static void test_parse_weekday_not_checked(void)
{
    /* The weekday is taken as written, not recomputed from the date. */
    static const struct parse_case cases[] =
    {
        { L"Mon, 06 Nov 1994 08:49:37 GMT", 1994, 11, 1, 6, 8, 49, 37, 0 },
        { L"Sat, 06 Nov 1994 08:49:37 GMT", 1994, 11, 6, 6, 8, 49, 37, 0 },
    };
    check_parse_cases(cases);
}

static void test_parse_rfc850(void)
{
    /* RFC 2616 section 19.3: a two-digit year more than 50 years in the
     * future is in the past century.  (Wine's builtin returns the two
     * digits as the year -- 94, 20, 0 -- which no caller can use.) */
    static const struct parse_case cases[] =
    {
        { L"Sunday, 06-Nov-94 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Monday, 15-Mar-99 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Wednesday, 01-Jan-20 00:00:00 GMT", 2020, 1, 3, 1, 0, 0, 0, 0 },
        { L"Saturday, 01-Jan-00 00:00:00 GMT", 2000, 1, 6, 1, 0, 0, 0, 0 },
        { L"Sunday, 06-Nov-1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 94 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sunday 06-Nov-94 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sunday, 06-Nov-94 08:49:37", 1994, 11, 0, 6, 8, 49, 37, 0 },
    };
    check_parse_cases(cases);
}

static void test_parse_year_digits(void)
{
    /* Only an RFC 850 two-digit year is widened; others are as written. */
    static const struct parse_case cases[] =
    {
        { L"Sun, 06 Nov 1 08:49:37 GMT", 1, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 100 08:49:37 GMT", 100, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 999 08:49:37 GMT", 999, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 094 08:49:37 GMT", 94, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 1600 08:49:37 GMT", 1600, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 10000 08:49:37 GMT", 10000, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 99999 08:49:37 GMT", 34463, 11, 0, 6, 8, 49, 37, 0 },   /* 99999 & 0xffff */
    };
    check_parse_cases(cases);
}

static void test_parse_asctime(void)
{
    /* RFC 2616's third format.  (Wine's builtin takes only the day from it
     * and leaves the rest as the current time.) */
    static const struct parse_case cases[] =
    {
        { L"Sun Nov  6 08:49:37 1994", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun Nov 6 08:49:37 1994", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Mon Mar 15 10:20:30 1999", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"thu jan  1 00:00:00 1970", 1970, 1, 4, 1, 0, 0, 0, 0 },
        { L"Sun Nov  6 08:49:37 1994 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun Nov 6 08:49:37 94", 1994, 11, 0, 6, 8, 49, 37, 0 },
        /* missing parts keep the current time, as in the other formats */
        { L"Mon Mar 15", NOW, 3, 1, 15, NOW, NOW, NOW, NOW },
        { L"Mon Mar 15 10:20", NOW, 3, 1, 15, 10, 20, NOW, NOW },
        { L"Mon Mar 15 10:20:30", NOW, 3, 1, 15, 10, 20, 30, 0 },
        { L"Mon Xyz 15 10:20:30 1999", NOW, 0, 1, NOW, NOW, NOW, NOW, NOW },
    };
    check_parse_cases(cases);
}

static void test_parse_case_insensitive(void)
{
    static const struct parse_case cases[] =
    {
        { L"sun, 06 nov 1994 08:49:37 gmt", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"SUN, 06 NOV 1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"mOn, 15 mAr 1999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        /* only ASCII letters fold: dotless i is not "i" */
        { L"Fr\x0131, 15 Mar 1999 10:20:30 GMT", NOW, NOW, 7, NOW, NOW, NOW, NOW, NOW },
    };
    check_parse_cases(cases);
}

static void test_parse_names_by_prefix(void)
{
    /* Weekdays and months are known by their first three letters. */
    static const struct parse_case cases[] =
    {
        { L"Sunday, 06 Nov 1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sunxx, 06 Nov 1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 November 1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Mon, 15 Marc 1999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
    };
    check_parse_cases(cases);
}

static void test_parse_separators(void)
{
    /* Anything that is not a letter separates names, anything that is not a
     * digit separates numbers. */
    static const struct parse_case cases[] =
    {
        { L"  Sun,   06   Nov   1994   08:49:37   GMT  ", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"\tSun,\t06\tNov\t1994\t08:49:37\tGMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun,06 Nov 1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun 06 Nov 1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06-Nov-1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Mon,15-Mar-1999/10.20.30", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15Mar1999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Sun, 06 Nov 1994 08.49.37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 1994 08-49-37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Mon, 15 Mar 1999 10 20 30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Mon, xx15 Mar xx1999 xx10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 15 11Mar 1999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"-Mon, 15 Mar 1999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"\r\nMon, 15 Mar 1999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Sun, 06 Nov 1994 08:49:37 GMT\r\n", 1994, 11, 0, 6, 8, 49, 37, 0 },
    };
    check_parse_cases(cases);
}

static void test_parse_short_numbers(void)
{
    static const struct parse_case cases[] =
    {
        { L"Sun, 6 Nov 1994 8:9:7 GMT", 1994, 11, 0, 6, 8, 9, 7, 0 },
        { L"Sun, 006 Nov 1994 008:049:037 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Mon, 015 Mar 01999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
    };
    check_parse_cases(cases);
}

static void test_parse_trailing_text(void)
{
    /* Zones are not interpreted (HTTP dates are always GMT) and whatever
     * follows the seconds is ignored, fractions included. */
    static const struct parse_case cases[] =
    {
        { L"Sun, 06 Nov 1994 08:49:37 PST", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 1994 08:49:37 +0100", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 1994 08:49:37 UTC", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 1994 08:49:37 GMT trailing", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 1994 08:49:37 GMT 2000", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 1994 08:49:37:12 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 1994 08:49:37.123 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
    };
    check_parse_cases(cases);
}

static void test_parse_partial_dates(void)
{
    /* Parsing stops where the string does; what it did not reach keeps the
     * current time.  The day is the exception: once a weekday was read it
     * is set, to 0 when no number follows.  Milliseconds become 0 only
     * together with the seconds. */
    static const struct parse_case cases[] =
    {
        { L"Mon", NOW, NOW, 1, 0, NOW, NOW, NOW, NOW },
        { L"Mon,", NOW, NOW, 1, 0, NOW, NOW, NOW, NOW },
        { L"Mon, ", NOW, NOW, 1, 0, NOW, NOW, NOW, NOW },
        { L"Mon, 15", NOW, NOW, 1, 15, NOW, NOW, NOW, NOW },
        { L"Mon, 15 ", NOW, NOW, 1, 15, NOW, NOW, NOW, NOW },
        { L"Mon, 15 Ma", NOW, NOW, 1, 15, NOW, NOW, NOW, NOW },
        { L"Mon, 15 Mar", NOW, 3, 1, 15, NOW, NOW, NOW, NOW },
        { L"Mon, 15 Mar ", NOW, 3, 1, 15, NOW, NOW, NOW, NOW },
        { L"Mon, 15 Mar 1999", 1999, 3, 1, 15, NOW, NOW, NOW, NOW },
        { L"Mon, 15 Mar 1999 GMT", 1999, 3, 1, 15, NOW, NOW, NOW, NOW },
        { L"Mon, 15 Mar 1999 10", 1999, 3, 1, 15, 10, NOW, NOW, NOW },
        { L"Mon, 15 Mar 1999 10:", 1999, 3, 1, 15, 10, NOW, NOW, NOW },
        { L"Mon, 15 Mar 1999 10:20", 1999, 3, 1, 15, 10, 20, NOW, NOW },
        { L"Mon, 15 Mar 1999 10:20:", 1999, 3, 1, 15, 10, 20, NOW, NOW },
        { L"Mon, 15 Mar 1999 10:20:30", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Sunday, 06-Nov-94", 1994, 11, 0, 6, NOW, NOW, NOW, NOW },
        /* a missing number shifts the rest: "08" is read as the year */
        { L"Sun, 06 Nov 08:49:37 GMT", 2008, 11, 0, 6, 49, 37, NOW, NOW },
        { L"Sun, 06 Nov 1994 :49:37 GMT", 1994, 11, 0, 6, 49, 37, NOW, NOW },
        { L"Sun, 06 Nov 1994 08::37 GMT", 1994, 11, 0, 6, 8, 37, NOW, NOW },
        { L"Sun, Nov 1994 08:49:37 GMT", NOW, 0, 0, 1994, NOW, NOW, NOW, NOW },
    };
    check_parse_cases(cases);
}

static void test_parse_empty_and_short_strings(void)
{
    /* Fewer than three characters where a name is due change nothing. */
    static const struct parse_case cases[] =
    {
        { L"", NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW },
        { L" ", NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW },
        { L"Mo", NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW },
        { L"M", NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW },
        { L"6", NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW },
        { L"1994", NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW },
        { L"08:49:37", NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW },
    };
    check_parse_cases(cases);
}

static void test_parse_unknown_weekday(void)
{
    /* An unknown weekday is reported as 7 and nothing else is read: the
     * weekday cannot be left out. */
    static const struct parse_case cases[] =
    {
        { L"garbage", NOW, NOW, 7, NOW, NOW, NOW, NOW, NOW },
        { L"Xyz, 06 Nov 1994 08:49:37 GMT", NOW, NOW, 7, NOW, NOW, NOW, NOW, NOW },
        { L"Su, 06 Nov 1994 08:49:37 GMT", NOW, NOW, 7, NOW, NOW, NOW, NOW, NOW },
        { L"06 Nov 1994 08:49:37 GMT", NOW, NOW, 7, NOW, NOW, NOW, NOW, NOW },
        { L"Nov 06 1994 08:49:37 GMT", NOW, NOW, 7, NOW, NOW, NOW, NOW, NOW },
        { L"1, 06 Nov 1994 08:49:37 GMT", NOW, NOW, 7, NOW, NOW, NOW, NOW, NOW },
        { L", 06 Nov 1994 08:49:37 GMT", NOW, NOW, 7, NOW, NOW, NOW, NOW, NOW },
        { L"Nov", NOW, NOW, 7, NOW, NOW, NOW, NOW, NOW },
        { L"\x00e9Mon, 15 Mar 1999 10:20:30 GMT", NOW, NOW, 7, NOW, NOW, NOW, NOW, NOW },
    };
    check_parse_cases(cases);
}

static void test_parse_unknown_month(void)
{
    /* An unknown month is reported as 0 and ends the parse. */
    static const struct parse_case cases[] =
    {
        { L"Sun, 06 Xyz 1994 08:49:37 GMT", NOW, 0, 0, 6, NOW, NOW, NOW, NOW },
        { L"Sun, 06 No 1994 08:49:37 GMT", NOW, 0, 0, 6, NOW, NOW, NOW, NOW },
        { L"Mon, 15 M 1999 10:20:30 GMT", NOW, 0, 1, 15, NOW, NOW, NOW, NOW },
        { L"Sun, 06 11 1994 08:49:37 GMT", NOW, 0, 0, 6, NOW, NOW, NOW, NOW },   /* "GMT" is the month */
        /* letters are Unicode letters: these are not separators */
        { L"Mon, 15 M\x00e4r 1999 10:20:30 GMT", NOW, 0, 1, 15, NOW, NOW, NOW, NOW },
        { L"Mon, 15 \x00c4Mar 1999 10:20:30 GMT", NOW, 0, 1, 15, NOW, NOW, NOW, NOW },
        { L"Mon, 15 \x3042Mar 1999 10:20:30 GMT", NOW, 0, 1, 15, NOW, NOW, NOW, NOW },
    };
    check_parse_cases(cases);
}

static void test_parse_out_of_range_numbers(void)
{
    /* Numbers are stored as read, unchecked; they are cut to 16 bits after
     * saturating at 2^32 - 1. */
    static const struct parse_case cases[] =
    {
        { L"Sun, 32 Nov 1994 08:49:37 GMT", 1994, 11, 0, 32, 8, 49, 37, 0 },
        { L"Sun, 00 Nov 1994 08:49:37 GMT", 1994, 11, 0, 0, 8, 49, 37, 0 },
        { L"Sun, 31 Feb 1994 08:49:37 GMT", 1994, 2, 0, 31, 8, 49, 37, 0 },
        { L"Sun, 06 Nov 1994 24:00:00 GMT", 1994, 11, 0, 6, 24, 0, 0, 0 },
        { L"Sun, 06 Nov 1994 25:61:61 GMT", 1994, 11, 0, 6, 25, 61, 61, 0 },
        { L"Sun, 06 Nov 1994 23:59:60 GMT", 1994, 11, 0, 6, 23, 59, 60, 0 },
        { L"Sun, 123456 Nov 1994 08:49:37 GMT", 1994, 11, 0, 57920, 8, 49, 37, 0 },
        { L"Sun, 65536 Nov 1994 08:49:37 GMT", 1994, 11, 0, 0, 8, 49, 37, 0 },
        { L"Mon, 65535 Mar 1999 10:20:30 GMT", 1999, 3, 1, 65535, 10, 20, 30, 0 },
        { L"Sun, 4294967297 Nov 1994 08:49:37 GMT", 1994, 11, 0, 65535, 8, 49, 37, 0 },
        { L"Mon, 15 Mar 1999 10:20:4294967295 GMT", 1999, 3, 1, 15, 10, 20, 65535, 0 },
        { L"Mon, 15 Mar 1999 10:20:99999999999999999999 GMT", 1999, 3, 1, 15, 10, 20, 65535, 0 },
        { L"Sun, 06 Nov 1994 084937 GMT", 1994, 11, 0, 6, 19401, NOW, NOW, NOW },
        { L"Sun, 06 Nov 1994 65560:49:37 GMT", 1994, 11, 0, 6, 24, 49, 37, 0 },
    };
    check_parse_cases(cases);
}

static void test_parse_signs_and_prefixes(void)
{
    /* A sign is just a separator; "0x" is a 0 followed by a letter. */
    static const struct parse_case cases[] =
    {
        { L"Sun, -6 Nov 1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Sun, +6 Nov 1994 08:49:37 GMT", 1994, 11, 0, 6, 8, 49, 37, 0 },
        { L"Mon, 0x15 Mar 1999 10:20:30 GMT", NOW, 0, 1, 0, NOW, NOW, NOW, NOW },
        { L"Mon, 15 Mar 0x1999 10:20:30 GMT", 0, 3, 1, 15, 1999, 10, 20, 0 },
    };
    check_parse_cases(cases);
}

static void test_parse_unicode_digits(void)
{
    /* Decimal digits of other scripts count; a digit without a decimal
     * value (superscript two) ends the number. */
    static const struct parse_case cases[] =
    {
        { L"Mon, \xff11\xff15 Mar 1999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Mon, \x0661\x0665 Mar 1999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Mon, 1\x0665 Mar 1999 10:20:30 GMT", 1999, 3, 1, 15, 10, 20, 30, 0 },
        { L"Mon, \x0966\x0967 Mar 1999 10:20:30 GMT", 1999, 3, 1, 1, 10, 20, 30, 0 },
        { L"Mon, \x00b2 Mar 1999 10:20:30 GMT", 1999, 3, 1, 0, 10, 20, 30, 0 },
        { L"Mon, 1\x00b2 Mar 1999 10:20:30 GMT", 1999, 3, 1, 1, 10, 20, 30, 0 },
        /* circled digits and fractions are not digits at all */
        { L"Mon, \x2460 Mar 1999 10:20:30 GMT", NOW, 0, 1, 1999, NOW, NOW, NOW, NOW },
    };
    check_parse_cases(cases);
}

static void test_parse_round_trip(void)
{
    static const SYSTEMTIME times[] =
    {
        { 1994, 11, 0, 6, 8, 49, 37, 0 },
        { 1601, 1, 1, 1, 0, 0, 0, 0 },
        { 2038, 1, 2, 19, 3, 14, 8, 0 },
        { 9999, 12, 5, 31, 23, 59, 59, 0 },
        { 2000, 2, 2, 29, 12, 30, 45, 0 },
    };
    WCHAR buf[BUF_CHARS];
    SYSTEMTIME st;
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(times); i++)
    {
        ok(WinHttpTimeFromSystemTime(&times[i], buf), "format %u failed\n", i);
        memset(&st, 0xcc, sizeof(st));
        ok(WinHttpTimeToSystemTime(buf, &st), "parse %u failed\n", i);
        ok(!memcmp(&st, &times[i], sizeof(st)), "%ls: round trip differs (%u-%u-%u %u:%u:%u)\n", buf,
           st.wYear, st.wMonth, st.wDay, st.wHour, st.wMinute, st.wSecond);
    }
}

static void test_parse_random_input(void)
{
    /* Whatever the string, the call succeeds and writes only the structure. */
    static const WCHAR alphabet[] = L"SunMonNovDecGMT0123456789 ,:-\t\xff11\x00b2\x00e4\x3042";
    struct { SYSTEMTIME st; DWORD guard; } out;
    WCHAR s[40];
    unsigned int i, j, len, seed = 12345, failures = 0;

    for (i = 0; i < 3000; i++)
    {
        seed = seed * 1103515245 + 12345;
        len = (seed >> 16) % ARRAYSIZE(s);
        for (j = 0; j < len; j++)
        {
            seed = seed * 1103515245 + 12345;
            s[j] = (seed >> 20) & 1 ? alphabet[(seed >> 8) % (ARRAYSIZE(alphabet) - 1)] : (WCHAR)(seed >> 12);
            if (!s[j]) s[j] = ' ';
        }
        s[len] = 0;
        out.guard = 0xdeadbeef;
        if (!WinHttpTimeToSystemTime(s, &out.st) || out.guard != 0xdeadbeef) failures++;
    }
    ok_u(failures, 0);
}

int main(void)
{
    run_test("format_rfc1123", test_format_rfc1123);
    run_test("format_all_names", test_format_all_names);
    run_test("format_weekday_as_given", test_format_weekday_as_given);
    run_test("format_ignores_milliseconds", test_format_ignores_milliseconds);
    run_test("format_year_width", test_format_year_width);
    run_test("format_out_of_range_fields", test_format_out_of_range_fields);
    run_test("format_truncates_to_buffer", test_format_truncates_to_buffer);
    run_test("format_null_arguments", test_format_null_arguments);
    run_test("format_current_time", test_format_current_time);
    run_test("parse_null_arguments", test_parse_null_arguments);
    run_test("parse_rfc1123", test_parse_rfc1123);
    run_test("parse_all_names", test_parse_all_names);
    run_test("parse_weekday_not_checked", test_parse_weekday_not_checked);
    run_test("parse_rfc850", test_parse_rfc850);
    run_test("parse_year_digits", test_parse_year_digits);
    run_test("parse_asctime", test_parse_asctime);
    run_test("parse_case_insensitive", test_parse_case_insensitive);
    run_test("parse_names_by_prefix", test_parse_names_by_prefix);
    run_test("parse_separators", test_parse_separators);
    run_test("parse_short_numbers", test_parse_short_numbers);
    run_test("parse_trailing_text", test_parse_trailing_text);
    run_test("parse_partial_dates", test_parse_partial_dates);
    run_test("parse_empty_and_short_strings", test_parse_empty_and_short_strings);
    run_test("parse_unknown_weekday", test_parse_unknown_weekday);
    run_test("parse_unknown_month", test_parse_unknown_month);
    run_test("parse_out_of_range_numbers", test_parse_out_of_range_numbers);
    run_test("parse_signs_and_prefixes", test_parse_signs_and_prefixes);
    run_test("parse_unicode_digits", test_parse_unicode_digits);
    run_test("parse_round_trip", test_parse_round_trip);
    run_test("parse_random_input", test_parse_random_input);
    return test_summary();
}
