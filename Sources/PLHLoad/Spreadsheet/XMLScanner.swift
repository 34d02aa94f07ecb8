import PLHModel

/// A small XML scanner for the parts of a workbook: start tags with their attributes, end tags and text, in order.
///
/// Names are local (the namespace prefix dropped: `table:table-cell` is `table-cell`), which is all the readers need.
/// Comments and processing instructions are skipped, CDATA is text; the predefined and numeric entities are decoded.
/// A document type declaration is refused: a workbook has none, and its entities could expand without bound.
struct XMLScanner {
    struct Tag {
        var name: String
        var attributes: [(name: String, value: String)]

        subscript(_ name: String) -> String? {
            attributes.first { $0.name == name }?.value
        }
    }

    enum Event {
        case start(Tag)
        case end(String)
        /// Text between tags, still with its entities (`decode` gives the text); CDATA sections come as `cdata`.
        case text(ArraySlice<UInt8>)
        case cdata(ArraySlice<UInt8>)
    }

    /// The bytes of one part (`xl/worksheets/sheet1.xml`, `content.xml`).
    let bytes: [UInt8]
    /// The part's name inside the archive, for messages.
    let part: String
    /// The workbook as shown to the user.
    let path: String

    func scan(_ body: (Event) throws(BilanError) -> Void) throws(BilanError) {
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
        let n = bytes.count
        var i = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw malformed(at: 0, "codage UTF-16 non pris en charge")
        }
        var open: [ArraySlice<UInt8>] = []
        while i < n {
            if bytes[i] != lt {
                let start = i
                while i < n && bytes[i] != lt { i += 1 }
                if !open.isEmpty { try body(.text(bytes[start..<i])) }
                continue
            }
            guard i + 1 < n else { throw malformed(at: i, "document tronqué") }
            switch bytes[i + 1] {
            case UInt8(ascii: "?"):
                i = try skip(past: [UInt8(ascii: "?"), gt], from: i + 2, what: "instruction")
            case UInt8(ascii: "!"):
                if has("<!--", at: i) {
                    i = try skip(past: Array("-->".utf8), from: i + 4, what: "commentaire")
                } else if has("<![CDATA[", at: i) {
                    let start = i + 9
                    let end = try skip(past: Array("]]>".utf8), from: start, what: "section CDATA")
                    if !open.isEmpty { try body(.cdata(bytes[start..<(end - 3)])) }
                    i = end
                } else {
                    throw malformed(at: i, "déclaration de type de document refusée")
                }
            case slash:
                var j = i + 2
                let nameStart = j
                while j < n && !isSpace(bytes[j]) && bytes[j] != gt { j += 1 }
                let name = bytes[nameStart..<j]
                while j < n && isSpace(bytes[j]) { j += 1 }
                guard j < n, bytes[j] == gt else { throw malformed(at: i, "balise fermante incomplète") }
                guard let last = open.popLast(), last.elementsEqual(name) else {
                    throw malformed(at: i, "balise fermante </\(String(decoding: name, as: UTF8.self))> inattendue")
                }
                try body(.end(Self.localName(name)))
                i = j + 1
            default:
                var j = i + 1
                let nameStart = j
                while j < n && !isSpace(bytes[j]) && bytes[j] != gt && bytes[j] != slash { j += 1 }
                let name = bytes[nameStart..<j]
                guard !name.isEmpty else { throw malformed(at: i, "balise sans nom") }
                var attributes: [(name: String, value: String)] = []
                var selfClosing = false
                while true {
                    while j < n && isSpace(bytes[j]) { j += 1 }
                    guard j < n else { throw malformed(at: i, "balise incomplète") }
                    if bytes[j] == gt { j += 1; break }
                    if bytes[j] == slash {
                        guard j + 1 < n, bytes[j + 1] == gt else { throw malformed(at: j, "« / » inattendu dans une balise") }
                        selfClosing = true
                        j += 2
                        break
                    }
                    let attributeStart = j
                    while j < n && !isSpace(bytes[j]) && bytes[j] != UInt8(ascii: "=") && bytes[j] != gt { j += 1 }
                    let attributeName = bytes[attributeStart..<j]
                    while j < n && isSpace(bytes[j]) { j += 1 }
                    guard j < n, bytes[j] == UInt8(ascii: "="), !attributeName.isEmpty else { throw malformed(at: j, "attribut sans valeur") }
                    j += 1
                    while j < n && isSpace(bytes[j]) { j += 1 }
                    guard j < n, bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") else {
                        throw malformed(at: j, "valeur d'attribut sans guillemets")
                    }
                    let quote = bytes[j]
                    let valueStart = j + 1
                    j = valueStart
                    while j < n && bytes[j] != quote { j += 1 }
                    guard j < n else { throw malformed(at: valueStart, "valeur d'attribut non refermée") }
                    let value = try decode(bytes[valueStart..<j])
                    attributes.append((Self.localName(attributeName), value))
                    j += 1
                }
                let local = Self.localName(name)
                try body(.start(Tag(name: local, attributes: attributes)))
                if selfClosing {
                    try body(.end(local))
                } else {
                    open.append(name)
                }
                i = j
            }
        }
        if let last = open.last {
            throw malformed(at: n, "document tronqué : <\(String(decoding: last, as: UTF8.self))> jamais refermé")
        }
    }

    /// The text of `slice`, its entities decoded and its line ends made `\n`.
    func decode(_ slice: ArraySlice<UInt8>) throws(BilanError) -> String {
        let amp = UInt8(ascii: "&")
        guard slice.contains(where: { $0 == amp || $0 == 0x0D }) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = slice.startIndex
        while i < slice.endIndex {
            let byte = slice[i]
            if byte == 0x0D {
                out.append(0x0A)
                i += 1
                if i < slice.endIndex && slice[i] == 0x0A { i += 1 }
                continue
            }
            guard byte == amp else { out.append(byte); i += 1; continue }
            guard let end = slice[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw malformed(at: i, "« & » isolé")
            }
            let entity = String(decoding: slice[(i + 1)..<end], as: UTF8.self)
            switch entity {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(amp)
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                var code: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    code = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    code = UInt32(entity.dropFirst())
                }
                guard let code, let scalar = Unicode.Scalar(code) else { throw malformed(at: i, "entité « &\(entity); » inconnue") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `table:table-cell` → `table-cell`.
    static func localName(_ name: ArraySlice<UInt8>) -> String {
        if let colon = name.lastIndex(of: UInt8(ascii: ":")) {
            return String(decoding: name[(colon + 1)...], as: UTF8.self)
        }
        return String(decoding: name, as: UTF8.self)
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private func has(_ text: String, at index: Int) -> Bool {
        bytes[index...].starts(with: text.utf8)
    }

    /// The index just past `terminator`, searched from `start`.
    private func skip(past terminator: [UInt8], from start: Int, what: String) throws(BilanError) -> Int {
        var j = start
        let n = bytes.count
        while j + terminator.count <= n {
            if bytes[j] == terminator[0] && bytes[j..<(j + terminator.count)].elementsEqual(terminator) {
                return j + terminator.count
            }
            j += 1
        }
        throw malformed(at: start, "\(what) jamais refermé\(what == "instruction" || what == "section CDATA" ? "e" : "")")
    }

    private func malformed(at offset: Int, _ reason: String) -> BilanError {
        let line = bytes[..<min(offset, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        return BilanError(.input, at: SourceLocation(path: path),
                          "classeur illisible : la partie « \(part) » n'est pas du XML valide (\(reason), ligne \(line) de cette partie)",
                          hint: "ouvrez le fichier dans le tableur et enregistrez-le de nouveau, ou enregistrez la feuille en CSV")
    }
}
