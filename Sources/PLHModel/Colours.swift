import Foundation

/// The document's colours: the EPCI's own (`couleurs:` in plh.yaml), or a neutral default.
///
/// Headings, links and rules use `main` on white; the table of contents and highlighted boxes use
/// `light` as their background, with text and links in `main` over it.
public struct Colours: Hashable, Sendable {
    /// An sRGB colour written `#rrggbb`.
    public struct RGB: Hashable, Sendable {
        public var red: UInt8, green: UInt8, blue: UInt8

        public init(red: UInt8, green: UInt8, blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// `#rrggbb` or `#rgb`, in either case; nil for anything else.
        public init?(hex text: String) {
            guard text.first == "#" else { return nil }
            var digits = Array(text.dropFirst())
            guard digits.allSatisfy(\.isHexDigit), digits.count == 6 || digits.count == 3 else { return nil }
            if digits.count == 3 { digits = digits.flatMap { [$0, $0] } }
            let value = UInt32(String(digits), radix: 16)!
            self.init(red: UInt8(value >> 16), green: UInt8((value >> 8) & 0xff), blue: UInt8(value & 0xff))
        }

        public static let white = RGB(red: 255, green: 255, blue: 255)
        /// The body text's ink.
        public static let ink = RGB(red: 0x1e, green: 0x1e, blue: 0x1e)

        /// `#rrggbb`, lower case.
        public var hex: String {
            "#" + [red, green, blue].map { let s = String($0, radix: 16); return s.count == 1 ? "0" + s : s }.joined()
        }

        /// WCAG 2 relative luminance.
        public var luminance: Double {
            func channel(_ c: UInt8) -> Double {
                let v = Double(c) / 255
                return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
        }

        /// WCAG 2 contrast ratio with another colour, from 1 to 21.
        public func contrast(with other: RGB) -> Double {
            let (a, b) = (luminance, other.luminance)
            return (max(a, b) + 0.05) / (min(a, b) + 0.05)
        }

        /// This colour mixed with white: `share` of it, the rest white.
        public func tint(_ share: Double) -> RGB {
            func mix(_ c: UInt8) -> UInt8 { UInt8((Double(c) * share + 255 * (1 - share)).rounded()) }
            return RGB(red: mix(red), green: mix(green), blue: mix(blue))
        }
    }

    public var main: RGB
    public var light: RGB

    /// A dark slate: readable, printable, and nobody's identity (the State's blue belongs to the State).
    public static let neutral = Colours(main: RGB(red: 0x2f, green: 0x48, blue: 0x58))

    /// The light colour defaults to a pale tint of the main one.
    public init(main: RGB, light: RGB? = nil) {
        self.main = main
        self.light = light ?? main.tint(0.1)
    }

    /// The minimum contrast for text (WCAG 2, level AA, normal text).
    public static let minimumContrast = 4.5
}
