# frozen_string_literal: true

require "securerandom"

module Baton
  # What became of a completion: the ordinary outcomes of a race with the event's end.
  module Completed
    ACCEPTED = :accepted
    TIMED_OUT = :timed_out # the event's deadline passed first: the host saw a timeout
    STALE = :stale         # the event ended meanwhile (cancelled, or timed out and its slot reused)
  end

  # What became of a yield (Channel#yield_event).
  module Yielded
    REQUEUED = :requeued   # dispatched again with the continuation; this handler holds it no longer
    ENDED = :ended         # it had yielded yield_limit times: completed with status BATON_ELOOP instead
    TIMED_OUT = :timed_out # the event's deadline passed first
    STALE = :stale         # the event ended meanwhile
  end

  # data, when it is a String of bytes; TypeError for anything else.
  def self.bytes_of(data)
    raise TypeError, "payloads and results are Strings of bytes, not #{data.class}" unless data.is_a?(String)

    data
  end

  # One attachment to a channel in a file. Safe to share between threads. Channel.open with a block
  # detaches at its end. Waits sleep in libbaton without the GVL, in slices of at most
  # WAIT_SLICE_NS, so that Thread#kill, Ctrl-C and a detach from another thread take effect within one.
  class Channel
    WAIT_SLICE_NS = 100_000_000
    EINTR = -4
    EAGAIN = -11
    ENOSPC = -28
    ELOOP = -40
    ENOBUFS = -105
    ETIMEDOUT = -110
    ESTALE = -116
    RACES = { ETIMEDOUT => Completed::TIMED_OUT, ESTALE => Completed::STALE }.freeze
    YIELD_ENDS = { ELOOP => Yielded::ENDED, ETIMEDOUT => Yielded::TIMED_OUT, ESTALE => Yielded::STALE }.freeze
    UINT64_MAX = (1 << 64) - 1

    # As Java's builder: payloads and results up to 1 MiB, in 2.8 MiB of blocks.
    DEFAULT_BLOCKS = { 4 * 1024 => 64, 64 * 1024 => 8, 1024 * 1024 => 2 }.freeze

    # Creates a channel in a new file at path and attaches as its host; #close removes the file.
    # Timeouts in seconds. blocks maps a block size (a power of two from 1 KiB to 32 MiB) to how many
    # blocks of it hold payloads and results longer than their inline room ({} for none): the largest
    # size is the longest payload or result the channel takes. yield_limit bounds how often an event
    # may be yielded (#yield_event). Raises EEXIST, EINVAL, EACCES or EIO.
    def self.create(path, slab_capacity: 1024, slot_size: 256, dispatch_ring_capacity: nil,
                    completion_ring_capacity: nil, latency_ring_capacity: 1024, attachment_capacity: 64,
                    completion_timeout: 30.0, starvation_threshold: 1.0, redelivery_limit: 0, yield_limit: 100,
                    blocks: DEFAULT_BLOCKS, mode: Native::FILE_MODE_DEFAULT, &block)
      config = Native::Config.new
      { slab_capacity: slab_capacity, slot_size: slot_size,
        dispatch_ring_capacity: dispatch_ring_capacity || 2 * slab_capacity,
        completion_ring_capacity: completion_ring_capacity || [1024, 64 * slab_capacity].max,
        latency_ring_capacity: latency_ring_capacity, attachment_capacity: attachment_capacity,
        completion_timeout_ns: (completion_timeout * 1e9).to_i, starvation_threshold_ns: (starvation_threshold * 1e9).to_i,
        redelivery_limit: redelivery_limit, yield_limit: yield_limit }.each { |field, value| config[field] = value }
      blocks.each { |size, count| config[:block_counts][block_class(size)] = count }
      attached(block, created: true) { |out| Native.baton_create(path.to_s, config, mode, out) }
    end

    # The size class of a block size; EINVAL for a size that is none.
    def self.block_class(size)
      k = size.bit_length - Native::BLOCK_SIZE_MIN.bit_length
      return k if size.positive? && (size & (size - 1)).zero? && k.between?(0, Native::BLOCK_CLASSES - 1)

      raise EINVAL, "a block size is a power of two from #{Native::BLOCK_SIZE_MIN} to " \
                    "#{Native::BLOCK_SIZE_MIN << (Native::BLOCK_CLASSES - 1)}, not #{size}"
    end
    private_class_method :block_class

    # Attaches to the channel file at path, made by a host in any language. With adopt: true, this
    # attachment then becomes the channel's host in place of one whose process died (#adopt): it
    # drains, and its close removes the file, as the creator's would. Raises ENOENT (no such file),
    # EACCES, EBADMSG (not a channel), EPROTONOSUPPORT, ESHUTDOWN (closed), EUSERS, or EISCONN
    # (adopt: true, and the host lives).
    def self.open(path, any_owner: false, adopt: false, &block)
      attached(block, created: adopt, adopt: adopt) do |out|
        Native.baton_open(path.to_s, any_owner ? Native::OPEN_ANY_OWNER : 0, out)
      end
    end

    # A block ends what it began: a channel it created is closed (its file removed) and detached; one
    # it opened is detached.
    def self.attached(block, created: false, adopt: false)
      out = FFI::MemoryPointer.new(:pointer)
      Baton.check_opening(yield(out))
      channel = new(out.read_pointer)
      adopt_or_detach(channel) if adopt
      return channel unless block

      begin
        block.call(channel)
      ensure
        begin
          channel.close if created
        rescue ESHUTDOWN
          nil # closed already, inside the block
        ensure
          channel.detach
        end
      end
    end

    def self.adopt_or_detach(channel)
      adopted = false
      channel.adopt
      adopted = true
    ensure
      channel.detach unless adopted # refused, or interrupted: whatever it was propagates
    end
    private_class_method :attached, :adopt_or_detach, :new

    def initialize(pointer)
      @pointer = pointer
      @calls = Calls.new
      # One pointer over the channel's memory, where polled payloads lie: each is read through it
      # inside a call (a detach unmaps it), at a fraction of the cost of a pointer per payload.
      memory = FFI::MemoryPointer.new(:pointer)
      length = FFI::MemoryPointer.new(:uint64)
      Baton.check(Native.baton_memory(pointer, memory, length))
      @memory_base = memory.read_pointer.address
      @memory = memory.read_pointer.slice(0, length.read_uint64)
      @outcomes = FFI::MemoryPointer.new(Native::Outcome, 256)
      @traces = FFI::MemoryPointer.new(Native::TraceContext, 256)
      @results = FFI::MemoryPointer.new(:uint8, 64 * 1024)
      # Outcomes libbaton handed over that no drain has delivered yet, and the handle of each event
      # dispatched with an explicit id, until drained: what an interrupt (Thread#raise, Timeout)
      # landing in a call must not lose.
      @delivering = []
      @in_flight = {}
    end

    # ------------------------------------------------------------ handlers

    # The oldest dispatched event, polled by this attachment, or nil after timeout seconds (nil:
    # wait until one comes). Raises ESHUTDOWN once the channel is closed or this attachment detached.
    def poll(timeout: nil)
      deadline = deadline_of(timeout)
      event = Native::Event.new
      loop do
        if wait_slice(:baton_poll, deadline, event)
          payload = read_payload(event)
          trace = Native::TraceContext.new
          return to_event(event, payload, trace) if payload && call(:baton_read_trace, event[:handle], trace).zero?
        end
        return nil if passed?(deadline)
      end
    end

    # The most events one poll_batch takes.
    BATCH_MAX = 1024

    # A String#unpack and Array#pack directive for a struct of the generated declarations, its fields
    # in their order: one call reads or writes all of them, where FFI::Struct reads one per call.
    def self.directive_of(struct)
      codes = { FFI::Type::UINT64 => "Q", FFI::Type::INT64 => "q", FFI::Type::UINT32 => "L",
                FFI::Type::INT32 => "l", FFI::Type::POINTER => "J" }
      fields = struct.new.layout.fields
      directive = fields.map { |field| codes.fetch(field.type) }.join
      packed = Array.new(fields.size, 0).pack(directive).bytesize
      raise LoadError, "#{struct} is #{struct.size} bytes; its fields pack #{packed}" unless packed == struct.size

      directive
    end
    private_class_method :directive_of

    EVENT_FORMAT = directive_of(Native::Event)
    OUTCOME_FORMAT = directive_of(Native::Outcome)
    TRACE_FORMAT = directive_of(Native::TraceContext)
    COMPLETION_FORMAT = directive_of(Native::Completion)
    DISPATCH_ENTRY_FORMAT = directive_of(Native::DispatchEntry)

    # Up to max_events dispatched events, polled in one call into libbaton (and their trace contexts
    # in one more), or [] after timeout seconds (nil: wait until one comes). Each payload is copied
    # from the channel's memory unchecked, without baton_read_payload's seqlock: if an event times out
    # or is cancelled while it is copied, its bytes may be another event's, but its completion is then
    # refused (Completed::TIMED_OUT or STALE), so the host never sees an answer computed from them.
    # Raises EINVAL for max_events outside 1..BATCH_MAX, ESHUTDOWN once closed or detached.
    def poll_batch(max_events = 64, timeout: nil)
      unless max_events.is_a?(Integer) && max_events.between?(1, BATCH_MAX)
        raise EINVAL, "max_events is an Integer in 1..#{BATCH_MAX}, not #{max_events.inspect}"
      end

      deadline = deadline_of(timeout)
      polled = FFI::MemoryPointer.new(Native::Event, max_events)
      loop do
        taken = Baton.check(call(:baton_poll_batch, polled, max_events))
        return events_of(polled, taken) if taken.positive?
        return [] if !wait_slice(:baton_await_events, deadline) && passed?(deadline)
      end
    end

    # Completes polled events in one call into libbaton: completions are [event or handle, status,
    # result String] or [event or handle, status, result String, span_id]. Waits while the completion
    # ring is full, as complete does. Returns, for each entry in order, a Completed value, or the
    # exception its refusal names (ENOENT, EPROTO, EALREADY, EMSGSIZE), made but not raised: one refused
    # entry never stops the rest. Raises ESHUTDOWN.
    def complete_batch(completions)
      count = completions.size
      return [] if count.zero?

      results = completions.map { |completion| Baton.bytes_of(completion[2]) }
      buffer = FFI::MemoryPointer.new(:uint8, [results.sum(&:bytesize), 1].max)
      buffer.put_bytes(0, results.join)
      entries = FFI::MemoryPointer.new(Native::Completion, count)
      offset = 0
      packed = completions.each_with_index.map do |completion, i|
        length = results[i].bytesize
        entry = [handle_of(completion[0]), Integer(completion[1]), length,
                 length.zero? ? 0 : buffer.address + offset, completion[3] || 0]
        offset += length
        entry
      end
      entries.put_bytes(0, packed.flatten.pack(COMPLETION_FORMAT * count))
      codes = FFI::MemoryPointer.new(:int32, count)
      settled = 0
      pause = 0.0
      while settled < count
        settled += Baton.check(call(:baton_complete_batch, entries + settled * Native::Completion.size,
                                    count - settled, codes + settled * 4))
        next if settled == count

        sleep(pause) # the ring is full: the host has not drained yet; back off, up to a millisecond
        pause = [0.001, pause.zero? ? 0.00001 : pause * 2].min
      end
      codes.read_array_of_int32(count).map { |code| completion_result(code) }
    end

    # Completes a polled event (an Event, or its handle) with a status and a result String, waiting
    # while the completion ring is full; span_id names the handler's span for the host's trace.
    # Returns a Completed value; raises ENOENT (unknown handle), EPROTO (not polled), EALREADY
    # (completed twice), EMSGSIZE (result too long), ESHUTDOWN, EINVAL.
    def complete(event, status = 0, result = "", span_id: 0)
      handle = handle_of(event)
      result = Baton.bytes_of(result)
      pause = 0.0
      while (code = call(:baton_complete_traced, handle, status, span_id, result, result.bytesize)) == ENOBUFS
        sleep(pause) # the host has not drained yet: back off, up to a millisecond
        pause = [0.001, pause.zero? ? 0.00001 : pause * 2].min
      end
      completed(code)
    end

    # Yields a polled event: hands it back to be dispatched again with continuation as its payload (a
    # checkpoint yield): its handle, ids and trace stay, its yields count rises. Waits while no block
    # or ring room is free. Returns a Yielded value: REQUEUED, ENDED (it had yielded the channel's
    # yield_limit times: the host sees status BATON_ELOOP), or the races TIMED_OUT and STALE.
    # Raises ENOENT, EPROTO (not polled), EMSGSIZE, ESHUTDOWN.
    def yield_event(event, continuation = "")
      handle = handle_of(event)
      continuation = Baton.bytes_of(continuation)
      pause = 0.0
      while [EAGAIN, ENOSPC, ENOBUFS].include?(code = call(:baton_yield, handle, continuation, continuation.bytesize))
        sleep(pause) # no room yet: back off, up to a millisecond
        pause = [0.001, pause.zero? ? 0.00001 : pause * 2].min
      end
      YIELD_ENDS.fetch(code) { Baton.check(code) && Yielded::REQUEUED }
    end

    # Settles what attachments of dead processes left (baton_reap); the number reaped.
    def reap = Baton.check(call(:baton_reap))

    # Makes this attachment the channel's host once the host's process died or it detached without
    # closing (baton_adopt): the dead are reaped, and the events still pending stay pending, so this
    # attachment's drains deliver their outcomes (an outcome the dead host was handed as it died may
    # come again: each names its event id). Raises EISCONN while the host lives, ESHUTDOWN once closed.
    def adopt = Baton.check_opening(call(:baton_adopt))

    # Serves with the block from threads until the channel closes; the events completed. See Baton.serve.
    def serve(threads: 1, &handler) = Serving.serve_channel(self, threads, handler)

    # ------------------------------------------------------------ hosts

    # Dispatches an event, with a W3C traceparent its handler reads; its handle, or nil when the
    # slab, a block for the payload or the dispatch ring is full (backpressure: drain, then try
    # again). event_id: a UUID String or a 128-bit Integer. Raises EMSGSIZE, EINVAL, ESHUTDOWN.
    #
    # With an event_id, dispatching is idempotent while the event is in flight: dispatching the same id
    # again, before a drain has delivered its outcome, returns the first dispatch's handle and sends
    # nothing. So a caller that retries after an interrupt (Thread#raise, Timeout) landed in the call,
    # when the event may or may not have gone, never sends it twice.
    def dispatch(payload = "", kind: 0, event_id: nil, correlation_id: nil, traceparent: nil)
      payload = Baton.bytes_of(payload)
      trace = traceparent && trace_context(traceparent)
      id = halves(event_id || SecureRandom.uuid)
      # Deferred: an interrupt lands after the handle is recorded, never between the call and the record.
      handle = Thread.handle_interrupt(Object => :never) do
        earlier = event_id && @in_flight[id]
        if earlier && call(:baton_read_trace, earlier, Native::TraceContext.new).zero?
          earlier
        else
          dispatched = call(:baton_dispatch_traced, *id, *halves(correlation_id || 0), kind, trace, payload,
                            payload.bytesize)
          @in_flight[id] = dispatched if event_id && dispatched.positive?
          dispatched
        end
      end
      handle == EAGAIN || handle == ENOSPC ? nil : Baton.check(handle)
    end

    # Dispatches events in one call into libbaton: payloads is an Array of Strings; event_ids, when
    # given, an Array of UUIDs as long (else each event gets a random one); redeliveries, when given,
    # an Array of counts as long, for a bridge that carries events from another channel or queue: how
    # often each was already dispatched again after its handler died (its handler here reads it as
    # Event#redeliveries, and the channel's redelivery limit counts it). Returns the handles of the
    # events dispatched, in order: fewer than the payloads when the slab, a block for a payload or the
    # dispatch ring filled (backpressure: drain, then dispatch the rest), or before an entry that is
    # refused. Raises EMSGSIZE when the first entry is too long, ESHUTDOWN; ArgumentError for an Array
    # of another length, or a count outside [0, 2**32).
    def dispatch_batch(payloads, kind: 0, event_ids: nil, correlation_id: nil, redeliveries: nil)
      count = payloads.size
      raise ArgumentError, "#{event_ids.size} event ids for #{count} payloads" if event_ids && event_ids.size != count
      if redeliveries && redeliveries.size != count
        raise ArgumentError, "#{redeliveries.size} redelivery counts for #{count} payloads"
      end
      if redeliveries && !redeliveries.all? { |carried| carried.is_a?(Integer) && carried >= 0 && carried < 1 << 32 }
        raise ArgumentError, "a redelivery count is an Integer in [0, 2**32): #{redeliveries.inspect}"
      end
      return [] if count.zero?

      payloads = payloads.map { |payload| Baton.bytes_of(payload) }
      correlation = halves(correlation_id || 0)
      # Random ids from one read of the system's randomness for the batch, as SecureRandom.uuid makes them.
      random = event_ids ? nil : SecureRandom.random_bytes(16 * count).unpack("Q>*")
      buffer = FFI::MemoryPointer.new(:uint8, [payloads.sum(&:bytesize), 1].max)
      buffer.put_bytes(0, payloads.join)
      offset = 0
      packed = payloads.each_with_index.map do |payload, i|
        event = if event_ids
                  halves(event_ids[i])
                else
                  [(random[2 * i] & ~0xF000) | 0x4000, (random[2 * i + 1] & ~(0xC << 60)) | (0x8 << 60)]
                end
        entry = [*event, *correlation, 0, 0, 0, 0, Integer(kind),
                 payload.empty? ? 0 : buffer.address + offset, payload.bytesize, redeliveries ? redeliveries[i] : 0]
        offset += payload.bytesize
        entry
      end
      entries = FFI::MemoryPointer.new(Native::DispatchEntry, count)
      entries.put_bytes(0, packed.flatten.pack(DISPATCH_ENTRY_FORMAT * count))
      handles = FFI::MemoryPointer.new(:int64, count)
      dispatched = Baton.check(call(:baton_dispatch_batch, entries, count, handles))
      # A refusal is raised only when it stops the batch at its first entry, so the handles of what
      # was dispatched always reach the caller; dispatching the rest then raises it.
      first = handles.read_int64
      Baton.check(first) if dispatched.zero? && first != EAGAIN && first != ENOSPC
      handles.read_array_of_int64(dispatched)
    end

    # Claims room for a payload of length bytes to write in place (zero-copy dispatch): a
    # DispatchClaim to write, then commit or abort; with a block, it is yielded and aborted unless
    # committed. nil when the slab or a block for the payload is full (backpressure). Raises
    # EMSGSIZE, EINVAL, ESHUTDOWN.
    def claim(length, kind: 0, event_id: nil, correlation_id: nil, traceparent: nil)
      trace = traceparent && trace_context(traceparent)
      claim = Native::PayloadClaim.new
      code = call(:baton_claim, *halves(event_id || SecureRandom.uuid), *halves(correlation_id || 0), kind,
                  trace, length, claim)
      return nil if code == EAGAIN

      Baton.check(code)
      dispatch_claim = DispatchClaim.new(self, claim)
      return dispatch_claim unless block_given?

      begin
        yield dispatch_claim
      ensure
        dispatch_claim.abort if dispatch_claim.held?
      end
    end

    # Cancels a pending event: a Completed value, or raises as #complete.
    def cancel(handle)
      completed(call(:baton_cancel, handle_of(handle)))
    end

    # Up to max outcomes, completed or timed out, their slots freed (host only, one thread at a time;
    # EBUSY otherwise). The outcomes libbaton hands over stay with this object until delivered; those
    # an earlier drain could not deliver come first.
    #
    # With a block, each outcome is yielded in turn, with interrupts (Thread#raise, Timeout) deferred
    # until the drain returns, so that each is delivered exactly once; a block that raises leaves its
    # outcome, and those after it, to the next drain. Returns how many were yielded. Without a block,
    # returns them in an Array: an interrupt landing as the method returns takes the Array with it,
    # as it would any method's value, so a host under Thread#raise or Timeout drains with a block.
    def drain(max = 256)
      # An interrupt deferred while libbaton handed outcomes over lands as this block ends: they are
      # in @delivering by then.
      Thread.handle_interrupt(Object => :never) { take_outcomes([max, 256].min) if @delivering.empty? }
      return @delivering.slice!(0..) unless block_given?

      Thread.handle_interrupt(Object => :never) do
        delivered = 0
        until @delivering.empty?
          yield @delivering.first
          @delivering.shift
          delivered += 1
        end
        delivered
      end
    end

    # true once an outcome is ready to drain, false after timeout seconds (nil: until one is).
    def await_outcomes(timeout: nil)
      deadline = deadline_of(timeout)
      loop do
        return true if wait_slice(:baton_await_outcomes, deadline)
        return false if passed?(deadline)
      end
    end

    # Times out the pending events past their deadline; how many.
    def reclaim_expired = Baton.check(call(:baton_reclaim_expired))

    # The pending-event metrics from one scan of the slab, as a Hash.
    def metrics = read_struct(Native::Metrics, :baton_read_metrics)

    # What this attachment's drains saw, as a Hash.
    def drain_counts = read_struct(Native::DrainCounts, :baton_read_drain_counts)

    LIST_CHUNK = 256 # the events list_events reads per call into libbaton

    # The events the slab holds, an Array of ListedEvent: waiting, in progress, yielding, or ended
    # and not yet drained. A host accounts with it for the events it dispatched when their outcomes
    # cannot reach it (EUCLEAN from drain), or before it abandons a channel. Each event is read under
    # its slot's state word, so each is consistent; the list is not a snapshot across slots. Works
    # on a closed channel, until detach; raises ESHUTDOWN after it.
    def list_events(chunk: LIST_CHUNK)
      cursor = FFI::MemoryPointer.new(:uint32)
      events = FFI::MemoryPointer.new(Native::ListedEvent, chunk)
      listed = []
      loop do
        written = Baton.check(call(:baton_list_events, cursor, events, chunk))
        listed.concat(Array.new(written) { |i| ListedEvent.of(Native::ListedEvent.new(events + i * Native::ListedEvent.size)) })
        return listed if written < chunk
      end
    end

    # ------------------------------------------------------------ lifetime

    # Closes the channel for every attachment and wakes every waiter; the creator's close removes
    # the file. Raises ESHUTDOWN when already closed.
    def close = Baton.check(call(:baton_close)) && nil

    # Waits for this attachment's calls in progress (at most one wait slice), then frees it; later
    # calls raise ESHUTDOWN. A second detach does nothing.
    def detach
      Baton.check(Native.baton_detach(@pointer)) if @calls.detach
      nil
    end

    private

    # Calls libbaton on this attachment, counted in and out with interrupts deferred, so that an
    # interrupt never leaves a call counted in progress (a detach would wait for it for ever). A
    # deferred interrupt lands once the call has returned; a wait sleeps at most one slice.
    def call(function, *arguments)
      inside_a_call { Native.public_send(function, @pointer, *arguments) }
    end

    # Runs the block as a call on the attachment: a detach waits for it. Interrupts (Thread#raise,
    # Timeout) are deferred until it returns, so none lands between what libbaton did and its record here.
    def inside_a_call
      Thread.handle_interrupt(Object => :never) do
        @calls.enter
        begin
          yield
        ensure
          @calls.leave
        end
      end
    end

    def now_ns = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)

    # When a wait of timeout seconds ends, on the monotonic clock; nil for no timeout.
    def deadline_of(timeout) = timeout && (now_ns + (timeout * 1e9).to_i)

    def passed?(deadline) = deadline && now_ns >= deadline

    # Calls a wait of libbaton for one slice, or what is left before the deadline: true when it is
    # ready, false after the slice or a signal; raises for an error (ESHUTDOWN once closed).
    def wait_slice(function, deadline, *arguments)
      slice = deadline ? [[WAIT_SLICE_NS, deadline - now_ns].min, 0].max : WAIT_SLICE_NS
      ready = call(function, *arguments, slice)
      Baton.check(ready) unless [0, 1, EINTR].include?(ready)
      ready == 1
    end

    # A completion's or cancellation's code as a Completed value: the ordinary races are results.
    def completed(code)
      result = completion_result(code)
      raise result if result.is_a?(Exception)

      result
    end

    # As completed, with a refusal's exception made but not raised.
    def completion_result(code) = code >= 0 ? Completed::ACCEPTED : RACES.fetch(code) { Baton.error_of(code) }

    # The payload, or nil when the event ended (timed out, cancelled) before it was copied.
    def read_payload(event)
      destination = FFI::MemoryPointer.new(:uint8, [event[:payload_length], 1].max)
      length = call(:baton_read_payload, event, destination, destination.size)
      return nil if RACES.key?(length)

      destination.read_bytes(Baton.check(length))
    end

    # The first taken entries of a polled array as Events, with their payloads and traces.
    def events_of(polled, taken)
      traces = FFI::MemoryPointer.new(Native::TraceContext, taken)
      Baton.check(call(:baton_read_traces, polled, taken, traces))
      fields = polled.get_bytes(0, taken * Native::Event.size).unpack(EVENT_FORMAT * taken)
      trace_fields = traces.get_bytes(0, taken * Native::TraceContext.size).unpack(TRACE_FORMAT * taken)
      inside_a_call do
        Array.new(taken) do |i|
          handle, kind, payload_length, event_hi, event_lo, correlation_hi, correlation_lo, dispatched_at_ns,
            deadline_ns, redeliveries, yields, payload = fields[i * 12, 12]
          traced = (trace_fields[i * 6] | trace_fields[i * 6 + 1]).nonzero?
          Event.new(handle, kind, event_hi, event_lo, correlation_hi, correlation_lo,
                    payload_length.zero? ? "".b : @memory.get_bytes(payload - @memory_base, payload_length),
                    dispatched_at_ns, deadline_ns, redeliveries,
                    traced ? traceparent_of(Native::TraceContext.new(traces + i * Native::TraceContext.size)) : nil,
                    yields)
        end
      end
    end

    def to_event(event, payload, trace)
      Event.new(event[:handle], event[:kind], event[:event_id_hi], event[:event_id_lo], event[:correlation_id_hi],
                event[:correlation_id_lo], payload, event[:dispatched_at_ns], event[:deadline_ns],
                event[:redeliveries], traceparent_of(trace), event[:yields])
    end

    # A W3C traceparent of version 00 as a baton_trace_context; EINVAL for anything else.
    # A W3C traceparent of version 00 as a baton_trace_context, parsed by libbaton; EINVAL for anything else.
    def trace_context(traceparent)
      trace = Native::TraceContext.new
      text = traceparent.to_s
      if text.include?("\0") || Native.baton_trace_parse(text, trace) != 0
        raise EINVAL, "not a W3C traceparent of version 00 with non-zero ids: #{traceparent.inspect}"
      end

      trace
    end

    # A baton_trace_context's traceparent, formatted by libbaton, or nil when it names no trace.
    def traceparent_of(trace)
      text = FFI::MemoryPointer.new(:char, Native::BATON_TRACEPARENT_LENGTH + 1)
      Native.baton_trace_format(trace, text, text.size).positive? ? text.read_string : nil
    end

    # Has libbaton copy up to max outcomes into this object's buffers and moves them to @delivering;
    # with interrupts deferred, so that none lands between the copy and the move.
    def take_outcomes(max)
      while (drained = call(:baton_drain, @outcomes, @traces, max, @results, @results.size)) == EMSGSIZE.code
        @results = FFI::MemoryPointer.new(:uint8, 2 * @results.size) # the first result alone was longer
      end
      drained = Baton.check(drained)
      fields = @outcomes.get_bytes(0, drained * Native::Outcome.size).unpack(OUTCOME_FORMAT * drained)
      traces = @traces.get_bytes(0, drained * Native::TraceContext.size).unpack(TRACE_FORMAT * drained)
      drained.times do |i|
        handle, status, result_length, timed_out, kind, event_hi, event_lo, latency_ns, result = fields[i * 9, 9]
        trace = traces[i * 6, 6]
        traced = (trace[0] | trace[1]).nonzero?
        @in_flight.delete([event_hi, event_lo]) unless @in_flight.empty?
        @delivering << Outcome.new(handle, status, @results.get_bytes(result - @results.address, result_length),
                                   timed_out == 1, kind, event_hi, event_lo, latency_ns,
                                   traced ? traceparent_of(Native::TraceContext.new(@traces + i * Native::TraceContext.size)) : nil,
                                   trace[3])
      end
    end

    def read_struct(type, function)
      struct = type.new
      Baton.check(call(function, struct))
      type.members.to_h { |field| [field, struct[field]] }
    end

    def handle_of(event)
      handle = event.is_a?(Event) ? event.handle : event
      raise EINVAL, "a handle is an Integer in [0, 2**64), not #{handle.inspect}" unless
        handle.is_a?(Integer) && handle.between?(0, UINT64_MAX)

      handle
    end

    def halves(id)
      number = id.is_a?(Integer) ? id : Integer(id.to_s.delete("-"), 16)
      raise EINVAL, "an id is a UUID or a 128-bit Integer, not #{id.inspect}" unless number.between?(0, (1 << 128) - 1)

      [number >> 64, number & UINT64_MAX]
    end
  end

  # Room claimed in a channel for one payload (Channel#claim): write it, then commit or abort.
  class DispatchClaim
    def initialize(channel, claim)
      @channel = channel
      @claim = claim
    end

    # The payload's length: the bytes to write.
    def length = @claim[:payload_length]

    # Whether the claim still holds its room: neither committed nor aborted.
    def held? = !@claim[:token].zero?

    # Writes bytes (a String) into the claimed room at offset.
    def write(bytes, offset = 0)
      bytes = Baton.bytes_of(bytes)
      raise EINVAL, "#{bytes.bytesize} bytes at #{offset} overrun a #{length}-byte claim" if offset + bytes.bytesize > length

      @claim[:payload].put_bytes(offset, bytes)
    end

    # Dispatches the event: its handle, or nil while the dispatch ring is full (the claim is kept:
    # commit again, or abort). Raises EALREADY once committed or aborted.
    def commit
      handle = @channel.send(:call, :baton_commit, @claim)
      handle == Channel::ENOSPC ? nil : Baton.check(handle)
    end

    # Gives the room back unseen. Raises EALREADY once committed or aborted.
    def abort = Baton.check(@channel.send(:call, :baton_abort, @claim)) && nil
  end
end
