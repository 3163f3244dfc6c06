/*
 * Auto-proxy (WPAD/PAC), the proxy resolver handle and the newer proxy
 * settings API.  Discovery and PAC evaluation land with their own issue; the
 * resolver handle and the free functions already work so that callers can
 * manage their objects.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

struct resolver
{
    struct object obj;
};

static void resolver_destroy(struct object *obj)
{
    free(CONTAINING_RECORD(obj, struct resolver, obj));
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
        if (!(*hresolver = alloc_handle(&resolver->obj))) ret = GetLastError();
        release_object(&resolver->obj);
    }
    release_object(obj);
    return ret;
}

static DWORD resolver_unimplemented(HINTERNET handle, DWORD type)
{
    FIXME_ONCE("proxy auto-configuration not implemented\n");
    if (!fail_unimplemented(handle, type)) return GetLastError();
    return ERROR_CALL_NOT_IMPLEMENTED;
}

BOOL WINAPI WinHttpDetectAutoProxyConfigUrl(DWORD flags, LPWSTR *url)
{
    TRACE("(%#x, %p)\n", flags, url);
    if (!flags || !url)
    {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    FIXME_ONCE("WPAD discovery (DHCP/DNS) not implemented, reporting no configuration\n");
    *url = NULL;
    SetLastError(ERROR_WINHTTP_AUTODETECTION_FAILED);
    return FALSE;
}

BOOL WINAPI WinHttpGetProxyForUrl(HINTERNET hsession, LPCWSTR url, WINHTTP_AUTOPROXY_OPTIONS *options,
                                  WINHTTP_PROXY_INFO *info)
{
    TRACE("(%p, %s, %p, %p)\n", hsession, debugstr_w(url), options, info);
    FIXME_ONCE("proxy auto-configuration not implemented\n");
    return fail_unimplemented(hsession, WINHTTP_HANDLE_TYPE_SESSION);
}

DWORD WINAPI WinHttpGetProxyForUrlEx(HINTERNET hresolver, PCWSTR url, WINHTTP_AUTOPROXY_OPTIONS *options,
                                     DWORD_PTR context)
{
    TRACE("(%p, %s, %p, %#lx)\n", hresolver, debugstr_w(url), options, context);
    return resolver_unimplemented(hresolver, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER);
}

DWORD WINAPI WinHttpGetProxyForUrlEx2(HINTERNET hresolver, PCWSTR url, WINHTTP_AUTOPROXY_OPTIONS *options,
                                      DWORD selection_len, BYTE *selection, DWORD_PTR context)
{
    TRACE("(%p, %s, %p, %u, %p, %#lx)\n", hresolver, debugstr_w(url), options, selection_len, selection, context);
    return resolver_unimplemented(hresolver, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER);
}

DWORD WINAPI WinHttpGetProxyResult(HINTERNET hresolver, WINHTTP_PROXY_RESULT *result)
{
    TRACE("(%p, %p)\n", hresolver, result);
    return resolver_unimplemented(hresolver, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER);
}

DWORD WINAPI WinHttpGetProxyResultEx(HINTERNET hresolver, WINHTTP_PROXY_RESULT_EX *result)
{
    TRACE("(%p, %p)\n", hresolver, result);
    return resolver_unimplemented(hresolver, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER);
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

DWORD WINAPI WinHttpFreeProxySettingsEx(WINHTTP_PROXY_SETTINGS_TYPE type, PVOID settings)
{
    TRACE("(%d, %p)\n", type, settings);
    if (!settings) return ERROR_INVALID_PARAMETER;
    FIXME_ONCE("WINHTTP_PROXY_SETTINGS_EX is never allocated by us yet\n");
    return ERROR_SUCCESS;
}

DWORD WINAPI WinHttpGetProxySettingsEx(HINTERNET hresolver, WINHTTP_PROXY_SETTINGS_TYPE type,
                                       PWINHTTP_PROXY_SETTINGS_PARAM param, DWORD_PTR context)
{
    TRACE("(%p, %d, %p, %#lx)\n", hresolver, type, param, context);
    return resolver_unimplemented(hresolver, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER);
}

DWORD WINAPI WinHttpGetProxySettingsResultEx(HINTERNET hresolver, PVOID result)
{
    TRACE("(%p, %p)\n", hresolver, result);
    return resolver_unimplemented(hresolver, WINHTTP_HANDLE_TYPE_PROXY_RESOLVER);
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

DWORD WINAPI WinHttpResetAutoProxy(HINTERNET hsession, DWORD flags)
{
    TRACE("(%p, %#x)\n", hsession, flags);
    return resolver_unimplemented(hsession, WINHTTP_HANDLE_TYPE_SESSION);
}

DWORD WINAPI WinHttpSetProxySettingsPerUser(BOOL per_user)
{
    TRACE("(%d)\n", per_user);
    FIXME_ONCE("not implemented\n");
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI WinHttpRegisterProxyChangeNotification(ULONGLONG flags, WINHTTP_PROXY_CHANGE_CALLBACK callback,
                                                    PVOID context, WINHTTP_PROXY_CHANGE_REGISTRATION_HANDLE *handle)
{
    TRACE("(%s, %p, %p, %p)\n", wine_dbgstr_longlong(flags), callback, context, handle);
    FIXME_ONCE("not implemented\n");
    if (!callback || !handle) return ERROR_INVALID_PARAMETER;
    return ERROR_CALL_NOT_IMPLEMENTED;
}

DWORD WINAPI WinHttpUnregisterProxyChangeNotification(WINHTTP_PROXY_CHANGE_REGISTRATION_HANDLE handle)
{
    TRACE("(%p)\n", handle);
    FIXME_ONCE("not implemented\n");
    return ERROR_INVALID_HANDLE;
}

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
