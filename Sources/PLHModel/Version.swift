/// The version of PLH Bilan, written into documents, archives and incremental fingerprints.
public enum PLHBilanVersion {
    public static let current = "0.1.0"
}
