# frozen_string_literal: true

# A Ruby handler process for the cross-process tests (dev.baton.BindingHandlersTest): opens the
# channel file at its path, prints "attached", answers each 8-byte number with status 200 and its
# double from a few threads until the host closes the channel, then prints "served N".
#
#   ruby -I bindings/ruby/lib handler_process.rb <path> <threads>
require "baton"

path, threads = ARGV
$stdout.sync = true
served = Baton::Channel.open(path) do |channel|
  puts "attached"
  channel.serve(threads: Integer(threads)) { |event| [200, [2 * event.payload.unpack1("q<")].pack("q<")] }
end
puts "served #{served}"
