/*
 * Content decoding: gzip and deflate through zlib, br through libbrotlidec,
 * behind one streaming interface (decompress.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <brotli/decode.h>

#include "decompress.h"

enum decomp_state
{
    DS_START,       /* deflate: waiting for two bytes to tell zlib from raw deflate */
    DS_STREAM,      /* inside a compressed stream (gzip member) */
    DS_BETWEEN,     /* gzip: a member ended; another may follow */
    DS_DONE,        /* ended: whatever follows is ignored */
    DS_ERROR,
};

struct decomp
{
    enum decomp_type type;
    enum decomp_state state;
    z_stream z;
    int z_ready;
    BrotliDecoderState *br;
    /* Bytes taken from the caller but not yet given to the decoder, while
     * looking at a stream's first two bytes. */
    unsigned char stash[2];
    size_t stash_len;
    int seen_input;
    int out_full;       /* the last call filled the output: more may be pending */
};

struct decomp *decomp_new(enum decomp_type type)
{
    struct decomp *d;

    if (type != DECOMP_GZIP && type != DECOMP_DEFLATE && type != DECOMP_BROTLI) return NULL;
    if (!(d = calloc(1, sizeof(*d)))) return NULL;
    d->type = type;
    d->state = DS_START;
    if (type == DECOMP_GZIP)
    {
        /* 16 + 15: gzip wrapper only, 32 KiB window */
        if (inflateInit2(&d->z, 16 + MAX_WBITS) != Z_OK)
        {
            free(d);
            return NULL;
        }
        d->z_ready = 1;
        d->state = DS_STREAM;
    }
    else if (type == DECOMP_BROTLI)
    {
        if (!(d->br = BrotliDecoderCreateInstance(NULL, NULL, NULL)))
        {
            free(d);
            return NULL;
        }
        d->state = DS_STREAM;
    }
    return d;
}

void decomp_free(struct decomp *d)
{
    if (!d) return;
    if (d->z_ready) inflateEnd(&d->z);
    if (d->br) BrotliDecoderDestroyInstance(d->br);
    free(d);
}

/* RFC 1950 §2.2: CM 8, CINFO at most 7, and the header is a multiple of 31.
 * A raw deflate stream can pass this test only if it starts with a non-final
 * stored block whose LEN happens to fit, which real servers do not send. */
static int is_zlib_header(const unsigned char *p)
{
    return (p[0] & 0x0f) == 8 && (p[0] >> 4) <= 7 && ((p[0] << 8) | p[1]) % 31 == 0;
}

/* Take up to two bytes into the stash; returns 1 once there are two. */
static int fill_stash(struct decomp *d, const unsigned char *in, size_t in_len, size_t *ip)
{
    while (d->stash_len < 2 && *ip < in_len) d->stash[d->stash_len++] = in[(*ip)++];
    return d->stash_len == 2;
}

static int run_zlib(struct decomp *d, const unsigned char *in, size_t in_len, size_t *ip,
                    unsigned char *out, size_t out_cap, size_t *op)
{
    for (;;)
    {
        int from_stash = d->stash_len > 0, ret;
        size_t avail_in = from_stash ? d->stash_len : in_len - *ip;
        size_t avail_out = out_cap - *op;

        if (avail_in > UINT_MAX) avail_in = UINT_MAX;
        if (avail_out > UINT_MAX) avail_out = UINT_MAX;
        if (!avail_out) return DS_STREAM;
        d->z.next_in = from_stash ? d->stash : (unsigned char *)in + *ip;
        d->z.avail_in = (uInt)avail_in;
        d->z.next_out = out + *op;
        d->z.avail_out = (uInt)avail_out;

        ret = inflate(&d->z, Z_NO_FLUSH);

        *op += avail_out - d->z.avail_out;
        if (from_stash)
        {
            size_t used = avail_in - d->z.avail_in;
            memmove(d->stash, d->stash + used, d->stash_len - used);
            d->stash_len -= used;
        }
        else
            *ip += avail_in - d->z.avail_in;

        if (ret == Z_STREAM_END) return d->type == DECOMP_GZIP ? DS_BETWEEN : DS_DONE;
        if (ret == Z_BUF_ERROR) return DS_STREAM;   /* no progress possible: needs input or room */
        if (ret != Z_OK) return DS_ERROR;
        if (!d->stash_len && *ip == in_len) return DS_STREAM;
    }
}

static int run_brotli(struct decomp *d, const unsigned char *in, size_t in_len, size_t *ip,
                      unsigned char *out, size_t out_cap, size_t *op)
{
    size_t avail_in = in_len - *ip, avail_out = out_cap - *op;
    const uint8_t *next_in = in + *ip;
    uint8_t *next_out = out + *op;
    BrotliDecoderResult ret;

    ret = BrotliDecoderDecompressStream(d->br, &avail_in, &next_in, &avail_out, &next_out, NULL);
    *ip = in_len - avail_in;
    *op = out_cap - avail_out;
    switch (ret)
    {
    case BROTLI_DECODER_RESULT_SUCCESS: return DS_DONE;
    case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
    case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: return DS_STREAM;
    default: return DS_ERROR;
    }
}

int decomp_run(struct decomp *d, const void *in_, size_t in_len, size_t *in_used,
               void *out_, size_t out_cap, size_t *out_len)
{
    const unsigned char *in = in_;
    unsigned char *out = out_;
    size_t ip = 0, op = 0;

    if (in_len) d->seen_input = 1;
    for (;;)
    {
        enum decomp_state prev = d->state;

        switch (d->state)
        {
        case DS_START:
            if (!fill_stash(d, in, in_len, &ip)) break;
            if (inflateInit2(&d->z, is_zlib_header(d->stash) ? MAX_WBITS : -MAX_WBITS) != Z_OK)
            {
                d->state = DS_ERROR;
                break;
            }
            d->z_ready = 1;
            d->state = DS_STREAM;
            break;
        case DS_STREAM:
            if (d->type == DECOMP_BROTLI)
                d->state = run_brotli(d, in, in_len, &ip, out, out_cap, &op);
            else
                d->state = run_zlib(d, in, in_len, &ip, out, out_cap, &op);
            break;
        case DS_BETWEEN:
            /* RFC 1952 §2.3.1: a new member starts with ID1 ID2 = 1f 8b;
             * anything else after a member is trailing garbage, ignored as
             * gzip(1) does. */
            if (d->stash_len || ip < in_len)
            {
                if ((d->stash_len ? d->stash[0] : in[ip]) != 0x1f)
                    d->state = DS_DONE;
                else if (fill_stash(d, in, in_len, &ip))
                {
                    if (d->stash[1] != 0x8b || inflateReset(&d->z) != Z_OK)
                        d->state = DS_DONE;
                    else
                        d->state = DS_STREAM;
                }
            }
            break;
        case DS_DONE:
            ip = in_len;
            d->stash_len = 0;
            break;
        case DS_ERROR:
            break;
        }
        if (d->state == prev || d->state == DS_DONE || d->state == DS_ERROR) break;
    }
    if (d->state == DS_DONE) ip = in_len;

    d->out_full = out_cap && op == out_cap;
    *in_used = ip;
    *out_len = op;
    if (d->state == DS_ERROR) return DECOMP_ERROR;
    if (d->state == DS_DONE) return DECOMP_DONE;
    return DECOMP_OK;
}

int decomp_finish(struct decomp *d)
{
    switch (d->state)
    {
    case DS_DONE: return DECOMP_DONE;
    case DS_ERROR: return DECOMP_ERROR;
    case DS_BETWEEN: return DECOMP_DONE;
    default:
        if (!d->seen_input) return DECOMP_DONE;
        if (d->out_full) return DECOMP_OK;
        return DECOMP_ERROR;
    }
}

static int name_is(const char *name, size_t len, const char *what)
{
    size_t i;
    for (i = 0; i < len; i++)
    {
        char c = name[i];
        if (c >= 'A' && c <= 'Z') c += 32;
        if (c != what[i]) return 0;     /* also stops at what's terminator */
    }
    return !what[len];
}

enum decomp_type decomp_type_from_name(const char *name, size_t len)
{
    if (name_is(name, len, "gzip") || name_is(name, len, "x-gzip")) return DECOMP_GZIP;
    if (name_is(name, len, "deflate")) return DECOMP_DEFLATE;
    if (name_is(name, len, "br")) return DECOMP_BROTLI;
    return DECOMP_NONE;
}
