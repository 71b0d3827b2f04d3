import ArgumentParser
import PromKit
import PromKitNet

/// How `http://` and `https://` inputs are fetched: shared by every command that reads expositions. Nothing of
/// it runs (libcurl is not even opened) unless an input is a URL.
struct HTTPInputOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "URL inputs: the Accept header (default: what Prometheus 3 sends, OpenMetrics 1.0 first, then the text format).",
            valueName: "value"))
    var accept: String?
    @Option(
        name: .long, help: ArgumentHelp("URL inputs: seconds for each whole request, body included (default: 10).", valueName: "seconds"))
    var timeout: Double = HTTPOptions.defaultTimeout
    @Option(
        name: .long,
        help: ArgumentHelp(
            "URL inputs: the largest body taken, after gzip decoding, checked while reading (default: 268435456, 256 MiB).",
            valueName: "bytes"))
    var maxBytes: Int = HTTPOptions.defaultMaxBytes
    @Option(name: .long, help: ArgumentHelp("URL inputs fetched at once; reports keep the order given (default: 8).", valueName: "n"))
    var concurrency: Int = HTTPOptions.defaultConcurrency
    @Option(
        name: .long,
        help: ArgumentHelp("URL inputs: an extra request header, 'Name: value' (repeatable; values are never shown).", valueName: "header"))
    var header: [String] = []
    @Option(name: .long, help: ArgumentHelp("URL inputs: send 'Authorization: Bearer' with the token in FILE.", valueName: "file"))
    var bearerTokenFile: String?
    @Option(
        name: .long,
        help: ArgumentHelp("URL inputs: basic authentication as USER with the password in PASSWORD_FILE.", valueName: "user:password_file"))
    var basicAuth: String?
    @Option(
        name: .long,
        help: ArgumentHelp("URL inputs: trust the certificate authorities in this PEM file instead of the system's.", valueName: "file"))
    var caFile: String?
    @Flag(name: .long, help: "URL inputs: do not verify the server's certificate nor its name (test servers only).")
    var insecureSkipVerify = false

    func validate() throws {
        if !(timeout > 0 && timeout <= 86_400) {
            throw ValidationError("--timeout takes seconds, more than 0 and at most 86400; \(timeout) is not")
        }
        if maxBytes < 1 || maxBytes > SourceFile.maximumSize {
            throw ValidationError("--max-bytes takes a byte count from 1 to \(SourceFile.maximumSize) (2 GiB)")
        }
        if concurrency < 1 || concurrency > 256 { throw ValidationError("--concurrency must be between 1 and 256") }
        if bearerTokenFile != nil && basicAuth != nil {
            throw ValidationError("--bearer-token-file and --basic-auth are two ways to authenticate; give one")
        }
        if let basicAuth, !basicAuth.contains(":") || basicAuth.hasPrefix(":") || basicAuth.hasSuffix(":") {
            throw ValidationError(
                "--basic-auth takes USER:PASSWORD_FILE (the password is read from the file, never given on the command line)")
        }
        do {
            for h in header { try HTTPOptions.checkHeader(h) }
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The fetch options, the secret files read. `format`: a given --format, which makes the Content-Type
    /// no business of the run.
    func options(format: FormatChoice, streaming: Bool = false) throws -> HTTPOptions {
        var o = HTTPOptions()
        o.streamsBodies = streaming
        if let accept { o.accept = accept }
        o.timeout = timeout
        o.maxBytes = maxBytes
        o.concurrency = concurrency
        o.headers = header
        o.caFile = caFile
        o.insecureSkipVerify = insecureSkipVerify
        o.checksContentType = format == .auto
        do {
            if let bearerTokenFile { o.bearerToken = try .load(file: bearerTokenFile, option: "--bearer-token-file") }
            if let basicAuth, let colon = basicAuth.firstIndex(of: ":") {
                let file = String(basicAuth[basicAuth.index(after: colon)...])
                o.basicAuth = (String(basicAuth[..<colon]), try .load(file: file, option: "--basic-auth"))
            }
        } catch {
            throw ValidationError(error.description)
        }
        return o
    }

    /// When some of `paths` are URLs: starts fetching them (`--concurrency` at a time) and has the run load
    /// them from there. Nothing happens otherwise.
    /// `streaming`: bodies are read as they arrive (`HTTPOptions.streamsBodies`: validate, lint).
    func install(paths: [String], format: FormatChoice, streaming: Bool = false) throws {
        let urls = paths.filter(URLInput.isURL)
        guard !urls.isEmpty else { return }
        URLFetcher(inputs: urls.map { URLFetcher.Input(url: $0) }, options: try options(format: format, streaming: streaming)).install()
    }
}

/// `--from-prometheus` and `--job`: a running Prometheus' active targets as the inputs (lint, validate).
struct FleetOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Read the active targets of the Prometheus at URL (/api/v1/targets) and scrape each one; each input is named by its scrape URL, with its job and instance. A target that cannot be scraped is a finding of its input.",
            valueName: "url"))
    var fromPrometheus: String?
    @Option(name: .long, help: ArgumentHelp("With --from-prometheus: only the targets of this job.", valueName: "name"))
    var job: String?

    func check(inputs: [String]) throws {
        if job != nil && fromPrometheus == nil { throw ValidationError("--job narrows --from-prometheus; add --from-prometheus URL") }
        if let fromPrometheus {
            if !inputs.isEmpty {
                throw ValidationError("--from-prometheus reads its inputs from Prometheus; drop the other inputs, or the option")
            }
            if !URLInput.isURL(fromPrometheus) { throw ValidationError("--from-prometheus takes Prometheus' http:// or https:// URL") }
        }
    }

    /// The targets of the run (inputs named by `ScrapeTarget.name`), their fetches started; nil without
    /// --from-prometheus. Exits 2 with one line when Prometheus cannot be asked.
    func install(http: HTTPInputOptions, format: FormatChoice) throws -> [ScrapeTarget]? {
        guard let fromPrometheus else { return nil }
        let options = try http.options(format: format, streaming: true)
        switch Fleet.targets(of: fromPrometheus, job: job, options: options) {
        case .failure(let failure):
            Terminal.writeError("promkit: \(failure.reason)\n")
            Terminal.exit(2)
        case .success(let targets):
            if targets.isEmpty {
                Terminal.writeError(
                    "promkit: Prometheus at \(URLInput.redacted(fromPrometheus)) has no active targets\(job.map { " of job '\($0)'" } ?? "")\n"
                )
                Terminal.exit(2)
            }
            URLFetcher(
                inputs: targets.map { URLFetcher.Input(url: $0.scrapeURL, name: $0.name, failureRule: "scrape_error") },
                options: options
            ).install()
            return targets.map(\.reported)
        }
    }
}
