/**
 * Main-thread tasks over 50 ms (the Long Tasks API), watched inside a bench page while a part
 * of a benchmark runs.
 */

/** Start watching; the returned stop() ends it and gives every long task's duration, ms. */
export function watchLongTasks(): () => number[] {
  const long: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) long.push(e.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  return () => {
    // Entries not yet delivered to the callback belong to the watched time too.
    observer.takeRecords().forEach((e) => long.push(e.duration));
    observer.disconnect();
    return long;
  };
}
