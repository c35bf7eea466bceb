# frozen_string_literal: true

# tinygem is vendored as `bundle install --path vendor/bundle` lays gems out:
# vendor/bundle/ruby/3.3.0/{specifications/tinygem-0.1.0.gemspec,gems/tinygem-0.1.0/lib/tinygem.rb}.
require 'tinygem'

def handler(event:, context:)
  {
    source: 'ruby-app',
    gem: 'tinygem',
    version: Tinygem::VERSION,
    activated: Gem.loaded_specs['tinygem']&.version&.to_s,
    shout: Tinygem.shout(event['text'] || 'hello')
  }
end
