/*
 * Fuzz the authentication text parsers (auth_parse.c): challenges of
 * WWW-Authenticate / Proxy-Authenticate, auth-params, token68 and base64.
 *
 * The input is UTF-16 text (byte pairs, copied with a terminator).
 * Invariants, each an abort:
 *  - every challenge's params is a trimmed piece of the input, and the
 *    schemes are 0 or one WINHTTP_AUTH_SCHEME_* bit;
 *  - an auth-param value has no more characters than its challenge;
 *  - a token68 is made of base64/token68 characters only;
 *  - base64 of any bytes decodes back to them, and decoding the input
 *    never reads or writes out of bounds; what decodes has no more than
 *    3 bytes per 4 characters, and never from a lone final character;
 *  - one response keeps at most 64 challenges (AUTH_MAX_CHALLENGES).
 */
// fuzz-sources: dlls/winhttp/auth_parse.c dlls/winhttp/util.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_mech.h"

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

static const DWORD schemes = WINHTTP_AUTH_SCHEME_BASIC | WINHTTP_AUTH_SCHEME_NTLM | WINHTTP_AUTH_SCHEME_PASSPORT |
                             WINHTTP_AUTH_SCHEME_DIGEST | WINHTTP_AUTH_SCHEME_NEGOTIATE;

static BOOL contains(const WCHAR *haystack, const WCHAR *needle)
{
    size_t h = strlenW(haystack), n = strlenW(needle), i;
    if (!n) return TRUE;
    for (i = 0; i + n <= h; i++) if (!memcmp(haystack + i, needle, n * sizeof(WCHAR))) return TRUE;
    return FALSE;
}

static void check_params(const WCHAR *params)
{
    static const char *const names[] = { "realm", "nonce", "qop", "algorithm", "charset", "stale", "opaque" };
    WCHAR *value, *token;
    unsigned int i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    {
        if (!(value = auth_param_get(params, names[i]))) continue;
        CHECK(strlenW(value) <= strlenW(params));
        free(value);
    }
    if ((token = auth_token68(params)))
    {
        const WCHAR *p;
        size_t len;
        BYTE *bytes;

        for (p = token; *p; p++)
            CHECK((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                  (*p < 0x80 && strchr("-._~+/=!#$%&'*^`|", (char)*p)));
        bytes = auth_base64_decode(token, &len);
        free(bytes);
        free(token);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct auth_challenges list = {0};
    size_t n = size / 2, i, len;
    WCHAR *text, *b64;
    BYTE *back;

    if (!(text = malloc((n + 1) * sizeof(WCHAR)))) return 0;
    memcpy(text, data, n * sizeof(WCHAR));
    text[n] = 0;

    if (auth_parse_challenges(text, &list))
    {
        CHECK(list.count <= 64);
        for (i = 0; i < list.count; i++)
        {
            const WCHAR *params = list.items[i].params;
            DWORD scheme = list.items[i].scheme;
            CHECK(!(scheme & ~schemes) && !(scheme & (scheme - 1)));
            CHECK(contains(text, params));
            CHECK(!params[0] || (params[0] != ' ' && params[strlenW(params) - 1] != ' '));
            check_params(params);
        }
    }
    auth_challenges_free(&list);
    check_params(text);

    /* base64 round trip of the raw bytes */
    if ((b64 = auth_base64_value(L"", data, size)))
    {
        back = auth_base64_decode(b64, &len);
        CHECK(back && len == size && !memcmp(back, data, size));
        free(back);
        free(b64);
    }
    if ((back = auth_base64_decode(text, &len)))
    {
        size_t chars = strlenW(text);
        CHECK(len <= chars * 3 / 4);
        while (chars && text[chars - 1] == '=') chars--;
        CHECK(chars % 4 != 1);
        free(back);
    }
    free(text);
    return 0;
}
