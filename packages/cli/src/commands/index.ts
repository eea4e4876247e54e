/**
 * The registry of `maa-policy` sub-commands, in the order `--help` lists them.
 */
import type { Command } from "../command.js";
import { checkCommand } from "./check.js";

export const commands: readonly Command[] = [checkCommand];
