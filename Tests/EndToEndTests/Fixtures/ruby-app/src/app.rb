# frozen_string_literal: true

require 'json'
require 'greeter' # src/lib/greeter.rb, on $LOAD_PATH as LAMBDA_TASK_ROOT/lib

# Raised by place_order.
class OrderError < StandardError; end

# Echoes the event with the context's values and writes a log line.
def handler(event:, context:)
  puts "ruby-app handler invoked for request #{context.aws_request_id}"
  {
    source: 'ruby-app',
    event: event,
    requestId: context.aws_request_id,
    functionName: context.function_name,
    functionVersion: context.function_version,
    memoryLimitInMB: context.memory_limit_in_mb,
    remainingTimeInMillis: context.get_remaining_time_in_millis,
    invokedFunctionArn: context.invoked_function_arn,
    logGroupName: context.log_group_name,
    marker: ENV['STANDIN_E2E_MARKER']
  }
end

def place_order(event:, context:)
  raise OrderError, "order #{event['orderId'] || 'unknown'} could not be placed"
end

def slow(event:, context:)
  puts 'ruby-app slow handler started'
  sleep 5
  { source: 'ruby-app', finished: true }
end
