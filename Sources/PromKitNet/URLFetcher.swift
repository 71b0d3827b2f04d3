import CCurl
import PromKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fetches the URL inputs of a run ahead of it, `concurrency` at a time, and hands each to the run when its
/// turn comes (`InputLoader.provider`), so reports keep the order given. At most a few rounds of bodies wait
/// at once (each an unlinked temporary file), however many URLs there are.
public final class URLFetcher: @unchecked Sendable {
    /// One URL input: what to fetch, the name it is reported under, and how its failure counts.
    public struct Input: Sendable {
        public var url: String
        /// What the run asks the loader for (the input as given on the command line).
        public var key: String
        /// What the input is reported under (the URL without its password).
        public var name: String
        /// `read_error` (the run cannot do its job: exit 2) or `scrape_error` (a fleet target's finding).
        public var failureRule: String
        public init(url: String, name: String? = nil, failureRule: String = "read_error") {
            self.url = url
            self.key = name ?? url
            self.name = name ?? URLInput.redacted(url)
            self.failureRule = failureRule
        }
    }

    let inputs: [Input]
    let options: HTTPOptions
    /// Bodies fetched but not yet taken stay under this many.
    let lookahead: Int
    private var results: [Result<HTTPClient.Response, HTTPClient.Failure>?]
    private var nextToFetch = 0
    private var taken = 0
    /// The positions of each name still to be handed out (a URL may be given twice).
    private var positions: [String: [Int]] = [:]
    /// Fetches over (their results stored, their transfers ended).
    private var fetched = 0
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()
    private var workers: [pthread_t] = []
    /// The fetchers installed, whose workers the process waits for at exit (`joinWorkers`).
    private static let installed = Mutex<[URLFetcher]>([])

    public init(inputs: [Input], options: HTTPOptions) {
        self.inputs = inputs
        self.options = options
        self.lookahead = max(options.concurrency * 2, 16)
        results = Array(repeating: nil, count: inputs.count)
        for (i, input) in inputs.enumerated() { positions[input.key, default: []].append(i) }
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&changed, nil)
        // libcurl, and OpenSSL under it, are set up here, before any worker starts and before `install`
        // registers the exit handler that joins the workers: exit handlers run last registered first, so the
        // workers then end before OpenSSL's own handler deletes the thread-local keys that free their state
        // (a worker still ending after it would leak its error queue). A failure is told by each fetch.
        _ = pk_curl_open(nil, 0)
        for _ in 0..<min(max(1, options.concurrency), max(1, inputs.count)) {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self)
            let started = pthread_create(
                &thread, nil,
                { context in
                    let fetcher = Unmanaged<URLFetcher>.fromOpaque(context!).takeRetainedValue()
                    fetcher.work()
                    return nil
                }, context.toOpaque())
            if started == 0 { workers.append(thread) } else { context.release() }
        }
    }

    /// Installs the fetcher as the loader of its inputs' names. At the process's exit its workers are waited
    /// for (`joinWorkers`).
    public func install() {
        InputLoader.provider = { [self] name in self.load(name) }
        let first = Self.installed.withLock { installed in
            installed.append(self)
            return installed.count == 1
        }
        if first { atexit { for fetcher in URLFetcher.installed.withLock({ $0 }) { fetcher.joinWorkers() } } }
    }

    /// Waits for the workers to end once every fetch is over (they are then only returning), so that none is
    /// still ending, its thread-local state (libcurl's, OpenSSL's) half freed, while the process exits.
    /// Returns at once otherwise: a run that stops early does not wait for transfers nobody will read.
    private func joinWorkers() {
        pthread_mutex_lock(&mutex)
        let over = fetched == inputs.count
        let joining = over ? workers : []
        if over { workers = [] }
        pthread_mutex_unlock(&mutex)
        for thread in joining { pthread_join(thread, nil) }
    }

    /// Takes the next input to fetch, fetches it, stores the result; until none is left.
    private func work() {
        while true {
            pthread_mutex_lock(&mutex)
            while nextToFetch < inputs.count && nextToFetch >= taken + lookahead { pthread_cond_wait(&changed, &mutex) }
            guard nextToFetch < inputs.count else {
                pthread_mutex_unlock(&mutex)
                return
            }
            let index = nextToFetch
            nextToFetch += 1
            pthread_mutex_unlock(&mutex)
            // A body of known length is handed over at its first bytes (the run reads it as it arrives); the
            // transfer goes on here, and its result is then already stored.
            let result = HTTPClient.get(
                inputs[index].url, options: options,
                onStream: options.streamsBodies ? { [self] response in store(.success(response), at: index) } : nil)
            store(result, at: index, fetchOver: true)
        }
    }

    /// Keeps a fetch's result for `load` (the first one: a body handed over while arriving stays), and counts
    /// the fetch as over when its transfer has ended.
    private func store(_ result: Result<HTTPClient.Response, HTTPClient.Failure>, at index: Int, fetchOver: Bool = false) {
        pthread_mutex_lock(&mutex)
        if fetchOver { fetched += 1 }
        if results[index] == nil {
            results[index] = result
            pthread_cond_broadcast(&changed)
        }
        pthread_mutex_unlock(&mutex)
    }

    /// The input named `name`, waiting for its fetch; nil when no URL input has that name.
    public func load(_ name: String) -> Result<SourceFile, InputLoader.Failure>? {
        pthread_mutex_lock(&mutex)
        guard let index = positions[name]?.first else {
            pthread_mutex_unlock(&mutex)
            return nil
        }
        positions[name]!.removeFirst()
        while results[index] == nil { pthread_cond_wait(&changed, &mutex) }
        let result = results[index]!
        results[index] = .failure(HTTPClient.Failure(reason: "taken"))
        taken += 1
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
        let input = inputs[index]
        switch result {
        case .failure(let failure):
            return .failure(InputLoader.Failure(path: input.name, reason: failure.reason, rule: input.failureRule))
        case .success(let response):
            response.arrival?.failureRule = input.failureRule
            return InputLoader.map(
                fd: response.fd, name: input.name, contentType: response.contentType,
                notes: (options.checksContentType ? Self.contentTypeNotes(response.contentType) : [])
                    + Self.escapingNotes(response.contentType), arrival: response.arrival)
        }
    }

    /// A finding when the Content-Type's `escaping=` is none of the schemes (allow-utf-8, underscores, dots,
    /// values): the spec says it MUST be one, and a name's meaning depends on it. (A known scheme other than
    /// allow-utf-8 is checked on the names themselves: `name_escaping`.) Given with --format too: the
    /// parser is chosen, but what the names are is still the body's.
    static func escapingNotes(_ contentType: String?) -> [Diagnostic] {
        guard let contentType, case .unknown(let given) = EscapingScheme.declared(inContentType: contentType) else { return [] }
        return [
            Diagnostic(
                .contentType, .error, at: 0,
                "the response's Content-Type '\(contentType)' says escaping=\(given), which is none of allow-utf-8, underscores, dots and values (escaping_schemes.md); names are read as they are written"
            )
        ]
    }

    /// A finding when the Content-Type names no exposition format promkit reads (Prometheus 3 fails such a scrape).
    static func contentTypeNotes(_ contentType: String?) -> [Diagnostic] {
        guard let contentType, !contentType.trimmingSpaces.isEmpty else {
            return [
                Diagnostic(
                    .contentType, .error, at: 0,
                    "the response has no Content-Type; Prometheus 3 fails such a scrape (unless the job sets fallback_scrape_protocol); read by its content (--format picks the parser)"
                )
            ]
        }
        if FormatDetector.fromContentType(contentType) != nil { return [] }
        let media = contentType.split(separator: ";").first.map { String($0).trimmingSpaces.lowercased() } ?? ""
        let why =
            media == "application/vnd.google.protobuf"
            ? "the protobuf format, which promkit does not read (the server ignored the Accept header?)"
            : "not an exposition format (text/plain or application/openmetrics-text)"
        return [
            Diagnostic(
                .contentType, .error, at: 0,
                "the response's Content-Type '\(contentType)' is \(why); Prometheus 3 fails such a scrape; read by its content (--format picks the parser)"
            )
        ]
    }
}
