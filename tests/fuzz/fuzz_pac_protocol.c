/*
 * Fuzz the PAC helper's request parser: whatever it accepts, written back
 * with the reply formatter, is exactly the input (netstrings have one
 * spelling), and no strict prefix of an accepted request is accepted.
 */
// fuzz-sources: programs/winhttp-pac/pac_protocol.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../programs/winhttp-pac/pac_protocol.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data, *payload;
    struct pac_request req;
    enum pac_proto ret;
    size_t plen, used;

    ret = pac_netstring_parse(in, size, 1000, &payload, &plen, &used);
    CHECK(ret == PAC_PROTO_OK || ret == PAC_PROTO_INCOMPLETE || ret == PAC_PROTO_MALFORMED || ret == PAC_PROTO_TOOBIG);
    if (ret == PAC_PROTO_OK) CHECK(plen <= 1000 && used <= size && payload + plen + 1 == in + used);

    ret = pac_request_parse(in, size, &req);
    if (ret == PAC_PROTO_OK)
    {
        const char *parts[3] = {req.script, req.url, req.host};
        size_t lens[3] = {req.script_len, req.url_len, req.host_len}, pos = 0, len;
        int i;

        CHECK(req.script_len <= PAC_MAX_SCRIPT && req.url_len <= PAC_MAX_FIELD && req.host_len <= PAC_MAX_FIELD);
        CHECK(!memchr(req.url, 0, req.url_len) && !memchr(req.host, 0, req.host_len));
        for (i = 0; i < 3; i++)
        {
            char *again = pac_reply_format("", parts[i], lens[i], &len);
            CHECK(again && pos + len <= size && !memcmp(again, in + pos, len));
            pos += len;
            free(again);
        }
        CHECK(pos == size);
        CHECK(pac_request_parse(in, size - 1, &req) == PAC_PROTO_INCOMPLETE);
    }
    return 0;
}
