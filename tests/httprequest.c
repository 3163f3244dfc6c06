/*
 * WinHttp.WinHttpRequest.5.1 (IWinHttpRequest) against the peers on loopback:
 * through the vtable as a C/C++ program calls it, and through
 * IDispatch::Invoke as a script engine does.  Each function checks one
 * documented behaviour of Microsoft's IWinHttpRequest reference: the states
 * (Open, Send, WaitForResponse, Abort) and their errors, the request body
 * forms, the response forms (text by charset, bytes, stream, headers), the
 * options, proxies, credentials, timeouts, events and the type library.
 */
#define COBJMACROS
#define CONST_VTABLE
#include <winsock2.h>
#include "test.h"
#include "peers.h"
#include <winhttp.h>
#include <ole2.h>
#include <olectl.h>
#include <ocidl.h>
#include <wincrypt.h>
#include <initguid.h>
#include "winhttp_tlb.h"

static int nginx_port, scripted_port, squid_port, closed_port;

#define HR_TIMEOUT       HRESULT_FROM_WIN32(ERROR_WINHTTP_TIMEOUT)            /* 0x80072ee2 */
#define HR_BEFORE_OPEN   HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CALL_BEFORE_OPEN)
#define HR_BEFORE_SEND   HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CALL_BEFORE_SEND)
#define HR_AFTER_SEND    HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CALL_AFTER_SEND)

#define ok_hr(got, expect) do { HRESULT g_ = (got), e_ = (expect); \
    test_report(g_ == e_, __FILE__, __LINE__, "%s: expected %#lx, got %#lx", #got, (unsigned long)e_, (unsigned long)g_); } while (0)

static IWinHttpRequest *create_request(void)
{
    IWinHttpRequest *req = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_WinHttpRequest, NULL, CLSCTX_INPROC_SERVER, &IID_IWinHttpRequest, (void **)&req);
    ok(hr == S_OK, "CoCreateInstance: %#lx\n", hr);
    return req;
}

static BSTR bstr_printf(const char *fmt, ...)
{
    char buf[1024];
    WCHAR wbuf[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);
    MultiByteToWideChar(CP_UTF8, 0, buf, -1, wbuf, ARRAYSIZE(wbuf));
    return SysAllocString(wbuf);
}

static VARIANT var_bool(BOOL b) { VARIANT v; V_VT(&v) = VT_BOOL; V_BOOL(&v) = b ? VARIANT_TRUE : VARIANT_FALSE; return v; }
static VARIANT var_i4(LONG i) { VARIANT v; V_VT(&v) = VT_I4; V_I4(&v) = i; return v; }
static VARIANT var_missing(void) { VARIANT v; V_VT(&v) = VT_ERROR; V_ERROR(&v) = DISP_E_PARAMNOTFOUND; return v; }

/* Open METHOD URL (printf-style) with Async = async. */
static HRESULT open_url(IWinHttpRequest *req, const char *method, BOOL async, const char *fmt, ...)
{
    char buf[1024];
    BSTR m, u;
    va_list args;
    HRESULT hr;

    va_start(args, fmt);
    vsnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);
    m = bstr_printf("%s", method);
    u = bstr_printf("%s", buf);
    hr = IWinHttpRequest_Open(req, m, u, var_bool(async));
    SysFreeString(m);
    SysFreeString(u);
    return hr;
}

/* The response as UTF-8 (ResponseText), caller frees. */
static char *response_text(IWinHttpRequest *req)
{
    BSTR text = NULL;
    char *ret;
    int n;
    if (IWinHttpRequest_get_ResponseText(req, &text) != S_OK) return NULL;
    n = WideCharToMultiByte(CP_UTF8, 0, text, SysStringLen(text), NULL, 0, NULL, NULL);
    ret = malloc(n + 1);
    WideCharToMultiByte(CP_UTF8, 0, text, SysStringLen(text), ret, n, NULL, NULL);
    ret[n] = 0;
    SysFreeString(text);
    return ret;
}

static LONG response_status(IWinHttpRequest *req)
{
    LONG status = -1;
    HRESULT hr = IWinHttpRequest_get_Status(req, &status);
    return hr == S_OK ? status : -1;
}

static const char *S(const char *s) { return s ? s : "(null)"; }

static BOOL peers_here(void)
{
    if (nginx_port && scripted_port) return TRUE;
    skip("no peers (run through tools/run-tests)\n");
    return FALSE;
}

/* ------------------------------------------------------------------ */

static void test_interfaces(void)
{
    IWinHttpRequest *req = create_request();
    IDispatch *disp;
    IConnectionPointContainer *cpc;
    IConnectionPoint *cp;
    ISupportErrorInfo *sei;
    IUnknown *unk;
    CLSID clsid;
    HRESULT hr;

    if (!req) return;
    ok_hr(CLSIDFromProgID(L"WinHttp.WinHttpRequest.5.1", &clsid), S_OK);
    ok(IsEqualGUID(&clsid, &CLSID_WinHttpRequest), "ProgID names another class\n");

    ok_hr(IWinHttpRequest_QueryInterface(req, &IID_IDispatch, (void **)&disp), S_OK);
    ok((void *)disp == (void *)req, "IDispatch is the dual interface\n");
    IDispatch_Release(disp);
    ok_hr(IWinHttpRequest_QueryInterface(req, &IID_IUnknown, (void **)&unk), S_OK);
    IUnknown_Release(unk);
    ok_hr(IWinHttpRequest_QueryInterface(req, &IID_IStream, (void **)&unk), E_NOINTERFACE);
    ok_hr(IWinHttpRequest_QueryInterface(req, &IID_ISupportErrorInfo, (void **)&sei), S_OK);
    ok_hr(ISupportErrorInfo_InterfaceSupportsErrorInfo(sei, &IID_IWinHttpRequest), S_OK);
    ISupportErrorInfo_Release(sei);

    hr = IWinHttpRequest_QueryInterface(req, &IID_IConnectionPointContainer, (void **)&cpc);
    ok_hr(hr, S_OK);
    if (hr == S_OK)
    {
        ok_hr(IConnectionPointContainer_FindConnectionPoint(cpc, &IID_IWinHttpRequestEvents, &cp), S_OK);
        IConnectionPoint_Release(cp);
        ok_hr(IConnectionPointContainer_FindConnectionPoint(cpc, &IID_IDispatch, &cp), CONNECT_E_NOCONNECTION);
        IConnectionPointContainer_Release(cpc);
    }
    ok(IWinHttpRequest_Release(req) == 0, "object still referenced\n");
}

static void test_typeinfo(void)
{
    static const struct { const WCHAR *name; DISPID id; } names[] =
    {
        { L"Open", DISPID_HTTPREQUEST_OPEN }, { L"setrequestheader", DISPID_HTTPREQUEST_SETREQUESTHEADER },
        { L"GetResponseHeader", DISPID_HTTPREQUEST_GETRESPONSEHEADER },
        { L"GetAllResponseHeaders", DISPID_HTTPREQUEST_GETALLRESPONSEHEADERS },
        { L"SEND", DISPID_HTTPREQUEST_SEND }, { L"Option", DISPID_HTTPREQUEST_OPTION },
        { L"Status", DISPID_HTTPREQUEST_STATUS }, { L"StatusText", DISPID_HTTPREQUEST_STATUSTEXT },
        { L"ResponseText", DISPID_HTTPREQUEST_RESPONSETEXT }, { L"ResponseBody", DISPID_HTTPREQUEST_RESPONSEBODY },
        { L"ResponseStream", DISPID_HTTPREQUEST_RESPONSESTREAM }, { L"Abort", DISPID_HTTPREQUEST_ABORT },
        { L"SetProxy", DISPID_HTTPREQUEST_SETPROXY }, { L"SetCredentials", DISPID_HTTPREQUEST_SETCREDENTIALS },
        { L"WaitForResponse", DISPID_HTTPREQUEST_WAITFORRESPONSE }, { L"SetTimeouts", DISPID_HTTPREQUEST_SETTIMEOUTS },
        { L"SetClientCertificate", DISPID_HTTPREQUEST_SETCLIENTCERTIFICATE },
        { L"SetAutoLogonPolicy", DISPID_HTTPREQUEST_SETAUTOLOGONPOLICY },
    };
    IWinHttpRequest *req = create_request();
    ITypeInfo *info = NULL;
    TYPEATTR *attr;
    BSTR name = NULL;
    UINT count = 0;
    unsigned int i;
    DISPID id;
    HRESULT hr;

    if (!req) return;
    ok_hr(IWinHttpRequest_GetTypeInfoCount(req, &count), S_OK);
    ok_u(count, 1);
    for (i = 0; i < ARRAYSIZE(names); i++)
    {
        LPOLESTR n = (LPOLESTR)names[i].name;
        id = -5;
        ok_hr(IWinHttpRequest_GetIDsOfNames(req, &IID_NULL, &n, 1, LOCALE_USER_DEFAULT, &id), S_OK);
        ok(id == names[i].id, "%ls: expected DISPID %ld, got %ld\n", (const wchar_t *)names[i].name, names[i].id, id);
    }
    {
        LPOLESTR n = (LPOLESTR)L"NoSuchMember";
        ok_hr(IWinHttpRequest_GetIDsOfNames(req, &IID_NULL, &n, 1, LOCALE_USER_DEFAULT, &id), DISP_E_UNKNOWNNAME);
    }

    hr = IWinHttpRequest_GetTypeInfo(req, 0, LOCALE_USER_DEFAULT, &info);
    ok_hr(hr, S_OK);
    if (hr != S_OK) goto done;
    ok_hr(ITypeInfo_GetTypeAttr(info, &attr), S_OK);
    ok(IsEqualGUID(&attr->guid, &IID_IWinHttpRequest), "type info of another interface\n");
    ok(attr->wTypeFlags & TYPEFLAG_FDUAL, "IWinHttpRequest is dual\n");
    ITypeInfo_ReleaseTypeAttr(info, attr);
    ok_hr(ITypeInfo_GetDocumentation(info, MEMBERID_NIL, &name, NULL, NULL, NULL), S_OK);
    ok_wstr(name, L"IWinHttpRequest");
    SysFreeString(name);
    /* The type library knows the same DISPIDs. */
    {
        LPOLESTR n = (LPOLESTR)L"WaitForResponse";
        ok_hr(ITypeInfo_GetIDsOfNames(info, &n, 1, &id), S_OK);
        ok_u(id, DISPID_HTTPREQUEST_WAITFORRESPONSE);
    }
    ITypeInfo_Release(info);
    ok_hr(IWinHttpRequest_GetTypeInfo(req, 1, LOCALE_USER_DEFAULT, &info), DISP_E_BADINDEX);
done:
    IWinHttpRequest_Release(req);
}

/* The documented errors of calls in the wrong state. */
static void test_states(void)
{
    IWinHttpRequest *req = create_request();
    BSTR name = SysAllocString(L"X-Test"), value = SysAllocString(L"1"), str = NULL;
    VARIANT_BOOL done = 5;
    LONG status;

    if (!req) return;
    ok_hr(IWinHttpRequest_Send(req, var_missing()), HR_BEFORE_OPEN);
    ok_hr(IWinHttpRequest_SetRequestHeader(req, name, value), HR_BEFORE_OPEN);
    ok_hr(IWinHttpRequest_SetRequestHeader(req, NULL, value), E_INVALIDARG);
    ok_hr(IWinHttpRequest_get_Status(req, &status), HR_BEFORE_SEND);
    ok_hr(IWinHttpRequest_get_ResponseText(req, &str), HR_BEFORE_SEND);
    ok_hr(IWinHttpRequest_GetAllResponseHeaders(req, &str), HR_BEFORE_SEND);
    ok_hr(IWinHttpRequest_get_Status(req, NULL), E_INVALIDARG);
    ok_hr(IWinHttpRequest_WaitForResponse(req, var_i4(1), &done), HR_BEFORE_OPEN);
    ok_hr(IWinHttpRequest_SetCredentials(req, name, value, HTTPREQUEST_SETCREDENTIALS_FOR_SERVER), HR_BEFORE_OPEN);
    ok_hr(IWinHttpRequest_Abort(req), S_OK);

    /* Settings are allowed before Open. */
    ok_hr(IWinHttpRequest_SetTimeouts(req, 1000, 2000, 3000, 4000), S_OK);
    ok_hr(IWinHttpRequest_SetTimeouts(req, -2, 0, 0, 0), E_INVALIDARG);
    ok_hr(IWinHttpRequest_SetAutoLogonPolicy(req, AutoLogonPolicy_Never), S_OK);
    ok_hr(IWinHttpRequest_SetAutoLogonPolicy(req, 3), E_INVALIDARG);
    ok_hr(IWinHttpRequest_SetProxy(req, 3, var_missing(), var_missing()), E_INVALIDARG);

    ok_hr(open_url(req, "GET", FALSE, "ftp://127.0.0.1/"), HRESULT_FROM_WIN32(ERROR_WINHTTP_UNRECOGNIZED_SCHEME));
    ok_hr(open_url(req, "GET", FALSE, "http://"), HRESULT_FROM_WIN32(ERROR_WINHTTP_INVALID_URL));
    ok_hr(IWinHttpRequest_Open(req, NULL, name, var_missing()), E_INVALIDARG);
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/static/small.txt", nginx_port ? nginx_port : 1), S_OK);
    ok_hr(IWinHttpRequest_SetRequestHeader(req, name, value), S_OK);
    ok_hr(IWinHttpRequest_get_Status(req, &status), HR_BEFORE_SEND);
    ok_hr(IWinHttpRequest_SetCredentials(req, NULL, value, HTTPREQUEST_SETCREDENTIALS_FOR_SERVER), E_INVALIDARG);
    ok_hr(IWinHttpRequest_SetCredentials(req, name, value, 2), E_INVALIDARG);
    {
        BSTR bad = SysAllocString(L"Bad Name");
        ok_hr(IWinHttpRequest_SetRequestHeader(req, bad, value), HRESULT_FROM_WIN32(ERROR_WINHTTP_INVALID_HEADER));
        SysFreeString(bad);
    }
    /* Abort forgets the Open. */
    ok_hr(IWinHttpRequest_Abort(req), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), HR_BEFORE_OPEN);

    if (peers_here())
    {
        ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/static/small.txt", nginx_port), S_OK);
        ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
        ok_hr(IWinHttpRequest_SetRequestHeader(req, name, value), HR_AFTER_SEND);
        /* A synchronous request is complete: WaitForResponse says so at once. */
        done = 5;
        ok_hr(IWinHttpRequest_WaitForResponse(req, var_i4(0), &done), S_OK);
        ok(done == VARIANT_TRUE, "WaitForResponse: got %d\n", done);
        /* Send again: a new exchange of the same request. */
        ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
        ok_u(response_status(req), 200);
    }
    SysFreeString(name);
    SysFreeString(value);
    IWinHttpRequest_Release(req);
}

static void test_sync_get(void)
{
    IWinHttpRequest *req;
    BSTR str = NULL, name;
    VARIANT body, body2;
    IStream *stream;
    char buf[64], *text;
    ULONG read = 0;

    if (!peers_here() || !(req = create_request())) return;
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/static/small.txt", nginx_port), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 200);
    ok_hr(IWinHttpRequest_get_StatusText(req, &str), S_OK);
    ok_wstr(str, L"OK");
    SysFreeString(str);

    text = response_text(req);
    ok(text && !strcmp(text, PEER_SMALL_TEXT), "ResponseText: got %s\n", S(text));
    free(text);
    /* The length is the text's, without a terminating NUL. */
    ok_hr(IWinHttpRequest_get_ResponseText(req, &str), S_OK);
    ok_u(SysStringLen(str), PEER_SMALL_LEN);
    SysFreeString(str);

    VariantInit(&body);
    ok_hr(IWinHttpRequest_get_ResponseBody(req, &body), S_OK);
    ok_u(V_VT(&body), VT_ARRAY | VT_UI1);
    if (V_VT(&body) == (VT_ARRAY | VT_UI1))
    {
        LONG lb = -1, ub = -1;
        void *data;
        SafeArrayGetLBound(V_ARRAY(&body), 1, &lb);
        SafeArrayGetUBound(V_ARRAY(&body), 1, &ub);
        ok(lb == 0 && ub == PEER_SMALL_LEN - 1, "bounds %ld..%ld\n", lb, ub);
        SafeArrayAccessData(V_ARRAY(&body), &data);
        ok(!memcmp(data, PEER_SMALL_TEXT, PEER_SMALL_LEN), "ResponseBody differs\n");
        SafeArrayUnaccessData(V_ARRAY(&body));
    }
    VariantClear(&body);

    VariantInit(&body);
    VariantInit(&body2);
    ok_hr(IWinHttpRequest_get_ResponseStream(req, &body), S_OK);
    ok_hr(IWinHttpRequest_get_ResponseStream(req, &body2), S_OK);
    ok_u(V_VT(&body), VT_UNKNOWN);
    ok(V_UNKNOWN(&body) != V_UNKNOWN(&body2), "each ResponseStream is a new stream\n");
    if (V_VT(&body) == VT_UNKNOWN && IUnknown_QueryInterface(V_UNKNOWN(&body), &IID_IStream, (void **)&stream) == S_OK)
    {
        memset(buf, 0, sizeof(buf));
        ok_hr(IStream_Read(stream, buf, sizeof(buf), &read), S_OK);
        ok(read == PEER_SMALL_LEN && !memcmp(buf, PEER_SMALL_TEXT, read), "stream: %lu bytes %s\n", read, buf);
        IStream_Release(stream);
    }
    VariantClear(&body);
    VariantClear(&body2);

    name = SysAllocString(L"content-length");
    ok_hr(IWinHttpRequest_GetResponseHeader(req, name, &str), S_OK);
    ok_wstr(str, L"15");
    SysFreeString(str);
    SysFreeString(name);
    name = SysAllocString(L"X-Not-There");
    ok_hr(IWinHttpRequest_GetResponseHeader(req, name, &str), HRESULT_FROM_WIN32(ERROR_WINHTTP_HEADER_NOT_FOUND));
    SysFreeString(name);

    ok_hr(IWinHttpRequest_GetAllResponseHeaders(req, &str), S_OK);
    ok(str && wcsncmp(str, L"HTTP/", 5), "headers start with the status line: %ls\n", str);
    ok(str && wcsstr(str, L"Content-Length: 15\r\n"), "no Content-Length line: %ls\n", str);
    ok(str && SysStringLen(str) == wcslen(str), "BSTR length %u counts a NUL\n", str ? SysStringLen(str) : 0);
    SysFreeString(str);
    IWinHttpRequest_Release(req);
}

/* What /echo saw (the request head and body) for a POST of BODY. */
static char *echo_post(VARIANT body, const WCHAR *content_type)
{
    IWinHttpRequest *req = create_request();
    char *text;

    if (!req) return NULL;
    ok_hr(open_url(req, "POST", FALSE, "http://127.0.0.1:%d/echo", scripted_port), S_OK);
    if (content_type)
    {
        BSTR n = SysAllocString(L"Content-Type"), v = SysAllocString(content_type);
        ok_hr(IWinHttpRequest_SetRequestHeader(req, n, v), S_OK);
        SysFreeString(n);
        SysFreeString(v);
    }
    ok_hr(IWinHttpRequest_Send(req, body), S_OK);
    ok_u(response_status(req), 200);
    /* /echo answers text/plain without a charset: read the bytes. */
    {
        VARIANT bytes;
        VariantInit(&bytes);
        text = NULL;
        if (IWinHttpRequest_get_ResponseBody(req, &bytes) == S_OK)
        {
            LONG ub = -1;
            void *data;
            SafeArrayGetUBound(V_ARRAY(&bytes), 1, &ub);
            text = malloc(ub + 2);
            SafeArrayAccessData(V_ARRAY(&bytes), &data);
            memcpy(text, data, ub + 1);
            text[ub + 1] = 0;
            SafeArrayUnaccessData(V_ARRAY(&bytes));
            VariantClear(&bytes);
        }
    }
    IWinHttpRequest_Release(req);
    return text;
}

static const char *echo_body(const char *echo)
{
    const char *p = echo ? strstr(echo, "\r\n\r\n") : NULL;
    return p ? p + 4 : "";
}

static void test_send_bodies(void)
{
    VARIANT body;
    SAFEARRAY *sa;
    IStream *stream;
    char *echo;
    void *data;

    if (!peers_here()) return;

    /* A string goes as UTF-8, labelled so. */
    V_VT(&body) = VT_BSTR;
    V_BSTR(&body) = SysAllocString(L"caf\x00e9 \x20ac");
    echo = echo_post(body, NULL);
    ok(echo && !strcmp(echo_body(echo), "caf\xc3\xa9 \xe2\x82\xac"), "UTF-8 body: %s\n", S(echo));
    ok(echo && strstr(echo, "Content-Type: text/plain; Charset=UTF-8\r\n"), "no text Content-Type: %s\n", S(echo));
    ok(echo && strstr(echo, "Content-Length: 9\r\n"), "Content-Length: %s\n", S(echo));
    free(echo);
    /* ... unless the caller chose the type. */
    echo = echo_post(body, L"application/json");
    ok(echo && strstr(echo, "Content-Type: application/json\r\n") && !strstr(echo, "Charset"), "type: %s\n", S(echo));
    free(echo);
    VariantClear(&body);

    /* Bytes go as they are. */
    sa = SafeArrayCreateVector(VT_UI1, 0, 4);
    SafeArrayAccessData(sa, &data);
    memcpy(data, "\x00\x01\xff\x7f", 4);
    SafeArrayUnaccessData(sa);
    V_VT(&body) = VT_ARRAY | VT_UI1;
    V_ARRAY(&body) = sa;
    echo = echo_post(body, NULL);
    ok(echo && strstr(echo, "Content-Length: 4\r\n") && !memcmp(echo_body(echo), "\x00\x01\xff\x7f", 4) &&
       !strstr(echo, "Content-Type"), "byte body: %s\n", S(echo));
    free(echo);
    VariantClear(&body);

    /* An IStream is read to its end. */
    CreateStreamOnHGlobal(NULL, TRUE, &stream);
    IStream_Write(stream, "from a stream", 13, NULL);
    {
        LARGE_INTEGER zero = { 0 };
        IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL);
    }
    V_VT(&body) = VT_UNKNOWN;
    V_UNKNOWN(&body) = (IUnknown *)stream;
    echo = echo_post(body, NULL);
    ok(echo && !strcmp(echo_body(echo), "from a stream"), "stream body: %s\n", S(echo));
    free(echo);
    IStream_Release(stream);

    /* A number is its string. */
    echo = echo_post(var_i4(42), NULL);
    ok(echo && !strcmp(echo_body(echo), "42"), "number body: %s\n", S(echo));
    free(echo);

    /* No body at all. */
    echo = echo_post(var_missing(), NULL);
    ok(echo && strstr(echo, "Content-Length: 0\r\n") && !*echo_body(echo), "empty body: %s\n", S(echo));
    free(echo);
}

static void test_request_headers_and_agent(void)
{
    IWinHttpRequest *req;
    BSTR n, v, agent = SysAllocString(L"httprequest-test/1.0");
    VARIANT value;
    char *echo;

    if (!peers_here() || !(req = create_request())) return;
    VariantInit(&value);
    ok_hr(IWinHttpRequest_get_Option(req, WinHttpRequestOption_UserAgentString, &value), S_OK);
    ok(V_VT(&value) == VT_BSTR && !wcscmp(V_BSTR(&value), L"Mozilla/4.0 (compatible; Win32; WinHttp.WinHttpRequest.5)"),
       "default agent %ls\n", V_VT(&value) == VT_BSTR ? V_BSTR(&value) : L"?");
    VariantClear(&value);

    V_VT(&value) = VT_BSTR;
    V_BSTR(&value) = agent;
    /* Set before Open: survives Open. */
    ok_hr(IWinHttpRequest_put_Option(req, WinHttpRequestOption_UserAgentString, value), S_OK);
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/echo", scripted_port), S_OK);
    n = SysAllocString(L"X-Custom");
    v = SysAllocString(L"first");
    ok_hr(IWinHttpRequest_SetRequestHeader(req, n, v), S_OK);
    SysFreeString(v);
    v = SysAllocString(L"second");
    ok_hr(IWinHttpRequest_SetRequestHeader(req, n, v), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    echo = response_text(req);
    ok(echo && strstr(echo, "User-Agent: httprequest-test/1.0\r\n"), "agent: %s\n", S(echo));
    ok(echo && strstr(echo, "X-Custom: second\r\n") && !strstr(echo, "first"), "header replaced: %s\n", S(echo));
    ok(echo && strstr(echo, "Accept: */*\r\n"), "accept: %s\n", S(echo));
    ok(echo && !strncmp(echo, "GET /echo HTTP/1.1\r\n", 20), "request line: %s\n", S(echo));
    free(echo);
    SysFreeString(n);
    SysFreeString(v);
    SysFreeString(agent);
    IWinHttpRequest_Release(req);
}

static void check_text(const char *query, const WCHAR *expect)
{
    IWinHttpRequest *req = create_request();
    BSTR text = NULL;

    if (!req) return;
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/status/200?%s", scripted_port, query), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_hr(IWinHttpRequest_get_ResponseText(req, &text), S_OK);
    ok(text && !wcscmp(text, expect), "%s: got %ls\n", query, text);
    SysFreeString(text);
    IWinHttpRequest_Release(req);
}

/* ResponseText: a byte order mark, else the Content-Type's charset. */
static void test_response_text_charset(void)
{
    if (!peers_here()) return;
    check_text("ctype=text/plain;%20charset=utf-8&body_hex=636166c3a9", L"caf\x00e9");
    check_text("ctype=text/html;%20charset=%22UTF-8%22&body_hex=636166c3a9", L"caf\x00e9");
    check_text("ctype=text/plain;%20Charset=ISO-8859-1&body_hex=636166e9", L"caf\x00e9");
    check_text("ctype=text/plain;%20format=flowed;%20charset=windows-1251&body_hex=c0", L"\x0410");
    check_text("ctype=text/plain;%20charset=koi8-r&body_hex=e1", L"\x0410");
    /* A byte order mark wins over the charset. */
    check_text("ctype=text/plain;%20charset=iso-8859-1&body_hex=efbbbf636166c3a9", L"caf\x00e9");
    check_text("ctype=text/plain&body_hex=fffe68006900", L"hi");
    check_text("ctype=&body_hex=feff00680069", L"hi");
    check_text("body=", L"");
}

static void test_options(void)
{
    IWinHttpRequest *req = create_request();
    VARIANT v;
    BSTR url;

    if (!req) return;
    VariantInit(&v);
    ok_hr(IWinHttpRequest_get_Option(req, WinHttpRequestOption_URLCodePage, &v), S_OK);
    ok(V_VT(&v) == VT_I4 && V_I4(&v) == CP_UTF8, "code page %d/%ld\n", V_VT(&v), V_I4(&v));
    ok_hr(IWinHttpRequest_get_Option(req, WinHttpRequestOption_EnableRedirects, &v), S_OK);
    ok(V_VT(&v) == VT_BOOL && V_BOOL(&v) == VARIANT_TRUE, "redirects %d/%d\n", V_VT(&v), V_BOOL(&v));
    ok_hr(IWinHttpRequest_get_Option(req, WinHttpRequestOption_EnableHttpsToHttpRedirects, &v), S_OK);
    ok(V_VT(&v) == VT_BOOL && V_BOOL(&v) == VARIANT_FALSE, "https->http %d/%d\n", V_VT(&v), V_BOOL(&v));
    ok_hr(IWinHttpRequest_get_Option(req, WinHttpRequestOption_MaxAutomaticRedirects, &v), S_OK);
    ok(V_VT(&v) == VT_I4 && V_I4(&v) == 10, "max redirects %d/%ld\n", V_VT(&v), V_I4(&v));
    ok_hr(IWinHttpRequest_get_Option(req, WinHttpRequestOption_SslErrorIgnoreFlags, &v), S_OK);
    ok(V_VT(&v) == VT_I4 && V_I4(&v) == 0, "ssl flags %d/%ld\n", V_VT(&v), V_I4(&v));
    ok_hr(IWinHttpRequest_get_Option(req, WinHttpRequestOption_URL, &v), HR_BEFORE_OPEN);
    ok_hr(IWinHttpRequest_get_Option(req, 19, &v), E_INVALIDARG);
    ok_hr(IWinHttpRequest_get_Option(req, -1, &v), E_INVALIDARG);

    /* Coerced from any type. */
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(L"0");
    ok_hr(IWinHttpRequest_put_Option(req, WinHttpRequestOption_EnableRedirects, v), S_OK);
    VariantClear(&v);
    ok_hr(IWinHttpRequest_get_Option(req, WinHttpRequestOption_EnableRedirects, &v), S_OK);
    ok(V_VT(&v) == VT_BOOL && V_BOOL(&v) == VARIANT_FALSE, "redirects %d/%d\n", V_VT(&v), V_BOOL(&v));
    V_VT(&v) = VT_R8;
    V_R8(&v) = 1252.0;
    ok_hr(IWinHttpRequest_put_Option(req, WinHttpRequestOption_URLCodePage, v), S_OK);
    ok_hr(IWinHttpRequest_get_Option(req, WinHttpRequestOption_URLCodePage, &v), S_OK);
    ok(V_VT(&v) == VT_I4 && V_I4(&v) == 1252, "code page %d/%ld\n", V_VT(&v), V_I4(&v));
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(L"no-such-charset");
    ok_hr(IWinHttpRequest_put_Option(req, WinHttpRequestOption_URLCodePage, v), E_INVALIDARG);
    VariantClear(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(L"http://example.invalid/");
    ok_hr(IWinHttpRequest_put_Option(req, WinHttpRequestOption_URL, v), E_INVALIDARG);
    VariantClear(&v);
    ok_hr(IWinHttpRequest_put_Option(req, WinHttpRequestOption_MaxAutomaticRedirects, var_i4(0)), E_INVALIDARG);

    if (peers_here())
    {
        /* Redirects off (set before Open): the 302 itself. */
        ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/redirect/302", nginx_port), S_OK);
        ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
        ok_u(response_status(req), 302);
        /* On again: followed, and the URL option says where we ended. */
        ok_hr(IWinHttpRequest_put_Option(req, WinHttpRequestOption_EnableRedirects, var_bool(TRUE)), S_OK);
        ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/redirect/302", nginx_port), S_OK);
        ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
        ok_u(response_status(req), 200);
        VariantInit(&v);
        ok_hr(IWinHttpRequest_get_Option(req, WinHttpRequestOption_URL, &v), S_OK);
        url = bstr_printf("http://127.0.0.1:%d/static/small.txt", nginx_port);
        ok(V_VT(&v) == VT_BSTR && !wcscmp(V_BSTR(&v), url), "URL %ls\n", V_VT(&v) == VT_BSTR ? V_BSTR(&v) : L"?");
        SysFreeString(url);
        VariantClear(&v);
    }
    IWinHttpRequest_Release(req);
}

static void test_async(void)
{
    IWinHttpRequest *req;
    VARIANT_BOOL done;
    VARIANT timeout;
    DWORD start;
    char *text;

    if (!peers_here() || !(req = create_request())) return;
    ok_hr(open_url(req, "GET", TRUE, "http://127.0.0.1:%d/delay?ms=1500", scripted_port), S_OK);
    start = GetTickCount();
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok(GetTickCount() - start < 1000, "asynchronous Send blocked %lu ms\n", GetTickCount() - start);
    ok_hr(IWinHttpRequest_get_Status(req, NULL), E_INVALIDARG);
    /* The response is not there yet. */
    {
        LONG status;
        BSTR text = NULL;
        ok_hr(IWinHttpRequest_get_Status(req, &status), E_PENDING);
        ok_hr(IWinHttpRequest_get_ResponseText(req, &text), E_PENDING);
        ok_hr(IWinHttpRequest_Send(req, var_missing()), E_PENDING);
    }
    /* Not yet: a fractional timeout in seconds, as a double. */
    V_VT(&timeout) = VT_R8;
    V_R8(&timeout) = 0.2;
    done = 5;
    ok_hr(IWinHttpRequest_WaitForResponse(req, timeout, &done), S_OK);
    ok(done == VARIANT_FALSE, "WaitForResponse(0.2): got %d\n", done);
    /* A string that is a number works too. */
    V_VT(&timeout) = VT_BSTR;
    V_BSTR(&timeout) = SysAllocString(L"10");
    done = 5;
    ok_hr(IWinHttpRequest_WaitForResponse(req, timeout, &done), S_OK);
    ok(done == VARIANT_TRUE, "WaitForResponse(10): got %d\n", done);
    VariantClear(&timeout);
    ok(GetTickCount() - start >= 1400, "done after %lu ms\n", GetTickCount() - start);
    ok_u(response_status(req), 200);
    text = response_text(req);
    ok(text && !strcmp(text, PEER_SMALL_TEXT), "text %s\n", S(text));
    free(text);
    /* No timeout: wait for ever. */
    ok_hr(IWinHttpRequest_WaitForResponse(req, var_missing(), &done), S_OK);
    ok(done == VARIANT_TRUE, "WaitForResponse(): got %d\n", done);
    IWinHttpRequest_Release(req);

    /* Abort ends an exchange in progress at once. */
    if (!(req = create_request())) return;
    ok_hr(open_url(req, "GET", TRUE, "http://127.0.0.1:%d/delay?ms=10000", scripted_port), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    Sleep(200);
    start = GetTickCount();
    ok_hr(IWinHttpRequest_Abort(req), S_OK);
    ok(GetTickCount() - start < 3000, "Abort took %lu ms\n", GetTickCount() - start);
    ok_u(response_status(req), -1);
    /* Released while in progress: no hang, no crash. */
    ok_hr(open_url(req, "GET", TRUE, "http://127.0.0.1:%d/delay?ms=10000", scripted_port), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    start = GetTickCount();
    ok_hr(IWinHttpRequest_Abort(req), S_OK);
    IWinHttpRequest_Release(req);
    ok(GetTickCount() - start < 3000, "release took %lu ms\n", GetTickCount() - start);

    /* An asynchronous failure comes out of WaitForResponse. */
    if (!(req = create_request())) return;
    ok_hr(open_url(req, "GET", TRUE, "http://127.0.0.1:%d/", closed_port), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    done = 5;
    ok_hr(IWinHttpRequest_WaitForResponse(req, var_i4(10), &done), HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CONNECT));
    ok(done == VARIANT_FALSE, "WaitForResponse: got %d\n", done);
    {
        LONG status;
        ok_hr(IWinHttpRequest_get_Status(req, &status), HR_BEFORE_SEND);
    }
    IWinHttpRequest_Release(req);
}

/* Errors are Windows' HRESULTs with Windows' texts in IErrorInfo. */
static void test_errors(void)
{
    IWinHttpRequest *req;
    IErrorInfo *info = NULL;
    BSTR desc = NULL;
    DWORD start;

    if (!peers_here() || !(req = create_request())) return;
    ok_hr(IWinHttpRequest_SetTimeouts(req, 0, 5000, 5000, 500), S_OK);
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/delay?ms=3000", scripted_port), S_OK);
    start = GetTickCount();
    ok_hr(IWinHttpRequest_Send(req, var_missing()), HR_TIMEOUT);
    ok(GetTickCount() - start < 2500, "timeout after %lu ms\n", GetTickCount() - start);
    ok_hr(GetErrorInfo(0, &info), S_OK);
    if (info)
    {
        ok_hr(IErrorInfo_GetDescription(info, &desc), S_OK);
        ok_wstr(desc, L"The operation timed out");
        SysFreeString(desc);
        IErrorInfo_Release(info);
    }
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/", closed_port), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CONNECT));
    IWinHttpRequest_Release(req);
}

static void test_credentials(void)
{
    char user[128], password[128];
    int port = peer_port("WINHTTP_TEST_AUTH_APACHE_PORT");
    IWinHttpRequest *req;
    BSTR u, p;

    if (!port || !peer_env("WINHTTP_TEST_AUTH_USER", user, sizeof(user)) ||
        !peer_env("WINHTTP_TEST_AUTH_PASSWORD", password, sizeof(password)))
    {
        skip("no authentication peers\n");
        return;
    }
    if (!(req = create_request())) return;
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/basic/ok.txt", port), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 401);

    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/basic/ok.txt", port), S_OK);
    u = bstr_printf("%s", user);
    p = bstr_printf("%s", password);
    ok_hr(IWinHttpRequest_SetCredentials(req, u, p, HTTPREQUEST_SETCREDENTIALS_FOR_SERVER), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 200);
    {
        BSTR name = SysAllocString(L"X-Remote-User"), who = NULL, expect = bstr_printf("%s", user);
        ok_hr(IWinHttpRequest_GetResponseHeader(req, name, &who), S_OK);
        ok(who && !wcscmp(who, expect), "authenticated as %ls\n", who);
        SysFreeString(name);
        SysFreeString(who);
        SysFreeString(expect);
    }

    /* Digest the same way. */
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/digest/ok.txt", port), S_OK);
    ok_hr(IWinHttpRequest_SetCredentials(req, u, p, HTTPREQUEST_SETCREDENTIALS_FOR_SERVER), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 200);

    /* Wrong password (a new object: a session remembers what worked): the 401 comes back. */
    SysFreeString(p);
    p = SysAllocString(L"wrong");
    IWinHttpRequest_Release(req);
    if (!(req = create_request())) return;
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/basic/ok.txt", port), S_OK);
    ok_hr(IWinHttpRequest_SetCredentials(req, u, p, HTTPREQUEST_SETCREDENTIALS_FOR_SERVER), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 401);
    SysFreeString(u);
    SysFreeString(p);
    IWinHttpRequest_Release(req);
}

static void test_proxy(void)
{
    char user[128], password[128], *log;
    int auth_squid = peer_port("WINHTTP_TEST_AUTH_SQUID_PORT");
    IWinHttpRequest *req;
    VARIANT server, bypass;
    char marker[64];

    if (!peers_here() || !squid_port || !(req = create_request())) return;
    sprintf(marker, "m=comproxy%lu", GetTickCount());
    V_VT(&server) = VT_BSTR;
    V_BSTR(&server) = bstr_printf("127.0.0.1:%d", squid_port);
    ok_hr(IWinHttpRequest_SetProxy(req, HTTPREQUEST_PROXYSETTING_PROXY, server, var_missing()), S_OK);
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/static/small.txt?%s", nginx_port, marker), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 200);
    ok(peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", marker, 1, 5000) == 1, "the request did not go through squid\n");

    /* The bypass list sends loopback direct. */
    sprintf(marker, "m=combypass%lu", GetTickCount());
    V_VT(&bypass) = VT_BSTR;
    V_BSTR(&bypass) = SysAllocString(L"<local>;127.0.0.1");
    ok_hr(IWinHttpRequest_SetProxy(req, HTTPREQUEST_PROXYSETTING_PROXY, server, bypass), S_OK);
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/static/small.txt?%s", nginx_port, marker), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 200);
    Sleep(300);
    log = peer_read_env_file("WINHTTP_TEST_SQUID_ACCESS_LOG");
    ok(!log || !strstr(log, marker), "a bypassed request went through squid\n");
    free(log);
    VariantClear(&bypass);
    VariantClear(&server);

    /* Proxy credentials. */
    if (auth_squid && peer_env("WINHTTP_TEST_AUTH_PROXY_USER", user, sizeof(user)) &&
        peer_env("WINHTTP_TEST_AUTH_PROXY_PASSWORD", password, sizeof(password)))
    {
        BSTR u = bstr_printf("%s", user), p = bstr_printf("%s", password);
        V_VT(&server) = VT_BSTR;
        V_BSTR(&server) = bstr_printf("127.0.0.1:%d", auth_squid);
        ok_hr(IWinHttpRequest_SetProxy(req, HTTPREQUEST_PROXYSETTING_PROXY, server, var_missing()), S_OK);
        ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/static/small.txt", nginx_port), S_OK);
        ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
        ok_u(response_status(req), 407);
        ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/static/small.txt", nginx_port), S_OK);
        ok_hr(IWinHttpRequest_SetCredentials(req, u, p, HTTPREQUEST_SETCREDENTIALS_FOR_PROXY), S_OK);
        ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
        ok_u(response_status(req), 200);
        SysFreeString(u);
        SysFreeString(p);
        VariantClear(&server);
    }
    else skip("no authenticating proxy\n");

    /* DIRECT again. */
    ok_hr(IWinHttpRequest_SetProxy(req, HTTPREQUEST_PROXYSETTING_DIRECT, var_missing(), var_missing()), S_OK);
    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/static/small.txt", nginx_port), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 200);
    IWinHttpRequest_Release(req);
}


/* https: the engine's TLS, SslErrorIgnoreFlags, and a client certificate
 * named as SetClientCertificate documents ("[location\]store\subject"). */
static void test_tls(void)
{
    int valid = peer_port("WINHTTP_TEST_TLS_VALID_PORT"), expired = peer_port("WINHTTP_TEST_TLS_EXPIRED_PORT");
    int clientcert = peer_port("WINHTTP_TEST_TLS_CLIENTCERT_PORT");
    const char *pfx_path = getenv("WINHTTP_TEST_TLS_CLIENT_PFX");
    IWinHttpRequest *req;
    CRYPT_DATA_BLOB pfx;
    HCERTSTORE pfx_store, my;
    const CERT_CONTEXT *cert;
    WCHAR store_name[64];
    BSTR name;
    size_t len;
    char *text;
    HRESULT hr;

    if (!valid || !expired || !clientcert || !pfx_path)
    {
        skip("no TLS peers\n");
        return;
    }
    if (!(req = create_request())) return;
    ok_hr(open_url(req, "GET", FALSE, "https://localhost:%d/", valid), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 200);
    text = response_text(req);
    ok(text && !strcmp(text, "tls valid\n"), "body %s\n", S(text));
    free(text);

    ok_hr(open_url(req, "GET", FALSE, "https://localhost:%d/", expired), S_OK);
    hr = IWinHttpRequest_Send(req, var_missing());
    ok(hr == HRESULT_FROM_WIN32(ERROR_WINHTTP_SECURE_FAILURE) ||
       hr == HRESULT_FROM_WIN32(ERROR_WINHTTP_SECURE_CERT_DATE_INVALID), "expired certificate: %#lx\n", hr);
    ok_hr(IWinHttpRequest_put_Option(req, WinHttpRequestOption_SslErrorIgnoreFlags, var_i4(SslErrorFlag_CertDateInvalid)), S_OK);
    ok_hr(open_url(req, "GET", FALSE, "https://localhost:%d/", expired), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 200);
    ok_hr(IWinHttpRequest_put_Option(req, WinHttpRequestOption_SslErrorIgnoreFlags, var_i4(0x10)), E_INVALIDARG);
    IWinHttpRequest_Release(req);

    /* The client certificate goes into CURRENT_USER\MY of the test prefix. */
    pfx.pbData = (BYTE *)peer_read_file_len(pfx_path, &len);
    pfx.cbData = len;
    pfx_store = pfx.pbData ? PFXImportCertStore(&pfx, L"test", CRYPT_USER_KEYSET) : NULL;
    free(pfx.pbData);
    ok(pfx_store != NULL, "PFXImportCertStore failed: %#lx\n", GetLastError());
    if (!pfx_store) return;
    /* Every run of the peers makes a new certificate with the same subject:
     * a store of this run's own keeps the old ones out of the way. */
    swprintf(store_name, ARRAYSIZE(store_name), L"WinHttpRequestTest%lu", GetTickCount());
    my = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, store_name);
    ok(my != NULL, "no %ls store\n", store_name);
    cert = NULL;
    while (my && (cert = CertEnumCertificatesInStore(pfx_store, cert)))
        CertAddCertificateContextToStore(my, cert, CERT_STORE_ADD_REPLACE_EXISTING, NULL);
    CertCloseStore(pfx_store, 0);
    if (my) CertCloseStore(my, 0);  /* a registry store is written when closed */

    if (!(req = create_request())) return;
    {
        WCHAR buf[128];
        lstrcpyW(buf, L"CURRENT_USER\\");
        lstrcatW(buf, store_name);
        lstrcatW(buf, L"\\WinHTTP Test Client");
        name = SysAllocString(buf);
    }
    ok_hr(IWinHttpRequest_SetClientCertificate(req, name), S_OK);
    SysFreeString(name);
    ok_hr(open_url(req, "GET", FALSE, "https://localhost:%d/", clientcert), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(response_status(req), 200);
    text = response_text(req);
    ok(text && !strncmp(text, "verify=SUCCESS dn=CN=WinHTTP Test Client", 40), "client certificate: %s\n", S(text));
    free(text);
    ok_hr(IWinHttpRequest_SetClientCertificate(req, NULL), E_INVALIDARG);
    IWinHttpRequest_Release(req);
    if (my) CertUnregisterSystemStore(store_name, CERT_SYSTEM_STORE_CURRENT_USER | CERT_STORE_DELETE_FLAG);
}

/* ------------------------------------------------------------------ */
/* IDispatch::Invoke, as script engines call it                         */

static HRESULT invoke(IWinHttpRequest *req, DISPID id, WORD flags, VARIANT *args, UINT count, VARIANT *result)
{
    DISPPARAMS params = { args, NULL, count, 0 };
    DISPID put = DISPID_PROPERTYPUT;
    EXCEPINFO ei;
    UINT err;
    HRESULT hr;

    if (flags == DISPATCH_PROPERTYPUT)
    {
        params.rgdispidNamedArgs = &put;
        params.cNamedArgs = 1;
    }
    memset(&ei, 0, sizeof(ei));
    hr = IWinHttpRequest_Invoke(req, id, &IID_NULL, LOCALE_USER_DEFAULT, flags, &params, result, &ei, &err);
    if (hr == DISP_E_EXCEPTION)
    {
        hr = ei.scode;
        SysFreeString(ei.bstrSource);
        SysFreeString(ei.bstrDescription);
        SysFreeString(ei.bstrHelpFile);
    }
    return hr;
}

static void test_invoke(void)
{
    IWinHttpRequest *req;
    VARIANT args[3], result;
    EXCEPINFO ei;
    DISPPARAMS params;

    if (!peers_here() || !(req = create_request())) return;

    /* Open(Method, Url, Async): arguments in reverse order, byref ones too. */
    V_VT(&args[2]) = VT_BSTR;
    V_BSTR(&args[2]) = SysAllocString(L"GET");
    V_VT(&args[1]) = VT_BSTR;
    V_BSTR(&args[1]) = bstr_printf("http://127.0.0.1:%d/static/small.txt", nginx_port);
    V_VT(&args[0]) = VT_BYREF | VT_VARIANT;
    {
        VARIANT async = var_bool(FALSE);
        V_VARIANTREF(&args[0]) = &async;
        ok_hr(invoke(req, DISPID_HTTPREQUEST_OPEN, DISPATCH_METHOD, args, 3, NULL), S_OK);
    }
    VariantClear(&args[2]);
    VariantClear(&args[1]);

    /* Send with no argument at all (the optional Body). */
    ok_hr(invoke(req, DISPID_HTTPREQUEST_SEND, DISPATCH_METHOD, NULL, 0, NULL), S_OK);

    VariantInit(&result);
    ok_hr(invoke(req, DISPID_HTTPREQUEST_STATUS, DISPATCH_PROPERTYGET, NULL, 0, &result), S_OK);
    ok(V_VT(&result) == VT_I4 && V_I4(&result) == 200, "Status %d/%ld\n", V_VT(&result), V_I4(&result));
    /* VBScript reads "x = obj.ResponseText" with METHOD|PROPERTYGET. */
    ok_hr(invoke(req, DISPID_HTTPREQUEST_RESPONSETEXT, DISPATCH_METHOD | DISPATCH_PROPERTYGET, NULL, 0, &result), S_OK);
    ok(V_VT(&result) == VT_BSTR && !wcscmp(V_BSTR(&result), L"hello, winhttp\n"), "ResponseText\n");
    VariantClear(&result);
    /* Properties are read-only except Option. */
    args[0] = var_i4(5);
    ok_hr(invoke(req, DISPID_HTTPREQUEST_STATUS, DISPATCH_PROPERTYPUT, args, 1, NULL), DISP_E_MEMBERNOTFOUND);

    /* GetResponseHeader returns through the result. */
    V_VT(&args[0]) = VT_BSTR;
    V_BSTR(&args[0]) = SysAllocString(L"Content-Length");
    ok_hr(invoke(req, DISPID_HTTPREQUEST_GETRESPONSEHEADER, DISPATCH_METHOD, args, 1, &result), S_OK);
    ok(V_VT(&result) == VT_BSTR && !wcscmp(V_BSTR(&result), L"15"), "header\n");
    VariantClear(&result);
    VariantClear(&args[0]);
    ok_hr(invoke(req, DISPID_HTTPREQUEST_GETRESPONSEHEADER, DISPATCH_METHOD, NULL, 0, &result), DISP_E_PARAMNOTFOUND);

    /* WaitForResponse returns a VARIANT_BOOL; the timeout is coerced. */
    V_VT(&args[0]) = VT_BSTR;
    V_BSTR(&args[0]) = SysAllocString(L"5");
    ok_hr(invoke(req, DISPID_HTTPREQUEST_WAITFORRESPONSE, DISPATCH_METHOD, args, 1, &result), S_OK);
    ok(V_VT(&result) == VT_BOOL && V_BOOL(&result) == VARIANT_TRUE, "WaitForResponse %d\n", V_VT(&result));
    VariantClear(&args[0]);
    V_VT(&args[0]) = VT_BSTR;
    V_BSTR(&args[0]) = SysAllocString(L"soon");
    ok_hr(invoke(req, DISPID_HTTPREQUEST_WAITFORRESPONSE, DISPATCH_METHOD, args, 1, &result), DISP_E_TYPEMISMATCH);
    VariantClear(&args[0]);

    /* Option: get with the option number, put with the value last. */
    args[1] = var_i4(WinHttpRequestOption_MaxAutomaticRedirects);
    args[0] = var_i4(3);
    ok_hr(invoke(req, DISPID_HTTPREQUEST_OPTION, DISPATCH_PROPERTYPUT, args, 2, NULL), S_OK);
    ok_hr(invoke(req, DISPID_HTTPREQUEST_OPTION, DISPATCH_PROPERTYGET, &args[1], 1, &result), S_OK);
    ok(V_VT(&result) == VT_I4 && V_I4(&result) == 3, "option %d/%ld\n", V_VT(&result), V_I4(&result));
    ok_hr(invoke(req, DISPID_HTTPREQUEST_OPTION, DISPATCH_PROPERTYGET, NULL, 0, &result), DISP_E_PARAMNOTFOUND);

    ok_hr(invoke(req, 1000, DISPATCH_METHOD, NULL, 0, NULL), DISP_E_MEMBERNOTFOUND);

    /* A failing method raises an exception with Windows' text. */
    V_VT(&args[1]) = VT_BSTR;
    V_BSTR(&args[1]) = SysAllocString(L"X-Late");
    V_VT(&args[0]) = VT_BSTR;
    V_BSTR(&args[0]) = SysAllocString(L"1");
    params.rgvarg = args;
    params.cArgs = 2;
    params.cNamedArgs = 0;
    params.rgdispidNamedArgs = NULL;
    memset(&ei, 0, sizeof(ei));
    ok_hr(IWinHttpRequest_Invoke(req, DISPID_HTTPREQUEST_SETREQUESTHEADER, &IID_NULL, 0, DISPATCH_METHOD, &params,
                                 NULL, &ei, NULL), DISP_E_EXCEPTION);
    ok_hr(ei.scode, HR_AFTER_SEND);
    ok(ei.bstrDescription && !wcscmp(ei.bstrDescription, L"This method cannot be called after the Send method has been called"),
       "description %ls\n", ei.bstrDescription);
    SysFreeString(ei.bstrSource);
    SysFreeString(ei.bstrDescription);
    VariantClear(&args[0]);
    VariantClear(&args[1]);

    /* Abort takes no argument and returns nothing. */
    ok_hr(invoke(req, DISPID_HTTPREQUEST_ABORT, DISPATCH_METHOD, NULL, 0, NULL), S_OK);
    IWinHttpRequest_Release(req);
}

/* ------------------------------------------------------------------ */
/* IWinHttpRequestEvents                                                */

struct sink
{
    IWinHttpRequestEvents IWinHttpRequestEvents_iface;
    LONG refs;
    LONG starts, data_events, finished, errors;
    LONG status;
    WCHAR content_type[64];
    DWORD data_len;
    LONG error;
    WCHAR error_text[128];
};

static struct sink *sink_from(IWinHttpRequestEvents *iface)
{
    return CONTAINING_RECORD(iface, struct sink, IWinHttpRequestEvents_iface);
}

static HRESULT WINAPI sink_QueryInterface(IWinHttpRequestEvents *iface, REFIID riid, void **obj)
{
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IWinHttpRequestEvents))
    {
        *obj = iface;
        IWinHttpRequestEvents_AddRef(iface);
        return S_OK;
    }
    *obj = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI sink_AddRef(IWinHttpRequestEvents *iface) { return InterlockedIncrement(&sink_from(iface)->refs); }
static ULONG WINAPI sink_Release(IWinHttpRequestEvents *iface) { return InterlockedDecrement(&sink_from(iface)->refs); }
static void WINAPI sink_OnResponseStart(IWinHttpRequestEvents *iface, LONG status, BSTR type)
{
    struct sink *s = sink_from(iface);
    s->starts++;
    s->status = status;
    lstrcpynW(s->content_type, type ? type : L"", ARRAYSIZE(s->content_type));
}
static void WINAPI sink_OnResponseDataAvailable(IWinHttpRequestEvents *iface, SAFEARRAY **data)
{
    struct sink *s = sink_from(iface);
    LONG ub = -1;
    s->data_events++;
    if (data && *data && SafeArrayGetUBound(*data, 1, &ub) == S_OK) s->data_len += ub + 1;
}
static void WINAPI sink_OnResponseFinished(IWinHttpRequestEvents *iface) { sink_from(iface)->finished++; }
static void WINAPI sink_OnError(IWinHttpRequestEvents *iface, LONG error, BSTR text)
{
    struct sink *s = sink_from(iface);
    s->errors++;
    s->error = error;
    lstrcpynW(s->error_text, text ? text : L"", ARRAYSIZE(s->error_text));
}

static const IWinHttpRequestEventsVtbl sink_vtbl =
{
    sink_QueryInterface, sink_AddRef, sink_Release,
    sink_OnResponseStart, sink_OnResponseDataAvailable, sink_OnResponseFinished, sink_OnError,
};

static void test_events(void)
{
    struct sink sink = { { &sink_vtbl }, 1 };
    IConnectionPointContainer *cpc;
    IConnectionPoint *cp;
    IWinHttpRequest *req;
    DWORD cookie = 0;
    VARIANT_BOOL done;

    if (!peers_here() || !(req = create_request())) return;
    IWinHttpRequest_QueryInterface(req, &IID_IConnectionPointContainer, (void **)&cpc);
    IConnectionPointContainer_FindConnectionPoint(cpc, &IID_IWinHttpRequestEvents, &cp);
    ok_hr(IConnectionPoint_Advise(cp, (IUnknown *)&sink.IWinHttpRequestEvents_iface, &cookie), S_OK);
    ok(sink.refs > 1, "sink not held\n");

    ok_hr(open_url(req, "GET", FALSE, "http://127.0.0.1:%d/bytes?n=100000", scripted_port), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    ok_u(sink.starts, 1);
    ok_u(sink.status, 200);
    ok(sink.data_events >= 1, "no data events\n");
    ok_u(sink.data_len, 100000);
    ok_u(sink.finished, 1);
    ok_u(sink.errors, 0);

    /* Asynchronous: the same events, and an error as OnError. */
    memset(&sink.starts, 0, sizeof(sink) - offsetof(struct sink, starts));
    ok_hr(open_url(req, "GET", TRUE, "http://127.0.0.1:%d/", closed_port), S_OK);
    ok_hr(IWinHttpRequest_Send(req, var_missing()), S_OK);
    IWinHttpRequest_WaitForResponse(req, var_i4(10), &done);
    ok_u(sink.starts, 0);
    ok_u(sink.finished, 0);
    ok_u(sink.errors, 1);
    ok_hr(sink.error, HRESULT_FROM_WIN32(ERROR_WINHTTP_CANNOT_CONNECT));
    ok_wstr(sink.error_text, L"A connection with the server could not be established");

    ok_hr(IConnectionPoint_Unadvise(cp, cookie), S_OK);
    ok_hr(IConnectionPoint_Unadvise(cp, cookie), CONNECT_E_NOCONNECTION);
    ok_u(sink.refs, 1);
    IConnectionPoint_Release(cp);
    IConnectionPointContainer_Release(cpc);
    IWinHttpRequest_Release(req);
}

/* DllRegisterServer writes the class, both ProgIDs and the type library. */
static void test_registration(void)
{
    HMODULE mod = GetModuleHandleA("winhttp.dll");
    HRESULT (WINAPI *reg)(void) = (void *)GetProcAddress(mod, "DllRegisterServer");
    WCHAR value[MAX_PATH];
    LONG size = sizeof(value);
    ITypeLib *typelib;
    CLSID clsid;

    if (!reg)
    {
        ok(0, "no DllRegisterServer\n");
        return;
    }
    ok_hr(reg(), S_OK);
    ok(!RegQueryValueW(HKEY_CLASSES_ROOT, L"CLSID\\{2087C2F4-2CEF-4953-A8AB-66779B670495}\\InprocServer32", value, &size),
       "no InprocServer32\n");
    ok(wcsstr(value, L"winhttp.dll") != NULL, "InprocServer32 %ls\n", value);
    ok_hr(CLSIDFromProgID(L"WinHttp.WinHttpRequest", &clsid), S_OK);
    ok(IsEqualGUID(&clsid, &CLSID_WinHttpRequest), "version-independent ProgID\n");
    size = sizeof(value);
    ok(!RegQueryValueW(HKEY_CLASSES_ROOT, L"WinHttp.WinHttpRequest\\CurVer", value, &size) &&
       !wcscmp(value, L"WinHttp.WinHttpRequest.5.1"), "CurVer %ls\n", value);
    ok_hr(LoadRegTypeLib(&LIBID_WinHttp, 5, 1, LOCALE_NEUTRAL, &typelib), S_OK);
    if (typelib) ITypeLib_Release(typelib);
}

int main(void)
{
    nginx_port = peer_port("WINHTTP_TEST_NGINX_PORT");
    scripted_port = peer_port("WINHTTP_TEST_SCRIPTED_PORT");
    squid_port = peer_port("WINHTTP_TEST_SQUID_PORT");
    closed_port = peer_port("WINHTTP_TEST_CLOSED_PORT");

    CoInitialize(NULL);
    run_test("interfaces", test_interfaces);
    run_test("typeinfo", test_typeinfo);
    run_test("states", test_states);
    run_test("sync_get", test_sync_get);
    run_test("send_bodies", test_send_bodies);
    run_test("request_headers_and_agent", test_request_headers_and_agent);
    run_test("response_text_charset", test_response_text_charset);
    run_test("options", test_options);
    run_test("async", test_async);
    run_test("errors", test_errors);
    run_test("credentials", test_credentials);
    run_test("proxy", test_proxy);
    run_test("tls", test_tls);
    run_test("invoke", test_invoke);
    run_test("events", test_events);
    run_test("registration", test_registration);
    CoUninitialize();
    return test_summary();
}
