/// The Lambda runtimes standin runs, and which of them AWS Lambda has deprecated.
public enum LambdaRuntimes {
    /// Runtimes standin runs, and whether AWS Lambda has deprecated them.
    static let deprecation: [String: Bool] = [
        "python3.8": true, "python3.9": true, "python3.10": true, "python3.11": false, "python3.12": false,
        "python3.13": false, "python3.14": false,
        "nodejs16.x": true, "nodejs18.x": true, "nodejs20.x": true, "nodejs22.x": false, "nodejs24.x": false,
        "provided": true, "provided.al2": false, "provided.al2023": false,
        "java8": true, "java8.al2": false, "java11": false, "java17": false, "java21": false, "java25": false,
        "ruby3.2": true, "ruby3.3": false, "ruby3.4": false,
        "go1.x": true,
    ]
    /// Runtime families AWS Lambda has that standin does not run: .NET needs an SDK these machines cannot install.
    static let unsupportedFamilies = ["dotnet"]

    /// True when standin can run `runtime`.
    public static func isSupported(_ runtime: String) -> Bool { deprecation[base(runtime)] != nil }

    /// True when AWS Lambda has deprecated `runtime` (standin still runs it).
    public static func isDeprecated(_ runtime: String) -> Bool { deprecation[base(runtime)] == true }

    /// `java21.al2023` and the like name the same runtime as `java21` on another OS image: the OS does not matter
    /// locally.
    static func base(_ runtime: String) -> String {
        runtime.hasPrefix("java") && runtime.hasSuffix(".al2023") ? String(runtime.dropLast(".al2023".count)) : runtime
    }

    /// Why `runtime` cannot run, for a runtime that is not supported.
    static func unsupportedMessage(_ runtime: String) -> String {
        if let family = unsupportedFamilies.first(where: { runtime.hasPrefix($0) }) {
            return "\(runtime) is not supported by standin (\(family) functions cannot run locally: the .NET SDK is not"
                + " available here; python, nodejs, java, ruby, go and provided runtimes can)"
        }
        return "\(runtime) is not a runtime standin supports (python3.8-3.14, nodejs16.x-24.x, java8-java25,"
            + " ruby3.2-3.4, go1.x, provided, provided.al2, provided.al2023)"
    }
}
