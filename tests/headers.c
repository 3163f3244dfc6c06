/*
 * Request and response headers: WinHttpAddRequestHeaders(Ex) and
 * WinHttpQueryHeaders(Ex), as Microsoft documents them and as Wine's builtin
 * behaves where the documentation is silent.
 *
 * Where we follow the documentation against builtin (the error code for a
 * malformed header, refusing bare CR/LF instead of splitting on it,
 * WINHTTP_QUERY_FLAG_NUMBER64, the Ex functions builtin lacks), the test says
 * so; those checks fail under WINHTTP=builtin by design.
 *
 * The response side talks to a tiny HTTP server on a loopback socket in
 * this process, so the exact bytes of the response head are known (the
 * socket calls come from the winsock.h that windows.h includes).
 */
#include "test.h"
#include <winhttp.h>
#include <wchar.h>

static HINTERNET session, connection;
static BOOL builtin;

/* ------------------------------------------------------------------ */
/* helpers                                                             */

/* Only our DLL carries this product name (see tests/loader.c). */
static BOOL is_builtin(void)
{
    char path[MAX_PATH], *product = NULL;
    DWORD handle, size;
    UINT product_len;
    void *info;
    BOOL ret = TRUE;

    GetModuleFileNameA(GetModuleHandleA("winhttp.dll"), path, sizeof(path));
    if (!(size = GetFileVersionInfoSizeA(path, &handle))) return TRUE;
    info = malloc(size);
    if (GetFileVersionInfoA(path, 0, size, info) &&
        VerQueryValueA(info, "\\StringFileInfo\\040904b0\\ProductName", (void **)&product, &product_len) && product)
        ret = strcmp(product, "WinHTTP for Wine (clean-room)") != 0;
    free(info);
    return ret;
}

static HINTERNET open_request(void)
{
    HINTERNET req = WinHttpOpenRequest(connection, L"GET", L"/path?q=1", NULL, NULL, NULL, 0);
    ok(req != NULL, "WinHttpOpenRequest failed: %lu\n", GetLastError());
    return req;
}

/* The request head as WINHTTP_QUERY_RAW_HEADERS_CRLF | FLAG_REQUEST_HEADERS shows it. */
static const WCHAR *request_head(HINTERNET req)
{
    static WCHAR buf[4096];
    DWORD len = sizeof(buf);

    if (!WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS_CRLF | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf,
                             &len, NULL))
        return L"(query failed)";
    return buf;
}

#define ok_head(req, expect) ok_wstr(request_head(req), expect)

static BOOL add(HINTERNET req, const WCHAR *text, DWORD flags)
{
    return WinHttpAddRequestHeaders(req, text, (DWORD)-1, flags);
}

#define ok_add(req, text, flags) do { SetLastError(0xdeadbeef); \
    ok(add(req, text, flags), "adding %ls with %#lx failed: %lu\n", text, (unsigned long)(flags), GetLastError()); \
    ok_u(GetLastError(), ERROR_SUCCESS); } while (0)

/* A custom request header's index-th value, or NULL. */
static const WCHAR *request_value(HINTERNET req, const WCHAR *name, DWORD index)
{
    static WCHAR buf[1024];
    DWORD len = sizeof(buf);

    if (!WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, name, buf, &len, &index))
        return NULL;
    return buf;
}

/* ------------------------------------------------------------------ */
/* WinHttpAddRequestHeaders: arguments                                 */

static void test_add_handles(void)
{
    ok_err(WinHttpAddRequestHeaders(NULL, L"A: b", (DWORD)-1, WINHTTP_ADDREQ_FLAG_ADD), ERROR_INVALID_HANDLE);
    ok_err(WinHttpAddRequestHeaders(session, L"A: b", (DWORD)-1, WINHTTP_ADDREQ_FLAG_ADD),
           ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpAddRequestHeaders(connection, L"A: b", (DWORD)-1, WINHTTP_ADDREQ_FLAG_ADD),
           ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
}

static void test_add_empty_arguments(void)
{
    HINTERNET req = open_request();

    ok_err(WinHttpAddRequestHeaders(req, NULL, 0, WINHTTP_ADDREQ_FLAG_ADD), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpAddRequestHeaders(req, NULL, (DWORD)-1, WINHTTP_ADDREQ_FLAG_ADD), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpAddRequestHeaders(req, L"A: b", 0, WINHTTP_ADDREQ_FLAG_ADD), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpAddRequestHeaders(req, L"", 0, WINHTTP_ADDREQ_FLAG_ADD), ERROR_INVALID_PARAMETER);
    /* An empty NUL-terminated string adds nothing, successfully (builtin). */
    SetLastError(0xdeadbeef);
    ok(WinHttpAddRequestHeaders(req, L"", (DWORD)-1, WINHTTP_ADDREQ_FLAG_ADD), "empty string refused\n");
    ok_u(GetLastError(), ERROR_SUCCESS);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\n\r\n");
    WinHttpCloseHandle(req);
}

/* The documentation: "If an invalid header is used, this function fails and
 * GetLastError returns ERROR_INVALID_PARAMETER.  The invalid header is not
 * added."  (Builtin answers ERROR_WINHTTP_INVALID_HEADER.) */
static void test_add_malformed(void)
{
    static const WCHAR *const malformed[] =
    {
        L"NoColon", L": no name", L"Sp ace: x", L"Before : x", L"Tab\t: x", L"  Lead: x", L"Bad(Name): x",
        L"Bad/Name: x", L"Del\x7f: x", L"N\x00e9: x", L"\r\n", L"\r\n\r\n", L"GET / HTTP/1.1",
    };
    HINTERNET req = open_request();
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(malformed); i++)
    {
        SetLastError(0xdeadbeef);
        ok(!add(req, malformed[i], WINHTTP_ADDREQ_FLAG_ADD), "%ls accepted\n", malformed[i]);
        ok(GetLastError() == ERROR_INVALID_PARAMETER, "%ls: error %lu\n", malformed[i], GetLastError());
    }
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\n\r\n");
    WinHttpCloseHandle(req);
}

/* A malformed line anywhere in the text means nothing is added (builtin adds
 * the lines before it, or skips it when it is not the first). */
static void test_add_malformed_line_adds_nothing(void)
{
    HINTERNET req = open_request();

    ok_err(add(req, L"Good: 1\r\nBad\r\nGood2: 2", WINHTTP_ADDREQ_FLAG_ADD), ERROR_INVALID_PARAMETER);
    ok_err(add(req, L"Good: 1\r\nBad", WINHTTP_ADDREQ_FLAG_ADD), ERROR_INVALID_PARAMETER);
    ok_err(add(req, L"Bad\r\nGood: 1", WINHTTP_ADDREQ_FLAG_ADD), ERROR_INVALID_PARAMETER);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\n\r\n");
    WinHttpCloseHandle(req);
}

/* A bare CR or LF ends a line, as Windows splits header text (Wine's
 * conformance tests, test_bad_header): each piece is a header of its own,
 * validated alone and sent with CRLF. */
static void test_add_bare_cr_lf_split(void)
{
    HINTERNET req = open_request();

    ok(add(req, L"Cr: a\rSplit1: b", WINHTTP_ADDREQ_FLAG_ADD), "bare CR: %lu\n", GetLastError());
    ok(add(req, L"Lf: a\nSplit2: b", WINHTTP_ADDREQ_FLAG_ADD), "bare LF: %lu\n", GetLastError());
    ok(add(req, L"Mixed: 1\n\rRuns: 2\r\r\rTrail: 3\n", WINHTTP_ADDREQ_FLAG_ADD), "runs: %lu\n", GetLastError());
    ok(add(req, L"\nLead: x", WINHTTP_ADDREQ_FLAG_ADD), "leading LF: %lu\n", GetLastError());
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nCr: a\r\nSplit1: b\r\nLf: a\r\nSplit2: b\r\nMixed: 1\r\nRuns: 2\r\n"
                 L"Trail: 3\r\nLead: x\r\n\r\n");
    WinHttpCloseHandle(req);
}

/* What cannot become a well-formed header is refused and nothing stored: a
 * request line slipped in after a break, control characters, folded lines,
 * a name broken by CR, a NUL with text after it. */
static void test_add_injection_refused(void)
{
    static const WCHAR nul_inside[] = L"Nul: a\0Injected: b";
    static const WCHAR *const injections[] =
    {
        L"Lf2: a\n\nGET /evil HTTP/1.1", L"Ctl: a\x01" L"b", L"Del: a\x7f" L"b", L"Esc: \x1b[31m",
        L"Fold: a\r\n b", L"Fold2: a\r\n\tb", L"Cr\r: x", L"Ok: 1\rInjected-No-Colon",
    };
    HINTERNET req = open_request();
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(injections); i++)
    {
        SetLastError(0xdeadbeef);
        ok(!add(req, injections[i], WINHTTP_ADDREQ_FLAG_ADD), "injection %u accepted\n", i);
        ok(GetLastError() == ERROR_INVALID_PARAMETER, "injection %u: error %lu\n", i, GetLastError());
    }
    ok_err(WinHttpAddRequestHeaders(req, nul_inside, ARRAYSIZE(nul_inside) - 1, WINHTTP_ADDREQ_FLAG_ADD),
           ERROR_INVALID_PARAMETER);
    ok(!request_value(req, L"Injected", 0), "an injected header was stored\n");
    ok(!request_value(req, L"Ok", 0), "a line before a refused one was stored\n");
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\n\r\n");
    WinHttpCloseHandle(req);
}

/* Programs pass ARRAYSIZE() of a literal, terminator included. */
static void test_add_length_with_terminator(void)
{
    static const WCHAR text[] = L"With-Nul: yes";
    HINTERNET req = open_request();

    SetLastError(0xdeadbeef);
    ok(WinHttpAddRequestHeaders(req, text, ARRAYSIZE(text), WINHTTP_ADDREQ_FLAG_ADD), "failed: %lu\n", GetLastError());
    ok_wstr(request_value(req, L"With-Nul", 0), L"yes");
    WinHttpCloseHandle(req);
}

static void test_add_length_shorter_than_text(void)
{
    HINTERNET req = open_request();

    ok(WinHttpAddRequestHeaders(req, L"Trunc: abcdef", 9, WINHTTP_ADDREQ_FLAG_ADD), "failed: %lu\n", GetLastError());
    ok_wstr(request_value(req, L"Trunc", 0), L"ab");
    ok(WinHttpAddRequestHeaders(req, L"A: 1\r\nB: 2\r\nC: 3", 10, WINHTTP_ADDREQ_FLAG_ADD), "failed: %lu\n",
       GetLastError());
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nTrunc: ab\r\nA: 1\r\nB: 2\r\n\r\n");
    WinHttpCloseHandle(req);
}

static void test_add_several_lines(void)
{
    HINTERNET req = open_request();

    ok_add(req, L"Multi1: a\r\nMulti2: b\r\n", WINHTTP_ADDREQ_FLAG_ADD);
    ok_add(req, L"Multi3:c\r\n\r\nMulti4:d", WINHTTP_ADDREQ_FLAG_ADD);
    ok_add(req, L"Multi5: e\r\n\r\n", WINHTTP_ADDREQ_FLAG_ADD);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nMulti1: a\r\nMulti2: b\r\nMulti3: c\r\nMulti4: d\r\nMulti5: e\r\n\r\n");
    WinHttpCloseHandle(req);
}

/* RFC 9110 §5.5: leading and trailing whitespace is not part of a field
 * value.  (Builtin strips leading spaces only.) */
static void test_add_value_whitespace(void)
{
    HINTERNET req = open_request();

    ok_add(req, L"Lead:    x", WINHTTP_ADDREQ_FLAG_ADD);
    ok_wstr(request_value(req, L"Lead", 0), L"x");
    ok_add(req, L"Empty:", WINHTTP_ADDREQ_FLAG_ADD);
    ok_add(req, L"Spaces:    ", WINHTTP_ADDREQ_FLAG_ADD);
    if (!builtin)   /* builtin crashes querying an empty request header */
    {
        ok_wstr(request_value(req, L"Empty", 0), L"");
        ok_wstr(request_value(req, L"Spaces", 0), L"");
    }
    ok_add(req, L"Inner: a  b\tc", WINHTTP_ADDREQ_FLAG_ADD);
    ok_wstr(request_value(req, L"Inner", 0), L"a  b\tc");
    ok_add(req, L"Trail: x \t ", WINHTTP_ADDREQ_FLAG_ADD);
    ok_wstr(request_value(req, L"Trail", 0), L"x");
    ok_add(req, L"Colons:x:y", WINHTTP_ADDREQ_FLAG_ADD);
    ok_wstr(request_value(req, L"Colons", 0), L"x:y");
    WinHttpCloseHandle(req);
}

static void test_add_non_ascii_value(void)
{
    HINTERNET req = open_request();

    ok_add(req, L"Uni: caf\x00e9 \x4e2d", WINHTTP_ADDREQ_FLAG_ADD);
    ok_wstr(request_value(req, L"Uni", 0), L"caf\x00e9 \x4e2d");
    WinHttpCloseHandle(req);
}

/* ------------------------------------------------------------------ */
/* WinHttpAddRequestHeaders: modifiers                                 */

static void test_add_default_and_add(void)
{
    HINTERNET req = open_request();

    ok_add(req, L"Dup: 1", 0);
    ok_add(req, L"Dup: 2", WINHTTP_ADDREQ_FLAG_ADD);
    ok_add(req, L"dup: 3", WINHTTP_ADDREQ_FLAG_ADD);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nDup: 1\r\nDup: 2\r\ndup: 3\r\n\r\n");
    /* The index bits are ignored. */
    ok_add(req, L"Dup: 4", 0x0001);
    ok_wstr(request_value(req, L"Dup", 3), L"4");
    WinHttpCloseHandle(req);
}

static void test_add_if_new(void)
{
    HINTERNET req = open_request();

    ok_add(req, L"Once: 1\r\n", WINHTTP_ADDREQ_FLAG_ADD_IF_NEW);
    ok_err(add(req, L"Once: 2", WINHTTP_ADDREQ_FLAG_ADD_IF_NEW), ERROR_WINHTTP_HEADER_ALREADY_EXISTS);
    ok_err(add(req, L"ONCE: 2", WINHTTP_ADDREQ_FLAG_ADD_IF_NEW), ERROR_WINHTTP_HEADER_ALREADY_EXISTS);
    /* ADD_IF_NEW wins over COALESCE and REPLACE. */
    ok_err(add(req, L"Once: 3", WINHTTP_ADDREQ_FLAG_ADD_IF_NEW | WINHTTP_ADDREQ_FLAG_COALESCE),
           ERROR_WINHTTP_HEADER_ALREADY_EXISTS);
    ok_err(add(req, L"Once: 4", WINHTTP_ADDREQ_FLAG_ADD_IF_NEW | WINHTTP_ADDREQ_FLAG_REPLACE),
           ERROR_WINHTTP_HEADER_ALREADY_EXISTS);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nOnce: 1\r\n\r\n");
    WinHttpCloseHandle(req);
}

/* Lines before the one the modifiers refuse stay added (builtin). */
static void test_add_stops_at_refused_line(void)
{
    HINTERNET req = open_request();

    ok_add(req, L"A: 1", WINHTTP_ADDREQ_FLAG_ADD);
    ok_err(add(req, L"New1: x\r\nA: y\r\nNew2: z", WINHTTP_ADDREQ_FLAG_ADD_IF_NEW), ERROR_WINHTTP_HEADER_ALREADY_EXISTS);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nA: 1\r\nNew1: x\r\n\r\n");
    ok_err(add(req, L"Miss1: x\r\nA: 2", WINHTTP_ADDREQ_FLAG_REPLACE), ERROR_WINHTTP_HEADER_NOT_FOUND);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nA: 1\r\nNew1: x\r\n\r\n");
    WinHttpCloseHandle(req);
}

static void test_add_coalesce(void)
{
    HINTERNET req = open_request();

    ok_add(req, L"Accept: text/*", WINHTTP_ADDREQ_FLAG_ADD);
    ok_add(req, L"accept: audio/*", WINHTTP_ADDREQ_FLAG_COALESCE);
    ok_add(req, L"Accept: image/*", WINHTTP_ADDREQ_FLAG_COALESCE_WITH_COMMA);
    ok_add(req, L"Accept: q", WINHTTP_ADDREQ_FLAG_COALESCE_WITH_SEMICOLON);
    ok_wstr(request_value(req, L"Accept", 0), L"text/*, audio/*, image/*; q");
    /* A header that is not there yet is simply added. */
    ok_add(req, L"Cookie: a=b", WINHTTP_ADDREQ_FLAG_COALESCE_WITH_SEMICOLON);
    ok_add(req, L"Cookie: c=d", WINHTTP_ADDREQ_FLAG_COALESCE_WITH_SEMICOLON);
    ok_wstr(request_value(req, L"Cookie", 0), L"a=b; c=d");
    /* Both coalesce flags: the comma. */
    ok_add(req, L"Both: 1", WINHTTP_ADDREQ_FLAG_ADD);
    ok_add(req, L"Both: 2", WINHTTP_ADDREQ_FLAG_COALESCE_WITH_COMMA | WINHTTP_ADDREQ_FLAG_COALESCE_WITH_SEMICOLON);
    ok_wstr(request_value(req, L"Both", 0), L"1, 2");
    /* ADD | COALESCE coalesces. */
    ok_add(req, L"AddCo: x", WINHTTP_ADDREQ_FLAG_ADD | WINHTTP_ADDREQ_FLAG_COALESCE);
    ok_add(req, L"AddCo: y", WINHTTP_ADDREQ_FLAG_ADD | WINHTTP_ADDREQ_FLAG_COALESCE);
    ok_wstr(request_value(req, L"AddCo", 0), L"x, y");
    ok(!request_value(req, L"AddCo", 1), "a second AddCo header\n");
    WinHttpCloseHandle(req);
}

/* Only the first header of the name takes the coalesced value. */
static void test_add_coalesce_first_of_several(void)
{
    HINTERNET req = open_request();

    ok_add(req, L"M: 1\r\nM: 2", WINHTTP_ADDREQ_FLAG_ADD);
    ok_add(req, L"m: c", WINHTTP_ADDREQ_FLAG_COALESCE);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nM: 1, c\r\nM: 2\r\n\r\n");
    WinHttpCloseHandle(req);
}

/* REPLACE removes the first header of the name and adds the new one at the
 * end; an empty value only removes. */
static void test_add_replace(void)
{
    HINTERNET req = open_request();

    ok_add(req, L"M: 1\r\nM: 2\r\nOther: o", WINHTTP_ADDREQ_FLAG_ADD);
    ok_add(req, L"m: r", WINHTTP_ADDREQ_FLAG_REPLACE);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nM: 2\r\nOther: o\r\nm: r\r\n\r\n");
    ok_add(req, L"M:", WINHTTP_ADDREQ_FLAG_REPLACE);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nOther: o\r\nm: r\r\n\r\n");
    ok_add(req, L"M:  ", WINHTTP_ADDREQ_FLAG_REPLACE);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nOther: o\r\n\r\n");
    ok_err(add(req, L"M: x", WINHTTP_ADDREQ_FLAG_REPLACE), ERROR_WINHTTP_HEADER_NOT_FOUND);
    ok_err(add(req, L"M:", WINHTTP_ADDREQ_FLAG_REPLACE), ERROR_WINHTTP_HEADER_NOT_FOUND);
    /* REPLACE wins over COALESCE. */
    ok_err(add(req, L"M: x", WINHTTP_ADDREQ_FLAG_REPLACE | WINHTTP_ADDREQ_FLAG_COALESCE), ERROR_WINHTTP_HEADER_NOT_FOUND);
    ok_add(req, L"Other: z", WINHTTP_ADDREQ_FLAG_REPLACE | WINHTTP_ADDREQ_FLAG_COALESCE);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nOther: z\r\n\r\n");
    WinHttpCloseHandle(req);
}

/* REPLACE | ADD adds what is missing, even an empty value (builtin). */
static void test_add_replace_or_add(void)
{
    HINTERNET req = open_request();

    ok_add(req, L"Rep: 1", WINHTTP_ADDREQ_FLAG_REPLACE | WINHTTP_ADDREQ_FLAG_ADD);
    ok_add(req, L"Rep: 2", WINHTTP_ADDREQ_FLAG_REPLACE | WINHTTP_ADDREQ_FLAG_ADD);
    ok_add(req, L"Blank:", WINHTTP_ADDREQ_FLAG_REPLACE | WINHTTP_ADDREQ_FLAG_ADD);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nRep: 2\r\nBlank: \r\n\r\n");
    ok_add(req, L"Rep:", WINHTTP_ADDREQ_FLAG_REPLACE | WINHTTP_ADDREQ_FLAG_ADD);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nBlank: \r\n\r\n");
    WinHttpCloseHandle(req);
}

/* ------------------------------------------------------------------ */
/* WinHttpQueryHeaders on request headers                              */

/* Before anything is sent the request head is the request line alone. */
static void test_query_request_raw(void)
{
    HINTERNET req = open_request();
    WCHAR buf[256];
    DWORD len;

    len = 0;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS_CRLF | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL,
                               WINHTTP_NO_OUTPUT_BUFFER, &len, NULL), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, sizeof(L"GET /path?q=1 HTTP/1.1\r\n\r\n"));
    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS_CRLF | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf, &len,
                           NULL), "failed: %lu\n", GetLastError());
    ok_u(len, sizeof(L"GET /path?q=1 HTTP/1.1\r\n\r\n") - sizeof(WCHAR));
    ok_wstr(buf, L"GET /path?q=1 HTTP/1.1\r\n\r\n");

    /* NUL-separated lines with a double NUL at the end, which the length
     * leaves out like any terminator. */
    ok_add(req, L"A: 1\r\nB: 2", WINHTTP_ADDREQ_FLAG_ADD);
    len = 0;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, NULL, &len,
                               NULL), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, sizeof(L"GET /path?q=1 HTTP/1.1\0A: 1\0B: 2\0"));
    memset(buf, 0xcc, sizeof(buf));
    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf, &len, NULL),
       "failed: %lu\n", GetLastError());
    ok_u(len, sizeof(L"GET /path?q=1 HTTP/1.1\0A: 1\0B: 2\0") - sizeof(WCHAR));
    ok(!memcmp(buf, L"GET /path?q=1 HTTP/1.1\0A: 1\0B: 2\0", sizeof(L"GET /path?q=1 HTTP/1.1\0A: 1\0B: 2\0")),
       "raw headers %ls\n", buf);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n");
    WinHttpCloseHandle(req);
}

static void test_query_request_pseudo_levels(void)
{
    HINTERNET req = WinHttpOpenRequest(connection, L"POST", L"/x", L"HTTP/1.0", NULL, NULL, 0);
    WCHAR buf[64];
    DWORD len;

    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_VERSION | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf, &len, NULL),
       "version failed: %lu\n", GetLastError());
    ok_wstr(buf, L"HTTP/1.0");
    ok_u(len, 16);
    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_REQUEST_METHOD | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf, &len,
                           NULL), "method failed: %lu\n", GetLastError());
    ok_wstr(buf, L"POST");
    /* The method is known before any response, with or without the flag. */
    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_REQUEST_METHOD, NULL, buf, &len, NULL), "method failed: %lu\n",
       GetLastError());
    ok_wstr(buf, L"POST");
    len = sizeof(buf);
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf, &len,
                               NULL), ERROR_WINHTTP_HEADER_NOT_FOUND);
    len = sizeof(buf);
    if (!builtin)   /* builtin crashes on this one */
        ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_STATUS_TEXT | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf, &len,
                                   NULL), ERROR_WINHTTP_HEADER_NOT_FOUND);
    WinHttpCloseHandle(req);
}

/* Every level that names a header finds the header of that name. */
static void test_query_every_level(void)
{
    static const struct { DWORD level; const WCHAR *name; } levels[] =
    {
        { WINHTTP_QUERY_MIME_VERSION, L"MIME-Version" }, { WINHTTP_QUERY_CONTENT_TYPE, L"Content-Type" },
        { WINHTTP_QUERY_CONTENT_TRANSFER_ENCODING, L"Content-Transfer-Encoding" },
        { WINHTTP_QUERY_CONTENT_ID, L"Content-ID" }, { WINHTTP_QUERY_CONTENT_DESCRIPTION, L"Content-Description" },
        { WINHTTP_QUERY_CONTENT_LENGTH, L"Content-Length" }, { WINHTTP_QUERY_CONTENT_LANGUAGE, L"Content-Language" },
        { WINHTTP_QUERY_ALLOW, L"Allow" }, { WINHTTP_QUERY_PUBLIC, L"Public" }, { WINHTTP_QUERY_DATE, L"Date" },
        { WINHTTP_QUERY_EXPIRES, L"Expires" }, { WINHTTP_QUERY_LAST_MODIFIED, L"Last-Modified" },
        { WINHTTP_QUERY_MESSAGE_ID, L"Message-ID" }, { WINHTTP_QUERY_URI, L"URI" },
        { WINHTTP_QUERY_DERIVED_FROM, L"Derived-From" }, { WINHTTP_QUERY_COST, L"Cost" },
        { WINHTTP_QUERY_LINK, L"Link" }, { WINHTTP_QUERY_PRAGMA, L"Pragma" },
        { WINHTTP_QUERY_CONNECTION, L"Connection" }, { WINHTTP_QUERY_ACCEPT, L"Accept" },
        { WINHTTP_QUERY_ACCEPT_CHARSET, L"Accept-Charset" }, { WINHTTP_QUERY_ACCEPT_ENCODING, L"Accept-Encoding" },
        { WINHTTP_QUERY_ACCEPT_LANGUAGE, L"Accept-Language" }, { WINHTTP_QUERY_AUTHORIZATION, L"Authorization" },
        { WINHTTP_QUERY_CONTENT_ENCODING, L"Content-Encoding" }, { WINHTTP_QUERY_FORWARDED, L"Forwarded" },
        { WINHTTP_QUERY_FROM, L"From" }, { WINHTTP_QUERY_IF_MODIFIED_SINCE, L"If-Modified-Since" },
        { WINHTTP_QUERY_LOCATION, L"Location" }, { WINHTTP_QUERY_ORIG_URI, L"Orig-URI" },
        { WINHTTP_QUERY_REFERER, L"Referer" }, { WINHTTP_QUERY_RETRY_AFTER, L"Retry-After" },
        { WINHTTP_QUERY_SERVER, L"Server" }, { WINHTTP_QUERY_TITLE, L"Title" },
        { WINHTTP_QUERY_USER_AGENT, L"User-Agent" }, { WINHTTP_QUERY_WWW_AUTHENTICATE, L"WWW-Authenticate" },
        { WINHTTP_QUERY_PROXY_AUTHENTICATE, L"Proxy-Authenticate" },
        { WINHTTP_QUERY_ACCEPT_RANGES, L"Accept-Ranges" }, { WINHTTP_QUERY_SET_COOKIE, L"Set-Cookie" },
        { WINHTTP_QUERY_COOKIE, L"Cookie" }, { WINHTTP_QUERY_REFRESH, L"Refresh" },
        { WINHTTP_QUERY_CONTENT_DISPOSITION, L"Content-Disposition" }, { WINHTTP_QUERY_AGE, L"Age" },
        { WINHTTP_QUERY_CACHE_CONTROL, L"Cache-Control" }, { WINHTTP_QUERY_CONTENT_BASE, L"Content-Base" },
        { WINHTTP_QUERY_CONTENT_LOCATION, L"Content-Location" }, { WINHTTP_QUERY_CONTENT_MD5, L"Content-MD5" },
        { WINHTTP_QUERY_CONTENT_RANGE, L"Content-Range" }, { WINHTTP_QUERY_ETAG, L"ETag" },
        { WINHTTP_QUERY_HOST, L"Host" }, { WINHTTP_QUERY_IF_MATCH, L"If-Match" },
        { WINHTTP_QUERY_IF_NONE_MATCH, L"If-None-Match" }, { WINHTTP_QUERY_IF_RANGE, L"If-Range" },
        { WINHTTP_QUERY_IF_UNMODIFIED_SINCE, L"If-Unmodified-Since" },
        { WINHTTP_QUERY_MAX_FORWARDS, L"Max-Forwards" },
        { WINHTTP_QUERY_PROXY_AUTHORIZATION, L"Proxy-Authorization" }, { WINHTTP_QUERY_RANGE, L"Range" },
        { WINHTTP_QUERY_TRANSFER_ENCODING, L"Transfer-Encoding" }, { WINHTTP_QUERY_UPGRADE, L"Upgrade" },
        { WINHTTP_QUERY_VARY, L"Vary" }, { WINHTTP_QUERY_VIA, L"Via" }, { WINHTTP_QUERY_WARNING, L"Warning" },
        { WINHTTP_QUERY_EXPECT, L"Expect" }, { WINHTTP_QUERY_PROXY_CONNECTION, L"Proxy-Connection" },
        { WINHTTP_QUERY_UNLESS_MODIFIED_SINCE, L"Unless-Modified-Since" },
        { WINHTTP_QUERY_PROXY_SUPPORT, L"Proxy-Support" },
        { WINHTTP_QUERY_AUTHENTICATION_INFO, L"Authentication-Info" },
        { WINHTTP_QUERY_PASSPORT_URLS, L"PassportURLs" }, { WINHTTP_QUERY_PASSPORT_CONFIG, L"PassportConfig" },
    };
    HINTERNET req = open_request();
    WCHAR text[128], buf[128];
    unsigned int i;
    DWORD len;

    for (i = 0; i < ARRAYSIZE(levels); i++)
    {
        wsprintfW(text, L"%s: value-%u", levels[i].name, i);
        ok(add(req, text, WINHTTP_ADDREQ_FLAG_ADD), "adding %ls failed: %lu\n", levels[i].name, GetLastError());
    }
    for (i = 0; i < ARRAYSIZE(levels); i++)
    {
        WCHAR expect[32];
        wsprintfW(expect, L"value-%u", i);
        len = sizeof(buf);
        buf[0] = 0;
        ok(WinHttpQueryHeaders(req, levels[i].level | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf, &len, NULL),
           "level %lu (%ls) failed: %lu\n", levels[i].level, levels[i].name, GetLastError());
        ok(!lstrcmpW(buf, expect), "level %lu (%ls): got %ls\n", levels[i].level, levels[i].name, buf);
    }
    WinHttpCloseHandle(req);
}

static void test_query_custom_index(void)
{
    HINTERNET req = open_request();
    WCHAR buf[64];
    DWORD len, index;

    ok_add(req, L"Dup: one\r\nOther: x\r\ndup: two\r\nDUP: three", WINHTTP_ADDREQ_FLAG_ADD);
    index = 0;
    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"dUp", buf, &len, &index),
       "index 0 failed: %lu\n", GetLastError());
    ok_wstr(buf, L"one");
    ok_u(index, 1);
    ok_u(len, 6);
    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"dUp", buf, &len, &index),
       "index 1 failed: %lu\n", GetLastError());
    ok_wstr(buf, L"two");
    ok_u(index, 2);
    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"dUp", buf, &len, &index),
       "index 2 failed: %lu\n", GetLastError());
    ok_wstr(buf, L"three");
    ok_u(index, 3);
    /* Past the last: not found, the index stays. */
    len = sizeof(buf);
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"dUp", buf, &len,
                               &index), ERROR_WINHTTP_HEADER_NOT_FOUND);
    ok_u(index, 3);
    /* No index: the first. */
    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"Dup", buf, &len,
                           WINHTTP_NO_HEADER_INDEX), "failed: %lu\n", GetLastError());
    ok_wstr(buf, L"one");
    len = sizeof(buf);
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"Missing", buf, &len,
                               NULL), ERROR_WINHTTP_HEADER_NOT_FOUND);
    len = sizeof(buf);
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"", buf, &len, NULL),
           ERROR_WINHTTP_HEADER_NOT_FOUND);
    WinHttpCloseHandle(req);
}

/* Lengths are bytes; the required size counts the terminator, the length
 * returned on success does not. */
static void test_query_buffer_sizes(void)
{
    HINTERNET req = open_request();
    WCHAR buf[64];
    DWORD len, index;

    ok_add(req, L"Foo: bar, baz; semi", WINHTTP_ADDREQ_FLAG_ADD);
    len = 0;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"Foo",
                               WINHTTP_NO_OUTPUT_BUFFER, &len, NULL), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 30);
    len = 100;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"Foo",
                               WINHTTP_NO_OUTPUT_BUFFER, &len, NULL), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 30);
    len = 28;
    buf[0] = 'x';
    index = 0;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"Foo", buf, &len,
                               &index), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 30);
    ok_u(index, 0);
    ok(buf[0] == 'x', "the buffer was written to\n");
    len = 30;
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"Foo", buf, &len, NULL),
       "exact size failed: %lu\n", GetLastError());
    ok_u(len, 28);
    ok_wstr(buf, L"bar, baz; semi");
    /* No length at all (builtin crashes). */
    if (!builtin)
        ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"Foo", buf, NULL,
                                   NULL), ERROR_INVALID_PARAMETER);
    WinHttpCloseHandle(req);
}

static void test_query_number(void)
{
    HINTERNET req = open_request();
    ULONGLONG number64;
    DWORD len, number;

    ok_add(req, L"Content-Length: 42\r\nBig: 12345678901\r\nText: abc", WINHTTP_ADDREQ_FLAG_ADD);
    number = 0;
    len = sizeof(number);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_CONTENT_LENGTH | WINHTTP_QUERY_FLAG_REQUEST_HEADERS |
                           WINHTTP_QUERY_FLAG_NUMBER, NULL, &number, &len, NULL), "failed: %lu\n", GetLastError());
    ok_u(number, 42);
    ok_u(len, sizeof(DWORD));
    len = 2;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CONTENT_LENGTH | WINHTTP_QUERY_FLAG_REQUEST_HEADERS |
                               WINHTTP_QUERY_FLAG_NUMBER, NULL, &number, &len, NULL), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, sizeof(DWORD));
    /* A value that is not a number reads as 0 (builtin). */
    number = 77;
    len = sizeof(number);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS | WINHTTP_QUERY_FLAG_NUMBER,
                           L"Text", &number, &len, NULL), "failed: %lu\n", GetLastError());
    ok_u(number, 0);
    /* FLAG_NUMBER64 is documented to return a ULONGLONG (builtin refuses it). */
    number64 = 0;
    len = sizeof(number64);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS |
                           WINHTTP_QUERY_FLAG_NUMBER64, L"Big", &number64, &len, NULL), "failed: %lu\n", GetLastError());
    ok_u(number64, 12345678901ull);
    ok_u(len, sizeof(ULONGLONG));
    len = sizeof(DWORD);
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS |
                               WINHTTP_QUERY_FLAG_NUMBER64, L"Big", &number64, &len, NULL), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, sizeof(ULONGLONG));
    /* The number flag means nothing to the request line parts: a string. */
    {
        WCHAR buf[32];
        len = sizeof(buf);
        ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_VERSION | WINHTTP_QUERY_FLAG_REQUEST_HEADERS |
                               WINHTTP_QUERY_FLAG_NUMBER, NULL, buf, &len, NULL), "failed: %lu\n", GetLastError());
        ok_wstr(buf, L"HTTP/1.1");
    }
    WinHttpCloseHandle(req);
}

static void test_query_systemtime(void)
{
    HINTERNET req = open_request();
    SYSTEMTIME st;
    DWORD len;

    ok_add(req, L"Date: Sun, 06 Nov 1994 08:49:37 GMT", WINHTTP_ADDREQ_FLAG_ADD);
    memset(&st, 0xcc, sizeof(st));
    len = sizeof(st);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_DATE | WINHTTP_QUERY_FLAG_REQUEST_HEADERS | WINHTTP_QUERY_FLAG_SYSTEMTIME,
                           NULL, &st, &len, NULL), "failed: %lu\n", GetLastError());
    ok_u(len, sizeof(SYSTEMTIME));
    ok(st.wYear == 1994 && st.wMonth == 11 && st.wDay == 6 && st.wDayOfWeek == 0 && st.wHour == 8 &&
       st.wMinute == 49 && st.wSecond == 37 && st.wMilliseconds == 0, "got %u-%u-%u (%u) %u:%u:%u.%u\n", st.wYear,
       st.wMonth, st.wDay, st.wDayOfWeek, st.wHour, st.wMinute, st.wSecond, st.wMilliseconds);
    len = sizeof(st) - 1;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_DATE | WINHTTP_QUERY_FLAG_REQUEST_HEADERS |
                               WINHTTP_QUERY_FLAG_SYSTEMTIME, NULL, &st, &len, NULL), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, sizeof(SYSTEMTIME));
    WinHttpCloseHandle(req);
}

static void test_query_invalid_levels(void)
{
    HINTERNET req = open_request();
    WCHAR buf[64];
    DWORD len;

    ok_add(req, L"Foo: 1", WINHTTP_ADDREQ_FLAG_ADD);
    len = sizeof(buf);
    ok_err(WinHttpQueryHeaders(req, (WINHTTP_QUERY_MAX + 1) | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf, &len,
                               NULL), ERROR_INVALID_PARAMETER);
    len = sizeof(buf);
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS | 0x10000, L"Foo", buf,
                               &len, NULL), ERROR_INVALID_PARAMETER);
    /* 71 to 74 name nothing in WinHTTP. */
    len = sizeof(buf);
    ok_err(WinHttpQueryHeaders(req, 71 | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf, &len, NULL),
           ERROR_WINHTTP_HEADER_NOT_FOUND);
    if (!builtin)
    {
        /* Builtin crashes on these. */
        len = sizeof(buf);
        ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL, buf, &len,
                                   NULL), ERROR_INVALID_PARAMETER);
        len = sizeof(buf);
        ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS |
                                   WINHTTP_QUERY_FLAG_NUMBER | WINHTTP_QUERY_FLAG_SYSTEMTIME, L"Foo", buf, &len, NULL),
               ERROR_INVALID_PARAMETER);
    }
    WinHttpCloseHandle(req);
}

/* Response headers exist once WinHttpReceiveResponse completed. */
static void test_query_response_before_response(void)
{
    static const DWORD levels[] =
    {
        WINHTTP_QUERY_STATUS_CODE, WINHTTP_QUERY_STATUS_TEXT, WINHTTP_QUERY_VERSION, WINHTTP_QUERY_RAW_HEADERS,
        WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_QUERY_CONTENT_TYPE, WINHTTP_QUERY_CONTENT_LENGTH | WINHTTP_QUERY_FLAG_NUMBER,
    };
    HINTERNET req = open_request();
    WCHAR buf[64];
    unsigned int i;
    DWORD len;

    for (i = 0; i < ARRAYSIZE(levels); i++)
    {
        len = sizeof(buf);
        SetLastError(0xdeadbeef);
        ok(!WinHttpQueryHeaders(req, levels[i], NULL, buf, &len, NULL), "level %#lx succeeded\n", levels[i]);
        ok(GetLastError() == ERROR_WINHTTP_INCORRECT_HANDLE_STATE, "level %#lx: error %lu\n", levels[i], GetLastError());
        ok_u(len, sizeof(buf));
    }
    len = 0;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_CUSTOM, L"Foo", NULL, &len, NULL),
           ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_u(len, 0);
    WinHttpCloseHandle(req);
}

static void test_query_handles(void)
{
    WCHAR buf[16];
    DWORD len = sizeof(buf);

    ok_err(WinHttpQueryHeaders(NULL, WINHTTP_QUERY_STATUS_CODE, NULL, buf, &len, NULL), ERROR_INVALID_HANDLE);
    ok_err(WinHttpQueryHeaders(session, WINHTTP_QUERY_STATUS_CODE, NULL, buf, &len, NULL),
           ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpQueryHeaders(connection, WINHTTP_QUERY_STATUS_CODE, NULL, buf, &len, NULL),
           ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
}

/* ------------------------------------------------------------------ */
/* WinHttpAddRequestHeadersEx / WinHttpQueryHeadersEx (documented only:  */
/* builtin does not have them)                                         */

static void test_add_ex(void)
{
    WINHTTP_EXTENDED_HEADER wide[2], narrow[2], bad[1];
    HINTERNET req = open_request();
    DWORD ret;

    wide[0].pwszName = L"X-Wide";
    wide[0].pwszValue = L"  caf\x00e9  ";
    wide[1].pwszName = L"X-Second";
    wide[1].pwszValue = L"2";
    ret = WinHttpAddRequestHeadersEx(req, WINHTTP_ADDREQ_FLAG_ADD, WINHTTP_EXTENDED_HEADER_FLAG_UNICODE, 0, 2, wide);
    ok_u(ret, ERROR_SUCCESS);
    ok_wstr(request_value(req, L"X-Wide", 0), L"caf\x00e9");
    ok_wstr(request_value(req, L"X-Second", 0), L"2");

    /* Without the Unicode flag the strings are UTF-8. */
    narrow[0].pszName = "X-Narrow";
    narrow[0].pszValue = "caf\xc3\xa9";
    narrow[1].pszName = "X-Wide";
    narrow[1].pszValue = "more";
    ret = WinHttpAddRequestHeadersEx(req, WINHTTP_ADDREQ_FLAG_COALESCE_WITH_SEMICOLON, 0, 0, 2, narrow);
    ok_u(ret, ERROR_SUCCESS);
    ok_wstr(request_value(req, L"X-Narrow", 0), L"caf\x00e9");
    ok_wstr(request_value(req, L"X-Wide", 0), L"caf\x00e9; more");

    ret = WinHttpAddRequestHeadersEx(req, WINHTTP_ADDREQ_FLAG_ADD_IF_NEW, WINHTTP_EXTENDED_HEADER_FLAG_UNICODE, 0, 1, wide);
    ok_u(ret, ERROR_WINHTTP_HEADER_ALREADY_EXISTS);
    wide[0].pwszValue = L"";
    ret = WinHttpAddRequestHeadersEx(req, WINHTTP_ADDREQ_FLAG_REPLACE, WINHTTP_EXTENDED_HEADER_FLAG_UNICODE, 0, 1, wide);
    ok_u(ret, ERROR_SUCCESS);
    ok(!request_value(req, L"X-Wide", 0), "X-Wide not removed\n");
    ret = WinHttpAddRequestHeadersEx(req, WINHTTP_ADDREQ_FLAG_REPLACE, WINHTTP_EXTENDED_HEADER_FLAG_UNICODE, 0, 1, wide);
    ok_u(ret, ERROR_WINHTTP_HEADER_NOT_FOUND);

    /* Separate name and value: a CR or LF in either is an injection. */
    bad[0].pwszName = L"X-Bad";
    bad[0].pwszValue = L"a\r\nInjected: b";
    ret = WinHttpAddRequestHeadersEx(req, WINHTTP_ADDREQ_FLAG_ADD, WINHTTP_EXTENDED_HEADER_FLAG_UNICODE, 0, 1, bad);
    ok_u(ret, ERROR_INVALID_PARAMETER);
    bad[0].pwszName = L"X-Bad: x\r\nInjected";
    bad[0].pwszValue = L"b";
    ret = WinHttpAddRequestHeadersEx(req, WINHTTP_ADDREQ_FLAG_ADD, WINHTTP_EXTENDED_HEADER_FLAG_UNICODE, 0, 1, bad);
    ok_u(ret, ERROR_INVALID_PARAMETER);
    bad[0].pwszName = NULL;
    ret = WinHttpAddRequestHeadersEx(req, WINHTTP_ADDREQ_FLAG_ADD, WINHTTP_EXTENDED_HEADER_FLAG_UNICODE, 0, 1, bad);
    ok_u(ret, ERROR_INVALID_PARAMETER);
    ret = WinHttpAddRequestHeadersEx(req, WINHTTP_ADDREQ_FLAG_ADD, WINHTTP_EXTENDED_HEADER_FLAG_UNICODE, 0, 0, NULL);
    ok_u(ret, ERROR_INVALID_PARAMETER);
    ok(!request_value(req, L"Injected", 0), "an injected header was stored\n");
    ok(!request_value(req, L"X-Bad", 0), "X-Bad was stored\n");

    ret = WinHttpAddRequestHeadersEx(session, WINHTTP_ADDREQ_FLAG_ADD, WINHTTP_EXTENDED_HEADER_FLAG_UNICODE, 0, 1, wide);
    ok_u(ret, ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_u(WinHttpAddRequestHeadersEx(NULL, 0, 0, 0, 1, wide), ERROR_INVALID_HANDLE);
    WinHttpCloseHandle(req);
}

/* One bad header in the array: none of them is added. */
static void test_add_ex_all_or_nothing(void)
{
    WINHTTP_EXTENDED_HEADER headers[3];
    HINTERNET req = open_request();

    headers[0].pwszName = L"X-One";
    headers[0].pwszValue = L"1";
    headers[1].pwszName = L"X-Two";
    headers[1].pwszValue = L"2\n";
    headers[2].pwszName = L"X-Three";
    headers[2].pwszValue = L"3";
    ok_u(WinHttpAddRequestHeadersEx(req, WINHTTP_ADDREQ_FLAG_ADD, WINHTTP_EXTENDED_HEADER_FLAG_UNICODE, 0, 3, headers),
         ERROR_INVALID_PARAMETER);
    ok_head(req, L"GET /path?q=1 HTTP/1.1\r\n\r\n");
    WinHttpCloseHandle(req);
}

static void test_query_ex_all_request_headers(void)
{
    HINTERNET req = open_request();
    WINHTTP_EXTENDED_HEADER *headers = (void *)0xdeadbeef;
    DWORD len, count, ret, needed;
    void *buffer;

    ok_add(req, L"A: 1\r\nBee: two", WINHTTP_ADDREQ_FLAG_ADD);
    len = 0;
    count = 0xdead;
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_EX_ALL_HEADERS | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, NULL,
                                NULL, NULL, &len, &headers, &count);
    ok_u(ret, ERROR_INSUFFICIENT_BUFFER);
    needed = 2 * sizeof(WINHTTP_EXTENDED_HEADER) + sizeof(L"A") + sizeof(L"1") + sizeof(L"Bee") + sizeof(L"two");
    ok_u(len, needed);
    ok(!headers, "headers not NULL\n");

    buffer = malloc(needed);
    len = needed - 1;
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_EX_ALL_HEADERS | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, NULL,
                                NULL, buffer, &len, &headers, &count);
    ok_u(ret, ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, needed);
    len = needed;
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_EX_ALL_HEADERS | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, NULL,
                                NULL, buffer, &len, &headers, &count);
    ok_u(ret, ERROR_SUCCESS);
    ok_u(count, 2);
    ok(headers == buffer, "headers %p, buffer %p\n", headers, buffer);
    if (!ret && count == 2)
    {
        ok_wstr(headers[0].pwszName, L"A");
        ok_wstr(headers[0].pwszValue, L"1");
        ok_wstr(headers[1].pwszName, L"Bee");
        ok_wstr(headers[1].pwszValue, L"two");
        ok((char *)headers[1].pwszValue + sizeof(L"two") <= (char *)buffer + needed, "strings outside the buffer\n");
    }
    free(buffer);
    WinHttpCloseHandle(req);
}

/* A request without headers: an empty array, no buffer needed. */
static void test_query_ex_no_headers(void)
{
    WINHTTP_EXTENDED_HEADER *headers = (void *)0xdeadbeef;
    HINTERNET req = open_request();
    DWORD len = 0, count = 0xdead, ret;

    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_EX_ALL_HEADERS | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, NULL,
                                NULL, NULL, &len, &headers, &count);
    ok_u(ret, ERROR_SUCCESS);
    ok_u(count, 0);
    ok_u(len, 0);
    ok(!headers, "headers %p\n", headers);
    WinHttpCloseHandle(req);
}

static void test_query_ex_single_header(void)
{
    HINTERNET req = open_request();
    WINHTTP_EXTENDED_HEADER *headers;
    WINHTTP_HEADER_NAME name;
    DWORD len, count, ret, index;
    char buffer[512];

    ok_add(req, L"Dup: one\r\nContent-Type: text/x\r\ndup: two", WINHTTP_ADDREQ_FLAG_ADD);
    name.pwszName = L"DUP";
    index = 0;
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, &index, &name,
                                buffer, &len, &headers, &count);
    ok_u(ret, ERROR_SUCCESS);
    ok_u(count, 1);
    ok_u(index, 1);
    if (!ret) ok_wstr(headers[0].pwszValue, L"one");
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, &index, &name,
                                buffer, &len, &headers, &count);
    ok_u(ret, ERROR_SUCCESS);
    ok_u(index, 2);
    if (!ret) ok_wstr(headers[0].pwszName, L"dup");
    if (!ret) ok_wstr(headers[0].pwszValue, L"two");
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, &index, &name,
                                buffer, &len, &headers, &count);
    ok_u(ret, ERROR_WINHTTP_HEADER_NOT_FOUND);
    ok_u(index, 2);

    /* A known level. */
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_CONTENT_TYPE | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, NULL, NULL,
                                buffer, &len, &headers, &count);
    ok_u(ret, ERROR_SUCCESS);
    if (!ret) ok_wstr(headers[0].pwszValue, L"text/x");

    /* Wire encoding: the bytes we send, UTF-8. */
    ok_add(req, L"X-Uni: caf\x00e9", WINHTTP_ADDREQ_FLAG_ADD);
    name.pszName = "x-uni";
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS |
                                WINHTTP_QUERY_FLAG_WIRE_ENCODING, 0, 0, NULL, &name, buffer, &len, &headers, &count);
    ok_u(ret, ERROR_SUCCESS);
    if (!ret) ok(!strcmp(headers[0].pszName, "X-Uni") && !strcmp(headers[0].pszValue, "caf\xc3\xa9"),
                 "got %s: %s\n", headers[0].pszName, headers[0].pszValue);
    WinHttpCloseHandle(req);
}

/* The documentation lists what the Ex query refuses. */
static void test_query_ex_refused(void)
{
    static const DWORD refused[] =
    {
        WINHTTP_QUERY_VERSION, WINHTTP_QUERY_STATUS_CODE, WINHTTP_QUERY_STATUS_TEXT, WINHTTP_QUERY_RAW_HEADERS_CRLF,
        WINHTTP_QUERY_CONTENT_LENGTH | WINHTTP_QUERY_FLAG_NUMBER, WINHTTP_QUERY_CONTENT_LENGTH | WINHTTP_QUERY_FLAG_NUMBER64,
        WINHTTP_QUERY_DATE | WINHTTP_QUERY_FLAG_SYSTEMTIME,
    };
    HINTERNET req = open_request();
    WINHTTP_EXTENDED_HEADER *headers;
    WINHTTP_HEADER_NAME name;
    DWORD len, count, ret;
    char buffer[256];
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(refused); i++)
    {
        len = sizeof(buffer);
        ret = WinHttpQueryHeadersEx(req, refused[i] | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, NULL, NULL, buffer, &len,
                                    &headers, &count);
        ok(ret == ERROR_INVALID_PARAMETER, "level %#lx: %lu\n", refused[i], ret);
    }
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, NULL, NULL,
                                buffer, &len, &headers, &count);
    ok_u(ret, ERROR_INVALID_PARAMETER);
    name.pwszName = L"Missing";
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, 0, 0, NULL, &name,
                                buffer, &len, &headers, &count);
    ok_u(ret, ERROR_WINHTTP_HEADER_NOT_FOUND);
    /* Response headers before a response. */
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_EX_ALL_HEADERS, 0, 0, NULL, NULL, buffer, &len, &headers, &count);
    ok_u(ret, ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ret = WinHttpQueryHeadersEx(session, WINHTTP_QUERY_EX_ALL_HEADERS, 0, 0, NULL, NULL, buffer, &len, &headers, &count);
    ok_u(ret, ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    WinHttpCloseHandle(req);
}

/* ------------------------------------------------------------------ */
/* response headers, from a loopback server                            */

struct server
{
    SOCKET listener;
    INTERNET_PORT port;
    const char *response;
    char request[4096];
    HANDLE thread;
};

static DWORD WINAPI server_thread(void *arg)
{
    struct server *server = arg;
    SOCKET s = accept(server->listener, NULL, NULL);
    int n, total = 0;

    if (s == INVALID_SOCKET) return 1;
    while ((n = recv(s, server->request + total, sizeof(server->request) - 1 - total, 0)) > 0)
    {
        total += n;
        server->request[total] = 0;
        if (strstr(server->request, "\r\n\r\n")) break;
    }
    send(s, server->response, (int)strlen(server->response), 0);
    shutdown(s, 1 /* SD_SEND */);
    closesocket(s);
    return 0;
}

static BOOL server_start(struct server *server, const char *response)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr);

    memset(server, 0, sizeof(*server));
    server->response = response;
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if ((server->listener = socket(AF_INET, SOCK_STREAM, 0)) == INVALID_SOCKET) return FALSE;
    if (bind(server->listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(server->listener, 1) ||
        getsockname(server->listener, (struct sockaddr *)&addr, &len))
        return FALSE;
    server->port = ntohs(addr.sin_port);
    server->thread = CreateThread(NULL, 0, server_thread, server, 0, NULL);
    return server->thread != NULL;
}

static void server_stop(struct server *server)
{
    closesocket(server->listener);
    WaitForSingleObject(server->thread, 5000);
    CloseHandle(server->thread);
}

/* Send a GET to the server and wait for the response head. */
static HINTERNET fetch(struct server *server, const char *response, const WCHAR *extra_headers)
{
    HINTERNET con, req;
    BOOL ret;

    if (!server_start(server, response))
    {
        skip("no loopback server\n");
        return NULL;
    }
    con = WinHttpConnect(session, L"127.0.0.1", server->port, 0);
    req = WinHttpOpenRequest(con, L"GET", L"/a/b", NULL, NULL, NULL, 0);
    WinHttpCloseHandle(con);
    if (extra_headers) ok_add(req, extra_headers, WINHTTP_ADDREQ_FLAG_ADD);
    ret = WinHttpSendRequest(req, NULL, 0, NULL, 0, 0, 0) && WinHttpReceiveResponse(req, NULL);
    if (!ret)
    {
        skip("the request failed (%lu): no HTTP engine yet?\n", GetLastError());
        WinHttpCloseHandle(req);
        server_stop(server);
        return NULL;
    }
    return req;
}

static const WCHAR *response_value(HINTERNET req, DWORD level, const WCHAR *name, DWORD *index)
{
    static WCHAR buf[1024];
    DWORD len = sizeof(buf);

    if (!WinHttpQueryHeaders(req, level, name, buf, &len, index)) return NULL;
    return buf;
}

static const char response1[] =
    "HTTP/1.1 200 OK Fine\r\n"
    "Content-Type: text/plain\r\n"
    "X-Dup: one\r\n"
    "x-dup:   two  \r\n"
    "X-Latin: caf\xe9\r\n"
    "X-Utf8: caf\xc3\xa9\r\n"
    "X-Empty:\r\n"
    "Set-Cookie: a=1; Path=/\r\n"
    "Set-Cookie: b=2\r\n"
    "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";

static void test_response_headers(void)
{
    struct server server;
    WCHAR buf[1024];
    HINTERNET req;
    DWORD len, index, number;
    SYSTEMTIME st;

    if (!(req = fetch(&server, response1, L"X-Mine: 1"))) return;

    /* The status line parts. */
    len = 0;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_STATUS_CODE, NULL, NULL, &len, NULL), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 8);
    ok_wstr(response_value(req, WINHTTP_QUERY_STATUS_CODE, NULL, NULL), L"200");
    ok_wstr(response_value(req, WINHTTP_QUERY_STATUS_TEXT, NULL, NULL), L"OK Fine");
    ok_wstr(response_value(req, WINHTTP_QUERY_VERSION, NULL, NULL), L"HTTP/1.1");
    ok_wstr(response_value(req, WINHTTP_QUERY_REQUEST_METHOD, NULL, NULL), L"GET");
    number = 0;
    len = sizeof(number);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, NULL, &number, &len, NULL),
       "status number failed: %lu\n", GetLastError());
    ok_u(number, 200);
    ok_u(len, sizeof(DWORD));

    /* Values: whitespace around them is not part of them; bytes are
     * ISO-8859-1 (UTF-8 is not decoded). */
    index = 0;
    ok_wstr(response_value(req, WINHTTP_QUERY_CUSTOM, L"X-DUP", &index), L"one");
    ok_u(index, 1);
    ok_wstr(response_value(req, WINHTTP_QUERY_CUSTOM, L"X-DUP", &index), L"two");
    ok_u(index, 2);
    ok(!response_value(req, WINHTTP_QUERY_CUSTOM, L"X-DUP", &index), "a third X-Dup\n");
    ok_wstr(response_value(req, WINHTTP_QUERY_CUSTOM, L"X-Latin", NULL), L"caf\x00e9");
    ok_wstr(response_value(req, WINHTTP_QUERY_CUSTOM, L"X-Utf8", NULL), L"caf\x00c3\x00a9");
    ok_wstr(response_value(req, WINHTTP_QUERY_CUSTOM, L"X-Empty", NULL), L"");
    ok_wstr(response_value(req, WINHTTP_QUERY_CONTENT_TYPE, NULL, NULL), L"text/plain");
    index = 1;
    ok_wstr(response_value(req, WINHTTP_QUERY_SET_COOKIE, NULL, &index), L"b=2");
    len = sizeof(st);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_DATE | WINHTTP_QUERY_FLAG_SYSTEMTIME, NULL, &st, &len, NULL),
       "date failed: %lu\n", GetLastError());
    ok(st.wYear == 1994 && st.wMonth == 11 && st.wDay == 6, "date %u-%u-%u\n", st.wYear, st.wMonth, st.wDay);
    number = 0;
    len = sizeof(number);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_CONTENT_LENGTH | WINHTTP_QUERY_FLAG_NUMBER, NULL, &number, &len, NULL),
       "content length failed: %lu\n", GetLastError());
    ok_u(number, 5);

    /* Request headers are not response headers and the other way round. */
    ok(!response_value(req, WINHTTP_QUERY_CUSTOM, L"X-Mine", NULL), "X-Mine among the response headers\n");
    ok_wstr(response_value(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"X-Mine", NULL), L"1");
    ok(!response_value(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"X-Latin", NULL),
       "X-Latin among the request headers\n");

    /* Headers can still be added after the response (builtin). */
    ok_add(req, L"X-Late: 1", WINHTTP_ADDREQ_FLAG_ADD);
    ok_wstr(response_value(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, L"X-Late", NULL), L"1");

    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS_CRLF, NULL, buf, &len, NULL), "raw failed: %lu\n",
       GetLastError());
    {
        static const WCHAR start[] = L"HTTP/1.1 200 OK Fine\r\nContent-Type: text/plain\r\nX-Dup: one\r\n";
        ok(!wcsncmp(buf, start, ARRAYSIZE(start) - 1), "raw %ls\n", buf);
    }
    ok(len >= 4 && !wcscmp(buf + len / 2 - 4, L"\r\n\r\n"), "raw headers end %ls\n", buf);
    ok_u(len, wcslen(buf) * sizeof(WCHAR));

    WinHttpCloseHandle(req);
    server_stop(&server);
}

/* RAW_HEADERS: one NUL-terminated line each, an extra NUL at the end. */
static void test_response_raw_headers(void)
{
    static const char response[] = "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    static const WCHAR expect_crlf[] = L"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    static const WCHAR expect_raw[] = L"HTTP/1.0 404 Not Found\0Content-Length: 0\0";
    struct server server;
    WCHAR buf[256];
    HINTERNET req;
    DWORD len;

    if (!(req = fetch(&server, response, NULL))) return;
    len = 0;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS_CRLF, NULL, NULL, &len, NULL), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, sizeof(expect_crlf));
    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS_CRLF, NULL, buf, &len, NULL), "failed: %lu\n", GetLastError());
    ok_wstr(buf, expect_crlf);
    ok_u(len, sizeof(expect_crlf) - sizeof(WCHAR));
    len = 0;
    ok_err(WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS, NULL, NULL, &len, NULL), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, sizeof(expect_raw));
    len = sizeof(buf);
    ok(WinHttpQueryHeaders(req, WINHTTP_QUERY_RAW_HEADERS, NULL, buf, &len, NULL), "failed: %lu\n", GetLastError());
    ok_u(len, sizeof(expect_raw) - sizeof(WCHAR));
    ok(!memcmp(buf, expect_raw, sizeof(expect_raw)), "raw %ls\n", buf);
    ok_wstr(response_value(req, WINHTTP_QUERY_STATUS_TEXT, NULL, NULL), L"Not Found");
    ok_wstr(response_value(req, WINHTTP_QUERY_VERSION, NULL, NULL), L"HTTP/1.0");
    WinHttpCloseHandle(req);
    server_stop(&server);
}

/* An obs-folded value reads as one line with a space (RFC 9112 §5.2);
 * builtin loses the rest of the head here. */
static void test_response_folded_header(void)
{
    static const char response[] = "HTTP/1.1 200 OK\r\nX-Fold: a\r\n  b\r\nX-After: c\r\nContent-Length: 0\r\n\r\n";
    struct server server;
    HINTERNET req;

    if (!(req = fetch(&server, response, NULL))) return;
    ok_wstr(response_value(req, WINHTTP_QUERY_CUSTOM, L"X-Fold", NULL), L"a b");
    ok_wstr(response_value(req, WINHTTP_QUERY_CUSTOM, L"X-After", NULL), L"c");
    WinHttpCloseHandle(req);
    server_stop(&server);
}

static void test_response_query_ex(void)
{
    WINHTTP_EXTENDED_HEADER *headers;
    WINHTTP_HEADER_NAME name;
    struct server server;
    DWORD len, count, ret;
    char buffer[2048];
    HINTERNET req;

    if (!(req = fetch(&server, response1, NULL))) return;
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_EX_ALL_HEADERS, 0, 0, NULL, NULL, buffer, &len, &headers, &count);
    ok_u(ret, ERROR_SUCCESS);
    ok_u(count, 10);
    if (!ret && count == 10)
    {
        ok_wstr(headers[0].pwszName, L"Content-Type");
        ok_wstr(headers[0].pwszValue, L"text/plain");
        ok_wstr(headers[2].pwszName, L"x-dup");
        ok_wstr(headers[2].pwszValue, L"two");
    }
    /* The code page decodes the bytes: UTF-8 here. */
    name.pwszName = L"X-Utf8";
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_CUSTOM, 0, CP_UTF8, NULL, &name, buffer, &len, &headers, &count);
    ok_u(ret, ERROR_SUCCESS);
    if (!ret) ok_wstr(headers[0].pwszValue, L"caf\x00e9");
    /* Wire encoding: the bytes as received. */
    name.pszName = "X-Latin";
    len = sizeof(buffer);
    ret = WinHttpQueryHeadersEx(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_WIRE_ENCODING, 0, 0, NULL, &name, buffer,
                                &len, &headers, &count);
    ok_u(ret, ERROR_SUCCESS);
    if (!ret) ok(!strcmp(headers[0].pszValue, "caf\xe9"), "got %s\n", headers[0].pszValue);
    WinHttpCloseHandle(req);
    server_stop(&server);
}

int main(void)
{
    WSADATA wsa;

    WSAStartup(MAKEWORD(2, 2), &wsa);
    builtin = is_builtin();
    session = WinHttpOpen(L"headers-test", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    connection = WinHttpConnect(session, L"example.com", 8080, 0);
    ok(session && connection, "cannot open session/connection: %lu\n", GetLastError());

    run_test("add_handles", test_add_handles);
    run_test("add_empty_arguments", test_add_empty_arguments);
    run_test("add_malformed", test_add_malformed);
    run_test("add_malformed_line_adds_nothing", test_add_malformed_line_adds_nothing);
    run_test("add_bare_cr_lf_split", test_add_bare_cr_lf_split);
    run_test("add_injection_refused", test_add_injection_refused);
    run_test("add_length_with_terminator", test_add_length_with_terminator);
    run_test("add_length_shorter_than_text", test_add_length_shorter_than_text);
    run_test("add_several_lines", test_add_several_lines);
    run_test("add_value_whitespace", test_add_value_whitespace);
    run_test("add_non_ascii_value", test_add_non_ascii_value);
    run_test("add_default_and_add", test_add_default_and_add);
    run_test("add_if_new", test_add_if_new);
    run_test("add_stops_at_refused_line", test_add_stops_at_refused_line);
    run_test("add_coalesce", test_add_coalesce);
    run_test("add_coalesce_first_of_several", test_add_coalesce_first_of_several);
    run_test("add_replace", test_add_replace);
    run_test("add_replace_or_add", test_add_replace_or_add);
    run_test("query_request_raw", test_query_request_raw);
    run_test("query_request_pseudo_levels", test_query_request_pseudo_levels);
    run_test("query_every_level", test_query_every_level);
    run_test("query_custom_index", test_query_custom_index);
    run_test("query_buffer_sizes", test_query_buffer_sizes);
    run_test("query_number", test_query_number);
    run_test("query_systemtime", test_query_systemtime);
    run_test("query_invalid_levels", test_query_invalid_levels);
    run_test("query_response_before_response", test_query_response_before_response);
    run_test("query_handles", test_query_handles);
    if (builtin)
        skip("builtin has no WinHttpAddRequestHeadersEx / WinHttpQueryHeadersEx\n");
    else
    {
        run_test("add_ex", test_add_ex);
        run_test("add_ex_all_or_nothing", test_add_ex_all_or_nothing);
        run_test("query_ex_all_request_headers", test_query_ex_all_request_headers);
        run_test("query_ex_no_headers", test_query_ex_no_headers);
        run_test("query_ex_single_header", test_query_ex_single_header);
        run_test("query_ex_refused", test_query_ex_refused);
    }
    run_test("response_headers", test_response_headers);
    run_test("response_raw_headers", test_response_raw_headers);
    if (builtin) skip("builtin loses the head at an obs-fold\n");
    else run_test("response_folded_header", test_response_folded_header);
    if (!builtin) run_test("response_query_ex", test_response_query_ex);

    WinHttpCloseHandle(connection);
    WinHttpCloseHandle(session);
    WSACleanup();
    return test_summary();
}
