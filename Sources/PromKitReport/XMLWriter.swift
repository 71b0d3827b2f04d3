import CLibXML2

/// libxml2 sets up its global tables (character encoding handlers, the dictionary lock) on first use, and that
/// set-up is not thread-safe: two XML reports written at once from two threads of a fresh process race in it,
/// leaking the tables or crashing. libxml2's documented cure is `xmlInitParser()` once before any other use; a
/// Swift static is initialised exactly once, under a lock, so every libxml2 caller here goes through this first.
enum LibXML2 {
    static func initialise() { _ = initialised }
    private static let initialised: Void = xmlInitParser()
}

/// A small wrapper over libxml2's text writer: it escapes `& < > "` in text and attributes; we remove the
/// characters XML 1.0 forbids first (`Escaping.xmlSafe`), which libxml2 would pass through.
package final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    package init() throws {
        LibXML2.initialise()
        guard let buffer = xmlBufferCreate() else { throw Failure(description: "libxml2: cannot create a buffer") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw Failure(description: "libxml2: cannot create a writer")
        }
        self.buffer = buffer
        self.writer = writer
        xmlTextWriterSetIndent(writer, 1)
        xmlTextWriterSetIndentString(writer, "  ")
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil))
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    private func check(_ rc: Int32) throws {
        if rc < 0 { throw Failure(description: "libxml2 could not write the document") }
    }

    package func start(_ name: String, _ attributes: [(String, String)] = []) throws {
        try check(xmlTextWriterStartElement(writer, name))
        for (k, v) in attributes {
            try check(xmlTextWriterWriteAttribute(writer, k, Escaping.xmlSafe(v)))
        }
    }

    package func text(_ s: String) throws {
        try check(xmlTextWriterWriteString(writer, Escaping.xmlSafe(s)))
    }

    package func end() throws {
        try check(xmlTextWriterEndElement(writer))
    }

    package func element(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) throws {
        try start(name, attributes)
        if let text { try self.text(text) }
        try end()
    }

    package func finish() throws -> [UInt8] {
        try check(xmlTextWriterEndDocument(writer))
        xmlTextWriterFlush(writer)
        let n = Int(xmlBufferLength(buffer))
        guard let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: n))
    }
}

/// In-process XSD validation with libxml2 (the test suite checks every JUnit output with it).
public enum XMLSchemaValidator {
    /// nil when `document` is valid against the schema at `schemaPath`, else libxml2's complaint.
    public static func validate(_ document: [UInt8], schemaPath: String) -> String? {
        LibXML2.initialise()
        if document.isEmpty { return "the document is empty" }
        guard let length = Int32(exactly: document.count) else { return "the document is larger than libxml2 reads (2 GiB)" }
        guard let parserContext = xmlSchemaNewParserCtxt(schemaPath) else { return "cannot read schema \(schemaPath)" }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        guard let schema = xmlSchemaParse(parserContext) else { return "cannot parse schema \(schemaPath)" }
        defer { xmlSchemaFree(schema) }
        guard let validContext = xmlSchemaNewValidCtxt(schema) else { return "cannot create a validation context" }
        defer { xmlSchemaFreeValidCtxt(validContext) }
        let doc = document.withUnsafeBufferPointer { p in
            p.baseAddress?.withMemoryRebound(to: CChar.self, capacity: p.count) {
                xmlReadMemory($0, length, "report.xml", "UTF-8", 0)
            }
        }
        guard let doc else { return "the document is not well-formed XML" }
        defer { xmlFreeDoc(doc) }
        let rc = xmlSchemaValidateDoc(validContext, doc)
        return rc == 0 ? nil : "not valid against \(schemaPath) (libxml2 code \(rc))"
    }
}
