/**
 * How much a diagnostic matters: an error fails validate, synth and CI; a warning is reported. Its own module
 * so that codes.ts (the catalogue) and diagnostics.ts both use it without importing each other.
 */
export type Severity = 'error' | 'warning';
