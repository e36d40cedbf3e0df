# frozen_string_literal: true

module Baton
  # A call libbaton refused. #code is the BATON_E* value (negative); the subclasses are named after
  # the codes a caller can cause. The ordinary races of serving (an event that timed out or was
  # cancelled while its handler worked, a full ring) are results, never exceptions: see
  # Channel#complete and Channel#dispatch.
  class Error < StandardError
    def self.code = 0

    def code = self.class.code

    def initialize(message = nil)
      super("BATON_#{self.class.name.split('::').last}: #{message || Native.baton_strerror(code)}")
    end
  end

  CODES = {
    ENOENT: -2, EIO: -5, ENOMEM: -12, EACCES: -13, EBUSY: -16, EEXIST: -17, EINVAL: -22, EPROTO: -71, EBADMSG: -74,
    EUSERS: -87, EMSGSIZE: -90, EPROTONOSUPPORT: -93, EISCONN: -106, ESHUTDOWN: -108, EHOSTDOWN: -112,
    EALREADY: -114, EUCLEAN: -117
  }.freeze

  ERRORS = CODES.to_h do |name, value|
    error = Class.new(Error) { define_singleton_method(:code) { value } }
    const_set(name, error)
    [value, error]
  end.freeze

  # A code libbaton returned without a subclass here.
  class UnexpectedCode < Error
    attr_reader :code

    def initialize(code)
      @code = code
      super(Native.baton_strerror(code))
    end
  end

  # code when it is >= 0; otherwise raises the error named after it.
  def self.check(code)
    return code if code >= 0

    raise error_of(code)
  end

  # check, for an opening call (create, open, adopt) just made on this thread: the error carries
  # libbaton's detail of the fault (baton_error_detail), the sentence every language shows, such as
  # "/dev/shm/x: 100 bytes, shorter than a channel header (512 bytes)".
  def self.check_opening(code)
    return code if code >= 0

    raise error_of(code, Native.baton_error_detail(code))
  end

  # The exception named after a negative code, made but not raised.
  def self.error_of(code, message = nil)
    error = ERRORS[code]
    error ? error.new(message) : UnexpectedCode.new(code)
  end
end
