/*
 * Auto-proxy: WinHttpGetProxyForUrl, the proxy resolver handle and its Ex
 * APIs, WinHttpResetAutoProxy, proxy change notifications, and the proxy
 * list of WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY sessions.
 *
 * One pipeline serves them all (resolve_url): find the PAC file (WPAD
 * discovery in wpad.c, or the configured URL), download it with the
 * engine's own sub-request (directly, never through a proxy), run it
 * (pac_runner.c: in a helper process by default), parse what it returns
 * (pac_result.c).  The detected URL and the script are cached per session
 * for CACHE_TTL; WinHttpResetAutoProxy drops them.
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "winhttp_private.h"
#include "subrequest.h"
#include "pac_result.h"
#include "pac_runner.h"
#include "wpad.h"
#include "autoproxy.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

#define CACHE_TTL       (30 * 60 * 1000)    /* ms */
#define MAX_SCRIPT_SIZE (1024 * 1024)

struct autoproxy_cache
{
    DWORD detect_flags;             /* what detected_url was detected with */
    WCHAR *detected_url;
    ULONGLONG detected_expiry;
    WCHAR *script_url;
    char *script;
    size_t script_len;
    ULONGLONG script_expiry;
};

static SRWLOCK cache_lock = SRWLOCK_INIT;

static void cache_clear(struct autoproxy_cache *cache)
{
    free(cache->detected_url);
    free(cache->script_url);
    free(cache->script);
    memset(cache, 0, sizeof(*cache));
}

void autoproxy_session_free(struct session *session)
{
    if (!session->autoproxy) return;
    cache_clear(session->autoproxy);
    free(session->autoproxy);
    session->autoproxy = NULL;
}

/* Called with cache_lock held exclusively. */
static struct autoproxy_cache *session_cache(struct session *session)
{
    if (!session->autoproxy) session->autoproxy = calloc(1, sizeof(*session->autoproxy));
    return session->autoproxy;
}

/* ------------------------------------------------------------------ */
/* Finding and fetching the script                                     */

static DWORD detect_url(struct session *session, DWORD flags, WCHAR **url)
{
    struct autoproxy_cache *cache;
    DWORD err;

    AcquireSRWLockExclusive(&cache_lock);
    if ((cache = session_cache(session)) && cache->detected_url && cache->detect_flags == flags &&
        GetTickCount64() < cache->detected_expiry)
        *url = strdupW(cache->detected_url);
    else *url = NULL;
    ReleaseSRWLockExclusive(&cache_lock);
    if (*url) return ERROR_SUCCESS;

    if ((err = wpad_detect(flags, url))) return err;
    AcquireSRWLockExclusive(&cache_lock);
    if ((cache = session_cache(session)))
    {
        free(cache->detected_url);
        cache->detected_url = strdupW(*url);
        cache->detect_flags = flags;
        cache->detected_expiry = GetTickCount64() + CACHE_TTL;
    }
    ReleaseSRWLockExclusive(&cache_lock);
    return ERROR_SUCCESS;
}

static DWORD download_script(struct session *session, const WCHAR *url, BOOL autologon, char **script,
                             size_t *len)
{
    DWORD status = 0, err;
    BYTE *body = NULL;
    SIZE_T size = 0;

    TRACE("downloading %s\n", debugstr_w(url));
    err = subrequest_fetch(session, url, SUBREQUEST_DIRECT | (autologon ? SUBREQUEST_AUTOLOGON : 0),
                           MAX_SCRIPT_SIZE, &status, &body, &size);
    if (err || status != HTTP_STATUS_OK || size > MAX_SCRIPT_SIZE)
    {
        WARN("cannot download the PAC file %s: error %u, status %u, %lu bytes\n", debugstr_w(url), err, status,
             (unsigned long)size);
        free(body);
        return err == ERROR_OUTOFMEMORY ? err : ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT;
    }
    *script = (char *)body;
    *len = size;
    if (!*script && !(*script = malloc(1))) return ERROR_OUTOFMEMORY;
    return ERROR_SUCCESS;
}

/* The script at url, from the session's cache or downloaded; *script is a
 * private copy. */
static DWORD get_script(struct session *session, const WCHAR *url, DWORD flags, BOOL autologon, char **script,
                        size_t *len)
{
    struct autoproxy_cache *cache;
    DWORD err;

    *script = NULL;
    AcquireSRWLockExclusive(&cache_lock);
    if (!(flags & WINHTTP_AUTOPROXY_NO_CACHE_CLIENT) && (cache = session_cache(session)) && cache->script_url &&
        !strcmpiW(cache->script_url, url) && GetTickCount64() < cache->script_expiry &&
        (*script = malloc(cache->script_len + 1)))
    {
        memcpy(*script, cache->script, cache->script_len);
        *len = cache->script_len;
    }
    ReleaseSRWLockExclusive(&cache_lock);
    if (*script)
    {
        TRACE("script for %s from the cache\n", debugstr_w(url));
        return ERROR_SUCCESS;
    }

    if ((err = download_script(session, url, autologon, script, len))) return err;
    AcquireSRWLockExclusive(&cache_lock);
    if ((cache = session_cache(session)))
    {
        free(cache->script_url);
        free(cache->script);
        cache->script_url = strdupW(url);
        if ((cache->script = malloc(*len + 1))) memcpy(cache->script, *script, *len);
        cache->script_len = *len;
        cache->script_expiry = GetTickCount64() + CACHE_TTL;
        if (!cache->script_url || !cache->script) cache_clear(cache);
    }
    ReleaseSRWLockExclusive(&cache_lock);
    return ERROR_SUCCESS;
}

static DWORD eval_script(struct session *session, const WCHAR *script_url, const WCHAR *url, const WCHAR *host,
                         const WINHTTP_AUTOPROXY_OPTIONS *options, struct pac_result *result)
{
    char *script, *url_a = NULL, *host_a = NULL, *value = NULL;
    size_t len, i;
    DWORD err, timeout;
    int ret;

    if ((err = get_script(session, script_url, options->dwFlags, options->fAutoLogonIfChallenged, &script, &len)))
        return err;
    AcquireSRWLockShared(&session->obj.lock);
    timeout = session->settings.receive_timeout > 0 ? session->settings.receive_timeout : 0;
    ReleaseSRWLockShared(&session->obj.lock);
    if (!(url_a = strdupWA(url, -1, CP_UTF8)) || !(host_a = strdupWA(host, -1, CP_UTF8)))
        err = ERROR_OUTOFMEMORY;
    else
    {
        if (!(options->dwFlags & WINHTTP_AUTOPROXY_HOST_KEEPCASE))
            for (i = 0; host_a[i]; i++) if (host_a[i] >= 'A' && host_a[i] <= 'Z') host_a[i] += 'a' - 'A';
        err = pac_run(script, len, url_a, host_a, options->dwFlags, timeout, &value);
    }
    if (!err)
    {
        TRACE("FindProxyForURL(%s, %s) = %s\n", debugstr_a(url_a), debugstr_a(host_a), debugstr_a(value));
        ret = pac_result_parse(value, strlen(value), result);
        if (ret == PAC_RESULT_NOMEM) err = ERROR_OUTOFMEMORY;
        else if (ret)
        {
            WARN("unusable result %s\n", debugstr_a(value));
            err = ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT;
        }
    }
    free(value);
    free(url_a);
    free(host_a);
    free(script);
    return err;
}

/* The host of url, the part the script gets as its second argument. */
static DWORD url_host(const WCHAR *url, WCHAR **host)
{
    struct url_parts parts;

    if (!url_crack(url, 0, &parts)) return GetLastError();
    *host = parts.host;
    parts.host = NULL;
    url_parts_free(&parts);
    if (!**host)
    {
        free(*host);
        return ERROR_WINHTTP_INVALID_URL;
    }
    return ERROR_SUCCESS;
}

/* The whole pipeline, for options already validated. */
static DWORD resolve_url(struct session *session, const WCHAR *url, const WINHTTP_AUTOPROXY_OPTIONS *options,
                         struct pac_result *result)
{
    WCHAR *host = NULL, *detected = NULL;
    DWORD err = ERROR_WINHTTP_AUTODETECTION_FAILED;

    result->entries = NULL;
    result->count = 0;
    if ((err = url_host(url, &host))) return err;
    if (options->dwFlags & WINHTTP_AUTOPROXY_AUTO_DETECT)
    {
        if (!(err = detect_url(session, options->dwAutoDetectFlags, &detected)))
            err = eval_script(session, detected, url, host, options, result);
        free(detected);
    }
    /* Documented: with both flags, the configured URL is the fallback. */
    if ((options->dwFlags & WINHTTP_AUTOPROXY_CONFIG_URL) && (!(options->dwFlags & WINHTTP_AUTOPROXY_AUTO_DETECT) || err))
        err = eval_script(session, options->lpszAutoConfigUrl, url, host, options, result);
    free(host);
    return err;
}

static BOOL valid_options(const WINHTTP_AUTOPROXY_OPTIONS *options)
{
    if (!(options->dwFlags & (WINHTTP_AUTOPROXY_AUTO_DETECT | WINHTTP_AUTOPROXY_CONFIG_URL))) return FALSE;
    if ((options->dwFlags & WINHTTP_AUTOPROXY_AUTO_DETECT) &&
        (!options->dwAutoDetectFlags ||
         (options->dwAutoDetectFlags & ~(WINHTTP_AUTO_DETECT_TYPE_DHCP | WINHTTP_AUTO_DETECT_TYPE_DNS_A))))
        return FALSE;
    if ((options->dwFlags & WINHTTP_AUTOPROXY_CONFIG_URL) && (!options->lpszAutoConfigUrl || !*options->lpszAutoConfigUrl))
        return FALSE;
    if (options->lpvReserved || options->dwReserved) return FALSE;
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* WinHttpGetProxyForUrl                                               */

/* WINHTTP_PROXY_INFO can say "these proxies" or "direct": the HTTP
 * proxies of the list, in order, as "host:port;host:port"; direct when
 * the list has none but allows DIRECT. */
static DWORD fill_proxy_info(const struct pac_result *result, WINHTTP_PROXY_INFO *info)
{
    struct strbuf sb = {0};
    BOOL direct = FALSE, any = FALSE;
    size_t i;

    for (i = 0; i < result->count; i++)
    {
        const struct pac_entry *e = &result->entries[i];
        WCHAR *host;

        if (e->type == PAC_ENTRY_DIRECT) { direct = TRUE; continue; }
        if (e->type != PAC_ENTRY_PROXY) continue;   /* WinHTTP speaks to HTTP proxies only */
        if (any) strbuf_append(&sb, L";");
        if (!(host = strdupAW(e->host, -1))) sb.failed = TRUE;
        else strbuf_append(&sb, host);
        free(host);
        if (e->port)
        {
            strbuf_append(&sb, L":");
            strbuf_append_uint(&sb, e->port);
        }
        any = TRUE;
    }
    info->lpszProxyBypass = NULL;
    if (!any)
    {
        strbuf_free(&sb);
        if (!direct) return ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR;
        info->dwAccessType = WINHTTP_ACCESS_TYPE_NO_PROXY;
        info->lpszProxy = NULL;
        return ERROR_SUCCESS;
    }
    if (sb.failed || !sb.buf)
    {
        strbuf_free(&sb);
        return ERROR_OUTOFMEMORY;
    }
    if (!(info->lpszProxy = GlobalAlloc(GMEM_FIXED, (sb.len + 1) * sizeof(WCHAR))))
    {
        strbuf_free(&sb);
        return ERROR_OUTOFMEMORY;
    }
    memcpy(info->lpszProxy, sb.buf, (sb.len + 1) * sizeof(WCHAR));
    strbuf_free(&sb);
    info->dwAccessType = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
    return ERROR_SUCCESS;
}

BOOL WINAPI WinHttpGetProxyForUrl(HINTERNET hsession, LPCWSTR url, WINHTTP_AUTOPROXY_OPTIONS *options,
                                  WINHTTP_PROXY_INFO *info)
{
    struct pac_result result;
    struct object *obj;
    DWORD err;

    TRACE("(%p, %s, %p, %p)\n", hsession, debugstr_w(url), options, info);
    if (options)
        TRACE("flags %#x, detect %#x, config %s, autologon %d\n", options->dwFlags, options->dwAutoDetectFlags,
              debugstr_w(options->lpszAutoConfigUrl), options->fAutoLogonIfChallenged);

    /* The handle first, then the parameters (Wine's tests record it). */
    if (!(obj = grab_object_type(hsession, WINHTTP_HANDLE_TYPE_SESSION))) return FALSE;
    if (!url || !*url || !options || !info || !valid_options(options)) err = ERROR_INVALID_PARAMETER;
    else if (!(err = resolve_url(session_from_object(obj), url, options, &result)))
    {
        err = fill_proxy_info(&result, info);
        pac_result_free(&result);
    }
    release_object(obj);
    if (err)
    {
        SetLastError(err);
        return FALSE;
    }
    TRACE("-> access %u, proxy %s\n", info->dwAccessType, debugstr_w(info->lpszProxy));
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}

BOOL WINAPI WinHttpDetectAutoProxyConfigUrl(DWORD flags, LPWSTR *url)
{
    WCHAR *found;
    DWORD err;

    TRACE("(%#x, %p)\n", flags, url);
    if (!flags || !url || (flags & ~(WINHTTP_AUTO_DETECT_TYPE_DHCP | WINHTTP_AUTO_DETECT_TYPE_DNS_A)))
        err = ERROR_INVALID_PARAMETER;
    else if (!(err = wpad_detect(flags, &found)))
    {
        size_t len = strlenW(found);
        if (!(*url = GlobalAlloc(GMEM_FIXED, (len + 1) * sizeof(WCHAR)))) err = ERROR_OUTOFMEMORY;
        else memcpy(*url, found, (len + 1) * sizeof(WCHAR));
        free(found);
    }
    else *url = NULL;
    if (err)
    {
        SetLastError(err);
        return FALSE;
    }
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}

DWORD WINAPI WinHttpResetAutoProxy(HINTERNET hsession, DWORD flags)
{
    struct object *obj;

    TRACE("(%p, %#x)\n", hsession, flags);
    if (!(obj = grab_object_type(hsession, WINHTTP_HANDLE_TYPE_SESSION))) return GetLastError();
    if (flags & ~(WINHTTP_RESET_ALL | WINHTTP_RESET_NOTIFY_NETWORK_CHANGED | WINHTTP_RESET_OUT_OF_PROC |
                  WINHTTP_RESET_DISCARD_RESOLVERS))
    {
        release_object(obj);
        return ERROR_INVALID_PARAMETER;
    }
    /* We keep no state beyond the session's detected URL and script, and
     * no service: every reset comes down to forgetting them. */
    AcquireSRWLockExclusive(&cache_lock);
    if (session_from_object(obj)->autoproxy) cache_clear(session_from_object(obj)->autoproxy);
    ReleaseSRWLockExclusive(&cache_lock);
    release_object(obj);
    return ERROR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* The proxy resolver (asynchronous)                                   */

enum resolver_state { RESOLVER_IDLE, RESOLVER_BUSY, RESOLVER_DONE };

struct resolver
{
    struct object obj;
    struct session *session;        /* == parent, typed */
    enum resolver_state state;      /* guarded by obj.lock */
    struct pac_result result;       /* RESOLVER_DONE */
    /* WinHttpGetProxySettingsEx's answer (guarded by obj.lock) */
    enum resolver_state settings_state;
    ULONGLONG settings_flags;       /* WINHTTP_PROXY_TYPE_* */
    WCHAR *settings_proxy, *settings_bypass, *settings_config_url;
};

struct resolver_job
{
    struct resolver *resolver;      /* holds a reference */
    WCHAR *url;
    WINHTTP_AUTOPROXY_OPTIONS options;
    WCHAR *config_url;
    DWORD_PTR context;
};

static void resolver_destroy(struct object *obj)
{
    struct resolver *resolver = CONTAINING_RECORD(obj, struct resolver, obj);
    pac_result_free(&resolver->result);
    free(resolver->settings_proxy);
    free(resolver->settings_bypass);
    free(resolver->settings_config_url);
    free(resolver);
}

static const struct object_vtbl resolver_vtbl = { NULL, resolver_destroy };

DWORD WINAPI WinHttpCreateProxyResolver(HINTERNET hsession, HINTERNET *hresolver)
{
    struct resolver *resolver;
    struct session *session;
    struct object *obj;
    DWORD ret = ERROR_SUCCESS;

    TRACE("(%p, %p)\n", hsession, hresolver);

    if (!hresolver) return ERROR_INVALID_PARAMETER;
    if (!(obj = grab_object_type(hsession, WINHTTP_HANDLE_TYPE_SESSION))) return GetLastError();
    session = session_from_object(obj);
    /* Documented: the resolver works only on sessions opened with WINHTTP_FLAG_ASYNC. */
    if (!(session->open_flags & WINHTTP_FLAG_ASYNC))
        ret = ERROR_WINHTTP_INCORRECT_HANDLE_TYPE;
    else if (!(resolver = calloc(1, sizeof(*resolver))))
        ret = ERROR_OUTOFMEMORY;
    else
    {
        object_init(&resolver->obj, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER, &resolver_vtbl, obj);
        resolver->session = session;
        if (!(*hresolver = alloc_handle(&resolver->obj))) ret = GetLastError();
        release_object(&resolver->obj);
    }
    release_object(obj);
    return ret;
}

static void free_job(struct resolver_job *job)
{
    release_object(&job->resolver->obj);
    free(job->url);
    free(job->config_url);
    free(job);
}

static void CALLBACK resolver_work(TP_CALLBACK_INSTANCE *instance, void *ctx)
{
    struct resolver_job *job = ctx;
    struct resolver *resolver = job->resolver;
    struct pac_result result;
    DWORD err = resolve_url(resolver->session, job->url, &job->options, &result);

    AcquireSRWLockExclusive(&resolver->obj.lock);
    pac_result_free(&resolver->result);
    resolver->result = result;
    resolver->state = err ? RESOLVER_IDLE : RESOLVER_DONE;
    resolver->obj.context = job->context;
    ReleaseSRWLockExclusive(&resolver->obj.lock);
    if (err)
    {
        WINHTTP_ASYNC_RESULT async = { API_GET_PROXY_FOR_URL, err };
        TRACE("%p: failed with %u\n", resolver->obj.handle, err);
        send_callback(&resolver->obj, WINHTTP_CALLBACK_STATUS_REQUEST_ERROR, &async, sizeof(async));
    }
    else send_callback(&resolver->obj, WINHTTP_CALLBACK_STATUS_GETPROXYFORURL_COMPLETE, NULL, 0);
    free_job(job);
}

DWORD WINAPI WinHttpGetProxyForUrlEx2(HINTERNET hresolver, PCWSTR url, WINHTTP_AUTOPROXY_OPTIONS *options,
                                      DWORD selection_len, BYTE *selection, DWORD_PTR context)
{
    struct resolver_job *job;
    struct resolver *resolver;
    struct object *obj;
    DWORD err = ERROR_IO_PENDING;

    TRACE("(%p, %s, %p, %u, %p, %#lx)\n", hresolver, debugstr_w(url), options, selection_len, selection, context);
    if (!(obj = grab_object_type(hresolver, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER))) return GetLastError();
    resolver = CONTAINING_RECORD(obj, struct resolver, obj);
    if (!url || !*url || !options || !valid_options(options) || (selection_len && !selection))
    {
        release_object(obj);
        return ERROR_INVALID_PARAMETER;
    }
    if (selection_len) FIXME_ONCE("interface selection ignored\n");
    if (!(job = calloc(1, sizeof(*job))) || !(job->url = strdupW(url)) ||
        (options->lpszAutoConfigUrl && !(job->config_url = strdupW(options->lpszAutoConfigUrl))))
    {
        if (job) free(job->url);
        free(job);
        release_object(obj);
        return ERROR_OUTOFMEMORY;
    }
    job->resolver = resolver;
    job->options = *options;
    job->options.lpszAutoConfigUrl = job->config_url;
    job->context = context;

    AcquireSRWLockExclusive(&obj->lock);
    if (resolver->state == RESOLVER_BUSY) err = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else resolver->state = RESOLVER_BUSY;
    ReleaseSRWLockExclusive(&obj->lock);
    if (err != ERROR_IO_PENDING)
    {
        free_job(job);
        return err;
    }
    if (!TrySubmitThreadpoolCallback(resolver_work, job, NULL))
    {
        err = GetLastError();
        AcquireSRWLockExclusive(&obj->lock);
        resolver->state = RESOLVER_IDLE;
        ReleaseSRWLockExclusive(&obj->lock);
        free_job(job);
    }
    return err;
}

DWORD WINAPI WinHttpGetProxyForUrlEx(HINTERNET hresolver, PCWSTR url, WINHTTP_AUTOPROXY_OPTIONS *options,
                                     DWORD_PTR context)
{
    TRACE("(%p, %s, %p, %#lx)\n", hresolver, debugstr_w(url), options, context);
    return WinHttpGetProxyForUrlEx2(hresolver, url, options, 0, NULL, context);
}

static DWORD copy_result(struct resolver *resolver, DWORD *count, WINHTTP_PROXY_RESULT_ENTRY **entries)
{
    const struct pac_result *result = &resolver->result;
    WINHTTP_PROXY_RESULT_ENTRY *out;
    DWORD i;

    if (!(out = GlobalAlloc(GMEM_FIXED | GMEM_ZEROINIT, max(result->count, 1) * sizeof(*out))))
        return ERROR_OUTOFMEMORY;
    for (i = 0; i < result->count; i++)
    {
        const struct pac_entry *e = &result->entries[i];
        WCHAR *host;
        size_t len;

        if (e->type == PAC_ENTRY_DIRECT) continue;   /* fProxy FALSE: go direct */
        out[i].fProxy = TRUE;
        switch (e->type)
        {
        case PAC_ENTRY_HTTPS:
            out[i].ProxyScheme = INTERNET_SCHEME_HTTPS;
            out[i].ProxyPort = e->port ? e->port : INTERNET_DEFAULT_HTTPS_PORT;
            break;
        case PAC_ENTRY_SOCKS:
            out[i].ProxyScheme = INTERNET_SCHEME_SOCKS;
            out[i].ProxyPort = e->port ? e->port : 1080;
            break;
        default:
            out[i].ProxyScheme = INTERNET_SCHEME_HTTP;
            out[i].ProxyPort = e->port ? e->port : INTERNET_DEFAULT_HTTP_PORT;
            break;
        }
        if (!(host = strdupAW(e->host, -1)) || !(out[i].pwszProxy = GlobalAlloc(GMEM_FIXED,
                                                   ((len = strlenW(host)) + 1) * sizeof(WCHAR))))
        {
            free(host);
            while (i--) GlobalFree(out[i].pwszProxy);
            GlobalFree(out);
            return ERROR_OUTOFMEMORY;
        }
        memcpy(out[i].pwszProxy, host, (len + 1) * sizeof(WCHAR));
        free(host);
    }
    *count = result->count;
    *entries = out;
    return ERROR_SUCCESS;
}

static DWORD get_result(HINTERNET hresolver, DWORD *count, WINHTTP_PROXY_RESULT_ENTRY **entries)
{
    struct resolver *resolver;
    struct object *obj;
    DWORD err;

    if (!(obj = grab_object_type(hresolver, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER))) return GetLastError();
    resolver = CONTAINING_RECORD(obj, struct resolver, obj);
    AcquireSRWLockShared(&obj->lock);
    if (resolver->state != RESOLVER_DONE) err = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else err = copy_result(resolver, count, entries);
    ReleaseSRWLockShared(&obj->lock);
    release_object(obj);
    return err;
}

DWORD WINAPI WinHttpGetProxyResult(HINTERNET hresolver, WINHTTP_PROXY_RESULT *result)
{
    TRACE("(%p, %p)\n", hresolver, result);
    if (!result) return ERROR_INVALID_PARAMETER;
    return get_result(hresolver, &result->cEntries, &result->pEntries);
}

DWORD WINAPI WinHttpGetProxyResultEx(HINTERNET hresolver, WINHTTP_PROXY_RESULT_EX *result)
{
    DWORD err;

    TRACE("(%p, %p)\n", hresolver, result);
    if (!result) return ERROR_INVALID_PARAMETER;
    if (!(err = get_result(hresolver, &result->cEntries, &result->pEntries)))
    {
        result->hProxyDetectionHandle = NULL;
        result->dwProxyInterfaceAffinity = 0;
    }
    return err;
}

void WINAPI WinHttpFreeProxyResult(WINHTTP_PROXY_RESULT *result)
{
    DWORD i;

    TRACE("(%p)\n", result);
    if (!result) return;
    for (i = 0; result->pEntries && i < result->cEntries; i++) GlobalFree(result->pEntries[i].pwszProxy);
    GlobalFree(result->pEntries);
    memset(result, 0, sizeof(*result));
}

void WINAPI WinHttpFreeProxyResultEx(WINHTTP_PROXY_RESULT_EX *result)
{
    DWORD i;

    TRACE("(%p)\n", result);
    if (!result) return;
    for (i = 0; result->pEntries && i < result->cEntries; i++) GlobalFree(result->pEntries[i].pwszProxy);
    GlobalFree(result->pEntries);
    memset(result, 0, sizeof(*result));
}

/* ------------------------------------------------------------------ */
/* AUTOMATIC_PROXY sessions                                            */

struct autoproxy_choice
{
    WCHAR *key;                 /* scheme://host:port the list was made for */
    struct pac_result list;     /* count 0: no automatic configuration */
    size_t index;
    BOOL failing_over;          /* autoproxy_failover moved index: the next choice keeps it */
    WCHAR *static_proxy, *static_bypass;  /* the user's fixed proxy, when no script applies */
};

void autoproxy_choice_free(struct autoproxy_choice *choice)
{
    if (!choice) return;
    free(choice->key);
    pac_result_free(&choice->list);
    free(choice->static_proxy);
    free(choice->static_bypass);
    free(choice);
}

static BOOL usable(const struct pac_entry *e)
{
    return e->type == PAC_ENTRY_DIRECT || e->type == PAC_ENTRY_PROXY;
}

/* Where the user's settings say a script is: AutoConfigURL, auto-detect. */
static void make_choice(struct session *session, const WCHAR *url, struct autoproxy_choice *choice)
{
    WINHTTP_CURRENT_USER_IE_PROXY_CONFIG ie;
    WINHTTP_AUTOPROXY_OPTIONS options;
    DWORD err = ERROR_WINHTTP_AUTODETECTION_FAILED;

    memset(&ie, 0, sizeof(ie));
    memset(&options, 0, sizeof(options));
    if (!WinHttpGetIEProxyConfigForCurrentUser(&ie)) WARN("no IE proxy settings: %u\n", GetLastError());
    if (ie.fAutoDetect)
    {
        options.dwFlags |= WINHTTP_AUTOPROXY_AUTO_DETECT;
        options.dwAutoDetectFlags = WINHTTP_AUTO_DETECT_TYPE_DHCP | WINHTTP_AUTO_DETECT_TYPE_DNS_A;
    }
    if (ie.lpszAutoConfigUrl && *ie.lpszAutoConfigUrl)
    {
        options.dwFlags |= WINHTTP_AUTOPROXY_CONFIG_URL;
        options.lpszAutoConfigUrl = ie.lpszAutoConfigUrl;
    }
    options.fAutoLogonIfChallenged = TRUE;
    if (options.dwFlags && (err = resolve_url(session, url, &options, &choice->list)))
        WARN("auto-proxy for %s failed (%u): the fixed settings apply\n", debugstr_w(url), err);
    if (err && ie.lpszProxy)
    {
        choice->static_proxy = strdupW(ie.lpszProxy);
        choice->static_bypass = strdupW(ie.lpszProxyBypass);
    }
    GlobalFree(ie.lpszAutoConfigUrl);
    GlobalFree(ie.lpszProxy);
    GlobalFree(ie.lpszProxyBypass);
}

void autoproxy_choose(struct session *session, const WCHAR *host, INTERNET_PORT port, BOOL secure,
                      const WCHAR *path, struct autoproxy_choice **state, WCHAR **proxy_host,
                      INTERNET_PORT *proxy_port)
{
    struct autoproxy_choice *choice = *state;
    struct strbuf sb = {0};
    WCHAR *key, *url;
    BOOL bracket = FALSE;
    const WCHAR *p;
    size_t i;

    for (p = host; *p && host[0] != '['; p++) if (*p == ':') bracket = TRUE;   /* a bare IPv6 literal */

    *proxy_host = NULL;
    strbuf_append(&sb, secure ? L"https://" : L"http://");
    if (bracket) strbuf_append(&sb, L"[");
    strbuf_append(&sb, host);
    if (bracket) strbuf_append(&sb, L"]");
    strbuf_append(&sb, L":");
    strbuf_append_uint(&sb, port);
    if (!(key = strbuf_detach(&sb))) return;

    if (!choice || strcmpiW(choice->key, key))
    {
        autoproxy_choice_free(choice);
        *state = choice = calloc(1, sizeof(*choice));
        if (!choice)
        {
            free(key);
            return;
        }
        choice->key = key;
        key = NULL;
        memset(&sb, 0, sizeof(sb));
        strbuf_append(&sb, choice->key);
        strbuf_append(&sb, path && *path == '/' ? path : L"/");
        if ((url = strbuf_detach(&sb)))
        {
            /* No WINHTTP_CALLBACK_STATUS_DETECTING_PROXY: documented as not implemented. */
            make_choice(session, url, choice);
            free(url);
        }
        for (i = 0; i < choice->list.count && !usable(&choice->list.entries[i]); i++) ;
        if (i == choice->list.count && choice->list.count)
        {
            WARN("the PAC names nothing WinHTTP can use (SOCKS, HTTPS proxies): going direct\n");
            pac_result_free(&choice->list);
        }
    }
    free(key);

    /* Every new connection starts at the top of the list; only a failover
     * moves down it. */
    if (!choice->failing_over)
        for (choice->index = 0; choice->index < choice->list.count &&
             !usable(&choice->list.entries[choice->index]); choice->index++) ;
    choice->failing_over = FALSE;

    if (!choice->list.count)
    {
        if (choice->static_proxy)
            proxy_select(choice->static_proxy, choice->static_bypass, host, port, secure, proxy_host, proxy_port);
        return;
    }
    if (choice->index < choice->list.count && choice->list.entries[choice->index].type == PAC_ENTRY_PROXY)
    {
        const struct pac_entry *e = &choice->list.entries[choice->index];
        *proxy_host = strdupAW(e->host, -1);
        *proxy_port = e->port ? e->port : INTERNET_DEFAULT_HTTP_PORT;
    }
    TRACE("%s: entry %u of %u: %s:%u\n", debugstr_w(choice->key), (unsigned int)choice->index,
          (unsigned int)choice->list.count, *proxy_host ? debugstr_w(*proxy_host) : "DIRECT", *proxy_host ? *proxy_port : 0);
}

BOOL autoproxy_failover(struct autoproxy_choice *choice)
{
    if (!choice || !choice->list.count) return FALSE;
    while (++choice->index < choice->list.count)
        if (usable(&choice->list.entries[choice->index]))
        {
            TRACE("%s: trying entry %u\n", debugstr_w(choice->key), (unsigned int)choice->index);
            choice->failing_over = TRUE;
            return TRUE;
        }
    return FALSE;
}

/* ------------------------------------------------------------------ */
/* Proxy settings of the newer API                                     */

void WINAPI WinHttpFreeProxySettings(WINHTTP_PROXY_SETTINGS *settings)
{
    TRACE("(%p)\n", settings);
    if (!settings) return;
    GlobalFree(settings->pwszConnectionName);
    GlobalFree(settings->pwszProxy);
    GlobalFree(settings->pwszProxyBypass);
    GlobalFree(settings->pwszAutoconfigUrl);
    GlobalFree(settings->pwszAutoconfigSecondaryUrl);
    GlobalFree(settings->pwszLastKnownGoodAutoConfigUrl);
    memset(settings, 0, sizeof(*settings));
}

static DWORD resolver_unimplemented(HINTERNET handle, DWORD type)
{
    FIXME_ONCE("not implemented\n");
    if (!fail_unimplemented(handle, type)) return GetLastError();
    return ERROR_CALL_NOT_IMPLEMENTED;
}

static LONG settings_generation = 1;     /* bumped by every change of the stored settings */

static void CALLBACK settings_work(TP_CALLBACK_INSTANCE *instance, void *ctx)
{
    struct resolver_job *job = ctx;
    struct resolver *resolver = job->resolver;
    WINHTTP_CURRENT_USER_IE_PROXY_CONFIG ie;
    WINHTTP_PROXY_INFO def;
    ULONGLONG flags = 0;
    WCHAR *proxy = NULL, *bypass = NULL, *config_url = NULL;

    /* The user's settings, as WinHttpGetIEProxyConfigForCurrentUser reads
     * them; the machine's default proxy when the user has no fixed one. */
    memset(&ie, 0, sizeof(ie));
    memset(&def, 0, sizeof(def));
    WinHttpGetIEProxyConfigForCurrentUser(&ie);
    if (ie.fAutoDetect) flags |= WINHTTP_PROXY_TYPE_AUTO_DETECT;
    if (ie.lpszAutoConfigUrl && *ie.lpszAutoConfigUrl)
    {
        flags |= WINHTTP_PROXY_TYPE_AUTO_PROXY_URL;
        config_url = strdupW(ie.lpszAutoConfigUrl);
    }
    if (ie.lpszProxy && *ie.lpszProxy)
    {
        flags |= WINHTTP_PROXY_TYPE_PROXY;
        proxy = strdupW(ie.lpszProxy);
        bypass = strdupW(ie.lpszProxyBypass);
    }
    else if (WinHttpGetDefaultProxyConfiguration(&def) && def.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY &&
             def.lpszProxy)
    {
        flags |= WINHTTP_PROXY_TYPE_PROXY;
        proxy = strdupW(def.lpszProxy);
        bypass = strdupW(def.lpszProxyBypass);
    }
    if (!(flags & WINHTTP_PROXY_TYPE_PROXY)) flags |= WINHTTP_PROXY_TYPE_DIRECT;
    GlobalFree(ie.lpszAutoConfigUrl);
    GlobalFree(ie.lpszProxy);
    GlobalFree(ie.lpszProxyBypass);
    GlobalFree(def.lpszProxy);
    GlobalFree(def.lpszProxyBypass);

    AcquireSRWLockExclusive(&resolver->obj.lock);
    free(resolver->settings_proxy);
    free(resolver->settings_bypass);
    free(resolver->settings_config_url);
    resolver->settings_proxy = proxy;
    resolver->settings_bypass = bypass;
    resolver->settings_config_url = config_url;
    resolver->settings_flags = flags;
    resolver->settings_state = RESOLVER_DONE;
    resolver->obj.context = job->context;
    ReleaseSRWLockExclusive(&resolver->obj.lock);
    send_callback(&resolver->obj, WINHTTP_CALLBACK_STATUS_GETPROXYSETTINGS_COMPLETE, NULL, 0);
    free_job(job);
}

DWORD WINAPI WinHttpGetProxySettingsEx(HINTERNET hresolver, WINHTTP_PROXY_SETTINGS_TYPE type,
                                       PWINHTTP_PROXY_SETTINGS_PARAM param, DWORD_PTR context)
{
    struct resolver_job *job;
    struct resolver *resolver;
    struct object *obj;
    DWORD err = ERROR_IO_PENDING;

    TRACE("(%p, %d, %p, %#lx)\n", hresolver, type, param, context);
    if (!(obj = grab_object_type(hresolver, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER))) return GetLastError();
    resolver = CONTAINING_RECORD(obj, struct resolver, obj);
    if (type != WinHttpProxySettingsTypeWsl && type != WinHttpProxySettingsTypeWsa)
    {
        release_object(obj);
        return ERROR_INVALID_PARAMETER;
    }
    if (param && param->pcwszConnectionName)
        FIXME_ONCE("connection %s: one set of settings for all\n", debugstr_w(param->pcwszConnectionName));
    if (!(job = calloc(1, sizeof(*job))))
    {
        release_object(obj);
        return ERROR_OUTOFMEMORY;
    }
    job->resolver = resolver;
    job->context = context;
    AcquireSRWLockExclusive(&obj->lock);
    if (resolver->settings_state == RESOLVER_BUSY) err = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else resolver->settings_state = RESOLVER_BUSY;
    ReleaseSRWLockExclusive(&obj->lock);
    if (err == ERROR_IO_PENDING && !TrySubmitThreadpoolCallback(settings_work, job, NULL))
    {
        err = GetLastError();
        AcquireSRWLockExclusive(&obj->lock);
        resolver->settings_state = RESOLVER_IDLE;
        ReleaseSRWLockExclusive(&obj->lock);
    }
    if (err != ERROR_IO_PENDING) free_job(job);
    return err;
}

static WCHAR *global_strdup(const WCHAR *s)
{
    size_t len;
    WCHAR *ret;

    if (!s) return NULL;
    len = strlenW(s);
    if ((ret = GlobalAlloc(GMEM_FIXED, (len + 1) * sizeof(WCHAR)))) memcpy(ret, s, (len + 1) * sizeof(WCHAR));
    return ret;
}

static DWORD fill_settings_ex(struct resolver *resolver, WINHTTP_PROXY_SETTINGS_EX *out)
{
    const WCHAR *p, *start, *bypass = resolver->settings_bypass;
    DWORD count = 0;

    memset(out, 0, sizeof(*out));
    out->ullGenerationId = settings_generation;
    out->ullFlags = resolver->settings_flags;
    if ((resolver->settings_config_url && !(out->pcwszAutoconfigUrl = global_strdup(resolver->settings_config_url))) ||
        (resolver->settings_proxy && !(out->pcwszProxy = global_strdup(resolver->settings_proxy))))
        return ERROR_OUTOFMEMORY;
    /* The bypass list, one entry per string. */
    for (p = bypass; p && *p; )
    {
        while (*p == ';' || *p == ' ') p++;
        if (*p) count++;
        while (*p && *p != ';' && *p != ' ') p++;
    }
    if (count && !(out->rgpcwszProxyBypasses = GlobalAlloc(GMEM_FIXED | GMEM_ZEROINIT, count * sizeof(WCHAR *))))
        return ERROR_OUTOFMEMORY;
    for (p = bypass; p && *p; )
    {
        WCHAR *entry;
        while (*p == ';' || *p == ' ') p++;
        start = p;
        while (*p && *p != ';' && *p != ' ') p++;
        if (p == start) continue;
        if (!(entry = GlobalAlloc(GMEM_FIXED, (p - start + 1) * sizeof(WCHAR)))) return ERROR_OUTOFMEMORY;
        memcpy(entry, start, (p - start) * sizeof(WCHAR));
        entry[p - start] = 0;
        out->rgpcwszProxyBypasses[out->cProxyBypasses++] = entry;
    }
    return ERROR_SUCCESS;
}

DWORD WINAPI WinHttpFreeProxySettingsEx(WINHTTP_PROXY_SETTINGS_TYPE type, PVOID settings)
{
    WINHTTP_PROXY_SETTINGS_EX *s = settings;
    DWORD i;

    TRACE("(%d, %p)\n", type, settings);
    if (!settings || (type != WinHttpProxySettingsTypeWsl && type != WinHttpProxySettingsTypeWsa))
        return ERROR_INVALID_PARAMETER;
    GlobalFree((void *)s->pcwszAutoconfigUrl);
    GlobalFree((void *)s->pcwszProxy);
    GlobalFree((void *)s->pcwszSecureProxy);
    GlobalFree((void *)s->pcwszConnectionName);
    for (i = 0; s->rgpcwszProxyBypasses && i < s->cProxyBypasses; i++) GlobalFree((void *)s->rgpcwszProxyBypasses[i]);
    GlobalFree(s->rgpcwszProxyBypasses);
    memset(s, 0, sizeof(*s));
    return ERROR_SUCCESS;
}

DWORD WINAPI WinHttpGetProxySettingsResultEx(HINTERNET hresolver, PVOID result)
{
    struct resolver *resolver;
    struct object *obj;
    DWORD err;

    TRACE("(%p, %p)\n", hresolver, result);
    if (!(obj = grab_object_type(hresolver, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER))) return GetLastError();
    resolver = CONTAINING_RECORD(obj, struct resolver, obj);
    if (!result) err = ERROR_INVALID_PARAMETER;
    else
    {
        AcquireSRWLockShared(&obj->lock);
        if (resolver->settings_state != RESOLVER_DONE) err = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
        else if ((err = fill_settings_ex(resolver, result)))
            WinHttpFreeProxySettingsEx(WinHttpProxySettingsTypeWsl, result);
        ReleaseSRWLockShared(&obj->lock);
    }
    release_object(obj);
    return err;
}

DWORD WINAPI WinHttpGetProxySettingsVersion(HINTERNET hsession, DWORD *version)
{
    TRACE("(%p, %p)\n", hsession, version);
    return resolver_unimplemented(hsession, WINHTTP_HANDLE_TYPE_SESSION);
}

DWORD WINAPI WinHttpReadProxySettings(HINTERNET hsession, PCWSTR connection, BOOL fallback, BOOL autodetect,
                                      DWORD *version, BOOL *defaults_returned, WINHTTP_PROXY_SETTINGS *settings)
{
    TRACE("(%p, %s, %d, %d, %p, %p, %p)\n", hsession, debugstr_w(connection), fallback, autodetect, version,
          defaults_returned, settings);
    return resolver_unimplemented(hsession, WINHTTP_HANDLE_TYPE_SESSION);
}

DWORD WINAPI WinHttpWriteProxySettings(HINTERNET hsession, BOOL force, WINHTTP_PROXY_SETTINGS *settings)
{
    TRACE("(%p, %d, %p)\n", hsession, force, settings);
    return resolver_unimplemented(hsession, WINHTTP_HANDLE_TYPE_SESSION);
}

DWORD WINAPI WinHttpSetProxySettingsPerUser(BOOL per_user)
{
    TRACE("(%d)\n", per_user);
    FIXME_ONCE("not implemented\n");
    return ERROR_CALL_NOT_IMPLEMENTED;
}

/* ------------------------------------------------------------------ */
/* Proxy change notifications                                          */

struct proxy_change_registration
{
    struct list_link { struct proxy_change_registration *next; } link;
    WINHTTP_PROXY_CHANGE_CALLBACK callback;
    void *context;
};

/* Reentrant: a callback may unregister itself. */
static CRITICAL_SECTION notify_cs = { NULL, -1, 0, 0, 0, 0 };
static struct proxy_change_registration *registrations;

DWORD WINAPI WinHttpRegisterProxyChangeNotification(ULONGLONG flags, WINHTTP_PROXY_CHANGE_CALLBACK callback,
                                                    PVOID context, WINHTTP_PROXY_CHANGE_REGISTRATION_HANDLE *handle)
{
    struct proxy_change_registration *reg;

    TRACE("(%s, %p, %p, %p)\n", wine_dbgstr_longlong(flags), callback, context, handle);
    if (!callback || !handle || flags != WINHTTP_PROXY_NOTIFY_CHANGE) return ERROR_INVALID_PARAMETER;
    if (!(reg = calloc(1, sizeof(*reg)))) return ERROR_OUTOFMEMORY;
    reg->callback = callback;
    reg->context = context;
    EnterCriticalSection(&notify_cs);
    reg->link.next = registrations;
    registrations = reg;
    LeaveCriticalSection(&notify_cs);
    *handle = reg;
    return ERROR_SUCCESS;
}

DWORD WINAPI WinHttpUnregisterProxyChangeNotification(WINHTTP_PROXY_CHANGE_REGISTRATION_HANDLE handle)
{
    struct proxy_change_registration **p;

    TRACE("(%p)\n", handle);
    /* notify_cs is held while callbacks run: when this returns, the
     * callback is not running and never will again. */
    EnterCriticalSection(&notify_cs);
    for (p = &registrations; *p; p = &(*p)->link.next)
        if (*p == handle)
        {
            *p = (*p)->link.next;
            LeaveCriticalSection(&notify_cs);
            free(handle);
            return ERROR_SUCCESS;
        }
    LeaveCriticalSection(&notify_cs);
    return ERROR_INVALID_HANDLE;
}

void autoproxy_notify_change(void)
{
    struct proxy_change_registration *reg;

    InterlockedIncrement(&settings_generation);
    EnterCriticalSection(&notify_cs);
    for (reg = registrations; reg; reg = reg->link.next)
    {
        TRACE("calling %p(%p)\n", reg->callback, reg->context);
        reg->callback(WINHTTP_PROXY_NOTIFY_CHANGE, reg->context);
    }
    LeaveCriticalSection(&notify_cs);
}

/* ------------------------------------------------------------------ */

DWORD WINAPI WinHttpQueryConnectionGroup(HINTERNET handle, const GUID *guid, ULONGLONG flags,
                                         PWINHTTP_QUERY_CONNECTION_GROUP_RESULT *result)
{
    TRACE("(%p, %s, %s, %p)\n", handle, wine_dbgstr_guid(guid), wine_dbgstr_longlong(flags), result);
    return resolver_unimplemented(handle, 0);
}

void WINAPI WinHttpFreeQueryConnectionGroupResult(WINHTTP_QUERY_CONNECTION_GROUP_RESULT *result)
{
    TRACE("(%p)\n", result);
    if (result) FIXME_ONCE("connection group results are never allocated by us yet\n");
}
