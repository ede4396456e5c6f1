/**
 * Runs `work` on each item, two at a time, in order: on 2 cores, two Docker builds overlap one's downloads and
 * layer commits with the other's work, and more would only queue on the CPU.
 */
export async function twoAtATime<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all([worker(), worker()]);
}
