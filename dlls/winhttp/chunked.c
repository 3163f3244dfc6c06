/*
 * Chunked transfer coding decoder (RFC 9112 §7.1):
 *
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *   last-chunk   = 1*("0") [ chunk-ext ] CRLF
 *
 * One state per position in that grammar, advanced a byte at a time except
 * inside chunk data, which is copied in blocks.
 */
#include <string.h>

#include "chunked.h"

enum chunked_state
{
    CS_SIZE_FIRST,      /* first hex digit of chunk-size */
    CS_SIZE,            /* more hex digits */
    CS_SIZE_WS,         /* BWS after the size, before ';' or the line end */
    CS_EXT,             /* chunk extensions, skipped */
    CS_SIZE_CR,         /* CR of the chunk-size line seen, LF expected */
    CS_DATA,            /* chunk-data */
    CS_DATA_END,        /* line end after chunk-data */
    CS_DATA_CR,
    CS_TRAILER_START,   /* start of a trailer field line or of the final empty line */
    CS_TRAILER,         /* inside a trailer field line, skipped */
    CS_TRAILER_CR,
    CS_END_CR,          /* CR of the final empty line seen */
    CS_DONE,
    CS_ERROR,
};

void chunked_init(struct chunked_decoder *d)
{
    memset(d, 0, sizeof(*d));
    d->state = CS_SIZE_FIRST;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Bytes allowed inside extensions and trailer fields: VCHAR, obs-text, SP, HTAB. */
static int is_field_byte(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static void end_size_line(struct chunked_decoder *d)
{
    if (d->remaining)
        d->state = CS_DATA;
    else
    {
        d->state = CS_TRAILER_START;
        d->line_bytes = 0;
    }
}

/* Advance over one byte outside chunk data; returns the new state. */
static int step(struct chunked_decoder *d, unsigned char c)
{
    int v;

    switch (d->state)
    {
    case CS_SIZE_FIRST:
    case CS_SIZE:
        if (++d->line_bytes > CHUNKED_MAX_LINE) return CS_ERROR;
        if ((v = hex_value(c)) >= 0)
        {
            /* the size must stay below 2^63 */
            if (d->remaining >> 59) return CS_ERROR;
            d->remaining = d->remaining * 16 + v;
            return CS_SIZE;
        }
        if (d->state == CS_SIZE_FIRST) return CS_ERROR;
        if (c == ' ' || c == '\t') return CS_SIZE_WS;
        if (c == ';') return CS_EXT;
        if (c == '\r') return CS_SIZE_CR;
        if (c == '\n') { end_size_line(d); return d->state; }
        return CS_ERROR;
    case CS_SIZE_WS:
        if (++d->line_bytes > CHUNKED_MAX_LINE) return CS_ERROR;
        if (c == ' ' || c == '\t') return CS_SIZE_WS;
        if (c == ';') return CS_EXT;
        if (c == '\r') return CS_SIZE_CR;
        if (c == '\n') { end_size_line(d); return d->state; }
        return CS_ERROR;
    case CS_EXT:
        if (++d->line_bytes > CHUNKED_MAX_LINE) return CS_ERROR;
        if (c == '\r') return CS_SIZE_CR;
        if (c == '\n') { end_size_line(d); return d->state; }
        return is_field_byte(c) ? CS_EXT : CS_ERROR;
    case CS_SIZE_CR:
        if (++d->line_bytes > CHUNKED_MAX_LINE || c != '\n') return CS_ERROR;
        end_size_line(d);
        return d->state;
    case CS_DATA_END:
        if (c == '\r') return CS_DATA_CR;
        /* fall through */
    case CS_DATA_CR:
        if (c != '\n') return CS_ERROR;
        d->line_bytes = 0;
        return CS_SIZE_FIRST;
    case CS_TRAILER_START:
    case CS_TRAILER:
        if (++d->line_bytes > CHUNKED_MAX_TRAILERS) return CS_ERROR;
        if (c == '\r') return d->state == CS_TRAILER_START ? CS_END_CR : CS_TRAILER_CR;
        if (c == '\n') return d->state == CS_TRAILER_START ? CS_DONE : CS_TRAILER_START;
        if (d->state == CS_TRAILER_START) d->trailer_lines++;
        return is_field_byte(c) ? CS_TRAILER : CS_ERROR;
    case CS_TRAILER_CR:
        if (++d->line_bytes > CHUNKED_MAX_TRAILERS) return CS_ERROR;
        return c == '\n' ? CS_TRAILER_START : CS_ERROR;
    case CS_END_CR:
        return c == '\n' ? CS_DONE : CS_ERROR;
    }
    return CS_ERROR;
}

int chunked_decode(struct chunked_decoder *d, const char *in, size_t in_len, size_t *in_used,
                   char *out, size_t out_cap, size_t *out_len)
{
    size_t ip = 0, op = 0;

    while (ip < in_len && d->state != CS_DONE && d->state != CS_ERROR)
    {
        if (d->state == CS_DATA)
        {
            size_t n = in_len - ip;
            if (n > out_cap - op) n = out_cap - op;
            if (n > d->remaining) n = (size_t)d->remaining;
            if (!n) break;  /* no output room */
            if (out) memcpy(out + op, in + ip, n);
            ip += n;
            op += n;
            d->remaining -= n;
            d->total += n;
            if (!d->remaining) d->state = CS_DATA_END;
            continue;
        }
        d->state = step(d, (unsigned char)in[ip++]);
    }
    *in_used = ip;
    *out_len = op;
    if (d->state == CS_ERROR) return CHUNKED_ERR;
    if (d->state == CS_DONE) return CHUNKED_DONE;
    return CHUNKED_OK;
}
