/*
 * HTTP/1.x wire format: the response head parser and the message body framing
 * decision (RFC 9112).  Plain C, no sockets, no Win32: it is unit tested and
 * fuzzed natively and compiled into the DLL unchanged.
 */
#ifndef WINHTTP_HTTP1_H
#define WINHTTP_HTTP1_H

#include <stddef.h>
#include <stdint.h>

#define HTTP1_OK              0
#define HTTP1_NEED_MORE       1
#define HTTP1_ERR_INVALID   (-1)
#define HTTP1_ERR_TOO_LARGE (-2)

/* One field line.  Pointers point into the caller's buffer.  The value is
 * trimmed of leading and trailing whitespace.  When the server used obs-fold
 * (a continuation line starting with SP or HTAB, RFC 9112 §5.2) the value
 * spans the raw lines and folded is set: http1_unfold() turns it into the
 * single-line value a user agent must see (each fold replaced by one SP). */
struct http1_header
{
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
    int folded;
};

struct http1_response
{
    /* results, valid once http1_parse_response_head returned HTTP1_OK */
    int version_major, version_minor;
    int status;                     /* 100..999 */
    const char *reason;             /* may be empty (reason_len 0) */
    size_t reason_len;
    struct http1_header *headers;   /* caller's array, see http1_response_init */
    size_t header_capacity;
    size_t header_count;
    size_t head_len;                /* bytes of buf the head used, final empty line included */

    /* private: where the incremental scan resumes (offsets, so the caller's
     * buffer may move between calls as long as its content is kept) */
    size_t scan_pos, line_start, status_start, status_end;
    int scan_state;
};

/* Prepare a parse: headers is an array of capacity entries that receives the
 * field lines (more field lines than that is HTTP1_ERR_TOO_LARGE). */
void http1_response_init(struct http1_response *resp, struct http1_header *headers, size_t capacity);

/* Parse the response head at the start of buf[0..len).  Call again with the
 * same resp and a longer buf (same leading bytes) after HTTP1_NEED_MORE; the
 * scan resumes where it stopped.  Returns
 *   HTTP1_OK             head complete, resp filled, resp->head_len consumed
 *   HTTP1_NEED_MORE      no complete head yet and nothing wrong so far
 *   HTTP1_ERR_INVALID    not an HTTP/1.x response head (reported as early as
 *                        the bytes show it, e.g. a first line not "HTTP/")
 *   HTTP1_ERR_TOO_LARGE  the head is longer than max_head_bytes (reported as
 *                        soon as len reaches the limit without an end of
 *                        head), or has more field lines than capacity.
 * Accepted: CRLF or bare LF line ends (RFC 9112 §2.2), empty lines before the
 * status line (robustness, §2.2), a missing reason phrase, obs-fold.
 * Rejected: NUL anywhere, bare CR, versions other than HTTP/1.x, a status
 * code that is not 3 digits from 100, whitespace before the colon or at the
 * start of the first field line, a field line without a colon, a field name
 * that is not a token. */
int http1_parse_response_head(const char *buf, size_t len, size_t max_head_bytes, struct http1_response *resp);

/* Copy a field value to dst (value_len bytes is always enough), replacing
 * each obs-fold (OWS line-end *WSP) with one SP.  Returns the length. */
size_t http1_unfold(const char *value, size_t value_len, char *dst);

/* Index of the index-th (0-based) field line called name (ASCII
 * case-insensitive), or -1. */
int http1_find_header(const struct http1_response *resp, const char *name, size_t index);

enum http1_body
{
    HTTP1_BODY_NONE,        /* no body: HEAD, 1xx (but 101), 204, 304 */
    HTTP1_BODY_LENGTH,      /* exactly content_length bytes */
    HTTP1_BODY_CHUNKED,     /* chunked transfer coding, see chunked.h */
    HTTP1_BODY_CLOSE,       /* everything until the server closes */
    HTTP1_BODY_TUNNEL,      /* 2xx to CONNECT, 101: the connection now carries something
                               else (a tunnel, a WebSocket); keep_alive is 0 */
};

struct http1_framing
{
    enum http1_body body;
    uint64_t content_length;    /* HTTP1_BODY_LENGTH only */
    int keep_alive;             /* the connection may carry another request afterwards */
    int te_other;               /* Transfer-Encoding names codings besides the final chunked */
    int te_and_cl;              /* both Transfer-Encoding and Content-Length were sent */
};

/* Decide how the body of the response to a request with this method is
 * delimited (RFC 9112 §6.3) and whether the connection can be reused.
 * status is normally resp->status.  Returns HTTP1_OK or HTTP1_ERR_INVALID
 * (Content-Length invalid, overflowing or conflicting; Transfer-Encoding
 * empty or naming chunked twice). */
int http1_body_framing(const char *method, int status, const struct http1_response *resp,
                       struct http1_framing *out);

/* Whether the comma-separated token list value[0..len) contains token
 * (ASCII case-insensitive, OWS and empty elements ignored). */
int http1_list_has_token(const char *value, size_t len, const char *token);

#endif /* WINHTTP_HTTP1_H */
