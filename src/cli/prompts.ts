/**
 * The only module that talks to a person. Tests swap in their own Prompter; the CLI uses @clack/prompts
 * when stdin is a TTY.
 */
import * as clack from "@clack/prompts";
import { UserError } from "../errors.js";

export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

export interface Prompter {
  multiselect<T extends string>(message: string, choices: Choice<T>[], initial: T[]): Promise<T[]>;
  select<T extends string>(message: string, choices: Choice<T>[], initial: T): Promise<T>;
  text(message: string, initial: string, validate: (value: string) => string | undefined): Promise<string>;
}

function unlessCancelled<T>(value: T | symbol): T {
  if (clack.isCancel(value) || typeof value === "symbol") throw new UserError("cancelled; nothing was written");
  return value;
}

export const clackPrompter: Prompter = {
  async multiselect(message, choices, initial) {
    const options = choices.map(toOption);
    return unlessCancelled<typeof initial>(await clack.multiselect({ message, options, initialValues: initial, required: true }));
  },
  async select(message, choices, initial) {
    return unlessCancelled<typeof initial>(await clack.select({ message, options: choices.map(toOption), initialValue: initial }));
  },
  async text(message, initial, validate) {
    return unlessCancelled<string>(await clack.text({ message, initialValue: initial, validate: (value) => validate(value ?? "") }));
  },
};

function toOption<T extends string>(choice: Choice<T>): clack.Option<T> {
  return (choice.hint === undefined ? { value: choice.value, label: choice.label } : choice) as clack.Option<T>;
}
