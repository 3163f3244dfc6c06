/*
 * HINTERNET handles.
 *
 * A handle is an index into a table plus a generation count, never a
 * pointer: a garbage, stale or closed value is recognised by a bounds and
 * generation check and answered with ERROR_INVALID_HANDLE instead of a
 * crash.  Objects are reference counted; a call that is working on an
 * object holds a reference, so WinHttpCloseHandle from another thread only
 * drops the table's reference and the object dies when the last user lets
 * go.  Children hold a reference to their parent, which makes closing a
 * parent handle while children live safe.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

#define HANDLE_INDEX_BITS 20
#define HANDLE_INDEX_MASK ((1u << HANDLE_INDEX_BITS) - 1)
#define HANDLE_MAX_COUNT  HANDLE_INDEX_MASK

struct handle_slot
{
    struct object *obj;
    UINT generation;        /* bumped on every free, so stale values fail */
    UINT next_free;         /* index + 1 of the next free slot, 0 = none */
};

static SRWLOCK table_lock = SRWLOCK_INIT;
static struct handle_slot *slots;
static UINT slot_count, slot_capacity;
static UINT free_head;      /* index + 1 */
static LONG live_handles;

static HINTERNET make_handle(UINT index, UINT generation)
{
    /* Low bits: index + 1 so that no handle is NULL.  High bits: generation
     * (kept non-zero and below 2^11 so the value fits in 31 bits and reads
     * like the small opaque values Windows hands out). */
    return (HINTERNET)(ULONG_PTR)(((ULONG_PTR)(generation & 0x7ff) << HANDLE_INDEX_BITS) | (index + 1));
}

void object_init(struct object *obj, DWORD type, const struct object_vtbl *vtbl, struct object *parent)
{
    obj->vtbl = vtbl;
    obj->type = type;
    obj->refs = 1;
    obj->handle = NULL;
    obj->parent = parent ? addref_object(parent) : NULL;
    obj->handle_closed = 0;
    InitializeSRWLock(&obj->lock);
    if (parent)
    {
        /* Children start with the parent's status callback and context. */
        obj->callback = parent->callback;
        obj->notify_mask = parent->notify_mask;
        obj->context = parent->context;
    }
}

HINTERNET alloc_handle(struct object *obj)
{
    HINTERNET handle = NULL;
    UINT index;

    AcquireSRWLockExclusive(&table_lock);
    if (free_head)
    {
        index = free_head - 1;
        free_head = slots[index].next_free;
    }
    else
    {
        if (slot_count == slot_capacity)
        {
            UINT capacity = slot_capacity ? slot_capacity * 2 : 64;
            struct handle_slot *new_slots;
            if (capacity > HANDLE_MAX_COUNT ||
                !(new_slots = realloc(slots, capacity * sizeof(*slots))))
                goto done;
            memset(new_slots + slot_capacity, 0, (capacity - slot_capacity) * sizeof(*slots));
            slots = new_slots;
            slot_capacity = capacity;
        }
        index = slot_count++;
        slots[index].generation = 1;
    }
    slots[index].obj = addref_object(obj);   /* the table's reference */
    slots[index].next_free = 0;
    handle = obj->handle = make_handle(index, slots[index].generation);
    InterlockedIncrement(&live_handles);
done:
    ReleaseSRWLockExclusive(&table_lock);
    if (!handle) SetLastError(ERROR_OUTOFMEMORY);
    return handle;
}

/* Table lock held.  Returns the slot index or -1. */
static int lookup_slot(HINTERNET handle)
{
    ULONG_PTR value = (ULONG_PTR)handle;
    UINT index, generation;

    if (!value || (value >> 31)) return -1;
    index = (value & HANDLE_INDEX_MASK);
    if (!index) return -1;
    index--;
    generation = (UINT)(value >> HANDLE_INDEX_BITS);
    if (index >= slot_count || !slots[index].obj) return -1;
    if ((slots[index].generation & 0x7ff) != generation) return -1;
    return index;
}

struct object *addref_object(struct object *obj)
{
    InterlockedIncrement(&obj->refs);
    return obj;
}

struct object *grab_object(HINTERNET handle)
{
    struct object *obj = NULL;
    int index;

    AcquireSRWLockShared(&table_lock);
    if ((index = lookup_slot(handle)) >= 0) obj = addref_object(slots[index].obj);
    ReleaseSRWLockShared(&table_lock);

    if (!obj) SetLastError(ERROR_INVALID_HANDLE);
    return obj;
}

struct object *grab_object_type(HINTERNET handle, DWORD type)
{
    struct object *obj = grab_object(handle);
    if (obj && obj->type != type)
    {
        release_object(obj);
        SetLastError(ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
        return NULL;
    }
    return obj;
}

void release_object(struct object *obj)
{
    struct object *parent;
    LONG refs;

    if (!obj) return;
    refs = InterlockedDecrement(&obj->refs);
    if (refs > 0) return;
    if (refs < 0)
    {
        ERR("object %p released too often\n", obj);
        return;
    }
    TRACE("destroying object %p type %u\n", obj, obj->type);
    /* HANDLE_CLOSING is the last notification of a handle: sent when its last
     * user (a pending asynchronous operation, a child handle) let go, so
     * nothing can follow it. */
    if (obj->handle) send_callback(obj, WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING, &obj->handle, sizeof(obj->handle));
    parent = obj->parent;
    obj->vtbl->destroy(obj);
    release_object(parent);
}

BOOL close_handle(HINTERNET handle)
{
    struct object *obj = NULL;
    int index;

    AcquireSRWLockExclusive(&table_lock);
    if ((index = lookup_slot(handle)) >= 0)
    {
        obj = slots[index].obj;     /* take over the table's reference */
        slots[index].obj = NULL;
        slots[index].generation++;
        if (!(slots[index].generation & 0x7ff)) slots[index].generation = 1;
        slots[index].next_free = free_head;
        free_head = index + 1;
        InterlockedDecrement(&live_handles);
    }
    ReleaseSRWLockExclusive(&table_lock);

    if (!obj)
    {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    InterlockedExchange(&obj->handle_closed, 1);
    if (obj->vtbl->closed) obj->vtbl->closed(obj);
    release_object(obj);
    return TRUE;
}

LONG live_handle_count(void)
{
    return live_handles;
}

void send_callback(struct object *obj, DWORD status, void *info, DWORD info_len)
{
    WINHTTP_STATUS_CALLBACK callback;
    DWORD_PTR context;
    HINTERNET handle;

    /* After WinHttpCloseHandle only HANDLE_CLOSING is delivered: operations
     * still unwinding (cancelled) complete silently. */
    if (obj->handle_closed && status != WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING) return;
    AcquireSRWLockShared(&obj->lock);
    callback = (obj->notify_mask & status) ? obj->callback : NULL;
    context = obj->context;
    handle = obj->handle;
    ReleaseSRWLockShared(&obj->lock);

    if (!callback || callback == WINHTTP_INVALID_STATUS_CALLBACK) return;
    TRACE("%p: status %#x, info %p, len %u\n", handle, status, info, info_len);
    callback(handle, context, status, info, info_len);
    TRACE("%p: returned from callback for status %#x\n", handle, status);
}

/* For entry points whose behaviour has not landed yet: validate the handle
 * exactly as the real function will (so bad handles get the right error),
 * then fail with ERROR_CALL_NOT_IMPLEMENTED.  type 0 accepts any type. */
BOOL fail_unimplemented(HINTERNET handle, DWORD type)
{
    struct object *obj = type ? grab_object_type(handle, type) : grab_object(handle);
    if (!obj) return FALSE;
    release_object(obj);
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return FALSE;
}
