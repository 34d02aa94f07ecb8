import FuzzSupport
import PLHBilan

/// Any text is a narrative: cmark in safe mode must never let a script, an event handler or a
/// `javascript:` link or a remote image through, French spacing must keep the text intact but for spaces,
/// and no control character may survive `withoutControlCharacters`.
func fuzzNarrative(_ bytes: [UInt8]) {
    let markdown = String(decoding: bytes, as: UTF8.self)
    let html = Markdown.html(markdown, headingOffset: 3).lowercased()
    precondition(!html.contains("<script"), "script tag let through")
    precondition(!html.contains("href=\"javascript:"), "javascript: link let through")
    precondition(!html.contains("src=\"javascript:"), "javascript: source let through")
    precondition(!html.contains("<h1") && !html.contains("<h2") && !html.contains("<h3"), "heading not shifted")
    // No image the browser would fetch: every source is data: or a relative path.
    for part in html.components(separatedBy: "<img src=\"").dropFirst() {
        let source = part.prefix { $0 != "\"" }
        precondition(!source.hasPrefix("//") && !source.hasPrefix("/\\") && !source.hasPrefix("\\"), "protocol-relative image let through")
        if let colon = source.firstIndex(of: ":") {
            let scheme = source[..<colon]
            let isScheme = scheme.first?.isLetter == true && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            precondition(!isScheme || scheme == "data", "remote image let through: \(source)")
        }
    }
    let clean = markdown.withoutControlCharacters
    precondition(!clean.containsControlCharacters, "control character left")
    precondition(clean.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) || $0 == "\t" || $0 == "\n" })
    let typeset = French.typography(markdown)
    precondition(typeset.unicodeScalars.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" }
        .elementsEqual(markdown.unicodeScalars.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" }))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzNarrative(bytes(data, size))
    return 0
}

@_cdecl("fuzz_narrative_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, testOneInput)
}
