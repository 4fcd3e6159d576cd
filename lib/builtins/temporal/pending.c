/*
 * pending.c - placeholders for Temporal pieces not written yet; each throws.
 */
#include "temporal.h"
#define STUB(name) jsv name(js_thread *t, jsv this_val, int argc, jsv *argv, int magic) \
    { return jsvm_throw_type_error(t, #name " is not implemented yet"); }
STUB(tp_date_to_zoned)
int tp_zoned_date_time(js_thread *t, js_temporal *z, tp_date *d, tp_time *tm)
{ jsvm_throw_type_error(t, "ZonedDateTime not implemented yet"); return -1; }
STUB(tp_datetime_to_zoned)
