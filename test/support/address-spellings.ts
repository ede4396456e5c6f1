/**
 * Ways to write one IPv4 address that a proxy request may carry: shared by the policy's unit test (the
 * source), the enforcer's (the built bundle) and the end-to-end test (a real container), so all see every spelling.
 */
export function spellings(v4: string): string[] {
  const parts = v4.split(".").map(Number);
  const number = parts.reduce((acc, part) => acc * 256 + part, 0);
  const hex = (n: number): string => n.toString(16);
  const high = hex(parts[0]! * 256 + parts[1]!);
  const low = hex(parts[2]! * 256 + parts[3]!);
  return [
    v4,
    String(number),
    `0x${hex(number)}`,
    parts.map((part) => `0${part.toString(8)}`).join("."),
    `${parts[0]}.${parts[1]! * 65536 + parts[2]! * 256 + parts[3]!}`,
    `[::ffff:${v4}]`,
    `[::ffff:${high}:${low}]`,
    `[::FFFF:${high.toUpperCase()}:${low}]`,
    `[0:0:0:0:0:ffff:${high}:${low}]`,
    `[::${high}:${low}]`,
    `[::${v4}]`,
    `[64:ff9b::${high}:${low}]`,
    `[64:ff9b::${v4}]`,
    `[2002:${high}:${low}::1]`,
  ];
}
