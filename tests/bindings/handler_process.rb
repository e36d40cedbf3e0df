# frozen_string_literal: true

# A Ruby handler process for the cross-process tests (dev.baton.BindingHandlersTest) and the figures
# (bench/native/binding_round_trip.c): opens the channel file at its path, prints "attached", answers
# each 8-byte number with status 200 and its double from a few threads until the host closes the
# channel, then prints "served N"; or, once the host is gone, prints "host gone" and exits 0. With poll_ms it does not wait on the channel but looks every
# poll_ms milliseconds, as the workflow engine's handlers do today.
#
#   ruby -I bindings/ruby/lib handler_process.rb <path> <threads> [poll_ms]
#   ruby -I bindings/ruby/lib handler_process.rb --floor <events>
#
# With --floor it serves no channel: it calls the same handler in a plain loop over as many 8-byte
# numbers, each in an Event as a poll makes it, and prints "floor <events per second>": the
# language's own floor, against which the figures set its throughput through a channel.
require "baton"

DOUBLE = ->(event) { [200, [2 * event.payload.unpack1("q<")].pack("q<")] }

def poll(channel, poll_ms)
  served = 0
  loop do
    event = channel.poll(timeout: 0)
    next sleep(poll_ms / 1000.0) if event.nil?

    served += 1 if channel.complete(event, *DOUBLE.call(event)) == Baton::Completed::ACCEPTED
  end
rescue Baton::ESHUTDOWN
  served
end

def floor(events)
  payloads = Array.new(1024) { |n| Baton::Event.new(n, 0, 0, n, 0, 0, [n].pack("q<"), 0, 0, 0, nil, 0) }
  start = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  events.times { |n| DOUBLE.call(payloads[n & 1023]) }
  puts format("floor %.0f", events / (Process.clock_gettime(Process::CLOCK_MONOTONIC) - start))
end

path, threads, poll_ms = ARGV
$stdout.sync = true
if path == "--floor"
  floor(Integer(threads))
  exit
end
served = Baton::Channel.open(path) do |channel|
  puts "attached"
  poll_ms ? poll(channel, Integer(poll_ms)) : channel.serve(threads: Integer(threads), &DOUBLE)
rescue Baton::EHOSTDOWN
  puts "host gone"
  exit
end
puts "served #{served}"
