/*
 * HTTP/2 (WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL with WINHTTP_PROTOCOL_FLAG_HTTP2)
 * against the peers of tests/peers/tls_h2: nginx with h2 on its TLS
 * listener, hostile_h2.py, a scripted h2 server that misbehaves on request,
 * and nghttpd instances with one set of server settings each.  What the API
 * shows over h2 (protocol used, version, headers), when h2 is and is not
 * used (ALPN fallback, no h2c, the protocol-required option), many requests
 * multiplexed on one connection, the server's settings honoured (a stream
 * limit of 2, 15-byte flow-control windows, no server push, HPACK without
 * a dynamic table, padded frames, bodies without Content-Length, trailers
 * and WINHTTP_QUERY_FLAG_TRAILERS),
 * and the documented error each misbehaviour ends in, synchronous and
 * asynchronous.  The HTTP tests of http.c and async.c run
 * over h2 as well (tests/scripts/http2_rerun).
 */
#include "test.h"
#include <winhttp.h>
#include "peers.h"
#include "client.h"
#include "winhttp_wine.h"

static int h2_port, hostile_port, nowindow_port, nginx_port, tls_port, squid_port;
static DWORD run_id;    /* in the markers: logs outlive a run */

static HINTERNET open_session(BOOL h2, DWORD flags)
{
    HINTERNET s = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, flags);
    DWORD value = WINHTTP_PROTOCOL_FLAG_HTTP2;
    ok(s != NULL, "WinHttpOpen failed: %lu\n", GetLastError());
    if (h2) ok(WinHttpSetOption(s, WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL, &value, sizeof(value)),
               "ENABLE_HTTP_PROTOCOL: %lu\n", GetLastError());
    return s;
}

static HINTERNET open_request(HINTERNET session, HINTERNET *connect, int port, const WCHAR *verb,
                              const WCHAR *path, BOOL secure)
{
    HINTERNET request;
    *connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)port, 0);
    ok(*connect != NULL, "WinHttpConnect: %lu\n", GetLastError());
    request = WinHttpOpenRequest(*connect, verb, path, NULL, NULL, NULL, secure ? WINHTTP_FLAG_SECURE : 0);
    ok(request != NULL, "WinHttpOpenRequest: %lu\n", GetLastError());
    return request;
}

static DWORD protocol_used(HINTERNET request)
{
    DWORD value = 0xdeadbeef, size = sizeof(value);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_HTTP_PROTOCOL_USED, &value, &size), "PROTOCOL_USED: %lu\n",
       GetLastError());
    return value;
}

static void query_string(HINTERNET request, DWORD level, WCHAR *buf, DWORD chars)
{
    DWORD size = chars * sizeof(WCHAR);
    buf[0] = 0;
    ok(WinHttpQueryHeaders(request, level, NULL, buf, &size, NULL), "query %#lx: %lu\n", level, GetLastError());
}

/* ------------------------------------------------------------------ */

static void test_negotiation(void)
{
    HINTERNET session, connect, request;
    WCHAR buf[4096];
    char *body;

    /* Enabled on the session: h2, and the API shows it. */
    session = open_session(TRUE, 0);
    request = open_request(session, &connect, h2_port, NULL, L"/static/small.txt", TRUE);
    ok_status(request, 200);
    ok_u(protocol_used(request), WINHTTP_PROTOCOL_FLAG_HTTP2);
    query_string(request, WINHTTP_QUERY_VERSION, buf, ARRAYSIZE(buf));
    ok(!wcscmp(buf, L"HTTP/2"), "version %ls\n", buf);
    query_string(request, WINHTTP_QUERY_RAW_HEADERS_CRLF, buf, ARRAYSIZE(buf));
    ok(!wcsncmp(buf, L"HTTP/2 200", 10), "raw headers start %.40ls\n", buf);
    ok(!wcsstr(buf, L":status") && !wcsstr(buf, L":path"), "pseudo-headers shown: %ls\n", buf);
    query_string(request, WINHTTP_QUERY_CONTENT_LENGTH, buf, ARRAYSIZE(buf));
    ok(!wcscmp(buf, L"15"), "content-length %ls\n", buf);
    body = read_body(request);
    ok(!strcmp(body, PEER_SMALL_TEXT), "body %s\n", body);
    free(body);
    WinHttpCloseHandle(request);
    /* Plain http with h2 enabled: HTTP/1.1 (no h2c, as on Windows). */
    request = open_request(session, &connect, nginx_port, NULL, L"/static/small.txt", FALSE);
    ok_status(request, 200);
    ok_u(protocol_used(request), 0);
    query_string(request, WINHTTP_QUERY_VERSION, buf, ARRAYSIZE(buf));
    ok(!wcscmp(buf, L"HTTP/1.1"), "version %ls\n", buf);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    /* A TLS server that does not offer h2: ALPN falls back to HTTP/1.1. */
    request = open_request(session, &connect, tls_port, NULL, L"/static/small.txt", TRUE);
    ok_status(request, 200);
    ok_u(protocol_used(request), 0);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);

    /* Not enabled: HTTP/1.1 even where the server prefers h2. */
    session = open_session(FALSE, 0);
    request = open_request(session, &connect, h2_port, NULL, L"/static/small.txt", TRUE);
    ok_status(request, 200);
    ok_u(protocol_used(request), 0);
    query_string(request, WINHTTP_QUERY_VERSION, buf, ARRAYSIZE(buf));
    ok(!wcscmp(buf, L"HTTP/1.1"), "version %ls\n", buf);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    /* Enabled on the request alone (a new session: the other's idle
     * HTTP/1.1 connection would carry it). */
    session = open_session(FALSE, 0);
    request = open_request(session, &connect, h2_port, NULL, L"/static/small.txt", TRUE);
    {
        DWORD value = WINHTTP_PROTOCOL_FLAG_HTTP2;
        ok(WinHttpSetOption(request, WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL, &value, sizeof(value)), "set %lu\n",
           GetLastError());
    }
    ok_status(request, 200);
    ok_u(protocol_used(request), WINHTTP_PROTOCOL_FLAG_HTTP2);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* Our extension WINHTTP_OPTION_WINE_HTTP2_STREAM_ID (include/winhttp_wine.h):
 * the stream of the response, 0 over HTTP/1.1, nothing before a response. */
static DWORD stream_id_of(HINTERNET request, DWORD *err)
{
    DWORD value = 0xdeadbeef, size = sizeof(value);
    *err = WinHttpQueryOption(request, WINHTTP_OPTION_WINE_HTTP2_STREAM_ID, &value, &size) ? 0 : GetLastError();
    return value;
}

static void test_stream_id_option(void)
{
    HINTERNET session = open_session(TRUE, 0), connect, request;
    DWORD err, id, value, size;
    int i;

    for (i = 0; i < 2; i++)
    {
        request = open_request(session, &connect, h2_port, NULL, L"/static/small.txt", TRUE);
        id = stream_id_of(request, &err);
        ok_u(err, ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
        ok_status(request, 200);
        id = stream_id_of(request, &err);
        ok(!err && id == 1 + 2 * i, "request %d: stream id %lu, error %lu\n", i, id, err);
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(connect);
    }
    /* Query-only; and per request, not on a session. */
    value = 5;
    ok_err(WinHttpSetOption(session, WINHTTP_OPTION_WINE_HTTP2_STREAM_ID, &value, sizeof(value)),
           ERROR_WINHTTP_OPTION_NOT_SETTABLE);
    size = sizeof(value);
    ok(!WinHttpQueryOption(session, WINHTTP_OPTION_WINE_HTTP2_STREAM_ID, &value, &size), "query on a session\n");
    WinHttpCloseHandle(session);
    /* HTTP/1.1: 0. */
    session = open_session(FALSE, 0);
    request = open_request(session, &connect, h2_port, NULL, L"/static/small.txt", TRUE);
    ok_status(request, 200);
    id = stream_id_of(request, &err);
    ok(!err && !id, "HTTP/1.1: stream id %lu, error %lu\n", id, err);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_protocol_required(void)
{
    HINTERNET session = open_session(TRUE, 0), connect, request;
    BOOL required = TRUE;
    DWORD err;

    /* The server does not speak h2: the request fails. */
    request = open_request(session, &connect, tls_port, NULL, L"/static/small.txt", TRUE);
    ok(WinHttpSetOption(request, WINHTTP_OPTION_HTTP_PROTOCOL_REQUIRED, &required, sizeof(required)), "set %lu\n",
       GetLastError());
    ok(!send_request(request, &err), "request over HTTP/1.1 succeeded\n");
    ok_u(err, ERROR_WINHTTP_HTTP_PROTOCOL_MISMATCH);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    /* It does: fine. */
    request = open_request(session, &connect, h2_port, NULL, L"/static/small.txt", TRUE);
    ok(WinHttpSetOption(request, WINHTTP_OPTION_HTTP_PROTOCOL_REQUIRED, &required, sizeof(required)), "set %lu\n",
       GetLastError());
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* POST bodies, small and large, echoed back through nginx (/echo goes to
 * the scripted server over HTTP/1.1: it reports what nginx received). */
static void test_post(void)
{
    HINTERNET session = open_session(TRUE, 0), connect, request;
    static char big[300000];
    char *body;
    DWORD err, i;

    for (i = 0; i < sizeof(big); i++) big[i] = 'a' + i % 26;
    request = open_request(session, &connect, h2_port, L"POST", L"/echo/h2post", TRUE);
    err = 0;
    if (!WinHttpSendRequest(request, L"Content-Type: text/plain\r\n", (DWORD)-1, big, sizeof(big), sizeof(big), 0) ||
        !WinHttpReceiveResponse(request, NULL))
        err = GetLastError();
    ok(!err, "POST failed: %lu\n", err);
    ok_u(status_of(request), 200);
    ok_u(protocol_used(request), WINHTTP_PROTOCOL_FLAG_HTTP2);
    body = read_body(request);
    ok(strstr(body, "Content-Length: 300000") != NULL || strstr(body, "content-length: 300000") != NULL,
       "the echo did not see the whole body: %.300s\n", body);
    free(body);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* Basic authentication and cookies go through the same code over h2. */
static void test_auth_and_cookies(void)
{
    HINTERNET session = open_session(TRUE, 0), connect, request;
    DWORD schemes = 0, first = 0, target = 0;
    char *body;

    request = open_request(session, &connect, h2_port, NULL, L"/h2/basic/small.txt", TRUE);
    ok_status(request, 401);
    ok_u(protocol_used(request), WINHTTP_PROTOCOL_FLAG_HTTP2);
    ok(WinHttpQueryAuthSchemes(request, &schemes, &first, &target), "schemes %lu\n", GetLastError());
    ok_u(schemes, WINHTTP_AUTH_SCHEME_BASIC);
    ok_u(target, WINHTTP_AUTH_TARGET_SERVER);
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, L"h2user", L"h2pass",
                             NULL), "credentials %lu\n", GetLastError());
    ok_status(request, 200);
    body = read_body(request);
    ok(!strcmp(body, PEER_SMALL_TEXT), "body %s\n", body);
    free(body);
    WinHttpCloseHandle(request);

    /* A cookie set over h2 goes back on the next request (nginx passes it
     * on to the scripted server's /cookie/echo). */
    request = WinHttpOpenRequest(connect, NULL, L"/h2/setcookie", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    request = WinHttpOpenRequest(connect, NULL, L"/proxy/cookie/echo", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    ok_status(request, 200);
    body = read_body(request);
    ok(strstr(body, "h2cookie=yes") != NULL, "the cookie did not come back: %s\n", body);
    free(body);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* Requests of one session to one origin share one connection. */
struct worker
{
    HINTERNET session;
    int index;
    LONG failures;
};

static DWORD WINAPI sync_worker(void *arg)
{
    struct worker *w = arg;
    WCHAR path[128];
    int i;

    for (i = 0; i < 5; i++)
    {
        HINTERNET connect, request;
        DWORD err, status;
        char *body;
        swprintf(path, ARRAYSIZE(path), L"/static/text.txt?m=h2sync%lu&w=%d&i=%d", run_id, w->index, i);
        request = open_request(w->session, &connect, h2_port, NULL, path, TRUE);
        status = send_request(request, &err);
        body = status == 200 ? read_body(request) : NULL;
        if (status != 200 || !body || strlen(body) != PEER_TEXT_LEN || strncmp(body, PEER_SMALL_TEXT, PEER_SMALL_LEN))
            InterlockedIncrement(&w->failures);
        free(body);
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(connect);
    }
    return 0;
}

/* COUNT threads (8 at most) running FUNC on SESSION at once: their failures
 * in all; *finished says whether all ended within a minute. */
static LONG run_workers(HINTERNET session, int count, LPTHREAD_START_ROUTINE func, BOOL *finished)
{
    struct worker workers[8];
    HANDLE threads[8] = {0};
    LONG failures = 0;
    DWORD wait;
    int i;

    count = min(count, (int)ARRAYSIZE(threads));
    for (i = 0; i < count; i++)
    {
        workers[i].session = session;
        workers[i].index = i;
        workers[i].failures = 0;
        threads[i] = CreateThread(NULL, 0, func, &workers[i], 0, NULL);
    }
    wait = WaitForMultipleObjects(count, threads, TRUE, 60000);
    if (finished) *finished = !wait;
    for (i = 0; i < count; i++)
    {
        CloseHandle(threads[i]);
        failures += workers[i].failures;
    }
    return failures;
}

static void test_multiplexing_sync(void)
{
    HINTERNET session = open_session(TRUE, 0);
    LONG failures = run_workers(session, 8, sync_worker, NULL);

    ok_u(failures, 0);
    {
        char marker[64];
        sprintf(marker, "m=h2sync%lu&", run_id);
        ok_u(peer_nginx_connections(marker, 40), 1);
    }
    WinHttpCloseHandle(session);
}

/* Many asynchronous requests in flight through one session, each body
 * byte-exact: 1,000 to nginx (as many connections as the server's stream
 * limit requires: nginx's 128 concurrent streams, the rest queue), and the
 * nghttpd cases below. */
#define IN_FLIGHT 1000

struct flight
{
    HINTERNET connect, request;
    char *buf;
    DWORD len, cap;
    BOOL done, failed;
};

static struct flight *flights;
static LONG flights_left, flights_failed;
static HANDLE flights_done;
static const char *flight_expect;
static DWORD flight_expect_len;

static void flight_end(struct flight *f, BOOL failed)
{
    if (f->done) return;
    f->done = TRUE;
    f->failed = failed;
    if (failed) InterlockedIncrement(&flights_failed);
    if (!InterlockedDecrement(&flights_left)) SetEvent(flights_done);
}

static void CALLBACK flight_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    struct flight *f = (struct flight *)context;

    if (!f) return;
    switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
        if (!WinHttpReceiveResponse(f->request, NULL)) flight_end(f, TRUE);
        break;
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
        if (status_of(f->request) != 200 || !WinHttpReadData(f->request, f->buf, f->cap, NULL)) flight_end(f, TRUE);
        break;
    case WINHTTP_CALLBACK_STATUS_READ_COMPLETE:
        if (!len)
        {
            flight_end(f, f->len != flight_expect_len || memcmp(f->buf + f->cap, flight_expect, flight_expect_len));
            break;
        }
        if (f->len + len > flight_expect_len)
        {
            flight_end(f, TRUE);
            break;
        }
        memcpy(f->buf + f->cap + f->len, f->buf, len);
        f->len += len;
        if (!WinHttpReadData(f->request, f->buf, f->cap, NULL)) flight_end(f, TRUE);
        break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
        flight_end(f, TRUE);
        break;
    }
}

typedef int (*count_connections_fn)(const char *marker, int expect_requests);

/* COUNT asynchronous GETs of PATH (whose body is EXPECT, LEN bytes) through
 * one session to PORT; the number of connections the server saw for them
 * (COUNT_CONNECTIONS), -1 if any failed. */
static int run_flights_to(int port, const WCHAR *path, const char *expect, DWORD len, int count, BOOL no_queue,
                          const char *tag, count_connections_fn count_connections)
{
    HINTERNET session = open_session(TRUE, WINHTTP_FLAG_ASYNC);
    WCHAR url[128];
    char marker[64];
    int i, conns;

    if (no_queue)
        ok(WinHttpSetOption(session, WINHTTP_OPTION_DISABLE_STREAM_QUEUE, &no_queue, sizeof(no_queue)),
           "DISABLE_STREAM_QUEUE: %lu\n", GetLastError());
    sprintf(marker, "m=%s%lu&", tag, run_id);
    flight_expect = expect;
    flight_expect_len = len;
    flights = calloc(count, sizeof(*flights));
    flights_left = count;
    flights_failed = 0;
    flights_done = CreateEventW(NULL, TRUE, FALSE, NULL);
    WinHttpSetStatusCallback(session, flight_callback, WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS, 0);
    for (i = 0; i < count; i++)
    {
        struct flight *f = &flights[i];
        /* buf: the read buffer (cap bytes), then the body as assembled. */
        f->cap = len > 65536 ? 65536 : 4096;
        f->buf = malloc(f->cap + len + 1);
        swprintf(url, ARRAYSIZE(url), L"%ls?%hs&i=%d", path, marker, i);
        f->connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)port, 0);
        f->request = WinHttpOpenRequest(f->connect, NULL, url, NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
        if (!f->request || !WinHttpSendRequest(f->request, NULL, 0, NULL, 0, 0, (DWORD_PTR)f)) flight_end(f, TRUE);
    }
    ok(!WaitForSingleObject(flights_done, 120000), "%ld of %d requests still in flight\n", flights_left, count);
    ok(!flights_failed, "%ld of %d requests to %ls failed or had a wrong body\n", flights_failed, count, path);
    conns = flights_failed ? -1 : count_connections(marker, count);
    for (i = 0; i < count; i++)
    {
        WinHttpSetStatusCallback(flights[i].request, NULL, 0, 0);
        WinHttpCloseHandle(flights[i].request);
        WinHttpCloseHandle(flights[i].connect);
    }
    WinHttpCloseHandle(session);
    Sleep(200);     /* the closing notifications */
    for (i = 0; i < count; i++) free(flights[i].buf);
    free(flights);
    CloseHandle(flights_done);
    return conns;
}

static int run_flights(int count, BOOL no_queue, const char *tag)
{
    char *text = malloc(PEER_TEXT_LEN);
    int i, conns;

    for (i = 0; i < PEER_TEXT_REPEAT; i++) memcpy(text + i * PEER_SMALL_LEN, PEER_SMALL_TEXT, PEER_SMALL_LEN);
    conns = run_flights_to(h2_port, L"/static/text.txt", text, PEER_TEXT_LEN, count, no_queue, tag,
                           peer_nginx_connections);
    free(text);
    return conns;
}

static void test_thousand_in_flight(void)
{
    int conns = run_flights(IN_FLIGHT, FALSE, "h2flight");
    ok(conns == 1, "%d requests in flight used %d connections (nginx allows 128 streams on one)\n", IN_FLIGHT, conns);
}

/* WINHTTP_OPTION_DISABLE_STREAM_QUEUE: past the server's stream limit,
 * more connections instead of a queue. */
static void test_stream_queue_disabled(void)
{
    int conns = run_flights(400, TRUE, "h2noqueue");
    ok(conns >= 2, "400 requests without a stream queue used %d connections\n", conns);
}

/* WINHTTP_OPTION_HTTP2_KEEPALIVE: a quiet connection gets PINGs. */
static void test_keepalive(void)
{
    HINTERNET session = open_session(TRUE, 0), connect, request;
    DWORD interval = 300, start;
    char *log;
    int pings = 0;

    ok(WinHttpSetOption(session, WINHTTP_OPTION_HTTP2_KEEPALIVE, &interval, sizeof(interval)), "set %lu\n",
       GetLastError());
    request = open_request(session, &connect, hostile_port, NULL, L"/ok?keepalive", TRUE);
    ok_status(request, 200);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    start = GetTickCount();
    while (GetTickCount() - start < 5000 && pings < 2)
    {
        Sleep(200);
        if (!(log = peer_read_env_file("WINHTTP_TEST_H2_HOSTILE_LOG"))) break;
        {
            char *req = strstr(log, " /ok?keepalive\n"), line[32], *p;
            if (req)
            {
                while (req > log && req[-1] != '\n') req--;
                sprintf(line, "%d ping\n", atoi(req));
                /* whole lines "N ping" of that connection */
                for (pings = 0, p = req; (p = strstr(p, line)); p += strlen(line))
                    if (p == log || p[-1] == '\n') pings++;
            }
        }
        free(log);
    }
    ok(pings >= 2, "%d PINGs on the idle connection in %lu ms\n", pings, GetTickCount() - start);
    WinHttpCloseHandle(session);
}

/* One asynchronous exchange, driven by its status callback: send (with
 * DATA as the body), receive, read to the end.  The error of
 * WINHTTP_CALLBACK_STATUS_REQUEST_ERROR or of the call that failed, 0 if
 * none; the status and the body (caller frees) when there was one. */
struct exchange
{
    HANDLE done;
    HINTERNET request;
    DWORD error, status, len;
    char *body;
    BOOL finished;
    char chunk[65536];
};

static void exchange_end(struct exchange *x, DWORD error)
{
    if (x->finished) return;
    x->finished = TRUE;
    x->error = error;
    SetEvent(x->done);
}

static void CALLBACK exchange_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    struct exchange *x = (struct exchange *)context;

    if (!x || x->finished) return;
    switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
        if (!WinHttpReceiveResponse(x->request, NULL)) exchange_end(x, GetLastError());
        break;
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
        x->status = status_of(x->request);
        if (!WinHttpReadData(x->request, x->chunk, sizeof(x->chunk), NULL)) exchange_end(x, GetLastError());
        break;
    case WINHTTP_CALLBACK_STATUS_READ_COMPLETE:
        if (!len)
        {
            exchange_end(x, 0);
            break;
        }
        x->body = realloc(x->body, x->len + len + 1);
        memcpy(x->body + x->len, x->chunk, len);
        x->len += len;
        x->body[x->len] = 0;
        if (!WinHttpReadData(x->request, x->chunk, sizeof(x->chunk), NULL)) exchange_end(x, GetLastError());
        break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
        exchange_end(x, ((WINHTTP_ASYNC_RESULT *)info)->dwError);
        break;
    }
}

static DWORD async_exchange(HINTERNET session, int port, const WCHAR *verb, const WCHAR *path, const void *data,
                            DWORD data_len, DWORD *status, char **body, DWORD *body_len)
{
    struct exchange *x = calloc(1, sizeof(*x));
    HINTERNET connect;
    DWORD err;

    x->done = CreateEventW(NULL, TRUE, FALSE, NULL);
    x->request = open_request(session, &connect, port, verb, path, TRUE);
    WinHttpSetStatusCallback(x->request, exchange_callback, WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS, 0);
    if (!WinHttpSendRequest(x->request, NULL, 0, (void *)data, data_len, data_len, (DWORD_PTR)x))
        exchange_end(x, GetLastError());
    if (WaitForSingleObject(x->done, 30000))
    {
        ok(0, "%ls: no end in 30 s\n", path);
        exchange_end(x, WAIT_TIMEOUT);
    }
    WinHttpSetStatusCallback(x->request, NULL, 0, 0);
    WinHttpCloseHandle(x->request);
    WinHttpCloseHandle(connect);
    Sleep(50);      /* a callback already under way */
    err = x->error;
    if (status) *status = x->status;
    if (body_len) *body_len = x->len;
    if (body) *body = x->body;
    else free(x->body);
    CloseHandle(x->done);
    free(x);
    return err;
}

/* ------------------------------------------------------------------ */
/* nghttpd: server settings and flow control                          */

static int nd_port, nd_window_port, nd_push_port, nd_quirks_port;

/* The known files of nghttpd's document root. */
#define ND_PATTERN_LEN (4 * 1024 * 1024)
static char *nd_pattern, *nd_text;

/* WHAT within the line [LINE, END). */
static const char *line_find(const char *line, const char *end, const char *what)
{
    size_t n = strlen(what);
    for (; line + n <= end; line++)
        if (*line == *what && !memcmp(line, what, n)) return line;
    return NULL;
}

static const char *line_end(const char *line)
{
    const char *end = strchr(line, '\n');
    return end ? end : line + strlen(line);
}

/* The line of nghttpd's frame log (-v) where the request with MARKER in its
 * path arrived ("[id=N] [ t] recv (stream_id=S) :path: /x?MARKER"), after
 * waiting up to 3 s for it; its connection N and stream S.  NULL: not there
 * (*log, which the line points into, is for the caller to free). */
static const char *nd_request_line(const char *env, const char *marker, char **log, int *conn, int *stream)
{
    const char *line, *end;

    *conn = *stream = -1;
    peer_wait_log(env, marker, 1, 3000);
    if (!(*log = peer_read_env_file(env))) return NULL;
    for (line = *log; *line; line = *end ? end + 1 : end)
    {
        end = line_end(line);
        if (!line_find(line, end, ":path: ") || !line_find(line, end, marker)) continue;
        if (sscanf(line, "[id=%d] [%*[^]]] recv (stream_id=%d)", conn, stream) != 2) continue;
        return line;
    }
    return NULL;
}

/* Distinct connections of nghttpd's log ENV among the requests with MARKER,
 * once EXPECT of them are there (waits up to 3 s); -1 if unreadable. */
static int nd_connections_in(const char *env, const char *marker, int expect)
{
    char *text, *line, *next;
    int seen[256], nseen = 0, i, conn;

    if (peer_wait_log(env, marker, expect, 3000) < 0 || !(text = peer_read_env_file(env))) return -1;
    for (line = text; line && *line; line = next)
    {
        if ((next = strchr(line, '\n'))) *next++ = 0;
        if (!strstr(line, ":path: ") || !strstr(line, marker) || sscanf(line, "[id=%d]", &conn) != 1) continue;
        for (i = 0; i < nseen; i++) if (seen[i] == conn) break;
        if (i == nseen && nseen < (int)ARRAYSIZE(seen)) seen[nseen++] = conn;
    }
    free(text);
    return nseen;
}

static int nd_connections(const char *marker, int expect)
{
    return nd_connections_in("WINHTTP_TEST_H2_NGHTTPD_LOG", marker, expect);
}

/* Lines of nghttpd's log ENV on connection CONN with WHAT (e.g. "send
 * RST_STREAM"), from the first line with FROM on (NULL: from the start). */
static int nd_frames_from(const char *env, int conn, const char *from, const char *what)
{
    char *text = peer_read_env_file(env), prefix[32];
    const char *line, *end;
    int n = 0;

    if (!text) return -1;
    sprintf(prefix, "[id=%d] ", conn);
    for (line = text; *line; line = *end ? end + 1 : end)
    {
        end = line_end(line);
        if (strncmp(line, prefix, strlen(prefix))) continue;
        if (from && line_find(line, end, from)) from = NULL;
        if (!from && line_find(line, end, what)) n++;
    }
    free(text);
    return n;
}

static int nd_frames(const char *env, int conn, const char *what)
{
    return nd_frames_from(env, conn, NULL, what);
}

/* Streams nghttpd refused on connection CONN that the client opened once it
 * knew the server's SETTINGS.  The client acknowledges them after applying
 * them, so every HEADERS behind its SETTINGS ACK in the byte stream (stream
 * ids grow in sending order) was sent knowing the limit; a burst sent before
 * may be refused.  Log order alone says nothing here: nghttpd logs what it
 * sends after what it received in the same read. */
static int nd_refused_after_settings(const char *env, int conn)
{
    char *text = peer_read_env_file(env), prefix[32];
    const char *line, *end, *p;
    BOOL acked = FALSE;
    int first = 0, n = 0;

    if (!text) return -1;
    sprintf(prefix, "[id=%d] ", conn);
    for (line = text; *line; line = *end ? end + 1 : end)
    {
        end = line_end(line);
        if (strncmp(line, prefix, strlen(prefix))) continue;
        if (line_find(line, end, "recv SETTINGS frame") && line_find(line, end, "flags=0x01")) acked = TRUE;
        else if (acked && !first && line_find(line, end, "recv HEADERS frame") &&
                 (p = line_find(line, end, "stream_id=")))
            first = atoi(p + 10);
    }
    for (line = text; first && *line; line = *end ? end + 1 : end)
    {
        end = line_end(line);
        if (strncmp(line, prefix, strlen(prefix))) continue;
        if (line_find(line, end, "send RST_STREAM frame") && (p = line_find(line, end, "stream_id=")) &&
            atoi(p + 10) >= first)
            n++;
    }
    free(text);
    return n;
}

/* One request; the body (*len bytes, caller frees), NULL on an error (in *err). */
static char *nd_fetch(HINTERNET session, int port, const WCHAR *verb, const WCHAR *path, const char *data, DWORD data_len,
                      DWORD chunk, DWORD *status, DWORD *len, DWORD *err)
{
    HINTERNET connect, request = open_request(session, &connect, port, verb, path, TRUE);
    char *buf = NULL;
    DWORD n, total = 0, avail;

    *err = 0;
    *len = *status = 0;
    if (!chunk || !data_len)
    {
        if (!WinHttpSendRequest(request, NULL, 0, (void *)data, data_len, data_len, 0)) *err = GetLastError();
    }
    else
    {
        /* The body in pieces of CHUNK bytes through WinHttpWriteData. */
        DWORD off = 0, written;
        if (!WinHttpSendRequest(request, NULL, 0, NULL, 0, data_len, 0)) *err = GetLastError();
        while (!*err && off < data_len)
        {
            n = min(chunk, data_len - off);
            if (!WinHttpWriteData(request, data + off, n, &written) || written != n) *err = GetLastError();
            off += n;
        }
    }
    if (!*err && !WinHttpReceiveResponse(request, NULL)) *err = GetLastError();
    if (!*err)
    {
        *status = status_of(request);
        ok_u(protocol_used(request), WINHTTP_PROTOCOL_FLAG_HTTP2);
        buf = malloc(1);
        for (;;)
        {
            if (!WinHttpQueryDataAvailable(request, &avail)) { *err = GetLastError(); break; }
            if (!avail) break;
            buf = realloc(buf, total + avail + 1);
            if (!WinHttpReadData(request, buf + total, avail, &n)) { *err = GetLastError(); break; }
            if (!n) break;
            total += n;
        }
        buf[total] = 0;
        if (*err)
        {
            free(buf);
            buf = NULL;
        }
    }
    *len = total;
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    return buf;
}

#define ok_body(body, len, expect, expect_len, what) \
    ok((body) && (len) == (expect_len) && !memcmp(body, expect, expect_len), "%s: %lu bytes, not the %lu expected%s\n", \
       what, (unsigned long)(len), (unsigned long)(expect_len), (body) && (len) == (expect_len) ? " (content differs)" : "")

/* SETTINGS_MAX_CONCURRENT_STREAMS 2: threads that ask for more at once
 * queue on the one connection and all complete (struct worker as above). */
static DWORD WINAPI nd_sync_worker(void *arg)
{
    struct worker *w = arg;
    WCHAR path[128];
    int i;

    for (i = 0; i < 3; i++)
    {
        DWORD status, len, err;
        char *body;
        swprintf(path, ARRAYSIZE(path), L"/text.txt?m=ndsync%lu&w=%d&i=%d", run_id, w->index, i);
        body = nd_fetch(w->session, nd_port, NULL, path, NULL, 0, 0, &status, &len, &err);
        if (status != 200 || !body || len != PEER_TEXT_LEN || memcmp(body, nd_text, len))
            InterlockedIncrement(&w->failures);
        free(body);
    }
    return 0;
}

static void test_nghttpd_stream_limit(void)
{
    HINTERNET session = open_session(TRUE, 0);
    char marker[64], *log = NULL;
    BOOL finished;
    LONG failures = run_workers(session, 6, nd_sync_worker, &finished);
    int conn, stream, conns;

    ok(finished, "the threads did not finish\n");
    ok(!failures, "%ld of 18 requests failed or had a wrong body\n", failures);
    sprintf(marker, "m=ndsync%lu&", run_id);
    conns = nd_connections(marker, 18);
    ok(conns == 1, "18 requests from 6 threads used %d connections, not 1\n", conns);
    /* Requests sent before the server's SETTINGS came assume the RFC's
     * initial 100 streams (nghttpd refuses those beyond 2: REFUSED_STREAM,
     * and the engine sends them again); once the client acknowledged the
     * SETTINGS, none beyond the limit. */
    if (nd_request_line("WINHTTP_TEST_H2_NGHTTPD_LOG", marker, &log, &conn, &stream))
    {
        ok(!nd_refused_after_settings("WINHTTP_TEST_H2_NGHTTPD_LOG", conn),
           "nghttpd refused streams once the limit was known\n");
        ok(!nd_frames("WINHTTP_TEST_H2_NGHTTPD_LOG", conn, "send GOAWAY"), "nghttpd sent GOAWAY\n");
    }
    else ok(0, "no request with %s in nghttpd's log\n", marker);
    free(log);
    WinHttpCloseHandle(session);

    /* Asynchronous: 4 MiB bodies and small ones, all on one connection. */
    conns = run_flights_to(nd_port, L"/pattern-4m.bin", nd_pattern, ND_PATTERN_LEN, 6, FALSE, "ndbig",
                           nd_connections);
    ok(conns == 1, "6 downloads of 4 MiB used %d connections\n", conns);
    sprintf(marker, "m=ndbig%lu&", run_id);
    log = NULL;
    if (nd_request_line("WINHTTP_TEST_H2_NGHTTPD_LOG", marker, &log, &conn, &stream))
        ok(!nd_refused_after_settings("WINHTTP_TEST_H2_NGHTTPD_LOG", conn),
           "nghttpd refused streams once the limit was known\n");
    else ok(0, "no request with %s in nghttpd's log\n", marker);
    free(log);
    conns = run_flights_to(nd_port, L"/text.txt", nd_text, PEER_TEXT_LEN, 40, FALSE, "ndflight", nd_connections);
    ok(conns == 1, "40 requests in flight used %d connections\n", conns);
}

/* WINHTTP_OPTION_DISABLE_STREAM_QUEUE: a connection whose streams are all
 * taken (the server allows 2) does not queue the next request: it goes on
 * a new connection.  Without the option it shares the first. */
static void stream_queue_case(BOOL no_queue, const char *tag)
{
    HINTERNET session = open_session(TRUE, 0), connects[3], requests[3];
    char marker[64], *log;
    WCHAR path[128];
    int i, conn[3], stream;
    char *body;

    if (no_queue)
        ok(WinHttpSetOption(session, WINHTTP_OPTION_DISABLE_STREAM_QUEUE, &no_queue, sizeof(no_queue)),
           "DISABLE_STREAM_QUEUE: %lu\n", GetLastError());
    /* Two requests hold their streams (their bodies unread), a third comes. */
    for (i = 0; i < 3; i++)
    {
        swprintf(path, ARRAYSIZE(path), L"/text.txt?m=%hs%lu-%d&", tag, run_id, i);
        requests[i] = open_request(session, &connects[i], nd_port, NULL, path, TRUE);
        ok_status(requests[i], 200);
        ok_u(protocol_used(requests[i]), WINHTTP_PROTOCOL_FLAG_HTTP2);
    }
    for (i = 0; i < 3; i++)
    {
        body = read_body(requests[i]);
        ok(strlen(body) == PEER_TEXT_LEN && !memcmp(body, nd_text, PEER_TEXT_LEN), "request %d: body of %u bytes\n",
           i, (unsigned)strlen(body));
        free(body);
        WinHttpCloseHandle(requests[i]);
        WinHttpCloseHandle(connects[i]);
        sprintf(marker, "m=%s%lu-%d&", tag, run_id, i);
        log = NULL;
        if (!nd_request_line("WINHTTP_TEST_H2_NGHTTPD_LOG", marker, &log, &conn[i], &stream))
            ok(0, "request %d is not in nghttpd's log\n", i);
        free(log);
    }
    ok(conn[0] == conn[1], "the second request went on connection %d, the first on %d\n", conn[1], conn[0]);
    if (no_queue) ok(conn[2] != conn[0], "the third request waited for a stream of the full connection %d\n", conn[0]);
    else ok(conn[2] == conn[0], "the third request went on connection %d instead of queueing on %d\n", conn[2], conn[0]);
    WinHttpCloseHandle(session);
}

static void test_nghttpd_stream_queue(void)
{
    int conns;

    stream_queue_case(FALSE, "ndqueue");
    stream_queue_case(TRUE, "ndnoqueue");
    /* A burst on a new connection without a queue: the streams beyond 2
     * that went out before the server's SETTINGS are refused; they go
     * again on connections with room (new ones start with the limit the
     * first learned) and all complete. */
    conns = run_flights_to(nd_port, L"/text.txt", nd_text, PEER_TEXT_LEN, 8, TRUE, "ndburst", nd_connections);
    ok(conns >= 1, "a burst of 8 without a queue: %d connections\n", conns);
    conns = run_flights_to(nd_port, L"/pattern-4m.bin", nd_pattern, ND_PATTERN_LEN, 6, TRUE, "ndburstbig",
                           nd_connections);
    ok(conns >= 1, "a burst of 6 x 4 MiB without a queue: %d connections\n", conns);
}

/* The server's windows are 15 bytes (stream and connection): a request body
 * goes out as the server opens them, byte-exact; sent at once, through
 * WinHttpWriteData in pieces, and asynchronously.  Downloads are not
 * affected (our windows). */
static void test_nghttpd_tiny_windows(void)
{
    HINTERNET session = open_session(TRUE, 0);
    DWORD status, len, err, i, size = 200 * 1024;
    char *upload = malloc(size), *body;

    for (i = 0; i < size; i++) upload[i] = (char)(i * 7 + i / 251);
    body = nd_fetch(session, nd_window_port, L"POST", L"/echo?m=window1", upload, size, 0, &status, &len, &err);
    ok(!err && status == 200, "POST: error %lu status %lu\n", err, status);
    ok_body(body, len, upload, size, "POST of 200 KiB through 15-byte windows");
    free(body);
    body = nd_fetch(session, nd_window_port, L"PUT", L"/echo?m=window2", upload, 50001, 4099, &status, &len, &err);
    ok(!err && status == 200, "PUT in pieces: error %lu status %lu\n", err, status);
    ok_body(body, len, upload, 50001, "PUT through WinHttpWriteData");
    free(body);
    body = nd_fetch(session, nd_window_port, NULL, L"/pattern-4m.bin", NULL, 0, 0, &status, &len, &err);
    ok(!err && status == 200, "GET: error %lu status %lu\n", err, status);
    ok_body(body, len, nd_pattern, ND_PATTERN_LEN, "4 MiB download");
    free(body);
    WinHttpCloseHandle(session);

    /* Asynchronous: the send completes only once the body is all out. */
    session = open_session(TRUE, WINHTTP_FLAG_ASYNC);
    err = async_exchange(session, nd_window_port, L"POST", L"/echo?m=window3", upload, 100000, &status, &body, &len);
    ok(!err && status == 200, "async POST: error %lu status %lu\n", err, status);
    ok_body(body, len, upload, 100000, "asynchronous POST of 100,000 bytes through 15-byte windows");
    free(body);
    WinHttpCloseHandle(session);
    free(upload);
}

/* Server push: we tell the server not to (SETTINGS_ENABLE_PUSH 0), so it
 * promises nothing, and the resource it would have pushed is fetched by a
 * request of its own when asked for. */
static void test_nghttpd_push(void)
{
    HINTERNET session = open_session(TRUE, 0);
    DWORD status, len, err;
    char marker[64], *body, *log = NULL;
    WCHAR path[128];
    int conn, stream, conn2 = -1;

    swprintf(path, ARRAYSIZE(path), L"/push.txt?m=ndpush%lu&", run_id);
    body = nd_fetch(session, nd_push_port, NULL, path, NULL, 0, 0, &status, &len, &err);
    ok(!err && status == 200, "push.txt: error %lu status %lu\n", err, status);
    ok_body(body, len, "push me\n", 8, "push.txt");
    free(body);
    swprintf(path, ARRAYSIZE(path), L"/pushed.txt?m=ndpushed%lu&", run_id);
    body = nd_fetch(session, nd_push_port, NULL, path, NULL, 0, 0, &status, &len, &err);
    ok(!err && status == 200, "pushed.txt: error %lu status %lu\n", err, status);
    ok_body(body, len, "pushed resource\n", 16, "pushed.txt");
    free(body);
    WinHttpCloseHandle(session);

    sprintf(marker, "m=ndpush%lu&", run_id);
    if (nd_request_line("WINHTTP_TEST_H2_NGHTTPD_PUSH_LOG", marker, &log, &conn, &stream))
    {
        ok(strstr(log, "[SETTINGS_ENABLE_PUSH(0x02):0]") != NULL, "our SETTINGS did not refuse push\n");
        ok(!nd_frames("WINHTTP_TEST_H2_NGHTTPD_PUSH_LOG", conn, "send PUSH_PROMISE"), "nghttpd promised a push\n");
    }
    else ok(0, "push.txt is not in nghttpd's log\n");
    free(log);
    /* pushed.txt was asked for, on the same connection. */
    sprintf(marker, "m=ndpushed%lu&", run_id);
    log = NULL;
    ok(nd_request_line("WINHTTP_TEST_H2_NGHTTPD_PUSH_LOG", marker, &log, &conn2, &stream) != NULL,
       "pushed.txt was not requested\n");
    ok(conn2 == conn, "pushed.txt on connection %d, push.txt on %d\n", conn2, conn);
    free(log);
}

/* nghttpd with padded frames, no Content-Length (END_STREAM ends the
 * body), a trailer after every body, and HPACK without a dynamic table. */
static void test_nghttpd_quirks(void)
{
    HINTERNET session = open_session(TRUE, 0), connect, request;
    DWORD status, len, err, size, i;
    char marker[64], *body, *log = NULL, *upload;
    WCHAR path[128], buf[1024];
    int conn, stream, conn2, stream2, first_len = -1, second_len = -2, k, hconn[2] = { -1, -2 };

    /* A body ended by END_STREAM, in padded DATA frames. */
    swprintf(path, ARRAYSIZE(path), L"/pattern-4m.bin?m=ndquirk%lu&", run_id);
    request = open_request(session, &connect, nd_quirks_port, NULL, path, TRUE);
    ok_status(request, 200);
    ok_u(protocol_used(request), WINHTTP_PROTOCOL_FLAG_HTTP2);
    size = sizeof(buf);
    ok(!WinHttpQueryHeaders(request, WINHTTP_QUERY_CONTENT_LENGTH, NULL, buf, &size, NULL) &&
       GetLastError() == ERROR_WINHTTP_HEADER_NOT_FOUND, "a Content-Length: %lu\n", GetLastError());
    /* Trailers only once the body was read to its end. */
    size = sizeof(buf);
    ok(!WinHttpQueryHeaders(request, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_TRAILERS, L"x-h2-trailer", buf, &size,
                            NULL) && GetLastError() == ERROR_WINHTTP_INCORRECT_HANDLE_STATE,
       "trailers before the end of the body: %lu\n", GetLastError());
    {
        char *all = malloc(ND_PATTERN_LEN + 65536);
        DWORD total = 0, n;
        while (total < ND_PATTERN_LEN + 1 && WinHttpReadData(request, all + total, 65536, &n) && n) total += n;
        ok_body(all, total, nd_pattern, ND_PATTERN_LEN, "4 MiB without Content-Length in padded frames");
        free(all);
    }
    /* The trailer field is not one of the response's headers (nor in the
     * body): WINHTTP_QUERY_FLAG_TRAILERS finds it, after the last read. */
    size = sizeof(buf);
    ok(!WinHttpQueryHeaders(request, WINHTTP_QUERY_CUSTOM, L"x-h2-trailer", buf, &size, NULL) &&
       GetLastError() == ERROR_WINHTTP_HEADER_NOT_FOUND, "the trailer shows as a header: %lu\n", GetLastError());
    size = sizeof(buf);
    ok(WinHttpQueryHeaders(request, WINHTTP_QUERY_CUSTOM, L"trailer", buf, &size, NULL) &&
       !wcscmp(buf, L"x-h2-trailer"), "Trailer header: %lu %ls\n", GetLastError(), buf);
    size = sizeof(buf);
    ok(WinHttpQueryHeaders(request, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_TRAILERS, L"X-H2-Trailer", buf, &size,
                           NULL) && !wcscmp(buf, L"tail"), "trailer: %lu %ls\n", GetLastError(), buf);
    size = sizeof(buf);
    ok(WinHttpQueryHeaders(request, WINHTTP_QUERY_RAW_HEADERS_CRLF | WINHTTP_QUERY_FLAG_TRAILERS, NULL, buf, &size,
                           NULL) && !wcscmp(buf, L"x-h2-trailer: tail\r\n\r\n"), "raw trailers: %lu %ls\n",
       GetLastError(), buf);
    size = sizeof(buf);
    ok(!WinHttpQueryHeaders(request, WINHTTP_QUERY_SERVER | WINHTTP_QUERY_FLAG_TRAILERS, NULL, buf, &size, NULL) &&
       GetLastError() == ERROR_WINHTTP_HEADER_NOT_FOUND, "Server among the trailers: %lu\n", GetLastError());
    {
        WINHTTP_EXTENDED_HEADER *fields = NULL;
        DWORD count = 0, n = sizeof(buf), ret;
        ret = WinHttpQueryHeadersEx(request, WINHTTP_QUERY_EX_ALL_HEADERS | WINHTTP_QUERY_FLAG_TRAILERS, 0, 0, NULL,
                                    NULL, buf, &n, &fields, &count);
        ok(!ret && count == 1 && !wcscmp(fields[0].pwszName, L"x-h2-trailer") &&
           !wcscmp(fields[0].pwszValue, L"tail"), "WinHttpQueryHeadersEx: %lu, %lu fields\n", ret, count);
    }
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    /* A response without trailers, over HTTP/1.1 and over h2: none. */
    for (k = 0; k < 2; k++)
    {
        HINTERNET s2 = open_session(k == 1, 0);
        request = open_request(s2, &connect, h2_port, NULL, L"/static/small.txt", TRUE);
        ok_status(request, 200);
        body = read_body(request);
        free(body);
        size = sizeof(buf);
        ok(!WinHttpQueryHeaders(request, WINHTTP_QUERY_RAW_HEADERS_CRLF | WINHTTP_QUERY_FLAG_TRAILERS, NULL, buf,
                                &size, NULL) && GetLastError() == ERROR_WINHTTP_HEADER_NOT_FOUND,
           "trailers of a response without any (%s): %lu\n", k ? "h2" : "HTTP/1.1", GetLastError());
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(connect);
        WinHttpCloseHandle(s2);
    }

    /* A POST echoed back without Content-Length. */
    size = 100000;
    upload = malloc(size);
    for (i = 0; i < size; i++) upload[i] = (char)(i % 253);
    body = nd_fetch(session, nd_quirks_port, L"POST", L"/echo?m=quirkpost", upload, size, 0, &status, &len, &err);
    ok(!err && status == 200, "POST: error %lu status %lu\n", err, status);
    ok_body(body, len, upload, size, "POST echoed without Content-Length");
    free(body);
    free(upload);

    /* HPACK: the server's SETTINGS_HEADER_TABLE_SIZE is 0, so our encoder
     * must not index: two requests with the same long header field have
     * HEADERS blocks of the same size (with a dynamic table the second
     * would be a few bytes). */
    for (k = 0; k < 2; k++)
    {
        swprintf(path, ARRAYSIZE(path), L"/small.txt?m=ndhpack%lu-%d&", run_id, k);
        request = open_request(session, &connect, nd_quirks_port, NULL, path, TRUE);
        ok(WinHttpAddRequestHeaders(request, L"X-Long-Field: 0123456789abcdef0123456789abcdef0123456789abcdef", -1,
                                    WINHTTP_ADDREQ_FLAG_ADD), "add header %lu\n", GetLastError());
        ok_status(request, 200);
        body = read_body(request);
        ok(!strcmp(body, PEER_SMALL_TEXT), "small.txt: %s\n", body);
        free(body);
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(connect);
    }
    WinHttpCloseHandle(session);

    sprintf(marker, "m=ndquirk%lu&", run_id);
    if (nd_request_line("WINHTTP_TEST_H2_NGHTTPD_QUIRKS_LOG", marker, &log, &conn, &stream))
    {
        ok(strstr(log, "[SETTINGS_HEADER_TABLE_SIZE(0x01):0]") != NULL, "nghttpd did not announce a table of 0\n");
        ok(nd_frames("WINHTTP_TEST_H2_NGHTTPD_QUIRKS_LOG", conn, "send DATA frame") > 0, "no DATA frames sent\n");
        ok(strstr(log, "; PADDED") != NULL, "nghttpd padded nothing\n");
        /* Neither side saw a protocol error (our GOAWAY at the session's
         * close is NO_ERROR). */
        ok(!nd_frames("WINHTTP_TEST_H2_NGHTTPD_QUIRKS_LOG", conn, "send GOAWAY"), "nghttpd sent GOAWAY\n");
        ok(!nd_frames("WINHTTP_TEST_H2_NGHTTPD_QUIRKS_LOG", conn, "RST_STREAM"), "a stream was reset\n");
        ok(!strstr(log, "GOAWAY frame") || strstr(log, "error_code=NO_ERROR"), "a GOAWAY with an error\n");
    }
    else ok(0, "the download is not in nghttpd's log\n");
    free(log);
    for (k = 0; k < 2; k++)
    {
        const char *line, *p;
        sprintf(marker, "m=ndhpack%lu-%d&", run_id, k);
        log = NULL;
        if (!(line = nd_request_line("WINHTTP_TEST_H2_NGHTTPD_QUIRKS_LOG", marker, &log, &conn2, &stream2)))
        {
            ok(0, "request %d is not in nghttpd's log\n", k);
            free(log);
            continue;
        }
        hconn[k] = conn2;
        /* The frame's line follows its fields: "recv HEADERS frame <length=N, ..., stream_id=S>". */
        for (p = line; (p = strstr(p, "recv HEADERS frame <length=")); p++)
        {
            char tail[32];
            const char *end = strchr(p, '\n');
            sprintf(tail, "stream_id=%d>", stream2);
            if (strstr(p, tail) && (!end || strstr(p, tail) < end))
            {
                if (k) second_len = atoi(p + strlen("recv HEADERS frame <length="));
                else first_len = atoi(p + strlen("recv HEADERS frame <length="));
                break;
            }
        }
        free(log);
    }
    ok(hconn[0] == hconn[1], "the two requests went on connections %d and %d\n", hconn[0], hconn[1]);
    ok(first_len > 60 && first_len == second_len, "HEADERS of %d then %d bytes\n", first_len, second_len);
}

/* ------------------------------------------------------------------ */
/* hostile servers: each misbehaviour ends in its error, nothing hangs   */

static DWORD hostile_get(HINTERNET session, int port, const WCHAR *verb, const WCHAR *path, const void *data,
                         DWORD len, DWORD *status, char **body)
{
    HINTERNET connect, request;
    DWORD err = 0, avail, n, total = 0;
    char *buf = NULL;

    request = open_request(session, &connect, port, verb, path, TRUE);
    *status = 0;
    if (!WinHttpSendRequest(request, NULL, 0, (void *)data, len, len, 0) || !WinHttpReceiveResponse(request, NULL))
        err = GetLastError();
    else
    {
        *status = status_of(request);
        buf = malloc(1);
        for (;;)
        {
            if (!WinHttpQueryDataAvailable(request, &avail)) { err = GetLastError(); break; }
            if (!avail) break;
            buf = realloc(buf, total + avail + 1);
            if (!WinHttpReadData(request, buf + total, avail, &n)) { err = GetLastError(); break; }
            if (!n) break;
            total += n;
        }
        buf[total] = 0;
    }
    if (body) *body = buf;
    else free(buf);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    return err;
}

static void test_hostile(void)
{
    HINTERNET session = open_session(TRUE, 0);
    DWORD err, status, start, timeout = 1500;
    static char big[1024 * 1024];
    char *body = NULL;

    /* GOAWAY before processing: the request is retried on a new connection. */
    err = hostile_get(session, hostile_port, NULL, L"/goaway-once", NULL, 0, &status, &body);
    ok(!err && status == 200 && body && !strcmp(body, "after goaway\n"), "goaway-once: error %lu status %lu %s\n",
       err, status, body ? body : "");
    free(body);
    body = NULL;
    /* Every time: the error of a connection the server ended. */
    err = hostile_get(session, hostile_port, NULL, L"/goaway-always", NULL, 0, &status, NULL);
    ok_u(err, ERROR_WINHTTP_CONNECTION_ERROR);
    /* RST_STREAM ends that stream only: the next request goes on. */
    err = hostile_get(session, hostile_port, NULL, L"/rst", NULL, 0, &status, NULL);
    ok_u(err, ERROR_WINHTTP_INVALID_SERVER_RESPONSE);
    err = hostile_get(session, hostile_port, NULL, L"/ok?after-rst", NULL, 0, &status, &body);
    ok(!err && status == 200 && body && !strcmp(body, "h2 ok\n"), "after rst: error %lu status %lu\n", err, status);
    free(body);
    body = NULL;
    {
        char *log = peer_read_env_file("WINHTTP_TEST_H2_HOSTILE_LOG"), *rst, *after;
        ok(log != NULL, "no hostile log\n");
        if (log && (rst = strstr(log, " /rst\n")) && (after = strstr(log, " /ok?after-rst\n")))
        {
            /* "N path": the same connection serial N for both */
            while (rst > log && rst[-1] != '\n') rst--;
            while (after > log && after[-1] != '\n') after--;
            ok(atoi(rst) == atoi(after), "the request after RST_STREAM went on connection %d, not %d\n",
               atoi(after), atoi(rst));
        }
        else ok(0, "the hostile log lacks the requests\n");
        free(log);
    }
    /* HTTP_1_1_REQUIRED (what a server says before NTLM): the request goes
     * again over HTTP/1.1. */
    {
        HINTERNET connect, request = open_request(session, &connect, hostile_port, NULL, L"/http11", TRUE);
        ok_status(request, 200);
        ok_u(protocol_used(request), 0);
        body = read_body(request);
        ok(!strcmp(body, "http/1.1 here\n"), "body %s\n", body);
        free(body);
        body = NULL;
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(connect);
    }
    /* A push we refused in our SETTINGS: a connection error (RFC 9113
     * 8.4), the request fails at once, the pushed body never surfaces;
     * the next request gets a new connection. */
    start = GetTickCount();
    err = hostile_get(session, hostile_port, NULL, L"/push", NULL, 0, &status, &body);
    ok_u(err, ERROR_WINHTTP_INVALID_SERVER_RESPONSE);
    ok(!body, "a body after the push: %s\n", body);
    ok(GetTickCount() - start < 5000, "the refused push took %lu ms\n", GetTickCount() - start);
    free(body);
    body = NULL;
    err = hostile_get(session, hostile_port, NULL, L"/ok?after-push", NULL, 0, &status, &body);
    ok(!err && status == 200 && body && !strcmp(body, "h2 ok\n"), "after push: error %lu status %lu\n", err, status);
    free(body);
    body = NULL;
    /* A response head beyond the limit. */
    err = hostile_get(session, hostile_port, NULL, L"/bigheaders", NULL, 0, &status, NULL);
    ok_u(err, ERROR_WINHTTP_HEADER_SIZE_OVERFLOW);
    /* The connection dropped mid-body. */
    err = hostile_get(session, hostile_port, NULL, L"/drop", NULL, 0, &status, NULL);
    ok_u(err, ERROR_WINHTTP_CONNECTION_ERROR);
    WinHttpCloseHandle(session);

    /* A flow-control window that never opens: the send times out. */
    session = open_session(TRUE, 0);
    ok(WinHttpSetTimeouts(session, 0, 5000, timeout, timeout), "timeouts %lu\n", GetLastError());
    start = GetTickCount();
    err = hostile_get(session, nowindow_port, L"POST", L"/nowindow", big, sizeof(big), &status, NULL);
    ok_u(err, ERROR_WINHTTP_TIMEOUT);
    ok(GetTickCount() - start < 10000, "the stuck send took %lu ms\n", GetTickCount() - start);
    WinHttpCloseHandle(session);
}

/* WINHTTP_OPTION_STREAM_ERROR_CODE: the HTTP/2 error code of the
 * RST_STREAM that ended the request's stream, 0 when none did. */
static void test_stream_error_code(void)
{
    HINTERNET session = open_session(TRUE, 0), connect, request;
    DWORD code, size;
    BYTE small[2];

    request = open_request(session, &connect, hostile_port, NULL, L"/rst", TRUE);
    /* Like the other values of the connection: none before the request went out. */
    size = sizeof(code);
    ok(!WinHttpQueryOption(request, WINHTTP_OPTION_STREAM_ERROR_CODE, &code, &size), "a code before send\n");
    ok_u(GetLastError(), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok(!WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) || !WinHttpReceiveResponse(request, NULL),
       "the reset request succeeded\n");
    code = 0xdead;
    size = sizeof(code);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_STREAM_ERROR_CODE, &code, &size), "after reset: %lu\n",
       GetLastError());
    ok_u(code, 2);   /* INTERNAL_ERROR, what hostile_h2.py resets /rst with */
    ok_u(size, sizeof(DWORD));
    size = sizeof(small);
    ok(!WinHttpQueryOption(request, WINHTTP_OPTION_STREAM_ERROR_CODE, small, &size), "short buffer accepted\n");
    ok_u(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);

    /* A stream that ended normally has none. */
    request = open_request(session, &connect, hostile_port, NULL, L"/ok?no-reset", TRUE);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) && WinHttpReceiveResponse(request, NULL), "ok: %lu\n",
       GetLastError());
    code = 0xdead;
    size = sizeof(code);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_STREAM_ERROR_CODE, &code, &size), "after ok: %lu\n",
       GetLastError());
    ok_u(code, 0);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* Through a proxy: the CONNECT tunnel carries TLS, ALPN picks h2 inside it,
 * and the requests of the session share the one tunnel. */
static void test_through_proxy(void)
{
    HINTERNET session, connect, request;
    DWORD value = WINHTTP_PROTOCOL_FLAG_HTTP2;
    WCHAR proxy[64], path[64];
    char marker[64], *log;
    int i, before, after;
    char *body;

    if (!squid_port)
    {
        skip("no squid\n");
        return;
    }
    snprintf(marker, sizeof(marker), "CONNECT localhost:%d ", h2_port);
    log = peer_read_env_file("WINHTTP_TEST_SQUID_ACCESS_LOG");
    before = peer_count_lines(log, marker);
    free(log);

    swprintf(proxy, ARRAYSIZE(proxy), L"127.0.0.1:%d", squid_port);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, WINHTTP_NO_PROXY_BYPASS, 0);
    ok(session != NULL, "WinHttpOpen: %lu\n", GetLastError());
    ok(WinHttpSetOption(session, WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL, &value, sizeof(value)), "enable: %lu\n",
       GetLastError());
    for (i = 0; i < 3; i++)
    {
        swprintf(path, ARRAYSIZE(path), L"/static/small.txt?proxy%lu-%d", run_id, i);
        request = open_request(session, &connect, h2_port, NULL, path, TRUE);
        ok_status(request, 200);
        ok_u(protocol_used(request), WINHTTP_PROTOCOL_FLAG_HTTP2);
        body = read_body(request);
        ok(!strcmp(body, PEER_SMALL_TEXT), "body %s\n", body);
        free(body);
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(connect);
    }
    WinHttpCloseHandle(session);
    /* squid logs a tunnel when it closes. */
    after = peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", marker, before + 1, 3000);
    ok(after == before + 1, "%d tunnels for three requests\n", after - before);
}

/* The same misbehaviours in asynchronous mode: the error comes with
 * WINHTTP_CALLBACK_STATUS_REQUEST_ERROR, nothing hangs. */
static void test_hostile_async(void)
{
    HINTERNET session = open_session(TRUE, WINHTTP_FLAG_ASYNC);
    DWORD err, status, start, timeout = 1500;
    static char big[1024 * 1024];
    char *body = NULL;

    err = async_exchange(session, hostile_port, NULL, L"/goaway-once?async", NULL, 0, &status, &body, NULL);
    ok(!err && status == 200 && body && !strcmp(body, "after goaway\n"), "goaway-once: error %lu status %lu %s\n",
       err, status, body ? body : "");
    free(body);
    body = NULL;
    err = async_exchange(session, hostile_port, NULL, L"/goaway-always?async", NULL, 0, &status, NULL, NULL);
    ok_u(err, ERROR_WINHTTP_CONNECTION_ERROR);
    err = async_exchange(session, hostile_port, NULL, L"/rst?async", NULL, 0, &status, NULL, NULL);
    ok_u(err, ERROR_WINHTTP_INVALID_SERVER_RESPONSE);
    err = async_exchange(session, hostile_port, NULL, L"/ok?async-after-rst", NULL, 0, &status, &body, NULL);
    ok(!err && status == 200 && body && !strcmp(body, "h2 ok\n"), "after rst: error %lu status %lu\n", err, status);
    free(body);
    body = NULL;
    err = async_exchange(session, hostile_port, NULL, L"/http11?async", NULL, 0, &status, &body, NULL);
    ok(!err && status == 200 && body && !strcmp(body, "http/1.1 here\n"), "http11: error %lu status %lu\n", err,
       status);
    free(body);
    body = NULL;
    err = async_exchange(session, hostile_port, NULL, L"/push?async", NULL, 0, &status, &body, NULL);
    ok_u(err, ERROR_WINHTTP_INVALID_SERVER_RESPONSE);
    ok(!body, "a body after the push: %s\n", body);
    free(body);
    body = NULL;
    err = async_exchange(session, hostile_port, NULL, L"/ok?async-after-push", NULL, 0, &status, &body, NULL);
    ok(!err && status == 200 && body && !strcmp(body, "h2 ok\n"), "after push: error %lu status %lu\n", err, status);
    free(body);
    err = async_exchange(session, hostile_port, NULL, L"/bigheaders?async", NULL, 0, &status, NULL, NULL);
    ok_u(err, ERROR_WINHTTP_HEADER_SIZE_OVERFLOW);
    err = async_exchange(session, hostile_port, NULL, L"/drop?async", NULL, 0, &status, NULL, NULL);
    ok_u(err, ERROR_WINHTTP_CONNECTION_ERROR);
    WinHttpCloseHandle(session);

    session = open_session(TRUE, WINHTTP_FLAG_ASYNC);
    ok(WinHttpSetTimeouts(session, 0, 5000, timeout, timeout), "timeouts %lu\n", GetLastError());
    start = GetTickCount();
    err = async_exchange(session, nowindow_port, L"POST", L"/nowindow?async", big, sizeof(big), &status, NULL, NULL);
    ok_u(err, ERROR_WINHTTP_TIMEOUT);
    ok(GetTickCount() - start < 10000, "the stuck send took %lu ms\n", GetTickCount() - start);
    WinHttpCloseHandle(session);
    /* A response that does not come in time (the receive timeout). */
    session = open_session(TRUE, WINHTTP_FLAG_ASYNC);
    ok(WinHttpSetTimeouts(session, 0, 5000, 5000, 500), "timeouts %lu\n", GetLastError());
    start = GetTickCount();
    err = async_exchange(session, hostile_port, NULL, L"/slow?async", NULL, 0, &status, NULL, NULL);
    ok_u(err, ERROR_WINHTTP_TIMEOUT);
    ok(GetTickCount() - start < 2900, "the slow answer took %lu ms to time out\n", GetTickCount() - start);
    WinHttpCloseHandle(session);
}

/* A program's own chunked request body (Transfer-Encoding: chunked, the
 * framing written through WinHttpWriteData, as over HTTP/1.1): HTTP/2 has no
 * chunked coding, so the data goes out in DATA frames without the framing
 * and the last chunk ends the stream.  nghttpd echoes what arrived. */
static void chunked_upload(HINTERNET session, const char *framed, DWORD framed_len, DWORD piece, const char *expect,
                           DWORD expect_len, DWORD expect_error, const char *what)
{
    HINTERNET connect, request = open_request(session, &connect, nd_window_port, L"POST", L"/echo?m=chunked", TRUE);
    DWORD err = 0, off = 0, n, written, status = 0;
    char *body;

    if (!WinHttpSendRequest(request, L"Transfer-Encoding: chunked\r\n", -1, NULL, 0,
                            WINHTTP_IGNORE_REQUEST_TOTAL_LENGTH, 0))
        err = GetLastError();
    while (!err && off < framed_len)
    {
        n = min(piece, framed_len - off);
        if (!WinHttpWriteData(request, framed + off, n, &written)) err = GetLastError();
        off += n;
    }
    if (!err && !WinHttpReceiveResponse(request, NULL)) err = GetLastError();
    ok(err == expect_error, "%s: error %lu, expected %lu\n", what, err, expect_error);
    if (!err)
    {
        status = status_of(request);
        ok(status == 200, "%s: status %lu\n", what, status);
        ok_u(protocol_used(request), WINHTTP_PROTOCOL_FLAG_HTTP2);
        body = read_body(request);
        ok(strlen(body) == expect_len && !memcmp(body, expect, expect_len), "%s: echoed %u bytes, not the %lu sent\n",
           what, (unsigned)strlen(body), expect_len);
        free(body);
    }
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
}

static void test_chunked_request_body(void)
{
    HINTERNET session = open_session(TRUE, 0);
    char *data = malloc(30000), *framed = malloc(40000);
    DWORD i, off = 0, len = 0, size;
    static const char bad[] = "5\r\nhello\r\nzz\r\n";

    for (i = 0; i < 30000; i++) data[i] = 'a' + (i * 7 + i / 26) % 26;
    /* chunks of growing sizes, an extension on one, then the last chunk */
    for (size = 1; off < 30000; size = size * 3 + 1)
    {
        DWORD n = min(size, 30000 - off);
        len += sprintf(framed + len, off ? "%lx\r\n" : "%lx;ext=1\r\n", n);
        memcpy(framed + len, data + off, n);
        len += n;
        off += n;
        len += sprintf(framed + len, "\r\n");
    }
    len += sprintf(framed + len, "0\r\n\r\n");
    chunked_upload(session, framed, len, len, data, 30000, 0, "chunked body in one write");
    /* The framing split anywhere: pieces of 7 bytes, through 15-byte windows. */
    chunked_upload(session, framed, len, 7, data, 30000, 0, "chunked body in 7-byte writes");
    chunked_upload(session, "0\r\n\r\n", 5, 5, "", 0, 0, "empty chunked body");
    /* Framing that is not chunked: the write fails, nothing hangs. */
    chunked_upload(session, bad, sizeof(bad) - 1, sizeof(bad) - 1, NULL, 0, ERROR_INVALID_PARAMETER, "bad framing");
    WinHttpCloseHandle(session);
    free(data);
    free(framed);
}

int main(void)
{
    run_id = GetCurrentProcessId() ^ GetTickCount();
    h2_port = peer_port("WINHTTP_TEST_H2_PORT");
    hostile_port = peer_port("WINHTTP_TEST_H2_HOSTILE_PORT");
    nowindow_port = peer_port("WINHTTP_TEST_H2_NOWINDOW_PORT");
    nginx_port = peer_port("WINHTTP_TEST_NGINX_PORT");
    tls_port = peer_port("WINHTTP_TEST_TLS_VALID_PORT");
    squid_port = peer_port("WINHTTP_TEST_SQUID_PORT");
    if (!h2_port || !hostile_port || !nowindow_port || !nginx_port || !tls_port)
    {
        ok(0, "the HTTP/2 tests need the peers of tools/testenv (tests/peers/tls_h2)\n");
        return test_summary();
    }
    /* Connections are counted in the h2 nginx's log. */
    {
        char log[MAX_PATH * 2];
        if (peer_env("WINHTTP_TEST_H2_ACCESS_LOG", log, sizeof(log)))
            SetEnvironmentVariableA("WINHTTP_TEST_NGINX_ACCESS_LOG", log);
    }
    run_test("negotiation", test_negotiation);
    run_test("stream_id_option", test_stream_id_option);
    run_test("protocol_required", test_protocol_required);
    run_test("post", test_post);
    run_test("auth_and_cookies", test_auth_and_cookies);
    run_test("multiplexing_sync", test_multiplexing_sync);
    run_test("thousand_in_flight", test_thousand_in_flight);
    run_test("stream_queue_disabled", test_stream_queue_disabled);
    run_test("keepalive", test_keepalive);
    run_test("hostile", test_hostile);
    run_test("stream_error_code", test_stream_error_code);
    run_test("through_proxy", test_through_proxy);
    run_test("hostile_async", test_hostile_async);
    nd_port = peer_port("WINHTTP_TEST_H2_NGHTTPD_PORT");
    nd_window_port = peer_port("WINHTTP_TEST_H2_NGHTTPD_WINDOW_PORT");
    nd_push_port = peer_port("WINHTTP_TEST_H2_NGHTTPD_PUSH_PORT");
    nd_quirks_port = peer_port("WINHTTP_TEST_H2_NGHTTPD_QUIRKS_PORT");
    if (!nd_port || !nd_window_port || !nd_push_port || !nd_quirks_port)
    {
        ok(0, "the nghttpd peers did not start (tests/peers/tls_h2, nghttp2-server)\n");
        return test_summary();
    }
    {
        int i;
        nd_pattern = malloc(ND_PATTERN_LEN);
        for (i = 0; i < ND_PATTERN_LEN; i++) nd_pattern[i] = (char)PEER_PATTERN_BYTE(i);
        nd_text = malloc(PEER_TEXT_LEN);
        for (i = 0; i < PEER_TEXT_REPEAT; i++) memcpy(nd_text + i * PEER_SMALL_LEN, PEER_SMALL_TEXT, PEER_SMALL_LEN);
    }
    run_test("nghttpd_stream_limit", test_nghttpd_stream_limit);
    run_test("nghttpd_stream_queue", test_nghttpd_stream_queue);
    run_test("nghttpd_tiny_windows", test_nghttpd_tiny_windows);
    run_test("nghttpd_push", test_nghttpd_push);
    run_test("nghttpd_quirks", test_nghttpd_quirks);
    run_test("chunked_request_body", test_chunked_request_body);
    return test_summary();
}
