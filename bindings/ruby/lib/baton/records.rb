# frozen_string_literal: true

module Baton
  # A UUID's text from baton.h's two 64-bit words.
  def self.uuid_of(high, low)
    format("%032x", (high << 64) | low).unpack("a8a4a4a4a12").join("-")
  end

  # What a drain or a poll hands out: read-only fields, compared and shown as a Struct's are. Ids
  # stay two 64-bit words until read, when they are made into UUID strings: the text costs far more
  # than the rest of an event, and most handlers never read it.
  module Record
    def to_h
      self.class::FIELDS.to_h { |field| [field, public_send(field)] }
    end

    def ==(other)
      other.class == self.class && other.to_h == to_h
    end
    alias eql? ==

    def hash
      [self.class, to_h].hash
    end

    def inspect
      "#<#{self.class.name} #{to_h.map { |field, value| "#{field}=#{value.inspect}" }.join(', ')}>"
    end
    alias to_s inspect
  end

  # An event's ids as UUID strings, from the two 64-bit words of each that a record keeps.
  module EventIds
    def event_id = Baton.uuid_of(@event_id_high, @event_id_low)

    def correlation_id = Baton.uuid_of(@correlation_id_high, @correlation_id_low)
  end

  # A polled event, its payload copied out (a checked copy: never torn, never another event's).
  # redeliveries is 0 on the first delivery, then how often it was dispatched again after its handler died.
  # traceparent: the W3C trace context it was dispatched with, or nil. yields is 0 on the first
  # delivery, then how often a handler yielded it (Channel#yield_event).
  class Event
    include Record
    include EventIds

    FIELDS = %i[handle kind event_id correlation_id payload dispatched_at_ns deadline_ns redeliveries traceparent
                yields].freeze

    attr_reader :handle, :kind, :payload, :dispatched_at_ns, :deadline_ns, :redeliveries, :traceparent, :yields

    # The polled struct's fields, in baton_event's order where they are its.
    def initialize(handle, kind, event_id_high, event_id_low, correlation_id_high, correlation_id_low, payload,
                   dispatched_at_ns, deadline_ns, redeliveries, traceparent, yields)
      @handle = handle
      @kind = kind
      @event_id_high = event_id_high
      @event_id_low = event_id_low
      @correlation_id_high = correlation_id_high
      @correlation_id_low = correlation_id_low
      @payload = payload
      @dispatched_at_ns = dispatched_at_ns
      @deadline_ns = deadline_ns
      @redeliveries = redeliveries
      @traceparent = traceparent
      @yields = yields
      freeze
    end
  end

  # An event's end as the host drains it: completed by a handler, or timed out.
  # traceparent: the W3C trace context it was dispatched with, or nil; handler_span_id: the span its
  # handler named in complete(span_id:), or 0.
  class Outcome
    include Record

    FIELDS = %i[handle status result timed_out kind event_id latency_ns traceparent handler_span_id].freeze

    attr_reader :handle, :status, :result, :timed_out, :kind, :latency_ns, :traceparent, :handler_span_id

    def initialize(handle, status, result, timed_out, kind, event_id_high, event_id_low, latency_ns, traceparent,
                   handler_span_id)
      @handle = handle
      @status = status
      @result = result
      @timed_out = timed_out
      @kind = kind
      @event_id_high = event_id_high
      @event_id_low = event_id_low
      @latency_ns = latency_ns
      @traceparent = traceparent
      @handler_span_id = handler_span_id
      freeze
    end

    def event_id = Baton.uuid_of(@event_id_high, @event_id_low)

    # The event id's two 64-bit words, as dispatch took them.
    def event_id_halves = [@event_id_high, @event_id_low]
  end

  # An event the slab holds, as Channel#list_events reports it: read under its slot's state word, so
  # its fields are the event's in that state. state is where it is: :dispatched (waiting for a
  # handler), :polled (in progress), :yielding (handed back, about to be dispatched again), or
  # :completed or :timed_out (ended, its outcome not yet drained).
  class ListedEvent
    include Record
    include EventIds

    FIELDS = %i[handle event_id correlation_id dispatched_at_ns kind state redeliveries yields].freeze
    # baton.h's slot states that hold an event.
    STATES = { 1 => :dispatched, 2 => :polled, 3 => :completed, 4 => :timed_out, 5 => :yielding }.freeze

    attr_reader :handle, :dispatched_at_ns, :kind, :state, :redeliveries, :yields

    # From a baton_listed_event struct.
    def self.of(struct)
      new(struct[:handle], struct[:event_id_hi], struct[:event_id_lo], struct[:correlation_id_hi],
          struct[:correlation_id_lo], struct[:dispatched_at_ns], struct[:kind], STATES.fetch(struct[:state]),
          struct[:redeliveries], struct[:yields])
    end

    def initialize(handle, event_id_high, event_id_low, correlation_id_high, correlation_id_low, dispatched_at_ns,
                   kind, state, redeliveries, yields)
      @handle = handle
      @event_id_high = event_id_high
      @event_id_low = event_id_low
      @correlation_id_high = correlation_id_high
      @correlation_id_low = correlation_id_low
      @dispatched_at_ns = dispatched_at_ns
      @kind = kind
      @state = state
      @redeliveries = redeliveries
      @yields = yields
      freeze
    end
  end
end
