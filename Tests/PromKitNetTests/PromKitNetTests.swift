import PromKit
import Testing

@testable import PromKitNet

@Suite struct URLInputTests {
    @Test func urlsAreTold() {
        #expect(URLInput.isURL("http://a/metrics") && URLInput.isURL("HTTPS://a/"))
        #expect(!URLInput.isURL("metrics.prom") && !URLInput.isURL("-") && !URLInput.isURL("ftp://a/") && !URLInput.isURL("httpx://a"))
    }

    @Test func passwordsAreRedacted() {
        #expect(URLInput.redacted("http://alice:s3cret@host:9100/metrics?x=1") == "http://alice:xxxxx@host:9100/metrics?x=1")
        #expect(URLInput.redacted("http://alice@host/") == "http://alice@host/")
        #expect(URLInput.redacted("http://host/a@b") == "http://host/a@b")
        #expect(URLInput.redacted("https://u:p:q@h/") == "https://u:xxxxx@h/")
    }

    @Test func headersAreChecked() throws {
        try HTTPOptions.checkHeader("X-Api-Key: abc")
        #expect(throws: HTTPOptions.UsageError.self) { try HTTPOptions.checkHeader("no colon") }
        #expect(throws: HTTPOptions.UsageError.self) { try HTTPOptions.checkHeader("Bad Name: x") }
        #expect(throws: HTTPOptions.UsageError.self) { try HTTPOptions.checkHeader("X: a\r\nInjected: b") }
    }

    @Test func contentTypesThatNameAFormatAreNoFinding() {
        for ok in [
            "text/plain; version=0.0.4; charset=utf-8", "text/plain;version=1.0.0;escaping=allow-utf-8",
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        ] {
            #expect(URLFetcher.contentTypeNotes(ok).isEmpty, "\(ok)")
        }
        for bad in [nil, "", "text/html", "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"] {
            let notes = URLFetcher.contentTypeNotes(bad)
            #expect(notes.count == 1 && notes[0].code == .contentType && notes[0].severity == .error, "\(bad ?? "nil")")
        }
    }

    @Test func secretsAreScrubbedFromMessages() {
        var o = HTTPOptions()
        o.bearerToken = .init(value: "supersecret")
        o.headers = ["X-Key: hdrsecret"]
        #expect(HTTPClient.scrub("failed with supersecret and hdrsecret", o) == "failed with xxxxx and xxxxx")
        #expect("\(o.bearerToken!)" == "<secret>")
    }
}
