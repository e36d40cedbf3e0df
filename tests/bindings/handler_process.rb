# frozen_string_literal: true

# A Ruby handler process for the cross-process tests (dev.baton.BindingHandlersTest) and the figures
# (bench/native/binding_round_trip.c): opens the channel file at its path, prints "attached", answers
# each 8-byte number with status 200 and its double from a few threads until the host closes the
# channel, then prints "served N". With poll_ms it does not wait on the channel but looks every
# poll_ms milliseconds, as the workflow engine's handlers do today.
#
#   ruby -I bindings/ruby/lib handler_process.rb <path> <threads> [poll_ms]
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

path, threads, poll_ms = ARGV
$stdout.sync = true
served = Baton::Channel.open(path) do |channel|
  puts "attached"
  poll_ms ? poll(channel, Integer(poll_ms)) : channel.serve(threads: Integer(threads), &DOUBLE)
end
puts "served #{served}"
