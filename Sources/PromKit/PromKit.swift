// PromKit: parsers, one model, validation and writers for the Prometheus exposition formats.
//
// Bytes/        byte ranges, the source file, byte classes, escapes, numbers
// Diagnostics/  diagnostics with stable codes
// Model/        MetricFamily and its samples: the one model every command uses
// Parse/        the line parser (pull) and the family reader
// Validate/     the semantic checks each spec sets
// Report/       the neutral report handed to reporters
