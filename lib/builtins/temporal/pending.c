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
STUB(tp_date_add)
STUB(tp_date_until)
STUB(tp_time_add)
STUB(tp_time_until)
STUB(tp_datetime_add)
STUB(tp_datetime_until)
jsv tp_make_yearmonth(js_thread *t, tp_date d, jsv new_target) { return jsvm_throw_type_error(t, "not implemented yet"); }
jsv tp_make_monthday(js_thread *t, tp_date d, jsv new_target) { return jsvm_throw_type_error(t, "not implemented yet"); }
