/*
 * The helper's netstring protocol (pac_protocol.h), kept apart from main.c
 * so that it can be unit-tested and fuzzed without a process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pac_protocol.h"

enum pac_proto pac_netstring_parse(const char *buf, size_t len, size_t max,
                                   const char **payload, size_t *payload_len, size_t *consumed)
{
    size_t pos = 0, value = 0;

    /* The length: decimal, no sign, no leading zero (so that every length
     * has one spelling), and refused as soon as it passes max, before its
     * bytes are waited for. */
    while (pos < len && buf[pos] >= '0' && buf[pos] <= '9')
    {
        if (pos == 1 && buf[0] == '0') return PAC_PROTO_MALFORMED;
        value = value * 10 + (size_t)(buf[pos] - '0');
        if (value > max) return PAC_PROTO_TOOBIG;
        pos++;
    }
    if (pos == len) return PAC_PROTO_INCOMPLETE;
    if (!pos || buf[pos] != ':') return PAC_PROTO_MALFORMED;
    pos++;
    if (len - pos < value + 1) return PAC_PROTO_INCOMPLETE;
    if (buf[pos + value] != ',') return PAC_PROTO_MALFORMED;
    *payload = buf + pos;
    *payload_len = value;
    *consumed = pos + value + 1;
    return PAC_PROTO_OK;
}

enum pac_proto pac_request_parse(const char *buf, size_t len, struct pac_request *req)
{
    static const size_t limits[3] = {PAC_MAX_SCRIPT, PAC_MAX_FIELD, PAC_MAX_FIELD};
    const char *payload[3];
    size_t payload_len[3], pos = 0, used;
    enum pac_proto ret;
    int i;

    for (i = 0; i < 3; i++)
    {
        if ((ret = pac_netstring_parse(buf + pos, len - pos, limits[i], &payload[i], &payload_len[i], &used)))
            return ret;
        if (i && memchr(payload[i], 0, payload_len[i])) return PAC_PROTO_MALFORMED;
        pos += used;
    }
    if (pos != len) return PAC_PROTO_MALFORMED;
    req->script = payload[0];
    req->script_len = payload_len[0];
    req->url = payload[1];
    req->url_len = payload_len[1];
    req->host = payload[2];
    req->host_len = payload_len[2];
    return PAC_PROTO_OK;
}

char *pac_reply_format(const char *prefix, const char *text, size_t text_len, size_t *out_len)
{
    size_t plen = strlen(prefix), total = plen + text_len;
    char head[32], *out;
    int hlen;

    if (total < text_len) return NULL;
    hlen = snprintf(head, sizeof(head), "%zu:", total);
    if (!(out = malloc(hlen + total + 1))) return NULL;
    memcpy(out, head, hlen);
    memcpy(out + hlen, prefix, plen);
    if (text_len) memcpy(out + hlen + plen, text, text_len);
    out[hlen + total] = ',';
    *out_len = hlen + total + 1;
    return out;
}
