/*
 * What goes on the wire: the escaped request target, the headers WinHTTP
 * generates (and where they go among the application's), and the request
 * head as bytes.
 */
#include "winhttp_private.h"
#include "engine.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

static const WCHAR getW[] = {'G','E','T',0}, headW[] = {'H','E','A','D',0};

static BOOL is_unsafe_path_char(WCHAR c)
{
    return c <= ' ' || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
           c == '{' || c == '|' || c == '}';
}

/* Escape the object name as WinHttpOpenRequest's WINHTTP_FLAG_ESCAPE_* say:
 * by default unsafe characters are percent-encoded (non-ASCII as UTF-8),
 * '%' only with ESCAPE_PERCENT; ESCAPE_DISABLE turns it off, and
 * ESCAPE_DISABLE_QUERY turns it off after the '?'. */
WCHAR *escape_path(const WCHAR *path, DWORD flags)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlenW(path), i, out = 0;
    BOOL in_query = FALSE;
    WCHAR *ret;

    if (!(ret = malloc((len * 9 + 1) * sizeof(WCHAR)))) return NULL;
    for (i = 0; i < len; i++)
    {
        WCHAR c = path[i];
        BOOL escape;

        if (c == '?') in_query = TRUE;
        if (flags & WINHTTP_FLAG_ESCAPE_DISABLE) escape = FALSE;
        else if (in_query && (flags & WINHTTP_FLAG_ESCAPE_DISABLE_QUERY)) escape = FALSE;
        else escape = is_unsafe_path_char(c) || (c == '%' && (flags & WINHTTP_FLAG_ESCAPE_PERCENT));

        if (!escape)
        {
            ret[out++] = c;
            continue;
        }
        {
            char utf8[4];
            int n = WideCharToMultiByte(CP_UTF8, 0, &path[i], 1, utf8, sizeof(utf8), NULL, NULL), k;
            if (n <= 0 && IS_HIGH_SURROGATE(c) && i + 1 < len)
            {
                n = WideCharToMultiByte(CP_UTF8, 0, &path[i], 2, utf8, sizeof(utf8), NULL, NULL);
                i++;
            }
            for (k = 0; k < n; k++)
            {
                ret[out++] = '%';
                ret[out++] = hex[(BYTE)utf8[k] >> 4];
                ret[out++] = hex[(BYTE)utf8[k] & 15];
            }
        }
    }
    ret[out] = 0;
    return ret;
}

static BOOL host_is_ipv6_literal(const WCHAR *host)
{
    const WCHAR *p;
    if (host[0] == '[') return FALSE;
    for (p = host; *p; p++) if (*p == ':') return TRUE;
    return FALSE;
}

/* "host" or "[v6]" as it goes into Host and absolute URIs. */
WCHAR *host_for_uri(const WCHAR *host)
{
    size_t len = strlenW(host);
    WCHAR *ret;

    if (!host_is_ipv6_literal(host)) return strdupW(host);
    if (!(ret = malloc((len + 3) * sizeof(WCHAR)))) return NULL;
    ret[0] = '[';
    memcpy(ret + 1, host, len * sizeof(WCHAR));
    ret[len + 1] = ']';
    ret[len + 2] = 0;
    return ret;
}

BOOL is_default_port(BOOL secure, INTERNET_PORT port)
{
    return port == (secure ? INTERNET_DEFAULT_HTTPS_PORT : INTERNET_DEFAULT_HTTP_PORT);
}

/* "scheme://host[:port]" (default port omitted) into sb. */
void append_origin(struct strbuf *sb, const WCHAR *host, INTERNET_PORT port, BOOL secure)
{
    WCHAR *h = host_for_uri(host);
    strbuf_append(sb, secure ? L"https://" : L"http://");
    if (!h) sb->failed = TRUE;
    strbuf_append(sb, h);
    free(h);
    if (!is_default_port(secure, port))
    {
        strbuf_append(sb, L":");
        strbuf_append_uint(sb, port);
    }
}

/* Replace a header we generate, leaving what the application added alone. */
static DWORD set_generated_header(struct request *request, const WCHAR *name, const WCHAR *value)
{
    int i;

    while ((i = headers_find(&request->request_headers, name, 0)) >= 0 &&
           !request->request_headers.items[i].is_request_user)
        headers_remove(&request->request_headers, i);
    if (headers_find(&request->request_headers, name, 0) >= 0) return ERROR_SUCCESS;   /* the application's wins */
    if (!value) return ERROR_SUCCESS;
    return headers_add(&request->request_headers, name, value, WINHTTP_ADDREQ_FLAG_ADD, FALSE);
}

static BOOL has_user_header(struct request *request, const WCHAR *name)
{
    int i = headers_find(&request->request_headers, name, 0);
    return i >= 0 && request->request_headers.items[i].is_request_user;
}

static WCHAR *join_accept_types(WCHAR **types)
{
    size_t len = 0;
    WCHAR **t, *ret, *p;

    if (!types || !*types) return NULL;
    for (t = types; *t; t++) len += strlenW(*t) + 2;
    if (!(ret = p = malloc((len + 1) * sizeof(WCHAR)))) return NULL;
    for (t = types; *t; t++)
    {
        if (t != types) { *p++ = ','; *p++ = ' '; }
        memcpy(p, *t, strlenW(*t) * sizeof(WCHAR));
        p += strlenW(*t);
    }
    *p = 0;
    return ret;
}

/* Where a header goes on the wire: the generated Connection and Accept lead,
 * the application's headers keep their order, the other generated ones
 * close the head in a fixed order (Host last), as Windows sends them. */
static int header_rank(const struct header *h)
{
    static const WCHAR *const leading[] = { L"Connection", L"Accept" };
    static const WCHAR *const trailing[] = { L"User-Agent", L"Referer", L"Cookie", L"Accept-Encoding",
                                             L"Content-Length", L"Host" };
    unsigned int i;

    if (h->is_request_user) return 100;
    for (i = 0; i < ARRAY_SIZE(leading); i++) if (!strcmpiW(h->name, leading[i])) return i;
    for (i = 0; i < ARRAY_SIZE(trailing); i++) if (!strcmpiW(h->name, trailing[i])) return 200 + i;
    return 100;
}

static void order_request_headers(struct header_list *list)
{
    size_t i, j;

    /* Insertion sort: stable, and the list is short. */
    for (i = 1; i < list->count; i++)
    {
        struct header h = list->items[i];
        int rank = header_rank(&h);
        for (j = i; j > 0 && header_rank(&list->items[j - 1]) > rank; j--) list->items[j] = list->items[j - 1];
        list->items[j] = h;
    }
}

/* The headers WinHTTP adds itself.  Windows sends them in this order after
 * the request line: Connection, Accept, User-Agent, Referer, Cookie,
 * Content-Length, Host; the application's own headers keep their place. */
static DWORD generate_headers(struct request *request, struct engine *e)
{
    static const WCHAR connectionW[] = {'C','o','n','n','e','c','t','i','o','n',0};
    static const WCHAR keepaliveW[] = {'K','e','e','p','-','A','l','i','v','e',0};
    static const WCHAR acceptW[] = {'A','c','c','e','p','t',0};
    static const WCHAR agentW[] = {'U','s','e','r','-','A','g','e','n','t',0};
    static const WCHAR refererW[] = {'R','e','f','e','r','e','r',0};
    static const WCHAR cookieW[] = {'C','o','o','k','i','e',0};
    static const WCHAR lengthW[] = {'C','o','n','t','e','n','t','-','L','e','n','g','t','h',0};
    static const WCHAR teW[] = {'T','r','a','n','s','f','e','r','-','E','n','c','o','d','i','n','g',0};
    static const WCHAR hostW[] = {'H','o','s','t',0};
    static const WCHAR aeW[] = {'A','c','c','e','p','t','-','E','n','c','o','d','i','n','g',0};
    struct session *session = request->connect->session;
    struct strbuf sb = {0};
    WCHAR *value, *host;
    DWORD res = ERROR_SUCCESS;

    if ((res = set_generated_header(request, connectionW, request->upgrade_to_websocket ? L"Upgrade" : keepaliveW)))
        return res;
    if ((res = websocket_handshake_headers(request))) return res;

    value = join_accept_types(request->accept_types);
    res = set_generated_header(request, acceptW, value);
    free(value);
    if (res) return res;

    AcquireSRWLockShared(&session->obj.lock);
    value = session->agent && *session->agent ? strdupW(session->agent) : NULL;
    ReleaseSRWLockShared(&session->obj.lock);
    res = set_generated_header(request, agentW, value);
    free(value);
    if (res) return res;

    if ((res = set_generated_header(request, refererW, request->referrer))) return res;

    value = NULL;
    if (!(request->settings.disable_flags & WINHTTP_DISABLE_COOKIES) && session->cookies)
        value = cookie_jar_header(session->cookies, e->host, e->path, e->secure);
    res = set_generated_header(request, cookieW, value);
    free(value);
    if (res) return res;

    if (request->settings.decompression)
    {
        const WCHAR *ae = (request->settings.decompression & WINHTTP_DECOMPRESSION_FLAG_ALL) ==
                          WINHTTP_DECOMPRESSION_FLAG_ALL ? L"gzip, deflate" :
                          (request->settings.decompression & WINHTTP_DECOMPRESSION_FLAG_GZIP) ? L"gzip" : L"deflate";
        if ((res = set_generated_header(request, aeW, ae))) return res;
    }
    else if ((res = set_generated_header(request, aeW, NULL))) return res;

    /* A body needs its length unless the application frames it itself. */
    if (!has_user_header(request, teW) &&
        (e->total_len || (strcmpiW(e->verb, getW) && strcmpiW(e->verb, headW))))
        strbuf_append_uint(&sb, e->total_len);
    value = sb.len ? strbuf_detach(&sb) : NULL;
    res = set_generated_header(request, lengthW, value);
    free(value);
    if (res) return res;

    if (!(host = host_for_uri(e->host))) return ERROR_OUTOFMEMORY;
    strbuf_append(&sb, host);
    free(host);
    if (!is_default_port(e->secure, e->port))
    {
        strbuf_append(&sb, L":");
        strbuf_append_uint(&sb, e->port);
    }
    if (!(value = strbuf_detach(&sb))) return ERROR_OUTOFMEMORY;
    res = set_generated_header(request, hostW, value);
    free(value);
    if (res) return res;

    {
        struct auth_target target;
        auth_target_init(e, &target);
        if ((res = auth_prepare_request(request, &target))) return res;
    }
    order_request_headers(&request->request_headers);
    return ERROR_SUCCESS;
}

/* Request line and headers as bytes.  Header text goes out in the ANSI code
 * page, as Windows does for WCHAR headers; the path is already escaped. */
static char *build_request_head(struct request *request, struct engine *e, size_t *len)
{
    struct strbuf sb = {0};
    WCHAR *text;
    size_t i;
    char *ret;
    int n;

    strbuf_append(&sb, e->verb);
    strbuf_append(&sb, L" ");
    /* Through an HTTP proxy the request line carries the absolute URI. */
    if (e->proxy_host && !e->secure) append_origin(&sb, e->host, e->port, FALSE);
    strbuf_append(&sb, e->path);
    strbuf_append(&sb, L" ");
    strbuf_append(&sb, request->version);
    strbuf_append(&sb, L"\r\n");
    for (i = 0; i < request->request_headers.count; i++)
    {
        strbuf_append(&sb, request->request_headers.items[i].name);
        strbuf_append(&sb, L": ");
        strbuf_append(&sb, request->request_headers.items[i].value);
        strbuf_append(&sb, L"\r\n");
    }
    strbuf_append(&sb, L"\r\n");
    if (!(text = strbuf_detach(&sb))) return NULL;

    n = WideCharToMultiByte(CP_ACP, 0, text, -1, NULL, 0, NULL, NULL);
    if ((ret = malloc(n)))
    {
        WideCharToMultiByte(CP_ACP, 0, text, -1, ret, n, NULL, NULL);
        *len = n - 1;
    }
    free(text);
    return ret;
}

/* The request head, followed by the body when we hold all of it, in e->out. */
DWORD build_request(struct request *request, struct engine *e)
{
    size_t len;
    char *head;
    DWORD res;

    if ((res = generate_headers(request, e))) return res;
    if (!(head = build_request_head(request, e, &len))) return ERROR_OUTOFMEMORY;
    free(e->out);
    if (!(e->out = malloc(len + e->body_len)))
    {
        free(head);
        return ERROR_OUTOFMEMORY;
    }
    memcpy(e->out, head, len);
    if (e->body_len) memcpy(e->out + len, e->body, e->body_len);
    free(head);
    e->out_len = len + e->body_len;
    e->out_pos = 0;
    TRACE("request head of %lu bytes, %u body bytes\n", (unsigned long)len, e->body_len);
    return ERROR_SUCCESS;
}
