/*
 * Unit tests of the PAC helper's netstring protocol
 * (programs/winhttp-pac/pac_protocol.c).
 */
// unit-sources: programs/winhttp-pac/pac_protocol.c
#include <stdlib.h>
#include <string.h>

#include "pac_protocol.h"
#include "unit.h"

static enum pac_proto netstring(const char *in, size_t max, const char **payload, size_t *len, size_t *used)
{
    *payload = NULL;
    *len = *used = 0;
    return pac_netstring_parse(in, strlen(in), max, payload, len, used);
}

static void test_netstring(void)
{
    const char *payload;
    size_t len, used;

    ok_int(netstring("5:hello,", 100, &payload, &len, &used), PAC_PROTO_OK);
    ok_mem(payload, len, "hello");
    ok_int(used, 8);
    ok_int(netstring("0:,", 100, &payload, &len, &used), PAC_PROTO_OK);
    ok_int(len, 0);
    ok_int(used, 3);
    /* What follows is left for the next one. */
    ok_int(netstring("3:abc,1:x,", 100, &payload, &len, &used), PAC_PROTO_OK);
    ok_mem(payload, len, "abc");
    ok_int(used, 6);
    /* Payloads are bytes: ':' and ',' inside are data. */
    ok_int(netstring("4:a:,b,", 100, &payload, &len, &used), PAC_PROTO_OK);
    ok_mem(payload, len, "a:,b");

    /* Not yet complete. */
    ok_int(netstring("", 100, &payload, &len, &used), PAC_PROTO_INCOMPLETE);
    ok_int(netstring("1", 100, &payload, &len, &used), PAC_PROTO_INCOMPLETE);
    ok_int(netstring("12", 100, &payload, &len, &used), PAC_PROTO_INCOMPLETE);
    ok_int(netstring("5:", 100, &payload, &len, &used), PAC_PROTO_INCOMPLETE);
    ok_int(netstring("5:hell", 100, &payload, &len, &used), PAC_PROTO_INCOMPLETE);
    ok_int(netstring("5:hello", 100, &payload, &len, &used), PAC_PROTO_INCOMPLETE);

    /* Malformed. */
    ok_int(netstring(":,", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);
    ok_int(netstring("x", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);
    ok_int(netstring("-1:a,", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);
    ok_int(netstring("+1:a,", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);
    ok_int(netstring(" 1:a,", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);
    ok_int(netstring("1 :a,", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);
    ok_int(netstring("01:a,", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);
    ok_int(netstring("00:,", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);
    ok_int(netstring("5:hello;", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);
    ok_int(netstring("3:hello,", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);
    ok_int(netstring("1;a,", 100, &payload, &len, &used), PAC_PROTO_MALFORMED);

    /* Over the limit: refused from the length alone, before its bytes. */
    ok_int(netstring("101:", 100, &payload, &len, &used), PAC_PROTO_TOOBIG);
    ok_int(netstring("101", 100, &payload, &len, &used), PAC_PROTO_TOOBIG);
    ok_int(netstring("100:", 100, &payload, &len, &used), PAC_PROTO_INCOMPLETE);
    ok_int(netstring("99999999999999999999999999:", 100, &payload, &len, &used), PAC_PROTO_TOOBIG);
    ok_int(netstring("16777217:", PAC_MAX_SCRIPT, &payload, &len, &used), PAC_PROTO_TOOBIG);
    ok_int(netstring("16777216:", PAC_MAX_SCRIPT, &payload, &len, &used), PAC_PROTO_INCOMPLETE);
}

static enum pac_proto request(const char *in, size_t len, struct pac_request *req)
{
    memset(req, 0, sizeof(*req));
    return pac_request_parse(in, len, req);
}

static void test_request(void)
{
    static const char good[] = "10:script(){},19:http://example.com/,11:example.com,";
    struct pac_request req;
    size_t i;

    ok_int(request(good, strlen(good), &req), PAC_PROTO_OK);
    ok_mem(req.script, req.script_len, "script(){}");
    ok_mem(req.url, req.url_len, "http://example.com/");
    ok_mem(req.host, req.host_len, "example.com");

    /* Every strict prefix is incomplete, never anything else. */
    for (i = 0; i < strlen(good); i++)
        ok_int(request(good, i, &req), PAC_PROTO_INCOMPLETE);

    ok_int(request("0:,0:,0:,", 9, &req), PAC_PROTO_OK);
    ok_int(req.script_len + req.url_len + req.host_len, 0);
    /* The script may hold NUL bytes (the engine takes a length), the URL and
     * the host may not (they become C strings). */
    ok_int(request("3:a\0b,1:u,1:h,", 14, &req), PAC_PROTO_OK);
    ok_int(req.script_len, 3);
    ok_int(request("1:s,3:u\0v,1:h,", 14, &req), PAC_PROTO_MALFORMED);
    ok_int(request("1:s,1:u,3:h\0i,", 14, &req), PAC_PROTO_MALFORMED);
    /* Exactly three: nothing after them. */
    ok_int(request("1:s,1:u,1:h,x", 13, &req), PAC_PROTO_MALFORMED);
    ok_int(request("1:s,1:u,1:h,1:x,", 16, &req), PAC_PROTO_MALFORMED);
    ok_int(request("1:s,1:u,1:h;", 12, &req), PAC_PROTO_MALFORMED);
    ok_int(request("1:s1:u,1:h,", 11, &req), PAC_PROTO_MALFORMED);
    /* Limits: the script 16 MiB, the URL and the host 1 MiB each. */
    ok_int(request("16777217:", 9, &req), PAC_PROTO_TOOBIG);
    ok_int(request("1:s,1048577:", 12, &req), PAC_PROTO_TOOBIG);
    ok_int(request("1:s,1:u,1048577:", 16, &req), PAC_PROTO_TOOBIG);
    ok_int(request("1:s,1048576:", 12, &req), PAC_PROTO_INCOMPLETE);
}

static void test_reply(void)
{
    size_t len;
    char *out;

    out = pac_reply_format("OK ", "PROXY a:1; DIRECT", 17, &len);
    ok_mem(out, len, "20:OK PROXY a:1; DIRECT,");
    free(out);
    out = pac_reply_format("ERR ", "SYNTAX", 6, &len);
    ok_mem(out, len, "10:ERR SYNTAX,");
    free(out);
    out = pac_reply_format("OK ", "", 0, &len);
    ok_mem(out, len, "3:OK ,");
    free(out);
    /* What it writes, it reads back. */
    out = pac_reply_format("", "a,b:c", 5, &len);
    {
        const char *payload;
        size_t plen, used;
        ok_int(pac_netstring_parse(out, len, 100, &payload, &plen, &used), PAC_PROTO_OK);
        ok_mem(payload, plen, "a,b:c");
        ok_int(used, len);
    }
    free(out);
}

int main(void)
{
    run_test(test_netstring);
    run_test(test_request);
    run_test(test_reply);
    return unit_summary();
}
