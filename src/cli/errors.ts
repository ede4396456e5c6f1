/** An expected failure: printed as one line (plus a hint), exit code 1, no stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
