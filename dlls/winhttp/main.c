/*
 * DLL entry points and the COM server exports.
 *
 * The WinHttp.WinHttpRequest.5.1 object (IWinHttpRequest) is its own issue;
 * until it lands, DllGetClassObject answers CLASS_E_CLASSNOTAVAILABLE, which
 * is what COM callers handle as "not registered here".
 */
#include "winhttp_private.h"
#include "objbase.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    TRACE("(%p, %u, %p)\n", instance, reason, reserved);
    if (reason == DLL_PROCESS_ATTACH) DisableThreadLibraryCalls(instance);
    return TRUE;
}

HRESULT WINAPI DllCanUnloadNow(void)
{
    TRACE("()\n");
    return live_handle_count() ? S_FALSE : S_OK;
}

HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID riid, void **obj)
{
    TRACE("(%s, %s, %p)\n", wine_dbgstr_guid(clsid), wine_dbgstr_guid(riid), obj);
    if (!obj) return E_INVALIDARG;
    *obj = NULL;
    FIXME_ONCE("WinHttpRequest COM object not implemented yet\n");
    return CLASS_E_CLASSNOTAVAILABLE;
}

HRESULT WINAPI DllRegisterServer(void)
{
    FIXME_ONCE("COM registration not implemented yet\n");
    return S_OK;
}

HRESULT WINAPI DllUnregisterServer(void)
{
    FIXME_ONCE("COM unregistration not implemented yet\n");
    return S_OK;
}
