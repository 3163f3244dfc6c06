/*
 * Streaming decoders for the content codings WinHTTP decompresses: gzip
 * (RFC 1952), deflate (RFC 9110 §8.4.1.2 means zlib, RFC 1950, but servers
 * also send raw RFC 1951 data: told apart by the first two bytes) and br
 * (RFC 7932).  Plain C over zlib and libbrotlidec, no Win32.  Memory is
 * bounded by the formats' windows (32 KiB for zlib, at most 16 MiB for
 * brotli), never by the size of the body.
 */
#ifndef WINHTTP_DECOMPRESS_H
#define WINHTTP_DECOMPRESS_H

#include <stddef.h>

enum decomp_type
{
    DECOMP_NONE = 0,
    DECOMP_GZIP,
    DECOMP_DEFLATE,
    DECOMP_BROTLI,
};

#define DECOMP_OK      0    /* progress made, or more input / output room needed */
#define DECOMP_DONE    1    /* the compressed stream ended */
#define DECOMP_ERROR (-1)   /* corrupt data (or out of memory); the decoder stays in error */

struct decomp;

/* A decoder for type; NULL for DECOMP_NONE, an unknown type or out of memory. */
struct decomp *decomp_new(enum decomp_type type);

/* Decode in[0..in_len) into out[0..out_cap); *in_used and *out_len get what
 * was consumed and produced.  Returns DECOMP_OK (call again with more input
 * or more room: when out was filled, output may be pending even if all the
 * input was used), DECOMP_DONE or DECOMP_ERROR.
 * After the end of the stream, bytes that follow are consumed and ignored and
 * DECOMP_DONE is returned, except that a gzip member followed by another gzip
 * member goes on decoding it (RFC 1952 §2.2 allows concatenated members). */
int decomp_run(struct decomp *d, const void *in, size_t in_len, size_t *in_used,
               void *out, size_t out_cap, size_t *out_len);

/* The body ended (no more input will come): DECOMP_DONE if the stream was
 * complete, or if no byte at all was given (an empty body), DECOMP_ERROR if it
 * was cut short or had failed, DECOMP_OK if decoded output is still pending
 * (call decomp_run with in_len 0 and more room first). */
int decomp_finish(struct decomp *d);

void decomp_free(struct decomp *d);

/* The decoder type for a Content-Encoding coding name (ASCII
 * case-insensitive): gzip, x-gzip, deflate, br; DECOMP_NONE otherwise
 * (identity included). */
enum decomp_type decomp_type_from_name(const char *name, size_t len);

#endif /* WINHTTP_DECOMPRESS_H */
