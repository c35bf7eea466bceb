/// Explains a failed AssumeRole: the trust-policy statement that would let the caller in.
public enum TrustPolicyAdvice {
    /// The principal to trust for `callerARN`: an assumed-role session (`arn:aws:sts::ACCT:assumed-role/R/S`) maps to
    /// its role (`arn:aws:iam::ACCT:role/R`); users and roles stay as they are.
    public static func principal(forCaller callerARN: String) -> String {
        let parts = callerARN.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sts", parts[5].hasPrefix("assumed-role/") else {
            return callerARN
        }
        let resource = parts[5].split(separator: "/")
        guard resource.count >= 2 else { return callerARN }
        return "arn:\(parts[1]):iam::\(parts[4]):role/\(resource[1])"
    }

    /// `{"Effect":"Allow","Principal":{"AWS":"<principal>"},"Action":"sts:AssumeRole"}` for the caller.
    /// - Parameter roleARN: the role whose trust policy gets the statement (kept for the explanation).
    public static func statement(callerARN: String, roleARN: String) -> String {
        let principal = principal(forCaller: callerARN)
        return #"{"Effect":"Allow","Principal":{"AWS":"\#(jsonEscaped(principal))"},"Action":"sts:AssumeRole"}"#
    }

    /// A few lines for an AccessDenied from AssumeRole: who tried, which role, and the statement to add.
    public static func explanation(callerARN: String, roleARN: String) -> String {
        """
        \(callerARN) may not assume \(roleARN).
        Add this statement to the role's trust policy (AssumeRolePolicyDocument), or use --role / --no-assume-role:
          \(statement(callerARN: callerARN, roleARN: roleARN))
        """
    }

    static func jsonEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
