/** The attest engine of a build without an evidence appraiser: it appraises nothing. */
import type { AttestEngine } from "./engine.js";

export const NO_EVIDENCE_ENGINE: AttestEngine = {
  types: [],
  appraise: async (input) => ({ code: "InvalidOperation", message: `${input.type} evidence cannot be appraised by this build of the service` }),
};
