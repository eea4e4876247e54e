/**
 * The package version, in a module of its own so that the commands can read it without importing
 * the dispatcher that imports them.
 */

/** The package version, printed by `--version` and written into SARIF reports. */
export const VERSION = "0.1.0";
