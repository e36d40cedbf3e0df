# frozen_string_literal: true

require "ffi"

module Baton
  # libbaton through the ffi gem: the API structs of baton.h, written by hand in jextract's style,
  # and each function. Loading checks the library's ABI version and holds every struct to the
  # library's size of it (baton_abi_version, baton_struct_size), refusing a mismatch before any
  # call; test/test_abi.rb holds the offsets and constants to what the C compiler makes of baton.h.
  #
  # Functions that may sleep are attached with blocking: true, so that they run without the GVL
  # and every other Ruby thread goes on.
  module Native
    extend FFI::Library

    ABI_MAJOR = 6
    ABI_MINOR = 0 # the oldest minor with every function bound here
    WAIT_FOREVER = -1
    OPEN_ANY_OWNER = 1
    FILE_MODE_DEFAULT = 0o600
    SLOT_HEADER_LENGTH = 128
    COMPLETION_BODY_LENGTH = 16
    BLOCK_CLASSES = 16
    BLOCK_SIZE_MIN = 1024

    # libbaton was not found, or is not the ABI this binding was written for.
    class LibraryMismatch < LoadError; end

    class Config < FFI::Struct
      layout :slab_capacity, :uint32, :slot_size, :uint32, :dispatch_ring_capacity, :uint32,
             :completion_ring_capacity, :uint32, :latency_ring_capacity, :uint32, :attachment_capacity, :uint32,
             :completion_timeout_ns, :int64, :starvation_threshold_ns, :int64, :redelivery_limit, :uint32,
             :yield_limit, :uint32, :block_counts, [:uint32, BLOCK_CLASSES]
    end

    class Event < FFI::Struct
      layout :handle, :uint64, :kind, :int32, :payload_length, :uint32, :event_id_hi, :uint64, :event_id_lo, :uint64,
             :correlation_id_hi, :uint64, :correlation_id_lo, :uint64, :dispatched_at_ns, :int64, :deadline_ns, :int64,
             :redeliveries, :uint32, :yields, :uint32, :payload, :pointer
    end

    class Outcome < FFI::Struct
      layout :handle, :uint64, :status, :int32, :result_length, :uint32, :timed_out, :int32, :kind, :int32,
             :event_id_hi, :uint64, :event_id_lo, :uint64, :latency_ns, :int64, :result, :pointer
    end

    class Metrics < FFI::Struct
      layout :pending_count, :uint64, :waiting_count, :uint64, :in_progress_count, :uint64,
             :awaiting_drain_count, :uint64, :starving_count, :uint64, :oldest_pending_age_ns, :int64,
             :newest_pending_age_ns, :int64, :oldest_event_id_hi, :uint64, :oldest_event_id_lo, :uint64
    end

    class DrainCounts < FFI::Struct
      layout :completed_count, :uint64, :timed_out_count, :uint64, :rejected_record_count, :uint64,
             :unblocked_record_count, :uint64
    end

    # baton_struct_size's ids (BATON_STRUCT_*), each with the struct written here for it.
    class TraceContext < FFI::Struct
      layout :trace_id_hi, :uint64, :trace_id_lo, :uint64, :parent_span_id, :uint64, :handler_span_id, :uint64,
             :flags, :uint32, :reserved, :uint32
    end

    class PayloadClaim < FFI::Struct
      layout :token, :uint64, :payload, :pointer, :payload_length, :uint32, :reserved, :uint32
    end

    STRUCTS = { 1 => Config, 2 => Event, 3 => Outcome, 4 => Metrics, 5 => DrainCounts, 6 => TraceContext,
                7 => PayloadClaim }.freeze

    def self.library_path
      ENV.fetch("BATON_LIBRARY", nil) || "libbaton.so.#{ABI_MAJOR}"
    end

    # Raises LibraryMismatch unless the library's ABI and struct sizes are the ones bound here.
    def self.check(version, sizes, path)
      major = version >> 16
      minor = version & 0xFFFF
      if major != ABI_MAJOR || minor < ABI_MINOR
        raise LibraryMismatch, "#{path} has ABI #{major}.#{minor}; this binding needs #{ABI_MAJOR}.x with x >= #{ABI_MINOR}"
      end

      STRUCTS.each do |id, struct|
        next if sizes[id] == struct.size

        raise LibraryMismatch, "#{path} has a #{sizes[id]}-byte #{struct.name}; this binding wrote one of #{struct.size}"
      end
    end

    begin
      ffi_lib library_path
    rescue LoadError => e
      raise LibraryMismatch, "libbaton not loaded from #{library_path} (#{e.message}): " \
                             "install it (make install) or set BATON_LIBRARY"
    end
    begin
      attach_function :baton_abi_version, [], :uint32
    rescue FFI::NotFoundError
      raise LibraryMismatch, "#{library_path} is older than ABI #{ABI_MAJOR}.#{ABI_MINOR}: it has no baton_abi_version"
    end
    attach_function :baton_struct_size, [:uint32], :uint32
    check(baton_abi_version, STRUCTS.keys.to_h { |id| [id, baton_struct_size(id)] }, library_path)

    attach_function :baton_strerror, [:int], :string
    attach_function :baton_create, [:string, Config.by_ref, :uint32, :pointer], :int
    attach_function :baton_open, [:string, :uint32, :pointer], :int
    attach_function :baton_detach, [:pointer], :int, blocking: true
    attach_function :baton_close, [:pointer], :int
    attach_function :baton_reap, [:pointer], :int
    attach_function :baton_dispatch_traced, %i[pointer uint64 uint64 uint64 uint64 int32 pointer pointer uint32], :int64
    attach_function :baton_claim, [:pointer, :uint64, :uint64, :uint64, :uint64, :int32, :pointer, :uint32,
                                            PayloadClaim.by_ref], :int
    attach_function :baton_commit, [:pointer, PayloadClaim.by_ref], :int64
    attach_function :baton_abort, [:pointer, PayloadClaim.by_ref], :int
    attach_function :baton_yield, %i[pointer uint64 pointer uint32], :int
    attach_function :baton_read_trace, [:pointer, :uint64, TraceContext.by_ref], :int
    attach_function :baton_poll, [:pointer, Event.by_ref, :int64], :int, blocking: true
    attach_function :baton_read_payload, [:pointer, Event.by_ref, :pointer, :uint32], :int
    attach_function :baton_complete_traced, %i[pointer uint64 int32 uint64 pointer uint32], :int
    attach_function :baton_cancel, %i[pointer uint64], :int
    attach_function :baton_drain, %i[pointer pointer pointer uint32 pointer uint32], :int
    attach_function :baton_await_outcomes, %i[pointer int64], :int, blocking: true
    attach_function :baton_reclaim_expired, [:pointer], :int
    attach_function :baton_read_metrics, [:pointer, Metrics.by_ref], :int
    attach_function :baton_read_drain_counts, [:pointer, DrainCounts.by_ref], :int
  end
end
