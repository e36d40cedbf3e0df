# frozen_string_literal: true

# Bad input from Ruby gets the documented error or result, never a crash, and the channel goes on
# working: stale, random and unknown handles, double completion, oversize payloads and results, wrong
# types, use after detach and after close, files that are no channel, a killed waiter.
require "minitest/autorun"
require "securerandom"
require "tempfile"
require "baton"

class TestMisuse < Minitest::Test
  def setup
    @path = "/dev/shm/baton-rb-test-#{Process.pid}-#{name}"
    @host = Baton::Channel.create(@path, slab_capacity: 16, slot_size: 192, blocks: {}, completion_timeout: 0.05)
    @handler = Baton::Channel.open(@path)
  end

  def teardown
    @handler.detach
    begin
      @host.close
    rescue Baton::ESHUTDOWN
      nil
    end
    @host.detach
  end

  def test_events_and_outcomes_are_frozen_records_with_their_ids_as_uuid_strings
    event_id = SecureRandom.uuid
    correlation_id = SecureRandom.uuid
    handle = @host.dispatch("abc", kind: 7, event_id: event_id, correlation_id: correlation_id)
    event = @handler.poll_batch(1, timeout: 5).first
    assert_equal [handle, 7, event_id, correlation_id, "abc", 0, 0, nil],
                 [event.handle, event.kind, event.event_id, event.correlation_id, event.payload, event.redeliveries,
                  event.yields, event.traceparent]
    assert_predicate event, :frozen?
    assert_equal Baton::Event::FIELDS, event.to_h.keys
    assert_includes event.inspect, "event_id=#{event_id.inspect}"
    @handler.complete(event, 200, "done")
    @host.await_outcomes(timeout: 5)
    outcome = @host.drain.first
    assert_equal [handle, 200, "done", false, 7, event_id, 0],
                 [outcome.handle, outcome.status, outcome.result, outcome.timed_out, outcome.kind, outcome.event_id,
                  outcome.handler_span_id]
    assert_equal outcome, Baton::Outcome.new(*outcome.to_h.values_at(:handle, :status, :result, :timed_out, :kind),
                                             *outcome.event_id.delete("-").to_i(16).divmod(1 << 64),
                                             *outcome.to_h.values_at(:latency_ns, :traceparent, :handler_span_id))
  end

  def test_a_block_ends_what_it_began
    path = "/dev/shm/baton-rb-test-#{Process.pid}-block"
    Baton::Channel.create(path, slab_capacity: 4, blocks: {}) do
      Baton::Channel.open(path) { nil }
      assert File.exist?(path), "an opener's block detaches and leaves the channel open"
    end
    refute File.exist?(path), "the creator's block closed the channel and removed its file"
    Baton::Channel.create(path, slab_capacity: 4, blocks: {}, &:close) # a close inside the block ends it no differently
    refute File.exist?(path)
  end

  # The channel still works: one event dispatched, claimed, completed and drained.
  def round_trip(number)
    handle = @host.dispatch([number].pack("q<"))
    event = @handler.poll(timeout: 5)
    assert_equal handle, event.handle
    assert_equal Baton::Completed::ACCEPTED, @handler.complete(event, 200, [2 * number].pack("q<"))
    assert @host.await_outcomes(timeout: 5)
    outcome = @host.drain.fetch(0)
    assert_equal [handle, 200, 2 * number], [outcome.handle, outcome.status, outcome.result.unpack1("q<")]
    handle
  end

  def test_stale_random_and_unknown_handles
    old = round_trip(1)
    assert_equal Baton::Completed::STALE, @handler.complete(old, 200, ""), "its slot moved on"
    round_trip(2)
    random = Random.new(7)
    1000.times do
      assert_equal Baton::Completed::STALE, @handler.complete(random.rand(1 << 64), 0, "x")
    rescue Baton::ENOENT, Baton::EPROTO
      nil # out of range, or a slot with nothing claimed
    end
    assert_raises(Baton::ENOENT) { @handler.complete(0) }
    assert_raises(Baton::ENOENT) { @handler.complete((1 << 32) | 999) }
    assert_raises(Baton::EINVAL) { @handler.complete(-1) }
    assert_raises(Baton::EINVAL) { @handler.complete(1 << 64) }
    assert_raises(Baton::EINVAL) { @handler.complete("1") }
    round_trip(3)
  end

  def test_double_completion_and_completing_an_unclaimed_event
    handle = @host.dispatch("12345678")
    assert_raises(Baton::EPROTO) { @handler.complete(handle) }
    event = @handler.poll(timeout: 5)
    assert_equal Baton::Completed::ACCEPTED, @handler.complete(event)
    assert_raises(Baton::EALREADY) { @handler.complete(event) }
    @host.drain
    round_trip(4)
  end

  def test_a_completion_after_the_deadline_is_a_result
    @host.dispatch("late")
    event = @handler.poll(timeout: 5)
    nil while @host.reclaim_expired.zero?
    assert_equal Baton::Completed::TIMED_OUT, @handler.complete(event, 0, "")
    assert @host.drain.fetch(0).timed_out
    round_trip(5)
  end

  def test_a_batch_is_dispatched_in_one_call_and_a_full_slab_ends_it
    ids = Array.new(3) { SecureRandom.uuid }
    handles = @host.dispatch_batch(["a", "", "ccc"], kind: 4, event_ids: ids)
    assert_equal 3, handles.size
    events = @handler.poll_batch(8, timeout: 5)
    assert_equal handles, events.map(&:handle)
    assert_equal ["a", "", "ccc"], events.map(&:payload)
    assert_equal ids, events.map(&:event_id)
    assert_equal [4, 4, 4], events.map(&:kind)
    @handler.complete_batch(events.map { |event| [event, 0, ""] })
    assert_equal 3, @host.drain.size
    # Random ids are version-4 UUIDs; the slab holds 16: the rest waits for a drain.
    assert_equal 16, @host.dispatch_batch(["x"] * 20).size
    events = @handler.poll_batch(16, timeout: 5)
    assert_equal 16, events.map(&:event_id).uniq.size
    assert(events.all? { |event| event.event_id =~ /\A\h{8}-\h{4}-4\h{3}-[89ab]\h{3}-\h{12}\z/ })
    @handler.complete_batch(events.map { |event| [event, 0, ""] })
    assert_equal 16, @host.drain.size
    oversize = ["ok", "x" * 100_000]
    assert_equal 1, @host.dispatch_batch(oversize).size, "the entry before the refused one went"
    assert_raises(Baton::EMSGSIZE) { @host.dispatch_batch(oversize[1..]) }
    assert_equal 1, @handler.poll_batch(8, timeout: 5).size
    assert_raises(ArgumentError) { @host.dispatch_batch([""], event_ids: []) }
    assert_equal [], @host.dispatch_batch([])
  end

  def test_a_batch_carries_the_redeliveries_its_events_had_elsewhere
    handles = @host.dispatch_batch(%w[a b], redeliveries: [2, 0])
    events = @handler.poll_batch(8, timeout: 5)
    assert_equal handles, events.map(&:handle)
    assert_equal [2, 0], events.map(&:redeliveries)
    @handler.complete_batch(events.map { |event| [event, 0, ""] })
    assert_equal 2, @host.drain.size
    [[1], [-1, 0], [1 << 32, 0], [1.5, 0]].each do |bad|
      assert_raises(ArgumentError) { @host.dispatch_batch(%w[a b], redeliveries: bad) }
    end
    assert_equal [], @handler.poll_batch(8, timeout: 0), "a refused batch dispatched nothing"
  end

  def test_a_batch_is_polled_and_completed_in_one_call_each_and_a_refused_entry_stops_nothing
    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    handles = (0..2).map { |n| @host.dispatch([n].pack("q<"), traceparent: n == 2 ? traceparent : nil) }
    events = @handler.poll_batch(8, timeout: 5)
    assert_equal handles, events.map(&:handle)
    assert_equal [0, 1, 2], events.map { |event| event.payload.unpack1("q<") }
    assert_equal [nil, nil, traceparent], events.map(&:traceparent)
    results = @handler.complete_batch([[events[0], 200, "a"], [0, 0, ""], [events[2].handle, 201, "bc", 7],
                                       [events[1], 0, "x" * 100_000]])
    assert_equal Baton::Completed::ACCEPTED, results[0]
    assert_kind_of Baton::ENOENT, results[1]
    assert_equal Baton::Completed::ACCEPTED, results[2]
    assert_kind_of Baton::EMSGSIZE, results[3]
    assert_kind_of Baton::EALREADY, @handler.complete_batch([[events[0], 0, ""]])[0]
    @handler.complete(events[1])
    outcomes = @host.drain.to_h { |outcome| [outcome.handle, outcome] }
    assert_equal [200, "a"], [outcomes[handles[0]].status, outcomes[handles[0]].result]
    assert_equal [201, "bc", 7], [outcomes[handles[2]].status, outcomes[handles[2]].result,
                                  outcomes[handles[2]].handler_span_id]
    assert_equal 3, outcomes.size
    assert_equal [], @handler.poll_batch(8, timeout: 0)
    assert_equal [], @handler.complete_batch([])
    [0, -1, Baton::Channel::BATCH_MAX + 1, 1.5].each do |bad|
      assert_raises(Baton::EINVAL) { @handler.poll_batch(bad, timeout: 0) }
    end
    round_trip(3)
  end

  def test_a_trace_context_reaches_the_handler_and_a_bad_one_is_refused
    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    @host.dispatch("traced", traceparent: traceparent)
    event = @handler.poll(timeout: 5)
    assert_equal traceparent, event.traceparent
    assert_equal Baton::Completed::ACCEPTED, @handler.complete(event, 0, "", span_id: 0x1122334455667788)
    outcome, = @host.drain
    assert_equal [traceparent, 0x1122334455667788], [outcome.traceparent, outcome.handler_span_id]
    @host.dispatch("untraced")
    untraced = @handler.poll(timeout: 5)
    assert_nil untraced.traceparent
    @handler.complete(untraced)
    outcome, = @host.drain
    assert_equal [nil, 0], [outcome.traceparent, outcome.handler_span_id]
    ["", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
     "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "#{traceparent}-"].each do |bad|
      assert_raises(Baton::EINVAL) { @host.dispatch("", traceparent: bad) }
    end
    round_trip(7)
  end

  def test_oversize_payloads_and_results_and_wrong_types
    assert_raises(Baton::EMSGSIZE) { @host.dispatch("\0" * 65) } # past the inline room, with no blocks
    @host.dispatch("\0" * 64)
    event = @handler.poll(timeout: 5)
    assert_equal 64, event.payload.bytesize
    assert_raises(Baton::EMSGSIZE) { @handler.complete(event, 0, "\0" * (1 << 20)) }
    assert_raises(TypeError) { @handler.complete(event, 0, 42) }
    assert_equal Baton::Completed::ACCEPTED, @handler.complete(event, 0, "ok")
    assert_equal "ok", @host.drain.fetch(0).result
    round_trip(6)
  end

  def test_use_after_detach_and_after_close
    spare = Baton::Channel.open(@path)
    spare.detach
    spare.detach # a second detach does nothing
    [-> { spare.poll(timeout: 0) }, -> { spare.complete(1) }, -> { spare.reap }, -> { spare.close },
     -> { spare.dispatch("") }].each { |call| assert_raises(Baton::ESHUTDOWN, &call) }
    round_trip(7)
    @host.close
    assert_raises(Baton::ESHUTDOWN) { @handler.poll }
    assert_raises(Baton::ESHUTDOWN) { @host.dispatch("") }
    assert_raises(Baton::ESHUTDOWN) { @host.close }
    assert_raises(Baton::ENOENT) { Baton::Channel.open(@path) } # the creator's close removed the file
  end

  def test_files_that_are_no_channel
    assert_raises(Baton::ENOENT) { Baton::Channel.open("/dev/shm/baton-rb-no-such-channel") }
    # Each refusal carries libbaton's detail: the object and the fault, in the words of every language.
    Tempfile.create("junk", "/dev/shm") do |junk|
      junk.write("A" * 8192)
      junk.flush
      refused = assert_raises(Baton::EBADMSG) { Baton::Channel.open(junk.path) }
      assert_equal "BATON_EBADMSG: #{junk.path}: not a Baton channel: its magic is 0x4141414141414141, " \
                   "a channel's is 0x#{format('%016x', Baton::Native::BATON_MAGIC)}", refused.message
    end
    Tempfile.create("short", "/dev/shm") do |short|
      short.write("\0" * 100)
      short.flush
      refused = assert_raises(Baton::EINVAL) { Baton::Channel.open(short.path) }
      assert_equal "BATON_EINVAL: #{short.path}: 100 bytes, shorter than a channel header (512 bytes)", refused.message
    end
    refused = assert_raises(Baton::EEXIST) { Baton::Channel.create(@path) }
    assert_equal "BATON_EEXIST: #{@path}: a file already exists there", refused.message
    refused = assert_raises(Baton::EINVAL) { Baton::Channel.create("#{@path}-bad-config", slab_capacity: 3) }
    assert_equal "BATON_EINVAL: slab_capacity must be a power of two in [1, 16777216]: 3", refused.message
  end

  def test_a_parked_waiter_can_be_killed_and_does_not_hold_other_threads
    parked = Thread.new { @handler.poll }
    ticks = 0
    ticks += 1 while ticks < 1_000_000 # runs while the waiter sleeps without the GVL
    sleep 0.2
    assert_equal "sleep", parked.status
    parked.kill
    assert parked.join(2), "killed within a wait slice"
    round_trip(8)
  end

  def test_event_ids_travel_as_uuids
    id = "6f1c0e4a-95b3-4c1e-8a39-0d1e2f3a4b5c"
    @host.dispatch("", kind: 7, event_id: id, correlation_id: id)
    event = @handler.poll(timeout: 5)
    assert_equal [7, id, id], [event.kind, event.event_id, event.correlation_id]
    @handler.complete(event)
    assert_equal id, @host.drain.fetch(0).event_id
  end
end
