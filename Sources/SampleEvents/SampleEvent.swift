/// One sample event of a service (e.g. `s3 put`): its options and how to build its payload.
public struct SampleEvent: Sendable {
    /// The event name as typed on the command line (e.g. `put`, `aws-proxy`).
    public var name: String
    /// One line describing the event.
    public var summary: String
    /// The options the event takes, in display order.
    public var options: [SampleOption]
    let build: @Sendable (EventValues) throws(SampleEventError) -> EventJSON

    init(
        _ name: String,
        _ summary: String,
        options: [SampleOption] = [],
        build: @escaping @Sendable (EventValues) throws(SampleEventError) -> EventJSON
    ) {
        self.name = name
        self.summary = summary
        self.options = options
        self.build = build
    }

    /// The option named `name`, if the event takes it.
    public func option(named name: String) -> SampleOption? {
        options.first { $0.name == name }
    }
}
