// The bounds of the engine's numeric configuration keys, for the widget's options.
// BEGIN GENERATED bounds: edit src/schema/ or src/members/ and run `cargo run --example schema -- --write`
// `[lowest, highest, default]` of the numeric configuration keys (no default: off).
export const SERVICE_LEVEL_SECONDS = [1, 86400, 60];
export const ATTRIBUTION_DAYS = [0, 365, 7];
export const SESSION_TIMEOUT_MINUTES = [1, 1440, 30];
export const DP_EPSILON = [0.1, 10];
// END GENERATED bounds
