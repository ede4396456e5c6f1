/**
 * The one type of expected failure: bad input or a host that lacks something, not a bug. The CLI prints
 * its message and hint as one line (or one per problem) and exits 1, without a stack; anything else keeps
 * its stack. Domain errors (LaunchError, EgressError, AuthFlagError, the writer's) are kinds of it, so
 * nothing converts them on the way up.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
