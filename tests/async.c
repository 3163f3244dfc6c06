/*
 * Asynchronous WinHTTP (WINHTTP_FLAG_ASYNC) and status callbacks: the exact
 * notification sequence of each scenario, errors delivered as
 * REQUEST_ERROR with the API that failed, closing handles while operations
 * are pending and from inside callbacks (HANDLE_CLOSING exactly once and
 * last), reentrant reads, and synchronous-mode notifications.
 *
 * Set WINHTTP_STRESS=1 for the stress run (make check-stress): 1,000
 * concurrent requests on one session, a random 10% closed mid-flight.
 */
#include "test.h"
#include <winhttp.h>
#include "h2mode.h"

static int nginx_port, scripted_port, closed_port;

static int env_port(const char *name)
{
    char buf[16];
    if (!GetEnvironmentVariableA(name, buf, sizeof(buf))) return 0;
    return atoi(buf);
}

/* ------------------------------------------------------------------ */
/* recording notifications                                             */

#define MAX_EVENTS 256

struct recorder
{
    CRITICAL_SECTION cs;
    HANDLE event;               /* set on every notification */
    DWORD statuses[MAX_EVENTS];
    HINTERNET handles[MAX_EVENTS];
    DWORD threads[MAX_EVENTS];  /* the thread each notification came on */
    int count;
    DWORD last_error_api, last_error;
    DWORD data_available;
    DWORD bytes_read;
    int closing_count;
    BOOL after_closing;         /* a notification came after HANDLE_CLOSING of that handle */
    HINTERNET closed_handles[16];
    int closed_count;
    /* behaviour */
    HINTERNET close_on_status_handle;
    DWORD close_on_status;
    char *read_buffer;
    DWORD read_size;
    BOOL read_loop;             /* keep reading from READ_COMPLETE */
    DWORD block_headers_ms;     /* sleep this long in HEADERS_AVAILABLE */
    LONG max_depth;
};

static const char *status_name(DWORD s)
{
    switch (s)
    {
#define S(x) case WINHTTP_CALLBACK_STATUS_##x: return #x;
    S(RESOLVING_NAME) S(NAME_RESOLVED) S(CONNECTING_TO_SERVER) S(CONNECTED_TO_SERVER) S(SENDING_REQUEST)
    S(REQUEST_SENT) S(RECEIVING_RESPONSE) S(RESPONSE_RECEIVED) S(CLOSING_CONNECTION) S(CONNECTION_CLOSED)
    S(HANDLE_CREATED) S(HANDLE_CLOSING) S(DETECTING_PROXY) S(REDIRECT) S(INTERMEDIATE_RESPONSE)
    S(SECURE_FAILURE) S(HEADERS_AVAILABLE) S(DATA_AVAILABLE) S(READ_COMPLETE) S(WRITE_COMPLETE)
    S(REQUEST_ERROR) S(SENDREQUEST_COMPLETE)
#undef S
    }
    return "?";
}

static __thread LONG callback_depth;

/* Everything that reads or writes the recorder happens under its lock: once
 * the lock is released the test may have seen the last HANDLE_CLOSING and
 * freed the recorder, so what the callback does afterwards uses copies. */
static void CALLBACK record(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    struct recorder *r = (struct recorder *)context;
    BOOL close_it = FALSE, read_more = FALSE;
    DWORD block_ms = 0, read_size = 0;
    char *read_buffer = NULL;
    int i;

    if (!r) return;
    EnterCriticalSection(&r->cs);
    /* Nesting is per thread: callbacks of one request may run on several. */
    if (++callback_depth > r->max_depth) r->max_depth = callback_depth;
    for (i = 0; i < r->closed_count; i++) if (r->closed_handles[i] == handle) r->after_closing = TRUE;
    if (r->count < MAX_EVENTS)
    {
        r->statuses[r->count] = status;
        r->threads[r->count] = GetCurrentThreadId();
        r->handles[r->count++] = handle;
    }
    if (status == WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING)
    {
        r->closing_count++;
        if (r->closed_count < 16) r->closed_handles[r->closed_count++] = handle;
    }
    if (status == WINHTTP_CALLBACK_STATUS_REQUEST_ERROR)
    {
        WINHTTP_ASYNC_RESULT *res = info;
        r->last_error_api = res->dwResult;
        r->last_error = res->dwError;
    }
    if (status == WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE) r->data_available = *(DWORD *)info;
    if (status == WINHTTP_CALLBACK_STATUS_READ_COMPLETE) r->bytes_read += len;
    if (status == WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE) block_ms = r->block_headers_ms;
    if (status == r->close_on_status && handle == r->close_on_status_handle)
    {
        r->close_on_status = 0;
        close_it = TRUE;
    }
    else if (status == WINHTTP_CALLBACK_STATUS_READ_COMPLETE && r->read_loop && len)
    {
        read_more = TRUE;
        read_buffer = r->read_buffer;
        read_size = r->read_size;
    }
    SetEvent(r->event);
    LeaveCriticalSection(&r->cs);

    if (block_ms) Sleep(block_ms);
    if (close_it) WinHttpCloseHandle(handle);
    else if (read_more) WinHttpReadData(handle, read_buffer, read_size, NULL);
    callback_depth--;
}

static void recorder_init(struct recorder *r)
{
    memset(r, 0, sizeof(*r));
    InitializeCriticalSection(&r->cs);
    r->event = CreateEventW(NULL, FALSE, FALSE, NULL);
}

static void recorder_free(struct recorder *r)
{
    DeleteCriticalSection(&r->cs);
    CloseHandle(r->event);
    free(r->read_buffer);
}

/* Wait until status arrives for handle (or any handle if NULL). */
static BOOL wait_for(struct recorder *r, DWORD status, HINTERNET handle, DWORD timeout)
{
    DWORD start = GetTickCount();
    int i;

    for (;;)
    {
        EnterCriticalSection(&r->cs);
        for (i = 0; i < r->count; i++)
            if (r->statuses[i] == status && (!handle || r->handles[i] == handle))
            {
                LeaveCriticalSection(&r->cs);
                return TRUE;
            }
        LeaveCriticalSection(&r->cs);
        if (GetTickCount() - start > timeout) return FALSE;
        WaitForSingleObject(r->event, 100);
    }
}

/* Wait for handle's HANDLE_CLOSING, which is recorded apart from the
 * sequence (that may be full). */
static BOOL wait_closed(struct recorder *r, HINTERNET handle, DWORD timeout)
{
    DWORD start = GetTickCount();
    int i;

    for (;;)
    {
        EnterCriticalSection(&r->cs);
        for (i = 0; i < r->closed_count; i++)
            if (r->closed_handles[i] == handle)
            {
                LeaveCriticalSection(&r->cs);
                return TRUE;
            }
        LeaveCriticalSection(&r->cs);
        if (GetTickCount() - start > timeout) return FALSE;
        WaitForSingleObject(r->event, 100);
    }
}

/* Close the handles of a test and free its recorder.  The recorder is the
 * handles' context: it must live until their last HANDLE_CLOSING, which
 * WinHTTP may deliver on another thread after WinHttpCloseHandle returned
 * (a pending operation still holds the handle).  "last" is the handle whose
 * HANDLE_CLOSING comes last: the session's, its children hold it open. */
static void close_and_free(struct recorder *r, HINTERNET request, HINTERNET connect, HINTERNET session,
                           HINTERNET last)
{
    if (request) WinHttpCloseHandle(request);
    if (connect) WinHttpCloseHandle(connect);
    if (session) WinHttpCloseHandle(session);
    ok(wait_closed(r, last, 10000), "no HANDLE_CLOSING for %p\n", last);
    recorder_free(r);
}

/* The sequence of notifications for one handle, names joined by spaces. */
static void sequence(struct recorder *r, HINTERNET handle, char *out, size_t size)
{
    int i;

    out[0] = 0;
    EnterCriticalSection(&r->cs);
    for (i = 0; i < r->count; i++)
    {
        if (handle && r->handles[i] != handle) continue;
        if (out[0]) strncat(out, " ", size - strlen(out) - 1);
        strncat(out, status_name(r->statuses[i]), size - strlen(out) - 1);
    }
    LeaveCriticalSection(&r->cs);
}

static void clear(struct recorder *r)
{
    EnterCriticalSection(&r->cs);
    r->count = 0;
    LeaveCriticalSection(&r->cs);
}

/* The thread the first notification status for handle came on (0: none). */
static DWORD thread_of(struct recorder *r, DWORD status, HINTERNET handle, int nth)
{
    DWORD tid = 0;
    int i;

    EnterCriticalSection(&r->cs);
    for (i = 0; i < r->count; i++)
        if (r->statuses[i] == status && r->handles[i] == handle && !nth--)
        {
            tid = r->threads[i];
            break;
        }
    LeaveCriticalSection(&r->cs);
    return tid;
}

#define ok_sequence(r, h, expect) do { char seq_[4096]; sequence((r), (h), seq_, sizeof(seq_)); \
    ok(!strcmp(seq_, (expect)), "notifications:\n  expected %s\n  got      %s\n", (expect), seq_); } while (0)

static HINTERNET open_async_session(struct recorder *r)
{
    HINTERNET s = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, WINHTTP_FLAG_ASYNC);
    DWORD_PTR ctx = (DWORD_PTR)r;
    ok(s != NULL, "WinHttpOpen failed %lu\n", GetLastError());
    ok(WinHttpSetOption(s, WINHTTP_OPTION_CONTEXT_VALUE, &ctx, sizeof(ctx)), "context %lu\n", GetLastError());
    ok(WinHttpSetStatusCallback(s, record, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0) == NULL,
       "previous callback not NULL\n");
    return s;
}

static HINTERNET open_request(HINTERNET session, int port, const WCHAR *path, HINTERNET *connect)
{
    *connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)port, 0);
    ok(*connect != NULL, "connect %lu\n", GetLastError());
    return WinHttpOpenRequest(*connect, NULL, path, NULL, NULL, NULL, 0);
}

/* Drive a whole GET asynchronously, one step per completion. */
static BOOL async_get(struct recorder *r, HINTERNET request, char *body, DWORD *len)
{
    DWORD_PTR ctx = (DWORD_PTR)r;
    char buf[4096];

    *len = 0;
    if (!WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, ctx)) return FALSE;
    if (!wait_for(r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 10000)) return FALSE;
    if (!WinHttpReceiveResponse(request, NULL)) return FALSE;
    if (!wait_for(r, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, request, 10000)) return FALSE;
    for (;;)
    {
        DWORD before = r->bytes_read, n;
        int count_before = r->count;
        if (!WinHttpReadData(request, buf, sizeof(buf), NULL)) return FALSE;
        /* wait for this READ_COMPLETE */
        for (;;)
        {
            int i, found = 0;
            EnterCriticalSection(&r->cs);
            for (i = count_before; i < r->count; i++)
                if (r->statuses[i] == WINHTTP_CALLBACK_STATUS_READ_COMPLETE) found = 1;
            LeaveCriticalSection(&r->cs);
            if (found) break;
            if (WaitForSingleObject(r->event, 10000) == WAIT_TIMEOUT) return FALSE;
        }
        n = r->bytes_read - before;
        if (!n) break;
        if (body) memcpy(body + *len, buf, n);
        *len += n;
    }
    return TRUE;
}

/* ------------------------------------------------------------------ */

static void test_async_get_sequence(void)
{
    struct recorder r;
    HINTERNET session, connect, request;
    char body[64];
    DWORD len;

    recorder_init(&r);
    session = open_async_session(&r);
    request = open_request(session, nginx_port, L"/static/small.txt", &connect);
    ok(async_get(&r, request, body, &len), "async GET failed %lu\n", GetLastError());
    ok(len == 15 && !memcmp(body, "hello, winhttp\n", 15), "body %lu bytes\n", len);
    ok_sequence(&r, request, "HANDLE_CREATED RESOLVING_NAME NAME_RESOLVED CONNECTING_TO_SERVER CONNECTED_TO_SERVER "
                "SENDING_REQUEST REQUEST_SENT SENDREQUEST_COMPLETE RECEIVING_RESPONSE RESPONSE_RECEIVED "
                "HEADERS_AVAILABLE READ_COMPLETE READ_COMPLETE");
    ok(WinHttpCloseHandle(request), "close %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, request, 5000), "no HANDLE_CLOSING\n");

    /* The second request reuses the connection: no resolve, no connect. */
    clear(&r);
    request = WinHttpOpenRequest(connect, NULL, L"/static/small.txt", NULL, NULL, NULL, 0);
    ok(async_get(&r, request, body, &len), "second async GET failed %lu\n", GetLastError());
    ok_sequence(&r, request, "HANDLE_CREATED SENDING_REQUEST REQUEST_SENT SENDREQUEST_COMPLETE RECEIVING_RESPONSE "
                "RESPONSE_RECEIVED HEADERS_AVAILABLE READ_COMPLETE READ_COMPLETE");
    WinHttpCloseHandle(request);
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, request, 5000), "no HANDLE_CLOSING\n");
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, session, 5000), "no session HANDLE_CLOSING\n");
    ok(!r.after_closing, "a notification came after HANDLE_CLOSING\n");
    recorder_free(&r);
}

static void test_async_query_data_available(void)
{
    struct recorder r;
    HINTERNET session, connect, request;
    DWORD avail = 0xdeadbeef;

    recorder_init(&r);
    session = open_async_session(&r);
    request = open_request(session, nginx_port, L"/static/small.txt", &connect);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)&r), "send %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 5000), "no SENDREQUEST_COMPLETE\n");
    ok(WinHttpReceiveResponse(request, NULL), "receive %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, request, 5000), "no HEADERS_AVAILABLE\n");
    /* Seed 000: OUT parameters are not written asynchronously. */
    ok(WinHttpQueryDataAvailable(request, &avail), "query %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE, request, 5000), "no DATA_AVAILABLE\n");
    ok_u(r.data_available, 15);
    Sleep(50);
    ok(avail == 0xdeadbeef, "OUT parameter written asynchronously: %lu\n", avail);
    close_and_free(&r, request, connect, session, session);
}

/* Over h2 (TLS) a closed session's connections are not adopted by the next
 * session (verified once per session): its first request connects. */
#define CONNECT_SEQUENCE "RESOLVING_NAME NAME_RESOLVED CONNECTING_TO_SERVER CONNECTED_TO_SERVER "

/* Windows keeps a closed session's idle connections: the next session's
 * first request to that server goes out on one, without resolving or
 * connecting.  Leaves such a connection to 127.0.0.1:port behind. */
static void leave_idle_connection(int port)
{
    HINTERNET session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    HINTERNET connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)port, 0);
    HINTERNET request = WinHttpOpenRequest(connect, NULL, L"/static/small.txt", NULL, NULL, NULL, 0);
    char buf[64];
    DWORD n;

    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) && WinHttpReceiveResponse(request, NULL) &&
       WinHttpReadData(request, buf, sizeof(buf), &n), "warm-up request failed %lu\n", GetLastError());
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_async_redirect(void)
{
    struct recorder r;
    HINTERNET session, connect, request;
    char body[64];
    DWORD len;

    leave_idle_connection(nginx_port);
    recorder_init(&r);
    session = open_async_session(&r);
    request = open_request(session, nginx_port, L"/redirect/302", &connect);
    ok(async_get(&r, request, body, &len), "async GET failed %lu\n", GetLastError());
    ok_u(len, 15);
    ok_sequence(&r, request, h2mode ? "HANDLE_CREATED " CONNECT_SEQUENCE
                "SENDING_REQUEST REQUEST_SENT SENDREQUEST_COMPLETE RECEIVING_RESPONSE RESPONSE_RECEIVED REDIRECT "
                "SENDING_REQUEST REQUEST_SENT RECEIVING_RESPONSE RESPONSE_RECEIVED HEADERS_AVAILABLE "
                "READ_COMPLETE READ_COMPLETE" : "HANDLE_CREATED "
                "SENDING_REQUEST REQUEST_SENT SENDREQUEST_COMPLETE RECEIVING_RESPONSE RESPONSE_RECEIVED REDIRECT "
                "SENDING_REQUEST REQUEST_SENT RECEIVING_RESPONSE RESPONSE_RECEIVED HEADERS_AVAILABLE "
                "READ_COMPLETE READ_COMPLETE");
    close_and_free(&r, request, connect, session, session);
}

static void expect_request_error(const WCHAR *host, int port, const WCHAR *path, DWORD timeout, BOOL at_receive,
                                 DWORD api, DWORD error)
{
    struct recorder r;
    HINTERNET session, connect, request;

    recorder_init(&r);
    session = open_async_session(&r);
    connect = WinHttpConnect(session, host, (INTERNET_PORT)port, 0);
    request = WinHttpOpenRequest(connect, NULL, path, NULL, NULL, NULL, 0);
    if (timeout) WinHttpSetTimeouts(request, 0, timeout, timeout, timeout);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)&r), "send returned FALSE %lu\n", GetLastError());
    if (at_receive)
    {
        ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 10000), "no SENDREQUEST_COMPLETE\n");
        ok(WinHttpReceiveResponse(request, NULL), "receive returned FALSE %lu\n", GetLastError());
    }
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_REQUEST_ERROR, request, 20000), "%ls:%d%ls: no REQUEST_ERROR\n", host, port,
       path);
    ok(r.last_error_api == api && r.last_error == error, "%ls:%d%ls: expected api %lu error %lu, got %lu %lu\n", host,
       port, path, api, error, r.last_error_api, r.last_error);
    WinHttpCloseHandle(request);
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, request, 5000), "no HANDLE_CLOSING\n");
    close_and_free(&r, NULL, connect, session, session);
}

static void test_async_errors(void)
{
    expect_request_error(L"127.0.0.1", closed_port, L"/", 0, FALSE, API_SEND_REQUEST, ERROR_WINHTTP_CANNOT_CONNECT);
    /* Only where tools/run-tests made DNS fail on loopback. */
    if (GetEnvironmentVariableA("WINHTTP_TEST_DNS_ISOLATED", NULL, 0))
        expect_request_error(L"no-such-host.invalid", 80, L"/", 0, FALSE, API_SEND_REQUEST,
                             ERROR_WINHTTP_NAME_NOT_RESOLVED);
    expect_request_error(L"127.0.0.1", scripted_port, L"/delay?ms=5000", 500, TRUE, API_RECEIVE_RESPONSE,
                         ERROR_WINHTTP_TIMEOUT);
    expect_request_error(L"127.0.0.1", scripted_port, L"/raw/not-http", 0, TRUE, API_RECEIVE_RESPONSE,
                         ERROR_WINHTTP_INVALID_SERVER_RESPONSE);
}

/* Closing a request whose ReceiveResponse is pending: HANDLE_CLOSING once,
 * nothing after it. */
static void test_close_while_pending(void)
{
    struct recorder r;
    HINTERNET session, connect, request;
    DWORD start;

    recorder_init(&r);
    session = open_async_session(&r);
    request = open_request(session, scripted_port, L"/delay?ms=10000", &connect);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)&r), "send %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 5000), "no SENDREQUEST_COMPLETE\n");
    ok(WinHttpReceiveResponse(request, NULL), "receive %lu\n", GetLastError());
    Sleep(200);
    start = GetTickCount();
    ok(WinHttpCloseHandle(request), "close %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, request, 5000), "no HANDLE_CLOSING\n");
    ok(GetTickCount() - start < 3000, "cancel took %lu ms\n", GetTickCount() - start);
    Sleep(300);
    ok_u(r.closing_count, 1);
    ok(!r.after_closing, "notification after HANDLE_CLOSING\n");
    {
        int i;
        for (i = 0; i < r.count; i++)
            ok(r.statuses[i] != WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, "HEADERS_AVAILABLE after close\n");
    }
    close_and_free(&r, NULL, connect, session, session);
}

/* Closing from inside a callback is the documented way to abort. */
static void test_close_from_callback(void)
{
    static const DWORD statuses[] = { WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, WINHTTP_CALLBACK_STATUS_RESPONSE_RECEIVED,
                                      WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE };
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(statuses); i++)
    {
        struct recorder r;
        HINTERNET session, connect, request;

        recorder_init(&r);
        session = open_async_session(&r);
        request = open_request(session, nginx_port, L"/static/small.txt", &connect);
        r.close_on_status = statuses[i];
        r.close_on_status_handle = request;
        ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)&r), "send %lu\n", GetLastError());
        if (statuses[i] != WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE)
        {
            wait_for(&r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 5000);
            WinHttpReceiveResponse(request, NULL);
        }
        ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, request, 5000), "%s: no HANDLE_CLOSING\n",
           status_name(statuses[i]));
        Sleep(100);
        ok(r.closing_count == 1, "%s: %d HANDLE_CLOSING\n", status_name(statuses[i]), r.closing_count);
        ok(!r.after_closing, "%s: notification after HANDLE_CLOSING\n", status_name(statuses[i]));
        close_and_free(&r, NULL, connect, session, session);
    }
}

/* Reading the next piece from READ_COMPLETE, 1 MiB in 16-byte reads: the
 * callback chain must not grow the stack. */
static void test_reentrant_reads(void)
{
    struct recorder r;
    HINTERNET session, connect, request;

    recorder_init(&r);
    session = open_async_session(&r);
    request = open_request(session, nginx_port, L"/static/pattern-1m.bin", &connect);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)&r), "send %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 5000), "no SENDREQUEST_COMPLETE\n");
    ok(WinHttpReceiveResponse(request, NULL), "receive %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, request, 5000), "no HEADERS_AVAILABLE\n");
    r.read_size = 16;
    r.read_buffer = malloc(16);
    r.read_loop = TRUE;
    ok(WinHttpReadData(request, r.read_buffer, r.read_size, NULL), "read %lu\n", GetLastError());
    {
        DWORD start = GetTickCount();
        while (r.bytes_read < 1024 * 1024 && GetTickCount() - start < 60000) Sleep(50);
    }
    ok_u(r.bytes_read, 1024 * 1024);
    /* WinHTTP may complete inside the call that started an operation; the
     * nesting must stay bounded. */
    ok(r.max_depth <= 3, "callbacks nested %ld deep\n", r.max_depth);
    close_and_free(&r, request, connect, session, session);
}

/* Seed 000 asks callbacks not to block; when one does anyway, only its own
 * request waits: the others go on. */
static void test_blocking_callback(void)
{
    struct recorder slow, fast;
    HINTERNET s1, s2, c1, c2, r1, r2;
    char body[64];
    DWORD len, start;

    recorder_init(&slow);
    recorder_init(&fast);
    slow.block_headers_ms = 3000;
    s1 = open_async_session(&slow);
    s2 = open_async_session(&fast);
    r1 = open_request(s1, nginx_port, L"/static/small.txt", &c1);
    r2 = open_request(s2, nginx_port, L"/static/small.txt", &c2);
    ok(WinHttpSendRequest(r1, NULL, 0, NULL, 0, 0, (DWORD_PTR)&slow), "send %lu\n", GetLastError());
    ok(wait_for(&slow, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, r1, 5000), "no SENDREQUEST_COMPLETE\n");
    ok(WinHttpReceiveResponse(r1, NULL), "receive %lu\n", GetLastError());
    Sleep(100);     /* r1's callback is now asleep in HEADERS_AVAILABLE */
    start = GetTickCount();
    ok(async_get(&fast, r2, body, &len), "the other request failed %lu\n", GetLastError());
    ok(GetTickCount() - start < 2000, "the other request waited for the blocked callback (%lu ms)\n",
       GetTickCount() - start);
    ok_u(len, 15);
    ok(wait_for(&slow, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, r1, 10000), "no HEADERS_AVAILABLE\n");
    Sleep(3100);
    close_and_free(&slow, r1, c1, s1, s1);
    close_and_free(&fast, r2, c2, s2, s2);
}

/* A response that has already arrived is taken on the caller's thread:
 * WinHttpReceiveResponse delivers RECEIVING_RESPONSE .. HEADERS_AVAILABLE
 * before it returns; asking again gets TRUE and a REQUEST_ERROR naming
 * WinHttpReceiveResponse, also from inside the call.  QueryDataAvailable
 * and ReadData on buffered bytes complete the same way. */
static void test_async_completes_on_caller_thread(void)
{
    struct recorder r;
    HINTERNET session, connect, request;
    DWORD me = GetCurrentThreadId(), before;
    char buf[64];

    recorder_init(&r);
    session = open_async_session(&r);
    request = open_request(session, nginx_port, L"/static/small.txt", &connect);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)&r), "send %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 5000), "no SENDREQUEST_COMPLETE\n");
    ok(thread_of(&r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 0) != me,
       "SENDREQUEST_COMPLETE came on the calling thread\n");
    Sleep(200);     /* let nginx's answer arrive */
    ok(WinHttpReceiveResponse(request, NULL), "receive %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, request, 0), "HEADERS_AVAILABLE not delivered inside the call\n");
    ok_u(thread_of(&r, WINHTTP_CALLBACK_STATUS_RECEIVING_RESPONSE, request, 0), me);
    ok_u(thread_of(&r, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, request, 0), me);

    SetLastError(0xdeadbeef);
    ok(WinHttpReceiveResponse(request, NULL), "second receive failed %lu\n", GetLastError());
    ok_u(GetLastError(), ERROR_SUCCESS);
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_REQUEST_ERROR, request, 0), "no REQUEST_ERROR inside the second call\n");
    ok_u(r.last_error_api, API_RECEIVE_RESPONSE);
    ok_u(r.last_error, ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_u(thread_of(&r, WINHTTP_CALLBACK_STATUS_REQUEST_ERROR, request, 0), me);

    ok(WinHttpQueryDataAvailable(request, NULL), "query %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE, request, 0), "DATA_AVAILABLE not delivered inside the call\n");
    ok_u(r.data_available, 15);
    before = r.bytes_read;
    ok(WinHttpReadData(request, buf, sizeof(buf), NULL), "read %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_READ_COMPLETE, request, 0), "READ_COMPLETE not delivered inside the call\n");
    ok_u(r.bytes_read - before, 15);
    ok_u(thread_of(&r, WINHTTP_CALLBACK_STATUS_READ_COMPLETE, request, 0), me);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    /* The session's HANDLE_CLOSING is the last notification: only then may
     * the recorder go. */
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, session, 10000), "no HANDLE_CLOSING for the session\n");
    recorder_free(&r);
}

/* The answer to a request sent inside an operation (here the redirected
 * GET) is waited for by the event loop: its head arrives on another thread
 * even though the operation started on the caller's. */
static void test_async_redirect_threads(void)
{
    struct recorder r;
    HINTERNET session, connect, request;
    DWORD me = GetCurrentThreadId();

    recorder_init(&r);
    session = open_async_session(&r);
    request = open_request(session, nginx_port, L"/redirect/302", &connect);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)&r), "send %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 5000), "no SENDREQUEST_COMPLETE\n");
    Sleep(200);
    ok(WinHttpReceiveResponse(request, NULL), "receive %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, request, 5000), "no HEADERS_AVAILABLE\n");
    ok_u(thread_of(&r, WINHTTP_CALLBACK_STATUS_REDIRECT, request, 0), me);
    ok(thread_of(&r, WINHTTP_CALLBACK_STATUS_RECEIVING_RESPONSE, request, 1) != me,
       "the redirected response was waited for on the calling thread\n");
    ok(thread_of(&r, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, request, 0) != me,
       "HEADERS_AVAILABLE of the redirected response on the calling thread\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    /* The session's HANDLE_CLOSING is the last notification: only then may
     * the recorder go. */
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, session, 10000), "no HANDLE_CLOSING for the session\n");
    recorder_free(&r);
}

/* Asynchronously WinHttpReceiveResponse is accepted in any state (Windows):
 * before anything was sent it is answered by a REQUEST_ERROR; called from the
 * SENDING_REQUEST notification it follows the send, and the response arrives
 * without a second call. */
static struct recorder *receive_from_sending;
static void CALLBACK receive_on_sending(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    if (status == WINHTTP_CALLBACK_STATUS_SENDING_REQUEST)
        ok(WinHttpReceiveResponse(handle, NULL), "receive from SENDING_REQUEST failed %lu\n", GetLastError());
    record(handle, context, status, info, len);
}

static void test_async_receive_any_state(void)
{
    struct recorder r;
    HINTERNET session, connect, request;

    recorder_init(&r);
    session = open_async_session(&r);
    request = open_request(session, nginx_port, L"/static/small.txt", &connect);
    SetLastError(0xdeadbeef);
    ok(WinHttpReceiveResponse(request, NULL), "receive before send failed %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_REQUEST_ERROR, request, 0), "no REQUEST_ERROR inside the call\n");
    ok_u(r.last_error_api, API_RECEIVE_RESPONSE);
    ok_u(r.last_error, ERROR_WINHTTP_INCORRECT_HANDLE_STATE);

    receive_from_sending = &r;
    WinHttpSetStatusCallback(request, receive_on_sending, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)&r), "send %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, request, 5000),
       "no HEADERS_AVAILABLE for the receive made during the send\n");
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 0), "no SENDREQUEST_COMPLETE\n");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, session, 10000), "no HANDLE_CLOSING for the session\n");
    recorder_free(&r);
}

/* Windows sends CLOSING_CONNECTION and CONNECTION_CLOSED when it closes a
 * connection itself (the request said "Connection: close"), not when the
 * server ends it with its own "Connection: close". */
static void test_connection_close_notifications(void)
{
    struct recorder r;
    HINTERNET session, connect, request, request2;
    DWORD len;

    recorder_init(&r);
    session = open_async_session(&r);
    request = open_request(session, scripted_port, L"/echo/x?close=1", &connect);
    ok(async_get(&r, request, NULL, &len), "async GET failed %lu\n", GetLastError());
    ok(!wait_for(&r, WINHTTP_CALLBACK_STATUS_CLOSING_CONNECTION, request, 0), "CLOSING_CONNECTION for the server's close\n");
    ok(!wait_for(&r, WINHTTP_CALLBACK_STATUS_CONNECTION_CLOSED, request, 0), "CONNECTION_CLOSED for the server's close\n");

    request2 = WinHttpOpenRequest(connect, NULL, L"/echo/y", NULL, NULL, NULL, 0);
    ok(WinHttpAddRequestHeaders(request2, L"Connection: close", (DWORD)-1, WINHTTP_ADDREQ_FLAG_ADD | WINHTTP_ADDREQ_FLAG_REPLACE),
       "add %lu\n", GetLastError());
    ok(async_get(&r, request2, NULL, &len), "async GET failed %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_CLOSING_CONNECTION, request2, 0), "no CLOSING_CONNECTION for our close\n");
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_CONNECTION_CLOSED, request2, 0), "no CONNECTION_CLOSED for our close\n");
    WinHttpCloseHandle(request2);
    close_and_free(&r, request, connect, session, session);
}

/* WinHttpSendRequest's dwContext: 0 leaves the handle's context value alone
 * (the callbacks keep getting the one set on the session and inherited). */
static void test_send_context_zero(void)
{
    struct recorder r;
    HINTERNET session, connect, request;
    DWORD_PTR value = 0, size = sizeof(value);

    recorder_init(&r);
    session = open_async_session(&r);
    request = open_request(session, nginx_port, L"/static/small.txt", &connect);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0), "send %lu\n", GetLastError());
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, request, 5000),
       "no SENDREQUEST_COMPLETE with the inherited context\n");
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_CONTEXT_VALUE, &value, (DWORD *)&size), "query %lu\n", GetLastError());
    ok(value == (DWORD_PTR)&r, "context value %p, expected %p\n", (void *)value, &r);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    /* The session's HANDLE_CLOSING is the last notification: only then may
     * the recorder go. */
    ok(wait_for(&r, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, session, 10000), "no HANDLE_CLOSING for the session\n");
    recorder_free(&r);
}

/* WINHTTP_OPTION_UNLOAD_NOTIFY_EVENT on a session: set once the session is
 * closed and gone, not while its children live. */
static void test_unload_notify_event(void)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    HINTERNET session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    HINTERNET connect;

    ok(WinHttpSetOption(session, WINHTTP_OPTION_UNLOAD_NOTIFY_EVENT, &event, sizeof(event)),
       "set on a session: %lu\n", GetLastError());
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)nginx_port, 0);
    ok_u(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    WinHttpCloseHandle(session);
    ok_u(WaitForSingleObject(event, 0), WAIT_TIMEOUT);     /* the connect handle keeps it alive */
    WinHttpCloseHandle(connect);
    ok_u(WaitForSingleObject(event, 2000), WAIT_OBJECT_0);
    CloseHandle(event);
}

/* Synchronous mode sends the progress notifications but no completions. */
static void test_sync_notifications(void)
{
    struct recorder r;
    HINTERNET session, connect, request;
    DWORD_PTR ctx = (DWORD_PTR)&r;
    char buf[64];
    DWORD n;

    leave_idle_connection(nginx_port);
    recorder_init(&r);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    WinHttpSetOption(session, WINHTTP_OPTION_CONTEXT_VALUE, &ctx, sizeof(ctx));
    WinHttpSetStatusCallback(session, record, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0);
    request = open_request(session, nginx_port, L"/static/small.txt", &connect);
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, ctx), "send %lu\n", GetLastError());
    ok(WinHttpReceiveResponse(request, NULL), "receive %lu\n", GetLastError());
    ok(WinHttpReadData(request, buf, sizeof(buf), &n) && n == 15, "read %lu bytes, error %lu\n", n, GetLastError());
    /* The closed warm-up session's connection carries it. */
    ok_sequence(&r, request, h2mode ? "HANDLE_CREATED " CONNECT_SEQUENCE
                "SENDING_REQUEST REQUEST_SENT RECEIVING_RESPONSE RESPONSE_RECEIVED" :
                "HANDLE_CREATED SENDING_REQUEST REQUEST_SENT RECEIVING_RESPONSE RESPONSE_RECEIVED");
    WinHttpCloseHandle(request);
    ok_u(r.closing_count, 1);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    ok_u(r.closing_count, 3);
    recorder_free(&r);
}

/* The notification mask filters. */
static void test_notification_mask(void)
{
    struct recorder r;
    HINTERNET session, connect, request;
    char body[64];
    DWORD len;

    recorder_init(&r);
    session = open_async_session(&r);
    WinHttpSetStatusCallback(session, record, WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS | WINHTTP_CALLBACK_FLAG_HANDLES, 0);
    request = open_request(session, nginx_port, L"/static/small.txt", &connect);
    ok(async_get(&r, request, body, &len), "async GET failed %lu\n", GetLastError());
    ok_sequence(&r, request, "HANDLE_CREATED SENDREQUEST_COMPLETE HEADERS_AVAILABLE READ_COMPLETE READ_COMPLETE");
    ok(WinHttpSetStatusCallback(session, NULL, 0, 0) == record, "previous callback not returned\n");
    /* The session has no callback any more: the connection's HANDLE_CLOSING is the last. */
    close_and_free(&r, request, connect, session, connect);
}

/* ------------------------------------------------------------------ */
/* stress: 1,000 requests in flight on one session                    */

#define STRESS_REQUESTS 1000

struct stress_req
{
    HINTERNET request;
    LONG closing;           /* HANDLE_CLOSING count */
    BOOL close_early;
    BOOL done, failed;
    DWORD bytes;
    char buf[8192];
};

static struct stress_req *stress;
static LONG stress_finished;
static HANDLE stress_event;

static void stress_done(struct stress_req *s, BOOL failed)
{
    if (s->done) return;
    s->done = TRUE;
    s->failed = failed;
    WinHttpCloseHandle(s->request);
}

static void CALLBACK stress_callback(HINTERNET h, DWORD_PTR ctx, DWORD status, void *info, DWORD len)
{
    struct stress_req *s = (struct stress_req *)ctx;

    if (!s) return;
    switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
        if (!WinHttpReceiveResponse(h, NULL)) stress_done(s, TRUE);
        break;
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
        if (!WinHttpReadData(h, s->buf, sizeof(s->buf), NULL)) stress_done(s, TRUE);
        break;
    case WINHTTP_CALLBACK_STATUS_READ_COMPLETE:
        if (!len) stress_done(s, FALSE);
        else
        {
            DWORD i, base = s->bytes;
            for (i = 0; i < len; i++)
                if ((BYTE)s->buf[i] != (base + i) % 251) { stress_done(s, TRUE); return; }
            s->bytes += len;
            if (!WinHttpReadData(h, s->buf, sizeof(s->buf), NULL)) stress_done(s, TRUE);
        }
        break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
        stress_done(s, TRUE);
        break;
    case WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING:
        if (InterlockedIncrement(&s->closing) == 1 && InterlockedIncrement(&stress_finished) == STRESS_REQUESTS)
            SetEvent(stress_event);
        break;
    }
}

static void test_stress(void)
{
    HINTERNET session, connect;
    WCHAR path[64];
    DWORD i, ok_count = 0, bad = 0, closed_early = 0, double_closing = 0, size = 100000;

    stress = calloc(STRESS_REQUESTS, sizeof(*stress));
    stress_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    srand(1234);
    session = WinHttpOpen(L"winhttp-stress", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, WINHTTP_FLAG_ASYNC);
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)nginx_port, 0);
    WinHttpSetStatusCallback(connect, stress_callback, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0);
    swprintf(path, ARRAYSIZE(path), L"/proxy/bytes?n=%lu", size);
    for (i = 0; i < STRESS_REQUESTS; i++)
    {
        struct stress_req *s = &stress[i];
        DWORD_PTR ctx = (DWORD_PTR)s;
        s->request = WinHttpOpenRequest(connect, NULL, L"/static/pattern-1m.bin", NULL, NULL, NULL, 0);
        s->close_early = rand() % 10 == 0;
        WinHttpSetOption(s->request, WINHTTP_OPTION_CONTEXT_VALUE, &ctx, sizeof(ctx));
        if (!WinHttpSendRequest(s->request, NULL, 0, NULL, 0, 0, ctx)) stress_done(s, TRUE);
    }
    /* Close a random 10% while they are in flight. */
    Sleep(20);
    for (i = 0; i < STRESS_REQUESTS; i++)
        if (stress[i].close_early && !stress[i].done)
        {
            stress[i].done = TRUE;
            closed_early++;
            WinHttpCloseHandle(stress[i].request);
        }
    ok(WaitForSingleObject(stress_event, 240000) == WAIT_OBJECT_0, "only %ld of %d handles closed\n", stress_finished,
       STRESS_REQUESTS);
    Sleep(200);
    for (i = 0; i < STRESS_REQUESTS; i++)
    {
        if (stress[i].closing != 1) double_closing++;
        if (stress[i].close_early) continue;
        if (!stress[i].failed && stress[i].bytes == 1024 * 1024) ok_count++;
        else bad++;
    }
    trace("stress: %lu completed with the right bytes, %lu failed, %lu closed early\n", ok_count, bad, closed_early);
    ok(!bad, "%lu requests that were not closed failed or got wrong bytes\n", bad);
    ok(!double_closing, "%lu handles without exactly one HANDLE_CLOSING\n", double_closing);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    free(stress);
}

int main(void)
{
    char stress_env[8];

    if (!h2mode_init())
    {
        ok(0, "the HTTP/2 run needs the h2 peer (tests/peers/tls_h2)\n");
        return test_summary();
    }
    nginx_port = env_port("WINHTTP_TEST_NGINX_PORT");
    scripted_port = env_port("WINHTTP_TEST_SCRIPTED_PORT");
    closed_port = env_port("WINHTTP_TEST_CLOSED_PORT");
    if (!nginx_port || !scripted_port || !closed_port)
    {
        ok(0, "the async tests need the peers of tools/testenv (run through tools/run-tests)\n");
        return test_summary();
    }
    if (GetEnvironmentVariableA("WINHTTP_STRESS", stress_env, sizeof(stress_env)))
    {
        run_test_h2("stress", test_stress);
        return test_summary();
    }
    run_test_h2("async_get_sequence", test_async_get_sequence);
    run_test_h2("async_query_data_available", test_async_query_data_available);
    run_test_h2("async_redirect", test_async_redirect);
    run_test_h1("async_errors", test_async_errors);
    run_test_h1("close_while_pending", test_close_while_pending);
    run_test_h2("close_from_callback", test_close_from_callback);
    run_test_h2("reentrant_reads", test_reentrant_reads);
    run_test_h2("blocking_callback", test_blocking_callback);
    run_test_h2("sync_notifications", test_sync_notifications);
    run_test_h2("notification_mask", test_notification_mask);
    run_test_h2("async_completes_on_caller_thread", test_async_completes_on_caller_thread);
    run_test_h2("async_redirect_threads", test_async_redirect_threads);
    run_test_h2("send_context_zero", test_send_context_zero);
    run_test_h2("async_receive_any_state", test_async_receive_any_state);
    run_test_h1("connection_close_notifications", test_connection_close_notifications);
    run_test_h2("unload_notify_event", test_unload_notify_event);
    return test_summary();
}
