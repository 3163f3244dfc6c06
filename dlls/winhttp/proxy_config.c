/*
 * The machine's default proxy (WinHttpGet/SetDefaultProxyConfiguration) and
 * the current user's IE proxy settings, kept in the registry.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

BOOL proxy_config_get_default(WINHTTP_PROXY_INFO *info)
{
    info->dwAccessType = WINHTTP_ACCESS_TYPE_NO_PROXY;
    info->lpszProxy = info->lpszProxyBypass = NULL;
    return TRUE;
}

BOOL WINAPI WinHttpGetDefaultProxyConfiguration(WINHTTP_PROXY_INFO *info)
{
    TRACE("(%p)\n", info);
    FIXME_ONCE("not implemented\n");
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return FALSE;
}

BOOL WINAPI WinHttpSetDefaultProxyConfiguration(WINHTTP_PROXY_INFO *info)
{
    TRACE("(%p)\n", info);
    FIXME_ONCE("not implemented\n");
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return FALSE;
}

BOOL WINAPI WinHttpGetIEProxyConfigForCurrentUser(WINHTTP_CURRENT_USER_IE_PROXY_CONFIG *config)
{
    TRACE("(%p)\n", config);
    FIXME_ONCE("not implemented\n");
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return FALSE;
}
