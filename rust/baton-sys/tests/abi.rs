//! Holds the declarations to include/baton.h, as the Java side's AbiConformanceTest does: every
//! size, offset and constant against what the C compiler makes of the header (tests/c/abi_dump.c,
//! run from `BATON_ABI_DUMP`), and every function of the header declared here and resolved in
//! libbaton. The project's Makefile builds the dump and sets both variables.
#![cfg(baton_abi_dump)]

use std::collections::{BTreeSet, HashMap};
use std::mem::{offset_of, size_of};
use std::process::Command;

use baton_sys::*;

fn dump() -> HashMap<String, i64> {
    let output = Command::new(env!("BATON_ABI_DUMP")).output().expect("abi_dump runs");
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(3, words.len(), "{line}");
            (format!("{} {}", words[0], words[1]), words[2].parse().unwrap())
        })
        .collect()
}

macro_rules! assert_layout {
    ($c:ident, $type:ty, [$($field:ident),+ $(,)?]) => {{
        let mut fields = vec![(format!("size {}", stringify!($type)), size_of::<$type>() as i64)];
        $(fields.push((format!("offset {}.{}", stringify!($type), stringify!($field)), offset_of!($type, $field) as i64));)+
        for (key, rust) in fields {
            assert_eq!(Some(&rust), $c.get(&key), "{key}");
        }
    }};
}

#[test]
fn every_api_struct_has_the_headers_size_and_offsets() {
    let c = dump();
    assert_layout!(c, baton_config, [slab_capacity, slot_size, dispatch_ring_capacity, completion_ring_capacity,
        latency_ring_capacity, attachment_capacity, completion_timeout_ns, starvation_threshold_ns, redelivery_limit,
        yield_limit, block_counts]);
    assert_layout!(c, baton_event, [handle, kind, payload_length, event_id_hi, event_id_lo, correlation_id_hi,
        correlation_id_lo, dispatched_at_ns, deadline_ns, redeliveries, yields, payload]);
    assert_layout!(c, baton_outcome, [handle, status, result_length, timed_out, kind, event_id_hi, event_id_lo,
        latency_ns, result]);
    assert_layout!(c, baton_metrics, [pending_count, waiting_count, in_progress_count, awaiting_drain_count,
        starving_count, oldest_pending_age_ns, newest_pending_age_ns, oldest_event_id_hi, oldest_event_id_lo]);
    assert_layout!(c, baton_drain_counts, [completed_count, timed_out_count, rejected_record_count,
        unblocked_record_count]);
    assert_layout!(c, baton_trace_context, [trace_id_hi, trace_id_lo, parent_span_id, handler_span_id, flags,
        reserved]);
    assert_layout!(c, baton_payload_claim, [token, payload, payload_length, reserved]);
    assert_layout!(c, baton_completion, [handle, status, result_length, result, handler_span_id]);
    assert_layout!(c, baton_dispatch_entry, [event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo,
        trace_id_hi, trace_id_lo, parent_span_id, trace_flags, kind, payload, payload_length, redeliveries]);
    assert_layout!(c, baton_listed_event, [handle, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo,
        dispatched_at_ns, kind, state, redeliveries, yields]);
}

#[test]
fn every_result_code_and_constant_has_the_headers_value() {
    let c = dump();
    let codes: Vec<(String, i64)> = BATON_CODES.iter().map(|(code, name)| (name.to_string(), *code as i64)).collect();
    let header_codes: BTreeSet<&String> =
        c.keys().filter(|key| key.starts_with("define BATON_E") || *key == "define BATON_OK").collect();
    assert_eq!(header_codes.len(), codes.len(), "every code of the header, and no other");
    let constants = [
        ("BATON_ABI_MAJOR", BATON_ABI_MAJOR as i64),
        ("BATON_ABI_MINOR", BATON_ABI_MINOR as i64),
        ("BATON_ABI_VERSION", BATON_ABI_VERSION as i64),
        ("BATON_SEGMENT_ALIGNMENT", BATON_SEGMENT_ALIGNMENT as i64),
        ("BATON_WAIT_FOREVER", BATON_WAIT_FOREVER),
        ("BATON_HOST_WATCH_NS", BATON_HOST_WATCH_NS),
        ("BATON_FILE_MODE_DEFAULT", BATON_FILE_MODE_DEFAULT as i64),
        ("BATON_OPEN_ANY_OWNER", BATON_OPEN_ANY_OWNER as i64),
        ("BATON_TRACEPARENT_LENGTH", BATON_TRACEPARENT_LENGTH as i64),
        ("BATON_STRUCT_CONFIG", BATON_STRUCT_CONFIG as i64),
        ("BATON_STRUCT_EVENT", BATON_STRUCT_EVENT as i64),
        ("BATON_STRUCT_OUTCOME", BATON_STRUCT_OUTCOME as i64),
        ("BATON_STRUCT_METRICS", BATON_STRUCT_METRICS as i64),
        ("BATON_STRUCT_DRAIN_COUNTS", BATON_STRUCT_DRAIN_COUNTS as i64),
        ("BATON_STRUCT_TRACE_CONTEXT", BATON_STRUCT_TRACE_CONTEXT as i64),
        ("BATON_STRUCT_PAYLOAD_CLAIM", BATON_STRUCT_PAYLOAD_CLAIM as i64),
        ("BATON_STRUCT_COMPLETION", BATON_STRUCT_COMPLETION as i64),
        ("BATON_STRUCT_DISPATCH_ENTRY", BATON_STRUCT_DISPATCH_ENTRY as i64),
        ("BATON_STRUCT_LISTED_EVENT", BATON_STRUCT_LISTED_EVENT as i64),
        ("BATON_YIELD_LIMIT_DEFAULT", BATON_YIELD_LIMIT_DEFAULT as i64),
        ("BATON_SLOT_HEADER_LENGTH", BATON_SLOT_HEADER_LENGTH as i64),
        ("BATON_COMPLETION_BODY_LENGTH", BATON_COMPLETION_BODY_LENGTH as i64),
        ("BATON_BLOCK_CLASSES", BATON_BLOCK_CLASSES as i64),
        ("BATON_BLOCK_SIZE_MIN", BATON_BLOCK_SIZE_MIN as i64),
    ];
    for (name, value) in codes.iter().map(|(name, value)| (name.as_str(), *value)).chain(constants) {
        assert_eq!(Some(&value), c.get(&format!("define {name}")), "{name}");
    }
}

/// A function's name and address.
macro_rules! function {
    ($name:ident) => {
        (stringify!($name), $name as *const () as usize)
    };
}

#[test]
fn every_function_of_the_header_is_declared_and_resolves() {
    // Taking each function's address makes the linker resolve it in libbaton.
    let declared: [(&str, usize); 44] = [
        function!(baton_segment_length),
        function!(baton_format),
        function!(baton_attach),
        function!(baton_detach),
        function!(baton_memory),
        function!(baton_create),
        function!(baton_open),
        function!(baton_close),
        function!(baton_dispatch),
        function!(baton_dispatch_traced),
        function!(baton_claim),
        function!(baton_commit),
        function!(baton_abort),
        function!(baton_yield),
        function!(baton_poll),
        function!(baton_await_events),
        function!(baton_read_payload),
        function!(baton_poll_batch),
        function!(baton_complete),
        function!(baton_complete_traced),
        function!(baton_complete_batch),
        function!(baton_dispatch_batch),
        function!(baton_read_trace),
        function!(baton_read_traces),
        function!(baton_drain_each),
        function!(baton_drain),
        function!(baton_await_outcomes),
        function!(baton_notify_dispatched),
        function!(baton_notify_completed),
        function!(baton_record_latency),
        function!(baton_reclaim_expired),
        function!(baton_reap),
        function!(baton_adopt),
        function!(baton_attachment_tag),
        function!(baton_cancel),
        function!(baton_read_metrics),
        function!(baton_read_drain_counts),
        function!(baton_list_events),
        function!(baton_abi_version),
        function!(baton_struct_size),
        function!(baton_strerror),
        function!(baton_error_detail),
        function!(baton_trace_parse),
        function!(baton_trace_format),
    ];
    assert!(declared.iter().all(|(_, address)| *address != 0));
    let declared: BTreeSet<&str> = declared.iter().map(|(name, _)| *name).collect();
    let header = std::fs::read_to_string(env!("BATON_HEADER")).unwrap();
    // A declaration is a line that starts with BATON_API and names its function before the '('.
    let in_header: BTreeSet<&str> = header
        .lines()
        .filter_map(|line| line.strip_prefix("BATON_API "))
        .filter_map(|declaration| declaration.split('(').next()?.rsplit([' ', '*']).next())
        .collect();
    assert_eq!(in_header, declared, "every function of baton.h is declared here, and no other");
}
