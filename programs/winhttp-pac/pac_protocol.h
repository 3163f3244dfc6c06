/*
 * The helper's wire format (winhttp-pac, see main.c): the request is three
 * netstrings, "<decimal length>:<bytes>," each (the script, the URL, the
 * host); the reply is one netstring, "OK <result>" or "ERR <NAME>".
 * No I/O here: the parser works on what has been read so far.
 */
#ifndef WINHTTP_PAC_PROTOCOL_H
#define WINHTTP_PAC_PROTOCOL_H

#include <stddef.h>

#define PAC_MAX_SCRIPT (16u << 20)   /* bigger scripts: ERR TOOBIG */
#define PAC_MAX_FIELD  (1u << 20)    /* the URL and the host */

enum pac_proto
{
    PAC_PROTO_OK,
    PAC_PROTO_INCOMPLETE,   /* more bytes could complete it */
    PAC_PROTO_MALFORMED,
    PAC_PROTO_TOOBIG,       /* a declared length over its limit */
};

struct pac_request
{
    const char *script, *url, *host;   /* point into the parsed buffer */
    size_t script_len, url_len, host_len;
};

/* One netstring at buf[0..len) whose payload may be at most max bytes. */
enum pac_proto pac_netstring_parse(const char *buf, size_t len, size_t max,
                                   const char **payload, size_t *payload_len, size_t *consumed);

/* The whole request: exactly three netstrings and nothing after them; the URL
 * and the host must not contain NUL (they become C strings). */
enum pac_proto pac_request_parse(const char *buf, size_t len, struct pac_request *req);

/* "<len>:<prefix><text>," in a malloc'ed buffer (NULL when out of memory). */
char *pac_reply_format(const char *prefix, const char *text, size_t text_len, size_t *out_len);

#endif /* WINHTTP_PAC_PROTOCOL_H */
