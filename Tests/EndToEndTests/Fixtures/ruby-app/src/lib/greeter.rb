# frozen_string_literal: true

require 'json'

# Greetings, served by the handler app.Greeter::Handler.process.
module Greeter
  def self.greeting(name)
    "Hello, #{name}!"
  end

  # The class-method handler form: FILE.Module::Class.method.
  class Handler
    def self.process(event:, context:)
      query = event['queryStringParameters'] || {}
      name = query['name'] || event['name'] || 'world'
      {
        statusCode: 200,
        headers: { 'Content-Type' => 'application/json' },
        body: JSON.generate(
          source: 'ruby-app',
          greeting: Greeter.greeting(name),
          path: event['path'],
          requestId: context.aws_request_id
        )
      }
    end
  end
end
