/// The command-line front of `standin generate-event`: everything after `generate-event`.
///
/// - no arguments or `--help`: the services; `SERVICE [--help]`: its events; `SERVICE EVENT --help`: its options;
/// - `SERVICE EVENT [--option value | --option=value ...]`: the event JSON on standard output;
/// - an unknown service, event or option: a message naming it and the nearest valid choice, exit code 2.
public enum SampleEventCommandLine {
    /// The exit code for usage errors.
    public static let usageExitCode: Int32 = 2

    /// Runs the command with `arguments` (not including `generate-event`) against the standard catalogue.
    public static func run(arguments: [String]) -> (output: String, errorOutput: String, exitCode: Int32) {
        run(arguments: arguments, catalog: .standard)
    }

    /// Runs the command with `arguments` against `catalog`.
    public static func run(
        arguments: [String],
        catalog: SampleEventCatalog
    )
        -> (output: String, errorOutput: String, exitCode: Int32)
    {
        let wantsHelp = arguments.contains { $0 == "--help" || $0 == "-h" }
        let positional = arguments.prefix { !$0.hasPrefix("-") }
        do throws(SampleEventError) {
            guard let serviceName = positional.first else {
                if let first = arguments.first, !wantsHelp {
                    throw .unexpectedArgument(first)
                }
                return (servicesHelp(catalog), "", 0)
            }
            let service = try catalog.lookUp(service: serviceName)
            guard positional.count >= 2 else {
                if arguments.count > 1, !wantsHelp {
                    throw .unexpectedArgument(arguments[1])
                }
                return (eventsHelp(service), "", 0)
            }
            let event = try catalog.lookUp(service: serviceName, event: positional[1])
            if positional.count > 2 {
                throw .unexpectedArgument(positional[2])
            }
            if wantsHelp {
                return (optionsHelp(service, event), "", 0)
            }
            let options = try parseOptions(Array(arguments.dropFirst(2)), event: event, service: service)
            let json = try catalog.render(service: serviceName, event: event.name, options: options)
            return (json + "\n", "", 0)
        } catch {
            var message = "Error: \(error.message)\n"
            if error.isUnknownName {
                let command = (["standin generate-event"] + helpTarget(arguments, catalog) + ["--help"])
                message += "Run '\(command.joined(separator: " "))' to see the choices.\n"
            }
            return ("", message, usageExitCode)
        }
    }

    /// The deepest valid level of `arguments` (nothing, the service, or service and event), for a help hint.
    private static func helpTarget(_ arguments: [String], _ catalog: SampleEventCatalog) -> [String] {
        let positional = arguments.prefix { !$0.hasPrefix("-") }
        guard let service = positional.first, catalog.service(named: service) != nil else { return [] }
        guard positional.count >= 2, let event = positional.dropFirst().first,
            catalog.service(named: service)?.event(named: event) != nil
        else { return [service] }
        return [service, event]
    }

    private static func parseOptions(
        _ arguments: [String],
        event: SampleEvent,
        service: SampleService
    )
        throws(SampleEventError) -> [String: String]
    {
        var options: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw .unexpectedArgument(argument)
            }
            let body = argument.dropFirst(2)
            let name: String
            let value: String
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                value = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
                guard event.option(named: name) != nil else {
                    throw .unknownOption(
                        name,
                        event: "\(service.name) \(event.name)",
                        suggestion: NameSuggestion.nearest(to: name, in: event.options.map(\.name))
                    )
                }
                guard index + 1 < arguments.count else { throw .missingValue(option: name) }
                index += 1
                value = arguments[index]
            }
            options[name] = value
            index += 1
        }
        return options
    }

    static func servicesHelp(_ catalog: SampleEventCatalog) -> String {
        var text = "Usage: standin generate-event SERVICE EVENT [--OPTION VALUE ...]\n\n"
        text += "Prints a sample event for a Lambda function as JSON (pipe it into 'standin invoke').\n\nServices:\n"
        text += table(catalog.services.map { ($0.name, $0.summary) })
        text += "\nRun 'standin generate-event SERVICE --help' to list a service's events.\n"
        return text
    }

    static func eventsHelp(_ service: SampleService) -> String {
        var text = "Usage: standin generate-event \(service.name) EVENT [--OPTION VALUE ...]\n\n"
        text += "\(service.summary)\n\nEvents:\n"
        text += table(service.events.map { ($0.name, $0.summary) })
        text += "\nRun 'standin generate-event \(service.name) EVENT --help' to list an event's options.\n"
        return text
    }

    static func optionsHelp(_ service: SampleService, _ event: SampleEvent) -> String {
        var text = "Usage: standin generate-event \(service.name) \(event.name) [--OPTION VALUE ...]\n\n"
        text += "\(event.summary)\n\n"
        guard !event.options.isEmpty else {
            return text + "This event takes no options.\n"
        }
        text += "Options:\n"
        text += table(
            event.options.map { option in
                var help = option.help
                switch option.encoding {
                case .none: break
                case .base64: help += " (base64-encoded into the event)"
                case .url: help += " (URL-encoded into the event)"
                }
                return ("--\(option.name) VALUE", "\(help) [default: \(option.default)]")
            }
        )
        return text
    }

    private static func table(_ rows: [(String, String)]) -> String {
        let width = min(40, (rows.map(\.0.count).max() ?? 0) + 2)
        return rows.map { name, summary in
            let padding = max(2, width - name.count)
            return "  " + name + String(repeating: " ", count: padding) + summary + "\n"
        }.joined()
    }
}
