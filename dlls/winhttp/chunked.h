/*
 * Streaming decoder of the chunked transfer coding (RFC 9112 §7.1).  Plain C,
 * no sockets, no Win32.  Input may be split anywhere, down to single bytes.
 */
#ifndef WINHTTP_CHUNKED_H
#define WINHTTP_CHUNKED_H

#include <stddef.h>
#include <stdint.h>

#define CHUNKED_OK     0    /* progress made, or more input needed */
#define CHUNKED_DONE   1    /* last-chunk and trailer section consumed */
#define CHUNKED_ERR  (-1)   /* malformed; the decoder stays in error */

/* A chunk-size line (size, BWS, extensions, line end) longer than this is an error. */
#define CHUNKED_MAX_LINE      4096
/* So is a trailer section of more bytes than this. */
#define CHUNKED_MAX_TRAILERS  16384

struct chunked_decoder
{
    int state;
    uint64_t remaining;     /* data bytes left in the current chunk */
    size_t line_bytes;      /* bytes of the current chunk-size line / trailer section */
    uint64_t total;         /* data bytes decoded so far */
    size_t trailer_lines;   /* trailer field lines seen */
};

void chunked_init(struct chunked_decoder *d);

/* Decode in[0..in_len) into out[0..out_cap).  *in_used gets the input bytes
 * consumed, *out_len the data bytes written.  out may be NULL to discard the
 * data (draining a response); up to out_cap bytes are then skipped and
 * counted in *out_len.  Returns
 *   CHUNKED_OK    call again with the unconsumed input plus more, or with
 *                 more output room (no progress is possible with out_cap 0
 *                 inside a chunk's data)
 *   CHUNKED_DONE  the message body ended; in[*in_used..] is not part of it
 *                 (the next response on a reused connection).  Further calls
 *                 consume nothing and return CHUNKED_DONE.
 *   CHUNKED_ERR   bad chunk size (not hex, empty, sign, 2^63 or more), no
 *                 line end after the data, control bytes in a chunk-size
 *                 line or trailer, a line or trailer section over the limits.
 * Line ends are CRLF or bare LF (RFC 9112 §2.2); extensions and trailer
 * fields are skipped. */
int chunked_decode(struct chunked_decoder *d, const char *in, size_t in_len, size_t *in_used,
                   char *out, size_t out_cap, size_t *out_len);

#endif /* WINHTTP_CHUNKED_H */
