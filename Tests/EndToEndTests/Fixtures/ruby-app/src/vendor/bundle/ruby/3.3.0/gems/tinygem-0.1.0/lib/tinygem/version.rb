# frozen_string_literal: true

module Tinygem
  VERSION = '0.1.0'
end
