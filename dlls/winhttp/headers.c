/*
 * Request and response headers: WinHttpAddRequestHeaders(Ex) and
 * WinHttpQueryHeaders(Ex), plus the helpers the HTTP engine uses to build
 * the request head and to record the response head.
 *
 * Header lists keep names as given (lookups are ASCII case-insensitive) and
 * values with surrounding whitespace removed (RFC 9110 §5.5).  Everything an
 * application adds is validated here, so no CR, LF, NUL or other control
 * character can reach the wire through a header (request smuggling and
 * response splitting start that way).
 *
 * Response headers arrive as bytes; they are widened as ISO-8859-1, which
 * keeps every byte and can be narrowed back losslessly for the Ex query's
 * wire-encoding and code-page modes (Wine's builtin shows the same widening).
 * Request headers go out as UTF-8, which is what builtin sends too.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

#define QUERY_MODIFIERS_KNOWN (WINHTTP_QUERY_FLAG_REQUEST_HEADERS | WINHTTP_QUERY_FLAG_SYSTEMTIME | \
    WINHTTP_QUERY_FLAG_NUMBER | WINHTTP_QUERY_FLAG_NUMBER64 | WINHTTP_QUERY_FLAG_TRAILERS | \
    WINHTTP_QUERY_FLAG_WIRE_ENCODING)
#define QUERY_FORMAT_FLAGS (WINHTTP_QUERY_FLAG_SYSTEMTIME | WINHTTP_QUERY_FLAG_NUMBER | WINHTTP_QUERY_FLAG_NUMBER64)

/* ------------------------------------------------------------------ */
/* the WINHTTP_QUERY_* levels                                          */

/* Header name of each level; NULL for the levels that are not a header
 * (status line parts, raw headers, request method) and for the values
 * 71-74, which WinHTTP does not define. */
static const WCHAR *const level_names[WINHTTP_QUERY_MAX + 1] =
{
    L"MIME-Version",                /* WINHTTP_QUERY_MIME_VERSION */
    L"Content-Type",
    L"Content-Transfer-Encoding",
    L"Content-ID",
    L"Content-Description",
    L"Content-Length",
    L"Content-Language",
    L"Allow",
    L"Public",
    L"Date",
    L"Expires",                     /* 10 */
    L"Last-Modified",
    L"Message-ID",
    L"URI",
    L"Derived-From",
    L"Cost",
    L"Link",
    L"Pragma",
    NULL,                           /* WINHTTP_QUERY_VERSION */
    NULL,                           /* WINHTTP_QUERY_STATUS_CODE */
    NULL,                           /* 20: WINHTTP_QUERY_STATUS_TEXT */
    NULL,                           /* WINHTTP_QUERY_RAW_HEADERS */
    NULL,                           /* WINHTTP_QUERY_RAW_HEADERS_CRLF */
    L"Connection",
    L"Accept",
    L"Accept-Charset",
    L"Accept-Encoding",
    L"Accept-Language",
    L"Authorization",
    L"Content-Encoding",
    L"Forwarded",                   /* 30 */
    L"From",
    L"If-Modified-Since",
    L"Location",
    L"Orig-URI",
    L"Referer",
    L"Retry-After",
    L"Server",
    L"Title",
    L"User-Agent",
    L"WWW-Authenticate",            /* 40 */
    L"Proxy-Authenticate",
    L"Accept-Ranges",
    L"Set-Cookie",
    L"Cookie",
    NULL,                           /* WINHTTP_QUERY_REQUEST_METHOD */
    L"Refresh",
    L"Content-Disposition",
    L"Age",
    L"Cache-Control",
    L"Content-Base",                /* 50 */
    L"Content-Location",
    L"Content-MD5",
    L"Content-Range",
    L"ETag",
    L"Host",
    L"If-Match",
    L"If-None-Match",
    L"If-Range",
    L"If-Unmodified-Since",
    L"Max-Forwards",                /* 60 */
    L"Proxy-Authorization",
    L"Range",
    L"Transfer-Encoding",
    L"Upgrade",
    L"Vary",
    L"Via",
    L"Warning",
    L"Expect",
    L"Proxy-Connection",
    L"Unless-Modified-Since",       /* 70 */
    NULL, NULL, NULL, NULL,         /* 71-74: not defined by WinHTTP */
    L"Proxy-Support",
    L"Authentication-Info",
    L"PassportURLs",
    L"PassportConfig",              /* 78 = WINHTTP_QUERY_MAX */
};

static BOOL is_pseudo_level(DWORD attr)
{
    switch (attr)
    {
    case WINHTTP_QUERY_VERSION:
    case WINHTTP_QUERY_STATUS_CODE:
    case WINHTTP_QUERY_STATUS_TEXT:
    case WINHTTP_QUERY_RAW_HEADERS:
    case WINHTTP_QUERY_RAW_HEADERS_CRLF:
    case WINHTTP_QUERY_REQUEST_METHOD:
        return TRUE;
    }
    return FALSE;
}

/* ------------------------------------------------------------------ */
/* validation (RFC 9110 §5.1 field names, §5.5 field values)           */

static BOOL is_tchar(WCHAR c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return TRUE;
    return c && c < 0x80 && strchr("!#$%&'*+-.^_`|~", (char)c) != NULL;
}

static BOOL is_ows(WCHAR c)
{
    return c == ' ' || c == '\t';
}

BOOL headers_valid_name(const WCHAR *name, size_t len)
{
    size_t i;
    if (!name || !len) return FALSE;
    for (i = 0; i < len; i++) if (!is_tchar(name[i])) return FALSE;
    return TRUE;
}

/* Field values may hold any visible character, SP, HTAB and non-ASCII text;
 * any other control character (CR, LF and NUL among them) is refused. */
BOOL headers_valid_value(const WCHAR *value, size_t len)
{
    size_t i;
    if (!value) return !len;
    for (i = 0; i < len; i++)
        if ((value[i] < 0x20 && value[i] != '\t') || value[i] == 0x7f) return FALSE;
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* header lists                                                        */

static BOOL name_equals(const WCHAR *a, const WCHAR *b, size_t b_len)
{
    return !strncmpiW(a, b, b_len) && !a[b_len];
}

static int find_n(const struct header_list *list, const WCHAR *name, size_t name_len, DWORD index)
{
    size_t i;
    for (i = 0; i < list->count; i++)
    {
        if (!name_equals(list->items[i].name, name, name_len)) continue;
        if (!index--) return (int)i;
    }
    return -1;
}

int headers_find(const struct header_list *list, const WCHAR *name, DWORD index)
{
    if (!list || !name) return -1;
    return find_n(list, name, strlenW(name), index);
}

static DWORD list_append(struct header_list *list, const WCHAR *name, size_t name_len,
                         const WCHAR *value, size_t value_len, BOOL user)
{
    struct header *item;

    if (list->count == list->capacity)
    {
        size_t capacity = list->capacity ? list->capacity * 2 : 16;
        struct header *items = realloc(list->items, capacity * sizeof(*items));
        if (!items) return ERROR_OUTOFMEMORY;
        list->items = items;
        list->capacity = capacity;
    }
    item = &list->items[list->count];
    if (!(item->name = strndupW(name, name_len))) return ERROR_OUTOFMEMORY;
    if (!(item->value = strndupW(value ? value : L"", value ? value_len : 0)))
    {
        free(item->name);
        return ERROR_OUTOFMEMORY;
    }
    item->is_request_user = user;
    list->count++;
    return ERROR_SUCCESS;
}

static BOOL is_secret_header(const WCHAR *name, size_t len);

/* Credentials and cookies do not outlive their header in memory. */
static void free_header(struct header *h)
{
    if (h->name && h->value && is_secret_header(h->name, strlenW(h->name))) free_secretW(h->value);
    else free(h->value);
    free(h->name);
}

void headers_remove(struct header_list *list, size_t at)
{
    if (!list || at >= list->count) return;
    free_header(&list->items[at]);
    memmove(&list->items[at], &list->items[at + 1], (list->count - at - 1) * sizeof(*list->items));
    list->count--;
}

void headers_clear(struct header_list *list)
{
    size_t i;
    for (i = 0; i < list->count; i++) free_header(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof(*list));
}

/* "old, new" or "old; new" */
static DWORD coalesce(struct header *item, const WCHAR *value, size_t value_len, WCHAR separator)
{
    size_t old_len = strlenW(item->value);
    WCHAR *merged = malloc((old_len + 2 + value_len + 1) * sizeof(WCHAR));

    if (!merged) return ERROR_OUTOFMEMORY;
    memcpy(merged, item->value, old_len * sizeof(WCHAR));
    merged[old_len] = separator;
    merged[old_len + 1] = ' ';
    if (value_len) memcpy(merged + old_len + 2, value, value_len * sizeof(WCHAR));
    merged[old_len + 2 + value_len] = 0;
    free(item->value);
    item->value = merged;
    return ERROR_SUCCESS;
}

/* One validated name/value with WinHttpAddRequestHeaders semantics.  The
 * precedence of the modifiers is what builtin shows: ADD_IF_NEW refuses an
 * existing header whatever else is set; REPLACE removes the first match and
 * appends the new value at the end ("remove and add", as the WinINet
 * documentation words it), an empty value only removing; COALESCE merges into
 * the first match; anything else appends. */
static DWORD add_one(struct header_list *list, const WCHAR *name, size_t name_len,
                     const WCHAR *value, size_t value_len, DWORD flags, BOOL user)
{
    int at = find_n(list, name, name_len, 0);

    if (flags & WINHTTP_ADDREQ_FLAG_ADD_IF_NEW)
    {
        if (at >= 0) return ERROR_WINHTTP_HEADER_ALREADY_EXISTS;
        return list_append(list, name, name_len, value, value_len, user);
    }
    if (flags & WINHTTP_ADDREQ_FLAG_REPLACE)
    {
        if (at < 0)
        {
            if (!(flags & WINHTTP_ADDREQ_FLAG_ADD)) return ERROR_WINHTTP_HEADER_NOT_FOUND;
            return list_append(list, name, name_len, value, value_len, user);
        }
        headers_remove(list, at);
        if (!value_len) return ERROR_SUCCESS;
        return list_append(list, name, name_len, value, value_len, user);
    }
    if (at >= 0 && (flags & WINHTTP_ADDREQ_FLAG_COALESCE_WITH_COMMA))
        return coalesce(&list->items[at], value, value_len, ',');
    if (at >= 0 && (flags & WINHTTP_ADDREQ_FLAG_COALESCE_WITH_SEMICOLON))
        return coalesce(&list->items[at], value, value_len, ';');
    return list_append(list, name, name_len, value, value_len, user);
}

static void trim_ows(const WCHAR **value, size_t *len)
{
    while (*len && is_ows(**value)) { (*value)++; (*len)--; }
    while (*len && is_ows((*value)[*len - 1])) (*len)--;
}

DWORD headers_add(struct header_list *list, const WCHAR *name, const WCHAR *value, DWORD flags, BOOL user)
{
    size_t name_len = strlenW(name), value_len = strlenW(value);

    if (!list || !headers_valid_name(name, name_len)) return ERROR_INVALID_PARAMETER;
    if (value) trim_ows(&value, &value_len);
    if (!headers_valid_value(value, value_len)) return ERROR_INVALID_PARAMETER;
    return add_one(list, name, name_len, value, value_len, flags, user);
}

/* ------------------------------------------------------------------ */
/* header text ("Name: value\r\nName: value")                          */

struct header_line
{
    const WCHAR *name, *value;
    size_t name_len, value_len;
};

/* Split one line into a valid name and value.  A line must be
 * "token ':' value": no whitespace before the colon or at the start of the
 * line (obs-fold is not accepted from an application). */
static BOOL parse_line(const WCHAR *line, size_t len, struct header_line *out)
{
    const WCHAR *colon = NULL;
    size_t i;

    for (i = 0; i < len; i++) if (line[i] == ':') { colon = line + i; break; }
    if (!colon) return FALSE;
    out->name = line;
    out->name_len = colon - line;
    out->value = colon + 1;
    out->value_len = len - out->name_len - 1;
    trim_ows(&out->value, &out->value_len);
    return headers_valid_name(out->name, out->name_len) && headers_valid_value(out->value, out->value_len);
}

/* The effective length of the application's text: -1 means NUL-terminated.
 * Trailing NULs inside the given length are tolerated (programs pass
 * ARRAY_SIZE of a string literal), a NUL with text after it is not: that
 * text would be silently dropped or, worse, end up on the wire. */
static BOOL text_length(const WCHAR *text, DWORD len, size_t *out)
{
    size_t i, end;

    if (len == ~0u)
    {
        *out = strlenW(text);
        return TRUE;
    }
    for (end = 0; end < len && text[end]; end++) ;
    for (i = end; i < len; i++) if (text[i]) return FALSE;
    *out = end;
    return TRUE;
}

/* Parse all the lines first, so that a malformed line anywhere means nothing
 * at all is added.  Lines end at CR, LF or any run of them, as Windows splits
 * them (Wine's conformance tests: "a\n\rb\n\n\nc\r\r\rd" is four headers);
 * empty lines are skipped.  Each line becomes its own validated header sent
 * with CRLF, so a bare CR or LF can never smuggle a line onto the wire.
 * Returns the number of lines, or -1 if the text is malformed. */
static int parse_text(const WCHAR *text, size_t len, struct header_line **lines)
{
    size_t pos = 0, count = 0, max = 1, i;
    struct header_line *array;

    for (i = 0; i < len; i++) if (text[i] == '\r' || text[i] == '\n') max++;
    if (!(array = calloc(max, sizeof(*array)))) return -2;

    while (pos < len)
    {
        size_t end = pos;
        while (end < len && text[end] != '\r' && text[end] != '\n') end++;
        if (end > pos)
        {
            if (!parse_line(text + pos, end - pos, &array[count])) goto bad;
            count++;
        }
        pos = end + 1;
    }
    *lines = array;
    return (int)count;
bad:
    free(array);
    return -1;
}

DWORD headers_add_text(struct header_list *list, const WCHAR *text, DWORD len, DWORD flags, BOOL user)
{
    struct header_line *lines;
    DWORD ret = ERROR_SUCCESS;
    size_t text_len;
    int count, i;

    if (!list || !text || !len) return ERROR_INVALID_PARAMETER;
    if (!text_length(text, len, &text_len)) return ERROR_INVALID_PARAMETER;
    if (!text_len) return len == ~0u ? ERROR_SUCCESS : ERROR_INVALID_PARAMETER;

    if ((count = parse_text(text, text_len, &lines)) == -2) return ERROR_OUTOFMEMORY;
    if (count <= 0)
    {
        if (!count) free(lines);
        return ERROR_INVALID_PARAMETER;
    }
    /* Like builtin, stop at the first line the modifiers refuse; the lines
     * before it stay added. */
    for (i = 0; i < count && !ret; i++)
        ret = add_one(list, lines[i].name, lines[i].name_len, lines[i].value, lines[i].value_len, flags, user);
    free(lines);
    return ret;
}

/* ------------------------------------------------------------------ */
/* tracing without secrets                                             */

static BOOL is_secret_header(const WCHAR *name, size_t len)
{
    return name_equals(L"Authorization", name, len) || name_equals(L"Proxy-Authorization", name, len) ||
           name_equals(L"Cookie", name, len) || name_equals(L"Set-Cookie", name, len);
}

/* The header text with the values of credential and cookie headers replaced
 * by "<redacted>", for TRACE.  Returns a debugstr (valid until the next few
 * debugstr calls on this thread). */
static const char *debugstr_headers(const WCHAR *text, size_t len);
static size_t trace_length(const WCHAR *text, DWORD len);

/* Header text for traces, Authorization, Cookie and the like redacted. */
const char *debugstr_headers_redacted(const WCHAR *text, DWORD len)
{
    if (!text) return "(null)";
    return debugstr_headers(text, trace_length(text, len));
}

static const char *debugstr_headers(const WCHAR *text, size_t len)
{
    static const WCHAR redacted[] = L"<redacted>";
    size_t pos = 0, out_len = 0;
    const char *ret;
    WCHAR *copy;

    if (!text) return "(null)";
    if (!(copy = malloc((len + 1) * (ARRAY_SIZE(redacted) + 1) * sizeof(WCHAR)))) return "(oom)";
    while (pos < len)
    {
        size_t end = pos, colon;
        while (end < len && text[end] != '\n') end++;
        if (end < len) end++;
        for (colon = pos; colon < end && text[colon] != ':'; colon++) ;
        if (colon < end && is_secret_header(text + pos, colon - pos))
        {
            memcpy(copy + out_len, text + pos, (colon + 1 - pos) * sizeof(WCHAR));
            out_len += colon + 1 - pos;
            size_t eol = end;
            while (eol > colon + 1 && (text[eol - 1] == '\r' || text[eol - 1] == '\n')) eol--;
            memcpy(copy + out_len, redacted, (ARRAY_SIZE(redacted) - 1) * sizeof(WCHAR));
            out_len += ARRAY_SIZE(redacted) - 1;
            memcpy(copy + out_len, text + eol, (end - eol) * sizeof(WCHAR));
            out_len += end - eol;
        }
        else
        {
            memcpy(copy + out_len, text + pos, (end - pos) * sizeof(WCHAR));
            out_len += end - pos;
        }
        pos = end;
    }
    ret = debugstr_wn(copy, (int)out_len);
    free(copy);
    return ret;
}

/* ------------------------------------------------------------------ */
/* building the request head                                           */

static WCHAR *append(WCHAR *p, const WCHAR *s)
{
    size_t len = strlenW(s);
    memcpy(p, s, len * sizeof(WCHAR));
    return p + len;
}

/* first_line + "\r\n" + "Name: value\r\n"... + "\r\n"; the caller holds the
 * lock that guards list. */
static WCHAR *build_head(const WCHAR *first_line, const struct header_list *list)
{
    size_t len = strlenW(first_line) + 4, i;
    WCHAR *ret, *p;

    for (i = 0; i < list->count; i++) len += strlenW(list->items[i].name) + 2 + strlenW(list->items[i].value) + 2;
    if (!(ret = malloc((len + 1) * sizeof(WCHAR)))) return NULL;
    p = append(ret, first_line);
    p = append(p, L"\r\n");
    for (i = 0; i < list->count; i++)
    {
        p = append(p, list->items[i].name);
        p = append(p, L": ");
        p = append(p, list->items[i].value);
        p = append(p, L"\r\n");
    }
    p = append(p, L"\r\n");
    *p = 0;
    return ret;
}

static WCHAR *request_line(const WCHAR *verb, const WCHAR *path, const WCHAR *version)
{
    WCHAR *ret = malloc((strlenW(verb) + strlenW(path) + strlenW(version) + 3) * sizeof(WCHAR)), *p;

    if (!ret) return NULL;
    p = append(ret, verb);
    *p++ = ' ';
    p = append(p, path);
    *p++ = ' ';
    p = append(p, version);
    *p = 0;
    return ret;
}

/* The request lock is held. */
static WCHAR *build_request_head(struct request *req, const WCHAR *verb, const WCHAR *path, const WCHAR *version)
{
    WCHAR *line = request_line(verb ? verb : req->verb, path ? path : req->path, version ? version : req->version);
    WCHAR *ret = line ? build_head(line, &req->request_headers) : NULL;
    free(line);
    return ret;
}

WCHAR *headers_build_request_head(struct request *req, const WCHAR *verb, const WCHAR *path, const WCHAR *version)
{
    WCHAR *ret;

    AcquireSRWLockShared(&req->obj.lock);
    ret = build_request_head(req, verb, path, version);
    ReleaseSRWLockShared(&req->obj.lock);
    return ret;
}

WCHAR *headers_get(struct request *req, BOOL request_headers, const WCHAR *name, DWORD index)
{
    const struct header_list *list;
    WCHAR *ret = NULL;
    int at;

    AcquireSRWLockShared(&req->obj.lock);
    list = request_headers ? &req->request_headers : &req->response_headers;
    if ((at = headers_find(list, name, index)) >= 0) ret = strdupW(list->items[at].value);
    ReleaseSRWLockShared(&req->obj.lock);
    return ret;
}

/* ------------------------------------------------------------------ */
/* recording the response                                              */

/* ISO-8859-1: every byte is the code point of the same value. */
static WCHAR *widen_latin1(const char *s, size_t len)
{
    WCHAR *ret = malloc((len + 1) * sizeof(WCHAR));
    size_t i;
    if (!ret) return NULL;
    for (i = 0; i < len; i++) ret[i] = (unsigned char)s[i];
    ret[len] = 0;
    return ret;
}

/* The wire parser lets no CR, LF or NUL through; should one come anyway,
 * it must not split a line of the raw headers or cut the value short. */
static void sanitize_response_value(WCHAR *value, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
    {
        if (value[i] != '\r' && value[i] != '\n' && value[i]) continue;
        WARN("control character %#x in a response header value\n", value[i]);
        value[i] = ' ';
    }
}

static WCHAR *build_status_line(const WCHAR *version, DWORD status, const WCHAR *reason)
{
    size_t len = strlenW(version) + 12 + strlenW(reason) + 1;
    WCHAR *ret = malloc(len * sizeof(WCHAR)), *p;
    char code[14];
    int i;

    if (!ret) return NULL;
    p = append(ret, version);
    code[0] = ' ';
    i = uint_to_ascii(status, code + 1);
    code[i + 1] = ' ';
    code[i + 2] = 0;
    for (i = 0; code[i]; i++) *p++ = code[i];
    p = append(p, reason);
    *p = 0;
    return ret;
}

DWORD headers_set_response(struct request *req, DWORD status, const char *version, size_t version_len,
                           const char *reason, size_t reason_len, const struct header_bytes *headers, size_t count)
{
    struct header_list list = { 0 };
    WCHAR *version_w, *reason_w, *status_line = NULL, *raw = NULL;
    DWORD ret = ERROR_OUTOFMEMORY;
    size_t i;

    TRACE("(%p, %u, %s, %s, %p, %lu)\n", req, status, wine_dbgstr_an(version, (int)version_len),
          wine_dbgstr_an(reason, (int)reason_len), headers, (SIZE_T)count);

    version_w = widen_latin1(version ? version : "", version ? version_len : 0);
    reason_w = widen_latin1(reason ? reason : "", reason ? reason_len : 0);
    if (!version_w || !reason_w) goto done;

    for (i = 0; i < count; i++)
    {
        WCHAR *name = widen_latin1(headers[i].name, headers[i].name_len);
        WCHAR *value = widen_latin1(headers[i].value, headers[i].value_len);
        const WCHAR *v = value;
        size_t v_len = headers[i].value_len;

        if (!name || !value) { free(name); free(value); goto done; }
        sanitize_response_value(value, headers[i].value_len);
        trim_ows(&v, &v_len);
        /* The wire parser vouches for the syntax; an empty name would make
         * an entry no query can reach, so it is dropped. */
        if (headers[i].name_len) ret = list_append(&list, name, headers[i].name_len, v, v_len, FALSE);
        else { WARN("dropping a response header without a name\n"); ret = ERROR_SUCCESS; }
        free(name);
        free(value);
        if (ret) goto done;
    }
    ret = ERROR_OUTOFMEMORY;
    if (!(status_line = build_status_line(version_w, status, reason_w))) goto done;
    /* The raw form is rebuilt from the parsed lines, one "Name: value" each,
     * so that obs-folded values never show up as lines of their own. */
    if (!(raw = build_head(status_line, &list))) goto done;

    AcquireSRWLockExclusive(&req->obj.lock);
    headers_clear(&req->response_headers);
    req->response_headers = list;
    memset(&list, 0, sizeof(list));
    req->status_code = status;
    free(req->status_text);
    req->status_text = reason_w;
    reason_w = NULL;
    free(req->response_version);
    req->response_version = version_w;
    version_w = NULL;
    free(req->raw_response_headers);
    req->raw_response_headers = raw;
    raw = NULL;
    ReleaseSRWLockExclusive(&req->obj.lock);
    ret = ERROR_SUCCESS;

done:
    headers_clear(&list);
    free(version_w);
    free(reason_w);
    free(status_line);
    free(raw);
    return ret;
}

void headers_clear_response(struct request *req)
{
    AcquireSRWLockExclusive(&req->obj.lock);
    headers_clear(&req->response_headers);
    headers_clear(&req->response_trailers);
    req->trailers_ready = FALSE;
    req->status_code = 0;
    free(req->status_text);
    req->status_text = NULL;
    free(req->response_version);
    req->response_version = NULL;
    free(req->raw_response_headers);
    req->raw_response_headers = NULL;
    ReleaseSRWLockExclusive(&req->obj.lock);
}

void headers_set_trailers(struct request *req, const char *text, size_t len)
{
    const char *line = text, *end = text + len, *eol, *colon;
    struct header_list list = { 0 };

    while (text && line < end)
    {
        WCHAR *name, *value;
        if (!(eol = memchr(line, '\n', end - line))) eol = end;
        if ((colon = memchr(line, ':', eol - line)))
        {
            const char *v = colon + 1, *v_end = eol;
            if (v_end > v && v_end[-1] == '\r') v_end--;
            name = widen_latin1(line, colon - line);
            value = widen_latin1(v, v_end - v);
            if (value) sanitize_response_value(value, strlenW(value));
            if (!name || !value || headers_add(&list, name, value, WINHTTP_ADDREQ_FLAG_ADD, FALSE))
                WARN("trailer field %s dropped\n", wine_dbgstr_an(line, (int)(colon - line)));
            free(name);
            free(value);
        }
        line = eol + 1;
    }
    AcquireSRWLockExclusive(&req->obj.lock);
    headers_clear(&req->response_trailers);
    req->response_trailers = list;
    req->trailers_ready = TRUE;
    ReleaseSRWLockExclusive(&req->obj.lock);
}

/* ------------------------------------------------------------------ */
/* WinHttpQueryHeaders                                                 */

/* What a query found: a string (with its length in characters, without the
 * terminator) and whether the number/date modifiers apply to it. */
struct query_result
{
    WCHAR *str;
    size_t len;
    BOOL convertible;
    BOOL advance;               /* a header occurrence: the index moves on */
};

static DWORD result_dup(struct query_result *result, const WCHAR *s, BOOL convertible)
{
    if (!(result->str = strdupW(s ? s : L""))) return ERROR_OUTOFMEMORY;
    result->len = strlenW(result->str);
    result->convertible = convertible;
    return ERROR_SUCCESS;
}

/* WINHTTP_QUERY_RAW_HEADERS: the CRLF form with each line ended by a NUL
 * instead; the final empty line becomes the extra NUL of the double-NUL
 * end, which (like every terminator) the returned length leaves out. */
static DWORD raw_result(struct query_result *result, WCHAR *crlf, BOOL crlf_form)
{
    WCHAR *src = crlf, *dst = crlf;

    result->str = crlf;
    result->convertible = FALSE;
    if (!crlf) return ERROR_OUTOFMEMORY;
    if (crlf_form)
    {
        result->len = strlenW(crlf);
        return ERROR_SUCCESS;
    }
    while (*src)
    {
        if (src[0] == '\r' && src[1] == '\n') { *dst++ = 0; src += 2; }
        else *dst++ = *src++;
    }
    *dst = 0;
    result->len = dst - crlf - 1;
    return ERROR_SUCCESS;
}

/* The levels that are not a header line.  The request lock is held. */
static DWORD query_pseudo(struct request *req, DWORD attr, BOOL request, DWORD *index, struct query_result *result)
{
    char number[12];
    WCHAR *s;

    switch (attr)
    {
    case WINHTTP_QUERY_RAW_HEADERS:
    case WINHTTP_QUERY_RAW_HEADERS_CRLF:
        if (!request && !req->raw_response_headers) return ERROR_WINHTTP_HEADER_NOT_FOUND;
        return raw_result(result, request ? build_request_head(req, NULL, NULL, NULL) : strdupW(req->raw_response_headers),
                          attr == WINHTTP_QUERY_RAW_HEADERS_CRLF);
    case WINHTTP_QUERY_VERSION:
        return result_dup(result, request ? req->version : req->response_version, FALSE);
    case WINHTTP_QUERY_REQUEST_METHOD:
        return result_dup(result, req->verb, FALSE);
    case WINHTTP_QUERY_STATUS_TEXT:
        if (request) return ERROR_WINHTTP_HEADER_NOT_FOUND;
        return result_dup(result, req->status_text, FALSE);
    case WINHTTP_QUERY_STATUS_CODE:
        /* Like a header that occurs once: builtin moves the index on. */
        if (request || (index && *index)) return ERROR_WINHTTP_HEADER_NOT_FOUND;
        uint_to_ascii(req->status_code, number);
        if (!(s = widen_latin1(number, strlen(number)))) return ERROR_OUTOFMEMORY;
        result->str = s;
        result->len = strlenW(s);
        result->convertible = TRUE;
        result->advance = TRUE;
        return ERROR_SUCCESS;
    }
    return ERROR_WINHTTP_HEADER_NOT_FOUND;
}

/* The request lock is held. */
static DWORD query_list(const struct header_list *list, const WCHAR *name, DWORD *index, struct query_result *result)
{
    DWORD ret;
    int at;

    if (!name || (at = headers_find(list, name, index ? *index : 0)) < 0) return ERROR_WINHTTP_HEADER_NOT_FOUND;
    if ((ret = result_dup(result, list->items[at].value, TRUE))) return ret;
    result->advance = TRUE;
    return ERROR_SUCCESS;
}

static DWORD query_header(struct request *req, const WCHAR *name, BOOL request, DWORD *index, struct query_result *result)
{
    return query_list(request ? &req->request_headers : &req->response_headers, name, index, result);
}

/* WINHTTP_QUERY_FLAG_TRAILERS: the fields after the body (HTTP/2 only so
 * far: HTTP/1.1's chunked trailers are dropped by chunked.c), once it was
 * read to its end (the documentation asks for WinHttpReadData's 0 first).
 * The request lock is held. */
static DWORD query_trailers(struct request *req, DWORD attr, const WCHAR *name, DWORD *index,
                            struct query_result *result)
{
    const struct header_list *list = &req->response_trailers;

    if (!req->trailers_ready) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    if (attr == WINHTTP_QUERY_RAW_HEADERS || attr == WINHTTP_QUERY_RAW_HEADERS_CRLF)
    {
        WCHAR *crlf;
        if (!list->count) return ERROR_WINHTTP_HEADER_NOT_FOUND;
        /* The fields as lines, like the raw headers without a status line. */
        if (!(crlf = build_head(L"", list))) return ERROR_OUTOFMEMORY;
        memmove(crlf, crlf + 2, (strlenW(crlf + 2) + 1) * sizeof(WCHAR));
        return raw_result(result, crlf, attr == WINHTTP_QUERY_RAW_HEADERS_CRLF);
    }
    if (attr == WINHTTP_QUERY_CUSTOM) return query_list(list, name, index, result);
    if (is_pseudo_level(attr)) return ERROR_WINHTTP_HEADER_NOT_FOUND;
    return query_list(list, level_names[attr], index, result);
}

/* Leading decimal digits, as atoi would read them (builtin returns 0 for a
 * value that is not a number, with success). */
static ULONGLONG parse_number(const WCHAR *s)
{
    ULONGLONG n = 0;
    BOOL negative = FALSE;

    while (is_ows(*s)) s++;
    if (*s == '-' || *s == '+') negative = (*s++ == '-');
    while (*s >= '0' && *s <= '9') n = n * 10 + (*s++ - '0');
    return negative ? (ULONGLONG)0 - n : n;
}

static DWORD need_space(void *buffer, DWORD *len, DWORD size)
{
    if (buffer && *len >= size) return ERROR_SUCCESS;
    *len = size;
    return ERROR_INSUFFICIENT_BUFFER;
}

static DWORD output_result(const struct query_result *result, DWORD modifiers, void *buffer, DWORD *len)
{
    DWORD ret, format = result->convertible ? modifiers & QUERY_FORMAT_FLAGS : 0;
    SYSTEMTIME st;

    switch (format)
    {
    case WINHTTP_QUERY_FLAG_NUMBER:
        if ((ret = need_space(buffer, len, sizeof(DWORD)))) return ret;
        *(DWORD *)buffer = (DWORD)parse_number(result->str);
        *len = sizeof(DWORD);
        return ERROR_SUCCESS;
    case WINHTTP_QUERY_FLAG_NUMBER64:
        if ((ret = need_space(buffer, len, sizeof(ULONGLONG)))) return ret;
        *(ULONGLONG *)buffer = parse_number(result->str);
        *len = sizeof(ULONGLONG);
        return ERROR_SUCCESS;
    case WINHTTP_QUERY_FLAG_SYSTEMTIME:
        if ((ret = need_space(buffer, len, sizeof(SYSTEMTIME)))) return ret;
        /* No documented error for a value that is not a date; builtin
         * succeeds, and so do we, with an all-zero SYSTEMTIME. */
        if (!http_date_parse(result->str, &st))
        {
            WARN("not an HTTP date: %s\n", debugstr_w(result->str));
            memset(&st, 0, sizeof(st));
        }
        memcpy(buffer, &st, sizeof(st));
        *len = sizeof(SYSTEMTIME);
        return ERROR_SUCCESS;
    }
    if ((result->len + 1) * sizeof(WCHAR) > MAXDWORD) return ERROR_OUTOFMEMORY;
    if ((ret = need_space(buffer, len, (result->len + 1) * sizeof(WCHAR)))) return ret;
    memcpy(buffer, result->str, (result->len + 1) * sizeof(WCHAR));
    *len = result->len * sizeof(WCHAR);
    return ERROR_SUCCESS;
}

/* Argument checks shared by both query APIs. */
static DWORD check_level(DWORD attr, DWORD modifiers)
{
    DWORD format = modifiers & QUERY_FORMAT_FLAGS;

    if (modifiers & ~QUERY_MODIFIERS_KNOWN) return ERROR_INVALID_PARAMETER;
    if (format & (format - 1)) return ERROR_INVALID_PARAMETER;  /* more than one format */
    if (attr > WINHTTP_QUERY_MAX && attr != WINHTTP_QUERY_CUSTOM) return ERROR_INVALID_PARAMETER;
    return ERROR_SUCCESS;
}

/* Response headers exist once a response head was recorded; the request
 * method is known from the start. */
static BOOL have_response(const struct request *req, DWORD attr, DWORD modifiers)
{
    return (modifiers & WINHTTP_QUERY_FLAG_REQUEST_HEADERS) || attr == WINHTTP_QUERY_REQUEST_METHOD ||
           req->status_code != 0;
}

DWORD headers_query(struct request *req, DWORD level, const WCHAR *name, void *buffer, DWORD *len, DWORD *index)
{
    DWORD attr = level & 0xffff, modifiers = level & 0xffff0000, ret;
    BOOL request = (modifiers & WINHTTP_QUERY_FLAG_REQUEST_HEADERS) != 0;
    struct query_result result = { 0 };

    if (!len || (attr == WINHTTP_QUERY_CUSTOM && !name)) return ERROR_INVALID_PARAMETER;
    if ((ret = check_level(attr, modifiers))) return ret;
    if (modifiers & WINHTTP_QUERY_FLAG_WIRE_ENCODING) FIXME_ONCE("WINHTTP_QUERY_FLAG_WIRE_ENCODING ignored\n");
    if ((modifiers & WINHTTP_QUERY_FLAG_TRAILERS) && request) return ERROR_INVALID_PARAMETER;

    AcquireSRWLockShared(&req->obj.lock);
    if (!have_response(req, attr, modifiers)) ret = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else if (modifiers & WINHTTP_QUERY_FLAG_TRAILERS) ret = query_trailers(req, attr, name, index, &result);
    else if (attr == WINHTTP_QUERY_CUSTOM) ret = query_header(req, name, request, index, &result);
    else if (is_pseudo_level(attr)) ret = query_pseudo(req, attr, request, index, &result);
    else ret = query_header(req, level_names[attr], request, index, &result);
    ReleaseSRWLockShared(&req->obj.lock);

    if (!ret) ret = output_result(&result, modifiers, buffer, len);
    if (!ret && result.advance && index) (*index)++;
    free(result.str);
    return ret;
}

/* ------------------------------------------------------------------ */
/* WinHttpQueryHeadersEx                                               */

/* One header as the Ex query hands it out: bytes of the name and value in
 * the requested form, terminator included. */
struct ex_item
{
    void *name, *value;
    size_t name_size, value_size;
};

static char *narrow_latin1(const WCHAR *s)
{
    size_t len = strlenW(s), i;
    char *ret = malloc(len + 1);
    if (!ret) return NULL;
    for (i = 0; i <= len; i++) ret[i] = (char)s[i];
    return ret;
}

/* Response strings are widened bytes: narrow them back and decode them with
 * the caller's code page (0 is CP_ACP, as documented).  The code page is not
 * validated, as documented; one that cannot decode leaves the bytes widened. */
static WCHAR *decode_codepage(const WCHAR *s, UINT codepage)
{
    char *bytes = narrow_latin1(s);
    WCHAR *ret = NULL;
    int n;

    if (!bytes) return NULL;
    if ((n = MultiByteToWideChar(codepage, 0, bytes, -1, NULL, 0)) > 0 && (ret = malloc(n * sizeof(WCHAR))))
        MultiByteToWideChar(codepage, 0, bytes, -1, ret, n);
    free(bytes);
    return ret ? ret : strdupW(s);
}

/* The form of one string: wire bytes (UTF-8 for what we send, the original
 * bytes for what we received) or UTF-16. */
static void *encode_string(const WCHAR *s, BOOL request, BOOL wire, UINT codepage, size_t *size)
{
    void *ret;

    if (wire) ret = request ? strdupWA(s, -1, CP_UTF8) : narrow_latin1(s);
    else ret = request ? strdupW(s) : decode_codepage(s, codepage);
    if (ret) *size = wire ? strlen(ret) + 1 : (strlenW(ret) + 1) * sizeof(WCHAR);
    return ret;
}

static void free_ex_items(struct ex_item *items, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++)
    {
        free(items[i].name);
        free(items[i].value);
    }
    free(items);
}

/* Collect headers [first, first + count) of the list; the request lock is held. */
static DWORD collect_ex_items(const struct header_list *list, size_t first, size_t count, BOOL request, BOOL wire,
                              UINT codepage, struct ex_item **out)
{
    struct ex_item *items = calloc(count ? count : 1, sizeof(*items));
    size_t i;

    if (!items) return ERROR_OUTOFMEMORY;
    for (i = 0; i < count; i++)
    {
        const struct header *h = &list->items[first + i];
        items[i].name = encode_string(h->name, request, wire, codepage, &items[i].name_size);
        items[i].value = encode_string(h->value, request, wire, codepage, &items[i].value_size);
        if (!items[i].name || !items[i].value)
        {
            free_ex_items(items, count);
            return ERROR_OUTOFMEMORY;
        }
    }
    *out = items;
    return ERROR_SUCCESS;
}

/* Lay the array out at the (pointer-aligned) start of the caller's buffer,
 * the strings after it. */
static DWORD output_ex(struct ex_item *items, size_t count, BOOL wire, void *buffer, DWORD *len,
                       WINHTTP_EXTENDED_HEADER **headers, DWORD *headers_count)
{
    size_t pad = buffer ? (size_t)(-(ULONG_PTR)buffer & (sizeof(void *) - 1)) : 0;
    size_t size = pad + count * sizeof(WINHTTP_EXTENDED_HEADER), i;
    WINHTTP_EXTENDED_HEADER *array;
    char *p;

    for (i = 0; i < count; i++) size += items[i].name_size + items[i].value_size;
    if (size > MAXDWORD) return ERROR_OUTOFMEMORY;
    if (!count)
    {
        /* No headers at all: nothing to place, no buffer needed. */
        *len = 0;
        if (headers) *headers = NULL;
        *headers_count = 0;
        return ERROR_SUCCESS;
    }
    if (!buffer || *len < size)
    {
        *len = (DWORD)size;
        if (headers) *headers = NULL;
        return ERROR_INSUFFICIENT_BUFFER;
    }
    array = (WINHTTP_EXTENDED_HEADER *)((char *)buffer + pad);
    p = (char *)(array + count);
    for (i = 0; i < count; i++)
    {
        memcpy(p, items[i].name, items[i].name_size);
        if (wire) array[i].pszName = p; else array[i].pwszName = (WCHAR *)p;
        p += items[i].name_size;
        memcpy(p, items[i].value, items[i].value_size);
        if (wire) array[i].pszValue = p; else array[i].pwszValue = (WCHAR *)p;
        p += items[i].value_size;
    }
    *len = (DWORD)size;
    if (headers) *headers = array;
    *headers_count = (DWORD)count;
    return ERROR_SUCCESS;
}

/* The header name an Ex query looks for, as UTF-16 (NULL: all headers). */
static DWORD ex_query_name(DWORD attr, BOOL wire, const WINHTTP_HEADER_NAME *header_name, WCHAR **name)
{
    *name = NULL;
    if (attr == WINHTTP_QUERY_EX_ALL_HEADERS) return ERROR_SUCCESS;
    if (attr == WINHTTP_QUERY_CUSTOM)
    {
        if (!header_name || !(wire ? (const void *)header_name->pszName : (const void *)header_name->pwszName))
            return ERROR_INVALID_PARAMETER;
        *name = wire ? strdupAW(header_name->pszName, -1) : strdupW(header_name->pwszName);
        return *name ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
    }
    if (!level_names[attr]) return ERROR_WINHTTP_HEADER_NOT_FOUND;
    return (*name = strdupW(level_names[attr])) ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
}

/* The documentation lists the levels and modifiers the Ex query refuses;
 * the request method is no header line either. */
static BOOL ex_level_refused(DWORD attr, DWORD modifiers)
{
    if (modifiers & QUERY_FORMAT_FLAGS) return TRUE;
    return attr == WINHTTP_QUERY_VERSION || attr == WINHTTP_QUERY_STATUS_CODE || attr == WINHTTP_QUERY_STATUS_TEXT ||
           attr == WINHTTP_QUERY_RAW_HEADERS_CRLF || attr == WINHTTP_QUERY_REQUEST_METHOD;
}

DWORD headers_query_ex(struct request *req, DWORD level, UINT codepage, DWORD *index, const WINHTTP_HEADER_NAME *header_name,
                       void *buffer, DWORD *len, WINHTTP_EXTENDED_HEADER **headers, DWORD *headers_count)
{
    DWORD attr = level & 0xffff, modifiers = level & 0xffff0000, ret;
    BOOL request = (modifiers & WINHTTP_QUERY_FLAG_REQUEST_HEADERS) != 0;
    BOOL wire = (modifiers & WINHTTP_QUERY_FLAG_WIRE_ENCODING) != 0;
    const struct header_list *list;
    struct ex_item *items = NULL;
    size_t first = 0, count = 0;
    WCHAR *name;
    int at;

    if (!len || !headers_count) return ERROR_INVALID_PARAMETER;
    if ((ret = check_level(attr, modifiers))) return ret;
    if (ex_level_refused(attr, modifiers)) return ERROR_INVALID_PARAMETER;
    if ((modifiers & WINHTTP_QUERY_FLAG_TRAILERS) && request) return ERROR_INVALID_PARAMETER;
    if ((ret = ex_query_name(attr, wire, header_name, &name))) return ret;

    AcquireSRWLockShared(&req->obj.lock);
    list = request ? &req->request_headers : &req->response_headers;
    if (modifiers & WINHTTP_QUERY_FLAG_TRAILERS) list = &req->response_trailers;
    if (!have_response(req, attr, modifiers)) ret = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else if ((modifiers & WINHTTP_QUERY_FLAG_TRAILERS) && !req->trailers_ready)
        ret = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else if (!name) count = list->count;
    else if ((at = headers_find(list, name, index ? *index : 0)) < 0) ret = ERROR_WINHTTP_HEADER_NOT_FOUND;
    else { first = at; count = 1; }
    if (!ret) ret = collect_ex_items(list, first, count, request, wire, codepage, &items);
    ReleaseSRWLockShared(&req->obj.lock);

    if (!ret) ret = output_ex(items, count, wire, buffer, len, headers, headers_count);
    if (!ret && name && index) (*index)++;
    if (items) free_ex_items(items, count);
    free(name);
    return ret;
}

/* ------------------------------------------------------------------ */
/* WinHttpAddRequestHeadersEx                                          */

/* Convert and validate every header before adding any. */
static DWORD convert_ex_headers(const WINHTTP_EXTENDED_HEADER *headers, DWORD count, BOOL unicode,
                                WCHAR ***names, WCHAR ***values)
{
    DWORD i;

    if (!(*names = calloc(count, sizeof(WCHAR *))) || !(*values = calloc(count, sizeof(WCHAR *))))
        return ERROR_OUTOFMEMORY;
    for (i = 0; i < count; i++)
    {
        const void *name = unicode ? (const void *)headers[i].pwszName : (const void *)headers[i].pszName;
        const void *value = unicode ? (const void *)headers[i].pwszValue : (const void *)headers[i].pszValue;
        const WCHAR *v;
        size_t v_len;

        if (!name) return ERROR_INVALID_PARAMETER;
        (*names)[i] = unicode ? strdupW(name) : strdupAW(name, -1);
        if (!value) (*values)[i] = strdupW(L"");
        else (*values)[i] = unicode ? strdupW(value) : strdupAW(value, -1);
        if (!(*names)[i] || !(*values)[i]) return ERROR_OUTOFMEMORY;
        v = (*values)[i];
        v_len = strlenW(v);
        trim_ows(&v, &v_len);
        if (!headers_valid_name((*names)[i], strlenW((*names)[i])) || !headers_valid_value(v, v_len))
            return ERROR_INVALID_PARAMETER;
    }
    return ERROR_SUCCESS;
}

static void free_string_array(WCHAR **array, DWORD count)
{
    DWORD i;
    if (!array) return;
    for (i = 0; i < count; i++) free(array[i]);
    free(array);
}

DWORD headers_add_ex(struct request *req, DWORD modifiers, BOOL unicode, DWORD count, const WINHTTP_EXTENDED_HEADER *headers)
{
    WCHAR **names = NULL, **values = NULL;
    DWORD ret, i;

    if (!count || !headers) return ERROR_INVALID_PARAMETER;
    if (!(ret = convert_ex_headers(headers, count, unicode, &names, &values)))
    {
        AcquireSRWLockExclusive(&req->obj.lock);
        for (i = 0; i < count && !ret; i++) ret = headers_add(&req->request_headers, names[i], values[i], modifiers, TRUE);
        ReleaseSRWLockExclusive(&req->obj.lock);
    }
    free_string_array(names, count);
    free_string_array(values, count);
    return ret;
}

/* ------------------------------------------------------------------ */
/* the API                                                             */

/* How much of the application's text a trace may show: up to the first
 * NUL within the given length. */
static size_t trace_length(const WCHAR *text, DWORD len)
{
    size_t n = 0;
    if (!text) return 0;
    while (n < len && text[n]) n++;
    return n;
}

BOOL WINAPI WinHttpAddRequestHeaders(HINTERNET hrequest, LPCWSTR headers, DWORD len, DWORD flags)
{
    struct object *obj;
    DWORD ret;

    TRACE("(%p, %s, %d, %#x)\n", hrequest, TRACE_ON(winhttp) ? debugstr_headers(headers, trace_length(headers, len)) : "",
          (int)len, flags);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    /* The documentation says ERROR_INVALID_PARAMETER for a malformed header;
     * builtin says ERROR_WINHTTP_INVALID_HEADER.  The documentation wins. */
    AcquireSRWLockExclusive(&obj->lock);
    ret = headers_add_text(&request_from_object(obj)->request_headers, headers, len, flags, TRUE);
    ReleaseSRWLockExclusive(&obj->lock);
    release_object(obj);
    SetLastError(ret);
    return !ret;
}

DWORD WINAPI WinHttpAddRequestHeadersEx(HINTERNET hrequest, DWORD modifiers, ULONGLONG flags, ULONGLONG extra,
                                        DWORD count, WINHTTP_EXTENDED_HEADER *headers)
{
    struct object *obj;
    DWORD ret, i;

    TRACE("(%p, %#x, %s, %s, %u, %p)\n", hrequest, modifiers, wine_dbgstr_longlong(flags), wine_dbgstr_longlong(extra),
          count, headers);
    if (TRACE_ON(winhttp) && headers)
        for (i = 0; i < count && i < 64; i++)
        {
            BOOL unicode = (flags & WINHTTP_EXTENDED_HEADER_FLAG_UNICODE) != 0;
            WCHAR *name = unicode ? strdupW(headers[i].pwszName) : strdupAW(headers[i].pszName, -1);
            TRACE("    %s%s\n", debugstr_w(name), name && is_secret_header(name, strlenW(name)) ? " (value redacted)" :
                  unicode ? debugstr_w(headers[i].pwszValue) : debugstr_a(headers[i].pszValue));
            free(name);
        }

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return GetLastError();
    if (flags & ~(ULONGLONG)WINHTTP_EXTENDED_HEADER_FLAG_UNICODE) WARN("unknown flags %s\n", wine_dbgstr_longlong(flags));
    ret = headers_add_ex(request_from_object(obj), modifiers, (flags & WINHTTP_EXTENDED_HEADER_FLAG_UNICODE) != 0,
                         count, headers);
    release_object(obj);
    SetLastError(ret);
    return ret;
}

BOOL WINAPI WinHttpQueryHeaders(HINTERNET hrequest, DWORD level, LPCWSTR name, LPVOID buffer, LPDWORD len,
                                LPDWORD index)
{
    struct object *obj;
    DWORD ret;

    TRACE("(%p, %#x, %s, %p, %p (%d), %p (%d))\n", hrequest, level, debugstr_w(name), buffer, len, len ? (int)*len : -1,
          index, index ? (int)*index : -1);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    ret = headers_query(request_from_object(obj), level, name, buffer, len, index);
    release_object(obj);
    TRACE("returning %u, length %d\n", ret, len ? (int)*len : -1);
    SetLastError(ret);
    return !ret;
}

DWORD WINAPI WinHttpQueryHeadersEx(HINTERNET hrequest, DWORD level, ULONGLONG flags, UINT codepage, PDWORD index,
                                   PWINHTTP_HEADER_NAME name, PVOID buffer, PDWORD len,
                                   PWINHTTP_EXTENDED_HEADER *headers, PDWORD count)
{
    struct object *obj;
    DWORD ret;

    TRACE("(%p, %#x, %s, %u, %p, %p, %p, %p, %p, %p)\n", hrequest, level, wine_dbgstr_longlong(flags), codepage, index,
          name, buffer, len, headers, count);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return GetLastError();
    if (flags) WARN("reserved flags %s\n", wine_dbgstr_longlong(flags));
    ret = headers_query_ex(request_from_object(obj), level, codepage, index, name, buffer, len, headers, count);
    release_object(obj);
    TRACE("returning %u\n", ret);
    SetLastError(ret);
    return ret;
}
