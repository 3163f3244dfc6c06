/*
 * Internal types and interfaces of our winhttp.dll.
 *
 * One private header for the Windows-facing code.  Everything that talks to
 * Linux directly (sockets, epoll, GnuTLS, GSSAPI) sits behind the narrow
 * interfaces declared in unix_private.h, so that a future PE/Unix split is a
 * build change, not a rewrite.  The wire-format modules (http1.c, chunked.c)
 * use plain C types and know nothing of Win32, which is what lets them be
 * fuzzed natively.
 */
#ifndef WINHTTP_PRIVATE_H
#define WINHTTP_PRIVATE_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "windef.h"
#include "winbase.h"
#include "winnls.h"
#include "winreg.h"
#include "winhttp.h"
#include "wine/debug.h"

/* Outside Wine's own tree, wine/debug.h only defines the WINE_-prefixed
 * macros; give the module the short names Wine's DLLs use. */
#ifndef TRACE
#define TRACE        WINE_TRACE
#define TRACE_ON(ch) WINE_TRACE_ON(ch)
#define WARN         WINE_WARN
#define WARN_ON(ch)  WINE_WARN_ON(ch)
#define FIXME        WINE_FIXME
#define FIXME_ON(ch) WINE_FIXME_ON(ch)
#define ERR          WINE_ERR
#define ERR_ON(ch)   WINE_ERR_ON(ch)
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* ------------------------------------------------------------------ */
/* util.c: strings (WCHAR is 16-bit here, so libc's wcs* do not apply) */

size_t strlenW(const WCHAR *s);
WCHAR *strdupW(const WCHAR *s);                    /* NULL in, NULL out */
WCHAR *strndupW(const WCHAR *s, size_t len);       /* copies len chars + NUL */
WCHAR *strdupAW(const char *s, int len);           /* UTF-8 (len -1: NUL-terminated) */
char *strdupWA(const WCHAR *s, int len, UINT cp);  /* to code page cp (len -1: NUL-terminated) */
int strcmpiW(const WCHAR *a, const WCHAR *b);      /* ASCII case-insensitive */
int strncmpiW(const WCHAR *a, const WCHAR *b, size_t n);
/* A growable wide string (glibc's swprintf works on 32-bit wchar_t). */
struct strbuf
{
    WCHAR *buf;
    size_t len, cap;
    BOOL failed;                /* an allocation failed: detach returns NULL */
};
void strbuf_append(struct strbuf *sb, const WCHAR *s);
void strbuf_appendn(struct strbuf *sb, const WCHAR *s, size_t n);
void strbuf_append_ascii(struct strbuf *sb, const char *s);
void strbuf_append_uint(struct strbuf *sb, unsigned int value);
int uint_to_ascii(unsigned int value, char *buf);
WCHAR *strbuf_detach(struct strbuf *sb);    /* the string (caller frees), NULL on failure */
void strbuf_free(struct strbuf *sb);
/* Wipe and free a buffer that held a secret (password, ticket, key). */
void free_secret(void *buf, size_t len);
void free_secretW(WCHAR *s);
/* Debug helper: a trace-safe rendering of a possibly-NULL wide string. */
const char *debugstr_wn_safe(const WCHAR *s, int len);
#define debugstr_w(s) wine_dbgstr_w(s)
#define debugstr_wn(s, n) wine_dbgstr_wn(s, n)
#define debugstr_a(s) wine_dbgstr_a(s)

/* ------------------------------------------------------------------ */
/* handle.c: HINTERNET handles and reference-counted objects           */

struct object;

struct object_vtbl
{
    /* The application closed the handle: cancel whatever is pending.  The
     * object lives on while other references (children, in-flight calls)
     * remain.  May be NULL. */
    void (*closed)(struct object *obj);
    /* The last reference is gone: free everything.  Required. */
    void (*destroy)(struct object *obj);
};

struct object
{
    const struct object_vtbl *vtbl;
    DWORD type;                 /* WINHTTP_HANDLE_TYPE_* */
    LONG refs;
    HINTERNET handle;           /* NULL once the application closed it */
    struct object *parent;      /* holds a reference; NULL for sessions */
    LONG handle_closed;         /* set once by WinHttpCloseHandle */
    SRWLOCK lock;               /* guards the mutable fields below and in the derived object */
    DWORD_PTR context;          /* WINHTTP_OPTION_CONTEXT_VALUE */
    WINHTTP_STATUS_CALLBACK callback;
    DWORD notify_mask;
};

void object_init(struct object *obj, DWORD type, const struct object_vtbl *vtbl, struct object *parent);
/* Enter the object into the handle table; NULL (ERROR_OUTOFMEMORY) on failure. */
HINTERNET alloc_handle(struct object *obj);
/* Look up a handle and take a reference: NULL with ERROR_INVALID_HANDLE for
 * garbage, closed or NULL handles.  Never faults on a bad value. */
struct object *grab_object(HINTERNET handle);
/* Like grab_object, but also checks the type: ERROR_WINHTTP_INCORRECT_HANDLE_TYPE. */
struct object *grab_object_type(HINTERNET handle, DWORD type);
struct object *addref_object(struct object *obj);
void release_object(struct object *obj);
/* WinHttpCloseHandle's work: removes the handle, calls vtbl->closed. */
BOOL close_handle(HINTERNET handle);
/* Validate a handle for an entry point that is not implemented yet. */
BOOL fail_unimplemented(HINTERNET handle, DWORD type);
/* Number of live handles (used by DllCanUnloadNow and leak checks). */
LONG live_handle_count(void);

/* Status callback delivery (synchronous on the calling thread for now). */
void send_callback(struct object *obj, DWORD status, void *info, DWORD info_len);

/* ------------------------------------------------------------------ */
/* headers.c: header lists (request headers we send, response headers) */

struct header
{
    WCHAR *name;
    WCHAR *value;
    BOOL is_request_user;       /* added by the application (kept across redirects) */
};

struct header_list
{
    struct header *items;
    size_t count, capacity;
};

/* List operations (no locking: the caller holds the owner's lock).  Every
 * add validates: the name must be an RFC 9110 token, the value may not hold
 * CR, LF, NUL or other controls besides HTAB; surrounding SP/HTAB of values
 * is dropped.  Errors are Win32 codes: ERROR_INVALID_PARAMETER,
 * ERROR_WINHTTP_HEADER_ALREADY_EXISTS (ADD_IF_NEW), ERROR_WINHTTP_HEADER_NOT_FOUND
 * (REPLACE without ADD of a missing header), ERROR_OUTOFMEMORY. */
/* One header with WinHttpAddRequestHeaders semantics (flags WINHTTP_ADDREQ_FLAG_*;
 * REPLACE with an empty value removes; the index bits are ignored). */
DWORD headers_add(struct header_list *list, const WCHAR *name, const WCHAR *value, DWORD flags, BOOL user);
/* "Name: value\r\nName: value" as WinHttpAddRequestHeaders / WinHttpSendRequest
 * take it (len ~0u: NUL-terminated).  A malformed line anywhere (bare CR or
 * LF, NUL inside the text, no colon, bad name) adds nothing. */
DWORD headers_add_text(struct header_list *list, const WCHAR *text, DWORD len, DWORD flags, BOOL user);
/* Index of the index-th header called name (ASCII case-insensitive), or -1. */
int headers_find(const struct header_list *list, const WCHAR *name, DWORD index);
void headers_remove(struct header_list *list, size_t at);
void headers_clear(struct header_list *list);
BOOL headers_valid_name(const WCHAR *name, size_t len);
BOOL headers_valid_value(const WCHAR *value, size_t len);

/* Request-level helpers for the HTTP engine.  They take req->obj.lock
 * themselves: call them without holding it. */
struct request;

/* "VERB path version\r\nName: value\r\n...\r\n" from req->request_headers;
 * NULL verb/path/version mean the request's own.  Send it as UTF-8 (what
 * Wine's builtin does).  NULL when out of memory. */
WCHAR *headers_build_request_head(struct request *req, const WCHAR *verb, const WCHAR *path, const WCHAR *version);
/* A copy of the index-th value of a request or response header, or NULL. */
WCHAR *headers_get(struct request *req, BOOL request_headers, const WCHAR *name, DWORD index);

/* One response field line as the wire parser found it (bytes, not
 * NUL-terminated; obs-fold already unfolded by the caller). */
struct header_bytes
{
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};
/* Record the response head (replacing any previous one): status code,
 * version ("HTTP/1.1") and reason phrase bytes, and the field lines.  Bytes
 * are widened as ISO-8859-1.  Fills response_headers, status_code,
 * status_text, response_version and raw_response_headers (rebuilt as
 * "version code reason\r\nName: value\r\n...\r\n").  ERROR_SUCCESS or
 * ERROR_OUTOFMEMORY (then nothing changed). */
DWORD headers_set_response(struct request *req, DWORD status, const char *version, size_t version_len,
                           const char *reason, size_t reason_len, const struct header_bytes *headers, size_t count);
/* Forget the response (before a redirect or an authentication retry). */
void headers_clear_response(struct request *req);
/* The body was read to its end: the trailer fields that came after it
 * ("Name: value\r\n" lines, bytes as received; NULL: none) become what
 * WINHTTP_QUERY_FLAG_TRAILERS queries. */
void headers_set_trailers(struct request *req, const char *text, size_t len);
/* Header text for traces, with secret values (Authorization, Cookie, ...) redacted. */
const char *debugstr_headers_redacted(const WCHAR *text, DWORD len);

/* WinHttpQueryHeaders(Ex) and WinHttpAddRequestHeadersEx without the handle
 * lookup; they return the Win32 error (ERROR_SUCCESS on success). */
DWORD headers_query(struct request *req, DWORD level, const WCHAR *name, void *buffer, DWORD *len, DWORD *index);
DWORD headers_query_ex(struct request *req, DWORD level, UINT codepage, DWORD *index, const WINHTTP_HEADER_NAME *name,
                       void *buffer, DWORD *len, WINHTTP_EXTENDED_HEADER **headers, DWORD *count);
DWORD headers_add_ex(struct request *req, DWORD modifiers, BOOL unicode, DWORD count,
                     const WINHTTP_EXTENDED_HEADER *headers);

/* ------------------------------------------------------------------ */
/* cookie.c: the per-session cookie jar (RFC 6265, on cookie_core.c)   */

struct cookie_jar;
/* NULL when out of memory. */
struct cookie_jar *cookie_jar_create(void);
void cookie_jar_free(struct cookie_jar *jar);
/* Store (or delete, or ignore) one Set-Cookie value received from
 * http(s)://host/path.  Thread-safe; NULL jar or strings: nothing. */
void cookie_jar_set(struct cookie_jar *jar, const WCHAR *host, const WCHAR *path, BOOL secure, const WCHAR *set_cookie);
/* The Cookie header value for a request to host/path ("a=1; b=2", longer
 * paths first), or NULL when none applies.  The caller frees it. */
WCHAR *cookie_jar_header(struct cookie_jar *jar, const WCHAR *host, const WCHAR *path, BOOL secure);

/* ------------------------------------------------------------------ */
/* url.c: the URL parser behind WinHttpCrackUrl, for the HTTP engine   */

struct url_parts
{
    INTERNET_SCHEME scheme;     /* INTERNET_SCHEME_HTTP or INTERNET_SCHEME_HTTPS */
    INTERNET_PORT port;         /* as given, or the scheme's default */
    WCHAR *host;                /* as written (not decoded); an IPv6 literal keeps its
                                 * brackets; may be empty ("http:///x" cracks) */
    WCHAR *user;                /* as written; NULL without userinfo */
    WCHAR *password;            /* as written; NULL without ':' in the userinfo */
    WCHAR *path;                /* the request target: path and "?query", "/" when the
                                 * path is empty; never the fragment */
    WCHAR *fragment;            /* "#..." or NULL */
};

/* Cracks url as WinHttpCrackUrl does (len 0: NUL-terminated) into malloc'ed
 * strings.  FALSE with the last error ERROR_WINHTTP_UNRECOGNIZED_SCHEME,
 * ERROR_WINHTTP_INVALID_URL or ERROR_OUTOFMEMORY; *parts is then empty. */
BOOL url_crack(const WCHAR *url, DWORD len, struct url_parts *parts);
/* Frees the strings (wiping the password) and zeroes *parts. */
void url_parts_free(struct url_parts *parts);
/* Resolves a reference (a redirect's Location) against the absolute URL
 * base as RFC 3986 section 5.2 says, dot segments removed; malloc'ed, or
 * NULL with the last error set (ERROR_WINHTTP_INVALID_URL when base has no
 * scheme).  The result is not checked: crack it.  RFC 9110 section 10.2.2's
 * fragment inheritance is the caller's business. */
WCHAR *url_resolve(const WCHAR *base, const WCHAR *location);

/* ------------------------------------------------------------------ */
/* Per-handle settings inherited session -> connect -> request.        */

struct settings
{
    /* timeouts in ms; 0 or -1 (INFINITE) means no timeout as documented */
    int resolve_timeout;
    int connect_timeout;
    int send_timeout;
    int receive_timeout;
    int receive_response_timeout;
    BOOL receive_response_timeout_set;  /* WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT was set (option.c) */
    DWORD connect_retries;

    DWORD redirect_policy;          /* WINHTTP_OPTION_REDIRECT_POLICY_* */
    DWORD max_redirects;            /* WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS */
    DWORD max_status_1xx;           /* WINHTTP_OPTION_MAX_HTTP_STATUS_CONTINUE */
    DWORD disable_flags;            /* WINHTTP_DISABLE_* */
    DWORD enable_features;          /* WINHTTP_ENABLE_* via WINHTTP_OPTION_ENABLE_FEATURE */
    DWORD security_flags;           /* SECURITY_FLAG_IGNORE_* */
    DWORD secure_protocols;         /* WINHTTP_FLAG_SECURE_PROTOCOL_* */
    DWORD decompression;            /* WINHTTP_DECOMPRESSION_FLAG_* */
    DWORD autologon_policy;         /* WINHTTP_AUTOLOGON_SECURITY_LEVEL_* */
    DWORD max_conns_per_server;
    DWORD max_conns_per_1_0_server;
    DWORD max_response_header_size;
    DWORD max_response_drain_size;
    DWORD read_buffer_size;
    DWORD write_buffer_size;
    DWORD passport_flags;           /* WINHTTP_OPTION_CONFIGURE_PASSPORT_AUTH */
    DWORD http_protocol_used;       /* reserved for HTTP/2 */
    DWORD http_protocol_enable;     /* WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL */
    DWORD spn_mode;                 /* WINHTTP_OPTION_SPN_* */
    BOOL  ipv6_fast_fallback;
    BOOL  tcp_fast_open;
    BOOL  tls_false_start;
    BOOL  disable_secure_protocol_fallback;
    BOOL  decompression_set;
    DWORD unsafe_header_parsing;

    /* option.c stores these now; the layers that act on them read them here */
    DWORD codepage;                         /* WINHTTP_OPTION_CODEPAGE */
    DWORD request_priority;                 /* WINHTTP_OPTION_REQUEST_PRIORITY */
    DWORD tcp_priority_hint;
    DWORD background_connections;
    DWORD http2_keepalive;                  /* ms */
    DWORD http2_receive_window;
    DWORD http3_keepalive;                  /* ms */
    DWORD http3_handshake_timeout;          /* ms */
    DWORD http3_initial_rtt;                /* ms */
    DWORD websocket_close_timeout;          /* ms, WinHttpWebSocketClose */
    DWORD websocket_keepalive_interval;     /* ms, at least 15000 */
    DWORD websocket_receive_buffer_size;
    DWORD websocket_send_buffer_size;
    BOOL  assured_non_blocking_callbacks;
    BOOL  reject_userpwd_in_url;
    BOOL  use_global_server_credentials;
    BOOL  receive_proxy_connect_response;
    BOOL  proxy_disable_service_calls;
    BOOL  encode_extra;
    BOOL  disable_stream_queue;
    BOOL  http_protocol_required;
    BOOL  ignore_cert_revocation_offline;
    BOOL  tls_protocol_insecure_fallback;
    BOOL  require_stream_end;
    BOOL  enable_http2_plus_client_cert;
    BOOL  http2_plus_transfer_encoding;
    BOOL  disable_cert_chain_building;
    BOOL  disable_global_pooling;
    BOOL  use_session_sch_cred;
    struct { ULONG onoff, keepalivetime, keepaliveinterval; } tcp_keepalive;  /* mstcpip.h's tcp_keepalive */
    WINHTTP_FAILED_CONNECTION_RETRIES failed_connection_retries;
    WINHTTP_RESOLVER_CACHE_CONFIG resolver_cache_config;
    WINHTTP_MATCH_CONNECTION_GUID match_connection_guid;
};

void settings_init_defaults(struct settings *s);

/* ------------------------------------------------------------------ */
/* session.c / connect / request objects                               */

struct session
{
    struct object obj;
    WCHAR *agent;
    DWORD access_type;          /* WINHTTP_ACCESS_TYPE_* */
    WCHAR *proxy_server;        /* as given to WinHttpOpen / WINHTTP_OPTION_PROXY */
    WCHAR *proxy_bypass;
    DWORD open_flags;           /* WINHTTP_FLAG_ASYNC, WINHTTP_FLAG_SECURE_DEFAULTS */
    struct settings settings;
    WCHAR *proxy_username;      /* WINHTTP_OPTION_PROXY_USERNAME (write-only secrets) */
    WCHAR *proxy_password;
    DWORD_PTR global_context;
    struct conn_pool *pool;     /* keep-alive connections (conn.c) */
    struct tls_context *tls;    /* TLS caches of the session (tls.h); created on first https use */
    struct cookie_jar *cookies; /* cookie.c; NULL until created */
    struct auth_cache *auth_cache;  /* auth.c: credentials that worked (pre-authentication); NULL until used */
    HANDLE unload_event;        /* WINHTTP_OPTION_UNLOAD_NOTIFY_EVENT: set when the session is gone */
    struct autoproxy_cache *autoproxy;  /* autoproxy.c: detected PAC URL and script; NULL until used */
};

struct connect
{
    struct object obj;
    struct session *session;    /* == parent, typed */
    WCHAR *hostname;
    INTERNET_PORT port;         /* as given (may be INTERNET_DEFAULT_PORT) */
    struct settings settings;
};

struct request
{
    struct object obj;
    struct connect *connect;    /* == parent, typed */
    WCHAR *verb;
    WCHAR *path;                /* object name as given, escaped per flags */
    WCHAR *version;             /* "HTTP/1.1" unless given */
    WCHAR *referrer;
    WCHAR **accept_types;       /* NULL-terminated */
    DWORD flags;                /* WINHTTP_FLAG_SECURE, ESCAPE_*, BYPASS_PROXY_CACHE, REFRESH */
    INTERNET_PORT port;         /* resolved: default port by scheme */
    struct settings settings;
    WCHAR *username, *password; /* WINHTTP_OPTION_USERNAME / PASSWORD (write-only secrets) */
    WCHAR *proxy_username, *proxy_password;
    WINHTTP_PROXY_INFO proxy;   /* WINHTTP_OPTION_PROXY on a request (strings owned) */
    BOOL proxy_set;
    void *client_cert;          /* later: PCCERT_CONTEXT */
    BOOL no_client_cert;
    struct header_list request_headers;   /* what the application added + what we generate */
    struct header_list response_headers;  /* of the final response */
    DWORD status_code;                    /* 0 until a response arrived */
    WCHAR *status_text;
    WCHAR *response_version;              /* e.g. "HTTP/1.1" */
    WCHAR *raw_response_headers;          /* status line + headers, CRLF-separated, as received */
    struct header_list response_trailers; /* after the body: WINHTTP_QUERY_FLAG_TRAILERS */
    BOOL trailers_ready;                  /* the body was read to its end */
    void *engine;               /* the HTTP engine's per-request state (request.c) */
    void *auth;                 /* the authentication layer's per-request state (auth.c) */
    BOOL upgrade_to_websocket;  /* WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET was set */
    BOOL is_proxy_connect_response;       /* the engine sets it (WINHTTP_OPTION_IS_PROXY_CONNECT_RESPONSE) */
    WCHAR *resolution_hostname; /* WINHTTP_OPTION_RESOLUTION_HOSTNAME */
    WCHAR *annotation;          /* WINHTTP_OPTION_REQUEST_ANNOTATION */
    /* Set by the engine once it has a connection or response: answers the
     * query-only options only it knows (see option_engine_query in option.c). */
    DWORD (*query_engine_option)(struct request *request, DWORD option, void *buffer, DWORD *size);
};

static inline struct session *session_from_object(struct object *obj)
{
    return CONTAINING_RECORD(obj, struct session, obj);
}
static inline struct connect *connect_from_object(struct object *obj)
{
    return CONTAINING_RECORD(obj, struct connect, obj);
}
static inline struct request *request_from_object(struct object *obj)
{
    return CONTAINING_RECORD(obj, struct request, obj);
}
static inline BOOL request_is_secure(const struct request *req)
{
    return (req->flags & WINHTTP_FLAG_SECURE) != 0;
}

/* ------------------------------------------------------------------ */
/* option.c: the table-driven WinHttpSetOption / WinHttpQueryOption    */

BOOL option_query(struct object *obj, DWORD option, void *buffer, DWORD *size);
BOOL option_set(struct object *obj, DWORD option, void *buffer, DWORD size);
/* What options stored on a request beyond the fields request_destroy frees
 * (client certificate, hostname and annotation strings). */
void option_free_request(struct request *request);
/* WINHTTP_OPTION_EXTENDED_ERROR: the socket error behind this thread's last
 * ERROR_WINHTTP_* failure. */
void option_set_extended_error(DWORD error);

/* ------------------------------------------------------------------ */
/* proxy_config.c: registry-backed default and IE proxy settings       */

/* Fills *info from the registry (WinHttpGetDefaultProxyConfiguration). */
BOOL proxy_config_get_default(WINHTTP_PROXY_INFO *info);

/* ------------------------------------------------------------------ */
/* time.c: HTTP dates                                                  */

/* Parse an HTTP date (RFC 1123, RFC 850, asctime; the weekday may be
 * missing).  TRUE only for a complete, valid date; *st then has the
 * weekday computed from the date. */
BOOL http_date_parse(const WCHAR *s, SYSTEMTIME *st);
/* Format *st as an RFC 1123 date ("Sun, 06 Nov 1994 08:49:37 GMT"). */
BOOL http_date_format(const SYSTEMTIME *st, WCHAR out[WINHTTP_TIME_FORMAT_BUFSIZE / sizeof(WCHAR)]);

/* ------------------------------------------------------------------ */
/* proxy.c: which proxy a request uses                                 */

/* The proxy server for a request to host:port over scheme (secure), or
 * FALSE for a direct connection.  *proxy_host is malloc'ed. */
BOOL proxy_select(const WCHAR *proxy_list, const WCHAR *bypass, const WCHAR *host, INTERNET_PORT port,
                  BOOL secure, WCHAR **proxy_host, INTERNET_PORT *proxy_port);

/* session.c: the objects behind WinHttpConnect / WinHttpOpenRequest, without a handle */
DWORD connect_create(struct session *session, const WCHAR *server, INTERNET_PORT port, struct connect **out);
DWORD request_create(struct connect *connect, const WCHAR *verb, const WCHAR *object, const WCHAR *version,
                     const WCHAR *referrer, const WCHAR **types, DWORD flags, struct request **out);

/* ------------------------------------------------------------------ */
/* request.c: the HTTP engine                                          */

void request_engine_free(struct request *request);
void request_engine_cancel(struct request *request);
/* The URL the request was last sent to (after redirects), or NULL before sending. */
WCHAR *request_current_url(struct request *request);
/* WinHttpWebSocketCompleteUpgrade: the request's connection, with the bytes
 * already read past the response head, leaves the request for good (NULL
 * when the request has none or an operation is under way). */
struct connection;
struct connection *request_detach_connection(struct request *request);

/* ------------------------------------------------------------------ */
/* websocket.c: what the HTTP engine asks of the WebSocket layer       */

/* The handshake headers of a request with WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET
 * (a fresh Sec-WebSocket-Key each time it goes out); nothing otherwise. */
DWORD websocket_handshake_headers(struct request *request);
/* Before a request goes out: a WebSocket upgrade needs a send buffer of at
 * least 16 bytes (ERROR_NOT_ENOUGH_MEMORY, as Windows says). */
DWORD websocket_check_request(struct request *request);
/* The WEB_SOCKET_* values of a WebSocket handle (option.c). */
struct settings *websocket_settings(struct object *obj);

/* ------------------------------------------------------------------ */
/* auth.c: authentication, as the engine sees it                       */

/* Where a request is going, for the authentication layer. */
struct auth_target
{
    const WCHAR *host;          /* the server (not the proxy) */
    INTERNET_PORT port;
    BOOL secure;
    const WCHAR *verb;
    const WCHAR *path;          /* request target as sent (escaped) */
    const WCHAR *proxy_host;    /* NULL: direct */
    INTERNET_PORT proxy_port;
    const BYTE *channel_binding;        /* RFC 5929 tls-server-end-point, NULL over plain http */
    DWORD channel_binding_len;
    BOOL tunnel;                /* the CONNECT of an https request through proxy_host: only
                                 * Proxy-Authorization, and the request inside the tunnel
                                 * (tunnel FALSE) gets no Proxy-Authorization */
};

/* Before a request goes out: add the Authorization / Proxy-Authorization
 * headers that what we know calls for (credentials from WinHttpSetCredentials
 * or the options, pre-authentication from the session's cache, the next leg
 * of an exchange in progress), as generated headers of request_headers. */
DWORD auth_prepare_request(struct request *request, const struct auth_target *target);
/* A final 401 or 407 arrived.  *resend TRUE: we can answer it ourselves
 * (the next leg of NTLM/Negotiate, Digest with stale=true, credentials that
 * are already set), so the engine drains the body and sends again, on the
 * same connection when it can. */
DWORD auth_handle_response(struct request *request, const struct auth_target *target, BOOL *resend);
void auth_request_free(struct request *request);
/* A final response other than 401/407 arrived (call it where the engine
 * stops at such a response): mutual authentication is checked (an error
 * means the server did not prove who it is: ERROR_WINHTTP_LOGIN_FAILURE)
 * and credentials that worked are remembered for the session.  target may
 * be NULL. */
DWORD auth_response_done(struct request *request, const struct auth_target *target);
/* WINHTTP_OPTION_SERVER_SPN_USED and PROXY_SPN_USED, for the engine's
 * query_engine_option hook: the SPN the last Negotiate/NTLM exchange used. */
DWORD auth_query_option(struct request *request, DWORD option, void *buffer, DWORD *size);
/* Passport 1.4 (seed 001), off unless WINHTTP_OPTION_CONFIGURE_PASSPORT_AUTH
 * enables it.  At WinHttpSendRequest: the URL to send to instead of the
 * handle's own (the login server while a sign-in is under way), or NULL. */
WCHAR *auth_passport_send_url(struct request *request);
/* A final response arrived (before redirects are considered): *next_url set
 * means "go there next" as an implicit step of the Passport exchange (the
 * partner's 302 challenge to the login server, the login server's answer
 * back to the original URL), hidden from the application: not counted as
 * a redirect and not subject to the redirect policy.  An error ends the
 * request (ERROR_WINHTTP_LOGIN_FAILURE as the seed describes). */
DWORD auth_passport_response(struct request *request, const struct auth_target *target, WCHAR **next_url);
/* The exchange failed with res: TRUE when that was the step to the nexus
 * failing in a way auth_passport_restore_challenge answers (no connection,
 * no usable configuration). */
BOOL auth_passport_nexus_failed(struct request *request, DWORD res);
/* Make the partner's challenge the request's response, as a 401 with its
 * reason phrase and headers; *url gets the partner's URL (caller frees). */
DWORD auth_passport_restore_challenge(struct request *request, WCHAR **url);
/* WINHTTP_OPTION_PASSPORT_COBRANDING_TEXT / _URL / RETURN_URL (strings, sized
 * like any string option). */
DWORD auth_passport_query_option(struct request *request, DWORD option, void *buffer, DWORD *size);
/* WINHTTP_OPTION_PASSPORT_SIGN_OUT: the session forgets its tickets. */
void auth_passport_sign_out(struct session *session);

/* The session's credential cache (session_destroy frees it). */
struct auth_cache;
void auth_cache_free(struct auth_cache *cache);

/* ------------------------------------------------------------------ */
/* stubs.c: one FIXME per unimplemented entry point                    */

#define FIXME_ONCE(...) do { static LONG once_; if (!InterlockedExchange(&once_, 1)) FIXME(__VA_ARGS__); } while (0)

#endif /* WINHTTP_PRIVATE_H */
