import Foundation
import PLHBilan

/// Loaded projects kept in memory per (project, version), so that the narrative editor's preview does not read
/// every CSV file at each pause in typing. A version never changes once written, so an entry never goes stale;
/// the cache only forgets the least recently used entries beyond `capacity`.
actor ProjectCache {
    /// What the editor needs of one version: the project, its figures and its narratives.
    struct Entry: Sendable {
        let loaded: LoadedProject
        let achievement: Achievement
        let figures: NarrativeFigures
        let narratives: [BilanEngine.NarrativeEntry]
    }

    let capacity: Int
    /// Loads in progress or done, so that concurrent requests for one version load it once.
    private var entries: [String: Task<Entry, any Error>] = [:]
    /// Keys from least to most recently used.
    private var order: [String] = []

    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
    }

    /// The version of `record` in `folder`, loaded once; a project that does not load throws its `BilanError`.
    func entry(_ record: ProjectRecord, folder: URL) async throws -> Entry {
        let key = "\(record.id)/\(record.version)"
        let task: Task<Entry, any Error>
        if let found = entries[key] {
            task = found
            order.removeAll { $0 == key }
        } else {
            task = Task.detached {
                let loaded = try BilanEngine.load(folder)
                let achievement = Achievement(project: loaded.project)
                return Entry(loaded: loaded, achievement: achievement, figures: BilanEngine.figures(loaded.project, achievement),
                             narratives: BilanEngine.narratives(of: loaded.project))
            }
            entries[key] = task
            while order.count >= capacity {
                entries[order.removeFirst()] = nil
            }
        }
        order.append(key)
        do {
            return try await task.value
        } catch {
            // A failed load is not kept: the next request tries again.
            if entries[key] == task {
                entries[key] = nil
                order.removeAll { $0 == key }
            }
            throw error
        }
    }
}

/// The bilan page of recent versions, rendered once per (project, version, day): a version never changes, and the
/// bilan's own date of making changes only with the day. Concurrent requests for one version share one rendering.
actor BilanPageCache {
    let capacity: Int
    private var pages: [String: Task<String, any Error>] = [:]
    private var order: [String] = []

    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
    }

    /// The bilan's HTML, as `render` makes it; a project the engine refuses throws its `BilanError` (not kept).
    func html(_ record: ProjectRecord, folder: URL, settings: RunSettings) async throws -> String {
        let key = "\(record.id)/\(record.version)/\(importDate(settings: settings).iso8601)"
        let task: Task<String, any Error>
        if let found = pages[key] {
            task = found
            order.removeAll { $0 == key }
        } else {
            task = Task.detached { try BilanEngine.preview(folder, settings: settings) }
            pages[key] = task
            while order.count >= capacity { pages[order.removeFirst()] = nil }
        }
        order.append(key)
        do {
            return try await task.value
        } catch {
            if pages[key] == task {
                pages[key] = nil
                order.removeAll { $0 == key }
            }
            throw error
        }
    }
}
