import PLHBase
import Testing

/// The byte buffer of the writers (SVG, CSV, documents): every kind of piece, across any number of growths.
@Suite struct ByteBufferTests {
    @Test func piecesOfEveryKindAcrossGrowths() {
        var buffer = ByteBuffer(capacity: 1)
        var expected: [UInt8] = []
        for i in 0..<3000 {
            switch i % 5 {
            case 0:
                buffer.append(UInt8(truncatingIfNeeded: i))
                expected.append(UInt8(truncatingIfNeeded: i))
            case 1:
                buffer.append(" x=\"" as StaticString)
                expected += Array(" x=\"".utf8)
            case 2:
                buffer.append("é\(i)« »")
                expected += Array("é\(i)« »".utf8)
            case 3:
                let run = [UInt8](repeating: UInt8(i % 251), count: i % 97)
                buffer.append(run)
                expected += run
            default:
                var other = ByteBuffer(capacity: 2)
                other.append("autre\(i)")
                buffer.append(other)
                expected += Array("autre\(i)".utf8)
            }
            #expect(buffer.count == expected.count)
        }
        #expect(buffer.withBytes { Array($0) } == expected)
        #expect(buffer.finish() == expected)
    }

    @Test func emptyPiecesAndAnEmptyBuffer() {
        var buffer = ByteBuffer(capacity: 0)
        buffer.append([UInt8]())
        buffer.append("")
        buffer.append(UnsafeBufferPointer<UInt8>(start: nil, count: 0))
        #expect(buffer.count == 0)
        #expect(buffer.finish().isEmpty)
    }

    @Test func digitsInTheBufferAsInAnArray() {
        for value in [0, 7, -7, 10, 999, -1000, 1_234_567, Int.max, Int.min + 1] {
            var buffer = ByteBuffer(capacity: 1)
            French.appendDigits(of: value, to: &buffer)
            var array: [UInt8] = []
            French.appendDigits(of: value, to: &array)
            #expect(buffer.finish() == array)
            #expect(String(decoding: array, as: UTF8.self) == String(value))
        }
    }
}
