/*
 * DLL entry points and the COM server exports.
 *
 * The one class this DLL serves, WinHttp.WinHttpRequest.5.1, lives in
 * httprequest.c; these exports only forward to it.
 */
#include "winhttp_private.h"
#include "objbase.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* httprequest.c */
HRESULT httprequest_get_class_object(REFCLSID clsid, REFIID riid, void **obj);
BOOL httprequest_in_use(void);
HRESULT httprequest_register(HINSTANCE instance);
HRESULT httprequest_unregister(void);

HINSTANCE winhttp_instance;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    TRACE("(%p, %u, %p)\n", instance, reason, reserved);
    if (reason == DLL_PROCESS_ATTACH)
    {
        winhttp_instance = instance;
        DisableThreadLibraryCalls(instance);
    }
    return TRUE;
}

HRESULT WINAPI DllCanUnloadNow(void)
{
    TRACE("()\n");
    return live_handle_count() || httprequest_in_use() ? S_FALSE : S_OK;
}

HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID riid, void **obj)
{
    TRACE("(%s, %s, %p)\n", wine_dbgstr_guid(clsid), wine_dbgstr_guid(riid), obj);
    if (!obj) return E_INVALIDARG;
    *obj = NULL;
    return httprequest_get_class_object(clsid, riid, obj);
}

HRESULT WINAPI DllRegisterServer(void)
{
    TRACE("()\n");
    return httprequest_register(winhttp_instance);
}

HRESULT WINAPI DllUnregisterServer(void)
{
    TRACE("()\n");
    return httprequest_unregister();
}
