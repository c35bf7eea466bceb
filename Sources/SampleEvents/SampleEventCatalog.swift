/// The catalogue behind `standin generate-event`: the services and events of `sam local generate-event`, plus
/// EventBridge custom events, Lambda Function URL requests and `--count` batches, rendered as pretty JSON.
public struct SampleEventCatalog: Sendable {
    /// The services, sorted by name.
    public var services: [SampleService]

    /// The standard catalogue.
    public static let standard = SampleEventCatalog(
        services: [
            .alexaSkillsKit, .alexaSmartHome, .alb, .apiGateway, .appSync, .batch, .cloudFormation, .cloudFront,
            .cloudWatch, .codeCommit, .codePipeline, .cognito, .config, .connect, .dynamoDB, .eventBridge,
            .kinesis, .lambda, .lex, .lexV2, .rekognition, .s3, .sageMaker, .ses, .sns, .sqs, .stepFunctions,
            .workMail,
        ].sorted { $0.name < $1.name }
    )

    /// Creates a catalogue from services.
    public init(services: [SampleService]) {
        self.services = services
    }

    /// The service named `name`, if any.
    public func service(named name: String) -> SampleService? {
        services.first { $0.name == name }
    }

    /// Renders one event as pretty-printed JSON (2-space indent, keys in documented order, no trailing newline).
    /// - Parameters:
    ///   - service: the service name, e.g. `s3`.
    ///   - event: the event name, e.g. `put`.
    ///   - options: option values by name without `--` (e.g. `["bucket": "photos"]`); others take their defaults.
    /// - Throws: ``SampleEventError`` for an unknown service, event or option, or an unusable value.
    public func render(
        service: String,
        event: String,
        options: [String: String] = [:]
    ) throws(SampleEventError)
        -> String
    {
        let sampleEvent = try lookUp(service: service, event: event)
        for name in options.keys.sorted() where sampleEvent.option(named: name) == nil {
            throw .unknownOption(
                name,
                event: "\(service) \(event)",
                suggestion: NameSuggestion.nearest(to: name, in: sampleEvent.options.map(\.name))
            )
        }
        let values = EventValues(options: sampleEvent.options, given: options)
        return try sampleEvent.build(values).pretty()
    }

    /// The event `event` of service `service`.
    /// - Throws: ``SampleEventError`` naming the unknown name and the nearest valid one.
    public func lookUp(service: String, event: String) throws(SampleEventError) -> SampleEvent {
        let sampleService = try lookUp(service: service)
        guard let sampleEvent = sampleService.event(named: event) else {
            throw .unknownEvent(
                event,
                service: service,
                suggestion: NameSuggestion.nearest(to: event, in: sampleService.events.map(\.name))
            )
        }
        return sampleEvent
    }

    /// The service `service`.
    /// - Throws: ``SampleEventError`` naming the unknown name and the nearest valid one.
    public func lookUp(service: String) throws(SampleEventError) -> SampleService {
        guard let sampleService = self.service(named: service) else {
            throw .unknownService(service, suggestion: NameSuggestion.nearest(to: service, in: services.map(\.name)))
        }
        return sampleService
    }
}
