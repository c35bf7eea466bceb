import Foundation

/// Where requests for a service go: configured endpoint URLs first, then the AWS default for the region.
///
/// Order (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html, REFERENCE.md §7):
/// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services` section entry
/// (`sts =` / `  endpoint_url = …`), the profile's `endpoint_url`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` or
/// the profile's `ignore_configured_endpoint_urls = true` turns them all off.
public enum Endpoints {
    /// The endpoint for `service` in `region`.
    /// - Parameters:
    ///   - profile: the active profile (nil: none).
    ///   - files: the shared config files, for the profile's `services` section.
    public static func url(
        service: AWSService, region: String, profile: Profile? = nil, files: SharedConfigFiles? = nil,
        environment: [String: String]
    ) -> URL {
        configuredURL(service: service, profile: profile, files: files, environment: environment)
            ?? defaultURL(service: service, region: region)
    }

    /// The endpoint for a service named by its service id (`STS`, `CloudFormation`) or signing name (`sts`).
    public static func url(
        service: String, region: String, profile: Profile? = nil, files: SharedConfigFiles? = nil,
        environment: [String: String]
    ) -> URL {
        url(
            service: AWSService.named(service), region: region, profile: profile, files: files, environment: environment
        )
    }

    /// The configured endpoint, if any (see the type's documentation for the order).
    public static func configuredURL(
        service: AWSService, profile: Profile?, files: SharedConfigFiles?, environment: [String: String]
    ) -> URL? {
        let ignore = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] ?? profile?["ignore_configured_endpoint_urls"]
        if ignore?.lowercased() == "true" { return nil }
        var candidates: [String?] = [environment[service.endpointEnvironmentVariable], environment["AWS_ENDPOINT_URL"]]
        if let section = profile?["services"] {
            candidates.append(files?.serviceSettings(section: section, service: service.configKey)?["endpoint_url"])
        }
        candidates.append(profile?["endpoint_url"])
        for case let text? in candidates where !text.isEmpty {
            if let url = URL(string: text) { return url }
        }
        return nil
    }

    /// `https://<prefix>.<region>.amazonaws.com` (`.amazonaws.com.cn` in China); IAM is global.
    public static func defaultURL(service: AWSService, region: String) -> URL {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        let host =
            service == .iam ? "iam.\(suffix)" : "\(service.endpointPrefix).\(region).\(suffix)"
        return URL(string: "https://\(host)") ?? URL(fileURLWithPath: "/")
    }
}
