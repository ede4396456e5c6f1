/** Runs named hook steps in order (the in-container hooks and the workspace steps they run); a failure names its step and reason, and every step is safe to re-run. */

export interface HookStep {
  name: string;
  run(): void;
}

export class HookStepError extends Error {}

export function log(message: string): void {
  process.stdout.write(`[agent-devcontainer] ${message}\n`);
}

export function runSteps(context: string, steps: readonly HookStep[]): number {
  for (const step of steps) {
    try {
      step.run();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`[agent-devcontainer] ${context}: step "${step.name}" failed: ${reason}\n`);
      return 1;
    }
  }
  return 0;
}
