# frozen_string_literal: true

# Baton for Ruby: handlers that poll events from a Baton channel (made by a host in Java, C, Rust or
# another language) and complete them, waiting in libbaton without the GVL.
#
#   require "baton"
#   served = Baton.serve("/dev/shm/orders", threads: 2) { |event| event.payload.upcase }
#
# libbaton is found through $BATON_LIBRARY, else the copy this gem carries, else the installed
# libbaton.so.7; requiring this file checks its ABI version and struct sizes and raises
# Baton::Native::LibraryMismatch when they differ.
require_relative "baton/native"
require_relative "baton/errors"
require_relative "baton/calls"
require_relative "baton/records"
require_relative "baton/channel"
require_relative "baton/serving"
