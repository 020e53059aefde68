# frozen_string_literal: true

# The suite's JSON-lines subject protocol (conformance/PROTOCOL.md) for Ruby programs.
#
# A program builds a Conformance::Program with its hello answer, a factory called with
# (env, proxy, ca) that returns an instance (get_token(call), fetch(call)) and a classifier
# (exception -> error hash), then calls run. Requests after create run on their own threads, so
# many are in flight at once. Conformance.follow_clock makes Time.now follow the suite's clock.
require 'json'

module Conformance
  WRITE_LOCK = Mutex.new
  @clock_ms = nil

  class << self
    attr_accessor :clock_ms

    # Writes one protocol line on stdout.
    def send_line(message)
      line = JSON.generate(message)
      WRITE_LOCK.synchronize do
        $stdout.write(line + "\n")
        $stdout.flush
      end
    end

    # Makes Time.now return the scenario clock the suite sends (capability "clock"), for a
    # library that reads Time.now itself. The process is one client instance, so replacing the
    # process clock is what the suite's fake-timers mode does for JavaScript.
    def follow_clock
      Time.singleton_class.class_eval do
        alias_method :real_now, :now
        define_method(:now) do |*args, **kw|
          ms = Conformance.clock_ms
          ms.nil? ? real_now(*args, **kw) : Time.at(Rational(ms, 1000))
        end
      end
    end
  end

  # Reads requests from stdin and answers them on stdout.
  class Program
    def initialize(hello, factory, classify)
      @hello = hello
      @factory = factory
      @classify = classify
      @instance = nil
    end

    def answer(id)
      result = yield
      Conformance.send_line(id: id, ok: true, result: result || {})
    rescue StandardError, ScriptError => e
      info = begin
        @classify.call(e)
      rescue StandardError => f
        { kind: 'other', message: "classify failed: #{f.message}" }
      end
      Conformance.send_line(id: id, ok: false, error: info)
    end

    def dispatch(message)
      case message['op']
      when 'getToken' then @instance.get_token(message)
      when 'fetch' then @instance.fetch(message)
      else raise NotImplementedError, "unsupported operation #{message['op']}"
      end
    end

    def run
      $stdout.sync = true
      $stdin.each_line do |line|
        next if line.strip.empty?

        message = JSON.parse(line)
        Conformance.clock_ms = message['now'] if message['now'].is_a?(Numeric)
        id = message['id']
        next if id.nil? # {"op":"clock"}: taken above

        case message['op']
        when 'hello' then Conformance.send_line(id: id, ok: true, result: @hello)
        when 'create' then answer(id) { @instance = @factory.call(message['env'], message['proxy'], message['ca']); nil }
        when 'close'
          Conformance.send_line(id: id, ok: true, result: {})
          return
        else
          if @instance.nil?
            Conformance.send_line(id: id, ok: false, error: { kind: 'other', message: "#{message['op']} before create" })
          else
            Thread.new(message) { |m| answer(m['id']) { dispatch(m) } }
          end
        end
      end
    end
  end
end
