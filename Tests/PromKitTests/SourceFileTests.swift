import Testing
@testable import PromKit
@Test func sourceLocations() {
    let s = SourceFile(name: "x", text: "ab\ncé d\n")
    #expect(s.location(of: 0) == SourceLocation(line: 1, column: 1))
    #expect(s.location(of: 7) == SourceLocation(line: 2, column: 4))
}
