/**
 * The credential broker's second line of defence: whatever an upstream sends back (an echo or debug route,
 * an error message that quotes a header) reaches the agent with each secret replaced by its placeholder.
 * Header values are scrubbed whole; a body as it streams, holding back only a tail that could still be the
 * start of a secret, so a secret split across chunks is caught and a stream (SSE) is not delayed.
 *
 * Bytes are handled as latin1 text (one character per byte), so any body, binary or not, passes unchanged
 * apart from the replacements.
 */
import { Transform } from "node:stream";

export interface Swap {
  secret: string;
  placeholder: string;
}

/** Each secret as a response may spell it: as it is, percent-encoded (a URL), and JSON-escaped (`\/`). */
export function swapPairs(swaps: readonly Swap[]): [string, string][] {
  const pairs = new Map<string, string>();
  for (const { secret, placeholder } of swaps) {
    pairs.set(secret, placeholder);
    pairs.set(encodeURIComponent(secret), encodeURIComponent(placeholder));
    pairs.set(secret.replaceAll("/", "\\/"), placeholder.replaceAll("/", "\\/"));
  }
  return [...pairs].filter(([needle]) => needle.length > 0);
}

/**
 * Replaces every complete occurrence; returns the text to send now and the tail to hold back (the longest
 * end of the text that begins a secret, usually nothing).
 */
export function scrubText(text: string, pairs: readonly [string, string][]): { out: string; rest: string } {
  let out = "";
  let from = 0;
  for (;;) {
    let at = -1;
    let found: [string, string] | undefined;
    for (const pair of pairs) {
      const index = text.indexOf(pair[0], from);
      if (index >= 0 && (at < 0 || index < at)) [at, found] = [index, pair];
    }
    if (!found) break;
    out += text.slice(from, at) + found[1];
    from = at + found[0].length;
  }
  let hold = 0;
  for (const [needle] of pairs) {
    for (let length = Math.min(needle.length - 1, text.length - from); length > hold; length--) {
      if (text.endsWith(needle.slice(0, length))) {
        hold = length;
        break;
      }
    }
  }
  return { out: out + text.slice(from, text.length - hold), rest: text.slice(text.length - hold) };
}

/** A response's header values with every secret replaced. */
export function scrubHeaders<T extends Record<string, string | string[] | number | undefined>>(headers: T, pairs: readonly [string, string][]): T {
  const whole = (value: string): string => {
    const { out, rest } = scrubText(value, pairs);
    return out + rest;
  };
  const result: Record<string, string | string[] | number | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name] = typeof value === "string" ? whole(value) : Array.isArray(value) ? value.map(whole) : value;
  }
  return result as T;
}

/** A body stream with every secret replaced, also across chunk boundaries. */
export function scrubStream(pairs: readonly [string, string][]): Transform {
  let carry = "";
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const { out, rest } = scrubText(carry + chunk.toString("latin1"), pairs);
      carry = rest;
      done(null, out.length > 0 ? Buffer.from(out, "latin1") : undefined);
    },
    flush(done) {
      done(null, carry.length > 0 ? Buffer.from(carry, "latin1") : undefined);
    },
  });
}
