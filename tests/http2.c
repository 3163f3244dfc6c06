/*
 * HTTP/2 (WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL with WINHTTP_PROTOCOL_FLAG_HTTP2)
 * against the peers of tests/peers/tls_h2: nginx with h2 on its TLS
 * listener, and hostile_h2.py, a scripted h2 server that misbehaves on
 * request.  What the API shows over h2 (protocol used, version, headers),
 * when h2 is and is not used (ALPN fallback, no h2c, the protocol-required
 * option), many requests multiplexed on one connection, and the documented
 * error each misbehaviour ends in.  The HTTP tests of http.c and async.c run
 * over h2 as well (tests/scripts/http2_rerun).
 */
#include "test.h"
#include <winhttp.h>
#include "peers.h"
#include "client.h"

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

static void test_multiplexing_sync(void)
{
    HINTERNET session = open_session(TRUE, 0);
    struct worker workers[8];
    HANDLE threads[8];
    int i;
    LONG failures = 0;

    for (i = 0; i < 8; i++)
    {
        workers[i].session = session;
        workers[i].index = i;
        workers[i].failures = 0;
        threads[i] = CreateThread(NULL, 0, sync_worker, &workers[i], 0, NULL);
    }
    WaitForMultipleObjects(8, threads, TRUE, 60000);
    for (i = 0; i < 8; i++)
    {
        CloseHandle(threads[i]);
        failures += workers[i].failures;
    }
    ok_u(failures, 0);
    {
        char marker[64];
        sprintf(marker, "m=h2sync%lu&", run_id);
        ok_u(peer_nginx_connections(marker, 40), 1);
    }
    WinHttpCloseHandle(session);
}

/* 1,000 asynchronous requests in flight through one session: as many
 * connections as the server's stream limit requires (nginx's 128 concurrent
 * streams; the rest queue), every body byte-exact. */
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
static char *expected_text;

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
            flight_end(f, f->len != PEER_TEXT_LEN || memcmp(f->buf + f->cap, expected_text, PEER_TEXT_LEN));
            break;
        }
        if (f->len + len > PEER_TEXT_LEN)
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

/* COUNT asynchronous requests through one session; the number of
 * connections nginx saw for them, -1 if any failed. */
static int run_flights(int count, BOOL no_queue, const char *tag)
{
    HINTERNET session = open_session(TRUE, WINHTTP_FLAG_ASYNC);
    WCHAR path[128];
    char marker[64];
    int i, conns;

    if (no_queue)
        ok(WinHttpSetOption(session, WINHTTP_OPTION_DISABLE_STREAM_QUEUE, &no_queue, sizeof(no_queue)),
           "DISABLE_STREAM_QUEUE: %lu\n", GetLastError());
    sprintf(marker, "m=%s%lu&", tag, run_id);
    expected_text = malloc(PEER_TEXT_LEN);
    for (i = 0; i < PEER_TEXT_REPEAT; i++) memcpy(expected_text + i * PEER_SMALL_LEN, PEER_SMALL_TEXT, PEER_SMALL_LEN);
    flights = calloc(count, sizeof(*flights));
    flights_left = count;
    flights_failed = 0;
    flights_done = CreateEventW(NULL, TRUE, FALSE, NULL);
    WinHttpSetStatusCallback(session, flight_callback, WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS, 0);
    for (i = 0; i < count; i++)
    {
        struct flight *f = &flights[i];
        /* buf: the read buffer (cap bytes), then the body as assembled. */
        f->cap = 4096;
        f->buf = malloc(f->cap + PEER_TEXT_LEN + 1);
        swprintf(path, ARRAYSIZE(path), L"/static/text.txt?%hs&i=%d", marker, i);
        f->connect = WinHttpConnect(session, L"localhost", (INTERNET_PORT)h2_port, 0);
        f->request = WinHttpOpenRequest(f->connect, NULL, path, NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
        if (!f->request || !WinHttpSendRequest(f->request, NULL, 0, NULL, 0, 0, (DWORD_PTR)f)) flight_end(f, TRUE);
    }
    ok(!WaitForSingleObject(flights_done, 120000), "%ld of %d requests still in flight\n", flights_left, count);
    ok_u(flights_failed, 0);
    conns = flights_failed ? -1 : peer_nginx_connections(marker, count);
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
    free(expected_text);
    CloseHandle(flights_done);
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
    return test_summary();
}
