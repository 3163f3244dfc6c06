/*
 * The HTTP engine's per-request state, shared by request.c (the API and the
 * sync/async driver), exchange.c (connect, send, response head, redirects),
 * request_head.c (what goes on the wire) and body.c (the response body).
 *
 * Every step that does I/O is non-blocking: it returns ERROR_IO_PENDING after
 * recording in want/wait_timeout what it waits for, and is called again once
 * the connection is ready.  The synchronous driver waits with poll on the
 * caller's thread; the asynchronous one hands the wait to the event loop.
 * That is the one code path for both modes.
 */
#ifndef WINHTTP_ENGINE_H
#define WINHTTP_ENGINE_H

#include "unix_private.h"
#include "conn.h"
#include "http1.h"
#include "chunked.h"
#include "decompress.h"
#include "tls.h"
#include "http2.h"

enum request_state
{
    STATE_NEW,          /* opened, not sent */
    STATE_SENDING,      /* head sent, WinHttpWriteData adds body bytes */
    STATE_SENT,         /* the whole request is out: WinHttpReceiveResponse */
    STATE_RESPONSE,     /* a final response head arrived: the body can be read */
    STATE_DONE,         /* the body was read to its end */
    STATE_FAILED,       /* the exchange broke; only a new WinHttpSendRequest helps */
};

/* Where an exchange stands, from taking a connection to the final head. */
enum phase
{
    PHASE_ACQUIRE,      /* choose the proxy, take a pooled connection or a slot */
    PHASE_RESOLVE,      /* name resolution */
    PHASE_CONNECT,      /* start connecting to addrs[addr_index] */
    PHASE_CONNECTING,   /* waiting for the connect to finish */
    PHASE_TUNNEL,       /* https through a proxy: CONNECT host:port */
    PHASE_TLS,          /* the TLS handshake */
    PHASE_STREAM,       /* an HTTP/2 stream waits for its shared connection (http2.h) */
    PHASE_SEND,         /* writing the request head and held body */
    PHASE_SENT,         /* the request is out */
    PHASE_HEAD,         /* reading a response head */
    PHASE_DRAIN,        /* dropping a redirect's body before following it */
    PHASE_HEADERS,      /* the final response head is stored */
};

/* The operation an API call started, completed by a status callback in
 * asynchronous mode. */
enum op
{
    OP_NONE,
    OP_SEND,
    OP_WRITE,
    OP_RECEIVE,
    OP_QUERY,
    OP_READ,
};

struct engine
{
    SRWLOCK lock;               /* guards conn against request_engine_cancel */
    enum request_state state;
    enum phase phase;
    LONG cancelled;

    /* the operation in progress */
    enum op op;
    BYTE *op_buffer;            /* WinHttpReadData / WinHttpWriteData buffer */
    DWORD op_len;
    DWORD op_done;              /* bytes read or written so far */
    BOOL op_fill;               /* OP_READ: fill the buffer unless the body ends (READ_DATA_EX_FLAG_FILL_BUFFER) */
    BOOL receive_queued;        /* WinHttpReceiveResponse came during the send (async) */
    BOOL awaiting_answer;       /* OP_SEND (async): sent whole, waiting for the answer to start */
    int want;                   /* NET_WANT_* the pending step waits for */
    int wait_timeout;           /* ms, <= 0: none */

    /* where the request goes; redirects change it */
    WCHAR *host;
    INTERNET_PORT port;
    BOOL secure;
    WCHAR *path;                /* path and query, escaped as sent */
    WCHAR *verb;
    WCHAR *proxy_host;          /* NULL: direct */
    INTERNET_PORT proxy_port;
    struct autoproxy_choice *autoproxy;     /* AUTOMATIC_PROXY sessions: the PAC's list (autoproxy.h) */
    WCHAR *pool_key;
    struct connection *conn;
    BOOL conn_reused;
    BOOL fresh;                 /* the next acquire must open a new connection */
    BOOL retried;               /* a stale keep-alive connection was already retried */
    unsigned int refused;       /* HTTP/2 streams the server refused, sent again (exchange.c) */
    BOOL just_sent;             /* the request went out in the operation under way */
    struct net_addrs *addrs;
    int addr_index;
    BOOL tunnel_sent;           /* PHASE_TUNNEL: the CONNECT request is out */
    struct h2_transport *h2_opening;        /* the connection being opened may carry h2 for others */
    DWORD stream_error_code;                /* the last h2 stream's RST_STREAM code (STREAM_ERROR_CODE) */
    BOOL h2_skip;               /* the origin's connection did not become h2: HTTP/1.1 only */
    struct tls_client_cert *client_cert;    /* from WINHTTP_OPTION_CLIENT_CERT_CONTEXT */
    struct tls_der_list *peer_chain;        /* of the last https connection used */
    struct tls_der_list *issuer_names;      /* after ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED */
    struct tls_info tls_info;
    BOOL have_tls_info;
    BYTE cbt[96];               /* RFC 5929 channel binding, "tls-server-end-point:" + hash */
    DWORD cbt_len;
    BOOL have_addresses;        /* of the last connection used: WINHTTP_OPTION_CONNECTION_INFO */
    BOOL have_response;         /* a response head was received: WINHTTP_OPTION_WINE_HTTP2_STREAM_ID */
    DWORD h2_stream_id;         /* the HTTP/2 stream it came on, 0: HTTP/1.1 */
    BYTE local_addr[128], remote_addr[128];

    /* the request head and body */
    char *out;                  /* head (and held body) being sent */
    size_t out_len, out_pos;
    BYTE *body;                 /* kept when the whole body came with WinHttpSendRequest,
                                 * so a retry or a 307/308 redirect can send it again */
    DWORD body_len;
    DWORD total_len;
    DWORD written;              /* body bytes sent so far */

    /* the response head */
    struct http1_response resp;
    struct http1_header *lines;
    BOOL head_started;          /* resp holds a partial parse */
    BOOL head_bytes;            /* any byte of a response arrived on this connection */
    DWORD interim;              /* 1xx responses seen */
    WCHAR *redirect_url;        /* the redirect being followed (PHASE_DRAIN) */
    BOOL auth_resend;           /* PHASE_DRAIN before answering a 401/407 ourselves */
    BOOL implicit_redirect;     /* PHASE_DRAIN before a Passport step: not a counted redirect */
    DWORD redirects;

    /* the response body */
    struct http1_framing framing;
    ULONGLONG remaining;        /* HTTP1_BODY_LENGTH: bytes still to come */
    struct chunked_decoder chunked;
    struct decomp *decoder;
    char *raw;                  /* framed, still encoded bytes waiting for the decoder */
    size_t raw_start, raw_end;
    BYTE *dbuf;                 /* decoded bytes not yet given to the application */
    size_t dbuf_start, dbuf_end;
    BOOL framed_eof;            /* no more framed bytes */
    BOOL body_eof;              /* no more body bytes at all */
    DWORD drained;

    /* A sub-request the exchange waits for (the revocation fetch of the TLS
     * phase), want ENGINE_WANT_SUBREQUEST.  Its hook stores the answer under
     * lock and wakes the driver: a synchronous caller sleeps on sub_cv; an
     * asynchronous operation returned its thread to the event loop
     * (sub_parked) and is resumed by request_resume_async. */
    struct subrequest *sub;     /* NULL once its hook ran; cancelled with the request */
    BOOL sub_done;
    BOOL sub_parked;
    CONDITION_VARIABLE sub_cv;
    DWORD sub_error, sub_status;
    BYTE *sub_body;
    SIZE_T sub_size;
};

/* engine_wait's want while a sub-request runs: no socket to wait for. */
#define ENGINE_WANT_SUBREQUEST 0x100

/* exchange.c */
void auth_target_init(struct engine *e, struct auth_target *target);
DWORD exchange_start(struct request *request, struct engine *e);
DWORD exchange_step(struct request *request, struct engine *e, enum phase goal);
void release_connection(struct request *request, struct engine *e, BOOL reusable);
void release_connection_quietly(struct request *request, struct engine *e);
void reset_response(struct request *request, struct engine *e);
DWORD set_target(struct engine *e, const WCHAR *host, INTERNET_PORT port, BOOL secure, const WCHAR *path);
DWORD set_target_url(struct engine *e, const WCHAR *url);
DWORD map_cancel(struct engine *e, DWORD res);
BOOL exchange_passport_fallback(struct request *request, struct engine *e, DWORD res);

/* request.c */
struct engine *request_engine_get(struct request *request);    /* created on first use */
/* An asynchronous operation that waited for a sub-request goes on (the
 * sub-request's hook calls it, on an event-loop thread). */
void request_resume_async(struct request *request);

/* request_head.c */
WCHAR *escape_path(const WCHAR *path, DWORD flags);
WCHAR *host_for_uri(const WCHAR *host);
BOOL is_default_port(BOOL secure, INTERNET_PORT port);
void append_origin(struct strbuf *sb, const WCHAR *host, INTERNET_PORT port, BOOL secure);
DWORD build_request(struct request *request, struct engine *e);   /* fills e->out */

/* body.c */
#define RAW_BUFFER_SIZE (16 * 1024)
#define DECODED_BUFFER_SIZE (64 * 1024)
#define MAX_HEADER_LINES 1024
void *engine_buffer_get(size_t size);                             /* malloc, from a cache */
void engine_buffer_put(void *buf, size_t size);                   /* free, into the cache */
void body_start(struct request *request, struct engine *e);       /* after the final head */
DWORD body_setup_decoder(struct request *request, struct engine *e);
DWORD body_read_framed(struct request *request, struct engine *e, char *out, size_t cap, size_t *len);
DWORD body_fill(struct request *request, struct engine *e);       /* decoded bytes into dbuf */
DWORD body_read(struct request *request, struct engine *e);       /* into op_buffer */
DWORD body_drain(struct request *request, struct engine *e, BOOL *reusable);
void body_finish(struct request *request, struct engine *e);
BOOL body_discard_unread(struct request *request, struct engine *e);     /* TRUE: connection reusable */

/* Wait for the connection: the step returns this after setting want. */
static inline DWORD engine_wait(struct engine *e, int want, int timeout)
{
    e->want = want;
    e->wait_timeout = timeout;
    return ERROR_IO_PENDING;
}

#endif /* WINHTTP_ENGINE_H */
