# frozen_string_literal: true

require 'tinygem/version'

# A tiny vendored gem.
module Tinygem
  def self.shout(text)
    "#{text.to_s.upcase}!"
  end
end
