/**
 * The registry of `maa-policy` sub-commands, in the order `--help` lists them.
 */
import type { Command } from "../command.js";
import { checkCommand } from "./check.js";
import { diffCommand } from "./diff.js";
import { evalCommand } from "./eval.js";
import { fmtCommand } from "./fmt.js";
import { hashCommand } from "./hash.js";
import { packCommand } from "./pack.js";
import { signerTokenCommand } from "./signer-token.js";
import { testCommand } from "./test.js";
import { unpackCommand } from "./unpack.js";
import { verifyCommand } from "./verify.js";

export const commands: readonly Command[] = [checkCommand, fmtCommand, evalCommand, diffCommand, testCommand, packCommand, unpackCommand, verifyCommand, signerTokenCommand, hashCommand];
