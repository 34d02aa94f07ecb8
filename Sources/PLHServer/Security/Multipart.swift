import Foundation
import MultipartKit
import NIOCore

/// A file sent with a form: the name the browser gave (shown to the user, never used as a path) and its bytes.
public struct UploadedFile: Sendable {
    /// The file's name as the browser sent it, reduced to its last component, for messages and records only.
    public var name: String
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    /// The extension of the name, lower-cased, without the dot: `xlsx`; "" when there is none.
    public var fileExtension: String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// A name safe to store under: letters, digits, `.`, `-` and `_` only, never starting with a dot, at most 80
    /// characters, the extension kept; `fichier` when nothing is left. Sources records and the history show it.
    public var safeName: String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
        var kept = String(folded.unicodeScalars.map { scalar -> Character in
            let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.-_")
            return allowed.contains(scalar) ? Character(scalar) : "-"
        })
        while kept.hasPrefix(".") || kept.hasPrefix("-") { kept.removeFirst() }
        while kept.contains("--") { kept = kept.replacingOccurrences(of: "--", with: "-") }
        if kept.count > 80 { kept = String(kept.suffix(80)) }
        return kept.isEmpty || kept == fileExtension ? "fichier" + (fileExtension.isEmpty ? "" : "." + fileExtension) : kept
    }
}

/// Reads a `multipart/form-data` body (multipart-kit's parser): its text fields into a `Form`, its files apart.
enum MultipartForm {
    /// The boundary of a `multipart/form-data` content type, nil for any other type.
    static func boundary(contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty || value.count > 200 ? nil : value
        }
        return nil
    }

    /// The fields and files of the body; a malformed body throws `WebError` 400.
    static func parse(_ body: ByteBuffer, boundary: String) throws -> (Form, [String: UploadedFile]) {
        let parser = MultipartParser(boundary: boundary)
        var fields: [String: String] = [:]
        var files: [String: UploadedFile] = [:]
        var headers: [(String, String)] = []
        var content: [UInt8] = []
        parser.onHeader = { name, value in headers.append((name.lowercased(), value)) }
        parser.onBody = { buffer in content.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? []) }
        parser.onPartComplete = {
            defer { headers = []; content = [] }
            guard let disposition = headers.first(where: { $0.0 == "content-disposition" })?.1,
                  let name = parameter("name", in: disposition) else { return }
            if let filename = parameter("filename", in: disposition) {
                // A file input left empty sends a part with an empty file name: no file.
                guard !filename.isEmpty, files[name] == nil else { return }
                files[name] = UploadedFile(name: lastComponent(filename), bytes: content)
            } else if fields[name] == nil {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        do {
            try parser.execute(body)
        } catch {
            throw WebError(.badRequest, "Envoi illisible", "Le formulaire envoyé est mal formé. Rechargez la page et recommencez.")
        }
        return (Form(fields: fields), files)
    }

    /// A parameter of a `Content-Disposition` value: `name="fichier"` → `fichier`; quotes and `\"` undone.
    static func parameter(_ wanted: String, in disposition: String) -> String? {
        var index = disposition.startIndex
        while index < disposition.endIndex {
            // Skip to the next `;` outside quotes, then read `key=value`.
            guard let semicolon = disposition[index...].firstIndex(of: ";") else { return nil }
            var cursor = disposition.index(after: semicolon)
            while cursor < disposition.endIndex, disposition[cursor] == " " { cursor = disposition.index(after: cursor) }
            guard let equals = disposition[cursor...].firstIndex(of: "=") else { return nil }
            let key = disposition[cursor..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var valueStart = disposition.index(after: equals)
            var value = ""
            if valueStart < disposition.endIndex, disposition[valueStart] == "\"" {
                valueStart = disposition.index(after: valueStart)
                var position = valueStart
                var escaped = false
                while position < disposition.endIndex {
                    let character = disposition[position]
                    if escaped {
                        // Browsers escape only `"` (and some `\`); a lone backslash before anything else stays.
                        if character != "\"" && character != "\\" { value.append("\\") }
                        value.append(character); escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                    position = disposition.index(after: position)
                }
                if escaped { value.append("\\") }
                index = position < disposition.endIndex ? disposition.index(after: position) : position
            } else {
                let end = disposition[valueStart...].firstIndex(of: ";") ?? disposition.endIndex
                value = disposition[valueStart..<end].trimmingCharacters(in: .whitespaces)
                index = end
            }
            if key == wanted { return value }
        }
        return nil
    }

    /// The last component of a browser's file name (old browsers send `C:\Users\…\production.csv`).
    static func lastComponent(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
        return String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
    }
}
