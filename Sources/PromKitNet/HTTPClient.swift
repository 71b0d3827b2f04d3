import CCurl
import PromKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One GET with libcurl (opened on first use), the body written as it arrives into an unlinked temporary
/// file: the caller maps it and reads it as any file (in windows, on all cores), so memory stays flat
/// however large the body.
///
/// Why libcurl, opened with dlopen, and not FoundationNetworking's URLSession: URLSession on Linux *is*
/// libcurl underneath, but it cannot trust a CA file nor skip verification (its one hook for that, an
/// environment variable, is read on Android only), and linking it statically brought Foundation with ICU into
/// the binary (+63 MB) and libcurl with its ~30 libraries into every start (+6.3 ms on a 2 ms program, which
/// would take a small lint over 10 ms). See README "Inputs over HTTP".
public enum HTTPClient {
    /// A fetched body: an open, unlinked file positioned anywhere, and what the server said it is. With
    /// `arrival`, the body is still coming into the file (already of its full length): see `get`'s `onStream`.
    public struct Response: Sendable {
        public var fd: Int32
        public var contentType: String?
        public var size: Int
        public var arrival: BodyArrival?
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// What the callbacks fill in while libcurl runs.
    final class Transfer {
        let fd: Int32
        let limit: Int
        var written = 0
        var tooLarge = false
        var writeError: String?
        var statusLine: String?
        /// What the current response's headers say (reset by each status line: redirects).
        var contentLength: Int?
        var contentType: String?
        var encoded = false
        /// Set when the body is handed over as it arrives (`onStream`): told how much is in the file.
        var onStream: ((Response) -> Void)?
        var arrival: BodyArrival?
        var streamDecided = false
        /// Bytes written to the file (`written` counts those still buffered too).
        var flushed = 0
        /// Body bytes not yet written: libcurl hands over 16 KiB at a time, written to the file 1 MiB at a time.
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Transfer.bufferSize, alignment: 4096)
        var buffered = 0
        static let bufferSize = 1 << 20
        init(fd: Int32, limit: Int) {
            self.fd = fd
            self.limit = limit
        }
        deinit { buffer.deallocate() }

        /// Writes what is buffered; false (and `writeError` set) when the file cannot take it.
        func flush() -> Bool {
            guard buffered > 0 else { return true }
            if let failure = InputLoader.writeAll(fd, buffer, buffered) {
                writeError = failure
                return false
            }
            flushed += buffered
            buffered = 0
            arrival?.arrived(flushed)
            return true
        }

        /// At the body's first bytes: whether to hand it over as it arrives. Only a 2xx body of known length
        /// as sent (no Content-Encoding: decoded, its length is not known) within the limit; the file is made
        /// that long first, so that it can be mapped whole while it fills.
        func startStreaming() {
            streamDecided = true
            guard let onStream, let length = contentLength, length > 0, length <= limit, !encoded,
                let status = statusLine?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }), (200..<300).contains(status),
                ftruncate(fd, off_t(length)) == 0
            else { return }
            let arrival = BodyArrival(count: length)
            self.arrival = arrival
            onStream(Response(fd: fd, contentType: contentType, size: length, arrival: arrival))
        }
    }

    /// With `onStream`, a body of known length is handed over at its first bytes (a `Response` with an
    /// `arrival`, its file taken over by the receiver) and written on as it comes: `get` then returns when it
    /// is all in, and what it returns is of no further use (a failure is told through the arrival).
    public static func get(
        _ url: String, options: HTTPOptions, accept: String? = nil, onStream: ((Response) -> Void)? = nil
    ) -> Result<Response, Failure> {
        var why = [CChar](repeating: 0, count: 512)
        if pk_curl_open(&why, why.count) != 0 {
            return .failure(Failure(reason: String(decoding: why.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
        let fd: Int32
        switch InputLoader.temporaryFile() {
        case .failure(let failure): return .failure(Failure(reason: failure.reason))
        case .success(let f): fd = f
        }
        guard let handle = pk_curl_easy_init() else {
            close(fd)
            return .failure(Failure(reason: "libcurl could not start a transfer"))
        }
        defer { pk_curl_easy_cleanup(handle) }
        let transfer = Transfer(fd: fd, limit: options.maxBytes)
        transfer.onStream = onStream
        let context = Unmanaged.passRetained(transfer)
        defer { context.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(PK_CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutableRawPointer?
        defer { if let headerList { pk_curl_slist_free(headerList) } }
        for line in ["Accept: \(accept ?? options.accept)"] + options.headers {
            headerList = pk_curl_slist_append(headerList, line)
        }

        let code: Int32 = errorBuffer.withUnsafeMutableBufferPointer { errors in
            func long(_ option: Int32, _ value: Int) { _ = pk_curl_setopt_long(handle, option, value) }
            func string(_ option: Int32, _ value: String) { _ = pk_curl_setopt_string(handle, option, value) }
            string(Int32(PK_CURLOPT_URL), url)
            _ = pk_curl_setopt_pointer(handle, Int32(PK_CURLOPT_ERRORBUFFER), errors.baseAddress)
            _ = pk_curl_setopt_callback(handle, Int32(PK_CURLOPT_WRITEFUNCTION), writeBody)
            _ = pk_curl_setopt_pointer(handle, Int32(PK_CURLOPT_WRITEDATA), context.toOpaque())
            _ = pk_curl_setopt_callback(handle, Int32(PK_CURLOPT_HEADERFUNCTION), readHeader)
            _ = pk_curl_setopt_pointer(handle, Int32(PK_CURLOPT_HEADERDATA), context.toOpaque())
            _ = pk_curl_setopt_pointer(handle, Int32(PK_CURLOPT_HTTPHEADER), headerList)
            long(Int32(PK_CURLOPT_NOSIGNAL), 1)
            long(Int32(PK_CURLOPT_BUFFERSIZE), 512 << 10)
            long(Int32(PK_CURLOPT_FOLLOWLOCATION), 1)
            long(Int32(PK_CURLOPT_MAXREDIRS), HTTPOptions.maximumRedirects)
            long(Int32(PK_CURLOPT_TIMEOUT_MS), max(1, Int((options.timeout * 1000).rounded(.up))))
            // "": every encoding this libcurl decodes (gzip, deflate, and br or zstd when built with them).
            string(Int32(PK_CURLOPT_ACCEPT_ENCODING), "")
            string(Int32(PK_CURLOPT_PROTOCOLS_STR), "http,https")
            string(Int32(PK_CURLOPT_REDIR_PROTOCOLS_STR), "http,https")
            string(Int32(PK_CURLOPT_USERAGENT), "promkit/\(PromKitVersion.current)")
            if let token = options.bearerToken {
                long(Int32(PK_CURLOPT_HTTPAUTH), Int(PK_CURLAUTH_BEARER))
                string(Int32(PK_CURLOPT_XOAUTH2_BEARER), token.value)
            } else if let (user, password) = options.basicAuth {
                long(Int32(PK_CURLOPT_HTTPAUTH), Int(PK_CURLAUTH_BASIC))
                string(Int32(PK_CURLOPT_USERNAME), user)
                string(Int32(PK_CURLOPT_PASSWORD), password.value)
            }
            if let caFile = options.caFile { string(Int32(PK_CURLOPT_CAINFO), caFile) }
            if options.insecureSkipVerify {
                long(Int32(PK_CURLOPT_SSL_VERIFYPEER), 0)
                long(Int32(PK_CURLOPT_SSL_VERIFYHOST), 0)
            }
            return pk_curl_perform(handle)
        }
        let detail = scrub(String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), options)
        if let arrival = transfer.arrival {
            // Handed over already: the file is the receiver's. Tell it how the body ended.
            var failure: String?
            if code != 0 {
                var osErrno = 0
                _ = pk_curl_getinfo_long(handle, Int32(PK_CURLINFO_OS_ERRNO), &osErrno)
                failure = message(code: code, detail: detail, transfer: transfer, options: options)
            } else if !transfer.flush() {
                failure = "cannot keep the body in a temporary file: \(transfer.writeError ?? "")"
            } else if transfer.flushed != arrival.count {
                failure = "the body ended after \(transfer.flushed) of the \(arrival.count) bytes its Content-Length gave"
            }
            if let failure { arrival.fail(failure) } else { arrival.finish() }
            return .failure(Failure(reason: failure ?? "handed over"))
        }
        if code != 0 {
            close(fd)
            var osErrno = 0
            _ = pk_curl_getinfo_long(handle, Int32(PK_CURLINFO_OS_ERRNO), &osErrno)
            if code == 7 && osErrno == Int(ECONNREFUSED) { return .failure(Failure(reason: "connection refused")) }
            return .failure(Failure(reason: message(code: code, detail: detail, transfer: transfer, options: options)))
        }
        if !transfer.flush(), let writeError = transfer.writeError {
            close(fd)
            return .failure(Failure(reason: "cannot keep the body in a temporary file: \(writeError)"))
        }
        var status = 0
        _ = pk_curl_getinfo_long(handle, Int32(PK_CURLINFO_RESPONSE_CODE), &status)
        guard (200..<300).contains(status) else {
            close(fd)
            let reason =
                transfer.statusLine.map { line -> String in
                    let parts = line.split(separator: " ", maxSplits: 2)
                    return parts.count == 3 ? " (\(parts[2]))" : ""
                } ?? ""
            return .failure(Failure(reason: "HTTP status \(status)\(reason)"))
        }
        guard transfer.written > 0 else {
            close(fd)
            return .failure(Failure(reason: "empty body (HTTP status \(status))"))
        }
        var type: UnsafePointer<CChar>?
        _ = pk_curl_getinfo_string(handle, Int32(PK_CURLINFO_CONTENT_TYPE), &type)
        return .success(Response(fd: fd, contentType: type.map { String(cString: $0) }, size: transfer.written, arrival: nil))
    }

    /// One line for a failed transfer.
    static func message(code: Int32, detail: String, transfer: Transfer, options: HTTPOptions) -> String {
        let seconds = options.timeout == options.timeout.rounded() ? "\(Int(options.timeout))" : "\(options.timeout)"
        switch code {
        case 6: return "DNS: cannot resolve the host (\(detail))"
        case 7:
            return detail.contains("Connection refused") ? "connection refused (\(detail))" : "cannot connect (\(detail))"
        case 23 where transfer.tooLarge:
            return "body larger than --max-bytes (\(options.maxBytes) bytes)"
        case 23 where transfer.writeError != nil:
            return "cannot keep the body in a temporary file: \(transfer.writeError!)"
        case 28: return "timed out after \(seconds) s (--timeout)"
        case 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98:
            return "TLS: \(detail.isEmpty ? String(cString: pk_curl_strerror(code)) : detail)"
        case 47: return "more than \(HTTPOptions.maximumRedirects) redirects"
        case 52: return "the server closed the connection without a response"
        case 1: return "not an http or https URL (\(detail))"
        case 3: return "malformed URL"
        case 61: return "cannot decode the body (\(detail))"
        case 63: return "body larger than --max-bytes (\(options.maxBytes) bytes)"
        default:
            let text = String(cString: pk_curl_strerror(code))
            return detail.isEmpty ? text : "\(text) (\(detail))"
        }
    }

    /// A message with any secret of the options replaced (libcurl's messages should carry none; this makes sure).
    static func scrub(_ text: String, _ options: HTTPOptions) -> String {
        var secrets = [options.bearerToken?.value, options.basicAuth?.password.value].compactMap { $0 }
        secrets += options.headers.compactMap { h in
            h.firstIndex(of: ":").map { String(h[h.index(after: $0)...]).trimmingSpaces }
        }
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingAll(secret, with: "xxxxx")
        }
        return result
    }
}

/// libcurl's body callback: appends to the transfer's file; 0 (abort) past the limit or on a write error.
private let writeBody: pk_curl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<HTTPClient.Transfer>.fromOpaque(context!).takeUnretainedValue()
    let bytes = size * count
    if transfer.written + bytes > transfer.limit {
        transfer.tooLarge = true
        return 0
    }
    guard bytes > 0, let data else { return bytes }
    if !transfer.streamDecided { transfer.startStreaming() }
    if transfer.buffered + bytes > HTTPClient.Transfer.bufferSize {
        guard transfer.flush() else { return 0 }
    }
    if bytes >= HTTPClient.Transfer.bufferSize {
        if let failure = InputLoader.writeAll(transfer.fd, data, bytes) {
            transfer.writeError = failure
            return 0
        }
        transfer.flushed += bytes
        transfer.arrival?.arrived(transfer.flushed)
    } else {
        (transfer.buffer + transfer.buffered).copyMemory(from: data, byteCount: bytes)
        transfer.buffered += bytes
    }
    transfer.written += bytes
    return bytes
}

/// libcurl's header callback: keeps the last status line (after redirects, the final response's).
private let readHeader: pk_curl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<HTTPClient.Transfer>.fromOpaque(context!).takeUnretainedValue()
    let bytes = size * count
    if let data, bytes >= 5, bytes < 1024 {
        let line = UnsafeRawBufferPointer(start: data, count: bytes)
        if line.starts(with: "HTTP/".utf8) {
            transfer.statusLine = String(decoding: line, as: UTF8.self).trimmingSpaces
            (transfer.contentLength, transfer.contentType, transfer.encoded) = (nil, nil, false)
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
            switch name {
            case "content-length": transfer.contentLength = Int(value)
            case "content-type": transfer.contentType = value
            case "content-encoding", "transfer-encoding":
                // Decoded by libcurl (gzip), or not sent whole: the length is not the body's. (Chunked
                // transfer coding comes without a Content-Length.)
                if value.lowercased() != "identity" && !(name == "transfer-encoding" && value.lowercased() == "chunked") {
                    transfer.encoded = true
                }
            default: break
            }
        }
    }
    return bytes
}

extension String {
    var trimmingSpaces: String {
        let u = utf8
        guard let first = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }) else { return "" }
        let last = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A })!
        return String(self[first...last])
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let r = rest.range(of: target) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    /// The first occurrence of `target` (no Foundation here).
    func range(of target: String) -> Range<Index>? {
        guard !target.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}

extension String {
    func range(of target: String) -> Range<Index>? { self[...].range(of: target) }
}
