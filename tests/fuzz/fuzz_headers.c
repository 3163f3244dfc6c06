/*
 * Fuzz the header text parser of WinHttpAddRequestHeaders (headers_add_text)
 * and what is built from the list: the request head and the query results.
 *
 * The input's first byte picks the modifiers, the rest is UTF-16 text (byte
 * pairs, unterminated copy with an explicit length, so a read past the end
 * is an ASan report).  Invariants, each an abort:
 *  - every stored name is a token and no stored value holds a control
 *    character other than HTAB (nothing can inject a line);
 *  - the request head has exactly one CRLF per header plus two;
 *  - a query's reported size is what a second query then fills;
 *  - no response value holds CR or LF.
 * The same bytes also go through headers_set_response as a response head,
 * and through headers_set_trailers as an HTTP/2 response's trailer lines
 * (stored fields are tokens and clean values; the trailer queries size
 * themselves as above).
 */
// fuzz-sources: dlls/winhttp/headers.c dlls/winhttp/util.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winhttp_private.h"

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

/* What headers.c needs beyond tests/fuzz/fuzz_shim.c. */
void WINAPI AcquireSRWLockExclusive(SRWLOCK *lock) {}
void WINAPI ReleaseSRWLockExclusive(SRWLOCK *lock) {}
void WINAPI AcquireSRWLockShared(SRWLOCK *lock) {}
void WINAPI ReleaseSRWLockShared(SRWLOCK *lock) {}
struct object *grab_object_type(HINTERNET handle, DWORD type) { return NULL; }
void release_object(struct object *obj) {}
BOOL http_date_parse(const WCHAR *s, SYSTEMTIME *st) { return FALSE; }
BOOL WINAPI IsBadStringPtrA(LPCSTR str, UINT_PTR max) { return !str; }

static const DWORD modifiers[] =
{
    WINHTTP_ADDREQ_FLAG_ADD, WINHTTP_ADDREQ_FLAG_ADD_IF_NEW, WINHTTP_ADDREQ_FLAG_COALESCE,
    WINHTTP_ADDREQ_FLAG_COALESCE_WITH_SEMICOLON, WINHTTP_ADDREQ_FLAG_REPLACE,
    WINHTTP_ADDREQ_FLAG_REPLACE | WINHTTP_ADDREQ_FLAG_ADD, 0, 0xffffffff,
};

static void check_list(const struct header_list *list)
{
    size_t i, j;
    for (i = 0; i < list->count; i++)
    {
        CHECK(headers_valid_name(list->items[i].name, strlenW(list->items[i].name)));
        for (j = 0; list->items[i].value[j]; j++)
            CHECK(list->items[i].value[j] >= 0x20 || list->items[i].value[j] == '\t');
    }
}

static void check_head(struct request *req)
{
    WCHAR *head = headers_build_request_head(req, NULL, NULL, NULL);
    size_t i, crlf = 0;

    CHECK(head);
    for (i = 0; head[i]; i++)
    {
        if (head[i] == '\r') { CHECK(head[i + 1] == '\n'); crlf++; i++; }
        else CHECK(head[i] != '\n');
    }
    CHECK(crlf == req->request_headers.count + 2);
    free(head);
}

static void check_query(struct request *req, DWORD level, const WCHAR *name)
{
    DWORD len = 0, len2, ret;
    void *buf;

    ret = headers_query(req, level, name, NULL, &len, NULL);
    if (ret != ERROR_INSUFFICIENT_BUFFER) return;
    buf = malloc(len);
    len2 = len;
    CHECK(!headers_query(req, level, name, buf, &len2, NULL));
    CHECK(len2 + sizeof(WCHAR) == len);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct request *req;
    struct header_bytes lines[4];
    WCHAR *text;
    size_t n, i;

    if (size < 1) return 0;
    n = (size - 1) / 2;
    if (!(req = calloc(1, sizeof(*req)))) return 0;
    req->verb = strdupW(L"GET");
    req->path = strdupW(L"/");
    req->version = strdupW(L"HTTP/1.1");
    text = malloc((n ? n : 1) * sizeof(WCHAR));
    memcpy(text, data + 1, n * sizeof(WCHAR));

    headers_add_text(&req->request_headers, text, (DWORD)n, modifiers[data[0] & 7], TRUE);
    headers_add_text(&req->request_headers, text, (DWORD)n, modifiers[(data[0] >> 3) & 7], TRUE);
    check_list(&req->request_headers);
    check_head(req);
    check_query(req, WINHTTP_QUERY_RAW_HEADERS | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL);
    check_query(req, WINHTTP_QUERY_RAW_HEADERS_CRLF | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, NULL);
    if (req->request_headers.count)
        check_query(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS, req->request_headers.items[0].name);

    /* The same bytes as a response: up to four field lines cut at ':'/NUL. */
    for (i = 0; i < 4; i++)
    {
        size_t part = (size - 1) / 4, start = 1 + i * part, colon = start;
        while (colon < start + part && data[colon] != ':') colon++;
        lines[i].name = (const char *)data + start;
        lines[i].name_len = colon - start;
        lines[i].value = (const char *)data + colon;
        lines[i].value_len = start + part - colon;
    }
    CHECK(!headers_set_response(req, data[0] + 100, "HTTP/1.1", 8, (const char *)data, size > 8 ? 8 : size, lines, 4));
    check_query(req, WINHTTP_QUERY_RAW_HEADERS, NULL);
    check_query(req, WINHTTP_QUERY_RAW_HEADERS_CRLF, NULL);
    check_query(req, WINHTTP_QUERY_STATUS_TEXT, NULL);
    for (i = 0; i < req->response_headers.count; i++)
        for (n = 0; req->response_headers.items[i].value[n]; n++)
            CHECK(req->response_headers.items[i].value[n] != '\r' && req->response_headers.items[i].value[n] != '\n');

    /* The same bytes as trailer lines after the body. */
    headers_set_trailers(req, (const char *)data + 1, size - 1);
    CHECK(req->trailers_ready);
    check_list(&req->response_trailers);
    check_query(req, WINHTTP_QUERY_RAW_HEADERS | WINHTTP_QUERY_FLAG_TRAILERS, NULL);
    check_query(req, WINHTTP_QUERY_RAW_HEADERS_CRLF | WINHTTP_QUERY_FLAG_TRAILERS, NULL);
    if (req->response_trailers.count)
        check_query(req, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_TRAILERS, req->response_trailers.items[0].name);

    headers_clear(&req->request_headers);
    headers_clear(&req->response_headers);
    headers_clear(&req->response_trailers);
    free(req->status_text);
    free(req->response_version);
    free(req->raw_response_headers);
    free(req->verb);
    free(req->path);
    free(req->version);
    free(req);
    free(text);
    return 0;
}
