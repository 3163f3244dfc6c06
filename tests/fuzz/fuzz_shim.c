/*
 * The few Win32 calls the fuzzed DLL sources make, for native libFuzzer
 * builds (tools/build-fuzz).  Behaviour matches what the sources rely on.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "windef.h"
#include "winbase.h"

static __thread DWORD last_error;

void WINAPI SetLastError(DWORD err) { last_error = err; }
DWORD WINAPI GetLastError(void) { return last_error; }

/* ------------------------------------------------------------------ */
/* Wine's debug channels (TRACE and friends): all channels off, so the
 * tracing arguments are never even evaluated.                          */

#include "wine/debug.h"

unsigned char __cdecl __wine_dbg_get_channel_flags(struct __wine_debug_channel *channel) { return 0; }
const char * __cdecl __wine_dbg_strdup(const char *str) { return str; }
int __cdecl __wine_dbg_output(const char *str) { return 0; }
int __cdecl __wine_dbg_header(enum __wine_debug_class cls, struct __wine_debug_channel *channel,
                              const char *function) { return -1; }
/* wine_dbgstr_wn() asks it; the fuzzed strings are always readable. */
BOOL WINAPI IsBadStringPtrW(LPCWSTR str, UINT_PTR max) { return !str; }

/* ------------------------------------------------------------------ */
/* Code-page conversion for util.c: UTF-8 done properly (unpaired
 * surrogates and bad bytes become U+FFFD / '?'), any other code page as
 * Latin-1.  Lengths as the real functions count them, len -1 including
 * the terminator.                                                      */

#include "winnls.h"

static int utf8_decode(const unsigned char *s, int len, int *used)
{
    int c = s[0], need, i;

    if (c < 0x80) { *used = 1; return c; }
    if (c >= 0xc2 && c <= 0xdf) { need = 1; c &= 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; c &= 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; c &= 0x07; }
    else { *used = 1; return 0xfffd; }
    if (len < need + 1) { *used = 1; return 0xfffd; }
    for (i = 1; i <= need; i++)
    {
        if ((s[i] & 0xc0) != 0x80) { *used = 1; return 0xfffd; }
        c = (c << 6) | (s[i] & 0x3f);
    }
    *used = need + 1;
    if ((need == 2 && c < 0x800) || (need == 3 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
        return 0xfffd;
    return c;
}

INT WINAPI MultiByteToWideChar(UINT cp, DWORD flags, LPCSTR src, INT srclen, LPWSTR dst, INT dstlen)
{
    const unsigned char *s = (const unsigned char *)src;
    int i = 0, n = 0, used, c;

    if (srclen < 0) srclen = strlen(src) + 1;
    while (i < srclen)
    {
        if (cp == CP_UTF8) c = utf8_decode(s + i, srclen - i, &used);
        else { c = s[i]; used = 1; }
        i += used;
        if (c >= 0x10000)
        {
            if (dst && n + 2 <= dstlen) { dst[n] = 0xd800 + ((c - 0x10000) >> 10); dst[n + 1] = 0xdc00 + (c & 0x3ff); }
            n += 2;
        }
        else
        {
            if (dst && n < dstlen) dst[n] = c;
            n++;
        }
    }
    if (dst && n > dstlen) { SetLastError(ERROR_INSUFFICIENT_BUFFER); return 0; }
    return n;
}

INT WINAPI WideCharToMultiByte(UINT cp, DWORD flags, LPCWSTR src, INT srclen, LPSTR dst, INT dstlen,
                               LPCSTR defchar, LPBOOL used_default)
{
    int i, n = 0, k, len;
    unsigned char buf[4];

    if (srclen < 0)
    {
        for (srclen = 0; src[srclen]; srclen++)
            ;
        srclen++;
    }
    for (i = 0; i < srclen; i++)
    {
        unsigned int c = src[i];
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < srclen && src[i + 1] >= 0xdc00 && src[i + 1] <= 0xdfff)
            c = 0x10000 + ((c - 0xd800) << 10) + (src[++i] - 0xdc00);
        else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
        if (cp != CP_UTF8) { buf[0] = c < 0x100 ? c : '?'; len = 1; }
        else if (c < 0x80) { buf[0] = c; len = 1; }
        else if (c < 0x800) { buf[0] = 0xc0 | (c >> 6); buf[1] = 0x80 | (c & 0x3f); len = 2; }
        else if (c < 0x10000) { buf[0] = 0xe0 | (c >> 12); buf[1] = 0x80 | ((c >> 6) & 0x3f); buf[2] = 0x80 | (c & 0x3f); len = 3; }
        else { buf[0] = 0xf0 | (c >> 18); buf[1] = 0x80 | ((c >> 12) & 0x3f); buf[2] = 0x80 | ((c >> 6) & 0x3f);
               buf[3] = 0x80 | (c & 0x3f); len = 4; }
        for (k = 0; k < len; k++, n++) if (dst && n < dstlen) dst[n] = buf[k];
    }
    if (dst && n > dstlen) { SetLastError(ERROR_INSUFFICIENT_BUFFER); return 0; }
    return n;
}
