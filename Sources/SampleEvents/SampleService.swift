/// A service in the sample event catalogue (e.g. `s3`) with its events.
public struct SampleService: Sendable {
    /// The service name as typed on the command line.
    public var name: String
    /// One line describing the service.
    public var summary: String
    /// The service's events, in display order.
    public var events: [SampleEvent]

    init(_ name: String, _ summary: String, events: [SampleEvent]) {
        self.name = name
        self.summary = summary
        self.events = events
    }

    /// The event named `name`, if the service has it.
    public func event(named name: String) -> SampleEvent? {
        events.first { $0.name == name }
    }
}
