/*
 * HTTP/2 (RFC 9113) as one more layer of the connection stack (http2.c,
 * over libnghttp2): TCP, TLS, then h2 when ALPN chose it.
 *
 * The engine asks a connection for a stream, not for a protocol.  An h2
 * "transport" owns the TCP+TLS connection and the nghttp2 session and is
 * shared by the requests of one session to one origin.  Each request gets a
 * stream connection: a struct connection whose conn->stream is set, and
 * which conn.c's functions (conn_try_send, conn_try_recv, conn_wait,
 * conn_wait_async, conn_abort, conn_close) hand to this layer.  Through it
 * the engine keeps speaking the HTTP/1.1 it knows: the request head it
 * writes is turned into an h2 HEADERS frame (pseudo-headers from the request
 * line and Host, hop-by-hop fields dropped), the bytes after it into DATA;
 * the response HEADERS come back as an HTTP/1.1 head ("HTTP/1.1 200" and the
 * fields, version reported as HTTP/2 by exchange.c) and DATA as the body, the
 * end of the stream reading as the end of a close-delimited body.  So
 * status, headers, bodies, decompression, cookies, redirects and
 * authentication go through the same code as HTTP/1.1.  A stream connection
 * carries one request after another (a redirect or an authentication leg
 * that keeps "its" connection opens a new stream on the same transport).
 *
 * Threads.  The transport is driven by the event loop (event.c): it keeps
 * one wait registered on its socket and, when woken, reads and writes for
 * all its streams and wakes those that can go on.  A stream never waits on
 * the socket itself: conn->want is H2_WANT_STREAM, and conn_wait (sync:
 * a condition variable, with the request's timeout) or conn_wait_async (the
 * request's callback is run once the stream can go on, or with
 * ERROR_WINHTTP_TIMEOUT) parks it.  One lock per transport guards the
 * nghttp2 session, the TLS connection and the streams.
 *
 * Multiplexing.  Streams beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS
 * wait in nghttp2's queue.  Requests that arrive while the first connection
 * to an origin is still being opened wait for it instead of opening their
 * own (h2_acquire returns a stream connection on the pending transport);
 * if that connection ends up not speaking h2, they go back and open
 * HTTP/1.1 connections (H2_DECLINED).  GOAWAY: the streams the server did not
 * process fail with ERROR_WINHTTP_CONNECTION_ERROR before any response byte,
 * which the engine retries on a new connection like a stale keep-alive one.
 */
#ifndef WINHTTP_HTTP2_H
#define WINHTTP_HTTP2_H

#include "event.h"

struct connection;
struct conn_pool;
struct h2_transport;
struct h2_stream;

/* conn->want of a stream connection: park with conn_wait / conn_wait_async. */
#define H2_WANT_STREAM 16

/* h2_stream_ready: the pending transport did not become an h2 connection
 * (not negotiated, or its connection failed): open an HTTP/1.1 one. */
#define H2_DECLINED 0x7fff0001
/* conn_try_send / conn_try_recv: the server reset the stream with
 * HTTP_1_1_REQUIRED before answering; exchange.c sends it again over
 * HTTP/1.1. */
#define H2_HTTP11_REQUIRED 0x7fff0002
/* conn_try_send / conn_try_recv: the server refused the stream before
 * answering (REFUSED_STREAM, or beyond a GOAWAY's last stream): not
 * processed, so exchange.c may send it again (RFC 9113 8.7). */
#define H2_REFUSED 0x7fff0003

/* What the application sees of the codes above when they are not acted on. */
static inline DWORD h2_public_error(DWORD res)
{
    if (res == H2_HTTP11_REQUIRED) return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
    if (res == H2_REFUSED) return ERROR_WINHTTP_CONNECTION_ERROR;
    return res;
}

/* What the request that opens a transport, or joins one, asks for. */
struct h2_options
{
    BOOL no_queue;              /* WINHTTP_OPTION_DISABLE_STREAM_QUEUE */
    DWORD keepalive_ms;         /* WINHTTP_OPTION_HTTP2_KEEPALIVE, 0: none */
};

/* Before taking a connection from the pool, for a request that may use h2:
 * *conn gets a stream connection on the origin's transport (live or being
 * opened); or *opening a new pending transport, and the caller opens the
 * connection that is to carry it (then h2_adopt or h2_decline). */
DWORD h2_acquire(struct conn_pool *pool, const WCHAR *key, const struct h2_options *options,
                 struct connection **conn, struct h2_transport **opening);
/* ALPN chose h2 on conn (TCP+TLS): it becomes the transport (opening, or a
 * new one when NULL) and *stream a stream connection on it. */
DWORD h2_adopt(struct conn_pool *pool, const WCHAR *key, const struct h2_options *options,
               struct h2_transport *opening, struct connection *conn, struct connection **stream);
/* The opening connection will not carry h2: its waiters fall back. */
void h2_decline(struct h2_transport *opening);
/* The session's pool goes away: its transports close once their streams end. */
void h2_pool_closing(struct conn_pool *pool);

/* A stream connection on a pending transport: ERROR_SUCCESS once the
 * transport is ready (conn's addresses, tls and peer_chain are set then),
 * ERROR_IO_PENDING (park), H2_DECLINED. */
DWORD h2_stream_ready(struct h2_stream *stream);
/* The stream id of the request under way (whget -v, traces); 0 if none. */
int h2_stream_id(struct h2_stream *stream);
/* The HTTP/2 error code the stream of the request was reset with, 0 if
 * none (WINHTTP_OPTION_STREAM_ERROR_CODE). */
DWORD h2_stream_error_code(struct h2_stream *stream);
/* The trailer fields of the response, "name: value\r\n" each (malloc'd,
 * *len bytes), NULL if none came (yet). */
char *h2_stream_trailers(struct h2_stream *stream, size_t *len);

/* conn.c's dispatch for stream connections. */
DWORD h2_stream_send(struct h2_stream *stream, const void *buf, size_t len, size_t *sent);
DWORD h2_stream_recv(struct h2_stream *stream, void *buf, size_t len, size_t *received);
DWORD h2_stream_wait(struct h2_stream *stream, int timeout_ms);
DWORD h2_stream_wait_async(struct h2_stream *stream, int timeout_ms, event_callback callback, void *context);
void h2_stream_abort(struct h2_stream *stream);
void h2_stream_close(struct h2_stream *stream);

#endif /* WINHTTP_HTTP2_H */
