/*
 * The synchronous HTTP/1.1 engine against real peers on loopback: nginx,
 * squid and the scripted server of tests/peers (started by tools/testenv).
 * Each function checks one documented behaviour: what goes on the wire, how
 * responses are framed and read, redirects, keep-alive, cookies,
 * decompression, proxies, and the errors hostile servers end in.
 */
#include <winsock2.h>
#include "test.h"
#include <winhttp.h>
#include "h2mode.h"

static int nginx_port, scripted_port, squid_port, closed_port;

static int env_port(const char *name)
{
    char buf[16];
    if (!GetEnvironmentVariableA(name, buf, sizeof(buf))) return 0;
    return atoi(buf);
}

struct response
{
    DWORD error;        /* 0, or the error of the call that failed */
    const char *failed; /* which call failed */
    DWORD status;
    char *body;
    DWORD len;
};

static void response_free(struct response *r)
{
    free(r->body);
    memset(r, 0, sizeof(*r));
}

/* Read the whole body with WinHttpQueryDataAvailable + WinHttpReadData. */
static void read_body(HINTERNET request, struct response *r)
{
    DWORD avail, n;

    r->body = malloc(1);
    r->len = 0;
    for (;;)
    {
        if (!WinHttpQueryDataAvailable(request, &avail))
        {
            r->error = GetLastError();
            r->failed = "WinHttpQueryDataAvailable";
            return;
        }
        if (!avail) break;
        r->body = realloc(r->body, r->len + avail + 1);
        if (!WinHttpReadData(request, r->body + r->len, avail, &n))
        {
            r->error = GetLastError();
            r->failed = "WinHttpReadData";
            return;
        }
        if (!n) break;
        r->len += n;
    }
    r->body[r->len] = 0;
}

static DWORD status_of(HINTERNET request)
{
    DWORD status = 0, size = sizeof(status);
    WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, NULL, &status, &size, NULL);
    return status;
}

/* Send, receive and read; the request handle is returned open in *out if
 * out is given, for further queries. */
static void exchange(HINTERNET request, const WCHAR *headers, const void *data, DWORD len, struct response *r)
{
    memset(r, 0, sizeof(*r));
    if (!WinHttpSendRequest(request, headers, headers ? (DWORD)-1 : 0, (void *)data, len, len, 0))
    {
        r->error = GetLastError();
        r->failed = "WinHttpSendRequest";
        return;
    }
    if (!WinHttpReceiveResponse(request, NULL))
    {
        r->error = GetLastError();
        r->failed = "WinHttpReceiveResponse";
        return;
    }
    r->status = status_of(request);
    read_body(request, r);
}

static HINTERNET open_session(void)
{
    HINTERNET s = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    ok(s != NULL, "WinHttpOpen failed: %lu\n", GetLastError());
    return s;
}

/* One whole GET/POST on a fresh connect handle. */
static void fetch(HINTERNET session, int port, const WCHAR *verb, const WCHAR *path, const WCHAR *headers,
                  const void *data, DWORD len, struct response *r)
{
    HINTERNET connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)port, 0);
    HINTERNET request = WinHttpOpenRequest(connect, verb, path, NULL, NULL, NULL, 0);
    ok(request != NULL, "WinHttpOpenRequest failed: %lu\n", GetLastError());
    exchange(request, headers, data, len, r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
}

static int starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

#define ok_response(r, expect_status) \
    ok(!(r)->error && (r)->status == (expect_status), "expected status %u, got %lu (error %lu in %s)\n", \
       (unsigned)(expect_status), (r)->status, (r)->error, (r)->failed ? (r)->failed : "-")

/* ------------------------------------------------------------------ */

static void test_get_static(void)
{
    HINTERNET session = open_session(), connect, request;
    WCHAR buf[256];
    DWORD size, len = 0;
    struct response r;

    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)nginx_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/static/small.txt", NULL, NULL, NULL, 0);
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.len == 15 && !memcmp(r.body, "hello, winhttp\n", 15), "body %lu bytes \"%s\"\n", r.len, r.body);

    size = sizeof(len);
    ok(WinHttpQueryHeaders(request, WINHTTP_QUERY_CONTENT_LENGTH | WINHTTP_QUERY_FLAG_NUMBER, NULL, &len, &size, NULL),
       "Content-Length query failed %lu\n", GetLastError());
    ok_u(len, 15);
    size = sizeof(buf);
    ok(WinHttpQueryHeaders(request, WINHTTP_QUERY_VERSION, NULL, buf, &size, NULL), "version query %lu\n", GetLastError());
    ok_wstr(buf, h2mode ? L"HTTP/2" : L"HTTP/1.1");
    size = sizeof(buf);
    ok(WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_TEXT, NULL, buf, &size, NULL), "status text %lu\n", GetLastError());
    /* h2 has no reason phrase (RFC 9113 8.3.2). */
    ok_wstr(buf, h2mode ? L"" : L"OK");
    /* After the end of the body, reads return 0 bytes and succeed. */
    size = 1;
    ok(WinHttpReadData(request, buf, sizeof(buf), &size) && !size, "read after end: size %lu error %lu\n", size,
       GetLastError());
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* What WinHTTP puts on the wire: the scripted server echoes the raw head. */
static void test_request_head_on_the_wire(void)
{
    static const WCHAR *types[] = { L"text/html", L"application/xml", NULL };
    HINTERNET session = open_session(), connect, request;
    struct response r;
    char host[64];

    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, L"GET", L"/echo/head?x=1", NULL, L"http://referrer.example/", types, 0);
    ok(WinHttpAddRequestHeaders(request, L"X-Custom: one", (DWORD)-1, WINHTTP_ADDREQ_FLAG_ADD),
       "AddRequestHeaders failed %lu\n", GetLastError());
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    if (r.body)
    {
        trace("request head:\n%s", r.body);
        ok(starts_with(r.body, "GET /echo/head?x=1 HTTP/1.1\r\n"), "request line: %.40s\n", r.body);
        snprintf(host, sizeof(host), "\r\nHost: 127.0.0.1:%d\r\n", scripted_port);
        ok(strstr(r.body, host) != NULL, "no %s", host + 2);
        ok(strstr(r.body, "\r\nUser-Agent: winhttp-tests\r\n") != NULL, "no User-Agent\n");
        ok(strstr(r.body, "\r\nAccept: text/html, application/xml\r\n") != NULL, "no Accept\n");
        ok(strstr(r.body, "\r\nReferer: http://referrer.example/\r\n") != NULL, "no Referer\n");
        ok(strstr(r.body, "\r\nConnection: Keep-Alive\r\n") != NULL, "no Connection: Keep-Alive\n");
        ok(strstr(r.body, "\r\nX-Custom: one\r\n") != NULL, "no X-Custom\n");
        ok(strstr(r.body, "Content-Length") == NULL, "GET without body sent a Content-Length\n");
        ok(strstr(r.body, "Accept-Encoding") == NULL, "Accept-Encoding sent without decompression\n");
        ok(strstr(r.body, "\r\n\r\n") != NULL, "head not terminated\n");
    }
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* Windows sends a relative object name with its leading '/', and reads
 * headers given to WinHttpSendRequest with length 0 up to their NUL. */
static void test_relative_object_and_zero_length_headers(void)
{
    HINTERNET session = open_session(), connect, request;
    struct response r;
    WCHAR url[128];
    DWORD len = sizeof(url);

    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"echo/rel", NULL, NULL, NULL, 0);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_URL, url, &len) && wcsstr(url, L"/echo/rel"),
       "URL %ls\n", url);
    ok(WinHttpSendRequest(request, L"X-Zero-Length: yes", 0, NULL, 0, 0, 0) && WinHttpReceiveResponse(request, NULL),
       "request failed %lu\n", GetLastError());
    memset(&r, 0, sizeof(r));
    read_body(request, &r);
    if (r.body)
    {
        ok(starts_with(r.body, "GET /echo/rel HTTP/1.1\r\n"), "request line: %.40s\n", r.body);
        ok(strstr(r.body, "\r\nX-Zero-Length: yes\r\n") != NULL, "headers with length 0 not sent\n");
    }
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_path_escaping(void)
{
    HINTERNET session = open_session(), connect, request;
    struct response r;

    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/echo/a b\x00e9?q=c d", NULL, NULL, NULL, 0);
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    if (r.body) ok(starts_with(r.body, "GET /echo/a%20b%C3%A9?q=c%20d HTTP/1.1\r\n"), "escaped line: %.50s\n", r.body);
    response_free(&r);
    WinHttpCloseHandle(request);

    /* '|' is unsafe: escaped in the path, left alone in the query with ESCAPE_DISABLE_QUERY. */
    request = WinHttpOpenRequest(connect, NULL, L"/echo/a%41|?q=c|d", NULL, NULL, NULL, WINHTTP_FLAG_ESCAPE_DISABLE_QUERY);
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    if (r.body) ok(starts_with(r.body, "GET /echo/a%41%7C?q=c|d HTTP/1.1\r\n"), "ESCAPE_DISABLE_QUERY line: %.50s\n", r.body);
    response_free(&r);
    WinHttpCloseHandle(request);

    /* ESCAPE_PERCENT escapes '%' too. */
    request = WinHttpOpenRequest(connect, NULL, L"/echo/a%41", NULL, NULL, NULL, WINHTTP_FLAG_ESCAPE_PERCENT);
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    if (r.body) ok(starts_with(r.body, "GET /echo/a%2541 HTTP/1.1\r\n"), "ESCAPE_PERCENT line: %.50s\n", r.body);
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_post_with_body(void)
{
    HINTERNET session = open_session();
    struct response r;

    fetch(session, scripted_port, L"POST", L"/echo/post", L"Content-Type: text/plain", "abcde", 5, &r);
    ok_response(&r, 200);
    if (r.body)
    {
        ok(strstr(r.body, "\r\nContent-Length: 5\r\n") != NULL, "no Content-Length: 5\n");
        ok(strstr(r.body, "\r\nContent-Type: text/plain\r\n") != NULL, "no Content-Type\n");
        ok(r.len >= 5 && !memcmp(r.body + r.len - 5, "abcde", 5), "body not echoed: %s\n", r.body);
    }
    response_free(&r);

    /* A POST without a body still says how long its body is. */
    fetch(session, scripted_port, L"POST", L"/echo/empty", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    if (r.body) ok(strstr(r.body, "\r\nContent-Length: 0\r\n") != NULL, "empty POST without Content-Length: 0\n");
    response_free(&r);
    WinHttpCloseHandle(session);
}

static void test_write_data_streaming(void)
{
    HINTERNET session = open_session(), connect, request;
    DWORD written = 0;
    struct response r;

    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, L"PUT", L"/echo/put", NULL, NULL, NULL, 0);
    ok(WinHttpSendRequest(request, NULL, 0, "12345", 5, 12, 0), "SendRequest failed %lu\n", GetLastError());
    /* Receiving before the announced body is complete is a state error. */
    ok(WinHttpWriteData(request, "6789", 4, &written) && written == 4, "WriteData failed %lu\n", GetLastError());
    ok(WinHttpWriteData(request, "abc", 3, &written) && written == 3, "WriteData failed %lu\n", GetLastError());
    memset(&r, 0, sizeof(r));
    ok(WinHttpReceiveResponse(request, NULL), "ReceiveResponse failed %lu\n", GetLastError());
    r.status = status_of(request);
    read_body(request, &r);
    ok_response(&r, 200);
    if (r.body)
    {
        ok(strstr(r.body, "\r\nContent-Length: 12\r\n") != NULL, "no Content-Length: 12\n");
        ok(r.len >= 12 && !memcmp(r.body + r.len - 12, "123456789abc", 12), "streamed body wrong: %s\n", r.body);
    }
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* WINHTTP_OPTION_CONNECTION_INFO: the addresses of the connection used. */
static void test_connection_info(void)
{
    HINTERNET session = open_session(), connect, request;
    BYTE info[8 + 256];
    DWORD size = sizeof(info);
    struct response r;
    USHORT family, port;

    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)nginx_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/static/small.txt", NULL, NULL, NULL, 0);
    ok_err(WinHttpQueryOption(request, WINHTTP_OPTION_CONNECTION_INFO, info, &size), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    size = sizeof(info);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_CONNECTION_INFO, info, &size), "CONNECTION_INFO %lu\n", GetLastError());
    ok_u(*(DWORD *)info, 8 + 256);
    memcpy(&family, info + 8 + 128, 2);
    memcpy(&port, info + 8 + 128 + 2, 2);
    ok_u(family, AF_INET);
    ok_u(ntohs(port), nginx_port);
    memcpy(&family, info + 8, 2);
    ok_u(family, AF_INET);
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_state_errors(void)
{
    HINTERNET session = open_session(), connect, request;
    DWORD n;
    char buf[16];

    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/echo/x", NULL, NULL, NULL, 0);
    ok_err(WinHttpReceiveResponse(request, NULL), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_err(WinHttpQueryDataAvailable(request, &n), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_err(WinHttpReadData(request, buf, sizeof(buf), &n), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_err(WinHttpWriteData(request, buf, 1, &n), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_err(WinHttpSendRequest(connect, NULL, 0, NULL, 0, 0, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpReceiveResponse(session, NULL), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* WinHttpQueryDataAvailable reports a chunked body a chunk at a time, as
 * Windows does (Wine's test_chunked_read reads what it reports and expects
 * each piece to end where a chunk ends). */
static void test_chunked_available_per_chunk(void)
{
    HINTERNET session = open_session(), connect, request;
    DWORD avail, n, total = 0, pieces = 0, wrong = 0;
    char buf[2048];

    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/bytes?n=7770&chunked=1&chunk=777", NULL, NULL, NULL, 0);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) && WinHttpReceiveResponse(request, NULL),
       "request failed %lu\n", GetLastError());
    Sleep(200);     /* every chunk has arrived: still one at a time */
    while (WinHttpQueryDataAvailable(request, &avail) && avail)
    {
        if (avail != 777) wrong++;
        ok(WinHttpReadData(request, buf, avail, &n) && n == avail, "read %lu of %lu\n", n, avail);
        total += n;
        pieces++;
    }
    ok_u(total, 7770);
    ok_u(pieces, 10);
    ok_u(wrong, 0);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_chunked_and_close_delimited(void)
{
    HINTERNET session = open_session();
    struct response r;

    fetch(session, scripted_port, NULL, L"/raw/chunked-ext-trailers", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.len > 0, "chunked body empty\n");
    response_free(&r);

    fetch(session, scripted_port, NULL, L"/bytes?n=100000&chunked=1&chunk=777", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok_u(r.len, 100000);
    response_free(&r);

    fetch(session, scripted_port, NULL, L"/raw/http10-close", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.len > 0, "HTTP/1.0 close-delimited body empty\n");
    response_free(&r);

    fetch(session, scripted_port, NULL, L"/bytes?n=300000&close=1", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok_u(r.len, 300000);
    response_free(&r);
    WinHttpCloseHandle(session);
}

static void test_no_body_responses(void)
{
    HINTERNET session = open_session();
    struct response r;

    fetch(session, nginx_port, L"HEAD", L"/static/small.txt", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok_u(r.len, 0);
    response_free(&r);

    fetch(session, scripted_port, NULL, L"/raw/304", NULL, NULL, 0, &r);
    ok_response(&r, 304);
    ok_u(r.len, 0);
    response_free(&r);

    fetch(session, scripted_port, NULL, L"/status/204", NULL, NULL, 0, &r);
    ok_response(&r, 204);
    ok_u(r.len, 0);
    response_free(&r);

    fetch(session, scripted_port, NULL, L"/raw/100-continue", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok_u(r.len, 15);
    response_free(&r);
    WinHttpCloseHandle(session);
}

/* WinHttpReadDataEx with WINHTTP_READ_DATA_EX_FLAG_FILL_BUFFER fills the
 * buffer unless the body ends first; plain reads may return less. */
static void test_read_data_ex_fill(void)
{
    HINTERNET session = open_session(), connect, request;
    static char buf[300000];
    DWORD n = 0, total = 0, ret, i, bad = 0;

    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/bytes?n=500000&chunked=1&chunk=1000", NULL, NULL, NULL, 0);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) && WinHttpReceiveResponse(request, NULL), "request %lu\n",
       GetLastError());
    ret = WinHttpReadDataEx(request, buf, sizeof(buf), &n, WINHTTP_READ_DATA_EX_FLAG_FILL_BUFFER, 0, NULL);
    ok(!ret && n == sizeof(buf), "first fill: error %lu, %lu bytes\n", ret, n);
    total = n;
    ret = WinHttpReadDataEx(request, buf + 0, sizeof(buf), &n, WINHTTP_READ_DATA_EX_FLAG_FILL_BUFFER, 0, NULL);
    ok(!ret && n == 500000 - sizeof(buf), "second fill ends with the body: error %lu, %lu bytes\n", ret, n);
    for (i = 0; i < n; i++) if ((BYTE)buf[i] != (total + i) % 251) bad++;
    ok(!bad, "%lu bytes differ\n", bad);
    ret = WinHttpReadDataEx(request, buf, sizeof(buf), &n, WINHTTP_READ_DATA_EX_FLAG_FILL_BUFFER, 0, NULL);
    ok(!ret && !n, "after the end: error %lu, %lu bytes\n", ret, n);
    ok(WinHttpReadDataEx(request, buf, 1, &n, 0, 1, buf) == ERROR_INVALID_PARAMETER, "property accepted\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_large_body_integrity(void)
{
    HINTERNET session = open_session();
    struct response r;
    DWORD i, bad = 0;

    /* The peers' pattern files: the byte at offset i is i % 251. */
    fetch(session, nginx_port, NULL, L"/static/pattern-1m.bin", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok_u(r.len, 1024 * 1024);
    for (i = 0; i < r.len; i++) if ((BYTE)r.body[i] != i % 251) bad++;
    ok(!bad, "%lu bytes differ from the pattern\n", bad);
    response_free(&r);

    fetch(session, scripted_port, NULL, L"/bytes?n=2000000", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok_u(r.len, 2000000);
    for (i = 0; i < r.len; i++) if ((BYTE)r.body[i] != i % 251) bad++;
    ok(!bad, "%lu bytes differ from the pattern\n", bad);
    response_free(&r);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* redirects                                                           */

static void test_redirects(void)
{
    static const WCHAR *paths[] = { L"/redirect/301", L"/redirect/302", L"/redirect/303", L"/redirect/307",
                                    L"/redirect/308" };
    HINTERNET session = open_session(), connect, request;
    struct response r;
    WCHAR url[256];
    DWORD size, value, i;

    for (i = 0; i < ARRAYSIZE(paths); i++)
    {
        fetch(session, nginx_port, NULL, paths[i], NULL, NULL, 0, &r);
        ok_response(&r, 200);
        ok(r.len == 15 && !memcmp(r.body, "hello, winhttp\n", 15), "%ls: redirected body \"%s\"\n", paths[i], r.body);
        response_free(&r);
    }

    /* After a redirect, WINHTTP_OPTION_URL is the new location. */
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)nginx_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/redirect/302", NULL, NULL, NULL, 0);
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    size = sizeof(url);
    if (WinHttpQueryOption(request, WINHTTP_OPTION_URL, url, &size))
        ok(wcsstr(url, L"/static/small.txt") != NULL, "URL after redirect %ls\n", url);
    response_free(&r);
    WinHttpCloseHandle(request);

    /* WINHTTP_DISABLE_REDIRECTS: the 3xx is the response. */
    request = WinHttpOpenRequest(connect, NULL, L"/redirect/302", NULL, NULL, NULL, 0);
    value = WINHTTP_DISABLE_REDIRECTS;
    ok(WinHttpSetOption(request, WINHTTP_OPTION_DISABLE_FEATURE, &value, sizeof(value)), "disable redirects %lu\n",
       GetLastError());
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 302);
    response_free(&r);
    WinHttpCloseHandle(request);

    /* WINHTTP_OPTION_REDIRECT_POLICY_NEVER likewise. */
    request = WinHttpOpenRequest(connect, NULL, L"/redirect/301", NULL, NULL, NULL, 0);
    value = WINHTTP_OPTION_REDIRECT_POLICY_NEVER;
    ok(WinHttpSetOption(request, WINHTTP_OPTION_REDIRECT_POLICY, &value, sizeof(value)), "policy %lu\n", GetLastError());
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 301);
    response_free(&r);
    WinHttpCloseHandle(request);

    /* A loop ends in ERROR_WINHTTP_REDIRECT_FAILED after the maximum. */
    request = WinHttpOpenRequest(connect, NULL, L"/redirect/loop", NULL, NULL, NULL, 0);
    exchange(request, NULL, NULL, 0, &r);
    ok(r.error == ERROR_WINHTTP_REDIRECT_FAILED, "redirect loop: error %lu status %lu\n", r.error, r.status);
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);

    /* WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS: 3 hops allowed, 4 needed. */
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/redirect?status=302&hops=3", NULL, NULL, NULL, 0);
    value = 3;
    ok(WinHttpSetOption(request, WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS, &value, sizeof(value)), "max %lu\n",
       GetLastError());
    exchange(request, NULL, NULL, 0, &r);
    ok(r.error == ERROR_WINHTTP_REDIRECT_FAILED, "4 hops with max 3: error %lu status %lu\n", r.error, r.status);
    response_free(&r);
    WinHttpCloseHandle(request);
    request = WinHttpOpenRequest(connect, NULL, L"/redirect?status=302&hops=2", NULL, NULL, NULL, 0);
    ok(WinHttpSetOption(request, WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS, &value, sizeof(value)), "max %lu\n",
       GetLastError());
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* RFC 9110 15.4: POST becomes GET on 301/302/303; 307/308 keep the method
 * and the body. */
static void test_redirect_methods(void)
{
    static const struct { DWORD status; const char *method; BOOL body; } tests[] =
    {
        { 301, "GET", FALSE }, { 302, "GET", FALSE }, { 303, "GET", FALSE },
        { 307, "POST", TRUE }, { 308, "POST", TRUE },
    };
    HINTERNET session = open_session();
    struct response r;
    WCHAR path[128];
    char line[64];
    DWORD i;

    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        swprintf(path, ARRAYSIZE(path), L"/redirect?status=%lu&location=/echo/after", tests[i].status);
        fetch(session, scripted_port, L"POST", path, NULL, "data!", 5, &r);
        ok_response(&r, 200);
        snprintf(line, sizeof(line), "%s /echo/after HTTP/1.1\r\n", tests[i].method);
        ok(r.body && !strncmp(r.body, line, strlen(line)), "%lu: expected %s got %.30s\n", tests[i].status, line,
           r.body ? r.body : "");
        if (r.body)
            ok(!!strstr(r.body, "data!") == tests[i].body, "%lu: body %s\n", tests[i].status,
               tests[i].body ? "missing" : "resent");
        response_free(&r);
    }
    WinHttpCloseHandle(session);
}

/* User-added headers travel across redirects unchanged (documented). */
static void test_redirect_keeps_user_headers(void)
{
    HINTERNET session = open_session();
    struct response r;

    fetch(session, scripted_port, NULL, L"/redirect?status=302&location=/echo/after", L"X-Keep: yes", NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.body && strstr(r.body, "\r\nX-Keep: yes\r\n"), "user header lost across redirect\n");
    response_free(&r);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* connections                                                         */

static DWORD count_connections(HINTERNET session, const WCHAR *tag)
{
    WCHAR path[64];
    struct response r;
    DWORD n;

    swprintf(path, ARRAYSIZE(path), L"/count?ctag=%ls", tag);
    fetch(session, scripted_port, NULL, path, NULL, NULL, 0, &r);
    n = r.body ? strtoul(r.body, NULL, 10) : ~0u;
    response_free(&r);
    return n;
}

/* A request whose body is left unread and closed, then another on the same
 * connect handle: how many connections the server saw for tag. */
static DWORD connections_after_unread_body(HINTERNET session, const WCHAR *path, const WCHAR *tag)
{
    HINTERNET connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    HINTERNET request = WinHttpOpenRequest(connect, NULL, path, NULL, NULL, NULL, 0);
    struct response r;
    WCHAR next[64];

    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) && WinHttpReceiveResponse(request, NULL),
       "request failed %lu\n", GetLastError());
    Sleep(100);     /* let a small body arrive whole */
    WinHttpCloseHandle(request);
    swprintf(next, ARRAYSIZE(next), L"/echo/x?ctag=%ls", tag);
    request = WinHttpOpenRequest(connect, NULL, next, NULL, NULL, NULL, 0);
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    return count_connections(session, tag);
}

/* One request in a session that is then closed, one in a new session: how
 * many connections the server saw for tag. */
static DWORD connections_across_sessions(const WCHAR *path, const WCHAR *first_headers, const WCHAR *tag)
{
    HINTERNET first = open_session(), second;
    struct response r;
    DWORD n;

    fetch(first, scripted_port, NULL, path, first_headers, NULL, 0, &r);
    response_free(&r);
    WinHttpCloseHandle(first);
    second = open_session();
    fetch(second, scripted_port, NULL, path, NULL, NULL, 0, &r);
    response_free(&r);
    n = count_connections(second, tag);
    WinHttpCloseHandle(second);
    return n;
}

static void test_keep_alive_reuse(void)
{
    HINTERNET session = open_session(), other;
    struct response r;
    DWORD i;

    for (i = 0; i < 20; i++)
    {
        fetch(session, scripted_port, NULL, L"/echo/ka?ctag=ka1", NULL, NULL, 0, &r);
        ok_response(&r, 200);
        response_free(&r);
    }
    /* Counting itself goes over the pooled connection too. */
    ok_u(count_connections(session, L"ka1"), 1);

    /* A body left unread, more of it still to come than the drain limit
     * (1 MB): the connection is dropped and a new one opened. */
    ok_u(connections_after_unread_body(session, L"/bytes?n=8000000&ctag=ka2", L"ka2"), 2);

    /* A small body left unread that has all arrived: Windows drops it and
     * keeps the connection. */
    ok_u(connections_after_unread_body(session, L"/bytes?n=1000&ctag=ka5", L"ka5"), 1);

    /* A closed session's idle connection serves the next session (Windows
     * keeps it for the process), unless credentials went over it. */
    ok_u(connections_across_sessions(L"/echo/x?ctag=ka6", NULL, L"ka6"), 1);
    ok_u(connections_across_sessions(L"/echo/x?ctag=ka7", L"Authorization: Basic YWxpY2U6c2VjcmV0\r\n", L"ka7"), 2);

    /* Open sessions do not share connections. */
    for (i = 0; i < 3; i++)
    {
        fetch(session, scripted_port, NULL, L"/echo/x?ctag=ka4", NULL, NULL, 0, &r);
        response_free(&r);
    }
    other = open_session();
    fetch(other, scripted_port, NULL, L"/echo/x?ctag=ka4", NULL, NULL, 0, &r);
    response_free(&r);
    ok_u(count_connections(session, L"ka4"), 2);
    WinHttpCloseHandle(other);

    /* Connection: close from the server is honoured: the next request opens a new one. */
    fetch(session, scripted_port, NULL, L"/echo/x?ctag=ka3&close=1", NULL, NULL, 0, &r);
    response_free(&r);
    fetch(session, scripted_port, NULL, L"/echo/x?ctag=ka3", NULL, NULL, 0, &r);
    response_free(&r);
    WinHttpCloseHandle(session);
}

/* IPv6: a literal host, bracketed in the Host header as RFC 9110 7.2 says. */
static void test_ipv6(void)
{
    int port6 = env_port("WINHTTP_TEST_NGINX_PORT6");
    static const WCHAR *hosts[] = { L"::1", L"[::1]" };
    HINTERNET session, connect, request;
    struct response r;
    unsigned int i;

    if (!port6)
    {
        skip("no IPv6 loopback\n");
        return;
    }
    session = open_session();
    for (i = 0; i < ARRAYSIZE(hosts); i++)
    {
        connect = WinHttpConnect(session, hosts[i], (INTERNET_PORT)port6, 0);
        ok(connect != NULL, "%ls: connect %lu\n", hosts[i], GetLastError());
        request = WinHttpOpenRequest(connect, NULL, L"/echo/v6", NULL, NULL, NULL, 0);
        exchange(request, NULL, NULL, 0, &r);
        ok_response(&r, 200);
        if (r.body)
        {
            char host[64];
            snprintf(host, sizeof(host), "\r\nHost: [::1]:%d\r\n", port6);
            ok(strstr(r.body, host) != NULL, "%ls: no \"%s\" in\n%s\n", hosts[i], host + 2, r.body);
        }
        response_free(&r);
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(connect);
    }
    WinHttpCloseHandle(session);
}

static void test_connection_errors(void)
{
    HINTERNET session = open_session(), connect, request;
    struct response r;
    DWORD timeout;

    fetch(session, closed_port, NULL, L"/", NULL, NULL, 0, &r);
    ok(r.error == ERROR_WINHTTP_CANNOT_CONNECT, "closed port: error %lu\n", r.error);
    response_free(&r);

    /* Only where tools/run-tests made DNS fail on loopback: the lookup must
     * not reach the machine's resolver. */
    if (GetEnvironmentVariableA("WINHTTP_TEST_DNS_ISOLATED", NULL, 0))
    {
        connect = WinHttpConnect(session, L"no-such-host.invalid", 80, 0);
        request = WinHttpOpenRequest(connect, NULL, L"/", NULL, NULL, NULL, 0);
        exchange(request, NULL, NULL, 0, &r);
        ok(r.error == ERROR_WINHTTP_NAME_NOT_RESOLVED, "unresolvable host: error %lu\n", r.error);
        response_free(&r);
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(connect);
    }
    else skip("name resolution not isolated from the network\n");

    /* A server that never answers: the receive timeout ends the wait. */
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/delay?ms=5000", NULL, NULL, NULL, 0);
    ok(WinHttpSetTimeouts(request, 0, 2000, 2000, 500), "SetTimeouts %lu\n", GetLastError());
    timeout = 500;
    WinHttpSetOption(request, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT, &timeout, sizeof(timeout));
    exchange(request, NULL, NULL, 0, &r);
    ok(r.error == ERROR_WINHTTP_TIMEOUT, "timeout: error %lu\n", r.error);
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* Hostile or broken servers end in the documented errors. */
static void test_hostile_servers(void)
{
    static const struct { const WCHAR *path; DWORD error; const char *where; } tests[] =
    {
        { L"/raw/not-http", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpReceiveResponse" },
        { L"/raw/status-garbage", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpReceiveResponse" },
        { L"/raw/status-bad-code", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpReceiveResponse" },
        { L"/raw/long-header", ERROR_WINHTTP_HEADER_SIZE_OVERFLOW, "WinHttpReceiveResponse" },
        { L"/raw/many-headers", ERROR_WINHTTP_HEADER_SIZE_OVERFLOW, "WinHttpReceiveResponse" },
        { L"/raw/nul-in-header", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpReceiveResponse" },
        { L"/raw/cl-conflict", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpReceiveResponse" },
        { L"/raw/cl-negative", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpReceiveResponse" },
        { L"/raw/cl-nonnumeric", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpReceiveResponse" },
        { L"/raw/empty-reply", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpReceiveResponse" },
        { L"/raw/chunk-negative", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpQueryDataAvailable" },
        { L"/raw/chunk-nonhex", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpQueryDataAvailable" },
        { L"/raw/chunk-overflow", ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "WinHttpQueryDataAvailable" },
        { L"/raw/early-close", ERROR_WINHTTP_CONNECTION_ERROR, NULL },
        { L"/raw/chunked-truncated", ERROR_WINHTTP_CONNECTION_ERROR, NULL },
    };
    HINTERNET session = open_session();
    struct response r;
    DWORD i;

    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        fetch(session, scripted_port, NULL, tests[i].path, NULL, NULL, 0, &r);
        ok(r.error == tests[i].error, "%ls: expected error %lu, got %lu in %s\n", tests[i].path, tests[i].error,
           r.error, r.failed ? r.failed : "-");
        if (tests[i].where && r.failed)
            ok(!strcmp(r.failed, tests[i].where), "%ls: failed in %s, expected %s\n", tests[i].path, r.failed,
               tests[i].where);
        response_free(&r);
    }
    WinHttpCloseHandle(session);
}

/* Tolerated deviations still give the response. */
static void test_lenient_responses(void)
{
    static const struct { const WCHAR *path; DWORD status; } tests[] =
    {
        { L"/raw/no-reason", 200 }, { L"/raw/bare-lf", 200 }, { L"/raw/header-folding", 200 },
        { L"/raw/header-empty-value", 200 }, { L"/raw/header-control-byte", 200 }, { L"/raw/cl-duplicate-same", 200 }, { L"/raw/1xx-multiple", 200 },
    };
    HINTERNET session = open_session();
    struct response r;
    DWORD i;

    for (i = 0; i < ARRAYSIZE(tests); i++)
    {
        fetch(session, scripted_port, NULL, tests[i].path, NULL, NULL, 0, &r);
        ok(!r.error && r.status == tests[i].status, "%ls: status %lu error %lu in %s\n", tests[i].path, r.status,
           r.error, r.failed ? r.failed : "-");
        response_free(&r);
    }
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */

static void test_cookies(void)
{
    HINTERNET session = open_session(), connect, request;
    struct response r;
    DWORD value;

    fetch(session, scripted_port, NULL, L"/cookie/set?c=a%3D1%3B%20Path%3D%2F", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    response_free(&r);
    fetch(session, scripted_port, NULL, L"/cookie/echo", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.body && strstr(r.body, "a=1"), "cookie not sent back: \"%s\"\n", r.body ? r.body : "");
    response_free(&r);

    /* WINHTTP_DISABLE_COOKIES: neither stored nor sent. */
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/cookie/echo", NULL, NULL, NULL, 0);
    value = WINHTTP_DISABLE_COOKIES;
    ok(WinHttpSetOption(request, WINHTTP_OPTION_DISABLE_FEATURE, &value, sizeof(value)), "disable cookies %lu\n",
       GetLastError());
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.len == 0, "cookies sent despite WINHTTP_DISABLE_COOKIES: \"%s\"\n", r.body ? r.body : "");
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);

    /* Another session has its own jar. */
    {
        HINTERNET other = open_session();
        fetch(other, scripted_port, NULL, L"/cookie/echo", NULL, NULL, 0, &r);
        ok(r.len == 0, "cookie leaked to another session: \"%s\"\n", r.body ? r.body : "");
        response_free(&r);
        WinHttpCloseHandle(other);
    }
    WinHttpCloseHandle(session);
}

static void test_decompression(void)
{
    static const WCHAR *paths[] = { L"/raw/gzip", L"/raw/deflate", L"/raw/deflate-raw", L"/raw/gzip-chunked" };
    HINTERNET session = open_session(), connect, request;
    struct response plain, r;
    DWORD value = WINHTTP_DECOMPRESSION_FLAG_ALL, i;

    fetch(session, scripted_port, NULL, L"/raw/http11-close", NULL, NULL, 0, &plain);
    ok_response(&plain, 200);

    ok(WinHttpSetOption(session, WINHTTP_OPTION_DECOMPRESSION, &value, sizeof(value)), "decompression %lu\n",
       GetLastError());
    for (i = 0; i < ARRAYSIZE(paths); i++)
    {
        fetch(session, scripted_port, NULL, paths[i], NULL, NULL, 0, &r);
        ok_response(&r, 200);
        ok(r.len == plain.len && r.body && !memcmp(r.body, plain.body, plain.len), "%ls: decoded %lu bytes, expected %lu\n",
           paths[i], r.len, plain.len);
        response_free(&r);
    }

    /* Accept-Encoding is sent only with decompression enabled. */
    fetch(session, scripted_port, NULL, L"/echo/ae", NULL, NULL, 0, &r);
    ok(r.body && strstr(r.body, "\r\nAccept-Encoding: gzip, deflate\r\n"), "no Accept-Encoding\n");
    response_free(&r);

    /* nginx's on-the-fly gzip */
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)nginx_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/gzip/text.txt", NULL, NULL, NULL, 0);
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.len > 0 && r.body && !memchr(r.body, 0x1f, 1), "nginx gzip body not decoded (%lu bytes)\n", r.len);
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);

    fetch(session, scripted_port, NULL, L"/raw/gzip-corrupt", NULL, NULL, 0, &r);
    ok(r.error == ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "corrupt gzip: error %lu\n", r.error);
    response_free(&r);
    fetch(session, scripted_port, NULL, L"/raw/gzip-truncated", NULL, NULL, 0, &r);
    ok(r.error == ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "truncated gzip: error %lu\n", r.error);
    response_free(&r);
    response_free(&plain);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* proxies                                                             */

static void test_named_proxy(void)
{
    HINTERNET session, connect, request;
    WCHAR proxy[64];
    struct response r;

    if (!squid_port)
    {
        skip("no squid\n");
        return;
    }
    swprintf(proxy, ARRAYSIZE(proxy), L"127.0.0.1:%d", squid_port);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, WINHTTP_NO_PROXY_BYPASS, 0);
    ok(session != NULL, "open with proxy %lu\n", GetLastError());
    /* nginx sees the request coming from squid: the response is the same. */
    fetch(session, nginx_port, NULL, L"/static/small.txt", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.len == 15, "body through proxy: %lu bytes\n", r.len);
    response_free(&r);
    /* The scripted echo shows the proxy forwarded an origin-form request. */
    fetch(session, scripted_port, NULL, L"/echo/via-proxy", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.body && (strstr(r.body, "Via:") || strstr(r.body, "X-Forwarded-For:")), "request did not pass squid:\n%s\n",
       r.body ? r.body : "");
    response_free(&r);
    WinHttpCloseHandle(session);

    /* The bypass list sends matching hosts direct: the proxy is dead here. */
    swprintf(proxy, ARRAYSIZE(proxy), L"http=127.0.0.1:%d", closed_port);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, L"10.*;127.0.0.1", 0);
    fetch(session, nginx_port, NULL, L"/static/small.txt", NULL, NULL, 0, &r);
    ok_response(&r, 200);
    response_free(&r);
    WinHttpCloseHandle(session);

    /* Without a bypass entry, the dead proxy is what we try to reach. */
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, NULL, 0);
    fetch(session, nginx_port, NULL, L"/static/small.txt", NULL, NULL, 0, &r);
    ok(r.error == ERROR_WINHTTP_CANNOT_CONNECT, "dead proxy: error %lu\n", r.error);
    response_free(&r);

    /* WINHTTP_OPTION_PROXY on the request overrides the session's. */
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)nginx_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/static/small.txt", NULL, NULL, NULL, 0);
    {
        WINHTTP_PROXY_INFO info = { WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL };
        ok(WinHttpSetOption(request, WINHTTP_OPTION_PROXY, &info, sizeof(info)), "set proxy %lu\n", GetLastError());
    }
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* https through an HTTP proxy: a CONNECT tunnel, then TLS end to end. */
static void test_https_through_proxy(void)
{
    int tls_port = env_port("WINHTTP_TEST_TLS_VALID_PORT");
    HINTERNET session, connect, request;
    WCHAR proxy[64];
    struct response r;
    char log[64 * 1024] = "", needle[64];
    DWORD n = 0;
    HANDLE file;
    char path[MAX_PATH];

    if (!tls_port || !squid_port)
    {
        skip("no TLS server or no squid\n");
        return;
    }
    swprintf(proxy, ARRAYSIZE(proxy), L"127.0.0.1:%d", squid_port);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, WINHTTP_NO_PROXY_BYPASS, 0);
    connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)tls_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/static/small.txt", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.len == 15 && !memcmp(r.body, "hello, winhttp\n", 15), "body through the tunnel: %lu bytes\n", r.len);
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);

    /* squid saw a CONNECT to the TLS server, not the request itself. */
    if (GetEnvironmentVariableA("WINHTTP_TEST_SQUID_ACCESS_LOG", path + 2, sizeof(path) - 2))
    {
        path[0] = 'Z';
        path[1] = ':';
        Sleep(200);
        file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        if (file != INVALID_HANDLE_VALUE)
        {
            ReadFile(file, log, sizeof(log) - 1, &n, NULL);
            log[n] = 0;
            CloseHandle(file);
        }
        snprintf(needle, sizeof(needle), "CONNECT localhost:%d", tls_port);
        ok(strstr(log, needle) != NULL, "squid's log has no \"%s\"\n", needle);
        ok(strstr(log, "/static/small.txt") == NULL || strstr(log, "CONNECT") != NULL, "request leaked in clear\n");
    }
}

/* https through a proxy that wants Basic credentials: the 407 to our
 * CONNECT is the response; with credentials set, the tunnel opens. */
static void test_https_through_auth_proxy(void)
{
    int tls_port = env_port("WINHTTP_TEST_TLS_VALID_PORT"), proxy_port = env_port("WINHTTP_TEST_AUTH_SQUID_PORT");
    WCHAR proxy[64], user[64], password[64];
    HINTERNET session, connect, request;
    DWORD supported = 0, first = 0, target = 0;
    struct response r;

    if (!tls_port || !proxy_port || !GetEnvironmentVariableW(L"WINHTTP_TEST_AUTH_PROXY_USER", user, ARRAYSIZE(user)) ||
        !GetEnvironmentVariableW(L"WINHTTP_TEST_AUTH_PROXY_PASSWORD", password, ARRAYSIZE(password)))
    {
        skip("no TLS server or no authenticating proxy\n");
        return;
    }
    swprintf(proxy, ARRAYSIZE(proxy), L"127.0.0.1:%d", proxy_port);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, WINHTTP_NO_PROXY_BYPASS, 0);
    connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)tls_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/static/small.txt", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 407);
    response_free(&r);
    ok(WinHttpQueryAuthSchemes(request, &supported, &first, &target), "QueryAuthSchemes %lu\n", GetLastError());
    ok(supported & WINHTTP_AUTH_SCHEME_BASIC, "schemes %#lx\n", supported);
    ok_u(target, WINHTTP_AUTH_TARGET_PROXY);
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_PROXY, WINHTTP_AUTH_SCHEME_BASIC, user, password, NULL),
       "SetCredentials %lu\n", GetLastError());
    exchange(request, NULL, NULL, 0, &r);
    ok_response(&r, 200);
    ok(r.len == 15, "body through the authenticated tunnel: %lu bytes\n", r.len);
    response_free(&r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* WINHTTP_OPTION_MAX_CONNS_PER_SERVER 1: two concurrent requests share one
 * connection, one after the other. */
static HINTERNET shared_session;
static DWORD WINAPI delayed_get(void *arg)
{
    struct response r;
    fetch(shared_session, scripted_port, NULL, L"/delay?ms=300&ctag=maxconn", NULL, NULL, 0, &r);
    response_free(&r);
    return 0;
}

static void test_max_conns_per_server(void)
{
    HANDLE threads[2];
    DWORD value = 1, start, elapsed;

    shared_session = open_session();
    ok(WinHttpSetOption(shared_session, WINHTTP_OPTION_MAX_CONNS_PER_SERVER, &value, sizeof(value)), "set %lu\n",
       GetLastError());
    start = GetTickCount();
    threads[0] = CreateThread(NULL, 0, delayed_get, NULL, 0, NULL);
    threads[1] = CreateThread(NULL, 0, delayed_get, NULL, 0, NULL);
    WaitForMultipleObjects(2, threads, TRUE, 20000);
    elapsed = GetTickCount() - start;
    CloseHandle(threads[0]);
    CloseHandle(threads[1]);
    ok(elapsed >= 550, "two 300 ms requests over one connection took only %lu ms\n", elapsed);
    ok_u(count_connections(shared_session, L"maxconn"), 1);
    WinHttpCloseHandle(shared_session);
}

/* Closing a request handle from another thread while it waits ends the wait. */
static HINTERNET close_target;
static DWORD WINAPI closer(void *arg)
{
    Sleep(300);
    WinHttpCloseHandle(close_target);
    return 0;
}

static void test_close_while_blocked(void)
{
    HINTERNET session = open_session(), connect, request;
    HANDLE thread;
    DWORD start, elapsed, err;
    BOOL ret;

    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/delay?ms=10000", NULL, NULL, NULL, 0);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0), "send %lu\n", GetLastError());
    close_target = request;
    thread = CreateThread(NULL, 0, closer, NULL, 0, NULL);
    start = GetTickCount();
    ret = WinHttpReceiveResponse(request, NULL);
    err = GetLastError();
    elapsed = GetTickCount() - start;
    ok(!ret && err == ERROR_WINHTTP_OPERATION_CANCELLED, "ret %d error %lu\n", ret, err);
    ok(elapsed < 5000, "close did not interrupt the wait (%lu ms)\n", elapsed);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

int main(void)
{
    if (!h2mode_init())
    {
        ok(0, "the HTTP/2 run needs the h2 peer (tests/peers/tls_h2)\n");
        return test_summary();
    }
    nginx_port = env_port("WINHTTP_TEST_NGINX_PORT");
    scripted_port = env_port("WINHTTP_TEST_SCRIPTED_PORT");
    squid_port = env_port("WINHTTP_TEST_SQUID_PORT");
    closed_port = env_port("WINHTTP_TEST_CLOSED_PORT");
    if (!nginx_port || !scripted_port || !closed_port)
    {
        skip("test peers not running (run through tools/run-tests)\n");
        ok(0, "the HTTP tests need the peers of tools/testenv\n");
        return test_summary();
    }
    run_test_h2("get_static", test_get_static);
    run_test_h1("request_head_on_the_wire", test_request_head_on_the_wire);
    run_test_h1("path_escaping", test_path_escaping);
    run_test_h1("relative_object_and_zero_length_headers", test_relative_object_and_zero_length_headers);
    run_test_h1("post_with_body", test_post_with_body);
    run_test_h1("write_data_streaming", test_write_data_streaming);
    run_test_h1("state_errors", test_state_errors);
    run_test_h2("connection_info", test_connection_info);
    run_test_h1("chunked_and_close_delimited", test_chunked_and_close_delimited);
    run_test_h1("chunked_available_per_chunk", test_chunked_available_per_chunk);
    run_test_h2("no_body_responses", test_no_body_responses);
    run_test_h2("large_body_integrity", test_large_body_integrity);
    run_test_h1("read_data_ex_fill", test_read_data_ex_fill);
    run_test_h2("redirects", test_redirects);
    run_test_h1("redirect_methods", test_redirect_methods);
    run_test_h1("redirect_keeps_user_headers", test_redirect_keeps_user_headers);
    run_test_h1("keep_alive_reuse", test_keep_alive_reuse);
    run_test_h1("ipv6", test_ipv6);
    run_test_h1("connection_errors", test_connection_errors);
    run_test_h1("hostile_servers", test_hostile_servers);
    run_test_h1("lenient_responses", test_lenient_responses);
    run_test_h1("cookies", test_cookies);
    run_test_h2("decompression", test_decompression);
    run_test_h1("named_proxy", test_named_proxy);
    run_test_h1("close_while_blocked", test_close_while_blocked);
    run_test_h1("https_through_proxy", test_https_through_proxy);
    run_test_h1("https_through_auth_proxy", test_https_through_auth_proxy);
    run_test_h1("max_conns_per_server", test_max_conns_per_server);
    return test_summary();
}
