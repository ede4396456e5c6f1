/** An expected launch failure (bad input, a name taken, a failed `up`): one line and a hint, no stack. */
export class LaunchError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
