/**
 * The one way a value from the catalogue or an option becomes a word in a generated shell script: as it is
 * when it holds only characters no shell treats specially, else single-quoted (a `'` inside written as
 * `'\''`). Every value is then exactly one word, whatever it holds.
 */
const PLAIN = /^[A-Za-z0-9@%+=:,./_-]+$/;

export function shellQuote(value: string): string {
  return PLAIN.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
