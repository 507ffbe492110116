// Runs an async task for every element of a (possibly paged, async) sequence with at most `limit` tasks in
// flight. Elements are pulled only as workers free up, so a long sequence is never held in memory at once.

export async function forEachBounded<T>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('forEachBounded needs a limit of at least 1');
  const iterator: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let done = false;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!done && failure === undefined) {
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (error) {
        // The sequence itself failed (a page could not be read): stop every worker and report it.
        failure ??= { error };
        return;
      }
      if (next.done === true) {
        done = true;
        return;
      }
      try {
        await task(next.value);
      } catch (error) {
        failure ??= { error };
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  if (failure !== undefined) throw failure.error;
}
