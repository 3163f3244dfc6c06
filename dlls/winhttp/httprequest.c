/*
 * WinHttp.WinHttpRequest.5.1: the IWinHttpRequest COM object.
 *
 * A room with one door: the object is a client of our own flat WinHttp* API
 * (one engine) and touches nothing of the engine's internals.  Its own state
 * machine is
 *
 *     INITIALIZED --Open--> OPEN --Send--> SENDING --done--> RESPONSE_RECEIVED
 *          ^                  ^                |                   |
 *          +------Abort-------+---(failure)----+<------Send--------+
 *
 * One code path for both modes: an exchange (send, answer authentication
 * challenges, read the whole response) runs on an asynchronous session,
 * driven by the engine's status callbacks; an asynchronous Send returns once
 * it started, a synchronous Send is the same exchange waited for, and
 * WaitForResponse waits for it too.  Abort (or a new Open or Send) closes the
 * request handle: the engine then says nothing more of it but HANDLE_CLOSING,
 * and a generation number keeps a late end from being taken for the next
 * exchange's.  Events (IWinHttpRequestEvents) are called from the engine's
 * threads, the last one before the exchange counts as ended.
 *
 * IDispatch: GetIDsOfNames and Invoke are table driven with Windows' DISPIDs
 * (httprequestid.h); Invoke coerces arguments with VariantChangeType the way
 * Windows' object does (see Wine's winhttp conformance test
 * test_IWinHttpRequest_Invoke for what Windows answers).  GetTypeInfo serves
 * the type library built from winhttp_tlb.idl and embedded as TYPELIB 1.
 *
 * Errors are HRESULT_FROM_WIN32 of the WinHTTP error, with an IErrorInfo
 * whose description is Windows' text for it (what a script prints).
 */
#define COBJMACROS
#define CONST_VTABLE
#include "winhttp_private.h"
#include "ole2.h"
#include "olectl.h"
#include "ocidl.h"
#include "oleauto.h"
#include "wincrypt.h"

#include "initguid.h"
#include "winhttp_tlb.h"
#include "httprequest_charset.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

#ifndef debugstr_guid
#define debugstr_guid(g) wine_dbgstr_guid(g)
#endif

static const char *debugstr_variant(const VARIANT *v)
{
    if (!v) return "(null)";
    switch (V_VT(v))
    {
    case VT_BSTR: return wine_dbg_sprintf("{VT_BSTR: %s}", debugstr_w(V_BSTR(v)));
    case VT_I4: return wine_dbg_sprintf("{VT_I4: %d}", V_I4(v));
    case VT_BOOL: return wine_dbg_sprintf("{VT_BOOL: %d}", V_BOOL(v));
    case VT_ERROR: return wine_dbg_sprintf("{VT_ERROR: %#x}", V_ERROR(v));
    default: return wine_dbg_sprintf("{vt %#x}", V_VT(v));
    }
}

/* WCHAR is 16-bit here: libc's wcs* do not apply. */
static const WCHAR *chrW(const WCHAR *s, WCHAR c)
{
    for (; *s; s++) if (*s == c) return s;
    return NULL;
}

enum request_state
{
    REQUEST_STATE_INITIALIZED,          /* no Open yet (or aborted) */
    REQUEST_STATE_OPEN,                 /* Open done, not sent (or the send failed) */
    REQUEST_STATE_SENDING,              /* exchange in progress */
    REQUEST_STATE_RESPONSE_RECEIVED     /* the whole response is here */
};

struct request_header
{
    WCHAR *name;
    WCHAR *value;
};

#define MAX_SINKS 8

struct http_request
{
    IWinHttpRequest IWinHttpRequest_iface;
    IConnectionPointContainer IConnectionPointContainer_iface;
    IConnectionPoint IConnectionPoint_iface;
    ISupportErrorInfo ISupportErrorInfo_iface;
    IProvideClassInfo IProvideClassInfo_iface;
    LONG refs;
    CRITICAL_SECTION cs;
    enum request_state state;

    /* Settings: they survive Open. */
    WCHAR *user_agent;
    UINT url_codepage;
    BOOL escape_percent, escape_disable, escape_disable_query;
    DWORD ssl_ignore_flags;
    WCHAR *client_cert;
    BOOL enable_redirects, https_to_http_redirects, passport, http11, revocation;
    BOOL tracing, revert_impersonation;
    DWORD secure_protocols, max_redirects, max_header_size, max_drain_size;
    DWORD proxy_setting;
    WCHAR *proxy_server, *proxy_bypass;
    WCHAR *server_user, *server_password, *proxy_user, *proxy_password;
    int resolve_timeout, connect_timeout, send_timeout, receive_timeout;
    DWORD autologon_level;

    /* What Open said. */
    WCHAR *verb, *url, *host, *path, *url_user, *url_password;
    INTERNET_PORT port;
    BOOL secure, async;
    struct request_header *headers;
    unsigned int header_count;

    /* The exchange. */
    HINTERNET session, connect, request;
    HANDLE done;                        /* set when the current exchange ends */
    unsigned int generation;            /* of the current exchange: Open, Send, Abort start a new one */
    HRESULT send_hr;
    BYTE *send_data;
    DWORD send_len;
    BOOL send_is_text;
    BYTE *body;
    DWORD body_len;
    DWORD status;

    IWinHttpRequestEvents *sinks[MAX_SINKS];
};

static LONG object_count, server_locks;
static ITypeLib *winhttp_typelib;

static inline struct http_request *impl_from_IWinHttpRequest(IWinHttpRequest *iface)
{
    return CONTAINING_RECORD(iface, struct http_request, IWinHttpRequest_iface);
}

static HRESULT hresult_from_error(DWORD err)
{
    return err ? HRESULT_FROM_WIN32(err) : E_FAIL;
}

/* ------------------------------------------------------------------ */
/* IErrorInfo with Windows' texts (what VBScript/JScript print)         */

static const struct { DWORD err; const WCHAR *text; } error_texts[] =
{
    { ERROR_WINHTTP_TIMEOUT, L"The operation timed out" },
    { ERROR_WINHTTP_INTERNAL_ERROR, L"An internal error occurred in the Microsoft Windows HTTP Services" },
    { ERROR_WINHTTP_INVALID_URL, L"The URL is invalid" },
    { ERROR_WINHTTP_UNRECOGNIZED_SCHEME, L"The URL does not use a recognized protocol" },
    { ERROR_WINHTTP_NAME_NOT_RESOLVED, L"The server name or address could not be resolved" },
    { ERROR_WINHTTP_INVALID_OPTION, L"An invalid option value was specified" },
    { ERROR_WINHTTP_SHUTDOWN, L"The Microsoft Windows HTTP Services support has been shut down" },
    { ERROR_WINHTTP_LOGIN_FAILURE, L"The login request was denied" },
    { ERROR_WINHTTP_OPERATION_CANCELLED, L"The operation has been canceled" },
    { ERROR_WINHTTP_INCORRECT_HANDLE_TYPE, L"The supplied handle is the wrong type for the requested operation" },
    { ERROR_WINHTTP_INCORRECT_HANDLE_STATE, L"The handle supplied is not in the correct state for the requested operation" },
    { ERROR_WINHTTP_CANNOT_CONNECT, L"A connection with the server could not be established" },
    { ERROR_WINHTTP_CONNECTION_ERROR, L"The connection with the server was terminated abnormally" },
    { ERROR_WINHTTP_RESEND_REQUEST, L"The request must be resent" },
    { ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED, L"A certificate is required to complete client authentication" },
    { ERROR_WINHTTP_CANNOT_CALL_BEFORE_OPEN, L"This method cannot be called until the Open method has been called" },
    { ERROR_WINHTTP_CANNOT_CALL_BEFORE_SEND, L"This method cannot be called until the Send method has been called" },
    { ERROR_WINHTTP_CANNOT_CALL_AFTER_SEND, L"This method cannot be called after the Send method has been called" },
    { ERROR_WINHTTP_CANNOT_CALL_AFTER_OPEN, L"This method cannot be called after the Open method has been called" },
    { ERROR_WINHTTP_HEADER_NOT_FOUND, L"The requested header was not found" },
    { ERROR_WINHTTP_INVALID_SERVER_RESPONSE, L"The server returned an invalid or unrecognized response" },
    { ERROR_WINHTTP_INVALID_HEADER, L"The supplied header is invalid" },
    { ERROR_WINHTTP_INVALID_QUERY_REQUEST, L"The request for a HTTP header is invalid" },
    { ERROR_WINHTTP_HEADER_ALREADY_EXISTS, L"The HTTP header already exists" },
    { ERROR_WINHTTP_REDIRECT_FAILED, L"The HTTP redirect request failed" },
    { ERROR_WINHTTP_SECURE_CERT_DATE_INVALID, L"The date in the certificate is invalid or has expired" },
    { ERROR_WINHTTP_SECURE_CERT_CN_INVALID, L"The host name in the certificate is invalid or does not match" },
    { ERROR_WINHTTP_SECURE_INVALID_CA, L"A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider" },
    { ERROR_WINHTTP_SECURE_CERT_REV_FAILED, L"The revocation function was unable to check revocation for the certificate" },
    { ERROR_WINHTTP_SECURE_CHANNEL_ERROR, L"An error occurred in the secure channel support" },
    { ERROR_WINHTTP_SECURE_INVALID_CERT, L"The certificate is invalid" },
    { ERROR_WINHTTP_SECURE_CERT_REVOKED, L"The certificate has been revoked" },
    { ERROR_WINHTTP_SECURE_FAILURE, L"A security error occurred" },
    { ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE, L"The certificate is not valid for the requested usage" },
    { ERROR_WINHTTP_HEADER_COUNT_EXCEEDED, L"The number of headers in the server response exceeded the limit" },
    { ERROR_WINHTTP_HEADER_SIZE_OVERFLOW, L"The size of the headers in the server response exceeded the limit" },
    { ERROR_WINHTTP_CHUNKED_ENCODING_HEADER_SIZE_OVERFLOW, L"The size of a chunk header in the server response exceeded the limit" },
    { ERROR_WINHTTP_RESPONSE_DRAIN_OVERFLOW, L"The response exceeded the maximum drain size" },
};

static const WCHAR *error_text(HRESULT hr)
{
    unsigned int i;
    if (HRESULT_FACILITY(hr) != FACILITY_WIN32) return NULL;
    for (i = 0; i < ARRAY_SIZE(error_texts); i++)
        if (error_texts[i].err == HRESULT_CODE(hr)) return error_texts[i].text;
    return NULL;
}

/* Every method ends here: a failure leaves an IErrorInfo for the caller's
 * script engine, a success clears any stale one. */
static HRESULT set_error_info(HRESULT hr)
{
    ICreateErrorInfo *create;
    IErrorInfo *info;
    const WCHAR *text;

    if (SUCCEEDED(hr) || !(text = error_text(hr)))
    {
        SetErrorInfo(0, NULL);
        return hr;
    }
    if (FAILED(CreateErrorInfo(&create))) return hr;
    ICreateErrorInfo_SetGUID(create, &IID_IWinHttpRequest);
    ICreateErrorInfo_SetSource(create, (WCHAR *)L"WinHttp.WinHttpRequest");
    ICreateErrorInfo_SetDescription(create, (WCHAR *)text);
    if (SUCCEEDED(ICreateErrorInfo_QueryInterface(create, &IID_IErrorInfo, (void **)&info)))
    {
        SetErrorInfo(0, info);
        IErrorInfo_Release(info);
    }
    ICreateErrorInfo_Release(create);
    return hr;
}

/* ------------------------------------------------------------------ */
/* events                                                               */

static unsigned int grab_sinks(struct http_request *req, IWinHttpRequestEvents **sinks)
{
    unsigned int i, n = 0;
    EnterCriticalSection(&req->cs);
    for (i = 0; i < MAX_SINKS; i++)
        if (req->sinks[i])
        {
            IWinHttpRequestEvents_AddRef(req->sinks[i]);
            sinks[n++] = req->sinks[i];
        }
    LeaveCriticalSection(&req->cs);
    return n;
}

static void fire_response_start(struct http_request *req, DWORD status, const WCHAR *content_type)
{
    IWinHttpRequestEvents *sinks[MAX_SINKS];
    unsigned int i, n = grab_sinks(req, sinks);
    BSTR type;

    if (!n) return;
    type = SysAllocString(content_type ? content_type : L"");
    for (i = 0; i < n; i++)
    {
        IWinHttpRequestEvents_OnResponseStart(sinks[i], status, type);
        IWinHttpRequestEvents_Release(sinks[i]);
    }
    SysFreeString(type);
}

static void fire_data_available(struct http_request *req, const BYTE *data, DWORD len)
{
    IWinHttpRequestEvents *sinks[MAX_SINKS];
    unsigned int i, n = grab_sinks(req, sinks);
    SAFEARRAY *sa;
    void *ptr;

    if (!n) return;
    if ((sa = SafeArrayCreateVector(VT_UI1, 0, len)) && SUCCEEDED(SafeArrayAccessData(sa, &ptr)))
    {
        memcpy(ptr, data, len);
        SafeArrayUnaccessData(sa);
    }
    for (i = 0; i < n; i++)
    {
        if (sa) IWinHttpRequestEvents_OnResponseDataAvailable(sinks[i], &sa);
        IWinHttpRequestEvents_Release(sinks[i]);
    }
    if (sa) SafeArrayDestroy(sa);
}

static void fire_finished(struct http_request *req, HRESULT hr)
{
    IWinHttpRequestEvents *sinks[MAX_SINKS];
    unsigned int i, n = grab_sinks(req, sinks);
    const WCHAR *text = error_text(hr);
    BSTR desc = NULL;

    if (!n) return;
    if (FAILED(hr)) desc = SysAllocString(text ? text : L"");
    for (i = 0; i < n; i++)
    {
        if (SUCCEEDED(hr)) IWinHttpRequestEvents_OnResponseFinished(sinks[i]);
        else IWinHttpRequestEvents_OnError(sinks[i], hr, desc);
        IWinHttpRequestEvents_Release(sinks[i]);
    }
    SysFreeString(desc);
}

/* ------------------------------------------------------------------ */
/* helpers                                                              */

static void free_headers(struct http_request *req)
{
    unsigned int i;
    for (i = 0; i < req->header_count; i++)
    {
        free(req->headers[i].name);
        free(req->headers[i].value);
    }
    free(req->headers);
    req->headers = NULL;
    req->header_count = 0;
}

static void free_response(struct http_request *req)
{
    free(req->body);
    req->body = NULL;
    req->body_len = 0;
    req->status = 0;
}

static void free_open_params(struct http_request *req)
{
    free(req->verb); free(req->url); free(req->host); free(req->path);
    free(req->url_user); free_secretW(req->url_password);
    req->verb = req->url = req->host = req->path = req->url_user = req->url_password = NULL;
    free_headers(req);
}

/* Replace *dst with a copy of src; FALSE if out of memory. */
static BOOL set_string(WCHAR **dst, const WCHAR *src)
{
    WCHAR *copy = NULL;
    if (src && !(copy = strdupW(src))) return FALSE;
    free(*dst);
    *dst = copy;
    return TRUE;
}

/* Close the handles of the last exchange (outside the lock: the engine may
 * deliver HANDLE_CLOSING at once, and that takes the lock). */
static void close_exchange(struct http_request *req)
{
    HINTERNET request, connect;

    EnterCriticalSection(&req->cs);
    request = req->request;
    connect = req->connect;
    req->request = req->connect = NULL;
    LeaveCriticalSection(&req->cs);
    if (request) WinHttpCloseHandle(request);
    if (connect) WinHttpCloseHandle(connect);
}

/* Forget the exchange in progress (if any): after WinHttpCloseHandle the
 * engine says nothing more of it but HANDLE_CLOSING, and a new generation
 * makes sure its end is not taken for the next one's.  A synchronous Send
 * waiting on another thread wakes up cancelled. */
static void cancel_exchange(struct http_request *req)
{
    EnterCriticalSection(&req->cs);
    req->generation++;
    if (req->state == REQUEST_STATE_SENDING)
    {
        req->state = REQUEST_STATE_OPEN;
        req->send_hr = HRESULT_FROM_WIN32(ERROR_WINHTTP_OPERATION_CANCELLED);
    }
    if (req->done) SetEvent(req->done);
    free(req->send_data);
    req->send_data = NULL;
    req->send_len = 0;
    LeaveCriticalSection(&req->cs);
    close_exchange(req);
}

/* ------------------------------------------------------------------ */
/* the exchange                                                         */

static WCHAR *query_header_string(HINTERNET request, DWORD level, const WCHAR *name)
{
    DWORD size = 0;
    WCHAR *buf;

    if (WinHttpQueryHeaders(request, level, name, NULL, &size, NULL) ||
        GetLastError() != ERROR_INSUFFICIENT_BUFFER)
        return NULL;
    if (!(buf = malloc(size + sizeof(WCHAR)))) return NULL;
    if (!WinHttpQueryHeaders(request, level, name, buf, &size, NULL))
    {
        free(buf);
        return NULL;
    }
    buf[size / sizeof(WCHAR)] = 0;
    return buf;
}

static DWORD first_scheme(DWORD supported)
{
    static const DWORD order[] = { WINHTTP_AUTH_SCHEME_NEGOTIATE, WINHTTP_AUTH_SCHEME_NTLM,
                                   WINHTTP_AUTH_SCHEME_DIGEST, WINHTTP_AUTH_SCHEME_BASIC };
    unsigned int i;
    for (i = 0; i < ARRAY_SIZE(order); i++) if (supported & order[i]) return order[i];
    return 0;
}

/* Open the client certificate named like "[CURRENT_USER|LOCAL_MACHINE\]store\subject". */
static const CERT_CONTEXT *find_client_cert(const WCHAR *spec)
{
    DWORD location = CERT_SYSTEM_STORE_CURRENT_USER;
    const WCHAR *store_name = L"MY", *subject = spec, *sep;
    WCHAR store_buf[64];
    const CERT_CONTEXT *cert = NULL;
    HCERTSTORE store;

    if (!strncmpiW(subject, L"LOCAL_MACHINE\\", 14)) { location = CERT_SYSTEM_STORE_LOCAL_MACHINE; subject += 14; }
    else if (!strncmpiW(subject, L"CURRENT_USER\\", 13)) subject += 13;
    if ((sep = chrW(subject, '\\')) && sep - subject < ARRAY_SIZE(store_buf))
    {
        memcpy(store_buf, subject, (sep - subject) * sizeof(WCHAR));
        store_buf[sep - subject] = 0;
        store_name = store_buf;
        subject = sep + 1;
    }
    if (!(store = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, location | CERT_STORE_READONLY_FLAG, store_name)))
        return NULL;
    if (*subject)
        cert = CertFindCertificateInStore(store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0,
                                          CERT_FIND_SUBJECT_STR_W, subject, NULL);
    else
        cert = CertEnumCertificatesInStore(store, NULL);
    CertCloseStore(store, 0);
    return cert;
}

/* Settings go on the handles right before sending; what the engine does not
 * know is only traced (the option stays readable through Option). */
static void apply_settings(struct http_request *req, HINTERNET request)
{
    DWORD value;

    WinHttpSetTimeouts(request, req->resolve_timeout, req->connect_timeout, req->send_timeout, req->receive_timeout);

    if (req->proxy_setting == HTTPREQUEST_PROXYSETTING_DIRECT ||
        (req->proxy_setting == HTTPREQUEST_PROXYSETTING_PROXY && req->proxy_server))
    {
        WINHTTP_PROXY_INFO info;
        info.dwAccessType = req->proxy_setting == HTTPREQUEST_PROXYSETTING_DIRECT ?
                            WINHTTP_ACCESS_TYPE_NO_PROXY : WINHTTP_ACCESS_TYPE_NAMED_PROXY;
        info.lpszProxy = req->proxy_setting == HTTPREQUEST_PROXYSETTING_PROXY ? req->proxy_server : NULL;
        info.lpszProxyBypass = req->proxy_setting == HTTPREQUEST_PROXYSETTING_PROXY ? req->proxy_bypass : NULL;
        if (!WinHttpSetOption(request, WINHTTP_OPTION_PROXY, &info, sizeof(info)))
            WARN("proxy not set: %u\n", GetLastError());
    }

    value = !req->enable_redirects ? WINHTTP_OPTION_REDIRECT_POLICY_NEVER :
            req->https_to_http_redirects ? WINHTTP_OPTION_REDIRECT_POLICY_ALWAYS :
            WINHTTP_OPTION_REDIRECT_POLICY_DISALLOW_HTTPS_TO_HTTP;
    WinHttpSetOption(request, WINHTTP_OPTION_REDIRECT_POLICY, &value, sizeof(value));
    value = req->max_redirects;
    WinHttpSetOption(request, WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS, &value, sizeof(value));
    value = req->max_header_size;
    WinHttpSetOption(request, WINHTTP_OPTION_MAX_RESPONSE_HEADER_SIZE, &value, sizeof(value));
    value = req->max_drain_size;
    WinHttpSetOption(request, WINHTTP_OPTION_MAX_RESPONSE_DRAIN_SIZE, &value, sizeof(value));
    value = req->autologon_level;
    WinHttpSetOption(request, WINHTTP_OPTION_AUTOLOGON_POLICY, &value, sizeof(value));
    if (req->ssl_ignore_flags)
    {
        value = req->ssl_ignore_flags;
        if (!WinHttpSetOption(request, WINHTTP_OPTION_SECURITY_FLAGS, &value, sizeof(value)))
            WARN("security flags %#x not set: %u\n", value, GetLastError());
    }
    if (req->revocation)
    {
        value = WINHTTP_ENABLE_SSL_REVOCATION;
        WinHttpSetOption(request, WINHTTP_OPTION_ENABLE_FEATURE, &value, sizeof(value));
    }
    if (req->client_cert)
    {
        const CERT_CONTEXT *cert = find_client_cert(req->client_cert);
        if (cert)
        {
            WinHttpSetOption(request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, (void *)cert, sizeof(*cert));
            CertFreeCertificateContext(cert);
        }
        else WARN("client certificate %s not found\n", debugstr_w(req->client_cert));
    }
}

static BOOL has_request_header(struct http_request *req, const WCHAR *name)
{
    unsigned int i;
    for (i = 0; i < req->header_count; i++)
        if (!strcmpiW(req->headers[i].name, name)) return TRUE;
    return FALSE;
}

static HINTERNET open_request_handle(struct http_request *req, DWORD *err)
{
    static const WCHAR *accept[] = { L"*/*", NULL };
    DWORD flags = req->secure ? WINHTTP_FLAG_SECURE : 0;
    HINTERNET request;
    unsigned int i;

    if (req->escape_percent) flags |= WINHTTP_FLAG_ESCAPE_PERCENT;
    if (req->escape_disable) flags |= WINHTTP_FLAG_ESCAPE_DISABLE;
    if (req->escape_disable_query) flags |= WINHTTP_FLAG_ESCAPE_DISABLE_QUERY;

    if (!req->session)
    {
        if (!(req->session = WinHttpOpen(req->user_agent, WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, NULL, NULL,
                                         WINHTTP_FLAG_ASYNC)))
        {
            *err = GetLastError();
            return NULL;
        }
        if (req->secure_protocols)
            WinHttpSetOption(req->session, WINHTTP_OPTION_SECURE_PROTOCOLS, &req->secure_protocols, sizeof(DWORD));
        if (req->passport)
        {
            DWORD value = WINHTTP_ENABLE_PASSPORT_AUTH;
            WinHttpSetOption(req->session, WINHTTP_OPTION_CONFIGURE_PASSPORT_AUTH, &value, sizeof(value));
        }
    }
    if (!(req->connect = WinHttpConnect(req->session, req->host, req->port, 0)))
    {
        *err = GetLastError();
        return NULL;
    }
    if (!(request = WinHttpOpenRequest(req->connect, req->verb, req->path, req->http11 ? NULL : L"HTTP/1.0",
                                       WINHTTP_NO_REFERER, accept, flags)))
    {
        *err = GetLastError();
        return NULL;
    }
    apply_settings(req, request);
    for (i = 0; i < req->header_count; i++)
    {
        struct strbuf sb = { 0 };
        WCHAR *line;
        strbuf_append(&sb, req->headers[i].name);
        strbuf_append(&sb, L": ");
        strbuf_append(&sb, req->headers[i].value);
        if ((line = strbuf_detach(&sb)))
        {
            if (!WinHttpAddRequestHeaders(request, line, -1, WINHTTP_ADDREQ_FLAG_ADD | WINHTTP_ADDREQ_FLAG_REPLACE))
                WARN("header %s not added: %u\n", debugstr_w(line), GetLastError());
            free(line);
        }
    }
    /* A string body goes out as UTF-8, and says so unless the caller chose a type. */
    if (req->send_is_text && !has_request_header(req, L"Content-Type"))
        WinHttpAddRequestHeaders(request, L"Content-Type: text/plain; Charset=UTF-8", -1, WINHTTP_ADDREQ_FLAG_ADD);
    return request;
}

/* Send, answer authentication challenges we have credentials for, read the
 * whole response.  Runs without the lock; reads settings that the methods
 * only change outside REQUEST_STATE_SENDING. */
/* One exchange: what it sends (copied under the lock when it starts, so the
 * methods may change the object's settings while it runs) and what it has
 * received so far.  The engine's status callbacks drive it; it lives until
 * the request handle's HANDLE_CLOSING, and holds a reference on the object
 * until it ends. */
struct exchange
{
    struct http_request *req;           /* NULL once ended */
    unsigned int generation;
    LONG ended;
    BYTE *data;
    DWORD len;
    WCHAR *server_user, *server_password, *proxy_user, *proxy_password;
    BOOL server_tried, proxy_tried;
    unsigned int sends;
    DWORD status;
    BYTE *body;
    DWORD body_len, body_cap;
};

static void free_exchange(struct exchange *ex)
{
    free(ex->data);
    free(ex->server_user);
    free_secretW(ex->server_password);
    free(ex->proxy_user);
    free_secretW(ex->proxy_password);
    free(ex->body);
    free(ex);
}

/* The end of an exchange, once: the response (or the error) goes to the
 * object if it still waits for this exchange, then the events. */
static void end_exchange(struct exchange *ex, HRESULT hr, BOOL quiet)
{
    struct http_request *req = ex->req;
    BOOL current;

    if (InterlockedExchange(&ex->ended, 1)) return;
    ex->req = NULL;

    EnterCriticalSection(&req->cs);
    current = ex->generation == req->generation && req->state == REQUEST_STATE_SENDING;
    if (current)
    {
        req->send_hr = hr;
        if (SUCCEEDED(hr))
        {
            free(req->body);
            req->body = ex->body;
            req->body_len = ex->body_len;
            req->status = ex->status;
            ex->body = NULL;
            ex->body_len = ex->body_cap = 0;
            req->state = REQUEST_STATE_RESPONSE_RECEIVED;
        }
        else req->state = REQUEST_STATE_OPEN;
    }
    LeaveCriticalSection(&req->cs);

    TRACE("%p: exchange done, hr %#x, status %u%s\n", req, hr, ex->status, current ? "" : " (abandoned)");
    /* The last event before a synchronous Send returns (or WaitForResponse). */
    if (current && !quiet) fire_finished(req, hr);
    if (current) SetEvent(req->done);
    IWinHttpRequest_Release(&req->IWinHttpRequest_iface);
}

static void send_again(struct exchange *ex, HINTERNET request)
{
    ex->sends++;
    if (!WinHttpSendRequest(request, WINHTTP_NO_ADDITIONAL_HEADERS, 0, ex->data, ex->len, ex->len, (DWORD_PTR)ex))
        end_exchange(ex, hresult_from_error(GetLastError()), FALSE);
}

/* The response head is here: answer a challenge we have credentials for
 * (TRUE: sent again), or go on to the body. */
static BOOL answer_challenge(struct exchange *ex, HINTERNET request)
{
    DWORD supported, first, target, scheme;
    const WCHAR *user, *password;

    if (ex->sends >= 8) return FALSE;
    if (ex->status == HTTP_STATUS_DENIED && !ex->server_tried)
    {
        ex->server_tried = TRUE;
        user = ex->server_user;
        password = ex->server_password;
    }
    else if (ex->status == HTTP_STATUS_PROXY_AUTH_REQ && !ex->proxy_tried)
    {
        ex->proxy_tried = TRUE;
        user = ex->proxy_user;
        password = ex->proxy_password;
    }
    else return FALSE;

    if (!WinHttpQueryAuthSchemes(request, &supported, &first, &target)) return FALSE;
    if (user) scheme = first_scheme(supported);
    else
    {
        /* Default (logged-on) credentials, as far as the autologon policy allows. */
        scheme = first_scheme(supported & (WINHTTP_AUTH_SCHEME_NEGOTIATE | WINHTTP_AUTH_SCHEME_NTLM));
        password = NULL;
    }
    if (!scheme || !WinHttpSetCredentials(request, target, scheme, user, user ? (password ? password : L"") : NULL, NULL))
        return FALSE;
    send_again(ex, request);
    return TRUE;
}

static void read_more(struct exchange *ex, HINTERNET request)
{
    if (!WinHttpQueryDataAvailable(request, NULL))
        end_exchange(ex, hresult_from_error(GetLastError()), FALSE);
}

static void CALLBACK exchange_callback(HINTERNET request, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    struct exchange *ex = (struct exchange *)context;
    DWORD size, avail;
    WCHAR *content_type;

    if (!ex) return;
    switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
        if (ex->ended) break;
        if (!WinHttpReceiveResponse(request, NULL)) end_exchange(ex, hresult_from_error(GetLastError()), FALSE);
        break;

    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
        if (ex->ended) break;
        size = sizeof(ex->status);
        if (!WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, NULL,
                                 &ex->status, &size, NULL))
        {
            end_exchange(ex, hresult_from_error(GetLastError()), FALSE);
            break;
        }
        if (answer_challenge(ex, request)) break;
        content_type = query_header_string(request, WINHTTP_QUERY_CONTENT_TYPE, NULL);
        fire_response_start(ex->req, ex->status, content_type);
        free(content_type);
        read_more(ex, request);
        break;

    case WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE:
        if (ex->ended) break;
        avail = *(DWORD *)info;
        if (!avail)
        {
            end_exchange(ex, S_OK, FALSE);
            break;
        }
        if (ex->body_cap - ex->body_len < avail)
        {
            DWORD cap = max(ex->body_cap ? ex->body_cap * 2 : 16384, ex->body_len + avail);
            BYTE *grown = realloc(ex->body, cap);
            if (!grown)
            {
                end_exchange(ex, E_OUTOFMEMORY, FALSE);
                break;
            }
            ex->body = grown;
            ex->body_cap = cap;
        }
        if (!WinHttpReadData(request, ex->body + ex->body_len, avail, NULL))
            end_exchange(ex, hresult_from_error(GetLastError()), FALSE);
        break;

    case WINHTTP_CALLBACK_STATUS_READ_COMPLETE:
        if (ex->ended) break;
        if (!len)
        {
            end_exchange(ex, S_OK, FALSE);
            break;
        }
        fire_data_available(ex->req, ex->body + ex->body_len, len);
        ex->body_len += len;
        read_more(ex, request);
        break;

    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
    {
        const WINHTTP_ASYNC_RESULT *result = info;
        end_exchange(ex, hresult_from_error(result->dwError), FALSE);
        break;
    }

    case WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING:
        /* Nothing follows: an exchange closed before it ended was abandoned. */
        if (!ex->ended) end_exchange(ex, HRESULT_FROM_WIN32(ERROR_WINHTTP_OPERATION_CANCELLED), TRUE);
        free_exchange(ex);
        break;

    default:
        break;
    }
}

/* Start an exchange of the opened request; with the lock held. */
static HRESULT start_exchange(struct http_request *req, HINTERNET *started, struct exchange **ret)
{
    struct exchange *ex;
    HINTERNET request;
    DWORD err = 0;

    if (!(ex = calloc(1, sizeof(*ex)))) return E_OUTOFMEMORY;
    ex->generation = req->generation;
    ex->data = req->send_data;
    ex->len = req->send_len;
    req->send_data = NULL;
    req->send_len = 0;
    ex->server_user = strdupW(req->server_user ? req->server_user : req->url_user);
    ex->server_password = strdupW(req->server_user ? req->server_password : req->url_password);
    ex->proxy_user = strdupW(req->proxy_user);
    ex->proxy_password = strdupW(req->proxy_password);

    if (!(request = open_request_handle(req, &err)))
    {
        free_exchange(ex);
        return hresult_from_error(err);
    }
    if (WinHttpSetStatusCallback(request, exchange_callback, WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS |
                                 WINHTTP_CALLBACK_FLAG_HANDLES, 0) == WINHTTP_INVALID_STATUS_CALLBACK)
    {
        err = GetLastError();
        WinHttpCloseHandle(request);
        free_exchange(ex);
        return hresult_from_error(err);
    }
    IWinHttpRequest_AddRef(&req->IWinHttpRequest_iface);
    ex->req = req;
    req->request = request;
    *started = request;
    *ret = ex;
    return S_OK;
}

/* ------------------------------------------------------------------ */
/* request body                                                         */

static HRESULT body_from_stream(IStream *stream, BYTE **data, DWORD *len)
{
    BYTE *buf = NULL;
    DWORD size = 0, cap = 0;
    HRESULT hr;

    for (;;)
    {
        ULONG read = 0;
        if (cap - size < 4096)
        {
            BYTE *grown = realloc(buf, cap ? cap * 2 : 8192);
            if (!grown) { free(buf); return E_OUTOFMEMORY; }
            buf = grown;
            cap = cap ? cap * 2 : 8192;
        }
        hr = IStream_Read(stream, buf + size, cap - size, &read);
        if (FAILED(hr)) { free(buf); return hr; }
        size += read;
        if (!read || hr == S_FALSE) break;
    }
    *data = buf;
    *len = size;
    return S_OK;
}

static const VARIANT *deref_variant(const VARIANT *v)
{
    while (v && V_VT(v) == (VT_BYREF | VT_VARIANT)) v = V_VARIANTREF(v);
    return v;
}

/* Body: a string (sent as UTF-8), an array of bytes, an IStream, or nothing. */
static HRESULT body_from_variant(const VARIANT *in, BYTE **data, DWORD *len, BOOL *is_text)
{
    const VARIANT *v = deref_variant(in);
    VARIANT str;
    HRESULT hr;

    *data = NULL;
    *len = 0;
    *is_text = FALSE;

    switch (V_VT(v))
    {
    case VT_EMPTY:
    case VT_ERROR:
    case VT_NULL:
        return S_OK;

    case VT_ARRAY | VT_UI1:
    case VT_ARRAY | VT_I1:
    case VT_BYREF | VT_ARRAY | VT_UI1:
    {
        SAFEARRAY *sa = (V_VT(v) & VT_BYREF) ? *V_ARRAYREF(v) : V_ARRAY(v);
        LONG lb, ub;
        void *ptr;
        if (!sa) return S_OK;
        if (SafeArrayGetDim(sa) != 1) return E_INVALIDARG;
        if (FAILED(hr = SafeArrayGetLBound(sa, 1, &lb)) || FAILED(hr = SafeArrayGetUBound(sa, 1, &ub))) return hr;
        if (ub < lb) return S_OK;
        if (FAILED(hr = SafeArrayAccessData(sa, &ptr))) return hr;
        *len = ub - lb + 1;
        if ((*data = malloc(*len))) memcpy(*data, ptr, *len);
        SafeArrayUnaccessData(sa);
        return *data ? S_OK : E_OUTOFMEMORY;
    }

    case VT_UNKNOWN:
    case VT_DISPATCH:
    {
        IStream *stream;
        if (!V_UNKNOWN(v)) return S_OK;
        if (FAILED(IUnknown_QueryInterface(V_UNKNOWN(v), &IID_IStream, (void **)&stream)))
            break;  /* an object: its default value, as a string */
        hr = body_from_stream(stream, data, len);
        IStream_Release(stream);
        return hr;
    }

    default:
        break;
    }

    VariantInit(&str);
    if (FAILED(hr = VariantChangeType(&str, v, 0, VT_BSTR))) return hr;
    *is_text = TRUE;
    if (V_BSTR(&str) && SysStringLen(V_BSTR(&str)))
    {
        int n = WideCharToMultiByte(CP_UTF8, 0, V_BSTR(&str), SysStringLen(V_BSTR(&str)), NULL, 0, NULL, NULL);
        if ((*data = malloc(n)))
        {
            WideCharToMultiByte(CP_UTF8, 0, V_BSTR(&str), SysStringLen(V_BSTR(&str)), (char *)*data, n, NULL, NULL);
            *len = n;
        }
        else hr = E_OUTOFMEMORY;
    }
    VariantClear(&str);
    return hr;
}

/* ------------------------------------------------------------------ */
/* IWinHttpRequest: IUnknown and IDispatch                              */

static HRESULT WINAPI request_QueryInterface(IWinHttpRequest *iface, REFIID riid, void **obj)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);

    TRACE("%p, %s, %p\n", req, debugstr_guid(riid), obj);
    if (!obj) return E_POINTER;

    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IWinHttpRequest))
        *obj = &req->IWinHttpRequest_iface;
    else if (IsEqualGUID(riid, &IID_IConnectionPointContainer))
        *obj = &req->IConnectionPointContainer_iface;
    else if (IsEqualGUID(riid, &IID_ISupportErrorInfo))
        *obj = &req->ISupportErrorInfo_iface;
    else if (IsEqualGUID(riid, &IID_IProvideClassInfo))
        *obj = &req->IProvideClassInfo_iface;
    else
    {
        *obj = NULL;
        TRACE("no interface %s\n", debugstr_guid(riid));
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*obj);
    return S_OK;
}

static ULONG WINAPI request_AddRef(IWinHttpRequest *iface)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    LONG refs = InterlockedIncrement(&req->refs);
    TRACE("%p, refcount %d\n", req, refs);
    return refs;
}

static ULONG WINAPI request_Release(IWinHttpRequest *iface)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    LONG refs = InterlockedDecrement(&req->refs);
    unsigned int i;

    TRACE("%p, refcount %d\n", req, refs);
    if (refs) return refs;

    /* An exchange in progress holds a reference: none runs here. */
    close_exchange(req);
    if (req->session) WinHttpCloseHandle(req->session);
    if (req->done) CloseHandle(req->done);
    for (i = 0; i < MAX_SINKS; i++) if (req->sinks[i]) IWinHttpRequestEvents_Release(req->sinks[i]);
    free_open_params(req);
    free_response(req);
    free(req->send_data);
    free(req->user_agent); free(req->client_cert);
    free(req->proxy_server); free(req->proxy_bypass);
    free(req->server_user); free_secretW(req->server_password);
    free(req->proxy_user); free_secretW(req->proxy_password);
    if (req->cs.DebugInfo && req->cs.DebugInfo != (void *)-1) req->cs.DebugInfo->Spare[0] = 0;
    DeleteCriticalSection(&req->cs);
    free(req);
    InterlockedDecrement(&object_count);
    return 0;
}

extern HINSTANCE winhttp_instance;

/* The type library is TYPELIB resource 1 of this module.  LoadTypeLib reads
 * it straight from a PE DLL; a Winelib (ELF) module cannot be mapped as a
 * data file, so then the resource is written out as DIR\winhttp_tlb.tlb and
 * loaded (and registered) from there. */
static BOOL module_is_pe(const WCHAR *path)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    char magic[2] = { 0 };
    DWORD read = 0;

    if (file == INVALID_HANDLE_VALUE) return FALSE;
    ReadFile(file, magic, sizeof(magic), &read, NULL);
    CloseHandle(file);
    return read == 2 && magic[0] == 'M' && magic[1] == 'Z';
}

static HRESULT load_typelib(BOOL register_it, ITypeLib **ret)
{
    REGKIND kind = register_it ? REGKIND_REGISTER : REGKIND_NONE;
    WCHAR path[MAX_PATH];
    HRSRC rsrc;
    HGLOBAL mem;
    const void *data;
    DWORD size, written, len;
    HANDLE file;
    HRESULT hr;

    if (!GetModuleFileNameW(winhttp_instance, path, ARRAY_SIZE(path))) return HRESULT_FROM_WIN32(GetLastError());
    if (module_is_pe(path) && SUCCEEDED(hr = LoadTypeLibEx(path, kind, ret))) return hr;
    TRACE("not loadable from %s, writing it out\n", debugstr_w(path));

    if (!(rsrc = FindResourceW(winhttp_instance, MAKEINTRESOURCEW(1), L"TYPELIB")) ||
        !(mem = LoadResource(winhttp_instance, rsrc)) || !(data = LockResource(mem)) ||
        !(size = SizeofResource(winhttp_instance, rsrc)))
    {
        ERR("no type library resource\n");
        return TYPE_E_CANTLOADLIBRARY;
    }
    len = register_it ? GetSystemDirectoryW(path, MAX_PATH - 20) : GetTempPathW(MAX_PATH - 20, path);
    if (!len || len >= MAX_PATH - 20) return TYPE_E_CANTLOADLIBRARY;
    if (path[len - 1] != '\\') path[len++] = '\\';
    memcpy(path + len, L"winhttp_tlb.tlb", sizeof(L"winhttp_tlb.tlb"));

    file = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file != INVALID_HANDLE_VALUE)
    {
        BOOL ok = WriteFile(file, data, size, &written, NULL) && written == size;
        CloseHandle(file);
        if (!ok) WARN("short write of %s\n", debugstr_w(path));
    }
    /* Another process may hold it open: loading what is there is fine. */
    hr = LoadTypeLibEx(path, kind, ret);
    if (FAILED(hr)) ERR("type library not loaded from %s: %#x\n", debugstr_w(path), hr);
    return hr;
}

static HRESULT get_typeinfo(REFGUID guid, ITypeInfo **info)
{
    ITypeLib *typelib;
    HRESULT hr;

    if (!winhttp_typelib)
    {
        if (FAILED(hr = load_typelib(FALSE, &typelib))) return hr;
        if (InterlockedCompareExchangePointer((void **)&winhttp_typelib, typelib, NULL))
            ITypeLib_Release(typelib);
    }
    return ITypeLib_GetTypeInfoOfGuid(winhttp_typelib, guid, info);
}

static HRESULT WINAPI request_GetTypeInfoCount(IWinHttpRequest *iface, UINT *count)
{
    TRACE("%p, %p\n", iface, count);
    if (!count) return E_INVALIDARG;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI request_GetTypeInfo(IWinHttpRequest *iface, UINT index, LCID lcid, ITypeInfo **info)
{
    TRACE("%p, %u, %#x, %p\n", iface, index, lcid, info);
    if (!info) return E_INVALIDARG;
    *info = NULL;
    if (index) return DISP_E_BADINDEX;
    return get_typeinfo(&IID_IWinHttpRequest, info);
}

enum member_kind { MEMBER_METHOD, MEMBER_PROPERTY };

static const struct
{
    const WCHAR *name;
    DISPID id;
    enum member_kind kind;
}
members[] =
{
    { L"Open",                  DISPID_HTTPREQUEST_OPEN,                  MEMBER_METHOD },
    { L"SetRequestHeader",      DISPID_HTTPREQUEST_SETREQUESTHEADER,      MEMBER_METHOD },
    { L"GetResponseHeader",     DISPID_HTTPREQUEST_GETRESPONSEHEADER,     MEMBER_METHOD },
    { L"GetAllResponseHeaders", DISPID_HTTPREQUEST_GETALLRESPONSEHEADERS, MEMBER_METHOD },
    { L"Send",                  DISPID_HTTPREQUEST_SEND,                  MEMBER_METHOD },
    { L"Option",                DISPID_HTTPREQUEST_OPTION,                MEMBER_PROPERTY },
    { L"Status",                DISPID_HTTPREQUEST_STATUS,                MEMBER_PROPERTY },
    { L"StatusText",            DISPID_HTTPREQUEST_STATUSTEXT,            MEMBER_PROPERTY },
    { L"ResponseText",          DISPID_HTTPREQUEST_RESPONSETEXT,          MEMBER_PROPERTY },
    { L"ResponseBody",          DISPID_HTTPREQUEST_RESPONSEBODY,          MEMBER_PROPERTY },
    { L"ResponseStream",        DISPID_HTTPREQUEST_RESPONSESTREAM,        MEMBER_PROPERTY },
    { L"Abort",                 DISPID_HTTPREQUEST_ABORT,                 MEMBER_METHOD },
    { L"SetProxy",              DISPID_HTTPREQUEST_SETPROXY,              MEMBER_METHOD },
    { L"SetCredentials",        DISPID_HTTPREQUEST_SETCREDENTIALS,        MEMBER_METHOD },
    { L"WaitForResponse",       DISPID_HTTPREQUEST_WAITFORRESPONSE,       MEMBER_METHOD },
    { L"SetTimeouts",           DISPID_HTTPREQUEST_SETTIMEOUTS,           MEMBER_METHOD },
    { L"SetClientCertificate",  DISPID_HTTPREQUEST_SETCLIENTCERTIFICATE,  MEMBER_METHOD },
    { L"SetAutoLogonPolicy",    DISPID_HTTPREQUEST_SETAUTOLOGONPOLICY,    MEMBER_METHOD },
};

static HRESULT WINAPI request_GetIDsOfNames(IWinHttpRequest *iface, REFIID riid, LPOLESTR *names,
                                            UINT count, LCID lcid, DISPID *ids)
{
    unsigned int i, j;
    HRESULT hr = S_OK;

    TRACE("%p, %s, %p, %u, %#x, %p\n", iface, debugstr_guid(riid), names, count, lcid, ids);
    if (!IsEqualGUID(riid, &IID_NULL)) return DISP_E_UNKNOWNINTERFACE;
    if (!names || !ids || !count) return E_INVALIDARG;

    for (i = 0; i < count; i++) ids[i] = DISPID_UNKNOWN;
    for (j = 0; j < ARRAY_SIZE(members); j++)
        if (names[0] && !strcmpiW(names[0], members[j].name))
        {
            ids[0] = members[j].id;
            break;
        }
    if (ids[0] == DISPID_UNKNOWN) return DISP_E_UNKNOWNNAME;
    /* Named arguments: the type library knows the parameter names. */
    if (count > 1)
    {
        ITypeInfo *info;
        if (SUCCEEDED(get_typeinfo(&IID_IWinHttpRequest, &info)))
        {
            hr = ITypeInfo_GetIDsOfNames(info, names, count, ids);
            ITypeInfo_Release(info);
        }
        else hr = DISP_E_UNKNOWNNAME;
    }
    return hr;
}

/* ------------------------------------------------------------------ */
/* Invoke: arguments by position, coerced                               */

/* Positional argument i (0 = first in the declaration). */
static const VARIANT *positional_arg(DISPPARAMS *params, UINT i)
{
    if (i >= params->cArgs) return NULL;
    return deref_variant(&params->rgvarg[params->cArgs - 1 - i]);
}

static HRESULT coerce_arg(DISPPARAMS *params, UINT i, VARTYPE vt, VARIANT *out, UINT *arg_err)
{
    const VARIANT *v = positional_arg(params, i);
    HRESULT hr;

    VariantInit(out);
    if (!v) return DISP_E_PARAMNOTFOUND;
    if (FAILED(hr = VariantChangeType(out, v, 0, vt)))
    {
        if (arg_err) *arg_err = params->cArgs - 1 - i;
        return hr;
    }
    return S_OK;
}

/* An optional VARIANT argument: missing ones are VT_ERROR/DISP_E_PARAMNOTFOUND. */
static VARIANT optional_arg(DISPPARAMS *params, UINT i)
{
    const VARIANT *v = positional_arg(params, i);
    VARIANT ret;
    if (v) return *v;
    V_VT(&ret) = VT_ERROR;
    V_ERROR(&ret) = DISP_E_PARAMNOTFOUND;
    return ret;
}

static void return_bstr(VARIANT *result, BSTR str)
{
    if (!result) { SysFreeString(str); return; }
    V_VT(result) = VT_BSTR;
    V_BSTR(result) = str;
}

static HRESULT invoke_method(IWinHttpRequest *iface, DISPID member, DISPPARAMS *params, VARIANT *result, UINT *arg_err)
{
    VARIANT a, b, c, d;
    HRESULT hr;

    VariantInit(&a); VariantInit(&b); VariantInit(&c); VariantInit(&d);
    switch (member)
    {
    case DISPID_HTTPREQUEST_OPEN:
        if (SUCCEEDED(hr = coerce_arg(params, 0, VT_BSTR, &a, arg_err)) &&
            SUCCEEDED(hr = coerce_arg(params, 1, VT_BSTR, &b, arg_err)))
            hr = IWinHttpRequest_Open(iface, V_BSTR(&a), V_BSTR(&b), optional_arg(params, 2));
        break;

    case DISPID_HTTPREQUEST_SETREQUESTHEADER:
        if (SUCCEEDED(hr = coerce_arg(params, 0, VT_BSTR, &a, arg_err)) &&
            SUCCEEDED(hr = coerce_arg(params, 1, VT_BSTR, &b, arg_err)))
            hr = IWinHttpRequest_SetRequestHeader(iface, V_BSTR(&a), V_BSTR(&b));
        break;

    case DISPID_HTTPREQUEST_GETRESPONSEHEADER:
    {
        BSTR value = NULL;
        if (SUCCEEDED(hr = coerce_arg(params, 0, VT_BSTR, &a, arg_err)) &&
            SUCCEEDED(hr = IWinHttpRequest_GetResponseHeader(iface, V_BSTR(&a), &value)))
            return_bstr(result, value);
        break;
    }

    case DISPID_HTTPREQUEST_GETALLRESPONSEHEADERS:
    {
        BSTR value = NULL;
        if (SUCCEEDED(hr = IWinHttpRequest_GetAllResponseHeaders(iface, &value)))
            return_bstr(result, value);
        break;
    }

    case DISPID_HTTPREQUEST_SEND:
        hr = IWinHttpRequest_Send(iface, optional_arg(params, 0));
        break;

    case DISPID_HTTPREQUEST_ABORT:
        hr = IWinHttpRequest_Abort(iface);
        break;

    case DISPID_HTTPREQUEST_SETPROXY:
        if (SUCCEEDED(hr = coerce_arg(params, 0, VT_I4, &a, arg_err)))
            hr = IWinHttpRequest_SetProxy(iface, V_I4(&a), optional_arg(params, 1), optional_arg(params, 2));
        break;

    case DISPID_HTTPREQUEST_SETCREDENTIALS:
        if (SUCCEEDED(hr = coerce_arg(params, 0, VT_BSTR, &a, arg_err)) &&
            SUCCEEDED(hr = coerce_arg(params, 1, VT_BSTR, &b, arg_err)) &&
            SUCCEEDED(hr = coerce_arg(params, 2, VT_I4, &c, arg_err)))
            hr = IWinHttpRequest_SetCredentials(iface, V_BSTR(&a), V_BSTR(&b), V_I4(&c));
        break;

    case DISPID_HTTPREQUEST_WAITFORRESPONSE:
    {
        VARIANT_BOOL done = VARIANT_FALSE;
        if (SUCCEEDED(hr = IWinHttpRequest_WaitForResponse(iface, optional_arg(params, 0), &done)) && result)
        {
            V_VT(result) = VT_BOOL;
            V_BOOL(result) = done;
        }
        break;
    }

    case DISPID_HTTPREQUEST_SETTIMEOUTS:
        if (SUCCEEDED(hr = coerce_arg(params, 0, VT_I4, &a, arg_err)) &&
            SUCCEEDED(hr = coerce_arg(params, 1, VT_I4, &b, arg_err)) &&
            SUCCEEDED(hr = coerce_arg(params, 2, VT_I4, &c, arg_err)) &&
            SUCCEEDED(hr = coerce_arg(params, 3, VT_I4, &d, arg_err)))
            hr = IWinHttpRequest_SetTimeouts(iface, V_I4(&a), V_I4(&b), V_I4(&c), V_I4(&d));
        break;

    case DISPID_HTTPREQUEST_SETCLIENTCERTIFICATE:
        if (SUCCEEDED(hr = coerce_arg(params, 0, VT_BSTR, &a, arg_err)))
            hr = IWinHttpRequest_SetClientCertificate(iface, V_BSTR(&a));
        break;

    case DISPID_HTTPREQUEST_SETAUTOLOGONPOLICY:
        if (SUCCEEDED(hr = coerce_arg(params, 0, VT_I4, &a, arg_err)))
            hr = IWinHttpRequest_SetAutoLogonPolicy(iface, V_I4(&a));
        break;

    default:
        hr = DISP_E_MEMBERNOTFOUND;
        break;
    }
    VariantClear(&a); VariantClear(&b); VariantClear(&c); VariantClear(&d);
    return hr;
}

static HRESULT invoke_get(IWinHttpRequest *iface, DISPID member, DISPPARAMS *params, VARIANT *result, UINT *arg_err)
{
    VARIANT a, value;
    HRESULT hr;

    VariantInit(&value);
    switch (member)
    {
    case DISPID_HTTPREQUEST_OPTION:
        if (FAILED(hr = coerce_arg(params, 0, VT_I4, &a, arg_err))) return hr;
        hr = IWinHttpRequest_get_Option(iface, V_I4(&a), &value);
        break;

    case DISPID_HTTPREQUEST_STATUS:
        V_VT(&value) = VT_I4;
        hr = IWinHttpRequest_get_Status(iface, &V_I4(&value));
        break;

    case DISPID_HTTPREQUEST_STATUSTEXT:
        V_VT(&value) = VT_BSTR;
        hr = IWinHttpRequest_get_StatusText(iface, &V_BSTR(&value));
        break;

    case DISPID_HTTPREQUEST_RESPONSETEXT:
        V_VT(&value) = VT_BSTR;
        hr = IWinHttpRequest_get_ResponseText(iface, &V_BSTR(&value));
        break;

    case DISPID_HTTPREQUEST_RESPONSEBODY:
        hr = IWinHttpRequest_get_ResponseBody(iface, &value);
        break;

    case DISPID_HTTPREQUEST_RESPONSESTREAM:
        hr = IWinHttpRequest_get_ResponseStream(iface, &value);
        break;

    default:
        return DISP_E_MEMBERNOTFOUND;
    }
    if (FAILED(hr))
    {
        V_VT(&value) = VT_EMPTY;
        return hr;
    }
    if (result) *result = value;
    else VariantClear(&value);
    return hr;
}

static HRESULT invoke_put(IWinHttpRequest *iface, DISPID member, DISPPARAMS *params, UINT *arg_err)
{
    VARIANT option;
    HRESULT hr;

    if (member != DISPID_HTTPREQUEST_OPTION) return DISP_E_MEMBERNOTFOUND;
    /* The new value is the last argument (rgvarg[0]); the option is the first. */
    if (FAILED(hr = coerce_arg(params, 0, VT_I4, &option, arg_err))) return hr;
    return IWinHttpRequest_put_Option(iface, V_I4(&option), *deref_variant(&params->rgvarg[0]));
}

static HRESULT WINAPI request_Invoke(IWinHttpRequest *iface, DISPID member, REFIID riid, LCID lcid, WORD flags,
                                     DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    unsigned int i;
    HRESULT hr;

    TRACE("%p, %d, %s, %#x, %#x, %p, %p, %p, %p\n", iface, member, debugstr_guid(riid), lcid, flags,
          params, result, excep, arg_err);

    if (!IsEqualGUID(riid, &IID_NULL)) return DISP_E_UNKNOWNINTERFACE;
    for (i = 0; i < ARRAY_SIZE(members); i++) if (members[i].id == member) break;
    if (i == ARRAY_SIZE(members)) return DISP_E_MEMBERNOTFOUND;
    if (!params) return E_INVALIDARG;
    if (result) VariantInit(result);

    /* Windows reads a property for DISPATCH_METHOD too, writes it only for a
     * pure DISPATCH_PROPERTYPUT, and does nothing for no flag at all. */
    if (flags & (DISPATCH_METHOD | DISPATCH_PROPERTYGET))
    {
        if (members[i].kind == MEMBER_METHOD) hr = invoke_method(iface, member, params, result, arg_err);
        else hr = invoke_get(iface, member, params, result, arg_err);
    }
    else if (flags & (DISPATCH_PROPERTYPUT | DISPATCH_PROPERTYPUTREF))
    {
        if (!params->cArgs) return DISP_E_PARAMNOTFOUND;
        hr = invoke_put(iface, member, params, arg_err);
    }
    else return S_OK;

    if (FAILED(hr) && excep && HRESULT_FACILITY(hr) == FACILITY_WIN32)
    {
        const WCHAR *text = error_text(hr);
        memset(excep, 0, sizeof(*excep));
        excep->scode = hr;
        excep->bstrSource = SysAllocString(L"WinHttp.WinHttpRequest");
        if (text) excep->bstrDescription = SysAllocString(text);
        return DISP_E_EXCEPTION;
    }
    return hr;
}

/* ------------------------------------------------------------------ */
/* IWinHttpRequest methods                                              */

static HRESULT WINAPI request_SetProxy(IWinHttpRequest *iface, HTTPREQUEST_PROXY_SETTING setting,
                                       VARIANT server, VARIANT bypass)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    const VARIANT *vs = deref_variant(&server), *vb = deref_variant(&bypass);
    VARIANT s, b;
    HRESULT hr = S_OK;

    TRACE("%p, %d, %s, %s\n", req, setting, debugstr_variant(&server), debugstr_variant(&bypass));

    if (setting != HTTPREQUEST_PROXYSETTING_PRECONFIG && setting != HTTPREQUEST_PROXYSETTING_DIRECT &&
        setting != HTTPREQUEST_PROXYSETTING_PROXY)
        return set_error_info(E_INVALIDARG);

    VariantInit(&s);
    VariantInit(&b);
    if (setting == HTTPREQUEST_PROXYSETTING_PROXY)
    {
        if (V_VT(vs) != VT_ERROR && V_VT(vs) != VT_EMPTY && FAILED(hr = VariantChangeType(&s, vs, 0, VT_BSTR)))
            return set_error_info(hr);
        if (V_VT(vb) != VT_ERROR && V_VT(vb) != VT_EMPTY && FAILED(hr = VariantChangeType(&b, vb, 0, VT_BSTR)))
        {
            VariantClear(&s);
            return set_error_info(hr);
        }
    }
    EnterCriticalSection(&req->cs);
    req->proxy_setting = setting;
    if (!set_string(&req->proxy_server, V_VT(&s) == VT_BSTR ? V_BSTR(&s) : NULL) ||
        !set_string(&req->proxy_bypass, V_VT(&b) == VT_BSTR ? V_BSTR(&b) : NULL))
        hr = E_OUTOFMEMORY;
    LeaveCriticalSection(&req->cs);
    VariantClear(&s);
    VariantClear(&b);
    return set_error_info(hr);
}

static HRESULT WINAPI request_SetCredentials(IWinHttpRequest *iface, BSTR username, BSTR password,
                                             HTTPREQUEST_SETCREDENTIALS_FLAGS flags)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    HRESULT hr = S_OK;

    TRACE("%p, %s, %p, %#x\n", req, debugstr_w(username), password, flags);

    EnterCriticalSection(&req->cs);
    if (req->state < REQUEST_STATE_OPEN)
        hr = HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CALL_BEFORE_OPEN);
    else if ((flags != HTTPREQUEST_SETCREDENTIALS_FOR_SERVER && flags != HTTPREQUEST_SETCREDENTIALS_FOR_PROXY) ||
             !username)
        hr = E_INVALIDARG;
    else if (flags == HTTPREQUEST_SETCREDENTIALS_FOR_SERVER)
    {
        if (!set_string(&req->server_user, username) || !set_string(&req->server_password, password ? password : L""))
            hr = E_OUTOFMEMORY;
    }
    else if (!set_string(&req->proxy_user, username) || !set_string(&req->proxy_password, password ? password : L""))
        hr = E_OUTOFMEMORY;
    LeaveCriticalSection(&req->cs);
    return set_error_info(hr);
}

/* Async: missing means FALSE; anything else is coerced to a boolean. */
static HRESULT async_from_variant(const VARIANT *in, BOOL *async)
{
    const VARIANT *v = deref_variant(in);
    VARIANT b;
    HRESULT hr;

    *async = FALSE;
    if (V_VT(v) == VT_ERROR || V_VT(v) == VT_EMPTY || V_VT(v) == VT_NULL) return S_OK;
    VariantInit(&b);
    if (FAILED(hr = VariantChangeType(&b, v, 0, VT_BOOL))) return hr;
    *async = V_BOOL(&b) != VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI request_Open(IWinHttpRequest *iface, BSTR method, BSTR url, VARIANT async)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    URL_COMPONENTS uc;
    BOOL is_async;
    HRESULT hr;

    TRACE("%p, %s, %s, %s\n", req, debugstr_w(method), debugstr_w(url), debugstr_variant(&async));

    if (!method || !url) return set_error_info(E_INVALIDARG);
    if (FAILED(hr = async_from_variant(&async, &is_async))) return set_error_info(hr);

    memset(&uc, 0, sizeof(uc));
    uc.dwStructSize = sizeof(uc);
    uc.dwSchemeLength = uc.dwHostNameLength = uc.dwUrlPathLength = uc.dwExtraInfoLength = ~0u;
    uc.dwUserNameLength = uc.dwPasswordLength = ~0u;
    if (!WinHttpCrackUrl(url, 0, 0, &uc)) return set_error_info(hresult_from_error(GetLastError()));

    /* A new Open ends whatever the object was doing. */
    cancel_exchange(req);

    EnterCriticalSection(&req->cs);
    free_open_params(req);
    free_response(req);
    req->verb = strdupW(method);
    req->url = strdupW(url);
    req->host = strndupW(uc.lpszHostName, uc.dwHostNameLength);
    req->path = uc.dwUrlPathLength + uc.dwExtraInfoLength ?
                strndupW(uc.lpszUrlPath, uc.dwUrlPathLength + uc.dwExtraInfoLength) : strdupW(L"/");
    if (uc.dwUserNameLength) req->url_user = strndupW(uc.lpszUserName, uc.dwUserNameLength);
    if (uc.dwPasswordLength) req->url_password = strndupW(uc.lpszPassword, uc.dwPasswordLength);
    req->port = uc.nPort;
    req->secure = uc.nScheme == INTERNET_SCHEME_HTTPS;
    req->async = is_async;
    if (!req->verb || !req->url || !req->host || !req->path)
    {
        free_open_params(req);
        req->state = REQUEST_STATE_INITIALIZED;
        hr = E_OUTOFMEMORY;
    }
    else req->state = REQUEST_STATE_OPEN;
    LeaveCriticalSection(&req->cs);
    return set_error_info(hr);
}

static BOOL valid_header_name(const WCHAR *name)
{
    if (!*name) return FALSE;
    for (; *name; name++)
        if (*name <= ' ' || *name >= 0x7f || *name == ':') return FALSE;
    return TRUE;
}

static HRESULT WINAPI request_SetRequestHeader(IWinHttpRequest *iface, BSTR header, BSTR value)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    struct request_header *grown;
    HRESULT hr = S_OK;
    unsigned int i;

    TRACE("%p, %s, %s\n", req, debugstr_w(header), debugstr_w(value));

    if (!header) return set_error_info(E_INVALIDARG);

    EnterCriticalSection(&req->cs);
    if (req->state < REQUEST_STATE_OPEN) hr = HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CALL_BEFORE_OPEN);
    else if (req->state > REQUEST_STATE_OPEN) hr = HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CALL_AFTER_SEND);
    else if (!valid_header_name(header) || (value && (chrW(value, '\r') || chrW(value, '\n'))))
        hr = HRESULT_FROM_WIN32(ERROR_WINHTTP_INVALID_HEADER);
    if (hr != S_OK) goto done;

    for (i = 0; i < req->header_count; i++)
        if (!strcmpiW(req->headers[i].name, header)) break;
    if (i == req->header_count)
    {
        if (!(grown = realloc(req->headers, (i + 1) * sizeof(*grown)))) { hr = E_OUTOFMEMORY; goto done; }
        req->headers = grown;
        req->headers[i].name = req->headers[i].value = NULL;
        if (!set_string(&req->headers[i].name, header)) { hr = E_OUTOFMEMORY; goto done; }
        req->header_count++;
    }
    if (!set_string(&req->headers[i].value, value ? value : L"")) hr = E_OUTOFMEMORY;
done:
    LeaveCriticalSection(&req->cs);
    return set_error_info(hr);
}

/* The response accessors share their preconditions. */
static HRESULT check_response_state(struct http_request *req)
{
    if (req->state == REQUEST_STATE_SENDING) return E_PENDING;
    if (req->state != REQUEST_STATE_RESPONSE_RECEIVED) return HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CALL_BEFORE_SEND);
    return S_OK;
}

static HRESULT WINAPI request_GetResponseHeader(IWinHttpRequest *iface, BSTR header, BSTR *value)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    WCHAR *text = NULL;
    HRESULT hr;

    TRACE("%p, %s, %p\n", req, debugstr_w(header), value);

    EnterCriticalSection(&req->cs);
    if ((hr = check_response_state(req)) == S_OK)
    {
        if (!header || !value) hr = E_INVALIDARG;
        else if (!(text = query_header_string(req->request, WINHTTP_QUERY_CUSTOM, header)))
            hr = HRESULT_FROM_WIN32(ERROR_WINHTTP_HEADER_NOT_FOUND);
        else if (!(*value = SysAllocString(text))) hr = E_OUTOFMEMORY;
    }
    LeaveCriticalSection(&req->cs);
    free(text);
    return set_error_info(hr);
}

static HRESULT WINAPI request_GetAllResponseHeaders(IWinHttpRequest *iface, BSTR *headers)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    WCHAR *text = NULL, *start;
    HRESULT hr;

    TRACE("%p, %p\n", req, headers);

    if (!headers) return set_error_info(E_INVALIDARG);
    EnterCriticalSection(&req->cs);
    if ((hr = check_response_state(req)) == S_OK)
    {
        /* The header lines, without the status line. */
        if (!(text = query_header_string(req->request, WINHTTP_QUERY_RAW_HEADERS_CRLF, NULL)))
            hr = hresult_from_error(GetLastError());
        else
        {
            start = (WCHAR *)chrW(text, '\n');
            start = start ? start + 1 : text + strlenW(text);
            if (!(*headers = SysAllocString(start))) hr = E_OUTOFMEMORY;
        }
    }
    LeaveCriticalSection(&req->cs);
    free(text);
    return set_error_info(hr);
}

static HRESULT WINAPI request_Send(IWinHttpRequest *iface, VARIANT body)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    struct exchange *ex = NULL;
    HINTERNET request = NULL;
    unsigned int generation;
    BYTE *data;
    DWORD len;
    BOOL is_text, async;
    HRESULT hr = S_OK;

    TRACE("%p, %s\n", req, debugstr_variant(&body));

    EnterCriticalSection(&req->cs);
    if (req->state < REQUEST_STATE_OPEN) hr = HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CALL_BEFORE_OPEN);
    else if (req->state == REQUEST_STATE_SENDING) hr = E_PENDING;
    else hr = S_OK;
    LeaveCriticalSection(&req->cs);
    if (hr != S_OK) return set_error_info(hr);

    /* The body is read here, in the caller's apartment (it may be an IStream). */
    if (FAILED(hr = body_from_variant(&body, &data, &len, &is_text))) return set_error_info(hr);

    /* Sending again after a response starts a new exchange with the same request. */
    cancel_exchange(req);

    EnterCriticalSection(&req->cs);
    free_response(req);
    req->send_data = data;
    req->send_len = len;
    req->send_is_text = is_text;
    req->send_hr = S_OK;
    async = req->async;
    if (!req->done && !(req->done = CreateEventW(NULL, TRUE, FALSE, NULL)))
        hr = hresult_from_error(GetLastError());
    else
    {
        ResetEvent(req->done);
        generation = ++req->generation;
        req->state = REQUEST_STATE_SENDING;
        if (FAILED(hr = start_exchange(req, &request, &ex))) req->state = REQUEST_STATE_OPEN;
        /* From here the engine's callbacks drive the exchange (send_again
         * also ends it if the engine refuses at once).  Under the lock, so
         * that an Abort on another thread cannot close it under us; a
         * callback on this thread re-enters the lock. */
        else send_again(ex, request);
    }
    LeaveCriticalSection(&req->cs);
    if (FAILED(hr)) return set_error_info(hr);
    if (async) return set_error_info(S_OK);

    /* Synchronous: the same exchange, waited for. */
    WaitForSingleObject(req->done, INFINITE);
    EnterCriticalSection(&req->cs);
    hr = generation == req->generation ? req->send_hr : HRESULT_FROM_WIN32(ERROR_WINHTTP_OPERATION_CANCELLED);
    LeaveCriticalSection(&req->cs);
    return set_error_info(hr);
}

static HRESULT WINAPI request_get_Status(IWinHttpRequest *iface, LONG *status)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    HRESULT hr;

    TRACE("%p, %p\n", req, status);

    if (!status) return set_error_info(E_INVALIDARG);
    EnterCriticalSection(&req->cs);
    if ((hr = check_response_state(req)) == S_OK) *status = req->status;
    LeaveCriticalSection(&req->cs);
    return set_error_info(hr);
}

static HRESULT WINAPI request_get_StatusText(IWinHttpRequest *iface, BSTR *status)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    WCHAR *text = NULL;
    HRESULT hr;

    TRACE("%p, %p\n", req, status);

    if (!status) return set_error_info(E_INVALIDARG);
    EnterCriticalSection(&req->cs);
    if ((hr = check_response_state(req)) == S_OK)
    {
        text = query_header_string(req->request, WINHTTP_QUERY_STATUS_TEXT, NULL);
        if (!(*status = SysAllocString(text ? text : L""))) hr = E_OUTOFMEMORY;
    }
    LeaveCriticalSection(&req->cs);
    free(text);
    return set_error_info(hr);
}

/* The body as text: a byte order mark wins, then the charset of the
 * Content-Type, then the system code page (Windows' default). */
static BSTR decode_body(struct http_request *req)
{
    const BYTE *data = req->body;
    DWORD len = req->body_len;
    WCHAR *type;
    size_t bom;
    UINT cp;
    BSTR ret;
    int n;

    type = query_header_string(req->request, WINHTTP_QUERY_CONTENT_TYPE, NULL);
    cp = body_codepage(data, len, (const uint16_t *)type, type ? strlenW(type) : 0, &bom);
    free(type);
    data += bom;
    len -= bom;
    if (!cp || (cp != CHARSET_CP_UTF16LE && cp != CHARSET_CP_UTF16BE && !IsValidCodePage(cp))) cp = CP_ACP;

    if (cp == CHARSET_CP_UTF16LE || cp == CHARSET_CP_UTF16BE)
    {
        DWORD i, chars = len / 2;
        if (!(ret = SysAllocStringLen(NULL, chars))) return NULL;
        for (i = 0; i < chars; i++)
            ret[i] = cp == CHARSET_CP_UTF16LE ? data[2 * i] | (data[2 * i + 1] << 8) : (data[2 * i] << 8) | data[2 * i + 1];
        return ret;
    }
    if (!len) return SysAllocStringLen(L"", 0);
    if (!(n = MultiByteToWideChar(cp, 0, (const char *)data, len, NULL, 0)))
    {
        WARN("code page %u unusable (%u), using the system code page\n", cp, GetLastError());
        cp = CP_ACP;
        n = MultiByteToWideChar(cp, 0, (const char *)data, len, NULL, 0);
    }
    if (!(ret = SysAllocStringLen(NULL, n))) return NULL;
    MultiByteToWideChar(cp, 0, (const char *)data, len, ret, n);
    return ret;
}

static HRESULT WINAPI request_get_ResponseText(IWinHttpRequest *iface, BSTR *body)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    HRESULT hr;

    TRACE("%p, %p\n", req, body);

    if (!body) return set_error_info(E_INVALIDARG);
    EnterCriticalSection(&req->cs);
    if ((hr = check_response_state(req)) == S_OK && !(*body = decode_body(req))) hr = E_OUTOFMEMORY;
    LeaveCriticalSection(&req->cs);
    return set_error_info(hr);
}

static HRESULT WINAPI request_get_ResponseBody(IWinHttpRequest *iface, VARIANT *body)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    SAFEARRAY *sa;
    void *ptr;
    HRESULT hr;

    TRACE("%p, %p\n", req, body);

    if (!body) return set_error_info(E_INVALIDARG);
    EnterCriticalSection(&req->cs);
    if ((hr = check_response_state(req)) == S_OK)
    {
        if (!(sa = SafeArrayCreateVector(VT_UI1, 0, req->body_len))) hr = E_OUTOFMEMORY;
        else if (SUCCEEDED(hr = SafeArrayAccessData(sa, &ptr)))
        {
            if (req->body_len) memcpy(ptr, req->body, req->body_len);
            SafeArrayUnaccessData(sa);
            V_VT(body) = VT_ARRAY | VT_UI1;
            V_ARRAY(body) = sa;
        }
        else SafeArrayDestroy(sa);
    }
    LeaveCriticalSection(&req->cs);
    return set_error_info(hr);
}

static HRESULT WINAPI request_get_ResponseStream(IWinHttpRequest *iface, VARIANT *body)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    IStream *stream = NULL;
    LARGE_INTEGER zero;
    HRESULT hr;

    TRACE("%p, %p\n", req, body);

    if (!body) return set_error_info(E_INVALIDARG);
    EnterCriticalSection(&req->cs);
    /* Each call gets its own stream over a copy of the body, positioned at 0. */
    if ((hr = check_response_state(req)) == S_OK &&
        SUCCEEDED(hr = CreateStreamOnHGlobal(NULL, TRUE, &stream)) &&
        SUCCEEDED(hr = IStream_Write(stream, req->body, req->body_len, NULL)))
    {
        zero.QuadPart = 0;
        hr = IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL);
    }
    LeaveCriticalSection(&req->cs);
    if (SUCCEEDED(hr))
    {
        V_VT(body) = VT_UNKNOWN;
        V_UNKNOWN(body) = (IUnknown *)stream;
    }
    else if (stream) IStream_Release(stream);
    return set_error_info(hr);
}

static HRESULT get_bool_option(BOOL value, VARIANT *ret)
{
    V_VT(ret) = VT_BOOL;
    V_BOOL(ret) = value ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT get_long_option(LONG value, VARIANT *ret)
{
    V_VT(ret) = VT_I4;
    V_I4(ret) = value;
    return S_OK;
}

static HRESULT WINAPI request_get_Option(IWinHttpRequest *iface, WinHttpRequestOption option, VARIANT *value)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    HRESULT hr = S_OK;

    TRACE("%p, %d, %p\n", req, option, value);

    if (!value) return set_error_info(E_INVALIDARG);
    EnterCriticalSection(&req->cs);
    switch (option)
    {
    case WinHttpRequestOption_UserAgentString:
        V_VT(value) = VT_BSTR;
        if (!(V_BSTR(value) = SysAllocString(req->user_agent))) hr = E_OUTOFMEMORY;
        break;
    case WinHttpRequestOption_URL:
    {
        WCHAR *url = NULL;
        DWORD size = 0;
        if (req->state < REQUEST_STATE_OPEN)
        {
            hr = HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CALL_BEFORE_OPEN);
            break;
        }
        /* After a redirect, the URL the response came from. */
        if (req->request && req->state == REQUEST_STATE_RESPONSE_RECEIVED &&
            !WinHttpQueryOption(req->request, WINHTTP_OPTION_URL, NULL, &size) &&
            GetLastError() == ERROR_INSUFFICIENT_BUFFER && (url = malloc(size + sizeof(WCHAR))) &&
            !WinHttpQueryOption(req->request, WINHTTP_OPTION_URL, url, &size))
        {
            free(url);
            url = NULL;
        }
        V_VT(value) = VT_BSTR;
        if (!(V_BSTR(value) = SysAllocString(url ? url : req->url))) hr = E_OUTOFMEMORY;
        free(url);
        break;
    }
    case WinHttpRequestOption_URLCodePage:          hr = get_long_option(req->url_codepage, value); break;
    case WinHttpRequestOption_EscapePercentInURL:   hr = get_bool_option(req->escape_percent, value); break;
    case WinHttpRequestOption_SslErrorIgnoreFlags:  hr = get_long_option(req->ssl_ignore_flags, value); break;
    case WinHttpRequestOption_EnableRedirects:      hr = get_bool_option(req->enable_redirects, value); break;
    case WinHttpRequestOption_UrlEscapeDisable:     hr = get_bool_option(req->escape_disable, value); break;
    case WinHttpRequestOption_UrlEscapeDisableQuery: hr = get_bool_option(req->escape_disable_query, value); break;
    case WinHttpRequestOption_SecureProtocols:      hr = get_long_option(req->secure_protocols, value); break;
    case WinHttpRequestOption_EnableTracing:        hr = get_bool_option(req->tracing, value); break;
    case WinHttpRequestOption_RevertImpersonationOverSsl: hr = get_bool_option(req->revert_impersonation, value); break;
    case WinHttpRequestOption_EnableHttpsToHttpRedirects: hr = get_bool_option(req->https_to_http_redirects, value); break;
    case WinHttpRequestOption_EnablePassportAuthentication: hr = get_bool_option(req->passport, value); break;
    case WinHttpRequestOption_MaxAutomaticRedirects: hr = get_long_option(req->max_redirects, value); break;
    case WinHttpRequestOption_MaxResponseHeaderSize: hr = get_long_option(req->max_header_size, value); break;
    case WinHttpRequestOption_MaxResponseDrainSize: hr = get_long_option(req->max_drain_size, value); break;
    case WinHttpRequestOption_EnableHttp1_1:        hr = get_bool_option(req->http11, value); break;
    case WinHttpRequestOption_EnableCertificateRevocationCheck: hr = get_bool_option(req->revocation, value); break;
    case WinHttpRequestOption_SelectCertificate:    /* write-only */
    default:
        hr = E_INVALIDARG;
        break;
    }
    LeaveCriticalSection(&req->cs);
    return set_error_info(hr);
}

static HRESULT variant_to_long(const VARIANT *in, LONG *ret)
{
    VARIANT v;
    HRESULT hr;
    VariantInit(&v);
    if (FAILED(hr = VariantChangeType(&v, deref_variant(in), 0, VT_I4))) return hr;
    *ret = V_I4(&v);
    return S_OK;
}

static HRESULT variant_to_bool(const VARIANT *in, BOOL *ret)
{
    VARIANT v;
    HRESULT hr;
    VariantInit(&v);
    if (FAILED(hr = VariantChangeType(&v, deref_variant(in), 0, VT_BOOL))) return hr;
    *ret = V_BOOL(&v) != VARIANT_FALSE;
    return S_OK;
}

static HRESULT variant_to_bstr(const VARIANT *in, BSTR *ret)
{
    VARIANT v;
    HRESULT hr;
    VariantInit(&v);
    if (FAILED(hr = VariantChangeType(&v, deref_variant(in), 0, VT_BSTR))) return hr;
    *ret = V_BSTR(&v);
    return S_OK;
}

/* URLCodePage takes a number or a charset name ("utf-8"). */
static HRESULT codepage_from_variant(const VARIANT *in, UINT *cp)
{
    const VARIANT *v = deref_variant(in);
    LONG value;

    if (V_VT(v) == VT_BSTR)
    {
        if (!V_BSTR(v) || !(*cp = charset_codepage((const uint16_t *)V_BSTR(v), SysStringLen(V_BSTR(v)))) ||
            (*cp != CHARSET_CP_UTF16LE && *cp != CHARSET_CP_UTF16BE && !IsValidCodePage(*cp)))
            return E_INVALIDARG;
        return S_OK;
    }
    if (FAILED(variant_to_long(v, &value))) return E_INVALIDARG;
    *cp = value;
    return S_OK;
}

static HRESULT WINAPI request_put_Option(IWinHttpRequest *iface, WinHttpRequestOption option, VARIANT value)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    HRESULT hr = S_OK;
    BSTR str = NULL;
    LONG num;

    TRACE("%p, %d, %s\n", req, option, debugstr_variant(&value));

    EnterCriticalSection(&req->cs);
    switch (option)
    {
    case WinHttpRequestOption_UserAgentString:
        if (SUCCEEDED(hr = variant_to_bstr(&value, &str)) && !set_string(&req->user_agent, str ? str : L""))
            hr = E_OUTOFMEMORY;
        /* The agent goes on the session: the next exchange opens a new one. */
        if (SUCCEEDED(hr) && req->session && req->state != REQUEST_STATE_SENDING)
            WinHttpSetOption(req->session, WINHTTP_OPTION_USER_AGENT, req->user_agent, strlenW(req->user_agent));
        break;
    case WinHttpRequestOption_URLCodePage:
    {
        UINT cp;
        if (SUCCEEDED(hr = codepage_from_variant(&value, &cp))) req->url_codepage = cp;
        break;
    }
    case WinHttpRequestOption_EscapePercentInURL:   hr = variant_to_bool(&value, &req->escape_percent); break;
    case WinHttpRequestOption_SslErrorIgnoreFlags:
        if (SUCCEEDED(hr = variant_to_long(&value, &num)))
        {
            if (num & ~0x3300) hr = E_INVALIDARG;
            else req->ssl_ignore_flags = num;
        }
        break;
    case WinHttpRequestOption_SelectCertificate:
        if (SUCCEEDED(hr = variant_to_bstr(&value, &str)) && !set_string(&req->client_cert, str))
            hr = E_OUTOFMEMORY;
        break;
    case WinHttpRequestOption_EnableRedirects:      hr = variant_to_bool(&value, &req->enable_redirects); break;
    case WinHttpRequestOption_UrlEscapeDisable:     hr = variant_to_bool(&value, &req->escape_disable); break;
    case WinHttpRequestOption_UrlEscapeDisableQuery: hr = variant_to_bool(&value, &req->escape_disable_query); break;
    case WinHttpRequestOption_SecureProtocols:
        if (SUCCEEDED(hr = variant_to_long(&value, &num)))
        {
            req->secure_protocols = num;
            if (req->session)
                WinHttpSetOption(req->session, WINHTTP_OPTION_SECURE_PROTOCOLS, &req->secure_protocols, sizeof(DWORD));
        }
        break;
    case WinHttpRequestOption_EnableTracing:        hr = variant_to_bool(&value, &req->tracing); break;
    case WinHttpRequestOption_RevertImpersonationOverSsl: hr = variant_to_bool(&value, &req->revert_impersonation); break;
    case WinHttpRequestOption_EnableHttpsToHttpRedirects: hr = variant_to_bool(&value, &req->https_to_http_redirects); break;
    case WinHttpRequestOption_EnablePassportAuthentication: hr = variant_to_bool(&value, &req->passport); break;
    case WinHttpRequestOption_MaxAutomaticRedirects:
    case WinHttpRequestOption_MaxResponseHeaderSize:
    case WinHttpRequestOption_MaxResponseDrainSize:
        if (SUCCEEDED(hr = variant_to_long(&value, &num)))
        {
            if (num <= 0) hr = E_INVALIDARG;
            else if (option == WinHttpRequestOption_MaxAutomaticRedirects) req->max_redirects = num;
            else if (option == WinHttpRequestOption_MaxResponseHeaderSize) req->max_header_size = num;
            else req->max_drain_size = num;
        }
        break;
    case WinHttpRequestOption_EnableHttp1_1:        hr = variant_to_bool(&value, &req->http11); break;
    case WinHttpRequestOption_EnableCertificateRevocationCheck: hr = variant_to_bool(&value, &req->revocation); break;
    case WinHttpRequestOption_URL:                  /* read-only */
    default:
        hr = E_INVALIDARG;
        break;
    }
    LeaveCriticalSection(&req->cs);
    SysFreeString(str);
    return set_error_info(hr);
}

static HRESULT WINAPI request_WaitForResponse(IWinHttpRequest *iface, VARIANT timeout, VARIANT_BOOL *succeeded)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    const VARIANT *v = deref_variant(&timeout);
    LONG seconds = -1;
    DWORD ms, wait;
    HANDLE done = NULL;
    HRESULT hr = S_OK;

    TRACE("%p, %s, %p\n", req, debugstr_variant(&timeout), succeeded);

    /* Seconds, as any numeric VARIANT; missing or -1 waits for ever. */
    if (V_VT(v) != VT_ERROR && V_VT(v) != VT_EMPTY && FAILED(hr = variant_to_long(v, &seconds)))
        return set_error_info(hr);
    if (seconds < -1) return set_error_info(E_INVALIDARG);
    ms = seconds == -1 ? INFINITE : (DWORD)seconds * 1000;

    EnterCriticalSection(&req->cs);
    if (req->state == REQUEST_STATE_SENDING && req->done)
        DuplicateHandle(GetCurrentProcess(), req->done, GetCurrentProcess(), &done, 0, FALSE, DUPLICATE_SAME_ACCESS);
    else if (req->state < REQUEST_STATE_OPEN)
        hr = HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CALL_BEFORE_OPEN);
    LeaveCriticalSection(&req->cs);
    if (FAILED(hr)) return set_error_info(hr);

    if (done)
    {
        wait = WaitForSingleObject(done, ms);
        CloseHandle(done);
        if (wait != WAIT_OBJECT_0)
        {
            if (succeeded) *succeeded = VARIANT_FALSE;
            return set_error_info(S_OK);
        }
    }
    EnterCriticalSection(&req->cs);
    hr = req->send_hr;
    LeaveCriticalSection(&req->cs);
    if (succeeded) *succeeded = SUCCEEDED(hr) ? VARIANT_TRUE : VARIANT_FALSE;
    return set_error_info(hr);
}

static HRESULT WINAPI request_Abort(IWinHttpRequest *iface)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);

    TRACE("%p\n", req);

    cancel_exchange(req);
    EnterCriticalSection(&req->cs);
    free_open_params(req);
    free_response(req);
    req->send_hr = S_OK;
    req->state = REQUEST_STATE_INITIALIZED;
    LeaveCriticalSection(&req->cs);
    return set_error_info(S_OK);
}

static HRESULT WINAPI request_SetTimeouts(IWinHttpRequest *iface, LONG resolve, LONG connect, LONG send, LONG receive)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);

    TRACE("%p, %d, %d, %d, %d\n", req, resolve, connect, send, receive);

    if (resolve < -1 || connect < -1 || send < -1 || receive < -1) return set_error_info(E_INVALIDARG);
    EnterCriticalSection(&req->cs);
    req->resolve_timeout = resolve;
    req->connect_timeout = connect;
    req->send_timeout = send;
    req->receive_timeout = receive;
    LeaveCriticalSection(&req->cs);
    return set_error_info(S_OK);
}

static HRESULT WINAPI request_SetClientCertificate(IWinHttpRequest *iface, BSTR certificate)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    HRESULT hr = S_OK;

    TRACE("%p, %s\n", req, debugstr_w(certificate));

    if (!certificate) return set_error_info(E_INVALIDARG);
    EnterCriticalSection(&req->cs);
    if (!set_string(&req->client_cert, certificate)) hr = E_OUTOFMEMORY;
    LeaveCriticalSection(&req->cs);
    return set_error_info(hr);
}

static HRESULT WINAPI request_SetAutoLogonPolicy(IWinHttpRequest *iface, WinHttpRequestAutoLogonPolicy policy)
{
    struct http_request *req = impl_from_IWinHttpRequest(iface);
    DWORD level;

    TRACE("%p, %d\n", req, policy);

    switch (policy)
    {
    case AutoLogonPolicy_Always:            level = WINHTTP_AUTOLOGON_SECURITY_LEVEL_LOW; break;
    case AutoLogonPolicy_OnlyIfBypassProxy: level = WINHTTP_AUTOLOGON_SECURITY_LEVEL_MEDIUM; break;
    case AutoLogonPolicy_Never:             level = WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH; break;
    default: return set_error_info(E_INVALIDARG);
    }
    EnterCriticalSection(&req->cs);
    req->autologon_level = level;
    LeaveCriticalSection(&req->cs);
    return set_error_info(S_OK);
}

static const IWinHttpRequestVtbl request_vtbl =
{
    request_QueryInterface,
    request_AddRef,
    request_Release,
    request_GetTypeInfoCount,
    request_GetTypeInfo,
    request_GetIDsOfNames,
    request_Invoke,
    request_SetProxy,
    request_SetCredentials,
    request_Open,
    request_SetRequestHeader,
    request_GetResponseHeader,
    request_GetAllResponseHeaders,
    request_Send,
    request_get_Status,
    request_get_StatusText,
    request_get_ResponseText,
    request_get_ResponseBody,
    request_get_ResponseStream,
    request_get_Option,
    request_put_Option,
    request_WaitForResponse,
    request_Abort,
    request_SetTimeouts,
    request_SetClientCertificate,
    request_SetAutoLogonPolicy,
};

/* ------------------------------------------------------------------ */
/* IConnectionPointContainer / IConnectionPoint (IWinHttpRequestEvents)  */

static inline struct http_request *impl_from_IConnectionPointContainer(IConnectionPointContainer *iface)
{
    return CONTAINING_RECORD(iface, struct http_request, IConnectionPointContainer_iface);
}

static HRESULT WINAPI cpc_QueryInterface(IConnectionPointContainer *iface, REFIID riid, void **obj)
{
    return IWinHttpRequest_QueryInterface(&impl_from_IConnectionPointContainer(iface)->IWinHttpRequest_iface, riid, obj);
}

static ULONG WINAPI cpc_AddRef(IConnectionPointContainer *iface)
{
    return IWinHttpRequest_AddRef(&impl_from_IConnectionPointContainer(iface)->IWinHttpRequest_iface);
}

static ULONG WINAPI cpc_Release(IConnectionPointContainer *iface)
{
    return IWinHttpRequest_Release(&impl_from_IConnectionPointContainer(iface)->IWinHttpRequest_iface);
}

static HRESULT WINAPI cpc_EnumConnectionPoints(IConnectionPointContainer *iface, IEnumConnectionPoints **ret)
{
    FIXME("%p, %p: no enumerator\n", iface, ret);
    if (ret) *ret = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI cpc_FindConnectionPoint(IConnectionPointContainer *iface, REFIID riid, IConnectionPoint **cp)
{
    struct http_request *req = impl_from_IConnectionPointContainer(iface);

    TRACE("%p, %s, %p\n", req, debugstr_guid(riid), cp);
    if (!cp) return E_POINTER;
    if (!IsEqualGUID(riid, &IID_IWinHttpRequestEvents))
    {
        *cp = NULL;
        return CONNECT_E_NOCONNECTION;
    }
    *cp = &req->IConnectionPoint_iface;
    IConnectionPoint_AddRef(*cp);
    return S_OK;
}

static const IConnectionPointContainerVtbl cpc_vtbl =
{
    cpc_QueryInterface,
    cpc_AddRef,
    cpc_Release,
    cpc_EnumConnectionPoints,
    cpc_FindConnectionPoint,
};

static inline struct http_request *impl_from_IConnectionPoint(IConnectionPoint *iface)
{
    return CONTAINING_RECORD(iface, struct http_request, IConnectionPoint_iface);
}

static HRESULT WINAPI cp_QueryInterface(IConnectionPoint *iface, REFIID riid, void **obj)
{
    if (!obj) return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IConnectionPoint))
    {
        *obj = iface;
        IConnectionPoint_AddRef(iface);
        return S_OK;
    }
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI cp_AddRef(IConnectionPoint *iface)
{
    return IWinHttpRequest_AddRef(&impl_from_IConnectionPoint(iface)->IWinHttpRequest_iface);
}

static ULONG WINAPI cp_Release(IConnectionPoint *iface)
{
    return IWinHttpRequest_Release(&impl_from_IConnectionPoint(iface)->IWinHttpRequest_iface);
}

static HRESULT WINAPI cp_GetConnectionInterface(IConnectionPoint *iface, IID *iid)
{
    if (!iid) return E_POINTER;
    *iid = IID_IWinHttpRequestEvents;
    return S_OK;
}

static HRESULT WINAPI cp_GetConnectionPointContainer(IConnectionPoint *iface, IConnectionPointContainer **cpc)
{
    struct http_request *req = impl_from_IConnectionPoint(iface);
    if (!cpc) return E_POINTER;
    *cpc = &req->IConnectionPointContainer_iface;
    IConnectionPointContainer_AddRef(*cpc);
    return S_OK;
}

static HRESULT WINAPI cp_Advise(IConnectionPoint *iface, IUnknown *sink, DWORD *cookie)
{
    struct http_request *req = impl_from_IConnectionPoint(iface);
    IWinHttpRequestEvents *events;
    unsigned int i;

    TRACE("%p, %p, %p\n", req, sink, cookie);
    if (!sink || !cookie) return E_POINTER;
    if (FAILED(IUnknown_QueryInterface(sink, &IID_IWinHttpRequestEvents, (void **)&events)))
        return CONNECT_E_CANNOTCONNECT;
    EnterCriticalSection(&req->cs);
    for (i = 0; i < MAX_SINKS; i++) if (!req->sinks[i]) break;
    if (i < MAX_SINKS) req->sinks[i] = events;
    LeaveCriticalSection(&req->cs);
    if (i == MAX_SINKS)
    {
        IWinHttpRequestEvents_Release(events);
        return CONNECT_E_ADVISELIMIT;
    }
    *cookie = i + 1;
    return S_OK;
}

static HRESULT WINAPI cp_Unadvise(IConnectionPoint *iface, DWORD cookie)
{
    struct http_request *req = impl_from_IConnectionPoint(iface);
    IWinHttpRequestEvents *events = NULL;

    TRACE("%p, %u\n", req, cookie);
    EnterCriticalSection(&req->cs);
    if (cookie >= 1 && cookie <= MAX_SINKS)
    {
        events = req->sinks[cookie - 1];
        req->sinks[cookie - 1] = NULL;
    }
    LeaveCriticalSection(&req->cs);
    if (!events) return CONNECT_E_NOCONNECTION;
    IWinHttpRequestEvents_Release(events);
    return S_OK;
}

static HRESULT WINAPI cp_EnumConnections(IConnectionPoint *iface, IEnumConnections **ret)
{
    FIXME("%p, %p: no enumerator\n", iface, ret);
    if (ret) *ret = NULL;
    return E_NOTIMPL;
}

static const IConnectionPointVtbl cp_vtbl =
{
    cp_QueryInterface,
    cp_AddRef,
    cp_Release,
    cp_GetConnectionInterface,
    cp_GetConnectionPointContainer,
    cp_Advise,
    cp_Unadvise,
    cp_EnumConnections,
};

/* ------------------------------------------------------------------ */
/* ISupportErrorInfo, IProvideClassInfo                                 */

static inline struct http_request *impl_from_ISupportErrorInfo(ISupportErrorInfo *iface)
{
    return CONTAINING_RECORD(iface, struct http_request, ISupportErrorInfo_iface);
}

static HRESULT WINAPI sei_QueryInterface(ISupportErrorInfo *iface, REFIID riid, void **obj)
{
    return IWinHttpRequest_QueryInterface(&impl_from_ISupportErrorInfo(iface)->IWinHttpRequest_iface, riid, obj);
}

static ULONG WINAPI sei_AddRef(ISupportErrorInfo *iface)
{
    return IWinHttpRequest_AddRef(&impl_from_ISupportErrorInfo(iface)->IWinHttpRequest_iface);
}

static ULONG WINAPI sei_Release(ISupportErrorInfo *iface)
{
    return IWinHttpRequest_Release(&impl_from_ISupportErrorInfo(iface)->IWinHttpRequest_iface);
}

static HRESULT WINAPI sei_InterfaceSupportsErrorInfo(ISupportErrorInfo *iface, REFIID riid)
{
    return IsEqualGUID(riid, &IID_IWinHttpRequest) ? S_OK : S_FALSE;
}

static const ISupportErrorInfoVtbl sei_vtbl =
{
    sei_QueryInterface,
    sei_AddRef,
    sei_Release,
    sei_InterfaceSupportsErrorInfo,
};

static inline struct http_request *impl_from_IProvideClassInfo(IProvideClassInfo *iface)
{
    return CONTAINING_RECORD(iface, struct http_request, IProvideClassInfo_iface);
}

static HRESULT WINAPI pci_QueryInterface(IProvideClassInfo *iface, REFIID riid, void **obj)
{
    return IWinHttpRequest_QueryInterface(&impl_from_IProvideClassInfo(iface)->IWinHttpRequest_iface, riid, obj);
}

static ULONG WINAPI pci_AddRef(IProvideClassInfo *iface)
{
    return IWinHttpRequest_AddRef(&impl_from_IProvideClassInfo(iface)->IWinHttpRequest_iface);
}

static ULONG WINAPI pci_Release(IProvideClassInfo *iface)
{
    return IWinHttpRequest_Release(&impl_from_IProvideClassInfo(iface)->IWinHttpRequest_iface);
}

static HRESULT WINAPI pci_GetClassInfo(IProvideClassInfo *iface, ITypeInfo **info)
{
    if (!info) return E_POINTER;
    return get_typeinfo(&CLSID_WinHttpRequest, info);
}

static const IProvideClassInfoVtbl pci_vtbl =
{
    pci_QueryInterface,
    pci_AddRef,
    pci_Release,
    pci_GetClassInfo,
};

/* ------------------------------------------------------------------ */
/* creation and the class factory                                       */

static HRESULT create_request(void **obj)
{
    struct http_request *req;

    if (!(req = calloc(1, sizeof(*req)))) return E_OUTOFMEMORY;
    req->IWinHttpRequest_iface.lpVtbl = &request_vtbl;
    req->IConnectionPointContainer_iface.lpVtbl = &cpc_vtbl;
    req->IConnectionPoint_iface.lpVtbl = &cp_vtbl;
    req->ISupportErrorInfo_iface.lpVtbl = &sei_vtbl;
    req->IProvideClassInfo_iface.lpVtbl = &pci_vtbl;
    req->refs = 1;
    InitializeCriticalSection(&req->cs);
    /* Wine 10, like Windows 8 and later, leaves DebugInfo at (void *)-1. */
    if (req->cs.DebugInfo && req->cs.DebugInfo != (void *)-1)
        req->cs.DebugInfo->Spare[0] = (DWORD_PTR)(__FILE__ ": http_request.cs");

    /* Windows' defaults (IWinHttpRequest::Option, SetTimeouts reference). */
    req->user_agent = strdupW(L"Mozilla/4.0 (compatible; Win32; WinHttp.WinHttpRequest.5)");
    req->url_codepage = CP_UTF8;
    req->enable_redirects = TRUE;
    req->http11 = TRUE;
    req->revert_impersonation = TRUE;
    req->secure_protocols = WINHTTP_FLAG_SECURE_PROTOCOL_TLS1 | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_1 |
                            WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2;
    req->max_redirects = 10;
    req->max_header_size = 64 * 1024;
    req->max_drain_size = 1024 * 1024;
    req->proxy_setting = HTTPREQUEST_PROXYSETTING_PRECONFIG;
    req->resolve_timeout = 0;
    req->connect_timeout = 60000;
    req->send_timeout = 30000;
    req->receive_timeout = 30000;
    req->autologon_level = WINHTTP_AUTOLOGON_SECURITY_LEVEL_MEDIUM;
    if (!req->user_agent)
    {
        IWinHttpRequest_Release(&req->IWinHttpRequest_iface);
        return E_OUTOFMEMORY;
    }
    InterlockedIncrement(&object_count);
    *obj = &req->IWinHttpRequest_iface;
    TRACE("created %p\n", req);
    return S_OK;
}

static HRESULT WINAPI factory_QueryInterface(IClassFactory *iface, REFIID riid, void **obj)
{
    if (!obj) return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IClassFactory))
    {
        *obj = iface;
        return S_OK;
    }
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI factory_AddRef(IClassFactory *iface) { return 2; }
static ULONG WINAPI factory_Release(IClassFactory *iface) { return 1; }

static HRESULT WINAPI factory_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid, void **obj)
{
    IWinHttpRequest *req;
    HRESULT hr;

    TRACE("%p, %p, %s, %p\n", iface, outer, debugstr_guid(riid), obj);
    if (!obj) return E_POINTER;
    *obj = NULL;
    if (outer) return CLASS_E_NOAGGREGATION;
    if (FAILED(hr = create_request((void **)&req))) return hr;
    hr = IWinHttpRequest_QueryInterface(req, riid, obj);
    IWinHttpRequest_Release(req);
    return hr;
}

static HRESULT WINAPI factory_LockServer(IClassFactory *iface, BOOL lock)
{
    TRACE("%p, %d\n", iface, lock);
    if (lock) InterlockedIncrement(&server_locks);
    else InterlockedDecrement(&server_locks);
    return S_OK;
}

static const IClassFactoryVtbl factory_vtbl =
{
    factory_QueryInterface,
    factory_AddRef,
    factory_Release,
    factory_CreateInstance,
    factory_LockServer,
};

static IClassFactory request_factory = { &factory_vtbl };

/* DllGetClassObject's part for the one class this DLL serves. */
HRESULT httprequest_get_class_object(REFCLSID clsid, REFIID riid, void **obj)
{
    if (!IsEqualGUID(clsid, &CLSID_WinHttpRequest)) return CLASS_E_CLASSNOTAVAILABLE;
    return IClassFactory_QueryInterface(&request_factory, riid, obj);
}

BOOL httprequest_in_use(void)
{
    return object_count || server_locks;
}

/* ------------------------------------------------------------------ */
/* registration                                                         */

static const WCHAR clsid_str[] = L"{2087C2F4-2CEF-4953-A8AB-66779B670495}";
static const WCHAR libid_str[] = L"{662901FC-6951-4854-9EB2-D9A2570F2B2E}";
static const WCHAR class_desc[] = L"WinHttpRequest component of Microsoft WinHTTP Services, version 5.1";
static const WCHAR progid[] = L"WinHttp.WinHttpRequest.5.1";
static const WCHAR vi_progid[] = L"WinHttp.WinHttpRequest";

/* Key a\\b (b may be NULL), value name, value. */
static LSTATUS set_key_value(HKEY root, const WCHAR *a, const WCHAR *b, const WCHAR *name, const WCHAR *value)
{
    struct strbuf sb = { 0 };
    WCHAR *path;
    HKEY key;
    LSTATUS ret;

    strbuf_append(&sb, a);
    if (b) { strbuf_append(&sb, L"\\"); strbuf_append(&sb, b); }
    if (!(path = strbuf_detach(&sb))) return ERROR_OUTOFMEMORY;
    ret = RegCreateKeyExW(root, path, 0, NULL, 0, KEY_WRITE, NULL, &key, NULL);
    free(path);
    if (ret) return ret;
    ret = RegSetValueExW(key, name, 0, REG_SZ, (const BYTE *)value, (strlenW(value) + 1) * sizeof(WCHAR));
    RegCloseKey(key);
    return ret;
}

HRESULT httprequest_register(HINSTANCE instance)
{
    WCHAR path[MAX_PATH];
    static const WCHAR clsid_key[] = L"CLSID\\{2087C2F4-2CEF-4953-A8AB-66779B670495}";
    ITypeLib *typelib;
    LSTATUS ret = 0;
    HRESULT hr;

    if (!GetModuleFileNameW(instance, path, ARRAY_SIZE(path))) return HRESULT_FROM_WIN32(GetLastError());
    TRACE("registering %s from %s\n", debugstr_w(clsid_str), debugstr_w(path));

    ret = set_key_value(HKEY_CLASSES_ROOT, clsid_key, NULL, NULL, class_desc);
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, clsid_key, L"InprocServer32", NULL, path);
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, clsid_key, L"InprocServer32", L"ThreadingModel", L"Apartment");
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, clsid_key, L"ProgID", NULL, progid);
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, clsid_key, L"VersionIndependentProgID", NULL, vi_progid);
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, clsid_key, L"TypeLib", NULL, libid_str);
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, clsid_key, L"Version", NULL, L"5.1");
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, progid, NULL, NULL, class_desc);
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, progid, L"CLSID", NULL, clsid_str);
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, vi_progid, NULL, NULL, class_desc);
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, vi_progid, L"CLSID", NULL, clsid_str);
    if (!ret) ret = set_key_value(HKEY_CLASSES_ROOT, vi_progid, L"CurVer", NULL, progid);
    if (ret) return HRESULT_FROM_WIN32(ret);

    /* The type library, and with it the dual interface for the universal marshaler. */
    if (FAILED(hr = load_typelib(TRUE, &typelib))) return hr;
    ITypeLib_Release(typelib);
    return S_OK;
}

HRESULT httprequest_unregister(void)
{
    RegDeleteTreeW(HKEY_CLASSES_ROOT, L"CLSID\\{2087C2F4-2CEF-4953-A8AB-66779B670495}");
    RegDeleteTreeW(HKEY_CLASSES_ROOT, progid);
    RegDeleteTreeW(HKEY_CLASSES_ROOT, vi_progid);
    UnRegisterTypeLib(&LIBID_WinHttp, 5, 1, LOCALE_NEUTRAL, SYS_WIN64);
    return S_OK;
}
