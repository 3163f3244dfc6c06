/*
 * String and memory helpers.
 *
 * WCHAR is 16 bits in a Winelib module (-fshort-wchar) while glibc's
 * wchar_t functions work on 32-bit characters, so the few wide-string
 * helpers the DLL needs live here.
 */
#include "winhttp_private.h"

size_t strlenW(const WCHAR *s)
{
    const WCHAR *p = s;
    if (!s) return 0;
    while (*p) p++;
    return p - s;
}

WCHAR *strndupW(const WCHAR *s, size_t len)
{
    WCHAR *ret;
    if (!s) return NULL;
    if (!(ret = malloc((len + 1) * sizeof(WCHAR)))) return NULL;
    memcpy(ret, s, len * sizeof(WCHAR));
    ret[len] = 0;
    return ret;
}

WCHAR *strdupW(const WCHAR *s)
{
    return s ? strndupW(s, strlenW(s)) : NULL;
}

WCHAR *strdupAW(const char *s, int len)
{
    WCHAR *ret;
    int n;
    if (!s) return NULL;
    n = MultiByteToWideChar(CP_UTF8, 0, s, len, NULL, 0);
    if (!(ret = malloc((n + 1) * sizeof(WCHAR)))) return NULL;
    MultiByteToWideChar(CP_UTF8, 0, s, len, ret, n);
    ret[n] = 0;
    return ret;
}

char *strdupWA(const WCHAR *s, int len, UINT cp)
{
    char *ret;
    int n;
    if (!s) return NULL;
    n = WideCharToMultiByte(cp, 0, s, len, NULL, 0, NULL, NULL);
    if (!(ret = malloc(n + 1))) return NULL;
    WideCharToMultiByte(cp, 0, s, len, ret, n, NULL, NULL);
    ret[n] = 0;
    return ret;
}

static inline WCHAR lowerW_ascii(WCHAR c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int strncmpiW(const WCHAR *a, const WCHAR *b, size_t n)
{
    for (; n; n--, a++, b++)
    {
        WCHAR ca = lowerW_ascii(*a), cb = lowerW_ascii(*b);
        if (ca != cb) return ca - cb;
        if (!ca) break;
    }
    return 0;
}

int strcmpiW(const WCHAR *a, const WCHAR *b)
{
    return strncmpiW(a, b, (size_t)-1);
}

void free_secret(void *buf, size_t len)
{
    if (!buf) return;
    /* SecureZeroMemory's volatile writes cannot be optimised away. */
    SecureZeroMemory(buf, len);
    free(buf);
}

void free_secretW(WCHAR *s)
{
    if (s) free_secret(s, strlenW(s) * sizeof(WCHAR));
}

/* ------------------------------------------------------------------ */
/* A growable wide string: formatting without swprintf (glibc's works on
 * 32-bit wchar_t) and without wsprintfW's 1024-character limit. */

static void strbuf_reserve(struct strbuf *sb, size_t more)
{
    WCHAR *bigger;
    size_t cap;

    if (sb->failed || sb->len + more + 1 <= sb->cap) return;
    cap = max(sb->cap * 2, sb->len + more + 1);
    cap = max(cap, 64);
    if (!(bigger = realloc(sb->buf, cap * sizeof(WCHAR))))
    {
        sb->failed = TRUE;
        return;
    }
    sb->buf = bigger;
    sb->cap = cap;
}

void strbuf_appendn(struct strbuf *sb, const WCHAR *s, size_t n)
{
    strbuf_reserve(sb, n);
    if (sb->failed) return;
    memcpy(sb->buf + sb->len, s, n * sizeof(WCHAR));
    sb->len += n;
    sb->buf[sb->len] = 0;
}

void strbuf_append(struct strbuf *sb, const WCHAR *s)
{
    if (s) strbuf_appendn(sb, s, strlenW(s));
}

void strbuf_append_ascii(struct strbuf *sb, const char *s)
{
    size_t n = strlen(s), i;
    strbuf_reserve(sb, n);
    if (sb->failed) return;
    for (i = 0; i < n; i++) sb->buf[sb->len++] = (BYTE)s[i];
    sb->buf[sb->len] = 0;
}

/* Decimal digits of value into buf (at least 11 bytes), NUL-terminated;
 * the length.  Request and response paths format numbers with this rather
 * than the printf family, whose cost showed in the profile per request. */
int uint_to_ascii(unsigned int value, char *buf)
{
    char tmp[10];
    int n = 0, i;

    do tmp[n++] = '0' + value % 10; while ((value /= 10));
    for (i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return n;
}

void strbuf_append_uint(struct strbuf *sb, unsigned int value)
{
    char digits[16];
    uint_to_ascii(value, digits);
    strbuf_append_ascii(sb, digits);
}

WCHAR *strbuf_detach(struct strbuf *sb)
{
    WCHAR *ret = sb->failed ? NULL : sb->buf;
    if (!ret) free(sb->buf);
    if (ret && !sb->len && !sb->cap) ret = strdupW(L"");
    memset(sb, 0, sizeof(*sb));
    return ret;
}

void strbuf_free(struct strbuf *sb)
{
    free(sb->buf);
    memset(sb, 0, sizeof(*sb));
}
