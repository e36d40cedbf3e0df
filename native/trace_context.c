/*
 * W3C traceparents of version 00, to and from baton_trace_context: the one parser every binding
 * calls. The Java twin is java/.../TraceContext.java (parse, toString), which a channel without
 * libbaton needs too.
 */
#include <stdio.h>
#include <string.h>

#include "baton_internal.h"

/* "00-" trace id (32 hex) "-" parent span id (16 hex) "-" flags (2 hex) */
#define TRACE_ID_AT 3
#define SPAN_ID_AT 36
#define FLAGS_AT 53

/* The value of `digits` hex digits at text, into *value: 1, or 0 when one is not a hex digit. */
static int read_hex(const char *text, int digits, uint64_t *value)
{
    uint64_t read = 0;
    for (int i = 0; i < digits; i++) {
        char c = text[i];
        int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0) {
            return 0;
        }
        read = read << 4 | (uint64_t)digit;
    }
    *value = read;
    return 1;
}

int baton_trace_parse(const char *traceparent, baton_trace_context *trace)
{
    if (traceparent == NULL || trace == NULL) {
        return BATON_EFAULT;
    }
    if (strnlen(traceparent, BATON_TRACEPARENT_LENGTH + 1) != BATON_TRACEPARENT_LENGTH ||
        strncmp(traceparent, "00-", 3) != 0 || traceparent[SPAN_ID_AT - 1] != '-' || traceparent[FLAGS_AT - 1] != '-') {
        return BATON_EINVAL;
    }
    uint64_t hi, lo, span, flags;
    if (!read_hex(traceparent + TRACE_ID_AT, 16, &hi) || !read_hex(traceparent + TRACE_ID_AT + 16, 16, &lo) ||
        !read_hex(traceparent + SPAN_ID_AT, 16, &span) || !read_hex(traceparent + FLAGS_AT, 2, &flags)) {
        return BATON_EINVAL;
    }
    if ((hi == 0 && lo == 0) || span == 0) {
        return BATON_EINVAL; /* W3C: an all-zero trace id or parent id is invalid */
    }
    *trace = (baton_trace_context){
        .trace_id_hi = hi, .trace_id_lo = lo, .parent_span_id = span, .flags = (uint32_t)flags,
    };
    return BATON_OK;
}

int baton_trace_format(const baton_trace_context *trace, char *text, uint32_t capacity)
{
    if (trace == NULL || (text == NULL && capacity != 0)) {
        return BATON_EFAULT;
    }
    if (capacity < BATON_TRACEPARENT_LENGTH + 1) {
        return BATON_EMSGSIZE;
    }
    if (trace->trace_id_hi == 0 && trace->trace_id_lo == 0) {
        text[0] = '\0';
        return 0;
    }
    snprintf(text, capacity, "00-%016llx%016llx-%016llx-%02x", (unsigned long long)trace->trace_id_hi,
             (unsigned long long)trace->trace_id_lo, (unsigned long long)trace->parent_span_id, trace->flags & 0xFF);
    return BATON_TRACEPARENT_LENGTH;
}
