/*
 * HTTP/1.x response head parser and body framing (RFC 9112).
 *
 * The parser is incremental in the cheap way: while the head is incomplete it
 * only scans forward for the empty line that ends it (resuming where the last
 * call stopped, so feeding a byte at a time stays linear), checking what can
 * be checked early: NUL, bare CR, the status line as soon as it is complete,
 * and the size limit.  The field lines are parsed once, when the head is
 * complete.  Nothing is allocated: the results point into the caller's buffer.
 */
#include <string.h>

#include "http1.h"

enum scan_state
{
    SCAN_LINE_START,    /* before the status line: empty lines are skipped */
    SCAN_STATUS,        /* inside the status line */
    SCAN_FIELDS,        /* inside the field lines */
};

static const char http_prefix[] = "HTTP/";

void http1_response_init(struct http1_response *resp, struct http1_header *headers, size_t capacity)
{
    memset(resp, 0, sizeof(*resp));
    resp->headers = headers;
    resp->header_capacity = headers ? capacity : 0;
    resp->scan_state = SCAN_LINE_START;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* tchar, RFC 9110 §5.6.2 */
static int is_tchar(unsigned char c)
{
    if (c >= '0' && c <= '9') return 1;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return 1;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int ascii_ieq(const char *a, size_t len, const char *b)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (!b[i] || lower(a[i]) != lower(b[i])) return 0;
    return !b[len];
}

/* status-line = HTTP-version SP status-code SP [ reason-phrase ]
 * line[0..len) excludes the line end. */
static int parse_status_line(const char *line, size_t len, struct http1_response *resp)
{
    size_t i;

    if (len < 8 || memcmp(line, http_prefix, 5)) return HTTP1_ERR_INVALID;
    if (!is_digit(line[5]) || line[6] != '.' || !is_digit(line[7])) return HTTP1_ERR_INVALID;
    resp->version_major = line[5] - '0';
    resp->version_minor = line[7] - '0';
    if (resp->version_major != 1) return HTTP1_ERR_INVALID;
    i = 8;
    /* RFC 9112 says exactly one SP; more is tolerated, as many clients do. */
    if (i >= len || line[i] != ' ') return HTTP1_ERR_INVALID;
    while (i < len && line[i] == ' ') i++;
    if (len - i < 3 || !is_digit(line[i]) || !is_digit(line[i + 1]) || !is_digit(line[i + 2]))
        return HTTP1_ERR_INVALID;
    resp->status = (line[i] - '0') * 100 + (line[i + 1] - '0') * 10 + (line[i + 2] - '0');
    if (resp->status < 100) return HTTP1_ERR_INVALID;
    i += 3;
    if (i < len && line[i] != ' ') return HTTP1_ERR_INVALID;
    if (i < len) i++;
    /* The reason phrase is kept as sent, less trailing whitespace; other
     * control characters than NUL and CR (rejected by the scan) are kept
     * for robustness, as RFC 9110 §5.5 allows. */
    while (len > i && is_ws(line[len - 1])) len--;
    resp->reason = line + i;
    resp->reason_len = len - i;
    return HTTP1_OK;
}

/* End of the line content starting at start and ending with the LF at lf. */
static size_t content_end(const char *buf, size_t start, size_t lf)
{
    return (lf > start && buf[lf - 1] == '\r') ? lf - 1 : lf;
}

static void trim(const char **p, size_t *len)
{
    while (*len && is_ws(**p)) { (*p)++; (*len)--; }
    while (*len && is_ws((*p)[*len - 1])) (*len)--;
}

/* Parse the field lines in buf[start..end), end being the start of the
 * final empty line. */
static int parse_fields(const char *buf, size_t start, size_t end, struct http1_response *resp)
{
    size_t pos = start;
    struct http1_header *last = NULL;

    resp->header_count = 0;
    while (pos < end)
    {
        const char *lf = memchr(buf + pos, '\n', end - pos);
        size_t line_end = lf ? (size_t)(lf - buf) : end;   /* lf is always found: end follows an LF */
        size_t cend = content_end(buf, pos, line_end);
        const char *line = buf + pos;
        size_t len = cend - pos, i;

        if (is_ws(line[0]))
        {
            /* obs-fold (RFC 9112 §5.2): a user agent must replace it with SP
             * and carry on; here the value grows over the continuation line
             * and http1_unfold does the replacing. */
            const char *value;
            size_t vlen;
            if (!last) return HTTP1_ERR_INVALID;   /* §2.2: whitespace before the first field line */
            value = line;
            vlen = len;
            trim(&value, &vlen);
            if (vlen)
            {
                if (!last->value_len) last->value = value;
                last->value_len = (size_t)(value + vlen - last->value);
                last->folded = 1;
            }
            pos = line_end + 1;
            continue;
        }

        for (i = 0; i < len && line[i] != ':'; i++)
            if (!is_tchar(line[i])) return HTTP1_ERR_INVALID;
        if (i == len || i == 0) return HTTP1_ERR_INVALID;
        if (resp->header_count == resp->header_capacity) return HTTP1_ERR_TOO_LARGE;

        last = &resp->headers[resp->header_count++];
        last->name = line;
        last->name_len = i;
        last->value = line + i + 1;
        last->value_len = len - i - 1;
        last->folded = 0;
        trim(&last->value, &last->value_len);
        pos = line_end + 1;
    }
    return HTTP1_OK;
}

int http1_parse_response_head(const char *buf, size_t len, size_t max_head_bytes, struct http1_response *resp)
{
    size_t limit = len < max_head_bytes ? len : max_head_bytes;
    size_t pos = resp->scan_pos;
    int ret;

    for (; pos < limit; pos++)
    {
        unsigned char c = buf[pos];

        if (!c) return HTTP1_ERR_INVALID;
        if (c == '\r')
        {
            /* a CR must be followed by LF (RFC 9112 §2.2: bare CR is invalid) */
            if (pos + 1 >= limit) break;
            if (buf[pos + 1] != '\n') return HTTP1_ERR_INVALID;
            continue;
        }
        if (c != '\n')
        {
            if (resp->scan_state == SCAN_LINE_START)
            {
                resp->scan_state = SCAN_STATUS;
                resp->status_start = pos;
            }
            /* Tell a peer that does not speak HTTP at all as soon as it shows. */
            if (resp->scan_state == SCAN_STATUS && pos - resp->status_start < 5 &&
                c != (unsigned char)http_prefix[pos - resp->status_start])
                return HTTP1_ERR_INVALID;
            continue;
        }

        /* end of a line */
        switch (resp->scan_state)
        {
        case SCAN_LINE_START:
            break;
        case SCAN_STATUS:
            resp->status_end = pos + 1;
            ret = parse_status_line(buf + resp->status_start,
                                    content_end(buf, resp->status_start, pos) - resp->status_start, resp);
            if (ret != HTTP1_OK) return ret;
            resp->scan_state = SCAN_FIELDS;
            break;
        case SCAN_FIELDS:
            if (content_end(buf, resp->line_start, pos) == resp->line_start)
            {
                /* the empty line: the head is complete */
                resp->scan_pos = pos + 1;
                resp->head_len = pos + 1;
                /* the status line was parsed with the buffer of an earlier call */
                parse_status_line(buf + resp->status_start,
                                  content_end(buf, resp->status_start, resp->status_end - 1) - resp->status_start, resp);
                return parse_fields(buf, resp->status_end, resp->line_start, resp);
            }
            break;
        }
        resp->line_start = pos + 1;
    }
    resp->scan_pos = pos;
    /* No end of head within the first max_head_bytes: with that many bytes
     * at hand, the head cannot fit any more. */
    if (len >= max_head_bytes) return HTTP1_ERR_TOO_LARGE;
    return HTTP1_NEED_MORE;
}

size_t http1_unfold(const char *value, size_t value_len, char *dst)
{
    size_t i = 0, n = 0;

    while (i < value_len)
    {
        char c = value[i];
        if (c == '\r' || c == '\n')
        {
            while (n && is_ws(dst[n - 1])) n--;
            dst[n++] = ' ';
            while (i < value_len && (value[i] == '\r' || value[i] == '\n' || is_ws(value[i]))) i++;
            continue;
        }
        dst[n++] = c;
        i++;
    }
    return n;
}

int http1_find_header(const struct http1_response *resp, const char *name, size_t index)
{
    size_t i;
    for (i = 0; i < resp->header_count; i++)
    {
        const struct http1_header *h = &resp->headers[i];
        if (ascii_ieq(h->name, h->name_len, name) && !index--) return (int)i;
    }
    return -1;
}

static int is_list_ws(unsigned char c)
{
    /* CR and LF can only appear inside an obs-folded value */
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Next element of a comma-separated list (RFC 9110 §5.6.1), OWS trimmed;
 * empty elements are returned too (with elem_len 0).  Returns 0 at the end. */
static int next_element(const char *value, size_t len, size_t *pos, const char **elem, size_t *elem_len)
{
    size_t start, end;

    if (*pos > len) return 0;
    start = *pos;
    end = start;
    while (end < len && value[end] != ',') end++;
    *pos = end + 1;
    while (start < end && is_list_ws(value[start])) start++;
    while (end > start && is_list_ws(value[end - 1])) end--;
    *elem = value + start;
    *elem_len = end - start;
    return 1;
}

int http1_list_has_token(const char *value, size_t len, const char *token)
{
    size_t pos = 0, elen;
    const char *elem;

    while (next_element(value, len, &pos, &elem, &elen))
        if (elen && ascii_ieq(elem, elen, token)) return 1;
    return 0;
}

/* Content-Length = 1*DIGIT.  Every element of every Content-Length line must
 * be the same number: RFC 9110 §8.6 lets a recipient accept "42, 42". */
static int content_length(const struct http1_response *resp, int *present, uint64_t *result)
{
    size_t i, pos, elen, k;
    const char *elem;

    *present = 0;
    for (i = 0; i < resp->header_count; i++)
    {
        const struct http1_header *h = &resp->headers[i];
        if (!ascii_ieq(h->name, h->name_len, "Content-Length")) continue;
        pos = 0;
        while (next_element(h->value, h->value_len, &pos, &elem, &elen))
        {
            uint64_t v = 0;
            if (!elen) return HTTP1_ERR_INVALID;
            for (k = 0; k < elen; k++)
            {
                unsigned int digit = elem[k] - '0';
                if (!is_digit(elem[k]) || v > (UINT64_MAX - digit) / 10) return HTTP1_ERR_INVALID;
                v = v * 10 + digit;
            }
            if (*present && v != *result) return HTTP1_ERR_INVALID;
            *present = 1;
            *result = v;
        }
    }
    return HTTP1_OK;
}

/* Transfer-Encoding over all its lines: whether present, whether chunked is
 * the final coding, whether other codings are listed. */
static int transfer_encoding(const struct http1_response *resp, int *present, int *chunked_last, int *other)
{
    size_t i, pos, elen;
    const char *elem;
    int chunked_seen = 0;

    *present = *chunked_last = *other = 0;
    for (i = 0; i < resp->header_count; i++)
    {
        const struct http1_header *h = &resp->headers[i];
        if (!ascii_ieq(h->name, h->name_len, "Transfer-Encoding")) continue;
        pos = 0;
        while (next_element(h->value, h->value_len, &pos, &elem, &elen))
        {
            size_t name_len = 0;
            if (!elen) continue;
            *present = 1;
            /* transfer-coding parameters (";q=...") do not matter here */
            while (name_len < elen && elem[name_len] != ';' && !is_list_ws(elem[name_len])) name_len++;
            if (ascii_ieq(elem, name_len, "chunked"))
            {
                /* RFC 9112 §6.1: chunked must not be applied more than once */
                if (chunked_seen) return HTTP1_ERR_INVALID;
                chunked_seen = 1;
                *chunked_last = 1;
            }
            else
            {
                *chunked_last = 0;
                *other = 1;
            }
        }
        /* a Transfer-Encoding line with no coding at all */
        if (!*present) return HTTP1_ERR_INVALID;
    }
    /* chunked followed by another coding: framing is close-delimited */
    if (chunked_seen && !*chunked_last) *other = 1;
    return HTTP1_OK;
}

static int connection_keep_alive(const struct http1_response *resp)
{
    size_t i;
    int close = 0, keep_alive = 0;

    for (i = 0; i < resp->header_count; i++)
    {
        const struct http1_header *h = &resp->headers[i];
        if (!ascii_ieq(h->name, h->name_len, "Connection")) continue;
        if (http1_list_has_token(h->value, h->value_len, "close")) close = 1;
        if (http1_list_has_token(h->value, h->value_len, "keep-alive")) keep_alive = 1;
    }
    if (close) return 0;
    /* RFC 9112 §9.3: HTTP/1.1 persists by default; HTTP/1.0 only with
     * the keep-alive token of RFC 2068 §19.7.1. */
    if (resp->version_major == 1 && resp->version_minor == 0) return keep_alive;
    return 1;
}

int http1_body_framing(const char *method, int status, const struct http1_response *resp,
                       struct http1_framing *out)
{
    int te, chunked_last, te_other, cl_present, ret;
    uint64_t cl = 0;

    memset(out, 0, sizeof(*out));
    out->keep_alive = connection_keep_alive(resp);

    /* RFC 9112 §6.3 rules 1 and 2; after 101 the connection speaks the protocol
     * switched to (RFC 9110 §15.2.2).  Methods are case-sensitive (RFC 9110 §9.1). */
    if ((method && !strcmp(method, "CONNECT") && status >= 200 && status < 300) || status == 101)
    {
        out->body = HTTP1_BODY_TUNNEL;
        out->keep_alive = 0;
        return HTTP1_OK;
    }
    if ((method && !strcmp(method, "HEAD")) || status < 200 || status == 204 || status == 304)
    {
        out->body = HTTP1_BODY_NONE;
        return HTTP1_OK;
    }

    if ((ret = transfer_encoding(resp, &te, &chunked_last, &te_other)) != HTTP1_OK) return ret;
    if (te)
    {
        /* rule 3: Transfer-Encoding overrides Content-Length, but such a
         * message may be a smuggling attempt: do not reuse the connection.
         * Nor after an HTTP/1.0 message with Transfer-Encoding (§6.1). */
        out->te_and_cl = http1_find_header(resp, "Content-Length", 0) >= 0;
        if (out->te_and_cl || (resp->version_major == 1 && resp->version_minor == 0)) out->keep_alive = 0;
        out->te_other = te_other;
        if (chunked_last)
            out->body = HTTP1_BODY_CHUNKED;
        else
        {
            out->body = HTTP1_BODY_CLOSE;
            out->keep_alive = 0;
        }
        return HTTP1_OK;
    }

    /* rules 5 and 6 */
    if ((ret = content_length(resp, &cl_present, &cl)) != HTTP1_OK) return ret;
    if (cl_present)
    {
        out->body = HTTP1_BODY_LENGTH;
        out->content_length = cl;
        return HTTP1_OK;
    }

    /* rule 8: read until the connection closes */
    out->body = HTTP1_BODY_CLOSE;
    out->keep_alive = 0;
    return HTTP1_OK;
}
