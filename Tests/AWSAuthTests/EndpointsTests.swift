import AWSAuth
import Foundation
import Testing

/// Endpoint override precedence (REFERENCE.md §7).
struct EndpointsTests {
    static let files: SharedConfigFiles? = try? SharedConfigFiles(
        configText: """
            [profile dev]
            services = local
            endpoint_url = http://profile-endpoint
            [profile ignoring]
            endpoint_url = http://profile-endpoint
            ignore_configured_endpoint_urls = true
            [profile plain]
            region = us-east-1
            [services local]
            sts =
              endpoint_url = http://services-sts
            """, credentialsText: nil)

    static let cases: [(env: [String: String], profile: String, service: AWSService, expected: String)] = [
        (
            ["AWS_ENDPOINT_URL_STS": "http://env-sts", "AWS_ENDPOINT_URL": "http://env-all"], "dev", .sts,
            "http://env-sts"
        ),
        (["AWS_ENDPOINT_URL": "http://env-all"], "dev", .sts, "http://env-all"),
        ([:], "dev", .sts, "http://services-sts"),
        ([:], "dev", .cloudFormation, "http://profile-endpoint"),
        (["AWS_ENDPOINT_URL_CLOUDFORMATION": "http://env-cfn"], "dev", .cloudFormation, "http://env-cfn"),
        ([:], "plain", .sts, "https://sts.eu-central-1.amazonaws.com"),
        ([:], "plain", .cloudFormation, "https://cloudformation.eu-central-1.amazonaws.com"),
        (
            ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://x"], "dev", .sts,
            "https://sts.eu-central-1.amazonaws.com"
        ),
        ([:], "ignoring", .sts, "https://sts.eu-central-1.amazonaws.com"),
        (["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"], "ignoring", .sts, "http://profile-endpoint"),
    ]

    @Test(arguments: cases.indices)
    func followsThePrecedence(_ index: Int) throws {
        let entry = Self.cases[index]
        let files = try #require(Self.files)
        let url = Endpoints.url(
            service: entry.service, region: "eu-central-1", profile: files.profile(named: entry.profile), files: files,
            environment: entry.env)
        #expect(url.absoluteString == entry.expected)
    }

    @Test func namesTheEnvironmentVariableFromTheServiceID() {
        #expect(
            Endpoints.url(service: "cloudformation", region: "us-east-2", environment: [:]).absoluteString
                == "https://cloudformation.us-east-2.amazonaws.com")
        #expect(AWSService.named("CloudFormation") == .cloudFormation)
        #expect(AWSService.sts.endpointEnvironmentVariable == "AWS_ENDPOINT_URL_STS")
        #expect(
            AWSService(serviceID: "Elastic Beanstalk", signingName: "elasticbeanstalk").endpointEnvironmentVariable
                == "AWS_ENDPOINT_URL_ELASTIC_BEANSTALK")
        #expect(
            AWSService(serviceID: "Elastic Beanstalk", signingName: "elasticbeanstalk").configKey
                == "elastic_beanstalk")
        #expect(
            Endpoints.defaultURL(service: .sts, region: "cn-north-1").absoluteString
                == "https://sts.cn-north-1.amazonaws.com.cn")
    }
}
