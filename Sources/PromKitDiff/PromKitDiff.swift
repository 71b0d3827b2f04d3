// PromKitDiff: what changed between two expositions, and whether it breaks anyone (`promkit diff OLD NEW`).
//
// DiffOptions.swift       what is compared: ignored labels and families, values, tolerance, thresholds
// ComparableSide.swift    one input read (on all cores) into families and 24-byte series entries keyed by hash
// SeriesKeying.swift      a sample's key: its name's role in the family and its labels' meaning, no string made
// DiffModel.swift         the change model: families added/removed/changed, series changes, classes, summary
// Differ.swift            two sides compared family by family, each change classed breaking, risky or info
// SeriesDescriber.swift   the few series a report lists, described from their lines (parsed again, alone)
// DiffRun.swift           both inputs read and compared: findings, the result, the exit status
// Reporters/              text, json, markdown and junit renderings of a DiffResult
//
// The diff reporters live here rather than in PromKitReport: they render this library's DiffResult, not the
// findings Report that PromKitReport's reporters take; they borrow its XML writer and escaping (`package`).
