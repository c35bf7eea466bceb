# frozen_string_literal: true

# standin's Lambda runtime client for Ruby (standard library only, Ruby 3.1+).
#
# Started as `ruby standin_runtime.rb` in the function's code folder. It speaks the Lambda Runtime API (2018-06-01) at
# $AWS_LAMBDA_RUNTIME_API and runs the handler named by $_HANDLER the way AWS's Ruby runtime (aws_lambda_ric, the
# managed ruby3.x runtimes) does:
#
# - `file.method` calls the top-level method `method` of `file.rb`; `file.Module::Class.method` calls a class or module
#   method; both as `method(event:, context:)`. The file is required from $LAMBDA_TASK_ROOT ($LOAD_PATH also gets
#   $LAMBDA_TASK_ROOT/lib); a method or class that is missing shows up on the first invocation, as in Lambda.
# - The result is `result.to_json` (an IO or StringIO is sent as it is, `application/unknown`).
# - Errors are {"errorMessage", "errorType": "Function<Class>", "stackTrace"}; the error-type header is the same for the
#   classes Lambda's runtime names and `Function<UserException>` for the others. NoMethodError, NameError and exceptions
#   that are not StandardErrors end the process after the error is posted (exit status 255). Anything raised while the
#   handler file loads (LoadError, SyntaxError, a raise at the top level, a malformed handler string) is posted to
#   /runtime/init/error as `Init<Class>` and the process exits (status 252).
# - Gems that `bundle install --path vendor/bundle` / `sam build` put in vendor/bundle/ruby/<version> are on the gem
#   path, ahead of what GEM_PATH already names and of the interpreter's own gems.
# - `Logger.new($stdout)` (or $stderr) gets Lambda's format, with the request id (JSON when
#   AWS_LAMBDA_LOG_FORMAT=JSON, level from AWS_LAMBDA_LOG_LEVEL); stdout and stderr are unbuffered.
# - With $STANDIN_DEBUG_PORT, the `debug` gem (bundled with Ruby 3.1+) listens on 127.0.0.1:<port> and the program
#   stops at the first line of the handler file until a debugger attaches, unless a debugger is already running (rdbg).
#
# Start-up matters, so the client loads only socket, json and logger (which Lambda's runtime loads too, so functions
# that forget to require them work the same) and talks HTTP/1.1 itself over one keep-alive socket with TCP_NODELAY.
#
# Loading RubyGems is most of `ruby -e 0` (tens of milliseconds), so the client also runs under `ruby --disable-gems`
# and then loads RubyGems only when the function needs it: when a `require` fails (then retried with RubyGems, which
# finds vendored and installed gems), when the code names `Gem` or calls `gem`. did_you_mean and error_highlight, which
# `--disable-gems` also leaves out, are loaded before an error message is read for the error response.

$stdout.sync = true
$stderr.sync = true

# Lazy RubyGems, when started with --disable-gems.
module StandinLazyGems
  ENABLED = !defined?(::Gem)

  # Loads RubyGems unless it is loaded: true when this call loaded it.
  def self.load_rubygems
    return false if !ENABLED || @loading || Object.autoload?(:Gem).nil?

    @loading = true
    begin
      # RubyGems aliases Kernel#require (the one below) as gem_original_require and puts its own in front.
      Kernel.send(:standin_require_without_gems, 'rubygems')
    ensure
      @loading = false
    end
    true
  end

  # What the default prelude loads with RubyGems, for error messages (their suggestions and highlights).
  def self.load_error_helpers
    return unless ENABLED

    %w[error_highlight did_you_mean syntax_suggest/core_ext].each do |name|
      found = begin
        $LOAD_PATH.resolve_feature_path(name)
      rescue LoadError
        nil
      end
      require name if found
    end
  end

  if ENABLED
    Object.autoload(:Gem, 'rubygems')

    # A file that is not on $LOAD_PATH may be in a gem: load RubyGems and ask again.
    module ::Kernel
      alias_method :standin_require_without_gems, :require
      private :standin_require_without_gems

      def require(path)
        standin_require_without_gems(path)
      rescue LoadError
        raise unless StandinLazyGems.load_rubygems

        require(path)
      end
      private :require

      def gem(*arguments)
        raise NotImplementedError, 'RubyGems could not be loaded' unless StandinLazyGems.load_rubygems

        gem(*arguments)
      end
      private :gem
    end
  end
end

require 'socket.so' # TCPSocket; socket.rb's helpers (Socket.tcp, Addrinfo extras) load with `require 'socket'`
require 'json'
require 'logger'

# What else Lambda's runtime has loaded before the function (it uses net/http), for code that forgets to require it.
Object.autoload(:URI, 'uri')
Object.autoload(:StringIO, 'stringio')
Object.autoload(:Timeout, 'timeout')
module Net
  autoload :HTTP, 'net/http'
end

# The handler's `context:` argument, with the readers of aws_lambda_ric's LambdaContext.
class LambdaContext
  W3C_ALLOWED_FIELDS = %w[traceparent tracestate baggage].freeze

  attr_reader :aws_request_id, :invoked_function_arn, :log_group_name, :log_stream_name, :function_name,
              :memory_limit_in_mb, :function_version, :identity, :tenant_id, :client_context, :deadline_ms

  def initialize(request)
    # Wall clock minus monotonic clock: the remaining time follows the monotonic clock, as in Lambda.
    @clock_diff = Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond) -
                  Process.clock_gettime(Process::CLOCK_MONOTONIC, :millisecond)
    @deadline_ms = request['Lambda-Runtime-Deadline-Ms'].to_i
    @aws_request_id = request['Lambda-Runtime-Aws-Request-Id']
    @invoked_function_arn = request['Lambda-Runtime-Invoked-Function-Arn']
    @log_group_name = ENV['AWS_LAMBDA_LOG_GROUP_NAME']
    @log_stream_name = ENV['AWS_LAMBDA_LOG_STREAM_NAME']
    @function_name = ENV['AWS_LAMBDA_FUNCTION_NAME']
    @memory_limit_in_mb = ENV['AWS_LAMBDA_FUNCTION_MEMORY_SIZE']
    @function_version = ENV['AWS_LAMBDA_FUNCTION_VERSION']
    identity = request['Lambda-Runtime-Cognito-Identity'].to_s
    @identity = JSON.parse(identity) unless identity.empty?
    tenant = request['Lambda-Runtime-Aws-Tenant-Id'].to_s
    @tenant_id = tenant unless tenant.empty?
    @w3c_fields = {}
    client_context = request['Lambda-Runtime-Client-Context'].to_s
    return if client_context.empty?

    @client_context = JSON.parse(client_context)
    @w3c_fields = self.class.extract_and_strip_w3c(@client_context)
  end

  # Milliseconds left before the function times out (never negative).
  def get_remaining_time_in_millis
    remaining = @deadline_ms - (Process.clock_gettime(Process::CLOCK_MONOTONIC, :millisecond) + @clock_diff)
    remaining.positive? ? remaining : 0
  end

  # The W3C trace context (traceparent, tracestate, baggage) the client context carried.
  def w3c
    @w3c_fields.dup
  end

  # Takes "w3c" out of a client context and returns its string fields that Lambda passes on.
  def self.extract_and_strip_w3c(client_context)
    return {} unless client_context.is_a?(Hash) && client_context.key?('w3c')

    raw = client_context.delete('w3c')
    return {} unless raw.is_a?(Hash)

    W3C_ALLOWED_FIELDS.each_with_object({}) { |key, fields| fields[key] = raw[key] if raw[key].is_a?(String) }
  end
end

module AwsLambda
  # How events are decoded and results encoded; a function may redefine these methods, as in Lambda.
  class Marshaller
    class << self
      # The event: parsed JSON for application/json, else the body as it came.
      def marshall_request(raw_request)
        if raw_request['Content-Type'] == 'application/json'
          JSON.parse(raw_request.body)
        else
          raw_request.body
        end
      end

      # The response body, or [io, 'application/unknown'] for an IO or StringIO (sent as it reads).
      def marshall_response(method_response)
        if method_response.is_a?(IO) || (Object.autoload?(:StringIO).nil? && method_response.is_a?(::StringIO))
          [method_response, 'application/unknown']
        else
          method_response.to_json
        end
      end
    end
  end
end

module StandinRuntime
  API = '/2018-06-01/runtime'
  USER_AGENT = "standin-ruby-runtime/#{RUBY_VERSION}"
  HERE = File.expand_path(__FILE__)

  # Error classes whose own name Lambda puts in the Lambda-Runtime-Function-Error-Type header.
  NAMED_ERRORS = %w[ArgumentError NoMethodError Exception StandardError NameError LoadError SystemExit
                    SystemStackError].freeze

  # An exception as Lambda reports it: `Function<Class>` (or `Init<Class>`), message and the function's own frames.
  class LambdaError
    attr_reader :error_type

    def initialize(error, classification)
      StandinLazyGems.load_error_helpers
      @class_name = error.class.to_s
      @error_type = "#{classification}<#{error.class}>"
      @message = error.message
      @trace = StandinRuntime.user_frames(error)
      # Ruby 3.1's error_highlight appends the failing line to the message; when that line is this client's call of
      # the handler (a missing method or class), keep the message alone.
      first = error.backtrace_locations&.first
      @message = @message.split("\n\n", 2).first if first && (first.absolute_path || first.path) == HERE
    end

    # The Lambda-Runtime-Function-Error-Type header.
    def header_type
      NAMED_ERRORS.include?(@class_name) ? @error_type : 'Function<UserException>'
    end

    def to_lambda_response
      { 'errorMessage' => @message, 'errorType' => @error_type, 'stackTrace' => @trace }
    end
  end

  # The frames of `error` up to the first one in this file (at most 100), without RubyGems' `require`.
  def self.user_frames(error)
    frames = error.backtrace_locations&.map { |l| [l.absolute_path || l.path, l.to_s] } ||
             (error.backtrace || []).map { |line| [line[/\A[^:]+/], line] }
    trace = []
    frames.first(100).each do |path, line|
      break if path == HERE

      trace << line unless path.to_s.match?(%r{rubygems/core_ext/kernel_require\.rb>?\z})
    end
    trace
  end

  # An invocation as /next returned it; `request['Header-Name']` ignores case, as Net::HTTPResponse does.
  class Request
    attr_reader :body

    def initialize(headers, body)
      @headers = headers
      @body = body
    end

    def [](name)
      @headers[name.downcase]
    end
  end

  # One HTTP/1.1 keep-alive connection to the Runtime API, with TCP_NODELAY; each request is written at once.
  class Connection
    class IdleClose < StandardError; end

    def initialize(address)
      host, _, port = address.rpartition(':')
      @host = host.delete_prefix('[').delete_suffix(']')
      @host = '127.0.0.1' if @host.empty?
      @port = Integer(port)
      @prefix = "Host: #{address}\r\nUser-Agent: #{USER_AGENT}\r\n"
      @socket = nil
      @buffer = +''.b
    end

    # Sends one request; returns [status, headers (lower-case names), body]. Reconnects once when a kept-alive
    # connection turns out closed; exits the process when the Runtime API is gone.
    def request(method, path, body = nil, headers = nil, content_type = 'application/json')
      message = +"#{method} #{path} HTTP/1.1\r\n#{@prefix}"
      message << "Content-Type: #{content_type}\r\nContent-Length: #{body.bytesize}\r\n" if body
      message << headers if headers
      message << "\r\n"
      message = message.b
      message << body.b if body
      reused = !@socket.nil?
      connect unless reused
      begin
        @socket.write(message)
        return read_response
      rescue IdleClose, SystemCallError, IOError
        StandinRuntime.gone unless reused
      end
      close
      connect
      begin
        @socket.write(message)
        read_response
      rescue IdleClose, SystemCallError, IOError
        StandinRuntime.gone
      end
    end

    private

    def connect
      @socket = TCPSocket.new(@host, @port)
      @socket.setsockopt(Socket::IPPROTO_TCP, Socket::TCP_NODELAY, 1)
      @socket.sync = true
      @buffer = +''.b
    rescue SystemCallError, SocketError
      StandinRuntime.gone
    end

    def close
      @socket&.close
    rescue IOError, SystemCallError
      nil
    ensure
      @socket = nil
      @buffer = +''.b
    end

    def fill
      @buffer << @socket.readpartial(262_144)
    end

    def read_response
      until (head_end = @buffer.index("\r\n\r\n"))
        begin
          fill
        rescue EOFError
          raise IdleClose if @buffer.empty?

          StandinRuntime.gone
        end
      end
      lines = @buffer.byteslice(0, head_end).split("\r\n")
      @buffer = @buffer.byteslice(head_end + 4, @buffer.bytesize)
      status = lines.shift.split(' ', 3)[1].to_i
      headers = {}
      lines.each do |line|
        name, value = line.split(':', 2)
        headers[name.strip.downcase] = value.to_s.strip
      end
      chunked = headers['transfer-encoding'].to_s.casecmp?('chunked')
      body = chunked ? read_chunked : read_exactly(headers['content-length'].to_i)
      close if headers['connection'].to_s.casecmp?('close')
      [status, headers, body]
    rescue EOFError
      StandinRuntime.gone
    end

    def read_exactly(length)
      fill while @buffer.bytesize < length
      body = @buffer.byteslice(0, length)
      @buffer = @buffer.byteslice(length, @buffer.bytesize)
      body
    end

    def read_chunked
      body = +''.b
      loop do
        fill until (eol = @buffer.index("\r\n"))
        size = @buffer.byteslice(0, eol).split(';', 2)[0].to_i(16)
        @buffer = @buffer.byteslice(eol + 2, @buffer.bytesize)
        if size.zero?
          # trailers, then an empty line
          fill until @buffer.start_with?("\r\n") || @buffer.include?("\r\n\r\n")
          skip = @buffer.start_with?("\r\n") ? 2 : @buffer.index("\r\n\r\n") + 4
          @buffer = @buffer.byteslice(skip, @buffer.bytesize)
          return body
        end
        body << read_exactly(size)
        read_exactly(2)
      end
    end
  end

  # Lambda's Logger format (aws_lambda_ric's LogFormatter): "I, [time #pid]  INFO <request id> -- prog: message".
  class LogFormatter < ::Logger::Formatter
    def call(severity, time, progname, msg)
      line = format('%<sev>s, [%<datetime>s #%<process>d] %<severity>5s %<request_id>s -- %<progname>s: %<msg>s',
                    sev: severity[0, 1], datetime: format_datetime(time), process: $$, severity: severity,
                    request_id: $_global_aws_request_id, progname: progname, msg: msg2str(msg))
      "#{line.encode('UTF-8', invalid: :replace, undef: :replace, replace: "\uFFFD")}\n"
    end
  end

  # The JSON log format (AWS_LAMBDA_LOG_FORMAT=JSON).
  class JsonLogFormatter < ::Logger::Formatter
    def call(severity, time, progname, msg)
      payload = { timestamp: time.utc.strftime('%Y-%m-%dT%H:%M:%S.%6NZ'), level: severity,
                  message: clean(msg.is_a?(Exception) ? msg.message : msg2str(msg)),
                  requestId: $_global_aws_request_id }
      payload[:logger] = clean(progname) unless progname.nil? || progname.to_s.empty?
      if msg.is_a?(Exception)
        payload[:errorType] = msg.class.to_s
        payload[:errorMessage] = clean(msg.message)
        payload[:stackTrace] = Array(msg.backtrace).map { |line| clean(line) }
        first = msg.backtrace&.first
        if first
          match = clean(first).match(/\A(?<file>.+):(?<line>\d+):in [`'](?<method>.+)'\z/)
          payload[:location] = match ? "#{match[:file]}:#{match[:method]}:#{match[:line]}" : clean(first)
        end
      end
      "#{JSON.generate(payload.compact)}\n"
    end

    private

    def clean(value)
      value.to_s.encode('UTF-8', invalid: :replace, undef: :replace, replace: "\uFFFD")
    end
  end

  LOG_LEVELS = { 'TRACE' => ::Logger::DEBUG, 'DEBUG' => ::Logger::DEBUG, 'INFO' => ::Logger::INFO,
                 'WARN' => ::Logger::WARN, 'ERROR' => ::Logger::ERROR, 'FATAL' => ::Logger::FATAL }.freeze

  # Loggers writing to $stdout or $stderr get Lambda's formatter and AWS_LAMBDA_LOG_LEVEL, as in Lambda.
  module LoggerPatch
    def initialize(logdev, shift_age = 0, shift_size = 1_048_576, **options)
      if logdev.nil? || logdev == $stdout || logdev == $stderr
        json = ENV['AWS_LAMBDA_LOG_FORMAT'].to_s.casecmp?('JSON')
        options[:formatter] ||= json ? JsonLogFormatter.new : LogFormatter.new
        level = LOG_LEVELS[ENV['AWS_LAMBDA_LOG_LEVEL'].to_s.upcase]
        options[:level] = level if level && !options.key?(:level)
      end
      super(logdev, shift_age, shift_size, **options)
    end
  end

  class << self
    # The Runtime API went away (standin stopped): end at once.
    def gone
      $stdout.flush
      $stderr.flush
      exit!(1)
    end

    def main
      @task_root = ENV['LAMBDA_TASK_ROOT'].to_s
      @task_root = Dir.pwd if @task_root.empty?
      @handler_name = ENV['_HANDLER'].to_s
      @api = Connection.new(ENV['AWS_LAMBDA_RUNTIME_API'] || '127.0.0.1:9001')
      ::Logger.prepend(LoggerPatch)
      setup_load_path
      setup_gem_path
      begin
        load_handler
      rescue Exception => e # rubocop:disable Lint/RescueException -- anything the handler file raises is an init error
        init_failed(e)
      end
      loop { next_invocation }
    end

    private

    # $LOAD_PATH: the code folder, then its lib/ (ahead of RUBYLIB and the standard library).
    def setup_load_path
      lib = File.join(@task_root, 'lib')
      $LOAD_PATH.unshift(lib) unless $LOAD_PATH.include?(lib)
      $LOAD_PATH.unshift(@task_root) unless $LOAD_PATH.include?(@task_root)
    end

    # GEM_PATH: vendor/bundle/ruby/<this Ruby's ABI version>, else the vendor/bundle/ruby/* there are, then GEM_PATH's
    # own entries, then (the trailing ':') the interpreter's default gem folders.
    def setup_gem_path
      vendor = File.join(@task_root, 'vendor', 'bundle', 'ruby')
      versions = Dir.exist?(vendor) ? Dir.children(vendor).select { |v| File.directory?(File.join(vendor, v)) } : []
      current = "#{RUBY_VERSION[/\A\d+\.\d+/]}.0" # RbConfig::CONFIG['ruby_version'], without loading rbconfig
      versions = versions.include?(current) ? [current] : versions.sort.reverse
      given = ENV['GEM_PATH'].to_s.split(File::PATH_SEPARATOR).reject(&:empty?)
      paths = (versions.map { |v| File.join(vendor, v) } + given).uniq
      return if paths.empty?

      ENV['GEM_PATH'] = paths.join(File::PATH_SEPARATOR) + File::PATH_SEPARATOR
      Gem.clear_paths unless StandinLazyGems::ENABLED || !Gem.respond_to?(:clear_paths)
    end

    def load_handler
      parts = @handler_name.split('.')
      unless [2, 3].include?(parts.size)
        raise ArgumentError, "Invalid handler #{parts}, must be of form FILENAME.METHOD or FILENAME.CLASS.METHOD " \
                             'where FILENAME corresponds with an existing Ruby source file FILENAME.rb, CLASS is an ' \
                             'optional module/class namespace and METHOD is a callable method. If using CLASS, ' \
                             'METHOD must be a class-level method.'
      end
      @file_name = parts[0]
      @method_name = parts[-1]
      @class_name = parts.size == 3 ? parts[1] : nil
      start_debugger if ENV['STANDIN_DEBUG_PORT']
      require @file_name
    end

    # Opens the `debug` gem's port and stops at the first line of the handler file, waiting for a debugger.
    def start_debugger
      return if defined?(::DEBUGGER__::SESSION) # started under rdbg or `ruby -r debug/open`

      port = Integer(ENV['STANDIN_DEBUG_PORT'], exception: false)
      return unless port

      begin
        require 'debug/session'
      rescue LoadError => e
        $stderr.write("standin: the debug gem is not available (#{e.message}); running without a debugger " \
                       "(gem install debug)\n")
        return
      end
      ::DEBUGGER__.open_tcp(host: '127.0.0.1', port: port, nonstop: true)
      file = $LOAD_PATH.map { |dir| File.expand_path("#{@file_name}.rb", dir) }.find { |f| File.file?(f) }
      ::DEBUGGER__.add_line_breakpoint(file, 0, oneshot: true, hook_call: false) if file
    end

    def init_failed(exception)
      error = LambdaError.new(exception, 'Init')
      log_error("Init error when loading handler #{@handler_name}", error)
      status, = @api.request('POST', "#{API}/init/error", JSON.generate(error.to_lambda_response),
                             error_header(error))
      exit(status == 202 ? -4 : 1)
    end

    def next_invocation
      begin
        status, headers, body = @api.request('GET', "#{API}/invocation/next")
      rescue SignalException
        # stopped (SIGTERM, Ctrl-C) while waiting for work: end quietly, as Lambda's runtime does
        exit!(0)
      end
      unless status == 200
        # 500: the instance is being stopped; anything else is unexpected
        $stderr.write("standin runtime: /next returned #{status}\n") unless status == 500
        gone
      end
      invoke(headers, body)
    end

    def invoke(headers, body)
      request_id = headers['lambda-runtime-aws-request-id'].to_s
      $_global_aws_request_id = request_id
      trace_id = headers['lambda-runtime-trace-id']
      if trace_id
        ENV['_X_AMZN_TRACE_ID'] = trace_id
      else
        ENV.delete('_X_AMZN_TRACE_ID')
      end
      body.force_encoding(Encoding::UTF_8) if headers['content-type'] == 'application/json'
      request = Request.new(headers, body)
      critical = false
      begin
        context = LambdaContext.new(request)
        event = AwsLambda::Marshaller.marshall_request(request)
        result = call_handler(event, context)
        result, content_type = AwsLambda::Marshaller.marshall_response(result)
        result = result.read if content_type == 'application/unknown'
      rescue NameError => e # includes NoMethodError: a missing handler method or class ends the process
        critical = true
        error = LambdaError.new(e, 'Function')
      rescue StandardError => e
        error = LambdaError.new(e, 'Function')
      rescue Exception => e # rubocop:disable Lint/RescueException -- as Lambda: report it, then end the process
        critical = true
        error = LambdaError.new(e, 'Function')
      end
      path = "#{API}/invocation/#{request_id}"
      unless error
        post("#{path}/response", result.to_s, nil, content_type || 'application/json')
        return
      end
      log_error(critical ? 'Critical exception from handler' : 'Error raised from handler method', error)
      post("#{path}/error", JSON.generate(error.to_lambda_response), error_header(error))
      exit(-1) if critical
    end

    def call_handler(event, context)
      if @class_name
        Kernel.const_get(@class_name).send(@method_name, event: event, context: context)
      else
        TOPLEVEL_BINDING.receiver.__send__(@method_name, event: event, context: context)
      end
    end

    def post(path, body, headers, content_type = 'application/json')
      status, _, answer = @api.request('POST', path, body, headers, content_type)
      return unless status >= 500 || status == 403

      # the Runtime API refused the request for good (the instance is being stopped, or a bad state)
      $stderr.write("standin runtime: #{path} returned #{status}: #{answer.to_s.dup.force_encoding('UTF-8').scrub}\n")
      gone
    end

    def error_header(error)
      "Lambda-Runtime-Function-Error-Type: #{error.header_type.gsub(/[^ -~]/, '?')[0, 1024]}\r\n"
    end

    # The runtime's error log: a line saying where it happened, then the error as indented JSON.
    def log_error(message, error)
      $stderr.write("#{message}\n#{JSON.pretty_generate(error.to_lambda_response)}\n")
    rescue StandardError
      $stderr.write("#{message}\n#{error.error_type}\n")
    end
  end
end

StandinRuntime.main if $PROGRAM_NAME == __FILE__ || File.expand_path($PROGRAM_NAME) == StandinRuntime::HERE
