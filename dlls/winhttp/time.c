/*
 * WinHttpTimeFromSystemTime and WinHttpTimeToSystemTime (HTTP dates), and
 * the date helpers the HTTP engine uses (Expires, Last-Modified, cookies,
 * WINHTTP_QUERY_FLAG_SYSTEMTIME).
 *
 * The documentation asks for the RFC 2616 section 3.3 formats: RFC 1123
 * ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37
 * GMT") and asctime ("Sun Nov  6 08:49:37 1994").  It says nothing about
 * other input; what we do with it is what black-box observation shows:
 * the parser walks the string field by field (weekday, day, month, year,
 * hour, minute, second), skipping whatever separates them, starts from the
 * current time, overwrites each field it finds and stops -- still
 * returning TRUE -- at the first one that is missing or unknown.
 */
#include <stdio.h>

#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

static const char day_names[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char month_names[12][4] =
{
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* ------------------------------------------------------------------ */
/* Formatting                                                          */

BOOL http_date_format(const SYSTEMTIME *st, WCHAR out[WINHTTP_TIME_FORMAT_BUFSIZE / sizeof(WCHAR)])
{
    char buf[64];
    size_t i;

    if (!st || !out) return FALSE;
    /* Fields are printed as given, out-of-range ones included; the weekday
     * is not recomputed from the date.  A weekday or month outside the
     * tables prints as an empty name rather than reading past them.  The
     * year is right-aligned in four columns ("   0" for year 0). */
    snprintf(buf, sizeof(buf), "%s, %02u %s %4u %02u:%02u:%02u GMT",
             st->wDayOfWeek < 7 ? day_names[st->wDayOfWeek] : "", st->wDay,
             st->wMonth >= 1 && st->wMonth <= 12 ? month_names[st->wMonth - 1] : "",
             st->wYear, st->wHour, st->wMinute, st->wSecond);
    /* Huge field values do not fit: keep what does, as snprintf into the
     * caller's WINHTTP_TIME_FORMAT_BUFSIZE bytes would. */
    for (i = 0; buf[i] && i < WINHTTP_TIME_FORMAT_BUFSIZE / sizeof(WCHAR) - 1; i++) out[i] = (unsigned char)buf[i];
    out[i] = 0;
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

enum
{
    FIELD_WEEKDAY = 0x01,
    FIELD_DAY     = 0x02,
    FIELD_MONTH   = 0x04,
    FIELD_YEAR    = 0x08,
    FIELD_HOUR    = 0x10,
    FIELD_MINUTE  = 0x20,
    FIELD_SECOND  = 0x40,
    FIELD_DATE    = FIELD_DAY | FIELD_MONTH | FIELD_YEAR | FIELD_HOUR | FIELD_MINUTE | FIELD_SECOND,
};

/* Letters and digits are Unicode's (GetStringTypeW), as measured: "Mär" is
 * an unknown month, not "r" after a separator, and "٠١" is a number. */
static WORD char_type(WCHAR c)
{
    WORD type = 0;
    if (c < 0x80)
    {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return C1_ALPHA;
        if (c >= '0' && c <= '9') return C1_DIGIT;
        return 0;
    }
    GetStringTypeW(CT_CTYPE1, &c, 1, &type);
    return type;
}

static BOOL is_alpha(WCHAR c)
{
    return (char_type(c) & C1_ALPHA) != 0;
}

static BOOL is_digit(WCHAR c)
{
    return (char_type(c) & C1_DIGIT) != 0;
}

/* The decimal digits that have a value: the zero of each block of ten that
 * converts.  Other C1_DIGIT characters (superscripts, Tamil, ...) end a
 * number without adding to it. */
static int digit_value(WCHAR c)
{
    static const WCHAR zeros[] =
    {
        0x0030, 0x0660, 0x06f0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0c66,
        0x0ce6, 0x0d66, 0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x17e0, 0x1810, 0xff10,
    };
    size_t i;
    for (i = 0; i < ARRAY_SIZE(zeros); i++)
        if (c >= zeros[i] && c <= zeros[i] + 9) return c - zeros[i];
    return -1;
}

static const WCHAR *skip_non_alpha(const WCHAR *p)
{
    while (*p && !is_alpha(*p)) p++;
    return p;
}

static const WCHAR *skip_non_digit(const WCHAR *p)
{
    while (*p && !is_digit(*p)) p++;
    return p;
}

/* An unsigned decimal number: saturates at 0xffffffff like strtoul with a
 * 32-bit unsigned long, then keeps the low 16 bits for the WORD field, which
 * is what "123456" (57920) and "4294967296" (65535) come back as. */
static const WCHAR *read_number(const WCHAR *p, WORD *value, unsigned int *digits)
{
    unsigned long long n = 0;
    int d;

    *digits = 0;
    while (*p && (d = digit_value(*p)) >= 0)
    {
        n = n * 10 + d;
        if (n > 0xffffffff) n = 0xffffffff + 1ull;   /* sticky: stays saturated */
        (*digits)++;
        p++;
    }
    if (n > 0xffffffff) n = 0xffffffff;
    *value = (WORD)n;
    return p;
}

static BOOL has_three_chars(const WCHAR *p)
{
    return p[0] && p[1] && p[2];
}

static WCHAR lower_ascii(WCHAR c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Weekdays and months are recognised by their first three letters, ASCII
 * case-insensitively ("SUNDAY", "november"). */
static int match_name(const WCHAR *p, const char (*names)[4], int count)
{
    int i, j;
    for (i = 0; i < count; i++)
    {
        for (j = 0; j < 3; j++)
            if (lower_ascii(p[j]) != lower_ascii((WCHAR)names[i][j])) break;
        if (j == 3) return i;
    }
    return -1;
}

/* RFC 2616 section 19.3: an RFC 850 two-digit year that would be more than
 * 50 years in the future is in the past century. */
static WORD full_year(WORD year, unsigned int digits, WORD now_year)
{
    unsigned int y;
    if (digits != 2) return year;
    y = now_year / 100 * 100 + year;
    if (y > now_year + 50u) y -= 100;
    return y;
}

struct date_parser
{
    const WCHAR *p;
    SYSTEMTIME *st;
    WORD now_year;
    unsigned int found;
};

/* The month name at p (after any separators): FALSE when parsing must stop.
 * Fewer than three characters left leave the month alone; an unknown name
 * sets it to 0, as measured. */
static BOOL parse_month(struct date_parser *dp)
{
    int i;
    dp->p = skip_non_alpha(dp->p);
    if (!has_three_chars(dp->p)) return FALSE;
    if ((i = match_name(dp->p, month_names, 12)) < 0)
    {
        dp->st->wMonth = 0;
        return FALSE;
    }
    dp->st->wMonth = i + 1;
    dp->found |= FIELD_MONTH;
    dp->p += 3;
    return TRUE;
}

/* The next number, if any is left: FALSE when the string ends first. */
static BOOL parse_number(struct date_parser *dp, WORD *field, unsigned int flag)
{
    unsigned int digits;
    dp->p = skip_non_digit(dp->p);
    if (!*dp->p) return FALSE;
    dp->p = read_number(dp->p, field, &digits);
    if (flag == FIELD_YEAR) *field = full_year(*field, digits, dp->now_year);
    dp->found |= flag;
    return TRUE;
}

static BOOL parse_time(struct date_parser *dp)
{
    if (!parse_number(dp, &dp->st->wHour, FIELD_HOUR)) return FALSE;
    if (!parse_number(dp, &dp->st->wMinute, FIELD_MINUTE)) return FALSE;
    if (!parse_number(dp, &dp->st->wSecond, FIELD_SECOND)) return FALSE;
    dp->st->wMilliseconds = 0;
    return TRUE;
}

/* asctime: "Sun Nov  6 08:49:37 1994".  Wine's builtin only takes the day
 * from it (the rest stays the current time); RFC 2616, which the
 * documentation refers to, requires all three formats to be accepted, so
 * the month, time and year are read too. */
static BOOL is_asctime(const WCHAR *p)
{
    if (*p != ' ' && *p != '\t') return FALSE;
    while (*p == ' ' || *p == '\t') p++;
    return is_alpha(*p);
}

static void parse_asctime(struct date_parser *dp)
{
    if (!parse_month(dp)) return;
    if (!parse_number(dp, &dp->st->wDay, FIELD_DAY)) return;
    if (!parse_time(dp)) return;
    parse_number(dp, &dp->st->wYear, FIELD_YEAR);
}

/* Fills the fields of *st found in s, leaves the others alone, and returns
 * which were found.  With weekday_optional (the HTTP engine), a date that
 * does not start with a weekday ("06 Nov 1994 ...") is read from its day. */
static unsigned int parse_date(const WCHAR *s, SYSTEMTIME *st, WORD now_year, BOOL weekday_optional)
{
    struct date_parser dp = { s, st, now_year, 0 };
    unsigned int digits;
    int i;

    dp.p = skip_non_alpha(s);
    if (has_three_chars(dp.p) && (i = match_name(dp.p, day_names, 7)) >= 0)
    {
        st->wDayOfWeek = i;
        dp.found |= FIELD_WEEKDAY;
        dp.p += 3;
        if (is_asctime(dp.p))
        {
            parse_asctime(&dp);
            return dp.found;
        }
    }
    else if (weekday_optional)
        dp.p = s;
    else
    {
        /* A string too short to hold a weekday changes nothing; an unknown
         * weekday is reported as 7 and ends the parse. */
        if (has_three_chars(dp.p)) st->wDayOfWeek = 7;
        return dp.found;
    }

    /* The day is stored even when no digits follow (as 0). */
    dp.p = read_number(skip_non_digit(dp.p), &st->wDay, &digits);
    if (digits) dp.found |= FIELD_DAY;
    if (!parse_month(&dp)) return dp.found;
    if (!parse_number(&dp, &st->wYear, FIELD_YEAR)) return dp.found;
    parse_time(&dp);
    return dp.found;
}

BOOL http_date_parse(const WCHAR *s, SYSTEMTIME *st)
{
    SYSTEMTIME now, date;
    FILETIME ft;

    if (!s || !st) return FALSE;
    GetSystemTime(&now);
    memset(&date, 0, sizeof(date));
    if ((parse_date(s, &date, now.wYear, TRUE) & FIELD_DATE) != FIELD_DATE) return FALSE;
    /* RFC 1123 allows a leap second; FILETIME does not. */
    if (date.wSecond == 60) date.wSecond = 59;
    /* SystemTimeToFileTime validates every field (month length, leap years,
     * hour < 24, year >= 1601); the round trip also computes the weekday,
     * so a wrong name in the string does not leak into the result. */
    date.wDayOfWeek = 0;
    if (!SystemTimeToFileTime(&date, &ft)) return FALSE;
    return FileTimeToSystemTime(&ft, st);
}

/* ------------------------------------------------------------------ */
/* API                                                                 */

BOOL WINAPI WinHttpTimeFromSystemTime(const SYSTEMTIME *time, LPWSTR string)
{
    TRACE("(%p, %p)\n", time, string);

    if (!time || !string)
    {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    http_date_format(time, string);
    TRACE("-> %s\n", debugstr_w(string));
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}

BOOL WINAPI WinHttpTimeToSystemTime(LPCWSTR string, SYSTEMTIME *time)
{
    unsigned int found;

    TRACE("(%s, %p)\n", debugstr_w(string), time);

    if (!string || !time)
    {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    /* Fields the string does not supply keep the current time's values. */
    GetSystemTime(time);
    found = parse_date(string, time, time->wYear, FALSE);
    if ((found & FIELD_DATE) != FIELD_DATE)
        WARN("%s is not a complete HTTP date (fields found %#x)\n", debugstr_w(string), found);
    TRACE("-> %u-%02u-%02u %02u:%02u:%02u (weekday %u)\n", time->wYear, time->wMonth, time->wDay,
          time->wHour, time->wMinute, time->wSecond, time->wDayOfWeek);
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}
