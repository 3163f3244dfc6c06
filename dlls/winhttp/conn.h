/*
 * Connections and the keep-alive pool (conn.c).
 */
#ifndef WINHTTP_CONN_H
#define WINHTTP_CONN_H

struct net_socket;
struct tls_conn;
struct tls_der_list;
struct h2_stream;

struct connection
{
    struct connection *next;    /* in the pool's idle list */
    struct net_socket *sock;
    struct tls_conn *tls;       /* over sock once the TLS handshake completed (or is under way) */
    BOOL tls_ready;
    struct tls_der_list *peer_chain;    /* the server's certificates (https) */
    BYTE cbt[96];               /* RFC 5929 tls-server-end-point channel binding of peer_chain,
                                 * computed once per handshake (parsing the certificate per
                                 * request cost keep-alive and HTTP/2 requests) */
    DWORD cbt_len;
    int want;                   /* NET_WANT_* of the last ERROR_IO_PENDING */
    char *buf;                  /* received, not yet consumed bytes: buf[buf_start..buf_end) */
    size_t buf_start, buf_end, buf_size;
    ULONGLONG idle_since;
    DWORD requests;             /* requests carried so far */
    BOOL identity_bound;        /* credentials went over it: never handed to another session */
    struct h2_stream *stream;   /* an HTTP/2 stream on a shared transport (http2.h): sock is NULL */
    BYTE local_addr[128];       /* SOCKADDR_STORAGE, Windows layout */
    BYTE remote_addr[128];
};

struct conn_pool;

struct conn_pool *conn_pool_create(void);
void conn_pool_free(struct conn_pool *pool);
/* Take an idle connection for key (*conn set), or a slot to open a new one
 * (*conn NULL): waits while max_conns connections to key are in use. */
DWORD conn_pool_acquire(struct conn_pool *pool, const WCHAR *key, DWORD max_conns, struct connection **conn);
/* Give a connection (or a slot whose connection failed: conn NULL) back. */
void conn_pool_release(struct conn_pool *pool, const WCHAR *key, struct connection *conn, BOOL reusable);

struct connection *conn_create(struct net_socket *sock);
/* The socket finished connecting: record the addresses. */
void conn_connected(struct connection *conn);
/* Non-blocking: ERROR_IO_PENDING means wait (conn_wait or the event loop). */
DWORD conn_try_send(struct connection *conn, const void *buf, size_t len, size_t *sent);
DWORD conn_try_recv(struct connection *conn, void *buf, size_t len, size_t *received);
DWORD conn_try_fill(struct connection *conn, size_t *received);
DWORD conn_wait(struct connection *conn, int want, int timeout_ms);
/* The event loop's wait (event.h) for conn: the socket, or the h2 stream. */
DWORD conn_wait_async(struct connection *conn, int want, int timeout_ms, void (*callback)(void *, DWORD),
                      void *context);
/* Bytes that can be read without waiting (buffered here or in TLS). */
BOOL conn_has_data(struct connection *conn);
/* An idle pooled connection can carry another request: the server neither
 * closed it nor sent anything but TLS housekeeping (session tickets). */
BOOL conn_idle_ok(struct connection *conn);
void conn_close(struct connection *conn);
void conn_abort(struct connection *conn);

static inline size_t conn_buffered(const struct connection *conn)
{
    return conn->buf_end - conn->buf_start;
}

#endif /* WINHTTP_CONN_H */
