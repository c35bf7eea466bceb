import Foundation

/// Writes one `standin: ...` line to standard error: the one form of every note standin prints beside a command's
/// output (a role it assumed, a template it reloaded, a function it cannot run).
func printNote(_ text: String) {
    FileHandle.standardError.write(Data("standin: \(text)\n".utf8))
}
