# frozen_string_literal: true

module Baton
  # Counts the calls in progress on one attachment, so that a detach never frees it under one. A
  # call enters before it touches the attachment and leaves after; #detach refuses new calls and
  # waits until those in progress have left. The channel's waits sleep in slices
  # (Channel::WAIT_SLICE_NS), so a detach waits at most one slice.
  class Calls
    def initialize
      @lock = Mutex.new
      @left = ConditionVariable.new
      @in_progress = 0
      @detaching = false
    end

    def enter
      @lock.synchronize do
        raise ESHUTDOWN, "this attachment was detached" if @detaching

        @in_progress += 1
      end
    end

    def leave
      @lock.synchronize do
        @in_progress -= 1
        @left.broadcast if @detaching && @in_progress.zero?
      end
    end

    # true for the first caller, once no call is in progress; false when already detached.
    def detach
      @lock.synchronize do
        return false if @detaching

        @detaching = true
        @left.wait(@lock) while @in_progress.positive?
        true
      end
    end
  end
end
