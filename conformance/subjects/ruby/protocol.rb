# frozen_string_literal: true

# The suite's JSON-lines subject protocol (conformance/PROTOCOL.md) for Ruby programs.
#
# A program builds a Conformance::Program with its hello answer, a factory called with
# (env, proxy, ca) that returns an instance (get_token(call), fetch(call)) and a classifier
# (exception -> error hash), then calls run. Requests after create run on their own threads, so
# many are in flight at once. Conformance.follow_clock makes Time.now follow the suite's clock.
#
# The process that answers hello offers to fork (PROTOCOL.md, "Forking"): asked to fork, it forks
# one child per client instance, with the libraries already required, which saves most of what
# starting an instance costs. The child connects back to the suite and carries on exactly like a
# program the suite started.
require 'json'
require 'socket'

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
      @input = $stdin
      nil while serve == :forked # the forked child: an instance from here on
    end

    private

    def serve
      @input.each_line do |line|
        next if line.strip.empty?

        message = JSON.parse(line)
        Conformance.clock_ms = message['now'] if message['now'].is_a?(Numeric)
        id = message['id']
        next if id.nil? # {"op":"clock"}: taken above

        case message['op']
        when 'hello' then Conformance.send_line(id: id, ok: true, result: @hello.merge(fork: Process.respond_to?(:fork)))
        when 'fork'
          return :forked if @instance.nil? && fork_instance(message)
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
      nil
    end

    # Forks a child for one instance; returns true in the child, once it is connected.
    #
    # The fork server forks a waiter, which forks the child, answers with the child's pid, waits
    # for it to exit and says how it ended; the server reaps its waiters with Process.detach.
    def fork_instance(message)
      $stdout.flush
      $stderr.flush
      waiter = Process.fork
      if waiter
        Process.detach(waiter)
        return false
      end
      child = begin
        Process.fork
      rescue Exception => e # rubocop:disable Lint/RescueException
        warn e.full_message
        exit!(1)
      end
      if child.nil?
        begin
          ENV.update(message['env'])
          @input = connect(message, 'stdio')
          $stdin.reopen(@input)
          $stdout.reopen(@input)
          $stderr.reopen(connect(message, 'stderr'))
          return true
        rescue Exception => e # rubocop:disable Lint/RescueException
          warn e.full_message
          exit!(1)
        end
      end
      begin
        write_line(id: message['id'], ok: true, result: { pid: child })
        _, status = Process.wait2(child)
        write_line(status.signaled? ? { exited: child, signal: status.termsig } : { exited: child, code: status.exitstatus })
      ensure
        exit!(0)
      end
    end

    # Connects to the suite's socket as one stream of the fork.
    def connect(message, stream)
      socket = UNIXSocket.new(message['socket'])
      socket.write("#{JSON.generate(fork: message['token'], stream: stream)}\n")
      socket
    end

    # Writes one protocol line on stdout in a single write, for the fork server's waiters.
    def write_line(message)
      $stdout.syswrite("#{JSON.generate(message)}\n")
    end
  end
end
