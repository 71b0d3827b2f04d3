// Already in every build (argument-parser uses it); JSONDecoder without Foundation's ICU.
import FoundationEssentials
import PromKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running Prometheus' active targets (`/api/v1/targets?state=active`), each to be scraped by promkit itself.
public enum Fleet {
    public struct Target: Sendable, Equatable {
        public var scrapeURL: String
        public var job: String
        public var instance: String
        /// The target as the report shows it: its scrape URL (without a password), job and instance.
        public var reported: ScrapeTarget { ScrapeTarget(url: URLInput.redacted(scrapeURL), job: job, instance: instance) }
        /// The name the target's input is reported under: its scrape URL, with job and instance.
        public var name: String { reported.name }
    }

    struct Response: Decodable {
        var status: String
        var data: Data?
        var error: String?
        struct Data: Decodable { var activeTargets: [Active] }
        struct Active: Decodable {
            var scrapeUrl: String
            var labels: [String: String]?
            var scrapePool: String?
        }
    }

    /// The active targets of the Prometheus at `server` (its base URL), those of `job` only when given, in the
    /// order the API lists them; or why Prometheus could not be asked.
    public static func targets(of server: String, job: String?, options: HTTPOptions) -> Result<[Target], HTTPClient.Failure> {
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        let url = base + "/api/v1/targets?state=active"
        var apiOptions = options
        apiOptions.maxBytes = max(options.maxBytes, 64 << 20)
        switch HTTPClient.get(url, options: apiOptions, accept: "application/json") {
        case .failure(let failure):
            return .failure(
                HTTPClient.Failure(reason: "cannot ask Prometheus at \(URLInput.redacted(url)) for its targets: \(failure.reason)"))
        case .success(let response):
            defer { close(response.fd) }
            var bytes = [UInt8](repeating: 0, count: response.size)
            let read = bytes.withUnsafeMutableBytes { pread(response.fd, $0.baseAddress!, response.size, 0) }
            guard read == response.size else {
                return .failure(HTTPClient.Failure(reason: "cannot read Prometheus' answer from \(URLInput.redacted(url))"))
            }
            let decoded: Response
            do {
                decoded = try JSONDecoder().decode(Response.self, from: FoundationEssentials.Data(bytes))
            } catch {
                return .failure(
                    HTTPClient.Failure(
                        reason: "\(URLInput.redacted(url)) did not answer as Prometheus' targets API does (is it a Prometheus?)"))
            }
            guard decoded.status == "success", let data = decoded.data else {
                return .failure(
                    HTTPClient.Failure(reason: "Prometheus at \(URLInput.redacted(url)) answered: \(decoded.error ?? decoded.status)"))
            }
            let targets = data.activeTargets.map { t in
                Target(scrapeURL: t.scrapeUrl, job: t.labels?["job"] ?? t.scrapePool ?? "", instance: t.labels?["instance"] ?? "")
            }
            return .success(job.map { job in targets.filter { $0.job == job } } ?? targets)
        }
    }
}
