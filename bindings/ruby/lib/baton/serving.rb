# frozen_string_literal: true

module Baton
  # A handler's answer that hands its event back with a continuation payload (a checkpoint yield).
  Yield = Struct.new(:continuation)

  # The handler loop. A handler takes an Event and returns its result: a String (status 0), a
  # [status, String] pair, or nil (status 0, no bytes); or Yield.new(continuation) to hand the event
  # back, dispatched again with the continuation as its payload. A handler that raises, or answers anything
  # else, completes its event with status HANDLER_FAILED and "Class: message", so that the host
  # still hears of the event exactly once.
  module Serving
    HANDLER_FAILED = 500
    IDLE_SLICE = 0.1 # seconds a serving thread waits before it reaps and looks again

    def self.answer(handler, event)
      answer = handler.call(event)
      return Yield.new(Baton.bytes_of(answer.continuation)) if answer.is_a?(Yield)

      status, result = case answer
                       when nil then [0, ""]
                       when Array then answer
                       else [0, answer]
                       end
      [Integer(status), Baton.bytes_of(result)]
    rescue StandardError => e
      [HANDLER_FAILED, "#{e.class}: #{e.message}".b]
    end

    BATCH = 64 # the most events a serving thread polls at once

    # Polls events in batches, answers each, and completes the batch in one call: two calls into
    # libbaton per batch, whatever its size (a yield is one more, per yielded event). Ends when the
    # channel closes, or when the host is gone (pushed onto host_gone).
    def self.serve_thread(channel, handler, host_gone)
      completed = 0
      loop do
        events = channel.poll_batch(BATCH, timeout: IDLE_SLICE)
        if events.empty?
          channel.reap # idle: settle what dead processes left, as any survivor may
          next
        end
        answered = []
        events.each do |event|
          answer = answer(handler, event)
          answer.is_a?(Yield) ? yield_with(channel, event, answer.continuation) : answered << [event, *answer]
        end
        channel.complete_batch(answered).each_with_index do |result, i|
          if result.is_a?(EMSGSIZE)
            result = channel.complete(answered[i][0], HANDLER_FAILED, "result longer than the channel allows")
          end
          completed += 1 if result == Completed::ACCEPTED
        end
      end
    rescue ESHUTDOWN
      completed
    rescue EHOSTDOWN => e
      host_gone << e
      completed
    end

    def self.yield_with(channel, event, continuation)
      channel.yield_event(event, continuation)
    rescue EMSGSIZE
      channel.complete(event, HANDLER_FAILED, "continuation longer than the channel allows")
    end

    # Serves channel with handler from threads until it closes; the events completed. Raises
    # EHOSTDOWN once the host is gone (its process died), after every thread has ended, so that a
    # handler process ends too instead of waiting for ever.
    def self.serve_channel(channel, threads, handler)
      host_gone = Queue.new
      served = Array.new(threads) { Thread.new { serve_thread(channel, handler, host_gone) } }.sum(&:value)
      raise host_gone.pop unless host_gone.empty?

      served
    end
  end

  HANDLER_FAILED = Serving::HANDLER_FAILED

  # Attaches to the channel file at path, serves it with the block from threads until the host
  # closes it, detaches, and returns the events completed; raises EHOSTDOWN once the host is gone.
  def self.serve(path, threads: 1, any_owner: false, &handler)
    Channel.open(path, any_owner: any_owner) { |channel| Serving.serve_channel(channel, threads, handler) }
  end
end
