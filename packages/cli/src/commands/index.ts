/**
 * The registry of `maa-policy` sub-commands, in the order `--help` lists them.
 */
import type { Command } from "../command.js";
import { checkCommand } from "./check.js";
import { evalCommand } from "./eval.js";
import { testCommand } from "./test.js";

export const commands: readonly Command[] = [checkCommand, evalCommand, testCommand];
