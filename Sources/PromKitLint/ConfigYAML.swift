/// The part of YAML a `.promkit.yml` uses, read by hand: block and flow mappings and sequences, plain and
/// quoted scalars, comments. Anything else (anchors, aliases, tags, block scalars, several documents) is an
/// error naming its line, never a guess.
///
/// Why not a YAML library: the only one for Swift on Linux pulls in Foundation and its ICU data, which
/// costs every run ~4 ms of start-up (linking and loading), more than linting a typical scrape takes.
public indirect enum ConfigYAML: Equatable, Sendable {
    /// An empty value (`key:` with nothing after it).
    case null(line: Int)
    /// A plain or quoted scalar, quotes removed.
    case scalar(String, line: Int)
    /// A sequence, in file order.
    case list([ConfigYAML], line: Int)
    /// Keys in file order.
    case map([Entry], line: Int)

    /// One key of a mapping.
    public struct Entry: Equatable, Sendable {
        /// The key.
        public var key: String
        /// Its value.
        public var value: ConfigYAML
        /// The line it is on.
        public var line: Int
    }

    /// What is wrong with the file, and where.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The line, from 1.
        public var line: Int
        /// What is wrong.
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The 1-based line the value starts on.
    public var line: Int {
        switch self {
        case .null(let l), .scalar(_, let l), .list(_, let l), .map(_, let l): l
        }
    }

    /// Reads one document; an empty one (or only comments) is `.null`.
    public static func parse(_ text: String) throws(Failure) -> ConfigYAML {
        var reader = Reader(lines: try Reader.logicalLines(text))
        guard !reader.atEnd else { return .null(line: 1) }
        let value = try reader.block(indent: reader.current.indent)
        if !reader.atEnd {
            let l = reader.current
            throw Failure(line: l.number, message: "unexpected \"\(l.text)\" (check its indentation)")
        }
        return value
    }
}

extension ConfigYAML {
    /// A non-blank line without its comment: where its content starts and the content.
    struct Line {
        var number: Int
        var indent: Int
        var text: Substring
    }

    struct Reader {
        var lines: [Line]
        var index = 0

        var atEnd: Bool { index >= lines.count }
        var current: Line { lines[index] }

        static func logicalLines(_ text: String) throws(Failure) -> [Line] {
            var out: [Line] = []
            var number = 0
            var sawContent = false
            // "\r\n" is one Character in Swift: split on both line ends.
            for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                number += 1
                var s = raw
                if s.last == "\r" { s = s.dropLast() }
                var indent = 0
                while let c = s.first, c == " " {
                    indent += 1
                    s = s.dropFirst()
                }
                if s.first == "\t" { throw Failure(line: number, message: "tab in indentation; YAML indents with spaces") }
                s = stripComment(s)
                while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
                if s.isEmpty { continue }
                if indent == 0 && (s == "---" || s.hasPrefix("--- ")) {
                    if sawContent { throw Failure(line: number, message: "a second YAML document; a configuration file holds one") }
                    s = s.dropFirst(3).drop { $0 == " " }
                    if s.isEmpty { continue }
                    indent = 4
                }
                if indent == 0 && s == "..." { break }
                if indent == 0 && s.first == "%" { throw Failure(line: number, message: "YAML directives are not supported here") }
                sawContent = true
                out.append(Line(number: number, indent: indent, text: s))
            }
            return out
        }

        /// The line without a comment: `#` at its start or after a blank, outside quotes.
        static func stripComment(_ s: Substring) -> Substring {
            var quote: Character? = nil
            var previous: Character = " "
            var i = s.startIndex
            while i < s.endIndex {
                let c = s[i]
                if let q = quote {
                    if c == "\\" && q == "\"" {
                        i = s.index(after: i)
                        if i < s.endIndex { i = s.index(after: i) }
                        previous = "x"
                        continue
                    }
                    if c == q { quote = nil }
                } else if c == "#" && (previous == " " || previous == "\t") {
                    return s[..<i]
                } else if (c == "\"" || c == "'")
                    && (previous == " " || previous == "[" || previous == "{" || previous == "," || previous == ":" || i == s.startIndex)
                {
                    quote = c
                }
                previous = c
                i = s.index(after: i)
            }
            return s
        }

        /// A block node whose lines are indented `indent`.
        mutating func block(indent: Int) throws(Failure) -> ConfigYAML {
            let l = current
            if l.text == "-" || l.text.hasPrefix("- ") { return try sequence(indent: indent) }
            if Self.keySplit(l.text) != nil { return try mapping(indent: indent) }
            index += 1
            var rest = l.text
            let value = try Self.inline(&rest, line: l.number)
            if !rest.isEmpty { throw Failure(line: l.number, message: "unexpected \"\(rest)\" after the value") }
            return value
        }

        mutating func sequence(indent: Int) throws(Failure) -> ConfigYAML {
            let first = current.number
            var items: [ConfigYAML] = []
            while !atEnd && current.indent == indent && (current.text == "-" || current.text.hasPrefix("- ")) {
                let l = current
                let rest = l.text.dropFirst().drop { $0 == " " }
                if rest.isEmpty {
                    index += 1
                    items.append(try nested(after: l, parentIndent: indent, sameIndentSequence: false))
                } else {
                    // "- key: value" or "- item": the rest is a node of its own, indented where it starts.
                    lines[index] = Line(number: l.number, indent: indent + (l.text.count - rest.count), text: rest)
                    items.append(try block(indent: current.indent))
                }
            }
            if !atEnd && current.indent > indent {
                throw Failure(line: current.number, message: "unexpected indentation in a list")
            }
            return .list(items, line: first)
        }

        mutating func mapping(indent: Int) throws(Failure) -> ConfigYAML {
            let first = current.number
            var entries: [Entry] = []
            while !atEnd && current.indent == indent {
                let l = current
                guard let (keyText, afterColon) = Self.keySplit(l.text) else {
                    throw Failure(line: l.number, message: "expected \"key: value\", found \"\(l.text)\"")
                }
                let key = try Self.key(keyText, line: l.number)
                if entries.contains(where: { $0.key == key }) {
                    throw Failure(line: l.number, message: "key '\(key)' appears twice")
                }
                index += 1
                var rest = afterColon.drop { $0 == " " }
                let value: ConfigYAML
                if rest.isEmpty {
                    value = try nested(after: l, parentIndent: indent, sameIndentSequence: true)
                } else {
                    value = try Self.inline(&rest, line: l.number)
                    if !rest.isEmpty { throw Failure(line: l.number, message: "unexpected \"\(rest)\" after the value of '\(key)'") }
                }
                entries.append(Entry(key: key, value: value, line: l.number))
            }
            if !atEnd && current.indent > indent {
                throw Failure(
                    line: current.number, message: "unexpected indentation (a value on its own line goes under a key that has none)")
            }
            return .map(entries, line: first)
        }

        /// The value of `key:` or `-` with nothing after it: the more indented lines below, a list at the same
        /// indent (YAML allows `key:` then `- item` lines under it), or null.
        mutating func nested(after l: Line, parentIndent: Int, sameIndentSequence: Bool) throws(Failure) -> ConfigYAML {
            guard !atEnd else { return .null(line: l.number) }
            if current.indent > parentIndent { return try block(indent: current.indent) }
            if sameIndentSequence && current.indent == parentIndent && (current.text == "-" || current.text.hasPrefix("- ")) {
                return try sequence(indent: parentIndent)
            }
            return .null(line: l.number)
        }

        /// `key: …` split at the colon that ends the key (a colon followed by a blank or the line's end,
        /// outside quotes), or nil.
        static func keySplit(_ s: Substring) -> (Substring, Substring)? {
            guard let c = s.first, c != "[", c != "{", s != "-", !s.hasPrefix("- ") else { return nil }
            if c == "\"" || c == "'" {
                // A quoted key: the string as `quoted` reads it, then the colon.
                var afterKey = s
                guard (try? quotedText(&afterKey, line: 0)) != nil else { return nil }
                let rest = afterKey.drop { $0 == " " }
                guard rest.first == ":" else { return nil }
                let value = rest.dropFirst()
                guard value.isEmpty || value.first == " " else { return nil }
                return (s[..<afterKey.startIndex], value)
            }
            var i = s.startIndex
            while i < s.endIndex {
                if s[i] == ":" {
                    let after = s.index(after: i)
                    if after == s.endIndex || s[after] == " " {
                        return (s[..<i], s[after...])
                    }
                }
                i = s.index(after: i)
            }
            return nil
        }

        static func key(_ text: Substring, line: Int) throws(Failure) -> String {
            var t = text
            while let c = t.last, c == " " { t = t.dropLast() }
            if t.first == "\"" || t.first == "'" {
                var rest = t  // `keySplit` found the quoted string to be the whole key
                return try quotedText(&rest, line: line)
            }
            if let c = t.first, Self.indicators.contains(c) || c == "?" {
                throw unsupported(c, line: line)
            }
            return String(t)
        }

        // MARK: Values on one line

        /// A flow value or scalar at the start of `s`; leaves in `s` what follows it.
        static func inline(_ s: inout Substring, line: Int) throws(Failure) -> ConfigYAML {
            guard let c = s.first else { return .null(line: line) }
            switch c {
            case "[":
                s = s.dropFirst()
                var items: [ConfigYAML] = []
                try flowItems(&s, line: line, closing: "]", what: "list in brackets") { (s: inout Substring) throws(Failure) in
                    items.append(try flowItem(&s, line: line, closing: "]"))
                }
                return .list(items, line: line)
            case "{":
                s = s.dropFirst()
                var entries: [Entry] = []
                try flowItems(&s, line: line, closing: "}", what: "mapping in braces") { (s: inout Substring) throws(Failure) in
                    let keyNode = try flowItem(&s, line: line, closing: "}", stopAtColon: true)
                    guard case .scalar(let key, _) = keyNode else { throw Failure(line: line, message: "a key must be a string") }
                    s = s.drop { $0 == " " }
                    guard s.first == ":" else { throw Failure(line: line, message: "expected ':' after key '\(key)'") }
                    s = s.dropFirst().drop { $0 == " " }
                    let value: ConfigYAML =
                        s.first == "," || s.first == "}" ? .null(line: line) : try flowItem(&s, line: line, closing: "}")
                    if entries.contains(where: { $0.key == key }) { throw Failure(line: line, message: "key '\(key)' appears twice") }
                    entries.append(Entry(key: key, value: value, line: line))
                }
                return .map(entries, line: line)
            case "\"", "'":
                return try quoted(&s, line: line)
            default:
                if Self.indicators.contains(c) {
                    throw unsupported(c, line: line)
                }
                let value = s
                s = s[s.endIndex...]
                return plain(value, line: line)
            }
        }

        /// Items separated by commas up to `closing` (the opening bracket taken already), each read by `item`.
        static func flowItems(
            _ s: inout Substring, line: Int, closing: Character, what: String,
            _ item: (inout Substring) throws(Failure) -> Void
        ) throws(Failure) {
            let unclosed = "missing '\(closing)' (a \(what) stays on one line here)"
            while true {
                s = s.drop { $0 == " " }
                if s.first == closing { s = s.dropFirst(); return }
                if s.isEmpty { throw Failure(line: line, message: unclosed) }
                try item(&s)
                s = s.drop { $0 == " " }
                if s.first == "," { s = s.dropFirst(); continue }
                if s.first == closing { s = s.dropFirst(); return }
                throw Failure(
                    line: line,
                    message: s.isEmpty ? unclosed : "expected ',' or '\(closing)' in a \(what.split(separator: " ")[0]), found \"\(s)\"")
            }
        }

        /// An item inside brackets or braces: a nested flow value, a quoted scalar, or plain text up to `,`,
        /// the closing bracket (or `: ` for a key).
        static func flowItem(_ s: inout Substring, line: Int, closing: Character, stopAtColon: Bool = false) throws(Failure) -> ConfigYAML {
            guard let c = s.first else { throw Failure(line: line, message: "missing '\(closing)'") }
            if c == "[" || c == "{" || c == "\"" || c == "'" { return try inline(&s, line: line) }
            if Self.indicators.contains(c) {
                throw unsupported(c, line: line)
            }
            var i = s.startIndex
            while i < s.endIndex {
                let ch = s[i]
                if ch == "," || ch == closing || ch == "[" || ch == "]" || ch == "{" || ch == "}" { break }
                if stopAtColon && ch == ":" {
                    let after = s.index(after: i)
                    if after == s.endIndex || s[after] == " " || s[after] == "," || s[after] == closing { break }
                }
                i = s.index(after: i)
            }
            var text = s[..<i]
            while let l = text.last, l == " " { text = text.dropLast() }
            s = s[i...]
            return plain(text, line: line)
        }

        static func plain(_ text: Substring, line: Int) -> ConfigYAML {
            text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
                ? .null(line: line) : .scalar(String(text), line: line)
        }

        /// A single- or double-quoted scalar at the start of `s`.
        static func quoted(_ s: inout Substring, line: Int) throws(Failure) -> ConfigYAML {
            .scalar(try quotedText(&s, line: line), line: line)
        }

        /// The text of the quoted string at the start of `s`, escapes undone; `s` is left after it.
        static func quotedText(_ s: inout Substring, line: Int) throws(Failure) -> String {
            let q = s.first!
            var out = ""
            var i = s.index(after: s.startIndex)
            while i < s.endIndex {
                let c = s[i]
                if c == q {
                    let after = s.index(after: i)
                    if q == "'" && after < s.endIndex && s[after] == "'" {
                        out.append("'")
                        i = s.index(after: after)
                        continue
                    }
                    s = s[after...]
                    return out
                }
                if c == "\\" && q == "\"" {
                    let e = s.index(after: i)
                    guard e < s.endIndex else { break }
                    switch s[e] {
                    case "\\": out.append("\\")
                    case "\"": out.append("\"")
                    case "/": out.append("/")
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "0": out.append("\0")
                    case " ": out.append(" ")
                    default: throw Failure(line: line, message: "unsupported escape \"\\\(s[e])\" in a double-quoted string")
                    }
                    i = s.index(after: e)
                    continue
                }
                out.append(c)
                i = s.index(after: i)
            }
            throw Failure(line: line, message: "missing closing \(q) (a quoted string stays on one line here)")
        }

        /// Characters that start a YAML construct a configuration file has no use for (anchor, alias, tag, block
        /// scalar, directive, reserved).
        static let indicators: Set<Character> = ["&", "*", "!", "|", ">", "%", "@", "`"]

        static func unsupported(_ c: Character, line: Int) -> Failure {
            if c == "*" {
                return Failure(line: line, message: "\"*\" starts a YAML alias; quote a glob that starts with it (\"*_total\")")
            }
            return Failure(line: line, message: "\"\(c)\" (YAML \(feature(c))) is not supported in a configuration file")
        }

        static func feature(_ c: Character) -> String {
            switch c {
            case "&": "anchor"
            case "*": "alias"
            case "!": "tag"
            case "|", ">": "block scalar"
            case "?": "complex key"
            case "%": "directive"
            default: "reserved character"
            }
        }
    }
}
