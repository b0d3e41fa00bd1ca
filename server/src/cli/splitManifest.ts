// Transitional (#14): client/src/panels still import these from here until they talk to the server; delete this file then.
export { findSplitManifest, readSplitManifest } from '../host/splitManifest';
