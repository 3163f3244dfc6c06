/*
 * Fuzz what a hostile HTTP/2 server sends (http2.c over libnghttp2): the
 * input is the server's side of the connection after the TLS handshake.  A
 * transport is set up on a fake connection (TLS replaced by the input, the
 * event loop by direct calls), a GET goes out as a stream, the input is fed
 * in pieces of the sizes its first bytes pick, and the stream is read to its
 * end.  Invariants, each an abort:
 *  - what the stream gives the engine is an HTTP/1.1 head that the HTTP/1
 *    parser reads without error, when it is complete;
 *  - reads end (data, end of stream or an error), never more bytes than
 *    the server sent after a head;
 *  - trailers, if any, are whole "name: value" lines within the head's bound;
 * and, as always, nothing ASan or UBSan reports.
 */
// fuzz-sources: dlls/winhttp/http2.c dlls/winhttp/http1.c dlls/winhttp/util.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winhttp_private.h"
#include "unix_private.h"
#include "conn.h"
#include "tls.h"
#include "http1.h"
#include "http2.h"

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

/* ------------------------------------------------------------------ */
/* what http2.c needs beyond tests/fuzz/fuzz_shim.c                     */

void WINAPI AcquireSRWLockExclusive(SRWLOCK *lock) {}
void WINAPI ReleaseSRWLockExclusive(SRWLOCK *lock) {}
void WINAPI AcquireSRWLockShared(SRWLOCK *lock) {}
void WINAPI ReleaseSRWLockShared(SRWLOCK *lock) {}
void WINAPI InitializeSRWLock(SRWLOCK *lock) {}
void WINAPI InitializeConditionVariable(CONDITION_VARIABLE *cv) {}
void WINAPI WakeAllConditionVariable(CONDITION_VARIABLE *cv) {}
BOOL WINAPI IsBadStringPtrA(LPCSTR str, UINT_PTR max) { return !str; }
BOOL WINAPI SleepConditionVariableSRW(CONDITION_VARIABLE *cv, SRWLOCK *lock, DWORD ms, ULONG flags) { return FALSE; }
static ULONGLONG ticks;
ULONGLONG WINAPI GetTickCount64(void) { return ticks += 10; }
PTP_TIMER WINAPI CreateThreadpoolTimer(PTP_TIMER_CALLBACK callback, void *context, TP_CALLBACK_ENVIRON *env)
{
    return NULL;
}
void WINAPI SetThreadpoolTimer(TP_TIMER *timer, FILETIME *due, DWORD period, DWORD window) {}
void WINAPI WaitForThreadpoolTimerCallbacks(TP_TIMER *timer, BOOL cancel) {}
void WINAPI CloseThreadpoolTimer(TP_TIMER *timer) {}

/* The server's bytes, handed out by tls_recv in the pieces chosen. */
static const uint8_t *input;
static size_t input_len, input_pos, piece;
static int fake_tls;

DWORD tls_recv(struct tls_conn *conn, void *buf, size_t len, size_t *received, int *want)
{
    size_t n = min(min(len, piece), input_len - input_pos);

    *received = 0;
    *want = NET_WANT_READ;
    if (input_pos == input_len) return ERROR_SUCCESS;      /* the server closed */
    if (!n) return ERROR_IO_PENDING;
    memcpy(buf, input + input_pos, n);
    input_pos += n;
    *received = n;
    return ERROR_SUCCESS;
}
DWORD tls_send(struct tls_conn *conn, const void *buf, size_t len, size_t *sent, int *want)
{
    *sent = len;
    return ERROR_SUCCESS;
}
size_t tls_pending(struct tls_conn *conn) { return 0; }

/* The event loop: one pending readability callback, run by the harness. */
static event_callback pending_read;
static void *pending_context;
DWORD event_wait_socket(struct net_socket *sock, int want, int timeout_ms, event_callback callback, void *context)
{
    if (want & NET_WANT_READ)
    {
        CHECK(!pending_read);
        pending_read = callback;
        pending_context = context;
    }
    else callback(context, ERROR_SUCCESS);   /* always writable */
    return ERROR_SUCCESS;
}
/* Resumptions of parked requests: nothing waits in this harness. */
DWORD event_submit(event_callback callback, void *context, DWORD result) { return ERROR_SUCCESS; }

static struct net_socket *fake_socket(void) { return (struct net_socket *)&fake_tls; }
DWORD net_dup(struct net_socket *sock, struct net_socket **dup) { *dup = NULL; return ERROR_OUTOFMEMORY; }
void net_abort(struct net_socket *sock) {}
void net_close(struct net_socket *sock) {}

struct connection *conn_create(struct net_socket *sock)
{
    struct connection *conn = calloc(1, sizeof(*conn));
    conn->sock = sock;
    return conn;
}
void conn_close(struct connection *conn)
{
    if (conn && conn->stream) h2_stream_close(conn->stream);
    free(conn);
}
void conn_pool_release(struct conn_pool *pool, const WCHAR *key, struct connection *conn, BOOL reusable) {}

/* ------------------------------------------------------------------ */

static const char request_head[] = "GET /fuzz HTTP/1.1\r\nAccept: */*\r\nHost: localhost\r\n\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const WCHAR key[] = {'h','2',0};
    struct connection *tcp, *stream = NULL, *ignored;
    struct h2_transport *opening = NULL;
    struct h2_options options = {0};
    struct http1_header lines[256];
    struct http1_response resp;
    char out[4096], *head = NULL;
    size_t sent, got, head_len = 0, body = 0, rounds;
    DWORD res;

    if (size < 1) return 0;
    piece = data[0] % 64 ? data[0] % 64 * 37 : 1;
    /* The client preface nghttp2 expects from a server: its SETTINGS first. */
    input = data + 1;
    input_len = size - 1;
    input_pos = 0;
    pending_read = NULL;

    CHECK(!h2_acquire((struct conn_pool *)&fake_tls, key, &options, &ignored, &opening) && opening && !ignored);
    tcp = conn_create(fake_socket());
    tcp->tls = (struct tls_conn *)&fake_tls;
    tcp->tls_ready = TRUE;
    res = h2_adopt((struct conn_pool *)&fake_tls, key, &options, opening, tcp, &stream);
    if (res)
    {
        if (stream) conn_close(stream);
        free(tcp);
        return 0;
    }
    CHECK(stream && stream->stream);
    CHECK(!h2_stream_send(stream->stream, request_head, sizeof(request_head) - 1, &sent));
    CHECK(sent == sizeof(request_head) - 1);

    for (rounds = 0; rounds < 100000; rounds++)
    {
        res = h2_stream_recv(stream->stream, out, sizeof(out), &got);
        if (res == ERROR_IO_PENDING)
        {
            event_callback callback = pending_read;
            /* The transport keeps a read registered while it lives. */
            CHECK(callback);
            pending_read = NULL;
            callback(pending_context, ERROR_SUCCESS);
            continue;
        }
        if (res || !got) break;
        head = realloc(head, head_len + got);
        memcpy(head + head_len, out, got);
        head_len += got;
    }
    CHECK(rounds < 100000);
    {
        /* Trailers: whole "name: value\r\n" lines, within the head's bound. */
        size_t len;
        char *trailers = h2_stream_trailers(stream->stream, &len);
        CHECK(!trailers == !len);
        CHECK(len <= 1024 * 1024);
        if (trailers) CHECK(len >= 4 && !memcmp(trailers + len - 2, "\r\n", 2) && memchr(trailers, ':', len));
        free(trailers);
    }
    if (head)
    {
        /* The heads (interim ones, then the final one) each parse. */
        size_t pos = 0;
        BOOL final = FALSE;
        while (pos < head_len)
        {
            int ret;
            http1_response_init(&resp, lines, ARRAY_SIZE(lines));
            ret = http1_parse_response_head(head + pos, head_len - pos, 1 << 30, &resp);
            if (ret == HTTP1_NEED_MORE || ret == HTTP1_ERR_TOO_LARGE) break;
            CHECK(ret == HTTP1_OK);
            pos += resp.head_len;
            if ((final = resp.status >= 200)) break;
        }
        /* After the final head, DATA bytes only: no more than were sent. */
        body = head_len - pos;
        if (final) CHECK(body <= input_len);
    }
    free(head);
    conn_close(stream);
    if (pending_read)
    {
        /* The registration's reference: the event loop would run it once. */
        event_callback callback = pending_read;
        pending_read = NULL;
        input_pos = input_len;
        callback(pending_context, ERROR_SUCCESS);
        if (pending_read)
        {
            callback = pending_read;
            pending_read = NULL;
            callback(pending_context, ERROR_SUCCESS);
        }
    }
    h2_pool_closing((struct conn_pool *)&fake_tls);
    return 0;
}
