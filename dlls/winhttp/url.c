/*
 * WinHttpCrackUrl and WinHttpCreateUrl.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

BOOL WINAPI WinHttpCrackUrl(LPCWSTR url, DWORD len, DWORD flags, URL_COMPONENTS *uc)
{
    TRACE("(%s, %u, %#x, %p)\n", debugstr_wn(url, len ? (int)len : -1), len, flags, uc);
    FIXME_ONCE("not implemented\n");
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return FALSE;
}

BOOL WINAPI WinHttpCreateUrl(URL_COMPONENTS *uc, DWORD flags, LPWSTR url, LPDWORD len)
{
    TRACE("(%p, %#x, %p, %p)\n", uc, flags, url, len);
    FIXME_ONCE("not implemented\n");
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return FALSE;
}
