# -*- encoding: utf-8 -*-
# stub: tinygem 0.1.0 ruby lib

Gem::Specification.new do |s|
  s.name = "tinygem".freeze
  s.version = "0.1.0"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.require_paths = ["lib".freeze]
  s.authors = ["standin".freeze]
  s.date = "2024-01-01"
  s.files = ["lib/tinygem.rb".freeze, "lib/tinygem/version.rb".freeze]
  s.licenses = ["MIT".freeze]
  s.required_ruby_version = Gem::Requirement.new(">= 2.7".freeze)
  s.rubygems_version = "3.5.3".freeze
  s.summary = "A tiny gem for standin's Ruby fixture.".freeze
end
