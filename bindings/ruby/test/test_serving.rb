# frozen_string_literal: true

# The handler loop from threads: every event answered exactly once, a handler that raises still
# completes its event, and a parked serve ends promptly when the host closes.
require "minitest/autorun"
require "baton"
require "fileutils"

class TestServing < Minitest::Test
  def setup
    @path = "/dev/shm/baton-rb-test-#{Process.pid}-#{name}"
    @host = Baton::Channel.create(@path, slab_capacity: 64, completion_timeout: 30)
  end

  def teardown
    begin
      @host.close # ends any serve a failed test left
    rescue Baton::ESHUTDOWN
      nil
    end
    @host.detach
  end

  # Dispatches 0..events-1, drains until each is reported; every event reported exactly once.
  def host_ledger(events)
    ledger = Array.new(events, 0)
    answers = {}
    sent = 0
    while ledger.sum < events
      sent += 1 while sent < events && @host.dispatch([sent].pack("q<"), event_id: sent)
      @host.await_outcomes(timeout: 0.05)
      @host.drain.each do |outcome|
        number = Integer(outcome.event_id.delete("-"), 16)
        ledger[number] += 1
        answers[number] = outcome
      end
    end
    @host.close
    assert_equal [1] * events, ledger, "every event reported exactly once"
    answers
  end

  def test_the_events_the_slab_holds_are_listed_in_their_states_until_drained
    handles = Array.new(64) { |n| @host.dispatch("", kind: n, event_id: (7 << 64) | n) } # the whole slab
    Baton::Channel.open(@path) do |handler|
      polled = handler.poll_batch(3, timeout: 0)
      assert_equal :accepted, handler.complete(polled[0], 200, "done")
      listed = @host.list_events(chunk: 16) # several calls into libbaton
      assert_equal 64, listed.size
      states = listed.to_h { |event| [event.event_id, event.state] }
      assert_equal :completed, states.fetch(polled[0].event_id)
      assert_equal [:polled], polled[1..].map { |event| states.fetch(event.event_id) }.uniq
      assert_equal 61, states.values.count(:dispatched)
      last = listed.find { |event| event.kind == 63 }
      assert_equal [handles[63], Baton.uuid_of(7, 63), 0, 0], [last.handle, last.event_id, last.redeliveries, last.yields]
      assert_equal 1, @host.drain.size
      assert_equal 63, @host.list_events.size
      @host.close
      assert_equal 63, @host.list_events.size, "a closed channel still lists them"
    end
  end

  def test_threads_answer_every_event_once
    server = Thread.new { Baton.serve(@path, threads: 3) { |event| [200, [2 * event.payload.unpack1("q<")].pack("q<")] } }
    answers = host_ledger(20_000)
    assert_equal 20_000, server.value
    assert(answers.all? { |number, a| a.status == 200 && a.result.unpack1("q<") == 2 * number })
  end

  # Half the events are dispatched through claims written in place (some aborted first); every event
  # yields twice with a growing continuation, and the endless yielders end with ELOOP.
  def test_handed_back_and_claimed_events_end_exactly_once
    @host.close
    @host.detach
    @host = Baton::Channel.create(@path, slab_capacity: 64, completion_timeout: 30, yield_limit: 5)
    server = Thread.new do
      Baton.serve(@path, threads: 2) do |event|
        number = event.payload.unpack1("q<")
        next Baton::Yield.new(event.payload + "+") if number % 100 == 13 || event.yields < 2

        [event.yields, event.payload]
      end
    end
    events = 2_000
    ledger = Array.new(events, 0)
    reported = {}
    sent = 0
    aborted = 0
    while ledger.sum < events
      while sent < events
        payload = [sent].pack("q<")
        if sent.even?
          break unless @host.dispatch(payload, event_id: sent)
        else
          committed = @host.claim(payload.bytesize, event_id: sent) do |claim|
            claim.write(payload)
            if sent % 10 == 1 && aborted < 50
              aborted += 1
              next :aborted # leaving the block aborts; the event is claimed again
            end
            claim.commit
          end
          next if committed == :aborted
          break unless committed # no room: the slab, a block, or the ring
        end
        sent += 1
      end
      @host.await_outcomes(timeout: 0.05)
      @host.drain.each do |outcome|
        number = Integer(outcome.event_id.delete("-"), 16)
        ledger[number] += 1
        reported[number] = outcome
      end
    end
    @host.close
    assert_equal [1] * events, ledger, "every event reported exactly once"
    reported.each do |number, outcome|
      payload = [number].pack("q<")
      expected = number % 100 == 13 ? [-40, ""] : [2, "#{payload}++"]
      assert_equal expected, [outcome.status, outcome.result], "event #{number}"
    end
    assert_equal events - (events / 100), server.value
    assert_equal 50, aborted
  end

  # From empty to the largest block (1 MiB by default), inline and in blocks, both ways.
  def test_payloads_and_results_of_every_size_round_trip
    server = Thread.new { Baton.serve(@path, threads: 2) { |event| [0, event.payload.reverse] } }
    sizes = [0, 1, 128, 129, 4096, 4097, 65_536, 65_537, 1 << 20] + (0...60).map { |n| (n * 7919) % 70_000 }
    payloads = sizes.each_with_index.to_h { |size, n| [n, Random.bytes(size)] }
    pending = payloads.dup
    reported = {}
    while reported.size < payloads.size
      pending.delete_if { |n, payload| @host.dispatch(payload, event_id: n) }
      @host.await_outcomes(timeout: 0.05)
      @host.drain.each { |outcome| reported[Integer(outcome.event_id.delete("-"), 16)] = outcome }
    end
    @host.close
    assert_equal sizes.size, server.value
    payloads.each do |n, payload|
      assert_equal [0, payload.reverse], [reported[n].status, reported[n].result], "#{payload.bytesize} bytes"
    end
    small = Baton::Channel.create("#{@path}-small", blocks: {})
    begin
      assert_raises(Baton::EMSGSIZE) { small.dispatch("\0" * 129) } # past the inline room, no block to take it
    ensure
      small.close
      small.detach
    end
  end

  def test_a_handler_that_raises_still_completes_its_event
    server = Thread.new do
      Baton.serve(@path, threads: 2) do |event|
        number = event.payload.unpack1("q<")
        raise ArgumentError, "odd #{number}" if number.odd?

        event.payload
      end
    end
    answers = host_ledger(100)
    assert_equal 100, server.value
    answers.each do |number, outcome|
      expected = number.odd? ? [Baton::HANDLER_FAILED, "ArgumentError: odd #{number}"] : [0, [number].pack("q<")]
      assert_equal expected, [outcome.status, outcome.result]
    end
  end

  def test_an_answer_of_the_wrong_type_still_completes_its_event
    server = Thread.new { Baton.serve(@path) { |_event| 42 } }
    answers = host_ledger(10)
    assert_equal 10, server.value
    answers.each_value do |outcome|
      assert_equal [Baton::HANDLER_FAILED, "TypeError: payloads and results are Strings of bytes, not Integer"],
                   [outcome.status, outcome.result]
    end
  end

  def test_a_parked_serve_ends_within_a_slice_of_the_close
    server = Thread.new { Baton.serve(@path, threads: 2) { |event| event.payload } }
    sleep 0.3 # parked in its wait
    @host.close
    assert server.join(5)
    assert_equal 0, server.value
  end
end

# A host that dies: handlers serve what it dispatched and then end with EHOSTDOWN; an adopter drains
# every outcome once, and its close removes the file.
class TestHostDeath < Minitest::Test
  EVENTS = 40

  def setup
    @path = "/dev/shm/baton-rb-test-#{Process.pid}-#{name}"
  end

  def teardown
    FileUtils.rm_f(@path)
  end

  def test_serve_ends_when_the_host_dies_and_an_adopter_drains_every_outcome_once
    host = fork do
      channel = Baton::Channel.create(@path, slab_capacity: 64, completion_timeout: 30)
      EVENTS.times { |number| channel.dispatch([number].pack("q<"), event_id: number) }
      Process.kill(:KILL, Process.pid)
    end
    Process.wait(host)
    assert_equal "KILL", Signal.signame($?.termsig)
    assert_raises(Baton::EHOSTDOWN) { Baton.serve(@path, threads: 2) { |event| [200, event.payload] } }
    Baton::Channel.open(@path, adopt: true) do |adopter|
      assert_raises(Baton::EISCONN) { Baton::Channel.open(@path, adopt: true) } # the first adopter lives
      ledger = Array.new(EVENTS, 0)
      while ledger.sum < EVENTS
        adopter.drain.each do |outcome|
          assert_equal 200, outcome.status
          ledger[Integer(outcome.event_id.delete("-"), 16)] += 1
        end
      end
      assert_equal [1] * EVENTS, ledger, "every event reported exactly once, to the adopter"
    end
    refute File.exist?(@path), "the adopter's close removes the file"
  end
end

# A host that a storm of Thread#raise keeps interrupting, wherever each lands in the binding's calls:
# every outcome still reaches it once, and every event, dispatched again by id after each interrupt,
# goes out once. The test's own bookkeeping runs with interrupts deferred; only the channel's calls
# take them.
class TestInterrupts < Minitest::Test
  def setup
    @path = "/dev/shm/baton-rb-test-#{Process.pid}-#{name}"
    @host = Baton::Channel.create(@path, slab_capacity: 64, completion_timeout: 60)
  end

  def teardown
    @host.detach
    FileUtils.rm_f(@path)
  end

  def test_a_storm_of_thread_raise_loses_no_outcome_and_sends_no_event_twice
    events = 30_000
    handler = fork { Baton.serve(@path, threads: 2) { |event| [200, event.payload] } }
    reported = Array.new(events, 0)
    sent = 0
    interrupts = 0
    main = Thread.current
    Thread.handle_interrupt(Interrupt => :never) do
      storm = Thread.new { loop { sleep 0.001 and main.raise(Interrupt) } }
      while reported.sum < events
        begin
          handle = nil
          if sent < events
            Thread.handle_interrupt(Interrupt => :immediate) do
              handle = @host.dispatch([sent].pack("q<"), event_id: sent)
            end
            sent += 1 if handle # counted before anything else can be interrupted; else sent again, same id
          end
          Thread.handle_interrupt(Interrupt => :immediate) do
            @host.drain { |outcome| reported[Integer(outcome.event_id.delete("-"), 16)] += 1 }
            @host.await_outcomes(timeout: 0.001) if sent == events
          end
        rescue Interrupt
          interrupts += 1
        end
      end
      storm.kill.join
      # Interrupts the storm raised after the last call are still pending: taken here, not at the
      # end of this block, where they would escape the test.
      while Thread.pending_interrupt?
        begin
          Thread.handle_interrupt(Interrupt => :immediate) { Thread.pass }
        rescue Interrupt
          interrupts += 1
        end
      end
    end
    assert_operator interrupts, :>, 0, "the storm landed"
    assert_equal [1] * events, reported, "every event went out once, and its outcome came back once"
    @host.close # the handler's serve ends; the detach in teardown returns: no call was left counted
    Process.wait(handler)
    assert_predicate $?, :success?
  end
end
