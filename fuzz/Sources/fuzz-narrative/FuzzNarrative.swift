import FuzzSupport
import PLHBilan

/// Any text is a narrative: cmark in safe mode must never let a script, an event handler or a
/// `javascript:` link through, and French spacing must keep the text intact but for spaces.
func fuzzNarrative(_ bytes: [UInt8]) {
    let markdown = String(decoding: bytes, as: UTF8.self)
    let html = Markdown.html(markdown, headingOffset: 3).lowercased()
    precondition(!html.contains("<script"), "script tag let through")
    precondition(!html.contains("href=\"javascript:"), "javascript: link let through")
    precondition(!html.contains("src=\"javascript:"), "javascript: source let through")
    precondition(!html.contains("<h1") && !html.contains("<h2") && !html.contains("<h3"), "heading not shifted")
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
