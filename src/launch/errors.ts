import { UserError } from "../errors.js";

/** An expected launch failure (bad input, a name taken, a failed `up`): one line and a hint, no stack. */
export class LaunchError extends UserError {}
