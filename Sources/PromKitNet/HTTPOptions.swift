#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How URLs are fetched: what is asked for, how long and how much is waited for, and the credentials.
///
/// Secrets (a bearer token, a password, header values) are read here and sent, never shown: no message,
/// error or report carries them (`HTTPFetchTests` checks).
public struct HTTPOptions: Sendable {
    /// What Prometheus 3 sends (scrape_protocols' default order without protobuf, which promkit does not read):
    /// OpenMetrics 1.0 with UTF-8 names, then the text format 1.0.0 and 0.0.4, then anything.
    public static let prometheusAccept =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
        + "application/openmetrics-text;version=0.0.1;q=0.4,"
        + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,"
        + "text/plain;version=0.0.4;q=0.2,*/*;q=0.1"
    public static let defaultTimeout = 10.0
    public static let defaultMaxBytes = 256 << 20
    public static let defaultConcurrency = 8
    /// Redirects followed before giving up (Prometheus' HTTP client follows 10).
    public static let maximumRedirects = 10

    public var accept = prometheusAccept
    /// Seconds for the whole request: connecting, TLS, redirects and the body.
    public var timeout = defaultTimeout
    /// The most body bytes (after gzip decoding) taken; more is an error, found while reading.
    public var maxBytes = defaultMaxBytes
    /// Extra request headers, `Name: value`.
    public var headers: [String] = []
    /// `Authorization: Bearer` with this token (read from a file).
    public var bearerToken: Secret?
    /// Basic authentication: the user and the password (read from a file).
    public var basicAuth: (user: String, password: Secret)?
    /// PEM file of the certificate authorities to trust instead of the system's.
    public var caFile: String?
    /// Do not verify the server's certificate nor its name.
    public var insecureSkipVerify = false
    /// URLs fetched at once.
    public var concurrency = defaultConcurrency
    /// Whether a missing or unknown Content-Type is a finding (it picks the parser only with --format auto).
    public var checksContentType = true
    /// Whether a body of known length is handed to the run at its first bytes and read as it arrives (on all
    /// cores, overlapping the download). Only for runs that check for a body that then stops short
    /// (`SourceFile.lateFailure`): validate and lint.
    public var streamsBodies = false

    public init() {}

    /// A secret read from a file: its text, never printed (`description` hides it).
    public struct Secret: Sendable, CustomStringConvertible {
        let value: String
        public var description: String { "<secret>" }
        public init(value: String) { self.value = value }

        /// The file's contents without the final line feed (as Prometheus reads credentials files).
        public static func load(file path: String, option: String) throws(UsageError) -> Secret {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw UsageError("\(option): cannot read \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let r = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if r < 0 {
                    if errno == EINTR { continue }
                    throw UsageError("\(option): cannot read \(path): \(String(cString: strerror(errno)))")
                }
                if r == 0 { break }
                bytes += chunk[0..<r]
                if bytes.count > 1 << 16 { throw UsageError("\(option): \(path) is larger than 64 KiB; it should hold one secret") }
            }
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            guard !bytes.isEmpty else { throw UsageError("\(option): \(path) is empty") }
            guard !bytes.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) else {
                throw UsageError("\(option): \(path) holds more than one line")
            }
            return Secret(value: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// A wrong option: the message never holds a secret.
    public struct UsageError: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Checks a `--header` value: `Name: value`, a token name, no line breaks.
    public static func checkHeader(_ header: String) throws(UsageError) {
        guard let colon = header.firstIndex(of: ":") else {
            throw UsageError("--header takes 'Name: value'; the value given has no ':'")
        }
        let name = header[..<colon]
        let tokenBytes = Set("!#$%&'*+-.^_`|~".utf8)
        guard !name.isEmpty,
            name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || tokenBytes.contains($0) })
        else {
            throw UsageError("--header: '\(name)' is not a header name (letters, digits and !#$%&'*+-.^_`|~)")
        }
        guard !header.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) else {
            throw UsageError("--header \(name): the value holds a line break")
        }
    }
}

/// Recognising URL inputs, and showing them without their secrets.
public enum URLInput {
    /// Whether an input names a URL (`http://` or `https://`, any case) rather than a path.
    public static func isURL(_ input: String) -> Bool {
        let lower = input.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The URL as shown in reports and messages: a password in it (`http://user:secret@host/`) replaced by `xxxxx`.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        let userinfo = authority[..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return url }
        return String(url[..<scheme.upperBound]) + userinfo[..<colon] + ":xxxxx" + String(rest[at...])
    }
}
