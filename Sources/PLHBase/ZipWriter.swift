import CCodecs

/// A ZIP archive written in memory, reproducibly: every entry deflated by libdeflate, with the same date,
/// permissions 0644 and UTF-8 names, in the order given. No ZIP64: archives stay far below its limits,
/// which are checked. ZIPFoundation reads these archives back (`verify`), and tests open them with
/// `unzip` and Python's `zipfile` too. The submission archive (PLHPackage) and the annexes' workbook
/// (PLHRender's `.xlsx`) are written with it.
package struct ZipWriter {
    /// libdeflate's level for the submission archive. Measured on the 129 MB of the national batch's 5 025
    /// output files, on one core: libdeflate's level 1 deflates them in 0.49 s to 21.7 MB, zlib's level 4
    /// (used before) in 1.79 s to 20.7 MB; libdeflate's level 4 takes 0.94 s for 20.0 MB. The batch's 1 255
    /// archives went from 28.4 MB to 29.4 MB.
    package static let compressionLevel: Int32 = 1

    private var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0
    private let dosTime: UInt16, dosDate: UInt16
    private let level: Int32

    /// An archive whose every entry is dated `year-month-day hour:minute:second` (MS-DOS time: years
    /// from 1980, even seconds), deflated at libdeflate's `level` (1 to 12).
    package init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                 level: Int32 = ZipWriter.compressionLevel) {
        dosTime = UInt16(hour << 11 | minute << 5 | second / 2)
        dosDate = UInt16(max(0, year - 1980) << 9 | month << 5 | day)
        self.level = level
    }

    package enum Failure: Error {
        case tooLarge(String)
        case deflate(String)
    }

    package mutating func add(path: String, contents: [UInt8]) throws(Failure) {
        let name = Array(path.utf8)
        guard contents.count < Int(UInt32.max), name.count < Int(UInt16.max), count < Int(UInt16.max) - 1 else { throw .tooLarge(path) }
        let crc = contents.withUnsafeBufferPointer { plh_crc32(0, $0.baseAddress, $0.count) }
        var deflated = [UInt8](repeating: 0, count: plh_deflate_bound(contents.count))
        let size = contents.withUnsafeBufferPointer { input in
            deflated.withUnsafeMutableBufferPointer { output in
                plh_deflate_raw(input.baseAddress, input.count, output.baseAddress, output.count, level)
            }
        }
        guard size > 0 else { throw .deflate(path) }
        let offset = bytes.count
        guard offset + size + 30 + name.count < Int(UInt32.max) else { throw .tooLarge(path) }

        // Local file header.
        append32(&bytes, 0x0403_4B50)
        header(&bytes, crc: crc, compressed: size, uncompressed: contents.count, nameLength: name.count)
        bytes += name
        bytes += deflated[0..<size]

        // Its central directory record.
        append32(&directory, 0x0201_4B50)
        append16(&directory, 3 << 8 | 20)  // made by: Unix, ZIP 2.0, so that permissions are read
        header(&directory, crc: crc, compressed: size, uncompressed: contents.count, nameLength: name.count)
        append16(&directory, 0)  // comment length
        append16(&directory, 0)  // disk number
        append16(&directory, 0)  // internal attributes
        append32(&directory, UInt32(0o100644) << 16)  // external attributes: a regular file, rw-r--r--
        append32(&directory, UInt32(offset))
        directory += name
        count += 1
    }

    /// The fields local headers and directory records share, from « version needed » to « extra length ».
    private func header(_ out: inout [UInt8], crc: UInt32, compressed: Int, uncompressed: Int, nameLength: Int) {
        append16(&out, 20)  // version needed: 2.0, deflate
        append16(&out, 1 << 11)  // flags: the name is UTF-8
        append16(&out, 8)  // deflate
        append16(&out, dosTime)
        append16(&out, dosDate)
        append32(&out, crc)
        append32(&out, UInt32(compressed))
        append32(&out, UInt32(uncompressed))
        append16(&out, UInt16(nameLength))
        append16(&out, 0)  // extra field length
    }

    /// The archive: entries, central directory, end record.
    package func finish() throws(Failure) -> [UInt8] {
        guard bytes.count + directory.count < Int(UInt32.max) else { throw .tooLarge("archive") }
        var out = bytes
        out.reserveCapacity(bytes.count + directory.count + 22)
        out += directory
        append32(&out, 0x0605_4B50)
        append16(&out, 0)  // this disk
        append16(&out, 0)  // disk of the directory
        append16(&out, UInt16(count))
        append16(&out, UInt16(count))
        append32(&out, UInt32(directory.count))
        append32(&out, UInt32(bytes.count))
        append16(&out, 0)  // comment length
        return out
    }

    private func append16(_ out: inout [UInt8], _ value: UInt16) {
        out.append(UInt8(truncatingIfNeeded: value))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    private func append32(_ out: inout [UInt8], _ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
