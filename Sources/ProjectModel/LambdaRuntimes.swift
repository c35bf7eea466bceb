/// The Lambda runtimes standin runs, and which of them AWS Lambda has deprecated.
public enum LambdaRuntimes {
    /// Runtimes standin runs, and whether AWS Lambda has deprecated them.
    static let deprecation: [String: Bool] = [
        "python3.8": true, "python3.9": true, "python3.10": true, "python3.11": false, "python3.12": false,
        "python3.13": false, "python3.14": false,
        "nodejs16.x": true, "nodejs18.x": true, "nodejs20.x": true, "nodejs22.x": false, "nodejs24.x": false,
        "provided": true, "provided.al2": false, "provided.al2023": false,
    ]
    /// Runtime families AWS Lambda has that standin does not run.
    static let unsupportedFamilies = ["java", "dotnet", "ruby", "go"]

    /// True when standin can run `runtime`.
    public static func isSupported(_ runtime: String) -> Bool { deprecation[runtime] != nil }

    /// True when AWS Lambda has deprecated `runtime` (standin still runs it).
    public static func isDeprecated(_ runtime: String) -> Bool { deprecation[runtime] == true }

    /// Why `runtime` cannot run, for a runtime that is not supported.
    static func unsupportedMessage(_ runtime: String) -> String {
        if let family = unsupportedFamilies.first(where: { runtime.hasPrefix($0) }) {
            return "\(runtime) is not supported by standin (\(family) functions cannot run locally; python, nodejs and"
                + " provided runtimes can)"
        }
        return "\(runtime) is not a runtime standin supports (python3.8-3.14, nodejs16.x-24.x, provided,"
            + " provided.al2, provided.al2023)"
    }
}
