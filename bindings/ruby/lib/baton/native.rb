# frozen_string_literal: true

require "ffi"
require_relative "declarations"

module Baton
  # libbaton through the ffi gem: the API structs and function prototypes generated from baton.h
  # (declarations.rb, by `make declarations`), loaded and checked. Loading checks the library's ABI
  # version and holds every struct to the library's size of it (baton_abi_version,
  # baton_struct_size), refusing a mismatch before any call; test/test_abi.rb holds the offsets and
  # constants to what the C compiler makes of baton.h.
  #
  # Functions that may sleep (their "Blocks:" line in baton.h says so) are attached with
  # blocking: true, so that they run without the GVL and every other Ruby thread goes on.
  module Native
    extend FFI::Library

    WAIT_FOREVER = BATON_WAIT_FOREVER
    OPEN_ANY_OWNER = BATON_OPEN_ANY_OWNER
    FILE_MODE_DEFAULT = BATON_FILE_MODE_DEFAULT
    SLOT_HEADER_LENGTH = BATON_SLOT_HEADER_LENGTH
    COMPLETION_BODY_LENGTH = BATON_COMPLETION_BODY_LENGTH
    BLOCK_CLASSES = BATON_BLOCK_CLASSES
    BLOCK_SIZE_MIN = BATON_BLOCK_SIZE_MIN

    # libbaton was not found, or is not the ABI this binding was written for.
    class LibraryMismatch < LoadError; end

    # $BATON_LIBRARY, else the libbaton this gem carries, else the installed one.
    def self.library_path
      ENV.fetch("BATON_LIBRARY", nil) || bundled_library || "libbaton.so.#{ABI_MAJOR}"
    end

    def self.bundled_library
      path = File.expand_path("native/linux-#{RbConfig::CONFIG['host_cpu']}/libbaton.so.#{ABI_MAJOR}", __dir__)
      File.exist?(path) ? path : nil
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

        raise LibraryMismatch, "#{path} has a #{sizes[id]}-byte #{struct.name}; this binding was generated with one of #{struct.size}"
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

    FUNCTIONS.each do |name, parameters, returns, blocks|
      attach_function name, parameters, returns, blocking: blocks unless respond_to?(name)
    end
  end
end
